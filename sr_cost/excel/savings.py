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

What the formulas say (the columns of Savings' tables, the formulas of their rows, the figures Checks
compares and the rules on sheet Assumptions) is in ``savings_formulas.py`` (pure); this module
lays it out, and the values, the sentences and the chart of Summary. Text from the survey is always
written as text. Imported (by ``workbook.py``) only when the workbook has savings.
"""

from __future__ import annotations

from typing import Any

from openpyxl.chart import Reference
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.pagebreak import Break

from sr_cost.core.columns import natural_key
from sr_cost.core.savings import PhaseSavings, Savings
from sr_cost.excel import decision
from sr_cost.excel.book import SAVINGS_SHEET, Book
from sr_cost.excel.cells import (
    BOLD,
    NOTE_FONT,
    TOTAL_FILL,
    SheetTable,
    bar_chart,
    money_value,
    put,
    section,
    sheet_title,
    wrapped_lines,
)
from sr_cost.excel.checks import Recomputed
from sr_cost.excel.formulas import COUNT, DECIMAL, MONEY, Col, label, ref
from sr_cost.excel.savings_formulas import (
    BOOT_COLUMNS,
    COMBINED,
    COMBINED_FIGURES,
    PHASE_FIGURES,
    PHASE_KEYS,
    RESPONDENT_COLUMNS,
    RESPONDENT_NAMES,
    STAFF_COLUMNS,
    STAFF_NAMES,
    T21_COLUMNS,
    YEAR_COLUMNS,
    combined_formulas,
    figure_key,
    respondent_row,
    staff_row,
    t21_formulas,
    year_formulas,
)
from sr_cost.outputs.wording import phase_sentence, plain_english

ROLE_WIDTH, SOURCE_WIDTH = 36, 22  # the respondents' wide text columns wrap within these widths


def _note(ws, row: int, text: str, columns: int) -> None:
    """A section's note on ``row``, wrapped within the first ``columns`` columns (call once their widths are set)."""
    cell = put(ws, row, 1, text, font=NOTE_FONT)
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
    width = sum(ws.column_dimensions[get_column_letter(c)].width or 9 for c in range(1, columns + 1))
    ws.row_dimensions[row].height = 15 * wrapped_lines(text, width * 1.1)


def _phase_values(p: PhaseSavings) -> dict[str, Any]:
    """sr-cost's figures of a phase, as shown (money to the penny)."""
    i, c = p.intervention, p.control
    return {
        "n_intervention": i.n,
        "n_control": c.n,
        "mean_sick_days_intervention": money_value(i.mean_sick_days),
        "mean_sick_days_control": money_value(c.mean_sick_days),
        "mean_cost_intervention": money_value(i.mean_cost),
        "mean_cost_control": money_value(c.mean_cost),
        "saving_per_staff": money_value(p.saving_per_staff),
        "annual_saving_per_staff": money_value(p.annual_saving_per_staff),
        "las_with_staff": len(p.las_with_staff),
        "intervention_staff": p.intervention_staff,
        "annual_saving_total": money_value(p.annual_saving_total),
        "annual_running_cost": money_value(p.annual_running_cost),
        "net_annual_cost": money_value(p.net_annual_cost),
        "break_even_sick_days_per_staff": money_value(p.break_even_sick_days_per_staff),
    }


