"""``sr-cost report`` (a report for a committee, HTML or Word) and ``sr-cost explain`` (how one
figure is made, down to the input lines)."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

import typer

from sr_cost.cli.common import (
    ABSENCE_BASIS_OPT,
    BOOTSTRAP_OPT,
    ENCODING_OPT,
    FORMS_HELP,
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
    check_output,
    command_line,
    decimal_option,
    emit,
    estimate_options,
    reported,
    savings_assumptions,
    sheet_names,
)
from sr_cost.core.unit_costs import AbsenceBasis

REPORT_SUFFIXES = {".html": "html", ".htm": "html", ".docx": "docx"}


class ExplainFormat(str, Enum):
    """How ``explain`` prints its tree."""

    table = "table"
    json = "json"


def report_cmd(
    ctx: typer.Context,
    forms: Path = typer.Argument(..., help=FORMS_HELP),
    output: Path = typer.Option(
        ..., "--output", "-o", help="The report to write: .html (a web page that prints on A4) or .docx (Word)."
    ),
    years: int = typer.Option(3, "--years", min=1, max=50, help="Planning horizon [years], as compare's."),
    discount_rate: str = typer.Option(
        "3.5", "--discount-rate", metavar="<number>", help="Discount rate [% a year]. Default 3.5, HM Treasury."
    ),
    unit_costs: Path | None = UNIT_COSTS_OPT,
    params: Path | None = PARAMS_OPT,
    rounds_per_year: int | None = ROUNDS_PER_YEAR_OPT,
    period_months: int | None = PERIOD_MONTHS_OPT,
    mileage_rate: str | None = MILEAGE_RATE_OPT,
    forms_price_year: str | None = FORMS_PRICE_YEAR_OPT,
    uplift_to: str | None = UPLIFT_TO_OPT,
    index: Path | None = INDEX_OPT,
    uplift: str | None = UPLIFT_OPT,
    encoding: str = ENCODING_OPT,
    hours_per_day: str = HOURS_PER_DAY_OPT,
    recall_months: int = RECALL_MONTHS_OPT,
    absence_basis: AbsenceBasis = ABSENCE_BASIS_OPT,
    bootstrap: int = BOOTSTRAP_OPT,
    seed: int = SEED_OPT,
    quiet: bool = QUIET_OPT,
    sheet: list[str] | None = SHEET_OPT,
    merge_labels: bool = MERGE_LABELS_OPT,
) -> None:
    """A report for a committee: what the rounds cost (set-up, per round, per attendee, a year and
    over the horizon), in person against virtual, what they may save and how sure that is, what
    moves the answer, charts, and a methods appendix (CHEERS 2022) with the provenance. The format
    follows the suffix of --output: .html (works offline, prints on A4) or .docx.

    Example: sr-cost report examples/trial -o report.html
    """
    with reported():
        from sr_cost.api import input_files, run_report
        from sr_cost.errors import UsageError, visible
        from sr_cost.outputs.progress import progress_bars, shows_progress

        kind = REPORT_SUFFIXES.get(output.suffix.lower())
        if kind is None:
            raise UsageError(f"the report {output} must be named .html or .docx (the format follows the suffix)")
        sheets = sheet_names(sheet)
        check_output(
            output, input_files([forms], unit_costs=unit_costs, params=params, index=index, sheets=sheets), "report"
        )
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
            assumptions=savings_assumptions(hours_per_day, recall_months, absence_basis, bootstrap, seed),
        )
        with progress_bars(shows_progress(quiet=quiet, to_stdout=False, table=False)) as progress:
            run = run_report(
                forms,
                years=years,
                discount_rate_pct=decimal_option(discount_rate.rstrip().rstrip("%"), "--discount-rate"),
                progress=progress,
                sheets=sheets,
                merge_labels=merge_labels,
                **options,
            )
        if run.estimate.warnings:
            from sr_cost.outputs.terminal import print_warnings

            print_warnings(run.estimate.warnings)
        from sr_cost.outputs.json_effect import plane_points
        from sr_cost.outputs.report import build_report

        report = build_report(run, command_line(ctx), plane_points(run.estimate.cost_effectiveness))
        if kind == "html":
            from sr_cost.outputs.files import write_text_atomic
            from sr_cost.outputs.report_html import render_html

            write_text_atomic(output, render_html(report))
        else:
            from sr_cost.outputs.report_docx import write_docx

            write_docx(output, report)
        typer.echo(f"Wrote {visible(str(output))}", err=True)


def explain_cmd(
    forms: Path = typer.Argument(..., help=FORMS_HELP),
    figure: str | None = typer.Argument(
        None,
        help='The figure: its name ("LA4 phase 1 panel per round") or its path in the estimate\'s JSON '
        "(las[la=LA4,phase=1].per_round.panel). Left out: list every figure.",
    ),
    fmt: ExplainFormat = typer.Option(ExplainFormat.table, "--format", "-f", help="table (a tree) or json."),
    output: Path | None = typer.Option(None, "--output", "-o", help=OUTPUT_HELP),
    depth: int | None = typer.Option(
        None, "--depth", min=1, help="Levels of the tree to show below the figure (table only; default all)."
    ),
    unit_costs: Path | None = UNIT_COSTS_OPT,
    params: Path | None = PARAMS_OPT,
    rounds_per_year: int | None = ROUNDS_PER_YEAR_OPT,
    period_months: int | None = PERIOD_MONTHS_OPT,
    mileage_rate: str | None = MILEAGE_RATE_OPT,
    forms_price_year: str | None = FORMS_PRICE_YEAR_OPT,
    uplift_to: str | None = UPLIFT_TO_OPT,
    index: Path | None = INDEX_OPT,
    uplift: str | None = UPLIFT_OPT,
    encoding: str = ENCODING_OPT,
    hours_per_day: str = HOURS_PER_DAY_OPT,
    recall_months: int = RECALL_MONTHS_OPT,
    absence_basis: AbsenceBasis = ABSENCE_BASIS_OPT,
    sheet: list[str] | None = SHEET_OPT,
    merge_labels: bool = MERGE_LABELS_OPT,
) -> None:
    """How one figure is made, as a tree down to the input lines: each level's formula, value and
    parts; the leaves are form lines (file, sheet, row) and unit costs derived from salaries.

    Example: sr-cost explain examples/trial "LA4 phase 1 panel per round"
    """
    with reported():
        from sr_cost.api import explain_figure, explainable_figures, input_files
        from sr_cost.outputs import json_csv

        sheets = sheet_names(sheet)
        check_output(output, input_files([forms], unit_costs=unit_costs, params=params, index=index, sheets=sheets))
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
            assumptions=savings_assumptions(hours_per_day, recall_months, absence_basis, 0, 2021),
        )
        options.update(sheets=sheets, merge_labels=merge_labels)
        if figure is None:
            found = explainable_figures(forms, **options)
            if fmt is ExplainFormat.json:
                text = json_csv.to_json({"figures": [{"name": f.name, "path": f.path} for f in found]})
            else:
                text = "".join(f"{f.name}\t{f.path}\n" for f in found)
            emit(text, output, lambda console: None)
            return
        tree = explain_figure(forms, figure, **options)
        from sr_cost.outputs import explain_out

        text = json_csv.to_json(explain_out.tree_to_dict(tree)) if fmt is ExplainFormat.json else None
        emit(text, output, lambda console: explain_out.print_tree(tree, console, depth))
