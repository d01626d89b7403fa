"""The test that matters: open the exported workbook in a real spreadsheet program (LibreOffice),
let it recalculate every formula, and compare. Every recalculated figure must equal sr-cost's own
output (the JSON, and the CSV for the per-mode rows of each LA) to the penny, the savings figures
too (``savings_to_dict``), each line's and each round's cost and each respondent's hourly and
sickness cost must equal the library's, and the master check must read PASS.

Skips without LibreOffice, except in CI (CI=true), where it fails (see soffice.py)."""

from __future__ import annotations

import csv
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest

from sr_cost.api import run_estimate
from sr_cost.core.costing import line_costs, reprice
from sr_cost.core.savings import SavingsAssumptions, sickness_cost
from sr_cost.core.unit_costs import AbsenceBasis
from sr_cost.excel import workbook as excel
from sr_cost.money import money_str
from sr_cost.outputs.json_csv import estimate_csv, estimate_to_dict
from sr_cost.outputs.json_savings import run_to_dict, savings_to_dict

from conftest import ROOT, TRIAL
from soffice import convert, soffice  # noqa: F401  (a fixture)

SMALL = ROOT / "tests" / "fixtures" / "small"
HEADER = "la,phase,round,mode,item,role,rate,staff,hours,miles,cost\n"
TINY = Decimal("0.000001")
QUICK = SavingsAssumptions(bootstrap=200, absence_basis=AbsenceBasis.unit_cost)  # Table 21's basis

LA_FIGURES = {
    "Rounds": "rounds",
    "Rounds a year": "rounds_per_year",
    "In-person rounds": "rounds_in_person",
    "Virtual rounds": "rounds_virtual",
    "Set-up: direct": ("setup", "direct"),
    "Set-up: indirect": ("setup", "indirect"),
    "Set-up: total": ("setup", "total"),
    "Mean per round: panel": ("per_round", "panel"),
    "Mean per round: round": ("per_round", "round"),
    "Mean per round: steering": ("per_round", "steering"),
    "Mean per round: total": ("per_round", "total"),
    "Attendances": "attendances",
    "Attendees per round": "attendees_per_round",
    "Cost per attendee": "cost_per_attendee",
    "Annual cost": "annual_cost",
    "First-year cost": "first_year_cost",
}
CSV_FIGURES = {
    "Rounds": "rounds",
    "Mean per round: panel": "panel_per_round",
    "Mean per round: round": "round_per_round",
    "Mean per round: steering": "steering_per_round",
    "Mean per round: total": "total_per_round",
    "Attendances": "attendances",
    "Attendees per round": "attendees_per_round",
    "Cost per attendee": "cost_per_attendee",
    "Annual cost": "annual_cost",
}
GROUP_FIGURES = {
    "LAs": "las",
    "Mean per round: total": "mean_total_per_round",
    "Lowest LA per round": "min_total_per_round",
    "Highest LA per round": "max_total_per_round",
    "Annual cost": "annual_cost",
    "Set-up: mean": "mean_setup",
    "Set-up: lowest LA": "min_setup",
    "Set-up: highest LA": "max_setup",
    "Rounds": "rounds",
    "Attendances": "attendances",
    "Cost per attendee": "cost_per_attendee",
}


# the savings rows of Checks -> the key of the phase (or of "combined" / "pooled") in savings_to_dict
SAVINGS_FIGURES = {
    "Savings: respondents, intervention": "n_intervention",
    "Savings: respondents, control": "n_control",
    "Savings: mean sick days, intervention": "mean_sick_days_intervention",
    "Savings: mean sick days, control": "mean_sick_days_control",
    "Savings: mean sickness cost, intervention": "mean_cost_intervention",
    "Savings: mean sickness cost, control": "mean_cost_control",
    "Savings: saving per staff member": "saving_per_staff",
    "Savings: annual saving per staff member": "annual_saving_per_staff",
    "Savings: LAs counted": "las_with_staff",
    "Savings: intervention staff": "intervention_staff",
    "Savings: annual saving total": "annual_saving_total",
    "Savings: annual running cost": "annual_running_cost",
    "Savings: net annual cost": "net_annual_cost",
    "Savings: break-even sick days": "break_even_sick_days_per_staff",
}


