"""The estimate as an auditable Excel workbook, for finance officers to check and hand on.

Sheets, in order: ``Summary`` (headline figures and charts), ``By LA`` (the report's Tables 19 and
20, one row per LA, phase and mode), ``Rounds`` (one row per round), ``Lines`` (every input line),
``Unit costs``, ``Savings`` (with a survey: every respondent and the report's Table 21 by formula;
laid out by ``excel_savings.py``, which also adds a savings page to Summary), ``Assumptions`` (every
parameter, the command, the SHA-256 of every input) and ``Checks``. Summary and By LA hold values,
rounded half-up to the penny, so any reader sees numbers. Lines, Rounds (and Savings) and Checks
hold formulas: a line's hourly rate is a look-up into
``Unit costs`` (or the line's own rate), its cost is ``staff x hours x rate + miles x mileage rate +
direct cost``, each round sums its lines, and ``Checks`` recomputes every figure sr-cost reports
from those formulas and compares it with the figure shown on Summary or By LA (one master PASS/FAIL
cell). Change an input in Excel and the recomputed figures follow.

What the formulas say is in ``excel_formulas.py`` (pure); this module lays the sheets out, formats
and prints them, and draws the charts. ``write_workbook`` writes the rows of the long tables (Lines,
Rounds, the respondents) as XML as they are laid out (``excel_stream.py``) rather than as openpyxl
cells, so a national workbook takes seconds and little memory; ``build_workbook`` makes every cell.

Safety: a plain ``str`` is always written as text, even when it starts with ``=``; only a
``Formula`` (built by sr-cost from its own templates) becomes a formula. Keys that formulas match on
are sr-cost's own numbers (``Round no.``, ``LA-phase no.``) and names (form kinds, modes), never user
text, so an LA called ``*`` or ``>5`` cannot change what a ``SUMIFS`` adds up.

Only this module (with ``excel_savings.py``, ``excel_stream.py`` and ``excel_compare.py``),
``template.py`` and ``xlsx_reader.py`` import openpyxl; ``cli.py`` imports this module only when
``--excel`` is given.
"""

from __future__ import annotations

import re
from copy import copy
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable, Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.text import RichText, Text
from openpyxl.chart.title import Title
from openpyxl.comments import Comment
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties, RegularTextRun
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.pagebreak import Break

from sr_cost import __version__, excel_stream
from sr_cost.api import EstimateRun
from sr_cost.costing import DEFAULT_MILEAGE_RATE, DEFAULT_ROUNDS_PER_YEAR, Estimate, LaEstimate, natural_key
from sr_cost.excel_formulas import (CHECK, CHECK_COLUMNS, COUNT, DECIMAL, DIFFERENCE, FIRST_CHECK_ROW,
                                    LINE_COLUMNS, MASTER_CELL, MONEY, MONEY_OR_DASH, RATE, ROUND_COLUMNS,
                                    TOLERANCE_CELL, TOLERANCE_GBP, Col, Formula, Recomputed, check_row, label,
                                    line_row, master_formula, plan_checks, ref, round_no, round_row, sheet_name)
from sr_cost.forms import FormKind
from sr_cost.money import to_penny
from sr_cost.outputs import write_atomic
from sr_cost.readers import sha256_of
from sr_cost.savings import DEFAULT_BOOTSTRAP, DEFAULT_HOURS_PER_DAY, DEFAULT_RECALL_MONTHS, DEFAULT_SEED, Savings

SHEETS = ("Summary", "By LA", "Rounds", "Lines", "Unit costs", "Assumptions", "Checks")
SAVINGS_SHEET = "Savings"  # goes after "Unit costs" when there is a survey (``excel_savings.py``)
# The derivation parameters of the unit-cost table as named cells of Assumptions, for the Savings
# sheet's formulas that derive a respondent's hourly cost from a salary.
PARAM_NAMES = {"employer_ni_rate": "EmployerNiRate", "ni_secondary_threshold_per_week_gbp": "NiThresholdPerWeek",
               "days_per_year": "DaysPerYear", "superannuation_rate": "SuperannuationRate",
               "direct_overheads_rate": "DirectOverheadsRate", "indirect_overheads_rate": "IndirectOverheadsRate",
               "capital_overheads_gbp": "CapitalOverheads", "working_hours_per_year": "WorkingHoursPerYear"}


def sheet_names(with_savings: bool) -> tuple[str, ...]:
    """The workbook's sheets in order: ``Savings`` after ``Unit costs`` when there is a survey."""
    if not with_savings:
        return SHEETS
    at = SHEETS.index("Unit costs") + 1
    return SHEETS[:at] + (SAVINGS_SHEET,) + SHEETS[at:]

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


