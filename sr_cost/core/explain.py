"""Explanations of the estimate's figures: each as a tree from the figure down to the form lines
(file, sheet, row; staff × hours × rate + miles × mileage rate + cost) and the unit costs.

The trees follow the costing (``core.costing``) step by step: a line's cost is ``line_costs``
(the one definition); a round's own cost adds up its lines; panel and steering lines tied to a
round count for it, and those tied to none are shared evenly over the LA-phase's rounds; an
LA-phase's mean per round of a component is the total of its lines ÷ its rounds; phase, mode and
overall means are means over LAs. Every node anchored to a figure of the ``Estimate`` is checked
against it as it is built (an ``AssertionError`` if they ever differ), so an explanation always
ends at the figure the estimate reports.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal

from sr_cost.core.costing import line_costs, reprice
from sr_cost.core.estimate import Estimate, LaEstimate
from sr_cost.core.explain_units import role_unit_cost
from sr_cost.core.explanation import Node, Op, Unit, leaf, node
from sr_cost.core.lines import CostForms, FormKind, Line, Mode
from sr_cost.core.unit_costs import UnitCostTable

COMPONENT_FORMS = {"panel": FormKind.panel, "round": FormKind.rounds, "steering": FormKind.steering}
LINE_FORMULA = "staff × hours × rate + miles × mileage rate + cost"


def same(n: Node, figure: Decimal | None) -> Node:
    """``n``, after checking that it ends at the figure the result reports."""
    if figure is None or n.value != figure:
        raise AssertionError(f"the explanation of {n.label} gives {n.value}, the result {figure}")
    return n


@dataclass(frozen=True)
class _Costed:
    line: Line  # re-priced, as costed
    cost: Decimal  # line_costs: staff x hours x rate + miles x mileage rate + cost
    typed: Line  # as typed into the forms (the same as ``line`` when nothing is re-priced)


def _where(line: Line) -> dict:
    return {"file": line.file, "sheet": line.sheet or None, "row": line.row}


class CostExplainer:
    """Builds the explanation of any figure of one estimate (made once per run: it holds the
    lines as records, grouped by LA, phase and round)."""

    def __init__(self, forms: CostForms, est: Estimate, table: UnitCostTable) -> None:
        self.est, self.table = est, table
        a = est.assumptions
        self.staff_factor, self.money_factor = a.staff_time_factor, a.forms_money_factor
        self.mileage_rate = a.mileage_rate * self.money_factor
        self.t = est.round_table
        self.rounds_of = self.t.groups()
        self.las = {(la.la, la.phase): la for la in est.las}
        # (form, la, phase) -> round id (None: tied to no round) -> lines, in the form's order
        self.lines: dict[tuple[FormKind, str, str], dict[str | None, list[_Costed]]] = {}
        for kind, typed in forms.lines.items():
            t = reprice(typed, self.staff_factor, self.money_factor)  # as the costing re-prices them
            for rec, cost, was in zip(t.records(), line_costs(t, self.mileage_rate), typed.records()):
                by_round = self.lines.setdefault((kind, rec.la, rec.phase), {})
                by_round.setdefault(rec.round, []).append(_Costed(rec, cost, was))
        self._units: dict[str, Node] = {}
        self._cache: dict[tuple, Node] = {}

    def _cached(self, key: tuple, make: Callable[[], Node]) -> Node:
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = make()
        return found

    # --- a line ---------------------------------------------------------------------------------

    def _repriced(self, typed: Node, factor: Decimal, whose: str, unit: Unit) -> Node:
        """``typed`` x a re-pricing factor (``typed`` itself when the factor is 1)."""
        if factor == 1:
            return typed
        f = leaf(
            f"re-pricing factor of {whose}", factor, Unit.fraction, formula="--uplift-to (each amount's price year)"
        )
        return node(f"{typed.label}, re-priced", f"× the re-pricing factor of {whose}", Op.product, [typed, f], unit)

    def _rate(self, c: _Costed) -> Node:
        line, where = c.typed, _where(c.typed)
        if line.own_rate:
            typed = leaf(
                "hourly rate (the line's own)", line.rate, Unit.gbp_per_hour, formula="the line's rate", **where
            )
            return same(self._repriced(typed, self.money_factor, "the forms' money", Unit.gbp_per_hour), c.line.rate)
        role = self.table.find(line.role) if line.role else None
        if role is None:
            return leaf("hourly rate (no role or rate)", line.rate, Unit.gbp_per_hour, formula="none given")
        found = self._units.get(role.role)
        if found is None:
            unit_cost = same(role_unit_cost(role, self.table), line.rate)
            found = self._units[role.role] = same(
                self._repriced(unit_cost, self.staff_factor, "staff time", Unit.gbp_per_hour), c.line.rate
            )
        return found

    def _cells(self, c: _Costed) -> dict[str, Node]:
        line = c.typed
        mileage = leaf(
            "mileage rate", self.est.assumptions.mileage_rate, Unit.gbp_per_mile, formula="assumption (--mileage-rate)"
        )
        cost = leaf("cost", line.cost, Unit.gbp, formula="the line's cost")
        return {
            "staff": leaf("staff", line.staff, Unit.people, formula="the line's staff"),
            "hours": leaf("hours", line.hours, Unit.hours, formula="the line's hours"),
            "rate": self._rate(c),
            "miles": leaf("miles", line.miles, Unit.miles, formula="the line's miles"),
            "mileage rate": self._repriced(mileage, self.money_factor, "the forms' money", Unit.gbp_per_mile),
            "cost": self._repriced(cost, self.money_factor, "the forms' money", Unit.gbp),
        }

    @staticmethod
    def _label(line: Line) -> str:
        return f"{line.form.value} line: {line.item}" + (f" ({line.role})" if line.role else "")

    def line(self, c: _Costed) -> Node:
        """A line's cost: staff × hours × rate + miles × mileage rate + cost."""
        cells = self._cells(c)
        made = node(self._label(c.line), LINE_FORMULA, Op.line, list(cells.values()), Unit.gbp, **_where(c.line))
        return same(made, c.cost)

    def _indirect(self, c: _Costed) -> Node:
        cells = self._cells(c)
        parts = [
            node(
                "staff time",
                "staff × hours × rate",
                Op.product,
                [cells[k] for k in ("staff", "hours", "rate")],
                Unit.gbp,
            ),
            node("mileage", "miles × mileage rate", Op.product, [cells["miles"], cells["mileage rate"]], Unit.gbp),
        ]
        return node(self._label(c.line), "staff time + mileage", Op.sum, parts, Unit.gbp, **_where(c.line))

    def _direct(self, c: _Costed) -> Node:
        typed = leaf(
            f"{self._label(c.line)}: cost", c.typed.cost, Unit.gbp, formula="the line's cost", **_where(c.line)
        )
        return same(self._repriced(typed, self.money_factor, "the forms' money", Unit.gbp), c.line.cost)

    def _lines(self, kind: FormKind, la: str, phase: str) -> dict[str | None, list[_Costed]]:
        return self.lines.get((kind, la, phase), {})

    # --- one LA and phase -------------------------------------------------------------------------

    def la(self, la: str, phase: str) -> LaEstimate:
        return self.las[(la, phase)]

    def setup(self, la: str, phase: str, part: str) -> Node:
        """Set-up cost: its training lines' direct cost, their staff time and mileage, or both."""
        figure = self.la(la, phase).setup
        lines = [c for group in self._lines(FormKind.training, la, phase).values() for c in group]
        direct = node(
            "direct: the training lines' cost",
            "sum of the lines' cost (lines without one left out)",
            Op.sum,
            [self._direct(c) for c in lines if c.line.cost],
            Unit.gbp,
        )
        indirect = node(
            "indirect: the training lines' staff time and mileage",
            "sum over the lines (lines without either left out)",
            Op.sum,
            [self._indirect(c) for c in lines if c.cost != c.line.cost],
            Unit.gbp,
        )
        if part == "direct":
            return same(direct, figure.direct)
        if part == "indirect":
            return same(indirect, figure.indirect)
        return same(node("set-up cost", "direct + indirect", Op.sum, [direct, indirect], Unit.gbp), figure.total)

    def _rounds_leaf(self, la: str, phase: str) -> Node:
        n = len(self.rounds_of[(la, phase)])
        return leaf(f"rounds of {la} phase {phase}", Decimal(n), Unit.count, formula="rounds in the rounds form")

    def component_total(self, la: str, phase: str, comp: str) -> Node:
        """The total of a component's lines for an LA and phase, grouped by round."""

        def make() -> Node:
            kind = COMPONENT_FORMS[comp]
            lines = self._lines(kind, la, phase)
            parts = []
            for i in self.rounds_of[(la, phase)]:
                rid = self.t.round[i]
                if comp == "round":
                    parts.append(self.round_component(i, "round"))
                elif rid in lines:
                    parts.append(self._group(f"{kind.value} lines tied to round {rid}", lines[rid]))
            if comp != "round" and None in lines:
                parts.append(self._group(f"{kind.value} lines tied to no round", lines[None]))
            formula = "sum of the rounds' own lines" if comp == "round" else f"sum of the {kind.value} lines"
            return node(f"{comp}: total of {la} phase {phase}", formula, Op.sum, parts, Unit.gbp)

        return self._cached(("total", la, phase, comp), make)

    def _group(self, label: str, lines: list[_Costed]) -> Node:
        return node(label, "sum of the lines", Op.sum, [self.line(c) for c in lines], Unit.gbp)

    def per_round(self, la: str, phase: str, comp: str) -> Node:
        """Mean per round of a component (or of the total: panel + round + steering)."""
        figures = self.la(la, phase).per_round
        if comp == "total":
            parts = [self.per_round(la, phase, c) for c in COMPONENT_FORMS]
            return same(
                node("total per round", "panel + round + steering per round", Op.sum, parts, Unit.gbp), figures.total
            )
        made = node(
            f"{comp} per round",
            f"{comp} total ÷ rounds",
            Op.quotient,
            [self.component_total(la, phase, comp), self._rounds_leaf(la, phase)],
            Unit.gbp,
        )
        return same(made, getattr(figures, comp))

    def total_cost(self, la: str, phase: str) -> Node:
        parts = [self.component_total(la, phase, c) for c in COMPONENT_FORMS]
        made = node(
            f"total cost of {la} phase {phase}'s rounds", "panel + round + steering totals", Op.sum, parts, Unit.gbp
        )
        return same(made, self.la(la, phase).total_cost)

    def attendances(self, la: str, phase: str) -> Node:
        parts = [self.round_attendance(i) for i in self.rounds_of[(la, phase)]]
        made = node(f"attendances of {la} phase {phase}", "sum over the rounds", Op.sum, parts, Unit.people)
        return same(made, self.la(la, phase).attendances)

    def attendees_per_round(self, la: str, phase: str) -> Node:
        parts = [self.attendances(la, phase), self._rounds_leaf(la, phase)]
        made = node("attendees per round", "attendances ÷ rounds", Op.quotient, parts, Unit.people)
        return same(made, self.la(la, phase).attendees_per_round)

    def cost_per_attendee(self, la: str, phase: str) -> Node:
        parts = [self.total_cost(la, phase), self.attendances(la, phase)]
        made = node("cost per attendee", "total cost ÷ attendances", Op.quotient, parts, Unit.gbp)
        return same(made, self.la(la, phase).cost_per_attendee)

    def rounds_per_year(self) -> Node:
        """Rounds a year when one value applies to every LA-phase (given, or 12 without a period)."""
        a = self.est.assumptions
        return leaf(
            "rounds a year",
            Decimal(a.rounds_per_year_in_use),
            Unit.rounds_per_year,
            formula="assumption (--rounds-per-year)" if a.rounds_per_year is not None else "the report's: one a month",
        )

    def _period(self) -> Node:
        months = Decimal(self.est.assumptions.period_months)
        return leaf("period the forms cover", months, Unit.months, formula="--period-months or the about sheet")

    def _a_year(self, what: Node) -> Node:
        """``what`` [£ over the period] scaled to a year: × 12 ÷ the period."""
        times = node(
            f"{what.label} × 12", "× 12 months", Op.product, [what, leaf("months", Decimal(12), Unit.months)], Unit.gbp
        )
        return node(f"{what.label}, a year", "× 12 ÷ the period", Op.quotient, [times, self._period()], Unit.gbp)

    def untied_steering(self, la: str, phase: str) -> Node:
        lines = self._lines(FormKind.steering, la, phase).get(None)
        if not lines:
            return leaf("steering lines tied to no round", Decimal(0), Unit.gbp, formula="none in the forms")
        made = self._group("steering lines tied to no round", lines)
        return same(made, self.la(la, phase).untied_steering)

    def annual_of(self, la: str, phase: str, per_round: Node, whole: Node | None, figure: Decimal) -> Node:
        """A year's cost of an LA-phase at ``per_round`` (its mean, or of its rounds of one mode), as
        ``Assumptions.annual`` works it out; ``whole``: the cost of all its rounds, when that is the rule's."""
        a = self.est.assumptions
        if a.period_months is None:
            made = node(
                "annual cost",
                "rounds a year × total per round",
                Op.product,
                [self.rounds_per_year(), per_round],
                Unit.gbp,
            )
        elif a.rounds_per_year is None:
            if whole is None:
                whole = node(
                    "all the rounds at this mean",
                    "rounds × mean per round",
                    Op.product,
                    [self._rounds_leaf(la, phase), per_round],
                    Unit.gbp,
                )
            made = replace(self._a_year(whole), label="annual cost")
        else:
            untied = self.untied_steering(la, phase)
            share = node(
                "its share per round",
                "untied steering ÷ rounds",
                Op.quotient,
                [untied, self._rounds_leaf(la, phase)],
                Unit.gbp,
            )
            own = node(
                "per round without it", "total per round - that share", Op.difference, [per_round, share], Unit.gbp
            )
            rounds = node("rounds", "rounds a year × per round", Op.product, [self.rounds_per_year(), own], Unit.gbp)
            made = node(
                "annual cost",
                "rounds a year × per round without the untied steering + a year of it",
                Op.sum,
                [rounds, self._a_year(untied)],
                Unit.gbp,
            )
        return same(made, figure)

    def annual_cost(self, la: str, phase: str) -> Node:
        figure = self.la(la, phase)
        return self.annual_of(
            la, phase, self.per_round(la, phase, "total"), self.total_cost(la, phase), figure.annual_cost
        )

    def mode_annual_cost(self, la: str, phase: str, mode: Mode) -> Node:
        figure = self.la(la, phase).modes[mode].annual_cost
        return self.annual_of(la, phase, self.mode_per_round(la, phase, mode, "total"), None, figure)

    def first_year_cost(self, la: str, phase: str) -> Node:
        parts = [self.setup(la, phase, "total"), self.annual_cost(la, phase)]
        made = node("first-year cost", "set-up + annual cost", Op.sum, parts, Unit.gbp)
        return same(made, self.la(la, phase).first_year_cost)

    # --- one round, and the rounds of one mode ----------------------------------------------------

    def round_component(self, i: int, comp: str) -> Node:
        """Round ``i`` of the round table: its own lines, or its panel or steering (the lines tied to
        it + an even share of the LA-phase's lines tied to no round)."""

        def make() -> Node:
            t = self.t
            la, phase, rid = t.la[i], t.phase[i], t.round[i]
            kind = COMPONENT_FORMS[comp]
            lines = self._lines(kind, la, phase)
            if comp == "round":
                return same(self._group(f"round {rid}: its own lines", lines.get(rid, [])), t.own[i])
            untied = self._group(f"{kind.value} lines of {la} phase {phase} tied to no round", lines.get(None, []))
            share = node(
                "an even share of them",
                "untied lines ÷ rounds",
                Op.quotient,
                [untied, self._rounds_leaf(la, phase)],
                Unit.gbp,
            )
            tied = self._group(f"{kind.value} lines tied to round {rid}", lines.get(rid, []))
            made = node(
                f"round {rid}: {comp}", "tied lines + share of the untied lines", Op.sum, [tied, share], Unit.gbp
            )
            return same(made, getattr(t, comp)[i])

        return self._cached(("round", i, comp), make)

    def round_total(self, i: int) -> Node:
        parts = [self.round_component(i, c) for c in COMPONENT_FORMS]
        made = node(f"round {self.t.round[i]}", "panel + own lines + steering", Op.sum, parts, Unit.gbp)
        return same(made, self.t.total[i])

    def round_attendance(self, i: int) -> Node:
        t = self.t
        lines = self._lines(FormKind.rounds, t.la[i], t.phase[i]).get(t.round[i], [])
        parts = [
            leaf(
                f"attendance line ({c.line.role or c.line.item})",
                c.line.staff,
                Unit.people,
                formula="the line's staff",
                **_where(c.line),
            )
            for c in lines
            if c.line.is_attendance
        ]
        made = node(
            f"attendance at round {t.round[i]}", "sum of the attendance lines' staff", Op.sum, parts, Unit.people
        )
        return same(made, t.attendance[i])

    def _mode_rounds(self, la: str, phase: str, mode: Mode) -> list[int]:
        return [i for i in self.rounds_of[(la, phase)] if self.t.mode[i] is mode]

    def mode_per_round(self, la: str, phase: str, mode: Mode, comp: str) -> Node:
        figures = self.la(la, phase).modes[mode]
        if comp == "total":
            parts = [self.mode_per_round(la, phase, mode, c) for c in COMPONENT_FORMS]
            made = node(f"{mode.value} total per round", "panel + round + steering per round", Op.sum, parts, Unit.gbp)
            return same(made, figures.total_per_round)
        mine = self._mode_rounds(la, phase, mode)
        total = node(
            f"{comp} of the {mode.value} rounds",
            "sum over the rounds",
            Op.sum,
            [self.round_component(i, comp) for i in mine],
            Unit.gbp,
        )
        rounds = leaf(f"{mode.value} rounds", Decimal(len(mine)), Unit.count, formula="rounds in the rounds form")
        made = node(f"{mode.value} {comp} per round", f"{comp} ÷ rounds", Op.quotient, [total, rounds], Unit.gbp)
        return same(made, getattr(figures.per_round, comp))

    def mode_total_cost(self, la: str, phase: str, mode: Mode) -> Node:
        parts = [self.round_total(i) for i in self._mode_rounds(la, phase, mode)]
        made = node(f"cost of {la} phase {phase}'s {mode.value} rounds", "sum over the rounds", Op.sum, parts, Unit.gbp)
        return same(made, self.la(la, phase).modes[mode].total_cost)

    def mode_attendances(self, la: str, phase: str, mode: Mode) -> Node:
        parts = [self.round_attendance(i) for i in self._mode_rounds(la, phase, mode)]
        made = node(
            f"attendances of {la} phase {phase}'s {mode.value} rounds",
            "sum over the rounds",
            Op.sum,
            parts,
            Unit.people,
        )
        return same(made, self.la(la, phase).modes[mode].attendances)

    def mode_cost_per_attendee(self, la: str, phase: str, mode: Mode) -> Node:
        parts = [self.mode_total_cost(la, phase, mode), self.mode_attendances(la, phase, mode)]
        made = node(f"{mode.value} cost per attendee", "cost ÷ attendances", Op.quotient, parts, Unit.gbp)
        return same(made, self.la(la, phase).modes[mode].cost_per_attendee)
