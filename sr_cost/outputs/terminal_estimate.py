"""The terminal view of an estimate (the report's Tables 19 and 20 per LA, or a summary of many
LA-phases; the phases and modes) and of its savings (Table 21, a year's figures, the intervals)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from rich import box
from rich.console import Console
from rich.table import Table

from sr_cost.core.estimate import Estimate, LaEstimate
from sr_cost.core.savings import Savings
from sr_cost.core.unit_costs import UnitCostTable
from sr_cost.money import gbp, percent, places
from sr_cost.outputs.terminal import bold, row, safe, stdout, titled
from sr_cost.outputs.wording import plain_english

MAX_LA_ROWS = 40  # LA-phases shown one by one; more get a summary (the CSV and workbook have them all)
EXTREMES = 5  # with a summary: the LA-phases with the highest and the lowest mean cost per round


def _money_col(table: Table, name: str) -> None:
    table.add_column(name, justify="right", no_wrap=True)


def la_renderables(las: Sequence[LaEstimate]) -> list:
    """Table 19 (set-up), Table 20 (cost per round by component) and attendance, an LA-phase a row."""
    setup = Table(
        title="Set-up cost: initial training per LA (report Table 19)", box=box.SIMPLE_HEAD, title_justify="left"
    )
    setup.add_column("LA")
    setup.add_column("Phase")
    for name in ("Direct", "Indirect", "Total"):
        _money_col(setup, name)
    for la in las:
        if la.setup is None:
            row(setup, la.la, la.phase, "—", "—", "no training lines", style="dim")
        else:
            row(setup, la.la, la.phase, gbp(la.setup.direct), gbp(la.setup.indirect), gbp(la.setup.total))

    per = Table(title="Mean cost per round by component (report Table 20)", box=box.SIMPLE_HEAD, title_justify="left")
    per.add_column("LA")
    per.add_column("Ph")
    per.add_column("In\nperson", justify="right")
    per.add_column("Virtual", justify="right")
    for name in ("Panel", "Round", "Steering", "Total"):
        _money_col(per, name)
    for la in las:
        row(
            per,
            la.la,
            la.phase,
            str(la.rounds_in_person),
            str(la.rounds_virtual),
            gbp(la.per_round.panel),
            gbp(la.per_round.round),
            gbp(la.per_round.steering),
            bold(gbp(la.per_round.total)),
        )

    att = Table(title="Attendance and annual cost per LA", box=box.SIMPLE_HEAD, title_justify="left")
    att.add_column("LA")
    att.add_column("Ph")
    att.add_column("Attend.", justify="right")
    att.add_column("Per round", justify="right")
    for name in ("£/attendee", "Annual", "First year"):
        _money_col(att, name)
    for la in las:
        row(
            att,
            la.la,
            la.phase,
            f"{la.attendances.normalize():f}",
            places(la.attendees_per_round, 1),
            gbp(la.cost_per_attendee),
            gbp(la.annual_cost),
            gbp(la.first_year_cost, none="—"),
        )
    return [setup, per, att]


def la_summary(las: Sequence[LaEstimate]) -> list:
    """Many LA-phases: the ones with the highest and lowest mean cost per round, and where the rest are."""
    ranked = sorted(las, key=lambda la: la.per_round.total, reverse=True)
    shown = ranked[:EXTREMES] + ranked[-EXTREMES:]
    t = Table(
        title=f"{len(las)} LA-phases: the {EXTREMES} highest and {EXTREMES} lowest by mean cost per round",
        box=box.SIMPLE_HEAD,
        title_justify="left",
    )
    t.add_column("LA")
    t.add_column("Ph")
    t.add_column("Rounds", justify="right")
    for name in ("Set-up", "Per round", "£/attendee", "Annual"):
        _money_col(t, name)
    for i, la in enumerate(shown):
        row(
            t,
            la.la,
            la.phase,
            str(la.rounds),
            gbp(la.setup.total if la.setup else None, none="—"),
            bold(gbp(la.per_round.total)),
            gbp(la.cost_per_attendee),
            gbp(la.annual_cost),
            end_section=i == EXTREMES - 1,
        )
    return [
        t,
        f"[dim]Every LA-phase (the report's Tables 19 and 20, attendance and annual cost) is in "
        f"`--format csv` and in the `--excel` workbook's By LA sheet; {len(las)} rows are too many to read "
        f"here.[/]",
        "",
    ]


def estimate_renderables(est: Estimate, table: UnitCostTable) -> list:
    """Rich renderables for ``sr-cost estimate``: Table 19, Table 20 and attendance per LA (or, with
    many LA-phases, a summary of them), then the phase and mode summaries."""
    out: list = la_renderables(est.las) if len(est.las) <= MAX_LA_ROWS else la_summary(est.las)
    rpy = est.assumptions.rounds_per_year
    phases = Table(
        title=f"Cost per round by phase (annual = {rpy} rounds × the mean over LAs)",
        box=box.SIMPLE_HEAD,
        title_justify="left",
    )
    phases.add_column("Phase")
    phases.add_column("LAs", justify="right")
    for name in ("Mean/round", "Min", "Max", "Annual"):
        _money_col(phases, name)
    for p in est.phases:
        row(
            phases,
            p.phase,
            str(p.las),
            bold(gbp(p.total_per_round.mean)),
            gbp(p.total_per_round.min),
            gbp(p.total_per_round.max),
            gbp(p.annual_cost),
        )
    o = est.overall
    row(
        phases,
        "All",
        str(o.las),
        bold(gbp(o.total_per_round.mean)),
        gbp(o.total_per_round.min),
        gbp(o.total_per_round.max),
        gbp(o.annual_cost),
        style="bold",
    )
    out.append(phases)

    setups = Table(title="Set-up cost by phase (LAs with training)", box=box.SIMPLE_HEAD, title_justify="left")
    setups.add_column("Phase")
    setups.add_column("LAs", justify="right")
    for name in ("Mean", "Min", "Max"):
        _money_col(setups, name)
    for name, spread in [(p.phase, p.setup) for p in est.phases] + [("All", o.setup)]:
        if spread is None:
            row(setups, name, "0", "—", "—", "—")
        else:
            row(
                setups,
                name,
                str(spread.n),
                gbp(spread.mean),
                gbp(spread.min),
                gbp(spread.max),
                style="bold" if name == "All" else "",
            )
    out.append(setups)

    modes = Table(
        title="By mode (mean over LAs of their rounds of that mode)", box=box.SIMPLE_HEAD, title_justify="left"
    )
    modes.add_column("Mode")
    modes.add_column("LAs", justify="right")
    modes.add_column("Rounds", justify="right")
    for name in ("Mean/round", "Annual", "£/attendee"):
        _money_col(modes, name)
    for m in est.modes:
        row(
            modes,
            m.mode.value,
            str(m.las),
            str(m.rounds),
            gbp(m.mean_total_per_round),
            gbp(m.annual_cost),
            gbp(m.cost_per_attendee),
        )
    out.append(modes)
    a = est.assumptions
    out.append(
        f"[dim]Assumptions: {rpy} rounds a year; mileage £{a.mileage_rate}/mile; untied panel and steering "
        f"lines spread evenly over the LA's rounds; unit costs: {Path(table.path).name} "
        f"({table.price_year} prices). All figures in {table.price_year} prices, rounded half-up to the penny "
        f"for display only.[/]"
    )
    return [titled(r) for r in out]


def print_estimate(est: Estimate, table: UnitCostTable, console: Console | None = None) -> None:
    console = console or stdout()
    for renderable in estimate_renderables(est, table):
        console.print(safe(renderable))


def _days(value: Decimal | None) -> str:
    return "—" if value is None else places(value, 2)


def _prob(value: Decimal | None) -> str:
    return "—" if value is None else percent(value)


def savings_renderables(s: Savings) -> list:
    """Table 21 (sickness costs by group and the saving), then net cost, break-even and intervals."""
    a = s.assumptions
    out: list = []
    t21 = Table(
        title=f"Sickness-absence cost per staff member over {a.recall_months} months (report Table 21)",
        box=box.SIMPLE_HEAD,
        title_justify="left",
    )
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
    out.append(t21)
    out.append(
        "[dim]Combined = the report's method (mean of the phase figures); pooled = all respondents "
        "together. Saving = control mean − intervention mean.[/]"
    )
    out.append("")  # the next table starts apart from the note above it

    net = Table(
        title="Does it pay for itself? A year, LAs with staff numbers", box=box.SIMPLE_HEAD, title_justify="left"
    )
    net.add_column("Phase", no_wrap=True)
    net.add_column("Int.\nstaff", justify="right", no_wrap=True)
    for name in ("Saving\na year", "Running\ncost a year", "Net cost\na year"):
        _money_col(net, name)
    net.add_column("Break-even\ndays/person", justify="right", no_wrap=True)
    for p in s.phases:
        row(
            net,
            p.phase,
            str(p.intervention_staff),
            gbp(p.annual_saving_total, none="—"),
            gbp(p.annual_running_cost, none="—"),
            bold(gbp(p.net_annual_cost, none="—")),
            _days(p.break_even_sick_days_per_staff),
        )
    out.append(net)
    out.append(
        "[dim]Net = running cost − saving (negative: the rounds save more than they cost). Break-even = "
        "days of sickness absence each intervention staff member must avoid a year for the rounds to pay "
        "for themselves.[/]"
    )

    if a.bootstrap:
        out.append("")
        ci = Table(
            title=f"How sure? 95% intervals from {a.bootstrap:,} bootstrap resamples (seed {a.seed})",
            box=box.SIMPLE_HEAD,
            title_justify="left",
        )
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
        out.append(ci)
        out.extend(plain_english(s))
    return [titled(r) for r in out]


def print_savings(s: Savings, console: Console | None = None) -> None:
    console = console or stdout()
    for renderable in savings_renderables(s):
        console.print(safe(renderable))
