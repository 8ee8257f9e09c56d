"""Matching instruments to columns: candidates by name, pattern, column order or subset;
evidence beyond the codes' range; one winner per instrument and per column."""

from __future__ import annotations

from collections.abc import Sequence

from ...instruments.schema import Instrument
from ..table import RawTable
from ._fit import EVIDENCE, answer_words, block_fit, fit, norm, profiles
from ._found import Candidate, FileProposal
from ._waves import hint, in_time_order, side_by_side_waves


def has_evidence(candidate: Candidate, table: RawTable, instruments: Sequence[Instrument]) -> bool:
    """Whether a match rests on more than the codes' range (see :data:`._fit.EVIDENCE`); a match
    made on question text says so in its reason."""
    if candidate.how == "name" or any(e in candidate.why for e in EVIDENCE):
        return True
    instrument = next(i for i in instruments if i.id == candidate.instrument)
    names = _names(instrument) | {norm(instrument.name)}
    texts = [norm(table.column_labels.get(c, "")) for c in candidate.columns.values()]
    stem = _stem(candidate.pattern or "")
    if stem in names or any(n and n in t for n in names for t in [*texts, stem]):
        candidate.why += f"; {_QUESTION_TEXT}"
        return True
    return False


_QUESTION_TEXT = "question text or column names name the instrument"


def _names(instrument: Instrument) -> set[str]:
    """The instrument's id and short name, normalised (``dass21``, ``dass-21``)."""
    return {norm(n) for n in (instrument.id, instrument.short_name) if n}


def _stem(prefix: str) -> str:
    """A column prefix without its ``{item}`` and the separators before it.

    Examples
    --------
    >>> _stem("DASS-21_{item}"), _stem("Dass21."), _stem("Q5_")
    ('dass-21', 'dass21', 'q5')
    """
    return norm(prefix.replace("{item}", "")).strip(" _-.")


def named_after(prefix: str, instrument: Instrument) -> bool:
    """Whether columns ``<prefix><item>`` are named by the instrument: its id or short name
    (``DASS21_``, ``DASS-21 ``), or either without its number of items (``DASS`` for the 21
    items of DASS-21). What is left must be two characters or more: ``K`` of K6 names
    nothing.

    Examples
    --------
    >>> from stigma_outcomes.instruments import load_instrument
    >>> dass, k6 = load_instrument("dass21"), load_instrument("k6")
    >>> named_after("DASS", dass), named_after("dass-21_", dass), named_after("BDI1.", dass)
    (True, True, False)
    >>> named_after("K", k6)
    False
    """
    stem, names = _stem(prefix), _names(instrument)
    count = str(len(instrument.items))
    bases = {n[: -len(count)].rstrip(" _-.") for n in names if n.endswith(count)}
    return stem in names or (len(stem) >= 2 and stem in bases)


def checkbox_columns(table: RawTable) -> set[str]:
    """Columns of tick-box questions, which are never items of a rating scale: REDCap
    ``field___code`` columns (and dictionary fields of type checkbox), Google Forms
    checkbox answers."""
    meta = table.metadata
    out = {c for cols in meta.get("checkbox_groups", {}).values() for c in cols}
    out.update(meta.get("checkbox_columns", []))
    out.update(c for c in map(str, table.frame.columns) if "___" in c)
    return out


