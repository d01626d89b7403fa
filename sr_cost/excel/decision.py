"""The savings' decision figures in the workbook: the saving on every valuation basis and who answered
(values), and "does it pay?" over the horizon by formula on sheet Savings, as values on Summary,
each compared by Checks.

The formulas restate ``core.decision`` over cells already in the workbook: the set-up cost of the
LAs counted (their training lines on sheet Lines, through the staff rows of Savings), the running
cost and the saving a year (the year's table on Savings), ``HorizonYears`` and ``DiscountRate``
(sheet Assumptions); A = the present value of £1 a year over the horizon.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sr_cost.core.savings import PhaseSavings, Savings
from sr_cost.excel.book import Book
from sr_cost.excel.cells import SheetTable, money_value, section
from sr_cost.excel.formulas import COUNT, DECIMAL, MONEY, Col, Formula, label, letters
from sr_cost.excel.savings_formulas import PROBABILITY, STAFF_NAMES, T21, YEAR, figure_key
from sr_cost.money import round_half_up
from sr_cost.outputs.wording import BASIS_NOTE

DECISION_COLUMNS = (
    Col("phase", "Phase"),
    Col("phase_no", "Phase no.", COUNT, 8, align="center"),
    Col("setup", "Set-up cost (£)", MONEY, 13, note="=the counted LAs' training lines (staff rows below)"),
    Col("setup_indirect", "of which staff time and mileage (£)", MONEY, 13),
    Col("running", "Running cost a year (£)", MONEY, 13, note="=the year's table above"),
    Col("saving", "Saving a year (£)", MONEY, 13, note="=the year's table above: an extrapolation"),
    Col("annuity", "Present value of £1 a year", DECIMAL, 10, note="=sum of (1 + DiscountRate)^-t over the years"),
    Col("net_first_year", "Net cost, first year (£)", MONEY, 13, note="=set-up + running - saving"),
    Col("net_present_value", "Net cost over the horizon (£, PV)", MONEY, 14, note="=set-up + A x (running - saving)"),
    Col("roi", "£ back per £1 (PV)", DECIMAL, 9, note="=A x saving ÷ (set-up + A x running)"),
    Col("roi_first_year", "£ back per £1, first year", DECIMAL, 9, note="=saving ÷ (set-up + running)"),
    Col("payback_months", "Payback (months)", DECIMAL, 9, note="=12 x set-up ÷ (saving - running), if within"),
    Col("max_setup_fee", "Most set-up fee per LA (£)", MONEY, 13, note="=(A x (saving - running) - staff time) ÷ LAs"),
    Col(
        "max_cost_per_round",
        "Most mean cost per round (£)",
        MONEY,
        13,
        note="=(A x (saving - the running cost not moving with the cost per round) - set-up) ÷ (A x the "
        "LAs' rounds a year)",
    ),
    Col(
        "break_even_saving_per_staff",
        "Least saving per staff member a year (£)",
        MONEY,
        13,
        note="=(set-up + A x running) ÷ (A x intervention staff)",
    ),
    Col(
        "break_even_sick_days_per_staff",
        "in sick days a year",
        DECIMAL,
        9,
        note="=÷ (mean hourly cost x HoursPerSickDay)",
    ),
)
FIGURES = (  # (key, figure in Checks, format): what Summary shows and Savings recomputes
    ("setup", "Decision: set-up cost", MONEY),
    ("running", "Decision: running cost a year", MONEY),
    ("saving", "Decision: saving a year", MONEY),
    ("net_first_year", "Decision: net cost, first year", MONEY),
    ("net_present_value", "Decision: net cost, present value", MONEY),
    ("roi", "Decision: £ back per £1", DECIMAL),
    ("roi_first_year", "Decision: £ back per £1, first year", DECIMAL),
    ("payback_months", "Decision: payback months", DECIMAL),
    ("max_setup_fee", "Decision: most set-up fee per LA", MONEY),
    ("max_cost_per_round", "Decision: most mean cost per round", MONEY),
    ("break_even_saving_per_staff", "Decision: least saving per staff member", MONEY),
    ("break_even_sick_days_per_staff", "Decision: least sick days avoided", DECIMAL),
)
SPREAD_COLUMNS = (
    Col("phase", "Phase"),
    Col("npv_low", "Net cost (PV), 95% interval: from (£)", MONEY, 14),
    Col("npv_high", "to (£)", MONEY, 14),
    Col("roi_low", "£ back per £1, 95% interval: from", DECIMAL, 10),
    Col("roi_high", "to", DECIMAL, 10),
    Col("p_roi", "P(at least £1 back)", PROBABILITY, 10),
    Col("p_payback", "P(payback within the horizon)", PROBABILITY, 10),
)
DECISION = letters(DECISION_COLUMNS)
ANNUITY = "IF(DiscountRate=0,HorizonYears,(1-(1+DiscountRate)^-HorizonYears)/(1-1/(1+DiscountRate)))"


def decision_formulas(r: int, year_row: int, t21_row: int) -> dict[str, Formula]:
    """The decision figures of the phase on row ``r`` (its year row ``year_row``, its Table 21 row
    ``t21_row``), by formula."""
    c = {k: f"{DECISION[k]}{r}" for k in DECISION}
    of = f'{STAFF_NAMES["phase_no"]},${DECISION["phase_no"]}{r},{STAFF_NAMES["counted"]},"yes"'
    las, staff = f"{YEAR['las_with_staff']}{year_row}", f"{YEAR['intervention_staff']}{year_row}"
    a, s, run, setup = c["annuity"], c["saving"], c["running"], c["setup"]
    costs = f"({setup}+{a}*{run})"
    within = f"12*{setup}/({s}-{run})"
    return {
        "setup": Formula(f"=SUMIFS({STAFF_NAMES['setup']},{of})"),
        "setup_indirect": Formula(f"=SUMIFS({STAFF_NAMES['setup_indirect']},{of})"),
        "running": Formula(f"={YEAR['annual_running_cost']}{year_row}"),
        "saving": Formula(f"={YEAR['annual_saving_total']}{year_row}"),
        "annuity": Formula(f"={ANNUITY}"),
        "net_first_year": Formula(f"={setup}+{run}-{s}"),
        "net_present_value": Formula(f"={setup}+{a}*({run}-{s})"),
        "roi": Formula(f'=IF({costs}=0,"",{a}*{s}/{costs})'),
        "roi_first_year": Formula(f'=IF({setup}+{run}=0,"",{s}/({setup}+{run}))'),
        "payback_months": Formula(f'=IF({s}<={run},"not within",IF({within}<=12*HorizonYears,{within},"not within"))'),
        "max_setup_fee": Formula(f"=({a}*({s}-{run})-{c['setup_indirect']})/{las}"),
        "max_cost_per_round": Formula(
            f"=({a}*({s}-SUMIFS({STAFF_NAMES['fixed_year']},{of}))-{setup})/({a}*SUMIFS({STAFF_NAMES['rounds_per_year']},{of}))"
        ),
        "break_even_saving_per_staff": Formula(f"={costs}/({a}*{staff})"),
        "break_even_sick_days_per_staff": Formula(
            f"={c['break_even_saving_per_staff']}/({T21['hourly_intervention']}{t21_row}*HoursPerSickDay)"
        ),
    }


def _shown(value: Decimal | None, fmt: str) -> Decimal | None:
    """A figure as Summary shows it: money to the penny, other figures to 2 places."""
    if value is None:
        return None
    return money_value(value) if fmt == MONEY else round_half_up(value, 2)


def decision_values(p: PhaseSavings) -> dict[str, Any]:
    d = p.decision
    return {
        "setup": d.setup,
        "running": d.running_cost_year,
        "saving": d.saving_year,
        "net_first_year": d.net_first_year,
        "net_present_value": d.net_present_value,
        "roi": d.roi,
        "roi_first_year": d.roi_first_year,
        "payback_months": d.payback_months,
        "max_setup_fee": d.max_setup_fee,
        "max_cost_per_round": d.max_cost_per_round,
        "break_even_saving_per_staff": d.break_even_saving_per_staff,
        "break_even_sick_days_per_staff": d.break_even_sick_days_per_staff,
    }


def savings_block(
    book: Book, ws, top: int, phase_no: dict[str, int], rows: dict[str, tuple[int, int]], cells: dict
) -> int:
    """Sheet Savings' decision table from row ``top`` (``rows``: phase -> (year row, Table 21 row));
    records where each figure is recomputed in ``cells``; returns the row after it."""
    s: Savings = book.savings
    phases = [p for p in s.phases if p.decision is not None]
    if not phases:
        return top
    section(ws, top, f"Does it pay? Over {s.assumptions.years} years at present value, the set-up cost in year 1")
    t = SheetTable(ws, DECISION_COLUMNS, header_row=top + 1)
    for p in phases:
        r = t.next_row
        formulas = decision_formulas(r, *rows[p.phase])
        t.add({"phase": label(p.phase), "phase_no": phase_no[p.phase], **formulas})
        for key, _, _ in FIGURES:
            cells[figure_key(("phase", p.phase), "decision_" + key)] = (t.letter(key), r)
    t.finish(filter=False, freeze=False)
    return t.last_row + 2


def summary_block(book: Book, ws, top: int) -> int:
    """Summary's page of decision figures (values), their spread, and the saving on each basis."""
    s: Savings = book.savings
    phases = [p for p in s.phases if p.decision is not None]
    if phases:
        section(ws, top, f"Does it pay? Over {s.assumptions.years} years at present value (sheet Savings: formulas)")
        columns = tuple(c for c in DECISION_COLUMNS if c.key not in ("phase_no", "setup_indirect", "annuity"))
        t = SheetTable(ws, columns, header_row=top + 1)
        for p in phases:
            values = decision_values(p)
            formats = {k: fmt for k, _, fmt in FIGURES}
            shown = {k: _shown(v, formats[k]) for k, v in values.items()}
            if shown["payback_months"] is None:
                shown["payback_months"] = "not within"
            row = t.add({"phase": label(p.phase), **shown})
            for key, _, _ in FIGURES:
                if isinstance(shown[key], Decimal):
                    book.show(figure_key(("phase", p.phase), "decision_" + key), "Summary", t.letter(key), row)
        t.finish(filter=False, freeze=False)
        top = t.last_row + 2
        spreads = [p for p in phases if p.decision_spread is not None]
        if spreads:
            section(ws, top, "How sure? From the bootstrap's resamples (values: a spreadsheet cannot repeat them)")
            b = SheetTable(ws, SPREAD_COLUMNS, header_row=top + 1)
            for p in spreads:
                x = p.decision_spread
                b.add(
                    {
                        "phase": label(p.phase),
                        "npv_low": money_value(x.net_present_value.low),
                        "npv_high": money_value(x.net_present_value.high),
                        "roi_low": round_half_up(x.roi.low, 2),
                        "roi_high": round_half_up(x.roi.high, 2),
                        "p_roi": x.p_roi_at_least_1,
                        "p_payback": x.p_payback_within_horizon,
                    }
                )
            b.finish(filter=False, freeze=False)
            top = b.last_row + 2
    if any(p.by_basis for p in s.phases):
        bases = [b.basis for b in s.phases[0].by_basis]
        section(ws, top, "The saving per staff member a year on each valuation basis (values) — " + BASIS_NOTE)
        columns = (
            (Col("phase", "Phase"),)
            + tuple(
                Col(b.value, b.value + (" (chosen)" if b is s.assumptions.absence_basis else ""), MONEY, 13)
                for b in bases
            )
            + (Col("answered", "Share of the staff randomised answering", PROBABILITY, 12),)
        )
        t = SheetTable(ws, columns, header_row=top + 1)
        for p in s.phases:
            t.add(
                {
                    "phase": label(p.phase),
                    **{
                        b.basis.value: money_value(b.annual_saving_per_staff)
                        if b.annual_saving_per_staff is not None
                        else None
                        for b in p.by_basis
                    },
                    "answered": p.response.share if p.response is not None else None,
                }
            )
        t.finish(filter=False, freeze=False)
        top = t.last_row + 2
    return top
