"""The commissioner's view: two options side by side, over a planning horizon, with sensitivity.

Pure functions, Decimal money, no I/O and no printing. An *option* is a subset of a costed forms set
(its figures: ``core.options``):

- ``--by mode``: the rounds of one mode. Its cost per round is the mean over LAs of their mean per
  round for that mode (the estimate's ``modes`` figures); its set-up cost is the mean set-up cost
  over all the set's LAs with training lines, the same for both modes (training buys the licence and
  the facilitators, whichever way the rounds are then delivered).
- ``--by phase``: the rounds of one phase, with the phase's mean per round and mean set-up cost.
- two forms sets: each whole set, with its overall mean per round and mean set-up cost.

The sensitivity (``core.sensitivity``) re-runs the costing (and the savings) on transformed forms,
so every figure comes from the same engine as the base case.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from sr_cost.core.columns import natural_key
from sr_cost.core.comparison import Basis, Comparison, Figures, FormsSet, Option, OptionSpec, Settings, Subset
from sr_cost.core.estimate import Assumptions, Estimate
from sr_cost.core.lines import Mode
from sr_cost.core.options import build_option, rounds_problem
from sr_cost.core.progress import Progress
from sr_cost.core.sensitivity import sensitivity
from sr_cost.errors import DataError, UsageError
from sr_cost.money import ZERO


def _shared(a: Assumptions) -> Assumptions:
    """The assumptions two compared forms sets must share: all but the period each covers (and how
    each one's years were written)."""
    return replace(a, period_months=None, prices=None if a.prices is None else replace(a.prices, notes=()))


def _difference(x: Decimal, y: Decimal) -> Decimal:
    return y - x


def _ratio(x: Decimal, y: Decimal) -> Decimal | None:
    return None if x == 0 else y / x


def compare(
    specs: tuple[OptionSpec, OptionSpec], basis: Basis, settings: Settings, progress: Progress | None = None
) -> Comparison:
    """Two options side by side, with their horizon, the difference (B - A) and the ratio (B / A),
    and with ``settings.sensitivity`` the tornado and break-even attendance (``progress`` is told
    how its scenarios go)."""
    if not 1 <= settings.years <= 50:
        raise UsageError(f"--years must be from 1 to 50 (got {settings.years})")
    if not ZERO <= settings.discount_rate < 1:
        raise UsageError(f"--discount-rate must be from 0% to below 100% (got {settings.discount_rate * 100}%)")
    a_spec, b_spec = specs
    if not a_spec.label.strip() or not b_spec.label.strip() or a_spec.label == b_spec.label:
        raise UsageError(
            f"the two options need two different, non-blank labels (got {a_spec.label!r} and {b_spec.label!r})"
        )
    if _shared(a_spec.forms.estimate.assumptions) != _shared(b_spec.forms.estimate.assumptions):
        raise UsageError("both forms sets must be costed with the same assumptions")
    options = tuple(build_option(s, s.forms.estimate, s.forms.savings, settings) for s in specs)
    a, b = options
    notes = _notes(basis, options, specs)
    sens = sensitivity(specs, options, settings, progress) if settings.sensitivity else None
    return Comparison(
        basis=basis,
        options=options,
        difference=Figures.combine(Figures.of(a), Figures.of(b), _difference),
        ratio=Figures.combine(Figures.of(a), Figures.of(b), _ratio),
        years=settings.years,
        discount_rate=settings.discount_rate,
        uplift=settings.uplift,
        notes=notes,
        sensitivity=sens,
    )


def _notes(basis: Basis, options: tuple[Option, ...], specs: tuple[OptionSpec, ...]) -> tuple[str, ...]:
    notes = []
    if basis is Basis.mode:
        notes.append(
            "Set-up cost: the mean over all the LAs with training lines, the same for both modes "
            "(training is needed whichever way the rounds are delivered)."
        )
    for o in options:
        if not o.setup_las:
            notes.append(f"{o.label}: the forms have no training lines, so the set-up cost is taken as £0.")
    if any(o.saving for o in options):
        for o in options:
            if o.saving is not None:
                notes.append(
                    f"{o.label}: saving from the {o.saving.source}, for "
                    f"{o.saving.staff_per_la.normalize():f} intervention staff per LA (mean over LAs with "
                    f"a staff row)."
                )
        notes.append(
            "Saving a year (extrap.): an extrapolation, the respondents' difference in sickness-absence cost "
            "a year per staff member as if it held for every intervention staff member of a typical LA; "
            "its 95% interval (and those of the net costs) from the bootstrap of that difference, the costs "
            "taken as known."
        )
        if basis is Basis.mode:
            notes.append(
                "The survey does not record how rounds were delivered: each mode takes the saving of the "
                "survey phase(s) where most rounds were of that mode."
            )
    for o, s in zip(options, specs):
        if o.saving is None and s.forms.survey is not None:
            notes.append(f"{o.label}: the survey has no matching phase with a staff row, so no saving is shown.")
    return tuple(notes)


def phases_of(est: Estimate) -> list[str]:
    return sorted({la.phase for la in est.las}, key=natural_key)


def option_specs(
    sets: tuple[FormsSet, ...],
    basis: Basis,
    *,
    phases: tuple[str, ...] | None = None,
    labels: tuple[str, ...] | None = None,
    names: tuple[str, ...] = (),
) -> tuple[OptionSpec, OptionSpec]:
    """The two options: in-person and virtual rounds, two phases, or two whole forms sets.
    ``names`` are the default labels of two forms sets (e.g. their folder names)."""
    if labels is not None and (len(labels) != 2 or not all(label.strip() for label in labels)):
        raise UsageError(
            f'--labels needs two labels separated by a comma, e.g. --labels "plan A,plan B" '
            f"(got {', '.join(map(repr, labels))})"
        )
    if phases is not None and basis is not Basis.phase:
        raise UsageError("--phases goes with --by phase")
    if basis is Basis.sets:
        if len(sets) != 2:
            raise UsageError("comparing forms sets needs two of them")
        default = tuple(names) if len(names) == 2 and names[0] != names[1] else ("A", "B")
        subsets = (Subset(), Subset())
    else:
        if len(sets) != 1:
            raise UsageError(
                f"--by {basis.value} compares the options within one forms set; with two sets, leave --by out"
            )
        est, path = sets[0].estimate, sets[0].forms.path
        if basis is Basis.mode:
            subsets = (Subset(mode=Mode.in_person), Subset(mode=Mode.virtual))
            default = ("in-person", "virtual")
        else:
            have = phases_of(est)
            if phases is not None:
                if len(phases) != 2 or phases[0] == phases[1]:
                    raise UsageError(
                        f"--phases needs two different phases separated by a comma, e.g. --phases 1,2 "
                        f"(the forms have {', '.join(have)})"
                    )
                chosen = tuple(phases)
            elif len(have) == 2:
                chosen = tuple(have)
            elif len(have) > 2:
                raise UsageError(
                    f"the forms have {len(have)} phases ({', '.join(have)}); choose two with "
                    f"--phases, e.g. --phases {have[0]},{have[-1]}"
                )
            else:
                raise DataError(
                    rounds_problem(
                        path,
                        column="phase",
                        value=have[0],
                        message=f"the forms have one phase ({have[0]}), so there is nothing to compare by phase",
                        fix="Compare by mode (--by mode), or compare two forms sets",
                    )
                )
            subsets = tuple(Subset(phase=p) for p in chosen)
            default = tuple(f"phase {p}" for p in chosen)
        sets = (sets[0], sets[0])
    chosen_labels = tuple(label.strip() for label in labels) if labels is not None else default
    return (OptionSpec(chosen_labels[0], sets[0], subsets[0]), OptionSpec(chosen_labels[1], sets[1], subsets[1]))
