"""Disclosure audit: what a careful reader can work out about the counts a report hides.

The reader (the attacker of ``../shared/reference/disclosure_control.md``) knows every
published number, every linear relation between counts (a total and its parts, groups that
make up the whole, categories that make up n), every printed percentage with its
denominator, what each marker means, and that counts are whole numbers of at least 0.
From that they can narrow a suppressed count down. The rule this module checks is an
interval rule, stricter than exact-disclosure checks: **every suppressed count of 1 to
``threshold - 1`` people must still be able to take every value from 1 to ``threshold - 1``**.

How each count is published (its *state*) and what that tells the reader:

* ``exact``: the number itself;
* ``small``: the marker ``<t``, so the count is 1 to ``t - 1`` (zeros are always printed);
* ``hidden``: the secondary marker, printed only for counts of at least ``t``, so the
  reader learns ``count >= t``;
* ``unknown``: not printed at all (or "not shown"), so only ``count >= 0``.

The audit splits the unknown counts into independent components (counts linked through a
relation or a percentage), then for each sensitive count works out which of 1 to ``t - 1``
it can still take, in whole numbers, because integer ranges can have gaps that linear
bounds miss: by an exact search with bound propagation when every count of the component
is bounded, and otherwise with scipy's ``milp`` (:mod:`._feasible`). Only the counts asked
about are worked out, each once per set of markers. Secondary suppression (choosing further
counts to hide) is in :mod:`.secondary`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._feasible import Row

from ._cells import EXACT, HIDDEN, SMALL, STATES, UNKNOWN, CellRange, Share, rounded_percent

__all__ = ["EXACT", "HIDDEN", "SMALL", "STATES", "UNKNOWN", "Audit", "CellRange", "Share",
           "rounded_percent"]  # fmt: skip


@dataclass
class Audit:
    """Every published count of people, the relations between them, and how each is shown.

    Examples
    --------
    The demo's old leak: everyone 8 reliably worse, both groups "<5".

    >>> a = Audit(threshold=5)
    >>> a.count("all", 8); a.count("g1", 4, SMALL); a.count("g2", 4, SMALL)
    >>> a.relation("all", ["g1", "g2"])
    >>> sorted(a.check()["g1"].attainable), a.exposed()
    ([4], ['g1', 'g2'])
    >>> a.set_state("all", HIDDEN)
    >>> a.exposed()
    []
    """

    threshold: int = 5
    values: dict[str, int] = field(default_factory=dict)
    states: dict[str, str] = field(default_factory=dict)
    relations: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    shares: dict[str, Share] = field(default_factory=dict)
    shown_shares: set[str] = field(default_factory=set)
    unprotected: set[str] = field(default_factory=set)
    _cache: dict[tuple, tuple] = field(default_factory=dict, repr=False)
    _index_cache: tuple | None = field(default=None, repr=False, compare=False)
    _version: int = field(default=0, repr=False, compare=False)
    solver_calls: int = 0

    def __post_init__(self) -> None:
        if int(self.threshold) < 1:
            raise ValueError("the suppression threshold must be at least 1")

    # -- building the system ------------------------------------------------------------
    def count(self, key: str, value: int, state: str = EXACT, protect: bool = True) -> None:
        """Add a count with its true value and how it is published.

        ``protect=False`` marks a count that ties others together but is not itself a count
        of people the rule protects (e.g. answers beyond the first per person).
        """
        if state not in STATES:
            raise ValueError(f"unknown state {state!r}; use one of {STATES}")
        if int(value) != value or value < 0:
            raise ValueError(f"count {key!r} must be a whole number >= 0, got {value!r}")
        self.values[key] = int(value)
        self.states[key] = state
        if not protect:
            self.unprotected.add(key)
        self._check_marker(key)

    def _check_marker(self, key: str) -> None:
        # A marker that lies about its count would make the audit reason from false facts.
        low, high = self.bounds(key)
        if not low <= self.values[key] <= high:
            raise ValueError(
                f"count {key!r} = {self.values[key]} cannot be published as {self.states[key]!r}"
            )

    def relation(self, total: str, parts: Iterable[str]) -> None:
        """Declare ``total = sum(parts)``; every key must already be a count."""
        parts = tuple(parts)
        missing = [k for k in (total, *parts) if k not in self.values]
        if missing:
            raise KeyError(f"relation uses unregistered counts: {missing}")
        if self.values[total] != sum(self.values[p] for p in parts):
            raise ValueError(f"relation {total} = sum{parts} does not hold for the true values")
        self.relations.append((total, parts))
        self._cache.clear()
        self._version += 1

    def share(self, key: str, num: str, den: str, decimals: int = 0, shown: bool = True) -> None:
        """Declare a printed percentage of count ``num`` in count ``den``."""
        self.shares[key] = Share(num, den, decimals)
        self._cache.clear()
        self._version += 1
        if shown:
            self.shown_shares.add(key)
        else:
            self.shown_shares.discard(key)

    def set_state(self, key: str, state: str) -> None:
        """Change how a count (or, with ``exact``/``hidden``, a percentage) is published."""
        if key in self.shares:
            if state == EXACT:
                self.shown_shares.add(key)
            else:
                self.shown_shares.discard(key)
            return
        if state not in STATES:
            raise ValueError(f"unknown state {state!r}")
        self.states[key] = state
        self._check_marker(key)

    def sensitive(self) -> list[str]:
        """Suppressed counts of 1 to ``threshold - 1``: the ones the rule protects."""
        return self.sensitive_in(self.values)

    def sensitive_in(self, keys: Iterable[str]) -> list[str]:
        """The sensitive counts among ``keys``, in their order."""
        t, values, states = int(self.threshold), self.values, self.states
        return [
            k
            for k in keys
            if 0 < values[k] < t and states[k] != EXACT and k not in self.unprotected
        ]

    # -- the reader's knowledge ----------------------------------------------------------
    def bounds(self, key: str) -> tuple[float, float]:
        """What the marker alone tells the reader about a count."""
        state, t = self.states[key], int(self.threshold)
        if state == EXACT:
            return float(self.values[key]), float(self.values[key])
        if state == SMALL:
            return 1.0, float(t - 1)
        if state == HIDDEN:
            return float(t), math.inf
        return 0.0, math.inf

    def _links(self) -> list[tuple[str, ...]]:
        """Groups of counts tied by one constraint (relations and shown percentages)."""
        links = [(total, *parts) for total, parts in self.relations]
        links += [(self.shares[s].num, self.shares[s].den) for s in sorted(self.shown_shares)]
        return links

    def _link_index(
        self,
    ) -> tuple[dict[str, list[int]], list[tuple[str, ...]], dict[str, list[str]], dict[str, int]]:
        """Relations (by position) and percentages each count is in, every relation as one
        tuple of counts, and each count's position (cached).

        Secondary suppression asks for the components near one count hundreds of times while
        only markers and shown percentages change; relations and percentages are indexed
        once per new relation, percentage or count.
        """
        signature = (self._version, len(self.relations), len(self.states))
        cached = self._index_cache
        if cached is None or cached[0] != signature:
            relations: dict[str, list[int]] = {}
            links = [(total, *parts) for total, parts in self.relations]
            for r, link in enumerate(links):
                for k in dict.fromkeys(link):
                    relations.setdefault(k, []).append(r)
            shares: dict[str, list[str]] = {}
            for name, share in self.shares.items():
                for k in dict.fromkeys((share.num, share.den)):
                    shares.setdefault(k, []).append(name)
            positions = {k: i for i, k in enumerate(self.states)}
            cached = (signature, (relations, links, shares, positions))
            self._index_cache = cached
        return cached[1]

    def components(self, near: Iterable[str] | None = None) -> list[list[str]]:
        """Unknown counts split into independent groups (optionally only those near keys).

        Each group lists its counts in the order they were added, and groups come in the
        order of their first count.
        """
        if near is None:
            return self._all_components()
        relations, links, shares, positions = self._link_index()
        states, shown = self.states, self.shown_shares

        def linked(key: str) -> Iterable[tuple[str, ...]]:
            for r in relations.get(key, ()):
                yield links[r]
            for name in shares.get(key, ()):
                if name in shown:
                    yield (self.shares[name].num, self.shares[name].den)

        wanted = set(near)
        touched = {k for k in wanted if states.get(k, EXACT) != EXACT}
        for k in wanted:
            for link in linked(k):
                touched.update(m for m in link if states.get(m, EXACT) != EXACT)
        seen: set[str] = set()
        groups = []
        for start in sorted(touched, key=positions.__getitem__):
            if start in seen:
                continue
            seen.add(start)
            group, todo = [start], [start]
            while todo:
                for link in linked(todo.pop()):
                    for m in link:
                        if m not in seen and states.get(m, EXACT) != EXACT:
                            seen.add(m)
                            group.append(m)
                            todo.append(m)
            groups.append(sorted(group, key=positions.__getitem__))
        return sorted(groups, key=lambda g: positions[g[0]])

    def _all_components(self) -> list[list[str]]:
        parent: dict[str, str] = {k: k for k, s in self.states.items() if s != EXACT}

        def find(k: str) -> str:
            while parent[k] != k:
                parent[k] = parent[parent[k]]
                k = parent[k]
            return k

        for link in self._links():
            free = [k for k in link if k in parent]
            for other in free[1:]:
                parent[find(other)] = find(free[0])
        groups: dict[str, list[str]] = {}
        for k in parent:
            groups.setdefault(find(k), []).append(k)
        return list(groups.values())

    # -- the audit ----------------------------------------------------------------------
    def check(self, near: Iterable[str] | None = None) -> dict[str, CellRange]:
        """Feasible range of every sensitive count (optionally only in components near keys)."""
        out: dict[str, CellRange] = {}
        for comp in self.components(near):
            targets = self.sensitive_in(comp)
            if targets:
                out.update(self._solve(comp, targets))
        return out

    def cell(self, key: str) -> CellRange | None:
        """Feasible range of one count (``None`` unless it is sensitive); only its own
        component is solved, and only for it."""
        if key not in self.sensitive_in([key]):
            return None
        comp = next(c for c in self.components([key]) if key in c)
        return self._solve(comp, [key])[key]

    def exposed(self, near: Iterable[str] | None = None) -> list[str]:
        """Sensitive counts a reader can narrow (some value 1..t-1 is ruled out), in order."""
        ranges = self.check(near)
        return sorted(k for k, r in ranges.items() if not r.safe)

    def _system(self, comp: list[str], relations: list[int], shares: list[str]) -> list[Row]:
        """The component's relations and shown percentages as whole-number rows.

        A relation ``total = sum(parts)`` is one equality; a printed percentage ``p`` of
        ``num`` in ``den`` two inequalities. Published counts move to the right-hand side.
        """
        index = {k: i for i, k in enumerate(comp)}
        values = self.values
        rows: list[Row] = []
        truth = [values[k] for k in comp]

        def add(terms: Iterable[tuple[str, int]], r_lo: int | None, r_hi: int) -> None:
            coefs: dict[int, int] = {}
            for k, c in terms:
                i = index.get(k)
                if i is None:
                    r_hi -= c * values[k]
                    r_lo = None if r_lo is None else r_lo - c * values[k]
                else:
                    coefs[i] = coefs.get(i, 0) + c
            used = sorted(i for i, c in coefs.items() if c)
            got = sum(coefs[i] * truth[i] for i in used)
            if got > r_hi or (r_lo is not None and got < r_lo):
                raise ValueError(
                    f"the published figures contradict the true counts near {comp[0]!r}"
                )
            if used:  # a row with no unknown left holds for the true counts, so always
                rows.append((tuple(used), tuple(coefs[i] for i in used), r_lo, r_hi))

        for r in relations:
            total, parts = self.relations[r]
            add([(total, 1), *((p, -1) for p in parts)], 0, 0)
        for name in shares:
            s = self.shares[name]
            p = rounded_percent(values[s.num], values[s.den], s.decimals)
            scale = 2 * 100 * 10**s.decimals
            # Printed p means (2p - 1) * den <= scale * num <= (2p + 1) * den - 1.
            add([(s.num, -scale), (s.den, 2 * p - 1)], None, 0)
            add([(s.num, scale), (s.den, -(2 * p + 1))], None, -1)
        return rows

    def _solve(self, comp: list[str], targets: list[str]) -> dict[str, CellRange]:
        # Secondary suppression re-checks the same component under the same markers many
        # times; the answer depends only on the markers and the shown percentages. Each
        # count's range is worked out when first asked for, and the points found on the way
        # are kept for the next question about the same component.
        relations, shares = self._touching(comp)
        signature = (tuple(comp), tuple(self.states[k] for k in comp), tuple(shares))
        entry = self._cache.get(signature)
        if entry is None:
            entry = self._cache[signature] = self._prepare(comp, relations, shares)
        ranges, search, rows = entry
        missing = [k for k in targets if k not in ranges]
        if missing and search is not None:
            from ._feasible import OutOfBudget

            before = search.questions
            try:
                for k in missing:
                    ranges[k] = search.cell(k, comp.index(k))
            except OutOfBudget:
                entry = self._cache[signature] = (ranges, None, rows)
                search = None
            finally:
                self.solver_calls += search.questions - before if search else 0
            missing = [k for k in targets if k not in ranges]
        if missing:
            from ._feasible import milp_values

            ranges.update(milp_values(self, comp, missing, rows))
        return {k: ranges[k] for k in targets}

    def _touching(self, comp: list[str]) -> tuple[list[int], list[str]]:
        """Positions of the relations, and names of the shown percentages, on ``comp``."""
        rel_index, _links, share_index, _positions = self._link_index()
        relations = sorted({r for k in comp for r in rel_index.get(k, ())})
        shown = self.shown_shares
        return relations, sorted({n for k in comp for n in share_index.get(k, ()) if n in shown})

    def _prepare(self, comp: list[str], relations: list[int], shares: list[str]) -> tuple:
        """A component's rows, and a search over it when propagation bounds every count."""
        from ._feasible import Search, narrow

        rows = self._system(comp, relations, shares)
        bounds = [self.bounds(k) for k in comp]
        low = [int(lo) for lo, _ in bounds]
        high = [hi if hi == math.inf else int(hi) for _, hi in bounds]
        narrow(low, high, rows)  # the true counts are a point, so never empty
        search = None
        if math.inf not in high:
            truth = [self.values[k] for k in comp]
            search = Search(rows, low, high, truth, int(self.threshold))
            wanted = set(self.sensitive_in(comp))
            search.wanted = {i for i, k in enumerate(comp) if k in wanted}
        return ({}, search, rows)
