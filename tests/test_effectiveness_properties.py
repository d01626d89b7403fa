"""Cost-effectiveness properties (issue 15): the ratio scales with the outcome, swapping the arms
flips the quadrant, the acceptability curve's ends, a fixed seed repeats; and the ICER, the
quadrants and the curve against a second implementation written here in plain Python (fractions,
no sr-cost arithmetic)."""

from __future__ import annotations

import shutil
from decimal import Decimal as D
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sr_cost.api import run_estimate
from sr_cost.core.better import Better
from sr_cost.core.bootstrap import Resampled
from sr_cost.core.effectiveness import Cost, EffectAssumptions, classify, plane
from sr_cost.core.effects import ResampledEffect
from sr_cost.core.savings import SavingsAssumptions
from sr_cost.core.unit_costs import AbsenceBasis
from sr_cost.outputs.json_savings import run_to_dict

from conftest import ROOT, TRIAL

SMALL = ROOT / "tests" / "fixtures" / "small"
SURVEY = "la,phase,respondent,group,role,salary,sick_days,rounds_attended,wellbeing\n"
ROWS = [
    ("R1", "intervention", 2, "10"),
    ("R2", "intervention", 0, "14"),
    ("R3", "control", 4, "15"),
    ("R4", "control", 1, ""),
    ("R5", "control", 0, "18"),
    ("R6", "intervention", 1, "9"),
]
FAST = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _survey(scale: Fraction = Fraction(1), swap: bool = False) -> str:
    lines = [SURVEY]
    for rid, group, days, score in ROWS:
        if swap:
            group = "control" if group == "intervention" else "intervention"
        value = "" if not score else str(D(score) * D(scale.numerator) / D(scale.denominator))
        lines.append(f"A,1,{rid},{group},Social worker,,{days},0,{value}\n")
    return "".join(lines)


@pytest.fixture
def forms(tmp_path):
    target = tmp_path / "forms"
    shutil.copytree(SMALL, target)
    (target / "staff.csv").write_text("la,phase,intervention_staff,control_staff\nA,1,10,10\n")
    return target


def _ce(forms, survey: str, recall_months: int = 6, bootstrap: int = 0, seed: int = 2021):
    (forms / "survey.csv").write_text(survey)
    a = SavingsAssumptions(
        bootstrap=bootstrap, seed=seed, absence_basis=AbsenceBasis.unit_cost, recall_months=recall_months
    )
    return run_estimate(forms, savings_assumptions=a, outcome="wellbeing", better=Better.lower)


@FAST
@given(k=st.sampled_from([Fraction(1, 4), Fraction(1, 2), Fraction(2), Fraction(10), Fraction(1000)]))
def test_scaling_the_outcome_by_k_scales_the_ratio_by_1_over_k(forms, k):
    (base,) = _ce(forms, _survey()).cost_effectiveness.phases[0].outcomes
    (scaled,) = _ce(forms, _survey(k)).cost_effectiveness.phases[0].outcomes
    assert scaled.effect.difference == base.effect.difference * D(k.numerator) / D(k.denominator)
    assert base.verdict.icer is not None
    ratio = Fraction(base.verdict.icer) / Fraction(scaled.verdict.icer)
    assert abs(ratio - k) < Fraction(1, 10**20) * k


@pytest.mark.parametrize("recall_months", [6, 1])
def test_swapping_the_groups_negates_the_effect_and_the_saving(forms, recall_months):
    run = _ce(forms, _survey(), recall_months)
    swapped = _ce(forms, _survey(swap=True), recall_months)
    (o,), (s,) = run.cost_effectiveness.phases[0].outcomes, swapped.cost_effectiveness.phases[0].outcomes
    assert s.effect.difference == -o.effect.difference
    assert swapped.savings.phases[0].saving_per_staff == -run.savings.phases[0].saving_per_staff


OPPOSITE = {"ne": "sw", "sw": "ne", "se": "nw", "nw": "se"}
nonzero = st.integers(-(10**6), 10**6).filter(bool)


@given(cost=nonzero, effect=nonzero)
def test_swapping_the_arms_flips_the_quadrant(cost, effect):
    """Intervention against control or control against intervention: cost and effect both change
    sign, the point goes to the opposite quadrant, and a ratio stays the same ratio."""
    v, w = classify(D(cost), D(effect)), classify(D(-cost), D(-effect))
    assert OPPOSITE[v.quadrant.value] == w.quadrant.value
    assert v.icer == w.icer


def reference_verdict(c: Fraction, e: Fraction) -> tuple[str, str, Fraction | None]:
    """The plane written out: right = better (e > 0), up = dearer (c > 0); a ratio only where it
    means something (dearer and better: what a unit costs; cheaper and worse: what is saved per unit
    given up), otherwise dominant (no dearer, no worse) or dominated."""
    quadrant = ("n" if c > 0 else "s") + ("e" if e > 0 else "w")
    if c * e > 0:
        return quadrant, "ratio", c / e
    if c == 0 and e == 0:
        return quadrant, "ratio", None
    if c <= 0 <= e:
        return quadrant, "dominant", None
    return quadrant, "dominated", None


