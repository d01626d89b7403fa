#!/usr/bin/env python3
"""Write national-scale synthetic economic forms for the benchmark.

    python benchmarks/generate.py /tmp/sr-bench            # national/ and national_x10/
    python benchmarks/generate.py /tmp/sr-bench --scale 1  # national/ only

``national``: 152 LAs (every English upper-tier authority), two phases each, three years of
monthly rounds (36 a phase), about 30 lines a round across the rounds, panel and steering forms,
a few training lines per LA and phase, a 50,000-respondent survey and one staff row per LA and
phase. ``national_x10``: the same with ten times the LAs (1,520) and respondents (500,000).

The output is the same on every run (``random.Random`` with a fixed seed; no clock, no hash
order). Roles come from the bundled unit-cost table. Never commit the generated files: they are
tens of megabytes; regenerate them.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADER = ["la", "phase", "round", "mode", "item", "role", "rate", "staff", "hours", "miles", "cost"]
LAS = 152
PHASES = 2
ROUNDS_PER_PHASE = 36  # three years of monthly rounds
RESPONDENTS = 50_000


def _roles() -> list[tuple[str, str]]:
    with open(ROOT / "unit_costs" / "pssru_2019.csv", newline="", encoding="utf-8") as handle:
        return [(r["role"], r["salary"]) for r in csv.DictReader(handle)]


def _round_dates(phase: int) -> list[str]:
    """36 monthly dates; phase 2 starts three years after phase 1."""
    start_year = 2016 + 3 * (phase - 1)
    return [dt.date(start_year + m // 12, m % 12 + 1, 10 + (m * 7) % 15).isoformat() for m in range(ROUNDS_PER_PHASE)]


def _money(rng: random.Random, low: int, high: int) -> str:
    pence = rng.randrange(low * 100, high * 100)
    return f"{pence // 100}.{pence % 100:02d}"


def write_forms(folder: Path, scale: int, seed: int = 2021) -> dict[str, int]:
    """Write the six forms into ``folder``; returns the number of data lines per form."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    roles = _roles()
    names = [r for r, _ in roles]
    attendees = [r for r in names if r.lower() not in ("lead",)]
    hours_choices = ["1", "1", "1", "0.5", "0.75", "1.5", "2"]
    counts = {}
    files = {
        name: open(folder / f"{name}.csv", "w", newline="", encoding="utf-8")
        for name in ("training", "rounds", "panel", "steering")
    }
    try:
        writers = {name: csv.writer(handle, lineterminator="\n") for name, handle in files.items()}
        for w in writers.values():
            w.writerow(HEADER)
        counts = dict.fromkeys(files, 0)
        for n in range(1, LAS * scale + 1):
            la = f"LA{n}"
            for phase in range(1, PHASES + 1):
                p = str(phase)
                # training: fee, facilitator training, mentoring, travel
                rows = [[la, p, "", "", "PoCF training fee", "", "", "", "", "", "5000.00"]]
                for role in rng.sample(names, 3):
                    rows.append(
                        [la, p, "", "", "facilitator training", role, "", "1", rng.choice(["15", "7.5", "14"]), "", ""]
                    )
                rows.append([la, p, "", "", "mentoring call", rng.choice(names), "", "1", "0.75", "", ""])
                rows.append([la, p, "", "", "travel to training", "", "", "", "", str(rng.randrange(20, 400)), ""])
                writers["training"].writerows(rows)
                counts["training"] += len(rows)
                dates = _round_dates(phase)
                virtual_from = 6 if phase == 2 else ROUNDS_PER_PHASE + 1
                for i, date in enumerate(dates):
                    mode = "virtual" if i >= virtual_from or (phase == 2 and i % 5 == 1) else "in-person"
                    rows = []
                    for role in rng.sample(attendees, 18):
                        rows.append([la, p, date, mode, "attendance", role, "", str(rng.randint(1, 6)), "1", "", ""])
                    rows.append(
                        [
                            la,
                            p,
                            date,
                            mode,
                            "facilitator",
                            rng.choice(names),
                            "",
                            "1",
                            rng.choice(hours_choices),
                            "",
                            "",
                        ]
                    )
                    rows.append([la, p, date, mode, "facilitator", "", _money(rng, 25, 60), "1", "1.5", "", ""])
                    rows.append([la, p, date, mode, "clinical lead", rng.choice(names), "", "1", "1", "", ""])
                    if mode == "in-person":
                        rows.append([la, p, date, mode, "catering", "", "", "", "", "", _money(rng, 40, 200)])
                        rows.append([la, p, date, mode, "room hire", "", "", "", "", "", _money(rng, 0, 150)])
                        rows.append([la, p, date, mode, "travel", "", "", "", "", str(rng.randrange(5, 90)), ""])
                    writers["rounds"].writerows(rows)
                    counts["rounds"] += len(rows)
                    rows = [
                        [la, p, date, "", "panel preparation", role, "", "1", rng.choice(hours_choices), "", ""]
                        for role in rng.sample(names, 4)
                    ]
                    writers["panel"].writerows(rows)
                    counts["panel"] += len(rows)
                    rows = [
                        [la, p, date, "", "steering group meeting", role, "", "1", "1", "", ""]
                        for role in rng.sample(names, 3)
                    ]
                    writers["steering"].writerows(rows)
                    counts["steering"] += len(rows)
                # lines tied to no round: spread over the LA and phase's rounds
                writers["panel"].writerow(
                    [la, p, "", "", "panel coordination", rng.choice(names), "", "1", "12", "", ""]
                )
                writers["steering"].writerow(
                    [la, p, "", "", "steering group admin", rng.choice(names), "", "1", "6", "", "35.00"]
                )
                counts["panel"] += 1
                counts["steering"] += 1
    finally:
        for handle in files.values():
            handle.close()
    counts["survey"] = _write_survey(folder, rng, roles, scale)
    counts["staff"] = _write_staff(folder, rng, scale)
    return counts


