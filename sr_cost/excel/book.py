"""The estimate workbook being built (``Book``): what later sheets need from earlier ones, shared by
``workbook``, ``audit`` and ``savings``, which lay out its sheets."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.workbook.defined_name import DefinedName

from sr_cost.core.estimate import Estimate, LaEstimate
from sr_cost.core.prices import UpliftMethod
from sr_cost.core.progress import Progress, Step
from sr_cost.core.runs import EstimateRun
from sr_cost.core.savings import Savings
from sr_cost.excel import stream as excel_stream
from sr_cost.excel.checks import Recomputed
from sr_cost.excel.formulas import ref, sheet_name

PROGRESS_ROWS = 5_000  # rows of the long tables written between two reports of progress
SHEETS = ("Summary", "By LA", "Rounds", "Lines", "Unit costs", "Assumptions", "Checks")
SAVINGS_SHEET = "Savings"  # goes after "Unit costs" when there is a survey (``savings.py``)
EFFECT_SHEET = "Cost-effectiveness"  # after Savings when the survey has an outcome (``effectiveness.py``)


def sheet_names(with_savings: bool, with_effect: bool = False) -> tuple[str, ...]:
    """The workbook's sheets in order: ``Savings`` after ``Unit costs`` when there is a survey, and
    ``Cost-effectiveness`` after it when the survey has an outcome."""
    if not with_savings:
        return SHEETS
    at = SHEETS.index("Unit costs") + 1
    return SHEETS[:at] + (SAVINGS_SHEET,) + ((EFFECT_SHEET,) if with_effect else ()) + SHEETS[at:]


@dataclass
class Book:
    """The workbook being built, with what later sheets need from earlier ones: the keys of LA-phases
    and rounds, and where sr-cost's own figures are shown (for ``Checks``)."""

    run: EstimateRun
    command: str
    wb: Workbook = field(default_factory=Workbook)
    la_no: dict[tuple[str, str], int] = field(default_factory=dict)
    round_no: dict[tuple[str, str, str], int] = field(default_factory=dict)
    shown: dict[tuple, str] = field(default_factory=dict)  # figure key -> cell where its value is shown
    las: list[LaEstimate] = field(default_factory=list)
    savings: Savings | None = None
    more_checks: list[Recomputed] = field(default_factory=list)  # figures recomputed on sheet Savings
    savings_cells: dict[tuple, tuple[str, int]] = field(default_factory=dict)  # figure key -> its formula on Savings
    streamed: list[excel_stream.Rows] | None = None  # a list: the long tables are written as XML, not cells
    progress: Progress | None = None  # told how writing the long tables goes (Step.writing)
    written: int = 0  # rows of the long tables written so far

    @property
    def long_rows(self) -> int:
        """Rows of the long tables: the lines, the rounds and (with savings) the respondents."""
        rows = sum(len(t) for t in self.run.forms.lines.values()) + len(self.est.round_table)
        return rows + (len(self.savings.table) if self.savings is not None else 0)

    def counted(self, rows: Iterable[dict[str, object]]) -> Iterator[dict[str, object]]:
        """The rows of a long table, counted for ``progress``."""
        if self.progress is None:
            yield from rows
            return
        total = self.long_rows
        for values in rows:
            if self.written % PROGRESS_ROWS == 0:
                self.progress(Step.writing, self.written, total)
            yield values
            self.written += 1
        self.progress(Step.writing, self.written, total)

    @property
    def est(self) -> Estimate:
        return self.run.estimate

    @property
    def period(self) -> bool:
        """The period the forms cover is known: steering tied to no round is a cost of the year."""
        return self.est.assumptions.period_months is not None

    @property
    def repriced(self) -> bool:
        """The figures were re-priced: the formulas multiply by StaffTimeFactor and FormsMoneyFactor."""
        prices = self.est.assumptions.prices
        return prices is not None and prices.method is not UpliftMethod.none

    def show(self, key: tuple, sheet: str, column: str, row: int) -> None:
        self.shown[key] = ref(sheet, column, row)

    def name(self, name: str, sheet: str, cells: str) -> None:
        self.wb.defined_names[name] = DefinedName(name, attr_text=f"{sheet_name(sheet)}!{cells}")
