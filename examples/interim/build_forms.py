#!/usr/bin/env python3
"""Rebuild the interim example's economic forms: the webinar's cost table of March 2021.

At a What Works for Children's Social Care webinar on 18 March 2021 ("Building and
maintaining a healthy, happy social care team"), the trial team showed interim costs for
the five phase 1 local authorities (LAs), in whole pounds, on the slide "Findings - costs
of Schwartz Rounds":

    SR component       LA1     LA3     LA4     LA5     LA6
    Training           £716    £673  £1,123    £983  £1,170
    Panel meeting      £166    £253    £267    £289    £203
    Schwartz Round     £742    £678  £1,446  £1,000    £795
    Steering group     £238    £515    £350    £461    £983
    Total per Round  £1,146  £1,446  £2,063  £1,750  £1,981

    "Based on average attendance, the cost per person was £20 per Round."

The slide shows no PoCF fee, so "Training" is the staff time and travel of the set-up (the
indirect cost of the report's Table 19) and the forms have no fee line.  The £20 is the
report's per-person method (its footnote 4) on the slide's figures: the mean total per
round, 8,386 / 5 = 1,677.20, x 12 rounds x 6/12 months / 502 feedback forms = £20.05.

This script writes training.csv, rounds.csv, panel.csv and steering.csv (columns la, phase,
round, mode, item, role, rate, staff, hours, miles, cost, costed with
../../unit_costs/pssru_2019.csv and £0.45 a mile) and staff.csv (the 502 feedback forms).
The rounds held are the report's Table 12 (phase 1 had finished by the webinar); every line
is made up, and two quantities per component are solved for so that the component's mean
lands on the slide's figure (see README.md).  It then reads the files back, recomputes
every figure of the slide with the costing method alone and asserts each one.  Standard
library only; the output is the same on every run.

    python examples/interim/build_forms.py
"""

from __future__ import annotations

import csv
import os
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
UNIT_COSTS_CSV = os.path.join(REPO, "unit_costs", "pssru_2019.csv")

COLUMNS = ["la", "phase", "round", "mode", "item", "role", "rate", "staff", "hours", "miles", "cost"]
FORMS = ("training", "rounds", "panel", "steering")
MILEAGE_RATE = Decimal("0.45")  # [£/mile], as in the report
IP = "in-person"
QUANTUM = {"hours": Decimal("0.001"), "miles": Decimal("0.1"), "cost": Decimal("0.01")}

# --------------------------------------------------------------------------- the slide

# la: (training, panel, round, steering, total), whole pounds
SLIDE = {
    "LA1": (716, 166, 742, 238, 1146),
    "LA3": (673, 253, 678, 515, 1446),
    "LA4": (1123, 267, 1446, 350, 2063),
    "LA5": (983, 289, 1000, 461, 1750),
    "LA6": (1170, 203, 795, 983, 1981),
}
PER_PERSON = 20  # [£ per person per round], "based on average attendance"
FEEDBACK_FORMS = 502  # phase 1's SR feedback forms (report, "Economic evaluation" and footnote 4)

# Each component's exact mean per round is aimed at [X, X + 0.001): it rounds to X, and the
# total of the three to the slide's total (every column of the slide adds up exactly).  Training
# lands in [X, X + 0.004).
MEAN_WINDOW = Decimal("0.001")
TRAINING_WINDOW = Decimal("0.004")

# --------------------------------------------------------------------------- roles

