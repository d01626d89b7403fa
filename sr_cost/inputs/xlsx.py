"""Read workbook sheets with openpyxl (through defusedxml, which openpyxl uses when installed).

Only this module, the ``excel*.py`` writers and ``template.py`` import openpyxl. Cells are read by
the values Excel or LibreOffice saved. Anything that would make a form say something other than what
its user sees is an error with its cell reference, rather than a value read as blank or zero:

- a formula with no saved value (a workbook written by a program and never opened and saved);
- an error value (``#REF!``, ``#N/A``, ``#DIV/0!``, ...);
- merged cells in the data (the value is in the first cell only);
- a hidden row or column holding data, and a hidden sheet that is one of the forms;
- a value outside the form's columns (right of the last header, or under a blank header), which
  would not be read: each is named with its cell, the first ``xlsx_layout.MAX_LISTED`` of them,
  then a count.

Hidden sheets that are not forms are ignored, and so are sheets not asked for (an ``Instructions``
sheet, a ``Roles`` list). Merged cells, hidden rows and values outside the form's columns are read
from the sheet's XML in one streaming pass (``sr_cost.inputs.xlsx_layout``), which keeps no rows:
openpyxl's read-only rows are padded to their last cell, so a value in XFD1048576 would make a
16,384-cell row, and the million empty rows before it would each be yielded. The form itself is
read only as wide as its header and only down to its last row with a value in the form's columns,
which that pass finds.

A workbook whose XML declares entities (a DTD) is refused, by defusedxml, before any entity is
expanded: they can exhaust memory (the 'billion laughs' attack) or read other files.
"""

from __future__ import annotations

import zipfile
from collections.abc import Collection
from functools import partial
from pathlib import Path

from defusedxml.common import DefusedXmlException

from sr_cost.errors import DataError, Problem
from sr_cost.inputs.tables import RawRow, RawTable, canonical_header, column_letter
from sr_cost.inputs.xlsx_layout import layout_problems, package, scan_layout, unreadable

ERROR_VALUES = {
    "#REF!",
    "#N/A",
    "#DIV/0!",
    "#VALUE!",
    "#NAME?",
    "#NUM!",
    "#NULL!",
    "#SPILL!",
    "#CALC!",
    "#GETTING_DATA",
}
MAX_UNCOMPRESSED_BYTES = 512 * 1024 * 1024
PROLOG_BYTES = 64 * 1024  # [bytes] read from each XML part to find which one declares a DTD


def read_xlsx_sheets(
    path: Path,
    *,
    display: str | None = None,
    sheets: tuple[str, ...] | None = None,
    first: bool = False,
    cell_problems: list[Problem] | None = None,
) -> dict[str, RawTable]:
    """Read the visible sheets of a workbook (only ``sheets``, lower-cased names, when given), keyed by
    lower-cased sheet name.

    Values are read as Excel saved them (formulas by their saved values). Row numbers and cell
    references are those Excel shows.
    """
    _refuse_compound_file(path, display or str(path))
    return read_sheets(path, display=display or str(path), wanted=sheets, first=first, cell_problems=cell_problems)


CFB_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")  # OLE compound file: .xls, and encrypted .xlsx


def _refuse_compound_file(path: Path, display: str) -> None:
    """A password-protected .xlsx and an old .xls are both OLE compound files, not zip archives:
    say which, and what to do, rather than 'not a zip archive'."""
    try:
        with open(path, "rb") as handle:
            if handle.read(len(CFB_SIGNATURE)) != CFB_SIGNATURE:
                return
            content = handle.read(64 << 20)  # the stream names are in the directory, anywhere
    except OSError:
        return  # the workbook reader says what is wrong
    if "EncryptionInfo".encode("utf-16-le") in content or "EncryptedPackage".encode("utf-16-le") in content:
        raise DataError(
            Problem(
                file=display,
                message="is a password-protected (encrypted) workbook",
                fix="Open it in Excel, remove the password (File > Info > Protect Workbook > "
                "Encrypt with Password, and clear it), and save it as .xlsx",
            )
        )
    raise DataError(
        Problem(
            file=display,
            message="is an old-format Excel .xls workbook (with an .xlsx name)",
            fix="Open it in Excel and save it as 'Excel Workbook (.xlsx)', or give CSV files",
        )
    )