def savings_sheet(book: Book, ws) -> None:
    s: Savings = book.savings
    a = s.assumptions
    phase_no = {p.phase: i for i, p in enumerate(s.phases, start=1)}
    sheet_title(
        ws,
        f"Savings: sickness absence over {a.recall_months} months (report Table 21)",
        "One row per respondent of the survey, with where it came from (file, sheet, row). The hourly cost of an "
        f"hour of absence ({a.absence_basis.value} basis) and the sickness cost = hourly cost x sick days x hours "
        "a day are formulas over sheets Unit costs and Assumptions. Below the respondents: Table 21, the annual "
        "figures and break-even by formula, the bootstrap intervals, and the staff randomised.",
        wrap_to=len(RESPONDENT_COLUMNS),
    )

    # the respondents
    t = SheetTable(ws, RESPONDENT_COLUMNS, header_row=4)
    wrapped = (("role", ROLE_WIDTH), ("source", SOURCE_WIDTH))  # long text wraps, so the page stays legible
    for key, _ in wrapped:
        t.alignments[key] = Alignment(wrap_text=True)
    t.add_rows(
        book.counted(
            respondent_row(
                r,
                row,
                phase_no=phase_no[r.phase],
                basis=a.absence_basis,
                yearly_threshold=book.run.table.params.ni_secondary_threshold_per_year_gbp is not None,
                factor="*StaffTimeFactor" if book.repriced else "",
            )
            for row, r in enumerate(s.respondents, start=t.next_row)
        ),
        book.streamed,
    )
    first, last = t.header_row + 1, max(t.last_row, t.header_row + 1)
    for key, name in RESPONDENT_NAMES.items():
        book.name(name, SAVINGS_SHEET, f"${t.letter(key)}${first}:${t.letter(key)}${last}")
    t.finish(repeat_header=False)  # the page of results below would print under the respondents' header
    for key, width in wrapped:
        ws.column_dimensions[t.letter(key)].width = min(ws.column_dimensions[t.letter(key)].width, width)

    # the results, on a page of their own
    top = t.last_row + 2
    ws.row_breaks.append(Break(id=top - 1))
    link = put(
        ws,
        3,
        1,
        f"Table 21, the annual figures and the bootstrap intervals: row {top} onwards (below the respondents)",
        font=BOLD,
    )
    link.hyperlink = Hyperlink(ref="A3", location=f"{SAVINGS_SHEET}!A{top}", display=str(link.value))
    cells = {}  # figure key -> cell where the Savings sheet recomputes it

    section(ws, top, f"Sickness-absence cost per staff member over {a.recall_months} months (report Table 21)")
    t21_top = top
    t21 = SheetTable(ws, T21_COLUMNS, header_row=top + 2)
    t21_rows = {}
    for p in s.phases:
        r = t21.next_row
        t21.add({"phase": label(p.phase), "phase_no": phase_no[p.phase], **t21_formulas(r)})
        t21_rows[p.phase] = r
        for key, _, _ in PHASE_FIGURES:
            if key in t21.index:
                cells[figure_key(("phase", p.phase), key)] = (t21.letter(key), r)
    phase_rows = list(t21_rows.values())
    r = t21.add(
        {"phase": COMBINED["combined"], **combined_formulas(phase_rows[0], phase_rows[-1])},
        font=BOLD,
        fill=TOTAL_FILL,
        top_border=True,
    )
    for key, _, _ in COMBINED_FIGURES:
        cells[figure_key("combined", key)] = (t21.letter(key), r)
    r = t21.next_row
    t21.add({"phase": COMBINED["pooled"], **t21_formulas(r, pooled=True)})
    for key, _, _ in COMBINED_FIGURES:
        cells[figure_key("pooled", key)] = (t21.letter(key), r)
    t21.finish(filter=False, freeze=False)
    _note(
        ws,
        t21_top + 1,
        "Formulas over the respondents above, per phase (all its LAs pooled, as the report does): "
        "COUNTIFS and AVERAGEIFS by Phase no. and group. Saving = control mean - intervention "
        "mean. Combined: the report's way, the mean of the phase figures; pooled: all respondents "
        "together.",
        len(T21_COLUMNS),
    )

    # a year
    top = t21.last_row + 2
    section(ws, top, "A year, for the LAs with staff numbers: does it pay for itself?")
    _note(
        ws,
        top + 1,
        "The LAs counted have a staff row and cost forms (the staff rows at the bottom, with their "
        "annual running cost from sheet Rounds). Net = running cost - saving total.",
        len(YEAR_COLUMNS),
    )
    year = SheetTable(ws, YEAR_COLUMNS, header_row=top + 2)
    year_rows = {}
    for p in s.phases:
        r = year.next_row
        year_rows[p.phase] = (r, t21_rows[p.phase])
        values: dict[str, object] = {"phase": label(p.phase), "phase_no": phase_no[p.phase]}
        formulas = year_formulas(r, t21_rows[p.phase])
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

    # does it pay, over the horizon
    top = decision.savings_block(book, ws, year.last_row + 2, phase_no, year_rows, cells)

    # the bootstrap
    if a.bootstrap:
        section(ws, top, f"How sure? 95% intervals from {a.bootstrap:,} bootstrap resamples (seed {a.seed})")
        _note(
            ws,
            top + 1,
            "Values computed by sr-cost, not formulas (a spreadsheet cannot repeat the resampling): "
            "respondents resampled within group and phase. sr-cost with the same --bootstrap and --seed "
            "repeats them exactly.",
            len(BOOT_COLUMNS),
        )
        boot = SheetTable(ws, BOOT_COLUMNS, header_row=top + 2)
        for p in s.phases:
            boot.add(_boot_values(p))
        boot.finish(filter=False, freeze=False)
        top = boot.last_row + 2
    else:
        section(ws, top, "How sure? No bootstrap was run (--bootstrap 0), so there are no intervals.")
        top += 2

    # the staff randomised
    section(ws, top, "Staff randomised (the staff sheet), and the annual running cost of each LA counted")
    staff = SheetTable(ws, STAFF_COLUMNS, header_row=top + 1)
    columns = {k: staff.letter(k) for k in staff.index}
    rows = book.run.survey.staff if book.run.survey is not None else ()
    for row in sorted(rows, key=lambda x: natural_key(x.phase)):
        staff.add(
            staff_row(
                row,
                staff.next_row,
                phase_no=phase_no.get(row.phase),
                la_no=book.la_no.get((row.la, row.phase)),
                columns=columns,
                period=book.period,
            )
        )
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
    for key, figure, fmt in decision.FIGURES:
        for p in s.phases:
            shown = figure_key(("phase", p.phase), "decision_" + key)
            if shown in book.shown:  # a figure Summary shows (a payback beyond the horizon is words)
                _recomputed(book, cells, shown, figure, fmt, p.phase)
    ws.column_dimensions["A"].width = max(ws.column_dimensions["A"].width or 0, 18)
    book.savings_cells = cells  # the cost-effectiveness sheet's formulas start from them


