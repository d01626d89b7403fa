"""The rows of sheet Assumptions that the period the forms cover and each amount's price year add
(issue 16): the period, the forms' price year, the re-pricing factors, and the costing rules as
they read with a known period. ``audit.assumptions_sheet`` calls these in order."""

from __future__ import annotations

from sr_cost.core.estimate import Assumptions
from sr_cost.core.unit_costs import UnitCostTable
from sr_cost.excel.book import Book
from sr_cost.excel.cells import SheetTable


def table_shown(table: UnitCostTable) -> str:
    """A unit-cost table as the workbook names it: ``bundled: pssru_2019 (unit_costs/pssru_2019.csv)``,
    or the path a user gave."""
    return table.shown_as + (f" ({table.path})" if table.shown_as != table.path else "")


def period_row(book: Book, t: SheetTable, a: Assumptions, given: str) -> None:
    """The period the forms cover (named PeriodMonths for the formulas), when known."""
    if a.period_months is None:
        return
    row = t.add(
        {
            "parameter": "Period the forms cover",
            "value": a.period_months,
            "unit": "months",
            "source": ("--period-months" if "--period-months" in given else "the forms' about sheet")
            + "; steering lines tied to no round are costs of the period: a year's = their cost x 12 / period",
        }
    )
    book.name("PeriodMonths", "Assumptions", f"${t.letter('value')}${row}")


def price_rows(book: Book, ws, t: SheetTable, a: Assumptions, given: str) -> None:
    """The forms' price year and, when re-priced, the two factors (named for the formulas)."""
    prices = a.prices
    if prices is None:
        return
    t.add(
        {
            "parameter": "Forms' price year",
            "value": prices.forms_price_year,
            "unit": "year",
            "source": "of money typed into the forms (cost, an own rate) and of the mileage rate: "
            + (
                "--forms-price-year"
                if "--forms-price-year" in given
                else ("the forms' about sheet" if prices.mixed else "the unit-cost table's (the default)")
            ),
        }
    )
    if not book.repriced:
        return
    for name, label, value in (
        ("StaffTimeFactor", "Re-pricing factor of staff time", prices.staff_time_factor),
        ("FormsMoneyFactor", "Re-pricing factor of the forms' money", prices.forms_money_factor),
    ):
        row = t.add({"parameter": label, "value": value, "unit": "factor", "source": prices.describe()})
        ws.cell(row=row, column=t.index["value"]).number_format = "0.000000"
        book.name(name, "Assumptions", f"${t.letter('value')}${row}")


def costing_rules(a: Assumptions) -> list[tuple[str, str]]:
    """How a line, a round, the set-up and a year are costed, as the Assumptions sheet states them."""
    return [
        ("Line cost", "staff x hours x hourly rate + miles x mileage rate + direct cost"),
        ("Hourly rate", "the line's own rate if it gives one, else the unit cost of its role"),
        ("Set-up cost", "an LA and phase's training lines: direct = direct costs, indirect = staff time and mileage"),
        (
            "Panel and steering lines with no round",
            "spread evenly over the LA and phase's rounds"
            + (
                ""
                if a.period_months is None
                else " (per round); steering lines are costs of the period in the annual cost"
            ),
        ),
        ("Cost per attendee", "an LA's round costs ÷ its own recorded attendance (lines whose item is 'attendance')"),
        (
            "Annual cost",
            "rounds a year x the mean cost per round"
            if a.period_months is None
            else "an LA-phase's: rounds a year x its mean cost per round without the steering lines tied to no "
            "round, plus those x 12 ÷ the period; a phase's, a mode's and overall: the mean of their LAs'",
        ),
        ("Rounding", "exact decimals throughout; rounded half-up to the penny only when shown"),
    ]
