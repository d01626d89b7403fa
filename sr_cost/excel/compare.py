"""The compare workbook (``sr-cost compare --excel PATH``), for finance officers.

Sheets: ``Compare`` (the options side by side, the difference and the ratio, the sentence, the
prices and where every input came from), ``Horizon`` (year by year, with a chart), ``Sensitivity``
(the tornado as a table and a bar chart per option, and the break-even attendance; filled when the
command ran with ``--sensitivity``). Figures are written as values, money rounded half-up to the
penny, the same figures as the terminal and JSON show. Imported only when a workbook is written.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.series import SeriesLabel
from openpyxl.styles import Alignment, Font, PatternFill

from sr_cost import __version__
from sr_cost.core.comparison import Comparison, Figures
from sr_cost.excel.cells import put
from sr_cost.money import round_half_up, to_penny
from sr_cost.outputs.files import write_atomic
from sr_cost.outputs.wording import (
    INTERVAL_ROWS,
    LABELS,
    SAVING_FIGURES,
    break_even_sentences,
    pct,
    ranges_text,
    rounds_text,
    summary,
)

MONEY = "£#,##0.00;-£#,##0.00"
NUMBER_1 = "0.0"
NUMBER_2 = "0.00"
RATIO = '0.00"×"'
FACTOR = "0.000000"
FONT = "Calibri"
TITLE_FONT = Font(name=FONT, bold=True, size=14, color="1F3864")
SECTION_FONT = Font(name=FONT, bold=True, size=12, color="1F3864")
NOTE_FONT = Font(name=FONT, italic=True, color="595959")
BOLD = Font(name=FONT, bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")


def _put(
    ws,
    row: int,
    column: int,
    value: Any,
    fmt: str | None = None,
    font: Font | None = None,
    fill: PatternFill | None = None,
):
    """One cell, written by the estimate workbook's ``put`` (text always text, floats refused)."""
    cell = put(ws, row, column, value, fmt, font)
    if fill:
        cell.fill = fill
    return cell


