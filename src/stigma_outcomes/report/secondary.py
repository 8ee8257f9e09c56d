"""Secondary suppression: which further counts to hide, chosen by what they cost the reader.

Given an :class:`~stigma_outcomes.report.disclosure.Audit` whose small counts are already
marked, :func:`protect` hides further published counts (or percentages) until the audit
holds, in the spirit of sdcTable's SIMPLEHEURISTIC and Statistics Norway's Gauss method
(``../shared/reference/disclosure_control.md`` §2):

1. take the first exposed count; try the candidates that share a relation with its
   component, cheapest first, and hide the first one that makes it safe on its own;
2. when no single candidate is enough, hide the one that leaves the most values possible
   (cheapest among equals) and go on;
3. once every count is safe, try to show again each added count, dearest first, and keep
   it shown whenever the audit still holds — so nothing stays hidden that no published
   figure could reveal.

Costs come from the caller: in a report, "no reliable change" costs less than "reliably
improved" or "reliably worse", a subgroup less than the whole sample, and the headline
figure most of all, so it is hidden only when no other count protects as well.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from ..errors import AnalysisError
from .disclosure import EXACT, HIDDEN, UNKNOWN, Audit, CellRange


class DisclosureAuditError(AnalysisError):
    """The report would let a reader narrow a suppressed count, and nothing could fix it."""


def candidates(audit: Audit, key: str, eligible: set[str]) -> list[str]:
    """Published counts and percentages whose hiding could widen ``key``'s range."""
    comps = audit.components([key])
    free = {k for c in comps for k in c} | {key}
    out: set[str] = set()
    for total, parts in audit.relations:
        link = (total, *parts)
        if free.intersection(link):
            out.update(k for k in link if k in eligible and audit.states.get(k) == EXACT)
    for name in audit.shown_shares:
        share = audit.shares[name]
        if free.intersection((share.num, share.den)) and name in eligible:
            out.add(name)
    return sorted(out)


def protect(
    audit: Audit,
    cost: Callable[[str], float],
    eligible: Iterable[str],
    dependents: Mapping[str, Iterable[str]] | None = None,
    max_rounds: int = 10_000,
) -> list[str]:
    """Hide eligible counts until no sensitive count can be narrowed; return those hidden.

    Parameters
    ----------
    audit : Audit
        The report's counts with the small ones already marked ``small``.
    cost : callable
        Cost to the reader of hiding a key (lower is hidden first).
    eligible : iterable of str
        Keys that may be hidden: published counts of people of at least the threshold, and
        printed percentages. Zeros and counts of things (columns, files) are never hidden.
    dependents : mapping, optional
        Keys printed only while a key is shown (a group's categories rest on its size):
        hiding the key leaves them unpublished (``unknown``) too.

    Examples
    --------
    >>> from stigma_outcomes.report.disclosure import SMALL
    >>> a = Audit(5)
    >>> for k, v in {"n": 20, "improved": 9, "none": 7, "worse": 4}.items():
    ...     a.count(k, v, SMALL if v < 5 else "exact")
    >>> a.relation("n", ["improved", "none", "worse"])
    >>> costs = {"n": 100, "improved": 10, "none": 1}
    >>> protect(a, costs.__getitem__, costs)
    ['none']
    """
    t = audit.threshold
    allowed = {k for k in eligible if k in audit.shares or audit.values.get(k, 0) >= t}
    hider = _Hider(audit, dependents or {})
    queue = audit.exposed()
    rounds = 0
    while queue:
        key = queue.pop(0)
        while audit.states.get(key) != EXACT and not _safe(hider, key):
            rounds += 1
            if rounds > max_rounds:
                raise DisclosureAuditError(
                    "the disclosure audit did not settle", fix="please report this as a bug"
                )
            choice = _best(hider, key, cost, allowed)
            if choice is None:
                err = DisclosureAuditError(
                    f"a count under the privacy threshold ({key}) could still be narrowed "
                    "down from the other figures, and every number around it is itself below "
                    f"the threshold ({t}) or zero, so hiding more cannot protect it; no report "
                    "was written",
                    where="report disclosure audit",
                    fix="report on larger groups (or fewer of them), or lower the privacy "
                    "threshold only if your data agreement allows it",
                )
                err.key = key  # type: ignore[attr-defined]
                raise err
            for k in choice:
                hider.hide(k)
        queue = [k for k in queue if k in set(audit.exposed(queue))]
    for key in sorted(hider.hidden, key=lambda k: (-cost(k), k)):
        touched = hider.show(key)
        if audit.exposed(touched):
            hider.hide(key)
    return sorted(k for k in hider.hidden if k in audit.shares or audit.states[k] == HIDDEN)


