"""The ``sr-cost`` command line. Parse, call one library function, render, map errors to exit codes.

No arithmetic lives here. Heavy modules (pandas, openpyxl, the costing core) are imported inside
the commands, so ``sr-cost --help`` stays quick.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from sr_cost import __version__
from sr_cost.cli_common import PARAMS_HELP, UNIT_COSTS_HELP, OutputFormat, load_unit_costs, reported, reporting, state
from sr_cost.cli_unit_costs import unit_app

app = typer.Typer(
    # plain (Click) help: rich-rendered help costs about 90 ms of imports on every --help
    rich_markup_mode=None,
    name="sr-cost",
    help="What Schwartz Rounds cost a UK local authority, and what they may save.\n\n"
         "Costs follow the method of the 2021 trial in English children's services, with staff time "
         "priced from a unit-cost table (bundled: PSSRU 2019 method, 2019 prices).",
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(unit_app, name="unit-costs", short_help="The staff unit-cost table: list, explain, check or build it.")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"sr-cost {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Show the version and exit."),
    debug: bool = typer.Option(False, "--debug", help="Show a full traceback when something goes wrong."),
) -> None:
    """sr-cost: cost Schwartz Rounds from the trial's economic forms."""
    state.debug = debug


class AbsenceBasisOption(str, Enum):
    """What an hour of sickness absence costs."""

    unit_cost = "unit-cost"
    employer = "employer"
    salary = "salary"


HOURS_PER_DAY_OPT = typer.Option("7.5", "--hours-per-day", metavar="<number>", help="Hours in a day of sickness absence [hours/day].")
RECALL_MONTHS_OPT = typer.Option(6, "--recall-months", min=1, max=120,
                                 help="Months the survey's sick days cover [months].")
ABSENCE_BASIS_OPT = typer.Option(AbsenceBasisOption.unit_cost, "--absence-basis",
                                 help="Hourly cost of absence: unit-cost (salary + on-costs + overheads, as the "
                                      "report), employer (salary + on-costs) or salary.")
BOOTSTRAP_OPT = typer.Option(10_000, "--bootstrap", min=0, help="Bootstrap resamples for the intervals (0: none).")
SEED_OPT = typer.Option(2021, "--seed", help="Random seed of the bootstrap; the same seed repeats exactly.")


def _savings_assumptions(hours_per_day: str, recall_months: int, absence_basis: AbsenceBasisOption,
                         bootstrap: int, seed: int):
    from sr_cost.savings import SavingsAssumptions
    from sr_cost.survey import AbsenceBasis

    hours = _decimal_option(hours_per_day, "--hours-per-day")
    return SavingsAssumptions(hours_per_day=hours, recall_months=recall_months,
                              absence_basis=AbsenceBasis(absence_basis.value), bootstrap=bootstrap, seed=seed)


@contextmanager
def _bootstrap_progress():
    """A progress bar on stderr for a bootstrap that takes more than a moment (rich is imported
    only then: a run that writes JSON does not need it)."""
    state_: dict = {"task": None, "bar": None, "quiet": False}

    def update(done: int, total: int) -> None:
        if total < 20_000_000 or state_["quiet"]:
            return
        if state_["bar"] is None:
            from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

            console = reporting().stderr()
            if not console.is_terminal:
                state_["quiet"] = True
                return
            state_["bar"] = Progress(TextColumn("bootstrap"), BarColumn(), TimeRemainingColumn(), console=console,
                                     transient=True)
            state_["bar"].start()
            state_["task"] = state_["bar"].add_task("bootstrap", total=total)
        state_["bar"].update(state_["task"], completed=done)

    try:
        yield update
    finally:
        if state_["bar"] is not None:
            state_["bar"].stop()


def _decimal_option(value: Optional[str], name: str):
    from decimal import Decimal, InvalidOperation

    if value is None:
        return None
    try:
        number = Decimal(value.replace("£", "").strip())
    except InvalidOperation:
        raise typer.BadParameter(f"{value!r} is not a number", param_hint=name) from None
    if not number.is_finite() or number < 0:
        raise typer.BadParameter(f"{value!r} must be a number of zero or more", param_hint=name)
    return number


