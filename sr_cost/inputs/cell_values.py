"""Cells of a form as their user typed them: labels, numbers, text problems, the header check.

Each function looks at one value (or one column's distinct values) and says what it means or what is
wrong with it, in words a finance officer can act on. The forms, the survey, the unit-cost table and
the price index are all read through these.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from sr_cost.errors import CONTROL, Problem, ProblemCollector, visible
from sr_cost.inputs.tables import RawTable, nonblank
from sr_cost.money import parse_number

_WHOLE = re.compile(r"[-+]?[0-9]+\.0*")  # a whole number written with a decimal point: '1.0'


def text_label(value: object) -> str:
    """A label as text: Excel's 1.0 and the text '1' are the same phase '1'; dates become ISO."""
    if value is None:
        return ""
    if isinstance(value, str):
        if value.isalnum():  # the usual case ('LA1', 'R0001'): nothing to do
            return value
        text = " ".join(value.split())
        if "." in text and _WHOLE.fullmatch(text):  # '1.0' is phase 1
            return str(int(text.split(".")[0]))
        return text
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, (dt.datetime,)):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:  # past that, as Python writes it
        return str(int(value))
    if isinstance(value, (int, float, Decimal)):
        return str(value)
    return text_label(str(value))


EXCEL_CELL_MAX = 32_767  # [characters] the most an Excel cell holds
_CONTROL = CONTROL  # characters no one types on purpose (errors.CONTROL)
TOTAL_WORDS = frozenset({"total", "totals", "grand total", "sub total", "sub-total", "subtotal", "sum"})


def text_labels(values: Sequence) -> list[str]:
    """``text_label`` of each value; in one step when all are plain alphanumeric text (a national
    survey's 50,000 respondent ids)."""
    if all(type(v) is str for v in values) and all(map(str.isalnum, values)):
        return list(values)
    return [text_label(v) for v in values]


def shown(value: object) -> str:
    """A cell's value as its user sees it: TRUE, 2019-05-21, 12.5."""
    return value if isinstance(value, str) else text_label(value)


def text_problem(value: object) -> tuple[str, str, str] | None:
    """(message, fix, value as shown) when a cell's text cannot be right whatever the column."""
    if not isinstance(value, str):
        return None
    if len(value) > EXCEL_CELL_MAX:
        return (
            f"is {len(value):,} characters long, more than the {EXCEL_CELL_MAX:,} an Excel cell holds",
            "Shorten the text: a form's cell holds a label or a number (check the quotes on this line)",
            visible(value[:40]) + "…",
        )
    found = _CONTROL.search(value)
    if found:
        return (
            f"holds an invisible control character ({found.group().encode('unicode_escape').decode('ascii')})",
            "Retype the cell: it was probably pasted from another program",
            visible(value),
        )
    return None


def text_problems(values: list) -> list[tuple[str, str, str] | None]:
    """``text_problem`` of each value; one pass over all the text when none has a problem (the
    usual case: a column of a national form has tens of thousands of distinct values)."""
    texts = [v for v in values if isinstance(v, str)]
    joined = "\n".join(texts)
    if not _CONTROL.search(joined) and max(map(len, texts), default=0) <= EXCEL_CELL_MAX:
        return [None] * len(values)
    return [text_problem(v) for v in values]


def is_total(label: str) -> bool:
    return label.casefold().rstrip(":").strip() in TOTAL_WORDS


_DATE_LIKE = re.compile(r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}( \d{1,2}:\d{2}(:\d{2})?)?$")
_LETTER_DIGITS = str.maketrans({"O": "0", "o": "0", "l": "1", "I": "1"})


