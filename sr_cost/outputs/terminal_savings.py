"""The terminal view of the savings: the report's Table 21 (on the chosen valuation basis), the
saving on every basis, the scale (who answered, and the extrapolation to all staff), a year's
figures, the decision figures over the horizon, how sure, and a sentence a phase."""

from __future__ import annotations

from decimal import Decimal

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from sr_cost.core.savings import Savings
from sr_cost.money import gbp, percent, places
from sr_cost.outputs.terminal import bold, row, safe, stdout, titled
from sr_cost.outputs.wording import (
    BASIS_NOTE,
    BASIS_WORDS,
    EXTRAPOLATION_ASSUMPTIONS,
    extrapolation,
    low_response,
    phase_sentence,
    plain_english,
)


def _money_col(table: Table, name: str) -> None:
    table.add_column(name, justify="right", no_wrap=True)


def _days(value: Decimal | None) -> str:
    return "—" if value is None else places(value, 2)


def _prob(value: Decimal | None) -> str:
    return "—" if value is None else percent(value)


def _table(title: str) -> Table:
    return Table(title=title, box=box.SIMPLE_HEAD, title_justify="left")


def _note(text: str) -> str:
    return f"[dim]{escape(text)}[/]"


def table_21(s: Savings) -> list:
    a = s.assumptions
    t21 = _table(f"Sickness-absence cost per staff member over {a.recall_months} months (report Table 21)")
    t21.add_column("Phase", no_wrap=True)
    t21.add_column("Respondents\nint. / ctrl", justify="right", no_wrap=True)
    t21.add_column("Sick days\nint. / ctrl", justify="right", no_wrap=True)
    for name in ("Intervention", "Control", "Saving"):
        _money_col(t21, name)
    for p in s.phases:
        row(
            t21,
            p.phase,
            f"{p.intervention.n} / {p.control.n}",
            f"{_days(p.intervention.mean_sick_days)} / {_days(p.control.mean_sick_days)}",
            gbp(p.intervention.mean_cost),
            gbp(p.control.mean_cost),
            bold(gbp(p.saving_per_staff)),
        )
    for label, c in (("Combined", s.combined), ("Pooled", s.pooled)):
        row(
            t21,
            label,
            "",
            "",
            gbp(c.mean_cost_intervention),
            gbp(c.mean_cost_control),
            gbp(c.saving_per_staff),
            style="bold" if label == "Combined" else "dim",
        )
    return [
        t21,
        _note(
            f"Valued at {BASIS_WORDS[a.absence_basis]}. Combined = the report's method (mean of the phase figures); "
            "pooled = all respondents together. Saving = control mean − intervention mean."
        ),
        "",
    ]


def by_basis(s: Savings) -> list:
    if not any(p.by_basis for p in s.phases):
        return []
    a = s.assumptions
    bases = [b.basis for b in s.phases[0].by_basis]
    t = _table(f"The saving per staff member on each valuation basis, over {a.recall_months} months (and a year)")
    t.add_column("Phase", no_wrap=True)
    for basis in bases:
        t.add_column(basis.value + (" *" if basis is a.absence_basis else ""), justify="right", no_wrap=True)
    for p in s.phases:
        cells = [
            "n/a" if b.saving_per_staff is None else f"{gbp(b.saving_per_staff)} ({gbp(b.annual_saving_per_staff)})"
            for b in p.by_basis
        ]
        row(t, p.phase, *cells)
    return [t, _note(f"* the basis chosen (--absence-basis), used below. {BASIS_NOTE}"), ""]


def who_answered(s: Savings) -> list:
    rows = [p for p in s.phases if p.response is not None and p.response.share is not None]
    if not rows:
        return []
    t = _table("Who answered: the survey's respondents among the staff randomised (staff sheet)")
    t.add_column("Phase", no_wrap=True)
    t.add_column("Respondents\nint. / ctrl", justify="right", no_wrap=True)
    t.add_column("Randomised\nint. / ctrl", justify="right", no_wrap=True)
    t.add_column("Share\nanswering", justify="right", no_wrap=True)
    for p in rows:
        r = p.response
        row(
            t,
            p.phase,
            f"{r.intervention_respondents:,} / {r.control_respondents:,}",
            f"{r.intervention_staff:,} / {r.control_staff:,}",
            percent(r.share),
            style="yellow" if r.low else None,
        )
    out: list = [t]
    out.extend(f"[yellow]warning:[/] {escape(text)}" for p in s.phases if (text := low_response(p)))
    return [*out, ""]


