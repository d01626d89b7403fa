"""Prices: each amount's price year, and re-pricing them all to one year.

An estimate adds two kinds of money: staff time priced from the unit-cost table (at the table's
price year, 2019 for the bundled table), and money typed into the forms (``cost``, an own hourly
``rate``) with the mileage rate (a rate of the day), at the forms' price year (``--forms-price-year``
or the forms' ``about`` sheet; by default the table's). Re-pricing (``--uplift-to YEAR``) moves each
from its own price year, two ways:

- with a price index (``--index FILE``): a CSV or XLSX with the columns ``year,index``, for example
  the PSSRU pay and prices index; factor = index[YEAR] / index[the amount's price year];
- with a flat yearly rate (``--uplift PCT``): factor = (1 + PCT/100)^(YEAR - the amount's price year).

sr-cost ships no index: the trial report gives none, and the PSSRU publishes its index each year in
*Unit Costs of Health and Social Care*; users supply the rows they need.

Years may be written as financial years: ``2025/26`` (or ``2025-26``, ``2025/2026``) is read as
2025, the year it starts in (``read_year``). The ``*_uplift`` functions are pure;
``sr_cost.inputs.price_index`` reads an index file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from sr_cost.errors import DataError, Problem, UsageError

YEARS = range(1800, 2301)
_YEAR = re.compile(r"^(?P<start>[0-9]{4})(?:\s*[/-]\s*(?P<end>[0-9]{2}|[0-9]{4}))?$")


def read_year(value: object) -> tuple[int, str | None]:
    """A price year as typed: ``2025``, or a financial year ``2025/26`` (``2025-26``, ``2025/2026``),
    read as the year it starts in. Returns the year and, for a financial year, a sentence saying how
    it was read (every output repeats it). Raises ``ValueError`` with a reason a user can act on."""
    if isinstance(value, bool):
        raise ValueError("is TRUE/FALSE, not a year")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    match = _YEAR.match(text)
    if not match:
        raise ValueError("is not a year (write 2025, or 2025/26 for a financial year)")
    start, end = int(match["start"]), match["end"]
    if start not in YEARS:
        raise ValueError(f"is not a year from {YEARS.start} to {YEARS.stop - 1}")
    if end is None:
        return start, None
    follows = (start + 1) % 100 if len(end) == 2 else start + 1
    if int(end) != follows:
        raise ValueError(f"is not a financial year: {start} is followed by {start + 1}")
    return start, f"'{text}' is read as {start}, the financial year that starts in it"


class UpliftMethod(str, Enum):
    """How figures are re-priced."""

    none = "none"  # each amount stays in its own price year
    index = "index"  # a year,index price index
    flat = "flat"  # a flat yearly rate


@dataclass(frozen=True)
class PriceIndex:
    """A validated price index: year -> index value, with where each row came from."""

    path: str
    sha256: str
    values: dict[int, Decimal]  # [index points]
    rows: dict[int, int]  # year -> row of the file


@dataclass(frozen=True)
class Uplift:
    """Re-pricing to ``to_year``: staff time from ``from_year`` (the unit-cost table's price year),
    by ``factor``; money typed into the forms and the mileage rate from ``forms_year`` (None: the
    table's), by ``forms_factor`` (None: ``factor``)."""

    method: UpliftMethod
    from_year: int
    to_year: int
    factor: Decimal  # multiply staff time in from_year prices by this to get to_year prices
    index_path: str | None = None
    index_sha256: str | None = None
    index_from: Decimal | None = None  # [index points]
    index_to: Decimal | None = None  # [index points]
    rate_pct: Decimal | None = None  # [% a year], flat method
    forms_year: int | None = None  # price year of money typed into the forms; None: from_year
    forms_factor: Decimal | None = None  # multiply forms money in forms_year prices by this; None: factor
    index_forms: Decimal | None = None  # [index points] at forms_year
    notes: tuple[str, ...] = ()  # how years written as financial years were read

    def __post_init__(self) -> None:
        if self.factor <= 0 or self.forms_money_factor <= 0:
            raise AssertionError("an uplift factor must be positive")
        if self.method is UpliftMethod.none and (
            self.factor != 1 or self.forms_money_factor != 1 or self.from_year != self.to_year
        ):
            raise AssertionError("no uplift must have factors 1 and leave the table's year")

    @property
    def price_year(self) -> int:
        """The price year of the figures after re-pricing (without re-pricing: the table's)."""
        return self.to_year

    @property
    def staff_time_factor(self) -> Decimal:
        return self.factor

    @property
    def forms_price_year(self) -> int:
        return self.from_year if self.forms_year is None else self.forms_year

    @property
    def forms_money_factor(self) -> Decimal:
        return self.factor if self.forms_factor is None else self.forms_factor

    @property
    def mixed(self) -> bool:
        """True when the forms' money is in another price year than the table's."""
        return self.forms_price_year != self.from_year

    def describe(self) -> str:
        """One line for every output: which prices the figures are in, and how they got there."""
        notes = "".join(f"; {n}" for n in self.notes)
        if self.method is UpliftMethod.none:
            if not self.mixed:
                return f"{self.to_year} prices (the unit-cost table's price year){notes}"
            return (
                f"two price years, not re-priced: staff time in {self.from_year} prices (the unit-cost table's), "
                f"money typed into the forms and the mileage rate in {self.forms_price_year} prices "
                f"(--uplift-to YEAR puts them in one year){notes}"
            )
        years = self.to_year - self.from_year
        how = (
            f"index {self.index_path}: {self.index_to.normalize():f} / {self.index_from.normalize():f}"
            if self.method is UpliftMethod.index
            else f"a flat {self.rate_pct.normalize():f}% a year for {years} year(s)"
        )
        if not self.mixed:
            return (
                f"{self.to_year} prices, re-priced from {self.from_year} (the unit-cost table's) "
                f"× {self.factor:.6f} ({how}){notes}"
            )
        forms_how = (
            f"index {self.index_to.normalize():f} / {self.index_forms.normalize():f}"
            if self.method is UpliftMethod.index
            else f"{self.to_year - self.forms_price_year} year(s)"
        )
        return (
            f"{self.to_year} prices: staff time re-priced from {self.from_year} (the unit-cost table's) "
            f"× {self.factor:.6f} ({how}); money typed into the forms and the mileage rate from "
            f"{self.forms_price_year} (the forms') × {self.forms_money_factor:.6f} ({forms_how}){notes}"
        )


def no_uplift(price_year: int, forms_year: int | None = None, notes: tuple[str, ...] = ()) -> Uplift:
    """Each amount in its own price year: staff time in the table's ``price_year``, the forms' money
    in ``forms_year`` (None: the table's)."""
    return Uplift(
        UpliftMethod.none,
        price_year,
        price_year,
        Decimal(1),
        forms_year=forms_year,
        forms_factor=Decimal(1),
        notes=notes,
    )


def flat_uplift(
    rate_pct: Decimal, from_year: int, to_year: int, forms_year: int | None = None, notes: tuple[str, ...] = ()
) -> Uplift:
    """factor = (1 + rate/100)^(to - from), with an exact integer power; the forms' money from
    ``forms_year`` (None: ``from_year``) likewise."""
    if rate_pct <= -100:
        raise UsageError(f"--uplift must be more than -100% (got {rate_pct}%)")
    _check_year(to_year)
    growth = 1 + rate_pct / 100
    forms = from_year if forms_year is None else forms_year
    return Uplift(
        UpliftMethod.flat,
        from_year,
        to_year,
        growth ** (to_year - from_year),
        rate_pct=rate_pct,
        forms_year=forms_year,
        forms_factor=growth ** (to_year - forms),
        notes=notes,
    )


def index_uplift(
    index: PriceIndex, from_year: int, to_year: int, forms_year: int | None = None, notes: tuple[str, ...] = ()
) -> Uplift:
    """factor = index[to] / index[from] (and index[to] / index[forms year] for the forms' money); a
    year the index lacks is a data error naming the file."""
    _check_year(to_year)
    forms = from_year if forms_year is None else forms_year
    missing = [y for y in dict.fromkeys((from_year, forms, to_year)) if y not in index.values]
    if missing:
        have = sorted(index.values)
        span = f"{have[0]} to {have[-1]}" if have else "no years"
        whose = {from_year: " (the unit-cost table's price year)", forms: " (the forms' price year)"}
        raise DataError(
            [
                Problem(
                    file=index.path,
                    column="year",
                    value=str(y),
                    message=f"the price index has no row for {y}" + ("" if y == to_year else whose.get(y, "")),
                    fix=f"Add a row '{y},<index>' (the file covers {span})",
                )
                for y in missing
            ]
        )
    return Uplift(
        UpliftMethod.index,
        from_year,
        to_year,
        index.values[to_year] / index.values[from_year],
        index_path=index.path,
        index_sha256=index.sha256,
        index_from=index.values[from_year],
        index_to=index.values[to_year],
        forms_year=forms_year,
        forms_factor=index.values[to_year] / index.values[forms],
        index_forms=index.values[forms],
        notes=notes,
    )


def _check_year(year: int) -> None:
    if year not in YEARS:
        raise UsageError(f"--uplift-to must be a year from {YEARS.start} to {YEARS.stop - 1} (got {year})")
