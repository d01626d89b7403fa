"""The Excel workbook of ``estimate --excel``: its sheets, values, formulas, formatting, provenance,
and its safety (user text never becomes a formula; the file is written whole or not at all).
LibreOffice recalculation is in test_excel_libreoffice.py."""

from __future__ import annotations

import hashlib
import html
import re
import zipfile
from copy import copy
from decimal import Decimal

import openpyxl
import pytest

from sr_cost.api import run_estimate
from sr_cost.excel import cells as excel_cells
from sr_cost.excel import workbook as excel
from sr_cost.outputs.json_csv import estimate_to_dict

from conftest import ROOT, TRIAL, invoke

SMALL = ROOT / "tests" / "fixtures" / "small"
HEADER = "la,phase,round,mode,item,role,rate,staff,hours,miles,cost\n"


@pytest.fixture(scope="module")
def trial_book(tmp_path_factory):
    path = tmp_path_factory.mktemp("excel") / "trial.xlsx"
    run = run_estimate(TRIAL)
    excel.write_workbook(path, run, command="sr-cost estimate examples/trial --excel trial.xlsx")
    return path, run


def test_sheets_in_order(trial_book):
    path, _ = trial_book
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Summary", "By LA", "Rounds", "Lines", "Unit costs", "Assumptions", "Checks"]


def test_by_la_holds_the_json_figures_as_numbers(trial_book):
    path, run = trial_book
    payload = estimate_to_dict(run.estimate, run.table)
    ws = openpyxl.load_workbook(path)["By LA"]
    header = [c.value for c in ws[4]]
    rows = [dict(zip(header, r)) for r in ws.iter_rows(min_row=5, values_only=True)]
    alls = [r for r in rows if r["Mode"] == "all"]
    assert [r["LA"] for r in alls] == [la["la"] for la in payload["las"]]
    for r, la in zip(alls, payload["las"]):
        # Table 20 (columns Panel, Round, Steering, Total) and Table 19 (the three Set-up columns)
        assert [f"{r[k]:.2f}" for k in ("Panel", "Round", "Steering")] == [
            la["per_round"][k] for k in ("panel", "round", "steering")
        ]
        assert isinstance(r["Annual cost"], (int, float)) and f"{r['Annual cost']:.2f}" == la["annual_cost"]
        assert r["Rounds"] == la["rounds"] and r["Attendances"] == la["attendances"]
        if la["setup"]:
            assert f"{r['Direct']:.2f}" == la["setup"]["direct"]
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


