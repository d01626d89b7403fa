"""The library's public entry points: one function per command, no printing, no exit codes.

    >>> from sr_cost.api import run_estimate
    >>> run = run_estimate("examples/trial")
    >>> run.estimate.phases[0].total_per_round.mean   # exact Decimal

Each reads and validates its inputs (``sr_cost.inputs``), works the figures out (``sr_cost.core``)
and returns a result (``sr_cost.core.runs``) that every output renders. Bad data raises
``DataError`` with every problem found; a bad argument raises ``UsageError``.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from sr_cost.core.costing import estimate, with_feedback_forms
from sr_cost.core.estimate import DEFAULT_MILEAGE_RATE, DEFAULT_ROUNDS_PER_YEAR, Assumptions
from sr_cost.core.explanation import Node
from sr_cost.core.figures import Figure, closest, figures, find
from sr_cost.core.respondents import StaffCount
from sr_cost.core.runs import CompareRun, EstimateRun, ReportRun
from sr_cost.core.savings import Progress, SavingsAssumptions, savings
from sr_cost.core.unit_costs import AbsenceBasis, Derivation, Mismatch, UnitCost, UnitCostTable, check_table, derive
from sr_cost.errors import DataError, Problem, UsageError
from sr_cost.inputs import forms as forms_files
from sr_cost.inputs import unit_costs as unit_cost_files
from sr_cost.inputs.form_lines import validate_cost_forms
from sr_cost.inputs.forms import SHEETS, read_forms
from sr_cost.inputs.labels import check_labels
from sr_cost.inputs.survey import read_staff, staff_coverage, validate_survey
from sr_cost.inputs.unit_costs import build_table, load_table

MOST_MILEAGE_RATE = Decimal(100)  # [£/mile] the most --mileage-rate may be (HMRC's rate is £0.45)
CLOSEST_SHOWN = 12  # figures an unknown figure's error lists (`sr-cost explain FORMS` lists them all)


def check_horizon(years: int, discount_rate: Decimal) -> None:
    """The planning horizon [years] and discount rate [fraction a year] an option may take."""
    if not 1 <= years <= 50:
        raise UsageError(f"--years must be from 1 to 50 (got {years})")
    if not 0 <= discount_rate < 1:
        raise UsageError(f"--discount-rate must be from 0% to below 100% (got {discount_rate * 100}%)")


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """No cyclic garbage collection while the forms are read, checked and costed: a national forms
    set makes a few hundred thousand objects there (each column's distinct values, their Decimals),
    none of them garbage, and each collection walks them all again. Measured on the national
    benchmark set: 0.1 to 0.2 s of a 1 s run (benchmarks/RESULTS.md); nowhere else did a pause pay
    (the Excel export took the same time with and without)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _check_options(rounds_per_year: int, mileage_rate: Decimal, a: SavingsAssumptions) -> None:
    if rounds_per_year < 1:
        raise UsageError(f"--rounds-per-year must be at least 1 (got {rounds_per_year})")
    if a.hours_per_day <= 0 or a.hours_per_day > 24:
        raise UsageError(f"--hours-per-day must be more than 0 and at most 24 (got {a.hours_per_day})")
    if not 1 <= a.recall_months <= 120:
        raise UsageError(f"--recall-months must be from 1 to 120 (got {a.recall_months})")
    if a.bootstrap < 0:
        raise UsageError(f"--bootstrap must be 0 (off) or more (got {a.bootstrap})")
    if not 0 <= mileage_rate <= MOST_MILEAGE_RATE:
        raise UsageError(f"--mileage-rate must be from 0 to {MOST_MILEAGE_RATE} [£/mile] (got {mileage_rate})")
    if a.absence_basis is AbsenceBasis.agency and a.agency_rate is None:
        raise UsageError("--absence-basis agency needs --agency-rate (the agency's hourly rate, £ an hour)")
    if a.agency_rate is not None and not 0 < a.agency_rate <= 10_000:
        raise UsageError(f"--agency-rate must be more than £0 and at most £10,000 an hour (got {a.agency_rate})")
    check_horizon(a.years, a.discount_rate)


def check_sheets(sheets: dict[str, str] | None) -> dict[str, str]:
    """``--sheet`` names: each a form of the forms set."""
    for form in sheets or {}:
        if form not in SHEETS:
            raise UsageError(f"--sheet {form}=...: '{form}' is not a form (the forms are {', '.join(SHEETS)})")
    return dict(sheets or {})


def run_estimate(
    forms: str | Path,
    *,
    unit_costs: str | Path | None = None,
    params: str | Path | None = None,
    rounds_per_year: int = DEFAULT_ROUNDS_PER_YEAR,
    mileage_rate: Decimal = DEFAULT_MILEAGE_RATE,
    encoding: str = "utf-8-sig",
    savings_assumptions: SavingsAssumptions = SavingsAssumptions(),
    progress: Progress | None = None,
    require_survey: bool = False,
    sheets: dict[str, str] | None = None,
    merge_labels: bool = False,
) -> EstimateRun:
    """Read and validate the forms, and cost them; with a survey, work out the savings too.
    ``sheets``: form -> the sheet (or file) that holds it, where its name is not the form's
    (``--sheet``; an empty name: the forms have no such form). ``merge_labels``: count labels that
    differ only by case, spacing or leading zeros as one. Raises DataError with every problem found
    (the unit-cost table's and every form file's)."""
    problems: list[Problem] = []
    (run,) = _runs(
        [forms],
        problems,
        unit_costs=unit_costs,
        params=params,
        rounds_per_year=rounds_per_year,
        mileage_rate=mileage_rate,
        encoding=encoding,
        savings_assumptions=savings_assumptions,
        progress=progress,
        sheets=sheets,
        merge_labels=merge_labels,
    )
    if problems:
        raise DataError(problems)
    if run.survey is None and require_survey:
        raise DataError(
            Problem(
                file=run.forms.path,
                sheet="survey",
                message="the forms have no survey (or it is empty)",
                fix="Add a 'survey' sheet (or survey.csv) with one row per respondent, and a 'staff' "
                "sheet with the staff randomised per LA and phase",
            )
        )
    return run


def _runs(
    paths: list[str | Path],
    problems: list[Problem],
    *,
    unit_costs: str | Path | None = None,
    params: str | Path | None = None,
    rounds_per_year: int = DEFAULT_ROUNDS_PER_YEAR,
    mileage_rate: Decimal = DEFAULT_MILEAGE_RATE,
    encoding: str = "utf-8-sig",
    savings_assumptions: SavingsAssumptions = SavingsAssumptions(),
    progress: Progress | None = None,
    sheets: dict[str, str] | None = None,
    merge_labels: bool = False,
) -> list[EstimateRun | None]:
    """The runs of one or more forms sets priced with one unit-cost table (None for a set with
    problems); every problem of the table and of every set is added to ``problems``."""
    _check_options(rounds_per_year, mileage_rate, savings_assumptions)
    sheets = check_sheets(sheets)
    table = _table_or_problems(unit_costs, params, problems)
    assumptions = Assumptions(rounds_per_year=rounds_per_year, mileage_rate=mileage_rate)
    return [
        _estimate(
            Path(path),
            table,
            problems,
            assumptions,
            savings_assumptions,
            encoding=encoding,
            progress=progress,
            sheets=sheets,
            merge_labels=merge_labels,
        )
        for path in paths
    ]


def _table_or_problems(
    unit_costs: str | Path | None, params: str | Path | None, problems: list[Problem]
) -> UnitCostTable | None:
    """The unit-cost table, or None with its problems added to ``problems`` (the forms are checked
    all the same, so that every problem is reported at once)."""
    try:
        return unit_cost_table(unit_costs, params)
    except DataError as error:
        problems += error.problems
        return None


def _estimate(
    forms: Path,
    table: UnitCostTable | None,
    problems: list[Problem],
    assumptions: Assumptions,
    a: SavingsAssumptions,
    *,
    encoding: str,
    progress: Progress | None,
    sheets: dict[str, str],
    merge_labels: bool,
) -> EstimateRun | None:
    """One forms set read, checked and costed (with its savings); None when there were problems,
    which are added to ``problems`` (every one: the forms' and the survey's, with their warnings),
    as when there were some before (``table`` None: the unit-cost table's)."""
    had = len(problems)
    with _no_cyclic_gc():
        try:
            bundle = read_forms(forms, encoding=encoding, names=sheets)
        except DataError as error:
            problems += error.problems
            return None
        bundle, label_problems = check_labels(bundle, merge=merge_labels)
        problems += [p for p in label_problems if p.severity == "error"]
        warnings = [p for p in label_problems if p.severity != "error"]
        cost_forms = survey = result = None
        try:
            cost_forms = validate_cost_forms(bundle, table)
            cost_forms = replace(cost_forms, warnings=tuple(warnings) + cost_forms.warnings)
            if table is not None and len(problems) == had:
                result = estimate(cost_forms, assumptions)
        except DataError as error:
            problems += error.problems + warnings
        staff: tuple[StaffCount, ...] = ()
        try:
            survey = validate_survey(bundle, table, a.absence_basis, a.agency_rate, recall_months=a.recall_months)
            staff = survey.staff if survey is not None else read_staff(bundle)
        except DataError as error:
            problems += error.problems
        else:
            if len(problems) > had and survey is not None:
                problems += survey.warnings
    if len(problems) > had or table is None or result is None:
        if cost_forms is not None and len(problems) > had:
            problems += cost_forms.warnings
        return None
    forms_by_phase: dict[str, int] = {}
    for row in staff:
        if row.feedback_forms is not None:
            forms_by_phase[row.phase] = forms_by_phase.get(row.phase, 0) + row.feedback_forms
    result = with_feedback_forms(result, forms_by_phase)
    if survey is not None:
        survey = staff_coverage(survey, {(la.la, la.phase) for la in result.las})
    result_savings = savings(survey, result, a, progress) if survey else None
    return EstimateRun(table=table, forms=cost_forms, estimate=result, survey=survey, savings=result_savings)


def input_files(
    forms: list[str | Path],
    *,
    unit_costs: str | Path | None = None,
    params: str | Path | None = None,
    index: str | Path | None = None,
    sheets: dict[str, str] | None = None,
) -> list[Path]:
    """Every file a command reads (the forms' files, the unit-cost table and its parameters, the
    price index): an output must not be one of them."""
    found = [f for path in forms for f in forms_files.input_files(Path(path), sheets)]
    found += unit_cost_files.input_files(Path(unit_costs) if unit_costs else None, Path(params) if params else None)
    return found + ([Path(index)] if index is not None else [])


def run_compare(
    forms: str | Path,
    forms_b: str | Path | None = None,
    *,
    by: str | None = None,
    phases: tuple[str, ...] | None = None,
    labels: tuple[str, ...] | None = None,
    years: int = 3,
    discount_rate_pct: Decimal = Decimal("3.5"),
    uplift_to: int | None = None,
    index: str | Path | None = None,
    uplift_pct: Decimal | None = None,
    sensitivity: bool = False,
    estimated: tuple[EstimateRun, ...] | None = None,
    **estimate_options,
) -> CompareRun:
    """Cost one forms set (in-person against virtual rounds, or two phases) or two forms sets, and
    compare the two options over the horizon [years] at ``discount_rate_pct`` [% a year], re-priced
    to ``uplift_to`` with a price index file or a flat ``uplift_pct`` [% a year];
    ``estimate_options`` go to ``run_estimate``. ``estimated``: the forms' estimates, already run
    with these options (one per forms set), so that they are not read again."""
    # imported here: an estimate needs none of the comparison's modules
    from sr_cost.core.compare import compare, option_specs
    from sr_cost.core.comparison import Basis, FormsSet, Settings
    from sr_cost.core.prices import flat_uplift, index_uplift, no_uplift
    from sr_cost.inputs.price_index import load_index

    if by not in (None, Basis.mode.value, Basis.phase.value):
        raise UsageError(f"--by must be mode or phase (got {by!r})")
    basis = Basis.sets if forms_b is not None else Basis(by or "mode")
    if forms_b is not None and by is not None:
        raise UsageError("--by compares options within one forms set; with two forms sets, leave it out")
    if uplift_pct is not None and index is not None:
        raise UsageError("give --index FILE or --uplift PCT, not both")
    if (uplift_pct is not None or index is not None) and uplift_to is None:
        raise UsageError("--index and --uplift need --uplift-to YEAR (the price year to re-price to)")
    if uplift_to is not None and uplift_pct is None and index is None:
        raise UsageError("--uplift-to needs --index FILE (a year,index price index) or --uplift PCT (a yearly rate)")
    if not 0 <= discount_rate_pct <= 100:
        raise UsageError(f"--discount-rate must be from 0 to 100 [% a year] (got {discount_rate_pct})")
    if uplift_pct is not None and not 0 <= uplift_pct <= 100:
        raise UsageError(f"--uplift must be from 0 to 100 [% a year] (got {uplift_pct})")
    # every problem at once: the price index's, the unit-cost table's and both forms sets'
    problems: list[Problem] = []
    price_index = None
    if index is not None:
        try:
            price_index = load_index(Path(index))
        except DataError as error:
            problems += error.problems
    paths = [forms] if forms_b is None else [forms, forms_b]
    runs = estimated if estimated is not None else tuple(_runs(paths, problems, **estimate_options))
    if problems:
        raise DataError(problems)
    table = runs[0].table
    if uplift_to is None:
        uplift = no_uplift(table.price_year)
    elif price_index is not None:
        uplift = index_uplift(price_index, table.price_year, uplift_to)
    else:
        uplift = flat_uplift(uplift_pct, table.price_year, uplift_to)
    sets = tuple(FormsSet(run.forms, run.estimate, run.survey, run.savings) for run in runs)
    names = tuple(Path(f).stem or str(f) for f in paths)
    specs = option_specs(sets, basis, phases=phases, labels=labels, names=names)
    comparison = compare(
        specs,
        basis,
        Settings(uplift=uplift, years=years, discount_rate=discount_rate_pct / 100, sensitivity=sensitivity),
    )
    return CompareRun(table=table, runs=runs, comparison=comparison, index=price_index)


def run_report(
    forms: str | Path,
    *,
    years: int = 3,
    discount_rate_pct: Decimal = Decimal("3.5"),
    **estimate_options,
) -> ReportRun:
    """Everything a committee report shows: the estimate (with the savings, when the forms have a
    survey) and, on the same forms, the comparison of in-person against virtual rounds (or, with
    rounds of one mode, of the forms' two phases) over ``years`` at ``discount_rate_pct`` [% a
    year], with its sensitivity. With neither, the report has no comparison."""
    run = run_estimate(forms, **estimate_options)
    est = run.estimate
    by = "mode" if len(est.modes) == 2 else "phase" if len(est.phases) == 2 else None
    compared = None
    if by is not None:
        compared = run_compare(
            forms,
            by=by,
            years=years,
            discount_rate_pct=discount_rate_pct,
            sensitivity=True,
            estimated=(run,),
            **estimate_options,
        )
    # forms rebuilt from published tables (the bundled examples) come with the script that built them
    rebuilt = (Path(forms) / "build_forms.py").is_file()
    return ReportRun(estimate=run, comparison=compared, bundled_example=rebuilt)


def explainable_figures(
    forms: str | Path, savings_assumptions: SavingsAssumptions = SavingsAssumptions(), **estimate_options
) -> list[Figure]:
    """Every figure of the forms' estimate (and savings) that ``explain_figure`` explains. The
    bootstrap is not run: no figure explained depends on it."""
    run = run_estimate(forms, savings_assumptions=replace(savings_assumptions, bootstrap=0), **estimate_options)
    return figures(run)


def explain_figure(forms: str | Path, figure: str, **options) -> Node:
    """How one figure (a name such as "LA4 phase 1 panel per round", or its JSON path such as
    ``las[la=LA4,phase=1].per_round.panel``) is made, down to the form lines and unit costs. An
    unknown figure is a UsageError listing the closest figures that exist."""
    found = explainable_figures(forms, **options)
    wanted = find(found, figure)
    if wanted is None:
        near = closest(found, figure)
        shown = "\n".join(f"  {f.name}    {f.path}" for f in near[:CLOSEST_SHOWN])
        more = len(near) - CLOSEST_SHOWN
        tail = f"\n  ... and {more} more: `sr-cost explain FORMS` lists them all" if more > 0 else ""
        raise UsageError(f"no figure called {figure!r}. The figures closest to it, name then path:\n{shown}{tail}")
    return wanted.explain()


def unit_cost_table(unit_costs: str | Path | None = None, params: str | Path | None = None) -> UnitCostTable:
    """The unit-cost table (the bundled one when ``unit_costs`` is None), with its parameters."""
    return load_table(Path(unit_costs) if unit_costs else None, Path(params) if params else None)


def derive_role(
    role: str, unit_costs: str | Path | None = None, params: str | Path | None = None
) -> tuple[UnitCostTable, UnitCost, Derivation | None]:
    """One role of the table and the derivation of its hourly cost from its salary (None when the
    row gives no salary). An unknown role is a DataError that suggests close matches."""
    table = unit_cost_table(unit_costs, params)
    found = table.find(role)
    if found is None:
        raise DataError(
            Problem(
                file=table.path,
                column="role",
                value=role,
                message="no such role in the unit-cost table",
                fix=table.unknown_role_fix(role),
            )
        )
    return table, found, derive(found.salary, table.params) if found.salary is not None else None


def check_unit_costs(
    unit_costs: str | Path | None = None, params: str | Path | None = None
) -> tuple[UnitCostTable, list[Mismatch]]:
    """The table, and every figure that differs from its derivation from the role's salary."""
    table = unit_cost_table(unit_costs, params)
    return table, check_table(table)


def build_unit_costs(salaries: str | Path, params: str | Path | None = None) -> UnitCostTable:
    """A full unit-cost table from ``role,salary`` rows (an authority's own pay scales)."""
    return build_table(Path(salaries), Path(params) if params else None)
