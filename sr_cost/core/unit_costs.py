"""Staff unit costs: the table, its parameters, and the derivation salary -> hourly unit cost.

The derivation follows the notes to Appendix 1 of the trial report (PSSRU 2019 method):

    employer NI      = NI rate x max(0, salary - threshold a year)
                       (threshold a year: as given, else threshold per week x days per year / 7)
    superannuation   = superannuation rate x salary
    on-costs         = employer NI + superannuation
    direct overheads = direct rate x (salary + on-costs)
    indirect         = indirect rate x (salary + on-costs)
    overheads        = direct + indirect + capital overheads
    unit cost        = (salary + on-costs + overheads) / working hours a year, half-up to the penny

All in Decimal. With the 2019 parameters this reproduces the published table for all 48 roles.
The hourly cost of an hour of sickness absence, on each basis the savings offer, is here too.
``sr_cost.inputs.unit_costs`` reads and validates a table and its parameters into these.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum

from sr_cost.money import PENNY, ZERO, to_penny


def _param(default: str, doc: str) -> Decimal:
    return field(default=Decimal(default), metadata={"doc": doc})


@dataclass(frozen=True)
class Params:
    """Parameters of the derivation (the ``[parameters]`` of a unit-cost table's TOML file); the
    defaults are the PSSRU 2019 values that re-derive Appendix 1 of the trial report. Each field's
    ``doc`` (in its metadata) says what it is and its unit."""

    employer_ni_rate: Decimal = _param("0.138", "Employer's NI rate above the threshold [fraction]")
    ni_secondary_threshold_per_week_gbp: Decimal = _param("162", "NI secondary threshold [£/week]")
    ni_secondary_threshold_per_year_gbp: Decimal | None = field(
        default=None,
        metadata={"doc": "NI secondary threshold a year, when set (else per week x days / 7) [£/year]"},
    )
    days_per_year: Decimal = _param("365", "Days in a year [days]")
    superannuation_rate: Decimal = _param("0.17", "Employer's superannuation [fraction of salary]")
    direct_overheads_rate: Decimal = _param("0.29", "Direct overheads [fraction of salary + on-costs]")
    indirect_overheads_rate: Decimal = _param("0.16", "Indirect overheads [fraction of salary + on-costs]")
    capital_overheads_gbp: Decimal = _param("3191", "Capital overheads [£/year]")
    working_hours_per_year: Decimal = _param("1513", "Working hours [hours/year]")

    @property
    def ni_threshold_per_year(self) -> Decimal:
        """The employer's NI threshold a year [£/year]: as given, else per week x days per year / 7."""
        if self.ni_secondary_threshold_per_year_gbp is not None:
            return self.ni_secondary_threshold_per_year_gbp
        return self.ni_secondary_threshold_per_week_gbp * self.days_per_year / Decimal(7)


@dataclass(frozen=True)
class Source:
    """Where a unit-cost table comes from (the ``[source]`` of its TOML file)."""

    name: str = "Staff unit costs (£, 2019), Appendix 1 of the Schwartz Rounds trial report (2021)"
    method: str = "PSSRU Unit Costs of Health and Social Care 2019"
    price_year: int = 2019


@dataclass(frozen=True)
class Derivation:
    """Every step from a salary to an hourly unit cost, unrounded except the unit cost."""

    salary: Decimal
    ni_threshold_gbp: Decimal
    employer_ni: Decimal
    superannuation: Decimal
    on_costs: Decimal
    direct_overheads: Decimal
    indirect_overheads: Decimal
    capital_overheads: Decimal
    overheads: Decimal
    total_annual: Decimal
    working_hours: Decimal
    unit_cost_hour: Decimal  # rounded half-up to the penny, as the published table


def _rates(params: Params) -> tuple[Decimal, ...]:
    """The parameters the derivation uses, the NI threshold worked out once [£/year]."""
    threshold = params.ni_threshold_per_year
    return (
        threshold,
        params.employer_ni_rate,
        params.superannuation_rate,
        params.direct_overheads_rate,
        params.indirect_overheads_rate,
        params.capital_overheads_gbp,
    )


def _steps(salary: Decimal, rates: tuple[Decimal, ...]) -> tuple[Decimal, ...]:
    """The derivation's arithmetic, shared by ``derive`` and ``unit_cost_hour(s)``."""
    threshold, ni_rate, superannuation_rate, direct_rate, indirect_rate, capital = rates
    ni = ni_rate * max(salary - threshold, ZERO)
    superannuation = superannuation_rate * salary
    on_costs = ni + superannuation
    base = salary + on_costs
    direct = direct_rate * base
    indirect = indirect_rate * base
    overheads = direct + indirect + capital
    total = base + overheads
    return threshold, ni, superannuation, on_costs, direct, indirect, overheads, total


def derive(salary: Decimal, params: Params) -> Derivation:
    """Salary [£/year] -> on-costs, overheads [£/year] and unit cost [£/hour]."""
    threshold, ni, superannuation, on_costs, direct, indirect, overheads, total = _steps(salary, _rates(params))
    return Derivation(
        salary=salary,
        ni_threshold_gbp=threshold,
        employer_ni=ni,
        superannuation=superannuation,
        on_costs=on_costs,
        direct_overheads=direct,
        indirect_overheads=indirect,
        capital_overheads=params.capital_overheads_gbp,
        overheads=overheads,
        total_annual=total,
        working_hours=params.working_hours_per_year,
        unit_cost_hour=to_penny(total / params.working_hours_per_year),
    )


def unit_cost_hours(salaries: list[Decimal], params: Params) -> list[Decimal]:
    """``derive(salary, params).unit_cost_hour`` of each salary, without the records (a national
    survey has tens of thousands of salaries)."""
    rates, hours = _rates(params), params.working_hours_per_year
    return [to_penny(_steps(salary, rates)[-1] / hours) for salary in salaries]


def on_costs(salary: Decimal, params: Params) -> Decimal:
    """``derive(salary, params).on_costs``."""
    return _steps(salary, _rates(params))[3]


@dataclass(frozen=True)
class UnitCost:
    """One role of a unit-cost table. ``row`` is where it came from."""

    role: str
    salary: Decimal | None
    on_costs: Decimal
    overheads: Decimal
    unit_cost_hour: Decimal
    row: int | None = None
    derived: bool = False  # True when on-costs, overheads and unit cost were derived from salary


def role_key(role: str) -> str:
    """Look-up key: case- and whitespace-insensitive."""
    return " ".join(str(role).split()).casefold()


@dataclass(frozen=True)
class UnitCostTable:
    """A validated unit-cost table with its parameters and provenance."""

    path: str  # the file as given, or for a bundled table its place in the repository (unit_costs/...)
    sha256: str
    source: Source
    params: Params
    params_path: str
    roles: tuple[UnitCost, ...]
    params_sha256: str | None = None  # of the parameters file, when the parameters came from one
    name: str = ""  # how outputs name the table: "bundled: pssru_2019", or the path given
    _by_key: dict[str, UnitCost] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_key", {role_key(r.role): r for r in self.roles})

    @property
    def price_year(self) -> int:
        return self.source.price_year

    @property
    def shown_as(self) -> str:
        """The table as outputs name it: ``bundled: pssru_2019``, or the path given."""
        return self.name or self.path

    def find(self, role: str) -> UnitCost | None:
        return self._by_key.get(role_key(role))

    def suggestions(self, role: str, n: int = 3) -> list[str]:
        names = {role_key(r.role): r.role for r in self.roles}
        key = role_key(role)
        close = difflib.get_close_matches(key, list(names), n=n, cutoff=0.6)
        # a role that contains the text (or the text contains the role) is a good hint too
        close += [k for k in names if (key and (key in k or k in key)) and k not in close]
        return [names[k] for k in close[:n]]

    def unknown_role_fix(self, role: str) -> str:
        hints = self.suggestions(role)
        if hints:
            return (
                "Did you mean " + " or ".join(f"'{h}'" for h in hints) + "? (`sr-cost unit-costs list` shows all roles)"
            )
        return "Use a role from `sr-cost unit-costs list`, or give an hourly `rate` instead"

    def search(self, text: str) -> tuple[UnitCost, ...]:
        key = role_key(text)
        return tuple(r for r in self.roles if key in role_key(r.role))


@dataclass(frozen=True)
class Mismatch:
    role: str
    row: int | None
    field: str
    published: Decimal
    derived: Decimal


def check_table(table: UnitCostTable) -> list[Mismatch]:
    """Re-derive every row that has a salary: the unit cost must match exactly to the penny,
    on-costs and overheads within £0.01."""
    out: list[Mismatch] = []
    for role in table.roles:
        if role.salary is None or role.derived:
            continue
        d = derive(role.salary, table.params)
        if d.unit_cost_hour != role.unit_cost_hour:
            out.append(Mismatch(role.role, role.row, "unit_cost_hour", role.unit_cost_hour, d.unit_cost_hour))
        for name, published, derived in (
            ("on_costs", role.on_costs, d.on_costs),
            ("overheads", role.overheads, d.overheads),
        ):
            if abs(published - derived) > PENNY:
                out.append(Mismatch(role.role, role.row, name, published, derived))
    return out


class AbsenceBasis(str, Enum):
    """What an hour of sickness absence costs the employer (the report does not state its basis)."""

    salary = "salary"  # salary alone, per working hour
    employer = "employer"  # salary + on-costs, per working hour: what the employer pays for an hour lost
    unit_cost = "unit-cost"  # the full hourly unit cost, overheads included (the basis that rebuilds Table 21)
    agency = "agency"  # cover by agency staff at a stated rate [£/hour] (--agency-rate)


def salary_hourly_costs(
    salaries: Sequence[Decimal], table: UnitCostTable, basis: AbsenceBasis
) -> list[tuple[Decimal, str]]:
    """Hourly cost on ``basis`` of respondents who gave these salaries, derived with the table's
    method, and how it was found; each rounded half-up to the penny, as the published unit costs are."""
    params, hours = table.params, table.params.working_hours_per_year
    if basis is AbsenceBasis.agency:
        raise ValueError("the agency basis is a rate, not a salary's")
    if basis is AbsenceBasis.unit_cost:
        return [(cost, "derived from salary") for cost in unit_cost_hours(list(salaries), params)]
    if basis is AbsenceBasis.employer:
        return [(to_penny((s + on_costs(s, params)) / hours), "salary + on-costs ÷ hours") for s in salaries]
    return [(to_penny(s / hours), "salary ÷ hours") for s in salaries]


def role_hourly_cost(role: UnitCost | None, table: UnitCostTable, basis: AbsenceBasis) -> tuple[Decimal, str] | None:
    """Hourly cost on ``basis`` of a respondent who gave a role and no salary, from the role's figures
    (rounded half-up to the penny), or None when the table does not have what ``basis`` needs."""
    hours = table.params.working_hours_per_year
    if role is None or basis is AbsenceBasis.agency:
        return None
    if basis is AbsenceBasis.unit_cost:
        return role.unit_cost_hour, "role's unit cost"
    if role.salary is None:
        return None
    if basis is AbsenceBasis.employer:
        return to_penny((role.salary + role.on_costs) / hours), "role's salary + on-costs ÷ hours"
    return to_penny(role.salary / hours), "role's salary ÷ hours"
