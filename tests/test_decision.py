"""The decision figures: a hand-checked case (the arithmetic in the docstring), each solved figure
put back in giving a net present value of 0 (hypothesis), the trial's bases and the report's
per-person figures (golden), and the figures reaching the JSON and the terminal."""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from sr_cost.api import run_estimate
from sr_cost.core.bootstrap import Resampled
from sr_cost.core.decision import Scale, annuity, decide, net_present_value, payback_months
from sr_cost.core.savings import SavingsAssumptions
from sr_cost.core.unit_costs import AbsenceBasis
from sr_cost.money import to_penny

from conftest import TRIAL, invoke

PENNY = D("0.01")


def test_by_hand():
    """Set-up £5,000 (of which £1,000 staff time), running £10,000 a year, saving £16,000 a year, for
    2 LAs, 100 intervention staff, 12 rounds a year, a sick day costing £150; 3 years at 3.5%.
    A = 1 + 1/1.035 + 1/1.035^2 = 1 + 0.966183575 + 0.933510700 = 2.899694275
    net cost, first year = 5,000 + 10,000 - 16,000 = -1,000
    net present value = 5,000 + A x (10,000 - 16,000) = 5,000 - 17,398.17 = -12,398.17
    ROI = A x 16,000 / (5,000 + A x 10,000) = 46,395.11 / 33,996.94 = 1.36 (first year 16,000 / 15,000 = 1.07)
    payback = 12 x 5,000 / (16,000 - 10,000) = 10 months
    most set-up fee per LA = (A x 6,000 - 1,000) / 2 = (17,398.17 - 1,000) / 2 = 8,199.08
    most cost per round = (A x 16,000 - 5,000) / (A x 2 x 12) = 41,395.108 / 69.59266 = 594.82
    least saving per staff a year = 33,996.94 / (A x 100) = 117.24; in sick days 117.24 / 150 = 0.78"""
    scale = Scale(las=2, staff=100, rounds_per_year=12, setup_indirect=D(1000), sick_day_cost=D(150))
    d = decide(D(5000), D(10000), D(16000), scale, years=3, rate=D("0.035"))
    assert f"{d.annuity:.9f}" == "2.899694275"
    assert d.net_first_year == D(-1000)
    assert to_penny(d.net_present_value) == D("-12398.17")
    assert (to_penny(d.roi), to_penny(d.roi_first_year)) == (D("1.36"), D("1.07"))
    assert d.payback_months == 10
    assert to_penny(d.max_setup_fee) == D("8199.08")
    assert to_penny(d.max_cost_per_round) == D("594.82")
    assert to_penny(d.break_even_saving_per_staff) == D("117.24")
    assert to_penny(d.break_even_sick_days_per_staff) == D("0.78")


def test_payback_beyond_the_horizon_or_never():
    assert payback_months(D(5000), D(10000), D(10000), 3) is None  # the saving never covers the running cost
    assert payback_months(D(50000), D(10000), D(11000), 3) is None  # 600 months, past 36
    assert payback_months(D(0), D(10000), D(10001), 3) == 0


money = st.decimals(min_value=0, max_value=10**6, places=2)


@settings(max_examples=120, deadline=None)
@given(
    setup=money,
    running=money,
    saving=money,
    years=st.integers(1, 10),
    rate=st.decimals(min_value=0, max_value=D("0.2"), places=3),
    las=st.integers(1, 20),
    staff=st.integers(1, 5000),
    rpy=st.integers(1, 52),
    indirect_share=st.decimals(0, 1, places=2),
)
def test_each_solved_figure_put_back_gives_a_net_present_value_of_0(
    setup, running, saving, years, rate, las, staff, rpy, indirect_share
):
    indirect = setup * indirect_share
    scale = Scale(las=las, staff=staff, rounds_per_year=rpy, setup_indirect=indirect, sick_day_cost=D(150))
    d = decide(setup, running, saving, scale, years=years, rate=rate)
    a = annuity(years, rate)
    # the most set-up fee per LA: every LA paying it, the training's staff time as it is
    assert abs(net_present_value(las * d.max_setup_fee + indirect, running, saving, a)) < PENNY
    # the most mean cost per round: every LA's rounds at that cost
    assert abs(net_present_value(setup, las * rpy * d.max_cost_per_round, saving, a)) < PENNY
    # the least saving per intervention staff member a year
    assert abs(net_present_value(setup, running, staff * d.break_even_saving_per_staff, a)) < PENNY
    # and in sick days avoided at £150 a day
    assert abs(net_present_value(setup, running, staff * 150 * d.break_even_sick_days_per_staff, a)) < PENNY
    # ROI is 1 exactly where the net present value is 0, and above 1 where it is negative
    if d.roi is not None:
        assert (d.roi >= 1) == (d.net_present_value <= 0) or abs(d.net_present_value) < PENNY


