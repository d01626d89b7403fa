"""An explanation: how one figure is made, as a tree whose every node is a value and the formula
that makes it from its parts, down to the inputs (form lines, survey rows, unit costs, parameters).

A node's ``op`` is the arithmetic, ``apply(op, parts)`` does it, and ``check`` walks a tree and
names every node whose value is not its op applied to its children's values: the tree is its own
proof. Leaves (``Op.input``) are values read from a file (with its file, sheet and row) or given
as an assumption. Values are exact ``Decimal``s; nothing is rounded except by ``Op.penny``, the
unit-cost table's own rounding rule. ``sr_cost.core.explain`` builds the trees.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from sr_cost.money import ZERO, to_penny


class Op(str, Enum):
    """How a node's value is made from its children's values (in order)."""

    input = "input"  # no parts: read from a file or given
    sum = "sum"  # a + b + ...
    mean = "mean"  # (a + b + ...) / n
    difference = "difference"  # a - b
    product = "product"  # a x b x ...
    quotient = "quotient"  # a / b
    line = "line"  # staff x hours x rate + miles x mileage rate + cost (six parts, in that order)
    penny = "penny"  # a rounded half-up to the penny
    above = "above"  # max(0, a - b): the part of a above b
    min = "min"
    max = "max"


class Unit(str, Enum):
    """What a node's value is; money is shown to the penny, the rest as exact as it is."""

    gbp = "£"
    gbp_per_hour = "£/hour"
    gbp_per_mile = "£/mile"
    gbp_per_year = "£/year"
    gbp_per_week = "£/week"
    hours = "hours"
    hours_per_year = "hours/year"
    hours_per_day = "hours/day"
    days = "days"
    miles = "miles"
    people = "people"
    count = "count"
    fraction = "fraction"
    months = "months"
    rounds_per_year = "rounds/year"

    @property
    def is_money(self) -> bool:
        return self.value.startswith("£")


@dataclass(frozen=True)
class Node:
    """One level of an explanation: ``value`` = ``op`` applied to the children's values.

    ``file``, ``sheet`` and ``row`` say where an input came from (a form line, a survey row, a row
    of the unit-cost table); ``key`` names a part that recurs (a role's unit cost), so that a view
    may show its parts once."""

    label: str
    formula: str
    op: Op
    value: Decimal
    unit: Unit
    children: tuple[Node, ...] = ()
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    key: str | None = None

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            yield from child.walk()


def apply(op: Op, values: Sequence[Decimal]) -> Decimal:
    """The value of a node with this op and these parts' values, in Decimal arithmetic as the
    costing does it (sums from zero, in order)."""
    if op is Op.sum:
        return sum(values, ZERO)
    if op is Op.mean:
        return sum(values, ZERO) / Decimal(len(values))
    if op is Op.difference:
        a, b = values
        return a - b
    if op is Op.product:
        out = values[0]
        for v in values[1:]:
            out = out * v
        return out
    if op is Op.quotient:
        a, b = values
        return a / b
    if op is Op.line:
        staff, hours, rate, miles, mileage_rate, cost = values
        return staff * hours * rate + miles * mileage_rate + cost
    if op is Op.penny:
        (a,) = values
        return to_penny(a)
    if op is Op.above:
        a, b = values
        return max(a - b, ZERO)
    if op is Op.min:
        return min(values)
    if op is Op.max:
        return max(values)
    raise ValueError(f"an input has no parts to apply {op.value} to")


def node(label: str, formula: str, op: Op, children: Sequence[Node], unit: Unit, **where) -> Node:
    """A node whose value is ``op`` applied to its children."""
    parts = tuple(children)
    return Node(label, formula, op, apply(op, [c.value for c in parts]), unit, parts, **where)


def leaf(label: str, value: Decimal, unit: Unit, formula: str = "input", **where) -> Node:
    """An input: a value read from a file (``file``, ``sheet``, ``row``) or given."""
    return Node(label, formula, Op.input, value, unit, (), **where)


def check(tree: Node) -> list[str]:
    """Every node whose value is not its op applied to its children's values (none in a sound tree)."""
    bad = []
    for n in tree.walk():
        if n.op is Op.input:
            if n.children:
                bad.append(f"{n.label}: an input has parts")
            continue
        expected = apply(n.op, [c.value for c in n.children])
        if expected != n.value:
            bad.append(f"{n.label}: {n.value} is not {n.op.value} of its parts ({expected})")
    return bad
