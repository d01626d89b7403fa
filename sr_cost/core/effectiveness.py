"""Cost-effectiveness: what a point of wellbeing (GHQ-12) and a case avoided cost, on the
cost-effectiveness plane and the acceptability curve. Pure functions, exact Decimals.

Perspective: the employer's. Per intervention staff member, by intention to treat (everyone
randomised to the intervention, whether or not they attended; the report's primary analysis):

- incremental cost before the saving = (set-up + A x running cost a year) / intervention staff, over
  the horizon at present value (A = the present value of £1 a year, ``core.decision``), for the LAs
  of the phase with a staff row and cost forms (the savings' LAs counted);
- incremental cost = that - A x the annual sickness-absence saving per staff member (on the chosen
  valuation basis), i.e. the phase's net present value / its intervention staff;
- incremental effect: the difference between the groups at follow-up (``core.effects``; positive:
  the intervention group did better), unadjusted (the headline: everyone who answered), and adjusted
  for baseline beside it. The effect measured at follow-up is taken as what the rounds buy over the
  horizon (not scaled by it).

The plane has the effect across (right: better) and the cost up (up: dearer). Quadrants: ``ne``
better and dearer, ``se`` better and cheaper (dominant), ``nw`` worse and dearer (dominated), ``sw``
worse and cheaper; an effect of exactly 0 counts as not better (left), a cost of exactly 0 as not
dearer (down). The ratio (ICER, £ per point; for caseness £ per case avoided) is given in ``ne``
(what a point costs) and ``sw`` (what is saved per point given up), never as a bare negative number:
in ``se`` the rounds are "dominant", in ``nw`` "dominated". The net monetary benefit at a
willingness to pay W is W x effect - cost (positive: worth it at W).

Uncertainty: the savings bootstrap (``core.bootstrap``) resamples respondents within group and phase,
and each resample gives the saving and the outcomes' differences from the same draws, so a resample
is one point on the plane. Quadrant shares, the difference's interval and the acceptability curve
(the share of resamples with a net monetary benefit above 0, over a range of willingness to pay)
come from those points. The signs (quadrants, the curve at 0) are exact; elsewhere the curve
compares the points as floating-point numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

import numpy as np

from sr_cost.core.bootstrap import Interval, Resampled, exact_interval
from sr_cost.core.effects import Effect, ResampledEffect, phase_effect, resampled_effect, survey_keys
from sr_cost.core.outcomes import Kind, Outcome
from sr_cost.core.respondents import Survey
from sr_cost.core.savings import PhaseSavings, Savings, SavingsAssumptions

PERSPECTIVE = "employer"
PER = "intervention staff member (intention to treat)"
HEADLINE = "unadjusted: the difference of the group means among those who answered at follow-up"
DEFAULT_CURVE_POINTS = 101  # willingness-to-pay values on the acceptability curve, 0 included
CURVE_TOP_LEFT = 0.05  # the curve runs until at most 5% of the resamples have yet to change side: within
# five percentage points of where it tends (the share of resamples with a better effect)
FALLBACK_TOP = {Kind.score: Decimal(1000), Kind.caseness: Decimal(10000)}  # [£ per point; per case] flat curves


class Quadrant(str, Enum):
    """Where a point lies on the cost-effectiveness plane (effect across, cost up)."""

    ne = "ne"  # better and dearer
    se = "se"  # better and cheaper
    nw = "nw"  # worse and dearer
    sw = "sw"  # worse and cheaper


class Label(str, Enum):
    ratio = "ratio"
    dominant = "dominant"
    dominated = "dominated"


@dataclass(frozen=True)
class EffectAssumptions:
    wtp_per_point: Decimal | None = None  # [£ per point of a score] --wtp
    wtp_per_case: Decimal | None = None  # [£ per case avoided] --wtp-case
    curve_points: int = DEFAULT_CURVE_POINTS

    def wtp(self, outcome: Outcome) -> Decimal | None:
        return self.wtp_per_case if outcome.kind is Kind.caseness else self.wtp_per_point


@dataclass(frozen=True)
class Cost:
    """Incremental cost per intervention staff member over the horizon, at present value [£]."""

    before_saving: Decimal
    after_saving: Decimal
    saving_factor: Decimal  # £ of present value per £ of saving per staff member over the recall period


@dataclass(frozen=True)
class Verdict:
    quadrant: Quadrant
    label: Label
    icer: Decimal | None  # [£ per point or per case]; None unless the label is "ratio" (and both are non-zero)


def classify(cost: Decimal, effect: Decimal) -> Verdict:
    """The quadrant of (effect, cost), its label, and the ratio where it means something."""
    quadrant = (Quadrant.ne if cost > 0 else Quadrant.se) if effect > 0 else (Quadrant.nw if cost > 0 else Quadrant.sw)
    if (effect > 0 and cost > 0) or (effect < 0 and cost < 0):
        return Verdict(quadrant, Label.ratio, cost / effect)
    if effect == 0 and cost == 0:
        return Verdict(quadrant, Label.ratio, None)
    if effect >= 0 and cost <= 0:
        return Verdict(quadrant, Label.dominant, None)
    return Verdict(quadrant, Label.dominated, None)


def net_monetary_benefit(wtp: Decimal, effect: Decimal, cost: Decimal) -> Decimal:
    """W x effect - cost [£ per staff member]: positive means worth it at W."""
    return wtp * effect - cost


@dataclass(frozen=True, eq=False)
class Plane:
    """The resamples (those with an answer in both groups) as points on the plane."""

    effect: ResampledEffect
    cost_approx: np.ndarray  # float64, per valid resample
    dearer: np.ndarray  # cost > 0, exactly
    cheaper: np.ndarray  # cost < 0, exactly
    cost_exact: Callable[[int], Decimal]  # the k-th valid resample's cost, exactly

    def __len__(self) -> int:
        return len(self.effect)

    def _share(self, mask: np.ndarray) -> Decimal:
        return Decimal(int(np.count_nonzero(mask))) / Decimal(len(self))

    def quadrants(self) -> dict[Quadrant, Decimal]:
        right = self.effect.num > 0
        return {
            Quadrant.ne: self._share(right & self.dearer),
            Quadrant.nw: self._share(~right & self.dearer),
            Quadrant.se: self._share(right & ~self.dearer),
            Quadrant.sw: self._share(~right & ~self.dearer),
        }

    def p_cost_effective(self, wtp: Decimal) -> Decimal:
        """The share of resamples whose net monetary benefit at ``wtp`` is above 0."""
        if wtp == 0:
            return self._share(self.cheaper)
        no_effect = self.effect.num == 0
        hits = np.where(no_effect, self.cheaper, float(wtp) * self.effect.approx > self.cost_approx)
        return self._share(hits)

    def thresholds(self) -> np.ndarray:
        """The positive willingness to pay at which a resample's net monetary benefit changes sign."""
        e, c = self.effect.approx, self.cost_approx
        turns = (self.effect.num != 0) & np.where(self.effect.num > 0, self.dearer, self.cheaper)
        return c[turns] / e[turns]

    def icer_interval(self) -> Interval | None:
        """The ratio's 95% interval, when every resample is better and dearer (else it has none: the
        ratio jumps where the effect crosses 0, and a negative one means nothing)."""
        if not len(self) or not ((self.effect.num > 0) & self.dearer).all():
            return None
        return exact_interval(
            self.cost_approx / self.effect.approx, lambda k: self.cost_exact(k) / self.effect.value(k)
        )


