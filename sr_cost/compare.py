"""The commissioner's view: two options side by side, over a planning horizon, with sensitivity.

Pure functions, Decimal money, no I/O and no printing. An *option* is a subset of a costed forms set:

- ``--by mode``: the rounds of one mode. Its cost per round is the mean over LAs of their mean per
  round for that mode (the estimate's ``modes`` figures); its set-up cost is the mean set-up cost
  over all the set's LAs with training lines, the same for both modes (training buys the licence and
  the facilitators, whichever way the rounds are then delivered).
- ``--by phase``: the rounds of one phase, with the phase's mean per round and mean set-up cost.
- two forms sets: each whole set, with its overall mean per round and mean set-up cost.

Every per-round figure describes a typical LA of the option (a mean over its LAs, each LA weighted
equally, as the report's means are): attendees per round = mean over LAs, cost per attendee = mean
cost per round / mean attendees per round, annual cost = rounds per year x mean cost per round. So
the annual cost divided by a year's attendance is the cost per attendee, in every figure and scenario.
The pooled cost per attendee (all the option's round costs / all its attendance, the figure
``sr-cost estimate`` shows by mode) is given beside it: it weights LAs by their rounds, and when
the two disagree on which option is cheaper per attendee, the answer depends on that weighting.

Horizon: year 1 carries the set-up cost and a year's running cost, later years the running cost;
year t (t = 0 for year 1) is discounted by (1 + r)^-t.

Savings (where the forms have a survey): the annual saving per staff member of the survey phase(s)
that match the option, times the mean intervention staff per LA, so that it is on the same scale as
the option's costs (one typical LA). Sensitivity (``sr_cost.sensitivity``) re-runs the costing
(and the savings) on transformed forms, so every figure comes from the same engine as the base case.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePath

from sr_cost.comparison import Basis, Comparison, Figures, Horizon, Option, SavingBasis, YearCost, discount_factor
from sr_cost.costing import Components, Estimate, natural_key
from sr_cost.errors import DataError, Problem, UsageError
from sr_cost.forms import CostForms
from sr_cost.lines import Mode
from sr_cost.money import ZERO
from sr_cost.prices import Uplift
from sr_cost.savings import Savings
from sr_cost.respondents import Survey

DEFAULT_YEARS = 3  # [years] the usual appraisal period for such programmes
DEFAULT_DISCOUNT_RATE = Decimal("0.035")  # [1/year] HM Treasury Green Book discount rate, 3.5%


@dataclass(frozen=True)
class Subset:
    """Which rounds of a forms set make an option: one mode, one phase, or all (both None)."""

    mode: Mode | None = None
    phase: str | None = None

    def describe(self) -> str:
        if self.mode is not None:
            return f"{self.mode.value} rounds"
        if self.phase is not None:
            return f"phase {self.phase}"
        return "all rounds"


@dataclass(frozen=True)
class FormsSet:
    """A validated forms set and its base estimate (and savings), ready to be costed again."""

    forms: CostForms
    estimate: Estimate
    survey: Survey | None = None
    savings: Savings | None = None


@dataclass(frozen=True)
class OptionSpec:
    label: str
    forms: FormsSet
    subset: Subset


@dataclass(frozen=True)
class Settings:
    uplift: Uplift
    years: int = DEFAULT_YEARS  # [years]
    discount_rate: Decimal = DEFAULT_DISCOUNT_RATE  # [1/year], 0.035 = 3.5%
    sensitivity: bool = False


# --- arithmetic -------------------------------------------------------------------------------

def _difference(x: Decimal, y: Decimal) -> Decimal:
    return y - x


def _ratio(x: Decimal, y: Decimal) -> Decimal | None:
    return None if x == 0 else y / x


def horizon(setup: Decimal, annual: Decimal, years: int, rate: Decimal,
            attendances_per_year: Decimal = ZERO) -> Horizon:
    """Year 1: set-up + running cost; later years: running cost; each discounted to year 1."""
    return Horizon(tuple(YearCost(year=t + 1, setup=setup if t == 0 else ZERO, running=annual,
                                  discount_factor=discount_factor(rate, t)) for t in range(years)),
                   attendances_per_year)


# --- options ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Costs:
    """An option's costs in the table's price year, before re-pricing."""

    las: int
    rounds: int
    setup: Decimal
    setup_las: int
    per_round: Components
    attendees_per_round: Decimal
    pooled_cost_per_attendee: Decimal | None  # all the option's round costs / all its attendance


def _pooled(costs: list[Decimal], attendances: list[Decimal]) -> Decimal | None:
    people = sum(attendances, ZERO)
    return sum(costs, ZERO) / people if people else None


def _mean(values: list[Decimal]) -> Decimal:
    return sum(values, ZERO) / Decimal(len(values))


def _mean_components(values: list[Components]) -> Components:
    return sum(values, Components()).divided(len(values))


def _rounds_problem(path: str, **where) -> Problem:
    """A problem with the rounds form: its sheet in a workbook, its file in a folder."""
    if path.lower().endswith((".xlsx", ".xlsm")):
        return Problem(file=path, sheet="rounds", **where)
    return Problem(file=str(PurePath(path) / "rounds.csv"), **where)


def _costs(est: Estimate, subset: Subset, path: str) -> _Costs:
    if subset.mode is not None:
        mine = [la.modes[subset.mode] for la in est.las if subset.mode in la.modes]
        if not mine:
            raise DataError(_rounds_problem(path, column="mode", value=subset.mode.value,
                                    message=f"the forms have no {subset.mode.value} rounds, so there is nothing "
                                            f"to compare by mode",
                                    fix="Compare two forms sets (sr-cost compare A B), or use --by phase"))
        setup = est.overall.setup
        return _Costs(las=len(mine), rounds=sum(f.rounds for f in mine),
                      setup=setup.mean if setup else ZERO, setup_las=setup.n if setup else 0,
                      per_round=_mean_components([f.per_round for f in mine]),
                      attendees_per_round=_mean([f.attendances / Decimal(f.rounds) for f in mine]),
                      pooled_cost_per_attendee=_pooled([f.total_cost for f in mine], [f.attendances for f in mine]))
    las = [la for la in est.las if subset.phase is None or la.phase == subset.phase]
    if not las:
        raise DataError(_rounds_problem(path, column="phase", value=subset.phase or "",
                                message=f"the forms have no rounds in phase {subset.phase}",
                                fix="Choose phases the rounds form has (--phases)"))
    setups = [la.setup.total for la in las if la.setup is not None]
    return _Costs(las=len(las), rounds=sum(la.rounds for la in las),
                  setup=_mean(setups) if setups else ZERO, setup_las=len(setups),
                  per_round=_mean_components([la.per_round for la in las]),
                  attendees_per_round=_mean([la.attendees_per_round for la in las]),
                  pooled_cost_per_attendee=_pooled([la.total_cost for la in las], [la.attendances for la in las]))


def saving_phases(est: Estimate, subset: Subset, survey_phases: list[str]) -> list[str]:
    """The survey phases whose saving an option is credited with.

    By phase: that phase. By mode: the phases in which most rounds were of that mode (the survey
    does not record how rounds were delivered; in the trial, phase 1 was in person and phase 2
    mostly virtual), or every phase when no phase has a majority of that mode. A whole set: every
    phase."""
    if subset.phase is not None:
        return [subset.phase] if subset.phase in survey_phases else []
    if subset.mode is not None:
        chosen = []
        for phase in survey_phases:
            rounds = [r for r in est.rounds if r.phase == phase]
            if rounds and 2 * sum(1 for r in rounds if r.mode is subset.mode) > len(rounds):
                chosen.append(phase)
        return chosen or list(survey_phases)
    return list(survey_phases)


def _saving_basis(sav: Savings | None, est: Estimate, subset: Subset) -> SavingBasis | None:
    if sav is None:
        return None
    phases = saving_phases(est, subset, [p.phase for p in sav.phases])
    mine = [p for p in sav.phases if p.phase in phases]
    counted = sum(len(p.las_with_staff) for p in mine)
    if not mine or not counted:
        return None
    per_year = Decimal(12) / Decimal(sav.assumptions.recall_months)
    interval = None
    if len(mine) == 1 and mine[0].saving_ci is not None:
        interval = (mine[0].saving_ci.low * per_year, mine[0].saving_ci.high * per_year)
    source = (f"survey phase {mine[0].phase}" if len(mine) == 1
              else f"survey phases {', '.join(p.phase for p in mine)} (mean of the phases)")
    return SavingBasis(source=source, phases=tuple(p.phase for p in mine),
                       annual_per_staff=_mean([p.annual_saving_per_staff for p in mine]), interval=interval,
                       staff_per_la=Decimal(sum(p.intervention_staff for p in mine)) / Decimal(counted),
                       mean_hourly=_mean([p.intervention.mean_hourly for p in mine]),
                       hours_per_day=sav.assumptions.hours_per_day)


def build_option(spec: OptionSpec, est: Estimate, sav: Savings | None, settings: Settings) -> Option:
    c = _costs(est, spec.subset, spec.forms.forms.path)
    f = settings.uplift.factor
    rpy = est.assumptions.rounds_per_year
    per_round = c.per_round.scaled(f)
    setup = c.setup * f
    saving = _saving_basis(sav, est, spec.subset)
    return Option(label=spec.label, subset=spec.subset.describe(),
                  path=spec.forms.forms.path, las=c.las, rounds=c.rounds, setup=setup, setup_las=c.setup_las,
                  per_round=per_round, attendees_per_round=c.attendees_per_round, rounds_per_year=rpy,
                  pooled_cost_per_attendee=None if c.pooled_cost_per_attendee is None else c.pooled_cost_per_attendee * f,
                  horizon=horizon(setup, rpy * per_round.total, settings.years, settings.discount_rate,
                                  c.attendees_per_round * rpy),
                  saving=None if saving is None else saving.scaled(f))


# --- compare ----------------------------------------------------------------------------------

def compare(specs: tuple[OptionSpec, OptionSpec], basis: Basis, settings: Settings) -> Comparison:
    """Two options side by side, with their horizon, the difference (B - A) and the ratio (B / A),
    and with ``settings.sensitivity`` the tornado and break-even attendance."""
    if not 1 <= settings.years <= 50:
        raise UsageError(f"--years must be from 1 to 50 (got {settings.years})")
    if not ZERO <= settings.discount_rate < 1:
        raise UsageError(f"--discount-rate must be from 0% to below 100% (got {settings.discount_rate * 100}%)")
    a_spec, b_spec = specs
    if not a_spec.label.strip() or not b_spec.label.strip() or a_spec.label == b_spec.label:
        raise UsageError(f"the two options need two different, non-blank labels (got {a_spec.label!r} and "
                         f"{b_spec.label!r})")
    if a_spec.forms.estimate.assumptions != b_spec.forms.estimate.assumptions:
        raise UsageError("both forms sets must be costed with the same assumptions")
    options = tuple(build_option(s, s.forms.estimate, s.forms.savings, settings) for s in specs)
    a, b = options
    notes = _notes(basis, options, specs)
    sens = None
    if settings.sensitivity:
        from sr_cost.sensitivity import sensitivity

        sens = sensitivity(specs, options, settings)
    return Comparison(basis=basis, options=options,
                      difference=Figures.combine(Figures.of(a), Figures.of(b), _difference),
                      ratio=Figures.combine(Figures.of(a), Figures.of(b), _ratio), years=settings.years,
                      discount_rate=settings.discount_rate, uplift=settings.uplift, notes=notes, sensitivity=sens)


def _notes(basis: Basis, options: tuple[Option, ...], specs: tuple[OptionSpec, ...]) -> tuple[str, ...]:
    notes = []
    if basis is Basis.mode:
        notes.append("Set-up cost: the mean over all the LAs with training lines, the same for both modes "
                     "(training is needed whichever way the rounds are delivered).")
    for o in options:
        if not o.setup_las:
            notes.append(f"{o.label}: the forms have no training lines, so the set-up cost is taken as £0.")
    if any(o.saving for o in options):
        for o in options:
            if o.saving is not None:
                notes.append(f"{o.label}: saving from the {o.saving.source}, for "
                             f"{o.saving.staff_per_la.normalize():f} intervention staff per LA (mean over LAs with "
                             f"a staff row).")
        if basis is Basis.mode:
            notes.append("The survey does not record how rounds were delivered: each mode takes the saving of the "
                         "survey phase(s) where most rounds were of that mode.")
    for o, s in zip(options, specs):
        if o.saving is None and s.forms.survey is not None:
            notes.append(f"{o.label}: the survey has no matching phase with a staff row, so no saving is shown.")
    return tuple(notes)


def phases_of(est: Estimate) -> list[str]:
    return sorted({la.phase for la in est.las}, key=natural_key)


def option_specs(sets: tuple[FormsSet, ...], basis: Basis, *, phases: tuple[str, ...] | None = None,
                 labels: tuple[str, ...] | None = None, names: tuple[str, ...] = ()) -> tuple[OptionSpec, OptionSpec]:
    """The two options: in-person and virtual rounds, two phases, or two whole forms sets.
    ``names`` are the default labels of two forms sets (e.g. their folder names)."""
    if labels is not None and (len(labels) != 2 or not all(label.strip() for label in labels)):
        raise UsageError(f"--labels needs two labels separated by a comma, e.g. --labels \"plan A,plan B\" "
                         f"(got {', '.join(map(repr, labels))})")
    if phases is not None and basis is not Basis.phase:
        raise UsageError("--phases goes with --by phase")
    if basis is Basis.sets:
        if len(sets) != 2:
            raise UsageError("comparing forms sets needs two of them")
        default = tuple(names) if len(names) == 2 and names[0] != names[1] else ("A", "B")
        subsets = (Subset(), Subset())
    else:
        if len(sets) != 1:
            raise UsageError(f"--by {basis.value} compares the options within one forms set; with two sets, "
                             "leave --by out")
        est, path = sets[0].estimate, sets[0].forms.path
        if basis is Basis.mode:
            subsets = (Subset(mode=Mode.in_person), Subset(mode=Mode.virtual))
            default = ("in-person", "virtual")
        else:
            have = phases_of(est)
            if phases is not None:
                if len(phases) != 2 or phases[0] == phases[1]:
                    raise UsageError(f"--phases needs two different phases separated by a comma, e.g. --phases 1,2 "
                                     f"(the forms have {', '.join(have)})")
                chosen = tuple(phases)
            elif len(have) == 2:
                chosen = tuple(have)
            elif len(have) > 2:
                raise UsageError(f"the forms have {len(have)} phases ({', '.join(have)}); choose two with "
                                 f"--phases, e.g. --phases {have[0]},{have[-1]}")
            else:
                raise DataError(_rounds_problem(path, column="phase", value=have[0],
                                        message=f"the forms have one phase ({have[0]}), so there is nothing to "
                                                "compare by phase",
                                        fix="Compare by mode (--by mode), or compare two forms sets"))
            subsets = tuple(Subset(phase=p) for p in chosen)
            default = tuple(f"phase {p}" for p in chosen)
        sets = (sets[0], sets[0])
    chosen_labels = tuple(label.strip() for label in labels) if labels is not None else default
    return (OptionSpec(chosen_labels[0], sets[0], subsets[0]), OptionSpec(chosen_labels[1], sets[1], subsets[1]))
