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

from sr_cost.core.better import Better
from sr_cost.core.costing import estimate, with_feedback_forms
from sr_cost.core.effectiveness import EffectAssumptions, cost_effectiveness
from sr_cost.core.effects import bootstrap_columns
from sr_cost.core.estimate import DEFAULT_MILEAGE_RATE, Assumptions
from sr_cost.core.explanation import Node
from sr_cost.core.figures import Figure, closest, figures, find
from sr_cost.core.lines import FormsAbout
from sr_cost.core.outcomes import Outcome
from sr_cost.core.prices import PriceIndex
from sr_cost.core.progress import Progress
from sr_cost.core.respondents import StaffCount
from sr_cost.core.run_options import Pricing, check_options, uplift_options, year_option
from sr_cost.core.runs import CompareRun, EstimateRun, ReportRun
from sr_cost.core.savings import SavingsAssumptions, savings
from sr_cost.core.unit_costs import Derivation, Mismatch, UnitCost, UnitCostTable, check_table, derive
from sr_cost.errors import DataError, Problem, UsageError
from sr_cost.inputs import forms as forms_files
from sr_cost.inputs import unit_costs as unit_cost_files
from sr_cost.inputs.about import validate_about
from sr_cost.inputs.form_lines import validate_cost_forms
from sr_cost.inputs.forms import check_sheets, read_forms
from sr_cost.inputs.labels import check_labels
from sr_cost.inputs.survey import named_column, read_staff, staff_coverage, validate_survey
from sr_cost.inputs.unit_costs import build_table, load_table

CLOSEST_SHOWN = 12  # figures an unknown figure's error lists (`sr-cost explain FORMS` lists them all)


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


