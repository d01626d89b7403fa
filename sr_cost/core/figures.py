"""Every figure of a run that ``sr-cost explain`` can explain, by its name ("LA4 phase 1 panel per
round") and by its path in the estimate's JSON (``las[la=LA4,phase=1].per_round.panel``), with the
means over LAs (per phase, per mode, overall) built on the per-LA explanations of
``core.explain`` and the savings' of ``core.explain_savings``.

``figures(run)`` lists them (cheaply: a tree is built only when asked for), ``find`` looks one up
by name or path, ignoring case, spaces, quotes, hyphens and underscores, and ``closest`` orders
them by how close they are to what was typed."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from sr_cost.core.estimate import LaEstimate, Spread
from sr_cost.core.explain import CostExplainer, same
from sr_cost.core.explain_savings import SavingsExplainer
from sr_cost.core.explanation import Node, Op, Unit, node
from sr_cost.core.lines import Mode
from sr_cost.core.respondents import Group
from sr_cost.core.runs import EstimateRun

PER_ROUND = ("panel", "round", "steering", "total")
SPREAD = {"mean": Op.mean, "min": Op.min, "max": Op.max}


@dataclass(frozen=True)
class Figure:
    path: str  # where the figure is in the estimate's JSON
    name: str  # what a person calls it
    make: Callable[[], Node]

    def explain(self) -> Node:
        return replace(self.make(), label=self.name)


def _key(text: str) -> str:
    """Names and paths compared without case, spaces, quotes, hyphens or underscores."""
    return re.sub(r"[\s\"'_\-]+", "", text.casefold())


def find(figures: list[Figure], text: str) -> Figure | None:
    wanted = _key(text)
    return next((f for f in figures if wanted in (_key(f.name), _key(f.path))), None)


def closest(figures: list[Figure], text: str) -> list[Figure]:
    """Every figure, the closest to ``text`` first (by name or path, whichever is closer)."""
    wanted = _key(text)

    def score(f: Figure) -> float:
        return max(difflib.SequenceMatcher(None, wanted, _key(s)).ratio() for s in (f.name, f.path))

    return sorted(figures, key=score, reverse=True)


class _Builder:
    """Makes the explainers when the first tree is asked for, and the means over LAs."""

    def __init__(self, run: EstimateRun) -> None:
        self.run = run
        self._costs: CostExplainer | None = None
        self._savings: SavingsExplainer | None = None

    @property
    def costs(self) -> CostExplainer:
        if self._costs is None:
            self._costs = CostExplainer(self.run.forms, self.run.estimate, self.run.table)
        return self._costs

    @property
    def savings(self) -> SavingsExplainer:
        if self._savings is None:
            self._savings = SavingsExplainer(
                self.run.survey, self.run.savings, self.run.table, self.run.estimate.assumptions.staff_time_factor
            )
        return self._savings

    def la_total(self, la: LaEstimate) -> Node:
        return replace(
            self.costs.per_round(la.la, la.phase, "total"), label=f"{la.la} phase {la.phase} total per round"
        )

    def la_setup(self, la: LaEstimate) -> Node:
        return replace(self.costs.setup(la.la, la.phase, "total"), label=f"{la.la} phase {la.phase} set-up cost")

    def spread(self, which: str, what: str, las: list[LaEstimate], figure: Spread) -> Node:
        if what == "setup":
            parts, label = [self.la_setup(la) for la in las if la.setup is not None], "set-up cost"
        else:
            parts, label = [self.la_total(la) for la in las], "total per round"
        made = node(f"{which} {label}", f"{which} over the LAs of their {label}", SPREAD[which], parts, Unit.gbp)
        return same(made, getattr(figure, which))

    def annual(self, mean: Callable[[], Node], figure, annuals: Callable[[], list[Node]]) -> Node:
        """A group's annual cost: rounds a year × its mean per round, or, with a known period (each
        LA-phase its own year), the mean of its LAs' annual costs."""
        if self.run.estimate.assumptions.period_months is not None:
            made = node("annual cost", "mean of the LAs' annual costs", Op.mean, annuals(), Unit.gbp)
            return same(made, figure)
        made = node(
            "annual cost",
            "rounds a year × mean total per round",
            Op.product,
            [self.costs.rounds_per_year(), mean()],
            Unit.gbp,
        )
        return same(made, figure)

    def la_annual(self, la: LaEstimate, mode: Mode | None = None) -> Node:
        made = (
            self.costs.annual_cost(la.la, la.phase)
            if mode is None
            else self.costs.mode_annual_cost(la.la, la.phase, mode)
        )
        return replace(made, label=f"{la.la} phase {la.phase}" + (f" {mode.value}" if mode else "") + " annual cost")

    def mode_mean(self, mode: Mode) -> Node:
        las = [la for la in self.run.estimate.las if mode in la.modes]
        parts = [
            replace(
                self.costs.mode_per_round(la.la, la.phase, mode, "total"),
                label=f"{la.la} phase {la.phase} {mode.value} total per round",
            )
            for la in las
        ]
        made = node(
            f"{mode.value} mean total per round", "mean over the LAs of their total per round", Op.mean, parts, Unit.gbp
        )
        return same(made, next(m for m in self.run.estimate.modes if m.mode is mode).mean_total_per_round)

    def mode_cost_per_attendee(self, mode: Mode) -> Node:
        las = [la for la in self.run.estimate.las if mode in la.modes]
        costs = node(
            "cost of the rounds",
            "sum over the LAs",
            Op.sum,
            [self.costs.mode_total_cost(la.la, la.phase, mode) for la in las],
            Unit.gbp,
        )
        people = node(
            "attendances",
            "sum over the LAs",
            Op.sum,
            [self.costs.mode_attendances(la.la, la.phase, mode) for la in las],
            Unit.people,
        )
        made = node(
            f"{mode.value} cost per attendee",
            "cost ÷ attendances (all the mode's rounds pooled)",
            Op.quotient,
            [costs, people],
            Unit.gbp,
        )
        return same(made, next(m for m in self.run.estimate.modes if m.mode is mode).cost_per_attendee)