class Table:
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

    def add(self, values: dict[str, Any], *, font: Font | None = None, fill: PatternFill | None = None,
            top_border: bool = False, formats: dict[str, str] | None = None) -> int:
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

    def _style(self, cell, key: str, fmt: str | None, font: Font | None, fill: PatternFill | None,
               top_border: bool) -> None:
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
        columns = [excel_stream.Column(c.key, self.letter(c.key),
                                       *excel_stream.style_ids(self.ws, c.fmt, self.alignments[c.key]))
                   for c in self.columns]
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


def _title(ws, title: str, note: str = "", *, wrap_to: int = 0) -> None:
    """A title in row 1 and a note in row 2; ``wrap_to`` columns: wrap the note within them."""
    put(ws, 1, 1, title, font=TITLE_FONT)
    ws.row_dimensions[1].height = 22
    if note:
        cell = put(ws, 2, 1, note, font=NOTE_FONT)
        if wrap_to:  # its height is fitted to the columns' widths in print_setup
            ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=wrap_to)
            cell.alignment = Alignment(wrap_text=True, vertical="top")


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
            width = sum(ws.column_dimensions[get_column_letter(c)].width or 9
                        for c in range(merged.min_col, merged.max_col + 1))
            ws.row_dimensions[2].height = 15 * wrapped_lines(str(ws["A2"].value), width * 1.1)


def _pass_fail(ws, cells: str) -> None:
    ws.conditional_formatting.add(cells, CellIsRule(operator="equal", formula=['"PASS"'], fill=PASS_FILL,
                                                    font=Font(name=FONT, bold=True, color="006100")))
    ws.conditional_formatting.add(cells, CellIsRule(operator="equal", formula=['"FAIL"'], fill=FAIL_FILL,
                                                    font=Font(name=FONT, bold=True, color="9C0006")))


def _money(value: Decimal | None) -> Decimal | None:
    return None if value is None else to_penny(value)


def _number(value: Decimal) -> int | Decimal:
    """Counts of people: whole numbers as int, else exact."""
    return int(value) if value == value.to_integral_value() else value


# --- the workbook ---------------------------------------------------------------------------------

@dataclass
class Book:
    """The workbook being built, with what later sheets need from earlier ones: the keys of LA-phases
    and rounds, and where sr-cost's own figures are shown (for ``Checks``)."""

    run: EstimateRun
    command: str
    wb: Workbook = field(default_factory=Workbook)
    la_no: dict[tuple[str, str], int] = field(default_factory=dict)
    round_no: dict[tuple[str, str, str], int] = field(default_factory=dict)
    shown: dict[tuple, str] = field(default_factory=dict)  # figure key -> cell where its value is shown
    las: list[LaEstimate] = field(default_factory=list)
    savings: Savings | None = None
    more_checks: list[Recomputed] = field(default_factory=list)  # figures recomputed on sheet Savings
    streamed: list[excel_stream.Rows] | None = None  # a list: the long tables are written as XML, not cells

    @property
    def est(self) -> Estimate:
        return self.run.estimate

    def show(self, key: tuple, sheet: str, column: str, row: int) -> None:
        self.shown[key] = ref(sheet, column, row)

    def name(self, name: str, sheet: str, cells: str) -> None:
        self.wb.defined_names[name] = DefinedName(name, attr_text=f"{sheet_name(sheet)}!{cells}")


def build_workbook(run: EstimateRun, *, command: str = "", savings: Savings | None = None) -> Workbook:
    """The workbook of an estimate and, given ``savings`` (``run.savings``), of its savings: sheet
    ``Savings`` and a savings section on ``Summary``. Pure: no file is written, and every cell is in
    memory (``write_workbook`` writes the long tables without making their cells)."""
    return _build(Book(run=run, command=command, savings=savings)).wb


def write_workbook(path: Path, run: EstimateRun, *, command: str = "", savings: Savings | None = None) -> None:
    """The workbook of ``build_workbook``, written atomically (a failure leaves any existing file
    intact). The rows of Lines, Rounds and the respondents of Savings are written as XML while they are
    laid out (``excel_stream``): a national workbook takes seconds and little memory, not minutes and
    gigabytes of cells."""
    book = _build(Book(run=run, command=command, savings=savings, streamed=[]))
    write_atomic(Path(path), lambda tmp: excel_stream.save(book.wb, book.streamed, tmp))


