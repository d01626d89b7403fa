"""Read tables from CSV files and workbook sheets, keeping where every value came from.

Readers do no validation beyond what is needed to find rows and headers: they return raw values
with their location (file, sheet, row as the user sees it, column letter), and the models and forms
modules decide what the values mean. Header spellings are canonicalised here, in one place
(``canonical_header``); nothing else knows how users spell them.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from sr_cost.errors import DataError, Problem, UsageError

CSV_FAST_BYTES = 1 << 20  # CSV files at least this big are read column by column with pandas

if TYPE_CHECKING:
    import numpy as np

    from sr_cost.columns import Columns

# The I/O contract: every accepted spelling of a header, after lower-casing and folding spaces,
# mapped to the one name the code uses.
HEADER_ALIASES: dict[str, str] = {
    "la": "la",
    "local_authority": "la",
    "phase": "phase",
    "round": "round",
    "sr": "round",
    "mode": "mode",
    "item": "item",
    "role": "role",
    "job_role": "role",
    "rate": "rate",
    "hourly_rate": "rate",
    "staff": "staff",
    "hours": "hours",
    "miles": "miles",
    "cost": "cost",
    "salary": "salary",
    "salary_midpoint": "salary",
    "on_costs": "on_costs",
    "oncosts": "on_costs",
    "salary_on_costs": "on_costs",
    "overheads": "overheads",
    "overhead_costs": "overheads",
    "unit_cost_hour": "unit_cost_hour",
    "unit_cost": "unit_cost_hour",
    "respondent": "respondent",
    "group": "group",
    "sick_days": "sick_days",
    "rounds_attended": "rounds_attended",
    "intervention_staff": "intervention_staff",
    "control_staff": "control_staff",
}


def canonical_header(text: object) -> str:
    """``' Unit cost (£/hour) '`` -> ``'unit_cost'`` style key, then through HEADER_ALIASES."""
    raw = str(text if text is not None else "").replace("\ufeff", "").strip().lower()
    for unit in ("(£/hour)", "(£/annum)", "(£)", "£"):
        raw = raw.replace(unit, "")
    key = "_".join(raw.replace("-", " ").replace("/", " ").split())
    return HEADER_ALIASES.get(key, key)


def column_letter(index: int) -> str:
    """0 -> 'A', 25 -> 'Z', 26 -> 'AA'."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass(frozen=True)
class RawRow:
    """One data row: raw values keyed by canonical header, and the row number the user sees."""

    row: int
    values: dict[str, object]


