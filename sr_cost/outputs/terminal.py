"""The terminal: consoles, the problems and warnings of a run, the unit-cost table;
and what every terminal view uses (the estimate's and the savings' are in ``terminal_estimate``,
the comparison's in ``terminal_compare``).

Tables are plain ``rich.table.Table``s; ``row`` adds a row whose text is shown exactly as written
(a label from a user's file is never read as rich markup: a cell holding ``[/b]`` would otherwise
stop the program), and ``titled`` puts a table's title on a line of its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import IO

from rich import box
from rich.console import Console, Group, RenderableType
from rich.markup import escape
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from sr_cost.core.unit_costs import Derivation, Mismatch, UnitCost, UnitCostTable
from sr_cost.errors import Problem, visible
from sr_cost.money import gbp, places
from sr_cost.outputs.wording import pct


def row(table: Table, *cells: RenderableType, **options) -> None:
    """Add a row; text is shown as written, never read as markup (wrap it in ``Text`` to style it),
    and any control character in it as an escape, never obeyed by the terminal."""
    table.add_row(*(Text(visible(c)) if isinstance(c, str) else c for c in cells), **options)


def safe(renderable: RenderableType) -> RenderableType:
    """A line of markup with its control characters shown as escapes (labels and file names may
    hold them); a table or other renderable as it is (``row`` escapes their cells)."""
    return visible(renderable) if isinstance(renderable, str) else renderable


def bold(text: str) -> Text:
    return Text(text, style="bold")


def titled(renderable: RenderableType) -> RenderableType:
    """A table with its title above it on a line of its own (a title longer than its table is then
    not wrapped to the table's width); anything else as it is."""
    if not isinstance(renderable, Table) or not renderable.title:
        return renderable
    title, renderable.title = renderable.title, None
    return Group(Text.from_markup(visible(str(title)), style="table.title"), renderable)


def stdout() -> Console:
    return Console(highlight=False)


def stderr() -> Console:
    return Console(stderr=True, highlight=False)


def file_console(file: IO[str]) -> Console:
    """A console that writes plain text to a file (``-o`` with the table format), 120 columns wide."""
    return Console(file=file, width=120, no_color=True, highlight=False)


def print_problems(problems: Sequence[Problem]) -> None:
    """Every problem on stderr, errors first: one table on a wide terminal, one block per
    problem on a narrow one (a seven-column table is unreadable at 80 columns)."""
    console = stderr()
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity != "error"]
    title = f"{len(errors)} problem(s) in the input" + (f", {len(warnings)} warning(s)" if warnings else "")
    if console.width >= 120:
        table = Table(title=title, box=box.SIMPLE_HEAVY, title_justify="left")
        for name in ("file", "sheet", "row", "column", "value", "what is wrong", "how to fix"):
            table.add_column(name, overflow="fold")
        for p in errors + warnings:
            where = p.cell or ("" if p.row is None else str(p.row))
            row(
                table,
                p.file,
                p.sheet,
                where,
                p.column,
                visible(p.value[:60]),
                ("" if p.severity == "error" else "warning: ") + p.message,
                p.fix,
            )
        console.print(titled(table))
    else:
        console.print(f"[bold]{title}[/]")
        for p in errors + warnings:
            mark = "[red]✗[/]" if p.severity == "error" else "[yellow]![/]"
            console.print(f"{mark} [bold]{escape(p.where())}[/]")
            # indented as a block, so that a long message wraps under itself, not at the margin
            console.print(
                Padding(
                    escape(visible(p.message)) + (f": {escape(visible(repr(p.value[:60])))}" if p.value else ""),
                    (0, 0, 0, 2),
                    expand=False,
                )
            )
            if p.fix:
                console.print(Padding(f"fix: {escape(visible(p.fix))}", (0, 0, 0, 2), expand=False))
    if errors:
        console.print("Nothing was written. Fix the problems above and run the command again.")


def print_warnings(problems: Iterable[Problem]) -> None:
    console = stderr()
    for p in problems:
        console.print(f"[yellow]warning:[/] {escape(str(p))}")


def print_unit_costs(table: UnitCostTable, roles: Sequence[UnitCost]) -> None:
    out = Table(
        title=f"Staff unit costs (£, {table.price_year}) — {len(roles)} role(s)",
        box=box.SIMPLE_HEAD,
        title_justify="left",
    )
    out.add_column("Role", overflow="fold", ratio=3)
    for name in ("Salary £/yr", "On-costs £", "Overheads £", "£/hour"):
        out.add_column(name, justify="right", no_wrap=True)
    for r in roles:
        row(out, r.role, gbp(r.salary, none="—"), gbp(r.on_costs), gbp(r.overheads), gbp(r.unit_cost_hour))
    console = stdout()
    console.print(titled(out))
    console.print(Text(visible(f"Source: {table.source.name}. Table: {table.shown_as}"), style="dim"))


