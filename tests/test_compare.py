"""``compare`` (issue 6): the horizon and discounting by hand, the options of a small hand-checked
fixture, its sensitivity ranges, break-even attendance, savings, prices, and the trial.

The fixture tests/fixtures/compare_small (2019 unit costs: Social worker £44.55 an hour):

  LA A, phase 1; training fee £5,000 (its only training line, so set-up = £5,000)
    R1, R2 in-person: 10 social workers x 1 h = 445.50; facilitator at its own rate 40.00 x 2 h = 80.00;
                      catering 100.00 -> 625.50 each
    R3, R4 virtual:   6 social workers x 1 h = 267.30; facilitator 40.00 x 1.5 h = 60.00 -> 327.30 each
    steering, untied: 2 x 2 h x 50.00 (own rate) = 200.00 -> 50.00 on each of A's 4 rounds
  LA B, phase 1, no training
    R1 virtual:       2 social workers x 1 h = 89.10; facilitator 60.00 -> 149.10

  in-person (A only): 625.50 + 50.00 = 675.50 a round; 10 attendees; £67.55 each (pooled: 1,351.00/20, the same)
  virtual: A 377.30 (6 attendees), B 149.10 (2): mean 263.20 a round, 4 attendees, 263.20/4 = £65.80 each
           (pooled: (754.60 + 149.10)/(12 + 2) = 903.70/14 = £64.55)
  set-up of both modes: the mean over LAs with training lines = £5,000.00
  annual (12 rounds): 12 x 675.50 = 8,106.00; 12 x 263.20 = 3,158.40
"""

from __future__ import annotations

import dataclasses
import shutil
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sr_cost.api import run_compare, run_estimate
from sr_cost.core.compare import compare, option_specs
from sr_cost.core.comparison import Basis, Figures, FormsSet, Settings, Subset, discount_factor
from sr_cost.core.lines import FormKind, Mode
from sr_cost.core.options import horizon
from sr_cost.core.prices import flat_uplift, no_uplift
from sr_cost.core.savings import SavingsAssumptions
from sr_cost.core.sensitivity import Scenario, is_catering, run_scenario, transform_forms
from sr_cost.core.unit_costs import AbsenceBasis
from sr_cost.errors import DataError, UsageError
from sr_cost.money import to_penny

from conftest import ROOT, TRIAL

SMALL = ROOT / "tests" / "fixtures" / "compare_small"
INDEX = ROOT / "tests" / "fixtures" / "compare_index.csv"
NO_BOOT = SavingsAssumptions(bootstrap=0)
SURVEY = """la,phase,respondent,group,role,salary,sick_days
A,1,R1,intervention,Social worker,,2
A,1,R2,intervention,Social worker,,0
B,1,R3,control,Social worker,,4
B,1,R4,control,Social worker,,2
"""
STAFF = "la,phase,intervention_staff,control_staff\nA,1,10,10\nB,1,20,20\n"


@pytest.fixture
def with_survey(tmp_path):
    target = tmp_path / "forms"
    shutil.copytree(SMALL, target)
    (target / "survey.csv").write_text(SURVEY)
    (target / "staff.csv").write_text(STAFF)
    return target


