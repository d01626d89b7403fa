"""The committee report, as a ``report_model.Report``: page one (the answer in plain English, the
headline figures, how sure, what moves the answer), the charts and tables, and the methods appendix
(``report_methods``).

Every figure is taken from the JSON payloads the other commands print (``json_csv.run_to_dict``
for the estimate and its savings, ``json_compare.compare_to_dict`` for the comparison), or from the
shared sentences of ``wording``, so the report's figures are the JSON's to the penny. Each section
draws on what the payloads hold: the decision figures (``savings.phases[i].decision``) and the
cost-effectiveness (``cost_effectiveness``) appear when a run has them, and are left out otherwise.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sr_cost.core.runs import ReportRun
from sr_cost.outputs.json_compare import compare_to_dict
from sr_cost.outputs.json_savings import run_to_dict
from sr_cost.outputs.report_charts import (
    COMPONENTS,
    ce_charts,
    ce_sentences,
    la_chart,
    m,
    mode_label,
    pair_chart,
    prob,
    tornado_charts,
)
from sr_cost.outputs.report_methods import methods, prices_short, rounds_a_year
from sr_cost.outputs.report_model import Report, Section, Table
from sr_cost.outputs.wording import BASIS_WORDS, LABELS, break_even_sentences, pct, phase_sentence, ranges_text

Payload = dict[str, Any]


def _range(low: str | None, high: str | None) -> str:
    """' (£1.00 to £2.00)', or nothing when the two are the same (one LA)."""
    return "" if low == high else f" ({m(low)} to {m(high)})"


def _answer(est: Payload, cmp: Payload | None) -> list[str]:
    o, phases = est["overall"], est["phases"]
    at = est["assumptions"]
    rpy = f"at {at['rounds_per_year']} rounds" if at["rounds_per_year"] is not None else f"({rounds_a_year(at)})"
    out = []
    if o["mean_setup"] is not None:
        out.append(
            f"Setting up costs {m(o['mean_setup'])} per LA on average{_range(o['min_setup'], o['max_setup'])}: "
            "the training lines of the forms, paid once."
        )
    else:
        out.append("The forms have no training lines, so no set-up cost is counted.")
    by_phase = (
        "; ".join(f"phase {p['phase']} {m(p['mean_total_per_round'])}" for p in phases) if len(phases) > 1 else ""
    )
    out.append(
        f"A round costs {m(o['mean_total_per_round'])} on average over the {o['las']} LA-phase{'s' * (o['las'] != 1)}"
        + _range(o["min_total_per_round"], o["max_total_per_round"])
        + (f"; {by_phase}" if by_phase else "")
        + "."
    )
    if cmp is not None:
        a, b = cmp["options"]
        out.append(
            f"Per attendee, a typical LA pays {m(a['cost_per_attendee'])} for {a['label']} rounds and "
            f"{m(b['cost_per_attendee'])} for {b['label']} rounds (pooled over every round: "
            f"{m(a['pooled_cost_per_attendee'])} and {m(b['pooled_cost_per_attendee'])})."
        )
    else:
        modes = "; ".join(f"{mode_label(x['mode'])} {m(x['cost_per_attendee'])}" for x in est["modes"])
        out.append(f"Per attendee (all the rounds of a mode pooled): {modes}.")
    yearly = "; ".join(f"phase {p['phase']} {m(p['annual_cost'])}" for p in phases) if len(phases) > 1 else ""
    out.append(f"A year {rpy} costs a typical LA {m(o['annual_cost'])}" + (f" ({yearly})" if yearly else "") + ".")
    if cmp is not None:
        a, b = cmp["options"]
        h = cmp["horizon"]
        out.append(
            f"Over {h['years']} years, discounted at {pct(Decimal(h['discount_rate']))} a year, in "
            f"{cmp['prices']['price_year']} prices, the present value of a typical LA's set-up and rounds is "
            f"{m(a['present_value'])} for {a['label']} rounds and {m(b['present_value'])} for {b['label']} rounds."
        )
    return out


def _key_figures(cmp: Payload) -> Table:
    a, b = cmp["options"]
    h = cmp["horizon"]
    fmt = {"n": h["years"], "rpy": a["rounds_per_year"], "r": pct(Decimal(h["discount_rate"]))}
    names = [
        "setup",
        "mean_total_per_round",
        "attendees_per_round",
        "cost_per_attendee",
        "annual_cost",
        "present_value",
    ]
    if a["annual_saving"] is not None and b["annual_saving"] is not None:
        # the savings themselves, with their intervals, are in the next section (page one has no room
        # for an option's extrapolated saving and its interval here as well)
        names += ["break_even_sick_days"]
    rows = []
    for name in names:
        show = (lambda x: x) if name in ("attendees_per_round", "break_even_sick_days") else m
        diff = cmp["difference"][name]
        rows.append((LABELS[name].format(**fmt).strip(), show(a[name]), show(b[name]), show(diff)))
    heads = (
        "",
        mode_label(a["label"]),
        mode_label(b["label"]),
        f"{mode_label(b['label'])} − {mode_label(a['label'])}",
    )
    return Table(heads, tuple(rows), caption="A typical LA, each option (the comparison's figures)")


def _phase_table(est: Payload) -> Table:
    rows = tuple(
        (
            p["phase"],
            str(p["las"]),
            m(p["mean_total_per_round"]),
            f"{m(p['min_total_per_round'])} to {m(p['max_total_per_round'])}",
            m(p["annual_cost"]),
            m(p["mean_setup"]) if p["mean_setup"] else "—",
        )
        for p in est["phases"]
    )
    o = est["overall"]
    rows += (
        (
            "all",
            str(o["las"]),
            m(o["mean_total_per_round"]),
            f"{m(o['min_total_per_round'])} to {m(o['max_total_per_round'])}",
            m(o["annual_cost"]),
            m(o["mean_setup"]) if o["mean_setup"] else "—",
        ),
    )
    heads = ("Phase", "LAs", "Mean per round", "Range over LAs", "A year", "Mean set-up")
    return Table(heads, rows, caption="By phase: means over LAs", text_columns=2)


def _interval(low: str | None, high: str | None, show=None) -> str:
    show = show or m
    return "—" if low is None or high is None else f"{show(low)} to {show(high)}"


def _savings_section(run: ReportRun, est: Payload) -> Section:
    """Page one's savings: the saving per staff member and how sure, then what it would be worth if
    it held for every intervention staff member (issue 14's decision figures), as two small tables."""
    s = run.estimate.savings
    if s is None:
        return Section(
            "What they may save",
            ("The forms have no survey, so no sickness-absence saving is estimated (see `sr-cost savings`).",),
        )
    phases = est["savings"]["phases"]
    recall = s.assumptions.recall_months
    sure = Table(
        ("Phase", f"Saving per staff member, {recall} months", "95% interval", "P(saving > 0)", "Staff answering"),
        tuple(
            (
                p["phase"],
                m(p["saving_per_staff"]),
                _interval(p["saving_ci_low"], p["saving_ci_high"]),
                prob(p["p_saving_positive"]),
                prob(p["response"]["share"]) if p.get("response") and p["response"]["share"] else "—",
            )
            for p in phases
        ),
        caption="The saving: control group's mean sickness-absence cost less the intervention group's",
    )
    tables = [sure]
    decided = [p for p in phases if p.get("decision")]
    if decided:
        years = decided[0]["decision"]["years"]
        pays = Table(
            (
                "Phase",
                f"£ back per £1, {years} years (PV)",
                "95% interval",
                "P(≥ £1 back)",
                "Payback",
                "Most set-up fee an LA",
                "Most cost a round",
                "Least saving per staff a year",
            ),
            tuple(
                (
                    p["phase"],
                    m(d["roi"]),
                    _interval(d["roi_ci_low"], d["roi_ci_high"]),
                    prob(d["p_roi_at_least_1"]),
                    f"{d['payback_months']} months" if d["payback_months"] is not None else f"not in {years} years",
                    m(d["max_setup_fee"]),
                    m(d["max_cost_per_round"]),
                    m(d["break_even_saving_per_staff"]),
                )
                for p in decided
                for d in [p["decision"]]
            ),
            caption="If that saving held for every intervention staff member (an extrapolation)",
        )
        tables.append(pays)
    unclear = [p["phase"] for p in phases if p["saving_ci_low"] is not None and Decimal(p["saving_ci_low"]) <= 0]
    paragraphs = []
    if unclear:
        which = "every phase's" if len(unclear) == len(phases) else "phase " + ", ".join(unclear) + "'s"
        paragraphs.append(
            f"The 95% interval of {which} saving includes no saving at all: the data are consistent with "
            "no saving, or a loss."
        )
    notes = (
        f"Valued at {BASIS_WORDS[s.assumptions.absence_basis]}. The second table assumes the survey's "
        "respondents are like the staff who did not answer and that the difference lasts every year; the "
        "'most' and 'least' figures each give a net present value of 0 with the rest as it is.",
    )
    return Section("What they may save, and how sure", paragraphs=tuple(paragraphs), tables=tuple(tables), notes=notes)


def _moves(run: ReportRun, cmp: Payload | None) -> Section | None:
    if cmp is None or cmp.get("sensitivity") is None:
        return None
    s = cmp["sensitivity"]
    bullets = []
    for r in s["rows"][:3]:
        ends = "; ".join(
            f"{mode_label(o['label'])} {m(o['low'])} ({r['low']}) to {m(o['high'])} ({r['high']})"
            for o in r["options"]
            if o["low"] is not None and o["high"] is not None
        )
        bullets.append(f"{r['assumption']}: {s['metric']} {ends}.")
    base = ", ".join(f"{mode_label(b['label'])} {m(b['value'])}" for b in s["base"])
    return Section(
        "What moves the answer most",
        (f"The three assumptions whose range moves the {s['metric']} most (now: {base}):",),
        bullets=tuple(bullets),
    )


def _la_table(est: Payload) -> Table:
    rows = tuple(
        (
            la["la"],
            la["phase"],
            f"{la['rounds_in_person']} / {la['rounds_virtual']}",
            m(la["setup"]["total"]) if la["setup"] else "—",
            *(m(la["per_round"][c]) for c in (*COMPONENTS, "total")),
            la["attendees_per_round"] or "—",
            m(la["cost_per_attendee"]),
            m(la["annual_cost"]),
        )
        for la in est["las"]
    )
    heads = ("LA", "Phase", "Rounds in person / virtual", "Set-up", "Panel", "Round", "Steering", "Per round")
    heads += ("Attendees a round", "Per attendee", "A year")
    return Table(heads, rows, caption="Per LA and phase (the report's Tables 19 and 20)", text_columns=3)


def _savings_table(est: Payload) -> Table | None:
    s = est.get("savings")
    if s is None:
        return None
    rows = tuple(
        (
            f"phase {p['phase']}",
            f"{p['n_intervention']} / {p['n_control']}",
            m(p["mean_cost_intervention"]),
            m(p["mean_cost_control"]),
            m(p["saving_per_staff"]),
            f"{m(p['saving_ci_low'])} to {m(p['saving_ci_high'])}" if p["saving_ci_low"] is not None else "—",
            prob(p["p_saving_positive"]),
            m(p["net_annual_cost"]),
            prob(p["p_pays_for_itself"]),
        )
        for p in s["phases"]
    )
    for how in ("combined", "pooled"):
        c = s[how]
        rows += (
            (
                how,
                "",
                m(c["mean_cost_intervention"]),
                m(c["mean_cost_control"]),
                m(c["saving_per_staff"]),
                "",
                "",
                "",
                "",
            ),
        )
    heads = ("", "Respondents (intervention / control)", "Intervention mean", "Control mean", "Saving per staff member")
    heads += ("95% interval", "P(saving > 0)", "Net cost a year", "P(pays for itself)")
    return Table(
        heads, rows, caption="Sickness-absence cost per staff member over the recall period (the report's Table 21)"
    )


def payloads(run: ReportRun, command: str) -> tuple[Payload, Payload | None]:
    """The JSON payloads of ``estimate`` (with the command line) and of ``compare`` for the run."""
    est = run_to_dict(run.estimate)
    est["command"] = command
    return est, compare_to_dict(run.comparison) if run.comparison is not None else None


def build_report(run: ReportRun, command: str, ce_points: dict | None = None) -> Report:
    """The report of a run; ``command`` is the command line that made it (for the provenance);
    ``ce_points``: the cost-effectiveness resamples to plot, per (phase, outcome), when kept."""
    est, cmp = payloads(run, command)
    return report_from(run, est, cmp, ce_points)


def report_from(run: ReportRun, est: Payload, cmp: Payload | None, ce_points: dict | None = None) -> Report:
    """The report from the run's payloads: each section from what they hold."""
    summary = [Section("The answer", bullets=tuple(_answer(est, cmp)))]
    if cmp is not None:
        a, b = (mode_label(o["label"]) for o in cmp["options"])
        summary.append(Section(f"{a.capitalize()} against {b}", (cmp["summary"],)))
    summary.append(_savings_section(run, est))
    moves = _moves(run, cmp)
    if moves is not None:
        summary.append(moves)
    chart_list = [la_chart(est)]
    if cmp is not None:
        chart_list += [pair_chart(cmp), *tornado_charts(cmp)]
    chart_list += ce_charts(est, ce_points)
    ce = ce_sentences(est)
    # the cost-effectiveness opens page two: page one (one A4 page) keeps the cost and saving's answer
    body = [Section("What a point of wellbeing costs", bullets=tuple(ce))] if ce else []
    body += [
        Section("Charts", charts=tuple(chart_list)),
        Section("Cost by LA", tables=(_la_table(est), _phase_table(est))),
    ]
    table = _savings_table(est)
    if table is not None:
        sentences = tuple(phase_sentence(p, run.estimate.savings) for p in run.estimate.savings.phases)
        body.append(Section("Savings", bullets=sentences, tables=(table,)))
    if run.comparison is not None and run.comparison.comparison.sensitivity is not None:
        sens = run.comparison.comparison.sensitivity
        body.append(Section("Sensitivity", (ranges_text(sens), *break_even_sentences(sens), *sens.notes)))
    rounds = sum(la["rounds"] for la in est["las"])
    subtitle = (
        f"{run.estimate.estimate.path}: {est['overall']['las']} LA-phases, {rounds} rounds; "
        f"{prices_short(est)}; sr-cost {est['sr_cost_version']}"
    )
    return Report(
        title="Schwartz Rounds: what they cost, and what they may save",
        subtitle=subtitle,
        summary=tuple(summary),
        body=tuple(body),
        methods=tuple(methods(run, est, cmp)),
        key_figures=_key_figures(cmp) if cmp is not None else _phase_table(est),
        footer=f"Made by {est.get('command', 'sr-cost report')}",
    )
