"""What sheet ``Savings`` computes by formula: the columns of its tables (the respondents, Table 21,
a year, the bootstrap, the staff randomised), the defined names the formulas use, the formulas that
fill the rows, the figures Checks compares, and the savings' rules as sheet Assumptions states them.
Pure (no openpyxl); ``savings.py`` lays out what this module says, as ``audit.py`` does
for ``formulas.py``.

A respondent's hourly cost of an hour of absence is, with a salary, derived from it with the unit-cost
parameters on sheet Assumptions, as ``unit_costs.derive`` does, rounded to the penny; without one, the
role's figures looked up in sheet Unit costs. Formulas follow ``formulas.py``: they match
respondents on sr-cost's own numbers (``Phase no.``) and words (``intervention``, ``control``,
``yes``), never on user text; a role is looked up with ``MATCH``, exact, with wildcards escaped.
``AVERAGEIFS`` is the one function they add to those of ``formulas.py``. The tables of Table 21
and a year start in column A, so ``T21`` and ``YEAR`` give their columns' letters.
"""

from __future__ import annotations

from sr_cost.core.respondents import Group, Respondent, StaffCount
from sr_cost.core.unit_costs import AbsenceBasis
from sr_cost.excel.formulas import (
    COUNT,
    DECIMAL,
    LINES,
    MONEY,
    PLAIN,
    ROUNDS,
    Col,
    Formula,
    annual_formula,
    label,
    letters,
    role_lookup,
)

PROBABILITY = "0%"
HOURS = "0.0#"

# --- the figures: what Checks compares, keyed as the JSON (``export.savings_to_dict``) -------------

PHASE_FIGURES = (  # (JSON key, figure, format), per phase
    ("n_intervention", "Savings: respondents, intervention", COUNT),
    ("n_control", "Savings: respondents, control", COUNT),
    ("mean_sick_days_intervention", "Savings: mean sick days, intervention", DECIMAL),
    ("mean_sick_days_control", "Savings: mean sick days, control", DECIMAL),
    ("mean_cost_intervention", "Savings: mean sickness cost, intervention", MONEY),
    ("mean_cost_control", "Savings: mean sickness cost, control", MONEY),
    ("saving_per_staff", "Savings: saving per staff member", MONEY),
    ("annual_saving_per_staff", "Savings: annual saving per staff member", MONEY),
    ("las_with_staff", "Savings: LAs counted", COUNT),
    ("intervention_staff", "Savings: intervention staff", COUNT),
    ("annual_saving_total", "Savings: annual saving total", MONEY),
    ("annual_running_cost", "Savings: annual running cost", MONEY),
    ("net_annual_cost", "Savings: net annual cost", MONEY),
    ("break_even_sick_days_per_staff", "Savings: break-even sick days", DECIMAL),
)
COMBINED_FIGURES = (  # (JSON key, figure, format), for "combined" and "pooled"
    ("mean_cost_intervention", "Savings: mean sickness cost, intervention", MONEY),
    ("mean_cost_control", "Savings: mean sickness cost, control", MONEY),
    ("saving_per_staff", "Savings: saving per staff member", MONEY),
)
PHASE_KEYS = {key for key, _, _ in PHASE_FIGURES}
RULES = [  # the savings' rules, on sheet Assumptions
    (
        "Hourly cost of absence",
        "with a salary, derived from it by the unit-cost table's method (parameters above), "
        "rounded half-up to the penny; without one, the role's figures in sheet Unit costs",
    ),
    ("Sickness cost", "hourly cost x sick days x hours in a day of sickness absence"),
    (
        "Saving per staff member",
        "per phase, all its LAs pooled: control mean sickness cost - intervention mean, over the recall period",
    ),
    (
        "Combined and pooled",
        "combined: the report's way, the unweighted mean of the phase figures; pooled: all respondents together",
    ),
    (
        "Annual saving",
        "saving per staff member x 12 ÷ recall months; total: x the intervention staff of the LAs "
        "with a staff row and cost forms",
    ),
    ("Net annual cost", "the annual running cost of those LAs - the annual saving total"),
    (
        "Break-even sick days",
        "running cost ÷ (intervention staff x mean hourly cost of the phase's intervention respondents x hours a day)",
    ),
    (
        "Bootstrap",
        "respondents resampled within group and phase; 95% intervals are the 2.5th and 97.5th "
        "percentiles; P(pays for itself) is the share of resamples with a net annual cost of 0 or less",
    ),
]
COMBINED = {"combined": "Combined (report)", "pooled": "Pooled"}


