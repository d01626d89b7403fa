"""Cost-effectiveness (issue 15): a hand-checked fixture in all four quadrants, the JSON contract,
the CLI, bad outcome cells, and the trial example."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal as D

import pytest

from sr_cost.api import run_estimate
from sr_cost.core.better import Better
from sr_cost.core.effectiveness import EffectAssumptions, Label, Quadrant
from sr_cost.core.savings import SavingsAssumptions
from sr_cost.core.unit_costs import AbsenceBasis
from sr_cost.errors import DataError, UsageError
from sr_cost.outputs.json_savings import run_to_dict

from conftest import ROOT, TRIAL, invoke

SMALL = ROOT / "tests" / "fixtures" / "small"
# ghq12 (lower is better) and wellbeing (the same numbers, named with --better higher)
SURVEY = """la,phase,respondent,group,role,salary,sick_days,rounds_attended,ghq12,ghq12_caseness,wellbeing
A,1,R1,intervention,Social worker,,2,2,10,3,10
A,1,R2,Intervention,Team manager,,0,1,14,5,14
A,1,R3,control,Social worker,,4,0,15,5,15
A,1,R4,control,,34748,1,0,,,
A,1,R5,control,Social worker,,0,0,18,6,18
"""
STAFF = "la,phase,intervention_staff,control_staff\nA,1,10,10\n"


@pytest.fixture
def forms(tmp_path):
    target = tmp_path / "forms"
    shutil.copytree(SMALL, target)
    (target / "survey.csv").write_text(SURVEY)
    (target / "staff.csv").write_text(STAFF)
    return target


def _run(forms, recall_months: int, **options):
    a = SavingsAssumptions(
        bootstrap=0,
        absence_basis=AbsenceBasis.unit_cost,
        years=1,
        discount_rate=D(0),
        recall_months=recall_months,
    )
    return run_estimate(forms, savings_assumptions=a, effect=EffectAssumptions(wtp_per_point=D(300)), **options)


def test_four_quadrants_by_hand(forms):
    """Unit-cost basis, 7.5 hours a day, horizon 1 year undiscounted (present value of £1 a year = 1).
    Sickness cost: R1 44.55 x 2 x 7.5 = 668.25, R2 0; R3 44.55 x 4 x 7.5 = 1,336.50, R4 (salary 34,748:
    £44.55/h) x 1 x 7.5 = 334.125, R5 0. Saving per staff = (1,336.50 + 334.125 + 0)/3 - (668.25 + 0)/2
    = 556.875 - 334.125 = 222.75 over the recall period.
    Cost before the saving = (set-up 5,686.25 + running 9,464.13 a year x 1) / 10 staff = 1,515.038.
    Recall 6 months: saving factor 1 x 12/6 = 2 -> cost = 1,515.038 - 2 x 222.75 = 1,069.538 (dearer).
    Recall 1 month: factor 12 -> cost = 1,515.038 - 2,673 = -1,157.962 (cheaper).
    GHQ-12 (lower better; R4 blank): intervention (10 + 14)/2 = 12, control (15 + 18)/2 = 16.5,
    effect 16.5 - 12 = +4.5. Wellbeing (same numbers, higher better): effect 12 - 16.5 = -4.5.
    NE (GHQ-12, 6 months): ICER 1,069.538 / 4.5 = 237.6751...; NMB at £300: 1,350 - 1,069.538 = 280.462.
    SE (GHQ-12, 1 month): dominant, no ratio; NMB 1,350 + 1,157.962 = 2,507.962.
    NW (wellbeing, 6 months): dominated, no ratio; NMB -1,350 - 1,069.538 = -2,419.538.
    SW (wellbeing, 1 month): ratio -1,157.962 / -4.5 = 257.3248... saved per point given up;
    NMB -1,350 + 1,157.962 = -192.038.
    Caseness (cases at 4+): intervention R2 only, 1/2; control R3 and R5, 2/2 = 1; 0.5 avoided, 50 per
    100 staff; at 6 months £1,069.538 / 0.5 = £2,139.076 a case avoided."""
    dearer = _run(forms, 6, outcome="wellbeing", better=Better.higher).cost_effectiveness
    cheaper = _run(forms, 1, outcome="wellbeing", better=Better.higher).cost_effectiveness
    (p6,), (p1,) = dearer.phases, cheaper.phases
    assert p6.cost.before_saving == p1.cost.before_saving == D("1515.038")
    assert (p6.cost.after_saving, p1.cost.after_saving) == (D("1069.538"), D("-1157.962"))
    ghq6, cases6, well6 = p6.outcomes
    ghq1, _, well1 = p1.outcomes
    assert (ghq6.effect.mean_intervention, ghq6.effect.mean_control, ghq6.effect.difference) == (
        D(12),
        D("16.5"),
        D("4.5"),
    )
    assert (ghq6.effect.n_intervention, ghq6.effect.n_control) == (2, 2)
    assert well6.effect.difference == D("-4.5")
    assert (ghq6.verdict.quadrant, ghq6.verdict.label) == (Quadrant.ne, Label.ratio)
    assert f"{ghq6.verdict.icer:.6f}" == "237.675111"
    assert ghq6.nmb == D("280.462")
    assert (ghq1.verdict.quadrant, ghq1.verdict.label, ghq1.verdict.icer) == (Quadrant.se, Label.dominant, None)
    assert ghq1.nmb == D("2507.962")
    assert (well6.verdict.quadrant, well6.verdict.label, well6.verdict.icer) == (Quadrant.nw, Label.dominated, None)
    assert well6.nmb == D("-2419.538")
    assert (well1.verdict.quadrant, well1.verdict.label) == (Quadrant.sw, Label.ratio)
    assert f"{well1.verdict.icer:.6f}" == "257.324889"
    assert well1.nmb == D("-192.038")
    assert (cases6.effect.mean_intervention, cases6.effect.mean_control, cases6.effect.difference) == (
        D("0.5"),
        D(1),
        D("0.5"),
    )
    assert cases6.cases_avoided_per_100 == D(50)
    assert cases6.cost_per_case_avoided == D("2139.076")


def test_json_contract(forms):
    """The object's shape, money with two decimals, probabilities with three, quadrants summing to 1."""
    a = SavingsAssumptions(bootstrap=200, absence_basis=AbsenceBasis.unit_cost, years=1, discount_rate=D(0))
    run = run_estimate(forms, savings_assumptions=a, effect=EffectAssumptions(wtp_per_point=D(300)))
    ce = run_to_dict(run)["cost_effectiveness"]
    assert set(ce["assumptions"]) >= {
        "perspective",
        "per",
        "horizon_years",
        "discount_rate",
        "absence_basis",
        "bootstrap",
        "seed",
        "wtp_points",
    }
    assert ce["assumptions"]["perspective"] == "employer"
    (phase,) = ce["phases"]
    assert (phase["incremental_cost_per_staff"], phase["incremental_cost_per_staff_before_saving"]) == (
        "1069.54",
        "1515.04",
    )
    ghq, cases = phase["outcomes"]
    assert (ghq["outcome"], ghq["better"], ghq["difference"], ghq["icer"], ghq["icer_label"]) == (
        "ghq12",
        "lower",
        "4.5000",
        "237.68",
        "ratio",
    )
    assert ghq["nmb_at_wtp"] == "280.46" and cases["nmb_at_wtp"] is None  # no --wtp-case
    assert ghq["adjusted_difference"] is None  # no baseline
    assert sum(D(v) for v in ghq["quadrants"].values()) == 1
    assert set(ghq["quadrants"]) == {"ne", "nw", "se", "sw"}
    assert ghq["ceac"][0]["wtp"] == "0.00" and len(ghq["ceac"]) >= 50
    assert all(len(c["p_cost_effective"].split(".")[1]) == 3 for c in ghq["ceac"])
    assert (cases["cases_avoided_per_100"], cases["cost_per_case_avoided"]) == ("50.00", "2139.08")


