"""The bundled 2025/26 unit-cost table, choosing bundled tables by price year, building a table at
another year's prices, and naming a bundled table without a machine path (issue 16)."""

from __future__ import annotations

import importlib.util
import json
from decimal import Decimal as D
from pathlib import PureWindowsPath

import pytest

from sr_cost.core.pay_awards import PayAward, bring_forward, steps
from sr_cost.core.unit_costs import Params, check_table, derive
from sr_cost.inputs.unit_cost_params import ParamsModel, load_params
from sr_cost.inputs.unit_costs import bundled_stem, load_table

from conftest import ROOT, TRIAL, invoke

PARAMS_2025 = ROOT / "unit_costs" / "pssru_2025.toml"


@pytest.fixture(scope="module")
def table():
    return load_table("2025")


def test_two_roles_brought_forward_by_hand(table):
    """Each award in turn, exact; the 2025/26 salary rounded half-up to the penny at the end.

    Social worker, £34,748.00 in 2019 (at or below SCP 43 in every flat-sum year):
      2020/21 +2.75%:  34,748.00 x 1.0275 = 35,703.57
      2021/22 +1.75%:  35,703.57 x 1.0175 = 36,328.382475
      2022/23 +£1,925 (every pay point): 38,253.382475
      2023/24 +£1,925 (38,253.38 <= £49,590, SCP 43 in 2022/23): 40,178.382475
      2024/25 +£1,290 (40,178.38 <= £51,515, SCP 43 in 2023/24): 41,468.382475
      2025/26 +3.2%:   41,468.382475 x 1.032 = 42,795.3707142 -> £42,795.37
    Team manager, £48,628.50 in 2019 (above SCP 43 from 2023/24):
      2020/21 +2.75%:  48,628.50 x 1.0275 = 49,965.78375
      2021/22 +1.75%:  49,965.78375 x 1.0175 = 50,840.184965625
      2022/23 +£1,925: 52,765.184965625
      2023/24 +3.88% (52,765.18 > £49,590): x 1.0388 = 54,812.47414229125
      2024/25 +2.5% (54,812.47 > £51,515): x 1.025 = 56,182.78599584853125
      2025/26 +3.2%:   x 1.032 = 57,980.6351477156842... -> £57,980.64
    The social worker's hourly cost with the 2025/26 parameters: NI 15% x (42,795.37 - 5,000) =
    5,669.3055; superannuation 17% = 7,275.2129; salary + on-costs = 55,739.8884; overheads 45% of
    that + 3,191 = 28,273.94978; total 84,013.83818 / 1,513 hours = 55.5280... -> £55.53."""
    awards = load_params(PARAMS_2025).awards()
    sw = steps(D("34748.00"), awards)
    assert [s.after for s in sw] == [
        D("35703.57"),
        D("36328.382475"),
        D("38253.382475"),
        D("40178.382475"),
        D("41468.382475"),
        D("42795.3707142"),
    ]
    tm = steps(D("48628.50"), awards)
    assert [s.after for s in tm[:4]] == [
        D("49965.78375"),
        D("50840.184965625"),
        D("52765.184965625"),
        D("54812.47414229125"),
    ]
    assert "above SCP 43" in tm[3].rule and "at or below SCP 43" in sw[3].rule
    assert bring_forward(D("48628.50"), awards) == D("57980.64")
    assert table.find("social worker").salary == D("42795.37")
    assert table.find("team manager").salary == D("57980.64")
    assert table.find("social worker").unit_cost_hour == D("55.53")
    assert derive(D("42795.37"), table.params).total_annual == D("84013.838180")


