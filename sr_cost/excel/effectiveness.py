"""Sheet ``Cost-effectiveness`` of the estimate workbook (with a survey that has an outcome): per
phase and outcome the figures sr-cost reports (values), the same worked out by formula where they
are arithmetic of cells in the workbook, the quadrant shares and the acceptability curve (values:
a spreadsheet cannot repeat the resampling), and two Excel charts per outcome: the plane (a scatter
of the resamples, at most ``MAX_POINTS`` a phase) and the acceptability curve.

By formula: the difference (from the group means written beside it), the incremental cost per
intervention staff member before the saving ((set-up + A x running cost a year) / intervention
staff, from the decision table on sheet Savings) and after it (net cost over the horizon at present
value / intervention staff), the ratio where it means something, and the net monetary benefit at
the stated willingness to pay. Checks compares each with the value shown.
"""

from __future__ import annotations

from decimal import Decimal

from openpyxl.chart import Reference, ScatterChart, Series
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.utils import get_column_letter

from sr_cost.core.better import Better
from sr_cost.core.effectiveness import CostEffectiveness, OutcomeResult, PhaseEffect
from sr_cost.excel.book import EFFECT_SHEET, SAVINGS_SHEET, Book
from sr_cost.excel.cells import SheetTable, money_value, put, section, sheet_title
from sr_cost.excel.checks import Recomputed
from sr_cost.excel.decision import DECISION
from sr_cost.excel.formulas import DECIMAL, MONEY, Col, Formula, label, ref
from sr_cost.excel.savings_formulas import PROBABILITY, figure_key
from sr_cost.money import round_half_up
from sr_cost.outputs.wording_effect import NOT_SIGNIFICANT, PERSPECTIVE_NOTE, outcome_sentence, short_ratio

COLOURS = ("1F77B4", "D62728", "2CA02C", "9467BD", "FF7F0E")  # a phase's series, in order
MAX_POINTS = 1000  # resamples drawn on each phase's plane (every k-th, in order)
SHOWN = (  # what is shown as sr-cost's value and recomputed by formula: (key, figure on Checks, format)
    ("difference", "Cost-effectiveness: difference", DECIMAL),
    ("cost_before", "Cost-effectiveness: cost per staff before the saving", MONEY),
    ("cost", "Cost-effectiveness: cost per staff", MONEY),
    ("icer", "Cost-effectiveness: ratio", MONEY),
    ("nmb", "Cost-effectiveness: net monetary benefit", MONEY),
)
VALUE_COLUMNS = (
    Col("phase", "Phase"),
    Col("outcome", "Outcome"),
    Col("better", "Better"),
    Col("n_intervention", "Answered: intervention", "#,##0"),
    Col("n_control", "Answered: control", "#,##0"),
    Col("mean_intervention", "Mean: intervention", "#,##0.0000", 11),
    Col("mean_control", "Mean: control", "#,##0.0000", 11),
    Col("difference", "Better by (unadjusted, the headline)", "#,##0.0000", 12),
    Col("adjusted", "Better by, adjusted for baseline", "#,##0.0000", 12),
    Col("cost_before", "Cost per staff member before the saving (£, PV)", MONEY, 14),
    Col("cost", "Cost per staff member (£, PV)", MONEY, 14),
    Col("icer", "Ratio (£ per point or case)", MONEY, 12),
    Col("label", "Quadrant", None, 14),
    Col("wtp", "Willingness to pay (£)", MONEY, 12),
    Col("nmb", "Net monetary benefit (£)", MONEY, 13),
    Col("ne", "NE: better, dearer", PROBABILITY, 9),
    Col("se", "SE: better, cheaper", PROBABILITY, 9),
    Col("nw", "NW: worse, dearer", PROBABILITY, 9),
    Col("sw", "SW: worse, cheaper", PROBABILITY, 9),
)
FORMULA_COLUMNS = (
    Col("phase", "Phase"),
    Col("outcome", "Outcome"),
    Col(
        "difference",
        "Better by",
        "#,##0.0000",
        12,
        note="=control mean - intervention mean (lower better), or the reverse",
    ),
    Col(
        "cost_before",
        "Cost before the saving (£)",
        MONEY,
        14,
        note="=(set-up + A x running a year) / intervention staff (sheet Savings)",
    ),
    Col(
        "cost",
        "Cost (£)",
        MONEY,
        14,
        note="=net cost over the horizon at present value / intervention staff (sheet Savings)",
    ),
    Col(
        "icer",
        "Ratio (£)",
        MONEY,
        12,
        note="=cost / better-by when both have the same sign; else dominant or dominated",
    ),
    Col("nmb", "Net monetary benefit (£)", MONEY, 13, note="=willingness to pay x better-by - cost"),
)


