"""``sr-cost explain``: every figure as a tree whose every level is its formula applied to its parts,
down to the form lines and the unit costs, ending at the figure the estimate's JSON reports.

Hand-checked on tests/fixtures/small (see test_estimate_small.py for the whole fixture):

  LA A phase 1 panel per round = (panel tied to R1 + panel tied to no round) ÷ 2 rounds
    tied to R1 (panel.csv row 2):       3 × 1 h × £44.55 + 0 × £0.45 + £0 = 133.65
    tied to no round (panel.csv row 3): 1 × 2 h × £29.04 + 0 × £0.45 + £0 =  58.08
    (133.65 + 58.08) ÷ 2 = 191.73 ÷ 2 = 95.865 -> £95.87
  Social worker's £44.55 from its salary £34,748.00 (unit_costs/pssru_2019.csv):
    NI threshold 162 × 365 ÷ 7 = 8,447.142857...; NI 0.138 × (34,748 − 8,447.142857) = 3,629.518286
    superannuation 0.17 × 34,748 = 5,907.16; on-costs 9,536.678286
    overheads 0.29 × 44,284.678286 + 0.16 × 44,284.678286 + 3,191 = 23,119.105229
    (34,748 + 9,536.678286 + 23,119.105229) ÷ 1,513 = 67,403.783514 ÷ 1,513 = 44.5497 -> £44.55
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import given, settings

from sr_cost.api import explainable_figures, run_estimate
from sr_cost.core.explanation import Node, Op, apply, check
from sr_cost.core.figures import figures, find
from sr_cost.core.savings import SavingsAssumptions
from sr_cost.core.unit_costs import AbsenceBasis
from sr_cost.money import money_str
from sr_cost.outputs.explain_out import tree_to_dict
from sr_cost.outputs.json_savings import run_to_dict

from conftest import ROOT, TRIAL, invoke
from test_properties import SETTINGS, TABLE, forms_rows, run

SMALL = ROOT / "tests" / "fixtures" / "small"
NO_BOOTSTRAP = SavingsAssumptions(bootstrap=0)
TABLE_21 = SavingsAssumptions(bootstrap=0, absence_basis=AbsenceBasis.unit_cost)  # the basis that rebuilds it


@pytest.fixture(scope="module")
def trial():
    found = run_estimate(TRIAL, savings_assumptions=TABLE_21)
    return found, figures(found), run_to_dict(found)


def rechecked(d: dict) -> Decimal:
    """A node of the JSON tree is its op applied to its children's exact values; returns its value."""
    value = Decimal(d["exact"])
    if d["op"] != "input":
        assert value == apply(Op(d["op"]), [rechecked(c) for c in d["children"]]), d["label"]
    else:
        assert not d["children"]
    if d["unit"].startswith("£"):
        assert d["value"] == money_str(value)
    return value


def test_small_panel_per_round_by_hand():
    est_run = run_estimate(SMALL)
    tree = find(figures(est_run), "A phase 1 panel per round").explain()
    assert tree.value == Decimal("95.865") and tree.op is Op.quotient
    total, rounds = tree.children
    assert (total.value, rounds.value) == (Decimal("191.73"), 2)
    tied, untied = total.children
    assert (tied.value, untied.value) == (Decimal("133.65"), Decimal("58.08"))
    (line,) = tied.children
    assert (line.file.endswith("panel.csv"), line.sheet, line.row) == (True, None, 2)
    assert [c.value for c in line.children] == [3, 1, Decimal("44.55"), 0, Decimal("0.45"), 0]
    social_worker = line.children[2]
    assert social_worker.op is Op.penny and social_worker.label == "unit cost of Social worker"
    salaries = [n for n in social_worker.walk() if n.label == "salary of Social worker"]
    assert salaries and all(n.value == Decimal("34748.00") and n.row == 43 for n in salaries)
    on_costs = next(n for n in social_worker.walk() if n.label == "on-costs")
    assert money_str(on_costs.value) == "9536.68"
    overheads = next(n for n in social_worker.walk() if n.label == "overheads")
    assert money_str(overheads.value) == "23119.11"  # the table prints 23,119.10: within a penny
    (untied_line,) = untied.children
    assert untied_line.row == 3 and untied_line.value == Decimal("58.08")
    assert check(tree) == []


