"""``sr-cost unit-costs`` through Typer's CliRunner (issue 2)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

from conftest import EXAMPLES, invoke
from test_unit_costs import PUBLISHED


def test_list_csv_prints_the_48_published_rows(runner):
    result = invoke(runner, "unit-costs", "list", "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 48
    assert {r["role"]: (r["salary"], r["on_costs"], r["overheads"], r["unit_cost_hour"]) for r in rows} == PUBLISHED


def test_list_json_and_search(runner):
    result = invoke(runner, "unit-costs", "list", "--format", "json", "--search", "SOCIAL WORK")
    payload = json.loads(result.stdout)
    assert payload["unit_costs"]["price_year"] == 2019
    assert [r["role"] for r in payload["roles"]] == [
        "Consultant social worker",
        "Principal social worker",
        "Senior social worker",
        "Social work assistant",
        "Social worker",
    ]
    assert payload["roles"][-1]["unit_cost_hour"] == "44.55"


def test_list_table(runner):
    result = invoke(runner, "unit-costs", "list")
    assert result.exit_code == 0
    assert "Social worker" in result.stdout and "£44.55" in result.stdout


def test_show_derives_step_by_step(runner):
    result = invoke(runner, "unit-costs", "show", "social worker")
    assert result.exit_code == 0
    for text in ("£34,748.00", "£3,629.52", "£5,907.16", "£9,536.68", "£3,191.00", "1513", "£44.55"):
        assert text in result.stdout


def test_show_unknown_role_suggests(runner):
    result = invoke(runner, "unit-costs", "show", "socal worker")
    assert result.exit_code == 1
    assert "Did you mean 'Social worker'" in " ".join(result.stderr.split())
    assert "Traceback" not in result.output


def test_check_ok_and_failing(runner, tmp_path):
    assert invoke(runner, "unit-costs", "check").exit_code == 0
    bad = tmp_path / "t.csv"
    bad.write_text("role,salary,on_costs,overheads,unit_cost_hour\nSocial worker,34748.00,9536.68,23119.10,45.00\n")
    result = invoke(runner, "unit-costs", "check", "--unit-costs", str(bad))
    assert result.exit_code == 1
    assert "Social worker" in result.stdout


def test_build_writes_a_full_table(runner, tmp_path):
    out = tmp_path / "mine.csv"
    result = invoke(runner, "unit-costs", "build", str(EXAMPLES / "pay_scales.csv"), "-o", str(out))
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open()))
    assert rows[0]["role"] == "Social worker" and rows[0]["salary"] == "36500.00"
    # the built table checks clean and loads as a user table
    assert invoke(runner, "unit-costs", "check", "--unit-costs", str(out)).exit_code == 0


def test_build_refuses_to_overwrite_its_input(runner, tmp_path):
    src = tmp_path / "s.csv"
    src.write_text("role,salary\nSocial worker,1\n")
    result = invoke(runner, "unit-costs", "build", str(src), "-o", str(src))
    assert result.exit_code == 2
    assert src.read_text() == "role,salary\nSocial worker,1\n"


def test_bad_table_exit_1_no_traceback_nothing_written(runner, tmp_path):
    src = tmp_path / "s.csv"
    src.write_text("role,salary\nSocial worker,lots\n")
    out = tmp_path / "out.csv"
    result = invoke(runner, "unit-costs", "build", str(src), "-o", str(out))
    assert result.exit_code == 1
    assert "'lots'" in result.stderr and "line 2" in result.stderr and "column 'salary'" in result.stderr
    assert "Traceback" not in result.output
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [src]


def test_version_and_module_entry(runner):
    from sr_cost import __version__

    assert invoke(runner, "--version").stdout.strip() == f"sr-cost {__version__}"
    proc = subprocess.run([sys.executable, "-m", "sr_cost", "--version"], capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stdout.strip() == f"sr-cost {__version__}"


def test_usage_error_is_exit_2(runner):
    from sr_cost.cli import app

    result = runner.invoke(app, ["unit-costs", "list", "--format", "xml"])
    assert result.exit_code == 2


def test_help_does_not_import_pandas_or_openpyxl():
    code = (
        "import sys\n"
        "from sr_cost.cli import app\n"
        "for args in (['--help'], ['unit-costs', '--help']):\n"
        "    try:\n"
        "        app(args)\n"
        "    except SystemExit:\n"
        "        pass\n"
        "print(sorted(m for m in ('pandas', 'openpyxl', 'numpy') if m in sys.modules))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "[]"