def _decimal(x: float) -> Decimal:
    return Decimal(repr(round(float(x), 6)))


def _rows(ce: CostEffectiveness) -> list[tuple[PhaseEffect, OutcomeResult]]:
    return [(p, r) for p in ce.phases for r in p.outcomes if p.cost is not None and r.effect.difference is not None]


def effectiveness_sheet(book: Book, ws) -> None:
    ce: CostEffectiveness = book.run.cost_effectiveness
    s = ce.savings
    sheet_title(
        ws,
        f"Cost-effectiveness: per intervention staff member over {s.years} years (employer's perspective)",
        PERSPECTIVE_NOTE + " " + NOT_SIGNIFICANT,
        wrap_to=12,
    )
    rows = _rows(ce)
    top = 4
    section(ws, top, "As sr-cost reports it (values)")
    t = SheetTable(ws, VALUE_COLUMNS, header_row=top + 1)
    at: dict[tuple, int] = {}
    for p, r in rows:
        e, v, q = r.effect, r.verdict, r.quadrants or {}
        row = t.add(
            {
                "phase": label(p.phase),
                "outcome": r.outcome.label,
                "better": r.outcome.better.value,
                "n_intervention": e.n_intervention,
                "n_control": e.n_control,
                "mean_intervention": e.mean_intervention,
                "mean_control": e.mean_control,
                "difference": round_half_up(e.difference, 4),
                "adjusted": None if e.adjusted is None else round_half_up(e.adjusted, 4),
                "cost_before": money_value(p.cost.before_saving),
                "cost": money_value(p.cost.after_saving),
                "icer": money_value(v.icer) if v.icer is not None else None,
                "label": short_ratio(r) if v.icer is None else v.quadrant.value.upper(),
                "wtp": money_value(r.wtp),
                "nmb": money_value(r.nmb),
                **{k.value: share for k, share in q.items()},
            }
        )
        at[(p.phase, r.outcome.column)] = row
        for key, _, _ in SHOWN:
            if key in ("icer",) and v.icer is None or key == "nmb" and r.nmb is None:
                continue
            book.show(("effect", p.phase, r.outcome.column, key), EFFECT_SHEET, t.letter(key), row)
    t.finish(filter=False, freeze=False)
    top = t.last_row + 2
    for p, r in rows:
        put(ws, top, 1, outcome_sentence(p, r))
        top += 1
    top += 1

    section(ws, top, "By formula, from the means above and the decision table on sheet Savings")
    f = SheetTable(ws, FORMULA_COLUMNS, header_row=top + 1)
    cells = book.savings_cells
    for p, r in rows:
        v = at[(p.phase, r.outcome.column)]
        mi, mc = f"{t.letter('mean_intervention')}{v}", f"{t.letter('mean_control')}{v}"
        row = f.next_row
        d, c = f"{f.letter('difference')}{row}", f"{f.letter('cost')}{row}"

        def savings_ref(name: str, phase: str = p.phase) -> str:
            column, at_row = cells[figure_key(("phase", phase), name)]
            return ref(SAVINGS_SHEET, column, at_row)

        staff = savings_ref("intervention_staff")
        setup, running = savings_ref("decision_setup"), savings_ref("decision_running")
        annuity = ref(SAVINGS_SHEET, DECISION["annuity"], cells[figure_key(("phase", p.phase), "decision_setup")][1])
        formulas = {
            "phase": label(p.phase),
            "outcome": r.outcome.label,
            "difference": Formula(f"={mc}-{mi}" if r.outcome.better is Better.lower else f"={mi}-{mc}"),
            "cost": Formula(f"={savings_ref('decision_net_present_value')}/{staff}"),
            "icer": Formula(
                f'=IF({d}*{c}>0,{c}/{d},IF(AND({d}=0,{c}=0),"n/a",IF(AND({d}>=0,{c}<=0),"dominant","dominated")))'
            ),
        }
        formulas["cost_before"] = Formula(f"=({setup}+{annuity}*{running})/{staff}")
        if r.wtp is not None:
            formulas["nmb"] = Formula(f"={t.letter('wtp')}{v}*{d}-{c}")
        f.add(formulas)
        for key, figure, fmt in SHOWN:
            shown = ("effect", p.phase, r.outcome.column, key)
            if shown in book.shown and key in formulas:
                book.more_checks.append(
                    Recomputed(
                        f"{figure} ({r.outcome.label})",
                        shown,
                        "=" + ref(EFFECT_SHEET, f.letter(key), row),
                        fmt,
                        p.phase,
                    )
                )
    f.finish(filter=False, freeze=False)
    top = f.last_row + 2
    if s.bootstrap:
        top = _curves_and_planes(ws, ce, top)


