"""Read a staff unit-cost table (CSV or XLSX) and its parameters (TOML, ``unit_cost_params``) into
the core's ``UnitCostTable``, or build one from an authority's own ``role,salary`` pay scales.

Two tables are bundled (``unit_costs/``), chosen by their price year: ``2019`` (the default, the
trial report's Appendix 1) and ``2025`` (its salaries brought forward to 2025/26 by the NJC pay
awards, with 2025/26 employer's NI). A bundled table is named ``bundled: pssru_2019`` in every output,
and its files by their place in the repository (``unit_costs/pssru_2019.csv``), never by where the
package is installed.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from sr_cost.core.prices import read_year
from sr_cost.core.unit_costs import Params, UnitCost, UnitCostTable, derive, role_key
from sr_cost.errors import DataError, Problem, ProblemCollector, UsageError
from sr_cost.inputs.cell_values import text_problem
from sr_cost.inputs.files import InputBytes, read_input, read_table
from sr_cost.inputs.tables import RawRow, RawTable, nonblank
from sr_cost.inputs.unit_cost_params import ParamsFile, load_params
from sr_cost.money import parse_number

BUNDLED_DIR_NAME = "unit_costs"
BUNDLED = {2019: "pssru_2019", 2025: "pssru_2025"}  # price year -> the bundled table's stem
DEFAULT_YEAR = 2019  # the report's table
DEFAULT_TABLE = f"{BUNDLED[DEFAULT_YEAR]}.csv"
BUILT_IN = "(built-in 2019 defaults)"
# the most a figure of a unit-cost table may be [£ a year, £ an hour]
MOST = {
    "salary": Decimal(10_000_000),
    "on_costs": Decimal(10_000_000),
    "overheads": Decimal(10_000_000),
    "unit_cost_hour": Decimal(10_000),
}


def bundled_dir() -> Path:
    """Where the bundled tables live: the repository's unit_costs/ in a checkout, or the copy
    installed inside the package (``sr_cost/unit_costs``) after ``pip install .``."""
    package = Path(__file__).resolve().parent.parent  # sr_cost/
    for candidate in (package / BUNDLED_DIR_NAME, package.parent / BUNDLED_DIR_NAME):
        if (candidate / DEFAULT_TABLE).is_file():
            return candidate
    raise FileNotFoundError("the bundled unit-cost table is missing from this installation")


def default_table_path() -> Path:
    return bundled_dir() / DEFAULT_TABLE


def bundled_stem(choice: str | Path | None) -> str | None:
    """The stem of the bundled table ``choice`` names (None: the default; ``2025``, ``2025/26`` or
    ``pssru_2025``), or None when it names a file. A year no table is bundled for is a usage error."""
    if choice is None:
        return BUNDLED[DEFAULT_YEAR]
    text = str(choice).strip()
    if text in BUNDLED.values():
        return text
    if Path(text).suffix or Path(text).exists():
        return None
    text = text.replace("\\", "/")  # '2025/26' given as a path on Windows reads '2025\\26'

    try:
        year, _ = read_year(text)
    except ValueError:
        return None  # a path without a suffix: read_table says what is wrong with it
    if year not in BUNDLED:
        have = ", ".join(str(y) for y in BUNDLED)
        raise UsageError(f"no unit-cost table is bundled for {year}: the bundled tables are {have} (or give a file)")
    return BUNDLED[year]


def _where(choice: str | Path | None, suffix: str) -> tuple[Path, str, str]:
    """The file to read, how outputs show its path, and how they name the table."""
    stem = bundled_stem(choice)
    if stem is None:
        return Path(choice), str(choice), ""
    return bundled_dir() / f"{stem}{suffix}", f"{BUNDLED_DIR_NAME}/{stem}{suffix}", f"bundled: {stem}"


def resolve_params(params: str | Path | None) -> tuple[Path, str] | None:
    """A ``--params`` choice: a TOML file, or a bundled table's parameters by its price year
    (``2025``) or stem; None when not given."""
    if params is None:
        return None
    path, shown, _ = _where(params, ".toml")
    return path, shown


def _params_of(file: Path, shown: str, name: str, params_path: str | Path | None) -> tuple[Path, str] | None:
    """The parameters file of a table and how outputs show it: ``params_path`` (a file, or a bundled
    table's by its year), else the TOML file beside the table with the same stem, else None (the
    2019 defaults)."""
    params = resolve_params(params_path)
    if params is None:
        beside = file.with_suffix(".toml")
        if beside.is_file():  # a bundled table's is shown by its place in the repository, as the table
            params = beside, shown.rsplit(".", 1)[0] + ".toml" if name else str(beside)
    return params


def input_files(path: str | Path | None, params_path: str | Path | None) -> list[Path]:
    """The files a table is read from: the table (a file, or a bundled one by its price year) and
    its parameters file (an output must not be one)."""
    file, shown, name = _where(path, ".csv")
    params = _params_of(file, shown, name, params_path)
    return [file] + ([params[0]] if params is not None else [])


def _read_params(params: tuple[Path, str] | None, problems: list[Problem]) -> tuple[ParamsFile, str | None]:
    """The parameters and the SHA-256 of their file's bytes as read; the defaults when there is
    none, or when it has problems (added to ``problems``, so the table's are found too)."""
    if params is None:
        return ParamsFile(), None
    try:
        given = read_input(params[0], params[1], fix="Check the path of the parameters file")
        return load_params(*params, given=given), given.sha256
    except DataError as error:
        problems.extend(error.problems)
        return ParamsFile(), None


def load_table(path: str | Path | None = None, params_path: str | Path | None = None) -> UnitCostTable:
    """Load and validate a unit-cost table (CSV or XLSX), or a bundled one by its price year; every
    problem of the table and of its parameters at once.

    Parameters come from ``params_path`` (a file, or a bundled table's by its year), else a TOML file
    beside the table with the same stem, else the 2019 defaults. A table that gives only
    ``role,salary`` has the rest derived.
    """
    file, shown, name = _where(path, ".csv")
    params = _params_of(file, shown, name, params_path)
    problems: list[Problem] = []
    params_file, params_sha256 = _read_params(params, problems)
    roles: tuple[UnitCost, ...] = ()
    given: InputBytes | None = None
    try:
        given = read_input(file, shown)
        raw = read_table(file, display=shown, given=given)
        roles = validate_table(raw, params_file.parameters.to_core())
        if not problems:  # with parameters that could not be read, their price year is not known
            check_price_year(raw, params_file, params[1] if params else BUILT_IN)
    except DataError as error:
        problems.extend(error.problems)
    if problems or given is None:
        raise DataError(problems)
    return UnitCostTable(
        path=shown,
        sha256=given.sha256,
        source=params_file.source.to_core(),
        params=params_file.parameters.to_core(),
        params_path=params[1] if params else BUILT_IN,
        roles=roles,
        params_sha256=params_sha256,
        name=name,
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


def check_price_year(raw: RawTable, params_file: ParamsFile, params_shown: str) -> None:
    """A table may state its price year in a ``price_year`` column; a year other than its
    parameters' is an error on each row that states it (a 2025 salary derived with 2019's NI would
    be neither year's cost)."""
    if "price_year" not in raw.headers:
        return
    want = params_file.source.price_year
    problems = ProblemCollector()
    for r in raw.rows:
        value = r.values.get("price_year")
        if not nonblank(value):
            continue
        try:
            year, _ = read_year(value)
        except ValueError as exc:
            problems.add(
                raw.problem(
                    f"price_year {exc}", row=r.row, column="price_year", value=value, fix="Write a year such as 2025"
                )
            )
            continue
        if year != want:
            bundled = next((y for y in BUNDLED if y == year), None)
            hint = f"--params {bundled} (the bundled {bundled}/{str(bundled + 1)[2:]} parameters)" if bundled else None
            problems.add(
                raw.problem(
                    f"the salaries are at {year} prices but the parameters are at {want} prices: {params_shown}",
                    row=r.row,
                    column="price_year",
                    value=value,
                    fix=f"Give parameters of {year}: "
                    + (hint or "a TOML whose [source] price_year is " + str(year))
                    + ", or correct the year",
                )
            )
    problems.raise_if_errors()


def build_table(salaries: str | Path, params_path: str | Path | None = None) -> UnitCostTable:
    """A full table from ``role,salary`` rows (an authority's own pay scales). A ``price_year``
    column, when the file has one, must be the parameters' price year."""
    params = resolve_params(params_path)
    problems: list[Problem] = []
    params_file, params_sha256 = _read_params(params, problems)
    if problems:
        raise DataError(problems)
    given = read_input(Path(salaries))
    raw = read_table(Path(salaries), given=given)
    if "salary" not in raw.headers:
        raise DataError(raw.problem("missing column: salary", fix="Give the columns role,salary"))
    check_price_year(raw, params_file, params[1] if params else BUILT_IN)
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
        params_path=params[1] if params else BUILT_IN,
        roles=roles,
        params_sha256=params_sha256,
    )
