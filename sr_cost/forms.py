"""The economic forms: find them (a workbook or a folder of CSV files), validate every line, and
hand the core immutable ``Line`` records.

Forms (sheet or file names, case-insensitive): ``training``, ``rounds`` (required), ``panel``,
``steering``, and for savings ``survey`` and ``staff``. A line costs
``staff x hours x hourly rate + miles x mileage rate + cost``; staff time and mileage are indirect
cost, ``cost`` is direct cost.

Lines are plain frozen dataclasses rather than one pydantic model each: a national run has hundreds
of thousands of lines, and the checks below collect every problem in one pass anyway.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from pathlib import Path

from sr_cost.errors import DataError, Problem, ProblemCollector
from sr_cost.money import ZERO, parse_number
from sr_cost.readers import RawTable, nonblank, read_csv, read_xlsx_sheets, sha256_of
from sr_cost.unit_costs import UnitCostTable


class FormKind(str, Enum):
    """The four cost forms of the trial."""

    training = "training"
    rounds = "rounds"
    panel = "panel"
    steering = "steering"


class Mode(str, Enum):
    """How a round was delivered."""

    in_person = "in-person"
    virtual = "virtual"


MODE_SPELLINGS = {"in-person": Mode.in_person, "in person": Mode.in_person, "inperson": Mode.in_person,
                  "face to face": Mode.in_person, "face-to-face": Mode.in_person,
                  "virtual": Mode.virtual, "online": Mode.virtual}

ATTENDANCE_ITEM = "attendance"
SHEETS = ("training", "rounds", "panel", "steering", "survey", "staff")
COST_COLUMNS = ("la", "phase", "round", "mode", "item", "role", "rate", "staff", "hours", "miles", "cost")
REQUIRED = {
    FormKind.training: ("la", "phase"),
    FormKind.rounds: ("la", "phase", "round"),
    FormKind.panel: ("la", "phase"),
    FormKind.steering: ("la", "phase"),
}


@dataclass(frozen=True, slots=True)
class Line:
    """One validated line of a cost form, with where it came from."""

    form: FormKind
    la: str
    phase: str
    round: str | None
    mode: Mode | None
    item: str
    role: str | None
    rate: Decimal  # the hourly rate applied [£/hour]: the line's own rate or the role's unit cost
    own_rate: bool  # True when the line gave its own rate
    staff: Decimal
    hours: Decimal
    miles: Decimal
    cost: Decimal  # direct cost [£]
    file: str
    sheet: str
    row: int
    cells: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def is_attendance(self) -> bool:
        return self.form is FormKind.rounds and self.item.casefold() == ATTENDANCE_ITEM

    @property
    def staff_time_cost(self) -> Decimal:
        return self.staff * self.hours * self.rate

    def mileage_cost(self, mileage_rate: Decimal) -> Decimal:
        return self.miles * mileage_rate

    def indirect(self, mileage_rate: Decimal) -> Decimal:
        return self.staff_time_cost + self.miles * mileage_rate

    def total(self, mileage_rate: Decimal) -> Decimal:
        return self.staff_time_cost + self.miles * mileage_rate + self.cost

    def where(self) -> str:
        return f"{self.file}" + (f", sheet '{self.sheet}'" if self.sheet else "") + f", row {self.row}"


@dataclass(frozen=True)
class InputFile:
    path: str
    sha256: str


@dataclass(frozen=True)
class FormsBundle:
    """What was read from a workbook or folder, before validation."""

    path: str
    inputs: tuple[InputFile, ...]
    tables: dict[str, RawTable]
    warnings: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class CostForms:
    """The validated cost forms."""

    path: str
    inputs: tuple[InputFile, ...]
    lines: dict[FormKind, tuple[Line, ...]]
    warnings: tuple[Problem, ...] = ()

    def of(self, kind: FormKind) -> tuple[Line, ...]:
        return self.lines.get(kind, ())


def read_forms(path: Path, *, encoding: str = "utf-8-sig") -> FormsBundle:
    """Read the forms from an .xlsx workbook or a folder of CSV files (no validation yet)."""
    display = str(path)
    if not path.exists():
        raise DataError(Problem(file=display, message="does not exist",
                                fix="Give a forms workbook (.xlsx) or a folder of CSV files (rounds.csv, ...)"))
    warnings: list[Problem] = []
    if path.is_dir():
        tables: dict[str, RawTable] = {}
        inputs: list[InputFile] = []
        found = {p.name.strip().lower(): p for p in sorted(path.iterdir()) if p.is_file()}
        for name in SHEETS:
            file = found.get(f"{name}.csv")
            if file is None:
                continue
            tables[name] = read_csv(file, encoding=encoding, display=str(path / file.name))
            inputs.append(InputFile(str(path / file.name), sha256_of(file)))
        if not tables:
            raise DataError(Problem(file=display, message="holds none of the form files",
                                    fix="Put rounds.csv (and training.csv, panel.csv, steering.csv) in the folder"))
        return FormsBundle(display, tuple(inputs), tables, tuple(warnings))
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        sheets = read_xlsx_sheets(path, display=display)
        tables = {name: sheets[name] for name in SHEETS if name in sheets}
        return FormsBundle(display, (InputFile(display, sha256_of(path)),), tables, tuple(warnings))
    if path.suffix.lower() == ".csv":
        raise DataError(Problem(file=display, message="is a single CSV file",
                                fix="Give the folder that holds rounds.csv, training.csv, panel.csv and steering.csv"))
    raise DataError(Problem(file=display, message="is neither an .xlsx workbook nor a folder",
                            fix="Save the forms as an Excel workbook (.xlsx) or as CSV files in one folder"))


def text_label(value: object) -> str:
    """A label as text: Excel's 1.0 and the text '1' are the same phase '1'; dates become ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, (dt.datetime,)):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float, Decimal)):
        return str(value)
    text = " ".join(str(value).split())
    try:
        number = Decimal(text)
        if number.is_finite() and number == number.to_integral_value() and "." in text:
            return str(int(number))
    except Exception:
        pass
    return text


