"""The sentences sr-cost says about cost-effectiveness (``core.effectiveness``), shared by the
terminal, the JSON and the workbook: how a difference, a ratio and its quadrant are put in words."""

from __future__ import annotations

from decimal import Decimal

from sr_cost.core.effectiveness import CostEffectiveness, Label, OutcomeResult, PhaseEffect, Quadrant
from sr_cost.core.outcomes import Kind, Outcome
from sr_cost.money import gbp, percent, places

QUADRANT_WORDS = {
    Quadrant.ne: "better and dearer",
    Quadrant.se: "better and cheaper",
    Quadrant.nw: "worse and dearer",
    Quadrant.sw: "worse and cheaper",
}
PERSPECTIVE_NOTE = (
    "The employer's perspective, per intervention staff member (intention to treat: everyone randomised to the "
    "rounds, whether they attended or not). Cost = set-up + running cost over the horizon at present value, "
    "minus the sickness-absence saving (an extrapolation: the respondents' difference held for every "
    "intervention staff member). Effect = how much better the intervention group did at follow-up "
    "(positive: better)."
)
NOT_SIGNIFICANT = (
    "The trial found no significant effect on the GHQ-12 (group allocation -0.72 points, 95% CI -2.19 to 0.75, "
    "p = 0.338, report Table 6) or on caseness (p = 0.061): read every ratio with its interval."
)


def difference_text(o: Outcome, value: Decimal | None) -> str:
    """A difference as the outputs show it: points of a score, or percentage points of cases."""
    if value is None:
        return "n/a"
    if o.kind is Kind.caseness:
        return f"{places(value * 100, 1)} pts"
    return places(value, 2) or "n/a"


def bare(o: Outcome, value: Decimal) -> str:
    """A difference without its unit: points, or percentage points of cases."""
    return places(value * 100, 1) if o.kind is Kind.caseness else places(value, 2)


def unit_words(o: Outcome) -> str:
    """'a point of GHQ-12 improvement' or 'a case avoided'."""
    return "case avoided" if o.kind is Kind.caseness else f"point of {o.label} improvement"


def ratio_text(r: OutcomeResult) -> str:
    """The ratio where it means something, else what the quadrant says."""
    v = r.verdict
    if v is None:
        return "n/a"
    if v.label is Label.dominant:
        return "dominant (cheaper and better)"
    if v.label is Label.dominated:
        return "dominated (dearer and worse)"
    if v.icer is None:
        return "no difference in cost or effect"
    per = "case avoided" if r.outcome.kind is Kind.caseness else "point"
    if v.quadrant is Quadrant.sw:
        return f"{gbp(v.icer)} saved per {per} given up"
    return f"{gbp(v.icer)} per {per}"


def short_ratio(r: OutcomeResult) -> str:
    """The ratio or quadrant in a table cell: '£431/point', 'dominant', '£50 saved/point lost'."""
    v = r.verdict
    if v is None:
        return "—"
    if v.label is not Label.ratio:
        return v.label.value
    if v.icer is None:
        return "no difference"
    per = r.outcome.unit
    return f"{gbp(v.icer)}/{per}" + (" lost" if v.quadrant is Quadrant.sw else "")


def outcome_sentence(p: PhaseEffect, r: OutcomeResult) -> str:
    """One plain sentence: the effect, the cost, the ratio or quadrant, and how sure."""
    o, e = r.outcome, r.effect
    if e.difference is None or p.cost is None:
        return f"Phase {p.phase}, {o.label}: no cost-effectiveness (a group has no answer, or no LA has staff counted)."
    ci = r.difference_ci
    interval = "" if ci is None else f" (better by {bare(o, ci.low)} to {bare(o, ci.high)}, 95% interval)"
    gained = e.difference >= 0
    if o.kind is Kind.caseness:
        better = "cases per 100 staff fewer" if gained else "cases per 100 staff more"
    else:
        better = "points better" if gained else "points worse"
    amount = bare(o, abs(e.difference))
    cost = p.cost.after_saving
    cost_words = f"cost {gbp(cost)} more" if cost > 0 else f"cost {gbp(-cost)} less"
    text = (
        f"Phase {p.phase}, {o.label} ({e.n_intervention} intervention and {e.n_control} control staff answered): the "
        f"intervention group did {amount} {better}{interval}, and after the absence "
        f"saving the rounds {cost_words} per intervention staff member: "
    )
    v = r.verdict
    if v is not None and v.label is Label.ratio and v.icer is not None and v.quadrant is Quadrant.ne:
        icer_ci = r.icer_ci
        spread = f" (95% interval {gbp(icer_ci.low)} to {gbp(icer_ci.high)})" if icer_ci else ""
        text += f"each {unit_words(o)} costs {gbp(v.icer)}{spread}"
    else:
        text += ratio_text(r)
    b = r.verdict_before_saving
    if b is not None and b.label is Label.ratio and b.icer is not None and b.quadrant is Quadrant.ne:
        text += f" (without the saving, {gbp(b.icer)} per {'case avoided' if o.kind is Kind.caseness else 'point'})"
    if r.wtp is not None and r.p_at_wtp is not None:
        per = "a case" if o.kind is Kind.caseness else "a point"
        text += f"; at {gbp(r.wtp)} {per} the rounds are cost-effective with probability {percent(r.p_at_wtp)}"
    elif r.quadrants:
        text += f"; {percent(r.quadrants[Quadrant.se])} of the resamples are better and cheaper"
    return text + "."


def sentences(ce: CostEffectiveness) -> list[str]:
    return [outcome_sentence(p, r) for p in ce.phases for r in p.outcomes]
