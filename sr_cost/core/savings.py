"""Sickness-absence savings, what they are worth on each valuation basis, the net cost over the
planning horizon and the decision figures, with a bootstrap for their uncertainty.

The method is the report's ("Economic evaluation", Table 21):

- sickness cost of a respondent = hourly cost x sick days x hours per day, the hourly cost on the
  chosen valuation basis (``AbsenceBasis``; the report does not state its basis);
- per phase (all LAs of the phase pooled): mean sickness cost in each group, and
  saving per staff member = control mean - intervention mean, over the recall period;
- combined, the report's way: the unweighted mean of the phase figures; and pooled: all respondents;
- annual saving per staff member = saving x 12 / recall months.

Beyond the report, for the LAs with a staff row and cost forms (the LAs *counted*): the annual
saving total = the annual saving per staff member x their intervention staff. That is an
extrapolation: it holds if the respondents' difference held for every intervention staff member
(respondents like the rest; the recall period scaled to a year; the same every year). Net annual
cost = their running cost - that saving; break-even sick days = running cost / (intervention staff
x mean hourly cost of the phase's intervention respondents x hours per day); and the decision
figures over the horizon (``core.decision``): the set-up cost counts in the first year.

The bootstrap (``core.bootstrap``) resamples respondents within group and phase, exactly.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from sr_cost.core.bootstrap import CONFIDENCE, Bootstrap, Interval, Resampled
from sr_cost.core.columns import Exact, natural_key
from sr_cost.core.decision import Decision, Scale, decide, saving_to_break_even, saving_to_pay_back
from sr_cost.core.estimate import Estimate
from sr_cost.core.progress import Progress
from sr_cost.core.respondents import GROUPS, Respondent, Respondents, StaffCount, Survey
from sr_cost.core.unit_costs import AbsenceBasis
from sr_cost.money import ZERO

DEFAULT_HOURS_PER_DAY = Decimal("7.5")  # [hours/day] a working day, as the report converts days to hours
DEFAULT_RECALL_MONTHS = 6  # [months] the T2 survey asked about the previous six months
DEFAULT_BOOTSTRAP = 10_000  # [replicates]
DEFAULT_SEED = 2021  # fixed, so that runs repeat exactly
DEFAULT_YEARS = 3  # [years] the usual appraisal period for such programmes
DEFAULT_DISCOUNT_RATE = Decimal("0.035")  # [1/year] HM Treasury Green Book discount rate, 3.5%
LOW_RESPONSE = Decimal("0.2")  # below this share of the staff randomised answering, the output warns
__all__ = ["CONFIDENCE", "Interval", "Progress"]  # re-exported for the outputs


@dataclass(frozen=True)
class SavingsAssumptions:
    hours_per_day: Decimal = DEFAULT_HOURS_PER_DAY  # [hours/day]
    recall_months: int = DEFAULT_RECALL_MONTHS  # [months]
    # what an hour of absence costs the employer: salary + on-costs (overheads do not stop when
    # someone is off sick); the report does not state its basis
    absence_basis: AbsenceBasis = AbsenceBasis.employer
    agency_rate: Decimal | None = None  # [£/hour] cover by agency staff (the agency basis)
    bootstrap: int = DEFAULT_BOOTSTRAP  # [replicates]; 0 switches the bootstrap off
    seed: int = DEFAULT_SEED
    years: int = DEFAULT_YEARS  # [years] the horizon of the decision figures
    discount_rate: Decimal = DEFAULT_DISCOUNT_RATE  # [1/year]


@dataclass(frozen=True)
class GroupStats:
    n: int
    mean_sick_days: Decimal
    mean_cost: Decimal  # [£ per staff member over the recall period]
    mean_hourly: Decimal  # [£/hour]


@dataclass(frozen=True)
class BasisSaving:
    """The saving per staff member valued on one basis (None: the table lacks what it needs)."""

    basis: AbsenceBasis
    saving_per_staff: Decimal | None  # [£ over the recall period]
    annual_saving_per_staff: Decimal | None  # [£/year]


@dataclass(frozen=True)
class Response:
    """How many of the staff randomised answered the survey, in each group, over the phase's LAs
    with a staff row."""

    intervention_respondents: int
    intervention_staff: int
    control_respondents: int
    control_staff: int

    @property
    def share(self) -> Decimal | None:
        staff = self.intervention_staff + self.control_staff
        if not staff:
            return None
        return Decimal(self.intervention_respondents + self.control_respondents) / Decimal(staff)

    @property
    def low(self) -> bool:
        return self.share is not None and self.share < LOW_RESPONSE


@dataclass(frozen=True)
class DecisionSpread:
    """The decision figures' uncertainty, from the bootstrap's resampled savings."""

    roi: Interval
    net_present_value: Interval
    p_roi_at_least_1: Decimal
    p_payback_within_horizon: Decimal


@dataclass(frozen=True)
class PhaseSavings:
    phase: str
    intervention: GroupStats
    control: GroupStats
    saving_per_staff: Decimal  # [£ over the recall period], on the chosen basis
    annual_saving_per_staff: Decimal  # [£/year]
    las_with_staff: tuple[str, ...]  # LAs counted in the totals (staff row and cost forms)
    intervention_staff: int
    annual_saving_total: Decimal | None
    annual_running_cost: Decimal | None
    net_annual_cost: Decimal | None
    break_even_sick_days_per_staff: Decimal | None  # [days/year per intervention staff member]
    saving_ci: Interval | None
    p_saving_positive: Decimal | None
    net_ci: Interval | None
    p_pays_for_itself: Decimal | None
    by_basis: tuple[BasisSaving, ...] = ()
    response: Response | None = None
    decision: Decision | None = None
    decision_spread: DecisionSpread | None = None
    resampled: Resampled | None = None  # the saving per staff member in every bootstrap resample


@dataclass(frozen=True)
class CombinedSavings:
    method: str
    mean_cost_intervention: Decimal
    mean_cost_control: Decimal
    saving_per_staff: Decimal


@dataclass(frozen=True)
class Savings:
    assumptions: SavingsAssumptions
    phases: tuple[PhaseSavings, ...]
    combined: CombinedSavings  # the report's: unweighted mean of the phases
    pooled: CombinedSavings  # all respondents together
    table: Respondents

    @property
    def respondents(self) -> tuple[Respondent, ...]:
        return self.table.records()

    def __post_init__(self) -> None:
        for p in self.phases:
            if p.saving_per_staff != p.control.mean_cost - p.intervention.mean_cost:
                raise AssertionError(f"saving of phase {p.phase} is not control - intervention")


def sickness_cost(r: Respondent, hours_per_day: Decimal) -> Decimal:
    """Hourly cost x sick days x hours per day [£]."""
    return r.hourly_cost * r.sick_days * hours_per_day


class _Sums:
    """Exact sums of sick days, hourly costs and sickness costs per group of respondents, with
    the sickness cost of every respondent as an exact integer x 10^exp (for the bootstrap)."""

    def __init__(self, sick: Exact, hourly: Exact, hours_per_day: Decimal) -> None:
        self.sick, self.hourly = sick, hourly
        self.cost = sick * hourly * Exact.constant(hours_per_day, len(sick.ints))

    def stats(self, keys: np.ndarray, n_keys: int) -> list[GroupStats]:
        """GroupStats per key 0..n_keys-1 (a key without respondents has none: n = 0, means 0)."""
        counts = np.bincount(keys, minlength=n_keys).tolist() if len(keys) else [0] * n_keys
        sick, hourly, cost = (x.sums(keys, n_keys) for x in (self.sick, self.hourly, self.cost))
        return [
            GroupStats(
                n=c,
                mean_sick_days=d / c if c else ZERO,
                mean_cost=m / c if c else ZERO,
                mean_hourly=h / c if c else ZERO,
            )
            for c, d, h, m in zip(counts, sick, hourly, cost)
        ]


def _basis_hourly(t: Respondents, basis: AbsenceBasis, a: SavingsAssumptions) -> Exact | None:
    """Each respondent's hourly cost on ``basis``: the survey's (re-priced with it), else for the
    agency basis the rate as given."""
    found = t.hourly_by_basis.get(basis)
    if found is not None or basis is not AbsenceBasis.agency or a.agency_rate is None:
        return found
    return Exact.constant(a.agency_rate, len(t))


def savings(
    survey: Survey,
    est: Estimate,
    assumptions: SavingsAssumptions = SavingsAssumptions(),
    progress: Progress | None = None,
    columns: Mapping[str, np.ndarray] | None = None,
) -> Savings:
    """Savings per phase, combined and pooled, with net cost against the estimate's running cost
    and the decision figures over the horizon. ``columns``: other integer columns of the respondents
    to resample with the sickness cost (the outcomes: ``core.effectiveness``), from the same draws."""
    a = assumptions
    per_year = Decimal(12) / Decimal(a.recall_months)
    t = survey.table
    sums = _Sums(t.sick_exact, t.hourly_exact, a.hours_per_day)
    keys = t.phase.astype(np.int64) * len(GROUPS) + t.group
    n_keys = len(t.phases) * len(GROUPS)
    stats = sums.stats(keys, n_keys)
    bases = [b for b in AbsenceBasis if b is not AbsenceBasis.agency or a.agency_rate is not None]
    by_basis = {}
    for basis in bases:
        hourly = sums.hourly if basis is a.absence_basis else _basis_hourly(t, basis, a)
        by_basis[basis] = None if hourly is None else _Sums(t.sick_exact, hourly, a.hours_per_day).stats(keys, n_keys)
    present = sorted({t.phases[code] for code in np.unique(t.phase).tolist()}, key=natural_key)
    code_of = {phase: code for code, phase in enumerate(t.phases)}
    boot = Bootstrap(sums.cost, keys, t.phases, a.bootstrap, a.seed, progress, columns) if a.bootstrap > 0 else None
    phases = []
    for phase in present:
        k = code_of[phase] * len(GROUPS)
        i, c = stats[k], stats[k + 1]
        basis_savings = tuple(
            BasisSaving(b, None, None)
            if s is None
            else BasisSaving(b, s[k + 1].mean_cost - s[k].mean_cost, (s[k + 1].mean_cost - s[k].mean_cost) * per_year)
            for b, s in by_basis.items()
        )
        resampled = boot.phase(phase) if boot is not None else None
        phases.append(_phase(phase, i, c, basis_savings, survey.staff, est, a, per_year, resampled))
    n = Decimal(len(phases))
    combined = CombinedSavings(
        method="report: unweighted mean of the phase figures",
        mean_cost_intervention=sum((p.intervention.mean_cost for p in phases), ZERO) / n,
        mean_cost_control=sum((p.control.mean_cost for p in phases), ZERO) / n,
        saving_per_staff=sum((p.saving_per_staff for p in phases), ZERO) / n,
    )
    pi, pc = (g.mean_cost for g in sums.stats(t.group.astype(np.int64), len(GROUPS)))
    pooled = CombinedSavings(
        method="pooled: all respondents together",
        mean_cost_intervention=pi,
        mean_cost_control=pc,
        saving_per_staff=pc - pi,
    )
    return Savings(assumptions=a, phases=tuple(phases), combined=combined, pooled=pooled, table=t)


def _phase(
    phase: str,
    i: GroupStats,
    c: GroupStats,
    by_basis: tuple[BasisSaving, ...],
    staff_rows: tuple[StaffCount, ...],
    est: Estimate,
    a: SavingsAssumptions,
    per_year: Decimal,
    resampled: Resampled | None,
) -> PhaseSavings:
    las = {(la.la, la.phase): la for la in est.las}
    rows = [s for s in staff_rows if s.phase == phase]
    counted = [s for s in rows if (s.la, s.phase) in las]
    staff = sum(s.intervention_staff for s in counted)
    saving = c.mean_cost - i.mean_cost
    running = sum((las[(s.la, s.phase)].annual_cost for s in counted), ZERO) if counted else None
    total = saving * per_year * staff if counted else None
    net = running - total if counted else None
    break_even = None
    if counted and staff and i.mean_hourly:
        break_even = running / (Decimal(staff) * i.mean_hourly * a.hours_per_day)
    response = None
    if rows:
        response = Response(i.n, sum(s.intervention_staff for s in rows), c.n, sum(s.control_staff for s in rows))
    decision = spread = None
    if counted:
        mine = [las[(s.la, s.phase)] for s in counted]
        setups = [la.setup for la in mine]
        scale = Scale(
            las=len(counted),
            staff=staff,
            rounds_per_year=sum((la.rounds_per_year for la in mine), ZERO) / Decimal(len(mine)),
            setup_indirect=sum((x.indirect for x in setups if x is not None), ZERO),
            sick_day_cost=i.mean_hourly * a.hours_per_day if i.mean_hourly else None,
            fixed_year=sum((la.fixed_year for la in mine), ZERO),
        )
        setup = sum((x.total for x in setups if x is not None), ZERO)
        decision = decide(setup, running, total, scale, years=a.years, rate=a.discount_rate)
    saving_ci = p_pos = net_ci = p_pays = None
    if resampled is not None:
        saving_ci = resampled.interval()
        p_pos = resampled.share_above(ZERO)
        if counted:
            # net = running - saving x per_year x staff: decreasing in the saving, so the interval flips
            net_ci = Interval(running - saving_ci.high * per_year * staff, running - saving_ci.low * per_year * staff)
            p_pays = resampled.share_above(running / (per_year * staff), or_equal=True) if staff else ZERO
            spread = decision_spread(decision, saving_ci, resampled, per_year * staff) if staff else None
    return PhaseSavings(
        phase=phase,
        intervention=i,
        control=c,
        saving_per_staff=saving,
        annual_saving_per_staff=saving * per_year,
        las_with_staff=tuple(s.la for s in counted),
        intervention_staff=staff,
        annual_saving_total=total,
        annual_running_cost=running,
        net_annual_cost=net,
        break_even_sick_days_per_staff=break_even,
        saving_ci=saving_ci,
        p_saving_positive=p_pos,
        net_ci=net_ci,
        p_pays_for_itself=p_pays,
        by_basis=by_basis,
        response=response,
        decision=decision,
        decision_spread=spread,
        resampled=resampled,
    )


def decision_spread(d: Decision, saving_ci: Interval, resampled: Resampled, scale: Decimal) -> DecisionSpread:
    """ROI and net present value at the ends of the saving's interval (ROI rises with the saving, the
    net present value of the net cost falls), and the shares of resamples that pay. ``scale`` turns a
    resample's saving per staff member (over the recall period) into the saving a year of ``d``."""
    costs = d.setup + d.annuity * d.running_cost_year

    def roi(saving_per_staff: Decimal) -> Decimal:
        return d.annuity * saving_per_staff * scale / costs

    def npv(saving_per_staff: Decimal) -> Decimal:
        return costs - d.annuity * saving_per_staff * scale

    a = d.annuity
    return DecisionSpread(
        roi=Interval(roi(saving_ci.low), roi(saving_ci.high)) if costs else Interval(ZERO, ZERO),
        net_present_value=Interval(npv(saving_ci.high), npv(saving_ci.low)),
        p_roi_at_least_1=resampled.share_above(
            saving_to_break_even(d.setup, d.running_cost_year, a) / scale, or_equal=True
        ),
        p_payback_within_horizon=resampled.share_above(
            saving_to_pay_back(d.setup, d.running_cost_year, d.years) / scale, or_equal=d.setup > 0
        ),
    )
