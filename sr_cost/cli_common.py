"""What the ``sr-cost`` commands share: output formats, the --debug state, the unit-cost options'
help, and turning domain errors into messages and exit codes. Imports Typer, not the costing core."""

from __future__ import annotations

from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Iterator, Optional

import typer

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2


class OutputFormat(str, Enum):
    """How a command prints its result."""

    table = "table"
    csv = "csv"
    json = "json"


class _State:
    debug = False


state = _State()

UNIT_COSTS_HELP = "A unit-cost table (CSV or XLSX: role,salary[,on_costs,overheads,unit_cost_hour]). Default: the bundled PSSRU 2019 table."
PARAMS_HELP = "Parameters TOML for the table (default: the .toml beside it with the same stem, else the 2019 parameters)."



@contextmanager
def reported() -> Iterator[None]:
    """Turn domain errors into a message on stderr and an exit code (1 data, 2 usage)."""
    from sr_cost.errors import DataError, SrCostError, UsageError

    try:
        yield
    except DataError as exc:
        if state.debug:
            raise
        from sr_cost.reporting import print_problems

        print_problems(exc.problems)
        raise typer.Exit(EXIT_DATA) from None
    except UsageError as exc:
        if state.debug:
            raise
        typer.echo(f"Error: {exc}", err=True)
        raise typer.Exit(EXIT_USAGE) from None
    except SrCostError as exc:  # pragma: no cover - every subclass is handled above
        if state.debug:
            raise
        typer.echo(f"Error: {exc}", err=True)
        raise typer.Exit(EXIT_DATA) from None


def load_unit_costs(unit_costs: Optional[Path], params: Optional[Path]):
    from sr_cost.unit_costs import load_table

    return load_table(unit_costs, params)


def reporting():
    """sr_cost.reporting, which imports rich: only when something is shown in the terminal."""
    from sr_cost import reporting

    return reporting
