"""The savings part of the estimate workbook (``--excel`` when the forms have a survey): sheet
``Savings`` and the savings page of ``Summary``.

Sheet ``Savings`` holds, in order:

- one row per respondent of the survey: where it came from (file, sheet, row), LA, phase, id, group,
  role, salary and sick days as values; the hourly cost of an hour of absence as a formula (with a
  salary: derived from it with the unit-cost parameters on sheet Assumptions, as
  ``unit_costs.derive`` does, rounded to the penny; without one: the role's figures looked up in
  sheet Unit costs), and the sickness cost = hourly cost x sick days x ``HoursPerSickDay``;
- below them, on a page of their own: the report's Table 21 by formula (``AVERAGEIFS`` over the
  respondents of each phase and group; combined, the report's way, as the mean of the phase figures;
  and pooled); the annual figures, net annual cost and break-even sick days; the bootstrap intervals
  and probabilities as values (a spreadsheet cannot repeat the resampling), labelled with the number
  of resamples and the seed; and the staff sheet's rows with the annual running cost of each LA
  counted, by formula from sheet Rounds.

Summary gets the same figures as values (sr-cost's, rounded half-up to the penny), a sentence per
phase and a chart of the annual running cost against the annual saving; Checks compares each value
with its formula on Savings (``Book.more_checks``), within half a penny.

Formulas follow ``excel_formulas.py``: they match respondents on sr-cost's own numbers
(``Phase no.``) and words (``intervention``, ``control``, ``yes``), never on user text; a role is
looked up with ``MATCH``, exact, with wildcards escaped. Text from the survey is always written as
text. Imported (by ``excel.py`` and ``excel_audit.py``) only when the workbook has savings.
"""

from __future__ import annotations

from typing import Any

from openpyxl.chart import Reference
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.pagebreak import Break

from sr_cost.costing import natural_key
from sr_cost.excel import SAVINGS_SHEET, Book
from sr_cost.excel_cells import BOLD, NOTE_FONT, TOTAL_FILL, Table, _bar, _money, _section, _title, put, wrapped_lines
from sr_cost.excel_formulas import (COUNT, DECIMAL, MONEY, PLAIN, ROUNDS, Col, Formula, Recomputed, label, letters,
                                    ref, role_lookup)
from sr_cost.money import gbp
from sr_cost.reporting import plain_english
from sr_cost.savings import PhaseSavings, Savings
from sr_cost.survey import AbsenceBasis, Group, Respondent, StaffCount

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
    ("Hourly cost of absence", "with a salary, derived from it by the unit-cost table's method (parameters above), "
                               "rounded half-up to the penny; without one, the role's figures in sheet Unit costs"),
    ("Sickness cost", "hourly cost x sick days x hours in a day of sickness absence"),
    ("Saving per staff member", "per phase, all its LAs pooled: control mean sickness cost - intervention mean, "
                                "over the recall period"),
    ("Combined and pooled", "combined: the report's way, the unweighted mean of the phase figures; pooled: all "
                            "respondents together"),
    ("Annual saving", "saving per staff member x 12 ÷ recall months; total: x the intervention staff of the LAs "
                      "with a staff row and cost forms"),
    ("Net annual cost", "the annual running cost of those LAs - the annual saving total"),
    ("Break-even sick days", "running cost ÷ (intervention staff x mean hourly cost of the phase's intervention "
                             "respondents x hours a day)"),
    ("Bootstrap", "respondents resampled within group and phase; 95% intervals are the 2.5th and 97.5th "
                  "percentiles; P(pays for itself) is the share of resamples with a net annual cost of 0 or less"),
]
COMBINED = {"combined": "Combined (report)", "pooled": "Pooled"}


def _note(ws, row: int, text: str, columns: int) -> None:
    """A section's note on ``row``, wrapped within the first ``columns`` columns (call once their widths are set)."""
    cell = put(ws, row, 1, text, font=NOTE_FONT)
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
    width = sum(ws.column_dimensions[get_column_letter(c)].width or 9 for c in range(1, columns + 1))
    ws.row_dimensions[row].height = 15 * wrapped_lines(text, width * 1.1)