def _write_survey(folder: Path, rng: random.Random, roles: list[tuple[str, str]], scale: int) -> int:
    n_las = LAS * scale
    total = RESPONDENTS * scale
    with open(folder / "survey.csv", "w", newline="", encoding="utf-8") as handle:
        w = csv.writer(handle, lineterminator="\n")
        w.writerow(["la", "phase", "respondent", "group", "role", "salary", "sick_days", "rounds_attended"])
        for k in range(total):
            la = f"LA{k % n_las + 1}"
            phase = str(k // n_las % PHASES + 1)
            group = "intervention" if k % 2 == 0 else "control"
            role, salary = rng.choice(roles)
            own_salary = ""
            if phase == "2" and salary:  # phase 2 asked for salaries, as the trial's survey did
                own_salary = str(int(float(salary) * rng.uniform(0.85, 1.15)))
            sick = rng.choice(["0", "0", "0", "0", "1", "2", "3", "0.5", "5", "12.5", "20"])
            attended = str(rng.randint(0, 6)) if group == "intervention" else rng.choice(["0", "0", "0", "1"])
            w.writerow([la, phase, f"R{k + 1:07d}", group, role, own_salary, sick, attended])
    return total


def _write_staff(folder: Path, rng: random.Random, scale: int) -> int:
    with open(folder / "staff.csv", "w", newline="", encoding="utf-8") as handle:
        w = csv.writer(handle, lineterminator="\n")
        w.writerow(["la", "phase", "intervention_staff", "control_staff"])
        n = 0
        for k in range(1, LAS * scale + 1):
            for phase in range(1, PHASES + 1):
                size = rng.randint(40, 400)
                w.writerow([f"LA{k}", str(phase), str(size), str(size + rng.randint(-3, 3))])
                n += 1
    return n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write national/ (and national_x10/) into")
    parser.add_argument(
        "--scale",
        type=int,
        choices=(1, 10),
        action="append",
        help="1 for national, 10 for national_x10 (default: both)",
    )
    args = parser.parse_args()
    for scale in args.scale or (1, 10):
        name = "national" if scale == 1 else f"national_x{scale}"
        counts = write_forms(args.out / name, scale)
        print(f"{args.out / name}: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))


if __name__ == "__main__":
    main()
