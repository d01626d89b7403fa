"""The bootstrap of the savings: respondents resampled within group and phase, with exact integer sums.

Every respondent's sickness cost is a whole number of 10^-places pounds, so each resample's sum is
an exact integer, and a phase's saving per staff member in resample k is exactly
``numer[k] / denom`` (``Resampled``). Interval ends are exact decimals (linear interpolation between
order statistics, numpy's default method), and the share of resamples above a threshold is counted
on the integers. The same seed gives the same resamples on every platform.

Each phase and group has its own random stream (spawned from the seed), so the resamples of one do
not depend on how many the others have, nor on the order they are drawn in. Per resample of n
respondents: n indices drawn by numpy's ``Generator.integers`` (integer arithmetic only, so the
same seed gives the same indices on every platform), the sickness costs at them gathered and added
up as int64. How, measured step by step (benchmarks/bootstrap_steps.py):

- a block of ``BOOTSTRAP_BLOCK`` indices at a time (2 MiB), which stays in the processor's cache
  between being drawn and being gathered from;
- the groups' streams run in threads, one a processor: numpy lets go of the interpreter while it
  draws, gathers and adds up;
- the indices are int64, which ``ndarray.take`` uses as they are (uint32 indices, which numpy
  draws as the same numbers below 2^32, are cast first: measured slower, not kept);
- the costs are gathered as int32 when they fit (as they do unless a cost passes £21 million at
  four decimal places), and added up as int64: the same sums, from half the bytes.
"""

from __future__ import annotations

import decimal
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
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
    """A phase's saving per staff member in every resample: ``numer[k] / denom`` exactly."""

    numer: np.ndarray  # int64, or Python integers in an object array
    denom: Decimal

    def __len__(self) -> int:
        return len(self.numer)

    def value(self, k: int) -> Decimal:
        return Decimal(int(self.numer[k])) / self.denom

    def interval(self, confidence: Decimal = CONFIDENCE) -> Interval:
        """The central ``confidence`` interval of the saving per staff member."""
        order = np.argsort(np.asarray(self.numer, dtype=np.float64), kind="stable")
        return Interval(
            _quantile(order, self.value, len(order), (1 - confidence) / 2),
            _quantile(order, self.value, len(order), (1 + confidence) / 2),
        )

    def share_above(self, threshold: Decimal, *, or_equal: bool = False) -> Decimal:
        """The share of resamples whose saving per staff member is above ``threshold`` (or equal)."""
        bound = _WIDE.multiply(threshold, self.denom)  # saving > t  <=>  numer > t x denom
        whole = int(bound.to_integral_value(rounding=decimal.ROUND_FLOOR))
        exact = bound == whole
        if or_equal:
            count = np.count_nonzero(self.numer >= (whole if exact else whole + 1))
        else:
            count = np.count_nonzero(self.numer > whole)
        return Decimal(int(count)) / Decimal(len(self.numer))


class Bootstrap:
    """Resample respondents within group and phase, with exact integer sums: every group's sums are
    drawn when the bootstrap is made (the groups in threads), ``phase`` puts a phase's together."""

    def __init__(
        self, cost: Exact, keys: np.ndarray, phases: list[str], reps: int, seed: int, progress: Progress | None
    ):
        self.reps = reps
        # every sickness cost as a whole number of 10^-places pounds, places as few as will do
        ints, exp = cost.ints, cost.exp
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
        self.total_work = len(keys) * reps
        self.done = 0
        self.lock = threading.Lock()  # the threads add to ``done`` and report it one at a time
        seeds = np.random.SeedSequence(seed)
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
        n, reps = len(values), self.reps
        if values.size and int(values.max()) * n >= 2**62:
            raise OverflowError("costs too large for exact bootstrap sums")
        if values.size and -(2**31) <= int(values.min()) and int(values.max()) < 2**31:
            values = values.astype(np.int32)  # gathered in half the bytes, added up as int64: exact
        rng = np.random.default_rng(seed)
        out = np.empty(reps, dtype=np.int64)
        step = max(1, BOOTSTRAP_BLOCK // max(n, 1))
        for start in range(0, reps, step):
            stop = min(reps, start + step)
            idx = rng.integers(0, n, size=(stop - start, n), dtype=np.int64)
            out[start:stop] = values.take(idx).sum(axis=1, dtype=np.int64)
            self._report((stop - start) * n)
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
        return Resampled(numer, Decimal(ni * nc) * self.scale)


def _quantile(order, exact, reps: int, q: Decimal) -> Decimal:
    """Linear interpolation between order statistics (numpy's default 'linear' method), exact."""
    h = Decimal(reps - 1) * q
    lo = int(h)
    frac = h - lo
    low = exact(int(order[lo]))
    if frac == 0 or lo + 1 >= reps:
        return low
    return low + frac * (exact(int(order[lo + 1])) - low)