def _number_fix(value: object, header: str, places: int | None) -> str:
    """How to write a number that could not be read, from what was written."""
    if isinstance(value, bool) or (isinstance(value, str) and value.strip().upper() in ("TRUE", "FALSE")):
        return f"Write a number in '{header}': TRUE and FALSE are not numbers (check the cell's format)"
    text = str(value).strip()
    if _DATE_LIKE.match(text):
        return f"Write a number in '{header}': this looks like a date (format the column as Number in Excel)"
    if any(c.isdigit() and not c.isascii() for c in text):
        return f"Type the number with the digits 0-9 in '{header}'"
    if "_" in text:
        return f"Write the number without underscores (1000, not 1_000) in '{header}'"
    if text.lower() in ("nan", "inf", "-inf", "+inf", "infinity", "-infinity"):
        return f"Write a number of zero or more in '{header}' (leave it blank for the default)"
    if re.search(r"\d[eE][-+]?\d", text):
        return f"Write the number in full (1000, not 1e3) in '{header}'"
    if text.translate(_LETTER_DIGITS) != text and re.fullmatch(r"[-+£\s\d,.]*", text.translate(_LETTER_DIGITS)):
        return f"A letter is standing in for a digit (O for 0, l for 1): retype the number in '{header}'"
    if places is not None:  # an amount of money (cost, rate, salary): the others take any decimals
        return f"Write an amount of zero or more in '{header}' (digits like 1234.50, optionally with £ and commas)"
    return f"Write a number of zero or more in '{header}' (digits like 12 or 7.5)"


@dataclass(frozen=True)
class Bound:
    """The most a number column may hold, and what that is in words: no real form comes near it,
    and past it sums could outgrow what is exact ('the 10,000 people a line may count')."""

    most: Decimal
    words: str
    money: bool = False

    def problem(self, column: str, header: str) -> tuple[str, str]:
        most = f"£{self.most:,}" if self.money else f"{self.most:,}"
        return (
            f"{column} is more than the {most} {self.words}",
            f"Check '{header}' (a slip of the keyboard, or a figure in the wrong column?); "
            "if it is right, split it over several lines",
        )


def parse_cell(
    value: object,
    column: str,
    header: str,
    *,
    default: Decimal | None,
    places: int | None = None,
    bound: Bound | None = None,
) -> tuple[Decimal | None, tuple[str, str] | None]:
    """A number cell: ``(number, None)``, or ``(None, (message, fix))`` when it cannot be read or
    is more than ``bound`` allows."""
    number, error = _parse_cell(value, column, header, default=default, places=places)
    if bound is not None and number is not None and number > bound.most:
        return None, bound.problem(column, header)
    return number, error


def _parse_cell(
    value: object, column: str, header: str, *, default: Decimal | None, places: int | None = None
) -> tuple[Decimal | None, tuple[str, str] | None]:
    if not nonblank(value):
        return default, None
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return None, (
            f"{column} holds a date, not a number",
            "Format the cell as a number (Excel may have turned it into a date)",
        )
    if isinstance(value, str) and value.isascii():  # the usual cases, '12' and '45.50', without the regex
        if value.isdigit():
            return Decimal(value), None
        whole, dot, fraction = value.partition(".")
        if dot and whole.isdigit() and fraction.isdigit() and (places is None or len(fraction) <= places):
            return Decimal(value), None
    try:
        number = parse_number(value, max_places=places)
    except ValueError as exc:
        if "decimal places" in str(exc):
            unit = "the penny" if places == 2 else f"{places} decimal places"
            return None, (f"{column} {exc}", f"Round '{header}' to {unit}")
        return None, (f"{column} {exc}", _number_fix(value, header, places))
    if number < 0:
        return None, (f"{column} is negative", f"Write zero or more in '{header}'")
    return number, None


_PLAIN_NUMBER = re.compile(r"[0-9]+(?:\.([0-9]+))?")  # '12', '45.50': most of a form's numbers


