"""The audit trail of the estimate workbook: the sheets that say what its figures were worked out
from, and work them out again by formula.

``Unit costs`` (the unit-cost table, with the named ranges the formulas look roles up in),
``Assumptions`` (every parameter as a named cell, the rules, and the SHA-256 of every input),
``Lines`` and ``Rounds`` (every input line and round, costed by formula: the columns and formulas are
``formulas.py``'s; their rows are streamed as XML by ``write_workbook``) and ``Checks`` (each
figure shown on Summary and By LA recomputed from Rounds and Lines, and each savings figure taken
from its formula on Savings, compared with the figure shown; one master PASS/FAIL cell). Laid out
by ``workbook._build``, after Summary and By LA, whose cells Checks points at (``Book.shown``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import fields
from decimal import Decimal

from openpyxl.styles import Alignment, Border

from sr_cost import __version__
from sr_cost.core.estimate import DEFAULT_MILEAGE_RATE
from sr_cost.core.lines import FormKind
from sr_cost.core.savings import (
    DEFAULT_BOOTSTRAP,
    DEFAULT_DISCOUNT_RATE,
    DEFAULT_HOURS_PER_DAY,
    DEFAULT_RECALL_MONTHS,
    DEFAULT_SEED,
    DEFAULT_YEARS,
)
from sr_cost.excel.audit_prices import costing_rules, period_row, price_rows, table_shown
from sr_cost.excel.book import Book
from sr_cost.excel.cells import (
    BIG,
    BOLD,
    HEADER_FILL,
    NOTE_FONT,
    THIN,
    SheetTable,
    pass_fail,
    put,
    section,
    sheet_title,
    wrapped_lines,
)
from sr_cost.excel.checks import (
    CHECK,
    CHECK_COLUMNS,
    FIRST_CHECK_ROW,
    MASTER_CELL,
    TOLERANCE_CELL,
    TOLERANCE_GBP,
    check_row,
    master_formula,
    plan_checks,
)
from sr_cost.excel.formulas import (
    COUNT,
    DIFFERENCE,
    LINE_COLUMNS,
    MONEY,
    RATE,
    ROUND_COLUMNS,
    Col,
    line_row,
    round_no,
    round_row,
)

# The derivation parameters of the unit-cost table as named cells of Assumptions, for the Savings
# sheet's formulas that derive a respondent's hourly cost from a salary.
PARAM_NAMES = {
    "employer_ni_rate": "EmployerNiRate",
    "ni_secondary_threshold_per_week_gbp": "NiThresholdPerWeek",
    "ni_secondary_threshold_per_year_gbp": "NiThresholdPerYear",
    "days_per_year": "DaysPerYear",
    "superannuation_rate": "SuperannuationRate",
    "direct_overheads_rate": "DirectOverheadsRate",
    "indirect_overheads_rate": "IndirectOverheadsRate",
    "capital_overheads_gbp": "CapitalOverheads",
    "working_hours_per_year": "WorkingHoursPerYear",
}


# --- Unit costs and Assumptions ------------------------------------------------------------------

UNIT_COST_COLUMNS = (
    Col("role", "Role"),
    Col("salary", "Salary (£ a year)", MONEY, 14),
    Col("on_costs", "On-costs (£ a year)", MONEY, 14),
    Col("overheads", "Overheads (£ a year)", MONEY, 14),
    Col("unit_cost_hour", "Unit cost (£ an hour)", MONEY, 14),
    Col("derived", "Derived from salary", None, 11, align="center"),
    Col("row", "Row in the table file", COUNT, 11, align="center"),
)


def unit_costs_sheet(book: Book, ws) -> None:
    table = book.run.table
    sheet_title(
        ws,
        f"Staff unit costs (£, {table.price_year})",
        f"{table.source.name}. Table {table_shown(table)}, SHA-256 {table.sha256}. Lines look up their hourly "
        "rate here by role.",
        wrap_to=len(UNIT_COST_COLUMNS),
    )
    t = SheetTable(ws, UNIT_COST_COLUMNS, header_row=3)
    for r in table.roles:
        t.add(
            {
                "role": r.role,
                "salary": r.salary,
                "on_costs": r.on_costs,
                "overheads": r.overheads,
                "unit_cost_hour": r.unit_cost_hour,
                "derived": "yes" if r.derived else "no",
                "row": r.row,
            }
        )
    last = max(t.last_row, t.header_row + 1)
    book.name("UnitCostRoles", "Unit costs", f"${t.letter('role')}${t.header_row + 1}:${t.letter('role')}${last}")
    for name, key in (
        ("UnitCostRates", "unit_cost_hour"),
        ("UnitCostSalaries", "salary"),
        ("UnitCostOnCosts", "on_costs"),
    ):
        book.name(name, "Unit costs", f"${t.letter(key)}${t.header_row + 1}:${t.letter(key)}${last}")
    t.finish()


SOURCE_WIDTH = 70
ASSUMPTION_COLUMNS = (
    Col("parameter", "Parameter"),
    Col("value", "Value", None, 16, align="right"),
    Col("unit", "Unit", None, 26),
    Col("source", "Where it comes from", None, SOURCE_WIDTH),
)
_UNIT = re.compile(r"\s*\[([^\]]+)\]\s*$")


def assumptions_sheet(book: Book, ws) -> None:
    est, table, run = book.est, book.run.table, book.run
    a = est.assumptions
    sheet_title(
        ws,
        "Assumptions and provenance",
        "Every parameter the figures depend on, and what produced this workbook. Change Rounds a year or "
        "the mileage rate here and the formulas of Lines, Rounds and Checks follow"
        + (
            " (and the hours in a sick day, the recall period or the unit-cost parameters: the formulas of "
            "Savings follow)."
            if book.savings
            else "."
        ),
        wrap_to=len(ASSUMPTION_COLUMNS),
    )
    t = SheetTable(ws, ASSUMPTION_COLUMNS, header_row=3)
    given = book.command
    row = t.add(
        {
            "parameter": "Rounds a year",
            "value": a.rounds_per_year_in_use,
            "unit": "rounds/year",
            "source": (
                "--rounds-per-year"
                if "--rounds-per-year" in given or a.rounds_per_year is not None
                else (
                    "default: one a month, as the report assumes (--rounds-per-year to change)"
                    if a.period_months is None
                    else "blank: each LA-phase's own, the rounds its forms hold x 12 / the period (sheet By LA); "
                    "type a number here for every LA-phase"
                )
            ),
        }
    )
    book.name("RoundsPerYear", "Assumptions", f"${t.letter('value')}${row}")
    period_row(book, t, a, given)
    row = t.add(
        {
            "parameter": "Mileage rate",
            "value": a.mileage_rate,
            "unit": "£/mile",
            "source": (
                "--mileage-rate"
                if "--mileage-rate" in given or a.mileage_rate != DEFAULT_MILEAGE_RATE
                else "default: the report's rate (--mileage-rate to change)"
            )
            + "; in the forms' price year",
        }
    )
    ws.cell(row=row, column=t.index["value"]).number_format = RATE
    book.name("MileageRate", "Assumptions", f"${t.letter('value')}${row}")
    t.add(
        {
            "parameter": "Price year",
            "value": table.price_year,
            "unit": "year",
            "source": f"of staff time: the unit-cost table's parameters ({table.params_path})",
        }
    )
    price_rows(book, ws, t, a, given)
    for param in fields(table.params):
        name, description = param.name, param.metadata["doc"]
        unit = _UNIT.search(description)
        defined = PARAM_NAMES.get(name, "".join(word.capitalize() for word in name.split("_")))
        row = t.add(
            {
                "parameter": _UNIT.sub("", description),
                "value": getattr(table.params, name),
                "unit": unit.group(1) if unit else "",
                "source": f"unit-cost derivation parameter '{name}' ({table.params_path})"
                + (f"; {defined} in the formulas of sheet Savings" if book.savings else ""),
            }
        )
        book.name(defined, "Assumptions", f"${t.letter('value')}${row}")
    if book.savings is not None:
        _savings_assumptions(book, t)
    rules = costing_rules(a)
    if book.savings is not None:
        from sr_cost.excel.savings_formulas import RULES

        rules += RULES
    for name, rule in rules:
        t.add({"parameter": name, "source": rule})
    t.finish(filter=False, freeze=False)
    source = t.index["source"]
    ws.column_dimensions[t.letter("source")].width = SOURCE_WIDTH
    for r in range(t.header_row + 1, t.last_row + 1):
        for c in t.columns:
            cell = ws.cell(row=r, column=t.index[c.key])
            cell.alignment = Alignment(
                wrap_text=c.key == "source", vertical="top", horizontal=c.horizontal, indent=1 if c.key == "unit" else 0
            )
        ws.row_dimensions[r].height = 15 * wrapped_lines(
            str(ws.cell(row=r, column=source).value or ""), SOURCE_WIDTH * 1.15
        )

    # provenance: the value across Value and Unit, the SHA-256 under "Where it comes from"
    top = t.last_row + 2
    section(ws, top, "Provenance")
    rows = [
        ("sr-cost version", __version__, None),
        ("Command", book.command or "(library call)", None),
        ("Forms", run.forms.path, None),
    ]
    rows += [("Input file", i.path, i.sha256) for i in est.inputs]
    rows += [
        ("Unit-cost table", table_shown(table), table.sha256),
        ("Unit-cost parameters", table.params_path, table.params_sha256),
    ]
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


def _savings_assumptions(book: Book, t: SheetTable) -> None:
    """The savings' parameters, with names for the Savings sheet's formulas."""
    a, given = book.savings.assumptions, book.command

    def source(option: str, default: bool, text: str) -> str:
        return option if option in given or not default else f"default: {text} ({option} to change)"

    row = t.add(
        {
            "parameter": "Hours in a day of sickness absence",
            "value": a.hours_per_day,
            "unit": "hours/day",
            "source": source(
                "--hours-per-day",
                a.hours_per_day == DEFAULT_HOURS_PER_DAY,
                "a working day of 7.5 hours, as the report converts days to hours",
            )
            + "; HoursPerSickDay in the formulas of sheet Savings",
        }
    )
    book.name("HoursPerSickDay", "Assumptions", f"${t.letter('value')}${row}")
    row = t.add(
        {
            "parameter": "Recall period of the survey",
            "value": a.recall_months,
            "unit": "months",
            "source": source(
                "--recall-months",
                a.recall_months == DEFAULT_RECALL_MONTHS,
                "the trial's survey asked about the previous six months",
            )
            + "; RecallMonths in the formulas of sheet Savings",
        }
    )
    book.name("RecallMonths", "Assumptions", f"${t.letter('value')}${row}")
    t.add(
        {
            "parameter": "Basis of the hourly cost of absence",
            "value": a.absence_basis.value,
            "unit": "basis",
            "source": source(
                "--absence-basis",
                a.absence_basis.value == "employer",
                "employer: salary + on-costs, what the employer pays for an hour lost (the report does not "
                "state its basis)",
            ),
        }
    )
    if a.agency_rate is not None:
        t.add(
            {
                "parameter": "Agency cover's hourly rate",
                "value": a.agency_rate,
                "unit": "£/hour",
                "source": "--agency-rate (the agency basis)",
            }
        )
    row = t.add(
        {
            "parameter": "Planning horizon",
            "value": a.years,
            "unit": "years",
            "source": source("--years", a.years == DEFAULT_YEARS, "3, the usual appraisal period")
            + "; HorizonYears in the formulas of sheet Savings",
        }
    )
    book.name("HorizonYears", "Assumptions", f"${t.letter('value')}${row}")
    row = t.add(
        {
            "parameter": "Discount rate",
            "value": a.discount_rate,
            "unit": "fraction a year",
            "source": source(
                "--discount-rate", a.discount_rate == DEFAULT_DISCOUNT_RATE, "3.5%, HM Treasury Green Book"
            )
            + "; DiscountRate in the formulas of sheet Savings",
        }
    )
    book.name("DiscountRate", "Assumptions", f"${t.letter('value')}${row}")
    t.add(
        {
            "parameter": "Bootstrap resamples",
            "value": a.bootstrap,
            "unit": "resamples",
            "source": source("--bootstrap", a.bootstrap == DEFAULT_BOOTSTRAP, f"{DEFAULT_BOOTSTRAP:,}")
            + "; 0: no intervals",
        }
    )
    t.add(
        {
            "parameter": "Bootstrap seed",
            "value": a.seed,
            "unit": "",
            "source": source("--seed", a.seed == DEFAULT_SEED, "fixed, so that runs repeat exactly"),
        }
    )
    t.add(
        {
            "parameter": "Confidence of the intervals",
            "value": Decimal("0.95"),
            "unit": "fraction",
            "source": "95% intervals: the 2.5th and 97.5th percentiles of the resamples",
        }
    )


# --- Lines and Rounds: formulas (formulas.py) ----------------------------------------------


def lines_sheet(book: Book, ws) -> None:
    sheet_title(
        ws,
        "Every input line",
        "Where each line came from (file, sheet, row), what it says, and its cost by formula: "
        "staff x hours x hourly rate + miles x mileage rate + direct cost. Edit an input and the workbook follows.",
        wrap_to=len(LINE_COLUMNS),
    )
    t = SheetTable(ws, LINE_COLUMNS, header_row=3)
    t.add_rows(book.counted(_line_rows(book, t.next_row)), book.streamed)
    t.finish()


def _line_rows(book: Book, first: int) -> Iterable[dict[str, object]]:
    r = first
    for kind in FormKind:
        for line in book.run.forms.records(kind):
            yield line_row(
                line,
                r,
                round_number=round_no(line, book.round_no),
                la_number=book.la_no[(line.la, line.phase)],
                repriced=book.repriced,
            )
            r += 1


def rounds_sheet(book: Book, ws) -> None:
    sheet_title(
        ws,
        "Every round, with its cost by component",
        "Formulas over sheet Lines: a round's own lines, plus panel and steering lines tied to it, plus an even "
        "share of its LA and phase's panel and steering lines tied to no round.",
        wrap_to=len(ROUND_COLUMNS),
    )
    t = SheetTable(ws, ROUND_COLUMNS, header_row=3)
    t.add_rows(
        book.counted(
            round_row(rc, r, number=book.round_no[(rc.la, rc.phase, rc.round)], la_number=book.la_no[(rc.la, rc.phase)])
            for r, rc in enumerate(book.est.rounds, start=t.next_row)
        ),
        book.streamed,
    )
    t.finish()


# --- Checks: every figure recomputed by formulas -------------------------------------------------


def checks_sheet(book: Book, ws) -> None:
    checks = plan_checks(book.est, book.las, book.la_no, book.shown, book.more_checks, repriced=book.repriced)
    sheet_title(
        ws,
        "Checks: every figure recomputed from the input lines",
        "Each figure sr-cost reports, recomputed here by formulas from sheets Rounds and Lines (the savings: on "
        "sheet Savings, from its respondents) and compared with the figure shown on Summary or By LA. If you "
        "edit an input, the recomputed figures change and their checks show FAIL against sr-cost's figures: "
        "re-run sr-cost to update them.",
        wrap_to=len(CHECK_COLUMNS),
    )
    master = put(ws, 3, 2, master_formula(checks), font=BIG)
    assert master.coordinate == MASTER_CELL
    put(ws, 3, 1, "All checks", font=BIG)
    master.alignment = Alignment(horizontal="center")
    pass_fail(ws, MASTER_CELL)
    put(ws, 3, 3, f"{len(checks)} figures", font=NOTE_FONT)
    put(ws, 4, 1, "Tolerance (£)", font=BOLD)
    assert put(ws, 4, 2, TOLERANCE_GBP, "0.000").coordinate == TOLERANCE_CELL
    put(ws, 4, 3, "half a penny: sr-cost's figures are rounded to the penny", font=NOTE_FONT)
    book.name("Tolerance", "Checks", f"${TOLERANCE_CELL[0]}${TOLERANCE_CELL[1:]}")
    t = SheetTable(ws, CHECK_COLUMNS, header_row=FIRST_CHECK_ROW - 1)
    previous = None
    for c in checks:
        assert t.next_row == c.row
        t.add(
            check_row(c, book.shown),
            top_border=c.figure != previous,
            formats={"recomputed": c.fmt, "sr_cost": c.fmt, "difference": DIFFERENCE},
        )
        previous = c.figure
    if checks:
        result = CHECK["result"]
        pass_fail(ws, f"{result}{FIRST_CHECK_ROW}:{result}{checks[-1].row}")
    t.finish()
    ws.column_dimensions["A"].width = max(ws.column_dimensions["A"].width or 0, 26)
