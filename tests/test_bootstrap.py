"""The bootstrap's resampling (``sr_cost.core.savings``): the same seed gives the same figures,
whatever the machine does to get them faster.

The pinned interval ends were worked out by sr-cost before the resampling drew uint32 indices in
cache-sized blocks and ran the groups in threads (commit 05e9f16: int64 indices, 4-million-cell
chunks, one group after another): the draws are numpy's ``Generator.integers`` on PCG64, which uses
integer arithmetic only, so they are the same on every platform, and these figures must not move.
"""

from __future__ import annotations

import shutil
from decimal import Decimal as D

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sr_cost.core.bootstrap as bootstrap_module
from sr_cost.api import run_estimate
from sr_cost.core.progress import Step
from sr_cost.core.savings import SavingsAssumptions
from sr_cost.core.unit_costs import AbsenceBasis

from conftest import ROOT, TRIAL

ROLES = ("Social worker", "Team manager", "Family support worker", "Advanced practitioner")


def _figures(run):
    return [(p.saving_ci, p.p_saving_positive, p.net_ci, p.p_pays_for_itself) for p in run.savings.phases]


def test_the_trial_interval_ends_are_pinned():
    """The trial's survey (99 + 100 respondents in phase 1, 19 + 18 in phase 2), the default 10,000
    resamples and seed 2021: several blocks of indices per group. On the unit-cost basis, the default
    when these ends were worked out (issue 14 made employer the default)."""
    a = SavingsAssumptions(absence_basis=AbsenceBasis.unit_cost)
    phase1, phase2 = run_estimate(TRIAL, savings_assumptions=a).savings.phases
    assert phase1.saving_ci.low == D("-917.5681450946969696969696970")
    assert phase1.saving_ci.high == D("1468.651180700757575757575758")
    assert phase1.p_saving_positive == D("0.6697")
    assert phase1.p_pays_for_itself == D("0.6372")
    assert phase2.saving_ci.low == D("-1055.387230263157894736842106")
    assert phase2.saving_ci.high == D("1263.252349232456140350877193")
    assert phase2.p_saving_positive == D("0.5554")
    assert phase2.net_ci.high == D("1863308.192186616541353383460")


def larger_survey(tmp_path):
    """The small cost forms with a survey of 6,000 respondents (3,000 a group), made by rule."""
    target = tmp_path / "forms"
    shutil.copytree(ROOT / "tests" / "fixtures" / "compare_small", target)
    rows = ["la,phase,respondent,group,role,salary,sick_days"]
    for i in range(6000):
        group = "intervention" if i % 2 else "control"
        rows.append(f"{'AB'[i % 3 % 2]},1,R{i},{group},{ROLES[i // 2 * 7 % 4]},,{(i // 2 * 5 + i % 2) % 23 * 0.5:g}")
    (target / "survey.csv").write_text("\n".join(rows) + "\n")
    (target / "staff.csv").write_text("la,phase,intervention_staff,control_staff\nA,1,40,40\nB,1,25,25\n")
    return target


def test_a_larger_survey_s_interval_ends_are_pinned(tmp_path):
    """3,000 respondents a group, 2,000 resamples, seed 7: 87 resamples a block, 23 blocks a group
    (before: 1,333 a chunk). On the unit-cost basis, as the trial's."""
    a = SavingsAssumptions(bootstrap=2000, seed=7, absence_basis=AbsenceBasis.unit_cost)
    (phase,) = run_estimate(larger_survey(tmp_path), savings_assumptions=a).savings.phases
    assert (phase.intervention.n, phase.control.n) == (3000, 3000)
    assert phase.saving_ci.low == D("-64.8689796875")
    assert phase.saving_ci.high == D("65.7016625")
    assert phase.p_saving_positive == D("0.5245")
    assert phase.net_ci.low == D("-435.2161250")
    assert phase.p_pays_for_itself == D("0.036")


def test_one_thread_or_several_give_the_same_figures(tmp_path, monkeypatch):
    """Each group has its own random stream: how many threads draw them changes nothing."""
    forms = larger_survey(tmp_path)
    a = SavingsAssumptions(bootstrap=300, seed=3)
    several = _figures(run_estimate(forms, savings_assumptions=a))
    monkeypatch.setattr(bootstrap_module.os, "cpu_count", lambda: 1)
    assert _figures(run_estimate(forms, savings_assumptions=a)) == several


def test_the_bootstrap_reports_its_progress_up_to_its_total(tmp_path):
    """Resampled values: 6,000 respondents x 300 resamples = 1,800,000, reported as they are drawn
    (from the groups' threads, one at a time) and the same figures as without a callback."""
    forms = larger_survey(tmp_path)
    a = SavingsAssumptions(bootstrap=300, seed=3)
    seen = []
    run = run_estimate(forms, savings_assumptions=a, progress=lambda *report: seen.append(report))
    boot = [(done, total) for step, done, total in seen if step is Step.bootstrap]
    assert boot[0] == (0, 1_800_000) and boot[-1] == (1_800_000, 1_800_000)
    assert all(x[0] <= y[0] for x, y in zip(boot, boot[1:]))
    assert _figures(run) == _figures(run_estimate(forms, savings_assumptions=a))


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 2**32 - 1), seed=st.integers(0, 2**32), size=st.integers(1, 300))
def test_numpy_draws_the_same_indices_as_uint32_and_as_int64(n, seed, size):
    """What the bootstrap relies on to write half the bytes: below 2^32, numpy's bounded integers
    are drawn from 32-bit words whatever the type asked for, so both give the same numbers."""
    wide = np.random.default_rng(seed).integers(0, n, size=size, dtype=np.int64)
    narrow = np.random.default_rng(seed).integers(0, n, size=size, dtype=np.uint32)
    assert (wide == narrow).all()


@pytest.mark.parametrize("block", [1, 2_999, 3_001, 10**9])
def test_any_block_size_gives_the_same_figures(tmp_path, monkeypatch, block):
    """Drawing a block of resamples at a time draws the same stream as drawing them all at once:
    numpy's generator carries on where its last call stopped. Blocks of one resample (any block
    under a group's 3,000 respondents), of just under and over one, and of all of them."""
    forms = larger_survey(tmp_path)
    a = SavingsAssumptions(bootstrap=50, seed=9)
    monkeypatch.setattr(bootstrap_module, "BOOTSTRAP_BLOCK", block)
    figures = _figures(run_estimate(forms, savings_assumptions=a))
    monkeypatch.setattr(bootstrap_module, "BOOTSTRAP_BLOCK", 1 << 18)
    assert figures == _figures(run_estimate(forms, savings_assumptions=a))
