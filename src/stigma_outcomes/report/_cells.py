"""What the disclosure audit says of one count: its publication states and feasible range.

The small value types shared by the audit (:mod:`.disclosure`), its solvers
(:mod:`._feasible`) and secondary suppression (:mod:`.secondary`); re-exported by
:mod:`.disclosure`, where they are documented in context.
"""

from __future__ import annotations

from dataclasses import dataclass

EXACT, SMALL, HIDDEN, UNKNOWN = "exact", "small", "hidden", "unknown"
STATES = (EXACT, SMALL, HIDDEN, UNKNOWN)


@dataclass(frozen=True)
class CellRange:
    """What a reader can still believe about one suppressed count.

    ``low``/``high`` are the smallest and largest feasible whole values (``high`` may be
    ``inf``); ``attainable`` lists which of 1 to ``threshold - 1`` remain possible.
    """

    key: str
    low: float
    high: float
    attainable: frozenset[int]
    threshold: int

    @property
    def safe(self) -> bool:
        """True when every value from 1 to ``threshold - 1`` is still possible."""
        return all(v in self.attainable for v in range(1, self.threshold))


@dataclass(frozen=True)
class Share:
    """A printed percentage of ``num`` in ``den``, rounded half up to ``decimals``."""

    num: str
    den: str
    decimals: int = 0


def rounded_percent(part: int, whole: int, decimals: int = 0) -> int:
    """The percentage ``100 * part / whole`` rounded half up, in units of ``10**-decimals``.

    Exact integer arithmetic, so the audit models precisely what the report prints.

    Examples
    --------
    >>> rounded_percent(4, 9), rounded_percent(1, 8), rounded_percent(1, 3, 1)
    (44, 13, 333)
    """
    scale = 100 * 10**decimals
    return (2 * scale * part + whole) // (2 * whole)