def _build(book: Book) -> Book:
    run, savings = book.run, book.savings
    book.las = sorted(run.estimate.las, key=lambda la: natural_key(la.phase))  # stable: keeps LA order
    book.la_no = {(la.la, la.phase): i for i, la in enumerate(book.las, start=1)}
    book.round_no = {(r.la, r.phase, r.round): i for i, r in enumerate(run.estimate.rounds, start=1)}
    wb = book.wb
    wb.remove(wb.active)
    sheets = {name: wb.create_sheet(name) for name in sheet_names(savings is not None)}
    # Written in dependency order (values first, so Checks can point at them); shown in sheet order.
    _by_la_sheet(book, sheets["By LA"])
    _summary_sheet(book, sheets["Summary"])
    _unit_costs_sheet(book, sheets["Unit costs"])
    _assumptions_sheet(book, sheets["Assumptions"])
    _lines_sheet(book, sheets["Lines"])
    _rounds_sheet(book, sheets["Rounds"])
    if savings is not None:
        _savings_sheet(book, sheets[SAVINGS_SHEET])
    _checks_sheet(book, sheets["Checks"])
    for ws in wb.worksheets:
        print_setup(ws)
    wb.active = 0
    wb.calculation.fullCalcOnLoad = True  # Excel and LibreOffice compute the formulas on opening
    wb.properties.creator = f"sr-cost {__version__}"
    wb.properties.title = "Schwartz Rounds cost estimate" + (" and savings" if savings is not None else "")
    return book


def _savings_sheet(book: Book, ws) -> None:
    """Sheet Savings: laid out by ``excel_savings`` (imported here: it builds on this module)."""
    from sr_cost import excel_savings

    excel_savings.savings_sheet(book, ws)


# --- By LA: Table 19 and Table 20, values --------------------------------------------------------

BY_LA_COLUMNS = (
    Col("no", "LA-phase no.", COUNT, align="center", note="sr-cost's number for the LA and phase; Rounds, Lines and Checks use it"),
    Col("la", "LA"), Col("phase", "Phase"),
    Col("mode", "Mode", note="'all' is the LA and phase; the rows below it split its rounds by mode"),
    Col("rounds", "Rounds", COUNT), Col("in_person", "In-person rounds", COUNT),
    Col("virtual", "Virtual rounds", COUNT),
    Col("setup_direct", "Direct", MONEY, 11), Col("setup_indirect", "Indirect", MONEY, 11),
    Col("setup_total", "Total", MONEY, 11),
    Col("panel", "Panel", MONEY, 11), Col("round", "Round", MONEY, 11), Col("steering", "Steering", MONEY, 11),
    Col("total", "Total", MONEY, 11),
    Col("attendances", "Attendances", COUNT), Col("attendees_per_round", "Attendees per round", DECIMAL),
    Col("cost_per_attendee", "Cost per attendee", MONEY, 11),
    Col("annual", "Annual cost", MONEY, 12, note="rounds per year x mean total per round"),
    Col("first_year", "First-year cost", MONEY, 12, note="set-up + annual cost"),
)
BY_LA_GROUPS = (("setup_direct", "setup_total", "Set-up cost (report Table 19)"),
                ("panel", "total", "Mean cost per round (report Table 20)"))


def _by_la_sheet(book: Book, ws) -> None:
    est = book.est
    _title(ws, "Cost per LA and phase (report Tables 19 and 20)",
           "One row per LA and phase ('all'), then one per mode of its rounds. Values computed by sr-cost, "
           "rounded half-up to the penny; Checks recomputes each from the input lines.", wrap_to=len(BY_LA_COLUMNS))
    t = Table(ws, BY_LA_COLUMNS, header_row=4)
    for first, last, text in BY_LA_GROUPS:
        a, b = t.index[first], t.index[last]
        cell = put(ws, 3, a, text, font=BOLD)
        cell.alignment = Alignment(horizontal="center")
        for col in range(a, b + 1):
            ws.cell(row=3, column=col).fill = GROUP_FILL
        ws.merge_cells(start_row=3, start_column=a, end_row=3, end_column=b)
    rpy = Decimal(est.assumptions.rounds_per_year)
    for la in book.las:
        no = book.la_no[(la.la, la.phase)]
        values = {
            "no": no, "la": la.la, "phase": label(la.phase), "mode": "all", "rounds": la.rounds,
            "in_person": la.rounds_in_person, "virtual": la.rounds_virtual,
            "panel": _money(la.per_round.panel), "round": _money(la.per_round.round),
            "steering": _money(la.per_round.steering), "total": _money(la.per_round.total),
            "attendances": _number(la.attendances), "attendees_per_round": _money(la.attendees_per_round),
            "cost_per_attendee": _money(la.cost_per_attendee), "annual": _money(la.annual_cost),
            "first_year": _money(la.first_year_cost),
        }
        if la.setup is not None:
            values.update(setup_direct=_money(la.setup.direct), setup_indirect=_money(la.setup.indirect),
                          setup_total=_money(la.setup.total))
        row = t.add(values, font=BOLD, top_border=True)
        for key, value in values.items():
            if value is not None and key not in ("no", "la", "phase", "mode"):
                book.show(("la", no, None, key), "By LA", t.letter(key), row)
        for mode, f in la.modes.items():
            mvalues = {
                "no": no, "la": la.la, "phase": label(la.phase), "mode": mode.value, "rounds": f.rounds,
                "panel": _money(f.per_round.panel), "round": _money(f.per_round.round),
                "steering": _money(f.per_round.steering), "total": _money(f.total_per_round),
                "attendances": _number(f.attendances), "attendees_per_round": _money(f.attendances / Decimal(f.rounds)),
                "cost_per_attendee": _money(f.cost_per_attendee), "annual": _money(rpy * f.total_per_round),
            }
            row = t.add(mvalues)
            for key, value in mvalues.items():
                if value is not None and key not in ("no", "la", "phase", "mode"):
                    book.show(("la", no, mode, key), "By LA", t.letter(key), row)
    t.finish()