def expected_saving(payload: dict, figure: str, phase: str):
    """What ``savings_to_dict`` says for one savings row of Checks."""
    key = SAVINGS_FIGURES[figure]
    entry = (
        payload[phase] if phase in ("combined", "pooled") else next(p for p in payload["phases"] if p["phase"] == phase)
    )
    return len(entry[key]) if key == "las_with_staff" else entry[key]


# the decision rows of Checks -> the key of the phase's "decision" object in savings_to_dict
DECISION_FIGURES = {
    "Decision: set-up cost": "setup",
    "Decision: running cost a year": "running_cost_year",
    "Decision: saving a year": "saving_year",
    "Decision: net cost, first year": "net_first_year",
    "Decision: net cost, present value": "net_present_value",
    "Decision: £ back per £1": "roi",
    "Decision: £ back per £1, first year": "roi_first_year",
    "Decision: payback months": "payback_months",
    "Decision: most set-up fee per LA": "max_setup_fee",
    "Decision: most mean cost per round": "max_cost_per_round",
    "Decision: least saving per staff member": "break_even_saving_per_staff",
    "Decision: least sick days avoided": "break_even_sick_days_per_staff",
}


def expected_decision(payload: dict, figure: str, phase: str) -> str:
    """What ``savings_to_dict`` says for one decision row of Checks, to 2 places (as Summary shows it)."""
    value = next(p for p in payload["phases"] if p["phase"] == phase)["decision"][DECISION_FIGURES[figure]]
    return money_str(Decimal(value))


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
    assert header[:9] == [
        "Figure",
        "LA-phase no.",
        "LA",
        "Phase",
        "Mode",
        "Recomputed",
        "sr-cost",
        "Difference",
        "Result",
    ]
    return [dict(zip(header, r)) for r in ws.iter_rows(min_row=7, values_only=True) if r[0]]


def verify(recalculated, run) -> int:
    """Compare a recalculated workbook with sr-cost's JSON, CSV and library figures; return the number
    of figures compared."""
    payload = estimate_to_dict(run.estimate, run.table)
    saved = savings_to_dict(run.savings) if run.savings is not None else None
    csv_rows = list(csv.DictReader(io.StringIO(estimate_csv(run.estimate))))
    wb = openpyxl.load_workbook(recalculated, data_only=True)
    checks = wb["Checks"]
    assert checks["B3"].value == "PASS"
    compared = 0
    for row in checks_rows(checks):
        if row["Figure"].startswith("Cost-effectiveness:"):  # test_trial_cost_effectiveness_recalculated
            continue
        phase = None if row["Phase"] is None else str(row["Phase"])
        la = None if row["LA"] is None else str(row["LA"])
        if row["Figure"].startswith("Savings:"):
            want = expected_saving(saved, row["Figure"], phase)
        elif row["Figure"].startswith("Decision:"):
            want = expected_decision(saved, row["Figure"], phase)
        else:
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
        for name, want in (
            ("Panel (£)", rc.components.panel),
            ("Round (£)", rc.components.round),
            ("Steering (£)", rc.components.steering),
            ("Total (£)", rc.total),
            ("Attendance", rc.attendance),
            ("Lines", Decimal(rc.lines)),
        ):
            assert abs(exact(got[name]) - want) < TINY, (rc, name, got[name], want)
            compared += 1
    # each line's cost
    lines = wb["Lines"]
    costs = [r[0] for r in lines.iter_rows(min_row=4, min_col=20, max_col=20, values_only=True)]
    a = run.estimate.assumptions  # re-priced, when it was, as the costing does
    rate = a.mileage_rate * a.forms_money_factor
    want_costs = [
        cost
        for t in run.forms.lines.values()
        for cost in line_costs(reprice(t, a.staff_time_factor, a.forms_money_factor), rate)
    ]
    assert len(costs) == len(want_costs)
    for got, want in zip(costs, want_costs):
        assert abs(exact(got) - want) < TINY, (got, want)
        compared += 1
    if run.savings is not None:
        compared += verify_respondents(wb, run)
    else:
        assert "Savings" not in wb.sheetnames
    return compared


