"""Domain errors. The core raises these; only ``cli.py`` turns them into exit codes."""

from __future__ import annotations

import re
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
    left_out: bool = False  # the cell (or the merge's cells but its first) was not read: see add_read

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
        self._left_out: dict[tuple[str, str], list[tuple[int, int]]] = {}  # see add_read

    def add_read(self, problem: Problem) -> None:
        """A problem found while reading. When it left a cell out of its row (``left_out``: an error
        value, a formula with no saved value, merged cells), the row's other problems are not added:
        what is wrong with the row may follow from the cell left out (a merged role is a blank
        role), and the row is checked once the reading problem is put right."""
        self.problems.append(problem)
        corners = _corners(problem.cell) if problem.left_out else None
        if corners is not None:
            self._left_out.setdefault((problem.file, problem.sheet), []).append((corners[1], corners[3]))

    def add(self, problem: Problem) -> None:
        if self._left_out and problem.row is not None:
            for first, last in self._left_out.get((problem.file, problem.sheet), ()):
                if first <= problem.row <= last:
                    return
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


_CELL = re.compile(r"([A-Z]{1,3})([0-9]+)")


def _corners(reference: str) -> tuple[int, int, int, int] | None:
    """``'B3'`` -> (2, 3, 2, 3), ``'A5:A7'`` -> (1, 5, 1, 7): first column and row, last column and
    row; None for anything else."""
    found = [_CELL.fullmatch(part) for part in reference.split(":")] if reference else []
    if not 1 <= len(found) <= 2 or not all(found):
        return None
    points = []
    for match in found:
        column = 0
        for letter in match.group(1):
            column = column * 26 + ord(letter) - 64
        points.append((column, int(match.group(2))))
    (c1, r1), (c2, r2) = points[0], points[-1]
    return min(c1, c2), min(r1, r2), max(c1, c2), max(r1, r2)
