#!/usr/bin/env python3
"""Rebuild the bundled trial example's ``staff.csv`` and ``survey.csv``.

The 2021 report on the Schwartz Rounds trial in children's services publishes
only aggregates, so this script reconstructs respondent-level data that agree
with them.  It writes the two CSVs next to itself, reads them back, recomputes
the published sickness-cost figures from the files alone and asserts that each
one matches Table 21 to the penny.  Standard library only; the output is the
same on every run (``random.Random`` with a fixed seed, ``decimal`` for the money).

staff.csv (la,phase,intervention_staff,control_staff,feedback_forms)
    Copied from Table 3 ("An overview of the staff lists and the randomisation
    outcome per LA"). It has the nine LAs that were costed: phase 1 LA1, LA3, LA4,
    LA5 and LA6, and phase 2 LA7, LA8, LA9 and LA12. LAs 2, 10 and 11 "did not
    provide enough data to be included in this analysis". feedback_forms: the
    report gives only each phase's total (502 in phase 1, 133 in phase 2, its
    "Data collection" table); the split over the LAs is made up (FEEDBACK_FORMS).

survey.csv (la,phase,respondent,group,role,salary,sick_days,rounds_attended)
    One made-up row for each T2 respondent who answered the sick-days question.
    The report gives n=236 (Figure 9). The flow diagram gives 225 phase 1 and
    42 phase 2 T2 responses (267 in all). Applying the same 236/267 ratio to each
    phase gives 199 phase 1 and 37 phase 2 rows. The split into groups is about
    even, as in Table 5 (88 intervention / 84 control). Phase 1 has 99
    intervention and 100 control rows. Phase 2 has 19 intervention and 18
    control rows. These counts were chosen so that each group's cost total can
    equal the target mean times n exactly: costs come in steps of 0.75p, so
    3 must divide target(p) * n. Within a phase, respondents are spread over
    LAs in proportion to Table 3's staff lists, with at least two per group in
    every LA. Roles follow the role mix in Table 5 (admin / business support 9%,
    non-social-work-qualified 30%, manager 21%, social worker or senior social
    worker 32%, other 8%). Each role is mapped to a role in
    unit_costs/pssru_2019.csv.
    Phase 2 respondents were asked for their salary, so they get one: the PSSRU
    salary for their role times U(0.85, 1.15), in whole pounds, capped at
    £75,000. Phase 1 salaries are left blank, so the role's unit cost is used.
    Sick days are drawn from a skewed mixture (many zeros, a few long
    absences). Within each phase and group, the draws are scaled so that the
    costs come close to the Table 21 mean, and then rounded to half days. After
    that, three "adjuster" respondents per group get sick days in tenths. For
    phase 2, one adjuster's salary is also searched over a small window. This
    makes the group's total cost exactly target * n.
    Attendance: intervention respondents attended 0-6 rounds (the trial aimed
    for six). Most control respondents have 0. About 6% have 1, to reflect the
    contamination the report describes.
    GHQ-12 (ghq12, ghq12_caseness and their _baseline columns) is made up too,
    by a separate seeded generator drawn after everything above, so the sick
    days and salaries are the same as without it. Each respondent answers the
    12 items (0-3) at baseline (T1) and follow-up (T2) from a latent distress
    that carries over between the two (correlation about 0.45, like Table 6's
    baseline coefficient 0.37); ghq12 is the Likert total (0-36) and
    ghq12_caseness the count of items scored 2 or 3 (GHQ scoring 0-0-1-1: a
    case at 4 or more), so the pair always fits. The intervention group's
    follow-up is shifted down (GHQ_SHIFT) so that the unadjusted difference is
    close to Table 6's group allocation -0.72 points (the report gives no
    group means at T2), with fewer cases in the intervention group (Figure 8).
    About a quarter have no baseline (the report matched 169 of 267 T1 to T2)
    and a few left the GHQ-12 blank at follow-up. The script prints the
    differences; they are not the trial's data.

Method (as in the report's "Economic evaluation")
    hourly = unit cost derived from salary if one is given (PSSRU 2019:
    NI 13.8% above £162/week, superannuation 17%, overheads 45% + £3,191,
    1,513 hours), rounded half-up to the penny; otherwise the role's
    unit_cost_hour. Sickness cost = hourly * sick_days * 7.5. For each phase,
    the group mean is sum / n, and saving = control mean - intervention mean.
    Combined = the unweighted mean of the two phase figures. Everything is
    exact in Decimal and rounded half-up only for display.

Known inconsistency
    The report gives mean sick days of 4.06 (SD 9.68) for phase 1 and 1.07
    (SD 2.26) for phase 2. These cannot both hold alongside Table 21's costs at
    children's-services pay. In phase 2, a mean cost of £1,247.40 over 1.07
    days works out at about £155 per hour. Even if everyone earned £75,000
    (about £95/h), the mean would still have to be at least 1.75 days. Phase 1
    is also affected: with Table 5's role mix (about £45/h on average), the
    phase 1 costs imply roughly 6 days. This rebuild keeps Table 21 exact and
    salaries plausible. It does not inflate pay or tie long absences to senior
    staff to get closer to the published means. The mean sick days that
    result are whatever those constraints imply: phase 1 5.67 (SD 10.62,
    n=199) and phase 2 3.77 (SD 5.36, n=37). The script prints them.
"""