def verify_respondents(wb, run) -> int:
    """Each respondent's hourly cost (by formula: a look-up, or derived from the salary) and sickness
    cost against the library's exact figures."""
    ws = wb["Savings"]
    header = [c.value for c in ws[4]]
    rows = [
        dict(zip(header, r))
        for r in ws.iter_rows(min_row=5, max_row=4 + len(run.savings.respondents), values_only=True)
    ]
    hours = run.savings.assumptions.hours_per_day
    for got, r in zip(rows, run.savings.respondents, strict=True):
        assert (got["Row"], str(got["Respondent"])) == (r.row, r.respondent)
        assert abs(exact(got["Hourly cost (£/hour)"]) - r.hourly_cost) < TINY, (r, got)
        assert abs(exact(got["Sickness cost (£)"]) - sickness_cost(r, hours)) < TINY, (r, got)
    return 2 * len(rows)


@pytest.fixture(scope="module")
def trial(soffice, tmp_path_factory):  # noqa: F811
    folder = tmp_path_factory.mktemp("lo-trial")
    run = run_estimate(TRIAL, savings_assumptions=QUICK)
    path = folder / "trial.xlsx"
    excel.write_workbook(
        path, run, command="sr-cost estimate examples/trial --bootstrap 200 --excel trial.xlsx", savings=run.savings
    )
    (recalculated,) = convert(soffice, [path], folder / "recalc")
    return run, recalculated


def test_trial_recalculated_by_libreoffice_equals_the_json(trial):
    run, recalculated = trial
    compared = verify(recalculated, run)
    assert compared > 1000


def test_trial_savings_recalculated_equal_the_json(trial):
    """Every savings figure of the trial, recalculated from the 236 respondents, equals the JSON to
    the penny (and the break-even days to 2 dp): Table 21 per phase, combined and pooled, the annual
    saving totals, running costs, net costs and break-even days."""
    run, recalculated = trial
    saved = savings_to_dict(run.savings)
    rows = [
        r
        for r in checks_rows(openpyxl.load_workbook(recalculated, data_only=True)["Checks"])
        if r["Figure"].startswith("Savings:")
    ]
    assert len(rows) == 14 * 2 + 3 * 2  # every figure of both phases, and combined and pooled
    got = {(r["Figure"], str(r["Phase"])): as_json(r["Recomputed"]) for r in rows}
    assert all(r["Result"] == "PASS" for r in rows)
    for (figure, phase), value in got.items():
        want = expected_saving(saved, figure, phase)
        assert value == want or money_str(exact(value)) == want, (figure, phase, value, want)
    # the report's Table 21, and the net figures
    mean = "Savings: mean sickness cost, "
    assert [got[(mean + g, p)] for p in ("1", "2", "combined") for g in ("intervention", "control")] == [
        "1862.84",
        "2129.55",
        "1247.40",
        "1331.78",
        "1555.12",
        "1730.67",
    ]
    assert [got[("Savings: saving per staff member", p)] for p in ("1", "2", "combined", "pooled")] == [
        "266.71",
        "84.38",
        "175.55",
        "244.11",
    ]
    assert got[("Savings: net annual cost", "1")] == "-455515.52"
    assert got[("Savings: break-even sick days", "1")] == "0.31"


def test_headline_figures_after_recalculation(trial):
    _, recalculated = trial
    rows = checks_rows(openpyxl.load_workbook(recalculated, data_only=True)["Checks"])
    phase = {
        (r["Figure"], str(r["Phase"])): money_str(exact(r["Recomputed"]))
        for r in rows
        if r["LA"] == "all" and r["Mode"] == "all"
    }
    assert phase[("Mean per round: total", "1")] == "1885.17"
    assert phase[("Mean per round: total", "2")] == "429.21"
    assert phase[("Annual cost", "1")] == "22622.04" and phase[("Annual cost", "2")] == "5150.52"
    assert phase[("Set-up: mean", "all")] == "5854.57"