def _recomputed(book: Book, cells: dict, key: tuple, figure: str, fmt: str, phase: str) -> None:
    if key in cells:
        column, row = cells[key]
        book.more_checks.append(Recomputed(figure, key, "=" + ref(SAVINGS_SHEET, column, row), fmt, phase))


def _boot_values(p: PhaseSavings) -> dict[str, object]:
    return {
        "phase": label(p.phase),
        "saving": money_value(p.saving_per_staff),
        "saving_low": money_value(p.saving_ci.low) if p.saving_ci else None,
        "saving_high": money_value(p.saving_ci.high) if p.saving_ci else None,
        "p_saving": p.p_saving_positive,
        "net": money_value(p.net_annual_cost),
        "net_low": money_value(p.net_ci.low) if p.net_ci else None,
        "net_high": money_value(p.net_ci.high) if p.net_ci else None,
        "p_pays": p.p_pays_for_itself,
    }


# --- Summary: the savings page --------------------------------------------------------------------

SUMMARY_T21_COLUMNS = (
    Col("phase", "Phase"),
    Col("n_intervention", "Respondents: intervention", COUNT, 12),
    Col("n_control", "Respondents: control", COUNT, 11),
    Col("mean_sick_days_intervention", "Mean sick days: intervention", DECIMAL, 11),
    Col("mean_sick_days_control", "Mean sick days: control", DECIMAL, 11),
    Col("mean_cost_intervention", "Mean sickness cost: intervention", MONEY, 13),
    Col("mean_cost_control", "Mean sickness cost: control", MONEY, 13),
    Col("saving_per_staff", "Saving per staff member", MONEY, 13),
)
SUMMARY_YEAR_COLUMNS = (
    Col("phase", "Phase"),
    Col("las_with_staff", "LAs counted", COUNT, 8),
    Col("intervention_staff", "Intervention staff", COUNT, 11),
    Col("annual_saving_per_staff", "Annual saving per staff member", MONEY, 13),
    Col("annual_running_cost", "Annual running cost", MONEY, 14),
    Col("annual_saving_total", "Annual saving total", MONEY, 14),
    Col("net_annual_cost", "Net annual cost", MONEY, 14),
    Col("break_even_sick_days_per_staff", "Break-even sick days a year", DECIMAL, 11),
)


