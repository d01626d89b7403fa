"""Costing Schwartz Rounds: pure functions from validated forms to an ``Estimate``.

The method is the trial report's ("Economic evaluation", Tables 19 and 20):

- set-up cost of an LA and phase = its training lines (direct = fees and other costs; indirect =
  staff time and mileage);
- each round has three components: ``round`` (its own lines), ``panel`` and ``steering`` (lines
  tied to that round, plus an even share of the LA-phase's lines tied to no round);
- an LA-phase's mean per round of each component = its total / number of rounds;
- a phase's mean per round = the mean over its LAs of their mean total per round, and its annual
  cost = rounds per year x that mean (likewise overall and per mode).

Everything is Decimal; nothing is rounded here.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable

from sr_cost.forms import CostForms, FormKind, InputFile, Line, Mode
from sr_cost.money import ZERO

COMPONENTS = ("panel", "round", "steering")
DEFAULT_MILEAGE_RATE = Decimal("0.45")  # [£/mile] the report's rate ("Economic evaluation")
DEFAULT_ROUNDS_PER_YEAR = 12  # [rounds/year] one a month, as the report assumes


@dataclass(frozen=True)
class Assumptions:
    """Every parameter a figure depends on, with its unit."""

    rounds_per_year: int = DEFAULT_ROUNDS_PER_YEAR  # [rounds/year]
    mileage_rate: Decimal = DEFAULT_MILEAGE_RATE  # [£/mile]


@dataclass(frozen=True)
class Components:
    panel: Decimal = ZERO
    round: Decimal = ZERO
    steering: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.panel + self.round + self.steering

    def __add__(self, other: "Components") -> "Components":
        return Components(self.panel + other.panel, self.round + other.round, self.steering + other.steering)

    def scaled(self, factor: Decimal) -> "Components":
        return Components(self.panel * factor, self.round * factor, self.steering * factor)

    def divided(self, n: int) -> "Components":
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


@dataclass(frozen=True)
class ModeFigures:
    """Figures for the rounds of one mode within a group of rounds."""

    rounds: int
    per_round: Components
    attendances: Decimal
    total_cost: Decimal

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
    annual_cost: Decimal
    modes: dict[Mode, ModeFigures]

    @property
    def attendees_per_round(self) -> Decimal:
        return self.attendances / Decimal(self.rounds)

    @property
    def cost_per_attendee(self) -> Decimal | None:
        return self.total_cost / self.attendances if self.attendances else None

    @property
    def first_year_cost(self) -> Decimal | None:
        return None if self.setup is None else self.setup.total + self.annual_cost


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
    rounds: tuple[RoundCost, ...]
    las: tuple[LaEstimate, ...]
    phases: tuple[PhaseEstimate, ...]
    modes: tuple[ModeEstimate, ...]
    overall: OverallEstimate

    def __post_init__(self) -> None:
        tolerance = Decimal("1e-18")  # shares of untied lines are divided by the number of rounds
        for la in self.las:
            mine = [r for r in self.rounds if (r.la, r.phase) == (la.la, la.phase)]
            if not (len(mine) == la.rounds == la.rounds_in_person + la.rounds_virtual
                    == sum(m.rounds for m in la.modes.values())):
                raise AssertionError(f"round counts of {la.la} phase {la.phase} disagree")
            if abs(sum((r.total for r in mine), ZERO) - la.total_cost) > tolerance:
                raise AssertionError(f"rounds of {la.la} phase {la.phase} do not add up to its total")
            if abs(la.per_round.total * la.rounds - la.total_cost) > tolerance:
                raise AssertionError(f"mean per round of {la.la} phase {la.phase} is not total / rounds")


def natural_key(text: str) -> tuple:
    """'LA2' sorts before 'LA12'."""
    return tuple(int(part) if part.isdigit() else part.casefold() for part in re.split(r"(\d+)", text))


def _spread(values: list[Decimal]) -> Spread | None:
    if not values:
        return None
    return Spread(mean=sum(values, ZERO) / Decimal(len(values)), min=min(values), max=max(values), n=len(values))


def cost_rounds(forms: CostForms, assumptions: Assumptions) -> tuple[RoundCost, ...]:
    """Each round with its components: its own lines, and panel and steering tied to it plus an
    even share of the LA-phase's untied panel and steering lines."""
    rate = assumptions.mileage_rate
    own: dict[tuple[str, str, str], Decimal] = defaultdict(lambda: ZERO)
    attendance: dict[tuple[str, str, str], Decimal] = defaultdict(lambda: ZERO)
    n_lines: dict[tuple[str, str, str], int] = defaultdict(int)
    mode: dict[tuple[str, str, str], Mode] = {}
    order: list[tuple[str, str, str]] = []
    for line in forms.of(FormKind.rounds):
        key = (line.la, line.phase, line.round)
        if key not in n_lines:
            order.append(key)
        n_lines[key] += 1
        own[key] += line.total(rate)
        if line.is_attendance:
            attendance[key] += line.staff
        if line.mode is not None:
            mode.setdefault(key, line.mode)
    per_la: dict[tuple[str, str], list[str]] = defaultdict(list)
    for la, phase, rid in order:
        per_la[(la, phase)].append(rid)
    tied = {k: defaultdict(lambda: ZERO) for k in ("panel", "steering")}
    untied = {k: defaultdict(lambda: ZERO) for k in ("panel", "steering")}
    for kind in (FormKind.panel, FormKind.steering):
        for line in forms.of(kind):
            if line.round is None:
                untied[kind.value][(line.la, line.phase)] += line.total(rate)
            else:
                tied[kind.value][(line.la, line.phase, line.round)] += line.total(rate)
    out = []
    for key in sorted(order, key=lambda k: (natural_key(k[1]), natural_key(k[0]), natural_key(k[2]))):
        la_key = key[:2]
        n = Decimal(len(per_la[la_key]))
        parts = {k: tied[k].get(key, ZERO) + untied[k].get(la_key, ZERO) / n for k in ("panel", "steering")}
        out.append(RoundCost(la=key[0], phase=key[1], round=key[2], mode=mode[key],
                             components=Components(panel=parts["panel"], round=own[key], steering=parts["steering"]),
                             attendance=attendance[key], lines=n_lines[key]))
    return tuple(out)


