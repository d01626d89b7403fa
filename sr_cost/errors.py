"""Domain errors. The core raises these; only ``cli.py`` turns them into exit codes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located as the user sees it.

    ``row`` is the line number a text editor shows (CSV) or the row number Excel shows (XLSX);
    ``cell`` is the A1 reference in a workbook, empty for CSV.
    """

    file: str
    message: str
    fix: str = ""
    sheet: str = ""
    row: int | None = None
    column: str = ""
    cell: str = ""
    value: str = ""
    severity: str = "error"  # "error" or "warning"

    def where(self) -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(f"sheet '{self.sheet}'")
        if self.cell:
            parts.append(f"cell {self.cell}")
        elif self.row is not None:
            parts.append(f"line {self.row}")
        if self.column:
            parts.append(f"column '{self.column}'")
        return ", ".join(parts)

    def __str__(self) -> str:
        text = f"{self.where()}: {self.message}"
        if self.value:
            text += f" (value: {self.value!r})"
        if self.fix:
            text += f". {self.fix}"
        return text


class SrCostError(Exception):
    """Base class of every error sr-cost reports to a user."""


class DataError(SrCostError):
    """The input data is wrong. Carries every problem found, not just the first. Exit code 1."""

    def __init__(self, problems: list[Problem] | Problem):
        if isinstance(problems, Problem):
            problems = [problems]
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class UsageError(SrCostError):
    """The command was called wrongly (bad option value, output path equal to an input). Exit 2."""


class ProblemCollector:
    """Collects problems while validating, then raises them all at once."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def raise_if_errors(self) -> None:
        if self.errors:
            raise DataError(self.problems)