def summary_section(book: Book, ws, top: int) -> int:
    """The savings page of Summary from row ``top``; returns the row after it."""
    s: Savings = book.savings
    a = s.assumptions
    ws.row_breaks.append(Break(id=top - 1))
    section(ws, top, f"What they may save: sickness absence (report Table 21, {a.recall_months} months)")
    note_row = top + 1
    t = SheetTable(ws, SUMMARY_T21_COLUMNS, header_row=top + 2)
    for p in s.phases:
        values = {**_phase_values(p), "phase": label(p.phase)}
        row = t.add({k: v for k, v in values.items() if k in t.index})
        for key in t.index:
            if key in PHASE_KEYS:
                book.show(figure_key(("phase", p.phase), key), "Summary", t.letter(key), row)
    for where, c in (("combined", s.combined), ("pooled", s.pooled)):
        row = t.add(
            {
                "phase": COMBINED[where],
                "mean_cost_intervention": money_value(c.mean_cost_intervention),
                "mean_cost_control": money_value(c.mean_cost_control),
                "saving_per_staff": money_value(c.saving_per_staff),
            },
            font=BOLD if where == "combined" else None,
            fill=TOTAL_FILL if where == "combined" else None,
            top_border=where == "combined",
        )
        for key, _, _ in COMBINED_FIGURES:
            book.show(figure_key(where, key), "Summary", t.letter(key), row)
    t.finish(filter=False, freeze=False)
    _note(
        ws,
        note_row,
        "Sickness-absence cost per staff member over the recall period, per phase (its LAs pooled); "
        "saving = control - intervention. Combined: the report's way (the mean of the phase figures); "
        "pooled: all respondents together. Sheet Savings recomputes each figure from the respondents."
        + ("" if a.bootstrap else " No bootstrap was run (--bootstrap 0): no intervals."),
        len(BOOT_COLUMNS),
    )

    top = t.last_row + 2
    section(ws, top, "A year: does it pay for itself?")
    _note(
        ws,
        top + 1,
        "For the LAs with a staff row and cost forms. Net = annual running cost - annual saving total "
        "(negative: the rounds save more than they cost). Break-even: the days of sickness absence each "
        "intervention staff member must avoid a year for the rounds to pay for themselves.",
        len(BOOT_COLUMNS),
    )
    y = SheetTable(ws, SUMMARY_YEAR_COLUMNS, header_row=top + 2)
    for p in s.phases:
        values = {**_phase_values(p), "phase": label(p.phase)}
        row = y.add({k: v for k, v in values.items() if k in y.index})
        for key in y.index:
            if values.get(key) is not None and key in PHASE_KEYS:
                book.show(figure_key(("phase", p.phase), key), "Summary", y.letter(key), row)
    y.finish(filter=False, freeze=False)

    # does it pay over the horizon, how sure, and the saving on every basis
    top = decision.summary_block(book, ws, y.last_row + 2)

    # how sure: the bootstrap
    if a.bootstrap:
        section(ws, top, f"How sure? 95% intervals from {a.bootstrap:,} bootstrap resamples (seed {a.seed})")
        _note(
            ws,
            top + 1,
            "Respondents resampled within group and phase. Read each saving with its interval. "
            "P(pays for itself): the share of resamples with a net annual cost of £0 or less.",
            len(BOOT_COLUMNS),
        )
        b = SheetTable(ws, BOOT_COLUMNS, header_row=top + 2)
        for p in s.phases:
            b.add(_boot_values(p))
        b.finish(filter=False, freeze=False)
        top = b.last_row + 2

    # in plain English
    width = sum(ws.column_dimensions[get_column_letter(c)].width or 9 for c in range(1, len(BOOT_COLUMNS) + 1))
    sentences = plain_english(s) + [phase_sentence(p, s) for p in s.phases]
    for text in sentences:
        cell = put(ws, top, 1, text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.merge_cells(start_row=top, start_column=1, end_row=top, end_column=len(BOOT_COLUMNS))
        ws.row_dimensions[top].height = 15 * wrapped_lines(text, width * 1.1)
        top += 1

    # the chart: annual running cost against annual saving
    top += 1
    if any(p.annual_running_cost is not None for p in s.phases):
        chart = bar_chart("Annual running cost against annual saving per phase", "£ a year")
        chart.add_data(
            Reference(
                ws,
                min_col=y.index["annual_running_cost"],
                max_col=y.index["annual_saving_total"],
                min_row=y.header_row,
                max_row=y.last_row,
            ),
            titles_from_data=True,
        )
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