def test_cli_json_equals_the_library(forms, runner, tmp_path):
    out = tmp_path / "e.json"
    args = ["--bootstrap", "100", "--absence-basis", "unit-cost", "--wtp", "300", "--years", "1"]
    result = invoke(runner, "estimate", str(forms), *args, "--discount-rate", "0", "-f", "json", "-o", str(out))
    assert result.exit_code == 0, result.output
    a = SavingsAssumptions(bootstrap=100, absence_basis=AbsenceBasis.unit_cost, years=1, discount_rate=D(0))
    run = run_estimate(forms, savings_assumptions=a, effect=EffectAssumptions(wtp_per_point=D(300)))
    assert json.loads(out.read_text())["cost_effectiveness"] == run_to_dict(run)["cost_effectiveness"]
    table = invoke(runner, "savings", str(forms), *args)
    assert table.exit_code == 0 and "Cost-effectiveness per intervention staff member" in table.output
    assert "£237.68/point" in table.output


def test_outcome_options_go_together(forms, runner):
    assert invoke(runner, "estimate", str(forms), "--outcome", "wellbeing").exit_code == 2
    assert invoke(runner, "estimate", str(forms), "--better", "higher").exit_code == 2
    result = invoke(runner, "estimate", str(forms), "--outcome", "nosuch", "--better", "higher")
    assert result.exit_code == 1 and "nosuch" in result.output
    with pytest.raises(UsageError):
        run_estimate(forms, outcome="ghq12", better=Better.lower)  # read without --outcome