class RawTable:
    """A table as read: where it came from, its headers, its rows.

    The rows are held either one by one (``rows``: workbooks, small CSV files) or column by column
    (``columns``: factorised, for large CSV files); each view is built from the other on first use.
    """

    __slots__ = ("file", "sheet", "headers", "letters", "_rows", "_columns")

    def __init__(self, file: str, sheet: str, headers: dict[str, str], letters: dict[str, str],
                 rows: list[RawRow] | None = None, *, columns: "Columns | None" = None) -> None:
        self.file = file
        self.sheet = sheet  # empty for CSV
        self.headers = headers  # canonical name -> header as the user wrote it
        self.letters = letters  # canonical name -> column letter (workbooks); empty for CSV
        self._rows = rows if rows is not None or columns is not None else []
        self._columns = columns

    def __repr__(self) -> str:
        return f"RawTable(file={self.file!r}, sheet={self.sheet!r}, rows={len(self)})"

    def __len__(self) -> int:
        return len(self._rows) if self._rows is not None else len(self._columns)

    @property
    def rows(self) -> list[RawRow]:
        if self._rows is None:
            self._rows = self._columns.to_rows()
        return self._rows

    @property
    def columns(self) -> "Columns":
        """The rows column by column (imports numpy)."""
        if self._columns is None:
            from sr_cost.columns import Columns

            self._columns = Columns.from_rows(self._rows, self.headers)
        return self._columns

    def problem(self, message: str, *, row: int | None = None, column: str = "", value: object = "",
                fix: str = "", severity: str = "error") -> Problem:
        """A Problem located in this table; ``column`` is the canonical name."""
        cell = ""
        if self.sheet and row is not None and column in self.letters:
            cell = f"{self.letters[column]}{row}"
        return Problem(
            file=self.file,
            sheet=self.sheet,
            row=row,
            column=self.headers.get(column, column),
            cell=cell,
            value="" if value is None else str(value),
            message=message,
            fix=fix,
            severity=severity,
        )


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def read_csv(path: Path, *, encoding: str = "utf-8-sig", display: str | None = None) -> RawTable:
    """Read a CSV file. Row numbers are the line numbers a text editor shows.

    A large file is read column by column with pandas' C parser when that gives exactly what the
    line-by-line reader below would (see ``csv_columns.read_csv_columns``); otherwise, and for small
    files, by the line-by-line reader, which also says what is wrong with a malformed file.
    """
    name = display or str(path)
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise UsageError(f"--encoding {encoding}: no such text encoding (try utf-8 or cp1252)") from None
    fast = _read_csv_fast(path, encoding=encoding, name=name)
    if fast is not None:
        return fast
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DataError(Problem(file=name, message=f"cannot be read: {exc.strerror or exc}",
                                fix="Check the path and that the file is readable")) from None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise DataError(_not_text(data, exc, encoding, name)) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[RawRow] = []
    headers: dict[str, str] = {}
    order: list[str] = []
    problems: list[Problem] = []
    start_line = 1
    for record in _records(reader, name):
        line = start_line
        start_line = reader.line_num + 1
        if not order:
            if not any(cell.strip() for cell in record):
                continue
            headers, order, header_problems = _header(record, line, name)
            problems.extend(header_problems)
            continue
        if not any(cell.strip() for cell in record):
            continue
        if len(record) > len(order) and any(c.strip() for c in record[len(order):]):
            problems.append(Problem(file=name, row=line, value=",".join(record[len(order):]),
                                    message=f"this line has {len(record)} values but the header has {len(order)}",
                                    fix="Remove the extra values or quote text that contains commas (if most lines have "
                                        "values past the header, a column's header is missing)"))
            continue
        values = {key: (record[i] if i < len(record) else "") for i, key in enumerate(order) if key}
        rows.append(RawRow(row=line, values=values))
    if problems:
        raise DataError(problems)
    return RawTable(file=name, sheet="", headers=headers, letters={}, rows=rows)


def _not_text(data: bytes, exc: UnicodeDecodeError, encoding: str, name: str) -> Problem:
    """Where the first byte that is not ``encoding`` text is: line, column and the cell as
    Windows-1252 would read it (older Excel's 'CSV' encoding, the usual culprit)."""
    start = data.rfind(b"\n", 0, exc.start) + 1
    end = data.find(b"\n", exc.start)
    line_bytes = data[start:end if end >= 0 else len(data)].rstrip(b"\r")
    first = data[:data.find(b"\n")] if b"\n" in data else data
    header = first.decode(encoding, errors="replace").lstrip("\ufeff").split(",")
    index = data[start:exc.start].count(b",")
    cells = line_bytes.split(b",")
    cell = cells[index] if index < len(cells) else line_bytes
    byte = data[exc.start:exc.start + 1]
    guess = cell.decode("cp1252", errors="replace")
    return Problem(
        file=name, row=data[:exc.start].count(b"\n") + 1,
        column=header[index].strip() if index < len(header) else "", value=guess,
        message=f"is not {encoding} text: byte 0x{byte.hex().upper()} (in Windows-1252, "
                f"{byte.decode('cp1252', errors='replace')!r})",
        fix="Pass --encoding cp1252 if the file came from older Excel (its 'CSV' is Windows-1252), "
            "or save it again as 'CSV UTF-8'")


def _records(reader, name: str):
    """The csv module's records, with its errors (a NUL byte, a quote left open) as DataError."""
    try:
        yield from reader
    except csv.Error as exc:
        raise DataError(Problem(file=name, row=reader.line_num or 1, message=f"is not readable CSV ({exc})",
                                fix="Open it in Excel or a text editor, check the line, and save it as CSV UTF-8")) from None


