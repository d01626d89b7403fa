"""The unit-cost table and its derivation (issue 2)."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sr_cost.core.unit_costs import Params, check_table, derive, unit_cost_hours
from sr_cost.errors import DataError
from sr_cost.inputs.unit_costs import build_table, load_table

from conftest import ROOT, UNIT_COSTS

# Appendix 1 of the report, as printed (£, 2019): role -> (salary, on-costs, overheads, unit cost).
# Typed from the report's table, independently of unit_costs/pssru_2019.csv, so that a change to
# the CSV that breaks a published figure fails here.
PUBLISHED = {
    "Administration role/business support officer": ("22371.50", "5724.71", "15834.30", "29.04"),
    "Advanced practitioner": ("38735.50", "10764.83", "25466.15", "49.55"),
    "Assistant head of service": ("71259.00", "20782.06", "44609.48", "90.32"),
    "Assistant manager": ("29656.50", "7968.49", "20122.25", "38.17"),
    "Assistant team manager": ("37516.50", "10389.37", "24748.64", "48.02"),
    "Autism practitioner": ("21337.50", "5406.24", "15225.68", "27.74"),
    "Business support coordinator": ("30867.50", "8341.48", "20835.04", "39.69"),
    "Case manager": ("31937.50", "8671.04", "21464.84", "41.03"),
    "Case/child/family/key worker": ("25271.00", "6617.76", "17540.94", "32.67"),
    "Child protection coordinator/independent reviewing officer": ("40283.00", "11241.46", "26377.00", "51.49"),
    "Clinical supervisor": ("53653.50", "15359.57", "34246.88", "68.25"),
    "Consultant social worker": ("48727.50", "13842.36", "31347.44", "62.07"),
    "Contact service/support worker": ("20816.50", "5245.77", "14919.02", "27.09"),
    "Crime prevention worker": ("28131.00", "7498.64", "19224.34", "36.26"),
    "Early help inclusion officer": ("28131.00", "7498.64", "19224.34", "36.26"),
    "Early years practitioner": ("23131.00", "5958.64", "16281.34", "29.99"),
    "Family support practitioner (SEN)": ("28131.00", "7498.64", "19224.34", "36.26"),
    "Family support worker": ("30000.00", "8074.29", "20324.43", "38.60"),
    "FGC coordinator": ("24000.00", "6226.29", "16792.83", "31.08"),
    "Group manager": ("57845.00", "16650.55", "36714.00", "73.50"),
    "Head of service": ("65434.50", "18988.12", "41181.18", "83.02"),
    "Lead": ("52058.50", "14868.31", "33308.06", "66.25"),
    "Operations manager": ("39308.50", "10941.31", "25803.41", "50.27"),
    "Organisational development consultant": ("38804.50", "10786.08", "25506.76", "49.63"),
    "Parenting coordinator": ("35818.06", "9866.25", "23748.94", "45.89"),
    "Personal advisor": ("26268.50", "6924.99", "18128.07", "33.92"),
    "Practice development manager": ("53653.50", "15359.57", "34246.88", "68.25"),
    "Practice manager": ("42941.00", "12060.12", "27941.50", "54.82"),
    "Principal social worker": ("45713.00", "12913.90", "29573.10", "58.29"),
    "Professional practice L & D officer": ("37373.50", "10345.33", "24664.47", "47.84"),
    "Project manager": ("38001.50", "10538.75", "25034.11", "48.63"),
    "Quality assurance manager": ("33373.50", "9113.33", "22310.07", "42.83"),
    "Residential worker": ("24124.50", "6264.64", "16866.11", "31.23"),
    "Senior HR advisor": ("35013.50", "9618.45", "23275.38", "44.88"),
    "Senior manager": ("58500.00", "16852.29", "37099.53", "74.32"),
    "Senior practice educator": ("25863.00", "6800.10", "17889.39", "33.41"),
    "Senior practitioner": ("35198.00", "9675.28", "23383.97", "45.11"),
    "Senior social worker": ("39784.50", "11087.92", "26083.59", "50.86"),
    "Sensory advisory teacher": ("35877.50", "9884.56", "23783.93", "45.97"),
    "Service manager": ("51233.50", "14614.21", "32822.47", "65.21"),
    "Social work assistant": ("25238.00", "6607.60", "17521.52", "32.63"),
    "Social worker": ("34748.00", "9536.68", "23119.10", "44.55"),
    "Specialist support teacher": ("32431.50", "8823.19", "21755.61", "41.65"),
    "Systemic family therapist": ("40177.00", "11208.81", "26314.61", "51.36"),
    "Team manager": ("48628.50", "13811.87", "31289.17", "61.95"),
    "Trainee educational psychologist": ("27973.00", "7449.98", "19131.34", "36.06"),
    "Workforce manager": ("43663.12", "12282.53", "28366.54", "55.73"),
    "Youth advocate": ("19363.50", "4798.25", "14063.79", "25.26"),
}


def test_bundled_table_is_the_published_appendix():
    table = load_table()
    assert table.price_year == 2019
    assert len(table.roles) == 48
    got = {
        r.role: (f"{r.salary:.2f}", f"{r.on_costs:.2f}", f"{r.overheads:.2f}", f"{r.unit_cost_hour:.2f}")
        for r in table.roles
    }
    assert got == PUBLISHED


@pytest.mark.parametrize("role", sorted(PUBLISHED))
def test_derivation_reproduces_every_published_row(role):
    salary, on_costs, overheads, unit = (D(x) for x in PUBLISHED[role])
    d = derive(salary, Params())
    assert d.unit_cost_hour == unit
    assert abs(d.on_costs - on_costs) <= D("0.01")
    assert abs(d.overheads - overheads) <= D("0.01")


@given(
    st.lists(st.decimals(min_value=0, max_value=500_000, places=2), max_size=30),
    st.decimals(min_value=0, max_value=500, places=2),
)
def test_unit_cost_hours_is_derive_for_every_salary(salaries, weekly_threshold):
    """The batch used for a survey's salaries gives exactly ``derive``'s unit cost, including for
    salaries at and below the NI threshold (none of the NI rate is charged below it)."""
    params = Params(ni_secondary_threshold_per_week_gbp=weekly_threshold)
    salaries = salaries + [D(0), weekly_threshold * 52]
    assert unit_cost_hours(salaries, params) == [derive(s, params).unit_cost_hour for s in salaries]


def test_social_worker_by_hand():
    """Social worker, salary £34,748.00 (2019 parameters):
    threshold 162 x 365 / 7 = 8,447.142857...; NI 0.138 x (34,748 - 8,447.142857) = 3,629.518...
    superannuation 0.17 x 34,748 = 5,907.16; on-costs 9,536.678...
    overheads 0.45 x 44,284.678... + 3,191 = 23,119.105...
    unit cost (34,748 + 9,536.678 + 23,119.105) / 1,513 = 67,403.784 / 1,513 = 44.549... -> £44.55
    """
    d = derive(D("34748.00"), Params())
    assert f"{d.employer_ni:.3f}" == "3629.518"
    assert d.superannuation == D("5907.16")
    assert f"{d.on_costs:.2f}" == "9536.68"
    assert f"{d.overheads:.2f}" == "23119.11"  # the report prints 23,119.10 (within £0.01)
    assert d.unit_cost_hour == D("44.55")


def test_check_passes_on_bundled_table():
    assert check_table(load_table()) == []


def test_check_finds_an_edited_row(tmp_path):
    text = UNIT_COSTS.read_text().replace(
        "Social worker,34748.00,9536.68,23119.10,44.55", "Social worker,34748.00,9536.68,23119.10,44.56"
    )
    (tmp_path / "t.csv").write_text(text)
    mismatches = check_table(load_table(tmp_path / "t.csv"))
    assert [(m.role, m.field, str(m.published)) for m in mismatches] == [("Social worker", "unit_cost_hour", "44.56")]


def test_build_from_published_salaries_reproduces_unit_costs(tmp_path):
    rows = ["role,salary"] + [f'"{role}",{v[0]}' for role, v in PUBLISHED.items()]
    (tmp_path / "salaries.csv").write_text("\n".join(rows) + "\n")
    table = build_table(tmp_path / "salaries.csv")
    assert {r.role: f"{r.unit_cost_hour:.2f}" for r in table.roles} == {k: v[3] for k, v in PUBLISHED.items()}
    assert all(r.derived for r in table.roles)


def test_table_with_only_salaries_is_derived(tmp_path):
    (tmp_path / "mine.csv").write_text("role,salary\nSocial worker,34748\n")
    table = load_table(tmp_path / "mine.csv")
    assert table.find("social worker").unit_cost_hour == D("44.55")


def test_params_beside_table_are_used(tmp_path):
    (tmp_path / "mine.csv").write_text("role,salary\nSocial worker,34748\n")
    (tmp_path / "mine.toml").write_text(
        "[source]\nname='mine'\nprice_year=2024\n[parameters]\nworking_hours_per_year=1000\n"
    )
    table = load_table(tmp_path / "mine.csv")
    # 67,403.784 / 1,000 = 67.40
    assert table.find("Social worker").unit_cost_hour == D("67.40")
    assert table.price_year == 2024


def test_lookup_ignores_case_and_spacing():
    table = load_table()
    assert table.find("  social   WORKER ").role == "Social worker"
    assert table.find("social workr") is None
    assert table.suggestions("social workr")[0] == "Social worker"


def test_xlsx_table(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Role", "Salary"])
    ws.append(["Social worker", 34748])
    wb.save(tmp_path / "t.xlsx")
    assert load_table(tmp_path / "t.xlsx").find("social worker").unit_cost_hour == D("44.55")


def test_xlsx_table_ignores_a_notes_sheet_after_it(tmp_path):
    """Only the table's sheet is read: free text on a later sheet (beside its first row, where
    a form would report it as outside the columns) is none of sr-cost's business."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Role", "Salary"])
    ws.append(["Social worker", 34748])
    notes = wb.create_sheet("Notes")
    notes.append(["Source", "our 2024 pay scales"])
    notes["F3"] = "ask finance about the on-costs"
    wb.save(tmp_path / "t.xlsx")
    assert load_table(tmp_path / "t.xlsx").find("social worker").unit_cost_hour == D("44.55")