def figure_key(where: str | tuple[str, str], name: str) -> tuple:
    """A savings figure's key in ``Book.shown``: where is ``("phase", phase)``, ``"combined"`` or ``"pooled"``."""
    return ("savings",) + (where if isinstance(where, tuple) else (where,)) + (name,)


# --- Savings: the respondents ---------------------------------------------------------------------

RESPONDENT_COLUMNS = (  # the wide text columns last, so the tables below the respondents sit in narrow ones
    Col("file", "File"),
    Col("sheet", "Sheet"),
    Col("row", "Row", COUNT, align="center"),
    Col("la", "LA"),
    Col("phase", "Phase"),
    Col("respondent", "Respondent"),
    Col("group", "Group", None, 13),
    Col("sick_days", "Sick days", PLAIN, 8, note="days off sick in the recall period"),
    Col("salary", "Salary (£ a year)", MONEY, 12, note="the respondent's annual salary, if the survey gave one"),
    Col(
        "hourly",
        "Hourly cost (£/hour)",
        MONEY,
        10,
        note="=an hour of absence on the chosen basis (sheet Assumptions), rounded to the penny: derived from the "
        "salary if given, else from the role's row of sheet Unit costs",
    ),
    Col("hours_per_day", "Hours a day", HOURS, 7, note="=HoursPerSickDay (sheet Assumptions)"),
    Col("cost", "Sickness cost (£)", MONEY, 12, note="=hourly cost x sick days x hours a day"),
    Col(
        "phase_no",
        "Phase no.",
        COUNT,
        8,
        align="center",
        note="sr-cost's number for the phase; the formulas below the respondents match on it",
    ),
    Col(
        "attended", "Rounds attended", COUNT, 9, align="center", note="as the survey gave it (not used in the figures)"
    ),
    Col("role", "Role"),
    Col(
        "source",
        "Hourly cost from",
        None,
        20,
        note="derived from salary: the unit-cost table's method with the parameters on sheet Assumptions; "
        "role's unit cost: looked up in sheet Unit costs",
    ),
)
RESPONDENT = letters(RESPONDENT_COLUMNS)
RESPONDENT_NAMES = {
    "phase_no": "RespondentPhaseNo",
    "group": "RespondentGroup",
    "sick_days": "SickDays",
    "hourly": "HourlyCost",
    "cost": "SicknessCost",
}

_ON_COSTS = "{s}*SuperannuationRate+EmployerNiRate*MAX({s}-{threshold},0)"
_THRESHOLD = "NiThresholdPerWeek*DaysPerYear/7"  # [£/year]; NiThresholdPerYear when the parameters set it


def hourly_formula(
    r: Respondent, row: int, basis: AbsenceBasis, *, yearly_threshold: bool = False, factor: str = ""
) -> Formula:
    """The hourly cost of an hour of absence of the respondent on ``row``, as ``survey.hourly_cost``
    works it out: with a salary, derived from it; else from the role's row of Unit costs
    (``yearly_threshold``: the parameters give the NI threshold a year; ``factor``: ``*StaffTimeFactor``
    when the figures are re-priced)."""
    c = RESPONDENT
    if r.salary is not None:
        s = f"{c['salary']}{row}"
        threshold = "NiThresholdPerYear" if yearly_threshold else _THRESHOLD
        employer = f"{s}+{_ON_COSTS.format(s=s, threshold=threshold)}"
        if basis is AbsenceBasis.unit_cost:
            return Formula(
                f"=ROUND((({employer})*(1+DirectOverheadsRate+IndirectOverheadsRate)+CapitalOverheads)"
                f"/WorkingHoursPerYear,2){factor}"
            )
        if basis is AbsenceBasis.employer:
            return Formula(f"=ROUND(({employer})/WorkingHoursPerYear,2){factor}")
        return Formula(f"=ROUND({s}/WorkingHoursPerYear,2){factor}")
    role = c["role"] + str(row)
    match = f"MATCH({role_lookup(role, r.role)},UnitCostRoles,0)"
    if basis is AbsenceBasis.unit_cost:
        return Formula(f"=INDEX(UnitCostRates,{match}){factor}")
    if basis is AbsenceBasis.employer:
        return Formula(
            f"=ROUND((INDEX(UnitCostSalaries,{match})+INDEX(UnitCostOnCosts,{match}))/WorkingHoursPerYear,2){factor}"
        )
    return Formula(f"=ROUND(INDEX(UnitCostSalaries,{match})/WorkingHoursPerYear,2){factor}")


