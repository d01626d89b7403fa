"""Sickness-absence savings, net cost and break-even, with a bootstrap for their uncertainty.

The method is the report's ("Economic evaluation", Table 21):

- sickness cost of a respondent = hourly cost x sick days x hours per day;
- per phase (all LAs of the phase pooled): mean sickness cost in each group, and
  saving per staff member = control mean - intervention mean, over the recall period;
- combined, the report's way: the unweighted mean of the phase figures; and pooled: all respondents;
- annual saving per staff member = saving x 12 / recall months; for LAs with a staff row and cost
  forms: annual saving total = that x intervention staff, net annual cost = running cost - saving
  total, and break-even sick days = running cost / (intervention staff x mean hourly cost of the
  phase's intervention respondents x hours per day).

The bootstrap resamples respondents within group and phase. Sums are exact integers (every cost is
a whole number of ten-thousandths of a penny or finer), so replicates are exact; the chosen
percentiles are turned back into Decimal.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from sr_cost.core.columns import Exact, natural_key
from sr_cost.core.estimate import Estimate
from sr_cost.core.progress import Progress, Step
from sr_cost.core.respondents import GROUPS, Group, Respondent, Respondents, Survey
from sr_cost.core.unit_costs import AbsenceBasis
from sr_cost.money import ZERO

DEFAULT_HOURS_PER_DAY = Decimal("7.5")  # [hours/day] a working day, as the report converts days to hours
DEFAULT_RECALL_MONTHS = 6  # [months] the T2 survey asked about the previous six months
DEFAULT_BOOTSTRAP = 10_000  # [replicates]
DEFAULT_SEED = 2021  # fixed, so that runs repeat exactly
CONFIDENCE = Decimal("0.95")
BOOTSTRAP_BLOCK = 1 << 18  # [indices] drawn, gathered and summed at a time (1 MiB as uint32)


@dataclass(frozen=True)
class SavingsAssumptions:
    hours_per_day: Decimal = DEFAULT_HOURS_PER_DAY  # [hours/day]
    recall_months: int = DEFAULT_RECALL_MONTHS  # [months]
    absence_basis: AbsenceBasis = AbsenceBasis.unit_cost
    bootstrap: int = DEFAULT_BOOTSTRAP  # [replicates]; 0 switches the bootstrap off
    seed: int = DEFAULT_SEED


@dataclass(frozen=True)
class GroupStats:
    n: int
    mean_sick_days: Decimal
    mean_cost: Decimal  # [£ per staff member over the recall period]
    mean_hourly: Decimal  # [£/hour]


@dataclass(frozen=True)
class Interval:
    low: Decimal
    high: Decimal


@dataclass(frozen=True)
class PhaseSavings:
    phase: str
    intervention: GroupStats
    control: GroupStats
    saving_per_staff: Decimal  # [£ over the recall period]
    annual_saving_per_staff: Decimal  # [£/year]
    las_with_staff: tuple[str, ...]  # LAs counted in the totals (staff row and cost forms)
    intervention_staff: int
    annual_saving_total: Decimal | None
    annual_running_cost: Decimal | None
    net_annual_cost: Decimal | None
    break_even_sick_days_per_staff: Decimal | None  # [days/year per intervention staff member]
    saving_ci: Interval | None
    p_saving_positive: Decimal | None
    net_ci: Interval | None
    p_pays_for_itself: Decimal | None


@dataclass(frozen=True)
class CombinedSavings:
    method: str
    mean_cost_intervention: Decimal
    mean_cost_control: Decimal
    saving_per_staff: Decimal


@dataclass(frozen=True)
class Savings:
    assumptions: SavingsAssumptions
    phases: tuple[PhaseSavings, ...]
    combined: CombinedSavings  # the report's: unweighted mean of the phases
    pooled: CombinedSavings  # all respondents together
    table: Respondents

    @property
    def respondents(self) -> tuple[Respondent, ...]:
        return self.table.records()

    def __post_init__(self) -> None:
        for p in self.phases:
            if p.saving_per_staff != p.control.mean_cost - p.intervention.mean_cost:
                raise AssertionError(f"saving of phase {p.phase} is not control - intervention")


def sickness_cost(r: Respondent, hours_per_day: Decimal) -> Decimal:
    """Hourly cost x sick days x hours per day [£]."""
    return r.hourly_cost * r.sick_days * hours_per_day


class _Sums:
    """Exact sums of sick days, hourly costs and sickness costs per group of respondents, with
    the sickness cost of every respondent as an exact integer x 10^exp (for the bootstrap)."""

    def __init__(self, t: Respondents, hours_per_day: Decimal) -> None:
        n = len(t)
        self.sick, self.hourly = t.sick_exact, t.hourly_exact
        self.cost = self.sick * self.hourly * Exact.constant(hours_per_day, n)

    def stats(self, keys: np.ndarray, n_keys: int) -> list[GroupStats]:
        """GroupStats per key 0..n_keys-1 (a key without respondents has none: n = 0, means 0)."""
        counts = np.bincount(keys, minlength=n_keys).tolist() if len(keys) else [0] * n_keys
        sick, hourly, cost = (x.sums(keys, n_keys) for x in (self.sick, self.hourly, self.cost))
        return [
            GroupStats(
                n=c,
                mean_sick_days=d / c if c else ZERO,
                mean_cost=m / c if c else ZERO,
                mean_hourly=h / c if c else ZERO,
            )
            for c, d, h, m in zip(counts, sick, hourly, cost)
        ]


def savings(
    survey: Survey,
    est: Estimate,
    assumptions: SavingsAssumptions = SavingsAssumptions(),
    progress: Progress | None = None,
) -> Savings:
    """Savings per phase, combined and pooled, with net cost against the estimate's running cost."""
    a = assumptions
    per_year = Decimal(12) / Decimal(a.recall_months)
    annual_by_la = {(la.la, la.phase): la.annual_cost for la in est.las}
    phases: list[PhaseSavings] = []
    t = survey.table
    sums = _Sums(t, a.hours_per_day)
    keys = t.phase.astype(np.int64) * len(GROUPS) + t.group
    stats = sums.stats(keys, len(t.phases) * len(GROUPS))
    present = sorted({t.phases[code] for code in np.unique(t.phase).tolist()}, key=natural_key)
    code_of = {phase: code for code, phase in enumerate(t.phases)}
    boot = _Bootstrap(sums, keys, t.phases, a, progress) if a.bootstrap > 0 else None
    for phase in present:
        i, c = (stats[code_of[phase] * len(GROUPS) + g] for g in range(len(GROUPS)))
        saving = c.mean_cost - i.mean_cost
        counted = [s for s in survey.staff if s.phase == phase and (s.la, s.phase) in annual_by_la]
        staff = sum(s.intervention_staff for s in counted)
        running = sum((annual_by_la[(s.la, s.phase)] for s in counted), ZERO) if counted else None
        total = saving * per_year * staff if counted else None
        net = running - total if counted else None
        break_even = None
        if counted and staff and i.mean_hourly:
            break_even = running / (Decimal(staff) * i.mean_hourly * a.hours_per_day)
        saving_ci = p_pos = net_ci = p_pays = None
        if boot is not None:
            saving_ci, p_pos, net_ci, p_pays = boot.phase(phase, per_year, staff if counted else None, running)
        phases.append(
            PhaseSavings(
                phase=phase,
                intervention=i,
                control=c,
                saving_per_staff=saving,
                annual_saving_per_staff=saving * per_year,
                las_with_staff=tuple(s.la for s in counted),
                intervention_staff=staff,
                annual_saving_total=total,
                annual_running_cost=running,
                net_annual_cost=net,
                break_even_sick_days_per_staff=break_even,
                saving_ci=saving_ci,
                p_saving_positive=p_pos,
                net_ci=net_ci,
                p_pays_for_itself=p_pays,
            )
        )
    n = Decimal(len(phases))
    combined = CombinedSavings(
        method="report: unweighted mean of the phase figures",
        mean_cost_intervention=sum((p.intervention.mean_cost for p in phases), ZERO) / n,
        mean_cost_control=sum((p.control.mean_cost for p in phases), ZERO) / n,
        saving_per_staff=sum((p.saving_per_staff for p in phases), ZERO) / n,
    )
    pi, pc = (g.mean_cost for g in sums.stats(t.group.astype(np.int64), len(GROUPS)))
    pooled = CombinedSavings(
        method="pooled: all respondents together",
        mean_cost_intervention=pi,
        mean_cost_control=pc,
        saving_per_staff=pc - pi,
    )
    return Savings(assumptions=a, phases=tuple(phases), combined=combined, pooled=pooled, table=t)


