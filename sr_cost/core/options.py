"""An option's figures: a typical LA of one subset of a costed forms set (the rounds of one mode,
of one phase, or all), over the planning horizon, re-priced, with its saving where the forms have a
survey. ``build_option`` is what ``compare`` and every sensitivity scenario call.

Every per-round figure describes a typical LA of the option (a mean over its LAs, each LA weighted
equally, as the report's means are): attendees per round = mean over LAs, cost per attendee = mean
cost per round / mean attendees per round, annual cost = rounds per year x mean cost per round. When
the period the forms cover is known, rounds a year is the mean of the LAs' own (or the value given),
and the steering lines tied to no round are a cost of the year (their mean a year), not of each
round. The pooled cost per attendee (all the option's round costs / all its attendance) is given
beside it. The figures are in the estimate's prices (re-priced, if it was, by ``costing``).
Horizon: year 1 carries the set-up cost and a year's running cost, later years the running cost;
year t (t = 0 for year 1) is discounted by (1 + r)^-t. The saving: the annual saving per staff
member of the survey phase(s) that match the option, times the mean intervention staff per LA.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePath

from sr_cost.core.comparison import (
    Horizon,
    Option,
    OptionSpec,
    SavingBasis,
    Settings,
    Subset,
    YearCost,
    annual_running_cost,
    discount_factor,
)
from sr_cost.core.decision import Scale, decide
from sr_cost.core.estimate import Components, Estimate, LaEstimate
from sr_cost.core.savings import Savings, decision_spread
from sr_cost.errors import DataError, Problem
from sr_cost.money import ZERO


def horizon(
    setup: Decimal, annual: Decimal, years: int, rate: Decimal, attendances_per_year: Decimal = ZERO
) -> Horizon:
    """Year 1: set-up + running cost; later years: running cost; each discounted to year 1."""
    return Horizon(
        tuple(
            YearCost(
                year=t + 1, setup=setup if t == 0 else ZERO, running=annual, discount_factor=discount_factor(rate, t)
            )
            for t in range(years)
        ),
        attendances_per_year,
    )


@dataclass(frozen=True)
class _Costs:
    """An option's costs in the table's price year, before re-pricing."""

    las: int
    rounds: int
    setup: Decimal
    setup_las: int
    setup_indirect: Decimal  # the set-up's staff time and mileage (mean over the same LAs)
    per_round: Components
    attendees_per_round: Decimal
    pooled_cost_per_attendee: Decimal | None  # all the option's round costs / all its attendance
    rounds_per_year: Decimal  # [rounds/year] mean over the option's LAs
    fixed_per_round: Decimal  # [£/round] the share of steering tied to no round in per_round, when a cost of the year
    annual_fixed: Decimal  # [£/year] a year of that steering


def _pooled(costs: list[Decimal], attendances: list[Decimal]) -> Decimal | None:
    people = sum(attendances, ZERO)
    return sum(costs, ZERO) / people if people else None


def _mean(values: list[Decimal]) -> Decimal:
    return sum(values, ZERO) / Decimal(len(values))


def _mean_components(values: list[Components]) -> Components:
    return sum(values, Components()).divided(len(values))


def rounds_problem(path: str, **where) -> Problem:
    """A problem with the rounds form: its sheet in a workbook, its file in a folder."""
    if path.lower().endswith((".xlsx", ".xlsm")):
        return Problem(file=path, sheet="rounds", **where)
    return Problem(file=str(PurePath(path) / "rounds.csv"), **where)


def _yearly(est: Estimate, las: list[LaEstimate]) -> dict[str, Decimal]:
    """Rounds a year of a typical LA of ``las``, and (with a known period) its steering tied to no
    round, per round and a year."""
    fixed = est.assumptions.period_months is not None
    return {
        "rounds_per_year": _mean([la.rounds_per_year for la in las]),
        "fixed_per_round": _mean([la.untied_steering / Decimal(la.rounds) for la in las]) if fixed else ZERO,
        "annual_fixed": _mean([la.annual_steering for la in las]) if fixed else ZERO,
    }


def _costs(est: Estimate, subset: Subset, path: str) -> _Costs:
    if subset.mode is not None:
        with_mode = [la for la in est.las if subset.mode in la.modes]
        mine = [la.modes[subset.mode] for la in with_mode]
        if not mine:
            raise DataError(
                rounds_problem(
                    path,
                    column="mode",
                    value=subset.mode.value,
                    message=f"the forms have no {subset.mode.value} rounds, so there is nothing to compare by mode",
                    fix="Compare two forms sets (sr-cost compare A B), or use --by phase",
                )
            )
        setup = est.overall.setup
        indirect = [la.setup.indirect for la in est.las if la.setup is not None]
        return _Costs(
            las=len(mine),
            rounds=sum(f.rounds for f in mine),
            setup=setup.mean if setup else ZERO,
            setup_las=setup.n if setup else 0,
            setup_indirect=_mean(indirect) if indirect else ZERO,
            per_round=_mean_components([f.per_round for f in mine]),
            attendees_per_round=_mean([f.attendances / Decimal(f.rounds) for f in mine]),
            pooled_cost_per_attendee=_pooled([f.total_cost for f in mine], [f.attendances for f in mine]),
            **_yearly(est, with_mode),
        )
    las = [la for la in est.las if subset.phase is None or la.phase == subset.phase]
    if not las:
        raise DataError(
            rounds_problem(
                path,
                column="phase",
                value=subset.phase or "",
                message=f"the forms have no rounds in phase {subset.phase}",
                fix="Choose phases the rounds form has (--phases)",
            )
        )
    setups = [la.setup.total for la in las if la.setup is not None]
    return _Costs(
        las=len(las),
        rounds=sum(la.rounds for la in las),
        setup=_mean(setups) if setups else ZERO,
        setup_las=len(setups),
        setup_indirect=_mean([la.setup.indirect for la in las if la.setup is not None]) if setups else ZERO,
        per_round=_mean_components([la.per_round for la in las]),
        attendees_per_round=_mean([la.attendees_per_round for la in las]),
        pooled_cost_per_attendee=_pooled([la.total_cost for la in las], [la.attendances for la in las]),
        **_yearly(est, las),
    )


def saving_phases(est: Estimate, subset: Subset, survey_phases: list[str]) -> list[str]:
    """The survey phases whose saving an option is credited with.

    By phase: that phase. By mode: the phases in which most rounds were of that mode (the survey
    does not record how rounds were delivered; in the trial, phase 1 was in person and phase 2
    mostly virtual), or every phase when no phase has a majority of that mode. A whole set: every
    phase."""
    if subset.phase is not None:
        return [subset.phase] if subset.phase in survey_phases else []
    if subset.mode is not None:
        # counted from the round table's columns: every sensitivity scenario asks this again, and a
        # national estimate has ten thousand rounds
        t = est.round_table
        rounds = Counter(t.phase)
        of_mode = Counter(phase for phase, mode in zip(t.phase, t.mode) if mode is subset.mode)
        chosen = [phase for phase in survey_phases if rounds[phase] and 2 * of_mode[phase] > rounds[phase]]
        return chosen or list(survey_phases)
    return list(survey_phases)


def _saving_basis(sav: Savings | None, est: Estimate, subset: Subset) -> SavingBasis | None:
    if sav is None:
        return None
    phases = saving_phases(est, subset, [p.phase for p in sav.phases])
    mine = [p for p in sav.phases if p.phase in phases]
    counted = sum(len(p.las_with_staff) for p in mine)
    if not mine or not counted:
        return None
    per_year = Decimal(12) / Decimal(sav.assumptions.recall_months)
    interval = None
    if len(mine) == 1 and mine[0].saving_ci is not None:
        interval = (mine[0].saving_ci.low * per_year, mine[0].saving_ci.high * per_year)
    source = (
        f"survey phase {mine[0].phase}"
        if len(mine) == 1
        else f"survey phases {', '.join(p.phase for p in mine)} (mean of the phases)"
    )
    return SavingBasis(
        source=source,
        phases=tuple(p.phase for p in mine),
        annual_per_staff=_mean([p.annual_saving_per_staff for p in mine]),
        interval=interval,
        staff_per_la=Decimal(sum(p.intervention_staff for p in mine)) / Decimal(counted),
        mean_hourly=_mean([p.intervention.mean_hourly for p in mine]),
        hours_per_day=sav.assumptions.hours_per_day,
        resampled=mine[0].resampled if len(mine) == 1 else None,
        recall_months=sav.assumptions.recall_months,
    )


def build_option(spec: OptionSpec, est: Estimate, sav: Savings | None, settings: Settings) -> Option:
    """The option's figures from its estimate (and savings), in the estimate's prices."""
    c = _costs(est, spec.subset, spec.forms.forms.path)
    rpy = c.rounds_per_year
    saving = _saving_basis(sav, est, spec.subset)
    annual = annual_running_cost(rpy, c.per_round.total, c.fixed_per_round, c.annual_fixed)
    return Option(
        label=spec.label,
        subset=spec.subset.describe(),
        path=spec.forms.forms.path,
        las=c.las,
        rounds=c.rounds,
        setup=c.setup,
        setup_las=c.setup_las,
        per_round=c.per_round,
        attendees_per_round=c.attendees_per_round,
        rounds_per_year=rpy,
        pooled_cost_per_attendee=c.pooled_cost_per_attendee,
        horizon=horizon(c.setup, annual, settings.years, settings.discount_rate, c.attendees_per_round * rpy),
        saving=saving,
        fixed_per_round=c.fixed_per_round,
        annual_fixed=c.annual_fixed,
        **_decision(c, annual, saving, settings),
    )


def _decision(c: _Costs, running: Decimal, saving: SavingBasis | None, settings: Settings) -> dict:
    """A typical LA's decision figures (and, with one phase's bootstrap, their uncertainty), in the
    estimate's prices (already re-priced, if asked)."""
    if saving is None:
        return {}
    scale = Scale(
        las=1,
        staff=saving.staff_per_la,
        rounds_per_year=c.rounds_per_year,
        setup_indirect=c.setup_indirect,
        sick_day_cost=saving.mean_hourly * saving.hours_per_day if saving.mean_hourly else None,
        fixed_year=c.annual_fixed - c.rounds_per_year * c.fixed_per_round,
    )
    d = decide(c.setup, running, saving.annual_saving, scale, years=settings.years, rate=settings.discount_rate)
    spread = None
    if saving.resampled is not None and saving.staff_per_la:
        # a resample's saving per staff member over the recall period, as this option's saving a year
        per_year = Decimal(12) / Decimal(saving.recall_months)
        spread = decision_spread(d, saving.resampled.interval(), saving.resampled, per_year * saving.staff_per_la)
    return {"decision": d, "decision_spread": spread}
