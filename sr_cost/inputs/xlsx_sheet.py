"""What both workbook readers (``xlsx_values``: python-calamine; ``xlsx_detail``: openpyxl) find on
a sheet, and the problems it makes: the header, merged cells over the form, hidden rows and
columns holding its data, values outside its columns (right of the last header, or under a blank
header: the first ``MAX_LISTED`` named, the rest counted) and cells that cannot be read (error
values, formulas with no saved value), which are left out of their rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sr_cost.errors import Problem
from sr_cost.inputs.cell_values import shown
from sr_cost.inputs.tables import RawTable, canonical_header, column_letter

RowProgress = Callable[[int, int], None]  # (rows of a sheet read so far, the sheet's rows)
MAX_LISTED = 20  # values outside the form's columns named one by one; the rest are counted
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


@dataclass
class SheetRead:
    """One sheet as read: its table (None if the sheet is empty), the problems with its header and
    those with its cells."""

    table: RawTable | None
    header_problems: list[Problem] = field(default_factory=list)
    cell_problems: list[Problem] = field(default_factory=list)


@dataclass
class Header:
    row: int  # the row Excel shows
    headers: dict[str, str]  # canonical name -> as written
    letters: dict[str, str]  # canonical name -> column letter
    order: list[str]  # canonical name of each column A.. up to the last header ('' under a blank one)
    last: str  # the last header, as written
    problems: list[Problem]

    @property
    def width(self) -> int:
        return len(self.order)

    def unnamed(self, index: int) -> bool:
        """Column ``index`` (0-based) is not one of the form's named columns."""
        return index >= len(self.order) or not self.order[index]


def parse_header(texts: list, row: int, sheet: str, display: str) -> Header:
    """The header from its row's values (column A first); ``texts`` holds a value that is not blank."""
    last = max(i for i, v in enumerate(texts) if v is not None and str(v).strip())
    headers: dict[str, str] = {}
    letters: dict[str, str] = {}
    order: list[str] = []
    problems: list[Problem] = []
    for i, value in enumerate(texts[: last + 1]):
        key = canonical_header(value)
        if key and key in headers:
            problems.append(
                Problem(
                    file=display,
                    sheet=sheet,
                    cell=f"{column_letter(i)}{row}",
                    row=row,
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
    return Header(row, headers, letters, order, str(texts[last]).strip(), problems)


def cell_problem(display: str, sheet: str, header: Header, row: int, index: int, value: object, kind: str) -> Problem:
    """An error value (``kind`` 'error') or a formula with no saved value ('formula') in a cell,
    which is left out of its row."""
    key = header.order[index] if index < header.width else ""
    message, fix = {
        "error": ("holds a spreadsheet error value", "Correct the formula or type the value in"),
        "formula": (
            "holds a formula with no saved value",
            "Open the workbook in Excel or LibreOffice and save it, so the value is stored",
        ),
    }[kind]
    return Problem(
        file=display,
        sheet=sheet,
        row=row,
        cell=f"{column_letter(index)}{row}",
        column=header.headers.get(key, key),
        value=str(value),
        message=message,
        fix=fix,
        left_out_to=row,
    )


@dataclass
class Layout:
    """What a sheet holds besides its table's values."""

    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # (first row, column, last row, column)
    hidden_rows: set[int] = field(default_factory=set)
    hidden_cols: set[int] = field(default_factory=set)  # 1-based
    outside: list[tuple[int, int, str]] = field(default_factory=list)  # (row, column 0-based, value) ...
    outside_count: int = 0  # ... the first MAX_LISTED of these, in reading order
    last_outside: str = ""  # the cell of the last of them
    unchecked: str = ""  # what could not be checked cell by cell (a workbook too big for it)

    def add_outside(self, row: int, index: int, value: object) -> None:
        self.outside_count += 1
        self.last_outside = f"{column_letter(index)}{row}"
        if len(self.outside) < MAX_LISTED:
            self.outside.append((row, index, shown(value)))


def layout_problems(table: RawTable, layout: Layout, header: Header, display: str) -> list[Problem]:
    """Merged cells over the table, hidden rows holding its data, hidden columns holding its columns,
    values outside its columns."""
    problems = []
    sheet, width, header_row = table.sheet, header.width, header.row
    if layout.unchecked:
        problems.append(
            Problem(
                file=display,
                sheet=sheet,
                message=layout.unchecked,
                fix="Unhide every row and column (and clear any filter) and unmerge any merged cells, "
                "or export the sheets as CSV",
            )
        )
    lines = table.columns.line.tolist() if len(table) else []
    last_row = lines[-1] if lines else header_row
    for r1, c1, r2, c2 in layout.merged:
        if r2 >= header_row and r1 <= last_row and c1 <= width:
            ref = f"{column_letter(c1 - 1)}{r1}" + ("" if (r1, c1) == (r2, c2) else f":{column_letter(c2 - 1)}{r2}")
            problems.append(
                Problem(
                    file=display,
                    sheet=sheet,
                    row=r1,
                    cell=ref,
                    value=ref,
                    message="merged cells in the form: only the first cell of a merge holds a value",
                    fix="Unmerge the cells (Home > Merge & Center > Unmerge) and fill in each cell",
                    left_out_to=r2,
                )
            )
    if layout.hidden_rows:
        for number in sorted(layout.hidden_rows & {header_row, *lines}):
            problems.append(
                Problem(
                    file=display,
                    sheet=sheet,
                    row=number,
                    cell=f"A{number}",
                    message=f"row {number} is hidden (or filtered out) but holds data, which would "
                    "be counted without anyone seeing it",
                    fix="Unhide the row (or clear the filter), and delete it if it should not count",
                )
            )
    columns = {letter: table.headers[key] for key, letter in table.letters.items()}
    for index in sorted(i for i in layout.hidden_cols if i <= width):
        letter = column_letter(index - 1)
        if letter in columns:
            problems.append(
                Problem(
                    file=display,
                    sheet=sheet,
                    row=header_row,
                    cell=f"{letter}{header_row}",
                    column=columns[letter],
                    message="this column is hidden but holds a form column",
                    fix="Unhide the column, and delete it if it should not count",
                )
            )
    edge = column_letter(width - 1)
    right = (
        f"holds a value outside the form's columns, to the right of the last one ({edge}{header_row}, "
        f"{header.last!r}), which would not be read"
    )
    blank = (
        f"holds a value outside the form's columns, under a blank header in row {header_row}, which would not be read"
    )
    fix = f"Delete it, or move it into a named column (one with a header in row {header_row})"
    for number, index, value in layout.outside:
        problems.append(
            Problem(
                file=display,
                sheet=sheet,
                row=number,
                cell=f"{column_letter(index)}{number}",
                value=value,
                message=right if index >= width else blank,
                fix=fix,
            )
        )
    more = layout.outside_count - len(layout.outside)
    if more > 0:
        problems.append(
            Problem(
                file=display,
                sheet=sheet,
                message=f"and {more:,} more cell(s) outside the form's columns hold values, not listed "
                f"one by one (the last is {layout.last_outside})",
                fix="Delete them, or move them into named columns",
            )
        )
    return problems