# --- Summary: headline figures and charts, values ------------------------------------------------

PHASE_COLUMNS = (
    Col("phase", "Phase"), Col("las", "LAs", COUNT),
    Col("mean", "Mean cost per round", MONEY, 15), Col("min", "Lowest LA", MONEY, 15),
    Col("max", "Highest LA", MONEY, 15), Col("annual", "Annual cost", MONEY, 15),
    Col("setup_mean", "Mean set-up cost", MONEY, 15), Col("setup_min", "Lowest set-up", MONEY, 15),
    Col("setup_max", "Highest set-up", MONEY, 15),
)
MODE_COLUMNS = (
    Col("mode", "Mode"), Col("las", "LAs", COUNT), Col("rounds", "Rounds", COUNT),
    Col("attendances", "Attendances", COUNT), Col("mean", "Mean cost per round", MONEY, 12),
    Col("cost_per_attendee", "Cost per attendee", MONEY, 12), Col("annual", "Annual cost", MONEY, 12),
)
LA_COLUMNS = (
    Col("la", "LA"), Col("phase", "Phase"), Col("panel", "Panel", MONEY, 12), Col("round", "Round", MONEY, 12),
    Col("steering", "Steering", MONEY, 12), Col("total", "Total", MONEY, 12),
)


def _section(ws, row: int, text: str, note: str = "") -> None:
    put(ws, row, 1, text, font=SECTION_FONT)
    if note:
        put(ws, row + 1, 1, note, font=NOTE_FONT)


