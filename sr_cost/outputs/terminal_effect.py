"""The terminal view of the cost-effectiveness (``core.effectiveness``): per phase and outcome the
effect, the incremental cost per staff member, the ratio or its quadrant, the net monetary benefit,
the share of resamples in each quadrant and a few points of the acceptability curve; then a sentence
a phase and outcome."""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from sr_cost.core.effectiveness import CostEffectiveness, Quadrant
from sr_cost.core.outcomes import Kind
from sr_cost.money import gbp, percent
from sr_cost.outputs.terminal import row, safe, stdout, titled
from sr_cost.outputs.wording import BASIS_WORDS, pct
from sr_cost.outputs.wording_effect import (
    NOT_SIGNIFICANT,
    PERSPECTIVE_NOTE,
    bare,
    difference_text,
    sentences,
    short_ratio,
)

QUADRANTS = (Quadrant.se, Quadrant.ne, Quadrant.sw, Quadrant.nw)
CURVE_SHOWN = 6  # points of the acceptability curve the terminal shows (the JSON has them all)


def _table(title: str) -> Table:
    return Table(title=title, box=box.SIMPLE_HEAD, title_justify="left")


def _note(text: str) -> str:
    return f"[dim]{escape(text)}[/]"


def effect_table(ce: CostEffectiveness) -> Table:
    s = ce.savings
    t = _table(
        f"Cost-effectiveness per intervention staff member over {s.years} years at {pct(s.discount_rate)} "
        f"(employer's perspective)"
    )
    t.add_column("Phase", no_wrap=True)
    t.add_column("Outcome", no_wrap=True)
    t.add_column("Better by\n(adjusted)", justify="right", no_wrap=True)
    t.add_column("Cost\n(no saving)", justify="right", no_wrap=True)
    t.add_column("Ratio", justify="left", no_wrap=True)
    t.add_column("NMB", justify="right", no_wrap=True)
    for p in ce.phases:
        for r in p.outcomes:
            o, e = r.outcome, r.effect
            cost = "—" if p.cost is None else f"{gbp(p.cost.after_saving)}\n({gbp(p.cost.before_saving)})"
            adjusted = "" if e.adjusted is None else f"\n({difference_text(o, e.adjusted)})"
            row(
                t,
                p.phase,
                o.label,
                difference_text(o, e.difference) + adjusted,
                cost,
                short_ratio(r),
                "—" if r.nmb is None else gbp(r.nmb),
            )
    return t


def uncertainty_table(ce: CostEffectiveness) -> Table | None:
    s = ce.savings
    if not s.bootstrap:
        return None
    t = _table(f"How sure? {s.bootstrap:,} bootstrap resamples (seed {s.seed}): shares on the plane")
    t.add_column("Phase", no_wrap=True)
    t.add_column("Outcome", no_wrap=True)
    t.add_column("Answered\nint./ctrl", justify="right", no_wrap=True)
    t.add_column("Better by\n95% interval", justify="right", no_wrap=True)
    for q in (Quadrant.se, Quadrant.ne, Quadrant.sw, Quadrant.nw):
        t.add_column(q.value.upper(), justify="right", no_wrap=True)
    for p in ce.phases:
        for r in p.outcomes:
            q, ci, o = r.quadrants, r.difference_ci, r.outcome
            row(
                t,
                p.phase,
                o.label,
                f"{r.effect.n_intervention} / {r.effect.n_control}",
                "—" if ci is None else f"{bare(o, ci.low)} to {bare(o, ci.high)}",
                *(("—",) * 4 if q is None else tuple(percent(q[k]) for k in QUADRANTS)),
            )
    return t


def curve_tables(ce: CostEffectiveness) -> list[Table]:
    """Per outcome, a few points of the acceptability curve, a column a phase."""
    out = []
    for o in ce.outcomes:
        results = [(p.phase, r) for p in ce.phases for r in p.outcomes if r.outcome == o and r.curve]
        if not results:
            continue
        t = _table(f"Acceptability curve, {o.label}: P(cost-effective) at a willingness to pay")
        t.add_column(f"£ per {o.unit}", justify="right", no_wrap=True)
        for phase, _ in results:
            t.add_column(f"Phase {phase}", justify="right", no_wrap=True)
        n = len(results[0][1].curve)
        step = max(1, (n - 1) // (CURVE_SHOWN - 1))
        for k in range(0, n, step):
            row(t, gbp(results[0][1].curve[k].wtp), *(percent(r.curve[k].p_cost_effective) for _, r in results))
        out.append(t)
    return out


def effectiveness_renderables(ce: CostEffectiveness) -> list:
    s = ce.savings
    kinds = {o.kind for o in ce.outcomes}
    units = "points of the score" + (", and cases avoided per 100 staff (pts)" if Kind.caseness in kinds else "")
    out: list = [
        effect_table(ce),
        _note(
            f"{PERSPECTIVE_NOTE} Better by: {units}; the headline is unadjusted (everyone who answered), the "
            f"baseline-adjusted difference below it. Cost after the absence saving on {BASIS_WORDS[s.absence_basis]}, "
            "the cost alone below it; the cost after the saving's 95% interval is in the sentences below. "
            "A ratio is shown only better-and-dearer (£ per point or case) or worse-and-"
            "cheaper (£ saved per point given up); cheaper and better is 'dominant', dearer and worse 'dominated'. "
            "NMB = willingness to pay (--wtp, --wtp-case) × effect − cost."
        ),
        "",
    ]
    u = uncertainty_table(ce)
    if u is not None:
        out += [
            u,
            *curve_tables(ce),
            _note(
                "SE better and cheaper, NE better and dearer, SW worse and cheaper, NW worse and dearer: the share of "
                "resamples in each. P(cost-effective): the share whose net monetary benefit is above 0 at that "
                "willingness to pay (the acceptability curve; the JSON and the workbook have every point)."
            ),
            "",
        ]
    out += [escape(text) for text in sentences(ce)]
    out.append(_note(NOT_SIGNIFICANT))
    return [titled(r) for r in out]


def print_effectiveness(ce: CostEffectiveness, console: Console | None = None) -> None:
    console = console or stdout()
    for renderable in effectiveness_renderables(ce):
        console.print(safe(renderable))  # phase labels and a named outcome's column may hold control characters
