"""The sickness-absence survey and the staff counts: validate them into immutable records
(``sr_cost.core.respondents``).

``survey``: one row per respondent: ``la``, ``phase``, ``respondent``, ``group`` (intervention or
control), ``role`` and/or ``salary`` [£/year], ``sick_days`` [days in the recall period], optionally
``rounds_attended``. ``staff``: one row per LA and phase: ``la``, ``phase``, ``intervention_staff``,
``control_staff`` (the numbers randomised, as the report's Table 3), optionally ``feedback_forms``
(the feedback forms collected, for the report's crude per-person cost).
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import numpy as np

from sr_cost.core.better import Better
from sr_cost.core.columns import joint_keys, label_codes, lookup
from sr_cost.core.outcomes import STANDARD, Outcome, named_outcome, outcome_columns
from sr_cost.core.respondents import GROUPS, Group, Respondents, StaffCount, Survey, SurveyRecords
from sr_cost.core.unit_costs import AbsenceBasis, UnitCostTable, role_hourly_cost, salary_hourly_costs
from sr_cost.errors import Problem, ProblemCollector, UsageError
from sr_cost.inputs.cell_values import (
    Bound,
    FoundProblems,
    check_columns,
    is_total,
    number_in_row,
    parse_cells,
    shown,
    text_label,
    text_labels,
    text_problems,
)
from sr_cost.inputs.forms import SURVEY_SHEETS, FormsBundle
from sr_cost.inputs.outcomes import outcome_data, read_outcomes
from sr_cost.inputs.tables import RawTable, canonical_header, nonblank

SURVEY_COLUMNS = ("la", "phase", "respondent", "group", "role", "salary", "sick_days", "rounds_attended")
STAFF_COLUMNS = ("la", "phase", "intervention_staff", "control_staff")
SALARY_BOUND = Bound(Decimal(10_000_000), "a year a salary may be", money=True)
ROUNDS_ATTENDED_BOUND = Bound(Decimal(1_000), "rounds a respondent may have attended")
STAFF_BOUND = Bound(Decimal(1_000_000), "staff an LA's phase may count")
WORKING_DAYS_A_YEAR = Decimal(261)  # [days/year] weekdays: 5 a week, 52.2 weeks


def most_sick_days(recall_months: int) -> Decimal:
    """The working days in the recall period [days]: no one is off sick on more of them."""
    return WORKING_DAYS_A_YEAR * recall_months / 12


def _count(raw: RawTable, row: int, column: str, value: object, problems: ProblemCollector) -> int | None:
    number = number_in_row(raw, row, column, value, problems, default=Decimal(0), bound=STAFF_BOUND)
    if number is None:
        return None
    if number != number.to_integral_value():
        problems.add(
            raw.problem(
                f"{column} is not a whole number",
                row=row,
                column=column,
                value=value,
                fix="Write a whole number of people",
            )
        )
        return None
    return int(number)


def validate_survey(
    bundle: FormsBundle,
    table: UnitCostTable | None,
    basis: AbsenceBasis,
    agency_rate: Decimal | None = None,
    named: Outcome | None = None,
    *,
    recall_months: int = 6,
) -> Survey | None:
    """Validate ``survey`` and ``staff``; None when the forms have no (non-empty) survey. Whether
    the staff counts match the cost forms is ``staff_coverage``'s question, asked once those are costed.
    ``table`` None: the unit-cost table could not be read (its problems are reported with these),
    so roles are not checked against it. ``named``: an outcome named on the command line
    (``--outcome``), read with the standard ones. ``recall_months``: the period the sick days cover
    [months]."""
    raw = bundle.tables.get("survey")
    problems = ProblemCollector()
    for problem in bundle.read_problems_of(SURVEY_SHEETS):
        problems.add_read(problem)
    if raw is None or not len(raw):
        problems.raise_if_errors()
        return None
    respondents: Respondents | None = None
    known = SURVEY_COLUMNS + outcome_columns(STANDARD + ((named,) if named else ()))
    if check_columns(raw, known, ("la", "phase", "respondent", "group", "sick_days"), problems):
        if "role" not in raw.headers and "salary" not in raw.headers:
            problems.add(
                raw.problem(
                    "the survey needs a 'role' or a 'salary' column",
                    fix="Add the respondents' job roles (from the unit-cost table) or salaries",
                )
            )
        else:
            respondents = _respondents(raw, table, basis, problems, agency_rate, named, recall_months)
    staff, if_uncosted = _staff(bundle, problems)
    # a phase needs both groups for a saving
    if respondents is None:
        respondents = Respondents.of(())
    for code, phase in sorted(enumerate(respondents.phases), key=lambda p: p[1]):
        in_phase = np.flatnonzero(respondents.phase == code)
        groups = set(respondents.group[in_phase].tolist())
        if len(groups) == 1:
            only = GROUPS[groups.pop()].value
            other = "control" if only == "intervention" else "intervention"
            problems.add(
                raw.problem(
                    f"phase {phase} has respondents in the {only} group only, so its saving cannot be computed",
                    row=int(respondents.row[in_phase[0]]),
                    column="group",
                    value=only,
                    fix=f"Add the phase's {other} respondents, or remove the phase from the survey",
                )
            )
    problems.raise_if_errors()
    return Survey(respondents, tuple(staff), tuple(problems.warnings), tuple(if_uncosted))


def _staff(bundle: FormsBundle, problems: ProblemCollector) -> tuple[list[StaffCount], list[Problem]]:
    """The staff sheet's rows (one per LA and phase), and for each the warning to give if its LA and
    phase turn out to have no cost forms."""
    staff: list[StaffCount] = []
    if_uncosted: list[Problem] = []
    staff_raw = bundle.tables.get("staff")
    if (
        staff_raw is not None
        and len(staff_raw)
        and check_columns(staff_raw, STAFF_COLUMNS + ("feedback_forms",), STAFF_COLUMNS, problems)
    ):
        seen: dict[tuple[str, str], int] = {}
        for r in staff_raw.rows:
            v = r.values
            la, phase = text_label(v.get("la")), text_label(v.get("phase"))
            if is_total(la):
                problems.add(
                    staff_raw.problem(
                        "this looks like a totals row: its figures would be counted twice",
                        row=r.row,
                        column="la",
                        value=v.get("la"),
                        fix="Delete the totals row: sr-cost adds up the staff itself",
                    )
                )
                continue
            if not la or not phase:
                problems.add(
                    staff_raw.problem(
                        "la or phase is blank",
                        row=r.row,
                        column="la" if not la else "phase",
                        fix="Write the LA and phase as in the cost forms",
                    )
                )
                continue
            if (la, phase) in seen:
                problems.add(
                    staff_raw.problem(
                        f"{la} phase {phase} appears twice (first on row {seen[(la, phase)]})",
                        row=r.row,
                        column="la",
                        value=la,
                        fix="Keep one row per LA and phase",
                    )
                )
                continue
            seen[(la, phase)] = r.row
            i = _count(staff_raw, r.row, "intervention_staff", v.get("intervention_staff"), problems)
            c = _count(staff_raw, r.row, "control_staff", v.get("control_staff"), problems)
            forms = None
            if nonblank(v.get("feedback_forms")):
                forms = _count(staff_raw, r.row, "feedback_forms", v.get("feedback_forms"), problems)
                if forms is None:
                    continue
            if i is None or c is None:
                continue
            if_uncosted.append(
                staff_raw.problem(
                    f"{la} phase {phase} has no cost forms, so it is left out of the savings totals",
                    row=r.row,
                    column="la",
                    value=la,
                    severity="warning",
                    fix="Check the la and phase labels match the rounds form",
                )
            )
            staff.append(StaffCount(la, phase, i, c, staff_raw.file, staff_raw.sheet, r.row, feedback_forms=forms))
    return staff, if_uncosted


def read_staff(bundle: FormsBundle) -> tuple[StaffCount, ...]:
    """The staff sheet of forms with no survey (its feedback forms give the report's per-person
    cost); every problem at once."""
    problems = ProblemCollector()
    for problem in bundle.read_problems_of(("staff",)):
        problems.add_read(problem)
    staff, _ = _staff(bundle, problems)
    problems.raise_if_errors()
    return tuple(staff)


def staff_coverage(survey: Survey, cost_la_phases: set[tuple[str, str]]) -> Survey:
    """``survey`` with a warning for each staff count whose LA and phase have no cost forms."""
    missing = tuple(
        warning for s, warning in zip(survey.staff, survey.if_uncosted) if (s.la, s.phase) not in cost_la_phases
    )
    return replace(survey, warnings=survey.warnings + missing) if missing else survey


def _respondents(
    raw: RawTable,
    table: UnitCostTable | None,
    basis: AbsenceBasis,
    problems: ProblemCollector,
    agency_rate: Decimal | None,
    outcome: Outcome | None,
    recall_months: int,
) -> Respondents:
    """Every respondent, checked column by column: each distinct value is looked at once."""
    cols = raw.columns
    line = cols.line
    found = FoundProblems(raw, line)
    text: dict[str, tuple] = {}
    for order, column in enumerate(("la", "phase", "respondent", "group", "role")):
        col = cols.get(column)
        issues = text_problems(col.uniques)
        bad = lookup([t is not None for t in issues], col.codes, dtype=bool)
        found.add(
            order,
            bad,
            lambda i, col=col, column=column, issues=issues: raw.problem(
                f"{column} {issues[col.codes[i]][0]}",
                row=int(line[i]),
                column=column,
                value=issues[col.codes[i]][2],
                fix=issues[col.codes[i]][1],
            ),
        )
        text[column] = (col, text_labels(col.uniques))
    col, labels = text["la"]
    totals = lookup([is_total(t) for t in labels], col.codes, dtype=bool)
    found.add(
        9,
        totals,
        lambda i: raw.problem(
            "this looks like a totals row: its figures would be counted twice",
            row=int(line[i]),
            column="la",
            value=text["la"][0].uniques[text["la"][0].codes[i]],
            fix="Delete the totals row: sr-cost works out the means itself",
        ),
    )
    blank = {}
    for order, column in enumerate(("la", "phase", "respondent"), start=10):
        col, labels = text[column]
        blank[column] = lookup([not t for t in labels], col.codes, dtype=bool)
        found.add(
            order,
            blank[column] & ~totals,
            lambda i, column=column: raw.problem(
                f"{column} is blank", row=int(line[i]), column=column, fix=f"Fill in the respondent's {column}"
            ),
        )
    codes, names = {}, {}
    for c in ("la", "phase", "respondent"):
        per_unique, names[c] = label_codes(text[c][1])
        codes[c] = per_unique[text[c][0].codes]
    named = ~(blank["la"] | blank["phase"] | blank["respondent"])
    if named.any():
        (keys,), _, _, first_row = joint_keys([[codes[c][named] for c in ("la", "phase", "respondent")]])
        positions = np.flatnonzero(named)
        first = positions[first_row][keys]
        again = np.zeros(len(line), dtype=bool)
        again[positions] = first != positions
        found.add(
            13,
            again,
            lambda i: raw.problem(
                f"respondent {names['respondent'][codes['respondent'][i]]} of {names['la'][codes['la'][i]]} phase "
                f"{names['phase'][codes['phase'][i]]} appears twice "
                f"(first on row {int(line[first[np.searchsorted(positions, i)]])})",
                row=int(line[i]),
                column="respondent",
                value=names["respondent"][codes["respondent"][i]],
                fix="Give each respondent one row and a unique id within the LA and phase",
            ),
        )
    col, labels = text["group"]
    groups = [{"intervention": Group.intervention, "control": Group.control}.get(t.casefold()) for t in labels]
    group_code = lookup([-1 if g is None else GROUPS.index(g) for g in groups], col.codes, dtype=np.int8)
    found.add(
        14,
        group_code < 0,
        lambda i: raw.problem(
            "unknown group",
            row=int(line[i]),
            column="group",
            value=text["group"][0].uniques[text["group"][0].codes[i]],
            fix="Write 'intervention' or 'control'",
        ),
    )

    def numbers(
        order: int, column: str, places: int | None, bound: Bound, whole: bool = False
    ) -> tuple[np.ndarray, list]:
        """Each distinct value parsed once; None for a blank cell."""
        col = cols.get(column)
        header = raw.headers.get(column, column)
        parsed = []
        for u, issue, (number, error) in zip(
            col.uniques,
            text_problems(col.uniques),
            parse_cells(col.uniques, column, header, default=None, places=places, bound=bound),
        ):
            if issue is not None:
                parsed.append((None, (f"{column} {issue[0]}", issue[1], issue[2])))
                continue
            if error is None and whole and number is not None and number != number.to_integral_value():
                error = (f"{column} is not a whole number", "Write a whole number of rounds")
            if error is None and column == "salary" and number is not None and number == 0:
                error = (
                    "salary is £0, which would make the respondent's sick days cost only overheads",
                    "Write the respondent's annual salary, or leave it blank to use the role's unit cost",
                )
            parsed.append(
                (number if error is None else None, None if error is None else (error[0], error[1], shown(u)))
            )
        bad = lookup([e is not None for _, e in parsed], col.codes, dtype=bool)
        found.add(
            order,
            bad,
            lambda i: raw.problem(
                parsed[col.codes[i]][1][0],
                row=int(line[i]),
                column=column,
                value=parsed[col.codes[i]][1][2],
                fix=parsed[col.codes[i]][1][1],
            ),
        )
        return col.codes, [n for n, _ in parsed]

    sick_bound = Bound(
        most_sick_days(recall_months),
        f"working days in the {recall_months}-month recall period (5 days a week; --recall-months sets the period)",
    )
    sick_codes, sick = numbers(15, "sick_days", None, sick_bound)
    sick_blank = cols.get("sick_days").blank()
    found.add(
        16,
        sick_blank,
        lambda i: raw.problem(
            "sick_days is blank",
            row=int(line[i]),
            column="sick_days",
            fix="Write the days off sick in the recall period (0 if none)",
        ),
    )
    salary_codes, salaries = numbers(17, "salary", 2, SALARY_BOUND)
    attended_codes, attended = numbers(18, "rounds_attended", None, ROUNDS_ATTENDED_BOUND, whole=True)
    salary_blank = cols.get("salary").blank()
    col, labels = text["role"]
    roles = [table.find(t) if t and table is not None else None for t in labels]
    unknown = (
        lookup([bool(t) and r is None and table is not None for t, r in zip(labels, roles)], col.codes, dtype=bool)
        & salary_blank
    )
    found.add(
        19,
        unknown,
        lambda i: raw.problem(
            "unknown role",
            row=int(line[i]),
            column="role",
            value=text["role"][1][text["role"][0].codes[i]],
            fix=table.unknown_role_fix(text["role"][1][text["role"][0].codes[i]]),
        ),
    )
    no_role = lookup([not t for t in labels], col.codes, dtype=bool) & salary_blank
    found.add(
        20,
        no_role,
        lambda i: raw.problem(
            "the respondent has neither a role nor a salary",
            row=int(line[i]),
            column="role",
            fix="Give the respondent's job role (from the unit-cost table) or annual salary",
        ),
    )
    # the hourly cost, once per distinct role and salary
    ok = np.flatnonzero(~found.bad)
    role_codes = col.codes
    width = len(salaries) + 1
    distinct, pair_code = np.unique(role_codes[ok].astype(np.int64) * width + salary_codes[ok], return_inverse=True)
    # a salary's hourly cost does not depend on the role: every distinct salary's, in one pass
    needed = [s for s in np.unique(distinct % width).tolist() if salaries[s] is not None]

    def pair_costs(on: AbsenceBasis) -> list[tuple[Decimal, str] | None]:
        """Each distinct role and salary's hourly cost of absence on basis ``on`` (None: unknown)."""
        if on is AbsenceBasis.agency:
            return [(agency_rate, "agency rate") for _ in range(len(distinct))]
        if table is None:  # no table to price them with: its own problems are reported
            return [(Decimal(0), "") for _ in range(len(distinct))]
        by_salary = dict(zip(needed, salary_hourly_costs([salaries[s] for s in needed], table, on)))
        out = []
        for pair in distinct.tolist():
            r_code, s_code = divmod(pair, width)
            out.append(
                by_salary[s_code] if salaries[s_code] is not None else role_hourly_cost(roles[r_code], table, on)
            )
        return out

    hourly = pair_costs(basis)
    # the agency rate among them when given, so that re-pricing moves it as it moves the chosen basis
    others = {
        on: pair_costs(on)
        for on in AbsenceBasis
        if on is not basis and (on is not AbsenceBasis.agency or agency_rate is not None)
    }
    pair_of = np.full(len(line), -1, dtype=np.int64)
    pair_of[ok] = pair_code.ravel()
    no_cost = np.zeros(len(line), dtype=bool)
    no_cost[ok] = lookup([h is None for h in hourly], pair_code.ravel(), dtype=bool)
    found.add(
        30,
        no_cost,
        lambda i: raw.problem(
            f"the role has no salary in the unit-cost table, so its {basis.value} hourly cost cannot be worked out",
            row=int(line[i]),
            column="role",
            value=text["role"][1][role_codes[i]] or None,
            fix="Give the respondent's salary, or use --absence-basis unit-cost",
        ),
    )
    outcomes = read_outcomes(raw, found, outcome, problems)
    found.report(problems)
    keep = np.flatnonzero(~found.bad)
    role_text = [r.role if r is not None else (t or None) for t, r in zip(labels, roles)]
    attended = [None if count is None else int(count) for count in attended]
    las, phases, ids = names["la"], names["phase"], names["respondent"]
    kept = {
        "la": codes["la"][keep],
        "phase": codes["phase"][keep],
        "respondent": codes["respondent"][keep],
        "group": group_code[keep],
        "role": role_codes[keep],
        "salary": salary_codes[keep],
        "sick": sick_codes[keep],
        "attended": attended_codes[keep],
        "pair": pair_of[keep],
        "row": line[keep],
    }

    zero = Decimal(0)  # stands in for values no kept row points at (a bad cell's)
    # the side-by-side bases: those the table allows for every kept respondent
    used = set(kept["pair"].tolist())
    bases = {
        on: (kept["pair"], [zero if h is None else h[0] for h in costs])
        for on, costs in {basis: hourly, **others}.items()
        if all(costs[p] is not None for p in used)
    }
    return Respondents(
        phase=kept["phase"],
        phases=phases,
        group=kept["group"],
        hourly=kept["pair"],
        hourly_values=[zero if h is None else h[0] for h in hourly],
        sick=kept["sick"],
        sick_values=[zero if d is None else d for d in sick],
        row=kept["row"],
        make=SurveyRecords(kept, hourly, las, phases, ids, role_text, salaries, sick, attended, raw.file, raw.sheet),
        bases=bases,
        outcomes=outcome_data(outcomes, keep),
    )


def named_column(outcome: str | None, better: Better | None) -> Outcome | None:
    """The outcome named by ``--outcome COLUMN --better lower|higher`` (None when none is named)."""
    if outcome is None:
        if better is not None:
            raise UsageError("--better goes with --outcome COLUMN (the survey's column it says which way is better)")
        return None
    if better is None:
        raise UsageError(f"--outcome {outcome} needs --better lower or --better higher: which way is better")
    column = canonical_header(outcome)
    taken = SURVEY_COLUMNS + outcome_columns(STANDARD)
    if not column or column in taken or column.endswith("_baseline"):
        raise UsageError(
            f"--outcome {outcome!r} names a column sr-cost reads already: name another column of the survey "
            f"(GHQ-12 is read from 'ghq12' and 'ghq12_caseness' without it; a baseline from '<column>_baseline')"
        )
    return named_outcome(column, better)
