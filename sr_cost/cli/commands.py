"""The ``sr-cost`` command line: the Typer app, its commands, and the console entry point.

Each command parses its options, calls one function of ``sr_cost.api``, renders the result
(``sr_cost.outputs``, ``sr_cost.excel``) and maps errors to exit codes (0 ok, 1 bad data, 2 bad
usage). No arithmetic lives here. Heavy modules (pandas, openpyxl, the costing core) are imported
inside the commands, so ``sr-cost --help`` stays quick.
"""

from __future__ import annotations

import gc
import signal

import typer

from sr_cost import __version__
from sr_cost.cli.common import state
from sr_cost.cli.compare import compare_cmd
from sr_cost.cli.forms import estimate_cmd, savings_cmd, template_cmd
from sr_cost.cli.report import explain_cmd, report_cmd
from sr_cost.cli.unit_costs import unit_app

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
app.command("estimate", short_help="Cost the forms: set-up, per round, per attendee, a year.")(estimate_cmd)
app.command("savings", short_help="Sickness-absence savings, net cost and break-even (the survey).")(savings_cmd)
app.command("compare", short_help="In-person against virtual rounds, or two forms sets.")(compare_cmd)
app.command("report", short_help="A report for a committee (HTML or Word): the answer, charts, methods.")(report_cmd)
app.command("explain", short_help="How one figure is made, as a tree down to the input lines.")(explain_cmd)
app.command("template", short_help="Write a forms workbook to fill in (blank, or with an example).")(template_cmd)
app.add_typer(unit_app, name="unit-costs", short_help="The staff unit-cost table: list, explain, check or build it.")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"sr-cost {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
    debug: bool = typer.Option(False, "--debug", help="Show a full traceback when something goes wrong."),
) -> None:
    """sr-cost: cost Schwartz Rounds from the trial's economic forms."""
    state.debug = debug


def _terminated(signum: int, frame) -> None:
    """SIGTERM (and SIGHUP: the terminal closed) end the run as an ordinary exit does, so that the
    temporary files of outputs being written are removed on the way out (``outputs.files``)."""
    raise SystemExit(128 + signum)


def main() -> None:
    """Run the command line (``python -m sr_cost``; other code may call it too)."""
    if hasattr(signal, "SIGPIPE"):
        # output to a reader that has gone (`sr-cost ... | head`) ends the process quietly, as it
        # ends other command-line tools (status 141 in the shell), not as a data error (1)
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name) and signal.getsignal(getattr(signal, name)) is signal.SIG_DFL:
            signal.signal(getattr(signal, name), _terminated)
    app()


def console() -> None:
    """The ``sr-cost`` console script: ``main``, and then, as the process ends, ``gc.freeze()``.

    When the interpreter exits it runs the cyclic garbage collector over every object still
    tracked (pandas', numpy's, Typer's and pydantic's modules included): about 0.15 s after a
    national run, against 0.03 s with those objects frozen (benchmarks/RESULTS.md). Freezing
    frees nothing and skips nothing else: files are closed and atexit handlers run as usual. It is
    done only here, where the process is about to end, never in ``main``, which other code may
    call."""
    try:
        main()
    finally:
        gc.freeze()