def _check_output(output: Optional[Path], inputs: list[Path]) -> None:
    from sr_cost.errors import UsageError

    if output is None:
        return
    target = output.resolve()
    for path in inputs:
        p = path.resolve()
        if target == p or (p.is_dir() and p in target.parents and target.suffix.lower() == ".csv"
                           and target.stem.lower() in ("training", "rounds", "panel", "steering", "survey", "staff")):
            raise UsageError(f"the output {output} is one of the inputs; choose another name")


def _run_forms(ctx: typer.Context, forms: Path, unit_costs: Optional[Path], params: Optional[Path],
               rounds_per_year: int, mileage_rate: Optional[str], encoding: str, assumptions,
               output: Optional[Path], excel: Optional[Path], *, require_survey: bool):
    """What `estimate` and `savings` share: refuse outputs that are inputs, cost the forms (with the
    savings when there is a survey), show the warnings and write the workbook."""
    from sr_cost.api import run_estimate
    from sr_cost.costing import DEFAULT_MILEAGE_RATE

    inputs = [forms] + ([unit_costs] if unit_costs else [])
    _check_output(output, inputs)
    _check_excel(excel, inputs + ([output] if output else []))
    rate = _decimal_option(mileage_rate, "--mileage-rate")
    with _bootstrap_progress() as progress:
        run = run_estimate(forms, unit_costs=unit_costs, params=params, rounds_per_year=rounds_per_year,
                           mileage_rate=DEFAULT_MILEAGE_RATE if rate is None else rate, encoding=encoding,
                           savings_assumptions=assumptions, progress=progress, require_survey=require_survey)
    if run.warnings:
        reporting().print_warnings(run.warnings)
    if excel is not None:
        _write_excel(excel, run, _command_line(ctx))
    return run


@app.command("estimate", short_help="Cost the forms: set-up, per round, per attendee, a year.")
def estimate_cmd(
    ctx: typer.Context,
    forms: Path = typer.Argument(..., help="The forms: an .xlsx workbook with sheets rounds (required), training, "
                                      "panel, steering and optionally survey and staff, or a folder of CSV "
                                      "files with the same names (rounds.csv, ...)."),
    unit_costs: Optional[Path] = typer.Option(None, "--unit-costs", help=UNIT_COSTS_HELP),
    params: Optional[Path] = typer.Option(None, "--params", help=PARAMS_HELP),
    rounds_per_year: int = typer.Option(12, "--rounds-per-year", min=1, max=365,
                                        help="Rounds a year, for the annual cost [rounds/year]."),
    mileage_rate: Optional[str] = typer.Option(None, "--mileage-rate", metavar="<number>",
                                               help="Mileage rate [£/mile]. Default 0.45, the report's rate."),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", "-f", help="table, csv or json."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the result to this file instead of the terminal."),
    excel: Optional[Path] = typer.Option(None, "--excel", help="Also write an auditable Excel workbook (.xlsx): "
                                         "figures, charts, every input line and formulas that recompute them."),
    encoding: str = typer.Option("utf-8-sig", "--encoding", help="Text encoding of CSV forms (e.g. cp1252 for older Excel)."),
    hours_per_day: str = HOURS_PER_DAY_OPT,
    recall_months: int = RECALL_MONTHS_OPT,
    absence_basis: AbsenceBasisOption = ABSENCE_BASIS_OPT,
    bootstrap: int = BOOTSTRAP_OPT,
    seed: int = SEED_OPT,
) -> None:
    """Cost Schwartz Rounds from the economic forms: set-up cost, cost per round by component,
    cost per attendee and annual cost, per LA and phase, by mode, per phase and overall. With a
    survey sheet, also the sickness-absence savings, net cost and break-even (see `savings`).

    Example: sr-cost estimate examples/trial --format json -o estimate.json
    """
    with reported():
        from sr_cost import export

        run = _run_forms(ctx, forms, unit_costs, params, rounds_per_year, mileage_rate, encoding,
                         _savings_assumptions(hours_per_day, recall_months, absence_basis, bootstrap, seed),
                         output, excel, require_survey=False)
        if fmt is OutputFormat.json:
            text = export.to_json(export.run_to_dict(run))
        elif fmt is OutputFormat.csv:
            text = export.estimate_csv(run.estimate)
        else:
            text = None

        def render(console):
            from sr_cost import reporting

            reporting.print_estimate(run.estimate, run.table, console)
            if run.savings is not None:
                console.print()  # the savings' tables start apart from the estimate's closing note
                reporting.print_savings(run.savings, console)

        _emit(text, output, render)


