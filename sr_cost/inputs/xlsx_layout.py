"""What openpyxl's read-only mode does not show of a workbook sheet, read from its XML in one
streaming pass that keeps no rows: merged cells, hidden rows and columns, the last row with a
value in the form's columns, and values outside them (right of the last header, or under a blank
header). ``xlsx_reader`` turns what is found here into problems with cell references.

The XML is parsed by defusedxml, which refuses entity declarations.
"""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from sr_cost.errors import DataError, Problem
from sr_cost.inputs.tables import RawTable, column_letter

MAX_LISTED = 20  # values outside the form's columns named one by one; the rest are counted
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_TRUE = ("1", "true")


def unreadable(display: str, exc: BaseException) -> DataError:
    return DataError(
        Problem(
            file=display,
            message=f"is not a readable .xlsx workbook ({type(exc).__name__}: {exc})",
            fix="Open it in Excel and save it as 'Excel Workbook (.xlsx)', or give CSV files",
        )
    )


# --- what openpyxl's read-only mode does not show: merged cells, hidden rows and columns, and -----
# --- values outside the form's columns --------------------------------------------------------------


@dataclass
class _Layout:
    merged: list[str] = field(default_factory=list)  # "B5:C5"
    hidden_rows: set[int] = field(default_factory=set)
    hidden_cols: set[int] = field(default_factory=set)  # 1-based
    outside: list[tuple[int, int, str, str]] = field(default_factory=list)  # (row, column, "L3", value)
    outside_count: int = 0  # all of them; ``outside`` holds the first MAX_LISTED
    last_outside: str = ""  # the cell of the last value outside the form's columns
    last_row: int = 0  # the last row with a value (or formula) in the form's columns


def layout_problems(
    table: RawTable, layout: _Layout, header_row: int, width: int, last_header: str, display: str
) -> list[Problem]:
    """Merged cells over the table, hidden rows holding its data, hidden columns holding its columns,
    values outside its columns."""
    problems = []
    last_row = table.rows[-1].row if table.rows else header_row
    for ref in layout.merged:
        (c1, r1), (c2, r2) = _corners(ref)
        if r2 >= header_row and r1 <= last_row and c1 <= width:
            problems.append(
                Problem(
                    file=display,
                    sheet=table.sheet,
                    row=r1,
                    cell=ref,
                    value=ref,
                    message="merged cells in the form: only the first cell of a merge holds a value",
                    fix="Unmerge the cells (Home > Merge & Center > Unmerge) and fill in each cell",
                    left_out_to=r2,
                )
            )
    data_rows = [header_row] + [r.row for r in table.rows]
    for number in sorted(layout.hidden_rows.intersection(data_rows)):
        problems.append(
            Problem(
                file=display,
                sheet=table.sheet,
                row=number,
                cell=f"A{number}",
                message=f"row {number} is hidden (or filtered out) but holds data, which would be "
                "counted without anyone seeing it",
                fix="Unhide the row (or clear the filter), and delete it if it should not count",
            )
        )
    columns = {letter: table.headers[key] for key, letter in table.letters.items()}
    for index in sorted(i for i in layout.hidden_cols if i <= width):
        letter = column_letter(index - 1)
        if letter in columns:
            column = columns[letter]
            problems.append(
                Problem(
                    file=display,
                    sheet=table.sheet,
                    row=header_row,
                    cell=f"{letter}{header_row}",
                    column=column,
                    message="this column is hidden but holds a form column",
                    fix="Unhide the column, and delete it if it should not count",
                )
            )
    edge = column_letter(width - 1)
    right = (
        f"holds a value outside the form's columns, to the right of the last one ({edge}{header_row}, "
        f"{last_header!r}), which would not be read"
    )
    blank = (
        f"holds a value outside the form's columns, under a blank header in row {header_row}, which would not be read"
    )
    fix = f"Delete it, or move it into a named column (one with a header in row {header_row})"
    for number, column, ref, value in layout.outside:
        problems.append(
            Problem(
                file=display,
                sheet=table.sheet,
                row=number,
                cell=ref,
                value=value,
                message=right if column > width else blank,
                fix=fix,
            )
        )
    more = layout.outside_count - len(layout.outside)
    if more > 0:
        problems.append(
            Problem(
                file=display,
                sheet=table.sheet,
                message=f"and {more:,} more cell(s) outside the form's columns hold values, not listed "
                f"one by one (the last is {layout.last_outside})",
                fix="Delete them, or move them into named columns",
            )
        )
    return problems


def _corners(ref: str) -> tuple[tuple[int, int], tuple[int, int]]:
    from openpyxl.utils.cell import range_boundaries

    c1, r1, c2, r2 = range_boundaries(ref if ":" in ref else f"{ref}:{ref}")
    return (c1, r1), (c2, r2)


def package(archive: zipfile.ZipFile, display: str) -> tuple[dict[str, str], _SharedStrings]:
    """Sheet name -> the zip member holding its XML, and the shared strings (read when needed)."""
    try:
        members, strings = _members(archive)
    except DefusedXmlException:
        raise
    except (KeyError, StopIteration, SafeET.ParseError, ValueError) as exc:
        raise unreadable(display, exc) from None
    return members, _SharedStrings(archive, strings)


