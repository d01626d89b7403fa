"""Sheet ``Checks`` of the estimate workbook, as formulas: every figure sr-cost reports on Summary
and By LA recomputed from sheets Rounds and Lines (and each savings figure taken from its formula
on Savings), its difference from the figure shown, and one master PASS/FAIL cell. Pure (no
openpyxl): ``audit.checks_sheet`` lays it out."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sr_cost.core.estimate import Estimate, LaEstimate
from sr_cost.core.lines import Mode
from sr_cost.excel.formulas import (
    COUNT,
    DECIMAL,
    LINES,
    MONEY,
    ROUNDS,
    Col,
    Formula,
    annual_formula,
    label,
    letters,
)

# --- Checks: every figure sr-cost reports, recomputed ---------------------------------------------

CHECK_COLUMNS = (
    Col("figure", "Figure"),
    Col("no", "LA-phase no.", COUNT, 8, align="center"),
    Col("la", "LA"),
    Col("phase", "Phase"),
    Col("mode", "Mode"),
    Col(
        "recomputed",
        "Recomputed",
        MONEY,
        12,
        note="computed by formulas from sheets Rounds and Lines (savings: on sheet Savings, from its respondents)",
    ),
    Col("sr_cost", "sr-cost", MONEY, 12, note="the figure sr-cost computed, as shown on Summary or By LA"),
    Col("difference", "Difference", MONEY, 11, note="=recomputed - sr-cost"),
    Col(
        "result",
        "Result",
        None,
        8,
        align="center",
        note="PASS when the difference is at most the tolerance (half a penny)",
    ),
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
    ("rounds", "Rounds", COUNT),
    ("rounds_per_year", "Rounds a year", DECIMAL),
    ("in_person", "In-person rounds", COUNT),
    ("virtual", "Virtual rounds", COUNT),
    ("setup_direct", "Set-up: direct", MONEY),
    ("setup_indirect", "Set-up: indirect", MONEY),
    ("setup_total", "Set-up: total", MONEY),
    ("panel", "Mean per round: panel", MONEY),
    ("round", "Mean per round: round", MONEY),
    ("steering", "Mean per round: steering", MONEY),
    ("total", "Mean per round: total", MONEY),
    ("attendances", "Attendances", COUNT),
    ("attendees_per_round", "Attendees per round", DECIMAL),
    ("cost_per_attendee", "Cost per attendee", MONEY),
    ("annual", "Annual cost", MONEY),
    ("first_year", "First-year cost", MONEY),
)
LA_ONLY = {"rounds_per_year", "in_person", "virtual", "setup_direct", "setup_indirect", "setup_total", "first_year"}
GROUP_FIGURES = (
    ("las", "LAs", COUNT),
    ("rounds", "Rounds", COUNT),
    ("attendances", "Attendances", COUNT),
    ("mean", "Mean per round: total", MONEY),
    ("min", "Lowest LA per round", MONEY),
    ("max", "Highest LA per round", MONEY),
    ("cost_per_attendee", "Cost per attendee", MONEY),
    ("annual", "Annual cost", MONEY),
    ("setup_mean", "Set-up: mean", MONEY),
    ("setup_min", "Set-up: lowest LA", MONEY),
    ("setup_max", "Set-up: highest LA", MONEY),
)


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


def _la_formula(key: str, plan: _Plan, no: int, mode: Mode | None, est: Estimate, repriced: bool) -> str:
    """The formula recomputing one figure of an LA-phase (or of its rounds of one mode) on row ``{r}``."""
    R, L = ROUNDS, LINES
    period = est.assumptions.period_months is not None
    of = f"{R['la_no']},${CHECK['no']}{{r}}" + (f",{R['mode']},${CHECK['mode']}{{r}}" if mode else "")
    training = f'{L["form"]},"training",{L["la_no"]},${CHECK["no"]}{{r}}'
    components = {"panel": "panel", "round": "round_cost", "steering": "steering", "total": "total"}

    def cell(k: str) -> str:
        return plan.cell(("la", no, mode, k))

    if key == "rounds":
        return f"=COUNTIFS({of})"
    if key in ("in_person", "virtual"):
        return f'=COUNTIFS({of},{R["mode"]},"{Mode[key].value}")'
    if key == "rounds_per_year":
        rounds = plan.cell(("la", no, None, "rounds"))
        return f"=IF(ISNUMBER(RoundsPerYear),RoundsPerYear,{rounds}*12/PeriodMonths)" if period else "=RoundsPerYear"
    if key == "setup_direct":
        return f"=SUMIFS({L['direct']},{training})" + ("*FormsMoneyFactor" if repriced else "")
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
        no_cell = f"${CHECK['no']}{{r}}"
        return "=" + annual_formula(cell("total"), plan.cell(("la", no, None, "rounds")), no_cell, period=period)
    if key == "first_year":
        return f"={cell('setup_total')}+{cell('annual')}"
    raise KeyError(key)  # pragma: no cover


def plan_checks(
    est: Estimate,
    las: Sequence[LaEstimate],
    la_no: Mapping[tuple[str, str], int],
    shown: Mapping[tuple, str],
    more: Sequence[Recomputed] = (),
    repriced: bool = False,
) -> list[Check]:
    """A check for every figure in ``shown`` (where sr-cost shows it), in blocks of one figure, so a
    phase's LAs are contiguous rows and its mean, lowest and highest are AVERAGE, MIN and MAX of them.
    ``las`` must be in phase order. ``more``: figures recomputed on other sheets (the savings), checked
    last, in the order given."""
    plan = _Plan(shown)
    period = est.assumptions.period_months is not None  # annual costs of groups: the mean of their LAs'
    # 1. per LA and phase; 2. per LA, phase and mode
    for modes in ((None,), tuple(Mode)):
        for key, figure, fmt in LA_FIGURES:
            if modes != (None,) and key in LA_ONLY:
                continue
            for mode in modes:
                for la in las:
                    no = la_no[(la.la, la.phase)]
                    if ("la", no, mode, key) in shown:
                        plan.add(
                            figure,
                            ("la", no, mode, key),
                            _la_formula(key, plan, no, mode, est, repriced),
                            fmt,
                            no=no,
                            la=la.la,
                            phase=la.phase,
                            mode=mode.value if mode else "all",
                        )
    # 3. per phase and overall, over the LA rows above
    groups = [(("phase", p.phase), p.phase) for p in est.phases] + [(("overall",), "all")]
    for gkey, phase in groups:
        nos = [la_no[(la.la, la.phase)] for la in las if phase in ("all", la.phase)]
        for key, figure, fmt in GROUP_FIGURES:
            if gkey + (key,) not in shown:
                continue
            totals = lambda: plan.span(("la", n, None, "total") for n in nos)  # noqa: E731
            setups = lambda: plan.span(("la", n, None, "setup_total") for n in nos)  # noqa: E731
            annuals = lambda: plan.span(("la", n, None, "annual") for n in nos)  # noqa: E731
            formula = {
                "las": lambda: f"=COUNT({totals()})",
                "mean": lambda: f"=AVERAGE({totals()})",
                "min": lambda: f"=MIN({totals()})",
                "max": lambda: f"=MAX({totals()})",
                "annual": lambda: (
                    f"=AVERAGE({annuals()})" if period else f"=RoundsPerYear*{plan.cell(gkey + ('mean',))}"
                ),
                "setup_mean": lambda: f"=AVERAGE({setups()})",
                "setup_min": lambda: f"=MIN({setups()})",
                "setup_max": lambda: f"=MAX({setups()})",
            }[key]()
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
            annuals = lambda: plan.span(("la", n, m.mode, "annual") for n in nos)  # noqa: E731
            formula = {
                "las": lambda: f"=COUNT({totals()})",
                "rounds": lambda: f"=COUNTIFS({R['mode']},{mode_cell})",
                "attendances": lambda: f"=SUMIFS({R['attendance']},{R['mode']},{mode_cell})",
                "mean": lambda: f"=AVERAGE({totals()})",
                "annual": lambda: (
                    f"=AVERAGE({annuals()})" if period else f"=RoundsPerYear*{plan.cell(gkey + ('mean',))}"
                ),
                "cost_per_attendee": lambda: (
                    f"=SUMIFS({R['total']},{R['mode']},{mode_cell})/{plan.cell(gkey + ('attendances',))}"
                ),
            }[key]()
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
    return {
        "figure": check.figure,
        "no": check.no,
        "la": check.la,
        "phase": label(check.phase),
        "mode": check.mode,
        "recomputed": Formula(check.formula),
        "sr_cost": Formula("=" + shown[check.key]),
        "difference": Formula(f"={c['recomputed']}{r}-{c['sr_cost']}{r}"),
        "result": Formula(f'=IF(ABS(ROUND({c["difference"]}{r},6))<=Tolerance,"PASS","FAIL")'),
    }


def master_formula(checks: Sequence[Check]) -> Formula:
    """PASS when every check passes (an error in any of them is not a PASS)."""
    col = CHECK["result"]
    cells = f"{col}{FIRST_CHECK_ROW}:{col}{FIRST_CHECK_ROW + max(len(checks), 1) - 1}"
    return Formula(f'=IF(COUNTIF({cells},"PASS")=ROWS({cells}),"PASS","FAIL")')
