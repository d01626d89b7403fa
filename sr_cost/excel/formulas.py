"""What the workbook computes by formula: the columns of ``Lines``, ``Rounds`` and ``Checks``, and
the formulas that fill them. Pure (no openpyxl); ``excel_audit.py`` writes what this module says.

Formulas are built only from sr-cost's own words: cell references, the names ``UnitCostRoles``,
``UnitCostRates``, ``MileageRate``, ``RoundsPerYear`` and ``Tolerance``, the form kinds and the modes.
They match lines to rounds and LA-phases on sr-cost's own numbers (``Round no.``, ``LA-phase no.``),
never on user text, since ``SUMIFS`` reads ``*``, ``?``, ``>5`` or ``=x`` in a criterion as a pattern
or a comparison. Only the role look-up compares user text, with ``MATCH``, exact, and with ``* ? ~``
escaped when the role holds them. Functions are ones Excel and LibreOffice both have: ``SUMIFS``,
``COUNTIFS``, ``COUNTIF``, ``INDEX``/``MATCH``, ``IF``, ``AND``, ``ISNUMBER``, ``ABS``, ``ROUND``,
``ROWS``, ``COUNT``, ``AVERAGE``, ``MIN``, ``MAX``, ``SUBSTITUTE`` (and, on sheet Savings,
``AVERAGEIFS``: see ``excel_savings_formulas.py``, which follows the same rules).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable, Mapping, Sequence

from sr_cost.core.estimate import Estimate, LaEstimate, RoundCost
from sr_cost.core.lines import FormKind, Line, Mode
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

    def __new__(cls, text: str) -> "Formula":
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
    Col("file", "File"), Col("sheet", "Sheet"), Col("row", "Row", COUNT),
    Col("form", "Form"), Col("la", "LA"), Col("phase", "Phase"), Col("round", "Round"), Col("mode", "Mode"),
    Col("item", "Item"), Col("role", "Role"),
    Col("staff", "Staff", PLAIN), Col("hours", "Hours", PLAIN, note="hours per person"),
    Col("own_rate", "Own rate (£/hour)", RATE, note="the line's own hourly rate, if it gave one"),
    Col("rate", "Hourly rate (£/hour)", RATE, 10,
        note="=own rate if given, else the role's unit cost looked up in 'Unit costs' (exact match of the role)"),
    Col("staff_time", "Staff time (£)", MONEY_OR_DASH, 11, note="=staff x hours x hourly rate"),
    Col("miles", "Miles", PLAIN_OR_DASH, note="miles travelled on the line in total"),
    Col("mileage_rate", "Mileage rate (£/mile)", RATE, 8, note="=MileageRate (sheet Assumptions)"),
    Col("mileage", "Mileage (£)", MONEY_OR_DASH, 10, note="=miles x mileage rate"),
    Col("direct", "Direct cost (£)", MONEY_OR_DASH, 11, note="fees, catering, room hire: direct cost"),
    Col("cost", "Line cost (£)", MONEY, 11, note="=staff time + mileage + direct cost"),
    Col("attendance", "Attendance", PLAIN, 8,
        note="=staff on the rounds form's lines whose item is 'attendance' (the audience), else 0"),
    Col("round_no", "Round no.", '0;-0;"spread"', 8, align="center",
        note="the round (sheet Rounds) the line belongs to; 'spread' (0): a panel or steering line tied to no "
             "round, shared evenly by the LA and phase's rounds; blank for training"),
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


def line_row(line: Line, r: int, *, round_number: int | None, la_number: int) -> dict[str, object]:
    """The cells of one line on row ``r`` of Lines: its inputs as values, its cost as formulas."""
    c = LINE
    role = f"{c['role']}{r}"
    lookup = role_lookup(role, line.role)
    return {
        "file": line.file.replace("\\", "/").rsplit("/", 1)[-1], "sheet": line.sheet or None, "row": line.row,
        "form": line.form.value, "la": line.la, "phase": label(line.phase), "round": label(line.round),
        "mode": line.mode.value if line.mode else None, "item": line.item or None, "role": line.role,
        "staff": line.staff, "hours": line.hours, "own_rate": line.rate if line.own_rate else None,
        "rate": Formula(f'=IF(ISNUMBER({c["own_rate"]}{r}),{c["own_rate"]}{r},IF({role}="",0,'
                        f'INDEX(UnitCostRates,MATCH({lookup},UnitCostRoles,0))))'),
        "staff_time": Formula(f"={c['staff']}{r}*{c['hours']}{r}*{c['rate']}{r}"),
        "miles": line.miles, "mileage_rate": Formula("=MileageRate"),
        "mileage": Formula(f"={c['miles']}{r}*{c['mileage_rate']}{r}"),
        "direct": line.cost,
        "cost": Formula(f"={c['staff_time']}{r}+{c['mileage']}{r}+{c['direct']}{r}"),
        "attendance": Formula(f'=IF(AND({c["form"]}{r}="rounds",{c["item"]}{r}="attendance"),{c["staff"]}{r},0)'),
        "round_no": round_number, "la_no": la_number,
    }


# --- Rounds: each round from its lines -------------------------------------------------------------

ROUND_COLUMNS = (
    Col("no", "Round no.", COUNT, 8, align="center"), Col("la_no", "LA-phase no.", COUNT, 8, align="center"),
    Col("la", "LA"), Col("phase", "Phase"), Col("round", "Round"), Col("mode", "Mode"),
    Col("lines", "Lines", COUNT, 7, note="=number of the rounds form's lines of this round (sheet Lines)"),
    Col("panel", "Panel (£)", MONEY, 11,
        note="=panel lines tied to this round + the LA and phase's panel lines tied to no round ÷ its rounds"),
    Col("round_cost", "Round (£)", MONEY, 11, note="=the round's own lines (rounds form)"),
    Col("steering", "Steering (£)", MONEY, 11,
        note="=steering lines tied to this round + the LA and phase's untied steering lines ÷ its rounds"),
    Col("total", "Total (£)", MONEY, 11, note="=panel + round + steering"),
    Col("attendance", "Attendance", PLAIN, 9, note="=staff on the round's attendance lines"),
)
ROUND = letters(ROUND_COLUMNS)
ROUNDS = {key: ref("Rounds", letter) for key, letter in ROUND.items()}


def round_row(rc: RoundCost, r: int, *, number: int, la_number: int) -> dict[str, object]:
    """The cells of one round on row ``r`` of Rounds: its components as sums over Lines."""
    cost, form, rno, lano, att = (LINES[k] for k in ("cost", "form", "round_no", "la_no", "attendance"))
    A, B = ROUND["no"], ROUND["la_no"]
    share = {k: (f'=SUMIFS({cost},{form},"{k}",{rno},${A}{r})+SUMIFS({cost},{form},"{k}",{lano},${B}{r},{rno},0)'
                 f"/COUNTIFS(${B}:${B},${B}{r})") for k in ("panel", "steering")}
    return {
        "no": number, "la_no": la_number, "la": rc.la, "phase": label(rc.phase), "round": label(rc.round),
        "mode": rc.mode.value,
        "lines": Formula(f'=COUNTIFS({form},"rounds",{rno},${A}{r})'),
        "panel": Formula(share["panel"]),
        "round_cost": Formula(f'=SUMIFS({cost},{form},"rounds",{rno},${A}{r})'),
        "steering": Formula(share["steering"]),
        "total": Formula(f"={ROUND['panel']}{r}+{ROUND['round_cost']}{r}+{ROUND['steering']}{r}"),
        "attendance": Formula(f"=SUMIFS({att},{rno},${A}{r})"),
    }


# --- Checks: every figure sr-cost reports, recomputed ---------------------------------------------

CHECK_COLUMNS = (
    Col("figure", "Figure"), Col("no", "LA-phase no.", COUNT, 8, align="center"), Col("la", "LA"),
    Col("phase", "Phase"), Col("mode", "Mode"),
    Col("recomputed", "Recomputed", MONEY, 12,
        note="computed by formulas from sheets Rounds and Lines (savings: on sheet Savings, from its respondents)"),
    Col("sr_cost", "sr-cost", MONEY, 12, note="the figure sr-cost computed, as shown on Summary or By LA"),
    Col("difference", "Difference", MONEY, 11, note="=recomputed - sr-cost"),
    Col("result", "Result", None, 8, align="center",
        note="PASS when the difference is at most the tolerance (half a penny)"),
)
CHECK = letters(CHECK_COLUMNS)
FIRST_CHECK_ROW = 7
MASTER_CELL = "B3"
TOLERANCE_CELL = "B4"
TOLERANCE_GBP = Decimal("0.005")  # half a penny: a recomputed figure passes within this of sr-cost's

# Figures of an LA-phase (and of its rounds of one mode): (key, name, format). A figure's key in
# ``shown`` is ("la", LA-phase no., mode or None, key); ("phase", phase, key), ("overall", key) and
# ("mode", mode, key) for the groups.
LA_FIGURES = (
    ("rounds", "Rounds", COUNT), ("in_person", "In-person rounds", COUNT), ("virtual", "Virtual rounds", COUNT),
    ("setup_direct", "Set-up: direct", MONEY), ("setup_indirect", "Set-up: indirect", MONEY),
    ("setup_total", "Set-up: total", MONEY),
    ("panel", "Mean per round: panel", MONEY), ("round", "Mean per round: round", MONEY),
    ("steering", "Mean per round: steering", MONEY), ("total", "Mean per round: total", MONEY),
    ("attendances", "Attendances", COUNT), ("attendees_per_round", "Attendees per round", DECIMAL),
    ("cost_per_attendee", "Cost per attendee", MONEY), ("annual", "Annual cost", MONEY),
    ("first_year", "First-year cost", MONEY),
)
LA_ONLY = {"in_person", "virtual", "setup_direct", "setup_indirect", "setup_total", "first_year"}
GROUP_FIGURES = (("las", "LAs", COUNT), ("rounds", "Rounds", COUNT), ("attendances", "Attendances", COUNT),
                 ("mean", "Mean per round: total", MONEY), ("min", "Lowest LA per round", MONEY),
                 ("max", "Highest LA per round", MONEY), ("cost_per_attendee", "Cost per attendee", MONEY),
                 ("annual", "Annual cost", MONEY), ("setup_mean", "Set-up: mean", MONEY),
                 ("setup_min", "Set-up: lowest LA", MONEY), ("setup_max", "Set-up: highest LA", MONEY))


@dataclass(frozen=True)
class Recomputed:
    """A figure recomputed on another sheet (``Savings``): Checks refers to it with ``formula``."""

    figure: str
    key: tuple  # the figure's key in ``shown``
    formula: str
    fmt: str
    phase: str | None = None


@dataclass(frozen=True)
class Check:
    """One row of Checks: a figure, whose it is, and the formula recomputing it."""

    figure: str
    key: tuple  # the figure's key in ``shown``
    formula: str
    fmt: str
    row: int
    no: int | None = None
    la: str | None = None
    phase: str | None = None
    mode: str | None = None


class _Plan:
    """Check rows in order; each knows its row, so later formulas can refer to earlier ones."""

    def __init__(self, shown: Mapping[tuple, str]):
        self.shown = shown
        self.rows: list[Check] = []
        self.at: dict[tuple, int] = {}

    @property
    def next_row(self) -> int:
        return FIRST_CHECK_ROW + len(self.rows)

    def add(self, figure: str, key: tuple, formula: str, fmt: str, **where) -> None:
        row = self.next_row
        self.rows.append(Check(figure, key, formula.replace("{r}", str(row)), fmt, row, **where))
        self.at[key] = row

    def cell(self, key: tuple) -> str:
        return f"{CHECK['recomputed']}{self.at[key]}"

    def span(self, keys: Iterable[tuple]) -> str:
        rows = [self.at[k] for k in keys if k in self.at]
        if rows != list(range(rows[0], rows[0] + len(rows))):  # pragma: no cover - blocks are contiguous
            raise AssertionError("check rows of a group are not contiguous")
        return f"{CHECK['recomputed']}{rows[0]}:{CHECK['recomputed']}{rows[-1]}"


def _la_formula(key: str, plan: _Plan, no: int, mode: Mode | None) -> str:
    """The formula recomputing one figure of an LA-phase (or of its rounds of one mode) on row ``{r}``."""
    R, L = ROUNDS, LINES
    of = f"{R['la_no']},${CHECK['no']}{{r}}" + (f",{R['mode']},${CHECK['mode']}{{r}}" if mode else "")
    training = f'{L["form"]},"training",{L["la_no"]},${CHECK["no"]}{{r}}'
    components = {"panel": "panel", "round": "round_cost", "steering": "steering", "total": "total"}

    def cell(k: str) -> str:
        return plan.cell(("la", no, mode, k))

    if key == "rounds":
        return f"=COUNTIFS({of})"
    if key in ("in_person", "virtual"):
        return f'=COUNTIFS({of},{R["mode"]},"{Mode[key].value}")'
    if key == "setup_direct":
        return f"=SUMIFS({L['direct']},{training})"
    if key == "setup_indirect":
        return f"=SUMIFS({L['staff_time']},{training})+SUMIFS({L['mileage']},{training})"
    if key == "setup_total":
        return f"=SUMIFS({L['cost']},{training})"
    if key in components:
        return f"=SUMIFS({R[components[key]]},{of})/{cell('rounds')}"
    if key == "attendances":
        return f"=SUMIFS({R['attendance']},{of})"
    if key == "attendees_per_round":
        return f"={cell('attendances')}/{cell('rounds')}"
    if key == "cost_per_attendee":
        return f"=SUMIFS({R['total']},{of})/{cell('attendances')}"
    if key == "annual":
        return f"=RoundsPerYear*{cell('total')}"
    if key == "first_year":
        return f"={cell('setup_total')}+{cell('annual')}"
    raise KeyError(key)  # pragma: no cover


def plan_checks(est: Estimate, las: Sequence[LaEstimate], la_no: Mapping[tuple[str, str], int],
                shown: Mapping[tuple, str], more: Sequence[Recomputed] = ()) -> list[Check]:
    """A check for every figure in ``shown`` (where sr-cost shows it), in blocks of one figure, so a
    phase's LAs are contiguous rows and its mean, lowest and highest are AVERAGE, MIN and MAX of them.
    ``las`` must be in phase order. ``more``: figures recomputed on other sheets (the savings), checked
    last, in the order given."""
    plan = _Plan(shown)
    # 1. per LA and phase; 2. per LA, phase and mode
    for modes in ((None,), tuple(Mode)):
        for key, figure, fmt in LA_FIGURES:
            if modes != (None,) and key in LA_ONLY:
                continue
            for mode in modes:
                for la in las:
                    no = la_no[(la.la, la.phase)]
                    if ("la", no, mode, key) in shown:
                        plan.add(figure, ("la", no, mode, key), _la_formula(key, plan, no, mode), fmt,
                                 no=no, la=la.la, phase=la.phase, mode=mode.value if mode else "all")
    # 3. per phase and overall, over the LA rows above
    groups = [(("phase", p.phase), p.phase) for p in est.phases] + [(("overall",), "all")]
    for gkey, phase in groups:
        nos = [la_no[(la.la, la.phase)] for la in las if phase in ("all", la.phase)]
        for key, figure, fmt in GROUP_FIGURES:
            if gkey + (key,) not in shown:
                continue
            totals = lambda: plan.span(("la", n, None, "total") for n in nos)  # noqa: E731
            setups = lambda: plan.span(("la", n, None, "setup_total") for n in nos)  # noqa: E731
            formula = {"las": lambda: f"=COUNT({totals()})", "mean": lambda: f"=AVERAGE({totals()})",
                       "min": lambda: f"=MIN({totals()})", "max": lambda: f"=MAX({totals()})",
                       "annual": lambda: f"=RoundsPerYear*{plan.cell(gkey + ('mean',))}",
                       "setup_mean": lambda: f"=AVERAGE({setups()})", "setup_min": lambda: f"=MIN({setups()})",
                       "setup_max": lambda: f"=MAX({setups()})"}[key]()
            plan.add(figure, gkey + (key,), formula, fmt, la="all", phase=phase, mode="all")
    # 4. per mode, over the LA-mode rows above and over Rounds
    R, mode_cell = ROUNDS, f"${CHECK['mode']}{{r}}"
    for m in est.modes:
        gkey = ("mode", m.mode)
        nos = [la_no[(la.la, la.phase)] for la in las if m.mode in la.modes]
        for key, figure, fmt in GROUP_FIGURES:
            if gkey + (key,) not in shown:
                continue
            totals = lambda: plan.span(("la", n, m.mode, "total") for n in nos)  # noqa: E731
            formula = {"las": lambda: f"=COUNT({totals()})", "rounds": lambda: f"=COUNTIFS({R['mode']},{mode_cell})",
                       "attendances": lambda: f"=SUMIFS({R['attendance']},{R['mode']},{mode_cell})",
                       "mean": lambda: f"=AVERAGE({totals()})",
                       "annual": lambda: f"=RoundsPerYear*{plan.cell(gkey + ('mean',))}",
                       "cost_per_attendee": lambda: (f"=SUMIFS({R['total']},{R['mode']},{mode_cell})"
                                                     f"/{plan.cell(gkey + ('attendances',))}")}[key]()
            plan.add(figure, gkey + (key,), formula, fmt, la="all", phase="all", mode=m.mode.value)
    # 5. figures recomputed on other sheets
    for m in more:
        if m.key in shown:
            plan.add(m.figure, m.key, m.formula, m.fmt, la="all", phase=m.phase, mode="all")
    return plan.rows


def check_row(check: Check, shown: Mapping[tuple, str]) -> dict[str, object]:
    """The cells of one check: recomputed, sr-cost's figure (a reference to where it is shown), their
    difference and PASS or FAIL."""
    r, c = check.row, CHECK
    return {"figure": check.figure, "no": check.no, "la": check.la, "phase": label(check.phase), "mode": check.mode,
            "recomputed": Formula(check.formula), "sr_cost": Formula("=" + shown[check.key]),
            "difference": Formula(f"={c['recomputed']}{r}-{c['sr_cost']}{r}"),
            "result": Formula(f'=IF(ABS(ROUND({c["difference"]}{r},6))<=Tolerance,"PASS","FAIL")')}


def master_formula(checks: Sequence[Check]) -> Formula:
    """PASS when every check passes (an error in any of them is not a PASS)."""
    col = CHECK["result"]
    cells = f"{col}{FIRST_CHECK_ROW}:{col}{FIRST_CHECK_ROW + max(len(checks), 1) - 1}"
    return Formula(f'=IF(COUNTIF({cells},"PASS")=ROWS({cells}),"PASS","FAIL")')
