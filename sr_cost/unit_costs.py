"""Staff unit costs: the table, its parameters, and the derivation salary -> hourly unit cost.

The derivation follows the notes to Appendix 1 of the trial report (PSSRU 2019 method):

    employer NI      = NI rate x max(0, salary - threshold per week x days per year / 7)
    superannuation   = superannuation rate x salary
    on-costs         = employer NI + superannuation
    direct overheads = direct rate x (salary + on-costs)
    indirect         = indirect rate x (salary + on-costs)
    overheads        = direct + indirect + capital overheads
    unit cost        = (salary + on-costs + overheads) / working hours a year, half-up to the penny

All in Decimal. With the 2019 parameters this reproduces the published table for all 48 roles.
"""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from sr_cost.errors import DataError, Problem, ProblemCollector
from sr_cost.money import PENNY, ZERO, parse_number, to_penny
from sr_cost.readers import RawRow, RawTable, nonblank, read_table, sha256_of

BUNDLED_DIR_NAME = "unit_costs"
DEFAULT_TABLE = "pssru_2019.csv"


def bundled_dir() -> Path:
    """Where the bundled tables live: the repository's unit_costs/ in a checkout, or the copy
    installed inside the package (``sr_cost/unit_costs``) after ``pip install .``."""
    here = Path(__file__).resolve().parent
    for candidate in (here / BUNDLED_DIR_NAME, here.parent / BUNDLED_DIR_NAME):
        if (candidate / DEFAULT_TABLE).is_file():
            return candidate
    raise FileNotFoundError("the bundled unit-cost table is missing from this installation")


