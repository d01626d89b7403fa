"""Read a staff unit-cost table (CSV or XLSX) and its parameters (TOML) into the core's
``UnitCostTable``, or build one from an authority's own ``role,salary`` pay scales.

The TOML file's two tables are validated here by pydantic (``ParamsModel``, ``SourceModel``: every
field, its unit and its allowed range) and handed on as the core's plain ``Params`` and ``Source``.
"""

from __future__ import annotations

import tomllib
from dataclasses import fields
from decimal import Decimal
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model, field_validator

from sr_cost.core.unit_costs import Params, Source, UnitCost, UnitCostTable, derive, role_key
from sr_cost.errors import DataError, Problem, ProblemCollector
from sr_cost.inputs.cell_values import text_problem
from sr_cost.inputs.files import InputBytes, read_input, read_table
from sr_cost.inputs.tables import RawRow, RawTable, nonblank
from sr_cost.money import parse_number

_DEFAULTS, _SOURCE = Params(), Source()


BUNDLED_DIR_NAME = "unit_costs"
DEFAULT_TABLE = "pssru_2019.csv"


def bundled_dir() -> Path:
    """Where the bundled tables live: the repository's unit_costs/ in a checkout, or the copy
    installed inside the package (``sr_cost/unit_costs``) after ``pip install .``."""
    package = Path(__file__).resolve().parent.parent  # sr_cost/
    for candidate in (package / BUNDLED_DIR_NAME, package.parent / BUNDLED_DIR_NAME):
        if (candidate / DEFAULT_TABLE).is_file():
            return candidate
    raise FileNotFoundError("the bundled unit-cost table is missing from this installation")


# the range each parameter may take; what it is and its unit are ``Params``' own docs
LIMITS = {
    "employer_ni_rate": {"ge": 0, "le": 1},
    "ni_secondary_threshold_per_week_gbp": {"ge": 0, "le": 10_000},
    "days_per_year": {"ge": 1, "le": 366},
    "superannuation_rate": {"ge": 0, "le": 1},
    "direct_overheads_rate": {"ge": 0, "le": 10},
    "indirect_overheads_rate": {"ge": 0, "le": 10},
    "capital_overheads_gbp": {"ge": 0, "le": 1_000_000},
    "working_hours_per_year": {"ge": 1, "le": 8_784},
}
# the most a figure of a unit-cost table may be [£ a year, £ an hour]
MOST = {
    "salary": Decimal(10_000_000),
    "on_costs": Decimal(10_000_000),
    "overheads": Decimal(10_000_000),
    "unit_cost_hour": Decimal(10_000),
}


