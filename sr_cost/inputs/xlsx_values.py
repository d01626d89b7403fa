"""A plain sheet (``xlsx_screen``) read with python-calamine, straight into factorised columns.

calamine reads the sheet in Rust and hands its rows over one at a time. The rows are taken in
blocks of ``BLOCK_ROWS``, turned into columns (``zip``) and each column factorised against its
distinct values so far (``dict`` look-ups run in C): no per-row record is ever made, and a
national form of 250,000 lines costs a few small integer arrays. Only the form's columns (those
under its header) are kept; a column right of them, or under a blank header, is only looked at
for values, which are named as outside the form.

Values are turned into what Excel saved, as openpyxl gives them, once per distinct value: calamine
gives every number as a float, so a whole number is an int (below 2^53, where that is exact); a
date-formatted whole number is a ``datetime`` at midnight (calamine gives a ``date``); an empty cell
is None (calamine gives ''). TRUE is kept apart from 1 while factorising (in a ``dict`` they are
the same key).
"""

from __future__ import annotations

import datetime as dt
from itertools import islice

import numpy as np

from sr_cost.core.columns import compact, lookup
from sr_cost.inputs.tables import CellColumn, CellColumns, RawTable, column_letter
from sr_cost.inputs.xlsx_sheet import (
    ERROR_VALUES,
    MAX_LISTED,
    Header,
    Layout,
    RowProgress,
    SheetRead,
    cell_problem,
    layout_problems,
    parse_header,
)

BLOCK_ROWS = 1 << 15
_EXACT = 2.0**53  # whole floats below this are ints exactly


_TRUE, _FALSE = object(), object()  # TRUE and FALSE while factorising: apart from 1 and 0


def convert(value: object) -> object:
    """One of calamine's values as openpyxl gives it."""
    kind = type(value)
    if kind is float:
        return int(value) if value.is_integer() and -_EXACT < value < _EXACT else value
    if kind is str:
        return value if value else None
    if kind is dt.date:
        return dt.datetime.combine(value, dt.time())
    if value is _TRUE or value is _FALSE:
        return value is _TRUE
    return value


def _filled(value: object) -> bool:
    """A raw calamine value that is not blank (blank: '' or only white space)."""
    return value != "" and not (type(value) is str and value.isspace())


class _Factor:
    """One column's codes and distinct raw values, block after block."""

    def __init__(self) -> None:
        self.index: dict = {}
        self.blank: list[bool] = []  # per distinct value
        self.codes: list[np.ndarray] = []

    def add(self, values: tuple) -> np.ndarray:
        """Codes of a block's values, kept for the column and returned."""
        if bool in map(type, values):  # rare: keep TRUE apart from 1
            values = [_TRUE if v is True else _FALSE if v is False else v for v in values]
        index = self.index
        for value in dict.fromkeys(values):
            if value not in index:
                index[value] = len(index)
                self.blank.append(not _filled(value))
        codes = np.fromiter(map(index.__getitem__, values), dtype=np.int32, count=len(values))
        self.codes.append(codes)
        return codes

    def code_of(self, value: object) -> int:
        if value not in self.index:
            self.index[value] = len(self.index)
            self.blank.append(True)
        return self.index[value]