def _summary_sheet(book: Book, ws) -> None:
    """Headline figures by phase and mode, the basis, and charts; with savings, a page of them."""
    est, table = book.est, book.run.table
    rpy = est.assumptions.rounds_per_year
    _title(ws, "Schwartz Rounds: what they cost" + (" and what they may save" if book.savings else ""))
    put(ws, 2, 1, f"{len(est.las)} LA-phase(s), {len(est.rounds)} round(s), from {book.run.forms.path}. "
                  f"Money in {table.price_year} prices (the unit-cost table's), rounded half-up to the penny.",
        font=NOTE_FONT)
    put(ws, 3, 1, "Checks: every figure recomputed from the input lines by formulas (sheet Checks)", font=BOLD)
    status = put(ws, 3, 7, Formula(f"=Checks!${MASTER_CELL[0]}${MASTER_CELL[1:]}"), font=BIG)
    status.alignment = Alignment(horizontal="center")
    _pass_fail(ws, "G3")

    # by phase
    _section(ws, 5, "By phase", f"Mean, lowest and highest over the phase's LAs of their mean cost per round; "
                                f"annual cost = {rpy} rounds a year x the mean.")
    phases = Table(ws, PHASE_COLUMNS, header_row=7)
    for p in est.phases:
        s = p.setup
        row = phases.add({"phase": label(p.phase), "las": p.las, "mean": _money(p.total_per_round.mean),
                          "min": _money(p.total_per_round.min), "max": _money(p.total_per_round.max),
                          "annual": _money(p.annual_cost), "setup_mean": _money(s.mean) if s else None,
                          "setup_min": _money(s.min) if s else None, "setup_max": _money(s.max) if s else None})
        _show_spread(book, ("phase", p.phase), phases, row, with_setup=s is not None)
    o = est.overall
    s = o.setup
    row = phases.add({"phase": "All", "las": o.las, "mean": _money(o.total_per_round.mean),
                      "min": _money(o.total_per_round.min), "max": _money(o.total_per_round.max),
                      "annual": _money(o.annual_cost), "setup_mean": _money(s.mean) if s else None,
                      "setup_min": _money(s.min) if s else None, "setup_max": _money(s.max) if s else None},
                     font=BOLD, fill=TOTAL_FILL, top_border=True)
    _show_spread(book, ("overall",), phases, row, with_setup=s is not None)
    phases.finish(filter=False, freeze=False)

    # by mode
    top = phases.last_row + 2
    _section(ws, top, "By mode", "Every round by how it was delivered. Mean cost per round: the mean over LAs of "
                                 "their rounds of that mode; cost per attendee: all its round costs ÷ all its "
                                 "attendance.")
    modes = Table(ws, MODE_COLUMNS, header_row=top + 2)
    for m in est.modes:
        row = modes.add({"mode": m.mode.value, "las": m.las, "rounds": m.rounds,
                         "attendances": _number(m.attendances), "mean": _money(m.mean_total_per_round),
                         "cost_per_attendee": _money(m.cost_per_attendee), "annual": _money(m.annual_cost)})
        for key in ("las", "rounds", "attendances", "mean", "cost_per_attendee", "annual"):
            if key != "cost_per_attendee" or m.cost_per_attendee is not None:
                book.show(("mode", m.mode, key), "Summary", modes.letter(key), row)
    modes.finish(filter=False, freeze=False)

    # basis
    top = modes.last_row + 2
    _section(ws, top, "Basis")
    basis = [
        ("Unit costs", table.source.name, None),
        ("Price year", table.price_year, None),
        ("Unit-cost table", table.path, None),
        ("Rounds a year", rpy, None),
        ("Mileage rate (£ a mile)", est.assumptions.mileage_rate, RATE),
        ("sr-cost", __version__, None),
    ]
    for i, (name, value, fmt) in enumerate(basis, start=top + 1):
        put(ws, i, 1, name, font=BOLD).alignment = Alignment(vertical="top")
        cell = put(ws, i, 2, value, fmt)
        cell.alignment = Alignment(horizontal="left", wrap_text=isinstance(value, str), vertical="top")
        if isinstance(value, str):
            ws.merge_cells(start_row=i, start_column=2, end_row=i, end_column=9)
            ws.row_dimensions[i].height = 15 * max(1, -(-len(value) // 120))
    put(ws, top + len(basis) + 1, 1, "Every parameter, input file and its SHA-256: sheet Assumptions.", font=NOTE_FONT)

    # charts of the modes
    top = top + len(basis) + 3
    if est.modes:
        first, last = modes.header_row + 1, modes.last_row
        for i, (key, title) in enumerate((("mean", "Mean cost per round"), ("cost_per_attendee", "Cost per attendee"))):
            chart = _bar(f"{title}: in-person against virtual", "£")
            chart.add_data(Reference(ws, min_col=modes.index[key], min_row=modes.header_row, max_row=last),
                           titles_from_data=True)
            chart.set_categories(Reference(ws, min_col=modes.index["mode"], min_row=first, max_row=last))
            chart.legend = None
            chart.width, chart.height = 13, 7
            ws.add_chart(chart, f"{'AE'[i]}{top}")
        top += 16

    # savings, on a page of their own
    if book.savings is not None:
        from sr_cost import excel_savings

        top = excel_savings.summary_section(book, ws, top)

    # Table 20 and its chart, on a page of their own
    ws.row_breaks.append(Break(id=top - 1))
    _section(ws, top, "Mean cost per round by LA (report Table 20)")
    las = Table(ws, LA_COLUMNS, header_row=top + 1)
    for la in book.las:
        las.add({"la": la.la, "phase": label(la.phase), "panel": _money(la.per_round.panel),
                 "round": _money(la.per_round.round), "steering": _money(la.per_round.steering),
                 "total": _money(la.per_round.total)})
    las.finish(filter=False, freeze=False)
    chart = _bar("Mean cost per round by LA and component", "£ per round")
    chart.grouping, chart.overlap = "stacked", 100
    chart.add_data(Reference(ws, min_col=las.index["panel"], max_col=las.index["steering"],
                             min_row=las.header_row, max_row=las.last_row), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=las.index["la"], min_row=las.header_row + 1, max_row=las.last_row))
    chart.width, chart.height = 18, max(9, 0.5 * len(book.las) + 4)
    chart.legend.position = "b"
    ws.add_chart(chart, f"{get_column_letter(las.index['total'] + 1)}{las.header_row}")
    ws.column_dimensions["A"].width = max(ws.column_dimensions["A"].width or 0, 24)
    ws.sheet_view.showGridLines = False


def _show_spread(book: Book, key: tuple, t: Table, row: int, *, with_setup: bool) -> None:
    for name in ("las", "mean", "min", "max", "annual") + (("setup_mean", "setup_min", "setup_max") if with_setup else ()):
        book.show(key + (name,), "Summary", t.letter(name), row)


def _bar(title: str, axis: str) -> BarChart:
    """A column chart with a modest title, a y axis from zero in pounds, and both axes shown."""
    chart = BarChart()
    chart.type = "col"
    chart.style = 10
    size = CharacterProperties(sz=1200, b=True)
    chart.title = Title(tx=Text(rich=RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=size),
                                                           r=[RegularTextRun(rPr=size, t=title)])])),
                        overlay=False)
    chart.y_axis.title = axis
    chart.y_axis.numFmt = "£#,##0"
    chart.y_axis.scaling.min = 0
    chart.y_axis.delete = False
    chart.x_axis.delete = False
    return chart


