"""The report's charts, each drawn (``outputs.charts``) from the JSON payloads the report is built
from, with its figures as a table (which the Word report shows instead), and the sentences of the
cost-effectiveness section, when a run has one (the ``cost_effectiveness`` object of the estimate's
JSON: per phase, per outcome, the difference, the ratio and its label, the quadrants and the
acceptability curve)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sr_cost.money import gbp, percent, places
from sr_cost.outputs import charts
from sr_cost.outputs.report_model import Chart, Table

Payload = dict[str, Any]
COMPONENTS = ("panel", "round", "steering")


def m(text: str | None) -> str:
    """A money string of the JSON (two decimals) as the report shows it: £1,234.56."""
    return "n/a" if text is None else gbp(Decimal(text))


def num(text: str | None) -> float:
    """A JSON figure as a float, to place a mark on a chart (never to show it)."""
    return 0.0 if text is None else float(Decimal(text))


def prob(text: str | None) -> str:
    return "n/a" if text is None else percent(Decimal(text))


def mode_label(label: str) -> str:
    return "in person" if label == "in-person" else label


def _better_by(o: Payload, key: str) -> str:
    """A difference of the JSON as page one says it: points to 2 places, cases per 100 staff to 1."""
    text = o.get(key)
    if text is None:
        return "n/a"
    value = Decimal(text)
    return places(value * 100, 1) if o.get("kind") == "caseness" else places(value, 2)


def ce_sentences(est: Payload) -> list[str]:
    """One short sentence per phase and outcome of issue 15's ``cost_effectiveness`` object (page
    one: the terminal and the JSON have sr-cost's longer sentence)."""
    ce = est.get("cost_effectiveness")
    out = []
    for ph in (ce or {}).get("phases", []):
        for o in ph.get("outcomes", []):
            caseness = o.get("kind") == "caseness"
            label = o.get("icer_label")
            if label == "dominant":
                ratio = "the rounds dominate (cheaper and better)"
            elif label == "dominated":
                ratio = "the rounds are dominated (dearer and worse)"
            elif o.get("icer") is not None:
                ratio = f"{m(o['icer'])} per {'case avoided' if caseness else 'point of improvement'}"
            else:
                ratio = "no ratio"
            unit = "cases avoided per 100 staff" if caseness else "points better"
            q = o.get("quadrants") or {}
            sure = f"; {prob(q['se'])} of resamples better and cheaper" if "se" in q else ""
            out.append(
                f"Phase {ph['phase']}, {o.get('label', o['outcome'])}: {_better_by(o, 'difference')} {unit} "
                f"(95% interval {_better_by(o, 'difference_ci_low')} to {_better_by(o, 'difference_ci_high')}), "
                f"{m(ph.get('incremental_cost_per_staff'))} per staff member after the absence saving: {ratio}"
                + (f"; net monetary benefit {m(o['nmb_at_wtp'])}" if o.get("nmb_at_wtp") is not None else "")
                + sure
                + "."
            )
    return out


def ce_charts(est: Payload, points: dict[tuple[str, str], list[tuple[float, float]]] | None = None) -> list[Chart]:
    """The plane and the acceptability curve of each phase and outcome; ``points`` (the resamples'
    (effect, cost), per (phase, outcome)) when the run kept them, else the point estimate alone."""
    ce = est.get("cost_effectiveness")
    out = []
    for ph in (ce or {}).get("phases", []):
        for o in ph.get("outcomes", []):
            name = f"phase {ph['phase']}, {o.get('label', o['outcome'])}"
            per = "£ a case avoided" if o.get("kind") == "caseness" else "£ a point"
            q = o.get("quadrants") or {}
            shares = {k: prob(v) for k, v in q.items()}
            pts = (points or {}).get((ph["phase"], o["outcome"]), [])
            estimate = (num(o["difference"]), num(ph.get("incremental_cost_per_staff")))
            svg = charts.ce_plane(pts, estimate, f"Cost-effectiveness plane, {name}", "better", shares)
            data = Table(
                ("quadrant", "share of resamples"),
                tuple((k, shares[k]) for k in ("ne", "nw", "se", "sw") if k in shares),
            )
            out.append(
                Chart(
                    f"Cost-effectiveness plane: {name}",
                    svg,
                    data,
                    "Right: the intervention group did better; up: it cost more.",
                )
            )
            curve = [(num(c["wtp"]), num(c["p_cost_effective"])) for c in o.get("ceac", [])]
            if curve:
                svg = charts.acceptability_curve(curve, f"Acceptability curve, {name}", f"willingness to pay ({per})")
                data = Table((per, "probability"), tuple((m(c["wtp"]), prob(c["p_cost_effective"])) for c in o["ceac"]))
                out.append(Chart(f"Acceptability curve: {name}", svg, data))
    return out


def la_chart(est: Payload) -> Chart:
    bars = [
        charts.Bar(
            f"{la['la']} (phase {la['phase']})",
            tuple(num(la["per_round"][c]) for c in COMPONENTS),
            m(la["per_round"]["total"]),
        )
        for la in est["las"]
    ]
    rows = tuple(
        (la["la"], la["phase"], *(m(la["per_round"][c]) for c in COMPONENTS), m(la["per_round"]["total"]))
        for la in est["las"]
    )
    data = Table(("LA", "Phase", "Panel", "Round", "Steering", "Total"), rows, text_columns=2)
    svg = charts.stacked_bars(bars, ["panel", "round", "steering"], "Mean cost per round by LA and component")
    return Chart("Mean cost per round by LA and component", svg, data)


def pair_chart(cmp: Payload) -> Chart:
    a, b = cmp["options"]
    names = (mode_label(a["label"]), mode_label(b["label"]))
    years = cmp["horizon"]["years"]
    figures = [
        ("Set-up", "setup"),
        ("Per round", "mean_total_per_round"),
        ("Per attendee", "cost_per_attendee"),
        ("A year", "annual_cost"),
        (f"Present value over {years} years", "present_value"),
    ]
    panels = [charts.Pair(title, (num(a[k]), num(b[k])), (m(a[k]), m(b[k]))) for title, k in figures]
    title = f"{names[0].capitalize()} against {names[1]}: a typical LA"
    data = Table(("", *names), tuple((p.title, *p.texts) for p in panels))
    return Chart(title, charts.paired_bars(panels, names, title), data)


def tornado_charts(cmp: Payload) -> list[Chart]:
    s = cmp.get("sensitivity")
    if s is None:
        return []
    out = []
    for k, base in enumerate(s["base"]):
        rows = []
        for r in s["rows"]:
            o = r["options"][k]
            if o["low"] is None or o["high"] is None:
                continue
            rows.append(charts.Swing(r["assumption"], num(o["low"]), num(o["high"]), m(o["low"]), m(o["high"])))
        title = f"What moves the {s['metric']}: {mode_label(base['label'])}"
        svg = charts.tornado(rows, num(base["value"]), m(base["value"]), title, ("low end", "high end"))
        data = Table(("assumption", "low end", "high end"), tuple((r.label, r.low_text, r.high_text) for r in rows))
        out.append(Chart(title, svg, data, "Each bar runs from today's figure to the figure at one end of the range."))
    return out
