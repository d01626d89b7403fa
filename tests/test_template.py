"""``sr-cost template``: a forms workbook to fill in, with instructions and drop-downs, that
``sr-cost estimate`` reads as it is, also after a spreadsheet program has saved it."""

from __future__ import annotations

import csv
import json

import openpyxl
import pytest

from sr_cost.api import run_estimate
from sr_cost.excel.template import FORM_COLUMNS, INSTRUCTIONS, ROLES, build_template
from sr_cost.inputs.unit_costs import load_table
from sr_cost.money import parse_number
from sr_cost.outputs.json_csv import estimate_to_dict

from conftest import ROOT, TRIAL, invoke
from soffice import convert, soffice  # noqa: F401  (a fixture)

SMALL = ROOT / "tests" / "fixtures" / "small"
FORMS = ("training", "rounds", "panel", "steering", "survey", "staff")


@pytest.fixture(scope="module")
def table():
    return load_table()


def test_sheets_and_headers(table):
    wb = build_template(table)
    assert wb.sheetnames == [INSTRUCTIONS, "about", *FORMS, ROLES]
    about = wb["about"]
    assert [[c.value for c in r] for r in about.iter_rows()] == [
        ["key", "value"],
        ["period_months", None],
        ["price_year", None],
        ["title", None],
    ]
    for name in FORMS:
        ws = wb[name]
        assert [c.value for c in ws[1]] == list(FORM_COLUMNS[name])
        assert ws.max_row == 1 and ws.freeze_panes == "A2"
    assert FORM_COLUMNS["survey"] == (
        "la",
        "phase",
        "respondent",
        "group",
        "role",
        "salary",
        "sick_days",
        "rounds_attended",
    )
    assert FORM_COLUMNS["staff"] == ("la", "phase", "intervention_staff", "control_staff")


def test_instructions_explain_every_column_with_an_example(table):
    ws = build_template(table)[INSTRUCTIONS]
    rows = list(ws.iter_rows(values_only=True))
    top = next(i for i, r in enumerate(rows) if r[:5] == ("Sheet", "Column", "Required", "What to write", "Example"))
    explained = {(r[0], r[1]): r for r in rows[top + 1 :] if r[1]}
    for sheet, columns in FORM_COLUMNS.items():
        for column in columns:
            _, _, required, meaning, example = explained[(sheet, column)]
            assert required in ("yes", "no") and len(meaning) > 10 and example not in (None, ""), (sheet, column)
    assert explained[("rounds", "round")][2] == "yes" and explained[("panel", "round")][2] == "no"


def _validations(ws):
    return {str(dv.sqref).split(":")[0][:-1]: dv for dv in ws.data_validations.dataValidation}


def test_drop_downs_and_number_checks(table):
    wb = build_template(table)
    rounds = _validations(wb["rounds"])
    role = rounds["F"]  # role
    assert role.type == "list" and role.formula1 == f"Roles!$A$2:$A${len(table.roles) + 1}"
    assert role.errorStyle == "warning"  # a line with its own rate may name any role
    assert [c.value for c in wb[ROLES]["A"][1:]] == [r.role for r in table.roles]
    assert rounds["D"].type == "list" and rounds["D"].formula1 == '"in-person,virtual"'
    for letter in "GHIJK":  # rate, staff, hours, miles, cost
        dv = rounds[letter]
        assert (dv.type, dv.operator, dv.formula1) == ("decimal", "greaterThanOrEqual", "0"), letter
    survey = _validations(wb["survey"])
    assert survey["D"].formula1 == '"intervention,control"' and survey["E"].type == "list"
    assert all(survey[letter].type == "decimal" for letter in "FGH")
    staff = _validations(wb["staff"])
    assert staff["C"].type == staff["D"].type == "decimal"


