"""How much better the intervention group did on an outcome, per phase: the difference of the group
means among those who answered, and the same adjusted for baseline; and the difference in each
bootstrap resample. Pure functions, exact Decimals (the resamples' differences also as floats, to
sort and compare them).

Signs: a positive difference always means the intervention group did better, so for an outcome
where lower is better (GHQ-12) it is control mean - intervention mean, and for one where higher is
better, intervention mean - control mean. For caseness the means are the shares of cases, and the
difference is the share of cases avoided.

Adjusted for baseline: the coefficient of group in the ordinary least squares fit of the follow-up
on group and baseline (y = a + b x group + c x baseline), over the respondents with both, as the
report's regression (Table 6) without its other covariates. With one slope c for both groups it is
(mean y_i - mean y_c) - c x (mean x_i - mean x_c), where c = (Sxy_i + Sxy_c) / (Sxx_i + Sxx_c), the
sums of products taken about each group's own means. For caseness, y and x are whether a respondent
is a case at follow-up and at baseline (a linear probability model).
"""

from __future__ import annotations

import decimal
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from sr_cost.core.better import Better
from sr_cost.core.bootstrap import Resampled
from sr_cost.core.outcomes import Answers, OutcomeData
from sr_cost.core.respondents import GROUPS

_EXACT = decimal.Context(prec=60)  # sums of products, far beyond any figure shown


@dataclass(frozen=True)
class Effect:
    """An outcome in one phase: who answered, the group means and the differences (None where a group
    has no answer, or the fit cannot be made)."""

    n_intervention: int  # answered at follow-up
    n_control: int
    mean_intervention: Decimal | None
    mean_control: Decimal | None
    difference: Decimal | None  # positive: the intervention group did better
    adjusted: Decimal | None  # adjusted for baseline, the same sign
    n_adjusted: int  # respondents with the follow-up and the baseline


def column_name(data: OutcomeData) -> str:
    return data.outcome.column


def bootstrap_columns(outcomes: tuple[OutcomeData, ...]) -> dict[str, np.ndarray]:
    """The integer columns the bootstrap resamples for the outcomes: per outcome, what is compared
    (its answers, or 1 for a case) where answered, and whether each respondent answered (``:n``)."""
    out = {}
    for data in outcomes:
        y, _ = data.measured()
        out[column_name(data)] = np.asarray(np.where(y.answered, y.values.ints, 0), dtype=np.int64)
        out[column_name(data) + ":n"] = y.answered.astype(np.int64)
    return out


def _signed(data: OutcomeData, intervention_minus_control: Decimal) -> Decimal:
    return -intervention_minus_control if data.outcome.better is Better.lower else intervention_minus_control


def phase_effect(data: OutcomeData, keys: np.ndarray, code: int) -> Effect:
    """The effect on ``data``'s outcome in the phase with code ``code``; ``keys[i]`` = phase code x 2 +
    group code of respondent i."""
    y, x = data.measured()
    ki, kc = code * len(GROUPS), code * len(GROUPS) + 1
    n_keys = int(keys.max()) + 1 if len(keys) else 0
    n_keys = max(n_keys, kc + 1)
    counts = np.bincount(keys[y.answered], minlength=n_keys)
    sums = y.values.where(y.answered).sums(keys, n_keys)
    ni, nc = int(counts[ki]), int(counts[kc])
    mi = sums[ki] / ni if ni else None
    mc = sums[kc] / nc if nc else None
    difference = _signed(data, mi - mc) if ni and nc else None
    adjusted, n_adjusted = None, 0
    if x is not None:
        adjusted, n_adjusted = _adjusted(data, y, x, keys, n_keys, ki, kc)
    return Effect(ni, nc, mi, mc, difference, adjusted, n_adjusted)


def _adjusted(
    data: OutcomeData, y: Answers, x: Answers, keys: np.ndarray, n_keys: int, ki: int, kc: int
) -> tuple[Decimal | None, int]:
    """The difference adjusted for baseline (module docstring), and the respondents it is fitted on."""
    both = y.answered & x.answered
    n = np.bincount(keys[both], minlength=n_keys)
    sy, sx = (v.values.where(both).sums(keys, n_keys) for v in (y, x))
    sxx = (x.values * x.values).where(both).sums(keys, n_keys)
    sxy = (x.values * y.values).where(both).sums(keys, n_keys)
    ni, nc = int(n[ki]), int(n[kc])
    if not ni or not nc:
        return None, ni + nc
    c = _EXACT
    centred_xx = [c.subtract(sxx[k], c.divide(c.multiply(sx[k], sx[k]), int(n[k]))) for k in (ki, kc)]
    centred_xy = [c.subtract(sxy[k], c.divide(c.multiply(sx[k], sy[k]), int(n[k]))) for k in (ki, kc)]
    spread = c.add(*centred_xx)
    if spread == 0:  # every baseline the same within each group: the slope cannot be fitted
        return None, ni + nc
    slope = c.divide(c.add(*centred_xy), spread)
    dy = c.subtract(c.divide(sy[ki], ni), c.divide(sy[kc], nc))
    dx = c.subtract(c.divide(sx[ki], ni), c.divide(sx[kc], nc))
    return _signed(data, +c.subtract(dy, c.multiply(slope, dx))), ni + nc


@dataclass(frozen=True, eq=False)
class ResampledEffect:
    """The effect in every resample with an answer in both groups: exactly ``num[k] / den[k] x
    10^exp`` for resample ``index[k]`` (``approx``: the same as floats)."""

    index: np.ndarray  # positions of the valid resamples among all
    num: np.ndarray
    den: np.ndarray
    exp: int
    approx: np.ndarray  # float64

    def __len__(self) -> int:
        return len(self.index)

    def value(self, k: int) -> Decimal:
        """The k-th valid resample's effect, exactly."""
        return (Decimal(int(self.num[k])) / Decimal(int(self.den[k]))).scaleb(self.exp)


def resampled_effect(data: OutcomeData, r: Resampled) -> ResampledEffect:
    """The effect in each resample of ``r`` (drawn with the outcome's ``bootstrap_columns``); the
    resamples in which a group has no answer are left out."""
    name = column_name(data)
    si, sc = (np.asarray(r.columns[(g, name)]) for g in GROUPS)
    ni, nc = (np.asarray(r.columns[(g, name + ":n")]) for g in GROUPS)
    valid = np.flatnonzero((ni > 0) & (nc > 0))
    si, sc, ni, nc = si[valid], sc[valid], ni[valid], nc[valid]
    big = max(int(np.abs(si).max(initial=0)), int(np.abs(sc).max(initial=0)), 1) * max(
        int(ni.max(initial=1)), int(nc.max(initial=1))
    )
    if big >= 2**62:  # exact but slower: Python integers
        si, sc, ni, nc = (a.astype(object) for a in (si, sc, ni, nc))
    raw = si * nc - sc * ni  # (intervention mean - control mean) x ni x nc
    num = -raw if data.outcome.better is Better.lower else raw
    den = ni * nc
    y, _ = data.measured()
    exp = y.values.exp
    approx = np.asarray(num, dtype=np.float64) / np.asarray(den, dtype=np.float64) * 10.0**exp
    return ResampledEffect(valid, num, den, exp, approx)


def survey_keys(phase: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Each respondent's key: phase code x 2 + group code (intervention 0, control 1)."""
    return phase.astype(np.int64) * len(GROUPS) + group