# --- Unit costs and Assumptions ------------------------------------------------------------------

UNIT_COST_COLUMNS = (
    Col("role", "Role"), Col("salary", "Salary (£ a year)", MONEY, 14),
    Col("on_costs", "On-costs (£ a year)", MONEY, 14), Col("overheads", "Overheads (£ a year)", MONEY, 14),
    Col("unit_cost_hour", "Unit cost (£ an hour)", MONEY, 14), Col("derived", "Derived from salary", None, 11, align="center"),
    Col("row", "Row in the table file", COUNT, 11, align="center"),
)


def _unit_costs_sheet(book: Book, ws) -> None:
    table = book.run.table
    _title(ws, f"Staff unit costs (£, {table.price_year})",
           f"{table.source.name}. File {table.path} (SHA-256 {table.sha256}). Lines look up their hourly rate here "
           "by role.", wrap_to=len(UNIT_COST_COLUMNS))
    t = Table(ws, UNIT_COST_COLUMNS, header_row=3)
    for r in table.roles:
        t.add({"role": r.role, "salary": r.salary, "on_costs": r.on_costs, "overheads": r.overheads,
               "unit_cost_hour": r.unit_cost_hour, "derived": "yes" if r.derived else "no", "row": r.row})
    last = max(t.last_row, t.header_row + 1)
    book.name("UnitCostRoles", "Unit costs", f"${t.letter('role')}${t.header_row + 1}:${t.letter('role')}${last}")
    for name, key in (("UnitCostRates", "unit_cost_hour"), ("UnitCostSalaries", "salary"),
                      ("UnitCostOnCosts", "on_costs")):
        book.name(name, "Unit costs", f"${t.letter(key)}${t.header_row + 1}:${t.letter(key)}${last}")
    t.finish()


SOURCE_WIDTH = 70
ASSUMPTION_COLUMNS = (Col("parameter", "Parameter"), Col("value", "Value", None, 16, align="right"),
                      Col("unit", "Unit", None, 26), Col("source", "Where it comes from", None, SOURCE_WIDTH))
_UNIT = re.compile(r"\s*\[([^\]]+)\]\s*$")


