"""Tables as read from CSV files and workbook sheets, keeping where every value came from.

Readers do no validation beyond what is needed to find rows and headers: they return raw values
with their location (file, sheet, row as the user sees it, column letter), and ``forms``,
``survey``, ``unit_costs`` and ``price_index`` decide what the values mean. Header spellings are
canonicalised here, in one place (``canonical_header``); nothing else knows how users spell them.

A table holds its rows one by one (``RawRow``: small tables) or column by column (``CellColumns``:
each column's distinct raw values and a small integer code per row, so that a national form's
hundreds of thousands of rows are checked one distinct value at a time); each view is built from
the other on first use. CSV files are read by ``csv_files``, workbooks by ``xlsx``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from sr_cost.core.columns import compact, lookup
from sr_cost.errors import Problem

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
    "ghq_12": "ghq12",
    "ghq_12_caseness": "ghq12_caseness",
    "ghq_12_baseline": "ghq12_baseline",
    "ghq_12_caseness_baseline": "ghq12_caseness_baseline",
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

    def __init__(
        self,
        file: str,
        sheet: str,
        headers: dict[str, str],
        letters: dict[str, str],
        rows: list[RawRow] | None = None,
        *,
        columns: CellColumns | None = None,
    ) -> None:
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
    def columns(self) -> CellColumns:
        """The rows column by column."""
        if self._columns is None:
            self._columns = CellColumns.from_rows(self._rows, self.headers)
        return self._columns

    def problem(
        self,
        message: str,
        *,
        row: int | None = None,
        column: str = "",
        value: object = "",
        fix: str = "",
        severity: str = "error",
    ) -> Problem:
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


@dataclass(frozen=True, eq=False)
class CellColumn:
    """One column of raw cells, factorised: ``codes[i]`` indexes row i's value in ``uniques``."""

    codes: np.ndarray  # small integers (int8 to int32), one per row
    uniques: list  # distinct raw values, in order of first appearance

    def values(self) -> list:
        """Row by row (slow; for small tables and compatibility)."""
        u = self.uniques
        return [u[c] for c in self.codes.tolist()]

    def blank(self) -> np.ndarray:
        """Rows whose cell is blank: empty, only spaces, or no value (``nonblank``'s opposite)."""
        return lookup(blank_flags(self.uniques), self.codes, dtype=bool)


@dataclass(frozen=True, eq=False)
class CellColumns:
    """Rows as the user sees them (``line``: line number or Excel row) and their columns."""

    line: np.ndarray  # int32, one per row
    data: dict[str, CellColumn]  # canonical header -> column

    def __len__(self) -> int:
        return len(self.line)

    def get(self, key: str) -> CellColumn:
        """The column, or an all-blank one when the table does not have it."""
        found = self.data.get(key)
        if found is None:
            return CellColumn(np.zeros(len(self.line), dtype=np.int8), [None])
        return found

    @classmethod
    def from_rows(cls, rows: Sequence, keys: Iterable[str]) -> CellColumns:
        """From ``RawRow``s (workbooks, small CSV files). Values are told apart by type as well as
        value, so that TRUE is not the number 1 and 1 is not 1.0."""
        line = np.fromiter((r.row for r in rows), dtype=np.int32, count=len(rows))
        data = {}
        for key in keys:
            if not key:
                continue
            seen: dict = {}
            uniques: list = []
            codes = np.empty(len(rows), dtype=np.int32)
            for i, r in enumerate(rows):
                value = r.values.get(key)
                tag = (type(value), value)
                code = seen.get(tag)
                if code is None:
                    code = seen[tag] = len(uniques)
                    uniques.append(value)
                codes[i] = code
            data[key] = CellColumn(compact(codes, len(uniques)), uniques)
        return cls(line, data)

    def to_rows(self) -> list[RawRow]:
        columns = [(key, col.values()) for key, col in self.data.items()]
        return [
            RawRow(row=int(number), values={key: values[i] for key, values in columns})
            for i, number in enumerate(self.line.tolist())
        ]


def blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def nonblank(value: object) -> bool:
    return not blank(value)


def blank_flags(values: Sequence[object]) -> np.ndarray:
    """For each of a column's distinct values, whether it is blank (``nonblank``'s opposite): in one
    pass in C when they are all text, as from a CSV file."""
    if set(map(type, values)) <= {str}:
        flags = np.fromiter(map(str.isspace, values), dtype=bool, count=len(values))
        if "" in values:
            flags[values.index("")] = True
        return flags
    return np.fromiter(map(blank, values), dtype=bool, count=len(values))
