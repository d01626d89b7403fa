"""The ``cost_effectiveness`` object of the JSON contract (``estimate`` and ``savings``, when the
survey has an outcome). Money is a string with two decimals, probabilities with three, differences
with four (a share of cases is a difference of 0 to 1)."""

from __future__ import annotations

from typing import Any

from sr_cost.core.effectiveness import CostEffectiveness, OutcomeResult, PhaseEffect, Quadrant
from sr_cost.core.outcomes import Kind
from sr_cost.money import money_str, places
from sr_cost.outputs.wording_effect import PERSPECTIVE_NOTE, outcome_sentence

DIFFERENCE_PLACES = 4


def _d(value) -> str | None:
    return places(value, DIFFERENCE_PLACES)


def _outcome(p: PhaseEffect, r: OutcomeResult) -> dict[str, Any]:
    e, v, q = r.effect, r.verdict, r.quadrants
    out: dict[str, Any] = {
        "outcome": r.outcome.column,
        "label": r.outcome.label,
        "kind": r.outcome.kind.value,
        "better": r.outcome.better.value,
        "n_intervention": e.n_intervention,
        "n_control": e.n_control,
        "mean_intervention": _d(e.mean_intervention),
        "mean_control": _d(e.mean_control),
        "difference": _d(e.difference),
        "difference_ci_low": None if r.difference_ci is None else _d(r.difference_ci.low),
        "difference_ci_high": None if r.difference_ci is None else _d(r.difference_ci.high),
        "adjusted_difference": _d(e.adjusted),
        "n_adjusted": e.n_adjusted,
        "headline": "difference",
        "icer": None if v is None else money_str(v.icer),
        "icer_label": None if v is None else v.label.value,
        "quadrant": None if v is None else v.quadrant.value,
        "icer_before_saving": None if r.verdict_before_saving is None else money_str(r.verdict_before_saving.icer),
        "icer_label_before_saving": None if r.verdict_before_saving is None else r.verdict_before_saving.label.value,
        "icer_ci_low": None if r.icer_ci is None else money_str(r.icer_ci.low),
        "icer_ci_high": None if r.icer_ci is None else money_str(r.icer_ci.high),
        "wtp": money_str(r.wtp),
        "nmb_at_wtp": money_str(r.nmb),
        "p_cost_effective_at_wtp": places(r.p_at_wtp, 3),
        "resamples": None if r.plane is None else len(r.plane),
        "resamples_left_out": r.resamples_left_out,
        "quadrants": None if q is None else {k.value: places(q[k], 3) for k in Quadrant},
        "ceac": [{"wtp": money_str(c.wtp), "p_cost_effective": places(c.p_cost_effective, 3)} for c in r.curve],
        "sentence": outcome_sentence(p, r),
    }
    if r.outcome.kind is Kind.caseness:
        out["cases_avoided_per_100"] = places(r.cases_avoided_per_100, 2)
        out["cost_per_case_avoided"] = money_str(r.cost_per_case_avoided)
    return out


def effectiveness_to_dict(ce: CostEffectiveness) -> dict[str, Any]:
    s = ce.savings
    return {
        "assumptions": {
            "perspective": "employer",
            "per": "intervention staff member (intention to treat)",
            "horizon_years": s.years,
            "discount_rate": places(s.discount_rate, 4),
            "absence_basis": s.absence_basis.value,
            "bootstrap": s.bootstrap,
            "seed": s.seed,
            "wtp_points": [
                {
                    "outcome": o.column,
                    "per": o.unit,
                    "stated": money_str(ce.assumptions.wtp(o)),
                    "from": money_str(ce.curves[o.column][0]) if o.column in ce.curves else None,
                    "to": money_str(ce.curves[o.column][-1]) if o.column in ce.curves else None,
                    "points": len(ce.curves.get(o.column, ())),
                }
                for o in ce.outcomes
            ],
            "headline": "unadjusted difference of the group means among those who answered at follow-up; "
            "adjusted_difference (OLS of follow-up on group and baseline) beside it",
            "note": PERSPECTIVE_NOTE,
        },
        "phases": [
            {
                "phase": p.phase,
                "incremental_cost_per_staff": None if p.cost is None else money_str(p.cost.after_saving),
                "incremental_cost_per_staff_before_saving": None if p.cost is None else money_str(p.cost.before_saving),
                "outcomes": [_outcome(p, r) for r in p.outcomes],
            }
            for p in ce.phases
        ],
    }


def plane_points(ce: CostEffectiveness | None, limit: int = 1000) -> dict[tuple[str, str], list[tuple[float, float]]]:
    """Each phase and outcome's resamples as (effect, cost per staff member) points to draw on a
    plane, at most ``limit`` (every k-th, in order): floats, for placing marks, never for showing."""
    out: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for p in ce.phases if ce is not None else ():
        for r in p.outcomes:
            if r.plane is None:
                continue
            n = len(r.plane)
            step = max(1, -(-n // limit))
            e, c = r.plane.effect.approx[::step], r.plane.cost_approx[::step]
            out[(p.phase, r.outcome.column)] = list(zip(e.tolist(), c.tolist()))
    return out
