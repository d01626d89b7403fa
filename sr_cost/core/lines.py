"""The validated cost forms as the core sees them: the kinds of form, how a round was delivered, each
form's lines held column by column (``FormLines``), and ``Line``, one line as a record.

A national run has hundreds of thousands of lines, so the core works on columns: labels are codes
into a vocabulary shared by the forms of a run, numbers are codes into a tuple of distinct exact
``Decimal``s. ``Line`` records are made only when something wants them one by one (the workbook's
Lines sheet, tests). ``sr_cost.inputs.forms`` reads and validates the forms into these; what a line
costs is defined once, in ``sr_cost.core.costing.line_terms``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum

import numpy as np

from sr_cost.core.columns import Exact, Vocab, lookup
from sr_cost.errors import Problem

NUMBERS = ("staff", "hours", "miles", "cost", "rate")  # the number columns of every form


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


MODES = (Mode.in_person, Mode.virtual)  # mode codes 0 and 1 of FormLines.mode
ATTENDANCE_ITEM = "attendance"  # rounds lines with this item are the audience


@dataclass(frozen=True)
class InputFile:
    """A file a result was worked out from, with the SHA-256 of its bytes."""

    path: str
    sha256: str


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

    def where(self) -> str:
        return f"{self.file}" + (f", sheet '{self.sheet}'" if self.sheet else "") + f", row {self.row}"


@dataclass(frozen=True, eq=False)
class FormLines:
    """The valid lines of one cost form, column by column: row i of every array is one line.

    Labels are codes into ``vocab`` (shared by the forms of one run, so codes compare across
    forms; -1 for no round or no role); each of ``NUMBERS`` is (codes, distinct values): line i's
    staff is ``numbers["staff"][1][numbers["staff"][0][i]]``. ``rate`` is the hourly rate applied:
    the line's own rate, or its role's unit cost.
    """

    form: FormKind
    vocab: Vocab
    file: str
    sheet: str
    letters: dict[str, str]  # column -> letter, in a workbook
    row: np.ndarray  # the row as its user sees it (line of a CSV file, row of a sheet)
    la: np.ndarray
    phase: np.ndarray
    round: np.ndarray
    item: np.ndarray
    role: np.ndarray
    mode: np.ndarray  # -1 none, else an index of MODES
    own_rate: np.ndarray
    numbers: dict[str, tuple[np.ndarray, tuple[Decimal, ...]]]

    def __len__(self) -> int:
        return len(self.row)

    def exact(self, name: str) -> Exact:
        codes, values = self.numbers[name]
        return Exact.of(values, codes)

    def positive(self, name: str) -> np.ndarray:
        codes, values = self.numbers[name]
        return lookup([v > 0 for v in values], codes, dtype=bool)

    def is_attendance(self) -> np.ndarray:
        return (
            self.items_matching(lambda item: item.casefold() == ATTENDANCE_ITEM)
            if self.form is FormKind.rounds
            else np.zeros(len(self), dtype=bool)
        )

    def items_matching(self, test) -> np.ndarray:
        """The lines whose item passes ``test`` (each distinct label is tested once)."""
        if not len(self):
            return np.zeros(0, dtype=bool)
        return lookup([test(label) for label in self.vocab.labels], self.item, dtype=bool)

    def scaled(
        self, name: str, factor: Decimal, rows: np.ndarray | None = None
    ) -> tuple[np.ndarray, tuple[Decimal, ...]]:
        """Number column ``name`` with every row (or the rows where ``rows`` is True) times ``factor``,
        exactly: a row that changes takes a new distinct value, one that does not keeps its own."""
        codes, values = self.numbers[name]
        scaled = tuple(v * factor for v in values)
        if rows is None:
            return codes, scaled
        return np.where(rows, codes.astype(np.int64) + len(values), codes), values + scaled

    def with_numbers(self, **changed: tuple[np.ndarray, tuple[Decimal, ...]]) -> FormLines:
        """The same lines with some number columns replaced (a sensitivity scenario)."""
        return FormLines(
            form=self.form,
            vocab=self.vocab,
            file=self.file,
            sheet=self.sheet,
            letters=self.letters,
            row=self.row,
            la=self.la,
            phase=self.phase,
            round=self.round,
            item=self.item,
            role=self.role,
            mode=self.mode,
            own_rate=self.own_rate,
            numbers={**self.numbers, **changed},
        )

    def records(self) -> list[Line]:
        """The lines as ``Line`` records, in order."""
        labels = self.vocab.labels

        def label(codes: np.ndarray) -> list[str | None]:
            return [None if c < 0 else labels[c] for c in codes.tolist()]

        cols = {name: [values[c] for c in codes.tolist()] for name, (codes, values) in self.numbers.items()}
        mode = [None if m < 0 else MODES[m] for m in self.mode.tolist()]
        return [
            Line(
                form=self.form,
                la=la,
                phase=phase,
                round=rid,
                mode=m,
                item=item,
                role=role,
                rate=rate,
                own_rate=own,
                staff=staff,
                hours=hours,
                miles=miles,
                cost=cost,
                file=self.file,
                sheet=self.sheet,
                row=row,
                cells={c: f"{letter}{row}" for c, letter in self.letters.items()} if self.sheet else {},
            )
            for la, phase, rid, m, item, role, rate, own, staff, hours, miles, cost, row in zip(
                label(self.la),
                label(self.phase),
                label(self.round),
                mode,
                label(self.item),
                label(self.role),
                cols["rate"],
                self.own_rate.tolist(),
                cols["staff"],
                cols["hours"],
                cols["miles"],
                cols["cost"],
                self.row.tolist(),
            )
        ]


@dataclass(frozen=True)
class FormsAbout:
    """What the forms' optional ``about`` sheet says about them (None: not said)."""

    period_months: int | None = None  # [months] the period the forms cover
    price_year: int | None = None  # the price year of the money typed into the forms
    title: str | None = None  # free text: what the forms are (a plan, a year's actuals)
    notes: tuple[str, ...] = ()  # how a price year written as a financial year was read


@dataclass(frozen=True)
class CostForms:
    """The validated cost forms of one forms set (``rounds`` always; the others when given)."""

    path: str
    inputs: tuple[InputFile, ...]
    lines: dict[FormKind, FormLines]
    warnings: tuple[Problem, ...] = ()
    about: FormsAbout = FormsAbout()

    def records(self, kind: FormKind) -> list[Line]:
        """The lines of one form as records (none when the form was not given)."""
        found = self.lines.get(kind)
        return [] if found is None else found.records()