def respondent_row(
    r: Respondent, row: int, *, phase_no: int, basis: AbsenceBasis, yearly_threshold: bool = False, factor: str = ""
) -> dict[str, object]:
    """The cells of one respondent on ``row`` of Savings: inputs as values, costs as formulas."""
    c = RESPONDENT
    return {
        "file": r.file.replace("\\", "/").rsplit("/", 1)[-1],
        "sheet": r.sheet or None,
        "row": r.row,
        "la": label(r.la),
        "phase": label(r.phase),
        "respondent": label(r.respondent),
        "group": r.group.value,
        "role": r.role,
        "salary": r.salary,
        "source": r.hourly_source,
        "hourly": hourly_formula(r, row, basis, yearly_threshold=yearly_threshold, factor=factor),
        "sick_days": r.sick_days,
        "hours_per_day": Formula("=HoursPerSickDay"),
        "cost": Formula(f"={c['hourly']}{row}*{c['sick_days']}{row}*{c['hours_per_day']}{row}"),
        "attended": r.rounds_attended,
        "phase_no": phase_no,
    }


# --- Savings: the staff randomised ----------------------------------------------------------------

STAFF_COLUMNS = (
    Col("file", "File"),
    Col("sheet", "Sheet"),
    Col("row", "Row", COUNT, align="center"),
    Col("la", "LA"),
    Col("phase", "Phase"),
    Col("phase_no", "Phase no.", COUNT, 8, align="center", note="the survey phase (blank: no respondents)"),
    Col(
        "la_no",
        "LA-phase no.",
        COUNT,
        8,
        align="center",
        note="the LA and phase of sheets By LA and Rounds (blank: no cost forms)",
    ),
    Col("intervention_staff", "Intervention staff", COUNT, 12),
    Col("control_staff", "Control staff", COUNT, 10),
    Col(
        "counted",
        "Counted",
        None,
        8,
        align="center",
        note="yes: the LA and phase has cost forms and survey respondents, so it counts in the annual figures",
    ),
    Col(
        "annual_cost",
        "Annual running cost (£)",
        MONEY,
        14,
        note="=RoundsPerYear x the LA and phase's mean cost per round (sheet Rounds); with a known period, as "
        "sheet Assumptions' rule Annual cost says",
    ),
    Col("setup", "Set-up cost (£)", MONEY, 12, note="=the LA and phase's training lines (sheet Lines)"),
    Col("setup_indirect", "of which staff time and mileage (£)", MONEY, 12),
    Col(
        "rounds_per_year",
        "Rounds a year",
        DECIMAL,
        9,
        note="=RoundsPerYear; with a known period and none given, the LA and phase's rounds x 12 / PeriodMonths",
    ),
    Col(
        "fixed_year",
        "Running cost not moving with the cost per round (£)",
        MONEY,
        14,
        note="=annual running cost - rounds a year x mean cost per round: a year's steering tied to no round "
        "beyond its share in the mean per round (0 without a period, or with the forms' own rounds a year)",
    ),
)
STAFF_NAMES = {
    "phase_no": "StaffPhaseNo",
    "counted": "StaffCounted",
    "intervention_staff": "StaffIntervention",
    "annual_cost": "StaffAnnualCost",
    "setup": "StaffSetup",
    "setup_indirect": "StaffSetupIndirect",
    "rounds_per_year": "StaffRoundsPerYear",
    "fixed_year": "StaffFixedYear",
}