ADMIN = "Administration role/business support officer"
AP = "Advanced practitioner"
ATM = "Assistant team manager"
CS = "Clinical supervisor"
CSSW = "Contact service/support worker"
CSW = "Consultant social worker"
EHI = "Early help inclusion officer"
EYP = "Early years practitioner"
FSW = "Family support worker"
GM = "Group manager"
HOS = "Head of service"
HR = "Senior HR advisor"
IRO = "Child protection coordinator/independent reviewing officer"
KW = "Case/child/family/key worker"
LDO = "Professional practice L & D officer"
ODC = "Organisational development consultant"
PA = "Personal advisor"
PDM = "Practice development manager"
PM = "Practice manager"
PSW = "Principal social worker"
QAM = "Quality assurance manager"
RW = "Residential worker"
SFT = "Systemic family therapist"
SM = "Service manager"
SNM = "Senior manager"
SP = "Senior practitioner"
SSW = "Senior social worker"
SW = "Social worker"
SWA = "Social work assistant"
TM = "Team manager"
WM = "Workforce manager"

# --------------------------------------------------------------------------- design (made up)
#
# Per LA: the rounds (date, site); the facilitators per site; the panel's roles in turn (3 a
# round, 1 hour); the administrator's hours; catering per round; the audience's roles in turn;
# panel preparation (hours of the facilitators and of the panellists per round); steering
# meetings (round index, hours, members); training lines and the miles travelled to it.
# Per component two adjusters: adj1 (hours of a role) takes the bulk, adj2 (miles or cost,
# within [lo, hi]) fine-tunes.

