"""A validated survey: the respondents (column by column, with their records made when asked for)
and the staff counts. ``sr_cost.inputs.survey`` reads and checks a survey into these.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import Enum
from functools import partial

import numpy as np

from sr_cost.core.columns import Exact, label_codes
from sr_cost.core.outcomes import OutcomeData
from sr_cost.core.unit_costs import AbsenceBasis
from sr_cost.errors import Problem


class Group(str, Enum):
    """Trial arm of a respondent."""

    intervention = "intervention"
    control = "control"


GROUPS = (Group.intervention, Group.control)  # group codes 0 and 1


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
    feedback_forms: int | None = None  # SR feedback forms collected (the report's per-person cost)


class Respondents:
    """The valid respondents column by column, for the savings arithmetic, with the records
    (``Respondent``) made only when something asks for them (the Excel sheet, the tests).

    Row i is in phase ``phases[phase[i]]`` and group ``GROUPS[group[i]]``; its hourly cost is
    ``hourly_values[hourly[i]]``, its sick days ``sick_values[sick[i]]``, and it is on row ``row[i]`` of
    the survey (line or Excel row). A national survey has
    50,000 respondents; its savings need four small arrays, not 50,000 records.
    """

    def __init__(
        self,
        *,
        phase: np.ndarray,
        phases: list[str],
        group: np.ndarray,
        hourly: np.ndarray,
        hourly_values: list[Decimal],
        sick: np.ndarray,
        sick_values: list[Decimal],
        row: np.ndarray,
        make: Callable[[], tuple[Respondent, ...]],
        bases: dict[AbsenceBasis, tuple[np.ndarray, list[Decimal]]] | None = None,
        outcomes: tuple[OutcomeData, ...] = (),
    ) -> None:
        self.phase, self.phases, self.group, self.row = phase, phases, group, row
        self.hourly, self.hourly_values = hourly, hourly_values
        self.sick, self.sick_values = sick, sick_values
        # the same as exact integers, for the savings arithmetic
        self.sick_exact, self.hourly_exact = Exact.of(sick_values, sick), Exact.of(hourly_values, hourly)
        # the hourly cost on each valuation basis the table allows for every respondent (codes, values)
        self.bases = bases or {}
        self.outcomes = outcomes  # the survey's outcome columns (GHQ-12, ...), row by row as the rest
        self._make = make
        self._records: tuple[Respondent, ...] | None = None

    @classmethod
    def of(cls, records: Sequence[Respondent], outcomes: tuple[OutcomeData, ...] = ()) -> Respondents:
        """From records (small surveys made in code), and their outcomes (in the records' order)."""
        records = tuple(records)
        phase, phases = label_codes([r.phase for r in records])
        hourly, hourly_values = _distinct([r.hourly_cost for r in records])
        sick, sick_values = _distinct([r.sick_days for r in records])
        group = np.fromiter((GROUPS.index(r.group) for r in records), dtype=np.int8, count=len(records))
        row = np.fromiter((r.row for r in records), dtype=np.int64, count=len(records))
        return cls(
            phase=phase,
            phases=phases,
            group=group,
            hourly=hourly,
            hourly_values=hourly_values,
            sick=sick,
            sick_values=sick_values,
            row=row,
            make=partial(tuple, records),
            outcomes=outcomes,
        )

    def __len__(self) -> int:
        return len(self.phase)

    @property
    def hourly_by_basis(self) -> dict[AbsenceBasis, Exact]:
        """Every respondent's hourly cost of absence on each basis the table allows for all of them."""
        return {basis: Exact.of(values, codes) for basis, (codes, values) in self.bases.items()}

    def records(self) -> tuple[Respondent, ...]:
        if self._records is None:
            self._records = tuple(self._make())
        return self._records

    def scaled(self, factor: Decimal) -> Respondents:
        """Every hourly cost times ``factor`` (a sensitivity scenario)."""
        return Respondents(
            phase=self.phase,
            phases=self.phases,
            group=self.group,
            hourly=self.hourly,
            hourly_values=[h * factor for h in self.hourly_values],
            sick=self.sick,
            sick_values=self.sick_values,
            row=self.row,
            make=lambda: tuple(replace(r, hourly_cost=r.hourly_cost * factor) for r in self.records()),
            bases={b: (codes, [h * factor for h in values]) for b, (codes, values) in self.bases.items()},
            outcomes=self.outcomes,
        )


def _distinct(values: Sequence[Decimal]) -> tuple[np.ndarray, list[Decimal]]:
    """Codes and distinct values (equal values with different exponents, 1.0 and 1.00, kept apart)."""
    index: dict[tuple, int] = {}
    distinct: list[Decimal] = []
    codes = []
    for v in values:
        key = v.as_tuple()
        code = index.get(key)
        if code is None:
            code = index[key] = len(distinct)
            distinct.append(v)
        codes.append(code)
    return np.asarray(codes, dtype=np.int64), distinct


@dataclass(frozen=True, eq=False)
class Survey:
    table: Respondents
    staff: tuple[StaffCount, ...]
    warnings: tuple[Problem, ...] = ()
    if_uncosted: tuple[Problem, ...] = ()  # per staff count: the warning if its LA and phase have no cost forms

    @classmethod
    def of(
        cls,
        respondents: Sequence[Respondent],
        staff: Sequence[StaffCount] = (),
        warnings: Sequence[Problem] = (),
        outcomes: tuple[OutcomeData, ...] = (),
    ) -> Survey:
        return cls(Respondents.of(respondents, outcomes), tuple(staff), tuple(warnings))

    @property
    def respondents(self) -> tuple[Respondent, ...]:
        return self.table.records()


@dataclass(frozen=True, eq=False)
class SurveyRecords:
    """Makes the kept respondents' records when something asks for them (the workbook's Savings
    sheet): a national survey's savings need only its columns."""

    kept: dict[str, np.ndarray]  # per kept respondent: the codes below, and its row
    hourly: list  # per role-salary pair: (hourly cost, how it was found)
    las: list[str]
    phases: list[str]
    ids: list[str]
    role_text: list
    salaries: list
    sick: list
    attended: list
    file: str
    sheet: str

    def __call__(self) -> list[Respondent]:
        out = []
        for la, phase, rid, g, r_code, s_code, d_code, a_code, pair, row in zip(
            *(
                self.kept[k].tolist()
                for k in ("la", "phase", "respondent", "group", "role", "salary", "sick", "attended", "pair", "row")
            )
        ):
            cost, source = self.hourly[pair]
            out.append(
                Respondent(
                    la=self.las[la],
                    phase=self.phases[phase],
                    respondent=self.ids[rid],
                    group=GROUPS[g],
                    role=self.role_text[r_code],
                    salary=self.salaries[s_code],
                    sick_days=self.sick[d_code],
                    rounds_attended=self.attended[a_code],
                    hourly_cost=cost,
                    hourly_source=source,
                    file=self.file,
                    sheet=self.sheet,
                    row=row,
                )
            )
        return out