def test_awkward_labels_and_wildcard_roles_recalculate(soffice, tmp_path):  # noqa: F811
    """LA, round, respondent and role names that are formulas, criteria operators or wildcards: the
    formulas match on sr-cost's own numbers, and role look-ups escape * ? ~, so every check still
    passes, the savings' too."""
    forms = tmp_path / "forms"
    forms.mkdir()
    (forms / "rounds.csv").write_text(
        HEADER
        + '"=HYPERLINK(""http://x"",""y"")",1,=1+1,in-person,attendance,Social worker,,3,1,,\n'
        + '"=HYPERLINK(""http://x"",""y"")",1,=1+1,in-person,"+SUM(1,2)",@cmd,30,1,2,10,5\n'
        + '"=HYPERLINK(""http://x"",""y"")",1,#REF!,virtual,attendance,Senior*,,2,1,,\n'
        + "*,2,>5,virtual,-2+3,Worker?,,4,1,,\n"
        + ">5,2,*,in-person,Attendance,Social worker,,1,1.5,,12.50\n"
        + ">5,2,~1,virtual,attendance,Social worker,,2,1,7,\n"
    )
    (forms / "panel.csv").write_text(
        HEADER
        + '"=HYPERLINK(""http://x"",""y"")",1,,,@cmd,Social worker,,1,1,,\n'
        + "*,2,>5,,=1+1,Senior*,,1,2,,\n"
        + ">5,2,,,x,Worker?,,1,1,,\n"
    )
    (forms / "steering.csv").write_text(HEADER + ">5,2,~1,,meeting,Social worker,,3,1,,\n")
    (forms / "survey.csv").write_text(
        "la,phase,respondent,group,role,salary,sick_days\n"
        '"=HYPERLINK(""http://x"",""y"")",1,=1+1,intervention,Senior*,,2\n'
        '"=HYPERLINK(""http://x"",""y"")",1,@cmd,control,Social worker,,3.5\n'
        '"=HYPERLINK(""http://x"",""y"")",1,*,control,=1+1,30000,1\n'
        "*,2,>5,intervention,Worker?,,4\n"
        "*,2,~1,control,Social worker,,1\n"
        ">5,2,R1,intervention,,27500.50,2.5\n"
    )
    (forms / "staff.csv").write_text(
        'la,phase,intervention_staff,control_staff\n"=HYPERLINK(""http://x"",""y"")",1,5,5\n*,2,3,3\n>5,2,2,2\n'
    )
    table = tmp_path / "costs.csv"
    table.write_text(
        "role,salary,on_costs,overheads,unit_cost_hour\n"
        "Social worker,34748.00,10000,20000,44.55\nSenior worker,1,1,1,10.00\nSenior*,1,1,1,20.00\n"
        "Worker1,1,1,1,5.00\nWorker?,1,1,1,7.77\n"
    )
    run = run_estimate(
        forms,
        unit_costs=table,
        savings_assumptions=SavingsAssumptions(bootstrap=50, absence_basis=AbsenceBasis.unit_cost),
    )
    path = tmp_path / "awkward.xlsx"
    excel.write_workbook(path, run, savings=run.savings)
    (recalculated,) = convert(soffice, [path], tmp_path / "recalc")
    verify(recalculated, run)
    wb = openpyxl.load_workbook(recalculated, data_only=True)
    rates = {r[9]: r[13] for r in wb["Lines"].iter_rows(min_row=4, values_only=True)}
    assert rates["Senior*"] == 20 and rates["Worker?"] == 7.77  # not 'Senior worker', not 'Worker1'
    hourly = {r[14]: r[9] for r in wb["Savings"].iter_rows(min_row=5, max_row=10, values_only=True)}
    assert hourly["Senior*"] == 20 and hourly["Worker?"] == 7.77


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


def test_every_absence_basis_recalculates(soffice, tmp_path):  # noqa: F811
    """The hourly cost of absence on the employer and salary bases, from a salary (derived with the
    parameters on Assumptions) and from a role (its row of Unit costs), recalculates to the library's."""
    runs, paths = [], []
    for basis in (AbsenceBasis.employer, AbsenceBasis.salary):
        run = run_estimate(TRIAL, savings_assumptions=SavingsAssumptions(bootstrap=0, absence_basis=basis))
        path = tmp_path / f"{basis.value}.xlsx"
        excel.write_workbook(path, run, savings=run.savings)
        runs.append(run)
        paths.append(path)
    for run, recalculated in zip(runs, convert(soffice, paths, tmp_path / "recalc")):
        verify(recalculated, run)