DESIGN = {
    "LA1": dict(
        training_miles="30",
        rounds=[
            ("2019-05-21", ""),
            ("2019-06-18", ""),
            ("2019-07-16", ""),
            ("2019-09-17", ""),
            ("2019-10-15", ""),
            ("2019-11-19", ""),
        ],
        facilitators={"": [SP, PM]},
        panel_cycle=[SW, FSW, TM, KW, SSW, SWA, AP, SW, PA, ATM, FSW, IRO, SW, EHI, CSSW, SSW, TM, FSW],
        admin="1",
        catering="catering (coffee and biscuits)",
        catering_cost="14.00",
        audience=[SW, FSW, SW, KW, SSW, SWA, SW, TM, FSW, PA, SW, KW, ATM, FSW, CSSW, SW, AP, SWA],
        prep=("0.5", "0.5"),
        steering=[(0, "1", [HOS, PM, SP, ADMIN]), (2, "1", [HOS, PM, SP, ADMIN]), (4, "1", [PM, SP, ADMIN])],
        steering_lead=HOS,
        training=[("PoCF facilitator training", SP, "11")],
        mentor=PM,
    ),
    "LA3": dict(
        training_miles="45",
        rounds=[
            ("2019-05-29", ""),
            ("2019-06-26", ""),
            ("2019-07-24", ""),
            ("2019-09-25", ""),
            ("2019-10-30", ""),
            ("2019-11-27", ""),
        ],
        facilitators={"": [CSW, SFT]},
        panel_cycle=[SW, EHI, TM, FSW, SSW, PA, CSSW, SW, ATM, KW, IRO, EYP, SW, SSW, RW, TM],
        admin="1",
        catering="catering (sandwich lunch)",
        catering_cost="57.00",
        audience=[SW, EHI, FSW, CSSW, KW, SWA, EYP, SW, FSW, PA, RW, SW, EHI, TM, KW, SWA, FSW, SSW],
        prep=("1", "0.75"),
        steering=[(i, "1.5", [SM, CSW, SFT, HR, ADMIN]) for i in range(6)],
        steering_lead=SM,
        training=[("PoCF facilitator training", SFT, "10")],
        mentor=CSW,
    ),
    "LA4": dict(
        training_miles="90",
        rounds=[
            ("2019-06-05", ""),
            ("2019-07-03", ""),
            ("2019-09-04", ""),
            ("2019-10-02", ""),
            ("2019-11-06", ""),
            ("2019-12-04", ""),
        ],
        facilitators={"": [PDM, AP]},
        panel_cycle=[SW, TM, FSW, IRO, SSW, KW, ATM, SW, CSSW, PA, SW, FSW, SSW, EHI, TM, SWA],
        admin="1.5",
        catering="catering (buffet lunch)",
        catering_cost="85.00",
        audience=[SW, FSW, KW, CSSW, SWA, SW, FSW, RW, PA, SSW, KW, EHI, SW, CSSW, FSW, TM, SWA, EYP, SW, ATM],
        prep=("1", "0.75"),
        steering=[(i, "1", [HOS, PDM, AP, WM, ADMIN]) for i in range(6)],
        steering_lead=HOS,
        training=[("PoCF facilitator training", AP, "15"), ("PoCF facilitator training", SSW, "3")],
        mentor=PDM,
    ),
    "LA5": dict(
        training_miles="60",
        rounds=[
            ("2019-06-13", ""),
            ("2019-07-11", ""),
            ("2019-09-12", ""),
            ("2019-10-10", ""),
            ("2019-11-14", ""),
            ("2020-01-16", ""),
        ],
        facilitators={"": [PSW, CS]},
        panel_cycle=[SW, TM, KW, SSW, FSW, IRO, SW, AP, SWA, ATM, SW, PA, FSW, SSW, TM, EHI, SW, CSSW],
        admin="1",
        catering="catering (breakfast)",
        catering_cost="31.00",
        audience=[SW, FSW, KW, SW, SWA, SSW, FSW, TM, SW, KW, CSSW, PA, SW, FSW, ATM, SWA, SSW, EHI],
        prep=("1", "1"),
        steering=[(i, "1.5", [PSW, CS, GM, QAM, ADMIN]) for i in range(6)],
        steering_lead=GM,
        training=[("PoCF facilitator training", PSW, "12")],
        mentor=CS,
    ),
    "LA6": dict(
        training_miles="110",
        # 11 rounds: 6 in one part of the LA ("north"), 5 in another ("south"), as Table 12 says
        rounds=[
            ("2019-05-23", "north"),
            ("2019-06-20", "north"),
            ("2019-07-18", "north"),
            ("2019-09-19", "north"),
            ("2019-10-17", "north"),
            ("2019-11-21", "north"),
            ("2019-06-27", "south"),
            ("2019-07-25", "south"),
            ("2019-09-26", "south"),
            ("2019-10-24", "south"),
            ("2019-12-12", "south"),
        ],
        facilitators={"north": [LDO, SSW], "south": [ODC, SP]},
        panel_cycle=[SW, FSW, TM, RW, SSW, KW, SW, EYP, ATM, PA, SW, CSSW, IRO, FSW, SW, EHI, SWA, TM],
        admin="1",
        catering="catering (sandwich lunch)",
        catering_cost="60.00",
        audience=[SW, FSW, RW, KW, CSSW, EYP, SW, FSW, SWA, RW, PA, SW, KW, SSW, CSSW, TM, EHI, SW, FSW],
        prep=("0.75", "0.5"),
        steering=(
            [(i, "2.5", [SNM, LDO, SSW, TM, HR, SW, ADMIN]) for i in range(6)]
            + [(i, "2.5", [SM, ODC, SP, IRO, TM, QAM, ADMIN]) for i in range(6, 11)]
        ),
        steering_lead=SNM,
        training=[("PoCF facilitator training", LDO, "15"), ("PoCF facilitator training", SP, "4")],
        mentor=ODC,
    ),
}


# --------------------------------------------------------------------------- building


def load_unit_costs() -> dict[str, Decimal]:
    with open(UNIT_COSTS_CSV, newline="", encoding="utf-8") as f:
        return {row["role"]: Decimal(row["unit_cost_hour"]) for row in csv.DictReader(f)}


UC = load_unit_costs()


def line(la, rnd="", item="", role="", staff=None, hours=None, miles=None, cost=None, mode="") -> dict:
    return dict(
        la=la,
        phase="1",
        round=rnd,
        mode=mode,
        item=item,
        role=role,
        staff=staff,
        hours=None if hours is None else Decimal(hours),
        miles=None if miles is None else Decimal(miles),
        cost=None if cost is None else Decimal(cost),
    )


