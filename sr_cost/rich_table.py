"""A rich ``Table`` for sr-cost's terminal output: user text is shown as written (never read as
markup), and a long table whose cells fit on one line is laid out a column at a time, printing
exactly what rich prints row by row (a national run's tables have 304 LA-phases)."""

from __future__ import annotations

from copy import copy
from dataclasses import replace

from rich.cells import cell_len
from rich.measure import Measurement
from rich.padding import Padding
from rich.segment import Segment
from rich.table import Row, Table as _RichTable
from rich.text import Text


class Table(_RichTable):
    """A rich Table whose text cells are shown exactly as written: a label or a value from a user's
    file is never read as rich markup (a cell holding '[/b]' would otherwise stop the program),
    and the rows render faster (no markup to parse). A cell that should be bold is a ``Text``."""

    def add_row(self, *renderables, **kwargs) -> None:
        super().add_row(*(Text(r) if isinstance(r, str) else r for r in renderables), **kwargs)

    def __rich_console__(self, console, options):
        stacked = self._stacked(console, options)
        yield from _RichTable.__rich_console__(stacked or self, console, options)

    def _stacked(self, console, options) -> "Table | None":
        """The same table as one row whose cells hold a column's lines each, when that prints
        the same: a long table (a national run has 304 LA-phases) whose cells all fit on one line
        at the console's width. rich lays out every cell of a table separately; this lays out a
        column at a time, about ten times as fast. None when the table must be laid out row by row
        (a cell would wrap, a section line, a multi-line cell)."""
        if len(self.rows) < STACK_ROWS or self.show_lines or self.leading or self.row_styles:
            return None
        if any(row.end_section for row in self.rows):
            return None
        if not all(isinstance(cell, Text) and "\n" not in cell.plain for c in self.columns for cell in c._cells):
            return None
        try:
            stacked = copy(self)
            stacked.rows = [Row()]
            stacked.columns = [replace(c, _cells=[self._lines(c._cells)]) for c in self.columns]
            self._pad_in_lines(stacked)
            widths = [stacked._measure_column(console, options, c).maximum for c in stacked.columns]
            if sum(widths) + stacked._extra_width > options.max_width:
                return None  # some cell would wrap: row by row keeps the rows together
        except Exception:  # rich changed inside: lay it out row by row, as rich does
            return None
        return stacked

    def _pad_in_lines(self, stacked: "Table") -> None:
        """When every column is ``_Lines``, they write the cells' left and right padding themselves
        and the headers get theirs from a Padding, so that rich need not pad every line again."""
        top, right, bottom, left = self.padding
        if top or bottom or self.collapse_padding or not all(isinstance(c._cells[0], _Lines) for c in stacked.columns):
            return
        last = len(stacked.columns) - 1
        for i, column in enumerate(stacked.columns):
            pad_left = 0 if (i == 0 and not self.pad_edge) else left
            pad_right = 0 if (i == last and not self.pad_edge) else right
            column._cells[0].pads = (pad_left, pad_right)
            column.header = Padding(column.header, (0, pad_right, 0, pad_left))
        stacked.padding = (0, 0, 0, 0)

    def _lines(self, cells: list[Text]) -> "_Lines | Text":
        """A column's cells as one renderable of lines: ``_Lines`` when every cell is styled as a
        whole (or not at all), else one Text of lines with the cells' styles."""
        if all(_whole(cell) for cell in cells):
            return _Lines([(cell.plain, _style_of(cell, row.style)) for cell, row in zip(cells, self.rows)])
        out = Text(end="")
        for i, (cell, row) in enumerate(zip(cells, self.rows)):
            if i:
                out.append("\n")
            start = len(out)
            out.append_text(cell)
            if row.style:
                out.stylize(row.style, start, len(out))
        return out


def _whole(cell: Text) -> bool:
    """True when the cell's text is styled as a whole: no span, or one span over all of it."""
    return not cell.spans or (len(cell.spans) == 1 and cell.spans[0].start == 0
                              and cell.spans[0].end >= len(cell.plain))


def _style_of(cell: Text, row_style) -> list:
    styles = [cell.style] if cell.style else []
    styles += [span.style for span in cell.spans]
    if row_style:
        styles.append(row_style)
    return styles


class _Lines:
    """One line of text per row, each styled as a whole, laid out as rich lays out a Text of
    single lines (justified in the column, nothing wrapped), but a line at a time."""

    def __init__(self, lines: list[tuple[str, list]]) -> None:
        self.lines = lines
        self.pads = (0, 0)  # left and right padding written with each line (see Table._pad_in_lines)

    def __rich_measure__(self, console, options) -> Measurement:
        width = max((cell_len(text) for text, _ in self.lines), default=0) + sum(self.pads)
        return Measurement(width, width)

    def __rich_console__(self, console, options):
        left, right = " " * self.pads[0], " " * self.pads[1]
        width = options.max_width - len(left) - len(right)
        justify = options.justify or "left"
        get_style = console.get_style
        new_line = Segment.line()
        for text, styles in self.lines:
            style = None
            for one in styles:
                style = get_style(one) if style is None else style + get_style(one)
            gap = width - cell_len(text)
            if justify == "right":
                before, after = gap, 0
            elif justify == "center":
                before, after = gap // 2, gap - gap // 2
            else:
                before, after = 0, gap
            yield Segment(left + " " * before)
            yield Segment(text, style)
            yield Segment(" " * after + right)
            yield new_line


STACK_ROWS = 20  # tables at least this long are laid out a column at a time when they fit


def bold(text: str) -> Text:
    """``text`` in bold (its letters only, as the markup '[bold]text[/]' did, not the cell's padding)."""
    shown = Text(text)
    shown.stylize("bold")
    return shown
