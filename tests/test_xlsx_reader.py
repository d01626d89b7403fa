"""Reading forms workbooks as Excel or LibreOffice saved them: formulas by their saved values, and
every way a sheet can say something other than what its user sees is an error with its cell."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import PatternFill

from sr_cost.api import run_estimate
from sr_cost.errors import DataError

from conftest import ROOT, invoke
from soffice import convert, soffice  # noqa: F401  (a fixture)

SMALL = ROOT / "tests" / "fixtures" / "small"
COLUMNS = ["la", "phase", "round", "mode", "item", "role", "rate", "staff", "hours", "miles", "cost"]
ROUNDS = [
    ["A", 1, "R1", "in-person", "attendance", "Social worker", None, 10, 1, None, None],
    ["A", 1, "R1", "in-person", "facilitator", "Team manager", None, 1, 2, None, None],
    ["A", 1, "R1", "in-person", "catering", None, None, None, None, None, 120],
    ["A", 1, "R2", "virtual", "attendance", "Family support worker", None, 6, 1, None, None],
]


def workbook(path: Path, edit=None, rows=ROUNDS) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "rounds"
    ws.append(COLUMNS)
    for row in rows:
        ws.append(row)
    if edit:
        edit(wb, ws)
    wb.save(path)
    return path


def errors(path: Path):
    with pytest.raises(DataError) as info:
        run_estimate(path)
    return [p for p in info.value.problems if p.severity == "error"]


def test_a_plain_workbook_reads(tmp_path):
    est = run_estimate(workbook(tmp_path / "f.xlsx")).estimate
    assert [r.round for r in est.rounds] == ["R1", "R2"]
    assert est.las[0].attendances == 16


def test_formula_without_a_saved_value(tmp_path):
    path = workbook(tmp_path / "f.xlsx", lambda wb, ws: ws.__setitem__("I3", "=1+1"))
    (p,) = errors(path)
    assert (p.sheet, p.cell, p.column) == ("rounds", "I3", "hours")
    assert "formula with no saved value" in p.message and p.value == "=1+1"


def test_error_values(tmp_path):
    def edit(wb, ws):
        ws["H2"] = "#REF!"
        ws["K4"] = "#N/A"

    found = errors(workbook(tmp_path / "f.xlsx", edit))
    assert [(p.cell, p.value) for p in found] == [("H2", "#REF!"), ("K4", "#N/A")]
    assert all("error value" in p.message for p in found)


def test_merged_cells_in_the_data(tmp_path):
    (p,) = errors(workbook(tmp_path / "f.xlsx", lambda wb, ws: ws.merge_cells("E2:F3")))
    assert p.cell == "E2:F3" and "merged" in p.message and p.sheet == "rounds"


def test_merged_cells_beside_the_data_are_fine(tmp_path):
    path = workbook(tmp_path / "f.xlsx", lambda wb, ws: ws.merge_cells("N2:P3"))
    assert run_estimate(path).estimate.las[0].rounds == 2


def test_hidden_form_sheet(tmp_path):
    def edit(wb, ws):
        panel = wb.create_sheet("Panel")
        panel.append(COLUMNS)
        panel.append(["A", 1, None, None, "prep", "Social worker", None, 1, 1, None, None])
        panel.sheet_state = "hidden"

    (p,) = errors(workbook(tmp_path / "f.xlsx", edit))
    assert p.sheet == "Panel" and "hidden" in p.message


def test_sheets_that_are_not_forms_are_not_read(tmp_path):
    def edit(wb, ws):
        notes = wb.create_sheet("Notes")
        notes["A1"] = "anything"
        notes["B2"] = "=1+1"
        notes["C3"] = "#REF!"
        notes.merge_cells("A5:C6")
        secret = wb.create_sheet("lists")
        secret["A1"] = "=NOW()"
        secret.sheet_state = "veryHidden"

    assert run_estimate(workbook(tmp_path / "f.xlsx", edit)).estimate.las[0].rounds == 2


def test_hidden_rows_holding_data(tmp_path):
    def edit(wb, ws):
        ws.row_dimensions[3].hidden = True
        ws.row_dimensions[9].hidden = True  # empty: no harm

    (p,) = errors(workbook(tmp_path / "f.xlsx", edit))
    assert (p.row, p.cell) == (3, "A3") and "hidden" in p.message


def test_hidden_column_holding_a_form_column(tmp_path):
    def edit(wb, ws):
        ws.column_dimensions["K"].hidden = True  # cost
        ws.column_dimensions["M"].hidden = True  # beyond the table: no harm

    (p,) = errors(workbook(tmp_path / "f.xlsx", edit))
    assert (p.cell, p.column) == ("K1", "cost") and "hidden" in p.message


def test_a_wrong_dimension_does_not_lose_rows(tmp_path):
    """Some writers save <dimension ref="A1"/> whatever the sheet holds; every row is still read."""
    path = workbook(tmp_path / "f.xlsx")
    patched = tmp_path / "patched.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(patched, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data, n = re.subn(rb'<dimension ref="[^"]*"', b'<dimension ref="A1"', data)
                assert n == 1
            dst.writestr(item, data)
    assert run_estimate(patched).estimate.las[0].attendances == 16


def test_a_value_beside_the_form_is_named_with_its_cell(tmp_path):
    """The header ends at K (cost); a note typed in L3 would not be read, so it is an error."""
    (p,) = errors(workbook(tmp_path / "f.xlsx", lambda wb, ws: ws.__setitem__("L3", "paid by HR")))
    assert (p.sheet, p.row, p.cell, p.value) == ("rounds", 3, "L3", "paid by HR")
    assert "outside the form's columns" in p.message and "(K1, 'cost')" in p.message
    assert p.fix.startswith("Delete it, or move it into a named column")


def test_a_value_under_a_blank_header_is_named(tmp_path):
    def edit(wb, ws):
        ws["M1"] = "notes"  # L1 is left blank: column L has no header
        ws["L2"] = 7

    (p,) = errors(workbook(tmp_path / "f.xlsx", edit))
    assert (p.cell, p.value) == ("L2", "7") and "under a blank header in row 1" in p.message


def test_values_beside_the_form_are_listed_up_to_twenty_then_counted(tmp_path):
    def edit(wb, ws):
        for row in range(2, 32):  # 30 values in column M, most below the form's last row
            ws.cell(row=row, column=13, value=f"x{row}")

    found = errors(workbook(tmp_path / "f.xlsx", edit))
    assert [p.cell for p in found[:20]] == [f"M{row}" for row in range(2, 22)]
    (more,) = found[20:]
    assert "10 more cell(s) outside the form's columns" in more.message and "M31" in more.message


def test_a_formatted_empty_cell_far_away_is_not_a_value(tmp_path):
    """Formatting the sheet's last cell (no value) writes it into the XML, and makes the sheet's
    dimension A1:XFD1048576; it is neither reported nor read as a million rows."""

    def edit(wb, ws):
        ws["XFD1048576"].fill = PatternFill("solid", fgColor="FFFF00")
        ws["M2"].number_format = "0.00"

    path = workbook(tmp_path / "f.xlsx", edit)
    with zipfile.ZipFile(path) as archive:
        assert b'r="XFD1048576"' in archive.read("xl/worksheets/sheet1.xml")
    est = run_estimate(path).estimate
    assert est.las[0].attendances == 16 and est.las[0].rounds == 2


def test_values_beside_the_form_saved_by_libreoffice_are_named(soffice, tmp_path):  # noqa: F811
    """LibreOffice keeps text in the shared-strings table, not in the cell: the value is looked up."""

    def edit(wb, ws):
        ws["L3"] = "paid by HR"
        ws["N5"] = 12.5

    (saved,) = convert(soffice, [workbook(tmp_path / "f.xlsx", edit)], tmp_path / "saved")
    with zipfile.ZipFile(saved) as archive:
        assert b't="s"' in archive.read("xl/worksheets/sheet1.xml")
    assert [(p.cell, p.value) for p in errors(saved)] == [("L3", "paid by HR"), ("N5", "12.5")]


def _with_member(path: Path, member: str, edit) -> Path:
    out = path.with_name("patched.xlsx")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            dst.writestr(item, edit(data) if item.filename == member else data)
    return out


LAUGHS = (
    b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
)


@pytest.mark.parametrize("member", ["xl/workbook.xml", "xl/worksheets/sheet1.xml"])
def test_entity_declarations_are_refused_naming_the_part(tmp_path, member):
    """Whether openpyxl meets the DTD while opening the workbook or while reading the sheet."""

    def declare(data: bytes) -> bytes:  # the DTD goes after the XML declaration, if there is one
        at = data.index(b"?>") + 2 if data.startswith(b"<?xml") else 0
        return data[:at] + LAUGHS + data[at:]

    path = _with_member(workbook(tmp_path / "f.xlsx"), member, declare)
    (p,) = errors(path)
    assert f"contains XML entity declarations (a DTD) in {member}" in p.message
    assert "billion laughs" in p.message
    assert p.fix == "Open it in Excel and save it again as .xlsx, or export the sheets as CSV"


def test_every_problem_at_once_with_the_cli(tmp_path, runner):
    def edit(wb, ws):
        ws["I3"] = "=1+1"
        ws["H2"] = "#DIV/0!"
        ws.merge_cells("E4:F4")

    result = invoke(runner, "estimate", str(workbook(tmp_path / "f.xlsx", edit)))
    assert result.exit_code == 1
    for where in ("I3", "H2", "E4:F4"):
        assert where in result.stderr


def test_reading_problems_and_the_other_rows_problems_come_in_one_run(tmp_path):
    # a cell that cannot be read is reported with the problems of every other row, in one go; the
    # row it is in is checked once it is put right (a merged or unreadable cell would make its
    # row's other problems misleading)
    rows = ROUNDS + [
        ["A", 1, "R2", "virtual", "attendance", "Social wroker", None, 2, 1, None, None],
        ["A", 1, "R2", "virtual", "attendance", "Team manager", None, "two", 1, None, None],
    ]

    def edit(wb, ws):
        ws["H2"] = "#REF!"
        ws["F2"] = "Sociel worker"  # an unknown role too, on the row with the #REF!: it waits
        ws["I3"] = "=1+1"
        ws.merge_cells("E5:F5")

    found = [(p.cell, p.message) for p in errors(workbook(tmp_path / "f.xlsx", edit, rows=rows))]
    assert found[:3] == [
        ("H2", "holds a spreadsheet error value"),
        ("I3", "holds a formula with no saved value"),
        ("E5:F5", "merged cells in the form: only the first cell of a merge holds a value"),
    ]
    assert sorted((cell, message.split(" (")[0]) for cell, message in found[3:]) == [
        ("F6", "unknown role"),
        ("H7", "staff is not a number"),
    ]


def survey_workbook(path: Path, edit) -> Path:
    def forms(wb, ws):
        survey = wb.create_sheet("survey")
        survey.append(["la", "phase", "respondent", "group", "role", "salary", "sick_days", "rounds_attended"])
        for i, group in enumerate(["intervention", "control"] * 3, start=1):
            survey.append(["A", 1, f"R{i}", group, "Social worker", None, i, 1])
        staff = wb.create_sheet("staff")
        staff.append(["la", "phase", "intervention_staff", "control_staff"])
        staff.append(["A", 1, 20, 21])
        edit(wb, survey)

    return workbook(path, forms)


def test_the_surveys_reading_problems_come_with_its_other_problems(tmp_path):
    assert run_estimate(survey_workbook(tmp_path / "ok.xlsx", lambda wb, survey: None)).savings is not None

    def edit(wb, survey):
        survey["G3"] = "#N/A"
        survey["D5"] = "treated"

    found = [(p.sheet, p.cell, p.message) for p in errors(survey_workbook(tmp_path / "f.xlsx", edit))]
    assert found == [("survey", "G3", "holds a spreadsheet error value"), ("survey", "D5", "unknown group")]


def test_a_reading_problem_on_a_survey_sheet_without_respondents_is_reported(tmp_path):
    def edit(wb, survey):
        survey.delete_rows(2, 6)
        survey["K3"] = "note"  # beside the form's columns: a value it would not read

    (p,) = errors(survey_workbook(tmp_path / "f.xlsx", edit))
    assert (p.sheet, p.cell) == ("survey", "K3") and "outside the form's columns" in p.message


def test_formulas_saved_by_libreoffice_are_read_by_value(soffice, tmp_path):  # noqa: F811
    """A form whose numbers are formulas, once saved by a spreadsheet program, reads as their values."""

    def edit(wb, ws):
        ws["H2"] = "=4+6"  # 10 attending
        ws["I3"] = "=SUM(0.5,1.5)"  # the facilitator's 2 hours
        ws["K4"] = "=100+20"  # catering

    source = workbook(tmp_path / "f.xlsx", edit)
    (saved,) = convert(soffice, [source], tmp_path / "saved")
    est = run_estimate(saved).estimate
    plain = run_estimate(workbook(tmp_path / "plain.xlsx")).estimate
    assert est.las[0].per_round == plain.las[0].per_round
    assert est.las[0].attendances == 16