def _la_figures(b: _Builder, la: LaEstimate) -> list[Figure]:
    name, path = f"{la.la} phase {la.phase}", f"las[la={la.la},phase={la.phase}]"
    out = []

    def add(p: str, n: str, make: Callable[[], Node]) -> None:
        out.append(Figure(f"{path}.{p}", f"{name} {n}", make))

    if la.setup is not None:
        for part in ("direct", "indirect", "total"):
            add(f"setup.{part}", f"set-up {part}", lambda part=part: b.costs.setup(la.la, la.phase, part))
    for comp in PER_ROUND:
        add(f"per_round.{comp}", f"{comp} per round", lambda comp=comp: b.costs.per_round(la.la, la.phase, comp))
    add("attendances", "attendances", lambda: b.costs.attendances(la.la, la.phase))
    add("attendees_per_round", "attendees per round", lambda: b.costs.attendees_per_round(la.la, la.phase))
    if la.cost_per_attendee is not None:
        add("cost_per_attendee", "cost per attendee", lambda: b.costs.cost_per_attendee(la.la, la.phase))
    add("annual_cost", "annual cost", lambda: b.costs.annual_cost(la.la, la.phase))
    if la.first_year_cost is not None:
        add("first_year_cost", "first-year cost", lambda: b.costs.first_year_cost(la.la, la.phase))
    for mode, f in la.modes.items():
        m = mode.value
        for comp in PER_ROUND[:3]:
            add(
                f"modes.{m}.per_round.{comp}",
                f"{m} {comp} per round",
                lambda mode=mode, comp=comp: b.costs.mode_per_round(la.la, la.phase, mode, comp),
            )
        add(
            f"modes.{m}.total_per_round",
            f"{m} total per round",
            lambda mode=mode: b.costs.mode_per_round(la.la, la.phase, mode, "total"),
        )
        add(
            f"modes.{m}.attendances",
            f"{m} attendances",
            lambda mode=mode: b.costs.mode_attendances(la.la, la.phase, mode),
        )
        if f.cost_per_attendee is not None:
            add(
                f"modes.{m}.cost_per_attendee",
                f"{m} cost per attendee",
                lambda mode=mode: b.costs.mode_cost_per_attendee(la.la, la.phase, mode),
            )
    return out