def candidates(
    table: RawTable,
    columns: list[str],
    instrument: Instrument,
    profiles: dict[str, dict[str, int]],
    named: bool,
    near_misses: list[str] | None = None,
) -> list[Candidate]:
    items = instrument.item_ids
    folded = {c.casefold(): c for c in columns}
    # Also under a Kobo group path (``group/ucla3_1``): the last path segment, first seen.
    segments: dict[str, str] = {}
    for c in columns:
        segments.setdefault(c.casefold().rsplit("/", 1)[-1], c)
    blocks: list[tuple[str, dict[str, str], str | None, str]] = []
    by_name = {}
    for item in items:
        want = f"{instrument.id}_{item}".casefold()
        hit = folded.get(want) or segments.get(want)
        if hit:
            by_name[item] = hit
    if len(by_name) == len(items):
        prefix = _common_prefix(by_name, items)
        blocks.append(("name", by_name, prefix, "columns named <instrument>_<item>"))
    block_sizes = _numbered_blocks(columns)
    prefixes: dict[str, dict[str, str]] = {}
    # Each column is looked up by its endings of the items' lengths (a dictionary look-up
    # per length), not compared with every item.
    by_ending: dict[str, list[str]] = {}
    for item in items:
        by_ending.setdefault(item.casefold(), []).append(item)
    lengths = sorted({len(e) for e in by_ending})
    for column in columns:
        folded_column = column.casefold()
        for size in lengths:
            if len(column) <= size:
                continue
            for item in by_ending.get(folded_column[-size:], ()):
                prefix = column[: -len(item)]
                if prefix[-1].isdigit() and item[0].isdigit():
                    continue  # Q1 + "1" is not Q11
                prefixes.setdefault(prefix, {})[item] = column
    for prefix, found in prefixes.items():
        if len(found) != len(items) or found == by_name:
            continue
        size = block_sizes.get(prefix, 0)
        how = "pattern" if size <= len(items) else "pattern (subset)"
        if how == "pattern (subset)" and not named:
            continue
        why = f"columns {prefix}<item> ({size} in the block)"
        if how == "pattern" and named_after(prefix, instrument):
            # The instrument's own name and its item numbers, one column per item: as good
            # as <instrument>_<item> (a larger block named so, DASS1..DASS42, may be
            # another version of the instrument, so a subset never counts).
            how, why = "name", f"columns {prefix}<item>, named after the instrument"
        blocks.append((how, dict(found), f"{prefix}{{item}}", why))
    for stem, block in _question_blocks(table, columns):
        if len(block) == len(items):
            mapping = dict(zip(items, block, strict=True))
            why = f"question block '{stem}' in column order; check the order"
            blocks.append(("column order", mapping, None, why))
    if named and not blocks:
        blocks.extend(_answer_runs(table, columns, instrument, profiles))
    out: list[Candidate] = []
    for how, mapping, pattern, why in blocks:
        fitted = block_fit(table, instrument, mapping, profiles)
        if fitted is None:
            if near_misses is not None and how in {"name", "pattern", "column order"}:
                seen = sorted({v for c in mapping.values() for v in profiles.get(c, {})})
                near_misses.append(
                    f"{_describe_block(mapping, pattern)} has one column per item but answers "
                    f"({', '.join(seen[:6])}) that are not its scale's; add a recode if it is"
                )
            continue
        reason, recode = fitted
        out.append(Candidate(instrument.id, how, mapping, f"{why}; {reason}", recode, pattern))
    return out


def _answer_runs(
    table: RawTable,
    columns: list[str],
    instrument: Instrument,
    profiles: dict[str, dict[str, int]],
) -> list[tuple[str, dict[str, str], str | None, str]]:
    """For an instrument the user named that no column name finds: runs of consecutive
    columns whose answers are its scale's own labels, exactly as many as it has items (a
    REDCap labels export heads its columns with the questions' text). Only a fit by the
    labels counts (codes in range prove nothing), and only for a named instrument: one
    check per column."""
    items = instrument.item_ids
    scale = instrument.items[0].scale
    words = answer_words(instrument, scale)

    def by_labels(column: str) -> bool:
        values = profiles.get(column, {})
        labels = table.value_labels.get(column)
        if not values or not (labels or any(v in words for v in values)):
            return False  # no answer is one of the scale's: no need to weigh the column
        ok, reason, _ = fit(values, instrument, scale, labels)
        return ok and reason in EVIDENCE

    runs: list[list[str]] = [[]]
    for column in columns:
        if by_labels(column):
            runs[-1].append(column)
        elif runs[-1]:
            runs.append([])
    return [
        ("column order", dict(zip(items, run, strict=True)), None,
         f"{len(run)} consecutive columns answered in its labels, in column order; check the "
         "order")
        for run in runs
        if len(run) == len(items)
    ]  # fmt: skip


def _numbered_blocks(columns: list[str]) -> dict[str, int]:
    """For every prefix, how many columns are that prefix followed by digits only.

    Counted in one pass (each column adds each of its digit-suffix splits), so a wide
    export costs its width, not its width squared.

    Examples
    --------
    >>> _numbered_blocks(["Q5_1", "Q5_2", "Q12"])["Q5_"], _numbered_blocks(["Q12"])["Q1"]
    (2, 1)
    """
    sizes: dict[str, int] = {}
    for column in columns:
        start = len(column)
        while start > 0 and column[start - 1].isdigit():
            start -= 1
        for cut in range(start, len(column)):
            prefix = column[:cut]
            sizes[prefix] = sizes.get(prefix, 0) + 1
    return sizes


def _common_prefix(mapping: dict[str, str], items: list[str]) -> str | None:
    prefixes = {col[: -len(item)] for item, col in mapping.items() if col.endswith(item)}
    return (
        f"{prefixes.pop()}{{item}}" if len(prefixes) == 1 and len(mapping) == len(items) else None
    )


