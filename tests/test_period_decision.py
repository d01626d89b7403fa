"""The period and price years meet issue 14's decision figures and issue 17's report and explain:
the most a round may cost keeps a year's steering fixed, explain follows the annual cost's rule
and the re-pricing, and the report names the table, the rounds a year and the prices as the
estimate does."""

from __future__ import annotations

from decimal import Decimal as D

from test_period_prices import plan
from test_report import page_text

from sr_cost.api import explainable_figures, run_estimate, run_report
from sr_cost.core.decision import Scale, annuity, decide, net_present_value
from sr_cost.core.explanation import check
from sr_cost.core.savings import SavingsAssumptions
from sr_cost.outputs.report import build_report
from sr_cost.outputs.report_html import render_html

from conftest import ROOT

NO_BOOT = SavingsAssumptions(bootstrap=0)


def test_the_most_a_round_may_cost_keeps_a_years_steering_fixed():
    """Set-up £1,000; saving £5,000 a year; one year (A = 1); 8 rounds a year; a year's steering tied
    to no round £1,200, of which 8 x £100 is counted in the mean per round (£100 a round): the rest,
    £400, does not move with the cost per round. Most mean per round = (5,000 - 400 - 1,000) / 8 =
    £450. Put back: running = 8 x (450 - 100) + 1,200 = £4,000; net = 1,000 + 4,000 - 5,000 = 0."""
    scale = Scale(las=1, staff=10, rounds_per_year=8, setup_indirect=D(0), sick_day_cost=None, fixed_year=D(400))
    d = decide(D(1000), D(3000), D(5000), scale, years=1, rate=D(0))
    assert d.max_cost_per_round == D(450)
    running = 8 * (d.max_cost_per_round - 100) + D(1200)
    assert net_present_value(D(1000), running, D(5000), annuity(1, D(0))) == 0


def test_a_plans_fixed_year_is_its_steering_beyond_the_rounds_share(tmp_path):
    """The 12-month plan (10 rounds, £1,956.30 of steering tied to no round, £195.63 a round): with
    its own 10 rounds a year nothing is left over; at 8 rounds a year, 1,956.30 - 8 x 195.63 =
    £391.26 does not move with the cost per round, and annual = 8 x mean per round + 391.26."""
    forms = plan(tmp_path / "plan")
    own = run_estimate(forms, savings_assumptions=NO_BOOT).estimate.las[0]
    eight = run_estimate(forms, rounds_per_year=8, savings_assumptions=NO_BOOT).estimate.las[0]
    assert own.fixed_year == 0
    assert eight.fixed_year == D("391.26")
    assert eight.annual_cost == 8 * eight.per_round.total + eight.fixed_year


def test_explain_follows_the_period_and_the_re_pricing(tmp_path):
    """Every figure of the plan explained, with its own rounds a year, at 8 a year, and re-priced
    to 2026 at 2% a year with the 2025/26 table: each tree adds up and ends at the estimate's figure
    (``same`` asserts it as the tree is built)."""
    forms = plan(tmp_path / "plan")
    for options in ({}, {"rounds_per_year": 8}, {"unit_costs": "2025", "uplift_to": "2026", "uplift_pct": D(2)}):
        found = explainable_figures(forms, **options)
        annual = [f for f in found if f.path.endswith("annual_cost")]
        assert len(annual) >= 3
        for figure in found:
            assert check(figure.explain()) == [], (options, figure.name)


def test_the_report_names_the_table_the_rounds_a_year_and_the_prices():
    run = run_report(ROOT / "examples" / "plan", savings_assumptions=NO_BOOT)
    text = page_text(render_html(build_report(run, "sr-cost report examples/plan")))
    assert "bundled: pssru_2019 (2019 prices)" in text and "site-packages" not in text
    assert "each LA-phase's own rounds a year: its rounds × 12 ÷ the 12 months its forms cover" in text
    assert "staff time in 2019 prices, the forms' money in 2025 prices" in text  # the subtitle
    assert "plus those × 12 ÷ 12 months (the period the forms cover)" in text
    assert "None rounds" not in text