import csv
import math
import random
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal, getcontext
from pathlib import Path

getcontext().prec = 50

HERE = Path(__file__).resolve().parent
UNIT_COSTS = HERE.parent.parent / "unit_costs" / "pssru_2019.csv"
STAFF_CSV = HERE / "staff.csv"
SURVEY_CSV = HERE / "survey.csv"
SEED = 20210801
GHQ_SEED = 20210886  # the GHQ-12 columns' own generator (the sick days' draws are untouched); of the first
# hundred seeds after SEED, the one whose differences come closest to -0.72 in each phase and both together
GHQ_SHIFT = 0.16  # the intervention group's latent distress at T2 is this lower [SD]
GHQ_ITEMS = 12

PENNY = Decimal("0.01")
HOURS_PER_DAY = Decimal("7.5")
SALARY_CAP = 75000

# Table 3: LA -> (phase, intervention, control), costed LAs only.
TABLE3 = {
    "LA1": (1, 20, 21),
    "LA3": (1, 358, 358),
    "LA4": (1, 301, 302),
    "LA5": (1, 35, 34),
    "LA6": (1, 352, 353),
    "LA7": (2, 210, 208),
    "LA8": (2, 388, 392),
    "LA9": (2, 153, 153),
    "LA12": (2, 122, 122),
}

# Respondents with a sick-days answer at T2, per phase and group.
N_RESPONDENTS = {
    (1, "intervention"): 99,
    (1, "control"): 100,
    (2, "intervention"): 19,
    (2, "control"): 18,
}

# Table 21 staff sickness costs (£).
TARGETS = {
    (1, "intervention"): Decimal("1862.84"),
    (1, "control"): Decimal("2129.55"),
    (2, "intervention"): Decimal("1247.40"),
    (2, "control"): Decimal("1331.78"),
}
TARGET_SAVING = {1: Decimal("266.71"), 2: Decimal("84.38")}
TARGET_COMBINED = {
    "intervention": Decimal("1555.12"),
    "control": Decimal("1730.67"),
    "saving": Decimal("175.55"),
}

# Table 5 role categories (share of matched respondents) -> PSSRU roles.
ROLE_MIX = [
    (0.093, [("Administration role/business support officer", 4),
             ("Business support coordinator", 1)]),
    (0.302, [("Family support worker", 6),
             ("Case/child/family/key worker", 2),
             ("Social work assistant", 1),
             ("Early help inclusion officer", 1),
             ("Contact service/support worker", 1),
             ("Personal advisor", 1),
             ("Residential worker", 1)]),
    (0.209, [("Team manager", 5),
             ("Assistant team manager", 2),
             ("Practice manager", 1),
             ("Service manager", 1),
             ("Operations manager", 1),
             ("Head of service", 1)]),
    (0.320, [("Social worker", 6),
             ("Senior social worker", 2),
             ("Senior practitioner", 2),
             ("Advanced practitioner", 1),
             ("Consultant social worker", 1)]),
    (0.075, [("Child protection coordinator/independent reviewing officer", 2),
             ("Systemic family therapist", 1),
             ("Principal social worker", 1),
             ("Quality assurance manager", 1),
             ("Professional practice L & D officer", 1)]),
]

