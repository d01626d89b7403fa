"""The report's methods appendix, under the headings of the CHEERS 2022 items that apply to a
costing and cost-consequence study (Husereau et al., Consolidated Health Economic Evaluation
Reporting Standards 2022), and its provenance: the sr-cost version, the command line, the unit-cost
table and the SHA-256 of every input. Built from the same payloads as the rest of the report."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sr_cost.core.runs import ReportRun
from sr_cost.money import gbp
from sr_cost.outputs.report_model import Section, Table
from sr_cost.outputs.wording import pct, ranges_text

Payload = dict[str, Any]

BUNDLED_EXAMPLE = (
    "These forms are one of sr-cost's bundled examples, written by the build_forms.py beside them: the "
    "trial's raw economic forms are not public, so every line was rebuilt from published figures (for "
    "examples/trial, the report's Tables 19, 20 and 21, Table 3 for the staff and Appendix 1 for the unit "
    "costs; for examples/interim, the interim cost table shown at a webinar in March 2021, in whole pounds). "
    "The totals match the published figures, but the lines themselves, the attendance and any survey's "
    "respondents are made up; they show the method, not the trial's own data (the folder's README.md says "
    "how they were built)."
)


def _setting(run: ReportRun, est: Payload) -> Section:
    e = run.estimate.estimate
    phases = ", ".join(f"phase {p['phase']} ({p['las']} LAs)" for p in est["phases"])
    modes = ", ".join(f"{m['rounds']} {m['mode']}" for m in est["modes"])
    return Section(
        "Setting and location",
        (
            f"The forms {e.path} record Schwartz Rounds in {est['overall']['las']} local authority (LA) "
            f"phases: {phases}; {modes} rounds.",
        ),
    )


def _comparators(run: ReportRun, cmp: Payload | None) -> Section:
    text = []
    if cmp is not None:
        a, b = cmp["options"]
        text.append(
            f"The rounds compared: {a['description']} against {b['description']}, each as a typical LA "
            f"(a mean over the option's LAs, every LA counting once)."
        )
    if run.estimate.savings is not None:
        text.append(
            "For the savings: the survey's intervention group (staff offered the rounds) against its control group."
        )
    if not text:
        text.append("None: the forms hold rounds of one mode and one phase, so the report costs them alone.")
    return Section("Comparators", tuple(text))


def table_named(unit: Payload) -> str:
    """The unit-cost table as every output names it: ``bundled: pssru_2019``, or the path given."""
    return unit.get("name") or unit["path"]


def rounds_a_year(a: Payload) -> str:
    """The rounds a year of the annual cost: '12 rounds', or where each LA-phase's own come from."""
    if a["rounds_per_year"] is not None:
        return f"{a['rounds_per_year']} rounds"
    return f"each LA-phase's own rounds a year: its rounds × 12 ÷ the {a['period_months']} months its forms cover"


def annual_rule(a: Payload) -> str:
    """How a year's cost is worked out, as the estimate's assumptions say."""
    if a.get("period_months") is None:
        return f"a year's cost is {a['rounds_per_year']} rounds × the mean per round"
    return (
        f"a year's cost is the rounds a year ({a['rounds_per_year_basis']}) × the mean per round without the "
        f"steering lines tied to no round, plus those × 12 ÷ {a['period_months']} months (the period the forms cover)"
    )


def prices_short(est: Payload) -> str:
    """The price year(s) of the estimate's figures, in a few words (a subtitle)."""
    if est.get("prices"):
        return f"{est['prices']['to_year']} prices"
    table, forms = est["unit_costs"]["price_year"], est["assumptions"]["forms_price_year"]
    if forms is None or forms == table:
        return f"{table} prices"
    return f"staff time in {table} prices, the forms' money in {forms} prices"


def prices_note(est: Payload, price_year: int) -> str:
    """Which prices the estimate's figures are in: re-priced, in two price years, or the table's."""
    if est.get("prices"):
        return est["prices"]["note"]
    note = est["assumptions"]["price_year_note"]
    return f"{price_year} prices (the unit-cost table's price year)" if note.startswith("all figures") else note


def _costs(est: Payload) -> list[Section]:
    a = est["assumptions"]
    unit = est["unit_costs"]
    return [
        Section(
            "Perspective",
            (
                "The employer's: the LA that runs the rounds and employs the staff. Staff time, the attendees' "
                "included, is valued at its full hourly unit cost (salary, on-costs and overheads); fees, catering "
                "and rooms at what was paid; travel at the mileage rate. Costs to staff themselves and to other "
                "services are not counted.",
            ),
        ),
        Section(
            "Measurement and valuation of resources and costs",
            (
                "Four economic forms, as the trial's: training (the set-up), rounds, panel preparation and "
                "steering group, a line each for a resource. A line costs staff × hours × hourly rate + miles × "
                f"mileage rate (£{a['mileage_rate_gbp_per_mile']} a mile) + direct cost; staff time and mileage are "
                "indirect cost, the rest direct (the report's Table 19).",
                "A round's cost has three components: its own lines, and the panel and steering lines tied to it "
                f"plus an even share of the LA-phase's lines tied to no round ({a['untied_lines']}). An LA-phase's "
                "mean per round is its total ÷ its rounds; a phase's is the mean over its LAs; "
                f"{annual_rule(a)}. Cost per attendee: {a['cost_per_attendee']}.",
            ),
        ),
        Section(
            "Unit costs",
            (
                f"{unit['source']}, {unit['price_year']} prices: {table_named(unit)} (SHA-256 {unit['sha256']}), "
                f"derived from salaries with the parameters {unit['parameters']} (`sr-cost unit-costs show ROLE` "
                "derives any role step by step; `sr-cost explain` shows each figure down to them).",
            ),
        ),
    ]


