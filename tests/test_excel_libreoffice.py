"""The test that matters: open the exported workbook in a real spreadsheet program (LibreOffice),
let it recalculate every formula, and compare. Every recalculated figure must equal sr-cost's own
output (the JSON, and the CSV for the per-mode rows of each LA) to the penny, each line's and each
round's cost must equal the library's, and the master check must read PASS.

Skips without LibreOffice, except in CI (CI=true), where it fails (see soffice.py)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import openpyxl
import pytest

from sr_cost import excel
from sr_cost.api import run_estimate
from sr_cost.export import estimate_csv, estimate_to_dict
from sr_cost.money import money_str

from conftest import ROOT, TRIAL
from soffice import convert, soffice  # noqa: F401  (a fixture)

SMALL = ROOT / "tests" / "fixtures" / "small"
HEADER = "la,phase,round,mode,item,role,rate,staff,hours,miles,cost\n"
TINY = Decimal("0.000001")

LA_FIGURES = {"Rounds": "rounds", "In-person rounds": "rounds_in_person", "Virtual rounds": "rounds_virtual",
              "Set-up: direct": ("setup", "direct"), "Set-up: indirect": ("setup", "indirect"),
              "Set-up: total": ("setup", "total"), "Mean per round: panel": ("per_round", "panel"),
              "Mean per round: round": ("per_round", "round"), "Mean per round: steering": ("per_round", "steering"),
              "Mean per round: total": ("per_round", "total"), "Attendances": "attendances",
              "Attendees per round": "attendees_per_round", "Cost per attendee": "cost_per_attendee",
              "Annual cost": "annual_cost", "First-year cost": "first_year_cost"}
CSV_FIGURES = {"Rounds": "rounds", "Mean per round: panel": "panel_per_round", "Mean per round: round": "round_per_round",
               "Mean per round: steering": "steering_per_round", "Mean per round: total": "total_per_round",
               "Attendances": "attendances", "Attendees per round": "attendees_per_round",
               "Cost per attendee": "cost_per_attendee", "Annual cost": "annual_cost"}
GROUP_FIGURES = {"LAs": "las", "Mean per round: total": "mean_total_per_round",
                 "Lowest LA per round": "min_total_per_round", "Highest LA per round": "max_total_per_round",
                 "Annual cost": "annual_cost", "Set-up: mean": "mean_setup", "Set-up: lowest LA": "min_setup",
                 "Set-up: highest LA": "max_setup", "Rounds": "rounds", "Attendances": "attendances",
                 "Cost per attendee": "cost_per_attendee"}


def exact(value) -> Decimal:
    """A recalculated cell as a Decimal, without the binary floating-point noise past 9 places."""
    assert isinstance(value, (int, float)) and not isinstance(value, bool), value
    return Decimal(repr(value)).quantize(Decimal("1e-9"))


def as_json(value) -> object:
    """A recalculated figure as the JSON gives it: counts as ints, money as a two-decimal string."""
    d = exact(value)
    return int(d) if d == d.to_integral_value() else money_str(d)


def unquote(text: str) -> str:
    """CSV output neutralises text a spreadsheet would run ('=x' is written as "'=x")."""
    return text[1:] if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@") else text


def expected_for(payload: dict, csv_rows: list[dict], figure: str, la: str, phase: str, mode: str):
    """What the JSON (or, for an LA's rows by mode, the CSV) says for one row of Checks."""
    if la not in ("all", None):
        if mode == "all":
            entry = next(x for x in payload["las"] if (x["la"], x["phase"]) == (la, phase))
            path = LA_FIGURES[figure]
            return entry[path[0]][path[1]] if isinstance(path, tuple) else entry[path]
        row = next(r for r in csv_rows if (unquote(r["la"]), r["phase"], r["mode"]) == (la, phase, mode))
        value = row[CSV_FIGURES[figure]]
        return int(value) if figure in ("Rounds", "Attendances") else value
    key = GROUP_FIGURES[figure]
    if mode not in ("all", None):
        return next(m for m in payload["modes"] if m["mode"] == mode)[key]
    if phase == "all":
        return payload["overall"][key]
    return next(p for p in payload["phases"] if p["phase"] == phase)[key]


def checks_rows(ws):
    header = [c.value for c in ws[6]]
    assert header[:9] == ["Figure", "LA-phase no.", "LA", "Phase", "Mode", "Recomputed", "sr-cost", "Difference",
                          "Result"]
    return [dict(zip(header, r)) for r in ws.iter_rows(min_row=7, values_only=True) if r[0]]


def verify(recalculated, run) -> int:
    """Compare a recalculated workbook with sr-cost's JSON, CSV and library figures; return the number
    of figures compared."""
    payload = estimate_to_dict(run.estimate, run.table)
    csv_rows = list(csv.DictReader(io.StringIO(estimate_csv(run.estimate))))
    wb = openpyxl.load_workbook(recalculated, data_only=True)
    checks = wb["Checks"]
    assert checks["B3"].value == "PASS"
    compared = 0
    for row in checks_rows(checks):
        phase = None if row["Phase"] is None else str(row["Phase"])
        la = None if row["LA"] is None else str(row["LA"])
        want = expected_for(payload, csv_rows, row["Figure"], la, phase, row["Mode"])
        got = as_json(row["Recomputed"])
        assert got == want or (isinstance(want, str) and money_str(exact(row["Recomputed"])) == want), (row, want)
        assert row["Result"] == "PASS", row
        compared += 1
    # each round, from the Rounds sheet, against the library's exact figures
    rounds = wb["Rounds"]
    header = [c.value for c in rounds[3]]
    got_rounds = [dict(zip(header, r)) for r in rounds.iter_rows(min_row=4, values_only=True)]
    assert len(got_rounds) == len(run.estimate.rounds)
    for got, rc in zip(got_rounds, run.estimate.rounds):
        for name, want in (("Panel (£)", rc.components.panel), ("Round (£)", rc.components.round),
                           ("Steering (£)", rc.components.steering), ("Total (£)", rc.total),
                           ("Attendance", rc.attendance), ("Lines", Decimal(rc.lines))):
            assert abs(exact(got[name]) - want) < TINY, (rc, name, got[name], want)
            compared += 1
    # each line's cost
    lines = wb["Lines"]
    costs = [r[0] for r in lines.iter_rows(min_row=4, min_col=20, max_col=20, values_only=True)]
    all_lines = [line for kind in run.forms.lines for line in run.forms.lines[kind]]
    assert len(costs) == len(all_lines)
    rate = run.estimate.assumptions.mileage_rate
    for got, line in zip(costs, all_lines):
        assert abs(exact(got) - line.total(rate)) < TINY, (line, got)
        compared += 1
    return compared


@pytest.fixture(scope="module")
def trial(soffice, tmp_path_factory):  # noqa: F811
    folder = tmp_path_factory.mktemp("lo-trial")
    run = run_estimate(TRIAL)
    path = folder / "trial.xlsx"
    excel.write_workbook(path, run, command="sr-cost estimate examples/trial --excel trial.xlsx")
    (recalculated,) = convert(soffice, [path], folder / "recalc")
    return run, recalculated


def test_trial_recalculated_by_libreoffice_equals_the_json(trial):
    run, recalculated = trial
    compared = verify(recalculated, run)
    assert compared > 1000


def test_headline_figures_after_recalculation(trial):
    _, recalculated = trial
    rows = checks_rows(openpyxl.load_workbook(recalculated, data_only=True)["Checks"])
    phase = {(r["Figure"], str(r["Phase"])): money_str(exact(r["Recomputed"])) for r in rows if r["LA"] == "all"
             and r["Mode"] == "all"}
    assert phase[("Mean per round: total", "1")] == "1885.17"
    assert phase[("Mean per round: total", "2")] == "429.21"
    assert phase[("Annual cost", "1")] == "22622.04" and phase[("Annual cost", "2")] == "5150.52"
    assert phase[("Set-up: mean", "all")] == "5854.57"


def test_awkward_labels_and_wildcard_roles_recalculate(soffice, tmp_path):  # noqa: F811
    """LA, round and role names that are formulas, criteria operators or wildcards: the formulas
    match on sr-cost's own numbers, and role look-ups escape * ? ~, so every check still passes."""
    forms = tmp_path / "forms"
    forms.mkdir()
    (forms / "rounds.csv").write_text(
        HEADER
        + '"=HYPERLINK(""http://x"",""y"")",1,=1+1,in-person,attendance,Social worker,,3,1,,\n'
        + '"=HYPERLINK(""http://x"",""y"")",1,=1+1,in-person,"+SUM(1,2)",@cmd,30,1,2,10,5\n'
        + '"=HYPERLINK(""http://x"",""y"")",1,#REF!,virtual,attendance,Senior*,,2,1,,\n'
        + "*,2,>5,virtual,-2+3,Worker?,,4,1,,\n"
        + ">5,2,*,in-person,Attendance,Social worker,,1,1.5,,12.50\n"
        + ">5,2,~1,virtual,attendance,Social worker,,2,1,7,\n")
    (forms / "panel.csv").write_text(
        HEADER + '"=HYPERLINK(""http://x"",""y"")",1,,,@cmd,Social worker,,1,1,,\n'
        + "*,2,>5,,=1+1,Senior*,,1,2,,\n" + ">5,2,,,x,Worker?,,1,1,,\n")
    (forms / "steering.csv").write_text(HEADER + ">5,2,~1,,meeting,Social worker,,3,1,,\n")
    table = tmp_path / "costs.csv"
    table.write_text("role,salary,on_costs,overheads,unit_cost_hour\n"
                     "Social worker,34748.00,10000,20000,44.55\nSenior worker,1,1,1,10.00\nSenior*,1,1,1,20.00\n"
                     "Worker1,1,1,1,5.00\nWorker?,1,1,1,7.77\n")
    run = run_estimate(forms, unit_costs=table)
    path = tmp_path / "awkward.xlsx"
    excel.write_workbook(path, run)
    (recalculated,) = convert(soffice, [path], tmp_path / "recalc")
    verify(recalculated, run)
    rates = {r[9]: r[13] for r in openpyxl.load_workbook(recalculated, data_only=True)["Lines"]
             .iter_rows(min_row=4, values_only=True)}
    assert rates["Senior*"] == 20 and rates["Worker?"] == 7.77  # not 'Senior worker', not 'Worker1'


def test_editing_an_input_changes_the_result(soffice, tmp_path):  # noqa: F811
    """The workbook is live: more hours on a line in Excel -> a dearer round, and the checks say FAIL
    against sr-cost's figures."""
    run = run_estimate(SMALL)
    path = tmp_path / "small.xlsx"
    excel.write_workbook(path, run)
    wb = openpyxl.load_workbook(path)
    lines = wb["Lines"]
    row = next(r for r in range(4, lines.max_row + 1) if lines[f"D{r}"].value == "rounds")
    lines[f"L{row}"] = lines[f"L{row}"].value * 2  # double the hours of the first rounds line
    wb["Assumptions"]["B4"] = 10  # and ten rounds a year instead of twelve
    wb.save(path)
    (recalculated,) = convert(soffice, [path], tmp_path / "recalc")
    out = openpyxl.load_workbook(recalculated, data_only=True)
    assert out["Checks"]["B3"].value == "FAIL"
    first = run.estimate.rounds[0]
    total = exact(out["Rounds"]["K4"].value)
    assert total > first.total
    failing = [r for r in checks_rows(out["Checks"]) if r["Result"] == "FAIL"]
    assert {r["Figure"] for r in failing} >= {"Mean per round: round", "Annual cost"}