def run_estimate(
    forms: str | Path,
    *,
    unit_costs: str | Path | None = None,
    params: str | Path | None = None,
    rounds_per_year: int | None = None,
    mileage_rate: Decimal = DEFAULT_MILEAGE_RATE,
    period_months: int | None = None,
    forms_price_year: int | str | None = None,
    uplift_to: int | str | None = None,
    index: str | Path | PriceIndex | None = None,
    uplift_pct: Decimal | None = None,
    encoding: str = "utf-8-sig",
    savings_assumptions: SavingsAssumptions = SavingsAssumptions(),
    progress: Progress | None = None,
    require_survey: bool = False,
    outcome: str | None = None,
    better: Better | None = None,
    effect: EffectAssumptions | None = EffectAssumptions(),
    sheets: dict[str, str] | None = None,
    merge_labels: bool = False,
) -> EstimateRun:
    """Read and validate the forms, and cost them; with a survey, work out the savings too, and with
    an outcome in the survey (GHQ-12, or the column ``outcome``, ``better`` lower or higher) the
    cost-effectiveness (``effect``; None: not worked out).

    ``rounds_per_year`` [rounds/year]: None for the default (each LA-phase's own when the period is
    known, else 12). ``period_months`` [months]: the period the forms cover (None: their ``about``
    sheet's, if any). ``forms_price_year``: the price year of the money typed into the forms (None:
    the ``about`` sheet's, else the unit-cost table's). ``uplift_to``: re-price every amount from its
    own price year to this year, with a price index file (``index``) or a flat ``uplift_pct`` [% a
    year]. Years may be written as financial years (``2025/26``). ``sheets``: form -> the sheet (or
    file) that holds it, where its name is not the form's (``--sheet``; an empty name: the forms
    have no such form). ``merge_labels``: count labels that differ only by case, spacing or leading
    zeros as one. ``progress`` is told how the long steps go (reading a large workbook, the
    bootstrap: ``sr_cost.core.progress``). Raises DataError with every problem found (the unit-cost table's, the price
    index's and every form file's), UsageError for a bad argument."""
    problems: list[Problem] = []
    (run,), _ = _runs(
        [forms],
        problems,
        unit_costs=unit_costs,
        params=params,
        rounds_per_year=rounds_per_year,
        mileage_rate=mileage_rate,
        period_months=period_months,
        forms_price_year=forms_price_year,
        uplift_to=uplift_to,
        index=index,
        uplift_pct=uplift_pct,
        encoding=encoding,
        savings_assumptions=savings_assumptions,
        progress=progress,
        outcome=outcome,
        better=better,
        effect=effect,
        sheets=sheets,
        merge_labels=merge_labels,
    )
    if problems or run is None:
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
    rounds_per_year: int | None = None,
    mileage_rate: Decimal = DEFAULT_MILEAGE_RATE,
    period_months: int | None = None,
    forms_price_year: int | str | None = None,
    uplift_to: int | str | None = None,
    index: str | Path | PriceIndex | None = None,
    uplift_pct: Decimal | None = None,
    encoding: str = "utf-8-sig",
    savings_assumptions: SavingsAssumptions = SavingsAssumptions(),
    progress: Progress | None = None,
    outcome: str | None = None,
    better: Better | None = None,
    effect: EffectAssumptions | None = EffectAssumptions(),
    sheets: dict[str, str] | None = None,
    merge_labels: bool = False,
) -> tuple[list[EstimateRun | None], PriceIndex | None]:
    """The runs of one or more forms sets priced with one unit-cost table and re-priced with one
    price index (None for a set with problems), and that index; every problem of the table, of the
    index and of every set is added to ``problems``."""
    check_options(rounds_per_year, mileage_rate, period_months, savings_assumptions)
    if uplift_pct is not None and not 0 <= uplift_pct <= 100:
        raise UsageError(f"--uplift must be from 0 to 100 [% a year] (got {uplift_pct})")
    sheets = check_sheets(sheets)
    notes: list[str] = []
    forms_year = None if forms_price_year is None else year_option(forms_price_year, "--forms-price-year", notes)
    to_year = uplift_options(uplift_to, index, uplift_pct, notes)
    named = named_column(outcome, better)
    table = _table_or_problems(unit_costs, params, problems)
    had = len(problems)
    try:
        price_index = _index(index)
    except DataError as error:  # like the table's: with the forms' problems
        problems += error.problems
        price_index = None
    # without the table or the index, the forms are still checked (every problem at once), not costed
    pricing = None
    if table is not None and len(problems) == had:
        pricing = Pricing(table.price_year, forms_year, to_year, price_index, uplift_pct, tuple(notes))
    runs = [
        _estimate(
            Path(path),
            table,
            pricing,
            problems,
            rounds_per_year=rounds_per_year,
            mileage_rate=mileage_rate,
            period_months=period_months,
            a=savings_assumptions,
            named=named,
            effect=effect,
            encoding=encoding,
            progress=progress,
            sheets=sheets,
            merge_labels=merge_labels,
        )
        for path in paths
    ]
    return runs, price_index


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
    pricing: Pricing | None,
    problems: list[Problem],
    *,
    rounds_per_year: int | None,
    mileage_rate: Decimal,
    period_months: int | None,
    a: SavingsAssumptions,
    named: Outcome | None,
    effect: EffectAssumptions | None,
    encoding: str,
    progress: Progress | None,
    sheets: dict[str, str],
    merge_labels: bool,
) -> EstimateRun | None:
    """One forms set read, checked and costed (with its savings and cost-effectiveness); None when
    there were problems, which are added to ``problems`` (every one: the forms', the about sheet's
    and the survey's, with their warnings), as when there were some before (``pricing`` None: the
    unit-cost table's or the price index's)."""
    had = len(problems)
    with _no_cyclic_gc():
        try:
            bundle = read_forms(forms, encoding=encoding, names=sheets, progress=progress)
        except DataError as error:
            problems += error.problems
            return None
        bundle, label_problems = check_labels(bundle, merge=merge_labels)
        problems += [p for p in label_problems if p.severity == "error"]
        warnings = [p for p in label_problems if p.severity != "error"]
        cost_forms = survey = result = assumptions = None
        try:
            cost_forms = validate_cost_forms(bundle, table)
            cost_forms = replace(cost_forms, warnings=tuple(warnings) + cost_forms.warnings)
        except DataError as error:
            problems += error.problems + warnings
        about, about_warnings = FormsAbout(), ()
        try:
            about, about_warnings = validate_about(bundle)
        except DataError as error:
            problems += error.problems
        if cost_forms is not None and pricing is not None and len(problems) == had:
            cost_forms = replace(cost_forms, about=about, warnings=cost_forms.warnings + about_warnings)
            assumptions = Assumptions(
                rounds_per_year=rounds_per_year,
                mileage_rate=mileage_rate,
                period_months=period_months if period_months is not None else about.period_months,
                prices=pricing.prices(about),
            )
            try:
                result = estimate(cost_forms, assumptions)
            except DataError as error:
                problems += error.problems
        staff: tuple[StaffCount, ...] = ()
        try:
            survey = validate_survey(
                bundle, table, a.absence_basis, a.agency_rate, named, recall_months=a.recall_months
            )
            staff = survey.staff if survey is not None else read_staff(bundle)
        except DataError as error:
            problems += error.problems
        else:
            if len(problems) > had and survey is not None:
                problems += survey.warnings
    if len(problems) > had or result is None or assumptions is None:
        if cost_forms is not None and len(problems) > had:
            problems += cost_forms.warnings + tuple(about_warnings)
        return None
    forms_by_phase: dict[str, int] = {}
    for row in staff:
        if row.feedback_forms is not None:
            forms_by_phase[row.phase] = forms_by_phase.get(row.phase, 0) + row.feedback_forms
    result = with_feedback_forms(result, forms_by_phase)
    if survey is not None:
        survey = staff_coverage(survey, {(la.la, la.phase) for la in result.las})
        if assumptions.staff_time_factor != 1:  # sickness absence is costed with the unit-cost table
            survey = replace(survey, table=survey.table.scaled(assumptions.staff_time_factor))
    outcomes = survey.table.outcomes if survey is not None and effect is not None else ()
    columns = bootstrap_columns(outcomes) if outcomes else None
    result_savings = savings(survey, result, a, progress, columns) if survey else None
    effectiveness = cost_effectiveness(survey, result_savings, effect) if outcomes else None
    return EstimateRun(
        table=table,
        forms=cost_forms,
        estimate=result,
        survey=survey,
        savings=result_savings,
        cost_effectiveness=effectiveness,
    )


