"""Bad forms: every problem found in one pass, located by file, row and column, exit 1, nothing written."""

from __future__ import annotations

import shutil

import pytest

from sr_cost.api import run_estimate
from sr_cost.errors import DataError

from conftest import ROOT, invoke

SMALL = ROOT / "tests" / "fixtures" / "small"
HEADER = "la,phase,round,mode,item,role,rate,staff,hours,miles,cost\n"


@pytest.fixture
def forms(tmp_path):
    target = tmp_path / "forms"
    shutil.copytree(SMALL, target)
    return target


def problems_of(path):
    with pytest.raises(DataError) as info:
        run_estimate(path)
    return [p for p in info.value.problems if p.severity == "error"]


def one(path):
    found = problems_of(path)
    assert len(found) == 1, [str(p) for p in found]
    return found[0]


def test_missing_rounds(forms):
    (forms / "rounds.csv").unlink()
    assert "rounds form is missing" in one(forms).message


def test_missing_required_column(forms):
    (forms / "rounds.csv").write_text("la,phase,mode,item,role,staff,hours\nA,1,virtual,x,Social worker,1,1\n")
    p = one(forms)
    assert "required column 'round'" in p.message and p.file.endswith("rounds.csv")


def test_unknown_role_with_close_matches(forms):
    (forms / "rounds.csv").write_text(HEADER + "A,1,R1,virtual,attendance,Socail worker,,3,1,,\n")
    for f in ("panel.csv", "steering.csv", "training.csv"):
        (forms / f).unlink()
    p = one(forms)
    assert (p.row, p.column, p.value) == (2, "role", "Socail worker")
    assert "Did you mean 'Social worker'" in p.fix


def one_line(forms, column: str, value: str):
    """The forms with one rounds line (a facilitator's) whose ``column`` holds ``value``, and no
    other form."""
    cols = HEADER.strip().split(",")
    row = dict(zip(cols, "A,1,R1,virtual,facilitator,Team manager,,1,1,,".split(",")))
    row[column] = value
    (forms / "rounds.csv").write_text(HEADER + ",".join(f'"{row[c]}"' for c in cols) + "\n")
    for f in ("panel.csv", "steering.csv", "training.csv"):
        (forms / f).unlink()
    return forms


@pytest.mark.parametrize(
    "column,value,words",
    [
        ("hours", "-1", "negative"),
        ("hours", "two", "not a number"),
        ("cost", "12.345", "decimal places"),
        ("staff", "1e3", "not a number"),
        ("miles", "NaN", "not a number"),
        ("cost", "£1,234.5O", "not a number"),
    ],
)
def test_bad_numbers(forms, column, value, words):
    p = one(one_line(forms, column, value))
    assert (p.row, p.column, p.value) == (2, column, value)
    assert words in p.message


@pytest.mark.parametrize(
    "column,value,fix",
    [
        ("staff", "two", "Write a number of zero or more in 'staff' (digits like 12 or 7.5)"),
        ("hours", "an hour", "Write a number of zero or more in 'hours' (digits like 12 or 7.5)"),
        (
            "cost",
            "lots",
            "Write an amount of zero or more in 'cost' (digits like 1234.50, optionally with £ and commas)",
        ),
        ("rate", "x", "Write an amount of zero or more in 'rate' (digits like 1234.50, optionally with £ and commas)"),
    ],
)
def test_a_number_that_cannot_be_read_gets_a_fix_for_its_kind(forms, column, value, fix):
    # counts and hours are not money: their fix does not talk of pounds
    p = one(one_line(forms, column, value))
    assert (p.message, p.fix) == (f"{column} is not a number", fix)


def test_unknown_mode_and_two_modes(forms):
    text = (forms / "rounds.csv").read_text().replace("A,1,R2,virtual", "A,1,R2,hybrid")
    text = text.replace("A,1,R1,in person,catering", "A,1,R1,virtual,catering")
    (forms / "rounds.csv").write_text(text)
    found = problems_of(forms)
    msgs = sorted((p.row, p.column, p.message.split(":")[0]) for p in found)
    assert (5, "mode", "unknown mode") in msgs
    assert any(row == 4 and col == "mode" and "two modes" in m for row, col, m in msgs)


