"""Numbers as the app shows them: one money formatter, one number formatter, and their kin.

``None`` always means unknown and is shown as such (``unknown`` by default), never as 0.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

MAX_MONEY_PLACES = 10


def money(value: Decimal | float | int | None, *, places: int | None = None, significant: int | None = None,
          unknown: str = "unknown") -> str:
    """USD. By default exact: as many decimals as the value has, at least 2, at most 10, so
    nothing the price math computed is rounded away ($0.15, $0.7125, $0.0000075, $12.40).
    ``significant`` rounds a tiny amount to that many significant digits ($0.0000036 for a
    single answer's cost); ``places`` fixes the decimals."""
    if value is None:
        return unknown
    amount = value if isinstance(value, Decimal) else Decimal(str(value))
    if places is None:
        if significant is not None and amount:
            places = max(2, significant - 1 - amount.adjusted())
        else:
            exponent = amount.normalize().as_tuple().exponent
            places = max(2, -exponent if isinstance(exponent, int) and exponent < 0 else 0)
        places = min(MAX_MONEY_PLACES, places)
    return f"${amount:,.{places}f}"


def per_m(value: Decimal | None, *, unknown: str = "unknown") -> str:
    """USD per 1M tokens: "$0.15/M"."""
    return unknown if value is None else f"{money(value)}/M"


def number(value: float | int | Decimal | None, *, places: int = 1, unknown: str = "unknown") -> str:
    """1232.5 → "1,232.5"; 327.0 → "327"; 4720528 → "4,720,528". At most ``places`` decimals,
    trailing zeros dropped, thousands separated."""
    if value is None:
        return unknown
    text = f"{float(value):,.{places}f}"
    return text.rstrip("0").rstrip(".") if places and "." in text else text


def integer(value: int | None, *, unknown: str = "unknown") -> str:
    return number(value, places=0, unknown=unknown)


def tokens(value: int | float | None, *, unknown: str = "unknown") -> str:
    """128000 → 128K; 16384 → 16K; 518e9 → 518B."""
    if value is None:
        return unknown
    value = float(value)
    if value >= 1024 and value % 1000 != 0 and value % 1024 == 0 and value < 1024 ** 3:
        return f"{value / 1024:.0f}K" if value < 1024 ** 2 else f"{value / 1024 ** 2:.0f}M"
    for size, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(value) >= size:
            scaled = value / size
            text = f"{scaled:.1f}".rstrip("0").rstrip(".") if scaled < 100 else f"{scaled:.0f}"
            return f"{text}{suffix}"
    return f"{value:.0f}"


def percent(value: Decimal | float | None, *, places: int = 0, unknown: str = "unknown") -> str:
    return unknown if value is None else f"{float(value):.{places}f}%"


def fixed(value: float | None, places: int) -> str | None:
    """A table cell with exactly ``places`` decimals, or ``None`` (shown as unknown) when unknown."""
    return None if value is None else f"{value:.{places}f}"


def seconds(value: float | None, *, unknown: str = "unknown") -> str:
    """A duration: "327 ms" below a second, "1.23 s" from there."""
    if value is None:
        return unknown
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def date_text(value: dt.date | None, *, unknown: str = "unknown") -> str:
    return unknown if value is None else value.isoformat()


def month_text(value: dt.date | None, *, unknown: str = "unknown") -> str:
    return unknown if value is None else value.strftime("%b %Y")