def _assumptions_sheet(book: Book, ws) -> None:
    est, table, run = book.est, book.run.table, book.run
    a = est.assumptions
    _title(ws, "Assumptions and provenance",
           "Every parameter the figures depend on, and what produced this workbook. Change Rounds a year or "
           "the mileage rate here and the formulas of Lines, Rounds and Checks follow"
           + (" (and the hours in a sick day, the recall period or the unit-cost parameters: the formulas of "
              "Savings follow)." if book.savings else "."), wrap_to=len(ASSUMPTION_COLUMNS))
    t = Table(ws, ASSUMPTION_COLUMNS, header_row=3)
    given = book.command
    row = t.add({"parameter": "Rounds a year", "value": a.rounds_per_year, "unit": "rounds/year",
                 "source": ("--rounds-per-year" if "--rounds-per-year" in given or a.rounds_per_year != DEFAULT_ROUNDS_PER_YEAR
                            else "default: one a month, as the report assumes (--rounds-per-year to change)")})
    book.name("RoundsPerYear", "Assumptions", f"${t.letter('value')}${row}")
    row = t.add({"parameter": "Mileage rate", "value": a.mileage_rate, "unit": "£/mile",
                 "source": ("--mileage-rate" if "--mileage-rate" in given or a.mileage_rate != DEFAULT_MILEAGE_RATE
                            else "default: the report's rate (--mileage-rate to change)")})
    ws.cell(row=row, column=t.index["value"]).number_format = RATE
    book.name("MileageRate", "Assumptions", f"${t.letter('value')}${row}")
    t.add({"parameter": "Price year", "value": table.price_year, "unit": "year",
           "source": f"the unit-cost table's parameters ({table.params_path})"})
    for name, info in type(table.params).model_fields.items():
        description = info.description or name
        unit = _UNIT.search(description)
        defined = PARAM_NAMES.get(name, "".join(word.capitalize() for word in name.split("_")))
        row = t.add({"parameter": _UNIT.sub("", description), "value": getattr(table.params, name),
                     "unit": unit.group(1) if unit else "",
                     "source": f"unit-cost derivation parameter '{name}' ({table.params_path})"
                               + (f"; {defined} in the formulas of sheet Savings" if book.savings else "")})
        book.name(defined, "Assumptions", f"${t.letter('value')}${row}")
    if book.savings is not None:
        _savings_assumptions(book, t)
    rules = [
        ("Line cost", "staff x hours x hourly rate + miles x mileage rate + direct cost"),
        ("Hourly rate", "the line's own rate if it gives one, else the unit cost of its role"),
        ("Set-up cost", "an LA and phase's training lines: direct = direct costs, indirect = staff time and mileage"),
        ("Panel and steering lines with no round", "spread evenly over the LA and phase's rounds"),
        ("Cost per attendee", "an LA's round costs ÷ its own recorded attendance (lines whose item is 'attendance')"),
        ("Annual cost", "rounds a year x the mean cost per round"),
        ("Rounding", "exact decimals throughout; rounded half-up to the penny only when shown"),
    ]
    if book.savings is not None:
        from sr_cost.excel_savings import RULES

        rules += RULES
    for name, rule in rules:
        t.add({"parameter": name, "source": rule})
    t.finish(filter=False, freeze=False)
    source = t.index["source"]
    ws.column_dimensions[t.letter("source")].width = SOURCE_WIDTH
    for r in range(t.header_row + 1, t.last_row + 1):
        for c in t.columns:
            cell = ws.cell(row=r, column=t.index[c.key])
            cell.alignment = Alignment(wrap_text=c.key == "source", vertical="top", horizontal=c.horizontal,
                                       indent=1 if c.key == "unit" else 0)
        ws.row_dimensions[r].height = 15 * wrapped_lines(str(ws.cell(row=r, column=source).value or ""),
                                                         SOURCE_WIDTH * 1.15)

    # provenance: the value across Value and Unit, the SHA-256 under "Where it comes from"
    top = t.last_row + 2
    _section(ws, top, "Provenance")
    params = Path(table.params_path)
    rows = [("sr-cost version", __version__, None), ("Command", book.command or "(library call)", None),
            ("Forms", run.forms.path, None)]
    rows += [("Input file", i.path, i.sha256) for i in est.inputs]
    rows += [("Unit-cost table", table.path, table.sha256),
             ("Unit-cost parameters", table.params_path, sha256_of(params) if params.is_file() else None)]
    value_width = sum(ws.column_dimensions[t.letter(k)].width for k in ("value", "unit"))
    for r, (what, value, sha) in enumerate([("What", "Value", "SHA-256"), *rows], start=top + 1):
        header = r == top + 1
        put(ws, r, 1, what, font=BOLD).alignment = Alignment(vertical="top")
        put(ws, r, 2, value, font=BOLD if header else None).alignment = Alignment(wrap_text=True, vertical="top")
        ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=3)
        if sha:
            put(ws, r, source, sha, font=BOLD if header else None).alignment = Alignment(vertical="top")
        if header:
            for col in range(1, source + 1):
                ws.cell(row=r, column=col).fill = HEADER_FILL
                ws.cell(row=r, column=col).border = Border(bottom=THIN)
        else:
            ws.row_dimensions[r].height = 15 * wrapped_lines(value, value_width * 1.15)


def _savings_assumptions(book: Book, t: Table) -> None:
    """The savings' parameters, with names for the Savings sheet's formulas."""
    a, given = book.savings.assumptions, book.command

    def source(option: str, default: bool, text: str) -> str:
        return option if option in given or not default else f"default: {text} ({option} to change)"

    row = t.add({"parameter": "Hours in a day of sickness absence", "value": a.hours_per_day, "unit": "hours/day",
                 "source": source("--hours-per-day", a.hours_per_day == DEFAULT_HOURS_PER_DAY,
                                  "a working day of 7.5 hours, as the report converts days to hours")
                 + "; HoursPerSickDay in the formulas of sheet Savings"})
    book.name("HoursPerSickDay", "Assumptions", f"${t.letter('value')}${row}")
    row = t.add({"parameter": "Recall period of the survey", "value": a.recall_months, "unit": "months",
                 "source": source("--recall-months", a.recall_months == DEFAULT_RECALL_MONTHS,
                                  "the trial's survey asked about the previous six months")
                 + "; RecallMonths in the formulas of sheet Savings"})
    book.name("RecallMonths", "Assumptions", f"${t.letter('value')}${row}")
    t.add({"parameter": "Basis of the hourly cost of absence", "value": a.absence_basis.value, "unit": "basis",
           "source": source("--absence-basis", a.absence_basis.value == "unit-cost",
                            "the full unit cost (salary + on-costs + overheads), as the report")})
    t.add({"parameter": "Bootstrap resamples", "value": a.bootstrap, "unit": "resamples",
           "source": source("--bootstrap", a.bootstrap == DEFAULT_BOOTSTRAP, f"{DEFAULT_BOOTSTRAP:,}")
           + "; 0: no intervals"})
    t.add({"parameter": "Bootstrap seed", "value": a.seed, "unit": "",
           "source": source("--seed", a.seed == DEFAULT_SEED, "fixed, so that runs repeat exactly")})
    t.add({"parameter": "Confidence of the intervals", "value": Decimal("0.95"), "unit": "fraction",
           "source": "95% intervals: the 2.5th and 97.5th percentiles of the resamples"})