def test_horizon_and_discounting_by_hand():
    """Set-up 5,000, annual 10,000, 3 years at 3.5%:
    years 15,000 / 10,000 / 10,000, total 35,000;
    discount factors 1, 1/1.035 = 0.966183574..., 1/1.035^2 = 1/1.071225 = 0.933510700...;
    PV = 15,000 + 10,000/1.035 + 10,000/1.071225 = 15,000 + 9,661.835748... + 9,335.107003...
       = 33,996.942752... -> £33,996.94 (not 34,996.94: 15,000 + 9,661.84 + 9,335.11 = 33,996.95, and
       the exact sum rounds to .94).
    The same with r = 0: PV = total = 35,000."""
    h = horizon(D(5000), D(10000), 3, D("0.035"))
    assert [y.total for y in h.years] == [D(15000), D(10000), D(10000)]
    assert [y.setup for y in h.years] == [D(5000), D(0), D(0)]
    assert h.years[0].discount_factor == 1
    assert h.years[1].discount_factor == D(1) / D("1.035")
    assert h.years[2].discount_factor == D(1) / D("1.071225")
    assert to_penny(h.years[1].present_value) == D("9661.84")
    assert to_penny(h.years[2].present_value) == D("9335.11")
    assert h.total == D(35000)
    assert to_penny(h.present_value) == D("33996.94")
    assert abs(h.present_value - D("33996.9427525")) < D("0.0000001")
    assert horizon(D(5000), D(10000), 3, D(0)).present_value == D(35000)
    assert horizon(D(5000), D(10000), 1, D("0.035")).present_value == D(15000)


@settings(max_examples=60, deadline=None)
@given(
    setup=st.decimals(0, 100000, places=2),
    annual=st.decimals(0, 100000, places=2),
    years=st.integers(1, 15),
    rate=st.decimals(0, D("0.2"), places=3),
)
def test_horizon_properties(setup, annual, years, rate):
    h = horizon(setup, annual, years, rate)
    assert h.total == setup + annual * years
    assert h.present_value <= h.total + D("1e-18")
    assert abs(h.present_value - (setup + annual * h.annuity_factor)) < D("1e-15")
    assert all(discount_factor(rate, t + 1) <= discount_factor(rate, t) for t in range(years))


def _small(path=SMALL, **kw):
    return run_compare(path, savings_assumptions=NO_BOOT, **kw)


def test_small_fixture_options_by_hand():
    c = _small(sensitivity=True).comparison
    a, b = c.options
    assert (a.label, b.label) == ("in-person", "virtual")
    assert (a.las, a.rounds, b.las, b.rounds) == (1, 2, 2, 3)
    assert a.per_round.round == D("625.50") and a.per_round.steering == D("50.00") and a.per_round.panel == 0
    assert a.mean_total_per_round == D("675.50") and b.mean_total_per_round == D("263.20")
    assert a.setup == b.setup == D(5000) and a.setup_las == b.setup_las == 1
    assert a.attendees_per_round == 10 and b.attendees_per_round == 4
    assert a.cost_per_attendee == D("67.55") and b.cost_per_attendee == D("65.80")
    assert a.pooled_cost_per_attendee == D("67.55") and b.pooled_cost_per_attendee == D("903.70") / 14
    assert a.annual_cost == D("8106.00") and b.annual_cost == D("3158.40")
    # 13,106 + 8,106/1.035 + 8,106/1.071225 = 13,106 + 7,831.884058 + 7,567.037737 = 28,504.921795
    assert to_penny(a.horizon.present_value) == D("28504.92")
    assert a.horizon.total == D("29318.00")
    # horizon per attendee: 29,318 / (3 x 12 x 10) = 81.4388...; 14,475.20 / (3 x 12 x 4) = 100.5222...
    assert to_penny(a.horizon.cost_per_attendee) == D("81.44")
    assert to_penny(b.horizon.cost_per_attendee) == D("100.52")
    assert c.difference.mean_total_per_round == D("263.20") - D("675.50")
    assert c.ratio.mean_total_per_round == D("263.20") / D("675.50")
    assert c.ratio.steering_per_round == D(25) / D(50)  # virtual: A's 50.00 and B's 0 -> 25.00
    assert a.saving is None and c.difference.net_annual_cost is None


