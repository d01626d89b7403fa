"""``sr-cost unit-costs``: list the staff unit-cost table, show how a role's hourly cost is derived,
check the table, or build one from pay scales."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from sr_cost.cli_common import EXIT_DATA, PARAMS_HELP, UNIT_COSTS_HELP, OutputFormat, load_unit_costs, reported

unit_app = typer.Typer(
    rich_markup_mode=None,
    help="The staff unit-cost table: list it, show how a role's hourly cost is derived, check it, "
         "or build one from your own pay scales.",
    no_args_is_help=True,
)


@unit_app.command("list")
def unit_costs_list(
    search: Optional[str] = typer.Option(None, "--search", "-s", help="Only roles whose name contains this text."),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", "-f", help="table, csv or json."),
    unit_costs: Optional[Path] = typer.Option(None, "--unit-costs", help=UNIT_COSTS_HELP),
    params: Optional[Path] = typer.Option(None, "--params", help=PARAMS_HELP),
) -> None:
    """List the roles of the unit-cost table with salary, on-costs, overheads and hourly cost.

    Example: sr-cost unit-costs list --search social --format csv
    """
    with reported():
        from sr_cost import reporting

        table = load_unit_costs(unit_costs, params)
        roles = table.search(search) if search else table.roles
        reporting.emit_unit_costs(table, roles, fmt.value)


@unit_app.command("show")
def unit_costs_show(
    role: str = typer.Argument(..., help="A role of the table (case and spacing do not matter)."),
    unit_costs: Optional[Path] = typer.Option(None, "--unit-costs", help=UNIT_COSTS_HELP),
    params: Optional[Path] = typer.Option(None, "--params", help=PARAMS_HELP),
) -> None:
    """Show one role and derive its hourly unit cost step by step from its salary.

    Example: sr-cost unit-costs show "social worker"
    """
    with reported():
        from sr_cost import reporting
        from sr_cost.errors import DataError, Problem
        from sr_cost.unit_costs import derive

        table = load_unit_costs(unit_costs, params)
        found = table.find(role)
        if found is None:
            raise DataError(Problem(file=table.path, column="role", value=role,
                                    message="no such role in the unit-cost table",
                                    fix=table.unknown_role_fix(role)))
        derivation = derive(found.salary, table.params) if found.salary is not None else None
        reporting.print_unit_cost_derivation(table, found, derivation)


@unit_app.command("check")
def unit_costs_check(
    unit_costs: Optional[Path] = typer.Option(None, "--unit-costs", help=UNIT_COSTS_HELP),
    params: Optional[Path] = typer.Option(None, "--params", help=PARAMS_HELP),
) -> None:
    """Re-derive every role from its salary and list those that differ (exit 1 if any do).

    Example: sr-cost unit-costs check
    """
    with reported():
        from sr_cost import reporting
        from sr_cost.unit_costs import check_table

        table = load_unit_costs(unit_costs, params)
        mismatches = check_table(table)
        reporting.print_check(table, mismatches)
        if mismatches:
            raise typer.Exit(EXIT_DATA)


@unit_app.command("build")
def unit_costs_build(
    salaries: Path = typer.Argument(..., help="CSV or XLSX with columns role,salary (your pay scales)."),
    output: Path = typer.Option(..., "--output", "-o", help="Where to write the full table (CSV)."),
    params: Optional[Path] = typer.Option(None, "--params", help="Parameters TOML (default: the 2019 parameters)."),
) -> None:
    """Build a full unit-cost table from role,salary rows with the PSSRU method.

    Example: sr-cost unit-costs build my_pay_scales.csv -o my_unit_costs.csv
    """
    with reported():
        from sr_cost import reporting
        from sr_cost.errors import UsageError
        from sr_cost.outputs import write_text_atomic
        from sr_cost.unit_costs import build_table

        if output.resolve() == salaries.resolve():
            raise UsageError(f"the output {output} is the input file; choose another name")
        table = build_table(salaries, params)
        write_text_atomic(output, reporting.unit_costs_csv(table.roles))
        typer.echo(f"Wrote {len(table.roles)} roles to {output} (price year {table.price_year}).", err=True)
