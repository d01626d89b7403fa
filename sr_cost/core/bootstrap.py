"""The bootstrap of the savings: respondents resampled within group and phase, with exact integer sums.

Every respondent's sickness cost is a whole number of 10^-places pounds, so each resample's sum is
an exact integer, and a phase's saving per staff member in resample k is exactly
``numer[k] / denom`` (``Resampled``). Interval ends are exact decimals (linear interpolation between
order statistics, numpy's default method), and the share of resamples above a threshold is counted
on the integers. The same seed gives the same resamples on every platform.

Other integer columns of the respondents (an outcome's answers, whether each answered) can be
resampled with the sickness cost (``columns``): each resample's sums of them come from the very same
draws, so a resample's saving and its outcomes belong together (``Resampled.columns``).

Each phase and group has its own random stream (spawned from the seed), so the resamples of one do
not depend on how many the others have, nor on the order they are drawn in. Per resample of n
respondents: n indices drawn by numpy's ``Generator.integers`` (integer arithmetic only, so the
same seed gives the same indices on every platform), the values at them gathered and added up as
int64. How, measured step by step (benchmarks/bootstrap_steps.py):

- a block of ``BOOTSTRAP_BLOCK`` indices at a time (2 MiB), which stays in the processor's cache
  between being drawn and being gathered from;
- the groups' streams run in threads, one a processor: numpy lets go of the interpreter while it
  draws, gathers and adds up;
- the indices are int64, which ``ndarray.take`` uses as they are (uint32 indices, which numpy
  draws as the same numbers below 2^32, are cast first: measured slower, not kept);
- the values are gathered as int32 when they fit (as a sickness cost does unless it passes
  £21 million at four decimal places), and added up as int64: the same sums, from half the bytes.
"""

from __future__ import annotations

import decimal
import os
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np

from sr_cost.core.columns import Exact, natural_key
from sr_cost.core.progress import Progress, Step
from sr_cost.core.respondents import GROUPS, Group

CONFIDENCE = Decimal("0.95")
BOOTSTRAP_BLOCK = 1 << 18  # [indices] drawn, gathered and summed at a time (2 MiB as int64)
_WIDE = decimal.Context(prec=80)  # thresholds compared with resampled sums: far beyond any penny


@dataclass(frozen=True)
class Interval:
    low: Decimal
    high: Decimal


@dataclass(frozen=True, eq=False)
class Resampled:
    """A phase's saving per staff member in every resample: ``numer[k] / denom`` exactly; and, from
    the same draws, each resample's sums of the other columns resampled (``columns``, keyed by group
    and column name) and the respondents in each group (``sizes``)."""

    numer: np.ndarray  # int64, or Python integers in an object array
    denom: Decimal
    columns: Mapping[tuple[Group, str], np.ndarray] = field(default_factory=dict)
    sizes: Mapping[Group, int] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.numer)

    def value(self, k: int) -> Decimal:
        return Decimal(int(self.numer[k])) / self.denom

    def interval(self, confidence: Decimal = CONFIDENCE) -> Interval:
        """The central ``confidence`` interval of the saving per staff member."""
        return exact_interval(np.asarray(self.numer, dtype=np.float64), self.value, confidence)

    def above(self, threshold: Decimal, *, or_equal: bool = False) -> np.ndarray:
        """Whether each resample's saving per staff member is above ``threshold`` (or equal), exactly."""
        bound = _WIDE.multiply(threshold, self.denom)  # saving > t  <=>  numer > t x denom
        whole = int(bound.to_integral_value(rounding=decimal.ROUND_FLOOR))
        exact = bound == whole
        if or_equal:
            return self.numer >= (whole if exact else whole + 1)
        return self.numer > whole

    def share_above(self, threshold: Decimal, *, or_equal: bool = False) -> Decimal:
        """The share of resamples whose saving per staff member is above ``threshold`` (or equal)."""
        count = np.count_nonzero(self.above(threshold, or_equal=or_equal))
        return Decimal(int(count)) / Decimal(len(self.numer))