def _open(path: Path, display: str, *, data_only: bool):
    import openpyxl

    try:
        with zipfile.ZipFile(path) as archive:
            total = sum(info.file_size for info in archive.infolist())
        if total > MAX_UNCOMPRESSED_BYTES:
            raise DataError(
                Problem(
                    file=display,
                    value=f"{total:,} bytes",
                    message="declares more uncompressed data than a forms workbook can hold",
                    fix="Save the workbook again from Excel, or export the sheets as CSV",
                )
            )
        return openpyxl.load_workbook(path, read_only=True, data_only=data_only)
    except DataError:
        raise
    except zipfile.BadZipFile:
        raise DataError(
            Problem(
                file=display,
                message="is not an .xlsx workbook (it is not a zip archive)",
                fix="Open it in Excel and save it as 'Excel Workbook (.xlsx)', or give CSV files",
            )
        ) from None
    except OSError as exc:
        raise DataError(
            Problem(
                file=display,
                message=f"cannot be read: {exc.strerror or exc}",
                fix="Check the path and that the file is readable",
            )
        ) from None
    except Exception as exc:  # openpyxl raises many types for malformed workbooks
        if _defused(exc) is not None:  # openpyxl wraps it in a ValueError
            raise _entities_refused(path, display) from None
        raise unreadable(display, exc) from None


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
    return DataError(
        Problem(
            file=display,
            message=f"contains XML entity declarations (a DTD){where}, which sr-cost refuses because they can be "
            "used to exhaust memory (the 'billion laughs' attack) or to read other files",
            fix="Open it in Excel and save it again as .xlsx, or export the sheets as CSV",
        )
    )


def _parts_with_dtd(path: Path) -> list[str]:
    """The XML parts of the workbook that declare a DTD, found in the first bytes of each (a DTD
    comes before the document's first element), so nothing is parsed or expanded."""
    marks = [
        text.encode(encoding) for text in ("<!DOCTYPE", "<!ENTITY") for encoding in ("ascii", "utf-16-le", "utf-16-be")
    ]
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


def read_sheets(
    path: Path,
    *,
    display: str,
    wanted: Collection[str] | None = None,
    first: bool = False,
    cell_problems: list[Problem] | None = None,
) -> dict[str, RawTable]:
    """Visible sheets keyed by their lower-cased, stripped names, with every problem at once.

    ``wanted``: the lower-cased names of the sheets to read (the forms); other sheets are not read,
    and a hidden wanted sheet is an error. Without ``wanted``, every visible sheet is read and
    hidden sheets are skipped. ``first``: stop at the first sheet with data (a single table; the
    sheets after it, notes say, are not looked at).

    Problems with the workbook itself or a sheet's header raise DataError. Problems with cells of
    a table that was read (error values, formulas with no saved value, merged cells, hidden rows or
    columns holding data, values outside the form's columns) raise too, unless ``cell_problems`` is
    given: then they are added to it and the tables are returned (a cell so reported is left out of
    its row), so that whoever validates the tables can report them with its own.
    """
    try:
        return _read_sheets(path, display, wanted, first, cell_problems)
    except DefusedXmlException:
        raise _entities_refused(path, display) from None