def test_sensitivity_ranges_on_the_small_fixture():
    """Annual cost (no survey) at the ends of each range.

    attendance x0.75: in-person 7.5 x 44.55 = 334.125 + 80 + 100 + 50 = 564.125 -> x12 = 6,769.50;
                      virtual A 4.5 x 44.55 + 60 + 50 = 310.475, B 1.5 x 44.55 + 60 = 126.825,
                      mean 218.65 -> 2,623.80
    attendance x1.25: in-person 556.875 + 230 = 786.875 -> 9,442.50; virtual A 444.125, B 171.375 -> 3,693.00
    unit costs x0.9 (role-priced lines only; the facilitators' own rates stay): in-person 400.95 + 230 =
                      630.95 -> 7,571.40; virtual A 240.57 + 110, B 80.19 + 60 -> mean 245.38 -> 2,944.56
    unit costs x1.1:  in-person 490.05 + 230 -> 8,640.60; virtual A 404.03, B 158.01 -> 281.02 -> 3,372.24
    rounds a year 75% to 125% of 12: 9 x 675.50 = 6,079.50, 15 x 675.50 = 10,132.50;
                      9 x 263.20 = 2,368.80, 15 x 263.20 = 3,948.00
    catering dropped: in-person 675.50 - 100 = 575.50 -> 6,906.00; virtual has none: 3,158.40
    cost per attendee at attendance x0.75: 564.125 / 7.5 = 75.2166... -> £75.22"""
    s = _small(sensitivity=True).comparison.sensitivity
    assert s.metric == "annual cost"
    assert s.base == (D("8106.00"), D("3158.40"))
    rows = {r.key: r for r in s.rows}
    assert set(rows) == {"attendance", "unit_costs", "rounds_per_year", "catering"}
    got = {k: [(to_penny(sw.low), to_penny(sw.high)) for sw in r.swings] for k, r in rows.items()}
    assert got["attendance"] == [(D("6769.50"), D("9442.50")), (D("2623.80"), D("3693.00"))]
    assert got["unit_costs"] == [(D("7571.40"), D("8640.60")), (D("2944.56"), D("3372.24"))]
    assert got["rounds_per_year"] == [(D("6079.50"), D("10132.50")), (D("2368.80"), D("3948.00"))]
    assert (rows["rounds_per_year"].low_label, rows["rounds_per_year"].high_label) == ("9", "15")
    assert got["catering"] == [(D("6906.00"), D("8106.00")), (D("3158.40"), D("3158.40"))]
    assert to_penny(rows["attendance"].swings[0].low_per_attendee) == D("75.22")
    assert rows["attendance"].swings[0].high_per_attendee == D("786.875") / D("12.5")
    # a tornado: widest swing first (in-person: 4,053.00, 2,673.00, 1,200.00, 1,069.20)
    assert [r.key for r in s.rows] == ["rounds_per_year", "attendance", "catering", "unit_costs"]


def test_break_even_attendance_by_hand_and_by_the_engine():
    """in-person against virtual's £65.80: with nobody attending a round costs 80 + 100 + 50 = 230
    (M0) and the 10 attendees add 445.50 (V): (230 + s x 445.50) / (s x 10) = 65.80 when
    s = 230 / (658 - 445.50) = 1.0823529..., i.e. 10.82 attendees.
    virtual against in-person's £67.55: M0 = mean(110, 60) = 85, V = mean(267.30, 89.10) = 178.20,
    a = 4: s = 85 / (270.20 - 178.20) = 0.9239130..., i.e. 3.70 attendees."""
    run = _small(sensitivity=True)
    be_a, be_b = run.comparison.sensitivity.break_even
    assert be_a.attendees_needed == D(230) / D("212.5") * 10
    assert be_b.attendees_needed == D(85) / D(92) * 4
    # and running the costing again at that attendance gives the other's cost per attendee
    fs = FormsSet(run.runs[0].forms, run.runs[0].estimate)
    for be, mode, target in ((be_a, Mode.in_person, D("65.80")), (be_b, Mode.virtual, D("67.55"))):
        scale = be.attendees_needed / be.attendees_per_round
        est, _ = run_scenario(fs, Scenario(attendance=scale))
        specs = option_specs((FormsSet(run.runs[0].forms, est),), Basis.mode)
        again = compare(specs, Basis.mode, Settings(uplift=no_uplift(2019))).options
        option = again[0] if mode is Mode.in_person else again[1]
        assert abs(option.cost_per_attendee - target) < D("1e-20")