def test_the_resampled_shares_count_on_the_integers():
    """Savings per staff member 1/4, 2/4, 3/4: above 0.5 is one of three, at least 0.5 two."""
    r = Resampled(__import__("numpy").array([1, 2, 3]), D(4))
    assert r.share_above(D("0.5")) == D(1) / 3
    assert r.share_above(D("0.5"), or_equal=True) == D(2) / 3
    assert r.interval(D("0.5")) == replace(r.interval(D("0.5")))  # exact decimals, repeatable


def test_the_trial_on_each_basis_and_the_reports_per_person_figures():
    """Phase 1 of the trial: £136.32 on salary, £172.17 on salary + on-costs (the default), £266.71 on
    the unit cost (the basis on which Table 21 is rebuilt); the report's per-person cost, annual cost x
    6/12 / feedback forms: 22,622.04 / 2 / 502 = £22.53 and 5,150.52 / 2 / 133 = £19.36 (footnote 4)."""
    run = run_estimate(TRIAL, savings_assumptions=SavingsAssumptions(bootstrap=0))
    p1 = run.savings.phases[0]
    assert {b.basis: to_penny(b.saving_per_staff) for b in p1.by_basis} == {
        AbsenceBasis.salary: D("136.32"),
        AbsenceBasis.employer: D("172.17"),
        AbsenceBasis.unit_cost: D("266.71"),
    }
    assert to_penny(p1.saving_per_staff) == D("172.17")  # the default basis: employer
    assert [(p.feedback_forms, to_penny(p.report_per_person)) for p in run.estimate.phases] == [
        (502, D("22.53")),
        (133, D("19.36")),
    ]
    r = p1.response
    assert (r.intervention_respondents, r.intervention_staff, r.control_respondents, r.control_staff) == (
        99,
        1066,
        100,
        1068,
    )
    assert r.low and f"{r.share:.3f}" == "0.093"  # 199 of 2,134


def test_agency_basis_and_its_rate(runner):
    """At £30 an hour of agency cover, phase 1's saving is the mean sick days' difference (6.20 - 5.13)
    x 7.5 hours x £30: every respondent's hour costs the same."""
    run = run_estimate(TRIAL, savings_assumptions=SavingsAssumptions(bootstrap=0, agency_rate=D(30)))
    p1 = run.savings.phases[0]
    agency = next(b for b in p1.by_basis if b.basis is AbsenceBasis.agency)
    days = p1.control.mean_sick_days - p1.intervention.mean_sick_days
    assert abs(agency.saving_per_staff - days * D("7.5") * 30) < D("1e-20")  # 28-digit means
    result = invoke(runner, "savings", str(TRIAL), "--absence-basis", "agency", "--bootstrap", "0")
    assert result.exit_code == 2 and "--agency-rate" in result.stderr


def test_the_json_and_the_terminal_say_it(runner):
    result = invoke(runner, "savings", str(TRIAL), "-f", "json", "--bootstrap", "300")
    p = json.loads(result.stdout)["savings"]["phases"][0]
    assert [b["basis"] for b in p["by_basis"]] == ["salary", "employer", "unit-cost"]
    d = p["decision"]
    assert set(d) >= {
        "setup",
        "running_cost_year",
        "saving_year",
        "net_first_year",
        "net_present_value",
        "roi",
        "roi_first_year",
        "payback_months",
        "max_setup_fee",
        "max_cost_per_round",
        "break_even_saving_per_staff",
        "break_even_sick_days_per_staff",
        "roi_ci_low",
        "roi_ci_high",
        "p_roi_at_least_1",
        "p_payback_within_horizon",
    }
    assert len(d["p_roi_at_least_1"]) == 5 and d["roi"].count(".") == 1 and len(d["roi"].split(".")[1]) == 2
    assert p["extrapolation"].startswith("an extrapolation") and "1,066 intervention staff" in p["extrapolation"]
    assert p["response"]["share"] == "0.093"
    table = invoke(runner, "savings", str(TRIAL), "--bootstrap", "300").stdout
    assert "does not state" in table and "warning: Phase 1: only 9%" in table and "Payback" in table
    assert "extrapolation" in table and "£ back per £1" in table