# --- Lines and Rounds: formulas (excel_formulas.py) ----------------------------------------------

def _lines_sheet(book: Book, ws) -> None:
    _title(ws, "Every input line",
           "Where each line came from (file, sheet, row), what it says, and its cost by formula: "
           "staff x hours x hourly rate + miles x mileage rate + direct cost. Edit an input and the workbook follows.",
           wrap_to=len(LINE_COLUMNS))
    t = Table(ws, LINE_COLUMNS, header_row=3)
    t.add_rows(_line_rows(book, t.next_row), book.streamed)
    t.finish()


def _line_rows(book: Book, first: int) -> Iterable[dict[str, object]]:
    r = first
    for kind in FormKind:
        for line in book.run.forms.of(kind):
            yield line_row(line, r, round_number=round_no(line, book.round_no),
                           la_number=book.la_no[(line.la, line.phase)])
            r += 1


def _rounds_sheet(book: Book, ws) -> None:
    _title(ws, "Every round, with its cost by component",
           "Formulas over sheet Lines: a round's own lines, plus panel and steering lines tied to it, plus an even "
           "share of its LA and phase's panel and steering lines tied to no round.", wrap_to=len(ROUND_COLUMNS))
    t = Table(ws, ROUND_COLUMNS, header_row=3)
    t.add_rows((round_row(rc, r, number=book.round_no[(rc.la, rc.phase, rc.round)],
                          la_number=book.la_no[(rc.la, rc.phase)])
                for r, rc in enumerate(book.est.rounds, start=t.next_row)), book.streamed)
    t.finish()


# --- Checks: every figure recomputed by formulas -------------------------------------------------

def _checks_sheet(book: Book, ws) -> None:
    checks = plan_checks(book.est, book.las, book.la_no, book.shown, book.more_checks)
    _title(ws, "Checks: every figure recomputed from the input lines",
           "Each figure sr-cost reports, recomputed here by formulas from sheets Rounds and Lines (the savings: on "
           "sheet Savings, from its respondents) and compared with the figure shown on Summary or By LA. If you "
           "edit an input, the recomputed figures change and their checks show FAIL against sr-cost's figures: "
           "re-run sr-cost to update them.", wrap_to=len(CHECK_COLUMNS))
    master = put(ws, 3, 2, master_formula(checks), font=BIG)
    assert master.coordinate == MASTER_CELL
    put(ws, 3, 1, "All checks", font=BIG)
    master.alignment = Alignment(horizontal="center")
    _pass_fail(ws, MASTER_CELL)
    put(ws, 3, 3, f"{len(checks)} figures", font=NOTE_FONT)
    put(ws, 4, 1, "Tolerance (£)", font=BOLD)
    assert put(ws, 4, 2, TOLERANCE_GBP, "0.000").coordinate == TOLERANCE_CELL
    put(ws, 4, 3, "half a penny: sr-cost's figures are rounded to the penny", font=NOTE_FONT)
    book.name("Tolerance", "Checks", f"${TOLERANCE_CELL[0]}${TOLERANCE_CELL[1:]}")
    t = Table(ws, CHECK_COLUMNS, header_row=FIRST_CHECK_ROW - 1)
    previous = None
    for c in checks:
        assert t.next_row == c.row
        t.add(check_row(c, book.shown), top_border=c.figure != previous,
              formats={"recomputed": c.fmt, "sr_cost": c.fmt, "difference": DIFFERENCE})
        previous = c.figure
    if checks:
        result = CHECK["result"]
        _pass_fail(ws, f"{result}{FIRST_CHECK_ROW}:{result}{checks[-1].row}")
    t.finish()
    ws.column_dimensions["A"].width = max(ws.column_dimensions["A"].width or 0, 26)
