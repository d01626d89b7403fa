"""The period the forms cover (rounds a year, steering as a cost of the period), each amount's price
year, and re-pricing on estimate, savings and compare (issue 16)."""

from __future__ import annotations

import json
from decimal import Decimal as D
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sr_cost.api import run_compare, run_estimate
from sr_cost.core.estimate import Assumptions
from sr_cost.core.prices import read_year
from sr_cost.core.savings import SavingsAssumptions
from sr_cost.errors import DataError, UsageError
from sr_cost.money import to_penny

from conftest import ROOT, TRIAL, invoke

SMALL = ROOT / "tests" / "fixtures" / "small"
HEADER = "la,phase,round,mode,item,role,rate,staff,hours,miles,cost\n"
NO_BOOT = SavingsAssumptions(bootstrap=0)


def plan(folder: Path, about: str | None = "key,value\nperiod_months,12\ntitle,A year's plan\n") -> Path:
    """A year's plan of one LA: 10 rounds and four steering meetings tied to no round.

    Each round: 10 attending at an own rate of £100.00 an hour for an hour (£1,000.00) and £190.43 of
    catering: £1,190.43. Each steering meeting: 5 people x 1.5 hours x £65.21 = £489.075; four of them
    £1,956.30. The forms' total: 10 x 1,190.43 + 1,956.30 = £13,860.60, or £1,386.06 a round."""
    folder.mkdir(parents=True, exist_ok=True)
    rounds = "".join(
        f"LA1,1,R{i},in-person,attendance,,100.00,10,1,,\nLA1,1,R{i},in-person,catering,,,,,,190.43\n"
        for i in range(1, 11)
    )
    (folder / "rounds.csv").write_text(HEADER + rounds)
    meetings = "".join(f"LA1,1,,,steering group meeting {q},,65.21,5,1.5,,\n" for q in ("Q1", "Q2", "Q3", "Q4"))
    (folder / "steering.csv").write_text(HEADER + meetings)
    if about is not None:
        (folder / "about.csv").write_text(about)
    return folder


def test_a_years_plan_costs_its_own_forms_total(tmp_path):
    """12 months, 10 rounds: rounds a year = 10 x 12 / 12 = 10; a year's steering = 1,956.30 x 12 / 12;
    annual = 10 x (1,386.06 - 1,956.30 / 10) + 1,956.30 = 10 x 1,190.43 + 1,956.30 = £13,860.60, the
    forms' total, exactly. Without the period (the report's rule): 12 x 1,386.06 = £16,632.72. The
    per-round figures (Table 20) are the same either way: 1,190.43 a round + 195.63 of steering."""
    with_period = run_estimate(plan(tmp_path / "plan"), savings_assumptions=NO_BOOT).estimate
    without = run_estimate(plan(tmp_path / "bare", about=None), savings_assumptions=NO_BOOT).estimate
    la, bare = with_period.las[0], without.las[0]
    assert la.total_cost == D("13860.60")
    assert la.annual_cost == la.total_cost  # exactly, not to the penny
    assert la.rounds_per_year == 10 and la.annual_steering == D("1956.30")
    assert with_period.assumptions.period_months == 12
    assert bare.annual_cost == D("16632.72") and bare.rounds_per_year == 12 and bare.annual_steering is None
    assert la.per_round == bare.per_round
    assert (la.per_round.round, la.per_round.steering) == (D("1190.43"), D("195.63"))
    assert with_period.phases[0].annual_cost == with_period.overall.annual_cost == la.annual_cost


def test_rounds_per_year_moves_only_the_per_round_part(tmp_path):
    """8 rounds a year: 8 x 1,190.43 + 1,956.30 = 9,523.44 + 1,956.30 = £11,479.74; the steering stays
    a year's £1,956.30. Without the period, 8 x 1,386.06 = £11,088.48 (steering shrinks with the rounds)."""
    forms = plan(tmp_path / "plan")
    eight = run_estimate(forms, rounds_per_year=8, savings_assumptions=NO_BOOT).estimate.las[0]
    assert eight.annual_cost == D("11479.74") and eight.annual_steering == D("1956.30")
    bare = run_estimate(plan(tmp_path / "bare", about=None), rounds_per_year=8, savings_assumptions=NO_BOOT)
    assert bare.estimate.las[0].annual_cost == D("11088.48")


