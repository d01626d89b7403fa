"""Read workbook sheets: values with python-calamine, and every problem cell named with openpyxl.

Only this module family (``inputs/xlsx*.py``) and the workbook writers (``excel/``) import
openpyxl, and openpyxl is imported only when a sheet needs it. Cells are read by the values Excel
or LibreOffice saved. Anything that would make a form say something other than what its user sees
is an error with its cell reference, rather than a value read as blank or zero:

- a formula with no saved value (a workbook written by a program and never opened and saved);
- an error value (``#REF!``, ``#N/A``, ``#DIV/0!``, ...);
- merged cells in the data (the value is in the first cell only);
- a hidden row or column holding data, and a hidden sheet that is one of the forms;
- a value outside the form's columns (right of the last header, or under a blank header), which
  would not be read: each is named with its cell, the first ``xlsx_sheet.MAX_LISTED`` of them, then a
  count.

Hidden sheets that are not forms are ignored, and so are sheets not asked for (an ``Instructions``
sheet, a ``Roles`` list).

How (one pass over each sheet by a library, after a cheap screen of its bytes):

1. The package is checked before anything parses it: the uncompressed sizes it declares (a zip
   bomb is refused), and the start of every XML part for entity declarations (a DTD: they can
   exhaust memory, the 'billion laughs' attack, or read other files; refused, naming the part).
2. Each sheet asked for is screened (``xlsx_screen``): a search of its XML bytes, in C, for what
   python-calamine cannot show (error cells, formulas with no saved value, hidden rows or columns)
   and for cells too far apart for calamine's grid (a value in XFD1048576 would abort the process).
3. A *plain* sheet (nearly every form) is read by calamine, in Rust, into factorised columns
   (``xlsx_values``); calamine also gives its merged cells and which sheets are hidden. A sheet that
   is not plain is read cell by cell by openpyxl (``xlsx_detail``), which names each problem cell,
   streaming, as the previous reader read every sheet (a national form takes a minute that way).
   openpyxl sees merged cells and hidden rows and columns only in its full mode, which loads the
   whole workbook (about 400 bytes a cell), so only a workbook of at most 16 MB of XML is loaded
   so; in a bigger one, a sheet that is not plain and may have hidden rows or columns is one
   problem, asking for them to be unhidden.

calamine is fast (a national workbook of 4 million cells in a few seconds, where openpyxl takes
minutes) but shows neither formulas, error values (it reads them as empty cells) nor hidden rows
and columns; the screen decides, conservatively, that a sheet has none of these, or sends it to
openpyxl. The only XML sr-cost parses itself is the package's three small relationship parts that
say where each sheet's XML is (``xlsx_screen.sheet_parts``, with defusedxml).
"""

from __future__ import annotations

import zipfile
from collections.abc import Collection
from pathlib import Path

from defusedxml.common import DefusedXmlException

from sr_cost.core.progress import Progress, Step
from sr_cost.errors import DataError, Problem
from sr_cost.inputs.tables import RawTable
from sr_cost.inputs.xlsx_screen import mentions, screen_sheet, sheet_parts
from sr_cost.inputs.xlsx_sheet import RowProgress, SheetRead

MAX_UNCOMPRESSED_BYTES = 512 * 1024 * 1024
PROLOG_BYTES = 64 * 1024  # [bytes] read from each XML part to find which one declares a DTD


def read_xlsx_sheets(
    path: Path,
    *,
    display: str | None = None,
    sheets: tuple[str, ...] | None = None,
    first: bool = False,
    cell_problems: list[Problem] | None = None,
    progress: Progress | None = None,
) -> dict[str, RawTable]:
    """Read the visible sheets of a workbook (only ``sheets``, lower-cased names, when given), keyed by
    lower-cased sheet name.

    Values are read as Excel saved them (formulas by their saved values). Row numbers and cell
    references are those Excel shows. ``progress`` is told how far the reading has got, in bytes of
    the sheets' XML (``Step.reading``).
    """
    _refuse_compound_file(path, display or str(path))
    return read_sheets(
        path, display=display or str(path), wanted=sheets, first=first, cell_problems=cell_problems, progress=progress
    )


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


def unreadable(display: str, exc: BaseException) -> DataError:
    return DataError(
        Problem(
            file=display,
            message=f"is not a readable .xlsx workbook ({type(exc).__name__}: {exc})",
            fix="Open it in Excel and save it as 'Excel Workbook (.xlsx)', or give CSV files",
        )
    )


def _check_package(path: Path, display: str) -> int:
    """The uncompressed bytes the workbook's zip archive declares, once it is known to be a zip
    archive, not too big, and free of entity declarations."""
    try:
        with zipfile.ZipFile(path) as archive:
            total = sum(info.file_size for info in archive.infolist())
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
    if total > MAX_UNCOMPRESSED_BYTES:
        raise DataError(
            Problem(
                file=display,
                value=f"{total:,} bytes",
                message="declares more uncompressed data than a forms workbook can hold",
                fix="Save the workbook again from Excel, or export the sheets as CSV",
            )
        )
    if _parts_with_dtd(path):
        raise _entities_refused(path, display)
    return total