def figure_key(where: str | tuple[str, str], name: str) -> tuple:
    """A savings figure's key in ``Book.shown``: where is ``("phase", phase)``, ``"combined"`` or ``"pooled"``."""
    return ("savings",) + (where if isinstance(where, tuple) else (where,)) + (name,)


def _phase_values(p: PhaseSavings) -> dict[str, Any]:
    """sr-cost's figures of a phase, as shown (money to the penny)."""
    i, c = p.intervention, p.control
    return {"n_intervention": i.n, "n_control": c.n,
            "mean_sick_days_intervention": _money(i.mean_sick_days), "mean_sick_days_control": _money(c.mean_sick_days),
            "mean_cost_intervention": _money(i.mean_cost), "mean_cost_control": _money(c.mean_cost),
            "saving_per_staff": _money(p.saving_per_staff),
            "annual_saving_per_staff": _money(p.annual_saving_per_staff),
            "las_with_staff": len(p.las_with_staff), "intervention_staff": p.intervention_staff,
            "annual_saving_total": _money(p.annual_saving_total), "annual_running_cost": _money(p.annual_running_cost),
            "net_annual_cost": _money(p.net_annual_cost),
            "break_even_sick_days_per_staff": _money(p.break_even_sick_days_per_staff)}


# --- Savings: the respondents ---------------------------------------------------------------------

RESPONDENT_COLUMNS = (  # the wide text columns last, so the tables below the respondents sit in narrow ones
    Col("file", "File"), Col("sheet", "Sheet"), Col("row", "Row", COUNT, align="center"),
    Col("la", "LA"), Col("phase", "Phase"), Col("respondent", "Respondent"), Col("group", "Group", None, 13),
    Col("sick_days", "Sick days", PLAIN, 8, note="days off sick in the recall period"),
    Col("salary", "Salary (£ a year)", MONEY, 12, note="the respondent's annual salary, if the survey gave one"),
    Col("hourly", "Hourly cost (£/hour)", MONEY, 10,
        note="=an hour of absence on the chosen basis (sheet Assumptions), rounded to the penny: derived from the "
             "salary if given, else from the role's row of sheet Unit costs"),
    Col("hours_per_day", "Hours a day", HOURS, 7, note="=HoursPerSickDay (sheet Assumptions)"),
    Col("cost", "Sickness cost (£)", MONEY, 12, note="=hourly cost x sick days x hours a day"),
    Col("phase_no", "Phase no.", COUNT, 8, align="center",
        note="sr-cost's number for the phase; the formulas below the respondents match on it"),
    Col("attended", "Rounds attended", COUNT, 9, align="center",
        note="as the survey gave it (not used in the figures)"),
    Col("role", "Role"),
    Col("source", "Hourly cost from", None, 20,
        note="derived from salary: the unit-cost table's method with the parameters on sheet Assumptions; "
             "role's unit cost: looked up in sheet Unit costs"),
)
RESPONDENT = letters(RESPONDENT_COLUMNS)
ROLE_WIDTH, SOURCE_WIDTH = 36, 22
RESPONDENT_NAMES = {"phase_no": "RespondentPhaseNo", "group": "RespondentGroup", "sick_days": "SickDays",
                    "hourly": "HourlyCost", "cost": "SicknessCost"}

_ON_COSTS = "{s}*SuperannuationRate+EmployerNiRate*MAX({s}-NiThresholdPerWeek*DaysPerYear/7,0)"


def hourly_formula(r: Respondent, row: int, basis: AbsenceBasis) -> Formula:
    """The hourly cost of an hour of absence of the respondent on ``row``, as ``survey.hourly_cost``
    works it out: with a salary, derived from it; else from the role's row of Unit costs."""
    c = RESPONDENT
    if r.salary is not None:
        s = f"{c['salary']}{row}"
        employer = f"{s}+{_ON_COSTS.format(s=s)}"
        if basis is AbsenceBasis.unit_cost:
            return Formula(f"=ROUND((({employer})*(1+DirectOverheadsRate+IndirectOverheadsRate)+CapitalOverheads)"
                           f"/WorkingHoursPerYear,2)")
        if basis is AbsenceBasis.employer:
            return Formula(f"=ROUND(({employer})/WorkingHoursPerYear,2)")
        return Formula(f"=ROUND({s}/WorkingHoursPerYear,2)")
    role = c["role"] + str(row)
    match = f"MATCH({role_lookup(role, r.role)},UnitCostRoles,0)"
    if basis is AbsenceBasis.unit_cost:
        return Formula(f"=INDEX(UnitCostRates,{match})")
    if basis is AbsenceBasis.employer:
        return Formula(f"=ROUND((INDEX(UnitCostSalaries,{match})+INDEX(UnitCostOnCosts,{match}))"
                       f"/WorkingHoursPerYear,2)")
    return Formula(f"=ROUND(INDEX(UnitCostSalaries,{match})/WorkingHoursPerYear,2)")


