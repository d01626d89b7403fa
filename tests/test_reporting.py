"""Terminal tables: a long table laid out a column at a time prints exactly what rich prints row
by row, and user text is shown as written."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich import box
from rich.console import Console
from rich.text import Text

from sr_cost import reporting, rich_table
from sr_cost.rich_table import Table, bold


def table(rows) -> Table:
    t = Table(title="Per LA (a title)", box=box.SIMPLE_HEAD, title_justify="left")
    t.add_column("LA")
    t.add_column("In\nperson", justify="right")
    t.add_column("Total", justify="right", no_wrap=True)
    for la, n, total, dim in rows:
        t.add_row(la, n, bold(total) if not dim else total, style="dim" if dim else None)
    return t


def shown(t: Table, width: int) -> str:
    console = Console(file=io.StringIO(), width=width, highlight=False, color_system=None)
    console.print(t)
    return console.file.getvalue()


label = st.text(alphabet=st.sampled_from("LA 12[]/bé—x"), min_size=1, max_size=30)
money = st.decimals(min_value=0, max_value=10**7, places=2).map(reporting.gbp)
row = st.tuples(label, st.integers(0, 99).map(str), money, st.booleans())


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(row, min_size=rich_table.STACK_ROWS, max_size=60), width=st.sampled_from([30, 50, 80, 120]))
def test_stacked_layout_prints_what_rich_prints_row_by_row(rows, width):
    stacked = shown(table(rows), width)
    original = rich_table.STACK_ROWS
    rich_table.STACK_ROWS = 10**9
    try:
        row_by_row = shown(table(rows), width)
    finally:
        rich_table.STACK_ROWS = original
    assert stacked == row_by_row


def test_a_long_table_that_fits_is_stacked_and_one_that_would_wrap_is_not():
    rows = [(f"LA{i}", str(i), reporting.gbp(Decimal(i * 1000)), i % 7 == 0) for i in range(40)]
    console = Console(file=io.StringIO(), width=120)
    assert table(rows)._stacked(console, console.options) is not None
    rows[3] = ("an LA with a very long name indeed, longer than the console", "1", "£1.00", False)
    narrow = Console(file=io.StringIO(), width=40)
    assert table(rows)._stacked(narrow, narrow.options) is None


def styled(t: Table, width: int) -> list[tuple[str, str]]:
    """Every character printed, with its style (as a colour terminal would show it)."""
    console = Console(file=io.StringIO(), width=width, color_system="truecolor", force_terminal=True)
    return [(ch, str(seg.style or "")) for seg in console.render(t, console.options) if not seg.control
            for ch in seg.text]


def row_by_row(show, t: Table, width: int):
    original = rich_table.STACK_ROWS
    rich_table.STACK_ROWS = 10**9
    try:
        return show(t, width)
    finally:
        rich_table.STACK_ROWS = original


# a box whose every part is drawn differently (rich draws a table's last row with the foot parts)
MARKED = box.Box("┌─┬┐\n│h┆│\n╞═╪╡\nm:;M\n├─┼┤\n├─┼┤\nf!|F\n└─┴┘\n")


def coloured(rows, drawn: box.Box) -> Table:
    t = Table(title="Per LA", box=drawn, title_justify="left", border_style="blue")
    t.add_column("LA", style="cyan")
    t.add_column("Mode", justify="center")
    t.add_column("Total", justify="right", style="green", no_wrap=True)
    for la, n, total, dim in rows:
        t.add_row(la, Text(n, style="magenta"), bold(total), style="dim" if dim else ("on red" if n == "7" else None))
    return t


@settings(max_examples=40, deadline=None)
@given(rows=st.lists(row, min_size=rich_table.STACK_ROWS, max_size=50), width=st.sampled_from([30, 60, 120]),
       drawn=st.sampled_from([box.SIMPLE_HEAD, box.SIMPLE_HEAVY, MARKED]))
def test_stacked_layout_prints_every_character_in_the_style_rich_gives_it(rows, width, drawn):
    # a stacked table's body lines are written by rich_table itself: the same characters in the
    # same styles (column, row, cell, span and background) as rich's own row-by-row rendering
    assert styled(coloured(rows, drawn), width) == row_by_row(styled, coloured(rows, drawn), width)
    assert styled(table(rows), width) == row_by_row(styled, table(rows), width)


def test_a_long_table_that_fits_has_its_body_written_by_rich_table_in_few_segments():
    rows = [(f"LA{i}", str(i), reporting.gbp(Decimal(i * 1000)), i % 7 == 0) for i in range(40)]
    console = Console(file=io.StringIO(), width=120)
    stacked = table(rows)._stacked(console, console.options)
    assert stacked is not None and stacked._body_styles is not None
    body = stacked._body_lines(console, console.options, [8, 8, 14])
    plain = [line for (la, _, _, dim), line in zip(rows, body) if not dim]
    assert all(len(line) == 3 for line in plain)  # padding and the LA; the bold total; its padding


@pytest.mark.parametrize("text", ["[/b]", "[bold]A[/]", ":smile:", "[red]x"])
def test_cells_are_shown_as_written(text):
    t = table([(text, "1", "£1.00", False)])
    assert text in shown(t, 80)


def test_each_savings_table_starts_apart_from_the_note_above_it(runner):
    from conftest import TRIAL, invoke

    result = invoke(runner, "savings", str(TRIAL), "--bootstrap", "200")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    for title in ("Does it pay for itself?", "How sure?"):
        at = next(i for i, line in enumerate(lines) if line.startswith(title))
        assert lines[at - 1].strip() == "", title


def test_a_title_longer_than_its_table_goes_on_one_line_when_the_console_is_wide_enough():
    rows = [(f"LA{i}", str(i), reporting.gbp(Decimal(i)), False) for i in range(3)]
    long_title = "Set-up cost: initial training per LA (report Table 19)"

    def titled(title):
        t = table(rows)
        t.title = title
        return t

    wide = shown(titled(long_title), 80).splitlines()
    assert wide[0] == long_title and wide[1:] == shown(titled(None), 80).splitlines()
    # narrower than the title: wrapped at the table's width, as rich does
    narrow = shown(titled(long_title), 40).splitlines()
    assert long_title not in narrow and " ".join(line.strip() for line in narrow[:3]).startswith("Set-up cost")
    assert narrow[-len(shown(titled(None), 40).splitlines()):] == shown(titled(None), 40).splitlines()
