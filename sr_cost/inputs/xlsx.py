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

import io
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

from defusedxml.common import DefusedXmlException

from sr_cost.core.progress import Progress, Step
from sr_cost.errors import DataError, Problem
from sr_cost.inputs.tables import RawTable
from sr_cost.inputs.xlsx_screen import (
    CAREFUL_CELLS,
    CAREFUL_ROWS,
    MAX_SHARED_STRINGS,
    count_in,
    mentions,
    screen_sheet,
    sheet_parts,
)
from sr_cost.inputs.xlsx_sheet import RowProgress, SheetRead

MAX_UNCOMPRESSED_BYTES = 256 * 1024 * 1024  # [bytes] of XML a workbook may declare in all
MAX_PART_BYTES = {  # [bytes] the most these parts may declare: every string of the workbook, its formats
    "sharedstrings": 64 * 1024 * 1024,
    "styles": 16 * 1024 * 1024,
}
PROLOG_BYTES = 64 * 1024  # [bytes] read from each XML part to find which one declares a DTD
STRICT_NAMESPACE = b"purl.oclc.org/ooxml/spreadsheetml/main"  # Strict Open XML, which neither reader reads

# pick(names of the workbook's worksheets, in order) -> {sheet name: form}: which sheets to read
Pick = Callable[[list[str]], dict[str, str]]


def read_xlsx_sheets(
    path: Path,
    *,
    display: str | None = None,
    data: bytes | None = None,
    sheets: tuple[str, ...] | None = None,
    pick: Pick | None = None,
    first: bool = False,
    cell_problems: list[Problem] | None = None,
    progress: Progress | None = None,
) -> dict[str, RawTable]:
    """Read the visible sheets of a workbook, keyed by lower-cased sheet name: only ``sheets``
    (lower-cased names) when given; only those ``pick`` chooses, keyed by what it calls them, when
    given. ``data``: the workbook's bytes, when already read (they are read once, so the SHA-256
    recorded is theirs).

    Values are read as Excel saved them (formulas by their saved values). Row numbers and cell
    references are those Excel shows. ``progress`` is told how far the reading has got, in bytes of
    the sheets' XML (``Step.reading``).
    """
    display = display or str(path)
    if data is None:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise DataError(
                Problem(
                    file=display,
                    message=f"cannot be read: {exc.strerror or exc}",
                    fix="Check the path and that the file is readable",
                )
            ) from None
    _refuse_compound_file(data, display)
    if pick is None and sheets is not None:
        wanted = set(sheets)

        def pick(names: list[str]) -> dict[str, str]:
            return {name: name.strip().lower() for name in names if name.strip().lower() in wanted}

    with warnings.catch_warnings():  # openpyxl's warnings (unsupported extensions, ...) name its own files
        warnings.simplefilter("ignore")
        return read_sheets(
            data, display=display, pick=pick, first=first, cell_problems=cell_problems, progress=progress
        )


CFB_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")  # OLE compound file: .xls, and encrypted .xlsx


def _refuse_compound_file(data: bytes, display: str) -> None:
    """A password-protected .xlsx and an old .xls are both OLE compound files, not zip archives:
    say which, and what to do, rather than 'not a zip archive'."""
    if not data.startswith(CFB_SIGNATURE):
        return
    content = data[: 64 << 20]  # the stream names are in the directory, anywhere
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


def _too_big(display: str, what: str, found: int, limit: int, unit: str = "bytes") -> DataError:
    """``what`` (found) is more than ``limit`` allows: bytes are shown in MB."""
    most = f"{limit >> 20:,} MB" if unit == "bytes" else f"{limit:,} {unit}"
    return DataError(
        Problem(
            file=display,
            value=f"{found:,} {unit}",
            message=f"{what}: more than the {most} sr-cost reads from a forms workbook",
            fix="Save the workbook again from Excel (delete unused sheets, rows and formatting), "
            "or export the forms as CSV files",
        )
    )


def _check_package(data: bytes, display: str) -> int:
    """The uncompressed bytes the workbook's zip archive declares, once it is known to be a zip
    archive, within the limits, free of entity declarations and not Strict Open XML."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except zipfile.BadZipFile:
        raise DataError(
            Problem(
                file=display,
                message="is not an .xlsx workbook (it is not a zip archive)",
                fix="Open it in Excel and save it as 'Excel Workbook (.xlsx)', or give CSV files",
            )
        ) from None
    total = sum(info.file_size for info in infos)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise _too_big(
            display, "declares more uncompressed data than a forms workbook can hold", total, MAX_UNCOMPRESSED_BYTES
        )
    for info in infos:
        part = info.filename.lower().rsplit("/", 1)[-1].split(".")[0]
        limit = MAX_PART_BYTES.get(part)
        if limit is not None and info.file_size > limit:
            raise _too_big(display, f"its part {info.filename} is too big", info.file_size, limit)
    if _parts_with_dtd(data):
        raise _entities_refused(data, display)
    return total


def _check_contents(archive: zipfile.ZipFile, display: str) -> None:
    """Strict Open XML is named for what it is; the shared strings are counted."""
    names = {name.lower(): name for name in archive.namelist()}
    book = names.get("xl/workbook.xml")
    if book is not None and mentions(archive, book, STRICT_NAMESPACE):
        raise DataError(
            Problem(
                file=display,
                message="is saved as 'Strict Open XML Spreadsheet', which sr-cost cannot read",
                fix="Open it in Excel and save it as 'Excel Workbook (.xlsx)' (File > Save As, and choose "
                "that type, not 'Strict Open XML Spreadsheet'), or give CSV files",
            )
        )
    strings = next((name for low, name in names.items() if low.rsplit("/", 1)[-1] == "sharedstrings.xml"), None)
    if strings is not None:
        count = count_in(archive, strings, b"<si")
        if count > MAX_SHARED_STRINGS:
            raise _too_big(
                display, f"it holds {count:,} different texts (shared strings)", count, MAX_SHARED_STRINGS, "texts"
            )


def _defused(exc: BaseException | None) -> bool:
    """Whether defusedxml's refusal (DTDForbidden, EntitiesForbidden, ...) is ``exc`` or caused it."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, DefusedXmlException):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def _entities_refused(data: bytes, display: str) -> DataError:
    parts = _parts_with_dtd(data)
    where = f" in {', '.join(parts)}" if parts else ""
    return DataError(
        Problem(
            file=display,
            message=f"contains XML entity declarations (a DTD){where}, which sr-cost refuses because they can be "
            "used to exhaust memory (the 'billion laughs' attack) or to read other files",
            fix="Open it in Excel and save it again as .xlsx, or export the sheets as CSV",
        )
    )