def _horizon(est: Payload, cmp: Payload | None) -> list[Section]:
    price_year = est["unit_costs"]["price_year"]
    if cmp is not None:
        h = cmp["horizon"]
        horizon = (
            f"A round, a year ({rounds_a_year(est['assumptions'])}) and {h['years']} years for the "
            "comparison: year 1 carries the set-up cost and a year's rounds, later years the rounds.",
        )
        rate = (
            f"{pct(Decimal(h['discount_rate']))} a year (the HM Treasury Green Book rate is 3.5%), from year 2: year t "
            "(t = 0 for year 1) is multiplied by (1 + r)^-t.",
        )
        prices = (f"Pounds sterling, {cmp['prices']['note']}. No currency conversion.",)
    else:
        horizon = (f"A round and a year ({rounds_a_year(est['assumptions'])}).",)
        rate = ("None: no figure runs past a year.",)
        prices = (f"Pounds sterling, {prices_note(est, price_year)}. No currency conversion.",)
    return [
        Section("Time horizon", horizon),
        Section("Discount rate", rate),
        Section("Currency, price date and conversion", prices),
    ]


def _outcomes(est: Payload) -> list[Section]:
    s = est.get("savings")
    if s is None:
        return [Section("Selection, measurement and valuation of outcomes", ("None: the forms have no survey.",))]
    a = s["assumptions"]
    outcome = (
        f"Sickness absence: each respondent's sick days over the {a['recall_months']} months before the survey, "
        f"valued at their hourly cost on the '{a['absence_basis']}' basis × {a['hours_per_day']} hours a day. The "
        "saving per staff member is the control group's mean cost less the intervention group's (the report's "
        "Table 21), scaled to a year and to the intervention staff of the LAs with a staff row.",
    )
    if est.get("cost_effectiveness"):
        outcome += ("Wellbeing: the survey's outcome scores, as the cost-effectiveness section states.",)
    uncertainty = (
        f"A bootstrap of {a['bootstrap']:,} resamples (seed {a['seed']}; {a['resampling']}) gives the 95% "
        "intervals and probabilities of the savings.",
    )
    return [
        Section("Selection, measurement and valuation of outcomes", outcome),
        Section("Characterising uncertainty", uncertainty),
    ]


def _limitations(run: ReportRun, est: Payload) -> Section:
    out = []
    s = run.estimate.savings
    if s is not None:
        unclear = [p.phase for p in s.phases if p.saving_ci is not None and p.saving_ci.low <= 0 <= p.saving_ci.high]
        if unclear:
            out.append(
                f"The saving's 95% interval includes zero in phase{'s' * (len(unclear) > 1)} {', '.join(unclear)}: "
                "the data are consistent with no saving at all."
            )
        out.append(
            "A year's saving assumes the respondents' difference holds for every intervention staff member, "
            "every year, and that the recall period scales to a year."
        )
        out.append("The survey does not record how the rounds were delivered, so a mode's saving is its phase's.")
    out.append("An attendee is an attendance: a person at three rounds counts three times (the forms name no one).")
    if run.bundled_example:
        out.append(BUNDLED_EXAMPLE)
    return Section("Limitations", bullets=tuple(out))


def provenance(est: Payload, cmp: Payload | None) -> Table:
    unit = est["unit_costs"]
    rows = [
        ("sr-cost version", est["sr_cost_version"]),
        ("command line", est.get("command", "")),
        ("unit-cost table", f"{table_named(unit)} ({unit['price_year']} prices)"),
        ("unit-cost table SHA-256", unit["sha256"]),
    ]
    inputs = {i["path"]: i["sha256"] for i in est["inputs"]}
    for i in (cmp or {}).get("inputs", []):
        inputs.setdefault(i["path"], i["sha256"])
    rows += [(f"input {path}", sha) for path, sha in inputs.items()]
    return Table(
        ("what", "value"), tuple(rows), caption="Provenance: every input with the SHA-256 of its bytes", text_columns=2
    )


def methods(run: ReportRun, est: Payload, cmp: Payload | None) -> list[Section]:
    """The methods appendix, CHEERS 2022 item by item, ending with the provenance."""
    sections = [_setting(run, est), _comparators(run, cmp), *_costs(est), *_horizon(est, cmp), *_outcomes(est)]
    if run.comparison is not None and run.comparison.comparison.sensitivity is not None:
        sens = run.comparison.comparison.sensitivity
        sections.append(
            Section(
                "Sensitivity analysis",
                (f"One assumption at a time, the {sens.metric} costed again. {ranges_text(sens)}",),
            )
        )
    spread = est["overall"]
    sections.append(
        Section(
            "Characterising heterogeneity",
            (
                f"LAs differ: a round cost from {gbp(Decimal(spread['min_total_per_round']))} to "
                f"{gbp(Decimal(spread['max_total_per_round']))}; the tables give every LA and phase.",
            ),
        )
    )
    sections.append(_limitations(run, est))
    sections.append(Section("Provenance", tables=(provenance(est, cmp),)))
    return sections