def value(ln: dict) -> Decimal:
    v = Decimal(0)
    if ln["hours"] is not None:
        v += (ln["staff"] or 1) * ln["hours"] * UC[ln["role"]]
    if ln["miles"] is not None:
        v += ln["miles"] * MILEAGE_RATE
    return v + (ln["cost"] or 0)


def step(ln: dict, field: str) -> Decimal:
    if field == "hours":
        return (ln["staff"] or 1) * UC[ln["role"]] * QUANTUM["hours"]
    return MILEAGE_RATE * QUANTUM["miles"] if field == "miles" else QUANTUM["cost"]


SOLVED: list[tuple[dict, str, dict, str]] = []


def solve(
    lines: list[dict], a1: dict, f1: str, a2: dict, f2: str, lo2: str, hi2: str, lo: Decimal, hi: Decimal
) -> list[dict]:
    """Set a1[f1] and a2[f2] (whole quanta, a2 within [lo2, hi2]) so that the lines add up to [lo, hi).

    For each a2 from its middle outwards, a1 is the least that reaches lo; the first that stays
    below hi is kept.  Raises if there is none, or if a1 would be negative.
    """
    fixed = sum((value(ln) for ln in lines), Decimal(0))
    s1, s2 = step(a1, f1), step(a2, f2)
    k_lo, k_hi = int(Decimal(lo2) / QUANTUM[f2]), int(Decimal(hi2) / QUANTUM[f2])
    mid = (k_lo + k_hi) // 2
    for d in range(k_hi - k_lo + 1):
        for k2 in (mid + d, mid - d):
            if not k_lo <= k2 <= k_hi:
                continue
            k1 = int(((lo - fixed - k2 * s2) / s1).to_integral_value(rounding=ROUND_CEILING))
            if k1 >= 0 and fixed + k1 * s1 + k2 * s2 < hi:
                a1[f1], a2[f2] = k1 * QUANTUM[f1], k2 * QUANTUM[f2]
                SOLVED.append((a1, f1, a2, f2))
                return lines + [a1, a2]
    raise RuntimeError(f"no solution for {a1['la']} {a1['item']}: fixed lines {fixed}, window [{lo}, {hi})")


def panellists(design: dict, i: int) -> list[str]:
    cycle = design["panel_cycle"]
    return [cycle[(3 * i + j) % len(cycle)] for j in range(3)]


def seat(budget: Decimal, n: int, seq: list[str]) -> list[list[str]]:
    """Seat attendees, roles in turn from seq, round by round, until each round's share of the budget is spent."""
    seated, carry, pos = [], Decimal(0), 0
    for _ in range(n):
        share, here = budget / n + carry, []
        while UC[seq[pos % len(seq)]] <= share:
            here.append(seq[pos % len(seq)])
            share -= UC[seq[pos % len(seq)]]
            pos += 1
        seated.append(here)
        carry = share
    return seated


def window(mean: int, n: int) -> tuple[Decimal, Decimal]:
    return Decimal(mean * n), Decimal(mean * n) + MEAN_WINDOW * n


def build_rounds(la: str, design: dict, target: int) -> list[dict]:
    rounds, n = design["rounds"], len(design["rounds"])
    fixed = []
    for i, (date, site) in enumerate(rounds):
        fixed += [line(la, date, "panel", role, 1, "1", mode=IP) for role in panellists(design, i)]
        fixed += [line(la, date, "facilitator", role, 1, "1.5", mode=IP) for role in design["facilitators"][site]]
        if i < n - 1:
            fixed.append(line(la, date, "administrator", ADMIN, 1, design["admin"], mode=IP))
            fixed.append(line(la, date, design["catering"], cost=design["catering_cost"], mode=IP))
    last = rounds[-1][0]
    a1 = line(la, last, "administrator", ADMIN, 1, design["admin"], mode=IP)
    a2 = line(la, last, design["catering"], cost=design["catering_cost"], mode=IP)
    lo, hi = window(target, n)
    budget = lo - sum((value(ln) for ln in fixed + [a1, a2]), Decimal(0))
    for i, roles in enumerate(seat(budget, n, design["audience"])):
        for role in sorted(set(roles), key=lambda r: (-roles.count(r), r)):
            fixed.append(line(la, rounds[i][0], "attendance", role, roles.count(role), "1", mode=IP))
    cost = Decimal(design["catering_cost"])
    return solve(fixed, a1, "hours", a2, "cost", str(cost - 8), str(cost + 8), lo, hi)


