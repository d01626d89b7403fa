"""The forms' optional ``about`` sheet (``about.csv`` in a folder): ``key,value`` rows that say what
the forms are. Validated here into the core's ``FormsAbout``; every problem at once.

| key | value |
|---|---|
| ``period_months`` | the months the forms cover, a whole number from 1 to 120 |
| ``price_year`` | the price year of the money typed into the forms: ``2025``, or ``2025/26`` (read as 2025) |
| ``title`` | free text: what the forms are |
"""

from __future__ import annotations

from decimal import Decimal

from sr_cost.core.lines import FormsAbout
from sr_cost.core.prices import read_year
from sr_cost.core.run_options import MAX_PERIOD_MONTHS
from sr_cost.errors import Problem, ProblemCollector
from sr_cost.inputs.cell_values import check_columns, text_label, text_problem
from sr_cost.inputs.forms import ABOUT_SHEET, FormsBundle
from sr_cost.inputs.tables import RawTable, nonblank
from sr_cost.money import parse_number

ABOUT_COLUMNS = ("key", "value")
ABOUT_KEYS = {
    "period_months": "the months the forms cover, a whole number from 1 to 120, e.g. 12",
    "price_year": "the price year of the money typed into the forms, e.g. 2025 or 2025/26",
    "title": "free text: what the forms are, e.g. 'Plan for 2025/26'",
}


def validate_about(bundle: FormsBundle) -> tuple[FormsAbout, tuple[Problem, ...]]:
    """What the forms' ``about`` sheet says (nothing, when they have none), and its warnings; every
    problem at once."""
    raw = bundle.tables.get(ABOUT_SHEET)
    problems = ProblemCollector()
    for problem in bundle.read_problems_of((ABOUT_SHEET,)):
        problems.add_read(problem)
    found = {}
    if raw is not None and check_columns(raw, ABOUT_COLUMNS, ABOUT_COLUMNS, problems):
        found = _about(raw, problems)
    problems.raise_if_errors()
    return FormsAbout(**found), tuple(problems.warnings)


def _about(raw: RawTable, problems: ProblemCollector) -> dict:
    found: dict = {}
    seen: dict[str, int] = {}
    notes: list[str] = []
    for r in raw.rows:
        key_cell, value = r.values.get("key"), r.values.get("value")
        key = text_label(key_cell).strip().lower().replace(" ", "_")
        if not key and not nonblank(value):
            continue
        if key not in ABOUT_KEYS:
            problems.add(
                raw.problem(
                    "is not a key the about sheet takes" if key else "the key is blank",
                    row=r.row,
                    column="key",
                    value=key_cell,
                    fix="Use one of: " + "; ".join(f"{k} ({what})" for k, what in ABOUT_KEYS.items()),
                )
            )
            continue
        if key in seen:
            problems.add(
                raw.problem(
                    f"{key} is given twice (first on row {seen[key]})",
                    row=r.row,
                    column="key",
                    value=key_cell,
                    fix="Keep one row per key",
                )
            )
            continue
        seen[key] = r.row
        if not nonblank(value):
            continue  # a key left blank says nothing (the template lists every key)
        if key == "title":
            wrong = text_problem(value)
            if wrong is not None:  # a title reaches the workbook, the report and the terminal
                problems.add(raw.problem(f"title {wrong[0]}", row=r.row, column="value", value=wrong[2], fix=wrong[1]))
            else:
                found["title"] = text_label(value)
        elif key == "period_months":
            try:
                months = parse_number(value)
            except ValueError as exc:
                months, reason = None, str(exc)
            else:
                reason = "is not a whole number of months from 1 to 120"
            if months is None or months != months.to_integral_value() or not 1 <= months <= MAX_PERIOD_MONTHS:
                problems.add(
                    raw.problem(
                        f"period_months {reason}",
                        row=r.row,
                        column="value",
                        value=value,
                        fix="Write the months the forms cover as a whole number, e.g. 12 for a year's plan",
                    )
                )
            else:
                found["period_months"] = int(months)
        else:
            try:
                year, note = read_year(value if not isinstance(value, Decimal) else str(value))
            except ValueError as exc:
                problems.add(
                    raw.problem(
                        f"price_year {exc}",
                        row=r.row,
                        column="value",
                        value=value,
                        fix="Write the year the forms' money is priced in: 2025, or 2025/26 for a financial year",
                    )
                )
            else:
                found["price_year"] = year
                if note:
                    notes.append(f"{note} (about sheet)")
    if notes:
        found["notes"] = tuple(notes)
    return found
