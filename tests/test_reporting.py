"""Terminal tables: user text is shown as written, tables start apart from the notes above them, and
a forms set with many LA-phases gets a summary of them rather than hundreds of rows."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from rich import box
from rich.console import Console
from rich.table import Table

from sr_cost.api import run_estimate
from sr_cost.money import gbp
from sr_cost.outputs import terminal, terminal_estimate

from conftest import TRIAL, invoke


def shown(renderable, width: int) -> str:
    console = Console(file=io.StringIO(), width=width, highlight=False, color_system=None)
    console.print(renderable)
    return console.file.getvalue()


@pytest.mark.parametrize("text", ["[/b]", "[bold]A[/]", ":smile:", "[red]x"])
def test_cells_are_shown_as_written(text):
    t = Table(box=box.SIMPLE_HEAD)
    t.add_column("LA")
    t.add_column("Total", justify="right")
    terminal.row(t, text, terminal.bold(gbp(Decimal(1))))
    assert text in shown(t, 80)


def test_each_savings_table_starts_apart_from_the_note_above_it(runner):
    result = invoke(runner, "savings", str(TRIAL), "--bootstrap", "200")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    for title in (
        "The saving per staff member on each",
        "Who answered",
        "A year, in the LAs",
        "How sure?",
        "Does it pay?",
    ):
        at = next(i for i, line in enumerate(lines) if line.startswith(title))
        assert lines[at - 1].strip() == "", title


def test_many_la_phases_get_a_summary_and_say_where_every_row_is(monkeypatch):
    run = run_estimate(TRIAL)
    est = run.estimate
    monkeypatch.setattr(terminal_estimate, "MAX_LA_ROWS", 5)
    monkeypatch.setattr(terminal_estimate, "EXTREMES", 2)
    text = shown_all(terminal_estimate.estimate_renderables(est, run.table), 120)
    assert "9 LA-phases: the 2 highest and 2 lowest by mean cost per round" in text
    assert "--format csv" in text and "--excel" in text
    # the highest are LA5 (£2,711.60) and LA4 (£2,071.18); the lowest LA7 (£340.58) and LA9 (£288.24)
    positions = [text.index(f"{la} ") for la in ("LA5", "LA4", "LA7", "LA9")]
    assert positions == sorted(positions)
    assert all(f"{la} " not in text for la in ("LA1", "LA3", "LA6", "LA8", "LA12"))
    assert "report Table 20" not in text
    assert all(f"£{v}" in text for v in ("2,711.60", "2,071.18", "340.58", "288.24"))


def test_few_la_phases_are_shown_one_by_one():
    run = run_estimate(TRIAL)
    text = shown_all(terminal_estimate.estimate_renderables(run.estimate, run.table), 120)
    assert "report Table 19" in text and "report Table 20" in text
    assert all(f"LA{n} " in text for n in (1, 3, 4, 5, 6, 7, 8, 9, 12))


def shown_all(renderables, width: int) -> str:
    return "".join(shown(r, width) for r in renderables)