def respondent_row(r: Respondent, row: int, *, phase_no: int, basis: AbsenceBasis) -> dict[str, object]:
    """The cells of one respondent on ``row`` of Savings: inputs as values, costs as formulas."""
    c = RESPONDENT
    return {
        "file": r.file.replace("\\", "/").rsplit("/", 1)[-1], "sheet": r.sheet or None, "row": r.row,
        "la": label(r.la), "phase": label(r.phase), "respondent": label(r.respondent), "group": r.group.value,
        "role": r.role, "salary": r.salary, "source": r.hourly_source,
        "hourly": hourly_formula(r, row, basis), "sick_days": r.sick_days,
        "hours_per_day": Formula("=HoursPerSickDay"),
        "cost": Formula(f"={c['hourly']}{row}*{c['sick_days']}{row}*{c['hours_per_day']}{row}"),
        "attended": r.rounds_attended, "phase_no": phase_no,
    }


# --- Savings: the staff randomised ----------------------------------------------------------------

STAFF_COLUMNS = (
    Col("file", "File"), Col("sheet", "Sheet"), Col("row", "Row", COUNT, align="center"), Col("la", "LA"),
    Col("phase", "Phase"),
    Col("phase_no", "Phase no.", COUNT, 8, align="center", note="the survey phase (blank: no respondents)"),
    Col("la_no", "LA-phase no.", COUNT, 8, align="center", note="the LA and phase of sheets By LA and Rounds "
                                                                "(blank: no cost forms)"),
    Col("intervention_staff", "Intervention staff", COUNT, 12),
    Col("control_staff", "Control staff", COUNT, 10),
    Col("counted", "Counted", None, 8, align="center",
        note="yes: the LA and phase has cost forms and survey respondents, so it counts in the annual figures"),
    Col("annual_cost", "Annual running cost (£)", MONEY, 14,
        note="=RoundsPerYear x the LA and phase's mean cost per round (sheet Rounds)"),
)
STAFF_NAMES = {"phase_no": "StaffPhaseNo", "counted": "StaffCounted", "intervention_staff": "StaffIntervention",
               "annual_cost": "StaffAnnualCost"}


def staff_row(s: StaffCount, row: int, *, phase_no: int | None, la_no: int | None,
              columns: dict[str, str]) -> dict[str, object]:
    counted = phase_no is not None and la_no is not None
    annual = None
    if la_no is not None:
        no = f"${columns['la_no']}{row}"
        annual = Formula(f"=RoundsPerYear*SUMIFS({ROUNDS['total']},{ROUNDS['la_no']},{no})"
                         f"/COUNTIFS({ROUNDS['la_no']},{no})")
    return {"file": s.file.replace("\\", "/").rsplit("/", 1)[-1], "sheet": s.sheet or None, "row": s.row,
            "la": label(s.la), "phase": label(s.phase), "phase_no": phase_no, "la_no": la_no,
            "intervention_staff": s.intervention_staff, "control_staff": s.control_staff,
            "counted": "yes" if counted else "no", "annual_cost": annual}


# --- Savings: Table 21, a year, and the bootstrap ------------------------------------------------

