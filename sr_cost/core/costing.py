"""Costing Schwartz Rounds: pure functions from validated forms to an ``Estimate``.

The method is the trial report's ("Economic evaluation", Tables 19 and 20):

- set-up cost of an LA and phase = its training lines (direct = fees and other costs; indirect =
  staff time and mileage);
- each round has three components: ``round`` (its own lines), ``panel`` and ``steering`` (lines
  tied to that round, plus an even share of the LA-phase's lines tied to no round);
- an LA-phase's mean per round of each component = its total / number of rounds;
- a phase's mean per round = the mean over its LAs of their mean total per round, and its annual
  cost = rounds per year x that mean (likewise overall and per mode).

When the period the forms cover is known (``Assumptions.period_months``), an LA-phase's annual cost
is its rounds a year x its mean per round without the steering lines tied to no round, plus a year
of those (``Assumptions.annual``), and a phase's (mode's, overall) annual cost is the mean of its
LAs'. The per-round figures are the same either way. Re-pricing (``Assumptions.prices``) multiplies
staff time priced from the unit-cost table by one factor and money typed into the forms (``cost``,
an own ``rate``) and the mileage rate by another (``reprice``), before anything is added up.

Everything is Decimal; nothing is rounded here.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

import numpy as np

from sr_cost.core.columns import UNBOUNDED, Exact, add, joint_keys, natural_key, sum_terms
from sr_cost.core.estimate import (
    Assumptions,
    Components,
    Estimate,
    LaEstimate,
    ModeEstimate,
    ModeFigures,
    OverallEstimate,
    PhaseEstimate,
    RoundCosts,
    Setup,
    Spread,
)
from sr_cost.core.lines import MODES, CostForms, FormKind, FormLines, Mode
from sr_cost.money import ZERO


def line_terms(t: FormLines, mileage_rate: Decimal) -> tuple[Exact, Exact, Exact]:
    """What each line costs, exactly, in its three parts: staff time (staff x hours x rate), mileage
    (miles x mileage rate) and direct cost. Their sum is the line's cost; staff time and mileage
    are indirect cost, the direct cost is ``cost``. This is the one definition of a line's cost in
    Python (the workbook's Lines sheet states it again as a formula, and Checks compares them)."""
    staff_time = t.exact("staff") * t.exact("hours") * t.exact("rate")
    mileage = t.exact("miles") * Exact.constant(mileage_rate, len(t))
    return staff_time, mileage, t.exact("cost")


def line_costs(t: FormLines, mileage_rate: Decimal) -> list[Decimal]:
    """Each line's cost, ``line_terms`` added up, as an exact Decimal per line (in order)."""
    total = add(list(line_terms(t, mileage_rate)))
    return [Decimal(v).scaleb(total.exp, UNBOUNDED) for v in total.ints.tolist()]


def reprice(t: FormLines, staff_time_factor: Decimal, forms_money_factor: Decimal) -> FormLines:
    """One form's lines re-priced: the rate of lines priced from the unit-cost table x the staff-time
    factor; a line's own rate and its direct cost x the forms' money factor. Exact."""
    changed = {}
    if staff_time_factor != 1 and (~t.own_rate).any():
        changed["rate"] = t.scaled("rate", staff_time_factor, ~t.own_rate)
        t = t.with_numbers(**changed)
    if forms_money_factor != 1:
        if t.own_rate.any():
            changed["rate"] = t.scaled("rate", forms_money_factor, t.own_rate)
        changed["cost"] = t.scaled("cost", forms_money_factor)
    return t.with_numbers(**changed) if changed else t


@dataclass(frozen=True)
class LineSums:
    """Exact sums of the forms' lines by round and by LA and phase."""

    rounds: RoundCosts
    by_la: dict[tuple[str, str], dict[str, Decimal]]  # (la, phase) -> form -> total of its lines
    setups: dict[tuple[str, str], Setup]
    untied_steering: dict[tuple[str, str], Decimal]  # (la, phase) -> its steering lines tied to no round


def line_sums(forms: CostForms, assumptions: Assumptions) -> LineSums:
    staff, money = assumptions.staff_time_factor, assumptions.forms_money_factor
    tables = {kind: reprice(t, staff, money) for kind, t in forms.lines.items()}
    rate = assumptions.mileage_rate * money
    kinds = [k for k in (FormKind.rounds, FormKind.panel, FormKind.steering, FormKind.training) if k in tables]
    if FormKind.rounds not in tables:
        return LineSums(
            RoundCosts(la=[], phase=[], round=[], mode=[], panel=[], own=[], steering=[], attendance=[], lines=[]),
            {},
            {},
            {},
        )
    labels = tables[FormKind.rounds].vocab.labels
    terms = {k: line_terms(tables[k], rate) for k in kinds}
    # keys: (la, phase) of every line of every form; (la, phase, round) of the rounds form's lines
    # and of the panel and steering lines tied to a round. The rounds form comes first, so its keys
    # are 0..n-1 in order of first appearance.
    lp, n_lp, lp_table, lp_row = joint_keys([[tables[k].la, tables[k].phase] for k in kinds])
    lp_of = dict(zip(kinds, lp))
    lp_label = [
        (labels[tables[kinds[t]].la[i]], labels[tables[kinds[t]].phase[i]])
        for t, i in zip(lp_table.tolist(), lp_row.tolist())
    ]
    tied_kinds = [k for k in (FormKind.panel, FormKind.steering) if k in tables]
    tied_rows = {k: tables[k].round >= 0 for k in tied_kinds}
    rounds = tables[FormKind.rounds]
    parts = [[rounds.la, rounds.phase, rounds.round]] + [
        [tables[k].la[tied_rows[k]], tables[k].phase[tied_rows[k]], tables[k].round[tied_rows[k]]] for k in tied_kinds
    ]
    rk, _, rk_table, rk_row = joint_keys(parts)
    n_rounds = int(np.count_nonzero(rk_table == 0))  # keys of the rounds form come first
    key = rk[0]
    first = rk_row[:n_rounds]
    own = sum_terms(terms[FormKind.rounds], key, n_rounds)
    attendance = rounds.exact("staff").where(rounds.is_attendance()).sums(key, n_rounds)
    n_lines = np.bincount(key, minlength=n_rounds).tolist()
    moded = np.flatnonzero(rounds.mode >= 0)
    mode_of = np.full(n_rounds, -1, dtype=np.int64)
    keys_with_mode, at = np.unique(key[moded], return_index=True)
    mode_of[keys_with_mode] = rounds.mode[moded[at]]
    round_lp = lp_of[FormKind.rounds][first]
    per_lp = np.bincount(round_lp, minlength=n_lp)
    parts_of: dict[str, list[Decimal]] = {}
    untied_steering: dict[tuple[str, str], Decimal] = {}
    for kind in (FormKind.panel, FormKind.steering):
        if kind not in tables:
            parts_of[kind.value] = [ZERO] * n_rounds
            continue
        tied, untied = tied_rows[kind], ~tied_rows[kind]
        j = tied_kinds.index(kind) + 1
        inside = rk[j] < n_rounds  # tied to a round of the rounds form (always, once validated)
        tied_sums = sum_terms([Exact(x.ints[tied][inside], x.exp) for x in terms[kind]], rk[j][inside], n_rounds)
        untied_sums = sum_terms([Exact(x.ints[untied], x.exp) for x in terms[kind]], lp_of[kind][untied], n_lp)
        share = [u / Decimal(int(n)) if n else u for u, n in zip(untied_sums, per_lp.tolist())]
        if kind is FormKind.steering:
            untied_steering = {lp_label[k]: u for k, u in enumerate(untied_sums) if u}
        parts_of[kind.value] = [tied_sums[r] + share[k] for r, k in enumerate(round_lp.tolist())]
    names = [(labels[rounds.la[i]], labels[rounds.phase[i]], labels[rounds.round[i]]) for i in first.tolist()]
    nat = {label: natural_key(label) for label in {label for name in names for label in name}}  # once a label
    order = sorted(range(n_rounds), key=lambda r: (nat[names[r][1]], nat[names[r][0]], nat[names[r][2]], r))
    modes = mode_of.tolist()
    panel, steering = parts_of["panel"], parts_of["steering"]
    out = RoundCosts(
        la=[names[r][0] for r in order],
        phase=[names[r][1] for r in order],
        round=[names[r][2] for r in order],
        mode=[MODES[modes[r]] for r in order],
        panel=[panel[r] for r in order],
        own=[own[r] for r in order],
        steering=[steering[r] for r in order],
        attendance=[attendance[r] for r in order],
        lines=[n_lines[r] for r in order],
    )
    by_la: dict[tuple[str, str], dict[str, Decimal]] = {}
    for kind in (FormKind.rounds, FormKind.panel, FormKind.steering):
        if kind not in tables:
            continue
        sums = sum_terms(terms[kind], lp_of[kind], n_lp)
        present = np.bincount(lp_of[kind], minlength=n_lp) > 0
        for k in np.flatnonzero(present).tolist():
            by_la.setdefault(lp_label[k], {})[kind.value] = sums[k]
    setups: dict[tuple[str, str], Setup] = {}
    if FormKind.training in tables:
        staff_time, mileage, direct = terms[FormKind.training]
        keys = lp_of[FormKind.training]
        indirect = sum_terms([staff_time, mileage], keys, n_lp)
        directs = direct.sums(keys, n_lp)
        present = np.bincount(keys, minlength=n_lp) > 0
        for k in np.flatnonzero(present).tolist():
            setups[lp_label[k]] = Setup(direct=directs[k], indirect=indirect[k])
    return LineSums(out, by_la, setups, untied_steering)


def _mode_figures(t: RoundCosts, rounds: list[int], annual) -> dict[Mode, ModeFigures]:
    """Per mode, over the rounds (indices into ``t``) of one LA and phase: each sum is added up
    round by round, in order, as the rounds' own records would be; ``annual(per_round)`` is a year of
    rounds at that mean per round."""
    out = {}
    for m in Mode:
        mine = [i for i in rounds if t.mode[i] is m]
        if not mine:
            continue
        total = Components(
            panel=sum((t.panel[i] for i in mine), ZERO),
            round=sum((t.own[i] for i in mine), ZERO),
            steering=sum((t.steering[i] for i in mine), ZERO),
        )
        per_round = total.divided(len(mine))
        out[m] = ModeFigures(
            rounds=len(mine),
            per_round=per_round,
            attendances=sum((t.attendance[i] for i in mine), ZERO),
            total_cost=sum((t.total[i] for i in mine), ZERO),
            annual_cost=annual(per_round.total),
        )
    return out


def _spread(values: list[Decimal]) -> Spread | None:
    if not values:
        return None
    return Spread(mean=sum(values, ZERO) / Decimal(len(values)), min=min(values), max=max(values), n=len(values))


def estimate(forms: CostForms, assumptions: Assumptions = Assumptions()) -> Estimate:
    """Cost the forms: per round, per LA and phase (and mode), per phase, per mode, overall."""
    return _estimate(forms, assumptions)


def _estimate(forms: CostForms, assumptions: Assumptions) -> Estimate:
    found = line_sums(forms, assumptions)
    rounds, setups = found.rounds, found.setups
    a = assumptions
    per_la = a.period_months is not None  # each LA-phase's own year: groups take the mean of their LAs'
    grouped = rounds.groups()
    # LA totals come straight from the lines (exact); the per-round shares are for display
    las = []
    for (la, phase), mine in grouped.items():
        sums = found.by_la.get((la, phase), {})
        total = Components(
            panel=sums.get("panel", ZERO), round=sums.get("rounds", ZERO), steering=sums.get("steering", ZERO)
        )
        n = len(mine)
        per_round = total.divided(n)
        untied = found.untied_steering.get((la, phase), ZERO)
        modes = _mode_figures(rounds, mine, lambda x, n=n, untied=untied: a.annual(n, x, untied))
        las.append(
            LaEstimate(
                la=la,
                phase=phase,
                rounds=n,
                rounds_in_person=modes[Mode.in_person].rounds if Mode.in_person in modes else 0,
                rounds_virtual=modes[Mode.virtual].rounds if Mode.virtual in modes else 0,
                setup=setups.get((la, phase)),
                per_round=per_round,
                attendances=sum((rounds.attendance[i] for i in mine), ZERO),
                total_cost=total.total,
                annual_cost=a.annual(n, per_round.total, untied, total.total),
                modes=modes,
                rounds_per_year=a.rounds_a_year(n),
                untied_steering=untied,
                annual_steering=a.annual_steering(untied) if per_la else None,
            )
        )
    rpy = Decimal(a.rounds_per_year_in_use or 0)

    def annual(mean: Decimal, annuals: list[Decimal]) -> Decimal:
        """A group's annual cost: rounds a year x its mean per round (the report's rule), or, with a
        period, the mean of its LAs' annual costs."""
        return sum(annuals, ZERO) / Decimal(len(annuals)) if per_la else rpy * mean

    phases = []
    for phase in sorted({la.phase for la in las}, key=natural_key):
        mine = [la for la in las if la.phase == phase]
        spread = _spread([la.per_round.total for la in mine])
        phases.append(
            PhaseEstimate(
                phase=phase,
                las=len(mine),
                total_per_round=spread,
                annual_cost=annual(spread.mean, [la.annual_cost for la in mine]),
                setup=_spread([la.setup.total for la in mine if la.setup is not None]),
            )
        )
    modes = []
    for m in Mode:
        mine = [la.modes[m] for la in las if m in la.modes]
        if not mine:
            continue
        mean = sum((f.total_per_round for f in mine), ZERO) / Decimal(len(mine))
        modes.append(
            ModeEstimate(
                mode=m,
                las=len(mine),
                rounds=sum(f.rounds for f in mine),
                mean_total_per_round=mean,
                annual_cost=annual(mean, [f.annual_cost for f in mine]),
                attendances=sum((f.attendances for f in mine), ZERO),
                total_cost=sum((f.total_cost for f in mine), ZERO),
            )
        )
    overall_spread = _spread([la.per_round.total for la in las])
    overall = OverallEstimate(
        las=len(las),
        total_per_round=overall_spread,
        annual_cost=annual(overall_spread.mean, [la.annual_cost for la in las]),
        setup=_spread([la.setup.total for la in las if la.setup is not None]),
    )
    return Estimate(
        path=forms.path,
        inputs=forms.inputs,
        assumptions=assumptions,
        round_table=rounds,
        las=tuple(las),
        phases=tuple(phases),
        modes=tuple(modes),
        overall=overall,
    )


REPORT_MONTHS = 6  # [months] the report spreads "one typical LA's" six months over the feedback forms


def with_feedback_forms(est: Estimate, forms: dict[str, int]) -> Estimate:
    """The estimate with each phase's feedback forms (``forms``: phase -> forms, from the staff
    sheet) and the report's per-person cost: the phase's annual cost x 6/12 / its feedback forms
    (footnote 4: 22,622.04 x 1/2 / 502 = £22.53), which the report calls a crude approximation."""
    phases = tuple(
        replace(
            p,
            feedback_forms=forms[p.phase],
            report_per_person=p.annual_cost * REPORT_MONTHS / 12 / forms[p.phase] if forms[p.phase] else None,
        )
        if p.phase in forms
        else p
        for p in est.phases
    )
    return replace(est, phases=phases)
