"""Renderings of a comparison: rich tables and a tornado for the terminal, and the JSON contract.

Money is rounded half-up to the penny only here; other figures (attendees, days, ratios, discount
factors) are rounded half-up to a stated number of places.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.text import Text

from sr_cost.comparison import Basis, Comparison, Figures, Option
from sr_cost.sensitivity import (ATTENDANCE_RANGE, HOURS_PER_DAY_RANGE, ROUNDS_PER_YEAR_RANGE, UNIT_COST_RANGE,
                                 BreakEven, Sensitivity, Swing)
from sr_cost.money import gbp, money_str
from sr_cost.rich_table import Table, bold

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
    "annual_saving": "Saving a year",
    "net_annual_cost": "Net cost a year",
    "net_cost_present_value": "Net cost, present value",
    "break_even_sick_days": "Break-even sick days",
}
SAVING_FIGURES = ("annual_saving", "net_annual_cost", "net_cost_present_value", "break_even_sick_days")


def places(value: Decimal | None, n: int) -> str | None:
    """A non-money figure as a string with ``n`` decimals, rounded half-up."""
    if value is None:
        return None
    return f"{value.quantize(Decimal(1).scaleb(-n), rounding=ROUND_HALF_UP):.{n}f}"


def pct(rate: Decimal) -> str:
    """0.035 -> '3.5%'."""
    return f"{(rate * 100).normalize():f}%"


def _figure(name: str, value: Decimal | None) -> str | None:
    return places(value, 2) if name in Figures.NOT_MONEY else money_str(value)


def _shown(name: str, value: Decimal | None) -> str:
    if value is None:
        return "—"
    if name == "attendees_per_round":
        return places(value, 1)
    if name == "break_even_sick_days":
        return places(value, 2)
    return gbp(value)


# --- the sentence -----------------------------------------------------------------------------

def summary(c: Comparison) -> str:
    """One plain sentence on what the comparison says."""
    a, b = c.options
    parts = []
    ratio = c.ratio.mean_total_per_round
    times = f" ({places(ratio, 2)} times as much)" if ratio is not None else ""
    parts.append(f"Per round, {b.label} costs {gbp(b.mean_total_per_round)} against {gbp(a.mean_total_per_round)} "
                 f"for {a.label}{times}")
    if a.cost_per_attendee is not None and b.cost_per_attendee is not None:
        if a.cost_per_attendee == b.cost_per_attendee:
            per = f"per attendee they cost the same ({gbp(a.cost_per_attendee)})"
        else:
            cheap, dear = (a, b) if a.cost_per_attendee < b.cost_per_attendee else (b, a)
            per = (f"per attendee {cheap.label} is cheaper ({gbp(cheap.cost_per_attendee)} against "
                   f"{gbp(dear.cost_per_attendee)})")
            pa, pb = a.pooled_cost_per_attendee, b.pooled_cost_per_attendee
            if pa is not None and pb is not None and (pa < pb) != (a.cost_per_attendee < b.cost_per_attendee):
                per += (f", but pooling all rounds gives the opposite ({gbp(pa)} against {gbp(pb)}), so which is "
                        f"cheaper per person reached depends on how LAs are weighted")
        parts.append(per)
    diff = c.difference.present_value
    more = "more" if diff > 0 else "less"
    parts.append(f"over {c.years} years in {c.price_year} prices, {b.label} costs {gbp(b.horizon.present_value)} at "
                 f"present value against {gbp(a.horizon.present_value)}"
                 + ("" if diff == 0 else f", {gbp(abs(diff))} {more}"))
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


# --- JSON -------------------------------------------------------------------------------------

def _option_dict(o: Option) -> dict[str, Any]:
    figures = {name: _figure(name, value) for name, value in Figures.of(o).items()}
    s = o.saving
    return {
        "label": o.label, "description": o.description, "forms": o.path, "las": o.las, "rounds": o.rounds,
        "setup_las": o.setup_las,
        "per_round": {"panel": money_str(o.per_round.panel), "round": money_str(o.per_round.round),
                      "steering": money_str(o.per_round.steering), "total": money_str(o.per_round.total)},
        "rounds_per_year": o.rounds_per_year,
        **figures,
        "savings": None if s is None else {
            "source": s.source, "phases": list(s.phases),
            "annual_saving_per_staff": money_str(s.annual_per_staff),
            "annual_saving_per_staff_ci_low": money_str(s.interval[0]) if s.interval else None,
            "annual_saving_per_staff_ci_high": money_str(s.interval[1]) if s.interval else None,
            "intervention_staff_per_la": places(s.staff_per_la, 2),
            "mean_hourly_cost": money_str(s.mean_hourly), "hours_per_day": places(s.hours_per_day, 2),
        },
    }


def _horizon_dict(c: Comparison) -> dict[str, Any]:
    return {
        "years": c.years, "discount_rate": places(c.discount_rate, 4),
        "rule": "year 1: set-up + running cost; later years: running cost; year t (t = 0 first) x (1 + r)^-t",
        "options": [
            {"label": o.label,
             "by_year": [{"year": y.year, "setup": money_str(y.setup), "running": money_str(y.running),
                          "cost": money_str(y.total), "discount_factor": places(y.discount_factor, 6),
                          "present_value": money_str(y.present_value)} for y in o.horizon.years],
             "total": money_str(o.horizon.total), "present_value": money_str(o.horizon.present_value),
             "attendances_per_year": places(o.horizon.attendances_per_year, 2),
             "cost_per_attendee": money_str(o.horizon.cost_per_attendee)}
            for o in c.options
        ],
    }


def _swing_dict(label: str, s: Swing) -> dict[str, Any]:
    return {"label": label, "low": money_str(s.low), "high": money_str(s.high),
            "low_cost_per_attendee": money_str(s.low_per_attendee),
            "high_cost_per_attendee": money_str(s.high_per_attendee),
            "swing": money_str(s.width) if s.low is not None and s.high is not None else None}


def _break_even_dict(b: BreakEven) -> dict[str, Any]:
    return {"label": b.label, "against": b.against, "attendees_per_round": places(b.attendees_per_round, 2),
            "cost_per_attendee": money_str(b.cost_per_attendee), "target_cost_per_attendee": money_str(b.target),
            "attendees_per_round_needed": places(b.attendees_needed, 2)}


def sensitivity_dict(c: Comparison) -> dict[str, Any] | None:
    s = c.sensitivity
    if s is None:
        return None
    labels = [o.label for o in c.options]
    return {
        "metric": s.metric,
        "base": [{"label": label, "value": money_str(v)} for label, v in zip(labels, s.base)],
        "ranges": {"attendance": [places(x, 2) for x in ATTENDANCE_RANGE],
                   "unit_costs": [places(x, 2) for x in UNIT_COST_RANGE],
                   "rounds_per_year": list(ROUNDS_PER_YEAR_RANGE),
                   "catering": ["dropped", "kept"],
                   "hours_per_day": [places(x, 2) for x in HOURS_PER_DAY_RANGE],
                   "saving_interval": ["95% interval low end", "high end"]},
        "rows": [{"key": r.key, "assumption": r.name, "low": r.low_label, "high": r.high_label,
                  "options": [_swing_dict(label, sw) for label, sw in zip(labels, r.swings)]} for r in s.rows],
        "break_even_attendance": [_break_even_dict(b) for b in s.break_even],
        "notes": list(s.notes),
    }


def _uplift_dict(c: Comparison) -> dict[str, Any]:
    u = c.uplift
    return {"price_year": u.price_year, "unit_costs_price_year": u.from_year, "method": u.method.value,
            "factor": places(u.factor, 6), "index": u.index_path, "index_sha256": u.index_sha256,
            "index_from": None if u.index_from is None else f"{u.index_from.normalize():f}",
            "index_to": None if u.index_to is None else f"{u.index_to.normalize():f}",
            "rate_pct": None if u.rate_pct is None else f"{u.rate_pct.normalize():f}",
            "note": u.describe()}


def compare_to_dict(run) -> dict[str, Any]:
    """The stable JSON contract of ``sr-cost compare --format json`` (a ``CompareRun``)."""
    from sr_cost.export import provenance

    c = run.comparison
    payload = provenance(run.table, run.inputs)
    if run.index is not None:
        payload["inputs"].append({"path": run.index.path, "sha256": run.index.sha256})
    est = run.runs[0].estimate
    savings = next((r.savings for r in run.runs if r.savings is not None), None)
    payload.update({
        "basis": c.basis.value,
        "prices": _uplift_dict(c),
        "assumptions": {
            "rounds_per_year": est.assumptions.rounds_per_year,
            "mileage_rate_gbp_per_mile": money_str(est.assumptions.mileage_rate),
            "years": c.years, "discount_rate": places(c.discount_rate, 4),
            "per_round": "mean over the option's LAs of their mean cost per round",
            "attendees_per_round": "mean over the option's LAs",
            "cost_per_attendee": "mean cost per round / mean attendees per round; pooled: all round costs / "
                                 "all attendance",
            "setup": ("mean over all the set's LAs with training lines, the same for both modes"
                      if c.basis is Basis.mode else "mean over the option's LAs with training lines"),
            "savings": None if savings is None else {
                "hours_per_day": places(savings.assumptions.hours_per_day, 2),
                "recall_months": savings.assumptions.recall_months,
                "absence_basis": savings.assumptions.absence_basis.value,
                "bootstrap": savings.assumptions.bootstrap, "seed": savings.assumptions.seed,
                "scale": "annual saving per staff member x mean intervention staff per LA"},
        },
        "options": [_option_dict(o) for o in c.options],
        "difference": {name: _figure(name, value) for name, value in c.difference.items()},
        "ratio": {name: places(value, 4) for name, value in c.ratio.items()},
        "horizon": _horizon_dict(c),
        "sensitivity": sensitivity_dict(c),
        "summary": summary(c),
        "notes": list(c.notes),
    })
    return payload


# --- rich -------------------------------------------------------------------------------------

def _title(c: Comparison) -> str:
    a, b = c.options
    if c.basis is Basis.sets:
        what = f"A = {a.label} ({a.path}) against B = {b.label} ({b.path})"
    else:
        def name(o: Option, letter: str) -> str:
            return f"{o.subset} ({letter})" if o.label in o.subset else f"{letter} = {o.label} ({o.subset})"
        what = f"{name(a, 'A')} against {name(b, 'B')} of {a.path}"
    return f"[bold]Compare[/] {escape(what)}"


def _heads(c: Comparison) -> tuple[str, str]:
    """Column heads: the labels when they are short, else A and B (the title says which is which)."""
    a, b = c.options
    if max(len(a.label), len(b.label)) <= 11:
        return escape(a.label), escape(b.label)
    return "A", "B"


def options_table(c: Comparison) -> Table:
    a, b = c.options
    fmt = {"n": c.years, "rpy": a.rounds_per_year if a.rounds_per_year == b.rounds_per_year else "n", "r": pct(c.discount_rate)}
    t = Table(title=f"Side by side, a typical LA ({c.price_year} prices)", box=box.SIMPLE_HEAD, title_justify="left",
              padding=(0, 1))
    t.add_column("", no_wrap=True)
    for head in _heads(c):
        t.add_column(head, justify="right", no_wrap=True)
    t.add_column("B − A", justify="right", no_wrap=True)
    t.add_column("B ÷ A", justify="right", no_wrap=True)
    fa, fb = Figures.of(a), Figures.of(b)
    has_saving = a.saving is not None or b.saving is not None
    for (name, x), (_, y), (_, d), (_, r) in zip(fa.items(), fb.items(), c.difference.items(), c.ratio.items()):
        if name in SAVING_FIGURES and not has_saving:
            continue
        strong = name in ("mean_total_per_round", "cost_per_attendee", "present_value", "net_annual_cost")
        style = "dim" if name == "pooled_cost_per_attendee" else ""
        cells = [_shown(name, x), _shown(name, y), _shown(name, d), "—" if r is None else f"{places(r, 2)}×"]
        if strong:
            cells = [bold(v) for v in cells]
        t.add_row(LABELS[name].format(**fmt), *cells, style=style,
                  end_section=name in ("setup", "mean_total_per_round", "pooled_cost_per_attendee",
                                       "horizon_cost_per_attendee"))
    return t


def horizon_table(c: Comparison) -> Table:
    a, b = c.options
    t = Table(title=f"Over {c.years} years ({c.price_year} prices, discounted at {pct(c.discount_rate)} a year)",
              box=box.SIMPLE_HEAD, title_justify="left", padding=(0, 1))
    t.add_column("Year", justify="right", no_wrap=True)
    heads = _heads(c)
    for head in heads:
        t.add_column(f"{head}\ncost", justify="right", no_wrap=True)
    t.add_column("Discount\nfactor", justify="right", no_wrap=True)
    for head in heads:
        t.add_column(f"{head}\npresent value", justify="right", no_wrap=True)
    for ya, yb in zip(a.horizon.years, b.horizon.years):
        t.add_row(str(ya.year), gbp(ya.total), gbp(yb.total), places(ya.discount_factor, 4), gbp(ya.present_value),
                  gbp(yb.present_value))
    t.add_row("Total", gbp(a.horizon.total), gbp(b.horizon.total), "", gbp(a.horizon.present_value),
              gbp(b.horizon.present_value), style="bold")
    t.add_row("£/att.", gbp(a.horizon.cost_per_attendee, none="—"), gbp(b.horizon.cost_per_attendee, none="—"), "",
              "", "", style="dim")
    return t


LOW_MARK, HIGH_MARK = "▒", "█"
RANGES = {
    "attendance": "attendance ±25% (the attendees' own time moves with it)",
    "unit_costs": "unit costs ±10% (every role-priced line, and the cost of a sick day)",
    "rounds_per_year": "rounds a year 9 to 12",
    "catering": "catering lines dropped",
    "hours_per_day": "7 to 7.5 hours a sick day",
    "saving_interval": "the saving at the ends of its 95% bootstrap interval",
}


def ranges_text(s: Sensitivity) -> str:
    """The ranges of the rows shown, in one sentence."""
    keys = [k for k in RANGES if any(r.key == k for r in s.rows)]
    return "Ranges: " + ", ".join(RANGES[k] for k in keys) + "."


def _bar(s: Swing, base: Decimal, scale: Decimal, width: int) -> Text:
    """A tornado bar: the centre is the base figure; left costs less, right costs more."""
    half = width // 2
    cells = [(" ", "")] * width
    cells[half] = ("│", "dim")
    ends = [(v - base, LOW_MARK, "cyan") for v in (s.low,) if v is not None]
    ends += [(v - base, HIGH_MARK, "magenta") for v in (s.high,) if v is not None]
    # the longer end first, so that a shorter one on the same side stays visible
    for dev, mark, style in sorted(ends, key=lambda e: abs(e[0]), reverse=True):
        n = 0 if not scale else int((abs(dev) / scale * half).to_integral_value(rounding=ROUND_HALF_UP))
        if dev and not n:
            n = 1
        for k in range(1, min(n, half) + 1):
            cells[half - k if dev < 0 else half + k] = (mark, style)
    text = Text()
    for ch, style in cells:
        text.append(ch, style=style)
    return text


def tornado(c: Comparison, width: int) -> list:
    """One tornado per option, on a common scale."""
    s = c.sensitivity
    out: list = []
    scale = max((abs(v - base) for r in s.rows for sw, base in zip(r.swings, s.base)
                 for v in (sw.low, sw.high) if v is not None), default=Decimal(0))
    name_width = max(len(r.name) for r in s.rows)
    money_width = max((len(gbp(v)) for r in s.rows for sw in r.swings for v in (sw.low, sw.high) if v is not None),
                      default=1)
    # the rest of the line: the name, two money columns, 1 character of padding either side of each
    # of the 4 columns, 3 column dividers and the 2 edges
    bar_width = max(11, min(41, width - name_width - 2 * max(money_width, 7) - 8 - 3 - 2))
    if bar_width % 2 == 0:
        bar_width -= 1
    for i, o in enumerate(c.options):
        t = Table(title=f"What moves the {s.metric} of {escape(o.label)}: now {gbp(s.base[i])} ({c.price_year} prices)",
                  box=box.SIMPLE_HEAD, title_justify="left", padding=(0, 1))
        t.add_column("Assumption", no_wrap=True)
        t.add_column("At low", justify="right", no_wrap=True)
        t.add_column("At high", justify="right", no_wrap=True)
        t.add_column(Text("less ◀ │ ▶ more", justify="center"), no_wrap=True, width=bar_width)
        for r in s.rows:
            sw = r.swings[i]
            if sw.low is None and sw.high is None:
                t.add_row(r.name, "—", "—", "", style="dim")
                continue
            t.add_row(r.name, gbp(sw.low, none="—"), gbp(sw.high, none="—"), _bar(sw, s.base[i], scale, bar_width))
        out.append(t)
    out.append(f"[dim]{LOW_MARK} low end of the range, {HIGH_MARK} high end (a bar left of │ costs less than now). "
               f"{escape(ranges_text(s))}[/]")
    for note in s.notes:
        out.append(f"[dim]{escape(note)}[/]")
    return out


def break_even_table(c: Comparison) -> Table:
    s = c.sensitivity
    att = next(r for r in s.rows if r.key == "attendance")
    t = Table(title="Attendance: cost per attendee, and the attendance at which each option costs what the other "
                    "does per attendee now", box=box.SIMPLE_HEAD, title_justify="left", padding=(0, 1))
    t.add_column("Option", overflow="fold")
    t.add_column("Attendees\na round", justify="right", no_wrap=True)
    t.add_column("£ per\nattendee", justify="right", no_wrap=True)
    t.add_column("at -25%\nattendance", justify="right", no_wrap=True)
    t.add_column("at +25%\nattendance", justify="right", no_wrap=True)
    t.add_column("Break-even\nattendees", justify="right", no_wrap=True)
    for b, sw in zip(s.break_even, att.swings):
        t.add_row(b.label, places(b.attendees_per_round, 1), gbp(b.cost_per_attendee, none="—"),
                  gbp(sw.low_per_attendee, none="—"), gbp(sw.high_per_attendee, none="—"),
                  bold(places(b.attendees_needed, 1) if b.attendees_needed is not None else "none"))
    return t


def break_even_sentences(s: Sensitivity) -> list[str]:
    out = []
    for b in s.break_even:
        if not b.attendees_per_round:
            out.append(f"{b.label} records no attendance, so it has no cost per attendee.")
        elif b.target is None:
            continue
        elif b.attendees_needed is None:
            out.append(f"{b.label}: no attendance brings its cost per attendee to {b.against}'s {gbp(b.target)} "
                       f"(each extra attendee's own time costs that much or more, or nothing but attendees' time is "
                       f"costed).")
        else:
            out.append(f"{b.label} would cost what {b.against} costs per attendee ({gbp(b.target)}) at "
                       f"{places(b.attendees_needed, 1)} attendees a round (now {places(b.attendees_per_round, 1)}).")
    return out


def compare_renderables(c: Comparison, width: int = 80) -> list:
    out: list = [_title(c), f"[dim]Figures in {escape(c.uplift.describe())}.[/]", options_table(c),
                 horizon_table(c), f"[bold]{escape(summary(c))}[/]"]
    out.append("[dim]A typical LA: per-round figures and attendees are means over the option's LAs; cost per "
               "attendee = mean cost per round ÷ mean attendees per round (pooled: all round costs ÷ all "
               "attendance, as `sr-cost estimate` shows by mode). Ratio and difference are B against A.[/]")
    for note in c.notes:
        out.append(f"[dim]{escape(note)}[/]")
    if c.sensitivity is not None:
        out.extend(tornado(c, width))
        out.append(break_even_table(c))
        out.extend(f"[dim]{escape(line)}[/]" for line in break_even_sentences(c.sensitivity))
    return out


def print_compare(c: Comparison, console: Console) -> None:
    for renderable in compare_renderables(c, console.width):
        console.print(renderable)
