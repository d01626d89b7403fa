"""How sr-cost's workbooks write cells, tables and pages: ``put`` (one cell), ``SheetTable`` (a table
whose columns are addressed by key), titles, section headings, bar charts, print set-up, and the
fonts, fills and borders they share.

Used by the estimate workbook (``workbook.py``, ``audit.py``, ``savings.py``), the compare
workbook (``compare.py``) and the form templates (``template.py``). ``put`` writes a plain
``str`` always as text, even when it starts with ``=``; only a ``Formula`` becomes a formula, and a
``float`` is refused (money is ``Decimal``). The long tables are written as XML rather than cells,
to the same rules, by ``stream.py``, which ``SheetTable.add_rows`` calls.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from copy import copy
from decimal import Decimal
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart
from openpyxl.chart.text import RichText, Text
from openpyxl.chart.title import Title
from openpyxl.comments import Comment
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties, RegularTextRun
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins

from sr_cost.excel import stream as excel_stream
from sr_cost.excel.formulas import MONEY, MONEY_OR_DASH, Col, Formula
from sr_cost.money import to_penny

HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
GROUP_FILL = PatternFill("solid", fgColor="B8CCE4")
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
PASS_FILL = PatternFill("solid", fgColor="C6EFCE")
FAIL_FILL = PatternFill("solid", fgColor="FFC7CE")
THIN = Side(style="thin", color="808080")
FONT = "Calibri"
TITLE_FONT = Font(name=FONT, bold=True, size=14, color="1F3864")
SECTION_FONT = Font(name=FONT, bold=True, size=12, color="1F3864")
NOTE_FONT = Font(name=FONT, italic=True, color="595959")
BOLD = Font(name=FONT, bold=True)
BIG = Font(name=FONT, bold=True, size=12)


def put(ws, row: int, column: int, value: Any, fmt: str | None = None, font: Font | None = None):
    """Write one cell. ``str`` is always text (never a formula or an error value), ``Formula`` a
    formula, ``Decimal`` and ``int`` numbers."""
    cell = ws.cell(row=row, column=column)
    if isinstance(value, Formula):
        cell.value = str(value)
    elif isinstance(value, str):
        text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)[:32767]
        cell.value = text
        cell.data_type = "s"  # openpyxl would otherwise treat '=...' as a formula and '#N/A' as an error
        if text[:1] in ("=", "+", "-", "@"):
            cell.quotePrefix = True  # Excel keeps it as text when the cell is edited
    elif isinstance(value, float):
        raise TypeError("floats are not written to workbooks; pass a Decimal")
    else:
        cell.value = value
    if fmt:
        cell.number_format = fmt
    if font:
        cell.font = font
    return cell


class SheetTable:
    """A table on a worksheet: a title, a note, a header row, then rows; columns addressed by key."""

    def __init__(self, ws, columns: Sequence[Col], *, header_row: int, first_col: int = 1):
        self.ws = ws
        self.columns = list(columns)
        self.header_row = header_row
        self.first_col = first_col
        self.index = {c.key: first_col + i for i, c in enumerate(columns)}
        self.next_row = header_row + 1
        self.widths = {c.key: max(8, max(len(w) for w in c.header.split()) + 3) for c in columns}
        for c in columns:
            if c.width:
                self.widths[c.key] = max(self.widths[c.key], c.width)
            if c.fmt in (MONEY, MONEY_OR_DASH):
                self.widths[c.key] = max(self.widths[c.key], 12)
        self.alignments = {c.key: Alignment(horizontal=c.horizontal) for c in columns}
        self._styles: dict[tuple, tuple] = {}
        for c in columns:
            cell = put(ws, header_row, self.index[c.key], c.header, font=BOLD)
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="bottom", horizontal=c.horizontal)
            cell.border = Border(bottom=THIN)
            if c.note:
                cell.comment = Comment(c.note, "sr-cost", width=320, height=140)

    def letter(self, key: str) -> str:
        return get_column_letter(self.index[key])

    @property
    def last_row(self) -> int:
        return self.next_row - 1

    def add(
        self,
        values: dict[str, Any],
        *,
        font: Font | None = None,
        fill: PatternFill | None = None,
        top_border: bool = False,
        formats: dict[str, str] | None = None,
    ) -> int:
        """Add a row; ``formats``: number formats of this row's cells other than their columns'."""
        row = self.next_row
        self.next_row += 1
        for c in self.columns:
            value = values.get(c.key)
            if value is None and not (font or fill or top_border):
                continue
            cell = put(self.ws, row, self.index[c.key], value)
            self._style(cell, c.key, formats.get(c.key, c.fmt) if formats else c.fmt, font, fill, top_border)
            if isinstance(value, str) and not isinstance(value, Formula):
                self.widths[c.key] = max(self.widths[c.key], min(len(value), 60) + 2)
            elif isinstance(value, (int, Decimal)) and not isinstance(value, bool):
                self.widths[c.key] = max(self.widths[c.key], len(f"{value:,}") + 4)
        return row

    def _style(
        self, cell, key: str, fmt: str | None, font: Font | None, fill: PatternFill | None, top_border: bool
    ) -> None:
        """Style a cell of column ``key``. openpyxl looks each part of a style up in the workbook's lists
        (slowly, by value), so each combination is looked up once and its ids copied to later cells."""
        alignment = self.alignments[key]
        k = (key, fmt, id(font), id(fill), id(alignment), top_border, cell.quotePrefix)
        made = self._styles.get(k)
        if made is not None:
            cell._style = copy(made[0])
            return
        if fmt:
            cell.number_format = fmt
        if font:
            cell.font = font
        cell.alignment = alignment
        if fill:
            cell.fill = fill
        if top_border:
            cell.border = Border(top=THIN)
        self._styles[k] = (copy(cell._style), font, fill, alignment)  # the objects kept, so their ids stay theirs

    def add_rows(self, rows: Iterable[dict[str, Any]], streamed: list[excel_stream.Rows] | None) -> None:
        """Add plain ``rows`` (no font, fill or border) from the next row on: as cells, or, given
        ``streamed`` (``Book.streamed``), as XML now (``excel_stream``), put in the workbook when it is saved."""
        if streamed is None:
            for values in rows:
                self.add(values)
            return
        columns = [
            excel_stream.StreamColumn(
                c.key, self.letter(c.key), *excel_stream.style_ids(self.ws, c.fmt, self.alignments[c.key])
            )
            for c in self.columns
        ]
        block = excel_stream.write_rows(self.ws, self.next_row, rows, columns, self.widths)
        streamed.append(block)
        self.next_row = block.last + 1

    def finish(self, *, filter: bool = True, freeze: bool = True, repeat_header: bool = True) -> None:
        """Fit the widths; ``filter``: an auto-filter; ``freeze``: the header stays in view and (with
        ``repeat_header``) is printed at the top of every page."""
        ws = self.ws
        lines = 1
        for c in self.columns:
            letter = self.letter(c.key)
            width = max(ws.column_dimensions[letter].width or 0, min(self.widths[c.key], 62))
            if len(c.header) - 2 <= width < len(c.header) + 3:  # a header that only just fits touches the next
                width = len(c.header) + 3
            ws.column_dimensions[letter].width = width
            lines = max(lines, wrapped_lines(c.header, width - 1))
        ws.row_dimensions[self.header_row].height = 15 * lines + 2
        first, last = get_column_letter(self.first_col), get_column_letter(self.first_col + len(self.columns) - 1)
        if filter:
            ws.auto_filter.ref = f"{first}{self.header_row}:{last}{max(self.last_row, self.header_row)}"
        if freeze:
            ws.freeze_panes = f"{first}{self.header_row + 1}"
            if repeat_header:
                ws.print_title_rows = f"{self.header_row}:{self.header_row}"


def wrapped_lines(text: str, width: float) -> int:
    """How many lines ``text`` takes when wrapped at ``width`` characters (long words broken)."""
    width = max(int(width), 1)
    lines, used = 1, 0
    for word in text.split():
        while len(word) > width:  # a path or a hash: broken where the line ends
            if used:
                lines, used = lines + 1, 0
            word = word[width:]
            lines += 1
        if used and used + 1 + len(word) > width:
            lines, used = lines + 1, len(word)
        else:
            used += (1 if used else 0) + len(word)
    return lines


def sheet_title(ws, title: str, note: str = "", *, wrap_to: int = 0) -> None:
    """A title in row 1 and a note in row 2; ``wrap_to`` columns: wrap the note within them."""
    put(ws, 1, 1, title, font=TITLE_FONT)
    ws.row_dimensions[1].height = 22
    if note:
        cell = put(ws, 2, 1, note, font=NOTE_FONT)
        if wrap_to:  # its height is fitted to the columns' widths in print_setup
            ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=wrap_to)
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def section(ws, row: int, text: str, note: str = "") -> None:
    put(ws, row, 1, text, font=SECTION_FONT)
    if note:
        put(ws, row + 1, 1, note, font=NOTE_FONT)


def print_setup(ws, *, landscape: bool = True) -> None:
    """Printable: A4, landscape, fitted to the page width, sheet name and page numbers in the footer."""
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.6, header=0.25, footer=0.3)
    ws.oddFooter.left.text = "sr-cost &A"
    ws.oddFooter.right.text = "page &P of &N"
    ws.print_options.horizontalCentered = False
    for merged in ws.merged_cells.ranges:
        if merged.min_row == merged.max_row == 2 and merged.min_col == 1:  # a title's note, wrapped
            width = sum(
                ws.column_dimensions[get_column_letter(c)].width or 9 for c in range(merged.min_col, merged.max_col + 1)
            )
            ws.row_dimensions[2].height = 15 * wrapped_lines(str(ws["A2"].value), width * 1.1)


def pass_fail(ws, cells: str) -> None:
    ws.conditional_formatting.add(
        cells,
        CellIsRule(
            operator="equal", formula=['"PASS"'], fill=PASS_FILL, font=Font(name=FONT, bold=True, color="006100")
        ),
    )
    ws.conditional_formatting.add(
        cells,
        CellIsRule(
            operator="equal", formula=['"FAIL"'], fill=FAIL_FILL, font=Font(name=FONT, bold=True, color="9C0006")
        ),
    )


def bar_chart(title: str, axis: str) -> BarChart:
    """A column chart with a modest title, a y axis from zero in pounds, and both axes shown."""
    chart = BarChart()
    chart.type = "col"
    chart.style = 10
    size = CharacterProperties(sz=1200, b=True)
    chart.title = Title(
        tx=Text(
            rich=RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=size), r=[RegularTextRun(rPr=size, t=title)])])
        ),
        overlay=False,
    )
    chart.y_axis.title = axis
    chart.y_axis.numFmt = "£#,##0"
    chart.y_axis.scaling.min = 0
    chart.y_axis.delete = False
    chart.x_axis.delete = False
    return chart


def money_value(value: Decimal | None) -> Decimal | None:
    return None if value is None else to_penny(value)


def number_value(value: Decimal) -> int | Decimal:
    """Counts of people: whole numbers as int, else exact."""
    return int(value) if value == value.to_integral_value() else value
