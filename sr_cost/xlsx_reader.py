"""Read workbook sheets with openpyxl (through defusedxml, which openpyxl uses when installed).

Only this module, ``excel.py`` and ``template.py`` import openpyxl. Cells are read by the values
Excel or LibreOffice saved. Anything that would make a form say something other than what its user
sees is an error with its cell reference, rather than a value read as blank or zero:

- a formula with no saved value (a workbook written by a program and never opened and saved);
- an error value (``#REF!``, ``#N/A``, ``#DIV/0!``, ...);
- merged cells in the data (the value is in the first cell only);
- a hidden row or column holding data, and a hidden sheet that is one of the forms.

Hidden sheets that are not forms are ignored, and so are sheets not asked for (an ``Instructions``
sheet, a ``Roles`` list). Merged cells and hidden rows are not exposed by openpyxl's read-only
mode, so they are read from the sheet's XML in one streaming pass.
"""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass, field
from itertools import zip_longest
from pathlib import Path
from typing import Collection

from defusedxml import ElementTree as SafeET

from sr_cost.errors import DataError, Problem
from sr_cost.readers import RawRow, RawTable, canonical_header, column_letter

ERROR_VALUES = {"#REF!", "#N/A", "#DIV/0!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!",
                "#GETTING_DATA"}
MAX_UNCOMPRESSED_BYTES = 512 * 1024 * 1024
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_TRUE = ("1", "true")


def _open(path: Path, display: str, *, data_only: bool):
    import openpyxl

    try:
        with zipfile.ZipFile(path) as archive:
            total = sum(info.file_size for info in archive.infolist())
        if total > MAX_UNCOMPRESSED_BYTES:
            raise DataError(Problem(file=display, value=f"{total:,} bytes",
                                    message="declares more uncompressed data than a forms workbook can hold",
                                    fix="Save the workbook again from Excel, or export the sheets as CSV"))
        return openpyxl.load_workbook(path, read_only=True, data_only=data_only)
    except DataError:
        raise
    except zipfile.BadZipFile:
        raise DataError(Problem(file=display, message="is not an .xlsx workbook (it is not a zip archive)",
                                fix="Open it in Excel and save it as 'Excel Workbook (.xlsx)', or give CSV files")) from None
    except OSError as exc:
        raise DataError(Problem(file=display, message=f"cannot be read: {exc.strerror or exc}",
                                fix="Check the path and that the file is readable")) from None
    except Exception as exc:  # openpyxl raises many types for malformed workbooks
        raise DataError(Problem(file=display, message=f"is not a readable .xlsx workbook ({type(exc).__name__}: {exc})",
                                fix="Open it in Excel and save it as 'Excel Workbook (.xlsx)', or give CSV files")) from None


def read_sheets(path: Path, *, display: str, wanted: Collection[str] | None = None) -> dict[str, RawTable]:
    """Visible sheets keyed by their lower-cased, stripped names, with every problem at once.

    ``wanted``: the lower-cased names of the sheets to read (the forms); other sheets are not read,
    and a hidden wanted sheet is an error. Without ``wanted``, every visible sheet is read and
    hidden sheets are skipped.
    """
    values_wb = _open(path, display, data_only=True)
    formulas_wb = _open(path, display, data_only=False)
    problems: list[Problem] = []
    tables: dict[str, RawTable] = {}
    try:
        layouts = _layouts(path, display)
        for ws in values_wb.worksheets:
            name = ws.title
            key = name.strip().lower()
            if wanted is not None and key not in wanted:
                continue
            if ws.sheet_state != "visible":
                if wanted is not None:
                    problems.append(Problem(file=display, sheet=name, message="this form's sheet is hidden",
                                            fix="Unhide the sheet (right-click a sheet tab > Unhide), or rename or "
                                                "delete it if it is not the form"))
                continue
            table, sheet_problems, header_row, width = _read_sheet(ws, formulas_wb[name], display)
            problems.extend(sheet_problems)
            if table is not None:
                problems.extend(_layout_problems(table, layouts.get(name), header_row, width, display))
                tables[key] = table
    finally:
        values_wb.close()
        formulas_wb.close()
    if any(p.severity == "error" for p in problems):
        raise DataError(problems)
    return tables