def test_editing_hours_per_sick_day_changes_the_savings(soffice, tmp_path):  # noqa: F811
    """The Savings sheet is live: 7 hours in a sick day instead of 7.5 on Assumptions -> lower sickness
    costs, and the savings checks say FAIL while the costing's still PASS."""
    forms = tmp_path / "forms"
    forms.mkdir()
    for f in SMALL.iterdir():
        (forms / f.name).write_bytes(f.read_bytes())
    (forms / "survey.csv").write_text(
        "la,phase,respondent,group,role,salary,sick_days\n"
        "A,1,R1,intervention,Social worker,,2\nA,1,R2,control,Social worker,,4\n"
        "A,1,R3,control,,34748,1\n"
    )
    (forms / "staff.csv").write_text("la,phase,intervention_staff,control_staff\nA,1,10,10\n")
    run = run_estimate(forms, savings_assumptions=SavingsAssumptions(bootstrap=0, absence_basis=AbsenceBasis.unit_cost))
    path = tmp_path / "small.xlsx"
    excel.write_workbook(path, run, savings=run.savings)
    wb = openpyxl.load_workbook(path)
    ws = wb["Assumptions"]
    row = next(r for r in range(1, ws.max_row + 1) if ws[f"A{r}"].value == "Hours in a day of sickness absence")
    assert ws[f"B{row}"].value == 7.5
    ws[f"B{row}"] = 7
    wb.save(path)
    (recalculated,) = convert(soffice, [path], tmp_path / "recalc")
    out = openpyxl.load_workbook(recalculated, data_only=True)
    assert out["Checks"]["B3"].value == "FAIL"
    rows = checks_rows(out["Checks"])
    failing = {r["Figure"] for r in rows if r["Result"] == "FAIL"}
    assert {f for f in failing if not f.startswith("Decision:")} == {
        "Savings: mean sickness cost, intervention",
        "Savings: mean sickness cost, control",
        "Savings: saving per staff member",
        "Savings: annual saving per staff member",
        "Savings: annual saving total",
        "Savings: net annual cost",
        "Savings: break-even sick days",
    }
    # 44.55 x 2 x 7 = 623.70 (was 668.25 at 7.5 hours)
    first = next(r for r in rows if r["Figure"] == "Savings: mean sickness cost, intervention")
    assert money_str(exact(first["Recomputed"])) == "623.70"


def test_a_phase_without_staff_numbers_and_no_bootstrap(soffice, tmp_path):  # noqa: F811
    """A phase with no staff row has a saving but no totals (sr-cost leaves them out, and so does the
    workbook); with --bootstrap 0 there are no intervals; phase labels that are not numbers. Every
    figure shown still recalculates to the JSON."""
    forms = tmp_path / "forms"
    forms.mkdir()
    for f in SMALL.iterdir():
        text = f.read_text().replace("\nA,1,", "\nA,Year one,").replace("\nB,2,", "\nB,Year two,")
        (forms / f.name).write_text(text)
    (forms / "survey.csv").write_text(
        "la,phase,respondent,group,role,salary,sick_days\n"
        "A,Year one,R1,intervention,Social worker,,2\nA,Year one,R2,control,,34748,4\n"
        "B,Year two,R1,intervention,Social worker,,1\n"
        "B,Year two,R2,control,Family support worker,,3\n"
    )
    (forms / "staff.csv").write_text("la,phase,intervention_staff,control_staff\nA,Year one,10,10\n")
    run = run_estimate(forms, savings_assumptions=SavingsAssumptions(bootstrap=0, absence_basis=AbsenceBasis.unit_cost))
    assert run.savings.phases[1].annual_running_cost is None
    path = tmp_path / "partial.xlsx"
    excel.write_workbook(path, run, savings=run.savings)
    (recalculated,) = convert(soffice, [path], tmp_path / "recalc")
    verify(recalculated, run)
    rows = [
        r
        for r in checks_rows(openpyxl.load_workbook(recalculated, data_only=True)["Checks"])
        if r["Figure"].startswith("Savings:")
    ]
    assert {r["Figure"] for r in rows if r["Phase"] == "Year two"} == {
        "Savings: respondents, intervention",
        "Savings: respondents, control",
        "Savings: mean sick days, intervention",
        "Savings: mean sick days, control",
        "Savings: mean sickness cost, intervention",
        "Savings: mean sickness cost, control",
        "Savings: saving per staff member",
        "Savings: annual saving per staff member",
        "Savings: LAs counted",
        "Savings: intervention staff",
    }


