"""The sentences sr-cost says about its results, shared by the terminal, the JSON and the workbooks:
what a saving's interval means, what a phase's year comes to, what a comparison says, and the
labels of the compared figures."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from sr_cost.core.estimate import DEFAULT_ROUNDS_PER_YEAR, Assumptions
from sr_cost.core.savings import PhaseSavings, Savings
from sr_cost.core.unit_costs import AbsenceBasis
from sr_cost.money import gbp, percent, places

if TYPE_CHECKING:  # an estimate's words need none of the comparison's modules
    from sr_cost.core.comparison import Comparison, Sensitivity

BASIS_WORDS = {
    AbsenceBasis.salary: "salary alone",
    AbsenceBasis.employer: "salary + on-costs (what the employer pays for a day lost)",
    AbsenceBasis.unit_cost: "the full unit cost, overheads included (the basis that rebuilds the report's Table 21)",
    AbsenceBasis.agency: "agency cover at the stated hourly rate",
}
BASIS_NOTE = (
    "The report does not state on which basis it valued a day of sickness absence; the saving is shown on "
    "each basis, the headline on the one chosen (--absence-basis)."
)
EXTRAPOLATION_ASSUMPTIONS = (
    "the survey's respondents are like the staff who did not answer",
    "the difference over the recall period, scaled to a year (x 12 / recall months)",
    "the same difference every year of the horizon",
)


def pct(rate: Decimal) -> str:
    """A rate as a percentage, as exact as it is: 0.138 -> '13.8%'."""
    return f"{(rate * 100).normalize():f}%"


def rounds_basis(a: Assumptions) -> str:
    """Where the rounds a year of the annual cost come from, in one sentence."""
    if a.rounds_per_year is not None:
        return f"{a.rounds_per_year} rounds a year for every LA-phase (--rounds-per-year)"
    if a.period_months is None:
        return (
            f"{DEFAULT_ROUNDS_PER_YEAR} rounds a year for every LA-phase, one a month as the report assumes "
            "(the period the forms cover is not known: --period-months or the forms' about sheet)"
        )
    return (
        f"each LA-phase's own: the rounds its forms hold x 12 / {a.period_months} months (the period the forms cover)"
    )


def prices_text(a: Assumptions, table_year: int) -> str:
    """Which prices the figures are in, for every output (the unit-cost table's when nothing says
    otherwise)."""
    if a.prices is None:
        return f"{table_year} prices (the unit-cost table's)"
    return a.prices.describe()


def prices_short(a: Assumptions, table_year: int) -> str:
    """``prices_text`` in a few words, for a headline (the whole of it goes under Basis)."""
    u = a.prices
    if u is None or (u.method.value == "none" and not u.mixed):
        return f"{table_year} prices (the unit-cost table's)"
    if u.method.value == "none":
        return (
            f"staff time in {u.from_year} prices and the forms' money in {u.forms_price_year} prices, not "
            "re-priced (Basis: Prices)"
        )
    return f"{u.to_year} prices, re-priced (Basis: Prices)"


def rounds_text(rounds_per_year) -> str:
    """Rounds a year as shown: '12', or '10.7' when the forms' own rounds scaled to a year are not whole."""
    value = Decimal(rounds_per_year)
    return str(int(value)) if value == value.to_integral_value() else places(value, 1)


# label of each figure in the table; {n} is the horizon in years, {rpy} rounds a year, {r} the rate
LABELS = {
    "setup": "Set-up cost",
    "panel_per_round": "Per round: panel",
    "round_per_round": "Per round: round",
    "steering_per_round": "Per round: steering",
    "mean_total_per_round": "Per round: total",
    "attendees_per_round": "Attendees per round",
    "cost_per_attendee": "Cost per attendee",
    "pooled_cost_per_attendee": "  pooled over rounds",  # indented: a variant of the line above
    "annual_cost": "Annual cost ({rpy} rounds)",
    "horizon_cost": "Cost over {n} years",
    "present_value": "Present value at {r}",
    "horizon_cost_per_attendee": "Per attendee over {n} yrs",
    "annual_saving": "Saving a year (extrap.)",
    "net_annual_cost": "Net cost a year",
    "net_cost_present_value": "Net cost, present value",
    "break_even_sick_days": "Break-even sick days",
}
SAVING_FIGURES = ("annual_saving", "net_annual_cost", "net_cost_present_value", "break_even_sick_days")
# the two rows under a figure that show its 95% interval: (label, which end: 0 low, 1 high)
INTERVAL_ROWS = (("  95% interval from", 0), ("  to", 1))