def test_a_line_with_its_own_rate_has_it_as_a_leaf():
    """LA B's facilitator (rounds.csv row 8): 1 × 1.5 h × £30.00 (its own rate) = £45.00."""
    tree = find(figures(run_estimate(SMALL)), "B phase 2 round per round").explain()
    line = next(n for n in tree.walk() if n.op is Op.line and n.row == 8)
    assert line.value == Decimal("45.00") and line.children[2].label == "hourly rate (the line's own)"


def test_every_figure_of_tables_19_and_20_adds_up_to_the_json(trial):
    """Every LA's set-up (direct, indirect, total) and each component per round of the trial."""
    found, figs, payload = trial
    for la in payload["las"]:
        parts = [("setup", p) for p in ("direct", "indirect", "total")] if la["setup"] else []
        parts += [("per_round", c) for c in ("panel", "round", "steering", "total")]
        for group, part in parts:
            tree = find(figs, f"las[la={la['la']},phase={la['phase']}].{group}.{part}").explain()
            assert check(tree) == []
            assert money_str(tree.value) == la[group][part]
            assert rechecked(tree_to_dict(tree)) == tree.value
            from_forms = [n for n in tree.walk() if n.file and n.file != found.table.path]
            assert (from_forms or tree.value == 0) and all(n.row for n in from_forms)


def test_the_other_figures_of_the_trial_add_up_to_the_json(trial):
    """Cost per attendee, annual cost, the phase means, the modes and the savings per staff member."""
    found, figs, payload = trial
    expected = {
        "las[la=LA4,phase=1].cost_per_attendee": payload["las"][2]["cost_per_attendee"],
        "las[la=LA4,phase=1].annual_cost": payload["las"][2]["annual_cost"],
        "las[la=LA7,phase=2].modes.virtual.total_per_round": payload["las"][5]["modes"]["virtual"]["total_per_round"],
        "phases[phase=1].mean_total_per_round": "1885.17",
        "phases[phase=2].annual_cost": "5150.52",
        "overall.mean_setup": "5854.57",
        "modes[mode=in-person].cost_per_attendee": payload["modes"][0]["cost_per_attendee"],
        "savings.phases[phase=1].saving_per_staff": "266.71",
        "savings.phases[phase=2].saving_per_staff": "84.38",
        "savings.combined.saving_per_staff": "175.55",
        "savings.phases[phase=1].annual_saving_per_staff": payload["savings"]["phases"][0]["annual_saving_per_staff"],
    }
    for path, figure in expected.items():
        tree = find(figs, path).explain()
        assert money_str(tree.value) == figure, path
        assert check(tree) == [], path
    employer = figures(run_estimate(TRIAL, savings_assumptions=NO_BOOTSTRAP))  # the default basis
    tree = find(employer, "savings.phases[phase=1].saving_per_staff").explain()
    assert money_str(tree.value) == "172.17" and check(tree) == []
    saving = find(figs, "phase 2 saving per staff member").explain()
    respondents = [n for n in saving.walk() if n.label.startswith("respondent ")]
    assert len(respondents) == 37 and all(n.file.endswith("survey.csv") and n.row for n in respondents)


def test_every_figure_is_listed_once_and_found_by_name_and_path(trial):
    _, figs, _ = trial
    assert len({f.path for f in figs}) == len(figs) == len({f.name for f in figs})
    for f in figs[::7]:
        assert find(figs, f.name) is f and find(figs, f.path.upper()) is f
    assert find(figs, 'las[la="LA4", phase=1].per_round.panel') is find(figs, "la4 phase 1 PANEL per round")


@settings(SETTINGS, max_examples=15)
@given(forms_rows())
def test_every_figure_of_generated_forms_adds_up(rows):
    from sr_cost.core.runs import EstimateRun

    forms, est = run(rows)
    for f in figures(EstimateRun(table=TABLE, forms=forms, estimate=est)):
        tree = f.explain()  # each level is checked against the estimate's figure as it is built
        assert check(tree) == [], f.path


