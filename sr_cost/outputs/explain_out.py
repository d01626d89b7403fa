"""An explanation (``core.explanation.Node``) as JSON, and as a tree in the terminal.

JSON: each node is ``{"label", "formula", "op", "value", "exact", "unit", "children"}`` (and
``"file"``, ``"sheet"``, ``"row"`` where the value was read from a file, ``"key"`` for a part that
recurs, such as a role's unit cost, whose parts are given the first time only). ``value`` is money
with two decimals (rounded half-up) and other figures as they are; ``exact`` is the exact value, so
that a script can check that every node is its ``op`` applied to its children's exact values.

The terminal shows each level as its value, its label and its formula with the parts' values put
in; parts that are plain inputs (a line's staff, hours, miles) appear in the formula only, and a
part that recurs (a role's unit cost) has its own parts shown the first time only.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rich.console import Console
from rich.text import Text
from rich.tree import Tree

from sr_cost.core.explanation import Node, Op, Unit
from sr_cost.errors import visible
from sr_cost.money import gbp, money_str, places

JOINERS = {Op.sum: " + ", Op.product: " × ", Op.quotient: " ÷ ", Op.difference: " − "}


def exact_str(value: Decimal) -> str:
    return f"{value.normalize():f}" if value else "0"


def value_str(n: Node) -> str:
    """The value as the JSON gives it: money to the penny, anything else exactly."""
    return money_str(n.value) if n.unit.is_money else exact_str(n.value)


def tree_to_dict(n: Node, seen: set[str] | None = None) -> dict[str, Any]:
    """The tree as JSON. A part that recurs (a role's unit cost, with ``key``) has its parts the
    first time only; later it is an input whose formula says so (its value is the same)."""
    seen = set() if seen is None else seen
    repeated = n.key is not None and n.key in seen
    out: dict[str, Any] = {
        "label": n.label,
        "formula": f"as worked out above ({n.key})" if repeated and n.children else n.formula,
        "op": Op.input.value if repeated and n.children else n.op.value,
        "value": value_str(n),
        "exact": exact_str(n.value),
        "unit": n.unit.value,
    }
    if n.key is not None:
        out["key"] = n.key
        seen.add(n.key)
    if n.file is not None:
        out.update(file=n.file, sheet=n.sheet, row=n.row)
    out["children"] = [] if repeated else [tree_to_dict(c, seen) for c in n.children]
    return out


SHORT_UNITS = {
    Unit.gbp_per_hour: "/h",
    Unit.gbp_per_mile: "/mile",
    Unit.gbp_per_week: " a week",
    Unit.hours: " h",
    Unit.hours_per_day: " h/day",
    Unit.hours_per_year: " h/year",
    Unit.days: " days",
    Unit.miles: " mi",
    Unit.months: " months",
}


def shown(n: Node) -> str:
    """The value as a person reads it: £1,234.56, £29.04/h, 7.5 h, 0.138 (money a year as £)."""
    if n.unit.is_money:
        return gbp(n.value) + SHORT_UNITS.get(n.unit, "")
    text = exact_str(n.value)
    if "." in text and len(text.split(".")[1]) > 6:
        text = "≈" + places(n.value, 4)
    return text + SHORT_UNITS.get(n.unit, "")


def where(n: Node) -> str:
    if n.file is None:
        return ""
    return n.file + (f", sheet '{n.sheet}'" if n.sheet else "") + (f", row {n.row}" if n.row is not None else "")


def _own_row(child: Node) -> bool:
    """A part gets a row of its own unless it is a plain input (its value is in the formula)."""
    return child.op is not Op.input or child.file is not None


def _with_values(n: Node) -> str:
    """The formula with the parts' values put in, where that reads well."""
    parts = [shown(c) for c in n.children]
    if n.op is Op.line:
        staff, hours, rate, miles, mileage, cost = parts
        return f"{staff} × {hours} × {rate} + {miles} × {mileage} + {cost}"
    if n.op in JOINERS and 1 < len(parts) <= 4:
        return JOINERS[n.op].join(parts)
    if n.op is Op.penny and n.children[0].op is Op.quotient:
        return _with_values(n.children[0]) + ", to the penny"
    if n.op is Op.above:
        return f"max(0, {parts[0]} − {parts[1]})"
    if n.op in (Op.mean, Op.min, Op.max) and len(parts) <= 4:
        return f"{n.op.value}({', '.join(parts)})"
    return ""


def _parts(n: Node) -> tuple[Node, ...]:
    """The parts a view shows: a rounding's quotient is shown in it, with the quotient's parts."""
    if n.op is Op.penny and n.children[0].op is Op.quotient:
        return n.children[0].children
    return n.children


def _text(n: Node, root: bool = False) -> Text:
    text = Text()
    # labels, formulas and file names hold the forms' text: control characters shown as escapes
    text.append(visible(shown(n)), style="bold" if root else "bold cyan")
    text.append(visible(f"  {n.label}"))
    if n.op is not Op.input:
        filled = _with_values(n)
        # a line's formula is always the same: its values say it
        words = "" if n.formula == n.label or n.op is Op.line else f" = {n.formula}"
        text.append(visible(words + (f" = {filled}" if filled and filled != n.formula else "")), style="dim")
    elif n.formula != "input":
        text.append(visible(f"  ({n.formula})"), style="dim")
    if n.file is not None:
        text.append(visible(f"  · {where(n)}"), style="green")
    return text


def render_tree(n: Node, depth: int | None = None) -> Tree:
    """The explanation as a rich ``Tree``, ``depth`` levels below the figure at most."""
    seen: set[str] = set()
    seen_inputs: set[tuple] = set()  # an input read from a file is shown once (a salary recurs)
    tree = Tree(_text(n, root=True), guide_style="dim")

    def own_row(child: Node) -> bool:
        if child.op is not Op.input:
            return True
        if child.file is None:
            return False
        key = (child.label, child.value, child.file, child.sheet, child.row)
        if key in seen_inputs:
            return False
        seen_inputs.add(key)
        return True

    def add(parent: Tree, node: Node, level: int) -> None:
        if depth is not None and level >= depth:
            hidden = sum(1 for c in _parts(node) if _own_row(c))
            if hidden:
                parent.add(Text(f"… {hidden} part(s): --depth {level + 1} or more shows them", style="dim"))
            return
        for child in [c for c in _parts(node) if own_row(c)]:
            branch = parent.add(_text(child))
            if child.key is not None:
                if child.key in seen:
                    if any(_own_row(c) for c in _parts(child)):
                        branch.add(Text("(worked out above)", style="dim"))
                    continue
                seen.add(child.key)
            add(branch, child, level + 1)

    add(tree, n, 0)
    return tree


def print_tree(n: Node, console: Console, depth: int | None = None) -> None:
    console.print(render_tree(n, depth))
