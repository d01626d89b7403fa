"""The ``savings`` object of the JSON contract (``estimate`` and ``savings``), the savings CSV, and
the decision figures' object (also each option's in ``compare``). Money is a string with two
decimals; ROI with two decimals; probabilities with three; other figures a stated number of places."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

from sr_cost.core.bootstrap import Interval
from sr_cost.core.decision import Decision
from sr_cost.core.runs import EstimateRun
from sr_cost.core.savings import CombinedSavings, DecisionSpread, PhaseSavings, Savings
from sr_cost.money import money_str, places
from sr_cost.outputs.json_csv import csv_safe, estimate_to_dict, number_str, prices_dict, provenance
from sr_cost.outputs.json_effect import effectiveness_to_dict
from sr_cost.outputs.wording import BASIS_NOTE, EXTRAPOLATION_ASSUMPTIONS, extrapolation, phase_sentence


def probability_str(value: Decimal | None) -> str | None:
    """Probabilities as strings with three decimals ('0.670')."""
    return places(value, 3)


def _low(i: Interval | None) -> str | None:
    return None if i is None else money_str(i.low)


def _high(i: Interval | None) -> str | None:
    return None if i is None else money_str(i.high)


def decision_dict(d: Decision | None, spread: DecisionSpread | None = None) -> dict[str, Any] | None:
    """The decision figures: ``net_first_year`` and ``net_present_value`` are of the net cost
    (negative: the rounds save more than they cost); ROI is £ back per £1 at present value."""
    if d is None:
        return None
    return {
        "setup": money_str(d.setup),
        "running_cost_year": money_str(d.running_cost_year),
        "saving_year": money_str(d.saving_year),
        "years": d.years,
        "discount_rate": places(d.discount_rate, 4),
        "net_first_year": money_str(d.net_first_year),
        "net_present_value": money_str(d.net_present_value),
        "roi": places(d.roi, 2),
        "roi_first_year": places(d.roi_first_year, 2),
        "payback_months": places(d.payback_months, 2),
        "max_setup_fee": money_str(d.max_setup_fee),
        "max_cost_per_round": money_str(d.max_cost_per_round),
        "break_even_saving_per_staff": money_str(d.break_even_saving_per_staff),
        "break_even_sick_days_per_staff": places(d.break_even_sick_days_per_staff, 2),
        "roi_ci_low": None if spread is None else places(spread.roi.low, 2),
        "roi_ci_high": None if spread is None else places(spread.roi.high, 2),
        "net_present_value_ci_low": _low(spread.net_present_value if spread else None),
        "net_present_value_ci_high": _high(spread.net_present_value if spread else None),
        "p_roi_at_least_1": None if spread is None else probability_str(spread.p_roi_at_least_1),
        "p_payback_within_horizon": None if spread is None else probability_str(spread.p_payback_within_horizon),
    }


def _phase(p: PhaseSavings, s: Savings) -> dict[str, Any]:
    r = p.response
    return {
        "phase": p.phase,
        "n_intervention": p.intervention.n,
        "n_control": p.control.n,
        "mean_sick_days_intervention": number_str(p.intervention.mean_sick_days),
        "mean_sick_days_control": number_str(p.control.mean_sick_days),
        "mean_cost_intervention": money_str(p.intervention.mean_cost),
        "mean_cost_control": money_str(p.control.mean_cost),
        "saving_per_staff": money_str(p.saving_per_staff),
        "saving_ci_low": _low(p.saving_ci),
        "saving_ci_high": _high(p.saving_ci),
        "p_saving_positive": probability_str(p.p_saving_positive),
        "annual_saving_per_staff": money_str(p.annual_saving_per_staff),
        "las_with_staff": list(p.las_with_staff),
        "intervention_staff": p.intervention_staff,
        "annual_saving_total": money_str(p.annual_saving_total),
        "annual_running_cost": money_str(p.annual_running_cost),
        "net_annual_cost": money_str(p.net_annual_cost),
        "net_ci_low": _low(p.net_ci),
        "net_ci_high": _high(p.net_ci),
        "p_pays_for_itself": probability_str(p.p_pays_for_itself),
        "break_even_sick_days_per_staff": number_str(p.break_even_sick_days_per_staff),
        "by_basis": [
            {
                "basis": b.basis.value,
                "saving_per_staff": money_str(b.saving_per_staff),
                "annual_saving_per_staff": money_str(b.annual_saving_per_staff),
            }
            for b in p.by_basis
        ],
        "response": None
        if r is None
        else {
            "intervention_respondents": r.intervention_respondents,
            "intervention_staff": r.intervention_staff,
            "control_respondents": r.control_respondents,
            "control_staff": r.control_staff,
            "share": probability_str(r.share),
            "low": r.low,
        },
        "extrapolation": extrapolation(p),
        "decision": decision_dict(p.decision, p.decision_spread),
        "sentence": phase_sentence(p, s),
    }


def savings_to_dict(s: Savings) -> dict[str, Any]:
    """The ``savings`` object of the JSON contract."""
    a = s.assumptions
    return {
        "assumptions": {
            "hours_per_day": number_str(a.hours_per_day),
            "recall_months": a.recall_months,
            "absence_basis": a.absence_basis.value,
            "agency_rate": money_str(a.agency_rate),
            "horizon_years": a.years,
            "discount_rate": places(a.discount_rate, 4),
            "bootstrap": a.bootstrap,
            "seed": a.seed,
            "confidence": "0.95",
            "resampling": "respondents, within group and phase",
            "basis_note": BASIS_NOTE,
            "extrapolation": list(EXTRAPOLATION_ASSUMPTIONS),
        },
        "phases": [_phase(p, s) for p in s.phases],
        "combined": _combined(s.combined),
        "pooled": _combined(s.pooled),
    }


def _combined(c: CombinedSavings) -> dict[str, Any]:
    return {
        "method": c.method,
        "mean_cost_intervention": money_str(c.mean_cost_intervention),
        "mean_cost_control": money_str(c.mean_cost_control),
        "saving_per_staff": money_str(c.saving_per_staff),
    }


def savings_csv(s: Savings) -> str:
    """One row per phase, then the combined and pooled rows."""
    d = savings_to_dict(s)
    columns = [k for k in d["phases"][0] if k != "las_with_staff"] if d["phases"] else []
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for p in d["phases"]:
        writer.writerow([csv_safe(str(p[c])) if p[c] is not None else "" for c in columns])
    for name in ("combined", "pooled"):
        c = d[name]
        writer.writerow([name if col == "phase" else (c.get(col) or "") for col in columns])
    return buffer.getvalue()


# --- the unit-cost table -----------------------------------------------------------------------


def run_to_dict(run: EstimateRun) -> dict[str, Any]:
    """``estimate --format json``: the estimate, and ``savings`` when the forms have a survey."""
    payload = estimate_to_dict(run.estimate, run.table)
    if run.savings is not None:
        payload["savings"] = savings_to_dict(run.savings)
    if run.cost_effectiveness is not None:
        payload["cost_effectiveness"] = effectiveness_to_dict(run.cost_effectiveness)
    return payload


def savings_only_dict(run: EstimateRun) -> dict[str, Any]:
    """``savings --format json``: provenance (and the prices, when re-priced), the savings object and,
    with outcomes in the survey, the cost-effectiveness."""
    prices = prices_dict(run.estimate)
    payload = {
        **provenance(run.table, run.estimate.inputs),
        **({"prices": prices} if prices else {}),
        "savings": savings_to_dict(run.savings),
    }
    if run.cost_effectiveness is not None:
        payload["cost_effectiveness"] = effectiveness_to_dict(run.cost_effectiveness)
    return payload
