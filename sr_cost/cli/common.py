"""What the ``sr-cost`` commands share: output formats, the --debug state, the options the forms
commands have in common, checking output paths, turning domain errors into messages and exit codes,
and writing a result to the terminal or a file. Imports Typer, not the costing core, pandas or
openpyxl: ``sr-cost --help`` stays quick."""

from __future__ import annotations

import io
import os
import shlex
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
from enum import Enum
from pathlib import Path

import typer

from sr_cost.core.unit_costs import AbsenceBasis
from sr_cost.errors import visible

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2
FORM_FILES = ("training", "rounds", "panel", "steering", "survey", "staff", "about")  # a folder's form files


class OutputFormat(str, Enum):
    """How a command prints its result."""

    table = "table"
    csv = "csv"
    json = "json"


class _State:
    debug = False


state = _State()

UNIT_COSTS_HELP = (
    "The unit-cost table: 2019 (the default: the bundled table of the trial report, 2019 prices), 2025 (the "
    "bundled table at 2025/26 prices), or a file (CSV or XLSX: role,salary[,on_costs,overheads,unit_cost_hour])."
)
PARAMS_HELP = (
    "Parameters TOML for the table, or a bundled table's by its price year (2019, 2025). Default: the .toml "
    "beside the table with the same stem, else the 2019 parameters."
)
FORMS_HELP = (
    "The forms: an .xlsx workbook with sheets rounds (required), training, panel, steering and optionally "
    "survey and staff, or a folder of CSV files with the same names (rounds.csv, ...)."
)
OUTPUT_HELP = "Write the result to this file instead of the terminal."
ENCODING_HELP = "Text encoding of CSV forms (e.g. cp1252 for older Excel)."

# the options of the commands that read forms (estimate, savings, compare)
UNIT_COSTS_OPT = typer.Option(None, "--unit-costs", help=UNIT_COSTS_HELP)
PARAMS_OPT = typer.Option(None, "--params", help=PARAMS_HELP)
ROUNDS_PER_YEAR_OPT = typer.Option(
    None,
    "--rounds-per-year",
    min=1,
    max=365,
    help="Rounds a year, for the annual cost [rounds/year]. Default: each LA-phase's own rounds x 12 / the "
    "period when the period is known (--period-months or the forms' about sheet), else 12 (the report's).",
)
PERIOD_MONTHS_OPT = typer.Option(
    None,
    "--period-months",
    min=1,
    max=120,
    help="The months the forms cover [months] (default: the forms' about sheet, if it says). Then rounds a "
    "year are the forms' own and steering lines tied to no round are costs of the period.",
)
FORMS_PRICE_YEAR_OPT = typer.Option(
    None,
    "--forms-price-year",
    metavar="YEAR",
    help="The price year of money typed into the forms (cost, rate) and of the mileage rate, e.g. 2025 or "
    "2025/26 (default: the forms' about sheet, else the unit-cost table's).",
)
UPLIFT_TO_OPT = typer.Option(
    None,
    "--uplift-to",
    metavar="YEAR",
    help="Re-price every amount from its own price year to this year's prices (with --index or --uplift), "
    "e.g. 2025 or 2025/26.",
)
INDEX_OPT = typer.Option(
    None,
    "--index",
    help="A price index, CSV or XLSX with columns year,index (e.g. the PSSRU pay and prices index).",
)
UPLIFT_OPT = typer.Option(None, "--uplift", metavar="<number>", help="A flat uplift instead of an index [% a year].")
MILEAGE_RATE_OPT = typer.Option(
    None, "--mileage-rate", metavar="<number>", help="Mileage rate [£/mile]. Default 0.45, the report's rate."
)
ENCODING_OPT = typer.Option("utf-8-sig", "--encoding", help=ENCODING_HELP)
HOURS_PER_DAY_OPT = typer.Option(
    "7.5", "--hours-per-day", metavar="<number>", help="Hours in a day of sickness absence [hours/day]."
)
RECALL_MONTHS_OPT = typer.Option(
    6, "--recall-months", min=1, max=120, help="Months the survey's sick days cover [months]."
)
ABSENCE_BASIS_OPT = typer.Option(
    AbsenceBasis.employer,
    "--absence-basis",
    help="What an hour of sickness absence costs: employer (salary + on-costs, the default: what the employer "
    "pays for an hour lost), salary, unit-cost (with overheads: the basis that rebuilds the report's Table 21) "
    "or agency (--agency-rate).",
)
AGENCY_RATE_OPT = typer.Option(
    None, "--agency-rate", metavar="<number>", help="Agency cover's hourly rate [£/hour]: adds the agency basis."
)
YEARS_OPT = typer.Option(
    3, "--years", min=1, max=50, help="Planning horizon [years]. Default 3, the usual appraisal period."
)
DISCOUNT_RATE_OPT = typer.Option(
    "3.5", "--discount-rate", metavar="<number>", help="Discount rate [% a year]. Default 3.5, HM Treasury Green Book."
)
BOOTSTRAP_OPT = typer.Option(10_000, "--bootstrap", min=0, help="Bootstrap resamples for the intervals (0: none).")
SEED_OPT = typer.Option(2021, "--seed", help="Random seed of the bootstrap; the same seed repeats exactly.")
QUIET_OPT = typer.Option(
    False,
    "--quiet",
    "-q",
    help="No progress bars. (They are shown only on a terminal, for steps that take seconds, and never "
    "when JSON or CSV goes to standard output or the output is piped.)",
)
SHEET_OPT = typer.Option(
    None,
    "--sheet",
    metavar="FORM=NAME",
    help="The sheet (or CSV file) that holds a form whose name is not the form's, e.g. --sheet training=\"Training "
    '2025"; --sheet staff= says the forms have no staff form (a sheet named like it is then not read). '
    "May be given for each form.",
)
MERGE_LABELS_OPT = typer.Option(
    False,
    "--merge-labels",
    help="Count LA and phase labels that differ only by case, spacing or leading zeros (LA1, la1; 01, 1) as "
    "one, spelt as first written (default: an error naming both).",
)
OUTCOME_OPT = typer.Option(
    None,
    "--outcome",
    metavar="COLUMN",
    help="A numeric column of the survey to cost-effect as well as ghq12 and ghq12_caseness (read without it); "
    "needs --better. Its baseline, if any, is COLUMN_baseline.",
)
BETTER_OPT = typer.Option(None, "--better", help="Which way --outcome's column is better: lower or higher.")
WTP_OPT = typer.Option(
    None,
    "--wtp",
    metavar="<number>",
    help="Willingness to pay for a point of a score's improvement [£/point]: the net monetary benefit and "
    "the probability of cost-effectiveness at it.",
)
WTP_CASE_OPT = typer.Option(
    None, "--wtp-case", metavar="<number>", help="Willingness to pay for a GHQ-12 case avoided [£/case]."
)