def _question_blocks(table: RawTable, columns: list[str]) -> list[tuple[str, list[str]]]:
    blocks: list[tuple[str, list[str]]] = []
    for title, cols in table.metadata.get("grids", {}).items():
        blocks.append((title, [c for c in cols if c in columns]))
    for question, cols in table.metadata.get("subquestions", {}).items():
        blocks.append((question, [c for c in cols if c in columns]))
    runs: dict[str, list[str]] = {}
    for column in columns:
        for separator in (" - ", "/"):
            if separator in column:
                runs.setdefault(column.rsplit(separator, 1)[0], []).append(column)
                break
    blocks.extend((stem, cols) for stem, cols in runs.items() if len(cols) > 1)
    return blocks


def describe(candidate: Candidate) -> str:
    return _describe_block(candidate.columns, candidate.pattern)


def _describe_block(columns: dict[str, str], pattern: str | None) -> str:
    cols = list(columns.values())
    return pattern or f"{cols[0]} … {cols[-1]}"


def equally_good(instrument_id: str, blocks: list[Candidate], waves: str) -> str:
    """The open question of several evidence-backed blocks of one instrument (``waves``:
    :func:`._waves.hint` of them)."""
    shown = "; ".join(describe(c) for c in blocks[:4])
    return (
        f"{instrument_id}: {len(blocks)} equally good matches ({shown}); choose one in the "
        f"mapping{waves}"
    )


def match_instruments(
    result: FileProposal,
    table: RawTable,
    usable: list[str],
    instruments: Sequence[Instrument],
    named: bool,
) -> None:
    """Fill ``result.matches`` (one best candidate per instrument, each column claimed once),
    ``result.possible`` (fits by the codes' range alone) and the ambiguities met on the way."""
    found = profiles(table, usable)
    chosen: dict[str, Candidate] = {}
    ranged: dict[str, Candidate] = {}
    for instrument in instruments:
        misses: list[str] = []
        options = candidates(table, usable, instrument, found, named, misses)
        if not options:
            if named:
                result.ambiguities.extend(f"{instrument.id}: {m}" for m in misses)
                result.ambiguities.append(
                    f"{instrument.id}: no block of {len(instrument.items)} columns whose "
                    "answers fit its response scale; map it by hand"
                )
            continue
        # A proposal needs evidence: the instrument's item names, answers or value labels
        # that are its response labels, or question text naming it. Codes in range prove
        # nothing (nine 1–4 columns fit many scales), so such fits are listed as possible,
        # never written, never a choice offered between look-alike blocks, and never
        # compete with an evidence-backed match.
        backed = [c for c in options if has_evidence(c, table, instruments)]
        pool = backed or options
        best = min(c.rank for c in pool)
        top = [c for c in pool if c.rank == best]
        found_waves = side_by_side_waves([c.pattern or "" for c in top])
        if backed and found_waves is not None:
            # One block per wave, each backed by evidence: the waves side by side. Drafted as
            # the waves' own mapping sections (when this is the only export; see propose).
            result.by_wave[instrument.id] = {
                found_waves[i]: top[i] for i in in_time_order(found_waves)
            }
            continue
        waves = hint(found_waves)
        if backed and len(top) > 1:
            result.ambiguities.append(equally_good(instrument.id, top, waves))
            continue
        if backed:
            chosen[instrument.id] = top[0]
            continue
        if len(top) > 1:
            others = ", ".join(describe(c) for c in top[1:4]) + (" …" if len(top) > 4 else "")
            top[0].why += f"; {len(top) - 1} other block(s) fit the same way ({others}){waves}"
        ranged[instrument.id] = top[0]
    claimed: dict[str, list[str]] = {}
    for inst, cand in chosen.items():
        for column in cand.columns.values():
            claimed.setdefault(column, []).append(inst)
    losers: set[str] = set()
    unresolved: dict[tuple[str, ...], list[str]] = {}
    for column, who in claimed.items():
        if len(who) < 2:
            continue
        best = min(chosen[i].rank for i in who)
        winners = [i for i in who if chosen[i].rank == best]
        if len(winners) == 1:
            # A column named after one instrument beats a look-alike block of another.
            losers.update(i for i in who if i != winners[0])
        else:
            losers.update(who)
            unresolved.setdefault(tuple(sorted(who)), []).append(column)
    for who, cols in unresolved.items():
        shown = f"{cols[0]} … {cols[-1]}" if len(cols) > 2 else ", ".join(cols)
        result.ambiguities.append(
            f"columns {shown} fit {', '.join(who)} equally well; name the instrument "
            "(--instrument) or map it"
        )
    result.matches = {k: v for k, v in chosen.items() if k not in losers}
    taken = {c for cand in result.matches.values() for c in cand.columns.values()}
    taken.update(c for blocks in result.by_wave.values() for b in blocks.values()
                 for c in b.columns.values())  # fmt: skip
    result.possible = {
        k: v for k, v in ranged.items() if not taken.intersection(v.columns.values())
    }
