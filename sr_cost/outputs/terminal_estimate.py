"""The terminal view of an estimate: the report's Tables 19 and 20 per LA (or a summary of many
LA-phases), the phases and the modes (the savings' view: ``terminal_savings``)."""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from sr_cost.core.estimate import Estimate, LaEstimate
from sr_cost.core.unit_costs import UnitCostTable
from sr_cost.money import gbp, places
from sr_cost.outputs.terminal import bold, row, safe, stdout, titled
from sr_cost.outputs.wording import prices_text, rounds_basis, rounds_text

MAX_LA_ROWS = 40  # LA-phases shown one by one; more get a summary (the CSV and workbook have them all)
EXTREMES = 5  # with a summary: the LA-phases with the highest and the lowest mean cost per round


def _money_col(table: Table, name: str) -> None:
    table.add_column(name, justify="right", no_wrap=True)


def la_renderables(las: Sequence[LaEstimate]) -> list:
    """Table 19 (set-up), Table 20 (cost per round by component) and attendance, an LA-phase a row."""
    setup = Table(
        title="Set-up cost: initial training per LA (report Table 19)", box=box.SIMPLE_HEAD, title_justify="left"
    )
    setup.add_column("LA", no_wrap=True)
    setup.add_column("Phase")
    for name in ("Direct", "Indirect", "Total"):
        _money_col(setup, name)
    for la in las:
        if la.setup is None:
            row(setup, la.la, la.phase, "—", "—", "no training lines", style="dim")
        else:
            row(setup, la.la, la.phase, gbp(la.setup.direct), gbp(la.setup.indirect), gbp(la.setup.total))

    per = Table(title="Mean cost per round by component (report Table 20)", box=box.SIMPLE_HEAD, title_justify="left")
    per.add_column("LA", no_wrap=True)
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

    att = Table(title="Attendance and annual cost per LA", box=box.SIMPLE_HEAD, title_justify="left", pad_edge=False)
    att.add_column("LA", no_wrap=True)
    att.add_column("Ph", no_wrap=True)
    att.add_column("Attend-\nances", justify="right", no_wrap=True)
    att.add_column("Per\nround", justify="right", no_wrap=True)
    att.add_column("£ per\nattendee", justify="right", no_wrap=True)
    att.add_column("Rounds:\nforms→yr", justify="right", no_wrap=True)
    for name in ("Annual", "First year"):
        _money_col(att, name)
    for la in las:
        row(
            att,
            la.la,
            la.phase,
            f"{la.attendances.normalize():f}",
            places(la.attendees_per_round, 1),
            gbp(la.cost_per_attendee),
            f"{la.rounds}→{rounds_text(la.rounds_per_year)}",
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
    t.add_column("LA", no_wrap=True)
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
    a = est.assumptions
    rpy = a.rounds_per_year_in_use
    phases = Table(
        title="Cost per round by phase "
        + (
            f"(annual = {rpy} rounds × the mean over LAs)"
            if a.period_months is None
            else "(annual = the mean of its LAs' annual costs)"
        ),
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
    per_person = [f"phase {p.phase} {gbp(p.report_per_person)}" for p in est.phases if p.report_per_person is not None]
    if per_person:
        out.append(
            "[dim]The report's per-person cost, a crude approximation as its footnote 4 says: a typical LA's "
            f"six months ÷ all the phase's feedback forms: {', '.join(per_person)}.[/]"
        )

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
    untied = (
        "untied panel and steering lines spread evenly over the LA's rounds"
        if a.period_months is None
        else "untied panel lines spread evenly over the LA's rounds; untied steering lines are costs of the "
        f"{a.period_months} months (a year's = × 12 / {a.period_months}), shown per round as an even share"
    )
    out.append(
        escape(
            f"Assumptions: rounds a year: {rounds_basis(a)}; mileage £{a.mileage_rate}/mile; {untied}; unit costs: "
            f"{table.shown_as} ({table.price_year} prices). Figures in {prices_text(a, table.price_year)}, rounded "
            "half-up to the penny for display only."
        ).join(("[dim]", "[/]"))
    )
    return [titled(r) for r in out]


def print_estimate(est: Estimate, table: UnitCostTable, console: Console | None = None) -> None:
    console = console or stdout()
    for renderable in estimate_renderables(est, table):
        console.print(safe(renderable))