def test_break_even_attendance_unreachable():
    """When each extra attendee costs more than the other option's cost per attendee, no attendance
    reaches it."""
    from sr_cost.core.sensitivity import break_even_attendance

    c = _small().comparison
    a, b = c.options
    cheap = dataclasses.replace(
        b,
        per_round=b.per_round.scaled(D("0.01")),
        horizon=horizon(b.setup, 12 * b.per_round.total * D("0.01"), 3, D("0.035"), b.horizon.attendances_per_year),
    )
    empty = dataclasses.replace(
        a,
        per_round=type(a.per_round)(round=D(230)),
        horizon=horizon(a.setup, 12 * D(230), 3, D("0.035"), a.horizon.attendances_per_year),
    )
    assert break_even_attendance(a, empty, cheap).attendees_needed is None


@pytest.mark.parametrize(
    "scenario",
    [
        Scenario(attendance=D("0.75")),
        Scenario(attendance=D(0)),
        Scenario(unit_costs=D("1.1")),
        Scenario(drop_catering=True),
        Scenario(rounds_per_year=9),
        Scenario(rounds_per_year=12),
        Scenario(hours_per_day=D(7)),
    ],
)
def test_a_scenario_reuses_the_base_case_only_where_nothing_changes(with_survey, scenario):
    """A scenario's estimate and savings equal the engine run again from scratch on the transformed
    forms and survey; the base case's own objects are reused where the scenario changes nothing they
    depend on (the sick-day hours leave the costing as it is; rounds a year other than the base
    case's own, here None: each LA-phase's, re-cost it), as they were before scenarios reused anything."""
    from sr_cost.core.costing import estimate
    from sr_cost.core.savings import savings
    from sr_cost.core.sensitivity import changes_costing, transform_survey

    run = run_estimate(with_survey, savings_assumptions=NO_BOOT)
    fs = FormsSet(run.forms, run.estimate, run.survey, run.savings)
    est, sav = run_scenario(fs, scenario)
    base_rpy = run.estimate.assumptions.rounds_per_year
    rpy = scenario.rounds_per_year or base_rpy
    again = estimate(
        transform_forms(run.forms, scenario), dataclasses.replace(run.estimate.assumptions, rounds_per_year=rpy)
    )
    assert (est.las, est.phases, est.modes, est.overall) == (again.las, again.phases, again.modes, again.overall)
    assert (est is run.estimate) == (not changes_costing(scenario) and rpy == base_rpy)
    hours = scenario.hours_per_day or NO_BOOT.hours_per_day
    fresh = savings(transform_survey(run.survey, scenario), again, dataclasses.replace(NO_BOOT, hours_per_day=hours))

    def used(x):  # what an option takes from the savings (its running cost is the option's own)
        return [(p.saving_per_staff, p.intervention, p.control, p.intervention_staff) for p in x.phases], x.pooled

    assert used(sav) == used(fresh)


def test_transformations_keep_the_forms_frozen_and_touch_only_their_lines():
    run = run_estimate(SMALL, savings_assumptions=NO_BOOT)
    forms = run.forms
    t = transform_forms(forms, Scenario(attendance=D("0.5"), unit_costs=D("1.1"), drop_catering=True))
    before, after = forms.records(FormKind.rounds), t.records(FormKind.rounds)
    assert len(before) == len(after) and any(is_catering(x.item) for x in before)
    for x, y in zip(before, after):
        assert y.staff == (x.staff * D("0.5") if x.is_attendance else x.staff)
        assert y.rate == (x.rate * D("1.1") if not x.own_rate and x.role else x.rate)
        assert (y.hours, y.miles, y.cost) == ((0, 0, 0) if is_catering(x.item) else (x.hours, x.miles, x.cost))
        assert (y.la, y.phase, y.round, y.item, y.role, y.row) == (x.la, x.phase, x.round, x.item, x.role, x.row)
    assert forms.records(FormKind.rounds)[0].staff == 10  # the original is unchanged
    assert t.records(FormKind.training) == forms.records(FormKind.training)