def test_check_names_a_node_that_does_not_add_up():
    a, b = Node("a", "input", Op.input, Decimal(2), _unit()), Node("b", "input", Op.input, Decimal(3), _unit())
    assert check(Node("sum", "a + b", Op.sum, Decimal(5), _unit(), (a, b))) == []
    assert check(Node("sum", "a + b", Op.sum, Decimal(6), _unit(), (a, b))) == ["sum: 6 is not sum of its parts (5)"]


def _unit():
    from sr_cost.core.explanation import Unit

    return Unit.gbp


def test_cli_explains_a_figure_as_a_tree(runner):
    result = invoke(runner, "explain", str(TRIAL), "LA4 phase 1 panel per round")
    assert result.exit_code == 0, result.output
    first = result.output.splitlines()[0]
    assert "£266.71" in first and "LA4 phase 1 panel per round" in first
    assert "panel.csv, row" in result.output and "unit cost of" in result.output


def test_cli_json_is_the_tree_and_a_path_names_the_same_figure(runner):
    by_name = invoke(runner, "explain", str(TRIAL), "LA4 phase 1 panel per round", "--format", "json")
    by_path = invoke(runner, "explain", str(TRIAL), "las[la=LA4,phase=1].per_round.panel", "-f", "json")
    assert by_name.exit_code == by_path.exit_code == 0
    tree = json.loads(by_name.output)
    assert json.loads(by_path.output) == tree
    assert {"label", "formula", "value", "children"} <= set(tree) and tree["value"] == "266.71"
    rechecked(tree)
    lines = [n for n in _walk(tree) if n["op"] == "line"]
    assert lines and all({"file", "sheet", "row"} <= set(n) and n["sheet"] is None for n in lines)
    # a role's unit cost is worked out the first time; later it names that by its key
    first: dict[str, dict] = {}
    for n in _walk(tree):
        if "key" in n and n["key"] not in first:
            first[n["key"]] = n
            assert n["children"]
        elif "key" in n:
            assert n["formula"].startswith("as worked out above") and not n["children"]
            assert n["exact"] == first[n["key"]]["exact"]
    assert any(k.startswith("unit cost: ") for k in first)


def _walk(d: dict):
    yield d
    for c in d["children"]:
        yield from _walk(c)


def test_cli_depth_cuts_the_tree(runner):
    result = invoke(runner, "explain", str(TRIAL), "phase 1 mean total per round", "--depth", "1")
    assert result.exit_code == 0
    assert "LA4 phase 1 total per round" in result.output and "--depth 2 or more" in result.output
    assert "panel.csv" not in result.output


def test_an_unknown_figure_lists_the_closest_first(runner):
    result = invoke(runner, "explain", str(TRIAL), "phase 1 savings per staf")
    assert result.exit_code == 2
    listed = [line.strip() for line in result.output.splitlines() if line.startswith("  ")]
    assert listed[0].startswith("phase 1 saving per staff member")
    assert "more: `sr-cost explain FORMS` lists them all" in result.output


def test_without_a_figure_every_figure_is_listed(runner):
    result = invoke(runner, "explain", str(SMALL))
    assert result.exit_code == 0
    names = [line.split("\t")[0] for line in result.output.splitlines()]
    assert names == [f.name for f in explainable_figures(SMALL)]
    assert "A phase 1 panel per round" in names and "overall mean total per round" in names


def test_the_readme_tree_is_what_explain_prints(runner, monkeypatch):
    """The README's example tree is the command's output at 110 columns, as it is run there."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = '$ sr-cost explain examples/trial "LA7 phase 2 set-up total" --depth 3\n'
    shown = readme.split(command, 1)[1].split("```", 1)[0]
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("COLUMNS", "110")
    result = invoke(runner, "explain", "examples/trial", "LA7 phase 2 set-up total", "--depth", "3")
    assert result.exit_code == 0
    assert [line.rstrip() for line in result.output.splitlines()] == [line.rstrip() for line in shown.splitlines()]