class Params(BaseModel):
    """Parameters of the derivation, as in a unit-cost table's TOML file."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    employer_ni_rate: Decimal = Field(Decimal("0.138"), ge=0, le=1,
                                      description="Employer's NI rate above the threshold [fraction]")
    ni_secondary_threshold_per_week_gbp: Decimal = Field(Decimal("162"), ge=0,
                                                         description="NI secondary threshold [£/week]")
    days_per_year: Decimal = Field(Decimal("365"), gt=0, description="Days in a year [days]")
    superannuation_rate: Decimal = Field(Decimal("0.17"), ge=0, le=1,
                                         description="Employer's superannuation [fraction of salary]")
    direct_overheads_rate: Decimal = Field(Decimal("0.29"), ge=0,
                                           description="Direct overheads [fraction of salary + on-costs]")
    indirect_overheads_rate: Decimal = Field(Decimal("0.16"), ge=0,
                                             description="Indirect overheads [fraction of salary + on-costs]")
    capital_overheads_gbp: Decimal = Field(Decimal("3191"), ge=0, description="Capital overheads [£/year]")
    working_hours_per_year: Decimal = Field(Decimal("1513"), gt=0, description="Working hours [hours/year]")

    @field_validator("*", mode="before")
    @classmethod
    def _exact(cls, value: object) -> object:
        if isinstance(value, float):
            return Decimal(repr(value))
        return value


class Source(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = "Staff unit costs (£, 2019), Appendix 1 of the Schwartz Rounds trial report (2021)"
    method: str = "PSSRU Unit Costs of Health and Social Care 2019"
    price_year: int = Field(2019, ge=1900, le=2200)


class ParamsFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    source: Source = Source()
    parameters: Params = Params()


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
    threshold = params.ni_secondary_threshold_per_week_gbp * params.days_per_year / Decimal(7)
    return (threshold, params.employer_ni_rate, params.superannuation_rate, params.direct_overheads_rate,
            params.indirect_overheads_rate, params.capital_overheads_gbp)


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
        salary=salary, ni_threshold_gbp=threshold, employer_ni=ni, superannuation=superannuation,
        on_costs=on_costs, direct_overheads=direct, indirect_overheads=indirect,
        capital_overheads=params.capital_overheads_gbp, overheads=overheads, total_annual=total,
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

    path: str
    sha256: str
    source: Source
    params: Params
    params_path: str
    roles: tuple[UnitCost, ...]

    @property
    def price_year(self) -> int:
        return self.source.price_year

    def _index(self) -> dict[str, UnitCost]:
        index = self.__dict__.get("_index_cache")
        if index is None:
            index = {role_key(r.role): r for r in self.roles}
            object.__setattr__(self, "_index_cache", index)
        return index

    def find(self, role: str) -> UnitCost | None:
        return self._index().get(role_key(role))

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
            return "Did you mean " + " or ".join(f"'{h}'" for h in hints) + "? (`sr-cost unit-costs list` shows all roles)"
        return "Use a role from `sr-cost unit-costs list`, or give an hourly `rate` instead"

    def search(self, text: str) -> tuple[UnitCost, ...]:
        key = role_key(text)
        return tuple(r for r in self.roles if key in role_key(r.role))


def load_params(path: Path) -> ParamsFile:
    display = str(path)
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle, parse_float=Decimal)
    except OSError as exc:
        raise DataError(Problem(file=display, message=f"cannot be read: {exc.strerror or exc}",
                                fix="Check the path of the parameters file")) from None
    except tomllib.TOMLDecodeError as exc:
        raise DataError(Problem(file=display, message=f"is not valid TOML: {exc}",
                                fix="Compare it with unit_costs/pssru_2019.toml")) from None
    try:
        return ParamsFile.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = ".".join(str(p) for p in err["loc"])
            problems.append(Problem(file=display, column=loc, value=str(err.get("input", ""))[:80],
                                    message=err["msg"], fix="Compare it with unit_costs/pssru_2019.toml"))
        raise DataError(problems) from None


def default_table_path() -> Path:
    return bundled_dir() / DEFAULT_TABLE


def load_table(path: Path | None = None, params_path: Path | None = None) -> UnitCostTable:
    """Load and validate a unit-cost table (CSV or XLSX).

    Parameters come from ``params_path``, else a TOML file beside the table with the same stem,
    else the 2019 defaults. A table that gives only ``role,salary`` has the rest derived.
    """
    path = path or default_table_path()
    if params_path is None:
        beside = path.with_suffix(".toml")
        params_path = beside if beside.is_file() else None
    params_file = load_params(params_path) if params_path else ParamsFile()
    raw = read_table(path)
    roles = validate_table(raw, params_file.parameters)
    return UnitCostTable(path=str(path), sha256=sha256_of(path), source=params_file.source,
                         params=params_file.parameters,
                         params_path=str(params_path) if params_path else "(built-in 2019 defaults)",
                         roles=roles)


def _number(raw: RawTable, row: int, column: str, value: object, problems: ProblemCollector,
            *, places: int | None = 2) -> Decimal | None:
    try:
        number = parse_number(value, max_places=places)
    except ValueError as exc:
        problems.add(raw.problem(f"{column} {exc}", row=row, column=column, value=value,
                                 fix="Write a plain amount in pounds, e.g. 34748.00"))
        return None
    if number < 0:
        problems.add(raw.problem(f"{column} is negative", row=row, column=column, value=value,
                                 fix="Amounts must be zero or more"))
        return None
    return number


def validate_table(raw: RawTable, params: Params) -> tuple[UnitCost, ...]:
    """Every problem in the table at once, or the validated roles."""
    problems = ProblemCollector()
    missing = [c for c in ("role", "salary") if c not in raw.headers]
    full = all(c in raw.headers for c in ("on_costs", "overheads", "unit_cost_hour"))
    if "role" not in raw.headers or ("salary" not in raw.headers and not full):
        problems.add(raw.problem(f"missing column(s): {', '.join(missing)}", row=None,
                                 fix="A unit-cost table needs the columns role,salary[,on_costs,overheads,unit_cost_hour]"))
        problems.raise_if_errors()
    if not raw.rows:
        problems.add(raw.problem("has no roles", fix="Add one row per role under the header"))
        problems.raise_if_errors()
    seen: dict[str, int] = {}
    roles: list[UnitCost] = []
    for r in raw.rows:
        v = r.values
        role = str(v.get("role") or "").strip()
        if not role:
            problems.add(raw.problem("role is blank", row=r.row, column="role", fix="Name the role"))
            continue
        key = role_key(role)
        if key in seen:
            problems.add(raw.problem(f"role appears twice (first on row {seen[key]})", row=r.row, column="role",
                                     value=role, fix="Keep one row per role"))
            continue
        seen[key] = r.row
        salary = None
        if nonblank(v.get("salary")):
            salary = _number(raw, r.row, "salary", v.get("salary"), problems)
        given = [nonblank(v.get(c)) for c in ("on_costs", "overheads", "unit_cost_hour")]
        if all(given):
            on_costs = _number(raw, r.row, "on_costs", v["on_costs"], problems)
            overheads = _number(raw, r.row, "overheads", v["overheads"], problems)
            unit = _number(raw, r.row, "unit_cost_hour", v["unit_cost_hour"], problems)
            if None in (on_costs, overheads, unit):
                continue
            roles.append(UnitCost(role=role, salary=salary, on_costs=on_costs, overheads=overheads,
                                  unit_cost_hour=unit, row=r.row))
        elif any(given):
            problems.add(raw.problem("on_costs, overheads and unit_cost_hour must be given together or all left blank",
                                     row=r.row, column="unit_cost_hour", value=v.get("unit_cost_hour"),
                                     fix="Fill in all three, or leave all three blank to derive them from salary"))
        elif salary is None:
            if not nonblank(v.get("salary")):
                problems.add(raw.problem("salary is blank and there is no unit cost", row=r.row, column="salary",
                                         fix="Give the role's annual salary, or its unit_cost_hour"))
        else:
            d = derive(salary, params)
            roles.append(UnitCost(role=role, salary=salary, on_costs=d.on_costs, overheads=d.overheads,
                                  unit_cost_hour=d.unit_cost_hour, row=r.row, derived=True))
    problems.raise_if_errors()
    return tuple(roles)


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
        for name, published, derived in (("on_costs", role.on_costs, d.on_costs),
                                         ("overheads", role.overheads, d.overheads)):
            if abs(published - derived) > PENNY:
                out.append(Mismatch(role.role, role.row, name, published, derived))
    return out


def build_table(salaries: Path, params_path: Path | None = None) -> UnitCostTable:
    """A full table from ``role,salary`` rows (an authority's own pay scales)."""
    params_file = load_params(params_path) if params_path else ParamsFile()
    raw = read_table(salaries)
    if "salary" not in raw.headers:
        raise DataError(raw.problem("missing column: salary", fix="Give the columns role,salary"))
    # everything is derived from salary: any other columns the file has are ignored
    stripped = RawTable(file=raw.file, sheet=raw.sheet,
                        headers={k: raw.headers[k] for k in ("role", "salary") if k in raw.headers},
                        letters=raw.letters,
                        rows=[RawRow(row=r.row, values={k: r.values.get(k) for k in ("role", "salary")})
                              for r in raw.rows])
    roles = validate_table(stripped, params_file.parameters)
    return UnitCostTable(path=str(salaries), sha256=sha256_of(salaries), source=params_file.source,
                         params=params_file.parameters,
                         params_path=str(params_path) if params_path else "(built-in 2019 defaults)",
                         roles=roles)
