"""Golden back test: ``estimate`` on examples/trial reproduces the report's published costs to the
penny (Tables 19 and 20 and the "Economic evaluation" text). The figures below are typed from the
report; the tool computes them from the rebuilt forms."""

from __future__ import annotations

import json

import pytest

from sr_cost.api import run_estimate
from sr_cost.outputs.json_csv import estimate_to_dict

from conftest import TRIAL, invoke

# Table 19: LA -> (phase, direct, indirect, total)
TABLE_19 = {
    "LA1": ("1", "5000.00", "848.74", "5848.74"),
    "LA3": ("1", "5000.00", "951.92", "5951.92"),
    "LA4": ("1", "5000.00", "1505.14", "6505.14"),
    "LA5": ("1", "5000.00", "1119.90", "6119.90"),
    "LA6": ("1", "5000.00", "1399.62", "6399.62"),
    "LA7": ("2", "5000.00", "238.27", "5238.27"),
    "LA8": ("2", "5000.00", "568.25", "5568.25"),
    "LA12": ("2", "5000.00", "204.75", "5204.75"),
}
# Table 20: LA -> (panel, SR, steering, total); "n/a" steering in phase 2 is no steering cost
TABLE_20 = {
    "LA1": ("166.12", "741.61", "238.23", "1145.96"),
    "LA3": ("238.12", "728.05", "539.35", "1505.52"),
    "LA4": ("266.71", "1454.73", "349.74", "2071.18"),
    "LA5": ("1102.64", "1102.64", "506.32", "2711.60"),
    "LA6": ("202.86", "805.89", "982.86", "1991.61"),
    "LA7": ("156.78", "183.80", "0.00", "340.58"),
    "LA8": ("199.89", "185.39", "0.00", "385.28"),
    "LA9": ("193.65", "94.59", "0.00", "288.24"),
    "LA12": ("546.05", "156.69", "0.00", "702.74"),
}
# Table 12: rounds held (in-person, virtual)
TABLE_12 = {
    "LA1": (6, 0),
    "LA3": (6, 0),
    "LA4": (6, 0),
    "LA5": (6, 0),
    "LA6": (11, 0),
    "LA7": (1, 2),
    "LA8": (1, 6),
    "LA9": (1, 3),
    "LA12": (0, 3),
}


@pytest.fixture(scope="module")
def payload():
    run = run_estimate(TRIAL)
    return estimate_to_dict(run.estimate, run.table)


def test_table_19_every_cell(payload):
    got = {la["la"]: (la["phase"], *la["setup"].values()) for la in payload["las"] if la["setup"]}
    assert got == TABLE_19
    assert [la["setup"] for la in payload["las"] if la["la"] == "LA9"] == [None]


def test_table_20_every_cell(payload):
    got = {
        la["la"]: tuple(la["per_round"][k] for k in ("panel", "round", "steering", "total")) for la in payload["las"]
    }
    assert got == TABLE_20


def test_table_12_rounds(payload):
    assert {la["la"]: (la["rounds_in_person"], la["rounds_virtual"]) for la in payload["las"]} == TABLE_12


def test_headline_figures(payload):
    overall = payload["overall"]
    assert (overall["mean_setup"], overall["min_setup"], overall["max_setup"]) == ("5854.57", "5204.75", "6505.14")
    assert overall["mean_total_per_round"] == "1238.08"
    p1, p2 = payload["phases"]
    assert (p1["phase"], p1["mean_total_per_round"], p1["min_total_per_round"], p1["max_total_per_round"]) == (
        "1",
        "1885.17",
        "1145.96",
        "2711.60",
    )
    assert (p2["phase"], p2["mean_total_per_round"], p2["min_total_per_round"], p2["max_total_per_round"]) == (
        "2",
        "429.21",
        "288.24",
        "702.74",
    )
    assert (p1["annual_cost"], p2["annual_cost"]) == ("22622.04", "5150.52")


def test_cli_json_matches(runner):
    from sr_cost.core.savings import SavingsAssumptions
    from sr_cost.outputs.json_savings import run_to_dict

    run = run_estimate(TRIAL, savings_assumptions=SavingsAssumptions(bootstrap=200))
    result = invoke(runner, "estimate", str(TRIAL), "--format", "json", "--bootstrap", "200")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == json.loads(json.dumps(run_to_dict(run)))


def test_table_output_at_80_and_120_columns():
    import io

    from rich.console import Console

    from sr_cost.outputs.terminal_estimate import print_estimate

    run = run_estimate(TRIAL)
    for width in (80, 120):
        buffer = io.StringIO()
        print_estimate(run.estimate, run.table, Console(file=buffer, width=width, no_color=True))
        text = buffer.getvalue()
        assert max(len(line) for line in text.splitlines()) <= width
        for figure in ("£1,885.17", "£429.21", "£22,622.04", "£5,150.52", "£5,854.57", "£2,711.60"):
            assert figure in text
        assert "…" not in text  # no truncated cells or headers