def test_bad_outcome_cells_name_row_column_value_and_fix(forms):
    """Every problem at once: out of range, not whole, not a number, and a Likert total that cannot go
    with its caseness count (2 x 6 = 12 > 10)."""
    survey = SURVEY.replace(
        "A,1,R1,intervention,Social worker,,2,2,10,3,10", "A,1,R1,intervention,Social worker,,2,2,37,3,10"
    )
    survey = survey.replace(",14,5,14", ",13.5,5,14").replace(",15,5,15", ",lots,5,15").replace(",18,6,18", ",10,6,18")
    (forms / "survey.csv").write_text(survey)
    with pytest.raises(DataError) as caught:
        run_estimate(forms, savings_assumptions=SavingsAssumptions(bootstrap=0))
    found = {(p.row, p.column, p.value) for p in caught.value.problems}
    assert {(2, "ghq12", "37"), (3, "ghq12", "13.5"), (4, "ghq12", "lots")} <= found
    assert any(
        p.row == 6 and p.column == "ghq12" and "cannot both be right" in p.message for p in caught.value.problems
    )
    assert all(p.fix for p in caught.value.problems)


def test_trial_example_effects_close_to_the_report():
    """The rebuilt example's unadjusted differences: the intervention group lower on GHQ-12 (Table 6:
    -0.72) and with fewer cases, in each phase; the JSON says the effect is not significant (its
    interval crosses 0)."""
    run = run_estimate(TRIAL, savings_assumptions=SavingsAssumptions(bootstrap=500))
    for p in run.cost_effectiveness.phases:
        ghq, cases = p.outcomes
        assert D("0.5") < ghq.effect.difference < D("1")
        assert cases.effect.difference > 0
        assert ghq.difference_ci.low < 0 < ghq.difference_ci.high
        assert ghq.effect.adjusted is not None


def test_readme_worked_example():
    """The README's worked example (phase 1 of the trial at --wtp 500) is what sr-cost computes."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("### Cost-effectiveness: what a point of wellbeing costs", 1)[1].split("\n### ", 1)[0]
    run = run_estimate(
        TRIAL, savings_assumptions=SavingsAssumptions(bootstrap=0), effect=EffectAssumptions(wtp_per_point=D(500))
    )
    p = run_to_dict(run)["cost_effectiveness"]["phases"][0]
    ghq = p["outcomes"][0]
    assert (p["incremental_cost_per_staff"], p["incremental_cost_per_staff_before_saving"]) == ("-661.91", "336.60")
    assert (ghq["mean_intervention"], ghq["mean_control"], ghq["difference"]) == ("12.0421", "12.8229", "0.7808")
    assert (ghq["icer"], ghq["icer_label"], ghq["icer_before_saving"], ghq["nmb_at_wtp"]) == (
        None,
        "dominant",
        "431.08",
        "1052.31",
    )
    s = run.savings.phases[0]
    d = s.decision
    for text in (
        f"£{d.setup:,.2f}",
        f"£{d.running_cost_year:,.2f} a year",
        f"{s.intervention_staff:,} intervention staff",
        "**£336.60**",
        "**−£661.91**",
        "12.0421",
        "12.8229",
        "**0.7808 points better**",
        "£431.08 a point",
        "**£1,052.31**",
        f"A = {d.annuity:.4f}",
        f"−£{-d.net_present_value:,.2f}",
    ):
        assert text in " ".join(section.split()), text
    assert "found no significant effect" in section


def test_adjusted_difference_is_the_least_squares_group_coefficient():
    """On the trial example, per phase: fit ghq12 = a + b x intervention + c x ghq12_baseline by least
    squares (numpy, over the respondents with both) and compare -b (lower is better) with sr-cost's
    adjusted difference; and the counts of who answered."""
    import csv

    import numpy as np

    rows = list(csv.DictReader((TRIAL / "survey.csv").open()))
    run = run_estimate(TRIAL, savings_assumptions=SavingsAssumptions(bootstrap=0))
    for p in run.cost_effectiveness.phases:
        ghq = p.outcomes[0]
        mine = [r for r in rows if r["phase"] == p.phase and r["ghq12"] and r["ghq12_baseline"]]
        x = np.array([[1.0, r["group"] == "intervention", float(r["ghq12_baseline"])] for r in mine])
        y = np.array([float(r["ghq12"]) for r in mine])
        b = np.linalg.lstsq(x, y, rcond=None)[0][1]
        assert abs(float(ghq.effect.adjusted) + b) < 1e-9
        assert ghq.effect.n_adjusted == len(mine)
        answered = [r for r in rows if r["phase"] == p.phase and r["ghq12"]]
        assert ghq.effect.n_intervention == sum(r["group"] == "intervention" for r in answered)
        assert ghq.effect.n_control == sum(r["group"] == "control" for r in answered)
