"""An option's figures: a typical LA of one subset of a costed forms set (the rounds of one mode,
of one phase, or all), over the planning horizon, re-priced, with its saving where the forms have a
survey. ``build_option`` is what ``compare`` and every sensitivity scenario call.

Every per-round figure describes a typical LA of the option (a mean over its LAs, each LA weighted
equally, as the report's means are): attendees per round = mean over LAs, cost per attendee = mean
cost per round / mean attendees per round, annual cost = rounds per year x mean cost per round. The
pooled cost per attendee (all the option's round costs / all its attendance) is given beside it.
Horizon: year 1 carries the set-up cost and a year's running cost, later years the running cost;
year t (t = 0 for year 1) is discounted by (1 + r)^-t. The saving: the annual saving per staff
member of the survey phase(s) that match the option, times the mean intervention staff per LA.
"""

from __future__ import annotations

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
    discount_factor,
)
from sr_cost.core.decision import Scale, decide
from sr_cost.core.estimate import Components, Estimate
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


def _costs(est: Estimate, subset: Subset, path: str) -> _Costs:
    if subset.mode is not None:
        mine = [la.modes[subset.mode] for la in est.las if subset.mode in la.modes]
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
        chosen = []
        for phase in survey_phases:
            rounds = [r for r in est.rounds if r.phase == phase]
            if rounds and 2 * sum(1 for r in rounds if r.mode is subset.mode) > len(rounds):
                chosen.append(phase)
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
    c = _costs(est, spec.subset, spec.forms.forms.path)
    f = settings.uplift.factor
    rpy = est.assumptions.rounds_per_year
    per_round = c.per_round.scaled(f)
    setup = c.setup * f
    saving = _saving_basis(sav, est, spec.subset)
    return Option(
        label=spec.label,
        subset=spec.subset.describe(),
        path=spec.forms.forms.path,
        las=c.las,
        rounds=c.rounds,
        setup=setup,
        setup_las=c.setup_las,
        per_round=per_round,
        attendees_per_round=c.attendees_per_round,
        rounds_per_year=rpy,
        pooled_cost_per_attendee=None if c.pooled_cost_per_attendee is None else c.pooled_cost_per_attendee * f,
        horizon=horizon(
            setup, rpy * per_round.total, settings.years, settings.discount_rate, c.attendees_per_round * rpy
        ),
        saving=None if saving is None else saving.scaled(f),
        **_decision(setup, c.setup_indirect * f, rpy * per_round.total, saving, f, rpy, settings),
    )


def _decision(
    setup: Decimal,
    indirect: Decimal,
    running: Decimal,
    saving: SavingBasis | None,
    f: Decimal,
    rpy: int,
    settings: Settings,
) -> dict:
    """A typical LA's decision figures (and, with one phase's bootstrap, their uncertainty)."""
    if saving is None:
        return {}
    scaled = saving.scaled(f)
    scale = Scale(
        las=1,
        staff=scaled.staff_per_la,
        rounds_per_year=rpy,
        setup_indirect=indirect,
        sick_day_cost=scaled.mean_hourly * scaled.hours_per_day if scaled.mean_hourly else None,
    )
    d = decide(setup, running, scaled.annual_saving, scale, years=settings.years, rate=settings.discount_rate)
    spread = None
    if saving.resampled is not None and saving.staff_per_la:
        # a resample's saving per staff member over the recall period, as this option's saving a year
        per_year = Decimal(12) / Decimal(saving.recall_months)
        spread = decision_spread(d, saving.resampled.interval(), saving.resampled, per_year * saving.staff_per_la * f)
    return {"decision": d, "decision_spread": spread}
