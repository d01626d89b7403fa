"""The one money type and every rounding rule.

Money is ``Decimal`` from input to output. It is rounded half-up to the penny only when it is
shown or written (``to_penny``, ``money_str``, ``gbp``); arithmetic never rounds. Other figures
(attendees, days, ratios, factors, probabilities) are rounded half-up to a stated number of
places, here too (``round_half_up``, ``places``, ``percent``), never with Python's own formatting,
which rounds half to even.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

PENNY = Decimal("0.01")
ZERO = Decimal(0)

# Plain ASCII numbers only: optional sign, optional £, digits with optional thousands commas,
# optional decimal part. No exponents, underscores, NaN or infinity.
_NUMBER = re.compile(r"^(?P<sign>[-+]?)\s*£?\s*(?P<int>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.(?P<frac>[0-9]+))?$")


def to_penny(value: Decimal) -> Decimal:
    """Round half-up to the penny (for presentation only)."""
    return value.quantize(PENNY, rounding=ROUND_HALF_UP)


def round_half_up(value: Decimal, n: int) -> Decimal:
    """``value`` rounded half-up to ``n`` decimal places (for presentation only)."""
    return value.quantize(Decimal(1).scaleb(-n), rounding=ROUND_HALF_UP)


def places(value: Decimal | None, n: int) -> str | None:
    """A figure that is not money as a string with ``n`` decimals, rounded half-up: ``'10.5'``."""
    if value is None:
        return None
    return f"{round_half_up(value, n):.{n}f}"


def percent(value: Decimal, n: int = 0) -> str:
    """A probability or share as a percentage with ``n`` decimals, rounded half-up: ``'67%'``."""
    return f"{places(value * 100, n)}%"


def money_str(value: Decimal | None) -> str | None:
    """Two-decimal string for JSON and CSV: ``Decimal('29.035') -> '29.04'``."""
    if value is None:
        return None
    return f"{to_penny(value):.2f}"


def gbp(value: Decimal | None, none: str = "n/a") -> str:
    """Display form with pound sign and thousands separators: ``'£1,234.50'``."""
    if value is None:
        return none
    rounded = to_penny(value)
    sign = "-" if rounded < 0 else ""
    return f"{sign}£{abs(rounded):,.2f}"


def parse_number(raw: object, *, max_places: int | None = None) -> Decimal:
    """Parse a number as typed into a form, exactly.

    Accepts ``12``, ``12.5``, ``£1,234.50``, and ints or floats as a spreadsheet stores them.
    Raises ``ValueError`` with a reason a user can act on.
    """
    if isinstance(raw, bool):
        raise ValueError("is TRUE/FALSE, not a number")
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        if raw != raw or raw in (float("inf"), float("-inf")):
            raise ValueError("is not a finite number")
        # repr gives the shortest text that round-trips, which is what the spreadsheet showed.
        value = Decimal(repr(raw))
        text = format(value, "f")
    elif isinstance(raw, Decimal):
        if not raw.is_finite():
            raise ValueError("is not a finite number")
        value, text = raw, format(raw, "f")
    else:
        text = str(raw).strip()
        match = _NUMBER.match(text)
        if not match:
            raise ValueError("is not a number")
        digits = match["int"].replace(",", "") + ("." + match["frac"] if match["frac"] else "")
        try:
            value = Decimal(digits)
        except InvalidOperation:  # pragma: no cover - the regex admits only valid digits
            raise ValueError("is not a number") from None
        if match["sign"] == "-":
            value = -value
    if max_places is not None:
        places = -value.as_tuple().exponent if value.as_tuple().exponent < 0 else 0
        if places > max_places:
            raise ValueError(f"has more than {max_places} decimal places")
    return value
