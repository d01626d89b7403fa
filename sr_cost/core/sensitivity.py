"""Sensitivity of a comparison: one assumption at a time over its range (a tornado), and the
break-even attendance. Pure functions, Decimal money, no I/O.

Every figure comes from the same engine as the base case: a scenario transforms the forms' columns
(the staff of the attendance lines, the rates priced from the unit-cost table, the catering lines)
and they are costed again with ``costing.estimate``; with a survey the savings are worked out again
with ``savings.savings`` (point estimates, no bootstrap). The metric is the net annual cost of each
option when both have a saving, else the annual cost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal

import numpy as np

from sr_cost.core.comparison import (
    BreakEven,
    FormsSet,
    Option,
    OptionSpec,
    Sensitivity,
    SensitivityRow,
    Settings,
    Swing,
)
from sr_cost.core.costing import estimate
from sr_cost.core.estimate import Estimate
from sr_cost.core.lines import CostForms, FormKind, FormLines
from sr_cost.core.options import build_option
from sr_cost.core.progress import Progress, Step
from sr_cost.core.respondents import Survey
from sr_cost.core.savings import Savings, savings
from sr_cost.money import ZERO, round_half_up

ATTENDANCE_RANGE = (Decimal("0.75"), Decimal("1.25"))  # [x attendance] ±25%
UNIT_COST_RANGE = (Decimal("0.9"), Decimal("1.1"))  # [x unit costs] ±10%
ROUNDS_PER_YEAR_RANGE = (Decimal("0.75"), Decimal("1.25"))  # [x rounds a year in use], to whole rounds
HOURS_PER_DAY_RANGE = (Decimal(7), Decimal("7.5"))  # [hours/day] of a sick day
# A line is catering when its item contains one of these words (case-insensitive, whole words).
CATERING = re.compile(
    r"\b(catering|food|lunch(es)?|refreshments?|breakfasts?|buffets?|sandwich(es)?|"
    r"coffee|biscuits?|snacks?)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Scenario:
    """A change to one assumption. The default changes nothing."""

    attendance: Decimal = Decimal(1)  # x the staff of every attendance line
    unit_costs: Decimal = Decimal(1)  # x the rate of every role-priced line (and the cost of a sick hour)
    rounds_per_year: int | None = None  # [rounds/year] for every LA; None: as the estimate
    drop_catering: bool = False  # catering lines cost nothing
    hours_per_day: Decimal | None = None  # [hours/day] of a sick day; None: as the savings


def whole_rounds(rounds_per_year: Decimal) -> int:
    """Rounds a year rounded half-up to whole rounds, at least one."""
    return max(1, int(round_half_up(rounds_per_year, 0)))


def is_catering(item: str) -> bool:
    """Whether a line's item names catering (whole words, any case)."""
    return bool(CATERING.search(item))


def _changed(
    column: tuple[np.ndarray, tuple[Decimal, ...]], mask: np.ndarray, new: tuple[Decimal, ...]
) -> tuple[np.ndarray, tuple[Decimal, ...]]:
    """A number column whose rows in ``mask`` take ``new[code]`` instead of ``values[code]``."""
    codes, values = column
    moved = np.where(mask, codes.astype(np.int64) + len(values), codes)
    return moved, values + new


def transform_lines(t: FormLines, s: Scenario) -> FormLines:
    """One form's lines as the scenario sees them: the staff of attendance lines times the attendance
    factor, the rate of lines priced from the unit-cost table times the unit-cost factor, and no
    hours, miles or cost on catering lines. Every value stays an exact Decimal."""
    changed = {}
    if s.attendance != 1 and t.form is FormKind.rounds:
        attending = t.is_attendance()
        if attending.any():
            staff = t.numbers["staff"]
            changed["staff"] = _changed(staff, attending, tuple(v * s.attendance for v in staff[1]))
    if s.unit_costs != 1:
        priced = (t.role >= 0) & ~t.own_rate
        if priced.any():
            rate = t.numbers["rate"]
            changed["rate"] = _changed(rate, priced, tuple(v * s.unit_costs for v in rate[1]))
    if s.drop_catering:
        catering = t.items_matching(is_catering)
        if catering.any():
            for name in ("hours", "miles", "cost"):
                column = t.numbers[name]
                changed[name] = _changed(column, catering, (ZERO,) * len(column[1]))
    return t.with_numbers(**changed) if changed else t