@given(
    rounds=st.integers(1, 40),
    months=st.integers(1, 60),
    own=st.decimals(0, 5000, places=2),
    untied=st.decimals(0, 20000, places=2),
    low=st.integers(1, 30),
    high=st.integers(1, 30),
)
def test_annual_cost_is_linear_in_rounds_a_year_and_keeps_the_steering(rounds, months, own, untied, low, high):
    """With a known period, the annual cost at r rounds a year is r x (mean per round - untied steering
    per round) + untied x 12 / period: its slope in r is the per-round part alone, and at the forms' own
    rounds a year it is the forms' total scaled to a year."""
    total = own * rounds + untied
    per_round = total / rounds

    def annual(r):
        return Assumptions(rounds_per_year=r, period_months=months).annual(rounds, per_round, untied, total)

    slope = (annual(high) - annual(low)) - (high - low) * (per_round - untied / rounds)
    assert abs(slope) < D("1e-18")
    assert abs(annual(low) - low * own - untied * 12 / months) < D("1e-18")
    own_year = Assumptions(period_months=months).annual(rounds, per_round, untied, total)
    assert own_year == total * 12 / months


def test_the_cli_says_the_period_and_rounds_a_year(runner, tmp_path):
    forms = plan(tmp_path / "plan")
    out = json.loads(invoke(runner, "estimate", str(forms), "-f", "json").stdout)
    assert out["assumptions"]["period_months"] == 12 and out["assumptions"]["rounds_per_year"] is None
    assert "each LA-phase's own" in out["assumptions"]["rounds_per_year_basis"]
    assert "steering lines with no round are costs of the period" in out["assumptions"]["untied_lines"]
    la = out["las"][0]
    assert (la["rounds"], la["rounds_per_year"], la["annual_steering"], la["annual_cost"]) == (
        10,
        10,
        "1956.30",
        "13860.60",
    )
    # --period-months wins over the about sheet: 10 rounds in 6 months is 20 a year
    six = json.loads(invoke(runner, "estimate", str(forms), "-f", "json", "--period-months", "6").stdout)
    assert six["las"][0]["rounds_per_year"] == 20 and six["las"][0]["annual_steering"] == "3912.60"
    table = invoke(runner, "estimate", str(forms)).stdout
    assert "10→10" in table and "each LA-phase's own" in table


def test_sensitivity_rounds_a_year_around_the_value_in_use(tmp_path):
    """Rounds a year 8: 75% is 6, 125% is 10. By mode of the year's plan (in person only: the same set
    by phase would need two phases), the tornado's rounds row runs from 6 to 10."""
    forms = plan(tmp_path / "plan")
    (forms / "rounds.csv").write_text((forms / "rounds.csv").read_text().replace("R10,in-person", "R10,virtual"))
    run = run_compare(forms, rounds_per_year=8, sensitivity=True, savings_assumptions=NO_BOOT)
    row = next(r for r in run.comparison.sensitivity.rows if r.key == "rounds_per_year")
    assert (row.low_label, row.high_label, row.name) == ("6", "10", "Rounds a year 6-10")


def test_re_pricing_moves_each_amount_from_its_own_price_year():
    """tests/fixtures/small with the forms' money at 2025 prices, re-priced to 2025 at 3% a year:
    staff time (2019 prices) x 1.03^6 = x 1.194052296529; the fee, catering and mileage (2025) x 1.

    Set-up of A: direct £5,000.00 (unchanged); indirect = 2 x 7.5 x 44.55 = 668.25 of staff time
    x 1.194052296529 = 797.925447155... + 40 miles x £0.45 = 18.00 -> £815.93.
    Round R1's own cost: (10 x 1 x 44.55 + 1 x 2 x 61.95) = 569.40 of staff time x 1.194052296529 =
    679.893377643... + £120.00 catering -> £799.89."""
    base = run_estimate(SMALL, savings_assumptions=NO_BOOT).estimate
    run = run_estimate(
        SMALL, forms_price_year=2025, uplift_to=2025, uplift_pct=D(3), savings_assumptions=NO_BOOT
    ).estimate
    a, before = run.las[0], base.las[0]
    assert a.setup.direct == before.setup.direct == D("5000.00")
    assert a.setup.indirect == D("668.25") * D("1.03") ** 6 + D("18.00")
    assert to_penny(a.setup.indirect) == D("815.93")
    r1 = next(r for r in run.rounds if (r.la, r.round) == ("A", "R1"))
    assert r1.components.round == D("569.40") * D("1.194052296529") + D("120.00")
    assert to_penny(r1.components.round) == D("799.89")
    prices = run.assumptions.prices
    assert prices.staff_time_factor == D("1.194052296529") and prices.forms_money_factor == 1