@pytest.mark.parametrize(
    "item,catering",
    [
        ("catering (sandwich lunch)", True),
        ("Refreshments", True),
        ("food", True),
        ("buffet lunch", True),
        ("coffee and biscuits", True),
        ("facilitator", False),
        ("attendance", False),
        ("room hire", False),
        ("lunchtime slot", False),
    ],
)
def test_the_catering_rule(item, catering):
    assert is_catering(item) is catering


def test_savings_net_cost_and_their_sensitivity(with_survey):
    """Survey (phase 1): intervention 2 and 0 days, control 4 and 2, all social workers at £44.55,
    7.5 hours a day: mean costs 334.125 and 1,002.375, saving 668.25 over 6 months, 1,336.50 a year
    per staff member; staff per LA (10 + 20)/2 = 15 -> annual saving 20,047.50 for both modes.
    net: in-person 8,106.00 - 20,047.50 = -11,941.50; virtual 3,158.40 - 20,047.50 = -16,889.10
    break-even days: 8,106 / (15 x 44.55 x 7.5) = 8,106 / 5,011.875 = 1.6173...
    net present value: PV - 20,047.50 x (1 + 1/1.035 + 1/1.071225)
    7 hours a sick day: saving x 7/7.5 = 18,711.00 -> -10,605.00 and -15,552.60
    unit costs x0.9: 7,571.40 - 0.9 x 20,047.50 = -10,471.35; x1.1: 8,640.60 - 22,052.25 = -13,411.65"""
    run = run_compare(
        with_survey,
        sensitivity=True,
        savings_assumptions=SavingsAssumptions(bootstrap=400, seed=3, absence_basis=AbsenceBasis.unit_cost),
    )
    c = run.comparison
    a, b = c.options
    assert a.saving.annual_per_staff == D("1336.50") and a.saving.staff_per_la == 15
    assert a.annual_saving == b.annual_saving == D("20047.50")
    assert a.net_annual_cost == D("-11941.50") and b.net_annual_cost == D("-16889.10")
    assert a.break_even_sick_days == D(8106) / D("5011.875")
    annuity = 1 + D(1) / D("1.035") + D(1) / D("1.071225")
    assert abs(a.net_cost_present_value - (a.horizon.present_value - D("20047.50") * annuity)) < D("1e-18")
    s = c.sensitivity
    assert s.metric == "net annual cost"
    rows = {r.key: r for r in s.rows}
    assert [(sw.low, sw.high) for sw in rows["hours_per_day"].swings] == [
        (D("-10605.00"), D("-11941.50")),
        (D("-15552.60"), D("-16889.10")),
    ]
    assert (to_penny(rows["unit_costs"].swings[0].low), to_penny(rows["unit_costs"].swings[0].high)) == (
        D("-10471.35"),
        D("-13411.65"),
    )
    # the saving at the ends of its bootstrap interval, straight from the savings engine
    ci = run.runs[0].savings.phases[0].saving_ci
    low, high = rows["saving_interval"].swings[0].low, rows["saving_interval"].swings[0].high
    assert low == D("8106.00") - ci.low * 2 * 15 and high == D("8106.00") - ci.high * 2 * 15
    # every figure that holds the saving has its interval: the saving's a year (x 2 six-month periods)
    # for 15 staff; net cost a year = 8,106.00 - that, the ends swapped; its present value likewise
    i = a.saving_intervals
    assert i["annual_saving"] == (ci.low * 2 * 15, ci.high * 2 * 15)
    assert i["net_annual_cost"] == (high, low)  # 8,106.00 less the high end of the saving, then the low
    pv_low = a.horizon.present_value - ci.high * 2 * 15 * a.horizon.annuity_factor
    assert i["net_cost_present_value"] == (pv_low, a.horizon.present_value - ci.low * 2 * 15 * a.horizon.annuity_factor)
    assert a.saving_intervals["net_cost_present_value"][0] <= a.net_cost_present_value