def plain_english(s: Savings) -> list[str]:
    """One sentence per phase on what the interval means."""
    lines = []
    for p in s.phases:
        if p.saving_ci is None:
            continue
        low, high = p.saving_ci.low, p.saving_ci.high
        if low > 0:
            verdict = "the data point to a real saving"
        elif high < 0:
            verdict = "the data point to higher sickness costs in the intervention group"
        else:
            verdict = (
                "the interval includes zero, so the data are consistent with no saving at all, "
                "or a loss; the saving is not statistically clear"
            )
        lines.append(
            f"Phase {p.phase}: the saving per staff member is {gbp(p.saving_per_staff)} over "
            f"{s.assumptions.recall_months} months, but resampling the respondents gives anything from "
            f"{gbp(low)} to {gbp(high)} in 95% of cases: {verdict}."
        )
    return lines


def net_sentence(p: PhaseSavings) -> str | None:
    """What the year's figures of a phase say, in a sentence (None when no LA is counted)."""
    if p.annual_running_cost is None or p.net_annual_cost is None:
        return None
    n = len(p.las_with_staff)
    net = p.net_annual_cost
    verdict = f"a net saving of {gbp(-net)}" if net < 0 else f"a net cost of {gbp(net)}" if net > 0 else "no net cost"
    text = (
        f"Phase {p.phase}: a year, the rounds cost {gbp(p.annual_running_cost)} in the {n} LA{'s' * (n != 1)} "
        f"with staff numbers, against an estimated saving of {gbp(p.annual_saving_total)}: {verdict}"
    )
    if p.p_pays_for_itself is not None:
        text += f"; they pay for themselves in {percent(p.p_pays_for_itself)} of the bootstrap resamples"
    if p.break_even_sick_days_per_staff is not None:
        text += (
            f". They break even if each of the {p.intervention_staff:,} intervention staff avoids "
            f"{places(p.break_even_sick_days_per_staff, 2)} days of sickness absence a year"
        )
    return text + "."


def summary(c: Comparison) -> str:
    """One plain sentence on what the comparison says."""
    a, b = c.options
    parts = []
    ratio = c.ratio.mean_total_per_round
    times = f" ({places(ratio, 2)} times as much)" if ratio is not None else ""
    parts.append(
        f"Per round, {b.label} costs {gbp(b.mean_total_per_round)} against {gbp(a.mean_total_per_round)} "
        f"for {a.label}{times}"
    )
    if a.cost_per_attendee is not None and b.cost_per_attendee is not None:
        if a.cost_per_attendee == b.cost_per_attendee:
            per = f"per attendee they cost the same ({gbp(a.cost_per_attendee)})"
        else:
            cheap, dear = (a, b) if a.cost_per_attendee < b.cost_per_attendee else (b, a)
            per = (
                f"per attendee {cheap.label} is cheaper ({gbp(cheap.cost_per_attendee)} against "
                f"{gbp(dear.cost_per_attendee)})"
            )
            pa, pb = a.pooled_cost_per_attendee, b.pooled_cost_per_attendee
            if pa is not None and pb is not None and (pa < pb) != (a.cost_per_attendee < b.cost_per_attendee):
                per += (
                    f", but pooling all rounds gives the opposite ({gbp(pa)} against {gbp(pb)}), so which is "
                    f"cheaper per person reached depends on how LAs are weighted"
                )
        parts.append(per)
    diff = c.difference.present_value
    more = "more" if diff > 0 else "less"
    parts.append(
        f"over {c.years} years in {c.price_year} prices, {b.label} costs {gbp(b.horizon.present_value)} at "
        f"present value against {gbp(a.horizon.present_value)}" + ("" if diff == 0 else f", {gbp(abs(diff))} {more}")
    )
    if a.net_annual_cost is not None and b.net_annual_cost is not None:
        pays = [o.label for o in c.options if o.net_annual_cost <= 0]
        if len(pays) == 2:
            net = "with the survey's sickness-absence savings both would pay for themselves"
        elif not pays:
            net = "with the survey's sickness-absence savings neither would pay for itself"
        else:
            other = b.label if pays[0] == a.label else a.label
            net = f"with the survey's sickness-absence savings {pays[0]} would pay for itself and {other} would not"
        if any(o.saving.interval is None for o in c.options):
            net += " (how sure that is needs the bootstrap: --bootstrap above 0)"
        elif any(o.saving.interval[0] <= 0 <= o.saving.interval[1] for o in c.options):
            net += ", though the savings are not statistically clear (their 95% intervals include zero)"
        parts.append(net)
    return "; ".join(parts) + "."


