"""What ``core.costing.estimate`` returns: every round's cost (``RoundCosts``), and per LA and phase,
per phase, per mode and overall (``Estimate``), with the assumptions they rest on (``Assumptions``:
rounds a year, the mileage rate, the period the forms cover, each amount's price year).

An ``Estimate`` checks its own invariants when built: each LA-phase's rounds add up to its total,
its mean per round is total / rounds, and its rounds by mode add up to its rounds. Money is exact
``Decimal``; nothing here is rounded.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sr_cost.core.lines import InputFile, Mode
from sr_cost.core.prices import Uplift
from sr_cost.money import ZERO

COMPONENTS = ("panel", "round", "steering")
DEFAULT_MILEAGE_RATE = Decimal("0.45")  # [£/mile] the report's rate ("Economic evaluation")
DEFAULT_ROUNDS_PER_YEAR = 12  # [rounds/year] one a month, as the report assumes
MONTHS = Decimal(12)  # [months/year]


@dataclass(frozen=True)
class Assumptions:
    """Every parameter a figure depends on, with its unit.

    Rounds a year: as given; else, when the period the forms cover is known, each LA-phase's own
    (its rounds x 12 / period); else 12, the report's. With a known period, steering lines tied to
    no round are costs of the period (a year's = their cost x 12 / period), not of each round."""

    rounds_per_year: int | None = None  # [rounds/year] as given; None: the rule above
    mileage_rate: Decimal = DEFAULT_MILEAGE_RATE  # [£/mile], at the forms' price year
    period_months: int | None = None  # [months] the forms cover; None: not known
    prices: Uplift | None = None  # each amount's price year and any re-pricing; None: all at the table's

    @property
    def rounds_per_year_in_use(self) -> int | None:
        """The rounds a year of every LA-phase, when one value applies to all (given, or 12 without a
        period); None when each LA-phase has its own (``rounds_a_year``)."""
        if self.rounds_per_year is not None:
            return self.rounds_per_year
        return DEFAULT_ROUNDS_PER_YEAR if self.period_months is None else None

    def rounds_a_year(self, rounds: int) -> Decimal:
        """The rounds a year of an LA-phase whose forms hold ``rounds`` rounds [rounds/year]."""
        fixed = self.rounds_per_year_in_use
        return Decimal(fixed) if fixed is not None else Decimal(rounds) * MONTHS / Decimal(self.period_months)

    def annual(
        self, rounds: int, per_round: Decimal, untied_steering: Decimal, total: Decimal | None = None
    ) -> Decimal:
        """A year's cost of an LA-phase whose forms hold ``rounds`` rounds, at ``per_round`` [£/round]
        (the mean of all its rounds, or of its rounds of one mode), whose steering lines tied to no round
        cost ``untied_steering`` [£]. ``total``: the cost of all its rounds, when known.

        Without a period: rounds a year x the mean per round (the report's rule). With one: rounds a
        year x the mean per round without the untied steering, plus a year's untied steering
        (x 12 / period). With the forms' own rounds a year (rounds x 12 / period) that is the rounds'
        whole cost x 12 / period: for an LA-phase, its forms' total scaled to a year, exactly."""
        if self.period_months is None:
            return self.rounds_a_year(rounds) * per_round
        period = Decimal(self.period_months)
        if self.rounds_per_year is None:
            whole = Decimal(rounds) * per_round if total is None else total
            return whole * MONTHS / period
        own = per_round - untied_steering / Decimal(rounds)
        return Decimal(self.rounds_per_year) * own + self.annual_steering(untied_steering)

    def annual_steering(self, untied_steering: Decimal) -> Decimal:
        """A year's cost of steering lines tied to no round, when the period is known [£/year]."""
        return untied_steering * MONTHS / Decimal(self.period_months)

    @property
    def staff_time_factor(self) -> Decimal:
        """What staff time priced from the unit-cost table is multiplied by (re-pricing)."""
        return Decimal(1) if self.prices is None else self.prices.staff_time_factor

    @property
    def forms_money_factor(self) -> Decimal:
        """What money typed into the forms and the mileage rate are multiplied by (re-pricing)."""
        return Decimal(1) if self.prices is None else self.prices.forms_money_factor


@dataclass(frozen=True)
class Components:
    panel: Decimal = ZERO
    round: Decimal = ZERO
    steering: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.panel + self.round + self.steering

    def __add__(self, other: Components) -> Components:
        return Components(self.panel + other.panel, self.round + other.round, self.steering + other.steering)

    def scaled(self, factor: Decimal) -> Components:
        return Components(self.panel * factor, self.round * factor, self.steering * factor)

    def divided(self, n: int) -> Components:
        d = Decimal(n)
        return Components(self.panel / d, self.round / d, self.steering / d)


@dataclass(frozen=True)
class Setup:
    direct: Decimal
    indirect: Decimal

    @property
    def total(self) -> Decimal:
        return self.direct + self.indirect


@dataclass(frozen=True)
class RoundCost:
    """One round: its own cost, its share of panel and steering, its attendance."""

    la: str
    phase: str
    round: str
    mode: Mode
    components: Components
    attendance: Decimal
    lines: int  # lines of the rounds form

    @property
    def total(self) -> Decimal:
        return self.components.total


class RoundCosts:
    """Every round, column by column (in display order: phase, LA, round), with the ``RoundCost``
    records made only when something asks for them (the Excel Rounds sheet, compare by phase): a
    national estimate has ten thousand rounds and needs only their sums."""

    def __init__(
        self,
        *,
        la: list[str],
        phase: list[str],
        round: list[str],
        mode: list[Mode],
        panel: list[Decimal],
        own: list[Decimal],
        steering: list[Decimal],
        attendance: list[Decimal],
        lines: list[int],
    ) -> None:
        self.la, self.phase, self.round, self.mode = la, phase, round, mode
        self.panel, self.own, self.steering = panel, own, steering
        self.attendance, self.lines = attendance, lines
        # a round's total, as RoundCost.total adds it: panel + round + steering
        self.total = [p + o + t for p, o, t in zip(panel, own, steering)]
        self._records: tuple[RoundCost, ...] | None = None
        self._groups: dict[tuple[str, str], list[int]] | None = None

    def __len__(self) -> int:
        return len(self.la)

    def records(self) -> tuple[RoundCost, ...]:
        if self._records is None:
            self._records = tuple(
                RoundCost(
                    la=la,
                    phase=phase,
                    round=name,
                    mode=mode,
                    components=Components(panel=p, round=o, steering=t),
                    attendance=a,
                    lines=n,
                )
                for la, phase, name, mode, p, o, t, a, n in zip(
                    self.la,
                    self.phase,
                    self.round,
                    self.mode,
                    self.panel,
                    self.own,
                    self.steering,
                    self.attendance,
                    self.lines,
                )
            )
        return self._records

    def groups(self) -> dict[tuple[str, str], list[int]]:
        """The rounds of each LA and phase, in order (worked out once: the estimate and its
        invariant checks both use them)."""
        if self._groups is None:
            self._groups = {}
            for i, key in enumerate(zip(self.la, self.phase)):
                self._groups.setdefault(key, []).append(i)
        return self._groups


@dataclass(frozen=True)
class ModeFigures:
    """Figures for the rounds of one mode within a group of rounds."""

    rounds: int
    per_round: Components
    attendances: Decimal
    total_cost: Decimal
    annual_cost: Decimal = ZERO  # a year of the group's rounds of this mode (``Assumptions.annual``)

    @property
    def total_per_round(self) -> Decimal:
        return self.per_round.total

    @property
    def cost_per_attendee(self) -> Decimal | None:
        return self.total_cost / self.attendances if self.attendances else None


@dataclass(frozen=True)
class LaEstimate:
    la: str
    phase: str
    rounds: int
    rounds_in_person: int
    rounds_virtual: int
    setup: Setup | None
    per_round: Components  # mean per round of each component
    attendances: Decimal
    total_cost: Decimal  # sum of round totals
    annual_cost: Decimal  # [£/year] ``Assumptions.annual``
    modes: dict[Mode, ModeFigures]
    rounds_per_year: Decimal = Decimal(DEFAULT_ROUNDS_PER_YEAR)  # [rounds/year] the value used
    untied_steering: Decimal = ZERO  # [£] its steering lines tied to no round, in its forms
    annual_steering: Decimal | None = None  # [£/year] a year of those, when the period is known

    @property
    def attendees_per_round(self) -> Decimal:
        return self.attendances / Decimal(self.rounds)

    @property
    def cost_per_attendee(self) -> Decimal | None:
        return self.total_cost / self.attendances if self.attendances else None

    @property
    def first_year_cost(self) -> Decimal | None:
        return None if self.setup is None else self.setup.total + self.annual_cost

    @property
    def fixed_year(self) -> Decimal:
        """The part of ``annual_cost`` that does not move with the mean per round [£/year]: a year's
        untied steering less the share of it counted in the mean per round (rounds a year x
        untied / rounds). Zero without a period, and with the forms' own rounds a year."""
        if self.annual_steering is None:
            return ZERO
        return self.annual_steering - self.rounds_per_year * self.untied_steering / Decimal(self.rounds)


@dataclass(frozen=True)
class Spread:
    """Mean, minimum and maximum over LAs."""

    mean: Decimal
    min: Decimal
    max: Decimal
    n: int


@dataclass(frozen=True)
class PhaseEstimate:
    phase: str
    las: int
    total_per_round: Spread
    annual_cost: Decimal
    setup: Spread | None
    feedback_forms: int | None = None  # the phase's SR feedback forms (the staff sheet), if given
    # the report's crude per-person cost: annual cost x 6/12 / feedback forms (its footnote 4)
    report_per_person: Decimal | None = None


@dataclass(frozen=True)
class ModeEstimate:
    mode: Mode
    las: int
    rounds: int
    mean_total_per_round: Decimal
    annual_cost: Decimal
    attendances: Decimal
    total_cost: Decimal

    @property
    def cost_per_attendee(self) -> Decimal | None:
        return self.total_cost / self.attendances if self.attendances else None


@dataclass(frozen=True)
class OverallEstimate:
    las: int
    total_per_round: Spread
    annual_cost: Decimal
    setup: Spread | None


@dataclass(frozen=True)
class Estimate:
    """The result of ``estimate``. Checks its own invariants when built."""

    path: str
    inputs: tuple[InputFile, ...]
    assumptions: Assumptions
    round_table: RoundCosts
    las: tuple[LaEstimate, ...]
    phases: tuple[PhaseEstimate, ...]
    modes: tuple[ModeEstimate, ...]
    overall: OverallEstimate

    @property
    def rounds(self) -> tuple[RoundCost, ...]:
        return self.round_table.records()

    def __post_init__(self) -> None:
        tolerance = Decimal("1e-18")  # shares of untied lines are divided by the number of rounds
        t = self.round_table
        by_la = t.groups()
        for la in self.las:
            mine = by_la.get((la.la, la.phase), [])
            if not (
                len(mine)
                == la.rounds
                == la.rounds_in_person + la.rounds_virtual
                == sum(m.rounds for m in la.modes.values())
            ):
                raise AssertionError(f"round counts of {la.la} phase {la.phase} disagree")
            if abs(sum((t.total[i] for i in mine), ZERO) - la.total_cost) > tolerance:
                raise AssertionError(f"rounds of {la.la} phase {la.phase} do not add up to its total")
            if abs(la.per_round.total * la.rounds - la.total_cost) > tolerance:
                raise AssertionError(f"mean per round of {la.la} phase {la.phase} is not total / rounds")
