"""Prices: re-pricing figures from the unit-cost table's price year to another year.

Every figure sr-cost computes is in the unit-cost table's price year (2019 for the bundled table).
``sr-cost compare`` can re-price them, two ways:

- with a price index (``--uplift-to YEAR --index FILE``): a CSV or XLSX with the columns
  ``year,index``, for example the PSSRU pay and prices index; factor = index[YEAR] / index[price year];
- with a flat yearly rate (``--uplift-to YEAR --uplift PCT``): factor = (1 + PCT/100)^(YEAR - price year).

sr-cost ships no index: the trial report gives none, and the PSSRU publishes its index each year in
*Unit Costs of Health and Social Care*; users supply the rows they need.

The ``*_uplift`` functions are pure; ``sr_cost.inputs.price_index`` reads an index file.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from sr_cost.errors import DataError, Problem, UsageError

YEARS = range(1800, 2301)


class UpliftMethod(str, Enum):
    """How figures are re-priced."""

    none = "none"  # figures stay in the unit-cost table's price year
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
    """Re-pricing from ``from_year`` (the unit-cost table's price year) to ``to_year``."""

    method: UpliftMethod
    from_year: int
    to_year: int
    factor: Decimal  # multiply a figure in from_year prices by this to get to_year prices
    index_path: str | None = None
    index_sha256: str | None = None
    index_from: Decimal | None = None  # [index points]
    index_to: Decimal | None = None  # [index points]
    rate_pct: Decimal | None = None  # [% a year], flat method

    def __post_init__(self) -> None:
        if self.factor <= 0:
            raise AssertionError("an uplift factor must be positive")
        if self.method is UpliftMethod.none and (self.factor != 1 or self.from_year != self.to_year):
            raise AssertionError("no uplift must have factor 1 and the same years")

    @property
    def price_year(self) -> int:
        """The price year of the figures after re-pricing."""
        return self.to_year

    def describe(self) -> str:
        """One line for every output: which prices the figures are in, and how they got there."""
        if self.method is UpliftMethod.none:
            return f"{self.to_year} prices (the unit-cost table's price year)"
        how = (
            f"index {self.index_path}: {self.index_to.normalize():f} / {self.index_from.normalize():f}"
            if self.method is UpliftMethod.index
            else f"a flat {self.rate_pct.normalize():f}% a year for {self.to_year - self.from_year} year(s)"
        )
        return (
            f"{self.to_year} prices, re-priced from {self.from_year} (the unit-cost table's) "
            f"× {self.factor:.6f} ({how})"
        )


def no_uplift(price_year: int) -> Uplift:
    return Uplift(UpliftMethod.none, price_year, price_year, Decimal(1))


def flat_uplift(rate_pct: Decimal, from_year: int, to_year: int) -> Uplift:
    """factor = (1 + rate/100)^(to - from), with an exact integer power."""
    if rate_pct <= -100:
        raise UsageError(f"--uplift must be more than -100% (got {rate_pct}%)")
    _check_year(to_year)
    factor = (1 + rate_pct / 100) ** (to_year - from_year)
    return Uplift(UpliftMethod.flat, from_year, to_year, factor, rate_pct=rate_pct)


def index_uplift(index: PriceIndex, from_year: int, to_year: int) -> Uplift:
    """factor = index[to] / index[from]; a year the index lacks is a data error naming the file."""
    _check_year(to_year)
    missing = [y for y in dict.fromkeys((from_year, to_year)) if y not in index.values]
    if missing:
        have = sorted(index.values)
        span = f"{have[0]} to {have[-1]}" if have else "no years"
        raise DataError(
            [
                Problem(
                    file=index.path,
                    column="year",
                    value=str(y),
                    message=f"the price index has no row for {y}"
                    + (" (the unit-cost table's price year)" if y == from_year else ""),
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
    )


def _check_year(year: int) -> None:
    if year not in YEARS:
        raise UsageError(f"--uplift-to must be a year from {YEARS.start} to {YEARS.stop - 1} (got {year})")