RANGES = {
    "attendance": "attendance ±25% (the attendees' own time moves with it)",
    "unit_costs": "unit costs ±10% (every role-priced line, and the cost of a sick day)",
    "rounds_per_year": "rounds a year from 75% to 125% of the value in use (to whole rounds)",
    "catering": "catering lines dropped",
    "hours_per_day": "7 to 7.5 hours a sick day",
    "saving_interval": "the saving at the ends of its 95% bootstrap interval",
}


def ranges_text(s: Sensitivity) -> str:
    """The ranges of the rows shown, in one sentence."""
    keys = [k for k in RANGES if any(r.key == k for r in s.rows)]
    return "Ranges: " + ", ".join(RANGES[k] for k in keys) + "."


def break_even_sentences(s: Sensitivity) -> list[str]:
    out = []
    for b in s.break_even:
        if not b.attendees_per_round:
            out.append(f"{b.label} records no attendance, so it has no cost per attendee.")
        elif b.target is None:
            continue
        elif b.attendees_needed is None:
            out.append(
                f"{b.label}: no attendance brings its cost per attendee to {b.against}'s {gbp(b.target)} "
                f"(each extra attendee's own time costs that much or more, or nothing but attendees' time is "
                f"costed)."
            )
        else:
            out.append(
                f"{b.label} would cost what {b.against} costs per attendee ({gbp(b.target)}) at "
                f"{places(b.attendees_needed, 1)} attendees a round (now {places(b.attendees_per_round, 1)})."
            )
    return out


def extrapolation(p: PhaseSavings) -> str | None:
    """What a phase's saving total is: an extrapolation, and from how few."""
    if p.annual_saving_total is None:
        return None
    n = len(p.las_with_staff)
    text = (
        f"an extrapolation: the saving a year if the respondents' difference held for all "
        f"{p.intervention_staff:,} intervention staff of the {n} LA{'s' * (n != 1)} counted"
    )
    r = p.response
    if r is not None and r.share is not None:
        text += (
            f"; {r.intervention_respondents + r.control_respondents:,} of the "
            f"{r.intervention_staff + r.control_staff:,} staff randomised answered the survey "
            f"({percent(r.share)})"
        )
    return text


def low_response(p: PhaseSavings) -> str | None:
    """The warning when fewer than one in five of the staff randomised answered."""
    r = p.response
    if r is None or not r.low:
        return None
    return (
        f"Phase {p.phase}: only {percent(r.share)} of the staff randomised answered the survey; the saving "
        "is the difference between two self-selected groups, and the total extrapolates it to everyone."
    )


def phase_sentence(p: PhaseSavings, s: Savings) -> str:
    """One plain sentence per phase, for a committee paper: the saving, how sure, what it would be
    worth, and whether it pays."""
    a = s.assumptions
    text = (
        f"Phase {p.phase}: valued at {BASIS_WORDS[a.absence_basis]}, the intervention group's sickness "
        f"absence cost {gbp(abs(p.saving_per_staff))} {'less' if p.saving_per_staff >= 0 else 'more'} per "
        f"person over {a.recall_months} months than the control group's"
    )
    if p.saving_ci is not None:
        low, high = p.saving_ci.low, p.saving_ci.high
        unclear = ", which includes no saving at all" if low <= 0 <= high else ""
        text += f" (95% interval {gbp(low)} to {gbp(high)}{unclear})"
    d = p.decision
    if d is None:
        return text + "."
    text += (
        f"; if that held for all {p.intervention_staff:,} intervention staff it would be worth "
        f"{gbp(d.saving_year)} a year, against a running cost of {gbp(d.running_cost_year)} a year and a "
        f"set-up cost of {gbp(d.setup)}"
    )
    if d.roi is not None:
        text += f": {gbp(d.roi)} back per £1 over {d.years} years at present value"
    spread = p.decision_spread
    if spread is not None:
        text += (
            f" (95% interval {gbp(spread.roi.low)} to {gbp(spread.roi.high)}; at least £1 back in "
            f"{percent(spread.p_roi_at_least_1)} of the bootstrap resamples)"
        )
    if d.payback_months is not None:
        text += f", paying back in {places(d.payback_months, 1)} months"
    else:
        text += f", not paying back within {d.years} years"
    text += ". This is an extrapolation from the survey's respondents, not a finding of the trial"
    r = p.response
    if r is not None and r.share is not None:
        text += f" ({percent(r.share)} of the staff randomised answered)"
    return text + "."
