"""The JSON contract of ``sr-cost compare --format json``: the two options, their difference and
ratio, the horizon, the prices, the sensitivity and the sentence, with the provenance every JSON
output carries. Money is a string with two decimals; other figures a stated number of places."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sr_cost.core.comparison import Basis, BreakEven, Comparison, Figures, Option, Swing
from sr_cost.core.runs import CompareRun
from sr_cost.core.sensitivity import ATTENDANCE_RANGE, HOURS_PER_DAY_RANGE, ROUNDS_PER_YEAR_RANGE, UNIT_COST_RANGE
from sr_cost.money import money_str, places
from sr_cost.outputs.json_csv import count, provenance
from sr_cost.outputs.json_savings import decision_dict
from sr_cost.outputs.wording import summary


def _figure(name: str, value: Decimal | None) -> str | None:
    return places(value, 2) if name in Figures.NOT_MONEY else money_str(value)


def _option_dict(o: Option) -> dict[str, Any]:
    figures = {name: _figure(name, value) for name, value in Figures.of(o).items()}
    s = o.saving
    return {
        "label": o.label,
        "description": o.description,
        "forms": o.path,
        "las": o.las,
        "rounds": o.rounds,
        "setup_las": o.setup_las,
        "per_round": {
            "panel": money_str(o.per_round.panel),
            "round": money_str(o.per_round.round),
            "steering": money_str(o.per_round.steering),
            "total": money_str(o.per_round.total),
        },
        "rounds_per_year": count(o.rounds_per_year),
        **figures,
        "savings": None
        if s is None
        else {
            "source": s.source,
            "phases": list(s.phases),
            "annual_saving_per_staff": money_str(s.annual_per_staff),
            "annual_saving_per_staff_ci_low": money_str(s.interval[0]) if s.interval else None,
            "annual_saving_per_staff_ci_high": money_str(s.interval[1]) if s.interval else None,
            "intervention_staff_per_la": places(s.staff_per_la, 2),
            "mean_hourly_cost": money_str(s.mean_hourly),
            "hours_per_day": places(s.hours_per_day, 2),
            # 95% intervals of the option's figures that hold the saving (an extrapolation), costs as known
            "intervals": {
                name: {"low": money_str(low), "high": money_str(high)}
                for name, (low, high) in o.saving_intervals.items()
            },
        },
        "decision": decision_dict(o.decision, o.decision_spread),
    }


def _horizon_dict(c: Comparison) -> dict[str, Any]:
    return {
        "years": c.years,
        "discount_rate": places(c.discount_rate, 4),
        "rule": "year 1: set-up + running cost; later years: running cost; year t (t = 0 first) x (1 + r)^-t",
        "options": [
            {
                "label": o.label,
                "by_year": [
                    {
                        "year": y.year,
                        "setup": money_str(y.setup),
                        "running": money_str(y.running),
                        "cost": money_str(y.total),
                        "discount_factor": places(y.discount_factor, 6),
                        "present_value": money_str(y.present_value),
                    }
                    for y in o.horizon.years
                ],
                "total": money_str(o.horizon.total),
                "present_value": money_str(o.horizon.present_value),
                "attendances_per_year": places(o.horizon.attendances_per_year, 2),
                "cost_per_attendee": money_str(o.horizon.cost_per_attendee),
            }
            for o in c.options
        ],
    }


def _swing_dict(label: str, s: Swing) -> dict[str, Any]:
    return {
        "label": label,
        "low": money_str(s.low),
        "high": money_str(s.high),
        "low_cost_per_attendee": money_str(s.low_per_attendee),
        "high_cost_per_attendee": money_str(s.high_per_attendee),
        "swing": money_str(s.width) if s.low is not None and s.high is not None else None,
    }


def _break_even_dict(b: BreakEven) -> dict[str, Any]:
    return {
        "label": b.label,
        "against": b.against,
        "attendees_per_round": places(b.attendees_per_round, 2),
        "cost_per_attendee": money_str(b.cost_per_attendee),
        "target_cost_per_attendee": money_str(b.target),
        "attendees_per_round_needed": places(b.attendees_needed, 2),
    }


def sensitivity_dict(c: Comparison) -> dict[str, Any] | None:
    s = c.sensitivity
    if s is None:
        return None
    labels = [o.label for o in c.options]
    return {
        "metric": s.metric,
        "base": [{"label": label, "value": money_str(v)} for label, v in zip(labels, s.base)],
        "ranges": {
            "attendance": [places(x, 2) for x in ATTENDANCE_RANGE],
            "unit_costs": [places(x, 2) for x in UNIT_COST_RANGE],
            "rounds_per_year": [places(x, 2) for x in ROUNDS_PER_YEAR_RANGE],
            "catering": ["dropped", "kept"],
            "hours_per_day": [places(x, 2) for x in HOURS_PER_DAY_RANGE],
            "saving_interval": ["95% interval low end", "high end"],
        },
        "rows": [
            {
                "key": r.key,
                "assumption": r.name,
                "low": r.low_label,
                "high": r.high_label,
                "options": [_swing_dict(label, sw) for label, sw in zip(labels, r.swings)],
            }
            for r in s.rows
        ],
        "break_even_attendance": [_break_even_dict(b) for b in s.break_even],
        "notes": list(s.notes),
    }


def _uplift_dict(c: Comparison) -> dict[str, Any]:
    u = c.uplift
    return {
        "price_year": u.price_year,
        "unit_costs_price_year": u.from_year,
        "method": u.method.value,
        "factor": places(u.factor, 6),
        "index": u.index_path,
        "index_sha256": u.index_sha256,
        "index_from": None if u.index_from is None else f"{u.index_from.normalize():f}",
        "index_to": None if u.index_to is None else f"{u.index_to.normalize():f}",
        "rate_pct": None if u.rate_pct is None else f"{u.rate_pct.normalize():f}",
        "note": u.describe(),
    }


def compare_to_dict(run: CompareRun) -> dict[str, Any]:
    """The stable JSON contract of ``sr-cost compare --format json`` (a ``CompareRun``)."""
    c = run.comparison
    payload = provenance(run.table, run.inputs)
    if run.index is not None:
        payload["inputs"].append({"path": run.index.path, "sha256": run.index.sha256})
    est = run.runs[0].estimate
    savings = next((r.savings for r in run.runs if r.savings is not None), None)
    payload.update(
        {
            "basis": c.basis.value,
            "prices": _uplift_dict(c),
            "assumptions": {
                "rounds_per_year": est.assumptions.rounds_per_year_in_use,
                "mileage_rate_gbp_per_mile": money_str(est.assumptions.mileage_rate),
                "years": c.years,
                "discount_rate": places(c.discount_rate, 4),
                "per_round": "mean over the option's LAs of their mean cost per round",
                "attendees_per_round": "mean over the option's LAs",
                "cost_per_attendee": "mean cost per round / mean attendees per round; pooled: all round costs / "
                "all attendance",
                "setup": (
                    "mean over all the set's LAs with training lines, the same for both modes"
                    if c.basis is Basis.mode
                    else "mean over the option's LAs with training lines"
                ),
                "savings": None
                if savings is None
                else {
                    "hours_per_day": places(savings.assumptions.hours_per_day, 2),
                    "recall_months": savings.assumptions.recall_months,
                    "absence_basis": savings.assumptions.absence_basis.value,
                    "bootstrap": savings.assumptions.bootstrap,
                    "seed": savings.assumptions.seed,
                    "scale": "annual saving per staff member x mean intervention staff per LA",
                },
            },
            "options": [_option_dict(o) for o in c.options],
            "difference": {name: _figure(name, value) for name, value in c.difference.items()},
            "ratio": {name: places(value, 4) for name, value in c.ratio.items()},
            "horizon": _horizon_dict(c),
            "sensitivity": sensitivity_dict(c),
            "summary": summary(c),
            "notes": list(c.notes),
        }
    )
    return payload