def test_trial_by_phase_matches_the_report():
    run = run_compare(TRIAL, by="phase", savings_assumptions=NO_BOOT)
    c = run.comparison
    a, b = c.options
    assert (a.label, b.label) == ("phase 1", "phase 2")
    assert (to_penny(a.mean_total_per_round), to_penny(b.mean_total_per_round)) == (D("1885.17"), D("429.21"))
    assert (to_penny(a.annual_cost), to_penny(b.annual_cost)) == (D("22622.04"), D("5150.52"))
    phases = run.runs[0].estimate.phases
    assert a.setup == phases[0].setup.mean and b.setup == phases[1].setup.mean
    # savings per typical LA are the phase's savings divided by its LAs, break-even days the same
    for o, p in zip(c.options, run.runs[0].savings.phases):
        n = len(p.las_with_staff)
        assert abs(o.net_annual_cost * n - p.net_annual_cost) < D("1e-18")
        assert abs(o.break_even_sick_days - p.break_even_sick_days_per_staff) < D("1e-24")


def test_trial_by_mode_matches_the_estimates_modes():
    run = run_compare(TRIAL, savings_assumptions=NO_BOOT)
    est = run.runs[0].estimate
    a, b = run.comparison.options
    modes = {m.mode: m for m in est.modes}
    # the same means (summed by component here, by total there: equal to Decimal's 28 digits)
    assert abs(a.mean_total_per_round - modes[Mode.in_person].mean_total_per_round) < D("1e-20")
    assert abs(b.mean_total_per_round - modes[Mode.virtual].mean_total_per_round) < D("1e-20")
    assert a.pooled_cost_per_attendee == modes[Mode.in_person].cost_per_attendee
    assert b.pooled_cost_per_attendee == modes[Mode.virtual].cost_per_attendee
    assert a.setup == b.setup == est.overall.setup.mean
    # each mode's saving comes from the phase where most rounds were of that mode
    assert a.saving.phases == ("1",) and b.saving.phases == ("2",)


def test_uplift_with_an_index_and_a_flat_rate():
    """Made-up index: 2019 = 100.0, 2024 = 120.0 -> factor 1.2; every money figure x 1.2, ratios and
    counts unchanged. Flat 2% a year to 2021: 1.02^2 = 1.0404."""
    base = _small().comparison
    up = _small(uplift_to=2024, index=INDEX).comparison
    assert up.uplift.factor == D("1.2") and up.price_year == 2024
    for (name, x), (_, y) in zip(Figures.of(base.options[0]).items(), Figures.of(up.options[0]).items()):
        if x is None:
            continue
        assert y == (x if name in Figures.NOT_MONEY else x * D("1.2")), name
    assert up.options[0].mean_total_per_round == D("810.60")
    flat = _small(uplift_to=2021, uplift_pct=D(2)).comparison
    assert flat.uplift.factor == D("1.0404")
    assert flat.options[1].annual_cost == D("3158.40") * D("1.0404")
    assert flat_uplift(D(2), 2019, 2018).factor == 1 / D("1.02")


@pytest.mark.parametrize(
    "text,message",
    [
        ("year,index\n2019,100\n2019,101\n2024,120\n", "2019 appears twice (first on row 2)"),
        ("year,index\n2019,100\n2024,a lot\n", "index is not a number"),
        ("year,index\n2019,100\n2024,-5\n", "index is not positive"),
        ("year,index\nlast year,100\n2024,120\n", "year is not a year"),
        ("year,value\n2019,100\n", "the required column 'index' is missing"),
    ],
)
def test_bad_index_files(tmp_path, text, message):
    path = tmp_path / "index.csv"
    path.write_text(text)
    with pytest.raises(DataError) as info:
        _small(uplift_to=2024, index=path)
    assert any(message in p.message and p.file == str(path) for p in info.value.problems), info.value