def _problems(path: Path, params: Path | None = None):
    with pytest.raises(DataError) as info:
        load_table(path, params)
    return info.value.problems


def test_bad_tables_report_every_problem(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("role,salary\nSocial worker,abc\nTeam manager,-5\nsocial  worker,30000\n,100\n")
    problems = _problems(bad)
    summary = [(p.row, p.column, p.value) for p in problems]
    assert summary == [(2, "salary", "abc"), (3, "salary", "-5"), (4, "role", "social  worker"), (5, "role", "")]
    assert all(p.file == str(bad) for p in problems)
    assert "twice" in problems[2].message


def test_missing_column_and_unreadable(tmp_path):
    (tmp_path / "nocol.csv").write_text("name,pay\nx,1\n")
    assert "missing column" in _problems(tmp_path / "nocol.csv")[0].message
    assert "cannot be read" in _problems(tmp_path / "nope.csv")[0].message


def test_malformed_params(tmp_path):
    (tmp_path / "t.csv").write_text("role,salary\nSocial worker,34748\n")
    (tmp_path / "p.toml").write_text("[parameters]\nworking_hours_per_year = -3\nbogus = 1\n")
    problems = _problems(tmp_path / "t.csv", tmp_path / "p.toml")
    assert {p.column for p in problems} == {"parameters.working_hours_per_year", "parameters.bogus"}
    (tmp_path / "q.toml").write_text("this is not toml = = \n")
    assert "not valid TOML" in _problems(tmp_path / "t.csv", tmp_path / "q.toml")[0].message


def test_bundled_table_found_from_any_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert len(load_table().roles) == 48
    assert (ROOT / "unit_costs" / "pssru_2019.toml").is_file()