def input_files(
    forms: list[str | Path],
    *,
    unit_costs: str | Path | None = None,
    params: str | Path | None = None,
    index: str | Path | None = None,
    sheets: dict[str, str] | None = None,
) -> list[Path]:
    """Every file a command reads (the forms' files, their about sheet's among them; the unit-cost
    table, a bundled one too, and its parameters; the price index): an output must not be one of them."""
    found = [f for path in forms for f in forms_files.input_files(Path(path), sheets)]
    found += unit_cost_files.input_files(unit_costs or None, params or None)
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
    sensitivity: bool = False,
    estimated: tuple[EstimateRun, ...] | None = None,
    progress: Progress | None = None,
    **estimate_options,
) -> CompareRun:
    """Cost one forms set (in-person against virtual rounds, or two phases) or two forms sets, and
    compare the two options over the horizon [years] at ``discount_rate_pct`` [% a year];
    ``estimate_options`` go to ``run_estimate`` (re-pricing with ``uplift_to`` and ``index`` or
    ``uplift_pct`` among them). ``estimated``: the forms' estimates, already run with these options
    (one per forms set), so that they are not read again. ``progress`` is told how the long steps go
    (``sr_cost.core.progress``)."""
    # imported here: an estimate needs none of the comparison's modules
    from sr_cost.core.compare import compare, option_specs
    from sr_cost.core.comparison import Basis, FormsSet, Settings

    if by not in (None, Basis.mode.value, Basis.phase.value):
        raise UsageError(f"--by must be mode or phase (got {by!r})")
    basis = Basis.sets if forms_b is not None else Basis(by or "mode")
    if forms_b is not None and by is not None:
        raise UsageError("--by compares options within one forms set; with two forms sets, leave it out")
    if not 0 <= discount_rate_pct <= 100:
        raise UsageError(f"--discount-rate must be from 0 to 100 [% a year] (got {discount_rate_pct})")
    paths = [forms] if forms_b is None else [forms, forms_b]
    estimate_options.setdefault("effect", None)  # compare shows no cost-effectiveness
    # every problem at once: the price index's, the unit-cost table's and both forms sets'
    problems: list[Problem] = []
    if estimated is not None:
        runs = estimated
        price_index = _index(estimate_options.get("index"))
    else:
        found, price_index = _runs(
            paths, problems, progress=progress, **estimate_options
        )  # the index read once for both sets
        if problems:
            raise DataError(problems)
        runs = tuple(run for run in found if run is not None)
    table = runs[0].table
    prices = [run.estimate.assumptions.prices for run in runs]
    if len({p.forms_price_year for p in prices}) > 1:
        years_of = " and ".join(f"{Path(f).name}: {p.forms_price_year}" for f, p in zip(paths, prices))
        raise UsageError(
            f"the two forms sets are priced in different years ({years_of}); give --forms-price-year for "
            "both, or put them in one year's prices first"
        )
    sets = tuple(FormsSet(run.forms, run.estimate, run.survey, run.savings) for run in runs)
    names = tuple(Path(f).stem or str(f) for f in paths)
    specs = option_specs(sets, basis, phases=phases, labels=labels, names=names)
    comparison = compare(
        specs,
        basis,
        Settings(uplift=prices[0], years=years, discount_rate=discount_rate_pct / 100, sensitivity=sensitivity),
        progress=progress,
    )
    return CompareRun(table=table, runs=runs, comparison=comparison, index=price_index)


def _index(index: str | Path | PriceIndex | None) -> PriceIndex | None:
    """The price index to re-price with, read from its file (only when one is given)."""
    if index is None or isinstance(index, PriceIndex):
        return index
    from sr_cost.inputs.price_index import load_index  # only when re-pricing with an index

    return load_index(Path(index))


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
    year], with its sensitivity. With neither, the report has no comparison. The savings' decision
    figures take the same horizon and discount rate."""
    chosen = estimate_options.get("savings_assumptions", SavingsAssumptions())
    estimate_options["savings_assumptions"] = replace(chosen, years=years, discount_rate=discount_rate_pct / 100)
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
    """The unit-cost table with its parameters: a file, or a bundled table by its price year
    (``"2019"``, the default, or ``"2025"``)."""
    return load_table(unit_costs or None, params or None)


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
    """A full unit-cost table from ``role,salary`` rows (an authority's own pay scales), with the
    parameters of ``params`` (a TOML file, or a bundled table's by its price year; default: 2019's).
    A ``price_year`` column that differs from the parameters' price year is a DataError."""
    return build_table(Path(salaries), params or None)