T21_COLUMNS = (
    Col("phase", "Phase"), Col("phase_no", "Phase no.", COUNT, 8, align="center"),
    Col("n_intervention", "Respondents: intervention", COUNT, 12, note="=COUNTIFS over the respondents above"),
    Col("n_control", "Respondents: control", COUNT, 11),
    Col("mean_sick_days_intervention", "Mean sick days: intervention", DECIMAL, 11, note="=AVERAGEIFS of Sick days"),
    Col("mean_sick_days_control", "Mean sick days: control", DECIMAL, 11),
    Col("mean_cost_intervention", "Mean sickness cost: intervention (£)", MONEY, 13,
        note="=AVERAGEIFS of Sickness cost over the phase's intervention respondents"),
    Col("mean_cost_control", "Mean sickness cost: control (£)", MONEY, 13),
    Col("saving_per_staff", "Saving per staff member (£)", MONEY, 13, note="=control - intervention"),
    Col("hourly_intervention", "Mean hourly cost: intervention (£/hour)", MONEY, 13,
        note="=AVERAGEIFS of Hourly cost over the phase's intervention respondents (for the break-even)"),
)
YEAR_COLUMNS = (
    Col("phase", "Phase"), Col("phase_no", "Phase no.", COUNT, 8, align="center"),
    Col("las_with_staff", "LAs counted", COUNT, 8, note="=the staff rows below counted for the phase"),
    Col("annual_saving_per_staff", "Annual saving per staff member (£)", MONEY, 13,
        note="=saving per staff member x 12 ÷ RecallMonths"),
    Col("intervention_staff", "Intervention staff", COUNT, 11, note="=the counted LAs' intervention staff"),
    Col("annual_saving_total", "Annual saving total (£)", MONEY, 14, note="=annual saving per staff x staff"),
    Col("annual_running_cost", "Annual running cost (£)", MONEY, 14,
        note="=the counted LAs' annual running costs (staff rows below)"),
    Col("net_annual_cost", "Net annual cost (£)", MONEY, 14,
        note="=running cost - saving total (negative: the rounds save more than they cost)"),
    Col("break_even_sick_days_per_staff", "Break-even sick days a year", DECIMAL, 11,
        note="=running cost ÷ (intervention staff x mean hourly cost of the intervention respondents x hours a "
             "day): the days each intervention staff member must avoid a year"),
)
BOOT_COLUMNS = (
    Col("phase", "Phase"),
    Col("saving", "Saving per staff member (£)", MONEY, 13),
    Col("saving_low", "95% interval: from (£)", MONEY, 13), Col("saving_high", "95% interval: to (£)", MONEY, 13),
    Col("p_saving", "P(saving > 0)", PROBABILITY, 9),
    Col("net", "Net annual cost (£)", MONEY, 14),
    Col("net_low", "95% interval: from (£)", MONEY, 14), Col("net_high", "95% interval: to (£)", MONEY, 14),
    Col("p_pays", "P(pays for itself)", PROBABILITY, 10),
)


def _year_formulas(t: Table, r: int, t21: Table, t21_row: int) -> dict[str, Formula]:
    """The annual figures of the phase on row ``r`` (its Table 21 row: ``t21_row``)."""
    c = {k: f"{t.letter(k)}{r}" for k in t.index}
    phase = f"${t.letter('phase_no')}{r}"
    counted = f'{STAFF_NAMES["phase_no"]},{phase},{STAFF_NAMES["counted"]},"yes"'
    return {
        "las_with_staff": Formula(f"=COUNTIFS({counted})"),
        "annual_saving_per_staff": Formula(f"={t21.letter('saving_per_staff')}{t21_row}*12/RecallMonths"),
        "intervention_staff": Formula(f"=SUMIFS({STAFF_NAMES['intervention_staff']},{counted})"),
        "annual_saving_total": Formula(f"={c['annual_saving_per_staff']}*{c['intervention_staff']}"),
        "annual_running_cost": Formula(f"=SUMIFS({STAFF_NAMES['annual_cost']},{counted})"),
        "net_annual_cost": Formula(f"={c['annual_running_cost']}-{c['annual_saving_total']}"),
        "break_even_sick_days_per_staff": Formula(
            f"={c['annual_running_cost']}/({c['intervention_staff']}*{t21.letter('hourly_intervention')}{t21_row}"
            f"*HoursPerSickDay)"),
    }