def test_summary_headlines_and_charts(trial_book):
    path, _ = trial_book
    wb = openpyxl.load_workbook(path)
    ws = wb["Summary"]
    values = {c.value for row in ws.iter_rows() for c in row if c.value is not None}
    for figure in ("1885.17", "429.21", "22622.04", "5150.52", "5854.57", "1238.08"):
        assert Decimal(figure) in {Decimal(str(v)) for v in values if isinstance(v, (int, float))}
    formulas = [c for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert [c.value for c in formulas] == ["=Checks!$B$3"]  # the one status cell; everything else is a value
    assert len(ws._charts) == 3
    assert any(c.grouping == "stacked" for c in ws._charts)


def test_lines_rounds_checks_hold_formulas(trial_book):
    path, run = trial_book
    wb = openpyxl.load_workbook(path)
    lines = wb["Lines"]
    header = [c.value for c in lines[3]]
    n_lines = sum(len(v) for v in run.forms.lines.values())
    assert lines.max_row == 3 + n_lines
    row = {h: c for h, c in zip(header, lines[4])}
    assert row["Hourly rate (£/hour)"].value.startswith("=IF(ISNUMBER(M4),M4,")
    assert "INDEX(UnitCostRates,MATCH(J4,UnitCostRoles,0))" in row["Hourly rate (£/hour)"].value
    assert row["Line cost (£)"].value == "=O4+R4+S4"
    assert row["Mileage rate (£/mile)"].value == "=MileageRate"
    rounds = wb["Rounds"]
    assert rounds.max_row == 3 + len(run.estimate.rounds)
    assert rounds["H4"].value.startswith('=SUMIFS(Lines!$T:$T,Lines!$D:$D,"panel",Lines!$V:$V,$A4)')
    checks = wb["Checks"]
    assert checks["B3"].value.startswith("=IF(COUNTIF(I7:I")
    assert all(checks.cell(row=r, column=6).data_type == "f" for r in range(7, checks.max_row + 1))
    assert set(wb.defined_names) >= {"UnitCostRoles", "UnitCostRates", "MileageRate", "RoundsPerYear", "Tolerance"}


def test_formatting(trial_book):
    path, _ = trial_book
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape"
        assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    for name, header_row in (("By LA", 4), ("Rounds", 3), ("Lines", 3), ("Unit costs", 3), ("Checks", 6)):
        ws = wb[name]
        assert ws.freeze_panes == f"A{header_row + 1}", name
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith(f"A{header_row}:"), name
        assert all(c.font.b for c in ws[header_row] if c.value), name
    assert wb["By LA"]["K5"].number_format == "£#,##0.00"
    assert wb["Lines"]["T4"].number_format == "£#,##0.00"
    assert wb["Lines"].column_dimensions["J"].width > 30  # roles are long


def test_provenance(trial_book):
    path, run = trial_book
    ws = openpyxl.load_workbook(path)["Assumptions"]
    rows = [r for r in ws.iter_rows(values_only=True)]
    by_name = {r[0]: r for r in rows if r[0]}
    assert by_name["Rounds a year"][1] == 12 and by_name["Mileage rate"][1] == 0.45
    assert by_name["Command"][1] == "sr-cost estimate examples/trial --excel trial.xlsx"
    assert by_name["sr-cost version"][1]
    hashes = {r[1]: r[3] for r in rows if r[0] == "Input file"}  # SHA-256 under "Where it comes from"
    for i in run.estimate.inputs:
        assert hashes[i.path] == hashlib.sha256(open(i.path, "rb").read()).hexdigest()
    assert by_name["Unit-cost table"][3] == run.table.sha256
    assert len(by_name["Unit-cost parameters"][3]) == 64  # the bundled TOML beside the table


def test_cli_excel_option_records_the_command(runner, tmp_path):
    out = tmp_path / "est.xlsx"
    result = invoke(runner, "estimate", str(TRIAL), "--excel", str(out), "--rounds-per-year", "10")
    assert result.exit_code == 0, result.output
    assert "Wrote" in result.stderr and "£1,885.17" in result.stdout  # the table still prints
    ws = openpyxl.load_workbook(out)["Assumptions"]
    command = next(r[1] for r in ws.iter_rows(values_only=True) if r[0] == "Command")
    assert command == f"sr-cost estimate {TRIAL} --rounds-per-year 10 --excel {out}"
    assert next(r for r in ws.iter_rows(values_only=True) if r[0] == "Rounds a year")[1] == 10


def style(cell, known: dict) -> list:
    """A cell's font, alignment, fill, border and protection (the same for every cell of its style)."""
    found = known.get(cell.style_id)
    if found is None:
        found = known[cell.style_id] = [
            copy(s) for s in (cell.font, cell.alignment, cell.fill, cell.border, cell.protection)
        ]
    return found


def assert_same_workbook(streamed, in_memory):
    """Two saved workbooks hold the same sheets, cells (values, formulas, styles), widths, heights,
    panes, filters, print titles, merges, conditional formats, names and charts."""
    a, b = openpyxl.load_workbook(streamed), openpyxl.load_workbook(in_memory)
    styles_a, styles_b = {}, {}  # style id -> the style's parts, worked out once a style
    assert a.sheetnames == b.sheetnames
    assert {n: d.attr_text for n, d in a.defined_names.items()} == {n: d.attr_text for n, d in b.defined_names.items()}
    for x, y in zip(a.worksheets, b.worksheets):
        assert (x.max_row, x.max_column) == (y.max_row, y.max_column), x.title
        assert (x.freeze_panes, x.auto_filter.ref, x.print_title_rows) == (
            y.freeze_panes,
            y.auto_filter.ref,
            y.print_title_rows,
        ), x.title
        assert sorted(map(str, x.merged_cells.ranges)) == sorted(map(str, y.merged_cells.ranges)), x.title
        assert [str(r.sqref) for r in x.conditional_formatting] == [str(r.sqref) for r in y.conditional_formatting]
        assert len(x._charts) == len(y._charts), x.title
        widths = lambda ws: {k: d.width for k, d in ws.column_dimensions.items()}  # noqa: E731
        heights = lambda ws: {k: d.height for k, d in ws.row_dimensions.items() if d.height}  # noqa: E731
        assert widths(x) == widths(y) and heights(x) == heights(y), x.title
        for p, q in zip(x.iter_rows(), y.iter_rows(), strict=True):
            for c, d in zip(p, q, strict=True):
                assert (c.value, c.data_type, c.number_format, c.quotePrefix) == (
                    d.value,
                    d.data_type,
                    d.number_format,
                    d.quotePrefix,
                ), (x.title, c.coordinate)
                assert style(c, styles_a) == style(d, styles_b), (x.title, c.coordinate)
                assert (c.comment and c.comment.text) == (d.comment and d.comment.text), (x.title, c.coordinate)


def test_streamed_workbook_equals_the_one_built_in_memory(trial_book, tmp_path):
    """write_workbook writes the rows of Lines and Rounds as XML, not as cells: the workbook is the one
    build_workbook makes in memory, cell for cell."""
    path, run = trial_book
    in_memory = tmp_path / "in-memory.xlsx"
    excel.build_workbook(run, command="sr-cost estimate examples/trial --excel trial.xlsx").save(in_memory)
    assert_same_workbook(path, in_memory)


def test_a_table_longer_than_a_worksheet_is_refused():
    """openpyxl refuses a cell past a worksheet's last row; the rows written as XML are refused too,
    rather than making a file Excel will not open."""
    from openpyxl.styles import Alignment

    from sr_cost.errors import UsageError
    from sr_cost.excel import stream as excel_stream

    ws = openpyxl.Workbook().active
    column = excel_stream.StreamColumn("n", "A", *excel_stream.style_ids(ws, None, Alignment()))
    block = excel_stream.write_rows(ws, excel_stream.MAX_ROWS - 1, ({"n": i} for i in range(2)), [column], {"n": 0})
    assert (block.first, block.last) == (excel_stream.MAX_ROWS - 1, excel_stream.MAX_ROWS)
    with pytest.raises(UsageError, match="1,048,576 rows"):
        excel_stream.write_rows(ws, excel_stream.MAX_ROWS - 1, ({"n": i} for i in range(3)), [column], {"n": 0})


# --- safety ----------------------------------------------------------------------------------------

NASTY = ['=HYPERLINK("http://x","y")', "+SUM(1,2)", "-2+3", "@cmd", "=1+1", "#REF!", "*", ">5"]


@pytest.fixture
def nasty_forms(tmp_path):
    """The small fixture with LA, round, item and role labels a spreadsheet would run as formulas."""
    forms = tmp_path / "forms"
    forms.mkdir()
    (forms / "rounds.csv").write_text(
        HEADER
        + '"=HYPERLINK(""http://x"",""y"")",1,=1+1,in-person,attendance,Social worker,,3,1,,\n'
        + '"=HYPERLINK(""http://x"",""y"")",1,=1+1,in-person,"+SUM(1,2)",@cmd,30,1,2,10,5\n'
        + '"=HYPERLINK(""http://x"",""y"")",1,#REF!,virtual,attendance,Team manager,,2,1,,\n'
        + "*,2,>5,virtual,-2+3,Social worker,,4,1,,\n"
        + ">5,2,*,in-person,attendance,Social worker,,1,1,,12.50\n"
    )
    (forms / "panel.csv").write_text(
        HEADER
        + '"=HYPERLINK(""http://x"",""y"")",1,,,@cmd,Social worker,,1,1,,\n'
        + "*,2,>5,,=1+1,Team manager,,1,2,,\n"
    )
    return forms


def _formulas(path):
    """Every formula in the workbook's XML, by sheet file."""
    out = {}
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/sheet"):
                out[name] = [html.unescape(f) for f in re.findall(r"<f>(.*?)</f>", z.read(name).decode())]
    return out


def test_user_text_is_never_a_formula(nasty_forms, tmp_path):
    out = tmp_path / "nasty.xlsx"
    run = run_estimate(nasty_forms)
    excel.write_workbook(out, run)
    # every formula sr-cost authored is built from cell references, its own names and its own words;
    # none carries the user's text
    allowed_words = {
        "IF",
        "ISNUMBER",
        "INDEX",
        "MATCH",
        "SUMIFS",
        "COUNTIFS",
        "COUNTIF",
        "ROWS",
        "AND",
        "ABS",
        "ROUND",
        "COUNT",
        "AVERAGE",
        "MIN",
        "MAX",
        "UnitCostRates",
        "UnitCostRoles",
        "MileageRate",
        "RoundsPerYear",
        "Tolerance",
        "Lines",
        "Rounds",
        "Checks",
        "By",
        "LA",
        "Summary",
        "PASS",
        "FAIL",
        "rounds",
        "panel",
        "steering",
        "training",
        "attendance",
        "in",
        "person",
        "virtual",
    }
    found = _formulas(out)
    assert sum(len(f) for f in found.values()) > 50
    for formulas in found.values():
        for f in formulas:
            words = set(re.findall(r"[A-Za-z_]{2,}", re.sub(r"\$?[A-Z]{1,3}\$?\d+", "", f)))
            assert words <= allowed_words, (f, words - allowed_words)
            assert "HYPERLINK" not in f and "cmd" not in f and ">5" not in f
    wb = openpyxl.load_workbook(out)
    texts = {c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.data_type == "s"}
    for text in ('=HYPERLINK("http://x","y")', "+SUM(1,2)", "-2+3", "@cmd", "=1+1", "#REF!", "*", ">5"):
        assert text in texts, text
    cell = next(c for row in wb["Lines"].iter_rows() for c in row if c.value == "@cmd")
    assert cell.quotePrefix
    in_memory = tmp_path / "in-memory.xlsx"
    excel.build_workbook(run).save(in_memory)
    assert_same_workbook(out, in_memory)


def test_csv_output_neutralises_formula_text(nasty_forms, runner):
    result = invoke(runner, "estimate", str(nasty_forms), "--format", "csv")
    assert result.exit_code == 0, result.output
    first_cells = [line.split(",")[0] for line in result.stdout.splitlines()[1:]]
    assert all(not cell.startswith(("=", "+", "@", '"=')) for cell in first_cells)
    assert any(cell.startswith(("'=", "\"'=")) for cell in first_cells)


def test_a_failed_write_leaves_the_existing_file(tmp_path, monkeypatch):
    out = tmp_path / "est.xlsx"
    out.write_bytes(b"the old workbook")
    run = run_estimate(SMALL)

    def broken_save(self, filename):
        open(filename, "wb").write(b"half a workbook")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(openpyxl.Workbook, "save", broken_save)
    from sr_cost.errors import UsageError

    with pytest.raises(UsageError, match="No space left"):
        excel.write_workbook(out, run)
    assert out.read_bytes() == b"the old workbook"
    assert [p.name for p in tmp_path.iterdir()] == ["est.xlsx"]  # no temporary file left behind


def test_a_locked_file_gets_a_plain_message(runner, tmp_path, monkeypatch):
    import os

    def locked(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", locked)
    result = invoke(runner, "estimate", str(SMALL), "--excel", str(tmp_path / "est.xlsx"))
    assert result.exit_code == 2
    assert "permission denied (is it open in Excel, or read-only?)" in result.stderr
    assert not list(tmp_path.iterdir())


def test_missing_folder_gets_a_plain_message(runner, tmp_path):
    result = invoke(runner, "estimate", str(SMALL), "--excel", str(tmp_path / "nowhere" / "est.xlsx"))
    assert result.exit_code == 2 and "does not exist" in result.stderr


def test_output_that_is_an_input_is_refused(runner, tmp_path):
    book = tmp_path / "forms.xlsx"
    result = invoke(runner, "template", str(book), "--example")
    assert result.exit_code == 0, result.output
    before = book.read_bytes()
    result = invoke(runner, "estimate", str(book), "--excel", str(book))
    assert result.exit_code == 2 and "is one of the inputs" in result.stderr
    assert book.read_bytes() == before
    result = invoke(runner, "estimate", str(SMALL), "--excel", str(tmp_path / "x.xlsx"), "-o", str(tmp_path / "x.xlsx"))
    assert result.exit_code == 2
    result = invoke(runner, "estimate", str(SMALL), "--excel", str(tmp_path / "est.csv"))
    assert result.exit_code == 2 and ".xlsx" in result.stderr


def test_floats_are_refused():
    wb = openpyxl.Workbook()
    with pytest.raises(TypeError):
        excel_cells.put(wb.active, 1, 1, 0.1)
