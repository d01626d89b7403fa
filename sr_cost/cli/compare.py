"""``sr-cost compare``: the commissioner's view of two options."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

import typer

from sr_cost.cli.common import (
    ABSENCE_BASIS_OPT,
    AGENCY_RATE_OPT,
    BOOTSTRAP_OPT,
    FORMS_PRICE_YEAR_OPT,
    HOURS_PER_DAY_OPT,
    INDEX_OPT,
    MERGE_LABELS_OPT,
    MILEAGE_RATE_OPT,
    OUTPUT_HELP,
    PARAMS_OPT,
    PERIOD_MONTHS_OPT,
    QUIET_OPT,
    RECALL_MONTHS_OPT,
    ROUNDS_PER_YEAR_OPT,
    SEED_OPT,
    SHEET_OPT,
    UNIT_COSTS_OPT,
    UPLIFT_OPT,
    UPLIFT_TO_OPT,
    check_excel,
    check_output,
    emit,
    estimate_options,
    percent_number,
    reported,
    savings_assumptions,
    sheet_names,
)
from sr_cost.core.unit_costs import AbsenceBasis


class CompareBy(str, Enum):
    """What the two options of one forms set are."""

    mode = "mode"
    phase = "phase"


class CompareFormat(str, Enum):
    """How ``compare`` prints its result."""

    table = "table"
    json = "json"


def _pair(value: str | None) -> tuple[str, ...] | None:
    return None if value is None else tuple(part.strip() for part in value.split(","))


def compare_cmd(
    forms: Path = typer.Argument(..., help="The forms (an .xlsx workbook or a folder of CSV files)."),
    forms_b: Path | None = typer.Argument(None, help="A second forms set: compare the two sets, A against B."),
    by: CompareBy | None = typer.Option(
        None, "--by", help="With one forms set: mode (in-person against virtual rounds, the default) or phase."
    ),
    phases: str | None = typer.Option(
        None, "--phases", help="With --by phase: the two phases, e.g. 1,2 (default: the forms' two phases)."
    ),
    labels: str | None = typer.Option(
        None, "--labels", help='Names of the two options, comma-separated, e.g. "plan A,plan B".'
    ),
    years: int = typer.Option(
        3, "--years", min=1, max=50, help="Planning horizon [years]. Default 3, the usual appraisal period."
    ),
    discount_rate: str = typer.Option(
        "3.5",
        "--discount-rate",
        metavar="<number>",
        help="Discount rate [% a year]. Default 3.5, HM Treasury Green Book.",
    ),
    uplift_to: str | None = UPLIFT_TO_OPT,
    index: Path | None = INDEX_OPT,
    uplift: str | None = UPLIFT_OPT,
    sensitivity: bool = typer.Option(
        False, "--sensitivity", help="Vary one assumption at a time (tornado) and find the break-even attendance."
    ),
    fmt: CompareFormat = typer.Option(CompareFormat.table, "--format", "-f", help="table or json."),
    output: Path | None = typer.Option(None, "--output", "-o", help=OUTPUT_HELP),
    excel: Path | None = typer.Option(None, "--excel", help="Also write an Excel workbook (.xlsx) with charts."),
    unit_costs: Path | None = UNIT_COSTS_OPT,
    params: Path | None = PARAMS_OPT,
    rounds_per_year: int | None = ROUNDS_PER_YEAR_OPT,
    period_months: int | None = PERIOD_MONTHS_OPT,
    mileage_rate: str | None = MILEAGE_RATE_OPT,
    forms_price_year: str | None = FORMS_PRICE_YEAR_OPT,
    encoding: str = typer.Option("utf-8-sig", "--encoding", help="Text encoding of CSV forms (e.g. cp1252)."),
    hours_per_day: str = HOURS_PER_DAY_OPT,
    recall_months: int = RECALL_MONTHS_OPT,
    absence_basis: AbsenceBasis = ABSENCE_BASIS_OPT,
    agency_rate: str | None = AGENCY_RATE_OPT,
    bootstrap: int = BOOTSTRAP_OPT,
    seed: int = SEED_OPT,
    quiet: bool = QUIET_OPT,
    sheet: list[str] | None = SHEET_OPT,
    merge_labels: bool = MERGE_LABELS_OPT,
) -> None:
    """The commissioner's view: in-person against virtual rounds (or two phases, or two forms sets)
    side by side, per round, per attendee, a year and over the planning horizon at present value,
    with savings where the forms have a survey, and with --sensitivity a tornado of what moves
    the answer.

    Example: sr-cost compare examples/trial --sensitivity --excel compare.xlsx
    """
    with reported():
        from sr_cost.api import input_files, run_compare
        from sr_cost.outputs import json_compare, json_csv
        from sr_cost.outputs.progress import progress_bars, shows_progress

        sheets = sheet_names(sheet)
        inputs = input_files(
            [forms] + ([forms_b] if forms_b else []), unit_costs=unit_costs, params=params, index=index, sheets=sheets
        )
        check_output(output, inputs)
        check_excel(excel, inputs, output)
        options = estimate_options(
            unit_costs=unit_costs,
            params=params,
            rounds_per_year=rounds_per_year,
            mileage_rate=mileage_rate,
            period_months=period_months,
            forms_price_year=forms_price_year,
            uplift_to=uplift_to,
            index=index,
            uplift=uplift,
            encoding=encoding,
            assumptions=savings_assumptions(
                hours_per_day,
                recall_months,
                absence_basis,
                bootstrap,
                seed,
                agency_rate=agency_rate,
                years=years,
                discount_rate=discount_rate or "3.5",
            ),
        )
        shown = shows_progress(quiet=quiet, to_stdout=output is None, table=fmt is CompareFormat.table)
        with progress_bars(shown) as progress:
            run = run_compare(
                forms,
                forms_b,
                by=by.value if by else None,
                phases=_pair(phases),
                labels=_pair(labels),
                years=years,
                discount_rate_pct=percent_number(discount_rate, "--discount-rate"),
                sensitivity=sensitivity,
                progress=progress,
                sheets=sheets,
                merge_labels=merge_labels,
                **options,
            )
        if run.warnings:
            from sr_cost.outputs.terminal import print_warnings

            print_warnings(run.warnings)
        workbook = None
        if excel is not None:
            from sr_cost.excel.compare import compare_workbook_writer

            workbook = (excel, compare_workbook_writer(run))
        text = json_csv.to_json(json_compare.compare_to_dict(run)) if fmt is CompareFormat.json else None

        def render(console):
            from sr_cost.outputs.terminal_compare import print_compare

            print_compare(run.comparison, console)

        emit(text, output, render, workbook, progress_shown=shown)
