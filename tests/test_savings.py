"""Sickness-absence savings (issue 4): hand-checked fixture, golden Table 21, bootstrap, properties,
bad input."""

from __future__ import annotations

import dataclasses
import json
import shutil
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sr_cost.api import run_estimate
from sr_cost.core.respondents import Group, Survey
from sr_cost.core.savings import SavingsAssumptions, savings
from sr_cost.core.unit_costs import AbsenceBasis
from sr_cost.errors import DataError
from sr_cost.outputs.json_savings import savings_only_dict

from conftest import ROOT, TRIAL, invoke

UNIT_COST = AbsenceBasis.unit_cost  # the basis the hand-checked figures and Table 21 are on
SMALL = ROOT / "tests" / "fixtures" / "small"
SURVEY = """la,phase,respondent,group,role,salary,sick_days,rounds_attended
A,1,R1,intervention,Social worker,,2,2
A,1,R2,Intervention,Team manager,,0,1
A,1,R3,control,Social worker,,4,0
A,1,R4,control,,34748,1,0
B,2,R1,intervention,Social worker,,1,1
B,2,R2,control,Family support worker,,3,0
"""
STAFF = "la,phase,intervention_staff,control_staff\nA,1,10,10\n"


@pytest.fixture
def forms(tmp_path):
    target = tmp_path / "forms"
    shutil.copytree(SMALL, target)
    (target / "survey.csv").write_text(SURVEY)
    (target / "staff.csv").write_text(STAFF)
    return target


def test_small_by_hand(forms):
    """Hours per day 7.5. Phase 1: R1 44.55 x 2 x 7.5 = 668.25; R2 0; R3 44.55 x 4 x 7.5 = 1,336.50;
    R4 salary 34,748 -> derived £44.55/h, x 1 x 7.5 = 334.125.
    intervention mean (668.25 + 0)/2 = 334.125; control (1,336.50 + 334.125)/2 = 835.3125;
    saving 501.1875 (-> 501.19); annual per staff x 12/6 = 1,002.375; x 10 staff = 10,023.75;
    running = LA A's annual cost 9,464.13; net 9,464.13 - 10,023.75 = -559.62;
    break-even 9,464.13 / (10 x mean hourly (44.55 + 61.95)/2 = 53.25 x 7.5 = 3,993.75) = 2.3697352...
    Phase 2: intervention 44.55 x 1 x 7.5 = 334.125; control 38.60 x 3 x 7.5 = 868.50; saving 534.375;
    no staff row for B -> no totals.
    Combined (report): intervention 334.125, control (835.3125 + 868.50)/2 = 851.90625, saving 517.78125.
    Pooled: intervention (668.25 + 0 + 334.125)/3 = 334.125; control (1,336.50 + 334.125 + 868.50)/3
    = 846.375; saving 512.25.
    """
    s = run_estimate(forms, savings_assumptions=SavingsAssumptions(bootstrap=0, absence_basis=UNIT_COST)).savings
    p1, p2 = s.phases
    assert (p1.intervention.n, p1.control.n) == (2, 2)
    assert (p1.intervention.mean_sick_days, p1.control.mean_sick_days) == (D(1), D("2.5"))
    assert (p1.intervention.mean_cost, p1.control.mean_cost, p1.saving_per_staff) == (
        D("334.125"),
        D("835.3125"),
        D("501.1875"),
    )
    assert p1.annual_saving_per_staff == D("1002.375")
    assert (p1.intervention_staff, p1.annual_saving_total) == (10, D("10023.75"))
    assert p1.annual_running_cost == D("9464.13")
    assert p1.net_annual_cost == D("-559.62")
    assert f"{p1.break_even_sick_days_per_staff:.7f}" == "2.3697352"
    assert p2.saving_per_staff == D("534.375")
    assert (p2.annual_saving_total, p2.net_annual_cost, p2.las_with_staff) == (None, None, ())
    assert (s.combined.mean_cost_control, s.combined.saving_per_staff) == (D("851.90625"), D("517.78125"))
    assert (s.pooled.mean_cost_intervention, s.pooled.mean_cost_control, s.pooled.saving_per_staff) == (
        D("334.125"),
        D("846.375"),
        D("512.25"),
    )


def test_absence_bases(forms):
    """Social worker: employer basis (34,748 + 9,536.678...)/1,513 = 29.2694 -> £29.27 an hour;
    salary basis 34,748/1,513 = 22.966 -> £22.97."""
    for basis, hourly in ((AbsenceBasis.employer, D("29.27")), (AbsenceBasis.salary, D("22.97"))):
        run = run_estimate(forms, savings_assumptions=SavingsAssumptions(absence_basis=basis, bootstrap=0))
        assert run.survey.respondents[0].hourly_cost == hourly