def test_a_plans_year_re_priced_with_2025_unit_costs_recalculates(soffice, tmp_path):  # noqa: F811
    """A year's plan (about: 12 months) with steering tied to no round, a survey with salaries, the
    2025/26 table (its NI threshold is a year's), the forms' money at 2024 prices and everything
    re-priced to 2026 at 2% a year (staff time x 1.02, the forms' money x 1.0404): every check
    passes, and each line, round and respondent recalculates to the library's figures."""
    forms = tmp_path / "plan"
    forms.mkdir()
    (forms / "about.csv").write_text("key,value\nperiod_months,12\nprice_year,2024/25\n")
    (forms / "training.csv").write_text(HEADER + "A,1,,,PoCF fee,,,,,,5000\nA,1,,,training,Social worker,,2,7.5,40,\n")
    (forms / "rounds.csv").write_text(
        HEADER
        + "".join(
            f"A,1,R{i},in-person,attendance,Social worker,,8,1,,\nA,1,R{i},in-person,catering,,,,,,20\n"
            f"A,1,R{i},in-person,facilitator,,35.00,1,1.5,12,\n"
            for i in range(1, 5)
        )
    )
    (forms / "panel.csv").write_text(HEADER + "A,1,R1,,panel preparation,Team manager,,1,1,,\n")
    (forms / "steering.csv").write_text(HEADER + "A,1,,,steering,Head of service,,3,1.5,,\nA,1,,,room,,,,,,60\n")
    (forms / "survey.csv").write_text(
        "la,phase,respondent,group,role,salary,sick_days\n"
        "A,1,R1,intervention,Social worker,,2\nA,1,R2,control,,41000,4\nA,1,R3,control,Team manager,,1\n"
    )
    (forms / "staff.csv").write_text("la,phase,intervention_staff,control_staff\nA,1,10,10\n")
    run = run_estimate(forms, unit_costs="2025", uplift_to="2026/27", uplift_pct=Decimal(2), savings_assumptions=QUICK)
    prices = run.estimate.assumptions.prices
    assert (prices.staff_time_factor, prices.forms_money_factor) == (Decimal("1.02"), Decimal("1.0404"))
    assert run.estimate.las[0].rounds_per_year == 4 and run.estimate.las[0].annual_steering is not None
    path = tmp_path / "plan.xlsx"
    excel.write_workbook(path, run, savings=run.savings)
    (recalculated,) = convert(soffice, [path], tmp_path / "recalc")
    assert verify(recalculated, run) > 50


def test_trial_cost_effectiveness_recalculated(trial):
    """Sheet Cost-effectiveness: each difference, cost per staff member (before and after the saving)
    and net monetary benefit recomputed by LibreOffice passes against the value shown and equals the
    JSON; the sheet has the two charts of each outcome (the curve and the plane)."""
    run, recalculated = trial
    ce = run_to_dict(run)["cost_effectiveness"]
    rows = [
        r
        for r in checks_rows(openpyxl.load_workbook(recalculated, data_only=True)["Checks"])
        if r["Figure"].startswith("Cost-effectiveness:")
    ]
    assert rows and all(r["Result"] == "PASS" for r in rows)
    got = {(r["Figure"], str(r["Phase"])): exact(r["Recomputed"]) for r in rows}
    for p in ce["phases"]:
        for o in p["outcomes"]:
            label = f" ({o['label']})"
            assert (
                money_str(got[("Cost-effectiveness: cost per staff" + label, p["phase"])])
                == (p["incremental_cost_per_staff"])
            )
            assert (
                money_str(got[("Cost-effectiveness: cost per staff before the saving" + label, p["phase"])])
                == (p["incremental_cost_per_staff_before_saving"])
            )
            difference = got[("Cost-effectiveness: difference" + label, p["phase"])]
            assert abs(difference - Decimal(o["difference"])) <= Decimal("0.00005")
    with zipfile.ZipFile(recalculated.parent.parent / "trial.xlsx") as z:  # the workbook sr-cost wrote
        charts = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/chart")]
    for o in ce["assumptions"]["wtp_points"]:
        label = ce["phases"][0]["outcomes"][[x["outcome"] for x in ce["phases"][0]["outcomes"]].index(o["outcome"])]
        for title in ("Acceptability curve: ", "Cost-effectiveness plane: "):
            assert sum(title + label["label"] + "<" in c for c in charts) == 1, title