def test_index_without_the_years_names_the_file():
    with pytest.raises(DataError) as info:
        _small(uplift_to=2030, index=INDEX)
    (problem,) = info.value.problems
    assert problem.file == str(INDEX) and "no row for 2030" in problem.message and "2018 to 2024" in problem.fix


@pytest.mark.parametrize(
    "kwargs,message",
    [
        (dict(uplift_pct=D(2)), "need --uplift-to"),
        (dict(uplift_to=2024), "--uplift-to needs"),
        (dict(uplift_to=2024, uplift_pct=D(2), index=INDEX), "not both"),
        (dict(labels=("only one",)), "two labels"),
        (dict(labels=("same", "same")), "two different"),
        (dict(phases=("1", "2")), "--phases goes with --by phase"),
        (dict(years=0), "--years"),
        (dict(discount_rate_pct=D(100)), "--discount-rate"),
    ],
)
def test_usage_errors(kwargs, message):
    with pytest.raises(UsageError, match=message.replace("(", r"\(")):
        _small(**kwargs)


def test_a_forms_set_without_one_mode_or_one_phase(tmp_path):
    target = tmp_path / "forms"
    shutil.copytree(SMALL, target)
    rounds = (target / "rounds.csv").read_text().splitlines()
    (target / "rounds.csv").write_text("\n".join(line for line in rounds if "virtual" not in line) + "\n")
    with pytest.raises(DataError, match="no virtual rounds"):
        _small(target)
    with pytest.raises(DataError, match="one phase"):
        _small(target, by="phase")


def test_two_forms_sets(tmp_path):
    other = tmp_path / "plan"
    shutil.copytree(SMALL, other)
    c = _small(forms_b=other, labels=("this year", "next year")).comparison
    a, b = c.options
    assert c.basis is Basis.sets and (a.label, b.label) == ("this year", "next year")
    assert a.subset == "all rounds"
    # the whole set: mean over A (4 rounds, 675.50 + 675.50 + 377.30 + 377.30 = 2,105.60 / 4 = 526.40) and B (149.10)
    assert a.mean_total_per_round == (D("526.40") + D("149.10")) / 2
    assert c.difference.present_value == 0 and c.ratio.annual_cost == 1
    assert _small(forms_b=other).comparison.options[1].label == "plan"  # default: the folder names
    with pytest.raises(UsageError, match="--by"):
        _small(forms_b=other, by="mode")


@pytest.mark.parametrize("basis", list(Basis))
def test_every_basis(basis, tmp_path):
    other = tmp_path / "other"
    shutil.copytree(SMALL, other)
    rounds = other / "rounds.csv"
    rounds.write_text(rounds.read_text().replace("B,1,", "B,2,"))
    if basis is Basis.sets:
        c = _small(SMALL, forms_b=other).comparison
    else:
        c = _small(other, by=basis.value).comparison
    assert c.basis is basis
    assert all(o.horizon.present_value > 0 for o in c.options)


def test_subset_descriptions():
    assert Subset(mode=Mode.virtual).describe() == "virtual rounds"
    assert Subset(phase="2").describe() == "phase 2"
    assert Subset().describe() == "all rounds"


def test_run_compare_defaults_are_the_compare_modules():
    """api.run_compare spells its defaults out (so that `estimate` need not import compare); they
    must stay the compare module's."""
    import inspect

    from sr_cost.api import run_compare
    from sr_cost.core.comparison import DEFAULT_DISCOUNT_RATE, DEFAULT_YEARS

    parameters = inspect.signature(run_compare).parameters
    assert parameters["years"].default == DEFAULT_YEARS
    assert parameters["discount_rate_pct"].default == DEFAULT_DISCOUNT_RATE * 100