def _read_sheet(ws, fws, display: str) -> tuple[RawTable | None, list[Problem], int, int]:
    """The table on one sheet (the first non-empty row is the header, then every non-empty row), its
    problems, its header row and its width in columns."""
    ws.reset_dimensions()  # some writers save a wrong <dimension>; read every row there is
    fws.reset_dimensions()
    problems: list[Problem] = []
    headers: dict[str, str] = {}
    order: list[str] = []
    letters: dict[str, str] = {}
    rows: list[RawRow] = []
    header_row = 1

    def problem(number: int, i: int, key: str, value: object, message: str, fix: str) -> Problem:
        return Problem(file=display, sheet=ws.title, row=number, cell=f"{column_letter(i)}{number}",
                       column=headers.get(key, key), value=str(value), message=message, fix=fix)

    for number, (cells, fcells) in enumerate(zip_longest(ws.iter_rows(), fws.iter_rows(), fillvalue=()), start=1):
        if not order:
            texts = [getattr(c, "value", None) for c in cells]
            if not any(v is not None and str(v).strip() for v in texts):
                continue
            header_row = number
            last = max(i for i, v in enumerate(texts) if v is not None and str(v).strip())
            for i, value in enumerate(texts[: last + 1]):
                key = canonical_header(value)
                if key and key in headers:
                    problems.append(Problem(file=display, sheet=ws.title, cell=f"{column_letter(i)}{number}",
                                            row=number, column=str(value).strip(), value=str(value),
                                            message="this column header appears twice",
                                            fix="Delete or rename one of the two columns"))
                if key:
                    headers.setdefault(key, str(value).strip())
                    letters.setdefault(key, column_letter(i))
                order.append(key)
            continue
        values: dict[str, object] = {}
        any_value = False
        for i, key in enumerate(order):
            cell = cells[i] if i < len(cells) else None
            value = getattr(cell, "value", None)
            fvalue = getattr(fcells[i], "value", None) if i < len(fcells) else None
            if getattr(cell, "data_type", None) == "e" or (isinstance(value, str) and value.strip() in ERROR_VALUES):
                problems.append(problem(number, i, key, value, "holds a spreadsheet error value",
                                        "Correct the formula or type the value in"))
                any_value = True
                continue
            if value is None and fvalue is not None and getattr(fcells[i], "data_type", None) == "f":
                text = fvalue if isinstance(fvalue, str) else getattr(fvalue, "text", "") or "(formula)"
                problems.append(problem(number, i, key, text, "holds a formula with no saved value",
                                        "Open the workbook in Excel or LibreOffice and save it, so the value is stored"))
                any_value = True
                continue
            if key:
                values[key] = value
            if value is not None and str(value).strip() != "":
                any_value = True
        if any_value:
            rows.append(RawRow(row=number, values=values))
    if not order:
        return None, problems, header_row, 0
    return (RawTable(file=display, sheet=ws.title, headers=headers, letters=letters, rows=rows), problems,
            header_row, len(order))


# --- what openpyxl's read-only mode does not show: merged cells, hidden rows and columns ----------

@dataclass
class _Layout:
    merged: list[str] = field(default_factory=list)  # "B5:C5"
    hidden_rows: set[int] = field(default_factory=set)
    hidden_cols: set[int] = field(default_factory=set)  # 1-based