@app.command("savings", short_help="Sickness-absence savings, net cost and break-even (the survey).")
def savings_cmd(
    ctx: typer.Context,
    forms: Path = typer.Argument(..., help="The forms, with a survey sheet (and a staff sheet for the totals)."),
    unit_costs: Optional[Path] = typer.Option(None, "--unit-costs", help=UNIT_COSTS_HELP),
    params: Optional[Path] = typer.Option(None, "--params", help=PARAMS_HELP),
    rounds_per_year: int = typer.Option(12, "--rounds-per-year", min=1, max=365,
                                        help="Rounds a year, for the annual running cost [rounds/year]."),
    mileage_rate: Optional[str] = typer.Option(None, "--mileage-rate", metavar="<number>",
                                               help="Mileage rate [£/mile]. Default 0.45, the report's rate."),
    hours_per_day: str = HOURS_PER_DAY_OPT,
    recall_months: int = RECALL_MONTHS_OPT,
    absence_basis: AbsenceBasisOption = ABSENCE_BASIS_OPT,
    bootstrap: int = BOOTSTRAP_OPT,
    seed: int = SEED_OPT,
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", "-f", help="table, csv or json."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the result to this file instead of the terminal."),
    excel: Optional[Path] = typer.Option(None, "--excel", help="Also write an auditable Excel workbook (.xlsx), the "
                                         "same as estimate's: the costing, and sheet Savings with every respondent, "
                                         "Table 21 and the annual figures by formula."),
    encoding: str = typer.Option("utf-8-sig", "--encoding", help="Text encoding of CSV forms (e.g. cp1252 for older Excel)."),
) -> None:
    """Sickness-absence savings (report Table 21), net annual cost, break-even sick days, and
    bootstrap intervals that say how sure anyone can be.

    Example: sr-cost savings examples/trial --bootstrap 2000 --seed 7 --excel savings.xlsx
    """
    with reported():
        from sr_cost import export

        run = _run_forms(ctx, forms, unit_costs, params, rounds_per_year, mileage_rate, encoding,
                         _savings_assumptions(hours_per_day, recall_months, absence_basis, bootstrap, seed),
                         output, excel, require_survey=True)
        if fmt is OutputFormat.json:
            text = export.to_json(export.savings_only_dict(run))
        elif fmt is OutputFormat.csv:
            text = export.savings_csv(run.savings)
        else:
            text = None
        _emit(text, output, lambda console: reporting().print_savings(run.savings, console))


@app.command("template", short_help="Write a forms workbook to fill in (blank, or with an example).")
def template_cmd(
    path: Path = typer.Argument(..., help="Where to write the template workbook (.xlsx)."),
    example: bool = typer.Option(False, "--example", help="Fill the forms with one typical in-person round and "
                                                          "one typical virtual round, to change into a plan."),
    unit_costs: Optional[Path] = typer.Option(None, "--unit-costs", help=UNIT_COSTS_HELP + " Its roles make the "
                                                                                          "role drop-down."),
) -> None:
    """Write a workbook of the forms for an authority to fill in: the sheets training, rounds, panel,
    steering, survey and staff with their headers, instructions for every column, and drop-downs.
    `sr-cost estimate` reads it as it is.

    Example: sr-cost template forms.xlsx --example
    """
    with reported():
        from sr_cost.template import write_template

        _check_excel(path, [unit_costs] if unit_costs else [])
        table = load_unit_costs(unit_costs, None)
        write_template(path, table, example=example)
        typer.echo(f"Wrote {path}" + (" (with an example)" if example else "") + f": fill it in, then run "
                   f"sr-cost estimate {path}", err=True)


def _check_excel(excel: Optional[Path], inputs: list[Path]) -> None:
    """An Excel output must be .xlsx and none of the inputs (nor the other output)."""
    from sr_cost.errors import UsageError

    if excel is None:
        return
    if excel.suffix.lower() != ".xlsx":
        raise UsageError(f"the workbook {excel} must be named .xlsx (Excel and LibreOffice go by the name)")
    _check_output(excel, inputs)