def savings_sheet(book: Book, ws) -> None:
    s: Savings = book.savings
    a = s.assumptions
    phase_no = {p.phase: i for i, p in enumerate(s.phases, start=1)}
    _title(ws, f"Savings: sickness absence over {a.recall_months} months (report Table 21)",
           "One row per respondent of the survey, with where it came from (file, sheet, row). The hourly cost of an "
           f"hour of absence ({a.absence_basis.value} basis) and the sickness cost = hourly cost x sick days x hours "
           "a day are formulas over sheets Unit costs and Assumptions. Below the respondents: Table 21, the annual "
           "figures and break-even by formula, the bootstrap intervals, and the staff randomised.",
           wrap_to=len(RESPONDENT_COLUMNS))

    # the respondents
    t = Table(ws, RESPONDENT_COLUMNS, header_row=4)
    wrapped = (("role", ROLE_WIDTH), ("source", SOURCE_WIDTH))  # long text wraps, so the page stays legible
    for key, _ in wrapped:
        t.alignments[key] = Alignment(wrap_text=True)
    t.add_rows((respondent_row(r, row, phase_no=phase_no[r.phase], basis=a.absence_basis)
                for row, r in enumerate(s.respondents, start=t.next_row)), book.streamed)
    first, last = t.header_row + 1, max(t.last_row, t.header_row + 1)
    for key, name in RESPONDENT_NAMES.items():
        book.name(name, SAVINGS_SHEET, f"${t.letter(key)}${first}:${t.letter(key)}${last}")
    t.finish(repeat_header=False)  # the page of results below would print under the respondents' header
    for key, width in wrapped:
        ws.column_dimensions[t.letter(key)].width = min(ws.column_dimensions[t.letter(key)].width, width)

    # the results, on a page of their own
    top = t.last_row + 2
    ws.row_breaks.append(Break(id=top - 1))
    link = put(ws, 3, 1, f"Table 21, the annual figures and the bootstrap intervals: row {top} onwards "
                         "(below the respondents)", font=BOLD)
    link.hyperlink = Hyperlink(ref="A3", location=f"{SAVINGS_SHEET}!A{top}", display=str(link.value))
    cells = {}  # figure key -> cell where the Savings sheet recomputes it

    _section(ws, top, f"Sickness-absence cost per staff member over {a.recall_months} months (report Table 21)")
    t21_top = top
    t21 = Table(ws, T21_COLUMNS, header_row=top + 2)
    t21_rows = {}
    for p in s.phases:
        r = t21.next_row
        no = f"${t21.letter('phase_no')}{r}"

        def of(group: Group) -> str:
            return f'{RESPONDENT_NAMES["phase_no"]},{no},{RESPONDENT_NAMES["group"]},"{group.value}"'

        values = {"phase": label(p.phase), "phase_no": phase_no[p.phase]}
        for g in Group:
            values[f"n_{g.value}"] = Formula(f"=COUNTIFS({of(g)})")
            values[f"mean_sick_days_{g.value}"] = Formula(f"=AVERAGEIFS({RESPONDENT_NAMES['sick_days']},{of(g)})")
            values[f"mean_cost_{g.value}"] = Formula(f"=AVERAGEIFS({RESPONDENT_NAMES['cost']},{of(g)})")
        values["saving_per_staff"] = Formula(f"={t21.letter('mean_cost_control')}{r}"
                                             f"-{t21.letter('mean_cost_intervention')}{r}")
        values["hourly_intervention"] = Formula(f"=AVERAGEIFS({RESPONDENT_NAMES['hourly']},{of(Group.intervention)})")
        t21.add(values)
        t21_rows[p.phase] = r
        for key, _, _ in PHASE_FIGURES:
            if key in t21.index:
                cells[figure_key(("phase", p.phase), key)] = (t21.letter(key), r)
    phase_rows = list(t21_rows.values())
    span = lambda key: f"{t21.letter(key)}{phase_rows[0]}:{t21.letter(key)}{phase_rows[-1]}"  # noqa: E731
    r = t21.add({"phase": COMBINED["combined"],
                 **{key: Formula(f"=AVERAGE({span(key)})") for key, _, _ in COMBINED_FIGURES}},
                font=BOLD, fill=TOTAL_FILL, top_border=True)
    for key, _, _ in COMBINED_FIGURES:
        cells[figure_key("combined", key)] = (t21.letter(key), r)
    r = t21.next_row
    pooled: dict[str, object] = {"phase": COMBINED["pooled"]}
    for g in Group:
        of = f'{RESPONDENT_NAMES["group"]},"{g.value}"'
        pooled[f"n_{g.value}"] = Formula(f"=COUNTIFS({of})")
        pooled[f"mean_sick_days_{g.value}"] = Formula(f"=AVERAGEIFS({RESPONDENT_NAMES['sick_days']},{of})")
        pooled[f"mean_cost_{g.value}"] = Formula(f"=AVERAGEIFS({RESPONDENT_NAMES['cost']},{of})")
    pooled["saving_per_staff"] = Formula(f"={t21.letter('mean_cost_control')}{r}"
                                         f"-{t21.letter('mean_cost_intervention')}{r}")
    t21.add(pooled)
    for key, _, _ in COMBINED_FIGURES:
        cells[figure_key("pooled", key)] = (t21.letter(key), r)
    t21.finish(filter=False, freeze=False)
    _note(ws, t21_top + 1, "Formulas over the respondents above, per phase (all its LAs pooled, as the report does): "
                           "COUNTIFS and AVERAGEIFS by Phase no. and group. Saving = control mean - intervention "
                           "mean. Combined: the report's way, the mean of the phase figures; pooled: all respondents "
                           "together.", len(T21_COLUMNS))

    # a year
    top = t21.last_row + 2
    _section(ws, top, "A year, for the LAs with staff numbers: does it pay for itself?")
    _note(ws, top + 1, "The LAs counted have a staff row and cost forms (the staff rows at the bottom, with their "
                       "annual running cost from sheet Rounds). Net = running cost - saving total.", len(YEAR_COLUMNS))
    year = Table(ws, YEAR_COLUMNS, header_row=top + 2)
    for p in s.phases:
        r = year.next_row
        values: dict[str, object] = {"phase": label(p.phase), "phase_no": phase_no[p.phase]}
        formulas = _year_formulas(year, r, t21, t21_rows[p.phase])
        keep = ["las_with_staff", "annual_saving_per_staff", "intervention_staff"]
        if p.annual_running_cost is not None:  # sr-cost leaves the rest out when no LA is counted
            keep += ["annual_saving_total", "annual_running_cost", "net_annual_cost"]
        if p.break_even_sick_days_per_staff is not None:
            keep.append("break_even_sick_days_per_staff")
        values.update({k: formulas[k] for k in keep})
        year.add(values)
        for key in keep:
            cells[figure_key(("phase", p.phase), key)] = (year.letter(key), r)
    year.finish(filter=False, freeze=False)

    # the bootstrap
    top = year.last_row + 2
    if a.bootstrap:
        _section(ws, top, f"How sure? 95% intervals from {a.bootstrap:,} bootstrap resamples (seed {a.seed})")
        _note(ws, top + 1, "Values computed by sr-cost, not formulas (a spreadsheet cannot repeat the resampling): "
                           "respondents resampled within group and phase. sr-cost with the same --bootstrap and --seed "
                           "repeats them exactly.", len(BOOT_COLUMNS))
        boot = Table(ws, BOOT_COLUMNS, header_row=top + 2)
        for p in s.phases:
            boot.add(_boot_values(p))
        boot.finish(filter=False, freeze=False)
        top = boot.last_row + 2
    else:
        _section(ws, top, "How sure? No bootstrap was run (--bootstrap 0), so there are no intervals.")
        top += 2

    # the staff randomised
    _section(ws, top, "Staff randomised (the staff sheet), and the annual running cost of each LA counted")
    staff = Table(ws, STAFF_COLUMNS, header_row=top + 1)
    columns = {k: staff.letter(k) for k in staff.index}
    rows = book.run.survey.staff if book.run.survey is not None else ()
    for row in sorted(rows, key=lambda x: natural_key(x.phase)):
        staff.add(staff_row(row, staff.next_row, phase_no=phase_no.get(row.phase),
                            la_no=book.la_no.get((row.la, row.phase)), columns=columns))
    first, last = staff.header_row + 1, max(staff.last_row, staff.header_row + 1)
    for key, name in STAFF_NAMES.items():
        book.name(name, SAVINGS_SHEET, f"${staff.letter(key)}${first}:${staff.letter(key)}${last}")
    staff.finish(filter=False, freeze=False)

    # Checks: each figure Summary shows, against its formula here
    for key, figure, fmt in PHASE_FIGURES:
        for p in s.phases:
            _recomputed(book, cells, figure_key(("phase", p.phase), key), figure, fmt, p.phase)
    for where in COMBINED:
        for key, figure, fmt in COMBINED_FIGURES:
            _recomputed(book, cells, figure_key(where, key), figure, fmt, where)
    ws.column_dimensions["A"].width = max(ws.column_dimensions["A"].width or 0, 18)