@dataclass(frozen=True)
class CurvePoint:
    wtp: Decimal  # [£ per point or per case]
    p_cost_effective: Decimal


@dataclass(frozen=True, eq=False)
class OutcomeResult:
    outcome: Outcome
    effect: Effect
    verdict: Verdict | None  # None: no cost or no difference
    wtp: Decimal | None
    nmb: Decimal | None  # at ``wtp``
    difference_ci: Interval | None
    plane: Plane | None  # None: no bootstrap, no cost, or no resample with answers in both groups
    resamples_left_out: int = 0  # resamples with no answer in a group
    curve: tuple[CurvePoint, ...] = ()
    p_at_wtp: Decimal | None = None
    verdict_before_saving: Verdict | None = None  # the cost alone, without the absence saving

    @property
    def quadrants(self) -> dict[Quadrant, Decimal] | None:
        return None if self.plane is None else self.plane.quadrants()

    @property
    def icer_ci(self) -> Interval | None:
        return None if self.plane is None else self.plane.icer_interval()

    @property
    def cases_avoided_per_100(self) -> Decimal | None:
        if self.outcome.kind is not Kind.caseness or self.effect.difference is None:
            return None
        return self.effect.difference * 100

    @property
    def cost_per_case_avoided(self) -> Decimal | None:
        """For caseness, in the better-and-dearer quadrant: the ratio."""
        v = self.verdict
        if self.outcome.kind is not Kind.caseness or v is None or v.quadrant is not Quadrant.ne:
            return None
        return v.icer


@dataclass(frozen=True)
class PhaseEffect:
    phase: str
    cost: Cost | None  # None: no LA of the phase has a staff row and cost forms
    outcomes: tuple[OutcomeResult, ...]


@dataclass(frozen=True)
class CostEffectiveness:
    assumptions: EffectAssumptions
    savings: SavingsAssumptions  # the horizon, the discount rate, the valuation basis and the bootstrap
    outcomes: tuple[Outcome, ...]
    curves: dict[str, tuple[Decimal, ...]]  # outcome column -> the curve's willingness-to-pay values
    phases: tuple[PhaseEffect, ...]


def staff_cost(p: PhaseSavings, per_year: Decimal) -> Cost | None:
    """The phase's incremental cost per intervention staff member (module docstring)."""
    d = p.decision
    if d is None or not p.intervention_staff:
        return None
    before = (d.setup + d.annuity * d.running_cost_year) / Decimal(p.intervention_staff)
    factor = d.annuity * per_year
    return Cost(before, before - factor * p.saving_per_staff, factor)