def test_panel_tied_to_unknown_round_and_la_without_rounds(forms):
    (forms / "panel.csv").write_text(HEADER + "A,1,R9,,prep,Social worker,,1,1,,\nZ,1,,,prep,Social worker,,1,1,,\n")
    (forms / "steering.csv").write_text(HEADER + "A,2,,,meeting,Team manager,,1,1,,\n")
    found = problems_of(forms)
    assert [(p.file.split("/")[-1], p.row, p.column) for p in found] == [
        ("panel.csv", 2, "round"),
        ("panel.csv", 3, "la"),
        ("steering.csv", 2, "la"),
    ]
    assert "R9" in found[0].message and "no rounds" in found[1].message


def test_hours_with_neither_role_nor_rate(forms):
    (forms / "rounds.csv").write_text((forms / "rounds.csv").read_text() + "A,1,R2,virtual,helper,,,1,2,,\n")
    p = one(forms)
    assert (p.row, p.column) == (9, "hours") and "neither a role nor a rate" in p.message


def test_round_with_no_lines(forms):
    (forms / "rounds.csv").write_text((forms / "rounds.csv").read_text() + "A,1,R3,virtual,note,,,,,,\n")
    p = one(forms)
    assert (p.row, p.column, p.value) == (9, "round", "R3") and "no lines" in p.message


def test_all_problems_at_once_and_cli_writes_nothing(forms, runner, tmp_path):
    (forms / "rounds.csv").write_text(
        HEADER + "A,1,R1,virtual,attendance,Socail worker,,3,-1,,\nA,1,R2,zoom,facilitator,,,1,1,,\n"
    )
    out = tmp_path / "out.json"
    before = {p.name: p.read_bytes() for p in forms.iterdir()}
    result = invoke(runner, "estimate", str(forms), "-f", "json", "-o", str(out))
    assert result.exit_code == 1
    err = result.stderr
    for text in ("Socail worker", "'-1'", "zoom", "neither a role nor a rate", "line 2", "line 3"):
        assert text in err, text
    assert "Traceback" not in result.output
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["forms"]
    assert {p.name: p.read_bytes() for p in forms.iterdir()} == before


def test_problems_wrap_under_themselves_at_80_columns(forms, runner, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    (forms / "rounds.csv").write_text(HEADER + "A,1,R1,virtual,attendance,Socail worker,,3,1,,\n")
    result = invoke(runner, "estimate", str(forms))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert max(len(line) for line in lines) <= 80
    fix = next(i for i, line in enumerate(lines) if line.startswith("  fix: Did you mean"))
    assert lines[fix + 1].startswith("  ") and lines[fix + 1].strip()  # the fix goes on, indented


def test_not_a_folder_or_workbook(runner, tmp_path):
    (tmp_path / "x.txt").write_text("hi")
    assert invoke(runner, "estimate", str(tmp_path / "x.txt")).exit_code == 1
    assert invoke(runner, "estimate", str(tmp_path / "missing")).exit_code == 1


def test_debug_shows_traceback(forms, runner):
    from sr_cost.cli import app

    (forms / "rounds.csv").unlink()
    result = runner.invoke(app, ["--debug", "estimate", str(forms)])
    assert isinstance(result.exception, DataError)


@pytest.mark.parametrize("columns", ["80", "130"])  # one block per problem, or the wide table
def test_a_value_that_looks_like_rich_markup_is_shown_as_written(forms, monkeypatch, columns):
    """'[/b]' in a cell once stopped the error table (rich read it as a closing tag) with a traceback."""
    from typer.testing import CliRunner

    rows = (forms / "rounds.csv").read_text().splitlines()
    rows[1] = rows[1].replace(",10,1,,", ",[/b],1,,")
    (forms / "rounds.csv").write_text("\n".join(rows) + "\n")
    monkeypatch.setenv("COLUMNS", columns)
    result = invoke(CliRunner(), "estimate", str(forms), "--bootstrap", "0")
    assert result.exit_code == 1
    assert "[/b]" in result.output and "Traceback" not in result.output


def test_an_la_label_that_looks_like_rich_markup_is_shown_as_written(forms, monkeypatch):
    from typer.testing import CliRunner

    for name in ("rounds.csv", "panel.csv", "steering.csv", "training.csv"):
        path = forms / name
        path.write_text(path.read_text().replace("\nA,", "\n[bold]A[/],"))
    monkeypatch.setenv("COLUMNS", "120")
    result = invoke(CliRunner(), "estimate", str(forms), "--bootstrap", "0")
    assert result.exit_code == 0, result.output
    assert "[bold]A[/]" in result.output