def _recomputed(book: Book, cells: dict, key: tuple, figure: str, fmt: str, phase: str) -> None:
    if key in cells:
        column, row = cells[key]
        book.more_checks.append(Recomputed(figure, key, "=" + ref(SAVINGS_SHEET, column, row), fmt, phase))


def _boot_values(p: PhaseSavings) -> dict[str, object]:
    return {"phase": label(p.phase), "saving": _money(p.saving_per_staff),
            "saving_low": _money(p.saving_ci.low) if p.saving_ci else None,
            "saving_high": _money(p.saving_ci.high) if p.saving_ci else None, "p_saving": p.p_saving_positive,
            "net": _money(p.net_annual_cost), "net_low": _money(p.net_ci.low) if p.net_ci else None,
            "net_high": _money(p.net_ci.high) if p.net_ci else None, "p_pays": p.p_pays_for_itself}


# --- Summary: the savings page --------------------------------------------------------------------

SUMMARY_T21_COLUMNS = (
    Col("phase", "Phase"), Col("n_intervention", "Respondents: intervention", COUNT, 12),
    Col("n_control", "Respondents: control", COUNT, 11),
    Col("mean_sick_days_intervention", "Mean sick days: intervention", DECIMAL, 11),
    Col("mean_sick_days_control", "Mean sick days: control", DECIMAL, 11),
    Col("mean_cost_intervention", "Mean sickness cost: intervention", MONEY, 13),
    Col("mean_cost_control", "Mean sickness cost: control", MONEY, 13),
    Col("saving_per_staff", "Saving per staff member", MONEY, 13),
)
SUMMARY_YEAR_COLUMNS = (
    Col("phase", "Phase"), Col("las_with_staff", "LAs counted", COUNT, 8),
    Col("intervention_staff", "Intervention staff", COUNT, 11),
    Col("annual_saving_per_staff", "Annual saving per staff member", MONEY, 13),
    Col("annual_running_cost", "Annual running cost", MONEY, 14),
    Col("annual_saving_total", "Annual saving total", MONEY, 14),
    Col("net_annual_cost", "Net annual cost", MONEY, 14),
    Col("break_even_sick_days_per_staff", "Break-even sick days a year", DECIMAL, 11),
)


