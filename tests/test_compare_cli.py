"""``sr-cost compare`` on the command line: JSON equals the library's result, the tables read at 80
columns, the workbook, exit codes."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from decimal import Decimal as D

import pytest
from openpyxl import load_workbook

from sr_cost.api import run_compare
from sr_cost.cli.compare import CompareBy, CompareFormat
from sr_cost.core.savings import SavingsAssumptions
from sr_cost.outputs.json_compare import compare_to_dict

from conftest import ROOT, TRIAL, invoke

SMALL = ROOT / "tests" / "fixtures" / "compare_small"
INDEX = ROOT / "tests" / "fixtures" / "compare_index.csv"


def test_json_equals_the_library(runner):
    result = invoke(
        runner,
        "compare",
        str(TRIAL),
        "--sensitivity",
        "--bootstrap",
        "300",
        "--format",
        "json",
        "--years",
        "5",
        "--discount-rate",
        "3%",
    )
    assert result.exit_code == 0, result.output
    got = json.loads(result.stdout)
    run = run_compare(
        TRIAL, sensitivity=True, years=5, discount_rate_pct=D(3), savings_assumptions=SavingsAssumptions(bootstrap=300)
    )
    assert got == json.loads(json.dumps(compare_to_dict(run)))
    assert {"options", "difference", "ratio", "horizon", "sensitivity"} <= set(got)
    for option in got["options"]:
        for key in (
            "label",
            "setup",
            "mean_total_per_round",
            "attendees_per_round",
            "cost_per_attendee",
            "annual_cost",
            "horizon_cost",
            "present_value",
        ):
            assert option[key] is not None, key
    assert got["prices"]["price_year"] == 2019 and got["unit_costs"]["price_year"] == 2019
    assert got["horizon"]["discount_rate"] == "0.0300" and len(got["horizon"]["options"][0]["by_year"]) == 5
    # money as two-decimal strings
    assert got["options"][0]["mean_total_per_round"] == "1340.34"
    assert got["difference"]["setup"] == "0.00" and got["ratio"]["setup"] == "1.0000"


def test_by_phase_shows_the_reports_means(runner):
    result = invoke(runner, "compare", str(TRIAL), "--by", "phase", "--bootstrap", "0")
    assert result.exit_code == 0, result.output
    assert "£1,885.17" in result.stdout and "£429.21" in result.stdout
    assert "£22,622.04" in result.stdout and "£5,150.52" in result.stdout
    assert "2019 prices" in result.stdout


@pytest.mark.parametrize("width", [80, 120])
def test_tables_read_without_truncation(runner, width):
    from rich.console import Console

    from sr_cost.outputs.terminal_compare import print_compare

    run = run_compare(TRIAL, sensitivity=True, savings_assumptions=SavingsAssumptions(bootstrap=200))
    buffer = io.StringIO()
    print_compare(run.comparison, Console(file=buffer, width=width, no_color=True))
    text = buffer.getvalue()
    assert "…" not in text
    assert max(len(line) for line in text.splitlines()) <= width
    assert "What moves the net annual cost" in text and "Break-even" in text


def test_long_labels_still_fit(runner):
    from rich.console import Console

    from sr_cost.outputs.terminal_compare import print_compare

    run = run_compare(
        SMALL,
        labels=("Authority plan with lunch", "Authority plan online"),
        sensitivity=True,
        savings_assumptions=SavingsAssumptions(bootstrap=0),
    )
    buffer = io.StringIO()
    print_compare(run.comparison, Console(file=buffer, width=80, no_color=True))
    text = buffer.getvalue()
    assert "…" not in text and "A = Authority plan with lunch" in text


def test_excel_workbook(runner, tmp_path):
    path = tmp_path / "compare.xlsx"
    result = invoke(
        runner,
        "compare",
        str(SMALL),
        "--sensitivity",
        "--excel",
        str(path),
        "--uplift-to",
        "2024",
        "--index",
        str(INDEX),
    )
    assert result.exit_code == 0, result.output
    book = load_workbook(path)
    assert book.sheetnames == ["Compare", "Horizon", "Sensitivity"]
    compare, horizon, sens = book["Compare"], book["Horizon"], book["Sensitivity"]
    rows = {r[0]: r[1:5] for r in compare.iter_rows(min_row=6, max_col=5, values_only=True) if r[0]}
    # 2024 prices: x 1.2 (made-up index 2019 = 100, 2024 = 120): 675.50 x 1.2 = 810.60
    assert rows["Per round: total"][:2] == (810.6, 315.84)
    assert "2024 prices" in compare["A3"].value
    assert len(horizon._charts) == 1 and len(sens._charts) == 2
    assert horizon["A5"].value == 1 and horizon["E5"].value == 6000 + 9727.2  # 5,000 x 1.2 + 12 x 810.60
    assert sens["A6"].value == "Rounds a year 9-15"  # the widest swing: 9 to 15 rounds (75% to 125% of 12)


def test_excel_without_sensitivity_says_how(runner, tmp_path):
    path = tmp_path / "compare.xlsx"
    assert invoke(runner, "compare", str(SMALL), "--excel", str(path)).exit_code == 0
    assert "--sensitivity" in load_workbook(path)["Sensitivity"]["A2"].value


@pytest.mark.parametrize(
    "args,code,message",
    [
        (["--uplift", "2"], 2, "--uplift-to"),
        (["--uplift-to", "2024"], 2, "--index"),
        (["--by", "phase", "--phases", "1"], 2, "two different phases"),
        (["--excel", "out.csv"], 2, ".xlsx"),
        (["--discount-rate", "lots"], 2, "not a number"),
        (["--uplift-to", "2031", "--index", str(INDEX)], 1, "no row for 2031"),
        (["--by", "phase"], 1, "one phase"),
    ],
)
def test_exit_codes(runner, tmp_path, monkeypatch, args, code, message):
    monkeypatch.chdir(tmp_path)
    result = invoke(runner, "compare", str(SMALL), *args)
    assert result.exit_code == code, result.output
    assert message in result.output


def test_output_must_not_overwrite_an_input(runner):
    result = invoke(
        runner,
        "compare",
        str(SMALL),
        "--excel",
        str(INDEX.with_suffix(".xlsx")),
        "--index",
        str(INDEX),
        "--uplift-to",
        "2020",
        "-o",
        str(INDEX),
    )
    assert result.exit_code == 2


@pytest.mark.parametrize("by", list(CompareBy))
@pytest.mark.parametrize("fmt", list(CompareFormat))
def test_every_by_and_format(runner, by, fmt):
    result = invoke(runner, "compare", str(TRIAL), "--by", by.value, "--format", fmt.value, "--bootstrap", "0")
    assert result.exit_code == 0, result.output
    if fmt is CompareFormat.json:
        assert json.loads(result.stdout)["basis"] == by.value
    else:
        assert "Side by side" in result.stdout


def test_help_does_not_import_pandas_or_openpyxl():
    code = (
        "import sys\nfrom sr_cost.cli import app\ntry:\n    app(['compare', '--help'])\nexcept SystemExit:\n"
        "    pass\nprint(sorted(m for m in ('pandas', 'openpyxl', 'numpy') if m in sys.modules))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "[]"
