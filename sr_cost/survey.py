"""The sickness-absence survey and the staff counts: validate them into immutable records.

``survey``: one row per respondent: ``la``, ``phase``, ``respondent``, ``group`` (intervention or
control), ``role`` and/or ``salary`` [£/year], ``sick_days`` [days in the recall period], optionally
``rounds_attended``. ``staff``: one row per LA and phase: ``la``, ``phase``, ``intervention_staff``,
``control_staff`` (the numbers randomised, as the report's Table 3).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from sr_cost.errors import Problem, ProblemCollector
from sr_cost.forms import FormsBundle, _number, check_columns, text_label
from sr_cost.money import to_penny
from sr_cost.readers import RawTable, nonblank
from sr_cost.unit_costs import UnitCostTable, derive


class Group(str, Enum):
    """Trial arm of a respondent."""

    intervention = "intervention"
    control = "control"


class AbsenceBasis(str, Enum):
    """What an hour of sickness absence costs."""

    unit_cost = "unit-cost"  # the full hourly unit cost (salary + on-costs + overheads), as the report
    employer = "employer"  # salary + on-costs, per working hour
    salary = "salary"  # salary alone, per working hour


SURVEY_COLUMNS = ("la", "phase", "respondent", "group", "role", "salary", "sick_days", "rounds_attended")
STAFF_COLUMNS = ("la", "phase", "intervention_staff", "control_staff")


@dataclass(frozen=True, slots=True)
class Respondent:
    la: str
    phase: str
    respondent: str
    group: Group
    role: str | None
    salary: Decimal | None
    sick_days: Decimal
    rounds_attended: int | None
    hourly_cost: Decimal  # [£/hour] on the chosen absence basis, rounded half-up to the penny
    hourly_source: str  # how hourly_cost was found, for the audit trail
    file: str
    sheet: str
    row: int


@dataclass(frozen=True, slots=True)
class StaffCount:
    la: str
    phase: str
    intervention_staff: int
    control_staff: int
    file: str
    sheet: str
    row: int


@dataclass(frozen=True)
class Survey:
    respondents: tuple[Respondent, ...]
    staff: tuple[StaffCount, ...]
    warnings: tuple[Problem, ...] = ()


def hourly_cost(role, salary: Decimal | None, table: UnitCostTable, basis: AbsenceBasis) -> tuple[Decimal, str] | None:
    """Hourly cost of a respondent on ``basis``, or None when it cannot be found.

    With a salary, it is derived with the table's method; otherwise the role's figures are used.
    Every basis is rounded half-up to the penny, as the published unit costs are."""
    hours = table.params.working_hours_per_year
    if salary is not None:
        d = derive(salary, table.params)
        if basis is AbsenceBasis.unit_cost:
            return d.unit_cost_hour, "derived from salary"
        if basis is AbsenceBasis.employer:
            return to_penny((salary + d.on_costs) / hours), "salary + on-costs ÷ hours"
        return to_penny(salary / hours), "salary ÷ hours"
    if role is None:
        return None
    if basis is AbsenceBasis.unit_cost:
        return role.unit_cost_hour, "role's unit cost"
    if role.salary is None:
        return None
    if basis is AbsenceBasis.employer:
        return to_penny((role.salary + role.on_costs) / hours), "role's salary + on-costs ÷ hours"
    return to_penny(role.salary / hours), "role's salary ÷ hours"


def _count(raw: RawTable, row: int, column: str, value: object, problems: ProblemCollector) -> int | None:
    number = _number(raw, row, column, value, problems, default=Decimal(0))
    if number is None:
        return None
    if number != number.to_integral_value():
        problems.add(raw.problem(f"{column} is not a whole number", row=row, column=column, value=value,
                                 fix="Write a whole number of people"))
        return None
    return int(number)


def validate_survey(bundle: FormsBundle, table: UnitCostTable, basis: AbsenceBasis,
                    cost_la_phases: set[tuple[str, str]]) -> Survey | None:
    """Validate ``survey`` and ``staff``; None when the forms have no (non-empty) survey."""
    raw = bundle.tables.get("survey")
    if raw is None or not raw.rows:
        return None
    problems = ProblemCollector()
    respondents: list[Respondent] = []
    if check_columns(raw, SURVEY_COLUMNS, ("la", "phase", "respondent", "group", "sick_days"), problems):
        if "role" not in raw.headers and "salary" not in raw.headers:
            problems.add(raw.problem("the survey needs a 'role' or a 'salary' column",
                                     fix="Add the respondents' job roles (from the unit-cost table) or salaries"))
        else:
            respondents = _respondents(raw, table, basis, problems)
    staff: list[StaffCount] = []
    staff_raw = bundle.tables.get("staff")
    if staff_raw is not None and staff_raw.rows and check_columns(staff_raw, STAFF_COLUMNS, STAFF_COLUMNS, problems):
        seen: dict[tuple[str, str], int] = {}
        for r in staff_raw.rows:
            v = r.values
            la, phase = text_label(v.get("la")), text_label(v.get("phase"))
            if not la or not phase:
                problems.add(staff_raw.problem("la or phase is blank", row=r.row, column="la" if not la else "phase",
                                               fix="Write the LA and phase as in the cost forms"))
                continue
            if (la, phase) in seen:
                problems.add(staff_raw.problem(f"{la} phase {phase} appears twice (first on row {seen[(la, phase)]})",
                                               row=r.row, column="la", value=la, fix="Keep one row per LA and phase"))
                continue
            seen[(la, phase)] = r.row
            i = _count(staff_raw, r.row, "intervention_staff", v.get("intervention_staff"), problems)
            c = _count(staff_raw, r.row, "control_staff", v.get("control_staff"), problems)
            if i is None or c is None:
                continue
            if (la, phase) not in cost_la_phases:
                problems.add(staff_raw.problem(
                    f"{la} phase {phase} has no cost forms, so it is left out of the savings totals",
                    row=r.row, column="la", value=la, severity="warning",
                    fix="Check the la and phase labels match the rounds form"))
            staff.append(StaffCount(la, phase, i, c, staff_raw.file, staff_raw.sheet, r.row))
    # a phase needs both groups for a saving
    for phase in sorted({r.phase for r in respondents}):
        groups = {r.group for r in respondents if r.phase == phase}
        if len(groups) == 1:
            only = next(iter(groups)).value
            other = "control" if only == "intervention" else "intervention"
            first = next(r for r in respondents if r.phase == phase)
            problems.add(raw.problem(f"phase {phase} has respondents in the {only} group only, so its saving "
                                     f"cannot be computed", row=first.row, column="group", value=only,
                                     fix=f"Add the phase's {other} respondents, or remove the phase from the survey"))
    problems.raise_if_errors()
    return Survey(tuple(respondents), tuple(staff), tuple(problems.warnings))


def _respondents(raw: RawTable, table: UnitCostTable, basis: AbsenceBasis,
                 problems: ProblemCollector) -> list[Respondent]:
    out: list[Respondent] = []
    seen: dict[tuple[str, str, str], int] = {}
    for r in raw.rows:
        v = r.values
        before = len(problems.errors)
        la, phase, rid = text_label(v.get("la")), text_label(v.get("phase")), text_label(v.get("respondent"))
        for column, value in (("la", la), ("phase", phase), ("respondent", rid)):
            if not value:
                problems.add(raw.problem(f"{column} is blank", row=r.row, column=column,
                                         fix=f"Fill in the respondent's {column}"))
        if la and phase and rid:
            key = (la, phase, rid)
            if key in seen:
                problems.add(raw.problem(f"respondent {rid} of {la} phase {phase} appears twice "
                                         f"(first on row {seen[key]})", row=r.row, column="respondent", value=rid,
                                         fix="Give each respondent one row and a unique id within the LA and phase"))
            else:
                seen[key] = r.row
        group_text = text_label(v.get("group")).casefold()
        group = {"intervention": Group.intervention, "control": Group.control}.get(group_text)
        if group is None:
            problems.add(raw.problem("unknown group", row=r.row, column="group", value=v.get("group"),
                                     fix="Write 'intervention' or 'control'"))
        sick = _number(raw, r.row, "sick_days", v.get("sick_days"), problems, default=None)
        if sick is None and not nonblank(v.get("sick_days")):
            problems.add(raw.problem("sick_days is blank", row=r.row, column="sick_days",
                                     fix="Write the days off sick in the recall period (0 if none)"))
        salary = None
        if nonblank(v.get("salary")):
            salary = _number(raw, r.row, "salary", v.get("salary"), problems, default=None, places=2)
        attended = None
        if nonblank(v.get("rounds_attended")):
            attended = _count(raw, r.row, "rounds_attended", v.get("rounds_attended"), problems)
        role_text = text_label(v.get("role")) or None
        role = table.find(role_text) if role_text else None
        if role_text and role is None and salary is None and not nonblank(v.get("salary")):
            problems.add(raw.problem("unknown role", row=r.row, column="role", value=role_text,
                                     fix=table.unknown_role_fix(role_text)))
        elif not role_text and not nonblank(v.get("salary")):
            problems.add(raw.problem("the respondent has neither a role nor a salary", row=r.row, column="role",
                                     fix="Give the respondent's job role (from the unit-cost table) or annual salary"))
        if len(problems.errors) != before:
            continue
        found = hourly_cost(role, salary, table, basis)
        if found is None:
            problems.add(raw.problem(f"the role has no salary in the unit-cost table, so its {basis.value} "
                                     "hourly cost cannot be worked out", row=r.row, column="role", value=role_text,
                                     fix="Give the respondent's salary, or use --absence-basis unit-cost"))
            continue
        out.append(Respondent(la=la, phase=phase, respondent=rid, group=group,
                              role=role.role if role else role_text, salary=salary, sick_days=sick,
                              rounds_attended=attended, hourly_cost=found[0], hourly_source=found[1],
                              file=raw.file, sheet=raw.sheet, row=r.row))
    return out