def test_bootstrap_repeats_exactly_with_the_same_seed(forms):
    a = SavingsAssumptions(bootstrap=500, seed=11)
    one = run_estimate(forms, savings_assumptions=a).savings.phases[0]
    two = run_estimate(forms, savings_assumptions=a).savings.phases[0]
    other = run_estimate(forms, savings_assumptions=dataclasses.replace(a, seed=12)).savings.phases[0]
    assert (one.saving_ci, one.p_saving_positive, one.net_ci) == (two.saving_ci, two.p_saving_positive, two.net_ci)
    assert (one.saving_ci, one.p_saving_positive) != (other.saving_ci, other.p_saving_positive)
    assert one.saving_ci.low <= one.saving_per_staff <= one.saving_ci.high or one.saving_ci.low <= one.saving_ci.high
    assert D(0) <= one.p_saving_positive <= D(1)
    # net interval is the saving interval mapped through net = running - saving x 2 x staff
    assert one.net_ci.low == one.annual_running_cost - one.saving_ci.high * 2 * 10


def test_golden_table_21():
    run = run_estimate(TRIAL, savings_assumptions=SavingsAssumptions(bootstrap=200, absence_basis=UNIT_COST))
    d = savings_only_dict(run)["savings"]
    got = [
        (p["phase"], p["mean_cost_intervention"], p["mean_cost_control"], p["saving_per_staff"]) for p in d["phases"]
    ]
    assert got == [("1", "1862.84", "2129.55", "266.71"), ("2", "1247.40", "1331.78", "84.38")]
    c = d["combined"]
    assert (c["mean_cost_intervention"], c["mean_cost_control"], c["saving_per_staff"]) == (
        "1555.12",
        "1730.67",
        "175.55",
    )
    assert sum(p["n_intervention"] + p["n_control"] for p in d["phases"]) == 236


def test_cli_json_equals_library_and_estimate_includes_savings(runner):
    args = ["--bootstrap", "300", "--seed", "5"]
    run = run_estimate(TRIAL, savings_assumptions=SavingsAssumptions(bootstrap=300, seed=5))
    result = invoke(runner, "savings", str(TRIAL), "--format", "json", *args)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == json.loads(json.dumps(savings_only_dict(run)))
    est = json.loads(invoke(runner, "estimate", str(TRIAL), "--format", "json", *args).stdout)
    assert est["savings"] == json.loads(result.stdout)["savings"]
    phase = est["savings"]["phases"][0]
    assert set(phase) >= {
        "phase",
        "n_intervention",
        "n_control",
        "mean_sick_days_intervention",
        "mean_sick_days_control",
        "mean_cost_intervention",
        "mean_cost_control",
        "saving_per_staff",
        "saving_ci_low",
        "saving_ci_high",
        "p_saving_positive",
        "annual_saving_per_staff",
        "intervention_staff",
        "annual_saving_total",
        "annual_running_cost",
        "net_annual_cost",
        "net_ci_low",
        "net_ci_high",
        "p_pays_for_itself",
        "break_even_sick_days_per_staff",
    }
    assumptions = est["savings"]["assumptions"]
    assert {k: v for k, v in assumptions.items() if k not in ("basis_note", "extrapolation")} == {
        "hours_per_day": "7.50",
        "recall_months": 6,
        "absence_basis": "employer",
        "agency_rate": None,
        "horizon_years": 3,
        "discount_rate": "0.0350",
        "bootstrap": 300,
        "seed": 5,
        "confidence": "0.95",
        "resampling": "respondents, within group and phase",
    }
    assert "does not state" in assumptions["basis_note"] and len(assumptions["extrapolation"]) == 3


def test_savings_table_reads_at_80_columns(runner):
    result = invoke(runner, "savings", str(TRIAL), "--bootstrap", "200", "--absence-basis", "unit-cost")
    assert result.exit_code == 0
    assert "£266.71" in result.stdout and "£175.55" in result.stdout and "95%" in result.stdout
    assert "…" not in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= 80


def test_savings_without_survey_is_an_error(runner):
    result = invoke(runner, "savings", str(SMALL))
    assert result.exit_code == 1 and "no survey" in result.stderr


# --- properties -----------------------------------------------------------------------------


def _base_run():
    return run_estimate(SMALL, savings_assumptions=SavingsAssumptions(bootstrap=0))


respondent = st.tuples(
    st.sampled_from(["1", "2"]),
    st.sampled_from([Group.intervention, Group.control]),
    st.sampled_from([D("29.04"), D("44.55"), D("61.95"), D("38.60")]),
    st.decimals(min_value=0, max_value=60, places=1),
)


