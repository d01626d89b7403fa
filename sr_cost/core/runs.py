"""What one command worked out, with everything it was worked out from: the results the library's
entry points (``sr_cost.api``) return and every output (terminal, JSON and CSV, workbooks) renders."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sr_cost.core.effectiveness import CostEffectiveness
from sr_cost.core.estimate import Estimate
from sr_cost.core.lines import CostForms, InputFile
from sr_cost.core.respondents import Survey
from sr_cost.core.savings import Savings
from sr_cost.core.unit_costs import UnitCostTable
from sr_cost.errors import Problem

if TYPE_CHECKING:  # an estimate's run needs none of the comparison's modules
    from sr_cost.core.comparison import Comparison
    from sr_cost.core.prices import PriceIndex


@dataclass(frozen=True)
class EstimateRun:
    """An estimate (and, with a survey, its savings and cost-effectiveness) and what it was made from."""

    table: UnitCostTable
    forms: CostForms
    estimate: Estimate
    survey: Survey | None = None
    savings: Savings | None = None
    cost_effectiveness: CostEffectiveness | None = None  # with a survey that has an outcome

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return self.forms.warnings + (self.survey.warnings if self.survey else ())


@dataclass(frozen=True)
class CompareRun:
    """A comparison and the estimates (one per forms set) it was made from."""

    table: UnitCostTable
    runs: tuple[EstimateRun, ...]
    comparison: Comparison
    index: PriceIndex | None = None

    @property
    def inputs(self) -> tuple[InputFile, ...]:
        return tuple(i for run in self.runs for i in run.estimate.inputs)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(w for run in self.runs for w in run.warnings)


@dataclass(frozen=True)
class ReportRun:
    """What a committee report shows: an estimate (with its savings) and, on the same forms, the
    comparison of in-person against virtual rounds (or of two phases) with its sensitivity."""

    estimate: EstimateRun
    comparison: CompareRun | None = None
    bundled_example: bool = False  # the forms are one of sr-cost's examples, rebuilt from published tables
