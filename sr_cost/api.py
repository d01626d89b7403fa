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
from sr_cost.core.outcomes import STANDARD, Outcome, named_outcome, outcome_columns
from sr_cost.core.prices import PriceIndex, Uplift, flat_uplift, index_uplift, no_uplift, read_year
from sr_cost.core.progress import Progress
from sr_cost.core.respondents import StaffCount
from sr_cost.core.runs import CompareRun, EstimateRun, ReportRun
from sr_cost.core.savings import SavingsAssumptions, savings
from sr_cost.core.unit_costs import AbsenceBasis, Derivation, Mismatch, UnitCost, UnitCostTable, check_table, derive
from sr_cost.errors import DataError, Problem, UsageError
from sr_cost.inputs.about import MAX_PERIOD_MONTHS, validate_about
from sr_cost.inputs.form_lines import validate_cost_forms
from sr_cost.inputs.forms import read_forms
from sr_cost.inputs.survey import SURVEY_COLUMNS, read_staff, staff_coverage, validate_survey
from sr_cost.inputs.tables import canonical_header
from sr_cost.inputs.unit_costs import build_table, load_table

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
) -> EstimateRun:
    """Read and validate the forms, and cost them; with a survey, work out the savings too, and with
    an outcome in the survey (GHQ-12, or the column ``outcome``, ``better`` lower or higher) the
    cost-effectiveness (``effect``; None: not worked out).

    ``rounds_per_year`` [rounds/year]: None for the default (each LA-phase's own when the period is
    known, else 12). ``period_months`` [months]: the period the forms cover (None: their ``about``
    sheet's, if any). ``forms_price_year``: the price year of the money typed into the forms (None:
    the ``about`` sheet's, else the unit-cost table's). ``uplift_to``: re-price every amount from its
    own price year to this year, with a price index file (``index``) or a flat ``uplift_pct`` [% a
    year]. Years may be written as financial years (``2025/26``). ``progress`` is told how the long
    steps go (reading a large workbook, the bootstrap: ``sr_cost.core.progress``). Raises DataError
    with every problem found, UsageError for a bad argument."""
    if rounds_per_year is not None and rounds_per_year < 1:
        raise UsageError(f"--rounds-per-year must be at least 1 (got {rounds_per_year})")
    if period_months is not None and not 1 <= period_months <= MAX_PERIOD_MONTHS:
        raise UsageError(f"--period-months must be from 1 to {MAX_PERIOD_MONTHS} (got {period_months})")
    a = savings_assumptions
    if a.hours_per_day <= 0 or a.hours_per_day > 24:
        raise UsageError(f"--hours-per-day must be more than 0 and at most 24 (got {a.hours_per_day})")
    if not 1 <= a.recall_months <= 120:
        raise UsageError(f"--recall-months must be from 1 to 120 (got {a.recall_months})")
    if a.bootstrap < 0:
        raise UsageError(f"--bootstrap must be 0 (off) or more (got {a.bootstrap})")
    if mileage_rate < 0:
        raise UsageError(f"--mileage-rate must be zero or more (got {mileage_rate})")
    if a.absence_basis is AbsenceBasis.agency and a.agency_rate is None:
        raise UsageError("--absence-basis agency needs --agency-rate (the agency's hourly rate, £ an hour)")
    if a.agency_rate is not None and not 0 < a.agency_rate <= 10_000:
        raise UsageError(f"--agency-rate must be more than £0 and at most £10,000 an hour (got {a.agency_rate})")
    check_horizon(a.years, a.discount_rate)
    notes: list[str] = []
    forms_year = None if forms_price_year is None else _year_option(forms_price_year, "--forms-price-year", notes)
    to_year = _uplift_options(uplift_to, index, uplift_pct, notes)
    named = named_column(outcome, better)
    table = unit_cost_table(unit_costs, params)
    price_index = _index(index)
    # every problem at once: the survey's and the about sheet's too when the cost forms have some
    problems: list[Problem] = []
    about, about_warnings = FormsAbout(), ()
    with _no_cyclic_gc():
        bundle = read_forms(Path(forms), encoding=encoding, progress=progress)
        try:
            cost_forms = validate_cost_forms(bundle, table)
        except DataError as error:
            problems += error.problems
        staff: tuple[StaffCount, ...] = ()
        try:
            about, about_warnings = validate_about(bundle)
        except DataError as error:
            problems += error.problems
        if not problems:
            cost_forms = replace(cost_forms, about=about, warnings=cost_forms.warnings + about_warnings)
            prices = _prices(table.price_year, forms_year, about, to_year, price_index, uplift_pct, notes)
            assumptions = Assumptions(
                rounds_per_year=rounds_per_year,
                mileage_rate=mileage_rate,
                period_months=period_months if period_months is not None else about.period_months,
                prices=prices,
            )
            try:
                result = estimate(cost_forms, assumptions)
            except DataError as error:
                problems += error.problems
        try:
            survey = validate_survey(bundle, table, a.absence_basis, a.agency_rate, named)
            staff = survey.staff if survey is not None else read_staff(bundle)
        except DataError as error:
            problems += error.problems
        else:
            if problems and survey is not None:
                problems += survey.warnings
    if problems:
        raise DataError(problems)
    forms_by_phase: dict[str, int] = {}
    for row in staff:
        if row.feedback_forms is not None:
            forms_by_phase[row.phase] = forms_by_phase.get(row.phase, 0) + row.feedback_forms
    result = with_feedback_forms(result, forms_by_phase)
    if survey is not None:
        survey = staff_coverage(survey, {(la.la, la.phase) for la in result.las})
        if assumptions.staff_time_factor != 1:  # sickness absence is costed with the unit-cost table
            survey = replace(survey, table=survey.table.scaled(assumptions.staff_time_factor))
    if survey is None and require_survey:
        raise DataError(
            Problem(
                file=bundle.path,
                sheet="survey",
                message="the forms have no survey (or it is empty)",
                fix="Add a 'survey' sheet (or survey.csv) with one row per respondent, and a 'staff' "
                "sheet with the staff randomised per LA and phase",
            )
        )
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


