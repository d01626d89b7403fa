"""``sr-cost estimate``, ``sr-cost savings`` and ``sr-cost template``: the commands of one forms set."""

from __future__ import annotations

from pathlib import Path

import typer

from sr_cost.cli.common import (
    ABSENCE_BASIS_OPT,
    AGENCY_RATE_OPT,
    BETTER_OPT,
    BOOTSTRAP_OPT,
    DISCOUNT_RATE_OPT,
    ENCODING_OPT,
    FORMS_HELP,
    FORMS_PRICE_YEAR_OPT,
    HOURS_PER_DAY_OPT,
    INDEX_OPT,
    MERGE_LABELS_OPT,
    MILEAGE_RATE_OPT,
    OUTCOME_OPT,
    OUTPUT_HELP,
    PARAMS_OPT,
    PERIOD_MONTHS_OPT,
    QUIET_OPT,
    RECALL_MONTHS_OPT,
    ROUNDS_PER_YEAR_OPT,
    SEED_OPT,
    SHEET_OPT,
    UNIT_COSTS_HELP,
    UNIT_COSTS_OPT,
    UPLIFT_OPT,
    UPLIFT_TO_OPT,
    WTP_CASE_OPT,
    WTP_OPT,
    YEARS_OPT,
    OutputFormat,
    check_excel,
    check_output,
    command_line,
    effect_assumptions,
    emit,
    estimate_options,
    reported,
    savings_assumptions,
    sheet_names,
)
from sr_cost.core.better import Better
from sr_cost.core.unit_costs import AbsenceBasis


def _run_forms(
    ctx: typer.Context,
    forms: Path,
    options: dict,
    output: Path | None,
    excel: Path | None,
    sheet: list[str] | None,
    merge_labels: bool,
    *,
    require_survey: bool,
    progress_shown: bool,
):
    """What `estimate` and `savings` share: refuse outputs that are not files or are inputs, cost
    the forms (with the savings when there is a survey), show the warnings, with progress bars when
    ``progress_shown``. ``options``: the keyword arguments of ``api.run_estimate``
    (``common.estimate_options``). Returns the run and the workbook to write (path and writer), if
    any: ``emit`` writes every output together (with the workbook's progress bars)."""
    from sr_cost.api import input_files, run_estimate
    from sr_cost.outputs.progress import progress_bars

    sheets = sheet_names(sheet)
    inputs = input_files(
        [forms], unit_costs=options["unit_costs"], params=options["params"], index=options["index"], sheets=sheets
    )
    check_output(output, inputs)
    check_excel(excel, inputs, output)
    with progress_bars(progress_shown) as progress:
        run = run_estimate(
            forms, progress=progress, require_survey=require_survey, sheets=sheets, merge_labels=merge_labels, **options
        )
    if run.warnings:
        from sr_cost.outputs.terminal import print_warnings

        print_warnings(run.warnings)
    if excel is None:
        return run, None
    from sr_cost.excel.workbook import workbook_writer

    with progress_bars(progress_shown) as progress:  # the long tables' rows are written as XML now
        write = workbook_writer(run, command=command_line(ctx), savings=run.savings, progress=progress)
    return run, (excel, write)  # and put into the file by ``emit`` (with its own bars)


def estimate_cmd(
    ctx: typer.Context,
    forms: Path = typer.Argument(..., help=FORMS_HELP),
    unit_costs: Path | None = UNIT_COSTS_OPT,
    params: Path | None = PARAMS_OPT,
    rounds_per_year: int | None = ROUNDS_PER_YEAR_OPT,
    period_months: int | None = PERIOD_MONTHS_OPT,
    mileage_rate: str | None = MILEAGE_RATE_OPT,
    forms_price_year: str | None = FORMS_PRICE_YEAR_OPT,
    uplift_to: str | None = UPLIFT_TO_OPT,
    index: Path | None = INDEX_OPT,
    uplift: str | None = UPLIFT_OPT,
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", "-f", help="table, csv or json."),
    output: Path | None = typer.Option(None, "--output", "-o", help=OUTPUT_HELP),
    excel: Path | None = typer.Option(
        None,
        "--excel",
        help="Also write an auditable Excel workbook (.xlsx): "
        "figures, charts, every input line and formulas that recompute them.",
    ),
    encoding: str = ENCODING_OPT,
    hours_per_day: str = HOURS_PER_DAY_OPT,
    recall_months: int = RECALL_MONTHS_OPT,
    absence_basis: AbsenceBasis = ABSENCE_BASIS_OPT,
    agency_rate: str | None = AGENCY_RATE_OPT,
    bootstrap: int = BOOTSTRAP_OPT,
    seed: int = SEED_OPT,
    years: int = YEARS_OPT,
    discount_rate: str = DISCOUNT_RATE_OPT,
    sheet: list[str] | None = SHEET_OPT,
    merge_labels: bool = MERGE_LABELS_OPT,
    outcome: str | None = OUTCOME_OPT,
    better: Better | None = BETTER_OPT,
    wtp: str | None = WTP_OPT,
    wtp_case: str | None = WTP_CASE_OPT,
    quiet: bool = QUIET_OPT,
) -> None:
    """Cost Schwartz Rounds from the economic forms: set-up cost, cost per round by component,
    cost per attendee and annual cost, per LA and phase, by mode, per phase and overall. With a
    survey sheet, also the sickness-absence savings, net cost and break-even (see `savings`).

    Example: sr-cost estimate examples/trial --format json -o estimate.json
    """
    with reported():
        from sr_cost.outputs import json_csv, json_savings
        from sr_cost.outputs.progress import shows_progress

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
                discount_rate=discount_rate,
            ),
        )
        options.update(outcome=outcome, better=better, effect=effect_assumptions(wtp, wtp_case))
        shown = shows_progress(quiet=quiet, to_stdout=output is None, table=fmt is OutputFormat.table)
        run, workbook = _run_forms(
            ctx, forms, options, output, excel, sheet, merge_labels, require_survey=False, progress_shown=shown
        )
        if fmt is OutputFormat.json:
            text = json_csv.to_json(json_savings.run_to_dict(run))
        elif fmt is OutputFormat.csv:
            text = json_csv.estimate_csv(run.estimate)
        else:
            text = None

        def render(console):
            from sr_cost.outputs import terminal_estimate, terminal_savings

            terminal_estimate.print_estimate(run.estimate, run.table, console)
            if run.savings is not None:
                console.print()  # the savings' tables start apart from the estimate's closing note
                terminal_savings.print_savings(run.savings, console)
            if run.cost_effectiveness is not None:
                from sr_cost.outputs.terminal_effect import print_effectiveness

                console.print()
                print_effectiveness(run.cost_effectiveness, console)

        emit(text, output, render, workbook, progress_shown=shown)


