"""The savings in the Excel workbook (``estimate --excel`` and ``savings --excel`` with a survey):
sheet order, sheet Savings (respondents with formulas, Table 21, the year, the bootstrap, the staff),
the Summary's savings page and chart, the Checks rows, the CLI, and safety (survey text is never a
formula). LibreOffice recalculation of these figures is in test_excel_libreoffice.py."""

from __future__ import annotations

import re
import shutil

import openpyxl
import pytest
from test_excel import NASTY, _formulas, assert_same_workbook

from sr_cost.api import run_estimate
from sr_cost.core.savings import SavingsAssumptions
from sr_cost.core.unit_costs import AbsenceBasis
from sr_cost.excel import workbook as excel

from conftest import ROOT, TRIAL, invoke

SMALL = ROOT / "tests" / "fixtures" / "small"
SHEETS = ["Summary", "By LA", "Rounds", "Lines", "Unit costs", "Assumptions", "Checks"]
WITH_SAVINGS = ["Summary", "By LA", "Rounds", "Lines", "Unit costs", "Savings", "Assumptions", "Checks"]
# the trial's survey has GHQ-12 columns: its workbook has the cost-effectiveness sheet after Savings
WITH_EFFECT = WITH_SAVINGS[:6] + ["Cost-effectiveness"] + WITH_SAVINGS[6:]
RESPONDENT_HEADER = 4
QUICK = SavingsAssumptions(bootstrap=200, absence_basis=AbsenceBasis.unit_cost)  # Table 21's basis


@pytest.fixture(scope="module")
def trial_savings(tmp_path_factory):
    path = tmp_path_factory.mktemp("excel-savings") / "trial.xlsx"
    run = run_estimate(TRIAL, savings_assumptions=QUICK)
    excel.write_workbook(
        path,
        run,
        command="sr-cost savings examples/trial --bootstrap 200 --absence-basis unit-cost --excel trial.xlsx",
        savings=run.savings,
    )
    return path, run


def respondents(ws):
    header = [c.value for c in ws[RESPONDENT_HEADER]]
    rows = []
    for cells in ws.iter_rows(min_row=RESPONDENT_HEADER + 1):
        if cells[0].value is None:
            break
        rows.append(dict(zip(header, cells)))
    return rows


def test_sheet_order_with_and_without_a_survey(trial_savings):
    path, _ = trial_savings
    assert openpyxl.load_workbook(path).sheetnames == WITH_EFFECT
    assert excel.build_workbook(run_estimate(SMALL)).sheetnames == SHEETS
    # a run with savings but no outcome has no Cost-effectiveness sheet
    no_outcome = run_estimate(TRIAL, savings_assumptions=QUICK, effect=None)
    assert excel.build_workbook(no_outcome, savings=no_outcome.savings).sheetnames == WITH_SAVINGS
    # a run with savings, written without them (the library's choice), has no Savings sheet
    assert excel.build_workbook(trial_savings[1]).sheetnames == SHEETS


def test_respondents_have_provenance_values_and_formulas(trial_savings):
    path, run = trial_savings
    ws = openpyxl.load_workbook(path)["Savings"]
    rows = respondents(ws)
    assert len(rows) == len(run.savings.respondents) == 236
    by_role = next(r for r in rows if r["Salary (£ a year)"].value is None)
    by_salary = next(r for r in rows if r["Salary (£ a year)"].value is not None)
    first = rows[0]
    respondent = run.savings.respondents[0]
    assert (
        first["File"].value,
        first["Row"].value,
        first["LA"].value,
        first["Respondent"].value,
        first["Group"].value,
    ) == ("survey.csv", respondent.row, respondent.la, respondent.respondent, respondent.group.value)
    r = by_role["Hourly cost (£/hour)"].row
    assert by_role["Hourly cost (£/hour)"].value == f"=INDEX(UnitCostRates,MATCH(O{r},UnitCostRoles,0))"
    assert by_role["Hourly cost from"].value == "role's unit cost"
    salary = by_salary["Hourly cost (£/hour)"].value
    assert salary.startswith("=ROUND(") and "SuperannuationRate" in salary and "WorkingHoursPerYear" in salary
    assert by_salary["Hourly cost from"].value == "derived from salary"
    assert first["Hours a day"].value == "=HoursPerSickDay"
    assert first["Sickness cost (£)"].value == f"=J{first['Row'].row}*H{first['Row'].row}*K{first['Row'].row}"
    assert ws.freeze_panes == f"A{RESPONDENT_HEADER + 1}"
    assert ws.auto_filter.ref == f"A{RESPONDENT_HEADER}:P{RESPONDENT_HEADER + len(rows)}"
    assert ws.print_title_rows is None  # the results page would print under the respondents' header
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert first["Sickness cost (£)"].number_format == "£#,##0.00"