def _curves_and_planes(ws, ce: CostEffectiveness, top: int) -> int:
    """Per outcome: the acceptability curve's table and chart, then the plane's points and chart."""
    s = ce.savings
    for o in ce.outcomes:
        results = [
            (p.phase, r) for p in ce.phases for r in p.outcomes if r.outcome == o and r.curve and r.plane is not None
        ]
        if not results:
            continue
        section(
            ws,
            top,
            f"Acceptability curve, {o.label}: P(net monetary benefit > 0) at each willingness to pay "
            f"(values from {s.bootstrap:,} resamples, seed {s.seed})",
        )
        columns = (Col("wtp", f"£ per {o.unit}", MONEY, 12),) + tuple(
            Col(f"p{k}", f"Phase {phase}", PROBABILITY, 10) for k, (phase, _) in enumerate(results)
        )
        t = SheetTable(ws, columns, header_row=top + 1)
        for i, point in enumerate(results[0][1].curve):
            t.add({"wtp": point.wtp, **{f"p{k}": r.curve[i].p_cost_effective for k, (_, r) in enumerate(results)}})
        t.finish(filter=False, freeze=False)
        chart = ScatterChart()
        chart.title = f"Acceptability curve: {o.label}"
        chart.style = 12
        chart.x_axis.title = f"Willingness to pay (£ per {o.unit})"
        chart.y_axis.title = "P(cost-effective)"
        chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 1
        chart.y_axis.numFmt = "0%"
        chart.x_axis.numFmt = "£#,##0"
        chart.x_axis.delete = chart.y_axis.delete = False
        x = Reference(ws, min_col=1, min_row=t.header_row + 1, max_row=t.last_row)
        for k in range(len(results)):
            y = Reference(ws, min_col=2 + k, min_row=t.header_row, max_row=t.last_row)
            series = Series(y, x, title_from_data=True)
            series.marker.symbol = "none"
            series.smooth = False
            series.graphicalProperties.line.solidFill = COLOURS[k % len(COLOURS)]
            series.graphicalProperties.line.width = 28575  # 2.25 pt
            chart.series.append(series)
        chart.width, chart.height = 16, 8
        ws.add_chart(chart, f"{_col(len(columns) + 2)}{top + 1}")
        top = max(t.last_row, top + 17) + 2

        section(ws, top, f"The plane, {o.label}: each resample's effect (across) and cost per staff member (up)")
        columns = tuple(
            c
            for k, (phase, _) in enumerate(results)
            for c in (
                Col(f"e{k}", f"Phase {phase}: better by", "#,##0.0000", 11),
                Col(f"c{k}", f"Phase {phase}: cost (£)", MONEY, 12),
            )
        )
        t = SheetTable(ws, columns, header_row=top + 1)
        picked = []
        for _, r in results:
            n = len(r.plane)
            step = max(1, -(-n // MAX_POINTS))
            picked.append(range(0, n, step))
        for i in range(max(len(p) for p in picked)):
            values = {}
            for k, (_, r) in enumerate(results):
                if i < len(picked[k]):
                    j = picked[k][i]
                    values[f"e{k}"] = _decimal(r.plane.effect.approx[j])
                    values[f"c{k}"] = _decimal(r.plane.cost_approx[j])
            t.add(values)
        t.finish(filter=False, freeze=False)
        chart = ScatterChart()
        chart.title = f"Cost-effectiveness plane: {o.label}"
        chart.style = 12
        chart.x_axis.title = f"Better by ({o.unit}s; right: the intervention group did better)"
        chart.y_axis.title = "Cost per staff member (£; up: dearer)"
        chart.y_axis.numFmt = "£#,##0"
        chart.x_axis.numFmt = "0.0"
        chart.x_axis.delete = chart.y_axis.delete = False
        chart.x_axis.tickLblPos = chart.y_axis.tickLblPos = "low"  # labels at the edges: the axes cross at 0
        for k, (phase, _) in enumerate(results):
            x = Reference(ws, min_col=1 + 2 * k, min_row=t.header_row + 1, max_row=t.header_row + len(picked[k]))
            y = Reference(ws, min_col=2 + 2 * k, min_row=t.header_row + 1, max_row=t.header_row + len(picked[k]))
            series = Series(y, x, title=f"Phase {phase}")
            colour = COLOURS[k % len(COLOURS)]
            series.marker.symbol = "circle"
            series.marker.size = 3
            series.marker.graphicalProperties = GraphicalProperties(solidFill=colour)
            series.marker.graphicalProperties.line.solidFill = colour
            series.graphicalProperties.line.noFill = True
            chart.series.append(series)
        chart.width, chart.height = 16, 10
        ws.add_chart(chart, f"{_col(len(columns) + 2)}{top + 1}")
        top = max(t.last_row, top + 21) + 2
    return top


def _col(n: int) -> str:
    return get_column_letter(n)