def scan_layout(
    archive: zipfile.ZipFile, member: str, strings: _SharedStrings, width: int, unnamed: frozenset[int], *, display: str
) -> _Layout:
    try:
        with archive.open(member) as source:
            return _scan(source, strings, width, unnamed)
    except DefusedXmlException:
        raise
    except (KeyError, SafeET.ParseError, zipfile.BadZipFile, ValueError, IndexError) as exc:
        raise unreadable(display, exc) from None


def _members(archive: zipfile.ZipFile) -> tuple[dict[str, str], str | None]:
    """Sheet name -> the zip member holding its XML, through the package's relationships, and the
    member holding the shared strings (None if there are none)."""
    root_rels = SafeET.fromstring(archive.read("_rels/.rels"))
    book = next(
        r.get("Target")
        for r in root_rels.iter(f"{_PKG_REL}Relationship")
        if r.get("Type", "").endswith("/officeDocument")
    ).lstrip("/")
    folder, base = posixpath.split(book)
    rels = list(
        SafeET.fromstring(archive.read(posixpath.join(folder, "_rels", base + ".rels"))).iter(f"{_PKG_REL}Relationship")
    )

    def member(target: str) -> str:
        return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))

    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    strings = next((member(r.get("Target", "")) for r in rels if r.get("Type", "").endswith("/sharedStrings")), None)
    members = {}
    for sheet in SafeET.fromstring(archive.read(book)).iter(f"{_MAIN}sheet"):
        members[sheet.get("name")] = member(targets.get(sheet.get(f"{_REL}id"), ""))
    return members, strings


class _SharedStrings:
    """The workbook's shared strings, read (with openpyxl's reader) only when a value outside a form's
    columns is one of them."""

    def __init__(self, archive: zipfile.ZipFile, member: str | None):
        self._archive = archive
        self._member = member
        self._strings: list[str] | None = None

    def __getitem__(self, index: int) -> str:
        if self._strings is None:
            from openpyxl.reader.strings import read_string_table

            self._strings = []
            if self._member is not None and self._member in self._archive.namelist():
                with self._archive.open(self._member) as source:
                    self._strings = read_string_table(source)
        return self._strings[index]


@lru_cache(maxsize=4096)
def _column_number(letters: str) -> int:
    """'A' -> 1, 'XFD' -> 16384."""
    number = 0
    for char in letters.upper():
        number = number * 26 + ord(char) - 64
    return number


def _cell_text(cell, strings: _SharedStrings) -> str | None:
    """What a cell shows, from its XML: its saved value, or its formula if none is saved; None if it
    holds neither (a cell that is only formatted)."""
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        node = cell.find(f"{_MAIN}is")
        if node is not None:
            return "".join(t.text or "" for t in node.iter(f"{_MAIN}t"))
    value = cell.findtext(f"{_MAIN}v")
    if value:
        if kind == "s":
            try:
                return strings[int(value)]
            except (ValueError, IndexError):
                return value
        if kind == "b":
            return "TRUE" if value.strip() in ("1", "true") else "FALSE"
        return value
    formula = cell.find(f"{_MAIN}f")
    if formula is not None:
        return f"={formula.text}" if formula.text else "(a formula)"
    return None


def _scan(source, strings: _SharedStrings, width: int, unnamed: frozenset[int]) -> _Layout:
    """One streaming pass over a sheet's XML. Every row is dropped once seen, so memory does not grow
    with the sheet; only cells are looked at, never the empty ones between them."""
    layout = _Layout()
    sheet_data = None
    number = 0
    for event, element in SafeET.iterparse(source, events=("start", "end")):
        tag = element.tag
        if event == "start":
            if tag == f"{_MAIN}sheetData":
                sheet_data = element
            continue
        if tag == f"{_MAIN}row":
            ref = element.get("r")
            number = int(float(ref)) if ref else number + 1
            if element.get("hidden", "").lower() in _TRUE:
                layout.hidden_rows.add(number)
            _scan_row(element, number, strings, width, unnamed, layout)
            if sheet_data is not None:
                sheet_data.clear()  # the rows seen so far, this one included
            else:
                element.clear()
        elif tag == f"{_MAIN}col":
            if element.get("hidden", "").lower() in _TRUE:
                first = int(element.get("min"))
                layout.hidden_cols.update(range(first, int(element.get("max", first)) + 1))
        elif tag == f"{_MAIN}mergeCell" and element.get("ref"):
            layout.merged.append(element.get("ref"))
    return layout


def _scan_row(row, number: int, strings: _SharedStrings, width: int, unnamed: frozenset[int], layout: _Layout) -> None:
    column = 0
    in_form = False  # a value in the form's columns is in this row
    for cell in row:
        if cell.tag != f"{_MAIN}c":
            continue
        ref = cell.get("r")
        column = _column_number(ref.rstrip("0123456789")) if ref else column + 1
        if column <= width and column not in unnamed:
            if not in_form and (
                cell.find(f"{_MAIN}v") is not None
                or cell.find(f"{_MAIN}is") is not None
                or cell.find(f"{_MAIN}f") is not None
            ):
                in_form = True
            continue
        text = _cell_text(cell, strings)
        if text is None or not text.strip():
            continue
        where = ref or f"{column_letter(column - 1)}{number}"
        layout.outside_count += 1
        layout.last_outside = where
        if len(layout.outside) < MAX_LISTED:
            layout.outside.append((number, column, where, text))
        if column <= width:
            in_form = True  # under a blank header: the row is read, so its other problems show
    if in_form:
        layout.last_row = number