class _Exact(BaseModel):
    """Numbers read exactly: a TOML float becomes the Decimal of its shortest text."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _exact(cls, value: object) -> object:
        if isinstance(value, float):
            return Decimal(repr(value))
        return value

    def to_core(self) -> Params:
        return Params(**{f.name: getattr(self, f.name) for f in fields(Params)})


# ``[parameters]`` of the TOML file: the fields of the core's ``Params``, each with its range
ParamsModel = create_model(
    "ParamsModel",
    __base__=_Exact,
    **{f.name: (Decimal, Field(f.default, description=f.metadata["doc"], **LIMITS[f.name])) for f in fields(Params)},
)


class SourceModel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = _SOURCE.name
    method: str = _SOURCE.method
    price_year: int = Field(_SOURCE.price_year, ge=1900, le=2200)

    def to_core(self) -> Source:
        return Source(name=self.name, method=self.method, price_year=self.price_year)


class ParamsFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    source: SourceModel = SourceModel()
    parameters: ParamsModel = ParamsModel()


def load_params(path: Path, given: InputBytes | None = None) -> ParamsFile:
    """The parameters TOML file (``given``: its bytes, when already read)."""
    display = str(path)
    given = given or read_input(path, fix="Check the path of the parameters file")
    try:
        data = tomllib.loads(given.data.decode("utf-8"), parse_float=Decimal)
    except UnicodeDecodeError:
        raise DataError(
            Problem(file=display, message="is not UTF-8 text", fix="Save it as UTF-8 (TOML files are UTF-8)")
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise DataError(
            Problem(file=display, message=f"is not valid TOML: {exc}", fix="Compare it with unit_costs/pssru_2019.toml")
        ) from None
    try:
        return ParamsFile.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = ".".join(str(p) for p in err["loc"])
            problems.append(
                Problem(
                    file=display,
                    column=loc,
                    value=str(err.get("input", ""))[:80],
                    message=err["msg"],
                    fix="Compare it with unit_costs/pssru_2019.toml",
                )
            )
        raise DataError(problems) from None


def default_table_path() -> Path:
    return bundled_dir() / DEFAULT_TABLE


def params_path_for(path: Path | None, params_path: Path | None) -> Path | None:
    """The parameters file of a table: ``params_path``, else the TOML file beside the table with
    the same stem, else None (the 2019 defaults)."""
    if params_path is not None:
        return params_path
    beside = (path or default_table_path()).with_suffix(".toml")
    return beside if beside.is_file() else None


def input_files(path: Path | None, params_path: Path | None) -> list[Path]:
    """The files a table is read from: the table and its parameters file (an output must not be one)."""
    table = path or default_table_path()
    params = params_path_for(table, params_path)
    return [table] + ([params] if params is not None else [])


def _read_params(params_path: Path | None, problems: list[Problem]) -> tuple[ParamsFile, str | None]:
    """The parameters and the SHA-256 of their file; the defaults when there is none, or when it
    has problems (added to ``problems``, so the table's are found too)."""
    if params_path is None:
        return ParamsFile(), None
    try:
        given = read_input(params_path, fix="Check the path of the parameters file")
        return load_params(params_path, given), given.sha256
    except DataError as error:
        problems.extend(error.problems)
        return ParamsFile(), None


def load_table(path: Path | None = None, params_path: Path | None = None) -> UnitCostTable:
    """Load and validate a unit-cost table (CSV or XLSX); every problem of the table and of its
    parameters at once.

    Parameters come from ``params_path``, else a TOML file beside the table with the same stem,
    else the 2019 defaults. A table that gives only ``role,salary`` has the rest derived.
    """
    path = path or default_table_path()
    params_path = params_path_for(path, params_path)
    problems: list[Problem] = []
    params_file, params_sha256 = _read_params(params_path, problems)
    roles: tuple[UnitCost, ...] = ()
    given = None
    try:
        given = read_input(path)
        roles = validate_table(read_table(path, given=given), params_file.parameters.to_core())
    except DataError as error:
        problems.extend(error.problems)
    if problems:
        raise DataError(problems)
    return UnitCostTable(
        path=str(path),
        sha256=given.sha256,
        source=params_file.source.to_core(),
        params=params_file.parameters.to_core(),
        params_path=str(params_path) if params_path else "(built-in 2019 defaults)",
        roles=roles,
        params_sha256=params_sha256,
    )


def _number(
    raw: RawTable, row: int, column: str, value: object, problems: ProblemCollector, *, places: int | None = 2
) -> Decimal | None:
    """An amount of the table, at most ``MOST[column]``; a salary more than £0."""
    try:
        number = parse_number(value, max_places=places)
    except ValueError as exc:
        problems.add(
            raw.problem(
                f"{column} {exc}",
                row=row,
                column=column,
                value=value,
                fix="Write a plain amount in pounds, e.g. 34748.00",
            )
        )
        return None
    if number < 0:
        problems.add(
            raw.problem(
                f"{column} is negative", row=row, column=column, value=value, fix="Amounts must be zero or more"
            )
        )
        return None
    if number > MOST[column]:
        problems.add(
            raw.problem(
                f"{column} is more than the £{MOST[column]:,} sr-cost takes",
                row=row,
                column=column,
                value=value,
                fix=f"Check the value: {column} is in pounds "
                + ("an hour" if column == "unit_cost_hour" else "a year")
                + " (a slip of the keyboard, or a figure in the wrong column?)",
            )
        )
        return None
    if column == "salary" and number == 0:
        problems.add(
            raw.problem(
                "salary is £0",
                row=row,
                column=column,
                value=value,
                fix="Write the role's annual salary (or leave it blank and give on_costs, overheads and "
                "unit_cost_hour)",
            )
        )
        return None
    return number


def validate_table(raw: RawTable, params: Params) -> tuple[UnitCost, ...]:
    """Every problem in the table at once, or the validated roles."""
    problems = ProblemCollector()
    missing = [c for c in ("role", "salary") if c not in raw.headers]
    full = all(c in raw.headers for c in ("on_costs", "overheads", "unit_cost_hour"))
    if "role" not in raw.headers or ("salary" not in raw.headers and not full):
        problems.add(
            raw.problem(
                f"missing column(s): {', '.join(missing)}",
                row=None,
                fix="A unit-cost table needs the columns role,salary[,on_costs,overheads,unit_cost_hour]",
            )
        )
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
        wrong = text_problem(role)
        if wrong is not None:
            problems.add(raw.problem(f"role {wrong[0]}", row=r.row, column="role", value=wrong[2], fix=wrong[1]))
            continue
        key = role_key(role)
        if key in seen:
            problems.add(
                raw.problem(
                    f"role appears twice (first on row {seen[key]})",
                    row=r.row,
                    column="role",
                    value=role,
                    fix="Keep one row per role",
                )
            )
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
            roles.append(
                UnitCost(
                    role=role, salary=salary, on_costs=on_costs, overheads=overheads, unit_cost_hour=unit, row=r.row
                )
            )
        elif any(given):
            problems.add(
                raw.problem(
                    "on_costs, overheads and unit_cost_hour must be given together or all left blank",
                    row=r.row,
                    column="unit_cost_hour",
                    value=v.get("unit_cost_hour"),
                    fix="Fill in all three, or leave all three blank to derive them from salary",
                )
            )
        elif salary is None:
            if not nonblank(v.get("salary")):
                problems.add(
                    raw.problem(
                        "salary is blank and there is no unit cost",
                        row=r.row,
                        column="salary",
                        fix="Give the role's annual salary, or its unit_cost_hour",
                    )
                )
        else:
            d = derive(salary, params)
            roles.append(
                UnitCost(
                    role=role,
                    salary=salary,
                    on_costs=d.on_costs,
                    overheads=d.overheads,
                    unit_cost_hour=d.unit_cost_hour,
                    row=r.row,
                    derived=True,
                )
            )
    problems.raise_if_errors()
    return tuple(roles)


def build_table(salaries: Path, params_path: Path | None = None) -> UnitCostTable:
    """A full table from ``role,salary`` rows (an authority's own pay scales)."""
    problems: list[Problem] = []
    params_file, params_sha256 = _read_params(params_path, problems)
    if problems:
        raise DataError(problems)
    given = read_input(salaries)
    raw = read_table(salaries, given=given)
    if "salary" not in raw.headers:
        raise DataError(raw.problem("missing column: salary", fix="Give the columns role,salary"))
    # everything is derived from salary: any other columns the file has are ignored
    stripped = RawTable(
        file=raw.file,
        sheet=raw.sheet,
        headers={k: raw.headers[k] for k in ("role", "salary") if k in raw.headers},
        letters=raw.letters,
        rows=[RawRow(row=r.row, values={k: r.values.get(k) for k in ("role", "salary")}) for r in raw.rows],
    )
    roles = validate_table(stripped, params_file.parameters.to_core())
    return UnitCostTable(
        path=str(salaries),
        sha256=given.sha256,
        source=params_file.source.to_core(),
        params=params_file.parameters.to_core(),
        params_path=str(params_path) if params_path else "(built-in 2019 defaults)",
        roles=roles,
        params_sha256=params_sha256,
    )
