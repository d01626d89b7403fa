"""``sr-cost unit-costs``: list the staff unit-cost table, show how a role's hourly cost is derived,
check the table, or build one from pay scales."""

from __future__ import annotations

from pathlib import Path

import typer

from sr_cost.cli.common import EXIT_DATA, PARAMS_OPT, UNIT_COSTS_OPT, OutputFormat, reported

unit_app = typer.Typer(
    rich_markup_mode=None,
    help="The staff unit-cost table: list it, show how a role's hourly cost is derived, check it, "
    "or build one from your own pay scales.",
    no_args_is_help=True,
)


@unit_app.command("list")
def unit_costs_list(
    search: str | None = typer.Option(None, "--search", "-s", help="Only roles whose name contains this text."),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", "-f", help="table, csv or json."),
    unit_costs: Path | None = UNIT_COSTS_OPT,
    params: Path | None = PARAMS_OPT,
) -> None:
    """List the roles of the unit-cost table with salary, on-costs, overheads and hourly cost.

    Example: sr-cost unit-costs list --search social --format csv
    """
    with reported():
        from sr_cost.api import unit_cost_table
        from sr_cost.outputs import json_csv, terminal

        table = unit_cost_table(unit_costs, params)
        roles = table.search(search) if search else table.roles
        if fmt is OutputFormat.csv:
            typer.echo(json_csv.unit_costs_csv(roles), nl=False)
        elif fmt is OutputFormat.json:
            typer.echo(json_csv.unit_costs_json(table, roles), nl=False)
        else:
            terminal.print_unit_costs(table, roles)


@unit_app.command("show")
def unit_costs_show(
    role: str = typer.Argument(..., help="A role of the table (case and spacing do not matter)."),
    unit_costs: Path | None = UNIT_COSTS_OPT,
    params: Path | None = PARAMS_OPT,
) -> None:
    """Show one role and derive its hourly unit cost step by step from its salary.

    Example: sr-cost unit-costs show "social worker"
    """
    with reported():
        from sr_cost.api import derive_role
        from sr_cost.outputs import terminal

        table, found, derivation = derive_role(role, unit_costs, params)
        terminal.print_unit_cost_derivation(table, found, derivation)


@unit_app.command("check")
def unit_costs_check(
    unit_costs: Path | None = UNIT_COSTS_OPT,
    params: Path | None = PARAMS_OPT,
) -> None:
    """Re-derive every role from its salary and list those that differ (exit 1 if any do).

    Example: sr-cost unit-costs check
    """
    with reported():
        from sr_cost.api import check_unit_costs
        from sr_cost.outputs import terminal

        table, mismatches = check_unit_costs(unit_costs, params)
        terminal.print_check(table, mismatches)
        if mismatches:
            raise typer.Exit(EXIT_DATA)


@unit_app.command("build")
def unit_costs_build(
    salaries: Path = typer.Argument(..., help="CSV or XLSX with columns role,salary (your pay scales)."),
    output: Path = typer.Option(..., "--output", "-o", help="Where to write the full table (CSV; - for the terminal)."),
    params: Path | None = typer.Option(
        None,
        "--params",
        help="Parameters TOML, or a bundled table's by its price year: 2019 (the default) or 2025. A price_year "
        "column in the salaries must be the parameters' price year.",
    ),
) -> None:
    """Build a full unit-cost table from role,salary rows with the PSSRU method, and say which
    parameters (and price year) it used. Salaries with a price_year column at another year than the
    parameters' are refused.

    Example: sr-cost unit-costs build my_pay_scales.csv --params 2025 -o my_unit_costs.csv
    """
    with reported():
        from sr_cost.api import build_unit_costs, input_files
        from sr_cost.cli.common import check_output, visible
        from sr_cost.outputs.files import is_stdout, write_text_atomic
        from sr_cost.outputs.json_csv import unit_costs_csv
        from sr_cost.outputs.terminal import params_text

        # the parameters (a file, or a bundled table's by its year) are inputs as much as the salaries
        check_output(output, [salaries] + input_files([], params=params))
        table = build_unit_costs(salaries, params)
        if is_stdout(output):
            typer.echo(unit_costs_csv(table.roles), nl=False)
            return
        write_text_atomic(output, unit_costs_csv(table.roles))
        typer.echo(params_text(table), err=True)
        typer.echo(f"Wrote {len(table.roles)} roles to {visible(str(output))} ({table.price_year} prices).", err=True)
