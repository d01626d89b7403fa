"""Explanations of the savings' figures, down to the survey's rows: a respondent's sickness cost is
hourly cost × sick days × hours a day (``core.savings.sickness_cost``), a group's mean is their
total ÷ respondents, and the saving per staff member is the control mean − the intervention mean
(report Table 21). Every node anchored to a figure of the ``Savings`` is checked against it."""

from __future__ import annotations

from decimal import Decimal

from sr_cost.core.explain import same
from sr_cost.core.explain_units import absence_hourly_cost
from sr_cost.core.explanation import Node, Op, Unit, leaf, node
from sr_cost.core.respondents import Group, Respondent, Survey
from sr_cost.core.savings import PhaseSavings, Savings
from sr_cost.core.unit_costs import UnitCostTable


class SavingsExplainer:
    """Builds the explanation of any figure of one run's savings."""

    def __init__(
        self, survey: Survey, savings: Savings, table: UnitCostTable, staff_factor: Decimal = Decimal(1)
    ) -> None:
        self.savings, self.table = savings, table
        self.staff_factor = staff_factor  # re-pricing: hourly costs are valued with the unit-cost table
        self.a = savings.assumptions
        self.groups: dict[tuple[str, Group], list[Respondent]] = {}
        for r in survey.respondents:
            self.groups.setdefault((r.phase, r.group), []).append(r)
        self.phases = {p.phase: p for p in savings.phases}

    def phase(self, phase: str) -> PhaseSavings:
        return self.phases[phase]

    def respondent(self, r: Respondent) -> Node:
        where = {"file": r.file, "sheet": r.sheet or None, "row": r.row}
        salary = (
            None
            if r.salary is None
            else leaf("salary", r.salary, Unit.gbp_per_year, formula="the respondent's salary", **where)
        )
        role = self.table.find(r.role) if r.role else None
        label = f"hourly cost ({self.a.absence_basis.value} basis" + (f", {role.role})" if role else ")")
        hourly = absence_hourly_cost(salary, role if salary is None else None, self.table, self.a.absence_basis, label)
        if hourly is None:  # pragma: no cover - validation refuses a respondent without an hourly cost
            raise AssertionError(f"respondent {r.respondent}: no hourly cost")
        if self.staff_factor != 1:
            factor = leaf("re-pricing factor of staff time", self.staff_factor, Unit.fraction, formula="--uplift-to")
            hourly = node(
                f"{label}, re-priced",
                "× the re-pricing factor of staff time",
                Op.product,
                [hourly, factor],
                Unit.gbp_per_hour,
            )
        parts = [
            same(hourly, r.hourly_cost),
            leaf("sick days", r.sick_days, Unit.days, formula="the respondent's sick days", **where),
            leaf("hours a day", self.a.hours_per_day, Unit.hours_per_day, formula="assumption (--hours-per-day)"),
        ]
        return node(
            f"respondent {r.respondent} ({r.la}, {r.group.value})",
            "hourly cost × sick days × hours a day",
            Op.product,
            parts,
            Unit.gbp,
            **where,
        )

    def _mean(self, label: str, people: list[Respondent]) -> Node:
        total = node(
            f"{label}: total sickness cost",
            "sum over the respondents",
            Op.sum,
            [self.respondent(r) for r in people],
            Unit.gbp,
        )
        n = leaf("respondents", Decimal(len(people)), Unit.count, formula="rows of the survey")
        return node(label, "total sickness cost ÷ respondents", Op.quotient, [total, n], Unit.gbp)

    def group_mean(self, phase: str, group: Group) -> Node:
        made = self._mean(f"phase {phase} {group.value} mean sickness cost", self.groups.get((phase, group), []))
        stats = self.phase(phase).intervention if group is Group.intervention else self.phase(phase).control
        return same(made, stats.mean_cost)

    def saving(self, phase: str) -> Node:
        parts = [self.group_mean(phase, Group.control), self.group_mean(phase, Group.intervention)]
        made = node(
            f"phase {phase} saving per staff member",
            "control mean − intervention mean sickness cost",
            Op.difference,
            parts,
            Unit.gbp,
        )
        return same(made, self.phase(phase).saving_per_staff)

    def annual_saving(self, phase: str) -> Node:
        per_year = node(
            "recall periods a year",
            "12 months ÷ recall months",
            Op.quotient,
            [
                leaf("months a year", Decimal(12), Unit.months, formula="constant"),
                leaf(
                    "recall months", Decimal(self.a.recall_months), Unit.months, formula="assumption (--recall-months)"
                ),
            ],
            Unit.count,
        )
        made = node(
            f"phase {phase} annual saving per staff member",
            "saving per staff member × recall periods a year",
            Op.product,
            [self.saving(phase), per_year],
            Unit.gbp,
        )
        return same(made, self.phase(phase).annual_saving_per_staff)

    def combined(self, figure: str) -> Node:
        """The report's combination: the unweighted mean of the phases' figures."""
        if figure == "saving_per_staff":
            parts = [self.saving(p) for p in self.phases]
        else:
            group = Group.intervention if figure == "mean_cost_intervention" else Group.control
            parts = [self.group_mean(p, group) for p in self.phases]
        made = node(f"combined {figure.replace('_', ' ')}", "mean of the phases' figures", Op.mean, parts, Unit.gbp)
        return same(made, getattr(self.savings.combined, figure))

    def pooled(self, figure: str) -> Node:
        """All respondents together."""
        means = {
            g: self._mean(
                f"all {g.value} respondents' mean sickness cost",
                [r for k, rs in self.groups.items() if k[1] is g for r in rs],
            )
            for g in Group
        }
        if figure == "saving_per_staff":
            made = node(
                "pooled saving per staff member",
                "control mean − intervention mean sickness cost",
                Op.difference,
                [means[Group.control], means[Group.intervention]],
                Unit.gbp,
            )
        else:
            made = means[Group.intervention if figure == "mean_cost_intervention" else Group.control]
        return same(made, getattr(self.savings.pooled, figure))
