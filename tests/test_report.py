"""``sr-cost report``: the committee report's figures are the JSON's to the penny, the HTML names
nothing outside itself, the sections of results a run does not hold are left out (and slot in when
it does), and the charts draw what they are given. (A real browser and LibreOffice open the files
in test_report_browser.py.)"""

from __future__ import annotations

import html
import json
import re
from decimal import Decimal

import pytest

from sr_cost.api import run_report
from sr_cost.core.savings import SavingsAssumptions
from sr_cost.money import gbp, percent
from sr_cost.outputs import charts
from sr_cost.outputs.report import payloads, report_from
from sr_cost.outputs.report_html import render_html

from conftest import ROOT, TRIAL, invoke

BOOT = ["--bootstrap", "1000"]


def page_text(markup: str) -> str:
    """The words of an HTML page, as a reader sees them."""
    text = re.sub(r"<style>.*?</style>|<title>.*?</title>", " ", markup, flags=re.S)
    text = re.sub(r"</?(span|code)[^>]*>", "", text)  # inline: no space where they start or end
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", text)))


def headline(est: dict, cmp: dict) -> list[str]:
    """The figures page one must hold, written as the report writes money, from the JSON."""
    o = est["overall"]
    out = [o[k] for k in ("mean_total_per_round", "min_total_per_round", "max_total_per_round", "annual_cost")]
    out += [o[k] for k in ("mean_setup", "min_setup", "max_setup")]
    out += [p[k] for p in est["phases"] for k in ("mean_total_per_round", "annual_cost")]
    out += [p[k] for p in est["savings"]["phases"] for k in ("saving_per_staff", "saving_ci_low", "saving_ci_high")]
    out += [x[k] for x in cmp["options"] for k in ("present_value", "cost_per_attendee", "pooled_cost_per_attendee")]
    out += [x[k] for x in cmp["options"] for k in ("setup", "mean_total_per_round", "annual_cost")]
    out += [s[k] for r in cmp["sensitivity"]["rows"][:3] for s in r["options"] for k in ("low", "high")]
    return [gbp(Decimal(x)) for x in out]


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """The trial's report (HTML and Word) and the JSON of estimate and compare, same options."""
    from typer.testing import CliRunner

    out = tmp_path_factory.mktemp("report")
    runner = CliRunner()
    for name in ("r.html", "r.docx"):
        result = invoke(runner, "report", str(TRIAL), "-o", str(out / name), *BOOT)
        assert result.exit_code == 0, result.output
    est = json.loads(invoke(runner, "estimate", str(TRIAL), "--format", "json", *BOOT).output)
    cmp = json.loads(invoke(runner, "compare", str(TRIAL), "--sensitivity", "--format", "json", *BOOT).output)
    return out, est, cmp


def test_the_html_holds_the_jsons_figures_to_the_penny(made):
    out, est, cmp = made
    text = page_text((out / "r.html").read_text(encoding="utf-8"))
    missing = [f for f in headline(est, cmp) if f not in text]
    assert not missing
    for la in est["las"]:  # the per-LA table
        assert gbp(Decimal(la["per_round"]["total"])) in text
    for p in est["savings"]["phases"]:
        assert percent(Decimal(p["p_saving_positive"])) in text
    assert cmp["summary"] in text
    assert "Setting and location" in text and "Perspective" in text and "Limitations" in text
    assert "rebuilt from published figures" in text


def test_the_html_names_nothing_outside_itself(made):
    out, _, _ = made
    markup = (out / "r.html").read_text(encoding="utf-8")
    for banned in ("http://", "https://", "<script", "<img", "<link", "@import", "url(", "@font-face", "<iframe"):
        assert banned not in markup.lower(), banned
    assert markup.count("<svg") >= 4  # per LA, in person against virtual, a tornado per mode


def test_the_provenance_names_every_input_with_its_sha256(made):
    out, est, _ = made
    text = page_text((out / "r.html").read_text(encoding="utf-8"))
    for i in est["inputs"]:
        assert i["sha256"] in text and i["path"] in text
    assert f"sr-cost report {TRIAL}" in text and est["unit_costs"]["sha256"] in text


def docx_text(path) -> str:
    """The words of a Word document: its paragraphs' text (in tables too), one after another."""
    import zipfile
    from xml.etree import ElementTree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    with zipfile.ZipFile(path) as z:
        root = ElementTree.fromstring(z.read("word/document.xml"))
    return " ".join("".join(t.text or "" for t in p.iter(f"{w}t")) for p in root.iter(f"{w}p"))