def staff_row(
    s: StaffCount,
    row: int,
    *,
    phase_no: int | None,
    la_no: int | None,
    columns: dict[str, str],
    period: bool = False,
) -> dict[str, object]:
    """The cells of one row of the staff randomised; its LA-phase's annual running cost as
    ``formulas.annual_formula`` (``period``: the period the forms cover is known)."""
    counted = phase_no is not None and la_no is not None
    annual = setup = indirect = rounds_a_year = fixed = None
    if la_no is not None:
        no = f"${columns['la_no']}{row}"
        rounds = f"COUNTIFS({ROUNDS['la_no']},{no})"
        mean = f"SUMIFS({ROUNDS['total']},{ROUNDS['la_no']},{no})/{rounds}"
        annual = Formula("=" + annual_formula(mean if not period else f"({mean})", rounds, no, period=period))
        rpy = f"IF(ISNUMBER(RoundsPerYear),RoundsPerYear,{rounds}*12/PeriodMonths)" if period else "RoundsPerYear"
        rounds_a_year = Formula(f"={rpy}")
        fixed = Formula(f"=${columns['annual_cost']}{row}-${columns['rounds_per_year']}{row}*{mean}")
        training = f'{LINES["form"]},"training",{LINES["la_no"]},{no}'
        setup = Formula(f"=SUMIFS({LINES['cost']},{training})")
        indirect = Formula(f"=SUMIFS({LINES['staff_time']},{training})+SUMIFS({LINES['mileage']},{training})")
    return {
        "file": s.file.replace("\\", "/").rsplit("/", 1)[-1],
        "sheet": s.sheet or None,
        "row": s.row,
        "la": label(s.la),
        "phase": label(s.phase),
        "phase_no": phase_no,
        "la_no": la_no,
        "intervention_staff": s.intervention_staff,
        "control_staff": s.control_staff,
        "counted": "yes" if counted else "no",
        "annual_cost": annual,
        "setup": setup,
        "setup_indirect": indirect,
        "rounds_per_year": rounds_a_year,
        "fixed_year": fixed,
    }


# --- Savings: Table 21, a year, and the bootstrap ------------------------------------------------

T21_COLUMNS = (
    Col("phase", "Phase"),
    Col("phase_no", "Phase no.", COUNT, 8, align="center"),
    Col("n_intervention", "Respondents: intervention", COUNT, 12, note="=COUNTIFS over the respondents above"),
    Col("n_control", "Respondents: control", COUNT, 11),
    Col("mean_sick_days_intervention", "Mean sick days: intervention", DECIMAL, 11, note="=AVERAGEIFS of Sick days"),
    Col("mean_sick_days_control", "Mean sick days: control", DECIMAL, 11),
    Col(
        "mean_cost_intervention",
        "Mean sickness cost: intervention (£)",
        MONEY,
        13,
        note="=AVERAGEIFS of Sickness cost over the phase's intervention respondents",
    ),
    Col("mean_cost_control", "Mean sickness cost: control (£)", MONEY, 13),
    Col("saving_per_staff", "Saving per staff member (£)", MONEY, 13, note="=control - intervention"),
    Col(
        "hourly_intervention",
        "Mean hourly cost: intervention (£/hour)",
        MONEY,
        13,
        note="=AVERAGEIFS of Hourly cost over the phase's intervention respondents (for the break-even)",
    ),
)
YEAR_COLUMNS = (
    Col("phase", "Phase"),
    Col("phase_no", "Phase no.", COUNT, 8, align="center"),
    Col("las_with_staff", "LAs counted", COUNT, 8, note="=the staff rows below counted for the phase"),
    Col(
        "annual_saving_per_staff",
        "Annual saving per staff member (£)",
        MONEY,
        13,
        note="=saving per staff member x 12 ÷ RecallMonths",
    ),
    Col("intervention_staff", "Intervention staff", COUNT, 11, note="=the counted LAs' intervention staff"),
    Col("annual_saving_total", "Annual saving total (£)", MONEY, 14, note="=annual saving per staff x staff"),
    Col(
        "annual_running_cost",
        "Annual running cost (£)",
        MONEY,
        14,
        note="=the counted LAs' annual running costs (staff rows below)",
    ),
    Col(
        "net_annual_cost",
        "Net annual cost (£)",
        MONEY,
        14,
        note="=running cost - saving total (negative: the rounds save more than they cost)",
    ),
    Col(
        "break_even_sick_days_per_staff",
        "Break-even sick days a year",
        DECIMAL,
        11,
        note="=running cost ÷ (intervention staff x mean hourly cost of the intervention respondents x hours a "
        "day): the days each intervention staff member must avoid a year",
    ),
)
BOOT_COLUMNS = (
    Col("phase", "Phase"),
    Col("saving", "Saving per staff member (£)", MONEY, 13),
    Col("saving_low", "95% interval: from (£)", MONEY, 13),
    Col("saving_high", "95% interval: to (£)", MONEY, 13),
    Col("p_saving", "P(saving > 0)", PROBABILITY, 9),
    Col("net", "Net annual cost (£)", MONEY, 14),
    Col("net_low", "95% interval: from (£)", MONEY, 14),
    Col("net_high", "95% interval: to (£)", MONEY, 14),
    Col("p_pays", "P(pays for itself)", PROBABILITY, 10),
)


