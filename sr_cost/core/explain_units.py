"""Explanations of hourly costs: a role's unit cost derived from its salary, step by step as
``core.unit_costs.derive`` does it (salary -> on-costs -> overheads -> hourly cost, as
``sr-cost unit-costs show`` prints it), and the hourly cost of a sick day on each absence basis.

Each function returns an explanation ``Node`` whose value equals the figure the costing used; the
parameters are leaves that name the unit-cost table's parameters, and a salary is a leaf that names
the row it was read from.
"""

from __future__ import annotations

from decimal import Decimal

from sr_cost.core.explanation import Node, Op, Unit, leaf, node
from sr_cost.core.unit_costs import AbsenceBasis, Params, UnitCost, UnitCostTable, derive


def _param(table: UnitCostTable, label: str, value: Decimal, unit: Unit) -> Node:
    return leaf(label, value, unit, formula=f"parameter of the unit-cost table ({table.params_path})")


def _weekly_threshold(table: UnitCostTable) -> Node:
    """The NI threshold a year from the weekly one: threshold a week x days a year / 7."""
    p: Params = table.params
    return node(
        "NI secondary threshold a year",
        "threshold a week × days a year ÷ 7",
        Op.quotient,
        [
            node(
                "threshold a week × days a year",
                "threshold a week × days a year",
                Op.product,
                [
                    _param(
                        table, "NI secondary threshold a week", p.ni_secondary_threshold_per_week_gbp, Unit.gbp_per_week
                    ),
                    _param(table, "days a year", p.days_per_year, Unit.days),
                ],
                Unit.gbp,
            ),
            leaf("days a week", Decimal(7), Unit.days, formula="constant"),
        ],
        Unit.gbp_per_year,
    )


def on_costs(salary: Node, table: UnitCostTable) -> Node:
    """Employer's NI + superannuation [£/year] of a salary."""
    p: Params = table.params
    threshold = (
        _param(table, "NI secondary threshold a year", p.ni_secondary_threshold_per_year_gbp, Unit.gbp_per_year)
        if p.ni_secondary_threshold_per_year_gbp is not None
        else _weekly_threshold(table)
    )
    ni = node(
        "employer's NI",
        "NI rate × salary above the threshold",
        Op.product,
        [
            _param(table, "employer's NI rate", p.employer_ni_rate, Unit.fraction),
            node(
                "salary above the NI threshold", "max(0, salary − threshold)", Op.above, [salary, threshold], Unit.gbp
            ),
        ],
        Unit.gbp_per_year,
    )
    superannuation = node(
        "superannuation",
        "superannuation rate × salary",
        Op.product,
        [_param(table, "superannuation rate", p.superannuation_rate, Unit.fraction), salary],
        Unit.gbp_per_year,
    )
    return node("on-costs", "employer's NI + superannuation", Op.sum, [ni, superannuation], Unit.gbp_per_year)


def from_salary(salary: Node, table: UnitCostTable, label: str, key: str | None = None) -> Node:
    """Hourly unit cost [£/hour] = (salary + on-costs + overheads) ÷ working hours, half-up to the penny."""
    p = table.params
    base = node(
        "salary + on-costs",
        "salary + on-costs",
        Op.sum,
        [salary, on_costs(salary, table)],
        Unit.gbp_per_year,
        key=f"{key}: salary + on-costs" if key else None,
    )
    overheads = node(
        "overheads",
        "direct + indirect + capital overheads",
        Op.sum,
        [
            node(
                "direct overheads",
                "direct rate × (salary + on-costs)",
                Op.product,
                [_param(table, "direct overheads rate", p.direct_overheads_rate, Unit.fraction), base],
                Unit.gbp_per_year,
            ),
            node(
                "indirect overheads",
                "indirect rate × (salary + on-costs)",
                Op.product,
                [_param(table, "indirect overheads rate", p.indirect_overheads_rate, Unit.fraction), base],
                Unit.gbp_per_year,
            ),
            _param(table, "capital overheads", p.capital_overheads_gbp, Unit.gbp_per_year),
        ],
        Unit.gbp_per_year,
    )
    annual = node("annual cost", "salary + on-costs + overheads", Op.sum, [base, overheads], Unit.gbp_per_year)
    per_hour = node(
        "annual cost ÷ working hours",
        "annual cost ÷ working hours a year",
        Op.quotient,
        [annual, _param(table, "working hours a year", p.working_hours_per_year, Unit.hours_per_year)],
        Unit.gbp_per_hour,
    )
    return node(
        label, "annual cost ÷ working hours, half-up to the penny", Op.penny, [per_hour], Unit.gbp_per_hour, key=key
    )


def _table_row(table: UnitCostTable) -> dict:
    return {"file": table.path}


def role_unit_cost(role: UnitCost, table: UnitCostTable) -> Node:
    """A role's hourly unit cost [£/hour]: derived from its salary when the derivation gives the
    table's figure, else the table's figure as given."""
    label = f"unit cost of {role.role}"
    key = f"unit cost: {role.role}"
    if role.salary is not None and derive(role.salary, table.params).unit_cost_hour == role.unit_cost_hour:
        salary = leaf(
            f"salary of {role.role}",
            role.salary,
            Unit.gbp_per_year,
            formula="unit-cost table",
            row=role.row,
            **_table_row(table),
        )
        return from_salary(salary, table, label, key)
    return leaf(
        label,
        role.unit_cost_hour,
        Unit.gbp_per_hour,
        formula="as the unit-cost table gives it",
        row=role.row,
        key=key,
        **_table_row(table),
    )


def _per_working_hour(label: str, annual: Node, table: UnitCostTable, key: str | None = None) -> Node:
    hours = _param(table, "working hours a year", table.params.working_hours_per_year, Unit.hours_per_year)
    per_hour = node(
        f"{annual.label} ÷ working hours", "÷ working hours a year", Op.quotient, [annual, hours], Unit.gbp_per_hour
    )
    return node(label, "half-up to the penny", Op.penny, [per_hour], Unit.gbp_per_hour, key=key)


def absence_hourly_cost(
    salary: Node | None, role: UnitCost | None, table: UnitCostTable, basis: AbsenceBasis, label: str
) -> Node | None:
    """The hourly cost of a sick day on ``basis``, as ``core.unit_costs`` finds it: from the
    respondent's salary when given (``salary``), else from the role's figures; None when neither
    gives it."""
    if salary is not None:
        if basis is AbsenceBasis.unit_cost:
            return from_salary(salary, table, label)
        if basis is AbsenceBasis.employer:
            base = node("salary + on-costs", "salary + on-costs", Op.sum, [salary, on_costs(salary, table)], Unit.gbp)
            return _per_working_hour(label, base, table)
        return _per_working_hour(label, salary, table)
    if role is None:
        return None
    if basis is AbsenceBasis.unit_cost:
        return role_unit_cost(role, table)
    if role.salary is None:
        return None
    where = {"row": role.row, **_table_row(table)}
    role_salary = leaf(f"salary of {role.role}", role.salary, Unit.gbp_per_year, formula="unit-cost table", **where)
    key = f"{basis.value} hourly cost: {role.role}"
    if basis is AbsenceBasis.employer:
        role_on_costs = leaf(
            f"on-costs of {role.role}", role.on_costs, Unit.gbp_per_year, formula="unit-cost table", **where
        )
        base = node("salary + on-costs", "salary + on-costs", Op.sum, [role_salary, role_on_costs], Unit.gbp)
        return _per_working_hour(label, base, table, key)
    return _per_working_hour(label, role_salary, table, key)