# Skewed sick-days mixtures: (weight, low, high); low == high -> fixed value.
SICK_MIX = {
    1: [(0.42, 0, 0), (0.10, 0.5, 0.5), (0.25, 1, 5), (0.15, 6, 15),
        (0.06, 16, 40), (0.02, 41, 65)],
    2: [(0.45, 0, 0), (0.10, 0.5, 0.5), (0.30, 1, 5), (0.13, 6, 12),
        (0.02, 13, 25)],
}

N_ADJUSTERS = 3
ADJUSTER_MAX_TENTHS = 200  # 20 days


def money(x):
    return x.quantize(PENNY, rounding=ROUND_HALF_UP)


def pssru_hourly(salary):
    """PSSRU 2019 hourly unit cost from an annual salary (Decimal)."""
    salary = Decimal(salary)
    threshold = Decimal(162 * 365) / 7
    ni = Decimal("0.138") * max(Decimal(0), salary - threshold)
    on_costs = ni + Decimal("0.17") * salary
    overheads = Decimal("0.45") * (salary + on_costs) + 3191
    return money((salary + on_costs + overheads) / 1513)


def load_unit_costs():
    with open(UNIT_COSTS, newline="") as fh:
        rows = list(csv.DictReader(fh))
    return {r["role"]: r for r in rows}


# --------------------------------------------------------------------------
# Generation
# --------------------------------------------------------------------------