def read_plain(sheet, name: str, display: str, progress: RowProgress | None = None) -> SheetRead:
    """The table on a sheet calamine has loaded (``CalamineSheet``): the first row with a value is
    the header, every later row with a value in the form's columns is a line. ``progress`` is told
    the rows read so far and the sheet's rows, block by block."""
    if sheet.start is None:
        return SheetRead(None)
    rows = sheet.iter_rows()
    seen = 0  # rows calamine has given so far
    for cells in rows:
        seen += 1
        if any(map(_filled, cells)):
            break
    else:
        return SheetRead(None)
    # python-calamine 0.9 gives rows from row 1 but columns from the sheet's first column with a
    # value; both offsets are worked out from the sheet's last cell, so as not to depend on that
    first = sheet.end[1] + 1 - len(cells)
    texts = [None] * first + [convert(v) for v in cells]
    width = max(i for i, v in enumerate(texts) if v is not None and str(v).strip()) + 1
    blank_header = {i for i in range(width) if texts[i] is None or not str(texts[i]).strip()}
    header_at = seen  # rows given up to the header
    factors: dict[int, _Factor] = {}
    kept: list[np.ndarray] = []  # positions (0: the row after the header) of rows with a value in the form
    outside: list[tuple[int, int, object]] = []  # (position, column, value): the first ones found
    counts = [0, -1, -1]  # values outside the form's columns; the last one's position and column
    while block := list(islice(rows, BLOCK_ROWS)):
        start = seen - header_at
        seen += len(block)
        has_value = np.zeros(len(block), dtype=bool)
        for j, values in enumerate(zip(*block)):
            column = first + j
            if column < width:
                factor = factors.setdefault(column, _Factor())
                codes = factor.add(values)
                has_value |= ~lookup(factor.blank, codes, dtype=bool)
            if (column >= width or column in blank_header) and values.count("") != len(values):
                _note_outside(values, start, column, outside, counts)
        kept.append(np.flatnonzero(has_value) + start)
        if progress is not None:
            progress(seen, sheet.end[0] + 1)
    row_of = sheet.end[0] + 1 - seen + header_at + 1  # the row Excel shows of position 0
    header = parse_header(texts, row_of - 1, name, display)
    keep = np.concatenate(kept) if kept else np.zeros(0, dtype=np.int64)
    problems = _error_values(factors, header, row_of, name, display)
    data = {}
    for column, key in enumerate(header.order):
        if key and key not in data:
            factor = factors.get(column)
            if factor is None:  # left of calamine's first column: empty
                data[key] = CellColumn(np.zeros(len(keep), dtype=np.int8), [None])
            else:
                codes = np.concatenate(factor.codes)[keep]
                data[key] = CellColumn(compact(codes, len(factor.index)), [convert(v) for v in factor.index])
    table = RawTable(
        file=display,
        sheet=name,
        headers=header.headers,
        letters=header.letters,
        columns=CellColumns((keep + row_of).astype(np.int32), data),
    )
    layout = Layout(merged=merged_ranges(sheet))
    outside.sort(key=lambda found: found[:2])
    for position, column, value in outside[:MAX_LISTED]:
        layout.add_outside(position + row_of, column, convert(value))
    layout.outside_count = counts[0]
    if counts[0]:
        layout.last_outside = f"{column_letter(counts[2])}{counts[1] + row_of}"
    return SheetRead(table, header.problems, problems + layout_problems(table, layout, header, display))


def merged_ranges(sheet) -> list[tuple[int, int, int, int]]:
    """calamine's merged ranges of a sheet as (first row, column, last row, column), from 1."""
    return [(r0 + 1, c0 + 1, r1 + 1, c1 + 1) for (r0, c0), (r1, c1) in sheet.merged_cell_ranges or ()]


def _note_outside(values: tuple, start: int, column: int, outside: list, counts: list) -> None:
    """Values outside the form's columns in one column of a block of rows: keep the first ones
    (enough to name the sheet's first MAX_LISTED in reading order, whatever their columns), count
    them all and keep where the last one is."""
    found = [i for i, v in enumerate(values) if _filled(v)]
    if not found:
        return
    counts[0] += len(found)
    counts[1:] = max((counts[1], counts[2]), (start + found[-1], column))
    outside.extend((start + i, column, values[i]) for i in found[:MAX_LISTED])
    if len(outside) > 4 * MAX_LISTED:
        outside.sort(key=lambda item: item[:2])
        del outside[MAX_LISTED:]


def _error_values(factors: dict[int, _Factor], header: Header, row_of: int, name: str, display: str) -> list:
    """Text reading as an error value (#REF!, typed or pasted as text) in the form's columns: each
    cell is a problem, and left out of its row (made blank)."""
    found = []
    for column, factor in factors.items():
        bad = [isinstance(v, str) and v.strip() in ERROR_VALUES for v in factor.index]
        if not any(bad):
            continue
        codes = np.concatenate(factor.codes)
        values = list(factor.index)
        hit = lookup(bad, codes, dtype=bool)
        found += [(position, column, values[codes[position]]) for position in np.flatnonzero(hit).tolist()]
        codes[hit] = factor.code_of("")
        factor.codes = [codes]
    return [
        cell_problem(display, name, header, position + row_of, column, value, "error")
        for position, column, value in sorted(found)
    ]
