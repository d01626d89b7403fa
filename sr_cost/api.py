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
from sr_cost.errors import DataError, Problem, UsageError
from sr_cost.forms import CostForms, FormsBundle, read_forms, validate_cost_forms
from sr_cost.savings import Progress, Savings, SavingsAssumptions, savings
from sr_cost.survey import Survey, validate_survey
from sr_cost.unit_costs import UnitCostTable, load_table


@dataclass(frozen=True)
class EstimateRun:
    """Everything an estimate was made from, and the estimate."""

    table: UnitCostTable
    bundle: FormsBundle
    forms: CostForms
    estimate: Estimate
    survey: Survey | None = None
    savings: Savings | None = None

    @property
    def warnings(self):
        return self.forms.warnings + (self.survey.warnings if self.survey else ())


def run_estimate(forms: str | Path, *, unit_costs: str | Path | None = None, params: str | Path | None = None,
                 rounds_per_year: int = DEFAULT_ROUNDS_PER_YEAR, mileage_rate: Decimal = DEFAULT_MILEAGE_RATE,
                 encoding: str = "utf-8-sig", savings_assumptions: SavingsAssumptions = SavingsAssumptions(),
                 progress: Progress | None = None, require_survey: bool = False) -> EstimateRun:
    """Read and validate the forms, and cost them; with a survey, work out the savings too.
    Raises DataError with every problem found."""
    if rounds_per_year < 1:
        raise UsageError(f"--rounds-per-year must be at least 1 (got {rounds_per_year})")
    a = savings_assumptions
    if a.hours_per_day <= 0 or a.hours_per_day > 24:
        raise UsageError(f"--hours-per-day must be more than 0 and at most 24 (got {a.hours_per_day})")
    if not 1 <= a.recall_months <= 120:
        raise UsageError(f"--recall-months must be from 1 to 120 (got {a.recall_months})")
    if a.bootstrap < 0:
        raise UsageError(f"--bootstrap must be 0 (off) or more (got {a.bootstrap})")
    if mileage_rate < 0:
        raise UsageError(f"--mileage-rate must be zero or more (got {mileage_rate})")
    table = load_table(Path(unit_costs) if unit_costs else None, Path(params) if params else None)
    bundle = read_forms(Path(forms), encoding=encoding)
    cost_forms = validate_cost_forms(bundle, table)
    result = estimate(cost_forms, Assumptions(rounds_per_year=rounds_per_year, mileage_rate=mileage_rate))
    survey = validate_survey(bundle, table, savings_assumptions.absence_basis,
                             {(la.la, la.phase) for la in result.las})
    if survey is None and require_survey:
        raise DataError(Problem(file=bundle.path, sheet="survey", message="the forms have no survey (or it is empty)",
                                fix="Add a 'survey' sheet (or survey.csv) with one row per respondent, and a 'staff' "
                                    "sheet with the staff randomised per LA and phase"))
    result_savings = savings(survey, result, savings_assumptions, progress) if survey else None
    return EstimateRun(table=table, bundle=bundle, forms=cost_forms, estimate=result, survey=survey,
                       savings=result_savings)
