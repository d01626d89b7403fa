"""Domain errors. The library raises these; only ``cli/`` turns them into exit codes (``cli.common.reported``)."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Characters no one types on purpose, that make two labels look the same but differ ('LA1' and
# 'LA1' with a zero-width space would be two LAs), or that a terminal obeys instead of showing
# (an escape sequence can recolour, move the cursor, retitle the window): C0 and C1 controls other
# than tab and line breaks, zero-width and direction marks, the byte-order mark.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_TERMINAL = re.compile(CONTROL.pattern[:-1] + "\r]")  # and a carriage return, which overwrites a line


def visible(text: str) -> str:
    """``text`` with its control characters written as escapes (``\\x1b``), so that a message can
    show them and a terminal does not obey them."""
    return _TERMINAL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


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
    left_out_to: int | None = None  # rows ``row`` to this had a cell left out by the reader: see add_read

    def where(self) -> str:
        parts = [visible(self.file)]
        if self.sheet:
            parts.append(f"sheet '{visible(self.sheet)}'")
        if self.cell:
            parts.append(f"cell {self.cell}")
        elif self.row is not None:
            parts.append(f"line {self.row}")
        if self.column:
            parts.append(f"column '{visible(self.column)}'")
        return ", ".join(parts)

    def __str__(self) -> str:
        """The problem on one line, every control character escaped."""
        text = f"{self.where()}: {visible(self.message)}"
        if self.value:
            text += f" (value: {visible(repr(self.value))})"
        if self.fix:
            text += f". {visible(self.fix)}"
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
        """A problem found while reading. When it left cells out of their rows (``left_out_to``: an
        error value, a formula with no saved value, merged cells), those rows' other problems are not
        added: what is wrong with a row may follow from the cell left out (a merged role is a blank
        role), and the row is checked once the reading problem is put right."""
        self.problems.append(problem)
        if problem.left_out_to is not None and problem.row is not None:
            self._left_out.setdefault((problem.file, problem.sheet), []).append((problem.row, problem.left_out_to))

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
