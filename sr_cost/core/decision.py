"""The figures a commissioner decides on: does a saving pay for the rounds over the planning horizon,
when, and what would make it pay. Pure functions, exact Decimals.

The rounds cost a one-off set-up ``setup`` (training: the fee and the staff time) and ``running`` a
year; they may save ``saving`` a year (sickness absence avoided, on the chosen valuation basis).
Over a horizon of T years, year t (t = 0 for the first) is discounted by (1 + r)^-t, and
A = sum of (1 + r)^-t over the T years is the present value of £1 a year:

- net cost, first year = setup + running - saving;
- net present value (of the net cost, as the rest of sr-cost signs it: negative means the rounds
  save more than they cost) = setup + A x running - A x saving;
- return on investment (ROI) = present value of the savings / present value of the costs
  = A x saving / (setup + A x running): £ back per £1 spent; first year: saving / (setup + running);
- payback = the month m at which the cumulative saving covers the cumulative cost, costs and
  savings accruing evenly over each year and the set-up paid at the start, undiscounted:
  setup + running x m/12 = saving x m/12, so m = 12 x setup / (saving - running); none when the
  saving does not exceed the running cost, or when m is beyond the horizon;
- the break-even figures each solve "net present value = 0" for one quantity, the others held:
  the largest set-up fee per LA (the direct training cost, each of ``las`` LAs paying it; the
  training's staff time stays), the largest mean cost per round (every LA's; the running cost a
  year is then LAs x rounds a year x that mean + ``Scale.fixed_year``), and the smallest
  saving per intervention staff member a year and the sick days each must avoid a year.

Each solved figure, put back in, gives a net present value of 0 (a test checks it within a penny).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sr_cost.money import ZERO

MONTHS = Decimal(12)


@dataclass(frozen=True)
class Scale:
    """What a saving is spread over: the LAs counted, their intervention staff, and the cost of a
    sick day (for the break-even days)."""

    las: int  # LAs counted
    staff: int | Decimal  # their intervention staff
    rounds_per_year: int | Decimal  # [rounds/year] of each LA (their mean)
    setup_indirect: Decimal  # [£] the set-up's staff time and mileage (the rest is the fee)
    sick_day_cost: Decimal | None  # [£/day] mean hourly cost of absence x hours in a day; None: unknown
    # [£/year] the running cost a year that does not move with the mean cost per round: with the
    # period the forms cover known, a year's steering tied to no round less its share counted in the
    # mean per round (rounds a year x that share); 0 otherwise, and with the forms' own rounds a year
    fixed_year: Decimal = ZERO


@dataclass(frozen=True)
class Decision:
    """The decision figures of one phase (or one option), and their inputs."""

    setup: Decimal  # [£]
    running_cost_year: Decimal  # [£/year]
    saving_year: Decimal  # [£/year]
    years: int
    discount_rate: Decimal  # [1/year]
    annuity: Decimal  # present value of £1 a year over the horizon
    net_first_year: Decimal  # [£] net cost
    net_present_value: Decimal  # [£] of the net cost over the horizon (negative: the rounds pay)
    roi: Decimal | None  # [£ back per £1] over the horizon, at present value
    roi_first_year: Decimal | None
    payback_months: Decimal | None  # None: not within the horizon
    max_setup_fee: Decimal | None  # [£ per LA]; negative: no fee would do
    max_cost_per_round: Decimal | None  # [£/round, every LA's mean]
    break_even_saving_per_staff: Decimal | None  # [£/year per intervention staff member]
    break_even_sick_days_per_staff: Decimal | None  # [days/year per intervention staff member]


def annuity(years: int, rate: Decimal) -> Decimal:
    """Present value of £1 a year for ``years`` years, the first undiscounted: sum of (1 + r)^-t."""
    return sum((Decimal(1) / (Decimal(1) + rate) ** t for t in range(years)), ZERO)


def net_present_value(setup: Decimal, running: Decimal, saving: Decimal, a: Decimal) -> Decimal:
    """Present value of the net cost over the horizon: setup + A x (running - saving)."""
    return setup + a * (running - saving)


def saving_to_break_even(setup: Decimal, running: Decimal, a: Decimal) -> Decimal:
    """The saving a year at which the net present value is 0 (and the ROI is 1): running + setup / A."""
    return running + setup / a


def saving_to_pay_back(setup: Decimal, running: Decimal, years: int) -> Decimal:
    """The saving a year above which the rounds pay back within ``years`` (undiscounted): running +
    setup / years (strictly above the running cost when there is no set-up cost)."""
    return running + setup / Decimal(years)


def payback_months(setup: Decimal, running: Decimal, saving: Decimal, years: int) -> Decimal | None:
    """Months until the cumulative saving covers the cumulative cost (undiscounted), or None when
    that is not within ``years``."""
    if saving <= running:
        return None
    months = MONTHS * setup / (saving - running)
    return months if months <= MONTHS * years else None


def decide(setup: Decimal, running: Decimal, saving: Decimal, scale: Scale, *, years: int, rate: Decimal) -> Decision:
    """The decision figures of a set-up cost, a running cost a year and a saving a year."""
    a = annuity(years, rate)
    costs = setup + a * running
    max_fee = (a * (saving - running) - scale.setup_indirect) / scale.las if scale.las else None
    max_round = (
        (a * (saving - scale.fixed_year) - setup) / (a * scale.las * scale.rounds_per_year) if scale.las else None
    )
    per_staff = costs / (a * Decimal(scale.staff)) if scale.staff else None
    days = per_staff / scale.sick_day_cost if per_staff is not None and scale.sick_day_cost else None
    return Decision(
        setup=setup,
        running_cost_year=running,
        saving_year=saving,
        years=years,
        discount_rate=rate,
        annuity=a,
        net_first_year=setup + running - saving,
        net_present_value=net_present_value(setup, running, saving, a),
        roi=a * saving / costs if costs else None,
        roi_first_year=saving / (setup + running) if setup + running else None,
        payback_months=payback_months(setup, running, saving, years),
        max_setup_fee=max_fee,
        max_cost_per_round=max_round,
        break_even_saving_per_staff=per_staff,
        break_even_sick_days_per_staff=days,
    )
