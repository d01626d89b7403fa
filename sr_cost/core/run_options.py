"""The arguments of a run, checked before any file is read: the range of each option, how the
re-pricing options fit together, and what every forms set of a run is priced with (each amount from
its own price year: staff time at the unit-cost table's, the forms' money at ``--forms-price-year``,
else their about sheet's, else the table's). Pure: a bad argument is a UsageError."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePath

from sr_cost.core.lines import FormsAbout
from sr_cost.core.prices import PriceIndex, Uplift, flat_uplift, index_uplift, no_uplift, read_year
from sr_cost.core.savings import SavingsAssumptions
from sr_cost.core.unit_costs import AbsenceBasis
from sr_cost.errors import UsageError

MAX_PERIOD_MONTHS = 120  # [months] the longest period forms may cover (ten years; --period-months, about sheet)
MOST_MILEAGE_RATE = Decimal(100)  # [£/mile] the most --mileage-rate may be (HMRC's rate is £0.45)


def check_horizon(years: int, discount_rate: Decimal) -> None:
    """The planning horizon [years] and discount rate [fraction a year] an option may take."""
    if not 1 <= years <= 50:
        raise UsageError(f"--years must be from 1 to 50 (got {years})")
    if not 0 <= discount_rate < 1:
        raise UsageError(f"--discount-rate must be from 0% to below 100% (got {discount_rate * 100}%)")


def check_options(
    rounds_per_year: int | None, mileage_rate: Decimal, period_months: int | None, a: SavingsAssumptions
) -> None:
    """The options of a run's costing and savings, each within its range [units as the options']."""
    if rounds_per_year is not None and rounds_per_year < 1:
        raise UsageError(f"--rounds-per-year must be at least 1 (got {rounds_per_year})")
    if period_months is not None and not 1 <= period_months <= MAX_PERIOD_MONTHS:
        raise UsageError(f"--period-months must be from 1 to {MAX_PERIOD_MONTHS} (got {period_months})")
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


def year_option(value: int | str, option: str, notes: list[str]) -> int:
    """A year option (``2025`` or ``2025/26``), with how a financial year was read added to ``notes``."""
    try:
        year, note = read_year(value)
    except ValueError as exc:
        raise UsageError(f"{option} {value!r} {exc}") from None
    if note:
        notes.append(f"{note} ({option})")
    return year


def uplift_options(
    uplift_to: int | str | None, index: str | PurePath | PriceIndex | None, uplift_pct: Decimal | None, notes: list[str]
) -> int | None:
    """The year to re-price to, once the re-pricing options are known to fit together."""
    if uplift_pct is not None and index is not None:
        raise UsageError("give --index FILE or --uplift PCT, not both")
    if (uplift_pct is not None or index is not None) and uplift_to is None:
        raise UsageError("--index and --uplift need --uplift-to YEAR (the price year to re-price to)")
    if uplift_to is not None and uplift_pct is None and index is None:
        raise UsageError("--uplift-to needs --index FILE (a year,index price index) or --uplift PCT (a yearly rate)")
    return None if uplift_to is None else year_option(uplift_to, "--uplift-to", notes)


def prices_of(
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


@dataclass(frozen=True)
class Pricing:
    """What every forms set of a run is priced with, but for its own about sheet."""

    table_year: int
    forms_year: int | None
    to_year: int | None
    price_index: PriceIndex | None
    uplift_pct: Decimal | None
    notes: tuple[str, ...]

    def prices(self, about: FormsAbout) -> Uplift:
        return prices_of(
            self.table_year,
            self.forms_year,
            about,
            self.to_year,
            self.price_index,
            self.uplift_pct,
            list(self.notes),
        )
