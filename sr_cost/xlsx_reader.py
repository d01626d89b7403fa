"""Read workbook sheets with openpyxl (through defusedxml, which openpyxl uses when installed).

Only this module, the ``excel*.py`` writers and ``template.py`` import openpyxl. Cells are read by
the values Excel or LibreOffice saved. Anything that would make a form say something other than what
its user sees is an error with its cell reference, rather than a value read as blank or zero:

- a formula with no saved value (a workbook written by a program and never opened and saved);
- an error value (``#REF!``, ``#N/A``, ``#DIV/0!``, ...);
- merged cells in the data (the value is in the first cell only);
- a hidden row or column holding data, and a hidden sheet that is one of the forms;
- a value outside the form's columns (right of the last header, or under a blank header), which
  would not be read: each is named with its cell, the first ``MAX_LISTED`` of them, then a count.

Hidden sheets that are not forms are ignored, and so are sheets not asked for (an ``Instructions``
sheet, a ``Roles`` list). Merged cells, hidden rows and values outside the form's columns are read
from the sheet's XML in one streaming pass, which keeps no rows: openpyxl's read-only rows are
padded to their last cell, so a value in XFD1048576 would make a 16,384-cell row, and the million
empty rows before it would each be yielded. The form itself is read only as wide as its header and
only down to its last row with a value in the form's columns, which that pass finds.

A workbook whose XML declares entities (a DTD) is refused, by defusedxml, before any entity is
expanded: they can exhaust memory (the 'billion laughs' attack) or read other files.
"""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path
from typing import Collection

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from sr_cost.errors import DataError, Problem
from sr_cost.readers import RawRow, RawTable, canonical_header, column_letter

ERROR_VALUES = {"#REF!", "#N/A", "#DIV/0!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!",
                "#GETTING_DATA"}
MAX_UNCOMPRESSED_BYTES = 512 * 1024 * 1024
MAX_LISTED = 20  # values outside the form's columns named one by one; the rest are counted
PROLOG_BYTES = 64 * 1024  # [bytes] read from each XML part to find which one declares a DTD
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
        if _defused(exc) is not None:  # openpyxl wraps it in a ValueError
            raise _entities_refused(path, display) from None
        raise _unreadable(display, exc) from None


def _unreadable(display: str, exc: BaseException) -> DataError:
    return DataError(Problem(file=display, message=f"is not a readable .xlsx workbook ({type(exc).__name__}: {exc})",
                             fix="Open it in Excel and save it as 'Excel Workbook (.xlsx)', or give CSV files"))