def _number(raw: RawTable, row: int, column: str, value: object, problems: ProblemCollector, *,
            default: Decimal, places: int | None = None) -> Decimal | None:
    if not nonblank(value):
        return default
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        problems.add(raw.problem(f"{column} holds a date, not a number", row=row, column=column, value=value,
                                 fix="Format the cell as a number (Excel may have turned it into a date)"))
        return None
    try:
        number = parse_number(value, max_places=places)
    except ValueError as exc:
        problems.add(raw.problem(f"{column} {exc}", row=row, column=column, value=value,
                                 fix=f"Write a number of zero or more in '{raw.headers.get(column, column)}'"))
        return None
    if number < 0:
        problems.add(raw.problem(f"{column} is negative", row=row, column=column, value=value,
                                 fix="Write zero or more"))
        return None
    return number


def check_columns(raw: RawTable, known: tuple[str, ...], required: tuple[str, ...],
                  problems: ProblemCollector) -> bool:
    """Missing required columns are errors; unknown extra columns are warnings."""
    ok = True
    for column in required:
        if column not in raw.headers:
            problems.add(raw.problem(f"the required column '{column}' is missing", row=None, column="",
                                     fix=f"Add a column headed '{column}' (headers are: {', '.join(known)})"))
            ok = False
    extra = [raw.headers[c] for c in raw.headers if c not in known and c]
    if extra:
        problems.add(raw.problem(f"unknown column(s) ignored: {', '.join(extra)}", row=None,
                                 fix=f"Known columns are: {', '.join(known)}", severity="warning"))
    return ok


def validate_cost_forms(bundle: FormsBundle, table: UnitCostTable) -> CostForms:
    """Validate the four cost forms against the unit-cost table; every problem at once."""
    problems = ProblemCollector()
    for warning in bundle.warnings:
        problems.add(warning)
    if "rounds" not in bundle.tables:
        problems.add(Problem(file=bundle.path, sheet="rounds" if bundle.path.lower().endswith(("xlsx", "xlsm")) else "",
                             message="the rounds form is missing",
                             fix="Add a 'rounds' sheet (or rounds.csv in the folder): it is the one required form"))
        problems.raise_if_errors()
    lines: dict[FormKind, tuple[Line, ...]] = {}
    for kind in FormKind:
        raw = bundle.tables.get(kind.value)
        if raw is None:
            continue
        if not check_columns(raw, COST_COLUMNS, REQUIRED[kind], problems):
            continue
        lines[kind] = tuple(_validate_lines(kind, raw, table, problems))
    # rounds named in the rounds form, including lines that had errors, so that a bad line does not
    # also show up as "no such round" elsewhere
    named = set()
    if FormKind.rounds in lines:
        for r in bundle.tables["rounds"].rows:
            named.add((text_label(r.values.get("la")), text_label(r.values.get("phase")),
                       text_label(r.values.get("round"))))
    if FormKind.rounds in lines:
        _cross_checks(lines, named, problems)
    problems.raise_if_errors()
    return CostForms(bundle.path, bundle.inputs, lines, tuple(problems.warnings))