def _header(cells: list[str], line: int, name: str) -> tuple[dict[str, str], list[str], list[Problem]]:
    """Canonical keys of a header line, in order, and a problem for each header given twice."""
    headers: dict[str, str] = {}
    order: list[str] = []
    problems: list[Problem] = []
    for cell in cells:
        key = canonical_header(cell)
        if key in headers and key:
            problems.append(Problem(file=name, row=line, column=cell.strip(), value=cell,
                                    message="this column header appears twice",
                                    fix="Delete or rename one of the two columns"))
        headers.setdefault(key, cell.strip())
        order.append(key)
    headers.pop("", None)
    return headers, order, problems


def _read_csv_fast(path: Path, *, encoding: str, name: str) -> RawTable | None:
    """A large CSV file column by column, or None to use the line-by-line reader."""
    try:
        if path.stat().st_size < CSV_FAST_BYTES:
            return None
    except OSError:
        return None
    import numpy as np

    from sr_cost.columns import Column, Columns, lookup
    from sr_cost.csv_columns import read_csv_columns

    found = read_csv_columns(path, encoding=encoding)
    if found is None:
        return None
    cells, line, columns = found
    headers, order, problems = _header(cells, 1, name)
    if problems:
        raise DataError(problems)
    blank = np.ones(len(line), dtype=bool)
    for column in columns:  # a line whose every cell is blank is skipped, as by the reader below
        flags = blank_flags(column.uniques)
        if not flags.any():  # a column with no blank cell (ids, say): no line is blank
            blank[:] = False
            break
        blank &= lookup(flags, column.codes, dtype=bool)
    data = {}
    if blank.any():
        keep = ~blank
        line = line[keep]
        columns = [Column(column.codes[keep], column.uniques) for column in columns]
    for key, column in zip(order, columns):
        if key and key not in data:
            data[key] = column
    return RawTable(file=name, sheet="", headers=headers, letters={}, columns=Columns(line, data))


def blank_flags(values: Sequence[object]) -> "np.ndarray":
    """For each of a column's distinct values, whether it is blank (``nonblank``'s opposite): in one
    pass in C when they are all text, as from a CSV file."""
    import numpy as np

    if set(map(type, values)) <= {str}:
        flags = np.fromiter(map(str.isspace, values), dtype=bool, count=len(values))
        if "" in values:
            flags[values.index("")] = True
        return flags
    return np.fromiter(map(_blank, values), dtype=bool, count=len(values))


def read_xlsx_sheets(path: Path, *, display: str | None = None, sheets: tuple[str, ...] | None = None,
                     first: bool = False, cell_problems: list[Problem] | None = None) -> dict[str, RawTable]:
    """Read the visible sheets of a workbook (only ``sheets``, lower-cased names, when given), keyed by
    lower-cased sheet name.

    Values are read as Excel saved them (formulas by their saved values). Row numbers and cell
    references are those Excel shows.
    """
    from sr_cost import xlsx_reader  # openpyxl is imported only when a workbook is read

    _refuse_compound_file(path, display or str(path))
    return xlsx_reader.read_sheets(path, display=display or str(path), wanted=sheets, first=first,
                                   cell_problems=cell_problems)


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
        raise DataError(Problem(file=display, message="is a password-protected (encrypted) workbook",
                                fix="Open it in Excel, remove the password (File > Info > Protect Workbook > "
                                    "Encrypt with Password, and clear it), and save it as .xlsx"))
    raise DataError(Problem(file=display, message="is an old-format Excel .xls workbook (with an .xlsx name)",
                            fix="Open it in Excel and save it as 'Excel Workbook (.xlsx)', or give CSV files"))


def read_table(path: Path, *, encoding: str = "utf-8-sig") -> RawTable:
    """Read a single table from a CSV file or the first sheet (with data) of a workbook; the
    workbook's other sheets (notes, say) are not read."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        sheets = read_xlsx_sheets(path, first=True)
        if not sheets:
            raise DataError(Problem(file=str(path), message="has no visible sheet with data",
                                    fix="Put the table on the first sheet"))
        return next(iter(sheets.values()))
    return read_csv(path, encoding=encoding)


def nonblank(value: object) -> bool:
    return not _blank(value)