def test_the_word_report_holds_the_same_figures(made):
    out, est, cmp = made
    text = docx_text(out / "r.docx")
    missing = [f for f in headline(est, cmp) if f not in text]
    assert not missing
    assert "Methods (the CHEERS 2022 items that apply to a costing)" in text
    assert cmp["summary"] in text


def with_later_results(est: dict) -> dict:
    """The trial's payload with made-up decision figures (issue 14's ``decision``) and a made-up
    cost-effectiveness (issue 15's ``cost_effectiveness``) object."""
    est = json.loads(json.dumps(est))
    est["savings"]["phases"][0]["decision"] |= {
        "roi": "8.49",
        "roi_ci_low": "-2.10",
        "roi_ci_high": "19.30",
        "payback_months": 2,
        "net_present_value": "-1234.56",
        "max_setup_fee": "98765.43",
        "max_cost_per_round": "4321.00",
        "p_roi_at_least_1": "0.640",
    }
    ceac = [{"wtp": str(w * 100), "p_cost_effective": f"{0.3 + 0.006 * w:.3f}"} for w in range(51)]
    est["cost_effectiveness"] = {
        "assumptions": {"wtp_points": ["1000"]},
        "phases": [
            {
                "phase": "1",
                "incremental_cost_per_staff": "-250.00",
                "outcomes": [
                    {
                        "outcome": "ghq12",
                        "difference": "0.72",
                        "difference_ci_low": "-0.75",
                        "difference_ci_high": "2.19",
                        "icer": None,
                        "icer_label": "dominant",
                        "nmb_at_wtp": "970.00",
                        "quadrants": {"ne": "0.100", "nw": "0.050", "se": "0.700", "sw": "0.150"},
                        "ceac": ceac,
                    }
                ],
            }
        ],
    }
    return est


def test_later_results_slot_in_and_are_left_out_when_absent():
    # without the cost-effectiveness (the trial's survey has GHQ-12: effect=None leaves it out)
    run = run_report(TRIAL, savings_assumptions=SavingsAssumptions(bootstrap=200), effect=None)
    est, cmp = payloads(run, "sr-cost report")
    plain = page_text(render_html(report_from(run, est, cmp)))
    assert "What a point of wellbeing costs" not in plain
    for p in est["savings"]["phases"]:  # the trial's own sentences and decision figures
        assert re.sub(r"\s+", " ", p["sentence"]) in plain
        assert f"£{p['decision']['roi']} back per £1 over 3 years" in plain
    later = render_html(report_from(run, with_later_results(est), cmp, {("1", "ghq12"): [(0.5, -100.0), (1.5, 80.0)]}))
    text = page_text(later)
    assert "£8.49" in text and "-£2.10 to £19.30" in text and "2 months" in text
    assert "£98,765.43" in text and "£4,321.00" in text
    assert "What a point of wellbeing costs" in text and "the rounds dominate (cheaper and better)" in text
    assert "Cost-effectiveness plane: phase 1, ghq12" in text and "Acceptability curve: phase 1, ghq12" in text
    assert "better, cheaper 70%" in text


def test_charts_draw_what_they_are_given():
    """Made-up data: 3 resamples and a point estimate; a 4-point curve; a tornado of 2 rows."""
    plane = charts.ce_plane([(1, 2), (-1, 3), (0.5, -1)], (0.4, 1.0), "plane", "better", {"ne": "40%"}, wtp=2.0)
    assert plane.count("<circle") == 4 and "better, dearer 40%" in plane and "stroke-dasharray" in plane
    curve = charts.acceptability_curve([(0, 0.2), (100, 0.5), (200, 0.7), (300, 0.8)], "curve", "£ a point")
    points = re.search(r'<polyline points="([^"]+)"', curve)[1].split()
    assert len(points) == 4
    ys = [float(p.split(",")[1]) for p in points]
    assert ys == sorted(ys, reverse=True)  # a rising probability is drawn upwards
    bars = charts.tornado(
        [charts.Swing("a", 1.0, 9.0, "£1", "£9"), charts.Swing("b", 4.0, 6.0, "£4", "£6")], 5.0, "£5", "t", ("lo", "hi")
    )
    assert bars.count("<rect") == 2 + 4  # the legend's two keys, then two bars a row
    assert all(f">{x}<" in bars for x in ("£1", "£9", "£4", "£6", "base £5"))
    stacked = charts.stacked_bars([charts.Bar("LA1", (1.0, 2.0, 0.0), "£3.00")], ["x", "y", "z"], "s")
    assert ">£3.00<" in stacked and "<script" not in stacked