def _defused(exc: BaseException | None) -> bool:
    """Whether defusedxml's refusal (DTDForbidden, EntitiesForbidden, ...) is ``exc`` or caused it."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, DefusedXmlException):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


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
    comes before the document's first element), so nothing is parsed or expanded. One further in
    a part is refused by the XML parser that meets it (defusedxml, or calamine, which expands no
    entity it does not know)."""
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
    progress: Progress | None = None,
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
        return _read_sheets(path, display, wanted, first, cell_problems, progress)
    except DefusedXmlException:
        raise _entities_refused(path, display) from None


def _read_sheets(
    path: Path,
    display: str,
    wanted: Collection[str] | None,
    first: bool,
    cell_problems: list[Problem] | None,
    progress: Progress | None,
) -> dict[str, RawTable]:
    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    from sr_cost.inputs.xlsx_detail import Detail

    package_bytes = _check_package(path, display)
    problems: list[Problem] = []
    in_cells: list[Problem] = []
    tables: dict[str, RawTable] = {}
    detail = Detail(path, package_bytes)
    book = None

    def read_it(sheet) -> bool:  # a worksheet asked for (every one, when none is named)
        return sheet.typ == SheetTypeEnum.WorkSheet and (wanted is None or sheet.name.strip().lower() in wanted)

    try:
        book = CalamineWorkbook.from_path(path)
        with zipfile.ZipFile(path) as archive:
            parts = sheet_parts(archive)
            reading = _Reading(archive, parts, [s.name for s in book.sheets_metadata if read_it(s)], progress)
            for sheet in book.sheets_metadata:
                name = sheet.name
                key = name.strip().lower()
                if not read_it(sheet):
                    continue
                if sheet.visible != SheetVisibleEnum.Visible:
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
                read = _read_sheet(book, archive, parts.get(name), detail, name, display, reading.sheet(name))
                problems.extend(read.header_problems)
                in_cells.extend(read.cell_problems)
                if read.table is not None:
                    tables[key] = read.table
                    if first:
                        break
            reading.finish()
    except (DataError, DefusedXmlException):
        raise
    except Exception as exc:  # calamine, openpyxl and zipfile raise many types for malformed workbooks
        if _defused(exc):  # openpyxl wraps defusedxml's refusal in a ValueError
            raise _entities_refused(path, display) from None
        raise unreadable(display, exc) from None
    finally:
        detail.close()
        if book is not None:
            book.close()
    if cell_problems is not None and not any(p.severity == "error" for p in problems):
        cell_problems.extend(in_cells)
        return tables
    problems += in_cells
    if any(p.severity == "error" for p in problems):
        raise DataError(problems)
    return tables


class _Reading:
    """The progress of reading a workbook's sheets, in bytes of their XML: each sheet's bytes count
    as its rows are read."""

    def __init__(self, archive: zipfile.ZipFile, parts: dict[str, str], names: list[str], progress: Progress | None):
        self.progress = progress
        self.sizes = {name: archive.getinfo(parts[name]).file_size if name in parts else 0 for name in names}
        self.total = sum(self.sizes.values())
        self.done = 0
        self._report(0)

    def _report(self, done: int) -> None:
        if self.progress is not None:
            self.progress(Step.reading, done, self.total)

    def sheet(self, name: str) -> RowProgress | None:
        """What the reader of the sheet ``name`` is to tell: rows read, of its rows."""
        if self.progress is None:
            return None
        self._report(self.done)
        before, size = self.done, self.sizes.get(name, 0)
        self.done += size

        def rows_read(done: int, rows: int) -> None:
            self._report(before + size * min(done, rows) // max(rows, 1))

        return rows_read

    def finish(self) -> None:
        self._report(self.total)


def _read_sheet(
    book,
    archive: zipfile.ZipFile,
    member: str | None,
    detail,
    name: str,
    display: str,
    progress: RowProgress | None = None,
) -> SheetRead:
    """A plain sheet by calamine, any other by openpyxl (``xlsx_detail``)."""
    from sr_cost.inputs.xlsx_detail import read_detailed
    from sr_cost.inputs.xlsx_values import merged_ranges, read_plain

    screen = screen_sheet(archive, member) if member is not None else None
    if screen is not None and screen.plain:
        return read_plain(book.get_sheet_by_name(name), name, display, progress)
    merged = None  # unknown: openpyxl's full mode says, if the workbook is small enough for it
    if not detail.full_mode and screen is not None:
        if screen.fits:  # calamine can hold the sheet: it says which cells are merged
            merged = merged_ranges(book.get_sheet_by_name(name))
        elif not mentions(archive, member, b"mergeCell"):
            merged = []
    return read_detailed(
        detail,
        name,
        display,
        hidden=screen is None or screen.hidden,
        merged=merged,
        progress=progress,
        rows=screen.last_row if screen is not None else 0,
    )
