"""Small-cell suppression that holds across one whole report, proven by a disclosure audit.

Every count of people a report shows is registered here under a key, with the sums it
takes part in (a total and its parts), the percentages printed of it, and the counts it is
derived from (a group's statistics rest on that group's size). :meth:`Disclosure.resolve`
then decides, once for the whole report, which counts are shown:

* a count of people from 1 to ``threshold - 1`` is *small* and shown as ``"<5"`` (zero is
  shown; counts of things, such as columns or files, are always shown);
* anything derived from a suppressed count (a group's means, percentages, test statistics)
  is *withheld* with it;
* the :class:`~stigma_outcomes.report.disclosure.Audit` then works out what a reader could
  infer from everything published, and :func:`~stigma_outcomes.report.secondary.protect`
  hides further counts (*hidden*, marked ``‡``), cheapest to the reader first, until every
  small count can still be any of 1 to ``threshold - 1``;
* a final audit of the whole report must pass, or no report is written.

Because tables, charts and sentences all read the same resolved statuses, a number hidden
in one place is hidden everywhere.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Literal

from .disclosure import EXACT, HIDDEN, SMALL, UNKNOWN, Audit
from .secondary import DisclosureAuditError, protect

Status = Literal["shown", "small", "hidden", "withheld"]

DEFAULT_THRESHOLD = 5
HIDDEN_MARK = "‡"
"""Printed where a count of at least the threshold is hidden so a small one stays hidden."""
WITHHELD_MARK = "not shown"
"""Printed where a count rests on a suppressed one (a small group's own categories)."""

_COST = {
    "n_no_reliable_change": 1.0,
    "n_reliably_deteriorated": 3.0,
    "n_reliably_improved": 4.0,
    # A group's size: hiding it hides every statistic of the group with it.
    "n_pairs": 100.0,
    "n_before": 100.0,
    "n_after": 100.0,
}
_STATE = {"shown": EXACT, "small": SMALL, "hidden": HIDDEN, "withheld": UNKNOWN}


def reader_cost(key: str) -> float:
    """How much a reader loses when the count under ``key`` is hidden (lower: hidden first).

    "No reliable change" before "reliably worse" before "reliably improved"; a group's
    count before the whole sample's (tenfold); a group size (which hides that group's
    statistics with it) last. Keys of other kinds cost a middle amount.

    Examples
    --------
    >>> reader_cost("paired|x|t|pre|post|g:A|n_no_reliable_change")
    1.0
    >>> reader_cost("paired|x|t|pre|post|*|n_reliably_improved")
    40.0
    """
    name = key.rsplit("|", 1)[-1]
    base = _COST.get(name, 5.0)
    return base * (10.0 if "|*|" in key or key.startswith("flow|") else 1.0)


@dataclass
class AuditSummary:
    """What the disclosure audit checked, for the methods section and the evaluator."""

    threshold: int
    counts: int
    relations: int
    suppressed: int
    added: list[str]
    seconds: float
    solver_calls: int
    left_out: list[str] = field(default_factory=list)
    """Counts left out altogether (zeros too) where hiding more could not protect a small
    one, as in a very small sample."""


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
    inclusions: list[tuple[str, str]] = field(default_factory=list)
    depends: dict[str, set[str]] = field(default_factory=dict)
    shares: dict[str, tuple[str, str]] = field(default_factory=dict)
    not_people: set[str] = field(default_factory=set)
    unpublished: set[str] = field(default_factory=set)
    costs: dict[str, float] = field(default_factory=dict)
    summary: AuditSummary | None = None
    _status: dict[str, Status] | None = None
    _read: bool = False

    def __post_init__(self) -> None:
        if int(self.threshold) < 1:
            raise ValueError("the suppression threshold must be at least 1")

    def _changing(self) -> None:
        # Marks already printed were decided without what is registered now.
        if self._read:
            raise RuntimeError(
                "a count was registered after the report printed its marks; register every "
                "count before the first status(), mark() or shown()"
            )
        self._status = None

    def count(
        self,
        key: str,
        n: int | float | None,
        *,
        person: bool = True,
        cost: float | None = None,
        published: bool = True,
    ) -> None:
        """Register a count under ``key`` (``None`` or NaN counts are ignored).

        ``person=False`` marks a count of things (columns, files), shown as it is;
        ``published=False`` a count the report never prints, which only ties others
        together (e.g. answers beyond the first per person).
        """
        if n is None or n != n:
            return
        self.values[key] = int(n)
        if not person:
            self.not_people.add(key)
        if not published:
            self.unpublished.add(key)
        if cost is not None:
            self.costs[key] = float(cost)
        self._changing()

    def relation(self, total: str, parts: list[str]) -> None:
        """Declare that ``total`` is the sum of ``parts``.

        A total that was never registered is printed nowhere: the reader knows only that
        the parts add up to some whole. Register every total the report prints.
        """
        self.relations.append((total, tuple(parts)))
        self._changing()

    def within(self, whole: str, part: str) -> None:
        """Declare that the people counted under ``part`` are among those under ``whole``.

        The 37 pairs from the first survey to a later one are among the people who
        answered both; the 37 people scored at a wave are among those who answered it. The
        audit knows ``part <= whole``; and where nobody is left over, it takes the two as
        known to be equal, since a reader who takes them for the same people (40 took part,
        37 pairs, so 3 did not come back) is then right. Both counts must be registered; a
        pair whose values break the inequality (hand-made results) tells a reader nothing
        and is ignored.
        """
        self.inclusions.append((whole, part))
        self._changing()

    def derived(self, key: str, base: str) -> None:
        """Declare that ``key`` rests on ``base``: withheld whenever ``base`` is not shown."""
        self.depends.setdefault(base, set()).add(key)
        self._changing()

    def share(self, key: str, num: str, den: str) -> None:
        """Declare a whole-number percentage of ``num`` in ``den``, printed only with both."""
        self.shares[key] = (num, den)
        self.derived(key, num)
        self.derived(key, den)

    def percent_shown(self, key: str) -> bool:
        """Whether the percentage registered under ``key`` may be printed."""
        return self.shown(key)

    def _cost(self, key: str) -> float:
        # Among equals, the smaller count goes first: it tells the reader the least.
        return self.costs.get(key, reader_cost(key)) + 1e-6 * self.values.get(key, 0)

    def _withhold(self, status: dict[str, Status]) -> None:
        changed = True
        while changed:
            changed = False
            for base, dependents in self.depends.items():
                if status.get(base, "shown") == "shown":
                    continue
                for key in dependents:
                    now = status.get(key, "shown")
                    new = "withheld" if key in self.values else "hidden"
                    # A small count resting on a suppressed one is not even marked "<t":
                    # "not shown" tells the reader less, and its base already bounds it.
                    if now != "withheld" and now != new:
                        status[key] = new
                        changed = True

    def resolve(self) -> dict[str, Status]:
        """Decide, once for the report, whether each registered count is shown; audit it."""
        start = time.perf_counter()
        t = int(self.threshold)
        status: dict[str, Status] = {
            k: ("small" if 0 < v < t and k not in self.not_people else "shown")
            for k, v in self.values.items()
        }
        status.update({k: "withheld" for k in self.unpublished})
        self._withhold(status)
        left_out: list[str] = []
        calls = 0
        while True:
            audit = self._audit(status)
            eligible = [
                k
                for k, s in status.items()
                if s == "shown" and k in self.values and k not in self.not_people
            ]
            try:
                added = protect(audit, self._cost, eligible, self.depends)
                break
            except DisclosureAuditError as err:
                # Hiding more cannot help (every count around it is small or zero, as in a
                # very small sample): leave the whole block of counts out, zeros included,
                # so the reader learns nothing from it; refuse only if that is impossible.
                block = self._block(audit, getattr(err, "key", None))
                newly = [k for k in block if status[k] != "withheld"]
                if not newly:
                    raise
                for k in newly:
                    status[k] = "withheld"
                left_out += newly
                self._withhold(status)
                calls += audit.solver_calls
        for key in added:
            status[key] = "hidden"
        self._withhold(status)
        final = self._audit(status)
        exposed = final.exposed()
        if exposed:  # pragma: no cover - protect() guarantees this; kept as the last gate
            raise DisclosureAuditError(
                f"the disclosure audit failed: {exposed[0]} could still be worked out",
                where="report disclosure audit",
                fix="please report this as a bug; no report was written",
            )
        self.summary = AuditSummary(
            threshold=t,
            counts=len(final.values),
            relations=len(final.relations),
            suppressed=sum(1 for s in status.values() if s != "shown"),
            added=sorted(added),
            seconds=time.perf_counter() - start,
            solver_calls=calls + audit.solver_calls + final.solver_calls,
            left_out=sorted(left_out),
        )
        self._status = status
        return status

    def _block(self, audit: Audit, key: str | None) -> list[str]:
        """Counts of people tied to ``key`` through any relation (its whole table)."""
        if key is None:
            return []
        free = {k for comp in audit.components([key]) for k in comp} | {key}
        block = set(free)
        for total, parts in audit.relations:
            link = (total, *parts)
            if free.intersection(link):
                block.update(link)
        return sorted(k for k in block if k in self.values and k not in self.not_people)

    def _audit(self, status: dict[str, Status]) -> Audit:
        audit = Audit(int(self.threshold))
        for key, value in self.values.items():
            audit.count(key, value, _STATE[status[key]], protect=key not in self.not_people)
        for i, (total, parts) in enumerate(self.relations):
            if any(p not in self.values for p in parts):
                continue
            whole = sum(self.values[p] for p in parts)
            if total not in audit.values:
                # Not registered, so printed nowhere (register it where it is printed): the
                # reader knows only that the parts add up to something.
                audit.count(total, whole, UNKNOWN, protect=False)
            gap = audit.values[total] - whole
            if gap < 0:
                continue  # not a true sum (e.g. hand-made results), so it tells a reader nothing
            if gap > 0:
                # Parts that do not cover the total (e.g. pairs without a reliable-change
                # verdict): the reader still knows the parts add up to at most the total.
                rest = f"{total}|rest:{i}"
                audit.count(rest, gap, UNKNOWN, protect=False)
                parts = (*parts, rest)
            audit.relation(total, parts)
        for i, (whole, part) in enumerate(self.inclusions):
            if whole not in self.values or part not in self.values or whole == part:
                continue
            gap = self.values[whole] - self.values[part]
            if gap < 0:
                continue  # not a true inclusion, so it tells a reader nothing
            if gap == 0:
                audit.relation(whole, (part,))
                continue
            # What is left over is never published: the reader knows only that it is >= 0.
            rest = f"{whole}|beyond:{i}"
            audit.count(rest, gap, UNKNOWN, protect=False)
            audit.relation(whole, (part, rest))
        for key, (num, den) in self.shares.items():
            if num in self.values and den in self.values and self.values[den] > 0:
                audit.share(key, num, den, shown=status.get(key, "shown") == "shown")
        return audit

    def status(self, key: str) -> Status:
        """Resolved status of ``key`` (unregistered keys are shown)."""
        if self._status is None:
            self.resolve()
        assert self._status is not None
        self._read = True
        return self._status.get(key, "shown")

    def shown(self, key: str) -> bool:
        """Whether the count (or what is derived from it) may be shown."""
        return self.status(key) == "shown"

    def mark(self, key: str) -> str:
        """How a count is printed: its value, ``"<5"`` when small, ``"‡"`` when hidden."""
        state = self.status(key)
        if state == "small":
            return f"<{self.threshold}"
        if state == "hidden":
            return HIDDEN_MARK
        if state == "withheld":
            return WITHHELD_MARK
        value = self.values.get(key)
        return "" if value is None else f"{value:,}"

    def people_mark(self, key: str) -> str:
        """A suppressed count of people printed where percentages stand: ``"<5 people"``,
        which a bare ``"<5"`` among ``"33%"`` would read as ``"<5%"``; ``"‡"`` as it is."""
        mark = self.mark(key)
        return f"{mark} people" if self.status(key) == "small" else mark

    def note(self) -> str:
        """The sentence that states the rule, for every report."""
        t = int(self.threshold)
        return (
            f"To protect privacy, any count of 1 to {t - 1} people is shown as “<{t}”, and "
            f"anything worked out from fewer than {t} people (a group's averages, percentages "
            f"and test results) is not shown. Where a small number could otherwise be worked "
            f"out from other figures in this report, one more number (of {t} or more) is "
            f"hidden and marked “{HIDDEN_MARK}”."
        )

    def audit_sentence(self) -> str:
        """What the disclosure audit checked, in plain words, for the methods section."""
        if self.summary is None:
            self.resolve()
        assert self.summary is not None
        s = self.summary
        t = s.threshold
        added = len(s.added)
        return (
            f"Before this report was written, a disclosure audit took every count of people "
            f"it shows (tables, totals, charts, sentences and percentages with their "
            f"denominators) together with the ways they add up, and checked that each number "
            f"shown as “<{t}” could still be any value from 1 to {t - 1} given everything "
            f"else published (threshold {t}). "
            + (
                f"To make that hold, {added} further number{'s were' if added != 1 else ' was'} "
                f"hidden (“{HIDDEN_MARK}”)."
                if added
                else "No further number had to be hidden."
            )
            + (
                f" Where the numbers were all too small for that, {len(s.left_out)} were "
                "left out altogether (“not shown”, zeros included)."
                if s.left_out
                else ""
            )
        )

    @property
    def any_suppressed(self) -> bool:
        """True when at least one registered count is not shown."""
        return any(self.status(k) != "shown" for k in self.values)
