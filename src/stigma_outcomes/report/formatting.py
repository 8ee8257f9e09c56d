"""How numbers are written in reports: one place, so every renderer prints the same text."""

from __future__ import annotations

import math

MINUS = "−"
SMALL_GROUP = "a small group"
"""How the report names a group too small to show (it is never named: docs/outputs.md)."""


def is_number(value: object) -> bool:
    """True for a finite int or float (not bool, not NaN)."""
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(float(value))
    )


def decimals_for_range(low: float | None, high: float | None) -> int:
    """Decimals for scores on a scale: 2 on short scales (width up to 10), else 1.

    Examples
    --------
    >>> decimals_for_range(1, 4), decimals_for_range(12, 84)
    (2, 1)
    """
    if low is None or high is None:
        return 2
    return 2 if (high - low) <= 10 else 1


def num(value: object, decimals: int = 2, signed: bool = False) -> str:
    """A number with a typographic minus; ``"–"`` when it is missing.

    Examples
    --------
    >>> num(-0.4567), num(1.2, 1, signed=True), num(None)
    ('−0.46', '+1.2', '–')
    """
    if not is_number(value):
        return "–"
    x = round(float(value), decimals)
    if x == 0:
        x = 0.0  # no "−0.00"
    text = f"{abs(x):.{decimals}f}"
    if x < 0:
        return MINUS + text
    return ("+" + text) if signed and x > 0 else text


def pvalue(p: object) -> str:
    """A p value as ``"p < 0.001"`` or ``"p = 0.034"``.

    Examples
    --------
    >>> pvalue(0.00001), pvalue(0.0341)
    ('p < 0.001', 'p = 0.034')
    """
    if not is_number(p):
        return "p not available"
    x = float(p)
    if x < 0.001:
        return "p < 0.001"
    return f"p = {x:.3f}"


def percent(part: float, whole: float) -> str:
    """A whole-number percentage of ``part`` in ``whole``.

    Examples
    --------
    >>> percent(31, 155)
    '20%'
    """
    if not whole:
        return "–"
    if float(part).is_integer() and float(whole).is_integer():
        # Counts: half up in exact arithmetic, as the disclosure audit models it.
        return f"{(200 * int(part) + int(whole)) // (2 * int(whole)):d}%"
    return f"{round(100.0 * part / whole):d}%"


def interval(low: object, high: object, decimals: int = 2) -> str:
    """A confidence interval written out with "to" (clearer than a dash next to a minus).

    A limit that is not zero is never printed as zero: that limit alone gets more decimals (up
    to four) until it shows, so "0.00" never stands beside "the interval excludes zero", and the
    other limit keeps the table's precision.

    Examples
    --------
    >>> interval(-0.28, 0.014), interval(-0.28, 0.004), interval(-0.3, 0.0)
    ('−0.28 to 0.01', '−0.28 to 0.004', '−0.30 to 0.00')
    """
    return f"{_limit(low, decimals)} to {_limit(high, decimals)}"


def _limit(x: object, decimals: int) -> str:
    places = decimals
    while places < 4 and is_number(x) and float(x) != 0 and round(float(x), places) == 0:
        places += 1
    return num(x, places)


def count(n: object) -> str:
    """A count of people with thousands separators.

    Examples
    --------
    >>> count(24167), count(63.0)
    ('24,167', '63')
    """
    return f"{int(float(n)):,}" if is_number(n) else "–"