def _read_sheets(
    path: Path, display: str, wanted: Collection[str] | None, first: bool, cell_problems: list[Problem] | None
) -> dict[str, RawTable]:
    values_wb = _open(path, display, data_only=True)
    formulas_wb = _open(path, display, data_only=False)
    problems: list[Problem] = []
    in_cells: list[Problem] = []
    tables: dict[str, RawTable] = {}
    try:
        with zipfile.ZipFile(path) as archive:
            members, strings = package(archive, display)
            for ws in values_wb.worksheets:
                name = ws.title
                key = name.strip().lower()
                if wanted is not None and key not in wanted:
                    continue
                if ws.sheet_state != "visible":
                    if wanted is not None:
                        problems.append(
                            Problem(
                                file=display,
                                sheet=name,
                                message="this form's sheet is hidden",
                                fix="Unhide the sheet (right-click a sheet tab > Unhide), or rename or "
                                "delete it if it is not the form",
                            )
                        )
                    continue
                member = members.get(name)
                scan = None
                if member is not None and member in archive.namelist():
                    scan = partial(scan_layout, archive, member, strings, display=display)
                table, header_problems, sheet_problems = _read_sheet(ws, formulas_wb[name], display, scan)
                problems.extend(header_problems)
                in_cells.extend(sheet_problems)
                if table is not None:
                    tables[key] = table
                    if first:
                        break
    except zipfile.BadZipFile as exc:
        raise unreadable(display, exc) from None
    finally:
        values_wb.close()
        formulas_wb.close()
    if cell_problems is not None and not any(p.severity == "error" for p in problems):
        cell_problems.extend(in_cells)
        return tables
    problems += in_cells
    if any(p.severity == "error" for p in problems):
        raise DataError(problems)
    return tables


def _read_sheet(ws, fws, display: str, scan) -> tuple[RawTable | None, list[Problem], list[Problem]]:
    """The table on one sheet (the first non-empty row is the header, then every non-empty row),
    the problems with its header, and those with its cells. ``scan(width, unnamed)`` reads the
    sheet's layout from its XML, given the number of columns under the header and those of them
    (1-based) with a blank header."""
    ws.reset_dimensions()  # some writers save a wrong <dimension>; read every row there is
    fws.reset_dimensions()
    problems: list[Problem] = []
    headers: dict[str, str] = {}
    order: list[str] = []
    letters: dict[str, str] = {}
    rows: list[RawRow] = []

    def problem(number: int, i: int, key: str, value: object, message: str, fix: str) -> Problem:
        return Problem(
            file=display,
            sheet=ws.title,
            row=number,
            cell=f"{column_letter(i)}{number}",
            column=headers.get(key, key),
            value=str(value),
            message=message,
            fix=fix,
            left_out_to=number,
        )

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
        return None, problems, []
    last = max(i for i, v in enumerate(texts) if v is not None and str(v).strip())
    for i, value in enumerate(texts[: last + 1]):
        key = canonical_header(value)
        if key and key in headers:
            problems.append(
                Problem(
                    file=display,
                    sheet=ws.title,
                    cell=f"{column_letter(i)}{header_row}",
                    row=header_row,
                    column=str(value).strip(),
                    value=str(value),
                    message="this column header appears twice",
                    fix="Delete or rename one of the two columns",
                )
            )
        if key:
            headers.setdefault(key, str(value).strip())
            letters.setdefault(key, column_letter(i))
        order.append(key)
    header_problems, problems = problems, []
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
                problems.append(
                    problem(
                        number,
                        i,
                        key,
                        value,
                        "holds a spreadsheet error value",
                        "Correct the formula or type the value in",
                    )
                )
                any_value = True
                continue
            if value is None and fvalue is not None and getattr(fcells[i], "data_type", None) == "f":
                text = fvalue if isinstance(fvalue, str) else getattr(fvalue, "text", "") or "(formula)"
                problems.append(
                    problem(
                        number,
                        i,
                        key,
                        text,
                        "holds a formula with no saved value",
                        "Open the workbook in Excel or LibreOffice and save it, so the value is stored",
                    )
                )
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
        problems.extend(layout_problems(table, layout, header_row, width, str(texts[last]).strip(), display))
    return table, header_problems, problems