def _para(ws, row: int, text: str, *, font: Font | None = NOTE_FONT, first: int = 1, last: int = 5) -> None:
    """A paragraph across columns ``first`` to ``last``, wrapped, with room for its lines."""
    from openpyxl.utils import get_column_letter

    cell = _put(ws, row, first, text, font=font)
    if last > first:
        ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    width = sum(ws.column_dimensions[get_column_letter(i)].width or 10 for i in range(first, last + 1))
    lines = max(1, -(-len(text) * 11 // (10 * int(width))))  # about 1.1 characters per unit of width
    ws.row_dimensions[row].height = 15 * lines


def _print_setup(ws) -> None:
    """A4 landscape, fitted to the page width."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddFooter.left.text = "sr-cost compare &A"
    ws.oddFooter.right.text = "page &P of &N"


def _money(value: Decimal | None) -> Decimal | None:
    return None if value is None else to_penny(value)


def _rounded(value: Decimal | None, places: int) -> Decimal | None:
    return None if value is None else round_half_up(value, places)


def _header(ws, row: int, names: list[str]) -> None:
    if any(len(name) > 12 for name in names):
        ws.row_dimensions[row].height = 30
    for column, name in enumerate(names, start=1):
        cell = _put(ws, row, column, name, font=BOLD, fill=HEADER_FILL)
        cell.alignment = Alignment(wrap_text=True, vertical="bottom", horizontal="center" if column > 1 else "left")


def _widths(ws, widths: list[int]) -> None:
    from openpyxl.utils import get_column_letter

    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width


def _chart(title: str, *, horizontal: bool, y_title: str) -> BarChart:
    chart = BarChart()
    chart.type = "bar" if horizontal else "col"
    chart.title = title
    chart.style = 10
    chart.y_axis.title = y_title
    chart.y_axis.numFmt = "£#,##0"
    chart.y_axis.majorGridlines = None
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.height, chart.width = 7.5, 17
    return chart


def _figure_cell(ws, row: int, column: int, name: str, value: Decimal | None) -> None:
    if name == "attendees_per_round":
        _put(ws, row, column, _rounded(value, 1), NUMBER_1)
    elif name == "break_even_sick_days":
        _put(ws, row, column, _rounded(value, 2), NUMBER_2)
    else:
        _put(ws, row, column, _money(value), MONEY)


def _compare_sheet(ws, run) -> None:
    c: Comparison = run.comparison
    a, b = c.options
    _widths(ws, [30, 16, 16, 16, 10, 40])
    _put(ws, 1, 1, "sr-cost compare", font=TITLE_FONT)
    _para(ws, 2, f"A = {a.label}: {a.description}. B = {b.label}: {b.description}.", last=6)
    _para(
        ws,
        3,
        f"Figures in {c.uplift.describe()}. Horizon {c.years} years, discounted at {pct(c.discount_rate)} a year.",
        last=6,
    )
    row = 5
    _header(ws, row, ["Figure (a typical LA)", f"A: {a.label}", f"B: {b.label}", "B − A", "B ÷ A"])
    rpy = rounds_text(a.rounds_per_year) if a.rounds_per_year == b.rounds_per_year else "n"
    fmt = {"n": c.years, "rpy": rpy, "r": pct(c.discount_rate)}
    has_saving = a.saving is not None or b.saving is not None
    for (name, x), (_, y), (_, d), (_, r) in zip(
        Figures.of(a).items(), Figures.of(b).items(), c.difference.items(), c.ratio.items()
    ):
        if name in SAVING_FIGURES and not has_saving:
            continue
        row += 1
        _put(
            ws,
            row,
            1,
            "Cost per attendee, pooled" if name == "pooled_cost_per_attendee" else LABELS[name].format(**fmt),
        )
        for column, value in ((2, x), (3, y), (4, d)):
            _figure_cell(ws, row, column, name, value)
        _put(ws, row, 5, _rounded(r, 4), RATIO)
        ends = [o.saving_intervals.get(name) for o in (a, b)]
        for label, end in INTERVAL_ROWS if any(ends) else ():
            row += 1
            _put(ws, row, 1, label)
            for column, interval in ((2, ends[0]), (3, ends[1])):
                _figure_cell(ws, row, column, name, interval[end] if interval else None)
    row += 2
    _put(ws, row, 1, "What it says", font=SECTION_FONT)
    row += 1
    _para(ws, row, summary(c), font=Font(name=FONT), last=6)
    row += 2
    _put(ws, row, 1, "Notes", font=SECTION_FONT)
    notes = [
        "A typical LA: per-round figures and attendees are means over the option's LAs; cost per attendee = "
        "mean cost per round ÷ mean attendees per round; pooled = all round costs ÷ all attendance.",
        f"Year 1 carries the set-up and a year's running cost, later years the running cost; year t (t = 0 "
        f"first) is discounted by (1 + {pct(c.discount_rate)})^-t.",
        *c.notes,
    ]
    for note in notes:
        row += 1
        _para(ws, row, note, last=6)
    row += 2
    _put(ws, row, 1, "Provenance", font=SECTION_FONT)
    table = run.table
    prov = [
        ("sr-cost version", __version__),
        (
            "Unit costs",
            f"{table.source.name} ({table.shown_as}), price year {table.price_year}, SHA-256 {table.sha256}",
        ),
        ("Prices", c.uplift.describe()),
    ]
    prov += [("Input", f"{i.path} (SHA-256 {i.sha256})") for i in run.inputs]
    if run.index is not None:
        prov.append(("Price index", f"{run.index.path} (SHA-256 {run.index.sha256})"))
    for key, value in prov:
        row += 1
        _put(ws, row, 1, key, font=BOLD).alignment = Alignment(vertical="top")
        _para(ws, row, value, font=Font(name=FONT), first=2, last=6)
    ws.freeze_panes = "B6"
    _print_setup(ws)


def _horizon_sheet(ws, c: Comparison) -> None:
    a, b = c.options
    _widths(ws, [12, 10, 12, 12, 16, 14, 12, 12, 16, 14])
    _put(ws, 1, 1, f"Over {c.years} years", font=TITLE_FONT)
    _para(
        ws,
        2,
        f"Figures in {c.uplift.describe()}; discounted at {pct(c.discount_rate)} a year: year t (t = 0 for "
        f"year 1) × (1 + r)^-t.",
        last=10,
    )
    _header(
        ws,
        4,
        [
            "Year",
            "Discount factor",
            "A set-up",
            "A running",
            f"A cost: {a.label}",
            "A present value",
            "B set-up",
            "B running",
            f"B cost: {b.label}",
            "B present value",
        ],
    )
    row = 4
    for ya, yb in zip(a.horizon.years, b.horizon.years):
        row += 1
        _put(ws, row, 1, ya.year)
        _put(ws, row, 2, _rounded(ya.discount_factor, 6), FACTOR)
        for column, value in (
            (3, ya.setup),
            (4, ya.running),
            (5, ya.total),
            (6, ya.present_value),
            (7, yb.setup),
            (8, yb.running),
            (9, yb.total),
            (10, yb.present_value),
        ):
            _put(ws, row, column, _money(value), MONEY)
    last = row
    row += 1
    _put(ws, row, 1, "Total", font=BOLD, fill=TOTAL_FILL)
    for column, value in (
        (5, a.horizon.total),
        (6, a.horizon.present_value),
        (9, b.horizon.total),
        (10, b.horizon.present_value),
    ):
        _put(ws, row, column, _money(value), MONEY, font=BOLD, fill=TOTAL_FILL)
    row += 1
    _put(ws, row, 1, "Per attendee")
    _put(ws, row, 5, _money(a.horizon.cost_per_attendee), MONEY)
    _put(ws, row, 9, _money(b.horizon.cost_per_attendee), MONEY)
    chart = _chart(f"Cost a year ({c.price_year} prices)", horizontal=False, y_title="£")
    for column, title in ((5, f"A: {a.label}"), (9, f"B: {b.label}")):
        chart.add_data(Reference(ws, min_col=column, min_row=5, max_row=last), titles_from_data=False)
        chart.series[-1].tx = SeriesLabel(v=title)
    chart.set_categories(Reference(ws, min_col=1, min_row=5, max_row=last))
    chart.x_axis.title = "Year"
    ws.add_chart(chart, f"A{row + 2}")
    ws.freeze_panes = "B5"
    _print_setup(ws)


def _sensitivity_sheet(ws, c: Comparison) -> None:
    s = c.sensitivity
    _widths(ws, [24, 12, 12, 15, 15, 14, 14, 15, 15])
    _print_setup(ws)
    _put(ws, 1, 1, "Sensitivity", font=TITLE_FONT)
    if s is None:
        _para(
            ws,
            2,
            "Run sr-cost compare with --sensitivity to fill this sheet: one assumption at a time over "
            "its range, as a tornado, and the break-even attendance.",
            last=9,
        )
        return
    _para(
        ws,
        2,
        f"How the {s.metric} of each option moves when one assumption changes. Figures in {c.uplift.describe()}.",
        last=9,
    )
    row = 3
    anchors = []
    for i, o in enumerate(c.options):
        row += 1
        _put(ws, row, 1, f"{'AB'[i]}: {o.label}, {s.metric} now", font=SECTION_FONT)
        _put(ws, row, 4, _money(s.base[i]), MONEY, font=BOLD)
        row += 1
        _header(
            ws,
            row,
            [
                "Assumption",
                "Low end",
                "High end",
                "At low end",
                "At high end",
                "Low − now",
                "High − now",
                "£/attendee at low",
                "£/attendee at high",
            ],
        )
        first = row + 1
        for r in s.rows:  # widest swing first; the chart's category axis runs top down to match
            sw = r.swings[i]
            row += 1
            _put(ws, row, 1, r.name)
            _put(ws, row, 2, r.low_label)
            _put(ws, row, 3, r.high_label)
            _put(ws, row, 4, _money(sw.low), MONEY)
            _put(ws, row, 5, _money(sw.high), MONEY)
            _put(ws, row, 6, None if sw.low is None else _money(sw.low - s.base[i]), MONEY)
            _put(ws, row, 7, None if sw.high is None else _money(sw.high - s.base[i]), MONEY)
            _put(ws, row, 8, _money(sw.low_per_attendee), MONEY)
            _put(ws, row, 9, _money(sw.high_per_attendee), MONEY)
        chart = _chart(f"{'AB'[i]}: {o.label}, {s.metric} against now", horizontal=True, y_title="£ against now")
        chart.x_axis.scaling.orientation = "maxMin"  # first row on top, as a tornado
        chart.x_axis.tickLblPos = "low"  # assumption names left of the bars, not on the zero line
        chart.height, chart.width = 9, 24
        for column, title in ((6, "low end of the range"), (7, "high end of the range")):
            chart.add_data(Reference(ws, min_col=column, min_row=first, max_row=row), titles_from_data=False)
            chart.series[-1].tx = SeriesLabel(v=title)
        chart.set_categories(Reference(ws, min_col=1, min_row=first, max_row=row))
        chart.overlap = 100
        chart.gapWidth = 40
        anchors.append(chart)
        row += 1
    row += 1
    _put(ws, row, 1, "Break-even attendance", font=SECTION_FONT)
    row += 1
    _header(ws, row, ["Option", "Attendees a round", "£/attendee", "Against", "Its £/attendee", "Attendees to match"])
    for be in s.break_even:
        row += 1
        _put(ws, row, 1, be.label)
        _put(ws, row, 2, _rounded(be.attendees_per_round, 1), NUMBER_1)
        _put(ws, row, 3, _money(be.cost_per_attendee), MONEY)
        _put(ws, row, 4, be.against)
        _put(ws, row, 5, _money(be.target), MONEY)
        _put(ws, row, 6, _rounded(be.attendees_needed, 1) if be.attendees_needed is not None else "none", NUMBER_1)
    for line in [*break_even_sentences(s), *s.notes, ranges_text(s)]:
        row += 1
        _para(ws, row, line, last=9)
    row += 2
    from openpyxl.worksheet.pagebreak import Break

    ws.row_breaks.append(Break(id=row - 1))  # the charts start on a page of their own
    for chart in anchors:
        ws.add_chart(chart, f"A{row}")
        row += 19


def build_workbook(run) -> Workbook:
    book = Workbook()
    ws = book.active
    ws.title = "Compare"
    _compare_sheet(ws, run)
    _horizon_sheet(book.create_sheet("Horizon"), run.comparison)
    _sensitivity_sheet(book.create_sheet("Sensitivity"), run.comparison)
    return book


def write_compare_workbook(path: Path, run) -> None:
    """Write the workbook whole or not at all."""
    write_atomic(path, compare_workbook_writer(run), "workbook")


def compare_workbook_writer(run) -> Callable[..., None]:
    """What writes the compare workbook to a path (``outputs.files.Outputs`` gives it a temporary file);
    like the estimate's writer it may be given a progress callback, which it does not need (the
    workbook has no long tables)."""
    book = build_workbook(run)
    return lambda tmp, progress=None: book.save(tmp)