@given(c=st.integers(-(10**7), 10**7), e=st.integers(-(10**4), 10**4), cd=st.integers(1, 100), ed=st.integers(1, 100))
def test_icer_against_a_second_implementation(c, e, cd, ed):
    cost, effect = Fraction(c, 100), Fraction(e, ed)
    v = classify(D(c) / 100, D(e) / D(ed))
    q, label, icer = reference_verdict(cost, effect)
    assert (v.quadrant.value, v.label.value) == (q, label)
    if icer is None:
        assert v.icer is None
    else:
        assert abs(Fraction(v.icer) - icer) <= abs(icer) * Fraction(1, 10**25)


@st.composite
def resamples(draw):
    n = draw(st.integers(1, 60))
    numer = draw(st.lists(st.integers(-(10**6), 10**6), min_size=n, max_size=n))
    denom = draw(st.integers(1, 1000))
    num = draw(st.lists(st.integers(-40, 40), min_size=n, max_size=n))
    den = draw(st.lists(st.integers(1, 30), min_size=n, max_size=n))
    before = draw(st.integers(-(10**5), 10**5))
    factor = draw(st.integers(1, 12))
    return numer, denom, num, den, before, factor


def _plane(numer, denom, num, den, before, factor):
    r = Resampled(np.array(numer, dtype=np.int64), D(denom))
    approx = np.array(num, dtype=np.float64) / np.array(den, dtype=np.float64)
    effect = ResampledEffect(np.arange(len(num)), np.array(num), np.array(den), 0, approx)
    cost = Cost(D(before) / 100, D(0), D(factor))
    return plane(effect, r, cost)


def reference_points(numer, denom, num, den, before, factor):
    """Each resample's (effect, cost): cost = cost before the saving - factor x saving."""
    return [(Fraction(a, b), Fraction(before, 100) - factor * Fraction(s, denom)) for s, a, b in zip(numer, num, den)]


def reference_p(points, wtp: Fraction) -> int:
    """How many resamples have a net monetary benefit above 0: wtp x effect - cost > 0."""
    return sum(1 for e, c in points if wtp * e - c > 0)


def share(count: int, n: int) -> D:
    """A count of resamples as the share sr-cost reports (a Decimal quotient)."""
    return D(count) / D(n)


@settings(max_examples=60, deadline=None)
@given(data=resamples(), wtps=st.lists(st.integers(0, 10**6), min_size=1, max_size=8))
def test_quadrants_and_ceac_against_a_second_implementation(data, wtps):
    pl = _plane(*data)
    points = reference_points(*data)
    n = len(points)
    shares = pl.quadrants()
    for key in ("ne", "nw", "se", "sw"):
        expected = sum(1 for e, c in points if reference_verdict(c, e)[0] == key)
        assert shares[key] == share(expected, n), key
    for w in wtps:
        wtp = Fraction(w, 100)
        # the curve compares floats away from 0: skip a willingness to pay within rounding of a tie
        if any(e != 0 and abs(wtp * e - c) < Fraction(1, 10**6) for e, c in points):
            continue
        assert pl.p_cost_effective(D(w) / 100) == share(reference_p(points, wtp), n)


@settings(max_examples=60, deadline=None)
@given(data=resamples())
def test_ceac_ends(data):
    """At 0 the curve is P(cost saving); beyond every resample's turning point it is P(effect > 0)
    (plus the resamples of no effect that save money); in between it stays within [0, 1]."""
    pl = _plane(*data)
    points = reference_points(*data)
    n = len(points)
    assert pl.p_cost_effective(D(0)) == share(sum(1 for _, c in points if c < 0), n)
    turns = [abs(c / e) for e, c in points if e != 0]
    far = (max(turns, default=Fraction(0)) + 1) * 10
    limit = sum(1 for e, c in points if e > 0 or (e == 0 and c < 0))
    assert pl.p_cost_effective(D(far.numerator) / D(far.denominator)) == share(limit, n)
    for w in (D(1), D(100), D(10_000)):
        assert 0 <= pl.p_cost_effective(w) <= 1


def test_trial_curve_is_a_probability_from_p_saving_towards_p_better():
    run = run_estimate(TRIAL, savings_assumptions=SavingsAssumptions(bootstrap=300))
    for p in run.cost_effectiveness.phases:
        for r in p.outcomes:
            values = [c.p_cost_effective for c in r.curve]
            assert len(values) >= 50 and r.curve[0].wtp == 0
            assert all(0 <= v <= 1 for v in values)
            q = {k.value: v for k, v in r.quadrants.items()}
            assert abs(values[0] - (q["se"] + q["sw"])) < D("1e-20")  # saving: below the axis (none costs exactly 0)
            assert abs(values[-1] - (q["ne"] + q["se"])) <= D("0.05")  # runs until 5% are left to change side


def test_a_fixed_seed_repeats_exactly():
    def once(seed):
        a = SavingsAssumptions(bootstrap=300, seed=seed)
        run = run_estimate(TRIAL, savings_assumptions=a, effect=EffectAssumptions(wtp_per_point=D(500)))
        return run_to_dict(run)["cost_effectiveness"]

    first = once(7)
    assert once(7) == first
    assert once(8) != first