def test_re_pricing_on_estimate_savings_and_compare_alike(runner):
    args = ("--forms-price-year", "2025", "--uplift-to", "2025/26", "--uplift", "3")
    est = json.loads(invoke(runner, "estimate", str(SMALL), "-f", "json", *args).stdout)
    assert est["prices"]["staff_time_factor"] == "1.194052" and est["prices"]["forms_money_factor"] == "1.000000"
    assert est["prices"]["to_year"] == 2025 and est["assumptions"]["forms_price_year"] == 2025
    assert "'2025/26' is read as 2025" in est["assumptions"]["price_year_note"]
    assert est["las"][0]["setup"] == {"direct": "5000.00", "indirect": "815.93", "total": "5815.93"}
    cmp = json.loads(invoke(runner, "compare", str(SMALL), "-f", "json", *args).stdout)
    assert cmp["options"][0]["setup"] == "5815.93"  # both modes: the one LA with training
    assert "'2025/26' is read as 2025" in cmp["prices"]["note"]
    savings = json.loads(invoke(runner, "savings", str(TRIAL), "-f", "json", "--bootstrap", "0", *args).stdout)
    plain = json.loads(invoke(runner, "savings", str(TRIAL), "-f", "json", "--bootstrap", "0").stdout)
    p1, q1 = savings["savings"]["phases"][0], plain["savings"]["phases"][0]
    # sickness absence is valued with the unit-cost table, so it moves with staff time (exactly:
    # compared before rounding, since the rounded figures x the factor may round the other way)
    repriced = run_estimate(
        TRIAL, forms_price_year=2025, uplift_to=2025, uplift_pct=D(3), savings_assumptions=NO_BOOT
    ).savings.phases[0]
    base = run_estimate(TRIAL, savings_assumptions=NO_BOOT).savings.phases[0]
    exact = base.intervention.mean_cost * D("1.194052296529")
    assert abs(repriced.intervention.mean_cost - exact) < D("1e-20")
    assert (
        D(p1["mean_cost_intervention"]) == to_penny(repriced.intervention.mean_cost) != D(q1["mean_cost_intervention"])
    )
    assert savings["prices"]["staff_time_factor"] == "1.194052"


def test_without_re_pricing_the_mixed_years_are_said():
    run = run_estimate(SMALL, forms_price_year="2025/26", savings_assumptions=NO_BOOT)
    note = run.estimate.assumptions.prices.describe()
    assert note.startswith("two price years, not re-priced: staff time in 2019 prices") and "2025 prices" in note
    assert run.estimate.las[0].setup.indirect == D("668.25") + D("18.00")


def test_an_index_re_prices_each_amount_from_its_own_year(tmp_path):
    """Index 2019 = 100, 2024 = 118, 2025 = 121: staff time x 121/100 = 1.21, the forms' money (2024)
    x 121/118. A year the index lacks (the forms' 2023) is an error naming the file."""
    index = tmp_path / "index.csv"
    index.write_text("year,index\n2019,100\n2024,118\n2025/26,121\n")
    run = run_estimate(SMALL, forms_price_year=2024, uplift_to=2025, index=index, savings_assumptions=NO_BOOT)
    a, forms = run.estimate.las[0], D(121) / D(118)  # a division: equal to Decimal's 28 digits
    assert abs(a.setup.direct - D("5000.00") * forms) < D("1e-20")
    assert abs(a.setup.indirect - (D("668.25") * D("1.21") + D("18.00") * forms)) < D("1e-20")
    with pytest.raises(DataError) as info:
        run_estimate(SMALL, forms_price_year=2023, uplift_to=2025, index=index, savings_assumptions=NO_BOOT)
    assert "no row for 2023 (the forms' price year)" in str(info.value)


@pytest.mark.parametrize(
    "text,year,note",
    [("2025", 2025, False), ("2025/26", 2025, True), ("2025-26", 2025, True), ("1999/2000", 1999, True)],
)
def test_financial_years(text, year, note):
    got, said = read_year(text)
    assert got == year and (said is not None) == note


@pytest.mark.parametrize("text", ["2025/27", "25/26", "next year", "2025.5"])
def test_not_years(text):
    with pytest.raises(ValueError):
        read_year(text)
    with pytest.raises(UsageError):
        run_estimate(SMALL, uplift_to=text, uplift_pct=D(2))


