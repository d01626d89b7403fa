"""The comparison's types: what an option is made of (``Subset``, ``FormsSet``, ``OptionSpec``,
``Settings``) and what ``core.compare`` returns: two options side by side (``Comparison``), each
option's figures (``Option``, ``Figures``), its cost year by year over the horizon (``Horizon``),
and the sensitivity (``Sensitivity``: a tornado of ``SensitivityRow``s and the ``BreakEven``
attendance).

Each result checks its own invariants when built: the set-up cost falls in year 1 only, every year
carries the annual running cost, each year is discounted by (1 + r)^-t, components add up to the
total per round, the difference is B - A for every figure, and the tornado is widest first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from decimal import Decimal
from enum import Enum

from sr_cost.core.bootstrap import Resampled
from sr_cost.core.decision import Decision
from sr_cost.core.estimate import Components, Estimate
from sr_cost.core.lines import CostForms, Mode
from sr_cost.core.prices import Uplift
from sr_cost.core.respondents import Survey
from sr_cost.core.savings import DecisionSpread, Savings
from sr_cost.money import ZERO

DEFAULT_YEARS = 3  # [years] the usual appraisal period for such programmes
DEFAULT_DISCOUNT_RATE = Decimal("0.035")  # [1/year] HM Treasury Green Book discount rate, 3.5%


_TOLERANCE = Decimal("1e-12")  # exact arithmetic, up to Decimal's 28 significant digits in divisions


class Basis(str, Enum):
    """What the two options are."""

    mode = "mode"  # in-person against virtual rounds of one forms set
    phase = "phase"  # two phases of one forms set
    sets = "sets"  # two forms sets, each whole


@dataclass(frozen=True)
class Subset:
    """Which rounds of a forms set make an option: one mode, one phase, or all (both None)."""

    mode: Mode | None = None
    phase: str | None = None

    def describe(self) -> str:
        if self.mode is not None:
            return f"{self.mode.value} rounds"
        if self.phase is not None:
            return f"phase {self.phase}"
        return "all rounds"


@dataclass(frozen=True)
class FormsSet:
    """A validated forms set and its base estimate (and savings), ready to be costed again."""

    forms: CostForms
    estimate: Estimate
    survey: Survey | None = None
    savings: Savings | None = None


@dataclass(frozen=True)
class OptionSpec:
    label: str
    forms: FormsSet
    subset: Subset


@dataclass(frozen=True)
class Settings:
    uplift: Uplift
    years: int = DEFAULT_YEARS  # [years]
    discount_rate: Decimal = DEFAULT_DISCOUNT_RATE  # [1/year], 0.035 = 3.5%
    sensitivity: bool = False


@dataclass(frozen=True)
class YearCost:
    year: int  # 1 for the first year
    setup: Decimal  # [£]
    running: Decimal  # [£]
    discount_factor: Decimal  # (1 + r)^-(year - 1)

    @property
    def total(self) -> Decimal:
        return self.setup + self.running

    @property
    def present_value(self) -> Decimal:
        return self.total * self.discount_factor


@dataclass(frozen=True)
class Horizon:
    """An option's cost year by year over the planning horizon."""

    years: tuple[YearCost, ...]
    attendances_per_year: Decimal  # [attendances/year]

    @property
    def total(self) -> Decimal:
        return sum((y.total for y in self.years), ZERO)

    @property
    def present_value(self) -> Decimal:
        return sum((y.present_value for y in self.years), ZERO)

    @property
    def annuity_factor(self) -> Decimal:
        """Present value of £1 a year over the horizon."""
        return sum((y.discount_factor for y in self.years), ZERO)

    @property
    def cost_per_attendee(self) -> Decimal | None:
        """Average cost per attendee over the horizon: total cost / attendances over the horizon."""
        if not self.attendances_per_year:
            return None
        return self.total / (self.attendances_per_year * len(self.years))


@dataclass(frozen=True)
class SavingBasis:
    """The sickness-absence saving an option is credited with, per typical LA."""

    source: str  # e.g. "survey phase 1"
    phases: tuple[str, ...]
    annual_per_staff: Decimal  # [£/staff member/year]
    interval: tuple[Decimal, Decimal] | None  # 95% bootstrap interval of annual_per_staff [£/staff member/year]
    staff_per_la: Decimal  # [intervention staff per LA], mean over the LAs with a staff row
    mean_hourly: Decimal  # [£/hour] mean hourly cost of the intervention respondents
    hours_per_day: Decimal  # [hours/day]
    # from one survey phase: its saving per staff member over the recall period in every resample,
    # and that period's months
    resampled: Resampled | None = None
    recall_months: int = 6

    @property
    def annual_saving(self) -> Decimal:
        return self.annual_per_staff * self.staff_per_la

    def scaled(self, factor: Decimal) -> SavingBasis:
        """Money re-priced by ``factor``."""
        return replace(
            self,
            annual_per_staff=self.annual_per_staff * factor,
            mean_hourly=self.mean_hourly * factor,
            interval=None if self.interval is None else (self.interval[0] * factor, self.interval[1] * factor),
        )


