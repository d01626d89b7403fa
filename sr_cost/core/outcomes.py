"""The survey's outcomes: which columns are outcomes, which way is better, and each respondent's
answers column by column (``OutcomeData``), for the cost-effectiveness (``core.effectiveness``).

The trial's primary outcome was the GHQ-12 total on Likert scoring (each of 12 items 0, 1, 2 or 3:
0 to 36, lower is better), its secondary one "caseness" (items scored 0, 0, 1, 1: 0 to 12, a case
at 4 or more; report, "Data collection" and "Secondary analysis"). Any other numeric column of the
survey can be named as an outcome (``--outcome COLUMN --better lower|higher``). Each outcome may
have a baseline, ``<column>_baseline`` (the same measure before the first round, T1).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from enum import Enum

import numpy as np

from sr_cost.core.better import Better
from sr_cost.core.columns import Exact

BASELINE_SUFFIX = "_baseline"


class Kind(str, Enum):
    """What an outcome's difference is: points of a score, or cases (the share at or above a threshold)."""

    score = "score"
    caseness = "caseness"


@dataclass(frozen=True)
class Outcome:
    """An outcome column: its name, which way is better, and the values it may take."""

    column: str  # the survey's column (canonical name)
    label: str  # as the outputs name it
    better: Better
    kind: Kind = Kind.score
    minimum: Decimal | None = None  # None: any number
    maximum: Decimal | None = None
    whole: bool = False  # whole numbers only
    case_at: Decimal | None = None  # caseness: a respondent at or above this is a case

    @property
    def baseline(self) -> str:
        return self.column + BASELINE_SUFFIX

    @property
    def unit(self) -> str:
        """What one unit of the difference is: a point of the score, or a case avoided."""
        return "case" if self.kind is Kind.caseness else "point"


GHQ12 = Outcome("ghq12", "GHQ-12", Better.lower, minimum=Decimal(0), maximum=Decimal(36), whole=True)
GHQ12_CASENESS = Outcome(
    "ghq12_caseness",
    "GHQ-12 cases",
    Better.lower,
    Kind.caseness,
    minimum=Decimal(0),
    maximum=Decimal(12),
    whole=True,
    case_at=Decimal(4),
)
STANDARD = (GHQ12, GHQ12_CASENESS)


def named_outcome(column: str, better: Better) -> Outcome:
    """An outcome named on the command line (``--outcome COLUMN --better ...``): any number."""
    return Outcome(column, column, better)


def outcome_columns(outcomes: Sequence[Outcome]) -> tuple[str, ...]:
    """Every column the outcomes read: each outcome and its baseline."""
    return tuple(c for o in outcomes for c in (o.column, o.baseline))


@dataclass(frozen=True, eq=False)
class Answers:
    """One column of answers of the kept respondents: row i's value is ``values.ints[i] x 10^exp``
    when ``answered[i]`` (0 where not)."""

    values: Exact
    answered: np.ndarray  # bool

    @classmethod
    def of(cls, values: Sequence[Decimal | None]) -> Answers:
        answered = np.fromiter((v is not None for v in values), dtype=bool, count=len(values))
        filled = [Decimal(0) if v is None else v for v in values]
        return cls(Exact.of(filled, np.arange(len(filled), dtype=np.int64)), answered)

    def __len__(self) -> int:
        return len(self.answered)

    def value(self, i: int) -> Decimal | None:
        """Row i's answer (None: not answered)."""
        if not self.answered[i]:
            return None
        return Decimal(int(self.values.ints[i])).scaleb(self.values.exp)

    def cases(self, case_at: Decimal) -> Answers:
        """1 for an answer at or above ``case_at`` (a case), 0 below; unanswered stays unanswered."""
        threshold = int((case_at.scaleb(-self.values.exp)).to_integral_value(rounding=ROUND_CEILING))
        ints = (np.asarray(self.values.ints) >= threshold).astype(np.int64) * self.answered
        return Answers(Exact(ints.astype(np.int64), 0), self.answered)


@dataclass(frozen=True, eq=False)
class OutcomeData:
    """An outcome's answers at follow-up and, when the survey has its baseline column, at baseline."""

    outcome: Outcome
    follow_up: Answers
    baseline: Answers | None = None

    def measured(self) -> tuple[Answers, Answers | None]:
        """What the analysis compares: the answers themselves for a score, or whether each is a case
        (at follow-up and at baseline) for caseness."""
        o = self.outcome
        if o.kind is Kind.caseness:
            return self.follow_up.cases(o.case_at), None if self.baseline is None else self.baseline.cases(o.case_at)
        return self.follow_up, self.baseline

    def take(self, rows: np.ndarray) -> OutcomeData:
        """The same outcome for ``rows`` only (positions into these answers)."""

        def cut(a: Answers | None) -> Answers | None:
            return None if a is None else Answers(Exact(a.values.ints[rows], a.values.exp), a.answered[rows])

        return OutcomeData(self.outcome, cut(self.follow_up), cut(self.baseline))
