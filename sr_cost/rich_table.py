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
from rich.style import Style
from rich.table import Row, Table as _RichTable
from rich.text import Text


class Table(_RichTable):
    """A rich Table whose text cells are shown exactly as written: a label or a value from a user's
    file is never read as rich markup (a cell holding '[/b]' would otherwise stop the program),
    and the rows render faster (no markup to parse). A cell that should be bold is a ``Text``."""

    def add_row(self, *renderables, **kwargs) -> None:
        super().add_row(*(Text(r) if isinstance(r, str) else r for r in renderables), **kwargs)

    _body_styles: list | None = None  # set on a stacked table whose body lines are written here (_render)
    _natural_width: int | None = None  # a stacked table's width, measured when it was stacked

    def __rich_console__(self, console, options):
        table = self._stacked(console, options) or self
        title = self.title if isinstance(self.title, str) and self.title_justify == "left" else None
        if title and table.columns and self.width is None and not self.expand:
            # rich wraps a title at the table's width ("... (report Table" / "19)"); a left-aligned
            # title longer than its table but not than the console goes on one line of its own
            width = table._natural_width
            if width is None:
                width = sum(table._calculate_column_widths(console, options.update_width(
                    options.max_width - table._extra_width))) + table._extra_width
            if width < cell_len(console.render_str(title).plain) <= options.max_width:
                yield console.render_str(title, style=Style.pick_first(self.title_style, "table.title"),
                                         highlight=False)
                table = copy(table)
                table.title = None
        yield from _RichTable.__rich_console__(table, console, options)

    def _render(self, console, options, widths):
        """rich's rendering; for a stacked table with a box whose cells are all ``_Lines``, rich
        renders the title, the header and the edges and the body lines are written here, each
        cell's characters in the style rich gives them row by row."""
        body = self._body_lines(console, options, widths) if self._body_styles is not None else None
        if body is None:
            yield from _RichTable._render(self, console, options, widths)
            return
        head = copy(self)
        head._body_styles = None
        head.rows = []
        head.columns = [replace(c, _cells=[]) for c in self.columns]
        lines = list(Segment.split_lines(head._render(console, options, widths)))
        bottom = lines.pop()  # the box's bottom edge: after the body
        new_line = Segment.line()
        for line in lines + body + [bottom]:
            yield from line
            yield new_line

    def _body_lines(self, console, options, widths) -> list[list[Segment]] | None:
        """The body's lines, as rich writes a table's rows one by one (edges, padding, justified
        text, dividers), with neighbouring pieces of the same style in one segment (the console
        handles each segment on its own: a line of plain cells is one segment); None when a text
        does not fit its column (rich would wrap it)."""
        get_style = console.get_style
        box = self.box.substitute(options, safe=console.safe_box if self.safe_box is None else self.safe_box)
        border = get_style(self.style or "") + get_style(self.border_style or "")
        columns = []
        for column, width in zip(self.columns, widths):
            lines = column._cells[0]
            pad_left, pad_right = lines.pads
            columns.append((lines.lines, get_style(column.style or ""), column.justify, " " * pad_left,
                            width - pad_left - pad_right, " " * pad_right))
        rows: dict = {}  # per row style: the style, and the dividers' style
        cells_styles: dict = {}  # per column, row style, cell style and span style: the pieces' styles
        out = []
        last = len(self._body_styles) - 1
        for i, name in enumerate(self._body_styles):
            found = rows.get(name)
            if found is None:
                row_style = get_style(name) if name else Style.null()
                found = rows[name] = (row_style, row_style.background_style + border)
            row_style, between = found
            left, right, divider = ((box.foot_left, box.foot_right, box.foot_vertical) if i == last else
                                    (box.mid_left, box.mid_right, box.mid_vertical))
            if divider.strip():
                between = border
            pieces = [left, border]  # text, style, text, style, ...: neighbours of one style joined
            for j, (cells, column_style, justify, pad_left, width, pad_right) in enumerate(columns):
                text, base, span, _ = cells[i]
                gap = width - cell_len(text)
                if gap < 0:
                    return None
                before = gap if justify == "right" else gap // 2 if justify == "center" else 0
                key = (j, name, base, span)
                found = cells_styles.get(key)
                if found is None:
                    cell = column_style + row_style
                    spaces = cell + get_style(base) if base else cell
                    found = cells_styles[key] = (cell, spaces, spaces + get_style(span) if span else spaces)
                cell, spaces, shown = found
                if j:
                    _put(pieces, divider, between)
                if shown is cell:  # a plain cell: one piece
                    _put(pieces, f"{pad_left}{' ' * before}{text}{' ' * (gap - before)}{pad_right}", cell)
                    continue
                _put(pieces, pad_left, cell)
                _put(pieces, " " * before, spaces)
                _put(pieces, text, shown)
                _put(pieces, " " * (gap - before), spaces)
                _put(pieces, pad_right, cell)
            _put(pieces, right, border)
            out.append([Segment(pieces[k], pieces[k + 1]) for k in range(0, len(pieces), 2) if pieces[k]])
        return out

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
            stacked._natural_width = sum(widths) + stacked._extra_width
            if stacked._natural_width > options.max_width:
                return None  # some cell would wrap: row by row keeps the rows together
        except Exception:  # rich changed inside: lay it out row by row, as rich does
            return None
        if (self.box is not None and self.show_edge and self.show_header and not self.show_footer
                and all(isinstance(c._cells[0], _Lines) and c._cells[0].pads is not None for c in stacked.columns)
                and all(c.justify in ("left", "right", "center") for c in self.columns)):
            stacked._body_styles = [row.style for row in self.rows]
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
            return _Lines([(cell.plain, cell.style, cell.spans[0].style if cell.spans else None, row.style)
                           for cell, row in zip(cells, self.rows)])
        out = Text(end="")
        for i, (cell, row) in enumerate(zip(cells, self.rows)):
            if i:
                out.append("\n")
            start = len(out)
            out.append_text(cell)
            if row.style:
                out.stylize(row.style, start, len(out))
        return out


def _put(pieces: list, text: str, style: Style) -> None:
    """Add ``text`` in ``style`` to a line's pieces, joined to the last when that is in the same style."""
    if text:
        if pieces[-1] is style or pieces[-1] == style:
            pieces[-2] += text
        else:
            pieces += (text, style)


def _whole(cell: Text) -> bool:
    """True when the cell's text is styled as a whole: no span, or one span over all of it."""
    return not cell.spans or (len(cell.spans) == 1 and cell.spans[0].start == 0
                              and cell.spans[0].end >= len(cell.plain))


class _Lines:
    """One line of text per row, each styled as a whole, laid out as rich lays out a Text of
    single lines (justified in the column, nothing wrapped), but a line at a time."""

    def __init__(self, lines: list[tuple]) -> None:
        self.lines = lines  # per row: text, the cell's style, its one span's style, the row's style
        self.pads: tuple[int, int] | None = None  # padding written with each line (Table._pad_in_lines)

    def __rich_measure__(self, console, options) -> Measurement:
        width = max((cell_len(text) for text, *_ in self.lines), default=0) + sum(self.pads or (0, 0))
        return Measurement(width, width)

    def __rich_console__(self, console, options):
        left, right = (" " * pad for pad in self.pads or (0, 0))
        width = options.max_width - len(left) - len(right)
        justify = options.justify or "left"
        get_style = console.get_style
        new_line = Segment.line()
        for text, *styles in self.lines:
            style = None
            for one in styles:
                if one:
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