def _survey(rows):
    from sr_cost.core.respondents import Respondent

    people = [
        Respondent(
            la="A" if ph == "1" else "B",
            phase=ph,
            respondent=f"R{i}",
            group=g,
            role=None,
            salary=None,
            sick_days=days,
            rounds_attended=None,
            hourly_cost=rate,
            hourly_source="test",
            file="t",
            sheet="",
            row=i + 2,
        )
        for i, (ph, g, rate, days) in enumerate(rows)
    ]
    return Survey.of(people)


def _both_groups(rows):
    return all(
        {g for ph, g, *_ in rows if ph == phase} == {Group.intervention, Group.control}
        for phase in {r[0] for r in rows}
    )


@settings(max_examples=60, deadline=None)
@given(st.lists(respondent, min_size=2, max_size=30).filter(_both_groups))
def test_swapping_groups_negates_the_saving(rows):
    est = _base_run().estimate
    a = SavingsAssumptions(bootstrap=0)
    swapped = [(ph, Group.control if g is Group.intervention else Group.intervention, r, d) for ph, g, r, d in rows]
    s1, s2 = savings(_survey(rows), est, a), savings(_survey(swapped), est, a)
    assert [p.saving_per_staff for p in s1.phases] == [-p.saving_per_staff for p in s2.phases]
    assert s1.combined.saving_per_staff == -s2.combined.saving_per_staff


@settings(max_examples=60, deadline=None)
@given(st.lists(respondent, min_size=2, max_size=30).filter(_both_groups), st.integers(min_value=0, max_value=20))
def test_scaling_sick_days_scales_the_saving(rows, k):
    est = _base_run().estimate
    a = SavingsAssumptions(bootstrap=0)
    scaled = [(ph, g, r, d * k) for ph, g, r, d in rows]
    s1, s2 = savings(_survey(rows), est, a), savings(_survey(scaled), est, a)
    for p1, p2 in zip(s1.phases, s2.phases):
        # exact up to Decimal's 28 significant digits (means divide by n)
        assert abs(p2.saving_per_staff - p1.saving_per_staff * k) <= D("1e-20")


# --- bad input ------------------------------------------------------------------------------


def _errors(forms, survey=None, staff=None):
    if survey is not None:
        (forms / "survey.csv").write_text(survey)
    if staff is not None:
        (forms / "staff.csv").write_text(staff)
    with pytest.raises(DataError) as info:
        run_estimate(forms, savings_assumptions=SavingsAssumptions(bootstrap=0))
    return [p for p in info.value.problems if p.severity == "error"]


HEAD = "la,phase,respondent,group,role,salary,sick_days,rounds_attended\n"


def test_bad_survey_rows_all_reported(forms):
    survey = SURVEY + (
        "A,1,R5,treatment,Social worker,,1,0\n"  # row 8: unknown group
        "A,1,R6,control,,,1,0\n"  # row 9: neither role nor salary
        "A,1,R7,control,Social worker,,-2,0\n"  # row 10: negative days
        "A,1,R8,control,Social worker,,lots,0\n"  # row 11: non-numeric
        "A,1,R1,control,Social worker,,1,0\n"  # row 12: duplicate respondent
        "A,1,R9,control,Socal worker,,1,0\n"
    )  # row 13: unknown role
    found = [(p.row, p.column) for p in _errors(forms, survey)]
    assert found == [(8, "group"), (9, "role"), (10, "sick_days"), (11, "sick_days"), (12, "respondent"), (13, "role")]


def test_phase_with_one_group_cannot_be_computed(forms):
    survey = (
        HEAD
        + "A,1,R1,intervention,Social worker,,2,2\nB,2,R1,control,Social worker,,1,0\n"
        + "B,2,R2,intervention,Social worker,,1,0\n"
    )
    (p,) = _errors(forms, survey)
    assert "intervention group only" in p.message and "cannot be computed" in p.message


def test_staff_row_without_cost_forms_is_a_warning(forms):
    (forms / "staff.csv").write_text(STAFF + "Z,1,100,100\n")
    run = run_estimate(forms, savings_assumptions=SavingsAssumptions(bootstrap=0))
    assert run.savings.phases[0].intervention_staff == 10
    (w,) = [w for w in run.warnings if "left out" in w.message]
    assert (w.row, w.value) == (3, "Z")


def test_cli_bad_survey_exit_1_nothing_written(forms, runner, tmp_path):
    (forms / "survey.csv").write_text(SURVEY + "A,1,R5,treatment,Social worker,,1,0\n")
    out = tmp_path / "s.json"
    result = invoke(runner, "savings", str(forms), "-f", "json", "-o", str(out))
    assert result.exit_code == 1 and "treatment" in result.stderr and "line 8" in result.stderr
    assert not out.exists() and "Traceback" not in result.output