def a_year(s: Savings) -> list:
    t = _table("A year, in the LAs with staff numbers (an extrapolation)")
    t.add_column("Phase", no_wrap=True)
    t.add_column("Int.\nstaff", justify="right", no_wrap=True)
    for name in ("Saving\na year", "Running\ncost a year", "Net cost\na year"):
        _money_col(t, name)
    t.add_column("Break-even\ndays/person", justify="right", no_wrap=True)
    for p in s.phases:
        row(
            t,
            p.phase,
            f"{p.intervention_staff:,}",
            gbp(p.annual_saving_total, none="—"),
            gbp(p.annual_running_cost, none="—"),
            gbp(p.net_annual_cost, none="—"),
            _days(p.break_even_sick_days_per_staff),
        )
    out: list = [t]
    out.extend(_note(f"Phase {p.phase}: {text}.") for p in s.phases if (text := extrapolation(p)))
    out.append(_note("The extrapolation assumes: " + "; ".join(EXTRAPOLATION_ASSUMPTIONS) + "."))
    out.append(
        _note(
            "Net = running cost − saving (negative: the rounds save more than they cost), without the set-up cost "
            "(see below). Break-even = days of sickness absence each intervention staff member must avoid a year "
            "for the running cost alone."
        )
    )
    return [*out, ""]


def decisions(s: Savings) -> list:
    phases = [p for p in s.phases if p.decision is not None]
    if not phases:
        return []
    d0 = phases[0].decision
    t = _table(
        f"Does it pay? {d0.years} years at present value ({percent(d0.discount_rate, 1)} a year), set-up in year 1"
    )
    t.add_column("", min_width=16)
    for p in phases:
        t.add_column(f"Phase {p.phase}", justify="right", no_wrap=True)

    def line(label: str, cells: list[str], strong: bool = False) -> None:
        row(t, label, *([bold(c) for c in cells] if strong else cells))

    ds = [p.decision for p in phases]
    spreads = [p.decision_spread for p in phases]
    line("Set-up cost", [gbp(d.setup) for d in ds])
    line("Running cost a year", [gbp(d.running_cost_year) for d in ds])
    line("Saving a year (extrapolated)", [gbp(d.saving_year) for d in ds])
    line("Net cost, first year", [gbp(d.net_first_year) for d in ds])
    line(f"Net cost over {d0.years} years (PV)", [gbp(d.net_present_value) for d in ds], strong=True)
    line("  95% interval, from", [gbp(x.net_present_value.low) if x else "—" for x in spreads])
    line("  to", [gbp(x.net_present_value.high) if x else "—" for x in spreads])
    line("£ back per £1 (PV)", [gbp(d.roi, none="—") for d in ds], strong=True)
    line("  95% interval, from", [gbp(x.roi.low) if x else "—" for x in spreads])
    line("  to", [gbp(x.roi.high) if x else "—" for x in spreads])
    line("  P(at least £1 back)", [_prob(x.p_roi_at_least_1) if x else "—" for x in spreads])
    line("£ back per £1, first year", [gbp(d.roi_first_year, none="—") for d in ds])
    line(
        "Payback",
        [
            f"{places(d.payback_months, 1)} months" if d.payback_months is not None else f"not in {d.years} years"
            for d in ds
        ],
    )
    line(f"  P(within {d0.years} years)", [_prob(x.p_payback_within_horizon) if x else "—" for x in spreads])
    line("Most set-up fee per LA", [gbp(d.max_setup_fee, none="—") for d in ds])
    line("Most cost per round", [gbp(d.max_cost_per_round, none="—") for d in ds])
    line("Least saving per staff a year", [gbp(d.break_even_saving_per_staff, none="—") for d in ds])
    line("  in sick days avoided a year", [_days(d.break_even_sick_days_per_staff) for d in ds])
    return [
        t,
        _note(
            "PV = present value; net cost = costs − savings (negative: the rounds pay). The 'most' and 'least' rows "
            "each solve for a net present value of 0 with everything else as it is: the most each LA could pay for "
            "the set-up fee (its training's staff time as it is), the most a round could cost, the least saving each "
            "intervention staff member must bring. Payback: months until the savings cover the costs, undiscounted."
        ),
        "",
    ]


def how_sure(s: Savings) -> list:
    a = s.assumptions
    if not a.bootstrap:
        return []
    ci = _table(f"How sure? 95% intervals from {a.bootstrap:,} bootstrap resamples (seed {a.seed})")
    ci.add_column("Phase", no_wrap=True)
    ci.add_column("Saving per staff\n95% interval", justify="right", min_width=13)
    ci.add_column("P(saving\n> 0)", justify="right", no_wrap=True)
    ci.add_column("Net cost a year\n95% interval", justify="right", min_width=15)
    ci.add_column("P(pays for\nitself)", justify="right", no_wrap=True)
    for p in s.phases:
        row(
            ci,
            p.phase,
            f"{gbp(p.saving_ci.low)} to {gbp(p.saving_ci.high)}",
            _prob(p.p_saving_positive),
            f"{gbp(p.net_ci.low)} to {gbp(p.net_ci.high)}" if p.net_ci else "—",
            _prob(p.p_pays_for_itself),
        )
    return [ci, *plain_english(s), ""]


def savings_renderables(s: Savings) -> list:
    """Table 21, the bases, a year, the decision figures, how sure, and a sentence a phase."""
    out = table_21(s) + by_basis(s) + who_answered(s) + a_year(s) + how_sure(s) + decisions(s)
    out.extend(escape(phase_sentence(p, s)) for p in s.phases)
    return [titled(r) for r in out]


def print_savings(s: Savings, console: Console | None = None) -> None:
    console = console or stdout()
    for renderable in savings_renderables(s):
        console.print(safe(renderable))
