"""The survey's outcome columns (``ghq12``, ``ghq12_caseness``, a column named with ``--outcome``,
and each one's ``_baseline``): read and checked cell by cell like the rest of the survey, into
``core.outcomes.OutcomeData``.

A blank cell is a respondent who did not answer: they count for the outcomes they answered. A value
that is not a number, is out of the outcome's range, or is not whole where the score is, is an error
naming the file, sheet, row, column and value, with a fix. A GHQ-12 Likert total L and caseness
count c of the same answers must satisfy 2c <= L <= 12 + 2c (each item counted as a case scores 2 or
3 on Likert, every other item 0 or 1), so a pair outside that is an error too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from sr_cost.core.columns import lookup
from sr_cost.core.outcomes import GHQ12, GHQ12_CASENESS, STANDARD, Answers, Outcome, OutcomeData
from sr_cost.errors import ProblemCollector
from sr_cost.inputs.cell_values import FoundProblems, shown, text_problems
from sr_cost.inputs.tables import RawTable, blank
from sr_cost.money import parse_number

FIXES = {
    GHQ12.column: "Write the GHQ-12 total on Likert scoring (12 items scored 0, 1, 2 or 3): a whole number from 0 "
    "to 36; leave the cell blank if the respondent did not answer",
    GHQ12_CASENESS.column: "Write the GHQ-12 total on GHQ scoring (12 items scored 0, 0, 1 or 1): a whole number "
    "from 0 to 12, a case at 4 or more; leave the cell blank if the respondent did not answer",
}
FIRST_CHECK = 40  # FoundProblems' check order: after the survey's other columns


@dataclass(frozen=True)
class Column:
    """An outcome column as read: each row's code into ``values`` (None: blank or wrong)."""

    name: str
    outcome: Outcome
    codes: np.ndarray
    values: list[Decimal | None]

    def answers(self, keep: np.ndarray) -> Answers:
        return Answers.of([self.values[c] for c in self.codes[keep].tolist()])


def present(raw: RawTable, named: Outcome | None) -> tuple[Outcome, ...]:
    """The outcomes the survey has a column for: the standard ones it has, and the named one."""
    return tuple(o for o in STANDARD if o.column in raw.headers) + ((named,) if named is not None else ())


def _fix(outcome: Outcome) -> str:
    return FIXES.get(outcome.column, "Write a number, or leave the cell blank if the respondent did not answer")


def _parse(value: object, column: str, outcome: Outcome) -> tuple[Decimal | None, tuple[str, str] | None]:
    """One distinct cell: (number or None when blank, None) or (None, (message, fix))."""
    if blank(value):
        return None, None
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return None, (f"{column} holds a date, not a number", "Format the cell as a number: " + _fix(outcome))
    try:
        number = parse_number(value)
    except ValueError as exc:
        return None, (f"{column} {exc}", _fix(outcome))
    if outcome.whole:
        if number != number.to_integral_value():
            return None, (f"{column} is not a whole number", _fix(outcome))
        number = Decimal(int(number))
    if (outcome.minimum is not None and number < outcome.minimum) or (
        outcome.maximum is not None and number > outcome.maximum
    ):
        return None, (f"{column} is out of range ({outcome.minimum} to {outcome.maximum})", _fix(outcome))
    return number, None


def read_outcomes(
    raw: RawTable, found: FoundProblems, named: Outcome | None, problems: ProblemCollector
) -> list[Column]:
    """Check every outcome column (each distinct value once), adding each problem to ``found`` (so a
    row with a wrong outcome is reported with the row's other problems and not kept)."""
    if named is not None and named.column not in raw.headers:
        problems.add(
            raw.problem(
                f"the survey has no column '{named.column}' (named by --outcome)",
                column=named.column,
                fix=f"Add a column headed '{named.column}' to the survey, or check the spelling of --outcome "
                f"(the survey's columns are: {', '.join(raw.headers.values())})",
            )
        )
    for o in STANDARD:
        if o.baseline in raw.headers and o.column not in raw.headers:
            problems.add(
                raw.problem(
                    f"the survey has '{o.baseline}' but no '{o.column}', so the baseline is not used",
                    column=o.baseline,
                    fix=f"Add the follow-up scores in a column headed '{o.column}'",
                    severity="warning",
                )
            )
    cols, line = raw.columns, raw.columns.line
    out = []
    order = FIRST_CHECK
    for outcome in present(raw, named):
        for name in (outcome.column, outcome.baseline):
            if name not in raw.headers:
                continue
            col = cols.get(name)
            parsed = [
                (None, (f"{name} {issue[0]}", issue[1])) if issue is not None else _parse(u, name, outcome)
                for u, issue in zip(col.uniques, text_problems(col.uniques))
            ]
            bad = lookup([error is not None for _, error in parsed], col.codes, dtype=bool)
            found.add(
                order,
                bad,
                lambda i, col=col, name=name, parsed=parsed: raw.problem(
                    parsed[col.codes[i]][1][0],
                    row=int(line[i]),
                    column=name,
                    value=shown(col.uniques[col.codes[i]]),
                    fix=parsed[col.codes[i]][1][1],
                ),
            )
            out.append(Column(name, outcome, col.codes, [number for number, _ in parsed]))
            order += 1
    _consistent(raw, found, out, order)
    return out


def _consistent(raw: RawTable, found: FoundProblems, columns: Sequence[Column], order: int) -> None:
    """A Likert total and a caseness count of the same answers must fit: 2c <= L <= 12 + 2c."""
    by_name = {c.name: c for c in columns}
    line = raw.columns.line
    for suffix in ("", GHQ12.baseline[len(GHQ12.column) :]):
        likert, cases = by_name.get(GHQ12.column + suffix), by_name.get(GHQ12_CASENESS.column + suffix)
        if likert is None or cases is None:
            continue
        total = [likert.values[c] for c in likert.codes.tolist()]
        count = [cases.values[c] for c in cases.codes.tolist()]
        wrong = np.fromiter(
            (t is not None and c is not None and not 2 * c <= t <= 12 + 2 * c for t, c in zip(total, count)),
            dtype=bool,
            count=len(total),
        )
        found.add(
            order,
            wrong,
            lambda i, likert=likert, cases=cases, total=total, count=count: raw.problem(
                f"{likert.name} {total[i]} and {cases.name} {count[i]} cannot both be right: a GHQ-12 with c items "
                f"counted as a case has a Likert total from 2c to 12 + 2c ({2 * count[i]} to {12 + 2 * count[i]})",
                row=int(line[i]),
                column=likert.name,
                value=f"{total[i]}, {cases.name} {count[i]}",
                fix="Check that both totals were scored from the same respondent's answers (and are not swapped)",
            ),
        )
        order += 1


def outcome_data(columns: Sequence[Column], keep: np.ndarray) -> tuple[OutcomeData, ...]:
    """Each outcome's answers (and baseline's) for the kept rows."""
    by_name = {c.name: c for c in columns}
    out = []
    for c in columns:
        if c.name != c.outcome.column:
            continue
        baseline = by_name.get(c.outcome.baseline)
        out.append(OutcomeData(c.outcome, c.answers(keep), baseline.answers(keep) if baseline else None))
    return tuple(out)