@dataclass(frozen=True)
class Option:
    """One option: a typical LA running these rounds, in the comparison's prices."""

    label: str
    subset: str  # e.g. "in-person rounds"
    path: str  # the forms set
    las: int
    rounds: int  # rounds in the forms
    setup: Decimal  # [£] mean set-up cost over the LAs with training lines (0 if none)
    setup_las: int
    per_round: Components  # [£/round] mean over LAs
    attendees_per_round: Decimal  # [attendances/round] mean over LAs
    rounds_per_year: Decimal  # [rounds/year] mean over LAs
    horizon: Horizon
    pooled_cost_per_attendee: Decimal | None = None  # [£/attendee] all round costs / all attendance (as `estimate`)
    saving: SavingBasis | None = None
    fixed_per_round: Decimal = ZERO  # [£/round] steering tied to no round in per_round, when a cost of the year
    annual_fixed: Decimal = ZERO  # [£/year] a year of that steering (the period known)
    decision: Decision | None = None  # with a saving: the decision figures over the horizon
    decision_spread: DecisionSpread | None = None  # with a saving from one phase's bootstrap

    def __post_init__(self) -> None:
        first, *later = self.horizon.years
        if first.setup != self.setup or any(y.setup for y in later):
            raise AssertionError(f"{self.label}: the set-up cost must fall in year 1 only")
        if any(y.running != self.annual_cost for y in self.horizon.years):
            raise AssertionError(f"{self.label}: every year must carry the annual running cost")
        if self.horizon.attendances_per_year != self.attendees_per_round * self.rounds_per_year:
            raise AssertionError(f"{self.label}: attendances a year must be rounds a year x attendees per round")

    @property
    def description(self) -> str:
        return f"{self.subset} of {self.path}"

    @property
    def mean_total_per_round(self) -> Decimal:
        return self.per_round.total

    @property
    def cost_per_attendee(self) -> Decimal | None:
        return self.mean_total_per_round / self.attendees_per_round if self.attendees_per_round else None

    @property
    def annual_cost(self) -> Decimal:
        return annual_running_cost(
            self.rounds_per_year, self.mean_total_per_round, self.fixed_per_round, self.annual_fixed
        )

    @property
    def annual_saving(self) -> Decimal | None:
        return None if self.saving is None else self.saving.annual_saving

    @property
    def net_annual_cost(self) -> Decimal | None:
        return None if self.saving is None else self.annual_cost - self.saving.annual_saving

    @property
    def net_cost_present_value(self) -> Decimal | None:
        """Present value of the costs less the savings, a year's saving in every year of the horizon."""
        if self.saving is None:
            return None
        return self.horizon.present_value - self.saving.annual_saving * self.horizon.annuity_factor

    @property
    def saving_intervals(self) -> dict[str, tuple[Decimal, Decimal]]:
        """95% intervals of the figures that hold the saving (``Figures`` names): the bootstrap interval
        of the saving per staff member, times the staff, the costs taken as known. Empty without one."""
        s = self.saving
        if s is None or s.interval is None:
            return {}
        low, high = s.interval[0] * s.staff_per_la, s.interval[1] * s.staff_per_la
        annuity = self.horizon.annuity_factor
        pv = self.horizon.present_value
        return {
            "annual_saving": (low, high),
            "net_annual_cost": (self.annual_cost - high, self.annual_cost - low),
            "net_cost_present_value": (pv - high * annuity, pv - low * annuity),
        }

    @property
    def break_even_sick_days(self) -> Decimal | None:
        """Days of sickness absence each intervention staff member must avoid a year for the
        rounds to pay for themselves: annual cost / (staff x hourly cost x hours a day)."""
        s = self.saving
        if s is None or not (s.staff_per_la and s.mean_hourly and s.hours_per_day):
            return None
        return self.annual_cost / (s.staff_per_la * s.mean_hourly * s.hours_per_day)

    def net_with_saving(self, annual_per_staff: Decimal) -> Decimal | None:
        """Net annual cost if the saving per staff member were ``annual_per_staff``."""
        return None if self.saving is None else self.annual_cost - annual_per_staff * self.saving.staff_per_la