def _validate_lines(kind: FormKind, raw: RawTable, table: UnitCostTable, problems: ProblemCollector):
    out: list[Line] = []
    for r in raw.rows:
        v = r.values
        n_before = len(problems.errors)
        la = text_label(v.get("la"))
        phase = text_label(v.get("phase"))
        if not la:
            problems.add(raw.problem("la is blank", row=r.row, column="la", fix="Write the local authority's label"))
        if not phase:
            problems.add(raw.problem("phase is blank", row=r.row, column="phase", fix="Write the phase label, e.g. 1"))
        round_id = text_label(v.get("round")) or None
        if kind is FormKind.rounds and round_id is None:
            problems.add(raw.problem("round is blank", row=r.row, column="round",
                                     fix="Write the round's identifier (a number, a date or a name)"))
        if kind is FormKind.training:
            round_id = None
        mode = None
        mode_text = text_label(v.get("mode"))
        if mode_text and kind is FormKind.rounds:
            mode = MODE_SPELLINGS.get(mode_text.casefold())
            if mode is None:
                problems.add(raw.problem("unknown mode", row=r.row, column="mode", value=mode_text,
                                         fix="Write 'in-person' or 'virtual'"))
        item = text_label(v.get("item"))
        staff = _number(raw, r.row, "staff", v.get("staff"), problems, default=Decimal(1))
        hours = _number(raw, r.row, "hours", v.get("hours"), problems, default=ZERO)
        miles = _number(raw, r.row, "miles", v.get("miles"), problems, default=ZERO)
        cost = _number(raw, r.row, "cost", v.get("cost"), problems, default=ZERO, places=2)
        own = nonblank(v.get("rate"))
        rate = _number(raw, r.row, "rate", v.get("rate"), problems, default=ZERO, places=4) if own else ZERO
        role = text_label(v.get("role")) or None
        if role is not None and not own:
            found = table.find(role)
            if found is None:
                problems.add(raw.problem("unknown role", row=r.row, column="role", value=role,
                                         fix=table.unknown_role_fix(role)))
            else:
                role, rate = found.role, found.unit_cost_hour
        elif role is None and not own and hours and hours > 0 and staff and staff > 0:
            problems.add(raw.problem("hours are given but neither a role nor a rate", row=r.row, column="hours",
                                     value=v.get("hours"),
                                     fix="Give the staff member's role (from the unit-cost table) or an hourly rate"))
        if len(problems.errors) != n_before:
            continue
        out.append(Line(form=kind, la=la, phase=phase, round=round_id, mode=mode, item=item, role=role,
                        rate=rate, own_rate=own, staff=staff, hours=hours, miles=miles, cost=cost,
                        file=raw.file, sheet=raw.sheet, row=r.row,
                        cells={c: f"{raw.letters[c]}{r.row}" for c in raw.letters} if raw.sheet else {}))
    return out


def _where(line: Line, column: str) -> dict:
    return dict(file=line.file, sheet=line.sheet, row=line.row, column=column,
                cell=line.cells.get(column, ""))


def _cross_checks(lines: dict[FormKind, tuple[Line, ...]], named: set[tuple[str, str, str]],
                  problems: ProblemCollector) -> None:
    rounds = lines.get(FormKind.rounds, ())
    # every round has one mode
    modes: dict[tuple[str, str, str], dict[Mode, Line]] = {}
    for line in rounds:
        entry = modes.setdefault((line.la, line.phase, line.round), {})
        if line.mode is not None:
            entry.setdefault(line.mode, line)
    for (la, phase, rid), found in modes.items():
        if len(found) > 1:
            first, second = found[Mode.in_person], found[Mode.virtual]
            problems.add(Problem(**_where(second, "mode"), value=second.mode.value,
                                 message=f"round {rid} of {la} phase {phase} has two modes: "
                                         f"{first.mode.value} at row {first.row} and {second.mode.value} here",
                                 fix="Give every line of a round the same mode (or split it into two rounds)"))
        elif not found:
            line = next(l for l in rounds if (l.la, l.phase, l.round) == (la, phase, rid))
            problems.add(Problem(**_where(line, "mode"), value="",
                                 message=f"round {rid} of {la} phase {phase} has no mode on any of its lines",
                                 fix="Write 'in-person' or 'virtual' in the mode column"))
    # a round must have something in it
    totals: dict[tuple[str, str, str], bool] = {}
    for line in rounds:
        key = (line.la, line.phase, line.round)
        filled = (line.staff * line.hours) > 0 or line.miles > 0 or line.cost > 0 or line.is_attendance
        totals[key] = totals.get(key, False) or filled
    for key, filled in totals.items():
        if not filled:
            line = next(l for l in rounds if (l.la, l.phase, l.round) == key)
            problems.add(Problem(**_where(line, "round"), value=key[2],
                                 message=f"round {key[2]} of {key[0]} phase {key[1]} has no lines with staff time, "
                                         "mileage, cost or attendance",
                                 fix="Fill in the round's lines, or delete the round"))
    la_phases = {key[:2] for key in named}
    round_ids = named
    for kind in (FormKind.training, FormKind.panel, FormKind.steering):
        for line in lines.get(kind, ()):
            if (line.la, line.phase) not in la_phases:
                problems.add(Problem(**_where(line, "la"), value=f"{line.la} / phase {line.phase}",
                                     message=f"this {kind.value} line is for {line.la} phase {line.phase}, "
                                             "which has no rounds",
                                     fix="Check the la and phase labels match those in the rounds form, "
                                         "or add that LA's rounds"))
            elif line.round is not None and (line.la, line.phase, line.round) not in round_ids:
                problems.add(Problem(**_where(line, "round"), value=line.round,
                                     message=f"this {kind.value} line is tied to round {line.round}, which is not "
                                             f"in the rounds form for {line.la} phase {line.phase}",
                                     fix="Use a round identifier from the rounds form, or leave round blank to "
                                         "spread the cost over all that LA's rounds"))


def load_cost_forms(path: Path, table: UnitCostTable, *, encoding: str = "utf-8-sig") -> CostForms:
    return validate_cost_forms(read_forms(path, encoding=encoding), table)
