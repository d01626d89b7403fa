"""A sheet that is not plain (``xlsx_screen``), read cell by cell with openpyxl, which names every
problem cell: error values, formulas with no saved value, values outside the form's columns,
merged cells, hidden rows and columns.

The cells are read in openpyxl's read-only mode, which streams the sheet's XML row by row and keeps
no rows: twice, for the values Excel saved (``data_only``) and for the formulas. A row is as wide
as its last cell, and missing rows are empty tuples, so a value in XFD1048576 costs one row of
16,384 cells and a million empty tuples, not a grid.

Read-only mode does not show merged cells or hidden rows and columns; openpyxl's full mode does,
but it loads every sheet of the workbook into memory (about 400 bytes a cell). So the full mode
is used only when the sheet may have them (the screen saw ``hidden``, or ``<mergeCell``) and the
workbook holds at most ``FULL_MODE_BYTES`` of XML; in a bigger one, merged cells come from
calamine when the sheet fits it, and what cannot be checked cell by cell is one problem for the
sheet, saying what to do.
"""

from __future__ import annotations

import io

from sr_cost.inputs.tables import RawRow, RawTable
from sr_cost.inputs.xlsx_sheet import (
    ERROR_VALUES,
    Layout,
    RowProgress,
    SheetRead,
    cell_problem,
    layout_problems,
    parse_header,
)

PROGRESS_ROWS = 5_000  # rows read between two reports of progress
FULL_MODE_BYTES = 16 << 20  # [bytes] of uncompressed XML in a workbook openpyxl may load in full


class Detail:
    """openpyxl's workbooks for the sheets that are not plain, opened when first needed."""

    def __init__(self, data: bytes, package_bytes: int) -> None:
        self.data = data  # the workbook's bytes
        self.package_bytes = package_bytes
        self._books: dict[str, object] = {}

    def book(self, mode: str):
        if mode not in self._books:
            import openpyxl

            self._books[mode] = openpyxl.load_workbook(
                io.BytesIO(self.data), read_only=mode != "full", data_only=mode != "formulas"
            )
        return self._books[mode]

    def close(self) -> None:
        for book in self._books.values():
            book.close()

    @property
    def full_mode(self) -> bool:
        return self.package_bytes <= FULL_MODE_BYTES


def read_detailed(
    detail: Detail,
    name: str,
    display: str,
    *,
    hidden: bool,
    merged: list | None,
    formulas: bool = True,
    progress: RowProgress | None = None,
    rows: int = 0,
) -> SheetRead:
    """The table on the sheet ``name``. ``hidden``: rows or columns may be hidden. ``merged``: the
    sheet's merged ranges if known without openpyxl's full mode (calamine's), else None.
    ``formulas``: the sheet may hold formulas (else it is read once, for its values only).
    ``progress`` is told the rows read so far, every ``PROGRESS_ROWS``, of ``rows`` (the sheet's)."""
    ws = detail.book("values")[name]
    ws.reset_dimensions()  # some writers save a wrong <dimension>; read every row there is
    if formulas:
        fws = detail.book("formulas")[name]
        fws.reset_dimensions()
        pairs = zip(ws.iter_rows(), fws.iter_rows())
    else:
        pairs = ((cells, ()) for cells in ws.iter_rows())
    layout = Layout()
    header = None
    for number, (cells, _) in enumerate(pairs, start=1):
        texts = [getattr(c, "value", None) for c in cells]
        if any(v is not None and str(v).strip() for v in texts):
            header = parse_header(texts, number, name, display)
            break
    if header is None:
        return SheetRead(None)
    problems = []
    found: list[RawRow] = []
    for number, (cells, fcells) in enumerate(pairs, start=header.row + 1):
        if progress is not None and number % PROGRESS_ROWS == 0:
            progress(number, max(rows, number))
        if not cells:
            continue
        values: dict[str, object] = {}
        any_value = False
        for i, cell in enumerate(cells):
            value = getattr(cell, "value", None)
            fcell = fcells[i] if i < len(fcells) else None
            if value is None and getattr(fcell, "data_type", None) == "f":
                formula = fcell.value
                value = formula if isinstance(formula, str) else getattr(formula, "text", "") or "(formula)"
                kind = "formula"
            elif getattr(cell, "data_type", None) == "e" or (isinstance(value, str) and value.strip() in ERROR_VALUES):
                kind = "error"
            else:
                kind = ""
            if header.unnamed(i) and value is not None and str(value).strip():
                layout.add_outside(number, i, value)
            if i >= header.width:
                continue
            if kind:
                problems.append(cell_problem(display, name, header, number, i, value, kind))
                any_value = True
                continue
            if header.order[i]:
                values[header.order[i]] = value
            if value is not None and str(value).strip() != "":
                any_value = True
        if any_value:
            found.append(RawRow(row=number, values={key: values.get(key) for key in header.headers}))
    table = RawTable(file=display, sheet=name, headers=header.headers, letters=header.letters, rows=found)
    _layout(detail, name, layout, hidden, merged)
    return SheetRead(table, header.problems, problems + layout_problems(table, layout, header, display))


def _layout(detail: Detail, name: str, layout: Layout, hidden: bool, merged: list | None) -> None:
    """Merged cells and hidden rows and columns: from openpyxl's full mode when the workbook is small
    enough for it, else what is known, and one problem for what is not."""
    if detail.full_mode:
        ws = detail.book("full")[name]
        layout.merged = [(r.min_row, r.min_col, r.max_row, r.max_col) for r in ws.merged_cells.ranges]
        layout.hidden_rows = {number for number, row in ws.row_dimensions.items() if row.hidden}
        for dimension in ws.column_dimensions.values():
            if dimension.hidden and dimension.min:
                layout.hidden_cols.update(range(dimension.min, (dimension.max or dimension.min) + 1))
        return
    layout.merged = merged or []
    unknown = [
        what
        for what, unsure in (("cells may be merged", merged is None), ("rows or columns may be hidden", hidden))
        if unsure
    ]
    if unknown:
        layout.unchecked = (
            f"{' and '.join(unknown)} on this sheet, which sr-cost checks one by one only in "
            f"workbooks of up to {FULL_MODE_BYTES >> 20} MB of XML "
            f"(this one holds {detail.package_bytes / (1 << 20):,.0f} MB)"
        )