def _command_line(ctx: typer.Context) -> str:
    """The command as typed, rebuilt from the options given on the command line (for provenance)."""
    import shlex

    words = ["sr-cost", *ctx.command_path.split()[1:]]
    for param in ctx.command.params:
        source = ctx.get_parameter_source(param.name)
        if source is None or source.name != "COMMANDLINE":
            continue
        value = ctx.params[param.name]
        value = value.value if isinstance(value, Enum) else value
        if param.param_type_name == "argument":
            words.append(str(value))
        elif isinstance(value, bool):
            words.append(param.opts[0] if value else (param.secondary_opts or param.opts)[0])
        else:
            words += [param.opts[0], str(value)]
    return shlex.join(words)


def _write_excel(path: Path, run, command: str) -> None:
    """The estimate's workbook, with sheet Savings when the run has savings (estimate and savings alike)."""
    from sr_cost import excel

    excel.write_workbook(path, run, command=command, savings=run.savings)
    typer.echo(f"Wrote {path}", err=True)


class CompareBy(str, Enum):
    """What the two options of one forms set are."""

    mode = "mode"
    phase = "phase"


class CompareFormat(str, Enum):
    """How ``compare`` prints its result."""

    table = "table"
    json = "json"


def _pair(value: Optional[str]) -> Optional[tuple[str, ...]]:
    return None if value is None else tuple(part.strip() for part in value.split(","))


@app.command("compare", short_help="In-person against virtual rounds, or two forms sets.")
def compare_cmd(
    forms: Path = typer.Argument(..., help="The forms (an .xlsx workbook or a folder of CSV files)."),
    forms_b: Optional[Path] = typer.Argument(None, help="A second forms set: compare the two sets, A against B."),
    by: Optional[CompareBy] = typer.Option(None, "--by", help="With one forms set: mode (in-person against "
                                                              "virtual rounds, the default) or phase."),
    phases: Optional[str] = typer.Option(None, "--phases", help="With --by phase: the two phases, e.g. 1,2 "
                                                                "(default: the forms' two phases)."),
    labels: Optional[str] = typer.Option(None, "--labels", help="Names of the two options, comma-separated, "
                                                                "e.g. \"plan A,plan B\"."),
    years: int = typer.Option(3, "--years", min=1, max=50,
                              help="Planning horizon [years]. Default 3, the usual appraisal period."),
    discount_rate: str = typer.Option("3.5", "--discount-rate", metavar="<number>", help="Discount rate [% a year]. Default 3.5, "
                                                                     "HM Treasury Green Book."),
    uplift_to: Optional[int] = typer.Option(None, "--uplift-to", help="Re-price every figure to this year's "
                                                                      "prices (with --index or --uplift)."),
    index: Optional[Path] = typer.Option(None, "--index", help="A price index, CSV or XLSX with columns "
                                                               "year,index (e.g. the PSSRU pay and prices index)."),
    uplift: Optional[str] = typer.Option(None, "--uplift", metavar="<number>", help="A flat uplift instead of an index [% a year]."),
    sensitivity: bool = typer.Option(False, "--sensitivity", help="Vary one assumption at a time (tornado) and "
                                                                  "find the break-even attendance."),
    fmt: CompareFormat = typer.Option(CompareFormat.table, "--format", "-f", help="table or json."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the result to this file instead of "
                                                                       "the terminal."),
    excel: Optional[Path] = typer.Option(None, "--excel", help="Also write an Excel workbook (.xlsx) with charts."),
    unit_costs: Optional[Path] = typer.Option(None, "--unit-costs", help=UNIT_COSTS_HELP),
    params: Optional[Path] = typer.Option(None, "--params", help=PARAMS_HELP),
    rounds_per_year: int = typer.Option(12, "--rounds-per-year", min=1, max=365,
                                        help="Rounds a year, for the annual cost [rounds/year]."),
    mileage_rate: Optional[str] = typer.Option(None, "--mileage-rate", metavar="<number>",
                                               help="Mileage rate [£/mile]. Default 0.45, the report's rate."),
    encoding: str = typer.Option("utf-8-sig", "--encoding", help="Text encoding of CSV forms (e.g. cp1252)."),
    hours_per_day: str = HOURS_PER_DAY_OPT,
    recall_months: int = RECALL_MONTHS_OPT,
    absence_basis: AbsenceBasisOption = ABSENCE_BASIS_OPT,
    bootstrap: int = BOOTSTRAP_OPT,
    seed: int = SEED_OPT,
) -> None:
    """The commissioner's view: in-person against virtual rounds (or two phases, or two forms sets)
    side by side, per round, per attendee, a year and over the planning horizon at present value,
    with savings where the forms have a survey, and with --sensitivity a tornado of what moves
    the answer.

    Example: sr-cost compare examples/trial --sensitivity --excel compare.xlsx
    """
    with reported():
        from sr_cost import compare_report, export, reporting
        from sr_cost.api import run_compare
        from sr_cost.costing import DEFAULT_MILEAGE_RATE

        inputs = [forms] + ([forms_b] if forms_b else []) + ([unit_costs] if unit_costs else []) \
            + ([index] if index else [])
        _check_output(output, inputs)
        _check_excel(excel, inputs + ([output] if output else []))
        rate = _decimal_option(mileage_rate, "--mileage-rate")
        discount = _decimal_option(discount_rate.rstrip().rstrip("%"), "--discount-rate")
        flat = _decimal_option(uplift.rstrip().rstrip("%"), "--uplift") if uplift is not None else None
        assumptions = _savings_assumptions(hours_per_day, recall_months, absence_basis, bootstrap, seed)
        with _bootstrap_progress() as progress:
            run = run_compare(forms, forms_b, by=by.value if by else None, phases=_pair(phases),
                              labels=_pair(labels), years=years, discount_rate_pct=discount, uplift_to=uplift_to,
                              index=index, uplift_pct=flat, sensitivity=sensitivity, unit_costs=unit_costs,
                              params=params, rounds_per_year=rounds_per_year,
                              mileage_rate=DEFAULT_MILEAGE_RATE if rate is None else rate, encoding=encoding,
                              savings_assumptions=assumptions, progress=progress)
        reporting.print_warnings(run.warnings)
        if excel is not None:
            from sr_cost.excel_compare import write_compare_workbook

            write_compare_workbook(excel, run)
            typer.echo(f"Wrote {excel}", err=True)
        text = export.to_json(compare_report.compare_to_dict(run)) if fmt is CompareFormat.json else None
        _emit(text, output, lambda console: compare_report.print_compare(run.comparison, console))


