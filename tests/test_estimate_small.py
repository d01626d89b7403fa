"""``estimate`` on a small hand-checked fixture (tests/fixtures/small).

Unit costs (2019): Social worker £44.55, Team manager £61.95, Family support worker £38.60,
Administration role/business support officer £29.04. Mileage £0.45.

LA A, phase 1
  training: fee £5,000 (direct); 2 social workers x 7.5 h x 44.55 = 668.25 + 40 miles x 0.45 = 18.00
            -> indirect 686.25, total 5,686.25
  R1 (in-person): attendance 10 x 1 h x 44.55 = 445.50; facilitator 1 x 2 x 61.95 = 123.90;
                  catering 120.00 -> own 689.40, attendance 10
  R2 (virtual):   attendance 6 x 1 x 38.60 = 231.60; facilitator 1 x 1.5 x 61.95 = 92.925 -> 324.525
  panel: tied to R1 3 x 1 x 44.55 = 133.65; untied 1 x 2 x 29.04 = 58.08 -> 29.04 a round
  steering: untied 4 x 1.5 x 61.95 = 371.70 -> 185.85 a round
  R1 = 162.69 + 689.40 + 185.85 = 1,037.94; R2 = 29.04 + 324.525 + 185.85 = 539.415
  per round: panel 191.73/2 = 95.865 (-> 95.87), round 1,013.925/2 = 506.9625, steering 185.85,
             total 1,577.355/2 = 788.6775 (-> 788.68)
  attendance 16, 8 a round; cost per attendee 1,577.355/16 = 98.5846875 (-> 98.58)
  annual 12 x 788.6775 = 9,464.13; first year 5,686.25 + 9,464.13 = 15,150.38
LA B, phase 2: one virtual round: 4 x 1 x 44.55 = 178.20 + own rate 1 x 1.5 x 30.00 = 45.00 -> 223.20
  no training (set-up null); attendance 4, £55.80 each; annual 2,678.40
Overall mean per round (788.6775 + 223.20)/2 = 505.93875 (-> 505.94)
Modes: in-person: A's R1 1,037.94, annual 12,455.28, per attendee 103.794 (-> 103.79)
       virtual: (539.415 + 223.20)/2 = 381.3075 (-> 381.31), annual 4,575.69,
                per attendee 762.615/10 = 76.2615 (-> 76.26)
"""

from __future__ import annotations

import json
from decimal import Decimal as D

from sr_cost.api import run_estimate
from sr_cost.core.lines import Mode
from sr_cost.outputs.json_csv import estimate_to_dict

from conftest import ROOT, invoke

SMALL = ROOT / "tests" / "fixtures" / "small"


def test_small_fixture_by_hand():
    est = run_estimate(SMALL).estimate
    a, b = est.las
    assert (a.la, a.phase, b.la, b.phase) == ("A", "1", "B", "2")
    assert (a.setup.direct, a.setup.indirect, a.setup.total) == (D("5000.00"), D("686.25"), D("5686.25"))
    assert a.per_round.panel == D("95.865")
    assert a.per_round.round == D("506.9625")
    assert a.per_round.steering == D("185.85")
    assert a.per_round.total == D("788.6775")
    assert (a.rounds, a.rounds_in_person, a.rounds_virtual) == (2, 1, 1)
    assert a.attendances == 16 and a.attendees_per_round == 8
    assert a.cost_per_attendee == D("98.5846875")
    assert a.annual_cost == D("9464.1300")
    assert a.first_year_cost == D("15150.3800")
    r1, r2 = [r for r in est.rounds if r.la == "A"]
    assert (r1.components.panel, r1.total) == (D("162.69"), D("1037.94"))
    assert (r2.components.panel, r2.total) == (D("29.04"), D("539.415"))
    assert a.modes[Mode.in_person].total_per_round == D("1037.94")
    assert a.modes[Mode.virtual].cost_per_attendee == D("89.9025")
    assert b.setup is None and b.first_year_cost is None
    assert b.per_round.total == D("223.20") and b.cost_per_attendee == D("55.80")
    assert est.overall.total_per_round.mean == D("505.93875")
    ip, v = est.modes
    assert (ip.mode, ip.mean_total_per_round, ip.annual_cost) == (Mode.in_person, D("1037.94"), D("12455.28"))
    assert (v.mode, v.las, v.rounds, v.mean_total_per_round) == (Mode.virtual, 2, 2, D("381.3075"))
    assert v.cost_per_attendee == D("76.2615")