def _parts_with_dtd(data: bytes) -> list[str]:
    """The XML parts of the workbook that declare a DTD, found in the first bytes of each (a DTD
    comes before the document's first element), so nothing is parsed or expanded. One further in
    a part is refused by the XML parser that meets it (defusedxml, or calamine, which expands no
    entity it does not know)."""
    marks = [
        text.encode(encoding) for text in ("<!DOCTYPE", "<!ENTITY") for encoding in ("ascii", "utf-16-le", "utf-16-be")
    ]
    found = []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
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
    data: bytes | Path,
    *,
    display: str,
    pick: Pick | None = None,
    first: bool = False,
    cell_problems: list[Problem] | None = None,
    progress: Progress | None = None,
) -> dict[str, RawTable]:
    """Visible sheets of a workbook (its bytes, or its path) keyed by their lower-cased, stripped
    names (or by what ``pick`` calls them), with every problem at once.

    ``pick``: which sheets to read (the forms), and what to call them; other sheets are not read,
    and a hidden sheet picked is an error. Without ``pick``, every visible sheet is read and hidden
    sheets are skipped. ``first``: stop at the first sheet with data (a single table; the sheets
    after it, notes say, are not looked at).

    Problems with the workbook itself raise DataError. Problems with a sheet (a hidden form, its
    header) or with cells of a table that was read (error values, formulas with no saved value,
    merged cells, hidden rows or columns holding data, values outside the form's columns) raise
    too, unless ``cell_problems`` is given: then they are added to it and the tables are returned
    (a cell so reported is left out of its row; a sheet whose header is wrong is left out), so that
    whoever validates the tables can report them with its own.
    """
    if not isinstance(data, bytes):  # a path: its bytes
        data = Path(data).read_bytes()
    try:
        return _read_sheets(data, display, pick, first, cell_problems, progress)
    except DefusedXmlException:
        raise _entities_refused(data, display) from None


def _read_sheets(
    data: bytes,
    display: str,
    pick: Pick | None,
    first: bool,
    cell_problems: list[Problem] | None,
    progress: Progress | None,
) -> dict[str, RawTable]:
    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    from sr_cost.inputs.xlsx_detail import Detail

    package_bytes = _check_package(data, display)
    problems: list[Problem] = []
    tables: dict[str, RawTable] = {}
    detail = Detail(data, package_bytes)
    book = None

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_contents(archive, display)
            book = CalamineWorkbook.from_filelike(io.BytesIO(data))
            parts = sheet_parts(archive)
            worksheets = [s for s in book.sheets_metadata if s.typ == SheetTypeEnum.WorkSheet]
            chosen = pick([s.name for s in worksheets]) if pick is not None else None
            visible = [
                s.name
                for s in worksheets
                if (chosen is None or s.name in chosen) and s.visible == SheetVisibleEnum.Visible
            ]
            reading = _Reading(archive, parts, visible, progress)
            for sheet in worksheets:
                name = sheet.name
                if chosen is not None and name not in chosen:
                    continue
                key = chosen[name] if chosen is not None else name.strip().lower()
                if sheet.visible != SheetVisibleEnum.Visible:
                    if chosen is not None:
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
                problems.extend(read.header_problems + read.cell_problems)
                if read.table is not None and not any(p.severity == "error" for p in read.header_problems):
                    tables[key] = read.table
                    if first:
                        break
            reading.finish()
    except (DataError, DefusedXmlException):
        raise
    except Exception as exc:  # calamine, openpyxl and zipfile raise many types for malformed workbooks
        if _defused(exc):  # openpyxl wraps defusedxml's refusal in a ValueError
            raise _entities_refused(data, display) from None
        raise unreadable(display, exc) from None
    finally:
        detail.close()
        if book is not None:
            book.close()
    if cell_problems is not None:
        cell_problems.extend(problems)
        return tables
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
    if screen is not None and not screen.careful_fits:
        return SheetRead(
            None,
            [
                Problem(
                    file=display,
                    sheet=name,
                    value=f"{screen.cells:,} cells, {screen.rows:,} rows",
                    message=f"this sheet has {screen.why_not_plain()}, which sr-cost checks cell by cell only in "
                    f"sheets of up to {CAREFUL_CELLS:,} cells and {CAREFUL_ROWS:,} rows",
                    fix="Correct any error values, open and save the workbook in Excel (so every formula's value "
                    "is stored and the cells are written as Excel writes them), unhide every row and column, "
                    "and delete rows and columns past the form; or give the forms as CSV files",
                )
            ],
        )
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
        formulas=screen is None or screen.formulas,
        progress=progress,
        rows=screen.last_row if screen is not None else 0,
    )
