"""The screen that decides which sheets python-calamine reads (``sr_cost.inputs.xlsx_screen``), and the two
readers behind it: a plain sheet read by calamine gives exactly the table and problems openpyxl's
careful reader gives for it."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest

from sr_cost.errors import DataError
from sr_cost.inputs import xlsx_detail, xlsx_screen
from sr_cost.inputs.xlsx import read_sheets

from soffice import convert, soffice  # noqa: F401  (a fixture)

MAIN = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
HEAD = (
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>la</t></is></c><c r="B1" t="inlineStr"><is><t>staff</t></is></c></row>'
)


def package(path: Path, sheet_data: bytes, *, root: bytes = MAIN, extra: bytes = b"") -> Path:
    """A workbook whose one sheet ('rounds') holds ``sheet_data`` (rows) as written."""
    wb = openpyxl.Workbook()
    wb.active.title = "rounds"
    wb.save(path)
    patched = path.with_name("p_" + path.name)
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(patched, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = root + b"<sheetData>" + sheet_data + b"</sheetData>" + extra + b"</worksheet>"
            dst.writestr(item, data)
    return patched


def screen(path: Path) -> xlsx_screen.Screen:
    with zipfile.ZipFile(path) as archive:
        return xlsx_screen.screen_sheet(archive, xlsx_screen.sheet_parts(archive)["rounds"])


ROW2 = b'<row r="2"><c r="A2" t="inlineStr"><is><t>LA1</t></is></c>%s</row>'


@pytest.mark.parametrize(
    "cell,plain",
    [
        (b'<c r="B2"><v>3</v></c>', True),
        (b'<c r="B2" t="e"><v>#N/A</v></c>', False),
        (b"<c r='B2' t='e'><v>#N/A</v></c>", False),  # odd as well: r= in single quotes
        (b'<c r="B2" t = "e"><v>#N/A</v></c>', False),
        (b'<c r="B2"><f>1+2</f><v>3</v></c>', True),  # saved by a spreadsheet program
        (b'<c r="B2"><f>1+2</f>\n  <v>3</v></c>', True),
        (b'<c r="B2"><f t="shared" si="0"/><v>3</v></c>', True),
        (b'<c r="B2"><f>1+2</f></c>', False),  # never opened and saved
        (b'<c r="B2"><f>1+2</f><v/></c>', False),
        (b'<c r="B2"><f>1+2</f><v></v></c>', False),
        (b'<c r="B2"><f t="shared" si="0"/></c>', False),
        (b'<c r="B2" t="str"><f>A1</f><v> </v></c>', False),
        (b'<c r="B2"><v>3</v></c><c r="XFD1048576" s="1"/>', True),  # only formatted: calamine skips it
        (b'<c r="B2"><v>3</v></c><c r="XFD1048576"><v>1</v></c>', False),  # a grid of 2^34 cells
        (b'<c r="B2"><v>3</v></c><c r="xfd1048576"><v>1</v></c>', False),
        (b'<c r="B2"><v>3</v></c><c r="Z900000"><v>1</v></c>', False),  # 26 x 900,000 cells
        (b'<c r="B2"><v>3</v></c><c r="C900000"><v>1</v></c>', True),  # 3 x 900,000: outside the box, fits
        (b'<c r="B2"><v>3</v></c><c r="AB2"><v>1</v></c>', True),
        (
            b'<c r="B2" s="1" t="inlineStr"><is><t></t></is></c><c r="XFD900000" t="inlineStr"><is><t></t></is></c>',
            False,
        ),
        (b'<c r="B2"><v>3</v></c><c><v>1</v></c>', False),  # no reference
        (b'<c s="1" r="B2"><v>3</v></c>', False),  # the reference not first
        (b'<c r="$B$2"><v>3</v></c>', False),
        (b'<c r="B2"><v>&#51;</v></c>', False),  # calamine drops it
        (b'<c r="B2"><v><![CDATA[3]]></v></c>', False),
        (b'<c r="B2" t="inlineStr"><is><t>Children &amp; families&#10;</t></is></c>', True),
    ],
)
def test_what_the_screen_lets_calamine_read(tmp_path, cell, plain):
    assert screen(package(tmp_path / "f.xlsx", HEAD + ROW2 % cell)).plain is plain


def test_hidden_rows_and_columns_and_a_prefixed_namespace_are_not_plain(tmp_path):
    rows = HEAD + ROW2 % b'<c r="B2"><v>3</v></c>'
    for hidden in (b'hidden="true"', b"hidden=' 1'", b'hidden="&#49;"'):
        hidden_row = rows.replace(b'<row r="2">', b'<row r="2" ' + hidden + b">")
        assert not screen(package(tmp_path / "a.xlsx", hidden_row)).plain
    assert screen(package(tmp_path / "a.xlsx", rows.replace(b'<row r="2">', b'<row r="2" hidden="0">'))).plain
    cols = b'<cols><col min="2" max="2" width="0" hidden="1"/></cols>'
    assert not screen(package(tmp_path / "b.xlsx", rows, root=MAIN + cols)).plain
    prefixed = rows.replace(b"<c ", b"<x:c ").replace(b"</c>", b"</x:c>")
    root = b'<worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    found = screen(package(tmp_path / "c.xlsx", prefixed, root=root))
    assert found.odd and not found.plain


def test_a_value_far_away_never_reaches_calamine(tmp_path, monkeypatch):
    """calamine would abort the process; the careful reader names the value."""
    import python_calamine

    def refuse(self, name):
        raise AssertionError("calamine was asked for a sheet it cannot hold")

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "get_sheet_by_name", refuse)
    path = package(
        tmp_path / "f.xlsx",
        HEAD
        + ROW2 % b'<c r="B2"><v>3</v></c>'
        + b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>stray</t></is></c></row>',
    )
    with pytest.raises(DataError) as info:
        read_sheets(path, display="f.xlsx")
    (p,) = info.value.problems
    assert (p.cell, p.value) == ("XFD1048576", "stray") and "outside the form's columns" in p.message


def tricky(path: Path) -> Path:
    """A form with every kind of value, starting in column B of row 3, a blank column, values
    beside it, TRUE and 1 in one column, text reading '#N/A', merged cells, empty rows."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "rounds"
    ws.append([])
    ws.append([])
    ws.append([None, "la", "phase", None, "staff", "cost", "round"])
    rows = [
        [None, "LA1", 1, None, 3, 12.5, dt.datetime(2019, 5, 21)],
        [None, "LA1", 1.5, None, True, 0.1, "R 2"],
        [],
        [None, " LA 2 ", 2, "note", 1, -0.0, dt.datetime(2019, 5, 21, 10, 30)],
        [None, "LA2", 123456789012, None, False, 1e20, dt.time(9, 30)],
        [None, None, None, None, None, None, None, "beside"],
        [None, "LA3", 3, None, "x", 7, 45000],
    ]
    for row in rows:
        ws.append(row)
    ws["G10"].number_format = "yyyy-mm-dd"
    ws["F5"] = "#N/A"
    ws["F5"].data_type = "s"  # text that reads as an error value, not an error
    ws["J12"] = 12.5
    ws.merge_cells("B9:C9")
    wb.save(path)
    return path