def build_panel(la: str, design: dict, target: int) -> list[dict]:
    fac_hours, panel_hours = design["prep"]
    lines = []
    for i, (date, site) in enumerate(design["rounds"]):
        lines += [line(la, date, "panel preparation", role, 1, fac_hours) for role in design["facilitators"][site]]
        lines += [line(la, date, "panel preparation", role, 1, panel_hours) for role in panellists(design, i)]
    lead = design["facilitators"][design["rounds"][0][1]][0]
    a1 = line(la, "", "panel recruitment and briefing", lead, 1, "0")
    a2 = line(la, "", "travel (panel preparation)", miles="0")
    return solve(lines, a1, "hours", a2, "miles", "5", "60", *window(target, len(design["rounds"])))


def build_steering(la: str, design: dict, target: int) -> list[dict]:
    rounds = design["rounds"]
    lines = [
        line(la, rounds[i][0], "steering group meeting", role, 1, hours)
        for i, hours, members in design["steering"]
        for role in members
    ]
    a1 = line(la, "", "steering group: SR lead time", design["steering_lead"], 1, "0")
    a2 = line(la, "", "travel (steering group)", miles="0")
    return solve(lines, a1, "hours", a2, "miles", "5", "60", *window(target, len(rounds)))


def build_training(la: str, design: dict, target: int) -> list[dict]:
    lines = [line(la, "", item, role, 1, hours) for item, role, hours in design["training"]]
    a1 = line(la, "", "PoCF mentoring call", design["mentor"], 1, "0")
    a2 = line(la, "", "travel to PoCF training", miles="0")
    miles = Decimal(design["training_miles"])
    return solve(
        lines, a1, "hours", a2, "miles", str(miles - 15), str(miles + 15), Decimal(target), target + TRAINING_WINDOW
    )


def build_all() -> dict[str, list[dict]]:
    forms: dict[str, list[dict]] = {name: [] for name in FORMS}
    for la, (training, panel, rnd, steering, _total) in SLIDE.items():
        design = DESIGN[la]
        forms["training"] += build_training(la, design, training)
        forms["rounds"] += build_rounds(la, design, rnd)
        forms["panel"] += build_panel(la, design, panel)
        forms["steering"] += build_steering(la, design, steering)
    return forms


def text(x: Decimal | None, places: int | None = None) -> str:
    if x is None:
        return ""
    return f"{x:.{places}f}" if places is not None else format(x.normalize(), "f")


