"""Small-cell suppression that holds across one whole report.

Every count of people a report shows is registered here under a key, together with the
sums it takes part in (a total and its parts) and the counts it is derived from (a group's
statistics rest on that group's size). :meth:`Disclosure.resolve` then decides, once for
the whole report, which counts are shown:

* a count from 1 to ``threshold - 1`` is *small* and shown as ``"<5"`` (zero is shown);
* when a sum is shown and exactly one of its parts is hidden, the part could be worked out
  by subtraction, so the smallest other non-zero part is hidden too (*complementary*
  suppression), and so on until no hidden count can be recovered from any sum;
* anything derived from a hidden count (a group's means, percentages, test statistics,
  degrees of freedom) is hidden with it, and takes part in the sums in its turn.

Because tables, charts and sentences all read the same resolved statuses, a number hidden
in one place is hidden everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Status = Literal["shown", "small", "hidden"]

DEFAULT_THRESHOLD = 5


@dataclass
class Disclosure:
    """Registry of the counts in one report and the rule that hides small ones.

    Parameters
    ----------
    threshold : int
        Counts from 1 to ``threshold - 1`` are suppressed (default 5; some funders ask for 11).

    Examples
    --------
    >>> d = Disclosure(threshold=5)
    >>> d.count("all", 40); d.count("a", 3); d.count("b", 17); d.count("c", 20)
    >>> d.relation("all", ["a", "b", "c"])
    >>> status = d.resolve()
    >>> status["a"], status["b"], status["c"], status["all"]
    ('small', 'hidden', 'shown', 'shown')
    """

    threshold: int = DEFAULT_THRESHOLD
    values: dict[str, int] = field(default_factory=dict)
    relations: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    depends: dict[str, set[str]] = field(default_factory=dict)
    _status: dict[str, Status] | None = None

    def __post_init__(self) -> None:
        if int(self.threshold) < 1:
            raise ValueError("the suppression threshold must be at least 1")

    def count(self, key: str, n: int | float | None) -> None:
        """Register a count of people under ``key`` (``None`` or NaN counts are ignored)."""
        if n is None or n != n:
            return
        self.values[key] = int(n)
        self._status = None

    def relation(self, total: str, parts: list[str]) -> None:
        """Declare that ``total`` is the sum of ``parts``.

        A total that was never registered as a count is treated as published, which is the
        cautious reading (a reader may know it from elsewhere).
        """
        self.relations.append((total, tuple(parts)))
        self._status = None

    def derived(self, key: str, base: str) -> None:
        """Declare that ``key`` is derived from ``base``: hidden whenever ``base`` is."""
        self.depends.setdefault(base, set()).add(key)
        self._status = None

    def resolve(self) -> dict[str, Status]:
        """Decide, once for the report, whether each registered count is shown."""
        t = int(self.threshold)
        status: dict[str, Status] = {
            k: ("small" if 0 < v < t else "shown") for k, v in self.values.items()
        }
        changed = True
        while changed:
            changed = False
            for base, dependents in self.depends.items():
                if status.get(base, "shown") != "shown":
                    for key in dependents:
                        if status.get(key, "shown") == "shown":
                            status[key] = "hidden"
                            changed = True
            for total, parts in self.relations:
                changed |= self._protect(total, parts, status)
        self._status = status
        return status

    def _protect(self, total: str, parts: tuple[str, ...], status: dict[str, Status]) -> bool:
        present = [p for p in parts if p in self.values]
        hidden = [p for p in present if status[p] != "shown"]
        if status.get(total, "shown") != "shown" or len(hidden) != 1:
            return False
        candidates = [p for p in present if status[p] == "shown" and self.values[p] > 0]
        if candidates:
            victim = min(candidates, key=lambda p: (self.values[p], p))
            status[victim] = "hidden"
            return True
        if total in self.values:
            status[total] = "hidden"
            return True
        # The hidden part is the only non-zero one, so it equals the published total;
        # that total is then itself a small count and must not be published.
        status[total] = "hidden"
        return True

    def status(self, key: str) -> Status:
        """Resolved status of ``key`` (unregistered keys are shown)."""
        if self._status is None:
            self.resolve()
        assert self._status is not None
        return self._status.get(key, "shown")

    def shown(self, key: str) -> bool:
        """Whether the count (or what is derived from it) may be shown."""
        return self.status(key) == "shown"

    def mark(self, key: str) -> str:
        """How a suppressed count is printed: ``"<5"`` when small, ``"‡"`` when hidden."""
        state = self.status(key)
        if state == "small":
            return f"<{self.threshold}"
        if state == "hidden":
            return HIDDEN_MARK
        value = self.values.get(key)
        return "" if value is None else f"{value:,}"

    def note(self) -> str:
        """The sentence that states the rule, for every report."""
        t = int(self.threshold)
        return (
            f"To protect privacy, any count of 1 to {t - 1} people is shown as “<{t}”, and "
            f"anything worked out from fewer than {t} people (a group's averages, percentages "
            f"and test results) is not shown. Where a small number could be worked out from a "
            f"total, one more number is hidden and marked “{HIDDEN_MARK}”."
        )

    @property
    def any_suppressed(self) -> bool:
        """True when at least one registered count is not shown."""
        return any(self.status(k) != "shown" for k in self.values)


HIDDEN_MARK = "‡"
"""Printed where a count of at least the threshold is hidden so a small one stays hidden."""