def _layout_problems(table: RawTable, layout: _Layout | None, header_row: int, width: int,
                     display: str) -> list[Problem]:
    """Merged cells over the table, hidden rows holding its data, hidden columns holding its columns."""
    if layout is None:
        return []
    problems = []
    last_row = table.rows[-1].row if table.rows else header_row
    for ref in layout.merged:
        (c1, r1), (c2, r2) = _corners(ref)
        if r2 >= header_row and r1 <= last_row and c1 <= width:
            problems.append(Problem(file=display, sheet=table.sheet, row=r1, cell=ref, value=ref,
                                    message="merged cells in the form: only the first cell of a merge holds a value",
                                    fix="Unmerge the cells (Home > Merge & Center > Unmerge) and fill in each cell"))
    data_rows = [header_row] + [r.row for r in table.rows]
    for number in sorted(layout.hidden_rows.intersection(data_rows)):
        problems.append(Problem(file=display, sheet=table.sheet, row=number, cell=f"A{number}",
                                message=f"row {number} is hidden (or filtered out) but holds data, which would be "
                                        "counted without anyone seeing it",
                                fix="Unhide the row (or clear the filter), and delete it if it should not count"))
    columns = {letter: table.headers[key] for key, letter in table.letters.items()}
    for index in sorted(i for i in layout.hidden_cols if i <= width):
        letter = column_letter(index - 1)
        if letter in columns:
            column = columns[letter]
            problems.append(Problem(file=display, sheet=table.sheet, row=header_row, cell=f"{letter}{header_row}",
                                    column=column, message="this column is hidden but holds a form column",
                                    fix="Unhide the column, and delete it if it should not count"))
    return problems


def _corners(ref: str) -> tuple[tuple[int, int], tuple[int, int]]:
    from openpyxl.utils.cell import range_boundaries

    c1, r1, c2, r2 = range_boundaries(ref if ":" in ref else f"{ref}:{ref}")
    return (c1, r1), (c2, r2)


def _layouts(path: Path, display: str) -> dict[str, _Layout]:
    """Merged ranges, hidden rows and hidden columns of every sheet, keyed by sheet name."""
    out: dict[str, _Layout] = {}
    try:
        with zipfile.ZipFile(path) as archive:
            for name, member in _sheet_members(archive).items():
                if member in archive.namelist():
                    with archive.open(member) as source:
                        out[name] = _scan(source)
    except (KeyError, SafeET.ParseError, zipfile.BadZipFile, ValueError) as exc:
        raise DataError(Problem(file=display, message=f"is not a readable .xlsx workbook ({type(exc).__name__}: {exc})",
                                fix="Open it in Excel and save it as 'Excel Workbook (.xlsx)', or give CSV files")) from None
    return out


def _sheet_members(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> the zip member holding its XML, through the package's relationships."""
    root_rels = SafeET.fromstring(archive.read("_rels/.rels"))
    book = next(r.get("Target") for r in root_rels.iter(f"{_PKG_REL}Relationship")
                if r.get("Type", "").endswith("/officeDocument")).lstrip("/")
    folder, base = posixpath.split(book)
    rels = SafeET.fromstring(archive.read(posixpath.join(folder, "_rels", base + ".rels")))
    targets = {r.get("Id"): r.get("Target") for r in rels.iter(f"{_PKG_REL}Relationship")}
    members = {}
    for sheet in SafeET.fromstring(archive.read(book)).iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_REL}id"), "")
        member = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        members[sheet.get("name")] = member
    return members


def _scan(source) -> _Layout:
    layout = _Layout()
    for _, element in SafeET.iterparse(source, events=("end",)):
        tag = element.tag
        if tag == f"{_MAIN}row":
            if element.get("hidden", "").lower() in _TRUE and element.get("r"):
                layout.hidden_rows.add(int(element.get("r")))
            element.clear()
        elif tag == f"{_MAIN}col":
            if element.get("hidden", "").lower() in _TRUE:
                layout.hidden_cols.update(range(int(element.get("min")), int(element.get("max", element.get("min"))) + 1))
        elif tag == f"{_MAIN}mergeCell" and element.get("ref"):
            layout.merged.append(element.get("ref"))
    return layout