def test_about_sheet_problems_all_at_once(tmp_path):
    about = "key,value\nperiod_months,six\nprice_year,2025/27\ncolour,blue\nperiod_months,12\n"
    forms = plan(tmp_path / "plan", about=about)
    with pytest.raises(DataError) as info:
        run_estimate(forms, savings_assumptions=NO_BOOT)
    got = {(p.row, p.column, p.value): p.message for p in info.value.problems if p.severity == "error"}
    where = str(forms / "about.csv")
    assert all(p.file == where for p in info.value.problems)
    assert got[(2, "value", "six")].startswith("period_months is not a number")
    assert got[(3, "value", "2025/27")].startswith("price_year is not a financial year")
    assert got[(4, "key", "colour")] == "is not a key the about sheet takes"
    assert got[(5, "key", "period_months")] == "period_months is given twice (first on row 2)"


def test_about_price_year_is_the_forms_and_an_option_overrides_it(tmp_path):
    forms = plan(tmp_path / "plan", about="key,value\nperiod_months,12\nprice_year,2025/26\n")
    prices = run_estimate(forms, savings_assumptions=NO_BOOT).estimate.assumptions.prices
    assert prices.forms_price_year == 2025 and any("about sheet" in n for n in prices.notes)
    prices = run_estimate(forms, forms_price_year=2019, savings_assumptions=NO_BOOT).estimate.assumptions.prices
    assert prices.forms_price_year == 2019 and not prices.mixed


def test_two_forms_sets_in_different_price_years_are_refused(tmp_path):
    a = plan(tmp_path / "a", about="key,value\nprice_year,2025\n")
    b = plan(tmp_path / "b", about=None)
    with pytest.raises(UsageError, match="priced in different years"):
        run_compare(a, b, savings_assumptions=NO_BOOT)
    # the period each covers may differ
    c = plan(tmp_path / "c", about="key,value\nperiod_months,6\n")
    run = run_compare(plan(tmp_path / "d"), c, savings_assumptions=NO_BOOT)
    assert [o.rounds_per_year for o in run.comparison.options] == [10, 20]


def test_the_readmes_plan_figures():
    """examples/plan with the 2025/26 unit costs (README, "A year's cost"): the forms' total
    £13,769.85 is the annual cost; steering £1,563.90 a year; at 8 rounds a year
    8 x (13,769.85 - 1,563.90) / 10 = 8 x 1,220.595 = 9,764.76, + 1,563.90 = £11,328.66; the report's
    rule 8 x 1,376.985 = £11,015.88."""
    plan_dir = ROOT / "examples" / "plan"
    own = run_estimate(plan_dir, unit_costs="2025", savings_assumptions=NO_BOOT).estimate.las[0]
    assert own.annual_cost == own.total_cost == D("13769.85") and own.annual_steering == D("1563.90")
    eight = run_estimate(plan_dir, unit_costs="2025", rounds_per_year=8, savings_assumptions=NO_BOOT)
    assert eight.estimate.las[0].annual_cost == D("11328.66")
    report = Assumptions(rounds_per_year=8).annual(own.rounds, own.per_round.total, own.untied_steering)
    assert report == D("11015.88")


def test_a_re_priced_agency_rate_is_the_same_chosen_or_side_by_side():
    """--agency-rate 30 re-priced from 2019 to 2025 at 3% a year: the agency basis's saving is the same
    whether it is the chosen basis or shown beside the chosen one (the rate, like the survey's salaries,
    is taken at the table's price year and moves by 1.03^6); without re-pricing, 30 as given."""
    from sr_cost.core.unit_costs import AbsenceBasis

    def agency(chosen, **prices):
        a = SavingsAssumptions(bootstrap=0, absence_basis=chosen, agency_rate=D(30))
        (p, *_) = run_estimate(TRIAL, savings_assumptions=a, **prices).savings.phases
        side = next(b for b in p.by_basis if b.basis is AbsenceBasis.agency)
        return p.saving_per_staff if chosen is AbsenceBasis.agency else side.saving_per_staff

    repriced = {"uplift_to": 2025, "uplift_pct": D(3)}
    assert agency(AbsenceBasis.agency, **repriced) == agency(AbsenceBasis.employer, **repriced)
    assert agency(AbsenceBasis.agency) == agency(AbsenceBasis.employer)
    # 241.82 x 1.194052... = 288.74 (to the penny: the factor is applied to each hourly cost, not the mean)
    assert to_penny(agency(AbsenceBasis.agency, **repriced)) == to_penny(agency(AbsenceBasis.agency) * D("1.03") ** 6)