def transform_forms(forms: CostForms, s: Scenario) -> CostForms:
    return replace(forms, lines={kind: transform_lines(t, s) for kind, t in forms.lines.items()})


def transform_survey(survey: Survey, s: Scenario) -> Survey:
    if s.unit_costs == 1:
        return survey
    return replace(survey, table=survey.table.scaled(s.unit_costs))


def changes_costing(s: Scenario) -> bool:
    """Whether the scenario changes the forms' lines (else the base case's costing stands)."""
    return s.attendance != 1 or s.unit_costs != 1 or s.drop_catering


def run_scenario(fs: FormsSet, s: Scenario) -> tuple[Estimate, Savings | None]:
    """Cost the forms set again under the scenario: the estimate and (with a survey) the savings,
    point estimates only (no bootstrap). What the scenario does not change is the base case's: its
    estimate when the lines and the rounds a year are the same (the sick-day hours), its savings
    when neither the unit costs nor the sick-day hours change."""
    if s == Scenario():
        return fs.estimate, fs.savings
    base = fs.estimate.assumptions
    rounds_per_year = s.rounds_per_year or base.rounds_per_year
    if changes_costing(s) or rounds_per_year != base.rounds_per_year:
        est = estimate(transform_forms(fs.forms, s), replace(base, rounds_per_year=rounds_per_year))
    else:
        est = fs.estimate
    sav = fs.savings
    if fs.survey is not None and fs.savings is not None and (s.unit_costs != 1 or s.hours_per_day is not None):
        a = replace(
            fs.savings.assumptions,
            bootstrap=0,
            hours_per_day=s.hours_per_day if s.hours_per_day is not None else fs.savings.assumptions.hours_per_day,
        )
        sav = savings(transform_survey(fs.survey, s), est, a)
    return est, sav


def _metric(o: Option, net: bool) -> Decimal:
    return o.net_annual_cost if net else o.annual_cost


End = Scenario | tuple[Scenario, ...]  # one scenario for every option, or one for each option


def _plan(net: bool, base: tuple[Option, ...]) -> list[tuple[str, str, str, str, End, End]]:
    """The tornado's rows: key, name, the labels of its two ends and their scenarios."""
    rpy_lo, rpy_hi = (tuple(whole_rounds(o.rounds_per_year * x) for o in base) for x in ROUNDS_PER_YEAR_RANGE)
    ranges = list(dict.fromkeys(f"{lo}-{hi}" for lo, hi in zip(rpy_lo, rpy_hi)))
    rpy_label = ranges[0] if len(ranges) == 1 else "±25%"  # options with their own rounds a year
    hpd_lo, hpd_hi = HOURS_PER_DAY_RANGE
    attendance_lo, attendance_hi = ATTENDANCE_RANGE
    unit_costs_lo, unit_costs_hi = UNIT_COST_RANGE
    plan = [
        (
            "attendance",
            "Attendance ±25%",
            "-25%",
            "+25%",
            Scenario(attendance=attendance_lo),
            Scenario(attendance=attendance_hi),
        ),
        (
            "unit_costs",
            "Unit costs ±10%",
            "-10%",
            "+10%",
            Scenario(unit_costs=unit_costs_lo),
            Scenario(unit_costs=unit_costs_hi),
        ),
        (
            "rounds_per_year",
            f"Rounds a year {rpy_label}",
            "/".join(dict.fromkeys(map(str, rpy_lo))),
            "/".join(dict.fromkeys(map(str, rpy_hi))),
            tuple(Scenario(rounds_per_year=n) for n in rpy_lo),
            tuple(Scenario(rounds_per_year=n) for n in rpy_hi),
        ),
        ("catering", "Catering dropped", "dropped", "kept", Scenario(drop_catering=True), Scenario()),
    ]
    if net:
        plan.append(
            (
                "hours_per_day",
                f"Sick-day hours {hpd_lo}-{hpd_hi}",
                str(hpd_lo),
                str(hpd_hi),
                Scenario(hours_per_day=hpd_lo),
                Scenario(hours_per_day=hpd_hi),
            )
        )
    return plan


NOBODY = Scenario(attendance=ZERO)  # the break-even attendance's second run of the engine