def test_chart_text_is_escaped():
    svg = charts.stacked_bars([charts.Bar("<b>&", (1.0,), "£1.00")], ["a<"], "t")
    assert "<b>" not in svg and "&lt;b&gt;&amp;" in svg


def test_a_forms_set_of_one_mode_and_one_phase_has_no_comparison(runner, tmp_path):
    forms = tmp_path / "forms"
    forms.mkdir()
    (forms / "rounds.csv").write_text(
        "la,phase,round,mode,item,role,staff,hours,cost\nA,1,R1,virtual,attendance,Social worker,5,1,\n"
        "A,1,R1,virtual,host,,,,50\n",
        encoding="utf-8",
    )
    result = invoke(runner, "report", str(forms), "-o", str(tmp_path / "r.html"))
    assert result.exit_code == 0, result.output
    text = page_text((tmp_path / "r.html").read_text(encoding="utf-8"))
    assert "A round costs £272.75" in text and "no sickness-absence saving" in text
    assert "the forms hold rounds of one mode and one phase" in text


def test_a_report_named_otherwise_is_refused_and_nothing_is_written(runner, tmp_path):
    result = invoke(runner, "report", str(TRIAL), "-o", str(tmp_path / "r.pdf"))
    assert result.exit_code == 2 and "must be named .html or .docx" in result.output
    negative = ROOT / "tests" / "bad_inputs" / "cases" / "negative"  # a negative number: bad data
    target = tmp_path / "r.html"
    result = invoke(runner, "report", str(negative), "-o", str(target))
    assert result.exit_code == 1 and not target.exists()
    assert list(tmp_path.iterdir()) == []


def test_the_trials_cost_effectiveness_in_the_report():
    """Issue 15's object as sr-cost makes it: each phase and outcome's sentence, and its plane (with
    the resamples drawn) and acceptability curve, named by the outcome's label."""
    from sr_cost.outputs.json_effect import plane_points

    run = run_report(TRIAL, savings_assumptions=SavingsAssumptions(bootstrap=200))
    est, cmp = payloads(run, "sr-cost report")
    points = plane_points(run.estimate.cost_effectiveness)
    assert len(points[("1", "ghq12")]) == 200
    page = render_html(report_from(run, est, cmp, points))
    text = page_text(page)
    assert "What a point of wellbeing costs" in text
    assert "Phase 1, GHQ-12: 0.78 points better (95% interval" in text
    assert "Phase 1, GHQ-12 cases: 6.9 cases avoided per 100 staff (95% interval" in text
    ci = next(p for p in est["cost_effectiveness"]["phases"] if p["phase"] == "1")
    low, high = (gbp(Decimal(ci[f"incremental_cost_per_staff_ci_{end}"])) for end in ("low", "high"))
    assert (
        f"-£661.91 per staff member after the absence saving (95% interval {low} to {high}): the rounds dominate "
        "(cheaper and better)"
    ) in text
    for p in est["cost_effectiveness"]["phases"]:
        for o in p["outcomes"]:
            assert f"Cost-effectiveness plane: phase {p['phase']}, {o['label']}" in text
            assert f"Acceptability curve: phase {p['phase']}, {o['label']}" in text
    assert "willingness to pay (£ a case avoided)" in page
    assert page.count("<circle") > 4 * 200


def test_the_reports_horizon_is_the_savings_horizon_too():
    """`report --years 5 --discount-rate 1.5`: the comparison and the savings' decision figures are over
    the same 5 years at 1.5% (they were once at the savings' default 3 years and 3.5%)."""
    run = run_report(
        TRIAL, years=5, discount_rate_pct=Decimal("1.5"), savings_assumptions=SavingsAssumptions(bootstrap=0)
    )
    assert (run.comparison.comparison.years, run.comparison.comparison.discount_rate) == (5, Decimal("0.015"))
    decisions = [p.decision for p in run.estimate.savings.phases]
    assert decisions and all((d.years, d.discount_rate) == (5, Decimal("0.015")) for d in decisions)