T21 = letters(T21_COLUMNS)
YEAR = letters(YEAR_COLUMNS)


def t21_formulas(r: int, *, pooled: bool = False) -> dict[str, Formula]:
    """Table 21's formulas on row ``r``: ``COUNTIFS`` and ``AVERAGEIFS`` over the respondents of each
    group in the phase whose number is on the row, or, ``pooled``, in every phase."""
    phase = "" if pooled else f"{RESPONDENT_NAMES['phase_no']},${T21['phase_no']}{r},"
    of = {g: f'{phase}{RESPONDENT_NAMES["group"]},"{g.value}"' for g in Group}
    values = {}
    for g in Group:
        values[f"n_{g.value}"] = Formula(f"=COUNTIFS({of[g]})")
        values[f"mean_sick_days_{g.value}"] = Formula(f"=AVERAGEIFS({RESPONDENT_NAMES['sick_days']},{of[g]})")
        values[f"mean_cost_{g.value}"] = Formula(f"=AVERAGEIFS({RESPONDENT_NAMES['cost']},{of[g]})")
    values["saving_per_staff"] = Formula(f"={T21['mean_cost_control']}{r}-{T21['mean_cost_intervention']}{r}")
    if not pooled:  # for the phase's break-even
        values["hourly_intervention"] = Formula(f"=AVERAGEIFS({RESPONDENT_NAMES['hourly']},{of[Group.intervention]})")
    return values


def combined_formulas(first: int, last: int) -> dict[str, Formula]:
    """Table 21's combined row, the report's way: the mean of the phase figures on rows ``first`` to ``last``."""
    return {key: Formula(f"=AVERAGE({T21[key]}{first}:{T21[key]}{last})") for key, _, _ in COMBINED_FIGURES}


def year_formulas(r: int, t21_row: int) -> dict[str, Formula]:
    """The annual figures of the phase on row ``r`` of the year's table (its Table 21 row: ``t21_row``)."""
    c = {k: f"{YEAR[k]}{r}" for k in YEAR}
    phase = f"${YEAR['phase_no']}{r}"
    counted = f'{STAFF_NAMES["phase_no"]},{phase},{STAFF_NAMES["counted"]},"yes"'
    return {
        "las_with_staff": Formula(f"=COUNTIFS({counted})"),
        "annual_saving_per_staff": Formula(f"={T21['saving_per_staff']}{t21_row}*12/RecallMonths"),
        "intervention_staff": Formula(f"=SUMIFS({STAFF_NAMES['intervention_staff']},{counted})"),
        "annual_saving_total": Formula(f"={c['annual_saving_per_staff']}*{c['intervention_staff']}"),
        "annual_running_cost": Formula(f"=SUMIFS({STAFF_NAMES['annual_cost']},{counted})"),
        "net_annual_cost": Formula(f"={c['annual_running_cost']}-{c['annual_saving_total']}"),
        "break_even_sick_days_per_staff": Formula(
            f"={c['annual_running_cost']}/({c['intervention_staff']}*{T21['hourly_intervention']}{t21_row}"
            f"*HoursPerSickDay)"
        ),
    }