def named_column(outcome: str | None, better: Better | None) -> Outcome | None:
    """The outcome named by ``--outcome COLUMN --better lower|higher`` (None when none is named)."""
    if outcome is None:
        if better is not None:
            raise UsageError("--better goes with --outcome COLUMN (the survey's column it says which way is better)")
        return None
    if better is None:
        raise UsageError(f"--outcome {outcome} needs --better lower or --better higher: which way is better")
    column = canonical_header(outcome)
    taken = SURVEY_COLUMNS + outcome_columns(STANDARD)
    if not column or column in taken or column.endswith("_baseline"):
        raise UsageError(
            f"--outcome {outcome!r} names a column sr-cost reads already: name another column of the survey "
            f"(GHQ-12 is read from 'ghq12' and 'ghq12_caseness' without it; a baseline from '<column>_baseline')"
        )
    return named_outcome(column, better)


def _year_option(value: int | str, option: str, notes: list[str]) -> int:
    """A year option (``2025`` or ``2025/26``), with how a financial year was read added to ``notes``."""
    try:
        year, note = read_year(value)
    except ValueError as exc:
        raise UsageError(f"{option} {value!r} {exc}") from None
    if note:
        notes.append(f"{note} ({option})")
    return year


def _uplift_options(
    uplift_to: int | str | None, index: str | Path | PriceIndex | None, uplift_pct: Decimal | None, notes: list[str]
) -> int | None:
    """The year to re-price to, once the re-pricing options are known to fit together."""
    if uplift_pct is not None and index is not None:
        raise UsageError("give --index FILE or --uplift PCT, not both")
    if (uplift_pct is not None or index is not None) and uplift_to is None:
        raise UsageError("--index and --uplift need --uplift-to YEAR (the price year to re-price to)")
    if uplift_to is not None and uplift_pct is None and index is None:
        raise UsageError("--uplift-to needs --index FILE (a year,index price index) or --uplift PCT (a yearly rate)")
    return None if uplift_to is None else _year_option(uplift_to, "--uplift-to", notes)


def _prices(
    table_year: int,
    forms_year: int | None,
    about: FormsAbout,
    to_year: int | None,
    price_index: PriceIndex | None,
    uplift_pct: Decimal | None,
    notes: list[str],
) -> Uplift:
    """Each amount's price year (staff time: the table's; the forms' money: ``--forms-price-year``,
    else the about sheet's, else the table's) and the re-pricing to ``to_year``, if any."""
    if forms_year is None and about.price_year is not None:
        forms_year, notes = about.price_year, [*notes, *about.notes]
    forms = None if forms_year is None or forms_year == table_year else forms_year
    if to_year is None:
        return no_uplift(table_year, forms, tuple(notes))
    if price_index is not None:
        return index_uplift(price_index, table_year, to_year, forms, tuple(notes))
    return flat_uplift(uplift_pct, table_year, to_year, forms, tuple(notes))


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
    paths = [forms] if forms_b is None else [forms, forms_b]
    price_index = _index(estimate_options.pop("index", None))  # read once for both forms sets
    estimate_options.setdefault("effect", None)  # compare shows no cost-effectiveness
    runs = (
        estimated
        if estimated is not None
        else tuple(run_estimate(f, index=price_index, progress=progress, **estimate_options) for f in paths)
    )
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