def test_unit_costs_option_gives_the_role_list(runner, tmp_path):
    costs = tmp_path / "our_costs.csv"
    costs.write_text("role,salary\nOur social worker,36000\nOur manager,52000\n")
    out = tmp_path / "forms.xlsx"
    result = invoke(runner, "template", str(out), "--unit-costs", str(costs))
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(out)
    assert [c.value for c in wb[ROLES]["A"][1:]] == ["Our social worker", "Our manager"]
    assert _validations(wb["rounds"])["F"].formula1 == "Roles!$A$2:$A$3"
    result = invoke(runner, "template", str(costs.with_suffix(".xlsx")), "--unit-costs", str(costs))
    assert result.exit_code == 0
    result = invoke(runner, "template", str(tmp_path / "forms.csv"))
    assert result.exit_code == 2 and ".xlsx" in result.stderr


def test_example_estimates(runner, tmp_path):
    out = tmp_path / "plan.xlsx"
    assert invoke(runner, "template", str(out), "--example").exit_code == 0
    result = invoke(runner, "estimate", str(out), "--format", "json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    (la,) = payload["las"]
    assert (la["la"], la["rounds_in_person"], la["rounds_virtual"]) == ("Example LA", 1, 1)
    assert la["setup"]["direct"] == "5000.00"
    assert {m["mode"] for m in payload["modes"]} == {"in-person", "virtual"}
    assert la["attendances"] == 14  # nine in person, five online


def test_blank_template_says_what_is_missing(runner, tmp_path):
    out = tmp_path / "blank.xlsx"
    assert invoke(runner, "template", str(out)).exit_code == 0
    result = invoke(runner, "estimate", str(out))
    assert result.exit_code == 1
    assert "the rounds form has no lines" in result.stderr


def fill(template, folder, out):
    """Type the CSV forms of ``folder`` into the template's sheets, as a user would in Excel: numbers
    as numbers, labels as text (a whole-number phase or round as a number)."""
    wb = openpyxl.load_workbook(template)
    for name in ("training", "rounds", "panel", "steering"):
        ws = wb[name]
        columns = [c.value for c in ws[1]]
        with open(folder / f"{name}.csv", encoding="utf-8-sig") as handle:
            for r, record in enumerate(csv.DictReader(handle), start=2):
                dropped = {k: v for k, v in record.items() if k not in columns and v}
                assert not dropped, dropped  # the template has every column the data uses
                for c, column in enumerate(columns, start=1):
                    value = record.get(column) or None
                    if value is None:
                        continue
                    if column in ("rate", "staff", "hours", "miles", "cost"):
                        value = parse_number(value)
                    elif value.isdigit():
                        value = int(value)
                    ws.cell(row=r, column=c, value=value)
    wb.save(out)
    return out


def comparable(run):
    payload = estimate_to_dict(run.estimate, run.table)
    payload.pop("inputs")
    return payload


def test_filled_in_and_saved_by_libreoffice_gives_the_csv_estimate(soffice, tmp_path):  # noqa: F811
    """The small fixture typed into a blank template, saved by LibreOffice (drop-downs, formats and
    all), read back: the same estimate as the same data in CSV. The example template too."""
    template = tmp_path / "template.xlsx"
    build_template(load_table()).save(template)
    filled = fill(template, SMALL, tmp_path / "filled.xlsx")
    example = tmp_path / "example.xlsx"
    build_template(load_table(), example=True).save(example)
    saved_filled, saved_example = convert(soffice, [filled, example], tmp_path / "saved")
    assert comparable(run_estimate(saved_filled)) == comparable(run_estimate(SMALL))
    assert comparable(run_estimate(saved_example)) == comparable(run_estimate(example))
    # LibreOffice kept the drop-downs
    wb = openpyxl.load_workbook(saved_filled)
    kinds = {dv.type for dv in wb["rounds"].data_validations.dataValidation}
    assert {"list", "decimal"} <= kinds


def test_trial_forms_fit_the_template(tmp_path):
    """The bundled trial's forms go into the template without losing a column."""
    template = tmp_path / "template.xlsx"
    build_template(load_table()).save(template)
    filled = fill(template, TRIAL, tmp_path / "trial.xlsx")
    assert comparable(run_estimate(filled))["las"] == comparable(run_estimate(TRIAL))["las"]