def _group_figures(
    b: _Builder, path: str, name: str, las: list[LaEstimate], per_round: Spread, annual, setup: Spread | None
) -> list[Figure]:
    out = []
    for which in SPREAD:
        out.append(
            Figure(
                f"{path}.{which}_total_per_round",
                f"{name} {which} total per round",
                lambda w=which: b.spread(w, "total", las, per_round),
            )
        )
    out.append(
        Figure(
            f"{path}.annual_cost",
            f"{name} annual cost",
            lambda: b.annual(
                lambda: b.spread("mean", "total", las, per_round), annual, lambda: [b.la_annual(la) for la in las]
            ),
        )
    )
    if setup is not None:
        for which in SPREAD:
            out.append(
                Figure(
                    f"{path}.{which}_setup",
                    f"{name} {which} set-up cost",
                    lambda w=which: b.spread(w, "setup", las, setup),
                )
            )
    return out


def _savings_figures(b: _Builder) -> list[Figure]:
    s = b.run.savings
    out = []
    for p in s.phases:
        path, name = f"savings.phases[phase={p.phase}]", f"phase {p.phase}"
        out += [
            Figure(
                f"{path}.saving_per_staff", f"{name} saving per staff member", lambda ph=p.phase: b.savings.saving(ph)
            ),
            Figure(
                f"{path}.annual_saving_per_staff",
                f"{name} annual saving per staff member",
                lambda ph=p.phase: b.savings.annual_saving(ph),
            ),
        ]
        for g in Group:
            out.append(
                Figure(
                    f"{path}.mean_cost_{g.value}",
                    f"{name} {g.value} mean sickness cost",
                    lambda ph=p.phase, g=g: b.savings.group_mean(ph, g),
                )
            )
    for how, make in (("combined", b.savings.combined), ("pooled", b.savings.pooled)):
        out.append(
            Figure(
                f"savings.{how}.saving_per_staff",
                f"{how} saving per staff member",
                lambda make=make: make("saving_per_staff"),
            )
        )
        for g in Group:
            fig = f"mean_cost_{g.value}"
            out.append(
                Figure(
                    f"savings.{how}.{fig}", f"{how} {g.value} mean sickness cost", lambda make=make, fig=fig: make(fig)
                )
            )
    return out


def figures(run: EstimateRun) -> list[Figure]:
    """Every figure of the run that can be explained, in the order of the estimate's JSON."""
    b = _Builder(run)
    est = run.estimate
    out = [f for la in est.las for f in _la_figures(b, la)]
    for p in est.phases:
        las = [la for la in est.las if la.phase == p.phase]
        out += _group_figures(
            b, f"phases[phase={p.phase}]", f"phase {p.phase}", las, p.total_per_round, p.annual_cost, p.setup
        )
    for m in est.modes:
        path, name = f"modes[mode={m.mode.value}]", m.mode.value
        out.append(
            Figure(
                f"{path}.mean_total_per_round", f"{name} mean total per round", lambda mode=m.mode: b.mode_mean(mode)
            )
        )
        out.append(
            Figure(
                f"{path}.annual_cost",
                f"{name} annual cost",
                lambda mode=m.mode, a=m.annual_cost: b.annual(
                    lambda: b.mode_mean(mode),
                    a,
                    lambda: [b.la_annual(la, mode) for la in est.las if mode in la.modes],
                ),
            )
        )
        if m.cost_per_attendee is not None:
            out.append(
                Figure(
                    f"{path}.cost_per_attendee",
                    f"{name} cost per attendee",
                    lambda mode=m.mode: b.mode_cost_per_attendee(mode),
                )
            )
    o = est.overall
    out += _group_figures(b, "overall", "overall", list(est.las), o.total_per_round, o.annual_cost, o.setup)
    if run.savings is not None and run.survey is not None:
        out += _savings_figures(b)
    return out
