"""Golden back test: ``sr-cost estimate examples/interim`` reproduces the interim cost table shown at the
What Works for Children's Social Care webinar of 18 March 2021 (slide "Findings - costs of Schwartz
Rounds"), every figure to the pound, and its "£20 per person per round".

The figures below are typed from the slide. "Training" is the set-up's staff time and travel (the slide
shows no PoCF fee, so the forms have none): its direct cost is £0. The £20 is the report's per-person
method (footnote 4) on the slide's totals: (1,146 + 1,446 + 2,063 + 1,750 + 1,981) / 5 = 1,677.20 a
round; × 12 rounds × 6/12 months ÷ 502 feedback forms = 10,063.20 / 502 = £20.05, which shows as £20."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from sr_cost.money import round_half_up

from conftest import EXAMPLES, invoke

INTERIM = EXAMPLES / "interim"

# LA -> (training, panel meeting, Schwartz Round, steering group, total per round), £ whole pounds
SLIDE = {
    "LA1": (716, 166, 742, 238, 1146),
    "LA3": (673, 253, 678, 515, 1446),
    "LA4": (1123, 267, 1446, 350, 2063),
    "LA5": (983, 289, 1000, 461, 1750),
    "LA6": (1170, 203, 795, 983, 1981),
}


def pounds(text: str) -> int:
    return int(round_half_up(Decimal(text), 0))


@pytest.fixture(scope="module")
def payload():
    from typer.testing import CliRunner

    result = invoke(CliRunner(), "estimate", str(INTERIM), "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_every_figure_of_the_slide_to_the_pound(payload):
    got = {
        la["la"]: (
            pounds(la["setup"]["total"]),
            *(pounds(la["per_round"][k]) for k in ("panel", "round", "steering", "total")),
        )
        for la in payload["las"]
    }
    assert got == SLIDE


def test_training_is_the_set_up_indirect_cost_with_no_fee(payload):
    for la in payload["las"]:
        assert la["setup"]["direct"] == "0.00"
        assert la["setup"]["indirect"] == la["setup"]["total"]


def test_rounds_are_table_12s_and_all_in_person(payload):
    """Phase 1 had ended (January 2020) before the webinar: the rounds are the report's Table 12."""
    rounds = {la["la"]: (la["phase"], la["rounds_in_person"], la["rounds_virtual"]) for la in payload["las"]}
    assert rounds == {
        "LA1": ("1", 6, 0),
        "LA3": ("1", 6, 0),
        "LA4": ("1", 6, 0),
        "LA5": ("1", 6, 0),
        "LA6": ("1", 11, 0),
    }


def test_twenty_pounds_per_person(payload):
    """The report's per-person method: the phase's annual cost × 6/12 ÷ its feedback forms.
    1,677.20 × 12 × ½ ÷ 502 = £20.05 → £20 (the exact mean is a fraction of a penny above 1,677.20)."""
    (phase,) = payload["phases"]
    assert phase["feedback_forms"] == 502
    assert pounds(phase["mean_total_per_round"]) == 1677
    assert phase["mean_total_per_round"] == "1677.20"
    assert phase["report_per_person"] == "20.05"
    assert pounds(phase["report_per_person"]) == 20


def test_the_terminal_prints_the_per_person_cost():
    """The same £20.05, in the terminal under the phase table (not only in the JSON)."""
    from typer.testing import CliRunner

    result = invoke(CliRunner(), "estimate", str(INTERIM))
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "The report's per-person cost" in text and "phase 1 £20.05" in text


def test_the_report_says_the_forms_are_rebuilt_from_the_webinar(tmp_path):
    """examples/interim has the build_forms.py that wrote it, so the report's methods say its lines are
    made up and name its source."""
    from typer.testing import CliRunner

    out = tmp_path / "interim.html"
    result = invoke(CliRunner(), "report", str(INTERIM), "-o", str(out))
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "rebuilt from published figures" in html
    assert "for examples/interim, the interim cost table shown at a webinar in March 2021" in html