class _Hider:
    """Hides and shows keys, keeping what rests on a hidden key unpublished."""

    def __init__(self, audit: Audit, dependents: Mapping[str, Iterable[str]]) -> None:
        self.audit = audit
        self.hidden: set[str] = set()
        self.bases: dict[str, set[str]] = {}
        for base, deps in dependents.items():
            for k in deps:
                self.bases.setdefault(k, set()).add(base)
        self.deps = {b: tuple(d) for b, d in dependents.items()}
        self.original = dict(audit.states)
        self.original.update(
            {k: EXACT if k in audit.shown_shares else HIDDEN for k in audit.shares}
        )

    def _below(self, key: str) -> list[str]:
        out, todo = [], list(self.deps.get(key, ()))
        while todo:
            k = todo.pop()
            if k not in out:
                out.append(k)
                todo.extend(self.deps.get(k, ()))
        return out

    def _rests_on_hidden(self, key: str, seen: set[str] | None = None) -> bool:
        seen = seen or set()
        for base in self.bases.get(key, ()):
            if base in seen:
                continue
            seen.add(base)
            if base in self.hidden or self._rests_on_hidden(base, seen):
                return True
        return False

    def _refresh(self, keys: list[str]) -> None:
        for k in keys:
            if k not in self.original:
                continue
            if self._rests_on_hidden(k):
                self.audit.set_state(k, UNKNOWN)
            elif k in self.hidden:
                self.audit.set_state(k, HIDDEN)
            else:
                self.audit.set_state(k, self.original[k])

    def hide(self, key: str) -> list[str]:
        self.hidden.add(key)
        touched = [key, *self._below(key)]
        self._refresh(touched)
        return touched

    def show(self, key: str) -> list[str]:
        self.hidden.discard(key)
        touched = [key, *self._below(key)]
        self._refresh(touched)
        return touched


def _best(
    hider: _Hider, key: str, cost: Callable[[str], float], allowed: set[str]
) -> list[str] | None:
    """The cheapest one or two candidates that make ``key`` safe, else the most helpful one."""
    audit = hider.audit
    cands = sorted(candidates(audit, key, allowed), key=lambda k: (cost(k), k))
    single: str | None = None
    helpful: tuple[int, float, str] | None = None
    for cand in cands:
        result = _try(hider, key, [cand])
        if result is None or result.safe:
            single = cand
            break
        score = (-len(result.attainable), cost(cand), cand)
        if helpful is None or score < helpful:
            helpful = score
    # Several cheap counts often protect as well as one dear one (a few "no reliable
    # change" cells instead of a group's size, which would take all its statistics with it).
    options: list[tuple[float, list[str]]] = []
    if single is not None:
        options.append((cost(single), [single]))
    limit = min((c for c, _ in options), default=float("inf"))
    fill = _fill(hider, key, cost, allowed, limit)
    if fill is not None:
        options.append((sum(cost(k) for k in fill), fill))
        limit = min(limit, options[-1][0])
    pairs = sorted((cost(a) + cost(b), a, b) for i, a in enumerate(cands) for b in cands[i + 1 :])
    for total, a, b in pairs[:PAIR_LIMIT]:
        if total >= limit:
            break
        result = _try(hider, key, [a, b])
        if result is None or result.safe:
            options.append((total, [a, b]))
            break
    if options:
        return min(options, key=lambda o: (o[0], o[1]))[1]
    return None if helpful is None else [helpful[2]]


def _fill(
    hider: _Hider, key: str, cost: Callable[[str], float], allowed: set[str], limit: float
) -> list[str] | None:
    """Hide the cheapest candidate, then the next, until ``key`` is safe; then drop those
    not needed. Returned only when cheaper than ``limit`` (the best single fix)."""
    chosen: list[str] = []
    spent = 0.0
    while True:
        cands = [c for c in candidates(hider.audit, key, allowed) if c not in chosen]
        if not cands:
            break
        cand = min(cands, key=lambda k: (cost(k), k))
        spent += cost(cand)
        if spent >= limit:
            break
        hider.hide(cand)
        chosen.append(cand)
        if _safe(hider, key):
            for k in sorted(chosen, key=lambda c: (-cost(c), c)):
                hider.show(k)
                if not _safe(hider, key):
                    hider.hide(k)
                else:
                    chosen.remove(k)
            for k in chosen:
                hider.show(k)
            return chosen
    for k in reversed(chosen):
        hider.show(k)
    return None


def _safe(hider: _Hider, key: str) -> bool:
    result = hider.audit.cell(key)
    return result is None or result.safe


PAIR_LIMIT = 60
"""Pairs of candidates tried per step, cheapest first."""


def _try(hider: _Hider, key: str, keys: list[str]) -> CellRange | None:
    for k in keys:
        hider.hide(k)
    result = hider.audit.cell(key)
    for k in reversed(keys):
        hider.show(k)
    return result