def largest_remainder(total, weights, minimum):
    """Split total into integer parts in proportion to weights, each >= minimum."""
    free = total - minimum * len(weights)
    wsum = sum(weights)
    raw = [free * w / wsum for w in weights]
    parts = [math.floor(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (parts[i] - raw[i], i))
    for i in order[: free - sum(parts)]:
        parts[i] += 1
    return [p + minimum for p in parts]


def draw_role(rng):
    r = rng.random()
    acc = 0.0
    for share, roles in ROLE_MIX:
        acc += share
        if r < acc:
            break
    names = [n for n, _ in roles]
    weights = [w for _, w in roles]
    return rng.choices(names, weights=weights)[0]


def draw_sick_days(rng, phase):
    r = rng.random()
    acc = 0.0
    for weight, low, high in SICK_MIX[phase]:
        acc += weight
        if r < acc:
            break
    if low == high:
        return Decimal(str(low))
    return Decimal(rng.randint(low, high))


def draw_rounds(rng, group):
    if group == "control":
        return 1 if rng.random() < 0.06 else 0
    return rng.choices(range(7), weights=[30, 15, 15, 15, 12, 8, 5])[0]


def hourly_pence(resp, unit_costs):
    if resp["salary"] is not None:
        h = pssru_hourly(resp["salary"])
    else:
        h = Decimal(unit_costs[resp["role"]]["unit_cost_hour"])
    return int(h * 100)


def solve_adjusters(remainder, adjusters, candidates):
    """Find tenths-of-a-day t_i (and a salary for the last adjuster) with
    sum(h_i * t_i) == remainder, h_i in pence.  candidates[i] is a list of
    (salary_or_None, hourly_pence) options for adjuster i (one option unless
    its salary may move).  Deterministic search, balanced solutions first."""
    k = len(adjusters)
    fixed = [c[0] for c in candidates[:-1]]
    ideal = remainder // k

    def outward(centre, hi):
        centre = max(0, min(hi, centre))
        yield centre
        for d in range(1, hi + 1):
            for v in (centre - d, centre + d):
                if 0 <= v <= hi:
                    yield v

    def rec(i, rem, chosen):
        if i == k - 1:
            for salary, h in candidates[-1]:
                if rem >= 0 and rem % h == 0 and rem // h <= ADJUSTER_MAX_TENTHS:
                    return chosen + [(salary, h, rem // h)]
            return None
        salary, h = fixed[i]
        for t in outward(ideal // h, ADJUSTER_MAX_TENTHS):
            if h * t > rem:
                continue
            got = rec(i + 1, rem - h * t, chosen + [(salary, h, t)])
            if got:
                return got
        return None

    return rec(0, remainder, [])


def build_group(rng, phase, group, respondents, unit_costs):
    """Assign sick days so the group's total cost is exactly target * n."""
    n = len(respondents)
    target = TARGETS[(phase, group)]
    # cost = h_p * t * 0.75 pence (h_p pence/hour, t tenths of a day)
    total_units = target * 100 * n * 4 / 3
    assert total_units == int(total_units), "target * n not reachable"
    total_units = int(total_units)

    order = list(range(n))
    rng.shuffle(order)
    # adjusters: first triple (in shuffled order) with distinct hourly costs
    adj = []
    for i in order:
        if hourly_pence(respondents[i], unit_costs) not in [
                hourly_pence(respondents[j], unit_costs) for j in adj]:
            adj.append(i)
        if len(adj) == N_ADJUSTERS:
            break
    others = [i for i in range(n) if i not in adj]

    base = {i: draw_sick_days(rng, phase) for i in others}
    base_units = sum(hourly_pence(respondents[i], unit_costs) * base[i] * 10
                     for i in others)

    def candidate_lists():
        lists = []
        for pos, i in enumerate(adj):
            r = respondents[i]
            if pos == len(adj) - 1 and r["salary"] is not None:
                opts = []
                for d in range(0, 1501):
                    for s in (r["salary"] - d, r["salary"] + d) if d else (r["salary"],):
                        if 0 < s <= SALARY_CAP:
                            opts.append((s, int(pssru_hourly(s) * 100)))
                lists.append(opts)
            else:
                lists.append([(r["salary"], hourly_pence(r, unit_costs))])
        return lists

    cands = candidate_lists()
    # reserve roughly 6 days per adjuster for the exact fill
    for reserve_days in range(6, 13):
        reserve = sum(c[0][1] for c in cands) * reserve_days * 10
        scale = Decimal(total_units - reserve) / base_units
        days = {i: (base[i] * scale * 2).quantize(Decimal(1), rounding=ROUND_HALF_UP) / 2
                for i in others}
        used = sum(hourly_pence(respondents[i], unit_costs) * int(days[i] * 10)
                   for i in others)
        remainder = total_units - used
        if remainder <= 0:
            continue
        sol = solve_adjusters(remainder, adj, cands)
        if sol:
            break
    else:
        raise RuntimeError(f"no exact fill for phase {phase} {group}")

    for i in others:
        respondents[i]["sick_days"] = days[i]
    for i, (salary, _h, tenths) in zip(adj, sol):
        respondents[i]["salary"] = salary
        respondents[i]["sick_days"] = Decimal(tenths) / 10


def ghq_items(rng, latent):
    """Twelve GHQ-12 items (0-3, Likert) from a latent distress (0: a typical respondent)."""
    return [min(3, max(0, round(0.95 + 0.85 * latent + rng.gauss(0, 0.6)))) for _ in range(GHQ_ITEMS)]


def add_ghq(survey):
    """ghq12, ghq12_caseness and their baselines for every respondent, from GHQ_SEED."""
    rng = random.Random(GHQ_SEED)
    for r in survey:
        before = rng.gauss(0, 1)
        after = 0.45 * before + 0.89 * rng.gauss(0, 1) - (GHQ_SHIFT if r["group"] == "intervention" else 0)
        t1, t2 = ghq_items(rng, before), ghq_items(rng, after)
        has_t1, has_t2 = rng.random() >= 0.25, rng.random() >= 0.03
        r["ghq12"] = sum(t2) if has_t2 else None
        r["ghq12_caseness"] = sum(1 for x in t2 if x >= 2) if has_t2 else None
        r["ghq12_baseline"] = sum(t1) if has_t1 else None
        r["ghq12_caseness_baseline"] = sum(1 for x in t1 if x >= 2) if has_t1 else None


GHQ_COLUMNS = ["ghq12", "ghq12_caseness", "ghq12_baseline", "ghq12_caseness_baseline"]


# SR feedback forms collected. The phase totals, 502 and 133, are the report's; the split over the
# LAs is made up: phase 1 in proportion to the example's (made-up) attendance, phase 2 to its rounds.
FEEDBACK_FORMS = {"LA1": 60, "LA3": 54, "LA4": 158, "LA5": 105, "LA6": 125,
                  "LA7": 23, "LA8": 55, "LA9": 31, "LA12": 24}
FEEDBACK_TOTALS = {1: 502, 2: 133}


def generate():
    rng = random.Random(SEED)
    unit_costs = load_unit_costs()

    staff_rows = [
        {"la": la, "phase": ph, "intervention_staff": i, "control_staff": c,
         "feedback_forms": FEEDBACK_FORMS[la]}
        for la, (ph, i, c) in TABLE3.items()
    ]

    survey = []
    for phase in (1, 2):
        las = [la for la, v in TABLE3.items() if v[0] == phase]
        per_group = {}
        for group, col in (("intervention", 1), ("control", 2)):
            sizes = [TABLE3[la][col] for la in las]
            per_group[group] = dict(zip(
                las, largest_remainder(N_RESPONDENTS[(phase, group)], sizes, 2)))
        by_group = {"intervention": [], "control": []}
        for la in las:
            groups = (["intervention"] * per_group["intervention"][la]
                      + ["control"] * per_group["control"][la])
            rng.shuffle(groups)
            for k, group in enumerate(groups, 1):
                role = draw_role(rng)
                salary = None
                if phase == 2:
                    base = Decimal(unit_costs[role]["salary"])
                    factor = Decimal(str(round(rng.uniform(0.85, 1.15), 4)))
                    salary = min(SALARY_CAP, int(money(base * factor)))
                resp = {
                    "la": la, "phase": phase, "respondent": f"R{k:03d}",
                    "group": group, "role": role, "salary": salary,
                    "sick_days": None, "rounds_attended": draw_rounds(rng, group),
                }
                survey.append(resp)
                by_group[group].append(resp)
        for group in ("intervention", "control"):
            build_group(rng, phase, group, by_group[group], unit_costs)
    add_ghq(survey)

    with open(STAFF_CSV, "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["la", "phase", "intervention_staff",
                                           "control_staff", "feedback_forms"], lineterminator="\n")
        w.writeheader()
        w.writerows(staff_rows)

    with open(SURVEY_CSV, "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["la", "phase", "respondent", "group",
                                           "role", "salary", "sick_days",
                                           "rounds_attended", *GHQ_COLUMNS], lineterminator="\n")
        w.writeheader()
        for r in survey:
            d = r["sick_days"].normalize()
            w.writerow({**r,
                        "salary": "" if r["salary"] is None else r["salary"],
                        "sick_days": f"{d:f}",
                        **{c: "" if r[c] is None else r[c] for c in GHQ_COLUMNS}})


# --------------------------------------------------------------------------
# Independent verification: reads only the CSV files written above.
# --------------------------------------------------------------------------

def verify():
    with open(UNIT_COSTS, newline="") as fh:
        table = {r["role"]: r for r in csv.DictReader(fh)}

    def hourly_from_salary(salary):
        s = Decimal(salary)
        ni = Decimal("0.138") * max(Decimal(0), s - Decimal(162) * 365 / 7)
        on = ni + Decimal("0.17") * s
        over = Decimal("0.45") * (s + on) + Decimal(3191)
        return ((s + on + over) / Decimal(1513)).quantize(PENNY, ROUND_HALF_UP)

    # the derivation must reproduce the published unit-cost table exactly
    for role, r in table.items():
        assert hourly_from_salary(r["salary"]) == Decimal(r["unit_cost_hour"]), role

    with open(STAFF_CSV, newline="") as fh:
        staff = list(csv.DictReader(fh))
    assert [r["la"] for r in staff] == list(TABLE3)
    for r in staff:
        assert (int(r["phase"]), int(r["intervention_staff"]),
                int(r["control_staff"])) == TABLE3[r["la"]], r
    for phase, total in FEEDBACK_TOTALS.items():
        assert sum(int(r["feedback_forms"]) for r in staff if int(r["phase"]) == phase) == total

    with open(SURVEY_CSV, newline="") as fh:
        survey = list(csv.DictReader(fh))

    seen = set()
    sums = {k: Decimal(0) for k in TARGETS}
    counts = Counter()
    days = {1: [], 2: []}
    for r in survey:
        phase = int(r["phase"])
        key = (r["la"], phase, r["respondent"])
        assert key not in seen, key
        seen.add(key)
        assert TABLE3[r["la"]][0] == phase, r
        assert r["group"] in ("intervention", "control"), r
        assert r["role"] in table, r
        d = Decimal(r["sick_days"])
        assert d >= 0 and d == d.quantize(Decimal("0.1")), r
        rounds = int(r["rounds_attended"])
        assert 0 <= rounds <= 6 and (r["group"] == "intervention" or rounds <= 1), r
        if phase == 2:
            assert r["salary"] and 0 < int(r["salary"]) <= SALARY_CAP, r
            hourly = hourly_from_salary(r["salary"])
        else:
            assert r["salary"] == "", r
            hourly = Decimal(table[r["role"]]["unit_cost_hour"])
        sums[(phase, r["group"])] += hourly * d * HOURS_PER_DAY
        counts[(phase, r["group"])] += 1
        days[phase].append(d)

    for la in TABLE3:
        for group in ("intervention", "control"):
            assert counts_la(survey, la, group) >= 2, (la, group)
    assert dict(counts) == N_RESPONDENTS, counts

    means = {k: sums[k] / counts[k] for k in sums}
    for k, target in TARGETS.items():
        assert money(means[k]) == target, (k, means[k], target)
        assert means[k] == target, ("not exact", k, means[k])
    saving = {p: means[(p, "control")] - means[(p, "intervention")] for p in (1, 2)}
    for p in (1, 2):
        assert money(saving[p]) == TARGET_SAVING[p], (p, saving[p])
    combined = {
        "intervention": (means[(1, "intervention")] + means[(2, "intervention")]) / 2,
        "control": (means[(1, "control")] + means[(2, "control")]) / 2,
        "saving": (saving[1] + saving[2]) / 2,
    }
    for k, target in TARGET_COMBINED.items():
        assert money(combined[k]) == target, (k, combined[k], target)

    print(f"wrote {STAFF_CSV.name} ({len(staff)} rows), "
          f"{SURVEY_CSV.name} ({len(survey)} rows)")
    for p in (1, 2):
        n = len(days[p])
        mean = sum(days[p]) / n
        sd = (sum((x - mean) ** 2 for x in days[p]) / (n - 1)).sqrt()
        zeros = sum(1 for x in days[p] if x == 0)
        print(f"phase {p}: n={n} (intervention {counts[(p, 'intervention')]}, "
              f"control {counts[(p, 'control')]}), sick days mean "
              f"{mean:.2f} SD {sd:.2f}, zero {zeros}, max {max(days[p])}")
        print(f"  exact means: intervention {means[(p, 'intervention')]}, "
              f"control {means[(p, 'control')]}, saving {saving[p]}")
    print("  combined (exact): " + ", ".join(
        f"{k} {v} -> {money(v)}" for k, v in combined.items()))
    print("all Table 21 figures reproduced to the penny")
    verify_ghq(survey)


def verify_ghq(survey):
    """Every GHQ-12 pair fits; the intervention group has the lower mean and fewer cases."""
    for r in survey:
        for suffix in ("", "_baseline"):
            likert, cases = r["ghq12" + suffix], r["ghq12_caseness" + suffix]
            assert (likert == "") == (cases == ""), r
            if likert:
                assert 0 <= int(likert) <= 36 and 0 <= int(cases) <= 12, r
                assert 2 * int(cases) <= int(likert) <= 12 + 2 * int(cases), r
    for phase in ("1", "2", None):
        rows = [r for r in survey if phase is None or r["phase"] == phase]
        stats = {}
        for group in ("intervention", "control"):
            scores = [int(r["ghq12"]) for r in rows if r["group"] == group and r["ghq12"]]
            cases = [int(r["ghq12_caseness"]) >= 4 for r in rows if r["group"] == group and r["ghq12"]]
            stats[group] = (len(scores), sum(scores) / len(scores), sum(cases) / len(cases))
        (ni, mi, ci), (nc, mc, cc) = stats["intervention"], stats["control"]
        assert mi < mc and ci < cc, (phase, stats)
        print(f"GHQ-12 {'phase ' + phase if phase else 'both phases'}: intervention n={ni} mean {mi:.2f} "
              f"cases {ci:.1%}, control n={nc} mean {mc:.2f} cases {cc:.1%}: difference {mi - mc:+.2f} points, "
              f"{ci - cc:+.1%} cases")
    both = [r for r in survey if r["ghq12"]]
    difference = (sum(int(r["ghq12"]) for r in both if r["group"] == "intervention")
                  / sum(1 for r in both if r["group"] == "intervention")
                  - sum(int(r["ghq12"]) for r in both if r["group"] == "control")
                  / sum(1 for r in both if r["group"] == "control"))
    assert abs(difference - (-0.72)) < 0.25, difference  # Table 6: group allocation -0.72


def counts_la(survey, la, group):
    return sum(1 for r in survey if r["la"] == la and r["group"] == group)


if __name__ == "__main__":
    generate()
    verify()
