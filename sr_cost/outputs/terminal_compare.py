"""The terminal view of a comparison: the options side by side, the horizon, the sentence, and with
``--sensitivity`` a tornado per option and the break-even attendance."""

from __future__ import annotations

from decimal import Decimal

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from sr_cost.core.comparison import Basis, Comparison, Figures, Option, Swing
from sr_cost.money import gbp, percent, places, round_half_up
from sr_cost.outputs.terminal import bold, row, safe, titled
from sr_cost.outputs.wording import (
    INTERVAL_ROWS,
    LABELS,
    SAVING_FIGURES,
    break_even_sentences,
    pct,
    ranges_text,
    rounds_text,
    summary,
)

LOW_MARK, HIGH_MARK = "▒", "█"


def _shown(name: str, value: Decimal | None) -> str:
    if value is None:
        return "—"
    if name == "attendees_per_round":
        return places(value, 1)
    if name == "break_even_sick_days":
        return places(value, 2)
    return gbp(value)


# --- the sentence -----------------------------------------------------------------------------


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
    fmt = {
        "n": c.years,
        "rpy": rounds_text(a.rounds_per_year) if a.rounds_per_year == b.rounds_per_year else "n",
        "r": pct(c.discount_rate),
    }
    t = Table(
        title=f"Side by side, a typical LA ({c.price_year} prices)",
        box=box.SIMPLE_HEAD,
        title_justify="left",
        padding=(0, 1),
    )
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
        row(
            t,
            LABELS[name].format(**fmt),
            *cells,
            style=style,
            end_section=name
            in ("setup", "mean_total_per_round", "pooled_cost_per_attendee", "horizon_cost_per_attendee"),
        )
        ends = [o.saving_intervals.get(name) for o in (a, b)]
        if any(ends) and name != "net_cost_present_value":  # its interval is in the table "Does it pay?"
            for label, end in INTERVAL_ROWS:
                row(t, label, *(gbp(i[end]) if i else "—" for i in ends), "", "", style="dim")
    return t


def horizon_table(c: Comparison) -> Table:
    a, b = c.options
    t = Table(
        title=f"Over {c.years} years ({c.price_year} prices, discounted at {pct(c.discount_rate)} a year)",
        box=box.SIMPLE_HEAD,
        title_justify="left",
        padding=(0, 1),
    )
    t.add_column("Year", justify="right", no_wrap=True)
    heads = _heads(c)
    for head in heads:
        t.add_column(f"{head}\ncost", justify="right", no_wrap=True)
    t.add_column("Discount\nfactor", justify="right", no_wrap=True)
    for head in heads:
        t.add_column(f"{head}\npresent value", justify="right", no_wrap=True)
    for ya, yb in zip(a.horizon.years, b.horizon.years):
        row(
            t,
            str(ya.year),
            gbp(ya.total),
            gbp(yb.total),
            places(ya.discount_factor, 4),
            gbp(ya.present_value),
            gbp(yb.present_value),
        )
    row(
        t,
        "Total",
        gbp(a.horizon.total),
        gbp(b.horizon.total),
        "",
        gbp(a.horizon.present_value),
        gbp(b.horizon.present_value),
        style="bold",
    )
    row(
        t,
        "£/att.",
        gbp(a.horizon.cost_per_attendee, none="—"),
        gbp(b.horizon.cost_per_attendee, none="—"),
        "",
        "",
        "",
        style="dim",
    )
    return t


def _bar(s: Swing, base: Decimal, scale: Decimal, width: int) -> Text:
    """A tornado bar: the centre is the base figure; left costs less, right costs more."""
    half = width // 2
    cells = [(" ", "")] * width
    cells[half] = ("│", "dim")
    ends = [(v - base, LOW_MARK, "cyan") for v in (s.low,) if v is not None]
    ends += [(v - base, HIGH_MARK, "magenta") for v in (s.high,) if v is not None]
    # the longer end first, so that a shorter one on the same side stays visible
    for dev, mark, style in sorted(ends, key=lambda e: abs(e[0]), reverse=True):
        n = 0 if not scale else int(round_half_up(abs(dev) / scale * half, 0))
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
    scale = max(
        (
            abs(v - base)
            for r in s.rows
            for sw, base in zip(r.swings, s.base)
            for v in (sw.low, sw.high)
            if v is not None
        ),
        default=Decimal(0),
    )
    name_width = max(len(r.name) for r in s.rows)
    money_width = max(
        (len(gbp(v)) for r in s.rows for sw in r.swings for v in (sw.low, sw.high) if v is not None), default=1
    )
    # the rest of the line: the name, two money columns, 1 character of padding either side of each
    # of the 4 columns, 3 column dividers and the 2 edges
    bar_width = max(11, min(41, width - name_width - 2 * max(money_width, 7) - 8 - 3 - 2))
    if bar_width % 2 == 0:
        bar_width -= 1
    for i, o in enumerate(c.options):
        t = Table(
            title=f"What moves the {s.metric} of {escape(o.label)}: now {gbp(s.base[i])} ({c.price_year} prices)",
            box=box.SIMPLE_HEAD,
            title_justify="left",
            padding=(0, 1),
        )
        t.add_column("Assumption", no_wrap=True)
        t.add_column("At low", justify="right", no_wrap=True)
        t.add_column("At high", justify="right", no_wrap=True)
        t.add_column(Text("less ◀ │ ▶ more", justify="center"), no_wrap=True, width=bar_width)
        for r in s.rows:
            sw = r.swings[i]
            if sw.low is None and sw.high is None:
                row(t, r.name, "—", "—", "", style="dim")
                continue
            row(t, r.name, gbp(sw.low, none="—"), gbp(sw.high, none="—"), _bar(sw, s.base[i], scale, bar_width))
        out.append(t)
    out.append(
        f"[dim]{LOW_MARK} low end of the range, {HIGH_MARK} high end (a bar left of │ costs less than now). "
        f"{escape(ranges_text(s))}[/]"
    )
    for note in s.notes:
        out.append(f"[dim]{escape(note)}[/]")
    return out