@pytest.mark.parametrize(
    "basis, salary_part, role_part",
    [
        (AbsenceBasis.employer, "=ROUND((I{r}+I{r}*SuperannuationRate", "UnitCostOnCosts"),
        (AbsenceBasis.salary, "=ROUND(I{r}/WorkingHoursPerYear,2)", "=ROUND(INDEX(UnitCostSalaries,"),
    ],
)
def test_every_absence_basis_has_its_formula(basis, salary_part, role_part):
    run = run_estimate(TRIAL, savings_assumptions=SavingsAssumptions(bootstrap=0, absence_basis=basis))
    ws = excel.build_workbook(run, savings=run.savings)["Savings"]
    rows = respondents(ws)
    by_role = next(r for r in rows if r["Salary (£ a year)"].value is None)["Hourly cost (£/hour)"]
    by_salary = next(r for r in rows if r["Salary (£ a year)"].value is not None)["Hourly cost (£/hour)"]
    assert by_salary.value.startswith(salary_part.format(r=by_salary.row))
    assert role_part in by_role.value


def test_table_21_year_and_bootstrap_blocks(trial_savings):
    path, run = trial_savings
    wb = openpyxl.load_workbook(path)
    ws = wb["Savings"]
    cells = {c.value: c for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    # Table 21 by formula: AVERAGEIFS over the respondents by sr-cost's phase number and group
    formulas = [c.value for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert (
        '=AVERAGEIFS(SicknessCost,RespondentPhaseNo,$B{},RespondentGroup,"intervention")'.format(
            cells["Combined (report)"].row - 2
        )
        in formulas
    )
    assert any(f.startswith("=AVERAGE(G") for f in formulas)  # combined: the mean of the phase figures
    assert '=AVERAGEIFS(SicknessCost,RespondentGroup,"control")' in formulas  # pooled
    assert any(f.endswith("*12/RecallMonths") for f in formulas)
    assert any(re.fullmatch(r'=SUMIFS\(StaffAnnualCost,StaffPhaseNo,\$B\d+,StaffCounted,"yes"\)', f) for f in formulas)
    assert any("*HoursPerSickDay)" in f for f in formulas)  # break-even
    assert any(f.startswith("=RoundsPerYear*SUMIFS(Rounds!$K:$K,Rounds!$B:$B,") for f in formulas)  # staff rows
    # the bootstrap: values, labelled with the resamples and the seed
    assert "How sure? 95% intervals from 200 bootstrap resamples (seed 2021)" in cells
    # the link from the top to the results
    assert ws["A3"].hyperlink.location.startswith("Savings!A")
    assert set(wb.defined_names) >= {
        "HoursPerSickDay",
        "RecallMonths",
        "SicknessCost",
        "HourlyCost",
        "SickDays",
        "RespondentGroup",
        "RespondentPhaseNo",
        "StaffAnnualCost",
        "StaffCounted",
        "StaffIntervention",
        "StaffPhaseNo",
        "EmployerNiRate",
        "WorkingHoursPerYear",
        "UnitCostSalaries",
        "UnitCostOnCosts",
    }


def test_summary_savings_page_and_chart(trial_savings):
    path, _ = trial_savings
    ws = openpyxl.load_workbook(path)["Summary"]
    values = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    numbers = {f"{v:.2f}" for v in values if isinstance(v, (int, float))}
    # report Table 21: intervention, control and saving per phase, and combined
    assert {"1862.84", "2129.55", "266.71", "1247.40", "1331.78", "84.38", "1555.12", "1730.67", "175.55"} <= numbers
    assert {"568625.72", "113110.20", "-455515.52", "0.31"} <= numbers
    assert any(isinstance(v, str) and v.startswith("Phase 1: the saving per staff member is £266.71") for v in values)
    assert ws["A1"].value == "Schwartz Rounds: what they cost and what they may save"
    charts = ws._charts
    assert len(charts) == 4
    chart = next(c for c in charts if "annual saving" in c.title.tx.rich.p[0].r[0].t)
    assert chart.title.tx.rich.p[0].r[0].t == "Annual running cost against annual saving per phase"
    assert len(chart.series) == 2
    assert [c.value for c in ws.iter_rows() for c in c if c.data_type == "f"] == ["=Checks!$B$3"]


def test_checks_cover_the_savings(trial_savings):
    path, run = trial_savings
    ws = openpyxl.load_workbook(path)["Checks"]
    rows = [r for r in ws.iter_rows(min_row=7, values_only=True) if r[0] and r[0].startswith("Savings:")]
    assert len(rows) == 14 * len(run.savings.phases) + 3 * 2
    assert all(re.fullmatch(r"=Savings!\$[A-Z]+\$\d+", r[5]) for r in rows)
    assert all(re.fullmatch(r"=Summary!\$[A-Z]+\$\d+", r[6]) for r in rows)
    master = ws["B3"].value
    last = int(re.search(r"I7:I(\d+)", master).group(1))
    assert last == ws.max_row  # the master check covers every row, the savings included


def test_assumptions_list_the_savings_parameters(trial_savings):
    path, _ = trial_savings
    rows = {r[0]: r for r in openpyxl.load_workbook(path)["Assumptions"].iter_rows(values_only=True) if r[0]}
    assert rows["Hours in a day of sickness absence"][1] == 7.5
    assert rows["Recall period of the survey"][1] == 6
    assert rows["Bootstrap resamples"][1] == 200 and rows["Bootstrap resamples"][3].startswith("--bootstrap")
    assert rows["Bootstrap seed"][1] == 2021
    assert rows["Basis of the hourly cost of absence"][1] == "unit-cost"
    assert (
        rows["Command"][1]
        == "sr-cost savings examples/trial --bootstrap 200 --absence-basis unit-cost --excel trial.xlsx"
    )


# --- the CLI ---------------------------------------------------------------------------------------


def test_savings_excel_option(runner, tmp_path):
    out = tmp_path / "savings.xlsx"
    result = invoke(runner, "savings", str(TRIAL), "--bootstrap", "200", "--excel", str(out))
    assert result.exit_code == 0, result.output
    assert "Wrote" in result.stderr and "£266.71" in result.stdout
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == WITH_EFFECT
    command = next(r[1] for r in wb["Assumptions"].iter_rows(values_only=True) if r[0] == "Command")
    assert command == f"sr-cost savings {TRIAL} --bootstrap 200 --excel {out}"


def test_estimate_excel_includes_the_savings(runner, tmp_path):
    out = tmp_path / "estimate.xlsx"
    result = invoke(runner, "estimate", str(TRIAL), "--bootstrap", "200", "--excel", str(out))
    assert result.exit_code == 0, result.output
    assert openpyxl.load_workbook(out).sheetnames == WITH_EFFECT
    out = tmp_path / "small.xlsx"
    assert invoke(runner, "estimate", str(SMALL), "--excel", str(out)).exit_code == 0
    assert openpyxl.load_workbook(out).sheetnames == SHEETS


def test_savings_excel_refuses_bad_outputs(runner, tmp_path):
    forms = tmp_path / "forms.xlsx"
    assert invoke(runner, "template", str(forms), "--example").exit_code == 0
    before = forms.read_bytes()
    result = invoke(runner, "savings", str(forms), "--excel", str(forms))
    assert result.exit_code == 2 and "is one of the inputs" in result.stderr
    assert forms.read_bytes() == before
    result = invoke(runner, "savings", str(TRIAL), "--excel", str(tmp_path / "s.xlsx"), "-o", str(tmp_path / "s.xlsx"))
    assert result.exit_code == 2
    result = invoke(runner, "savings", str(TRIAL), "--excel", str(tmp_path / "s.csv"))
    assert result.exit_code == 2 and ".xlsx" in result.stderr
    assert not list(tmp_path.glob("s.*"))


def test_savings_excel_is_written_whole_or_not_at_all(runner, tmp_path, monkeypatch):
    out = tmp_path / "savings.xlsx"
    out.write_bytes(b"the old workbook")

    def broken_save(self, filename):
        open(filename, "wb").write(b"half a workbook")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(openpyxl.Workbook, "save", broken_save)
    result = invoke(runner, "savings", str(TRIAL), "--bootstrap", "0", "--excel", str(out))
    assert result.exit_code == 2 and "No space left" in result.stderr
    assert out.read_bytes() == b"the old workbook"
    assert [p.name for p in tmp_path.iterdir()] == ["savings.xlsx"]


def test_savings_without_a_survey_writes_nothing(runner, tmp_path):
    out = tmp_path / "s.xlsx"
    result = invoke(runner, "savings", str(SMALL), "--excel", str(out))
    assert result.exit_code == 1 and not out.exists()


# --- safety ----------------------------------------------------------------------------------------

HEADER = "la,phase,round,mode,item,role,rate,staff,hours,miles,cost\n"


@pytest.fixture
def nasty_survey(tmp_path):
    """The small fixture's forms with a survey whose LAs, respondent ids and roles a spreadsheet would
    run as formulas or read as criteria."""
    forms = tmp_path / "forms"
    shutil.copytree(SMALL, forms)
    (forms / "survey.csv").write_text(
        "la,phase,respondent,group,role,salary,sick_days\n"
        + '"=HYPERLINK(""http://x"",""y"")",1,=1+1,intervention,Social worker,,2\n'
        + "A,1,@cmd,control,=1+1,30000,3\n"
        + "A,1,*,intervention,Team manager,,1\n"
        + 'A,1,>5,control,"+SUM(1,2)",25000,0\n'
        + "B,2,#REF!,intervention,-2+3,28000,4\n"
        + "B,2,=1+1,control,Social worker,,1\n"
    )
    (forms / "staff.csv").write_text("la,phase,intervention_staff,control_staff\nA,1,10,10\n>5,2,3,3\n")
    return forms


def test_survey_text_is_never_a_formula(nasty_survey, tmp_path):
    out = tmp_path / "nasty.xlsx"
    run = run_estimate(nasty_survey, savings_assumptions=SavingsAssumptions(bootstrap=50))
    excel.write_workbook(out, run, savings=run.savings)
    allowed = {
        "IF",
        "ISNUMBER",
        "INDEX",
        "MATCH",
        "SUMIFS",
        "COUNTIFS",
        "COUNTIF",
        "ROWS",
        "AND",
        "ABS",
        "ROUND",
        "COUNT",
        "AVERAGE",
        "AVERAGEIFS",
        "MIN",
        "MAX",
        "UnitCostRates",
        "UnitCostRoles",
        "UnitCostSalaries",
        "UnitCostOnCosts",
        "StaffSetup",
        "StaffSetupIndirect",
        "HorizonYears",
        "DiscountRate",
        "not",
        "within",
        "MileageRate",
        "RoundsPerYear",
        "Tolerance",
        "Lines",
        "Rounds",
        "Checks",
        "By",
        "LA",
        "Summary",
        "Savings",
        "PASS",
        "FAIL",
        "rounds",
        "panel",
        "steering",
        "training",
        "attendance",
        "in",
        "person",
        "virtual",
        "intervention",
        "control",
        "yes",
        "HoursPerSickDay",
        "RecallMonths",
        "SicknessCost",
        "SickDays",
        "HourlyCost",
        "RespondentGroup",
        "RespondentPhaseNo",
        "StaffAnnualCost",
        "StaffCounted",
        "StaffIntervention",
        "StaffPhaseNo",
        "StaffFixedYear",
        "StaffRoundsPerYear",
        "PeriodMonths",
        "SuperannuationRate",
        "EmployerNiRate",
        "NiThresholdPerWeek",
        "DaysPerYear",
        "DirectOverheadsRate",
        "IndirectOverheadsRate",
        "CapitalOverheads",
        "WorkingHoursPerYear",
    }
    for formulas in _formulas(out).values():
        for f in formulas:
            words = set(re.findall(r"[A-Za-z_]{2,}", re.sub(r"\$?[A-Z]{1,3}\$?\d+", "", f)))
            assert words <= allowed, (f, words - allowed)
            assert "HYPERLINK" not in f and "cmd" not in f and ">5" not in f and "REF" not in f
    wb = openpyxl.load_workbook(out)
    ws = wb["Savings"]
    texts = {c.value for row in ws.iter_rows() for c in row if c.data_type == "s"}
    for text in NASTY[:6] + ["*", ">5"]:
        assert text in texts, text
    cell = next(c for row in ws.iter_rows() for c in row if c.value == "=1+1" and c.data_type == "s")
    assert cell.quotePrefix
    assert [r["Counted"].value for r in _staff_rows(ws)] == ["yes", "no"]  # >5 has no cost forms
    in_memory = tmp_path / "in-memory.xlsx"
    excel.build_workbook(run, savings=run.savings).save(in_memory)
    assert_same_workbook(out, in_memory)  # the respondents written as XML are the cells made in memory


def test_streamed_savings_workbook_equals_the_one_built_in_memory(trial_savings, tmp_path):
    path, run = trial_savings
    in_memory = tmp_path / "in-memory.xlsx"
    excel.build_workbook(
        run,
        command="sr-cost savings examples/trial --bootstrap 200 --absence-basis unit-cost --excel trial.xlsx",
        savings=run.savings,
    ).save(in_memory)
    assert_same_workbook(path, in_memory)


def _staff_rows(ws):
    top = next(
        c.row
        for row in ws.iter_rows()
        for c in row
        if c.value == "Staff randomised (the staff sheet), and the annual running cost of each LA counted"
    )
    header = [c.value for c in ws[top + 1]]
    return [dict(zip(header, cells)) for cells in ws.iter_rows(min_row=top + 2) if cells[0].value]