def parse_cells(
    values: Sequence,
    column: str,
    header: str,
    *,
    default: Decimal | None,
    places: int | None = None,
    bound: Bound | None = None,
) -> list[tuple[Decimal | None, tuple[str, str] | None]]:
    """``parse_cell`` of each of a column's distinct values, with plain numbers taken in one step."""
    out = []
    plain = _PLAIN_NUMBER.fullmatch
    most = bound.most if bound is not None else None
    for value in values:
        found = plain(value) if type(value) is str else None
        if found is not None and (places is None or found.group(1) is None or len(found.group(1)) <= places):
            number = Decimal(value)
            out.append((number, None) if most is None or number <= most else (None, bound.problem(column, header)))
        else:
            out.append(parse_cell(value, column, header, default=default, places=places, bound=bound))
    return out


def number_in_row(
    raw: RawTable,
    row: int,
    column: str,
    value: object,
    problems: ProblemCollector,
    *,
    default: Decimal,
    places: int | None = None,
    bound: Bound | None = None,
) -> Decimal | None:
    text = text_problem(value)
    if text is not None:
        problems.add(raw.problem(f"{column} {text[0]}", row=row, column=column, value=text[2], fix=text[1]))
        return None
    number, error = parse_cell(
        value, column, raw.headers.get(column, column), default=default, places=places, bound=bound
    )
    if error is not None:
        problems.add(raw.problem(error[0], row=row, column=column, value=shown(value), fix=error[1]))
    return number


def check_columns(raw: RawTable, known: tuple[str, ...], required: tuple[str, ...], problems: ProblemCollector) -> bool:
    """Missing required columns are errors; unknown extra columns are warnings."""
    if not raw.headers:
        problems.add(
            raw.problem(
                "is empty: it has no header line",
                row=None,
                fix=f"Write the header line ({','.join(known)}) and the lines under it, or delete the file",
            )
        )
        return False
    ok = True
    extra = [c for c in raw.headers if c not in known and c]
    for column in required:
        if column not in raw.headers:
            problems.add(
                raw.problem(
                    f"the required column '{column}' is missing",
                    row=None,
                    column=column,
                    fix=f"Add a column headed '{column}'{rename_hint(column, extra, raw)} "
                    f"(the columns this form takes are: {', '.join(known)})",
                )
            )
            ok = False
    if extra:
        missing = [c for c in known if c not in raw.headers]
        hints = "".join(
            f"; is '{raw.headers[c]}' meant to be '{m[0]}'?"
            for c in extra
            if (m := difflib.get_close_matches(c, missing, n=1, cutoff=0.6))
        )
        names = ", ".join(raw.headers[c] for c in extra)
        problems.add(
            raw.problem(
                "unknown column(s), ignored",
                row=None,
                column=raw.headers[extra[0]],
                value=names,
                fix=f"Known columns are: {', '.join(known)}{hints}",
                severity="warning",
            )
        )
    return ok


def rename_hint(column: str, extra: list[str], raw: RawTable) -> str:
    """' (or rename 'hrs', which looks like it)' when one of the ``extra`` (unknown) columns' header
    is close to ``column``; else ''."""
    close = difflib.get_close_matches(column, extra, n=1, cutoff=0.6)
    return f" (or rename '{raw.headers[close[0]]}', which looks like it)" if close else ""


class FoundProblems:
    """Problems found column by column, reported row by row."""

    def __init__(self, raw: RawTable, line: np.ndarray) -> None:
        self.raw = raw
        self.line = line
        self.found: list[tuple[int, int, Problem]] = []  # (row position, check order, problem)
        self.bad = np.zeros(len(line), dtype=bool)

    def add(self, order: int, mask: np.ndarray, make: Callable[[int], Problem]) -> None:
        """``make(i)`` is the Problem of row position i, for every row in ``mask``."""
        for i in np.flatnonzero(mask).tolist():
            self.found.append((i, order, make(i)))
        self.bad |= mask

    def report(self, problems: ProblemCollector) -> None:
        for _, _, problem in sorted(self.found, key=lambda f: (f[0], f[1])):
            problems.add(problem)