def _emit(text: Optional[str], output: Optional[Path], render) -> None:
    """Print ``text`` (or the rich rendering) to stdout, or write it to ``output`` atomically."""
    from sr_cost.outputs import write_text_atomic

    if text is None:
        if output is None:
            render(reporting().stdout())
            return
        from rich.console import Console
        import io

        buffer = io.StringIO()
        render(Console(file=buffer, width=120, no_color=True, highlight=False))
        text = buffer.getvalue()
    if output is None:
        sys.stdout.write(text)
    else:
        write_text_atomic(output, text)
        typer.echo(f"Wrote {output}", err=True)


def main() -> None:
    """Console entry point."""
    # A run is short and makes almost no reference cycles, but the cyclic collector would walk the
    # hundreds of thousands of records of a national run again and again (about a tenth of its
    # time): reference counting frees what is freed. Peak memory at national x10 is the same with
    # and without (benchmarks/RESULTS.md). The library itself leaves the collector alone.
    gc.disable()
    if hasattr(signal, "SIGPIPE"):
        # output to a reader that has gone (`sr-cost ... | head`) ends the process quietly, as it
        # ends other command-line tools (status 141 in the shell), not as a data error (1)
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    try:
        app()
    except SystemExit as done:
        _quit(done.code)
    _quit(0)


def _quit(code) -> None:
    """End the process with ``code`` once what it printed is flushed, without the interpreter's
    clean-up. By then every file sr-cost writes is closed (and renamed into place) and any second
    process reaped; what is left is freeing, one by one, every object of the run, which for a
    national run takes longer than printing its tables (about 0.12 s). A traceback (``--debug``)
    leaves the usual way, not through here."""
    if isinstance(code, str):  # sys.exit("message"): the message on stderr, status 1
        sys.stderr.write(code + "\n")
        code = 1
    code = 0 if code is None else code
    try:
        sys.stdout.flush()
    except (BrokenPipeError, ValueError):  # stdout closed, or (where there is no SIGPIPE) its reader gone
        code = code or 120  # Python's own status when it cannot flush stdout at exit
    try:
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):
        pass
    os._exit(code if isinstance(code, int) else 1)


if __name__ == "__main__":  # pragma: no cover
    main()