def both_ways(path: Path, monkeypatch):
    """(tables, problems) read as plain sheets (calamine) and as sheets that are not (openpyxl)."""
    found = []
    for plain in (True, False):
        if not plain:
            monkeypatch.setattr(xlsx_screen.Screen, "plain", property(lambda self: False))
        problems: list = []
        tables = read_sheets(path, display="f.xlsx", cell_problems=problems)
        found.append(
            (
                {
                    k: (t.headers, t.letters, [(r.row, {c: (type(v), v) for c, v in r.values.items()}) for r in t.rows])
                    for k, t in tables.items()
                },
                problems,
            )
        )
    return found


def test_calamine_and_openpyxl_read_a_plain_sheet_alike(tmp_path, monkeypatch):
    by_calamine, by_openpyxl = both_ways(tricky(tmp_path / "f.xlsx"), monkeypatch)
    assert by_calamine == by_openpyxl
    tables, problems = by_calamine
    headers, letters, rows = tables["rounds"]
    assert letters == {"la": "B", "phase": "C", "staff": "E", "cost": "F", "round": "G"}
    assert [number for number, _ in rows] == [4, 5, 7, 8, 10]
    assert rows[1][1]["staff"] == (bool, True) and rows[0][1]["staff"] == (int, 3)
    assert rows[4][1]["round"] == (dt.datetime, dt.datetime(2023, 3, 15))
    assert [(p.cell, p.value) for p in problems] == [
        ("F5", "#N/A"),
        ("B9:C9", "B9:C9"),
        ("D7", "note"),
        ("H9", "beside"),
        ("J12", "12.5"),
    ]
    assert "cost" not in rows[1][1] or rows[1][1]["cost"] == (type(None), None)  # the #N/A is left out


