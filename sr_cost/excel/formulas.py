"""What the workbook computes by formula: the columns of ``Lines``, ``Rounds`` and ``Checks``, and
the formulas that fill them. Pure (no openpyxl); ``audit.py`` writes what this module says.

Formulas are built only from sr-cost's own words: cell references, the names ``UnitCostRoles``,
``UnitCostRates``, ``MileageRate``, ``RoundsPerYear`` and ``Tolerance`` (and, when the forms' period
is known, ``PeriodMonths``; when the figures are re-priced, ``StaffTimeFactor`` and
``FormsMoneyFactor``), the form kinds and the modes.
They match lines to rounds and LA-phases on sr-cost's own numbers (``Round no.``, ``LA-phase no.``),
never on user text, since ``SUMIFS`` reads ``*``, ``?``, ``>5`` or ``=x`` in a criterion as a pattern
or a comparison. Only the role look-up compares user text, with ``MATCH``, exact, and with ``* ? ~``
escaped when the role holds them. Functions are ones Excel and LibreOffice both have: ``SUMIFS``,
``COUNTIFS``, ``COUNTIF``, ``INDEX``/``MATCH``, ``IF``, ``AND``, ``ISNUMBER``, ``ABS``, ``ROUND``,
``ROWS``, ``COUNT``, ``AVERAGE``, ``MIN``, ``MAX``, ``SUBSTITUTE`` (and, on sheet Savings,
``AVERAGEIFS``: see ``savings_formulas.py``, which follows the same rules).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sr_cost.core.estimate import RoundCost
from sr_cost.core.lines import FormKind, Line
from sr_cost.inputs.tables import column_letter

MONEY = "£#,##0.00"
MONEY_OR_DASH = '£#,##0.00;-£#,##0.00;"–"'
RATE = "£#,##0.00##"
COUNT = "#,##0"
DECIMAL = "#,##0.00"
DIFFERENCE = "#,##0.0000;-#,##0.0000;0"
PLAIN_OR_DASH = 'General;-General;"–"'
PLAIN = "General"
_WILDCARDS = re.compile(r"[*?~]")
_PLAIN_INT = re.compile(r"^(0|[1-9][0-9]{0,14})$")


class Formula(str):
    """A formula sr-cost wrote. The only way a formula gets into a workbook: plain ``str`` is text."""

    def __new__(cls, text: str) -> Formula:
        return super().__new__(cls, text if text.startswith("=") else "=" + text)


def label(text: str | None) -> int | str | None:
    """A label (LA, phase, round) as a cell value: a plain whole number as a number, so Excel does not
    flag 'number stored as text'; anything else as text."""
    if text is None:
        return None
    return int(text) if _PLAIN_INT.match(text) else text


def sheet_name(name: str) -> str:
    """A sheet name as formulas write it: quoted only when it must be (``'By LA'``, ``Lines``)."""
    return name if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) else "'" + name.replace("'", "''") + "'"


def ref(sheet: str, column: str, row: int | None = None) -> str:
    """``'By LA'!$N$5`` or, without a row, the whole column ``Lines!$T:$T``."""
    q = sheet_name(sheet)
    return f"{q}!${column}${row}" if row is not None else f"{q}!${column}:${column}"


@dataclass(frozen=True)
class Col:
    """A column of a table: key used in code, header shown, number format, width hint, header note."""

    key: str
    header: str
    fmt: str | None = None
    width: float | None = None  # for formula columns, whose content length is unknown
    note: str = ""
    align: str | None = None  # None: text left, numbers right

    @property
    def horizontal(self) -> str:
        return self.align or ("left" if self.fmt is None else "right")


def letters(columns: Sequence[Col]) -> dict[str, str]:
    return {c.key: column_letter(i) for i, c in enumerate(columns)}


# --- Lines: every input line and its cost ----------------------------------------------------------

LINE_COLUMNS = (
    Col("file", "File"),
    Col("sheet", "Sheet"),
    Col("row", "Row", COUNT),
    Col("form", "Form"),
    Col("la", "LA"),
    Col("phase", "Phase"),
    Col("round", "Round"),
    Col("mode", "Mode"),
    Col("item", "Item"),
    Col("role", "Role"),
    Col("staff", "Staff", PLAIN),
    Col("hours", "Hours", PLAIN, note="hours per person"),
    Col("own_rate", "Own rate (£/hour)", RATE, note="the line's own hourly rate, if it gave one"),
    Col(
        "rate",
        "Hourly rate (£/hour)",
        RATE,
        10,
        note="=own rate if given, else the role's unit cost looked up in 'Unit costs' (exact match of the role)",
    ),
    Col("staff_time", "Staff time (£)", MONEY_OR_DASH, 11, note="=staff x hours x hourly rate"),
    Col("miles", "Miles", PLAIN_OR_DASH, note="miles travelled on the line in total"),
    Col("mileage_rate", "Mileage rate (£/mile)", RATE, 8, note="=MileageRate (sheet Assumptions)"),
    Col("mileage", "Mileage (£)", MONEY_OR_DASH, 10, note="=miles x mileage rate"),
    Col("direct", "Direct cost (£)", MONEY_OR_DASH, 11, note="fees, catering, room hire: direct cost"),
    Col("cost", "Line cost (£)", MONEY, 11, note="=staff time + mileage + direct cost"),
    Col(
        "attendance",
        "Attendance",
        PLAIN,
        8,
        note="=staff on the rounds form's lines whose item is 'attendance' (the audience), else 0",
    ),
    Col(
        "round_no",
        "Round no.",
        '0;-0;"spread"',
        8,
        align="center",
        note="the round (sheet Rounds) the line belongs to; 'spread' (0): a panel or steering line tied to no "
        "round, shared evenly by the LA and phase's rounds; blank for training",
    ),
    Col("la_no", "LA-phase no.", COUNT, 8, align="center", note="the LA and phase (sheets By LA and Rounds)"),
)
LINE = letters(LINE_COLUMNS)
LINES = {key: ref("Lines", letter) for key, letter in LINE.items()}


def round_no(line: Line, numbers: Mapping[tuple[str, str, str], int]) -> int | None:
    """The Rounds row a line belongs to; 0 for panel and steering lines tied to no round (spread over
    the LA-phase's rounds); None for training."""
    if line.form is FormKind.training:
        return None
    if line.round is None:
        return 0
    return numbers[(line.la, line.phase, line.round)]


def role_lookup(cell: str, role: str | None) -> str:
    """What MATCH looks up for the role in ``cell``: the cell itself, or, when the role holds a
    wildcard (``* ? ~``), the cell with them escaped, so that MATCH compares it exactly."""
    if not (role and _WILDCARDS.search(role)):
        return cell
    return f'SUBSTITUTE(SUBSTITUTE(SUBSTITUTE({cell},"~","~~"),"*","~*"),"?","~?")'


def line_row(
    line: Line, r: int, *, round_number: int | None, la_number: int, repriced: bool = False
) -> dict[str, object]:
    """The cells of one line on row ``r`` of Lines: its inputs as values, its cost as formulas (when
    ``repriced``, staff time priced from Unit costs x StaffTimeFactor, and the line's own rate, the
    mileage rate and its direct cost x FormsMoneyFactor)."""
    c = LINE
    role = f"{c['role']}{r}"
    lookup = role_lookup(role, line.role)
    staff, money = ("*StaffTimeFactor", "*FormsMoneyFactor") if repriced else ("", "")
    return {
        "file": line.file.replace("\\", "/").rsplit("/", 1)[-1],
        "sheet": line.sheet or None,
        "row": line.row,
        "form": line.form.value,
        "la": line.la,
        "phase": label(line.phase),
        "round": label(line.round),
        "mode": line.mode.value if line.mode else None,
        "item": line.item or None,
        "role": line.role,
        "staff": line.staff,
        "hours": line.hours,
        "own_rate": line.rate if line.own_rate else None,
        "rate": Formula(
            f'=IF(ISNUMBER({c["own_rate"]}{r}),{c["own_rate"]}{r}{money},IF({role}="",0,'
            f"INDEX(UnitCostRates,MATCH({lookup},UnitCostRoles,0)){staff}))"
        ),
        "staff_time": Formula(f"={c['staff']}{r}*{c['hours']}{r}*{c['rate']}{r}"),
        "miles": line.miles,
        "mileage_rate": Formula(f"=MileageRate{money}"),
        "mileage": Formula(f"={c['miles']}{r}*{c['mileage_rate']}{r}"),
        "direct": line.cost,
        "cost": Formula(f"={c['staff_time']}{r}+{c['mileage']}{r}+{c['direct']}{r}{money}"),
        "attendance": Formula(f'=IF(AND({c["form"]}{r}="rounds",{c["item"]}{r}="attendance"),{c["staff"]}{r},0)'),
        "round_no": round_number,
        "la_no": la_number,
    }


def annual_formula(total: str, rounds: str, no: str, *, period: bool) -> str:
    """A year's cost of an LA-phase, as ``Assumptions.annual`` works it out (no leading ``=``):
    ``total`` its mean cost per round (or of its rounds of one mode), ``rounds`` its rounds, ``no`` its
    LA-phase number. Without a period, RoundsPerYear x the mean; with one, rounds a year (RoundsPerYear
    if given, else rounds x 12 / PeriodMonths) x the mean without the steering lines tied to no round,
    plus those x 12 / PeriodMonths."""
    if not period:
        return f"RoundsPerYear*{total}"
    untied = f'SUMIFS({LINES["cost"]},{LINES["form"]},"steering",{LINES["la_no"]},{no},{LINES["round_no"]},0)'
    rounds_a_year = f"IF(ISNUMBER(RoundsPerYear),RoundsPerYear,{rounds}*12/PeriodMonths)"
    return f"{rounds_a_year}*({total}-{untied}/{rounds})+{untied}*12/PeriodMonths"


# --- Rounds: each round from its lines -------------------------------------------------------------

ROUND_COLUMNS = (
    Col("no", "Round no.", COUNT, 8, align="center"),
    Col("la_no", "LA-phase no.", COUNT, 8, align="center"),
    Col("la", "LA"),
    Col("phase", "Phase"),
    Col("round", "Round"),
    Col("mode", "Mode"),
    Col("lines", "Lines", COUNT, 7, note="=number of the rounds form's lines of this round (sheet Lines)"),
    Col(
        "panel",
        "Panel (£)",
        MONEY,
        11,
        note="=panel lines tied to this round + the LA and phase's panel lines tied to no round ÷ its rounds",
    ),
    Col("round_cost", "Round (£)", MONEY, 11, note="=the round's own lines (rounds form)"),
    Col(
        "steering",
        "Steering (£)",
        MONEY,
        11,
        note="=steering lines tied to this round + the LA and phase's untied steering lines ÷ its rounds",
    ),
    Col("total", "Total (£)", MONEY, 11, note="=panel + round + steering"),
    Col("attendance", "Attendance", PLAIN, 9, note="=staff on the round's attendance lines"),
)
ROUND = letters(ROUND_COLUMNS)
ROUNDS = {key: ref("Rounds", letter) for key, letter in ROUND.items()}


def round_row(rc: RoundCost, r: int, *, number: int, la_number: int) -> dict[str, object]:
    """The cells of one round on row ``r`` of Rounds: its components as sums over Lines."""
    cost, form, rno, lano, att = (LINES[k] for k in ("cost", "form", "round_no", "la_no", "attendance"))
    A, B = ROUND["no"], ROUND["la_no"]
    share = {
        k: (
            f'=SUMIFS({cost},{form},"{k}",{rno},${A}{r})+SUMIFS({cost},{form},"{k}",{lano},${B}{r},{rno},0)'
            f"/COUNTIFS(${B}:${B},${B}{r})"
        )
        for k in ("panel", "steering")
    }
    return {
        "no": number,
        "la_no": la_number,
        "la": rc.la,
        "phase": label(rc.phase),
        "round": label(rc.round),
        "mode": rc.mode.value,
        "lines": Formula(f'=COUNTIFS({form},"rounds",{rno},${A}{r})'),
        "panel": Formula(share["panel"]),
        "round_cost": Formula(f'=SUMIFS({cost},{form},"rounds",{rno},${A}{r})'),
        "steering": Formula(share["steering"]),
        "total": Formula(f"={ROUND['panel']}{r}+{ROUND['round_cost']}{r}+{ROUND['steering']}{r}"),
        "attendance": Formula(f"=SUMIFS({att},{rno},${A}{r})"),
    }