def savings_cmd(
    ctx: typer.Context,
    forms: Path = typer.Argument(..., help="The forms, with a survey sheet (and a staff sheet for the totals)."),
    unit_costs: Path | None = UNIT_COSTS_OPT,
    params: Path | None = PARAMS_OPT,
    rounds_per_year: int | None = ROUNDS_PER_YEAR_OPT,
    period_months: int | None = PERIOD_MONTHS_OPT,
    mileage_rate: str | None = MILEAGE_RATE_OPT,
    forms_price_year: str | None = FORMS_PRICE_YEAR_OPT,
    uplift_to: str | None = UPLIFT_TO_OPT,
    index: Path | None = INDEX_OPT,
    uplift: str | None = UPLIFT_OPT,
    hours_per_day: str = HOURS_PER_DAY_OPT,
    recall_months: int = RECALL_MONTHS_OPT,
    absence_basis: AbsenceBasis = ABSENCE_BASIS_OPT,
    agency_rate: str | None = AGENCY_RATE_OPT,
    bootstrap: int = BOOTSTRAP_OPT,
    seed: int = SEED_OPT,
    years: int = YEARS_OPT,
    discount_rate: str = DISCOUNT_RATE_OPT,
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", "-f", help="table, csv or json."),
    output: Path | None = typer.Option(None, "--output", "-o", help=OUTPUT_HELP),
    excel: Path | None = typer.Option(
        None,
        "--excel",
        help="Also write an auditable Excel workbook (.xlsx), the "
        "same as estimate's: the costing, and sheet Savings with every respondent, "
        "Table 21 and the annual figures by formula.",
    ),
    encoding: str = ENCODING_OPT,
    sheet: list[str] | None = SHEET_OPT,
    merge_labels: bool = MERGE_LABELS_OPT,
    outcome: str | None = OUTCOME_OPT,
    better: Better | None = BETTER_OPT,
    wtp: str | None = WTP_OPT,
    wtp_case: str | None = WTP_CASE_OPT,
    quiet: bool = QUIET_OPT,
) -> None:
    """Sickness-absence savings (report Table 21), net annual cost, break-even sick days, and
    bootstrap intervals that say how sure anyone can be.

    Example: sr-cost savings examples/trial --bootstrap 2000 --seed 7 --excel savings.xlsx
    """
    with reported():
        from sr_cost.outputs import json_csv, json_savings
        from sr_cost.outputs.progress import shows_progress

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
                discount_rate=discount_rate,
            ),
        )
        options.update(outcome=outcome, better=better, effect=effect_assumptions(wtp, wtp_case))
        shown = shows_progress(quiet=quiet, to_stdout=output is None, table=fmt is OutputFormat.table)
        run, workbook = _run_forms(
            ctx, forms, options, output, excel, sheet, merge_labels, require_survey=True, progress_shown=shown
        )
        if fmt is OutputFormat.json:
            text = json_csv.to_json(json_savings.savings_only_dict(run))
        elif fmt is OutputFormat.csv:
            text = json_savings.savings_csv(run.savings)
        else:
            text = None

        def render(console):
            from sr_cost.outputs.terminal_savings import print_savings

            print_savings(run.savings, console)
            if run.cost_effectiveness is not None:
                from sr_cost.outputs.terminal_effect import print_effectiveness

                console.print()
                print_effectiveness(run.cost_effectiveness, console)

        emit(text, output, render, workbook, progress_shown=shown)


def template_cmd(
    path: Path = typer.Argument(..., help="Where to write the template workbook (.xlsx)."),
    example: bool = typer.Option(
        False,
        "--example",
        help="Fill the forms with one typical in-person round and one typical virtual round, to change into a plan.",
    ),
    unit_costs: Path | None = typer.Option(
        None, "--unit-costs", help=UNIT_COSTS_HELP + " Its roles make the role drop-down."
    ),
) -> None:
    """Write a workbook of the forms for an authority to fill in: the sheets training, rounds, panel,
    steering, survey and staff with their headers, instructions for every column, and drop-downs.
    `sr-cost estimate` reads it as it is.

    Example: sr-cost template forms.xlsx --example
    """
    with reported():
        from sr_cost.api import input_files, unit_cost_table
        from sr_cost.errors import visible
        from sr_cost.excel.template import write_template

        check_excel(path, input_files([], unit_costs=unit_costs) if unit_costs else [], given="sr-cost template -")
        write_template(path, unit_cost_table(unit_costs), example=example)
        typer.echo(
            visible(
                f"Wrote {path}" + (" (with an example)" if example else "") + f": fill it in, then run "
                f"sr-cost estimate {path}"
            ),
            err=True,
        )
