"""Invariants of the costing engine on generated forms (hypothesis).

Forms are generated as rows of text, as a user would type them, and go through the same
validation and costing as files do. The oracle for a line's cost is written out here again:
staff x hours x hourly rate + miles x 0.45 + cost, in Decimal.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sr_cost.api import run_estimate
from sr_cost.core.costing import Assumptions, estimate
from sr_cost.inputs.form_lines import validate_cost_forms
from sr_cost.inputs.forms import COST_COLUMNS, FormsBundle
from sr_cost.inputs.tables import RawRow, RawTable
from sr_cost.inputs.unit_costs import load_table
from sr_cost.outputs import json_savings as export

from conftest import ROOT, TRIAL, invoke

TABLE = load_table(None, None)
ROLES = [
    "Social worker",
    "Team manager",
    "Family support worker",
    "Administration role/business support officer",
    "Senior practitioner",
]
MILEAGE = Decimal("0.45")
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

staff_st = st.one_of(st.integers(0, 15).map(str), st.sampled_from(["", "0.5", "1.5", "2.25"]))
hours_st = st.sampled_from(["", "0", "0.25", "0.5", "0.75", "1", "1.5", "2", "7.5", "14"])
miles_st = st.one_of(st.just(""), st.integers(0, 300).map(str), st.sampled_from(["12.5", "291.3"]))
cost_st = st.one_of(
    st.just(""),
    st.integers(0, 500_000).map(lambda p: f"{p // 100}.{p % 100:02d}"),
    st.sampled_from(["£1,234.50", "5000"]),
)
rate_st = st.one_of(
    st.just(""), st.integers(100, 9_000).map(lambda p: f"{p // 100}.{p % 100:02d}"), st.sampled_from(["30.1234"])
)


@st.composite
def paid_line(draw, item: str) -> dict:
    """A line that is valid whatever its numbers: time is costed by a role or a rate."""
    rate = draw(rate_st)
    role = draw(st.sampled_from(ROLES)) if not rate or draw(st.booleans()) else ""
    return {
        "item": item,
        "role": role,
        "rate": rate,
        "staff": draw(staff_st),
        "hours": draw(hours_st),
        "miles": draw(miles_st),
        "cost": draw(cost_st),
    }


@st.composite
def forms_rows(draw) -> dict[str, list[dict]]:
    """Rows of the four forms for 1-4 LAs, 1-2 phases each, 1-4 rounds each."""
    out: dict[str, list[dict]] = {"training": [], "rounds": [], "panel": [], "steering": []}
    for la in draw(
        st.lists(st.sampled_from(["LA1", "LA2", "LA3", "LA12", "Kent"]), min_size=1, max_size=4, unique=True)
    ):
        for phase in draw(st.lists(st.sampled_from(["1", "2"]), min_size=1, max_size=2, unique=True)):
            base = {"la": la, "phase": phase}
            rounds = [f"R{i}" for i in range(1, draw(st.integers(1, 4)) + 1)]
            for rid in rounds:
                mode = draw(st.sampled_from(["in-person", "virtual"]))
                lines = [
                    {**draw(paid_line("attendance")), "role": role, "rate": ""}
                    for role in draw(st.lists(st.sampled_from(ROLES), min_size=1, max_size=3, unique=True))
                ]
                lines += [draw(paid_line(f"item {k}")) for k in range(draw(st.integers(0, 3)))]
                lines[0]["cost"] = lines[0]["cost"] or "1.00"  # every round costs something
                for k, line in enumerate(lines):
                    given_mode = mode if k == 0 or draw(st.booleans()) else ""
                    out["rounds"].append({**base, "round": rid, "mode": given_mode, **line})
            for form in ("panel", "steering"):
                for k in range(draw(st.integers(0, 3))):
                    rid = draw(st.sampled_from(rounds + [""]))
                    out[form].append({**base, "round": rid, "mode": "", **draw(paid_line(f"{form} {k}"))})
            for k in range(draw(st.integers(0, 2))):
                out["training"].append({**base, "round": "", "mode": "", **draw(paid_line(f"training {k}"))})
    return out


def bundle(rows: dict[str, list[dict]], order: list[str] | None = None) -> FormsBundle:
    tables = {}
    for form in order or list(rows):
        found = rows[form]
        if not found and form != "rounds":
            continue
        tables[form] = RawTable(
            file=f"{form}.csv",
            sheet="",
            headers={c: c for c in COST_COLUMNS},
            letters={},
            rows=[RawRow(row=i + 2, values={c: r.get(c, "") for c in COST_COLUMNS}) for i, r in enumerate(found)],
        )
    return FormsBundle(path="generated", inputs=(), tables=tables)


def run(rows: dict[str, list[dict]], **kwargs):
    forms = validate_cost_forms(bundle(rows, **kwargs), TABLE)
    return forms, estimate(forms, Assumptions())


def number(text: str, default: str) -> Decimal:
    return Decimal((text or default).replace("£", "").replace(",", ""))


def line_cost(r: dict) -> tuple[Decimal, Decimal, Decimal]:
    """(staff time, mileage, direct cost) of a generated line, worked out independently."""
    rate = number(r["rate"], "0") if r["rate"] else (TABLE.find(r["role"]).unit_cost_hour if r["role"] else Decimal(0))
    return (
        number(r["staff"], "1") * number(r["hours"], "0") * rate,
        number(r["miles"], "0") * MILEAGE,
        number(r["cost"], "0"),
    )


def as_dict(est) -> dict:
    return export.estimate_to_dict(est, TABLE)


@SETTINGS
@given(forms_rows())
def test_totals_are_the_sums_of_components_and_of_lines_exactly(rows):
    forms, est = run(rows)
    for la in est.las:
        mine = {form: [r for r in rows[form] if (r["la"], r["phase"]) == (la.la, la.phase)] for form in rows}
        by_form = {
            form: sum((sum(line_cost(r), Decimal(0)) for r in found), Decimal(0)) for form, found in mine.items()
        }
        assert la.total_cost == by_form["rounds"] + by_form["panel"] + by_form["steering"]
        assert abs(la.per_round.round * la.rounds - by_form["rounds"]) < Decimal("1e-20")  # a mean: a division
        rounds = [r for r in est.rounds if (r.la, r.phase) == (la.la, la.phase)]
        assert sum((r.components.round for r in rounds), Decimal(0)) == by_form["rounds"]
        for component in ("panel", "steering"):  # untied lines are shared out: a division
            shared = sum((getattr(r.components, component) for r in rounds), Decimal(0))
            assert abs(shared - by_form[component]) < Decimal("1e-20")
        for r in rounds:
            assert r.total == r.components.panel + r.components.round + r.components.steering
        if mine["training"]:
            direct = sum((line_cost(r)[2] for r in mine["training"]), Decimal(0))
            indirect = sum((line_cost(r)[0] + line_cost(r)[1] for r in mine["training"]), Decimal(0))
            assert (la.setup.direct, la.setup.indirect, la.setup.total) == (direct, indirect, direct + indirect)
        else:
            assert la.setup is None
        assert la.attendances == sum(
            (number(r["staff"], "1") for r in mine["rounds"] if r["item"] == "attendance"), Decimal(0)
        )


@SETTINGS
@given(forms_rows(), st.randoms(use_true_random=False))
def test_reordering_rows_or_files_changes_nothing(rows, rnd):
    _, est = run(rows)
    shuffled = {form: rnd.sample(found, len(found)) for form, found in rows.items()}
    order = rnd.sample(list(rows), len(rows))
    _, again = run(shuffled, order=order)
    assert as_dict(again) == as_dict(est)


@SETTINGS
@given(forms_rows())
def test_an_las_figures_do_not_depend_on_the_other_las(rows):
    _, est = run(rows)
    everyone = {(la["la"], la["phase"]): la for la in as_dict(est)["las"]}
    for name in {r["la"] for r in rows["rounds"]}:
        alone = {form: [r for r in found if r["la"] == name] for form, found in rows.items()}
        _, own = run(alone)
        for la in as_dict(own)["las"]:
            assert la == everyone[(la["la"], la["phase"])]


@SETTINGS
@given(forms_rows())
def test_doubling_every_staff_count_doubles_the_staff_time_cost(rows):
    def no_money(r: dict) -> dict:  # staff time only: no mileage, no direct cost
        return {**r, "miles": "", "cost": "1.00" if r is first_lines.get((r["la"], r["phase"], r["round"])) else ""}

    first_lines = {}
    for r in rows["rounds"]:
        first_lines.setdefault((r["la"], r["phase"], r["round"]), r)
    plain = {form: [no_money(r) for r in found] for form, found in rows.items()}

    def doubled(r: dict) -> dict:
        return {**r, "staff": str(number(r["staff"], "1") * 2)}

    _, once = run(plain)
    _, twice = run({form: [doubled(r) for r in found] for form, found in plain.items()})
    one_pound_a_round = {(la.la, la.phase): Decimal(la.rounds) for la in once.las}  # the cost kept on first lines
    for a, b in zip(once.las, twice.las):
        assert (a.la, a.phase) == (b.la, b.phase)
        staff_time = a.total_cost - one_pound_a_round[(a.la, a.phase)]
        assert b.total_cost - one_pound_a_round[(b.la, b.phase)] == 2 * staff_time
        assert b.attendances == 2 * a.attendances
        if a.setup is not None:
            assert b.setup.indirect == 2 * a.setup.indirect


@SETTINGS
@given(forms_rows(), st.data())
def test_increasing_any_cost_never_lowers_a_total(rows, data):
    forms = [f for f in rows if rows[f]]
    form = data.draw(st.sampled_from(forms))
    i = data.draw(st.integers(0, len(rows[form]) - 1))
    column = data.draw(st.sampled_from(["staff", "hours", "miles", "cost"]))
    line = dict(rows[form][i])
    if column == "cost":
        line["cost"] = str(number(line["cost"], "0") + data.draw(st.integers(1, 10_000)) / Decimal(100))
    elif column == "miles":
        line["miles"] = str(number(line["miles"], "0") + data.draw(st.integers(1, 100)))
    elif column == "staff":
        line["staff"] = str(number(line["staff"], "1") + data.draw(st.integers(1, 5)))
    else:
        line["hours"] = str(number(line["hours"], "0") + Decimal("0.25") * data.draw(st.integers(1, 8)))
        if not line["role"] and not line["rate"]:
            line["role"] = ROLES[0]
    more = {**rows, form: rows[form][:i] + [line] + rows[form][i + 1 :]}
    _, before = run(rows)
    _, after = run(more)
    for a, b in zip(before.las, after.las):
        assert b.total_cost >= a.total_cost and b.per_round.total >= a.per_round.total
        assert b.annual_cost >= a.annual_cost
        assert (b.setup.total if b.setup else 0) >= (a.setup.total if a.setup else 0)
    for a, b in zip(before.rounds, after.rounds):
        assert b.total >= a.total
    assert after.overall.total_per_round.mean >= before.overall.total_per_round.mean


def _typed(text: str) -> object:
    """What a spreadsheet holds for what was typed: numbers as numbers."""
    if text == "":
        return None
    plain = text.replace("£", "").replace(",", "")
    try:
        value = Decimal(plain)
    except ArithmeticError:
        return text
    return int(value) if value == value.to_integral_value() and "." not in plain else float(plain)


def write_both(rows: dict[str, list[dict]], folder: Path) -> tuple[Path, Path]:
    import csv

    import openpyxl

    csv_dir = folder / "csv"
    csv_dir.mkdir()
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for form, found in rows.items():
        if not found and form != "rounds":
            continue
        with open(csv_dir / f"{form}.csv", "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(COST_COLUMNS)
            writer.writerows([[r.get(c, "") for c in COST_COLUMNS] for r in found])
        ws = wb.create_sheet(form)
        ws.append(list(COST_COLUMNS))
        for r in found:
            ws.append(
                [
                    r.get(c, "") if c in ("la", "round", "mode", "item", "role") else _typed(r.get(c, ""))
                    for c in COST_COLUMNS
                ]
            )
    xlsx = folder / "forms.xlsx"
    wb.save(xlsx)
    return csv_dir, xlsx


def without_inputs(payload: dict) -> dict:
    return {k: v for k, v in payload.items() if k != "inputs"}


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(forms_rows())
def test_csv_and_xlsx_with_the_same_data_give_identical_results(tmp_path_factory, rows):
    folder = tmp_path_factory.mktemp("both")
    csv_dir, xlsx = write_both(rows, folder)
    from_csv = export.run_to_dict(run_estimate(csv_dir))
    from_xlsx = export.run_to_dict(run_estimate(xlsx))
    assert without_inputs(from_csv) == without_inputs(from_xlsx)


def test_csv_and_xlsx_of_the_trial_give_identical_results(tmp_path):
    """The bundled example, survey and all, read from CSV files and from one workbook."""
    import csv

    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for path in sorted(TRIAL.glob("*.csv")):
        ws = wb.create_sheet(path.stem)
        with open(path, newline="", encoding="utf-8") as handle:
            for i, row in enumerate(csv.reader(handle)):  # numbers as numbers, as Excel holds them
                ws.append(
                    row
                    if i == 0
                    else [_typed(v) if re.fullmatch(r"[0-9]+(\.[0-9]+)?", v) else (v or None) for v in row]
                )
    wb.save(tmp_path / "trial.xlsx")
    a = export.run_to_dict(run_estimate(TRIAL, savings_assumptions=_boot(200)))
    b = export.run_to_dict(run_estimate(tmp_path / "trial.xlsx", savings_assumptions=_boot(200)))
    assert without_inputs(a) == without_inputs(b)


def _boot(n: int):
    from sr_cost.core.savings import SavingsAssumptions

    return SavingsAssumptions(bootstrap=n)


@pytest.mark.parametrize("fmt", ["json", "table"])
def test_results_do_not_depend_on_timezone_locale_or_hash_seed(fmt):
    environments = (
        {"TZ": "UTC", "LANG": "C", "LC_ALL": "C", "PYTHONHASHSEED": "0"},
        {"TZ": "Pacific/Kiritimati", "LANG": "de_DE.UTF-8", "LC_ALL": "", "PYTHONHASHSEED": "12345"},
        {"TZ": "America/St_Johns", "LANG": "tr_TR.UTF-8", "LC_ALL": "", "PYTHONHASHSEED": "random"},
    )
    processes = [  # the three runs at once: each is a process of its own
        subprocess.Popen(
            [sys.executable, "-m", "sr_cost", "estimate", "examples/trial", "-f", fmt, "--bootstrap", "200"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            env={**os.environ, "COLUMNS": "120", **env},
        )
        for env in environments
    ]
    outputs = set()
    for process in processes:
        stdout, stderr = process.communicate(timeout=120)
        assert process.returncode == 0, stderr
        outputs.add(stdout)
    assert len(outputs) == 1


@pytest.mark.parametrize("option", ["--output", "--excel"])
def test_a_write_that_fails_part_way_leaves_the_output_folder_unchanged(option, runner, tmp_path, monkeypatch):
    from sr_cost.cli import app

    if option == "--excel" and "--excel" not in invoke(runner, "estimate", "--help").output:
        pytest.skip("this build has no Excel export")
    out = tmp_path / "out"
    out.mkdir()
    name = "result.xlsx" if option == "--excel" else "result.json"
    (out / name).write_bytes(b"the previous result")
    (out / "other.txt").write_text("not ours")
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def broken_replace(src, dst, *args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    args = ["estimate", str(TRIAL), "--bootstrap", "0", option, str(out / name)]
    if option == "--output":
        args += ["-f", "json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "cannot write" in result.stderr and "Traceback" not in result.output
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


decimals = st.decimals(min_value=0, max_value=Decimal("1e12"), allow_nan=False, allow_infinity=False, places=None)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(decimals, decimals, st.integers(0, 3)), min_size=1, max_size=30))
def test_exact_columns_add_and_multiply_without_rounding(rows):
    """The costing's integer arithmetic (columns.Exact) equals Decimal arithmetic done with enough
    precision never to round, whatever the digits (scenario rates carry 28 of them)."""
    import decimal

    import numpy as np

    from sr_cost.core.columns import Exact, lookup, sum_terms

    a_values = sorted({r[0] for r in rows})
    b_values = sorted({r[1] for r in rows})
    a = Exact.of(a_values, lookup([a_values.index(r[0]) for r in rows], np.arange(len(rows))))
    b = Exact.of(b_values, lookup([b_values.index(r[1]) for r in rows], np.arange(len(rows))))
    keys = np.array([r[2] for r in rows])
    got = sum_terms([a * b, a, b], keys, 4)
    with decimal.localcontext() as ctx:
        ctx.prec = 200
        want = [sum((r[0] * r[1] + r[0] + r[1] for r in rows if r[2] == k), Decimal(0)) for k in range(4)]
    assert got == want