def print_unit_cost_derivation(table: UnitCostTable, role: UnitCost, d: Derivation | None) -> None:
    console = stdout()
    console.print(
        f"[bold]{escape(visible(role.role))}[/] — unit cost {gbp(role.unit_cost_hour)} an hour "
        f"({table.price_year} prices)"
    )
    if d is None:
        console.print("This row gives no salary, so its unit cost is taken as given and cannot be derived.")
        return
    p = table.params
    steps = Table(box=box.SIMPLE_HEAD, show_header=True)
    steps.add_column("Step", overflow="fold")
    steps.add_column("Working", overflow="fold")
    steps.add_column("£", justify="right", no_wrap=True)
    row(steps, "Salary", "annual salary (midpoint)", gbp(d.salary))
    threshold = (
        f"£{p.ni_secondary_threshold_per_week_gbp}/week × {p.days_per_year}/7 = {gbp(d.ni_threshold_gbp)}"
        if p.ni_secondary_threshold_per_year_gbp is None
        else f"{gbp(d.ni_threshold_gbp)} a year"
    )
    row(steps, "Employer's NI", f"{pct(p.employer_ni_rate)} × (salary − {threshold})", gbp(d.employer_ni))
    row(steps, "Superannuation", f"{pct(p.superannuation_rate)} × salary", gbp(d.superannuation))
    row(steps, "On-costs", "NI + superannuation", gbp(d.on_costs))
    row(steps, "Direct overheads", f"{pct(p.direct_overheads_rate)} × (salary + on-costs)", gbp(d.direct_overheads))
    row(
        steps,
        "Indirect overheads",
        f"{pct(p.indirect_overheads_rate)} × (salary + on-costs)",
        gbp(d.indirect_overheads),
    )
    row(steps, "Capital overheads", "a year", gbp(d.capital_overheads))
    row(steps, "Overheads", "direct + indirect + capital", gbp(d.overheads))
    row(steps, "Total a year", "salary + on-costs + overheads", gbp(d.total_annual))
    row(steps, "Working hours", f"{d.working_hours} hours a year", "")
    row(
        steps,
        bold("Unit cost"),
        f"total ÷ {d.working_hours} hours, rounded half-up to the penny",
        bold(gbp(d.unit_cost_hour)),
    )
    console.print(steps)
    if not role.derived and d.unit_cost_hour != role.unit_cost_hour:
        console.print(
            f"[yellow]The table gives {gbp(role.unit_cost_hour)}; the derivation gives {gbp(d.unit_cost_hour)}.[/]"
        )
    console.print(Text(visible(f"Parameters: {table.params_path}. Source: {table.source.name}"), style="dim"))


def print_check(table: UnitCostTable, mismatches: Sequence[Mismatch]) -> None:
    console = stdout()
    checked = sum(1 for r in table.roles if r.salary is not None and not r.derived)
    if not mismatches:
        console.print(
            Text(
                visible(
                    f"OK: all {checked} role(s) with a salary re-derive to the table's figures "
                    f"(unit cost exact to the penny, on-costs and overheads within £0.01). Table: {table.shown_as}"
                )
            )
        )
        return
    out = Table(
        title=f"{len(mismatches)} figure(s) differ from their derivation", box=box.SIMPLE_HEAD, title_justify="left"
    )
    for name in ("Role", "Row", "Field", "In table", "Derived"):
        out.add_column(name, overflow="fold")
    for m in mismatches:
        row(out, m.role, str(m.row or ""), m.field, f"{m.published}", places(m.derived, 4))
    console.print(titled(out))


def params_text(table: UnitCostTable) -> str:
    """The derivation's parameters and their price year, in one sentence."""
    p = table.params
    threshold = (
        f"£{p.ni_secondary_threshold_per_week_gbp} a week"
        if p.ni_secondary_threshold_per_year_gbp is None
        else f"{gbp(p.ni_secondary_threshold_per_year_gbp)} a year"
    )
    return (
        f"Parameters: {table.params_path} ({table.price_year} prices): employer's NI {pct(p.employer_ni_rate)} "
        f"above {threshold}; superannuation {pct(p.superannuation_rate)}; overheads "
        f"{pct(p.direct_overheads_rate)} direct and {pct(p.indirect_overheads_rate)} indirect of salary + "
        f"on-costs, and {gbp(p.capital_overheads_gbp)} a year capital; {p.working_hours_per_year} working hours "
        "a year."
    )