def write(forms: dict[str, list[dict]], staff: list[tuple[str, int, int, int]]) -> None:
    for name, lines in forms.items():
        with open(os.path.join(HERE, f"{name}.csv"), "w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
            w.writeheader()
            for ln in lines:
                w.writerow(
                    dict(
                        ln,
                        rate="",
                        staff="" if ln["staff"] is None else str(ln["staff"]),
                        hours=text(ln["hours"]),
                        miles=text(ln["miles"], 1),
                        cost=text(ln["cost"], 2),
                    )
                )
    with open(os.path.join(HERE, "staff.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["la", "phase", "intervention_staff", "control_staff", "feedback_forms"])
        w.writerows((la, 1, i, c, ff) for la, i, c, ff in staff)


# Table 3's staff randomised (as examples/trial/staff.csv); the split of the 502 forms between the
# LAs is invented (the report gives only the total), and only the total enters a figure.
STAFF = [
    ("LA1", 20, 21, 60),
    ("LA3", 358, 358, 54),
    ("LA4", 301, 302, 158),
    ("LA5", 35, 34, 105),
    ("LA6", 352, 353, 125),
]


# --------------------------------------------------------------------------- checks
#
# Everything below uses only the CSV files just written and the unit-cost table.


def pounds(x: Decimal) -> int:
    return int(x.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def read(name: str) -> list[dict]:
    with open(os.path.join(HERE, f"{name}.csv"), newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def cost_of(row: dict, uc: dict[str, Decimal]) -> Decimal:
    staff = Decimal(row["staff"] or 1)
    rate = uc[row["role"]] if row["role"] else Decimal(0)
    hours, miles, cost = (Decimal(row[c] or 0) for c in ("hours", "miles", "cost"))
    assert not row["rate"] and (row["role"] or hours == 0), row
    return staff * hours * rate + miles * MILEAGE_RATE + cost


def check(uc: dict[str, Decimal]) -> None:
    forms = {name: read(name) for name in FORMS}
    rounds = {(r["la"], r["round"]) for r in forms["rounds"]}
    per_la = {la: sorted(rid for la2, rid in rounds if la2 == la) for la in SLIDE}
    assert {la: len(r) for la, r in per_la.items()} == {"LA1": 6, "LA3": 6, "LA4": 6, "LA5": 6, "LA6": 11}
    assert all(r["mode"] == IP for r in forms["rounds"]) and not any(r["cost"] for r in forms["training"])
    comp: dict[tuple[str, str], Decimal] = {}
    for name in ("rounds", "panel", "steering"):
        for r in forms[name]:
            c = cost_of(r, uc)
            rids = [r["round"]] if r["round"] else per_la[r["la"]]
            assert name != "rounds" or r["round"], r
            for rid in rids:
                assert (r["la"], rid) in rounds, r
                comp[(r["la"], name)] = comp.get((r["la"], name), Decimal(0)) + c / len(rids)
    training = {}
    for r in forms["training"]:
        training[r["la"]] = training.get(r["la"], Decimal(0)) + cost_of(r, uc)
    totals = []
    print("LA     training   panel   round  steering    total  (exact means per round)")
    for la, published in SLIDE.items():
        n = len(per_la[la])
        means = [comp[(la, name)] / n for name in ("panel", "rounds", "steering")]
        total = sum(means)
        got = (pounds(training[la]), *(pounds(m) for m in means), pounds(total))
        assert got == published, (la, got, published)
        totals.append(total)
        print(f"{la:<5} {training[la]:>9.4f} {means[0]:>7.4f} {means[1]:>8.4f} {means[2]:>8.4f} {total:>9.4f}")
    mean = sum(totals) / len(totals)
    per_person = 12 * mean * 6 / 12 / FEEDBACK_FORMS
    assert sum(ff for *_, ff in STAFF) == FEEDBACK_FORMS and pounds(per_person) == PER_PERSON, per_person
    attendance = sum(int(r["staff"]) for r in forms["rounds"] if r["item"] == "attendance")
    print(
        f"mean total per round {mean:.4f}; per person 6 x mean / {FEEDBACK_FORMS} = {per_person:.4f} "
        f"-> £{pounds(per_person)}; attendance {attendance} over {len(rounds)} rounds"
    )


def main() -> None:
    forms = build_all()
    write(forms, STAFF)
    for name, lines in forms.items():
        print(f"wrote examples/interim/{name}.csv ({len(lines)} lines)")
    print("solved quantities (adj1 takes the bulk, adj2 fine-tunes):")
    for a1, f1, a2, f2 in SOLVED:
        print(f"  {a1['la']:<4} {a1['item'][:32]:<32} {f1} {a1[f1]:>8}   {a2['item'][:28]:<28} {f2} {a2[f2]}")
    check(load_unit_costs())


if __name__ == "__main__":
    main()
