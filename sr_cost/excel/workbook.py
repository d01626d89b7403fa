"""The estimate as an auditable Excel workbook, for finance officers to check and hand on.

Sheets, in order: ``Summary`` (headline figures and charts), ``By LA`` (the report's Tables 19 and
20, one row per LA, phase and mode), ``Rounds`` (one row per round), ``Lines`` (every input line),
``Unit costs``, ``Savings`` (with a survey: every respondent and the report's Table 21 by formula;
laid out by ``savings.py``, which also adds a savings page to Summary), ``Assumptions`` (every
parameter, the command, the SHA-256 of every input) and ``Checks``. Summary and By LA hold values,
rounded half-up to the penny, so any reader sees numbers. Lines, Rounds (and Savings) and Checks
hold formulas: a line's hourly rate is a look-up into
``Unit costs`` (or the line's own rate), its cost is ``staff x hours x rate + miles x mileage rate +
direct cost``, each round sums its lines, and ``Checks`` recomputes every figure sr-cost reports
from those formulas and compares it with the figure shown on Summary or By LA (one master PASS/FAIL
cell). Change an input in Excel and the recomputed figures follow.

What the formulas say is in ``formulas.py`` and, for Savings, ``savings_formulas.py``
(both pure). This module builds the workbook and lays out Summary and By LA (values, and the charts);
``audit.py`` lays out Unit costs, Assumptions, Lines, Rounds and Checks; ``cells.py``
writes, formats and prints the cells of them all.
``write_workbook`` writes the rows of the long tables (Lines, Rounds, the respondents) as XML as they
are laid out (``stream.py``) rather than as openpyxl cells, so a national workbook takes seconds
and little memory; ``build_workbook`` makes every cell.

Safety: a plain ``str`` is always written as text, even when it starts with ``=``; only a
``Formula`` (built by sr-cost from its own templates) becomes a formula. Keys that formulas match on
are sr-cost's own numbers (``Round no.``, ``LA-phase no.``) and names (form kinds, modes), never user
text, so an LA called ``*`` or ``>5`` cannot change what a ``SUMIFS`` adds up.

Only ``excel/`` and ``inputs/xlsx*.py`` import openpyxl (import-linter checks it); the CLI imports
this module only when ``--excel`` is given.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import Reference
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break

from sr_cost import __version__
from sr_cost.core.columns import natural_key
from sr_cost.core.progress import Progress
from sr_cost.core.runs import EstimateRun
from sr_cost.core.savings import Savings
from sr_cost.excel import audit as excel_audit
from sr_cost.excel import effectiveness as excel_effectiveness
from sr_cost.excel import savings as excel_savings
from sr_cost.excel import stream as excel_stream
from sr_cost.excel.book import EFFECT_SHEET, SAVINGS_SHEET, Book, sheet_names
from sr_cost.excel.cells import (
    BIG,
    BOLD,
    GROUP_FILL,
    NOTE_FONT,
    TOTAL_FILL,
    SheetTable,
    bar_chart,
    money_value,
    number_value,
    pass_fail,
    print_setup,
    put,
    section,
    sheet_title,
)
from sr_cost.excel.checks import MASTER_CELL
from sr_cost.excel.formulas import COUNT, DECIMAL, MONEY, RATE, Col, Formula, label
from sr_cost.outputs.files import write_atomic
from sr_cost.outputs.wording import prices_short, prices_text, rounds_basis


def build_workbook(run: EstimateRun, *, command: str = "", savings: Savings | None = None) -> Workbook:
    """The workbook of an estimate and, given ``savings`` (``run.savings``), of its savings: sheet
    ``Savings`` and a savings section on ``Summary``. Pure: no file is written, and every cell is in
    memory (``write_workbook`` writes the long tables without making their cells)."""
    return _build(Book(run=run, command=command, savings=savings)).wb


def write_workbook(
    path: Path,
    run: EstimateRun,
    *,
    command: str = "",
    savings: Savings | None = None,
    progress: Progress | None = None,
) -> None:
    """The workbook of ``build_workbook``, written atomically (a failure leaves any existing file
    intact). The rows of Lines, Rounds and the respondents of Savings are written as XML while they are
    laid out (``excel_stream``): a national workbook takes seconds and little memory, not minutes and
    gigabytes of cells. ``progress`` is told how writing those rows goes (``Step.writing``), then
    putting them into the file (``Step.saving``)."""
    write = workbook_writer(run, command=command, savings=savings, progress=progress)
    write_atomic(Path(path), lambda tmp: write(tmp, progress), "workbook")


def workbook_writer(
    run: EstimateRun, *, command: str = "", savings: Savings | None = None, progress: Progress | None = None
) -> Callable[[Path, Progress | None], None]:
    """What writes the workbook of ``build_workbook`` to a path (``outputs.files.Outputs`` gives it a
    temporary file). The rows of Lines, Rounds and the respondents of Savings are written as XML
    now, while they are laid out (``excel_stream``; ``progress`` is told how that goes,
    ``Step.writing``): a national workbook takes seconds and little memory, not minutes and
    gigabytes of cells. The writer is given its own progress callback (or None), told how putting
    those rows into the file goes (``Step.saving``)."""
    book = _build(Book(run=run, command=command, savings=savings, streamed=[], progress=progress))

    def write(tmp: Path, saving: Progress | None = None) -> None:
        excel_stream.save(book.wb, book.streamed, tmp, saving)

    return write


def _build(book: Book) -> Book:
    run, savings = book.run, book.savings
    book.las = sorted(run.estimate.las, key=lambda la: natural_key(la.phase))  # stable: keeps LA order
    book.la_no = {(la.la, la.phase): i for i, la in enumerate(book.las, start=1)}
    book.round_no = {(r.la, r.phase, r.round): i for i, r in enumerate(run.estimate.rounds, start=1)}
    wb = book.wb
    wb.remove(wb.active)
    with_effect = savings is not None and run.cost_effectiveness is not None
    sheets = {name: wb.create_sheet(name) for name in sheet_names(savings is not None, with_effect)}
    # Written in dependency order (values first, so Checks can point at them); shown in sheet order.
    _by_la_sheet(book, sheets["By LA"])
    _summary_sheet(book, sheets["Summary"])
    excel_audit.unit_costs_sheet(book, sheets["Unit costs"])
    excel_audit.assumptions_sheet(book, sheets["Assumptions"])
    excel_audit.lines_sheet(book, sheets["Lines"])
    excel_audit.rounds_sheet(book, sheets["Rounds"])
    if savings is not None:
        excel_savings.savings_sheet(book, sheets[SAVINGS_SHEET])
    if with_effect:
        excel_effectiveness.effectiveness_sheet(book, sheets[EFFECT_SHEET])
    excel_audit.checks_sheet(book, sheets["Checks"])
    for ws in wb.worksheets:
        print_setup(ws)
    wb.active = 0
    wb.calculation.fullCalcOnLoad = True  # Excel and LibreOffice compute the formulas on opening
    wb.properties.creator = f"sr-cost {__version__}"
    wb.properties.title = "Schwartz Rounds cost estimate" + (" and savings" if savings is not None else "")
    return book


# --- By LA: Table 19 and Table 20, values --------------------------------------------------------

BY_LA_COLUMNS = (
    Col(
        "no",
        "LA-phase no.",
        COUNT,
        align="center",
        note="sr-cost's number for the LA and phase; Rounds, Lines and Checks use it",
    ),
    Col("la", "LA"),
    Col("phase", "Phase"),
    Col("mode", "Mode", note="'all' is the LA and phase; the rows below it split its rounds by mode"),
    Col("rounds", "Rounds", COUNT, note="the rounds the forms hold"),
    Col(
        "rounds_per_year",
        "Rounds a year",
        DECIMAL,
        note="the rounds a year of the annual cost (sheet Assumptions: Rounds a year, Period the forms cover)",
    ),
    Col("in_person", "In-person rounds", COUNT),
    Col("virtual", "Virtual rounds", COUNT),
    Col("setup_direct", "Direct", MONEY, 11),
    Col("setup_indirect", "Indirect", MONEY, 11),
    Col("setup_total", "Total", MONEY, 11),
    Col("panel", "Panel", MONEY, 11),
    Col("round", "Round", MONEY, 11),
    Col("steering", "Steering", MONEY, 11),
    Col("total", "Total", MONEY, 11),
    Col("attendances", "Attendances", COUNT),
    Col("attendees_per_round", "Attendees per round", DECIMAL),
    Col("cost_per_attendee", "Cost per attendee", MONEY, 11),
    Col(
        "annual",
        "Annual cost",
        MONEY,
        12,
        note="rounds a year x mean total per round (with a known period, steering tied to no round is a cost of "
        "the year: sheet Assumptions, Annual cost)",
    ),
    Col("first_year", "First-year cost", MONEY, 12, note="set-up + annual cost"),
)
BY_LA_GROUPS = (
    ("setup_direct", "setup_total", "Set-up cost (report Table 19)"),
    ("panel", "total", "Mean cost per round (report Table 20)"),
)


def _by_la_sheet(book: Book, ws) -> None:
    sheet_title(
        ws,
        "Cost per LA and phase (report Tables 19 and 20)",
        "One row per LA and phase ('all'), then one per mode of its rounds. Values computed by sr-cost, "
        "rounded half-up to the penny; Checks recomputes each from the input lines.",
        wrap_to=len(BY_LA_COLUMNS),
    )
    t = SheetTable(ws, BY_LA_COLUMNS, header_row=4)
    for first, last, text in BY_LA_GROUPS:
        a, b = t.index[first], t.index[last]
        cell = put(ws, 3, a, text, font=BOLD)
        cell.alignment = Alignment(horizontal="center")
        for col in range(a, b + 1):
            ws.cell(row=3, column=col).fill = GROUP_FILL
        ws.merge_cells(start_row=3, start_column=a, end_row=3, end_column=b)
    for la in book.las:
        no = book.la_no[(la.la, la.phase)]
        values = {
            "no": no,
            "la": la.la,
            "phase": label(la.phase),
            "mode": "all",
            "rounds": la.rounds,
            "rounds_per_year": money_value(la.rounds_per_year),
            "in_person": la.rounds_in_person,
            "virtual": la.rounds_virtual,
            "panel": money_value(la.per_round.panel),
            "round": money_value(la.per_round.round),
            "steering": money_value(la.per_round.steering),
            "total": money_value(la.per_round.total),
            "attendances": number_value(la.attendances),
            "attendees_per_round": money_value(la.attendees_per_round),
            "cost_per_attendee": money_value(la.cost_per_attendee),
            "annual": money_value(la.annual_cost),
            "first_year": money_value(la.first_year_cost),
        }
        if la.setup is not None:
            values.update(
                setup_direct=money_value(la.setup.direct),
                setup_indirect=money_value(la.setup.indirect),
                setup_total=money_value(la.setup.total),
            )
        row = t.add(values, font=BOLD, top_border=True)
        for key, value in values.items():
            if value is not None and key not in ("no", "la", "phase", "mode"):
                book.show(("la", no, None, key), "By LA", t.letter(key), row)
        for mode, f in la.modes.items():
            mvalues = {
                "no": no,
                "la": la.la,
                "phase": label(la.phase),
                "mode": mode.value,
                "rounds": f.rounds,
                "panel": money_value(f.per_round.panel),
                "round": money_value(f.per_round.round),
                "steering": money_value(f.per_round.steering),
                "total": money_value(f.total_per_round),
                "attendances": number_value(f.attendances),
                "attendees_per_round": money_value(f.attendances / Decimal(f.rounds)),
                "cost_per_attendee": money_value(f.cost_per_attendee),
                "annual": money_value(f.annual_cost),
            }
            row = t.add(mvalues)
            for key, value in mvalues.items():
                if value is not None and key not in ("no", "la", "phase", "mode"):
                    book.show(("la", no, mode, key), "By LA", t.letter(key), row)
    t.finish()


# --- Summary: headline figures and charts, values ------------------------------------------------

PHASE_COLUMNS = (
    Col("phase", "Phase"),
    Col("las", "LAs", COUNT),
    Col("mean", "Mean cost per round", MONEY, 15),
    Col("min", "Lowest LA", MONEY, 15),
    Col("max", "Highest LA", MONEY, 15),
    Col("annual", "Annual cost", MONEY, 15),
    Col("setup_mean", "Mean set-up cost", MONEY, 15),
    Col("setup_min", "Lowest set-up", MONEY, 15),
    Col("setup_max", "Highest set-up", MONEY, 15),
)
MODE_COLUMNS = (
    Col("mode", "Mode"),
    Col("las", "LAs", COUNT),
    Col("rounds", "Rounds", COUNT),
    Col("attendances", "Attendances", COUNT),
    Col("mean", "Mean cost per round", MONEY, 12),
    Col("cost_per_attendee", "Cost per attendee", MONEY, 12),
    Col("annual", "Annual cost", MONEY, 12),
)
LA_COLUMNS = (
    Col("la", "LA"),
    Col("phase", "Phase"),
    Col("panel", "Panel", MONEY, 12),
    Col("round", "Round", MONEY, 12),
    Col("steering", "Steering", MONEY, 12),
    Col("total", "Total", MONEY, 12),
)


def _summary_sheet(book: Book, ws) -> None:
    """Headline figures by phase and mode, the basis, and charts; with savings, a page of them."""
    est, table = book.est, book.run.table
    a = est.assumptions
    sheet_title(ws, "Schwartz Rounds: what they cost" + (" and what they may save" if book.savings else ""))
    put(
        ws,
        2,
        1,
        f"{len(est.las)} LA-phase(s), {len(est.rounds)} round(s), from {book.run.forms.path}. "
        f"Money in {prices_short(a, table.price_year)}, rounded half-up to the penny.",
        font=NOTE_FONT,
    )
    put(ws, 3, 1, "Checks: every figure recomputed from the input lines by formulas (sheet Checks)", font=BOLD)
    status = put(ws, 3, 7, Formula(f"=Checks!${MASTER_CELL[0]}${MASTER_CELL[1:]}"), font=BIG)
    status.alignment = Alignment(horizontal="center")
    pass_fail(ws, "G3")

    # by phase
    section(
        ws,
        5,
        "By phase",
        "Mean, lowest and highest over the phase's LAs of their mean cost per round; "
        + (
            f"annual cost = {a.rounds_per_year_in_use} rounds a year x the mean."
            if a.period_months is None
            else "annual cost = the mean of its LAs' annual costs (sheet By LA)."
        ),
    )
    phases = SheetTable(ws, PHASE_COLUMNS, header_row=7)
    for p in est.phases:
        s = p.setup
        row = phases.add(
            {
                "phase": label(p.phase),
                "las": p.las,
                "mean": money_value(p.total_per_round.mean),
                "min": money_value(p.total_per_round.min),
                "max": money_value(p.total_per_round.max),
                "annual": money_value(p.annual_cost),
                "setup_mean": money_value(s.mean) if s else None,
                "setup_min": money_value(s.min) if s else None,
                "setup_max": money_value(s.max) if s else None,
            }
        )
        _show_spread(book, ("phase", p.phase), phases, row, with_setup=s is not None)
    o = est.overall
    s = o.setup
    row = phases.add(
        {
            "phase": "All",
            "las": o.las,
            "mean": money_value(o.total_per_round.mean),
            "min": money_value(o.total_per_round.min),
            "max": money_value(o.total_per_round.max),
            "annual": money_value(o.annual_cost),
            "setup_mean": money_value(s.mean) if s else None,
            "setup_min": money_value(s.min) if s else None,
            "setup_max": money_value(s.max) if s else None,
        },
        font=BOLD,
        fill=TOTAL_FILL,
        top_border=True,
    )
    _show_spread(book, ("overall",), phases, row, with_setup=s is not None)
    phases.finish(filter=False, freeze=False)

    # by mode
    top = phases.last_row + 2
    section(
        ws,
        top,
        "By mode",
        "Every round by how it was delivered. Mean cost per round: the mean over LAs of "
        "their rounds of that mode; cost per attendee: all its round costs ÷ all its "
        "attendance.",
    )
    modes = SheetTable(ws, MODE_COLUMNS, header_row=top + 2)
    for m in est.modes:
        row = modes.add(
            {
                "mode": m.mode.value,
                "las": m.las,
                "rounds": m.rounds,
                "attendances": number_value(m.attendances),
                "mean": money_value(m.mean_total_per_round),
                "cost_per_attendee": money_value(m.cost_per_attendee),
                "annual": money_value(m.annual_cost),
            }
        )
        for key in ("las", "rounds", "attendances", "mean", "cost_per_attendee", "annual"):
            if key != "cost_per_attendee" or m.cost_per_attendee is not None:
                book.show(("mode", m.mode, key), "Summary", modes.letter(key), row)
    modes.finish(filter=False, freeze=False)

    # basis
    top = modes.last_row + 2
    section(ws, top, "Basis")
    basis = [
        ("Unit costs", table.source.name, None),
        ("Price year", table.price_year, None),
        ("Unit-cost table", table.shown_as, None),
        ("Rounds a year", rounds_basis(a), None),
        ("Period the forms cover", "not known" if a.period_months is None else f"{a.period_months} months", None),
        ("Prices", prices_text(a, table.price_year), None),
        ("Mileage rate (£ a mile)", a.mileage_rate, RATE),
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
            chart = bar_chart(f"{title}: in-person against virtual", "£")
            chart.add_data(
                Reference(ws, min_col=modes.index[key], min_row=modes.header_row, max_row=last), titles_from_data=True
            )
            chart.set_categories(Reference(ws, min_col=modes.index["mode"], min_row=first, max_row=last))
            chart.legend = None
            chart.width, chart.height = 13, 7
            ws.add_chart(chart, f"{'AE'[i]}{top}")
        top += 16

    # savings, on a page of their own
    if book.savings is not None:
        from sr_cost.excel import savings as excel_savings

        top = excel_savings.summary_section(book, ws, top)

    # Table 20 and its chart, on a page of their own
    ws.row_breaks.append(Break(id=top - 1))
    section(ws, top, "Mean cost per round by LA (report Table 20)")
    las = SheetTable(ws, LA_COLUMNS, header_row=top + 1)
    for la in book.las:
        las.add(
            {
                "la": la.la,
                "phase": label(la.phase),
                "panel": money_value(la.per_round.panel),
                "round": money_value(la.per_round.round),
                "steering": money_value(la.per_round.steering),
                "total": money_value(la.per_round.total),
            }
        )
    las.finish(filter=False, freeze=False)
    chart = bar_chart("Mean cost per round by LA and component", "£ per round")
    chart.grouping, chart.overlap = "stacked", 100
    chart.add_data(
        Reference(
            ws, min_col=las.index["panel"], max_col=las.index["steering"], min_row=las.header_row, max_row=las.last_row
        ),
        titles_from_data=True,
    )
    chart.set_categories(Reference(ws, min_col=las.index["la"], min_row=las.header_row + 1, max_row=las.last_row))
    chart.width, chart.height = 18, max(9, 0.5 * len(book.las) + 4)
    chart.legend.position = "b"
    ws.add_chart(chart, f"{get_column_letter(las.index['total'] + 1)}{las.header_row}")
    ws.column_dimensions["A"].width = max(ws.column_dimensions["A"].width or 0, 24)
    ws.sheet_view.showGridLines = False


def _show_spread(book: Book, key: tuple, t: SheetTable, row: int, *, with_setup: bool) -> None:
    for name in ("las", "mean", "min", "max", "annual") + (
        ("setup_mean", "setup_min", "setup_max") if with_setup else ()
    ):
        book.show(key + (name,), "Summary", t.letter(name), row)
