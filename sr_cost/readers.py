"""Read tables from CSV files and workbook sheets, keeping where every value came from.

Readers do no validation beyond what is needed to find rows and headers: they return raw values
with their location (file, sheet, row as the user sees it, column letter), and the models and forms
modules decide what the values mean. Header spellings are canonicalised here, in one place
(``canonical_header``); nothing else knows how users spell them.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

from sr_cost.errors import DataError, Problem

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


@dataclass(frozen=True)
class RawTable:
    """A table as read: where it came from, its headers, its rows."""

    file: str
    sheet: str  # empty for CSV
    headers: dict[str, str]  # canonical name -> header as the user wrote it
    letters: dict[str, str]  # canonical name -> column letter (workbooks) or '' (CSV)
    rows: list[RawRow] = field(default_factory=list)

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
    """Read a CSV file. Row numbers are the line numbers a text editor shows."""
    name = display or str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DataError(Problem(file=name, message=f"cannot be read: {exc.strerror or exc}",
                                fix="Check the path and that the file is readable")) from None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DataError(Problem(
            file=name, row=line, value=repr(data[exc.start:exc.end]),
            message=f"is not valid {encoding} text",
            fix="Save it as CSV UTF-8, or pass --encoding cp1252 if it came from older Excel",
        )) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[RawRow] = []
    headers: dict[str, str] = {}
    order: list[str] = []
    problems: list[Problem] = []
    start_line = 1
    for record in reader:
        line = start_line
        start_line = reader.line_num + 1
        if not order:
            if not any(cell.strip() for cell in record):
                continue
            for cell in record:
                key = canonical_header(cell)
                if key in headers:
                    problems.append(Problem(file=name, row=line, column=cell.strip(), value=cell,
                                            message="this column header appears twice",
                                            fix="Delete or rename one of the two columns"))
                headers.setdefault(key, cell.strip())
                order.append(key)
            continue
        if not any(cell.strip() for cell in record):
            continue
        if len(record) > len(order) and any(c.strip() for c in record[len(order):]):
            problems.append(Problem(file=name, row=line, value=",".join(record[len(order):]),
                                    message=f"this line has {len(record)} values but the header has {len(order)}",
                                    fix="Remove the extra values or quote text that contains commas"))
            continue
        values = {key: (record[i] if i < len(record) else "") for i, key in enumerate(order) if key}
        rows.append(RawRow(row=line, values=values))
    if problems:
        raise DataError(problems)
    return RawTable(file=name, sheet="", headers=headers, letters={}, rows=rows)


def read_xlsx_sheets(path: Path, *, display: str | None = None) -> dict[str, RawTable]:
    """Read every visible sheet of a workbook, keyed by lower-cased sheet name.

    Values are read as Excel saved them (formulas by their saved values). Row numbers and cell
    references are those Excel shows.
    """
    from sr_cost import xlsx_reader  # openpyxl is imported only when a workbook is read

    return xlsx_reader.read_sheets(path, display=display or str(path))


def read_table(path: Path, *, encoding: str = "utf-8-sig") -> RawTable:
    """Read a single table from a CSV file or the first sheet of a workbook."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        sheets = read_xlsx_sheets(path)
        if not sheets:
            raise DataError(Problem(file=str(path), message="has no visible sheet with data",
                                    fix="Put the table on the first sheet"))
        return next(iter(sheets.values()))
    return read_csv(path, encoding=encoding)


def nonblank(value: object) -> bool:
    return not _blank(value)