def net_sentence(p: PhaseSavings) -> str | None:
    """What the year's figures of a phase say, in a sentence (None when no LA is counted)."""
    if p.annual_running_cost is None or p.net_annual_cost is None:
        return None
    n = len(p.las_with_staff)
    net = p.net_annual_cost
    verdict = (f"a net saving of {gbp(-net)}" if net < 0 else f"a net cost of {gbp(net)}" if net > 0
               else "no net cost")
    text = (f"Phase {p.phase}: a year, the rounds cost {gbp(p.annual_running_cost)} in the {n} LA{'s' * (n != 1)} "
            f"with staff numbers, against an estimated saving of {gbp(p.annual_saving_total)}: {verdict}")
    if p.p_pays_for_itself is not None:
        text += f"; they pay for themselves in {p.p_pays_for_itself * 100:.0f}% of the bootstrap resamples"
    if p.break_even_sick_days_per_staff is not None:
        text += (f". They break even if each of the {p.intervention_staff:,} intervention staff avoids "
                 f"{p.break_even_sick_days_per_staff:.2f} days of sickness absence a year")
    return text + "."


def summary_section(book: Book, ws, top: int) -> int:
    """The savings page of Summary from row ``top``; returns the row after it."""
    s: Savings = book.savings
    a = s.assumptions
    ws.row_breaks.append(Break(id=top - 1))
    _section(ws, top, f"What they may save: sickness absence (report Table 21, {a.recall_months} months)")
    note_row = top + 1
    t = Table(ws, SUMMARY_T21_COLUMNS, header_row=top + 2)
    for p in s.phases:
        values = {**_phase_values(p), "phase": label(p.phase)}
        row = t.add({k: v for k, v in values.items() if k in t.index})
        for key in t.index:
            if key in PHASE_KEYS:
                book.show(figure_key(("phase", p.phase), key), "Summary", t.letter(key), row)
    for where, c in (("combined", s.combined), ("pooled", s.pooled)):
        row = t.add({"phase": COMBINED[where], "mean_cost_intervention": _money(c.mean_cost_intervention),
                     "mean_cost_control": _money(c.mean_cost_control), "saving_per_staff": _money(c.saving_per_staff)},
                    font=BOLD if where == "combined" else None, fill=TOTAL_FILL if where == "combined" else None,
                    top_border=where == "combined")
        for key, _, _ in COMBINED_FIGURES:
            book.show(figure_key(where, key), "Summary", t.letter(key), row)
    t.finish(filter=False, freeze=False)
    _note(ws, note_row, "Sickness-absence cost per staff member over the recall period, per phase (its LAs pooled); "
                        "saving = control - intervention. Combined: the report's way (the mean of the phase figures); "
                        "pooled: all respondents together. Sheet Savings recomputes each figure from the respondents."
                        + ("" if a.bootstrap else " No bootstrap was run (--bootstrap 0): no intervals."),
          len(BOOT_COLUMNS))

    top = t.last_row + 2
    _section(ws, top, "A year: does it pay for itself?")
    _note(ws, top + 1, "For the LAs with a staff row and cost forms. Net = annual running cost - annual saving total "
                       "(negative: the rounds save more than they cost). Break-even: the days of sickness absence each "
                       "intervention staff member must avoid a year for the rounds to pay for themselves.",
          len(BOOT_COLUMNS))
    y = Table(ws, SUMMARY_YEAR_COLUMNS, header_row=top + 2)
    for p in s.phases:
        values = {**_phase_values(p), "phase": label(p.phase)}
        row = y.add({k: v for k, v in values.items() if k in y.index})
        for key in y.index:
            if values.get(key) is not None and key in PHASE_KEYS:
                book.show(figure_key(("phase", p.phase), key), "Summary", y.letter(key), row)
    y.finish(filter=False, freeze=False)

    # how sure: the bootstrap
    top = y.last_row + 2
    if a.bootstrap:
        _section(ws, top, f"How sure? 95% intervals from {a.bootstrap:,} bootstrap resamples (seed {a.seed})")
        _note(ws, top + 1, "Respondents resampled within group and phase. Read each saving with its interval. "
                           "P(pays for itself): the share of resamples with a net annual cost of £0 or less.",
              len(BOOT_COLUMNS))
        b = Table(ws, BOOT_COLUMNS, header_row=top + 2)
        for p in s.phases:
            b.add(_boot_values(p))
        b.finish(filter=False, freeze=False)
        top = b.last_row + 2

    # in plain English
    width = sum(ws.column_dimensions[get_column_letter(c)].width or 9 for c in range(1, len(BOOT_COLUMNS) + 1))
    sentences = plain_english(s) + [x for x in (net_sentence(p) for p in s.phases) if x]
    for text in sentences:
        cell = put(ws, top, 1, text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.merge_cells(start_row=top, start_column=1, end_row=top, end_column=len(BOOT_COLUMNS))
        ws.row_dimensions[top].height = 15 * wrapped_lines(text, width * 1.1)
        top += 1

    # the chart: annual running cost against annual saving
    top += 1
    if any(p.annual_running_cost is not None for p in s.phases):
        chart = _bar("Annual running cost against annual saving per phase", "£ a year")
        chart.add_data(Reference(ws, min_col=y.index["annual_running_cost"], max_col=y.index["annual_saving_total"],
                                 min_row=y.header_row, max_row=y.last_row), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=y.index["phase"], min_row=y.header_row + 1, max_row=y.last_row))
        chart.x_axis.title = "Phase"
        chart.y_axis.numFmt = "£#,##0"
        if any((p.annual_saving_total or 0) < 0 for p in s.phases):
            chart.y_axis.scaling.min = None  # a negative saving goes below the axis
        chart.legend.position = "b"
        chart.width, chart.height = 18, 8
        ws.add_chart(chart, f"A{top}")
        top += 17
    return top