def _mode_figures(rounds: list[RoundCost]) -> dict[Mode, ModeFigures]:
    out = {}
    for m in Mode:
        mine = [r for r in rounds if r.mode is m]
        if not mine:
            continue
        total = sum((r.components for r in mine), Components())
        out[m] = ModeFigures(rounds=len(mine), per_round=total.divided(len(mine)),
                             attendances=sum((r.attendance for r in mine), ZERO),
                             total_cost=sum((r.total for r in mine), ZERO))
    return out


def _setups(forms: CostForms, rate: Decimal) -> dict[tuple[str, str], Setup]:
    direct: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    indirect: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    for line in forms.of(FormKind.training):
        key = (line.la, line.phase)
        direct[key] += line.cost
        indirect[key] += line.indirect(rate)
    return {k: Setup(direct=direct[k], indirect=indirect[k]) for k in direct}


def estimate(forms: CostForms, assumptions: Assumptions = Assumptions()) -> Estimate:
    """Cost the forms: per round, per LA and phase (and mode), per phase, per mode, overall."""
    rounds = cost_rounds(forms, assumptions)
    setups = _setups(forms, assumptions.mileage_rate)
    rpy = Decimal(assumptions.rounds_per_year)
    grouped: dict[tuple[str, str], list[RoundCost]] = defaultdict(list)
    for r in rounds:
        grouped[(r.la, r.phase)].append(r)
    # LA totals come straight from the lines (exact); the per-round shares are for display
    line_totals: dict[tuple[str, str], dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for kind in (FormKind.rounds, FormKind.panel, FormKind.steering):
        for line in forms.of(kind):
            line_totals[(line.la, line.phase)][kind.value] += line.total(assumptions.mileage_rate)
    las = []
    for (la, phase), mine in grouped.items():
        sums = line_totals[(la, phase)]
        total = Components(panel=sums["panel"], round=sums["rounds"], steering=sums["steering"])
        per_round = total.divided(len(mine))
        modes = _mode_figures(mine)
        las.append(LaEstimate(
            la=la, phase=phase, rounds=len(mine),
            rounds_in_person=modes[Mode.in_person].rounds if Mode.in_person in modes else 0,
            rounds_virtual=modes[Mode.virtual].rounds if Mode.virtual in modes else 0,
            setup=setups.get((la, phase)), per_round=per_round,
            attendances=sum((r.attendance for r in mine), ZERO), total_cost=total.total,
            annual_cost=rpy * per_round.total, modes=modes,
        ))
    phases = []
    for phase in sorted({la.phase for la in las}, key=natural_key):
        mine = [la for la in las if la.phase == phase]
        spread = _spread([la.per_round.total for la in mine])
        phases.append(PhaseEstimate(phase=phase, las=len(mine), total_per_round=spread,
                                    annual_cost=rpy * spread.mean,
                                    setup=_spread([la.setup.total for la in mine if la.setup is not None])))
    modes = []
    for m in Mode:
        mine = [la.modes[m] for la in las if m in la.modes]
        if not mine:
            continue
        mean = sum((f.total_per_round for f in mine), ZERO) / Decimal(len(mine))
        modes.append(ModeEstimate(mode=m, las=len(mine), rounds=sum(f.rounds for f in mine),
                                  mean_total_per_round=mean, annual_cost=rpy * mean,
                                  attendances=sum((f.attendances for f in mine), ZERO),
                                  total_cost=sum((f.total_cost for f in mine), ZERO)))
    overall_spread = _spread([la.per_round.total for la in las])
    overall = OverallEstimate(las=len(las), total_per_round=overall_spread, annual_cost=rpy * overall_spread.mean,
                              setup=_spread([la.setup.total for la in las if la.setup is not None]))
    return Estimate(path=forms.path, inputs=forms.inputs, assumptions=assumptions, rounds=rounds,
                    las=tuple(las), phases=tuple(phases), modes=tuple(modes), overall=overall)


def lines_of(forms: CostForms, kinds: Iterable[FormKind] = tuple(FormKind)) -> list[Line]:
    return [line for kind in kinds for line in forms.of(kind)]