class _Bootstrap:
    """Resample respondents within group and phase, with exact integer sums.

    Each phase and group has its own random stream (spawned from the seed), so the resamples of one
    do not depend on how many the others have, nor on the order they are drawn in. Per resample of
    n respondents: n indices drawn by numpy's ``Generator.integers`` (integer arithmetic only, so
    the same seed gives the same indices on every platform), the sickness costs at them gathered
    and added up as int64. How, measured step by step (benchmarks/bootstrap_steps.py):

    - the indices are uint32, not int64: numpy draws the same numbers for both (below 2^32), and
      writes half the bytes;
    - a block of ``BOOTSTRAP_BLOCK`` indices at a time (1 MiB), which stays in the processor's
      cache between being drawn and being gathered from;
    - the groups' streams run in threads, one a processor: numpy lets go of the interpreter while
      it draws, gathers and adds up.
    """

    def __init__(
        self, sums: _Sums, keys: np.ndarray, phases: list[str], a: SavingsAssumptions, progress: Progress | None
    ):
        self.a = a
        # every sickness cost as a whole number of 10^-places pounds, places as few as will do
        ints, exp = sums.cost.ints, sums.cost.exp
        while exp < 0 and len(ints) and not (ints % 10).any():
            ints, exp = ints // 10, exp + 1
        self.scale = Decimal(10) ** max(-exp, 0)
        if exp > 0:
            ints = ints * 10**exp
        self.units = {}
        order = np.argsort(keys, kind="stable")  # each key's rows, in survey order
        bounds = np.searchsorted(keys[order], np.arange(len(phases) * len(GROUPS) + 1))
        for code, phase in enumerate(phases):
            for g, group in enumerate(GROUPS):
                k = code * len(GROUPS) + g
                rows = order[bounds[k] : bounds[k + 1]]
                if len(rows):
                    self.units[(phase, group)] = ints[rows]
        self.progress = progress
        self.total_work = len(keys) * a.bootstrap
        self.done = 0
        self.lock = threading.Lock()  # the threads add to ``done`` and report it one at a time
        seeds = np.random.SeedSequence(a.seed)
        keys_in_order = sorted(self.units, key=lambda k: (natural_key(k[0]), k[1].value))
        children = dict(zip(keys_in_order, seeds.spawn(len(keys_in_order))))
        self._report(0)
        workers = min(len(keys_in_order), os.cpu_count() or 1)
        with ThreadPoolExecutor(max_workers=max(workers, 1)) as pool:
            drawn = pool.map(lambda key: self._sums(key, children[key]), keys_in_order)
            self.sums = dict(zip(keys_in_order, drawn))

    def _sums(self, key, seed: np.random.SeedSequence) -> np.ndarray:
        """Resampled sums (exact int64) of one phase and group, one per replicate."""
        values = np.asarray(self.units[key], dtype=np.int64)
        n, reps = len(values), self.a.bootstrap
        if values.size and int(values.max()) * n >= 2**62:
            raise OverflowError("costs too large for exact bootstrap sums")
        rng = np.random.default_rng(seed)
        out = np.empty(reps, dtype=np.int64)
        step = max(1, BOOTSTRAP_BLOCK // max(n, 1))
        index_type = np.uint32 if n <= 2**32 - 1 else np.int64  # the same draws either way
        for start in range(0, reps, step):
            stop = min(reps, start + step)
            idx = rng.integers(0, n, size=(stop - start, n), dtype=index_type)
            out[start:stop] = values.take(idx).sum(axis=1)
            self._report((stop - start) * n)
        return out

    def _report(self, cells: int) -> None:
        with self.lock:
            self.done += cells
            if self.progress is not None:
                self.progress(Step.bootstrap, self.done, self.total_work)

    def phase(self, phase: str, per_year: Decimal, staff: int | None, running: Decimal | None):
        si, sc = self.sums[(phase, Group.intervention)], self.sums[(phase, Group.control)]
        ni, nc = len(self.units[(phase, Group.intervention)]), len(self.units[(phase, Group.control)])
        # saving x (ni x nc x scale) = sc x ni - si x nc, exact in int64 for realistic sizes
        biggest = max(int(np.abs(si).max()), int(np.abs(sc).max()), 1) * max(ni, nc)
        if biggest < 2**62:
            numer = sc * ni - si * nc
        else:  # exact but slower: Python integers
            numer = sc.astype(object) * ni - si.astype(object) * nc
        denom = Decimal(ni * nc) * self.scale
        order = np.argsort(np.asarray(numer, dtype=np.float64), kind="stable")

        def exact(k: int) -> Decimal:
            return Decimal(int(numer[k])) / denom

        reps = len(order)
        saving_ci = Interval(
            _quantile(order, exact, reps, (1 - CONFIDENCE) / 2), _quantile(order, exact, reps, (1 + CONFIDENCE) / 2)
        )
        p_pos = Decimal(int((numer > 0).sum())) / Decimal(reps)
        net_ci = p_pays = None
        if staff is not None and running is not None:
            # net = running - saving x per_year x staff: decreasing in saving, so the interval flips
            def net(s: Decimal) -> Decimal:
                return running - s * per_year * staff

            net_ci = Interval(net(saving_ci.high), net(saving_ci.low))
            pays = sum(1 for k in range(reps) if net(exact(k)) <= 0) if staff else 0
            p_pays = Decimal(pays) / Decimal(reps)
        return saving_ci, p_pos, net_ci, p_pays


def _quantile(order, exact, reps: int, q: Decimal) -> Decimal:
    """Linear interpolation between order statistics (numpy's default 'linear' method), exact."""
    h = Decimal(reps - 1) * q
    lo = int(h)
    frac = h - lo
    low = exact(int(order[lo]))
    if frac == 0 or lo + 1 >= reps:
        return low
    return low + frac * (exact(int(order[lo + 1])) - low)