def plane(effect: ResampledEffect, r: Resampled, cost: Cost) -> Plane:
    """Each valid resample's point: its effect, and its cost = cost before the saving - factor x its
    saving per staff member."""
    numer = np.asarray(r.numer)[effect.index]
    break_even = cost.before_saving / cost.saving_factor  # the saving per staff member at a cost of 0
    dearer = ~r.above(break_even, or_equal=True)[effect.index]
    cheaper = r.above(break_even)[effect.index]
    per_unit = float(cost.saving_factor / r.denom)
    cost_approx = float(cost.before_saving) - per_unit * np.asarray(numer, dtype=np.float64)

    def exact(k: int) -> Decimal:
        return cost.before_saving - cost.saving_factor * r.value(int(effect.index[k]))

    return Plane(effect, cost_approx, dearer, cheaper, exact)


def nice_ceiling(value: Decimal) -> Decimal:
    """The smallest of 1, 2, 2.5 and 5 x a power of ten at or above ``value`` (> 0)."""
    power = Decimal(1).scaleb(value.adjusted())
    for m in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10)):
        if m * power >= value:
            return m * power
    raise AssertionError(value)  # pragma: no cover - 10 x power is above value


def curve_grid(planes: list[Plane], outcome: Outcome, wtp: Decimal | None, points: int) -> tuple[Decimal, ...]:
    """The acceptability curve's willingness to pay: 0 to a round number beyond which at most 5% of
    the resamples (of every phase) still change side, so the curve is within five percentage points of
    its limit (and at least the stated ``wtp``), in ``points`` steps."""
    turns = np.concatenate([p.thresholds() for p in planes]) if planes else np.zeros(0)
    total = sum(len(p) for p in planes)
    if len(turns):
        q = max(0.0, 1 - CURVE_TOP_LEFT * total / len(turns))
        top = nice_ceiling(Decimal(repr(float(np.quantile(turns, q)))))
    else:
        top = FALLBACK_TOP[outcome.kind]
    if wtp is not None and wtp > top:
        top = nice_ceiling(wtp)
    return tuple(top * i / (points - 1) for i in range(points))


def cost_effectiveness(
    survey: Survey, s: Savings, a: EffectAssumptions = EffectAssumptions()
) -> CostEffectiveness | None:
    """Per phase and outcome: the effect, the cost per staff member, the ratio and its quadrant, the
    net monetary benefit, and from the bootstrap the quadrant shares and the acceptability curve.
    None when the survey has no outcome."""
    t = survey.table
    if not t.outcomes:
        return None
    keys = survey_keys(t.phase, t.group)
    code_of = {phase: code for code, phase in enumerate(t.phases)}
    per_year = Decimal(12) / Decimal(s.assumptions.recall_months)
    work = []  # (phase, cost, [(data, effect, difference interval, plane, left out)])
    for p in s.phases:
        cost = staff_cost(p, per_year)
        rows = []
        for data in t.outcomes:
            effect = phase_effect(data, keys, code_of[p.phase])
            ci = pl = None
            left_out = 0
            if p.resampled is not None and effect.difference is not None:
                re = resampled_effect(data, p.resampled)
                left_out = len(p.resampled) - len(re)
                if len(re):
                    ci = exact_interval(re.approx, re.value)
                    pl = plane(re, p.resampled, cost) if cost is not None else None
            rows.append((data, effect, ci, pl, left_out))
        work.append((p.phase, cost, rows))
    curves = {}
    if s.assumptions.bootstrap:
        for data in t.outcomes:
            o = data.outcome
            planes = [pl for _, _, rows in work for d, _, _, pl, _ in rows if d is data and pl is not None]
            curves[o.column] = curve_grid(planes, o, a.wtp(o), a.curve_points)
    phases = []
    for phase, cost, rows in work:
        results = []
        for data, effect, ci, pl, left_out in rows:
            o = data.outcome
            wtp = a.wtp(o)
            verdict = nmb = before = None
            if cost is not None and effect.difference is not None:
                verdict = classify(cost.after_saving, effect.difference)
                before = classify(cost.before_saving, effect.difference)
                if wtp is not None:
                    nmb = net_monetary_benefit(wtp, effect.difference, cost.after_saving)
            curve = ()
            p_at = None
            if pl is not None:
                curve = tuple(CurvePoint(w, pl.p_cost_effective(w)) for w in curves[o.column])
                p_at = pl.p_cost_effective(wtp) if wtp is not None else None
            results.append(OutcomeResult(o, effect, verdict, wtp, nmb, ci, pl, left_out, curve, p_at, before))
        phases.append(PhaseEffect(phase, cost, tuple(results)))
    return CostEffectiveness(a, s.assumptions, tuple(d.outcome for d in t.outcomes), curves, tuple(phases))