def effect_assumptions(wtp: str | None, wtp_case: str | None):
    from sr_cost.core.effectiveness import EffectAssumptions

    return EffectAssumptions(
        wtp_per_point=decimal_option(wtp, "--wtp"), wtp_per_case=decimal_option(wtp_case, "--wtp-case")
    )


@contextmanager
def reported() -> Iterator[None]:
    """Turn domain errors into a message on stderr and an exit code (1 data, 2 usage); with
    ``--debug``, let them through with their traceback."""
    from sr_cost.errors import DataError, SrCostError, UsageError

    try:
        yield
    except DataError as exc:
        if state.debug:
            raise
        from sr_cost.outputs.terminal import print_problems

        print_problems(exc.problems)
        raise typer.Exit(EXIT_DATA) from None
    except UsageError as exc:
        if state.debug:
            raise
        typer.echo(f"Error: {visible(str(exc))}", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    except SrCostError as exc:  # pragma: no cover - every subclass is handled above
        if state.debug:
            raise
        typer.echo(f"Error: {visible(str(exc))}", err=True)
        raise typer.Exit(EXIT_DATA) from None


def decimal_option(value: str | None, name: str) -> Decimal | None:
    """A number option as an exact Decimal (a pound sign is allowed)."""
    if value is None:
        return None
    try:
        number = Decimal(value.replace("£", "").strip())
    except InvalidOperation:
        raise typer.BadParameter(f"{value!r} is not a number", param_hint=name) from None
    if not number.is_finite() or number < 0:
        raise typer.BadParameter(f"{value!r} must be a number of zero or more", param_hint=name)
    return number


def percent_option(value: str | None, name: str) -> Decimal | None:
    """A rate typed in per cent (``3.5`` or ``3.5%``) as a fraction (0.035)."""
    number = percent_number(value, name)
    return None if number is None else number / 100


def percent_number(value: str | None, name: str) -> Decimal | None:
    """A percentage option ('3', '3%') as the exact Decimal typed (3)."""
    return None if value is None else decimal_option(value.rstrip().rstrip("%"), name)


def estimate_options(
    *,
    unit_costs: Path | None,
    params: Path | None,
    rounds_per_year: int | None,
    mileage_rate: str | None,
    period_months: int | None,
    forms_price_year: str | None,
    uplift_to: str | None,
    index: Path | None,
    uplift: str | None,
    encoding: str,
    assumptions,
) -> dict:
    """The keyword arguments of ``api.run_estimate`` from the options the forms commands share."""
    from sr_cost.core.estimate import DEFAULT_MILEAGE_RATE

    rate = decimal_option(mileage_rate, "--mileage-rate")
    return {
        "unit_costs": unit_costs,
        "params": params,
        "rounds_per_year": rounds_per_year,
        "mileage_rate": DEFAULT_MILEAGE_RATE if rate is None else rate,
        "period_months": period_months,
        "forms_price_year": forms_price_year,
        "uplift_to": uplift_to,
        "index": index,
        "uplift_pct": percent_number(uplift, "--uplift"),
        "encoding": encoding,
        "savings_assumptions": assumptions,
    }


def savings_assumptions(
    hours_per_day: str,
    recall_months: int,
    absence_basis: AbsenceBasis,
    bootstrap: int,
    seed: int,
    *,
    agency_rate: str | None = None,
    years: int = 3,
    discount_rate: str = "3.5",
):
    from sr_cost.core.savings import SavingsAssumptions

    return SavingsAssumptions(
        hours_per_day=decimal_option(hours_per_day, "--hours-per-day"),
        recall_months=recall_months,
        absence_basis=absence_basis,
        agency_rate=decimal_option(agency_rate, "--agency-rate"),
        bootstrap=bootstrap,
        seed=seed,
        years=years,
        discount_rate=percent_option(discount_rate, "--discount-rate"),
    )


def sheet_names(values: list[str] | None) -> dict[str, str]:
    """``--sheet FORM=NAME`` options as {form: name} (NAME empty: the forms have no such form)."""
    from sr_cost.errors import UsageError

    names: dict[str, str] = {}
    for value in values or []:
        form, equals, name = value.partition("=")
        if not equals:
            raise UsageError(f'--sheet {value}: write FORM=NAME, e.g. --sheet training="Training 2025"')
        form = form.strip().lower()
        if form in names:
            raise UsageError(f"--sheet {form}= is given twice")
        names[form] = name
    return names


def same_file(a: Path, b: Path) -> bool:
    """Whether two paths are one file: the same file on disk (links, and a case-insensitive file
    system's other spellings, included), or the same path once resolved."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.normcase(os.path.realpath(a)) == os.path.normcase(os.path.realpath(b))


def check_output(output: Path | None, inputs: list[Path], what: str = "output") -> None:
    """An output must be a regular file (or ``-``, standard output) and none of the inputs."""
    from sr_cost.errors import UsageError
    from sr_cost.outputs.files import check_target, is_stdout

    if output is None or (is_stdout(output) and what == "output"):
        return
    check_target(output, what)
    for path in inputs:
        if same_file(output, path):
            other = "" if str(output) == str(path) else f" (the same file as {path})"
            raise UsageError(f"the {what} {output} is one of the inputs{other}; choose another name")


def check_excel(excel: Path | None, inputs: list[Path], output: Path | None = None, given: str = "--excel -") -> None:
    """An Excel output must be .xlsx, a regular file, none of the inputs and not the other output
    (``given``: how a user asks for standard output, for the message)."""
    from sr_cost.errors import UsageError
    from sr_cost.outputs.files import is_stdout

    if excel is None:
        return
    if is_stdout(excel):
        raise UsageError(f"a workbook cannot be written to standard output ({given}): give a file name ending .xlsx")
    if excel.suffix.lower() != ".xlsx":
        raise UsageError(f"the workbook {excel} must be named .xlsx (Excel and LibreOffice go by the name)")
    check_output(excel, inputs, "workbook")
    if output is not None and not is_stdout(output) and same_file(excel, output):
        raise UsageError(f"--excel and -o are both {excel}; give them different names")


def command_line(ctx: typer.Context) -> str:
    """The command as typed, rebuilt from the options given on the command line (for provenance)."""
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


def emit(
    text: str | None,
    output: Path | None,
    render: Callable,
    workbook: tuple[Path, Callable[..., None]] | None = None,
    *,
    progress_shown: bool = False,
) -> None:
    """Write every output of a run, then print to the terminal: each output file is prepared
    first and all are put in place together (if one cannot be written, none is): the ``workbook``
    (path, writer: ``writer(tmp, progress)``) and ``text`` (or the rich rendering, ``render(console)``)
    to ``output``. Without ``output``, or with ``-o -``, ``text`` (or the rendering) goes to stdout.
    ``progress_shown``: writing the workbook shows its progress bars (they are cleared before anything
    is printed)."""
    from sr_cost.outputs.files import Outputs, is_stdout, text_writer
    from sr_cost.outputs.progress import progress_bars

    to_file = output is not None and not is_stdout(output)
    if to_file and text is None:
        from sr_cost.outputs import terminal

        buffer = io.StringIO()
        render(terminal.file_console(buffer))
        text = buffer.getvalue()
    with Outputs() as outputs:
        if workbook is not None:
            path, write = workbook
            with progress_bars(progress_shown) as progress:
                outputs.add(path, lambda tmp: write(tmp, progress), "workbook")
        if to_file:
            outputs.add(output, text_writer(text))
        written = outputs.commit()
    for path in written:
        typer.echo(f"Wrote {visible(str(path))}", err=True)
    if to_file:
        return
    if text is None:
        from sr_cost.outputs import terminal

        render(terminal.stdout())
    else:
        sys.stdout.write(text)