def sensitivity(
    specs: tuple[OptionSpec, OptionSpec],
    base: tuple[Option, ...],
    settings: Settings,
    progress: Progress | None = None,
) -> Sensitivity:
    """The tornado rows (widest swing first) and the break-even attendance of both options.
    ``progress`` is told how the scenarios go, in lines costed (``Step.sensitivity``)."""
    net = all(o.saving is not None for o in base)
    plan = _plan(net, base)

    def at(end: End, i: int) -> Scenario:
        return end[i] if isinstance(end, tuple) else end

    sets = list({id(spec.forms): spec.forms for spec in specs}.values())  # each forms set once
    wanted: dict[int, list[Scenario]] = {id(fs): [] for fs in sets}  # each set's scenarios, in order
    for i, spec in enumerate(specs):
        for *_, low, high in plan:
            wanted[id(spec.forms)] += [at(low, i), at(high, i)]
        wanted[id(spec.forms)].append(NOBODY)
    wanted = {key: list(dict.fromkeys(scenarios)) for key, scenarios in wanted.items()}
    lines = {id(fs): sum(len(t) for t in fs.forms.lines.values()) for fs in sets}
    total, done = sum(lines[id(fs)] * len(wanted[id(fs)]) for fs in sets), 0
    # each scenario's options, not its estimates: a national estimate holds every round's cost, and
    # ten of them held at once would double the memory of the run
    options: dict[tuple[int, Scenario], Option] = {}
    for fs in sets:
        for s in wanted[id(fs)]:
            est, sav = run_scenario(fs, s)
            for j, spec in enumerate(specs):  # the options of one forms set share its run
                if spec.forms is fs:
                    options[(j, s)] = build_option(spec, est, sav, settings)
            done += lines[id(fs)]
            if progress is not None:
                progress(Step.sensitivity, done, total)

    def row(key: str, name: str, low_label: str, high_label: str, low: End, high: End) -> SensitivityRow:
        swings = []
        for i in range(len(base)):
            lo, hi = options[(i, at(low, i))], options[(i, at(high, i))]
            swings.append(Swing(_metric(lo, net), _metric(hi, net), lo.cost_per_attendee, hi.cost_per_attendee))
        return SensitivityRow(key, name, low_label, high_label, tuple(swings))

    rows = [row(*planned) for planned in plan]
    notes = []
    if net:
        swings = []
        for o in base:
            if o.saving.interval is None:
                swings.append(Swing(None, None))
            else:
                low, high = o.saving.interval
                swings.append(
                    Swing(o.net_with_saving(low), o.net_with_saving(high), o.cost_per_attendee, o.cost_per_attendee)
                )
        rows.append(SensitivityRow("saving_interval", "Saving 95% interval", "low end", "high end", tuple(swings)))
        if any(o.saving.interval is None for o in base):
            notes.append(
                "The saving's interval needs a bootstrap (--bootstrap above 0) and a saving from one "
                "survey phase; where either is missing, that row is left blank."
            )
    else:
        notes.append(
            "Without a survey (with a staff sheet) for both options, the tornado shows the annual cost; "
            "the sick-day hours and saving rows need one."
        )
    rows.sort(key=lambda r: r.width, reverse=True)
    a, b = base
    break_even = (
        break_even_attendance(a, options[(0, NOBODY)], b),
        break_even_attendance(b, options[(1, NOBODY)], a),
    )
    return Sensitivity(
        metric="net annual cost" if net else "annual cost",
        base=(_metric(a, net), _metric(b, net)),
        rows=tuple(rows),
        break_even=break_even,
        notes=tuple(notes),
    )


def break_even_attendance(o: Option, empty: Option, other: Option) -> BreakEven:
    """Attendees per round at which ``o`` costs per attendee what ``other`` does now.

    The costing is linear in attendance: at attendance scale s the mean cost per round is
    M0 + s x V, with M0 the cost with nobody attending (``empty``, a run of the engine with the
    attendance lines' staff at 0) and V = M1 - M0 the attendees' own time at today's attendance.
    Cost per attendee (M0 + s V) / (s a) equals the target T when s = M0 / (a T - V); no
    attendance reaches T when a T <= V (each extra attendee costs T or more), nor when M0 = 0 (the
    cost per attendee is then the same at any attendance)."""
    target = other.cost_per_attendee
    a = o.attendees_per_round
    needed = None
    if target is not None and a:
        m0 = empty.mean_total_per_round
        v = o.mean_total_per_round - m0
        denominator = a * target - v
        if denominator > 0 and m0 > 0:
            needed = m0 / denominator * a
    return BreakEven(
        label=o.label,
        against=other.label,
        attendees_per_round=a,
        cost_per_attendee=o.cost_per_attendee,
        target=target,
        attendees_needed=needed,
    )
