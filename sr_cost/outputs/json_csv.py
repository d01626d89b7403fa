"""Machine-readable renderings of results: the JSON contracts and CSV layouts of estimate, savings
and the unit-cost table, and the provenance every JSON output carries (compare's JSON:
``json_compare``).

Money is a string with two decimals (rounded half-up); other decimal figures (attendees per
round) are strings with a stated number of decimals too, so no figure passes through a float.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from sr_cost import __version__
from sr_cost.core.estimate import Components, Estimate, LaEstimate, ModeFigures, Setup
from sr_cost.core.prices import UpliftMethod
from sr_cost.core.unit_costs import UnitCost, UnitCostTable
from sr_cost.money import money_str, places
from sr_cost.outputs import wording

CSV_COLUMNS = (
    "la",
    "phase",
    "mode",
    "rounds",
    "setup_direct",
    "setup_indirect",
    "setup_total",
    "panel_per_round",
    "round_per_round",
    "steering_per_round",
    "total_per_round",
    "attendances",
    "attendees_per_round",
    "cost_per_attendee",
    "annual_cost",
    "first_year_cost",
)


UNIT_COST_COLUMNS = ("role", "salary", "on_costs", "overheads", "unit_cost_hour")


def csv_safe(text: str) -> str:
    """Neutralise text a spreadsheet would run as a formula (=, +, -, @ at the start)."""
    if text and text[0] in "=+-@\t\r" and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
        return True
    except Exception:
        return False


def number_str(value: Decimal | None) -> str | None:
    """Non-money decimals (counts of people that may be fractional, ratios): two decimals."""
    return money_str(value)


def count(value: Decimal) -> int | str:
    """Attendances are whole people in practice; keep them as ints when they are."""
    return int(value) if value == value.to_integral_value() else number_str(value)


def _components(c: Components) -> dict[str, str]:
    return {
        "panel": money_str(c.panel),
        "round": money_str(c.round),
        "steering": money_str(c.steering),
        "total": money_str(c.total),
    }


def _setup(s: Setup | None) -> dict[str, str] | None:
    if s is None:
        return None
    return {"direct": money_str(s.direct), "indirect": money_str(s.indirect), "total": money_str(s.total)}


def _mode(m: ModeFigures) -> dict[str, Any]:
    return {
        "rounds": m.rounds,
        "total_per_round": money_str(m.total_per_round),
        "per_round": _components(m.per_round),
        "attendances": count(m.attendances),
        "cost_per_attendee": money_str(m.cost_per_attendee),
    }


def _la(la: LaEstimate) -> dict[str, Any]:
    return {
        "la": la.la,
        "phase": la.phase,
        "rounds": la.rounds,
        "rounds_in_person": la.rounds_in_person,
        "rounds_virtual": la.rounds_virtual,
        "setup": _setup(la.setup),
        "per_round": _components(la.per_round),
        "attendances": count(la.attendances),
        "attendees_per_round": number_str(la.attendees_per_round),
        "cost_per_attendee": money_str(la.cost_per_attendee),
        "annual_cost": money_str(la.annual_cost),
        "first_year_cost": money_str(la.first_year_cost),
        "modes": {m.value: _mode(f) for m, f in la.modes.items()},
        "rounds_per_year": count(la.rounds_per_year),
        "annual_steering": money_str(la.annual_steering),
    }


def provenance(table: UnitCostTable, inputs, command: list[str] | None = None) -> dict[str, Any]:
    return {
        "sr_cost_version": __version__,
        "unit_costs": {
            "source": table.source.name,
            "path": table.path,
            "price_year": table.price_year,
            "sha256": table.sha256,
            "parameters": table.params_path,
            "name": table.shown_as,
        },
        "inputs": [{"path": i.path, "sha256": i.sha256} for i in inputs],
        **({"command": command} if command else {}),
    }


def assumptions_dict(est: Estimate) -> dict[str, Any]:
    a = est.assumptions
    prices = a.prices
    return {
        "rounds_per_year": a.rounds_per_year_in_use,
        "mileage_rate_gbp_per_mile": money_str(a.mileage_rate),
        "price_year_note": price_year_note(est),
        "untied_lines": (
            "panel and steering lines with no round are spread evenly over the LA-phase's rounds"
            if a.period_months is None
            else "panel lines with no round are spread evenly over the LA-phase's rounds; steering lines with no "
            "round are costs of the period (in the annual cost: their cost x 12 / period), shown per round as an "
            "even share"
        ),
        "cost_per_attendee": "an LA's round costs divided by its own attendance",
        "period_months": a.period_months,
        "forms_price_year": None if prices is None else prices.forms_price_year,
        "rounds_per_year_basis": wording.rounds_basis(a),
        **({"notes": list(prices.notes)} if prices is not None and prices.notes else {}),
    }


def price_year_note(est: Estimate) -> str:
    """Which prices the figures are in (the JSON's ``price_year_note``)."""
    prices = est.assumptions.prices
    if prices is None or (prices.method is UpliftMethod.none and not prices.mixed and not prices.notes):
        return "all figures are in the unit-cost table's price year"
    return prices.describe()


def prices_dict(est: Estimate) -> dict[str, Any] | None:
    """The ``prices`` object of the JSON contract, when the figures were re-priced."""
    u = est.assumptions.prices
    if u is None or u.method is UpliftMethod.none:
        return None
    return {
        "to_year": u.to_year,
        "method": u.method.value,
        "staff_time_factor": places(u.staff_time_factor, 6),
        "forms_money_factor": places(u.forms_money_factor, 6),
        "staff_time_price_year": u.from_year,
        "forms_price_year": u.forms_price_year,
        "index": u.index_path,
        "index_sha256": u.index_sha256,
        "rate_pct": None if u.rate_pct is None else f"{u.rate_pct.normalize():f}",
        "note": u.describe(),
    }


def estimate_to_dict(est: Estimate, table: UnitCostTable) -> dict[str, Any]:
    """The stable JSON contract of ``sr-cost estimate --format json``."""
    prices = prices_dict(est)
    return {
        **provenance(table, est.inputs),
        **({"prices": prices} if prices else {}),
        "assumptions": assumptions_dict(est),
        "las": [_la(la) for la in est.las],
        "phases": [
            {
                "phase": p.phase,
                "las": p.las,
                "mean_total_per_round": money_str(p.total_per_round.mean),
                "min_total_per_round": money_str(p.total_per_round.min),
                "max_total_per_round": money_str(p.total_per_round.max),
                "annual_cost": money_str(p.annual_cost),
                "mean_setup": money_str(p.setup.mean if p.setup else None),
                "min_setup": money_str(p.setup.min if p.setup else None),
                "max_setup": money_str(p.setup.max if p.setup else None),
                "feedback_forms": p.feedback_forms,
                "report_per_person": money_str(p.report_per_person),
            }
            for p in est.phases
        ],
        "modes": [
            {
                "mode": m.mode.value,
                "las": m.las,
                "rounds": m.rounds,
                "mean_total_per_round": money_str(m.mean_total_per_round),
                "annual_cost": money_str(m.annual_cost),
                "attendances": count(m.attendances),
                "cost_per_attendee": money_str(m.cost_per_attendee),
            }
            for m in est.modes
        ],
        "overall": {
            "las": est.overall.las,
            "mean_total_per_round": money_str(est.overall.total_per_round.mean),
            "min_total_per_round": money_str(est.overall.total_per_round.min),
            "max_total_per_round": money_str(est.overall.total_per_round.max),
            "annual_cost": money_str(est.overall.annual_cost),
            "mean_setup": money_str(est.overall.setup.mean if est.overall.setup else None),
            "min_setup": money_str(est.overall.setup.min if est.overall.setup else None),
            "max_setup": money_str(est.overall.setup.max if est.overall.setup else None),
        },
    }


def to_json(payload: dict[str, Any]) -> str:
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def estimate_csv(est: Estimate) -> str:
    """One row per LA and phase (mode 'all'), then one per mode within it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for la in est.las:
        setup = _setup(la.setup) or {"direct": "", "indirect": "", "total": ""}
        rows = [
            (
                "all",
                la.rounds,
                la.per_round,
                la.attendances,
                la.attendees_per_round,
                la.cost_per_attendee,
                la.annual_cost,
                la.first_year_cost,
                setup,
            )
        ]
        for m, f in la.modes.items():
            rows.append(
                (
                    m.value,
                    f.rounds,
                    f.per_round,
                    f.attendances,
                    f.attendances / Decimal(f.rounds),
                    f.cost_per_attendee,
                    f.annual_cost,
                    None,
                    {"direct": "", "indirect": "", "total": ""},
                )
            )
        for mode, n, per_round, att, apr, cpa, annual, first, s in rows:
            writer.writerow(
                [
                    csv_safe(la.la),
                    csv_safe(la.phase),
                    mode,
                    n,
                    s["direct"],
                    s["indirect"],
                    s["total"],
                    money_str(per_round.panel),
                    money_str(per_round.round),
                    money_str(per_round.steering),
                    money_str(per_round.total),
                    count(att),
                    number_str(apr),
                    money_str(cpa) or "",
                    money_str(annual),
                    money_str(first) or "",
                ]
            )
    return buffer.getvalue()


def _role_record(r: UnitCost) -> dict[str, str | None]:
    return {
        "role": r.role,
        "salary": money_str(r.salary),
        "on_costs": money_str(r.on_costs),
        "overheads": money_str(r.overheads),
        "unit_cost_hour": money_str(r.unit_cost_hour),
    }


def unit_costs_csv(roles: Iterable[UnitCost]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(UNIT_COST_COLUMNS)
    for r in roles:
        rec = _role_record(r)
        writer.writerow([csv_safe(rec[c] or "") for c in UNIT_COST_COLUMNS])
    return buffer.getvalue()


def unit_costs_json(table: UnitCostTable, roles: Iterable[UnitCost]) -> str:
    """``unit-costs list --format json``: the table's provenance and its roles."""
    return (
        json.dumps(
            {
                "unit_costs": {
                    "path": table.path,
                    "sha256": table.sha256,
                    "source": table.source.name,
                    "price_year": table.price_year,
                    "name": table.shown_as,
                },
                "roles": [_role_record(r) for r in roles],
            },
            indent=2,
            ensure_ascii=False,
        )
        + "\n"
    )