class Bootstrap:
    """Resample respondents within group and phase, with exact integer sums: every group's sums are
    drawn when the bootstrap is made (the groups in threads), ``phase`` puts a phase's together."""

    def __init__(
        self,
        cost: Exact,
        keys: np.ndarray,
        phases: list[str],
        reps: int,
        seed: int,
        progress: Progress | None,
        columns: Mapping[str, np.ndarray] | None = None,
    ):
        """``columns``: other integer columns of the same rows, resampled with the cost (their sums
        come in ``Resampled.columns``)."""
        self.reps = reps
        # every sickness cost as a whole number of 10^-places pounds, places as few as will do
        ints, exp = cost.ints, cost.exp
        while exp < 0 and len(ints) and not (ints % 10).any():
            ints, exp = ints // 10, exp + 1
        self.scale = Decimal(10) ** max(-exp, 0)
        if exp > 0:
            ints = ints * 10**exp
        self.units = {}
        self.others: dict[tuple[str, Group], dict[str, np.ndarray]] = {}
        self.other_sums: dict[tuple[str, Group], dict[str, np.ndarray]] = {}
        order = np.argsort(keys, kind="stable")  # each key's rows, in survey order
        bounds = np.searchsorted(keys[order], np.arange(len(phases) * len(GROUPS) + 1))
        for code, phase in enumerate(phases):
            for g, group in enumerate(GROUPS):
                k = code * len(GROUPS) + g
                rows = order[bounds[k] : bounds[k + 1]]
                if len(rows):
                    self.units[(phase, group)] = ints[rows]
                    self.others[(phase, group)] = {
                        name: np.asarray(column, dtype=np.int64)[rows] for name, column in (columns or {}).items()
                    }
        self.progress = progress
        self.total_work = len(keys) * reps
        self.done = 0
        self.lock = threading.Lock()  # the threads add to ``done`` and report it one at a time
        self.seeds = np.random.SeedSequence(seed)
        self.keys = sorted(self.units, key=lambda k: (natural_key(k[0]), k[1].value))
        self.children = dict(zip(self.keys, self.seeds.spawn(len(self.keys))))
        self._report(0)
        workers = min(len(self.keys), os.cpu_count() or 1)
        with ThreadPoolExecutor(max_workers=max(workers, 1)) as pool:
            self.sums = dict(zip(self.keys, pool.map(self._sums, self.keys)))

    def _sums(self, key) -> np.ndarray:
        """Resampled sums (exact int64) of one phase and group, one per replicate; the other columns'
        sums, from the same draws, go to ``other_sums[key]``."""
        values = np.asarray(self.units[key], dtype=np.int64)
        others = self.others[key]
        n, reps = len(values), self.reps
        for column in (values, *others.values()):
            if column.size and int(np.abs(column).max()) * n >= 2**62:
                raise OverflowError("values too large for exact bootstrap sums")
        values, others = _narrow(values), {name: _narrow(column) for name, column in others.items()}
        rng = np.random.default_rng(self.children[key])
        out = np.empty(reps, dtype=np.int64)
        sums = {name: np.empty(reps, dtype=np.int64) for name in others}
        step = max(1, BOOTSTRAP_BLOCK // max(n, 1))
        for start in range(0, reps, step):
            stop = min(reps, start + step)
            idx = rng.integers(0, n, size=(stop - start, n), dtype=np.int64)
            out[start:stop] = values.take(idx).sum(axis=1, dtype=np.int64)
            for name, column in others.items():
                sums[name][start:stop] = column.take(idx).sum(axis=1, dtype=np.int64)
            self._report((stop - start) * n)
        with self.lock:
            self.other_sums[key] = sums
        return out

    def _report(self, cells: int) -> None:
        with self.lock:
            self.done += cells
            if self.progress is not None:
                self.progress(Step.bootstrap, self.done, self.total_work)

    def phase(self, phase: str) -> Resampled:
        """The phase's saving per staff member (control mean - intervention mean) in every resample."""
        si, sc = self.sums[(phase, Group.intervention)], self.sums[(phase, Group.control)]
        ni, nc = len(self.units[(phase, Group.intervention)]), len(self.units[(phase, Group.control)])
        # saving x (ni x nc x scale) = sc x ni - si x nc, exact in int64 for realistic sizes
        biggest = max(int(np.abs(si).max()), int(np.abs(sc).max()), 1) * max(ni, nc)
        if biggest < 2**62:
            numer = sc * ni - si * nc
        else:  # exact but slower: Python integers
            numer = sc.astype(object) * ni - si.astype(object) * nc
        columns = {
            (group, name): sums for group in GROUPS for name, sums in self.other_sums.pop((phase, group), {}).items()
        }
        return Resampled(
            numer,
            Decimal(ni * nc) * self.scale,
            columns,
            {Group.intervention: ni, Group.control: nc},
        )


def _narrow(column: np.ndarray) -> np.ndarray:
    """An int64 column as int32 when every value fits (gathered in half the bytes)."""
    if column.size and -(2**31) <= int(column.min()) and int(column.max()) < 2**31:
        return column.astype(np.int32)
    return column


def exact_interval(approx: np.ndarray, exact: Callable[[int], Decimal], confidence: Decimal = CONFIDENCE) -> Interval:
    """The central ``confidence`` interval of values whose k-th is ``exact(k)`` and sorts as
    ``approx[k]`` (a float close enough to order them): linear interpolation between order statistics,
    numpy's default, on the exact values."""
    order = np.argsort(approx, kind="stable")
    return Interval(
        _quantile(order, exact, len(order), (1 - confidence) / 2),
        _quantile(order, exact, len(order), (1 + confidence) / 2),
    )


def _quantile(order, exact, reps: int, q: Decimal) -> Decimal:
    """Linear interpolation between order statistics (numpy's default 'linear' method), exact."""
    h = Decimal(reps - 1) * q
    lo = int(h)
    frac = h - lo
    low = exact(int(order[lo]))
    if frac == 0 or lo + 1 >= reps:
        return low
    return low + frac * (exact(int(order[lo + 1])) - low)