def test_json_equals_library_result(runner):
    run = run_estimate(SMALL)
    result = invoke(runner, "estimate", str(SMALL), "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == json.loads(json.dumps(estimate_to_dict(run.estimate, run.table)))


def test_json_contract_and_rounding(runner):
    payload = json.loads(invoke(runner, "estimate", str(SMALL), "-f", "json").stdout)
    assert set(payload) >= {
        "sr_cost_version",
        "unit_costs",
        "inputs",
        "assumptions",
        "las",
        "phases",
        "modes",
        "overall",
    }
    a = payload["las"][0]
    assert set(a) >= {
        "la",
        "phase",
        "rounds",
        "rounds_in_person",
        "rounds_virtual",
        "setup",
        "per_round",
        "attendances",
        "attendees_per_round",
        "cost_per_attendee",
        "annual_cost",
        "first_year_cost",
        "modes",
    }
    assert a["per_round"] == {"panel": "95.87", "round": "506.96", "steering": "185.85", "total": "788.68"}
    assert a["cost_per_attendee"] == "98.58" and a["first_year_cost"] == "15150.38"
    assert a["modes"]["virtual"]["total_per_round"] == "539.42"  # 539.415 half-up
    assert payload["las"][1]["setup"] is None
    assert payload["overall"]["mean_total_per_round"] == "505.94"
    assert payload["unit_costs"]["price_year"] == 2019 and len(payload["unit_costs"]["sha256"]) == 64
    assert [len(i["sha256"]) for i in payload["inputs"]] == [64] * 4
    assert {m["mode"] for m in payload["modes"]} == {"in-person", "virtual"}
    for phase in payload["phases"]:
        assert set(phase) == {
            "phase",
            "las",
            "mean_total_per_round",
            "min_total_per_round",
            "max_total_per_round",
            "annual_cost",
            "mean_setup",
            "min_setup",
            "max_setup",
            "feedback_forms",
            "report_per_person",
        }
        assert phase["feedback_forms"] is None and phase["report_per_person"] is None  # no staff sheet


def test_csv_rows_per_la_and_mode(runner):
    lines = invoke(runner, "estimate", str(SMALL), "-f", "csv").stdout.splitlines()
    assert lines[0].startswith("la,phase,mode,rounds")
    assert [line.split(",")[:4] for line in lines[1:]] == [
        ["A", "1", "all", "2"],
        ["A", "1", "in-person", "1"],
        ["A", "1", "virtual", "1"],
        ["B", "2", "all", "1"],
        ["B", "2", "virtual", "1"],
    ]


def test_options_change_the_figures(runner):
    est = run_estimate(SMALL, rounds_per_year=10, mileage_rate=D("0.50")).estimate
    assert est.las[0].annual_cost == D("7886.775")
    assert est.las[0].setup.indirect == D("688.25")  # 668.25 + 40 x 0.50


def test_output_file_and_table(runner, tmp_path):
    out = tmp_path / "e.json"
    result = invoke(runner, "estimate", str(SMALL), "-f", "json", "-o", str(out))
    assert result.exit_code == 0 and json.loads(out.read_text())["overall"]["mean_total_per_round"] == "505.94"
    table = invoke(runner, "estimate", str(SMALL))
    assert "£788.68" in table.stdout and "Table 19" in table.stdout and "Table 20" in table.stdout


def test_output_onto_an_input_is_refused(runner, tmp_path):
    import shutil

    forms = tmp_path / "forms"
    shutil.copytree(SMALL, forms)
    before = (forms / "rounds.csv").read_bytes()
    result = invoke(runner, "estimate", str(forms), "-f", "csv", "-o", str(forms / "rounds.csv"))
    assert result.exit_code == 2
    assert (forms / "rounds.csv").read_bytes() == before