def test_the_bundled_table_is_what_its_parameters_write(table):
    spec = importlib.util.spec_from_file_location("build_2025", ROOT / "unit_costs" / "build_2025.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    assert (ROOT / "unit_costs" / "pssru_2025.csv").read_text(encoding="utf-8") == build.table_2025_csv()
    assert len(table.roles) == 48 and table.price_year == 2025 and check_table(table) == []
    assert [r.role for r in table.roles] == [r.role for r in load_table().roles]


def test_every_parameter_and_award_has_its_source():
    params = load_params(PARAMS_2025)
    assert set(params.citations) == set(ParamsModel.model_fields)
    for cited in params.citations.values():
        assert cited.publisher and cited.title and cited.date
    assert [a.year for a in params.pay_awards] == ["2020/21", "2021/22", "2022/23", "2023/24", "2024/25", "2025/26"]
    for award in params.pay_awards:
        assert award.sources and all(s.publisher and s.title and s.date for s in award.sources)
    p = params.parameters.to_core()
    assert (p.employer_ni_rate, p.ni_threshold_per_year) == (D("0.15"), D(5000))


def test_a_flat_sum_with_no_top_adds_to_every_salary():
    award = PayAward("2022/23", flat_gbp=D(1925))
    assert award.apply(D("90000"))[0] == D("91925")
    with pytest.raises(AssertionError):
        PayAward("x", percent=D(1), flat_gbp=D(1))


def test_the_yearly_threshold_replaces_the_weekly_one():
    """2019: £162 a week x 365 / 7 = £8,447.142857...; with £5,000 a year set, that is the threshold."""
    assert Params().ni_threshold_per_year == D(162) * 365 / 7
    assert Params(ni_secondary_threshold_per_year_gbp=D(5000)).ni_threshold_per_year == D(5000)


@pytest.mark.parametrize("choice", ["2025", "2025/26", "pssru_2025"])
def test_list_and_check_the_2025_table(runner, choice):
    out = json.loads(invoke(runner, "unit-costs", "list", "--unit-costs", choice, "-f", "json").stdout)
    assert out["unit_costs"]["name"] == "bundled: pssru_2025" and out["unit_costs"]["price_year"] == 2025
    assert out["unit_costs"]["path"] == "unit_costs/pssru_2025.csv" and len(out["roles"]) == 48
    check = invoke(runner, "unit-costs", "check", "--unit-costs", choice)
    said = " ".join(check.stdout.split())  # as wrapped to the terminal's width
    assert check.exit_code == 0 and "all 48 role(s)" in said and "Table: bundled: pssru_2025" in said


def test_a_financial_year_read_as_a_windows_path_still_names_the_table():
    assert bundled_stem(str(PureWindowsPath("2025/26"))) == bundled_stem("2025") == "pssru_2025"
    assert bundled_stem(None) == "pssru_2019" and bundled_stem(str(ROOT / "examples" / "pay_scales.csv")) is None


def test_a_year_without_a_bundled_table_is_bad_usage(runner):
    result = invoke(runner, "unit-costs", "list", "--unit-costs", "2023")
    assert result.exit_code == 2 and "the bundled tables are 2019, 2025" in result.output


def test_build_refuses_salaries_of_another_price_year(runner, tmp_path):
    salaries = tmp_path / "pay.csv"
    salaries.write_text("role,salary,price_year\nSocial worker,42795.37,2025/26\nTeam manager,57980.64,2025\n")
    out = tmp_path / "table.csv"
    refused = invoke(runner, "unit-costs", "build", str(salaries), "-o", str(out))
    assert refused.exit_code == 1 and not out.exists()
    assert "the salaries are at 2025 prices but the parameters are at 2019 prices" in refused.output
    assert "--params 2025" in refused.output
    built = invoke(runner, "unit-costs", "build", str(salaries), "--params", "2025", "-o", str(out))
    assert built.exit_code == 0
    assert "Parameters: unit_costs/pssru_2025.toml (2025 prices): employer's NI 15% above £5,000.00 a year" in (
        built.output
    )
    assert out.read_text().splitlines()[1] == "Social worker,42795.37,12944.52,28273.95,55.53"


def test_a_bundled_table_is_named_not_located(runner):
    out = json.loads(invoke(runner, "estimate", str(TRIAL), "-f", "json", "--bootstrap", "0").stdout)
    assert out["unit_costs"]["name"] == "bundled: pssru_2019"
    assert out["unit_costs"]["path"] == "unit_costs/pssru_2019.csv"
    assert out["unit_costs"]["parameters"] == "unit_costs/pssru_2019.toml"
    assert str(ROOT) not in json.dumps(out["unit_costs"]) and "site-packages" not in json.dumps(out)
    mine = json.loads(
        invoke(
            runner,
            "estimate",
            str(TRIAL),
            "-f",
            "json",
            "--bootstrap",
            "0",
            "--unit-costs",
            "unit_costs/pssru_2019.csv",
        ).stdout
    )
    assert mine["unit_costs"]["name"] == mine["unit_costs"]["path"] == "unit_costs/pssru_2019.csv"