def _defused(exc: BaseException | None) -> DefusedXmlException | None:
    """defusedxml's refusal (DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden), if it is
    ``exc`` or what caused it."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, DefusedXmlException):
            return exc
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return None


def _entities_refused(path: Path, display: str) -> DataError:
    parts = _parts_with_dtd(path)
    where = f" in {', '.join(parts)}" if parts else ""
    return DataError(Problem(
        file=display,
        message=f"contains XML entity declarations (a DTD){where}, which sr-cost refuses because they can be "
                "used to exhaust memory (the 'billion laughs' attack) or to read other files",
        fix="Open it in Excel and save it again as .xlsx, or export the sheets as CSV"))


def _parts_with_dtd(path: Path) -> list[str]:
    """The XML parts of the workbook that declare a DTD, found in the first bytes of each (a DTD
    comes before the document's first element), so nothing is parsed or expanded."""
    marks = [text.encode(encoding) for text in ("<!DOCTYPE", "<!ENTITY")
             for encoding in ("ascii", "utf-16-le", "utf-16-be")]
    found = []
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if info.filename.lower().endswith((".xml", ".rels", ".vml")):
                    with archive.open(info) as member:
                        head = member.read(PROLOG_BYTES)
                    if any(mark in head for mark in marks):
                        found.append(info.filename)
    except (OSError, zipfile.BadZipFile, RuntimeError, EOFError, NotImplementedError):
        pass  # the part is then not named; the workbook is refused all the same
    return found


def read_sheets(path: Path, *, display: str, wanted: Collection[str] | None = None,
                first: bool = False) -> dict[str, RawTable]:
    """Visible sheets keyed by their lower-cased, stripped names, with every problem at once.

    ``wanted``: the lower-cased names of the sheets to read (the forms); other sheets are not read,
    and a hidden wanted sheet is an error. Without ``wanted``, every visible sheet is read and
    hidden sheets are skipped. ``first``: stop at the first sheet with data (a single table; the
    sheets after it, notes say, are not looked at).
    """
    try:
        return _read_sheets(path, display, wanted, first)
    except DefusedXmlException:
        raise _entities_refused(path, display) from None


def _read_sheets(path: Path, display: str, wanted: Collection[str] | None, first: bool) -> dict[str, RawTable]:
    values_wb = _open(path, display, data_only=True)
    formulas_wb = _open(path, display, data_only=False)
    problems: list[Problem] = []
    tables: dict[str, RawTable] = {}
    try:
        with zipfile.ZipFile(path) as archive:
            members, strings = _package(archive, display)
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
                member = members.get(name)
                scan = None
                if member is not None and member in archive.namelist():
                    scan = partial(_layout, archive, member, strings, display=display)
                table, sheet_problems = _read_sheet(ws, formulas_wb[name], display, scan)
                problems.extend(sheet_problems)
                if table is not None:
                    tables[key] = table
                    if first:
                        break
    except zipfile.BadZipFile as exc:
        raise _unreadable(display, exc) from None
    finally:
        values_wb.close()
        formulas_wb.close()
    if any(p.severity == "error" for p in problems):
        raise DataError(problems)
    return tables


def _read_sheet(ws, fws, display: str, scan) -> tuple[RawTable | None, list[Problem]]:
    """The table on one sheet (the first non-empty row is the header, then every non-empty row) and
    its problems. ``scan(width, unnamed)`` reads the sheet's layout from its XML, given the number of
    columns under the header and those of them (1-based) with a blank header."""
    ws.reset_dimensions()  # some writers save a wrong <dimension>; read every row there is
    fws.reset_dimensions()
    problems: list[Problem] = []
    headers: dict[str, str] = {}
    order: list[str] = []
    letters: dict[str, str] = {}
    rows: list[RawRow] = []

    def problem(number: int, i: int, key: str, value: object, message: str, fix: str) -> Problem:
        return Problem(file=display, sheet=ws.title, row=number, cell=f"{column_letter(i)}{number}",
                       column=headers.get(key, key), value=str(value), message=message, fix=fix)

    header_row = 0
    texts: list[object] = []
    search = ws.iter_rows()
    try:
        for number, cells in enumerate(search, start=1):
            texts = [getattr(c, "value", None) for c in cells]
            if any(v is not None and str(v).strip() for v in texts):
                header_row = number
                break
    finally:
        search.close()  # the sheet's XML stays open until the generator is closed
    if not header_row:
        return None, problems
    last = max(i for i, v in enumerate(texts) if v is not None and str(v).strip())
    for i, value in enumerate(texts[: last + 1]):
        key = canonical_header(value)
        if key and key in headers:
            problems.append(Problem(file=display, sheet=ws.title, cell=f"{column_letter(i)}{header_row}",
                                    row=header_row, column=str(value).strip(), value=str(value),
                                    message="this column header appears twice",
                                    fix="Delete or rename one of the two columns"))
        if key:
            headers.setdefault(key, str(value).strip())
            letters.setdefault(key, column_letter(i))
        order.append(key)
    width = len(order)
    unnamed = frozenset(i + 1 for i, v in enumerate(texts[: last + 1]) if v is None or not str(v).strip())
    layout = scan(width, unnamed) if scan is not None else None
    last_row = layout.last_row if layout is not None else None  # None: read to the end
    bounds = dict(min_row=header_row + 1, max_row=last_row, max_col=width)  # no wider, no further
    data = zip(ws.iter_rows(**bounds), fws.iter_rows(**bounds)) if last_row is None or last_row > header_row else ()
    for number, (cells, fcells) in enumerate(data, start=header_row + 1):
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
    table = RawTable(file=display, sheet=ws.title, headers=headers, letters=letters, rows=rows)
    if layout is not None:
        problems.extend(_layout_problems(table, layout, header_row, width, str(texts[last]).strip(), display))
    return table, problems


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


def _layout_problems(table: RawTable, layout: _Layout, header_row: int, width: int, last_header: str,
                     display: str) -> list[Problem]:
    """Merged cells over the table, hidden rows holding its data, hidden columns holding its columns,
    values outside its columns."""
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
    edge = column_letter(width - 1)
    right = (f"holds a value outside the form's columns, to the right of the last one ({edge}{header_row}, "
             f"{last_header!r}), which would not be read")
    blank = (f"holds a value outside the form's columns, under a blank header in row {header_row}, which would "
             "not be read")
    fix = f"Delete it, or move it into a named column (one with a header in row {header_row})"
    for number, column, ref, value in layout.outside:
        problems.append(Problem(file=display, sheet=table.sheet, row=number, cell=ref, value=value,
                                message=right if column > width else blank, fix=fix))
    more = layout.outside_count - len(layout.outside)
    if more > 0:
        problems.append(Problem(file=display, sheet=table.sheet,
                                message=f"and {more:,} more cell(s) outside the form's columns hold values, not listed "
                                        f"one by one (the last is {layout.last_outside})",
                                fix="Delete them, or move them into named columns"))
    return problems


def _corners(ref: str) -> tuple[tuple[int, int], tuple[int, int]]:
    from openpyxl.utils.cell import range_boundaries

    c1, r1, c2, r2 = range_boundaries(ref if ":" in ref else f"{ref}:{ref}")
    return (c1, r1), (c2, r2)


def _package(archive: zipfile.ZipFile, display: str) -> tuple[dict[str, str], _SharedStrings]:
    """Sheet name -> the zip member holding its XML, and the shared strings (read when needed)."""
    try:
        members, strings = _members(archive)
    except DefusedXmlException:
        raise
    except (KeyError, StopIteration, SafeET.ParseError, ValueError) as exc:
        raise _unreadable(display, exc) from None
    return members, _SharedStrings(archive, strings)


def _layout(archive: zipfile.ZipFile, member: str, strings: _SharedStrings, width: int,
            unnamed: frozenset[int], *, display: str) -> _Layout:
    try:
        with archive.open(member) as source:
            return _scan(source, strings, width, unnamed)
    except DefusedXmlException:
        raise
    except (KeyError, SafeET.ParseError, zipfile.BadZipFile, ValueError, IndexError) as exc:
        raise _unreadable(display, exc) from None


def _members(archive: zipfile.ZipFile) -> tuple[dict[str, str], str | None]:
    """Sheet name -> the zip member holding its XML, through the package's relationships, and the
    member holding the shared strings (None if there are none)."""
    root_rels = SafeET.fromstring(archive.read("_rels/.rels"))
    book = next(r.get("Target") for r in root_rels.iter(f"{_PKG_REL}Relationship")
                if r.get("Type", "").endswith("/officeDocument")).lstrip("/")
    folder, base = posixpath.split(book)
    rels = list(SafeET.fromstring(archive.read(posixpath.join(folder, "_rels", base + ".rels")))
                .iter(f"{_PKG_REL}Relationship"))

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


def _scan_row(row, number: int, strings: _SharedStrings, width: int, unnamed: frozenset[int],
              layout: _Layout) -> None:
    column = 0
    in_form = False  # a value in the form's columns is in this row
    for cell in row:
        if cell.tag != f"{_MAIN}c":
            continue
        ref = cell.get("r")
        column = _column_number(ref.rstrip("0123456789")) if ref else column + 1
        if column <= width and column not in unnamed:
            if not in_form and (cell.find(f"{_MAIN}v") is not None or cell.find(f"{_MAIN}is") is not None
                                or cell.find(f"{_MAIN}f") is not None):
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
