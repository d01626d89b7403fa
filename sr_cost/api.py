"""The library's public entry points: one function per command, no printing, no exit codes.

    >>> from sr_cost.api import run_estimate
    >>> run = run_estimate("examples/trial")
    >>> run.estimate.phases[0].total_per_round.mean   # exact Decimal
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from sr_cost.costing import DEFAULT_MILEAGE_RATE, DEFAULT_ROUNDS_PER_YEAR, Assumptions, Estimate, estimate
from sr_cost.errors import UsageError
from sr_cost.forms import CostForms, FormsBundle, read_forms, validate_cost_forms
from sr_cost.unit_costs import UnitCostTable, load_table


@dataclass(frozen=True)
class EstimateRun:
    """Everything an estimate was made from, and the estimate."""

    table: UnitCostTable
    bundle: FormsBundle
    forms: CostForms
    estimate: Estimate


def run_estimate(forms: str | Path, *, unit_costs: str | Path | None = None, params: str | Path | None = None,
                 rounds_per_year: int = DEFAULT_ROUNDS_PER_YEAR, mileage_rate: Decimal = DEFAULT_MILEAGE_RATE,
                 encoding: str = "utf-8-sig") -> EstimateRun:
    """Read and validate the forms, and cost them. Raises DataError with every problem found."""
    if rounds_per_year < 1:
        raise UsageError(f"--rounds-per-year must be at least 1 (got {rounds_per_year})")
    if mileage_rate < 0:
        raise UsageError(f"--mileage-rate must be zero or more (got {mileage_rate})")
    table = load_table(Path(unit_costs) if unit_costs else None, Path(params) if params else None)
    bundle = read_forms(Path(forms), encoding=encoding)
    cost_forms = validate_cost_forms(bundle, table)
    result = estimate(cost_forms, Assumptions(rounds_per_year=rounds_per_year, mileage_rate=mileage_rate))
    return EstimateRun(table=table, bundle=bundle, forms=cost_forms, estimate=result)
