"""A cost form's lines as the core sees them: the kinds of form, how a round was delivered, the
``Line`` record and ``LineTable``, the same lines held column by column.

Lines are plain frozen dataclasses rather than one pydantic model each: a national run has hundreds
of thousands of lines. ``sr_cost.forms`` reads and validates the forms into these.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from typing import Sequence

import numpy as np

from sr_cost.columns import Exact, Vocab, gc_paused, lookup


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


ATTENDANCE_ITEM = "attendance"


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


MODES = (Mode.in_person, Mode.virtual)  # mode codes 0 and 1 of a LineTable


@dataclass(frozen=True, eq=False)
class LineTable:
    """The valid lines of one cost form, column by column: row i of every array is one line.

    Labels are codes into ``vocab`` (shared by the forms of one run, so codes compare across
    forms; -1 for no round or no role); numbers are codes into a tuple of distinct Decimals. The
    costing works on these arrays; ``lines()`` gives the same lines as ``Line`` records.
    """

    form: FormKind
    vocab: Vocab
    file: str
    sheet: str
    letters: dict[str, str]
    row: np.ndarray
    la: np.ndarray
    phase: np.ndarray
    round: np.ndarray
    item: np.ndarray
    role: np.ndarray
    mode: np.ndarray  # -1 none, else an index of MODES
    own_rate: np.ndarray
    numbers: dict[str, tuple[np.ndarray, tuple[Decimal, ...]]]  # staff, hours, miles, cost, rate
    given: tuple[Line, ...] | None = None  # the Line records it was built from, if any
    _cache: dict = field(default_factory=dict, repr=False)

    def __len__(self) -> int:
        return len(self.row)

    def exact(self, name: str) -> Exact:
        codes, values = self.numbers[name]
        return Exact.of(values, codes)

    def positive(self, name: str) -> np.ndarray:
        codes, values = self.numbers[name]
        return lookup([v > 0 for v in values], codes, dtype=bool)

    def is_attendance(self) -> np.ndarray:
        if self.form is not FormKind.rounds or not len(self):
            return np.zeros(len(self), dtype=bool)
        labels = self.vocab.labels
        flags = [labels[c].casefold() == ATTENDANCE_ITEM for c in range(len(labels))]
        return lookup(flags, self.item, dtype=bool)

    def lines(self) -> tuple[Line, ...]:
        """The lines as ``Line`` records (built on first use)."""
        if self.given is not None:
            return self.given
        if "lines" not in self._cache:
            with gc_paused():
                self._cache["lines"] = self._lines()
        return self._cache["lines"]

    def _lines(self) -> tuple[Line, ...]:
        labels = self.vocab.labels

        def label(codes: np.ndarray) -> list[str | None]:
            return [None if c < 0 else labels[c] for c in codes.tolist()]

        cols = {name: [values[c] for c in codes.tolist()] for name, (codes, values) in self.numbers.items()}
        mode = [None if m < 0 else MODES[m] for m in self.mode.tolist()]
        empty: dict[str, str] = {}
        return tuple(
            Line(form=self.form, la=la, phase=phase, round=rid, mode=m, item=item, role=role, rate=rate,
                 own_rate=own, staff=staff, hours=hours, miles=miles, cost=cost, file=self.file,
                 sheet=self.sheet, row=row,
                 cells={c: f"{letter}{row}" for c, letter in self.letters.items()} if self.sheet else empty)
            for la, phase, rid, m, item, role, rate, own, staff, hours, miles, cost, row in zip(
                label(self.la), label(self.phase), label(self.round), mode, label(self.item),
                label(self.role), cols["rate"], self.own_rate.tolist(), cols["staff"], cols["hours"],
                cols["miles"], cols["cost"], self.row.tolist()))

    @classmethod
    def from_lines(cls, form: FormKind, lines: Sequence[Line], vocab: Vocab) -> "LineTable":
        """The columns of ``Line`` records (lines changed by a scenario, lines built by hand)."""
        def numbers(name: str) -> tuple[np.ndarray, tuple[Decimal, ...]]:
            index: dict[tuple, int] = {}
            values: list[Decimal] = []
            codes = np.empty(len(lines), dtype=np.int32)
            for i, line in enumerate(lines):
                value = getattr(line, name)
                key = value.as_tuple()
                code = index.get(key)
                if code is None:
                    code = index[key] = len(values)
                    values.append(value)
                codes[i] = code
            return codes, tuple(values)

        first = lines[0] if lines else None
        return cls(
            form=form, vocab=vocab, file=first.file if first else "", sheet=first.sheet if first else "",
            letters={}, row=np.fromiter((l.row for l in lines), dtype=np.int64, count=len(lines)),
            la=vocab.codes(l.la for l in lines), phase=vocab.codes(l.phase for l in lines),
            round=vocab.codes(l.round for l in lines), item=vocab.codes(l.item for l in lines),
            role=vocab.codes(l.role for l in lines),
            mode=np.fromiter((-1 if l.mode is None else MODES.index(l.mode) for l in lines), dtype=np.int8,
                             count=len(lines)),
            own_rate=np.fromiter((l.own_rate for l in lines), dtype=bool, count=len(lines)),
            numbers={name: numbers(name) for name in ("staff", "hours", "miles", "cost", "rate")},
            given=tuple(lines))


class LineTables(Mapping):
    """``CostForms.lines`` as validated: the forms' ``LineTable``s, read as ``Line`` tuples on demand."""

    def __init__(self, tables: dict[FormKind, LineTable]) -> None:
        self.tables = tables

    def __getitem__(self, kind: FormKind) -> tuple[Line, ...]:
        return self.tables[kind].lines()

    def __iter__(self):
        return iter(self.tables)

    def __len__(self) -> int:
        return len(self.tables)


def line_tables(lines: Mapping[FormKind, Sequence[Line]]) -> dict[FormKind, LineTable]:
    """The forms' lines as ``LineTable``s sharing one vocabulary (free when already validated)."""
    if isinstance(lines, LineTables):
        return lines.tables
    vocab = Vocab()
    return {kind: LineTable.from_lines(kind, tuple(found), vocab) for kind, found in lines.items()}