def break_even_table(c: Comparison) -> Table:
    s = c.sensitivity
    att = next(r for r in s.rows if r.key == "attendance")
    t = Table(
        title="Attendance: cost per attendee, and the attendance at which each option costs what the other "
        "does per attendee now",
        box=box.SIMPLE_HEAD,
        title_justify="left",
        padding=(0, 1),
    )
    t.add_column("Option", overflow="fold")
    t.add_column("Attendees\na round", justify="right", no_wrap=True)
    t.add_column("£ per\nattendee", justify="right", no_wrap=True)
    t.add_column("at -25%\nattendance", justify="right", no_wrap=True)
    t.add_column("at +25%\nattendance", justify="right", no_wrap=True)
    t.add_column("Break-even\nattendees", justify="right", no_wrap=True)
    for b, sw in zip(s.break_even, att.swings):
        row(
            t,
            b.label,
            places(b.attendees_per_round, 1),
            gbp(b.cost_per_attendee, none="—"),
            gbp(sw.low_per_attendee, none="—"),
            gbp(sw.high_per_attendee, none="—"),
            bold(places(b.attendees_needed, 1) if b.attendees_needed is not None else "none"),
        )
    return t


def decision_table(c: Comparison) -> list:
    """Does each option pay, over the horizon (a typical LA, with its saving)?"""
    a, b = c.options
    if a.decision is None and b.decision is None:
        return []
    t = Table(
        title=f"Does it pay? A typical LA over {c.years} years, at present value",
        box=box.SIMPLE_HEAD,
        title_justify="left",
        padding=(0, 1),
    )
    t.add_column("", no_wrap=True)
    for head in _heads(c):
        t.add_column(head, justify="right", no_wrap=True)

    def cells(fn) -> list[str]:
        return [fn(o.decision, o.decision_spread) if o.decision is not None else "—" for o in c.options]

    row(t, "Net cost (PV)", *cells(lambda d, s: gbp(d.net_present_value)))
    row(t, "  95% interval from", *cells(lambda d, s: gbp(s.net_present_value.low) if s else "—"), style="dim")
    row(t, "  to", *cells(lambda d, s: gbp(s.net_present_value.high) if s else "—"), style="dim")
    row(t, "£ back per £1 (PV)", *[bold(x) for x in cells(lambda d, s: gbp(d.roi, none="—"))])
    row(t, "  95% interval", *cells(lambda d, s: f"{gbp(s.roi.low)} to {gbp(s.roi.high)}" if s else "—"))
    row(t, "  P(at least £1 back)", *cells(lambda d, s: percent(s.p_roi_at_least_1) if s else "—"))
    row(
        t,
        "Payback",
        *cells(
            lambda d, s: (
                f"{places(d.payback_months, 1)} months" if d.payback_months is not None else f"not in {d.years} yrs"
            )
        ),
    )
    row(t, "Most set-up fee", *cells(lambda d, s: gbp(d.max_setup_fee, none="—")))
    row(t, "Most cost per round", *cells(lambda d, s: gbp(d.max_cost_per_round, none="—")))
    row(t, "Least saving/staff a year", *cells(lambda d, s: gbp(d.break_even_saving_per_staff, none="—")))
    return [
        t,
        "[dim]Net cost = costs − savings over the horizon (negative: the option pays). The saving is an "
        "extrapolation from the survey's respondents (see `sr-cost savings`). 'Most' and 'least' each solve for "
        "a net present value of 0.[/]",
    ]


def compare_renderables(c: Comparison, width: int = 80) -> list:
    out: list = [
        _title(c),
        f"[dim]Figures in {escape(c.uplift.describe())}.[/]",
        options_table(c),
        horizon_table(c),
        f"[bold]{escape(summary(c))}[/]",
    ]
    out.append(
        "[dim]A typical LA: per-round figures and attendees are means over the option's LAs; cost per "
        "attendee = mean cost per round ÷ mean attendees per round (pooled: all round costs ÷ all "
        "attendance, as `sr-cost estimate` shows by mode). Ratio and difference are B against A.[/]"
    )
    for note in c.notes:
        out.append(f"[dim]{escape(note)}[/]")
    out.extend(decision_table(c))
    if c.sensitivity is not None:
        out.extend(tornado(c, width))
        out.append(break_even_table(c))
        out.extend(f"[dim]{escape(line)}[/]" for line in break_even_sentences(c.sensitivity))
    return out


def print_compare(c: Comparison, console: Console) -> None:
    for renderable in compare_renderables(c, console.width):
        console.print(safe(titled(renderable)))