@dataclass(frozen=True)
class Figures:
    """The compared figures of an option (or their difference or ratio). None: not available."""

    setup: Decimal | None
    panel_per_round: Decimal | None
    round_per_round: Decimal | None
    steering_per_round: Decimal | None
    mean_total_per_round: Decimal | None
    attendees_per_round: Decimal | None
    cost_per_attendee: Decimal | None
    pooled_cost_per_attendee: Decimal | None
    annual_cost: Decimal | None
    horizon_cost: Decimal | None
    present_value: Decimal | None
    horizon_cost_per_attendee: Decimal | None
    annual_saving: Decimal | None
    net_annual_cost: Decimal | None
    net_cost_present_value: Decimal | None
    break_even_sick_days: Decimal | None

    NOT_MONEY = ("attendees_per_round", "break_even_sick_days")

    @classmethod
    def of(cls, o: Option) -> Figures:
        return cls(
            setup=o.setup,
            panel_per_round=o.per_round.panel,
            round_per_round=o.per_round.round,
            steering_per_round=o.per_round.steering,
            mean_total_per_round=o.mean_total_per_round,
            attendees_per_round=o.attendees_per_round,
            cost_per_attendee=o.cost_per_attendee,
            pooled_cost_per_attendee=o.pooled_cost_per_attendee,
            annual_cost=o.annual_cost,
            horizon_cost=o.horizon.total,
            present_value=o.horizon.present_value,
            horizon_cost_per_attendee=o.horizon.cost_per_attendee,
            annual_saving=o.annual_saving,
            net_annual_cost=o.net_annual_cost,
            net_cost_present_value=o.net_cost_present_value,
            break_even_sick_days=o.break_even_sick_days,
        )

    @classmethod
    def combine(cls, a: Figures, b: Figures, op: Callable[[Decimal, Decimal], Decimal | None]) -> Figures:
        values = {}
        for f in fields(cls):
            x, y = getattr(a, f.name), getattr(b, f.name)
            values[f.name] = None if x is None or y is None else op(x, y)
        return cls(**values)

    def items(self) -> list[tuple[str, Decimal | None]]:
        return [(f.name, getattr(self, f.name)) for f in fields(self)]


@dataclass(frozen=True)
class Swing:
    """One option's figure at the two ends of an assumption's range (None: not applicable)."""

    low: Decimal | None
    high: Decimal | None
    low_per_attendee: Decimal | None = None
    high_per_attendee: Decimal | None = None

    @property
    def width(self) -> Decimal:
        return ZERO if self.low is None or self.high is None else abs(self.high - self.low)


@dataclass(frozen=True)
class SensitivityRow:
    key: str
    name: str  # e.g. "Attendance ±25%"
    low_label: str  # the assumption at its low end, e.g. "-25%"
    high_label: str
    swings: tuple[Swing, Swing]

    @property
    def width(self) -> Decimal:
        return max(s.width for s in self.swings)


@dataclass(frozen=True)
class BreakEven:
    """The attendees per round at which an option would cost what the other costs per attendee now."""

    label: str
    against: str
    attendees_per_round: Decimal  # now
    cost_per_attendee: Decimal | None  # now [£/attendee]
    target: Decimal | None  # the other option's cost per attendee now [£/attendee]
    attendees_needed: Decimal | None  # None: no attendance reaches the target


@dataclass(frozen=True)
class Sensitivity:
    metric: str  # "net annual cost" or "annual cost"
    base: tuple[Decimal, Decimal]
    rows: tuple[SensitivityRow, ...]  # widest swing first (a tornado)
    break_even: tuple[BreakEven, BreakEven]
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        widths = [r.width for r in self.rows]
        if widths != sorted(widths, reverse=True):
            raise AssertionError("sensitivity rows must be ordered by their swing, widest first")


@dataclass(frozen=True)
class Comparison:
    """The result of ``compare``. Checks its own invariants when built."""

    basis: Basis
    options: tuple[Option, Option]
    difference: Figures  # B - A
    ratio: Figures  # B / A
    years: int
    discount_rate: Decimal
    uplift: Uplift
    notes: tuple[str, ...]
    sensitivity: Sensitivity | None = None

    def __post_init__(self) -> None:
        a, b = self.options
        if a.label == b.label:
            raise AssertionError("the two options need different labels")
        for o in self.options:
            if len(o.horizon.years) != self.years:
                raise AssertionError(f"{o.label}: the horizon must have {self.years} years")
            for y in o.horizon.years:
                if y.discount_factor != discount_factor(self.discount_rate, y.year - 1):
                    raise AssertionError(f"{o.label}: year {y.year} is discounted wrongly")
            if abs(o.per_round.total - (o.per_round.panel + o.per_round.round + o.per_round.steering)) > _TOLERANCE:
                raise AssertionError(f"{o.label}: components do not add up to the total per round")
        fa, fb = Figures.of(a), Figures.of(b)
        for (name, d), (_, x), (_, y) in zip(self.difference.items(), fa.items(), fb.items()):
            if (d is None) != (x is None or y is None) or (d is not None and d != y - x):
                raise AssertionError(f"difference of {name} is not B - A")

    @property
    def price_year(self) -> int:
        return self.uplift.price_year


def annual_running_cost(
    rounds_per_year: Decimal, per_round: Decimal, fixed_per_round: Decimal, annual_fixed: Decimal
) -> Decimal:
    """A year's running cost of a typical LA: rounds a year x the cost per round without the part that
    is a cost of the year (steering tied to no round, when the period is known), plus a year of that."""
    if not fixed_per_round and not annual_fixed:
        return rounds_per_year * per_round
    return rounds_per_year * (per_round - fixed_per_round) + annual_fixed


def discount_factor(rate: Decimal, t: int) -> Decimal:
    """(1 + r)^-t for year t (t = 0 for the first year), with an exact integer power."""
    return Decimal(1) / (Decimal(1) + rate) ** t