def test_calamine_and_openpyxl_read_a_libreoffice_sheet_alike(soffice, tmp_path, monkeypatch):  # noqa: F811
    (saved,) = convert(soffice, [tricky(tmp_path / "f.xlsx")], tmp_path / "saved")
    by_calamine, by_openpyxl = both_ways(saved, monkeypatch)
    assert by_calamine == by_openpyxl


def test_in_a_big_workbook_what_cannot_be_checked_one_by_one_is_said(tmp_path, monkeypatch):
    """Over FULL_MODE_BYTES openpyxl's full mode is not used: merged cells come from calamine, and
    hidden rows or columns are one problem for the sheet."""
    monkeypatch.setattr(xlsx_detail, "FULL_MODE_BYTES", 0)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "rounds"
    ws.append(["la", "staff"])
    ws.append(["LA1", "#REF!"])
    ws.append(["LA1", 2])
    ws.merge_cells("A3:B3")
    ws.row_dimensions[3].hidden = True
    wb.save(tmp_path / "f.xlsx")
    with pytest.raises(DataError) as info:
        read_sheets(tmp_path / "f.xlsx", display="f.xlsx")
    found = [(p.cell, p.message.split(",")[0]) for p in info.value.problems]
    assert found[0] == ("B2", "holds a spreadsheet error value")
    assert found[1][1].startswith("rows or columns may be hidden on this sheet")
    assert found[2] == ("A3:B3", "merged cells in the form: only the first cell of a merge holds a value")


def test_calamine_reads_block_by_block_alike(tmp_path, monkeypatch):
    """Rows taken a few at a time: positions, values outside the form over many blocks and columns
    (the first 20 in reading order, the count, the last), TRUE beside 1 in another block."""
    from sr_cost.inputs import xlsx_values

    monkeypatch.setattr(xlsx_values, "BLOCK_ROWS", 3)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "rounds"
    ws.append(["la", "staff", None, "cost"])
    for i in range(2, 60):
        ws.append(
            [
                f"LA{i % 4}",
                True if i == 40 else i % 3,
                f"note {i}" if i % 2 else None,
                1.5,
                f"x{i}" if i % 5 == 0 else None,
                f"y{i}" if i % 7 == 0 else None,
            ]
        )
    wb.save(tmp_path / "f.xlsx")
    by_calamine, by_openpyxl = both_ways(tmp_path / "f.xlsx", monkeypatch)
    assert by_calamine == by_openpyxl
    problems = by_calamine[1]
    assert [p.cell for p in problems[:4]] == ["C3", "C5", "E5", "C7"] and len(problems) == 21
    assert "and 28 more" in problems[-1].message and "(the last is C59)" in problems[-1].message
