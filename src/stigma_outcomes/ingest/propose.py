"""Propose a column mapping from exports: what matched, why, and what is left to decide.

For every instrument the proposer looks for the columns of its items in four ways, from
the most to the least certain:

1. ``name`` — columns named ``<instrument>_<item>`` (also under a Kobo group path);
2. ``pattern`` — a block of columns ``<prefix><item>`` (``Q5_1..Q5_3``, ``lonely_1..3``)
   with exactly one column per item;
3. ``column order`` — a question block without item numbers (a SurveyMonkey matrix, a
   Google Forms grid, a LimeSurvey array) with as many columns as the instrument has items,
   taken in column order;
4. ``pattern (subset)`` — a ``<prefix><item>`` block with more columns than items (only
   when the user named the instrument).

A candidate counts only when its cells fit the instrument's response scale: answer
labels (or synonyms), the codes themselves, codes shifted by one (a 0-based export of a
1-based scale, for which a recode is proposed), or value labels (SPSS, REDCap) that name
the scale's answers. Two equally good candidates are reported as an ambiguity, never
picked between; so is a column claimed by two instruments.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..instruments.schema import Instrument
from .conventions import ID_CANDIDATES
from .table import RawTable

_RANK = {"name": 0, "pattern": 1, "column order": 2, "pattern (subset)": 3}
_SAMPLE_ROWS = 5000
_ID_HINT = re.compile(
    r"(participant|respondent|client|member|subject|study).*(id|code|number)"
    r"|^(p|pt|part)?code$|^pcode$|participant code|your (participant )?code"
)
_RESPONSE_IDS = {
    "qualtrics": {"responseid", "response id"},
    "surveymonkey": {"respondent id", "collector id"},
    "limesurvey": {"id", "response id"},
    "kobo": {"_id", "_uuid", "key", "meta/instanceid", "meta-instanceid", "_index"},
}
_WAVE_WORDS = {
    "pre": "pre",
    "baseline": "pre",
    "before": "pre",
    "intake": "pre",
    "t0": "pre",
    "post": "post",
    "after": "post",
    "exit": "post",
    "end": "post",
    "t1": "post",
    "followup": "followup",
    "follow-up": "followup",
    "follow_up": "followup",
    "fu": "followup",
}


def _norm(text: object) -> str:
    return " ".join(str(text).split()).casefold()


@dataclass
class Candidate:
    """One way of binding an instrument's items to columns."""

    instrument: str
    how: str
    columns: dict[str, str]
    why: str
    recode: dict[str, float] = field(default_factory=dict)
    pattern: str | None = None

    @property
    def rank(self) -> int:
        return _RANK[self.how]


@dataclass
class FileProposal:
    """What the proposer found in one export."""

    source: str
    flavor: str
    flavor_reason: str
    matches: dict[str, Candidate] = field(default_factory=dict)
    ambiguities: list[str] = field(default_factory=list)
    id_column: str | None = None
    id_reason: str = ""
    wave: str | None = None
    wave_column: str | None = None
    wave_reason: str = ""
    pii: dict[str, str] = field(default_factory=dict)
    excluded: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    wave_values: list[str] = field(default_factory=list)
    """Waves found in the wave column, in order of first appearance."""
    possible: dict[str, Candidate] = field(default_factory=dict)
    """Fits by code range alone: shown as "possible, unconfirmed", never written."""


@dataclass
class Proposal:
    """Proposals for all exports, and the mapping and evaluation files they add up to."""

    files: list[FileProposal]
    mapping: dict[str, Any]
    evaluation: dict[str, Any]

    @property
    def ambiguities(self) -> list[str]:
        """Every open question, prefixed with its file."""
        return [f"{f.source}: {a}" for f in self.files for a in f.ambiguities]

    def lines(self) -> list[str]:
        """A terminal report: flavour, ID, wave, matches with reasons, personal data, doubts."""
        out: list[str] = []
        for f in self.files:
            out.append(f"{f.source}: {f.flavor} ({f.flavor_reason})")
            out.append(f"  participant ID: {f.id_column or '?'} ({f.id_reason})")
            wave = (f.wave_column and f"column {f.wave_column}") or f.wave or "?"
            out.append(f"  wave: {wave} ({f.wave_reason})")
            for excluded, count in f.excluded.items():
                out.append(f"  set aside: {count} row(s), {excluded.replace('_', ' ')}")
            for inst, cand in f.matches.items():
                cols = list(cand.columns.values())
                shown = f"{cols[0]} … {cols[-1]}" if len(cols) > 2 else ", ".join(cols)
                out.append(f"  {inst}: {len(cols)} item(s) ← {shown} [{cand.how}] {cand.why}")
                if cand.recode:
                    out.append(f"    recode proposed: {cand.recode}")
            for inst, cand in f.possible.items():
                cols = list(cand.columns.values())
                shown = f"{cols[0]} … {cols[-1]}" if len(cols) > 2 else ", ".join(cols)
                out.append(
                    f"  possible, unconfirmed: {inst} ← {shown} ({cand.why}); not written — "
                    "only the codes' range fits; map it yourself if it really is this instrument"
                )
            if f.pii:
                out.append(f"  personal data kept out: {', '.join(f.pii)}")
            out.extend(f"  note: {note}" for note in f.notes)
            for doubt in f.ambiguities:
                out.append(f"  ? {doubt}")
        return out


def propose(
    tables: Sequence[RawTable],
    instruments: Sequence[Instrument],
    *,
    named: bool = False,
) -> Proposal:
    """Match each export's columns to instrument items and draft mapping and evaluation.

    Parameters
    ----------
    tables : list of RawTable
        The exports, read with :func:`~stigma_outcomes.ingest.readers.read_export`.
    instruments : list of Instrument
        Instruments to look for.
    named : bool
        Whether the user named these instruments (then looser matches are allowed and an
        instrument not found is reported).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from stigma_outcomes.instruments import load_instrument
    >>> frame = pd.DataFrame({"pcode": ["A", "B"], "Q5_1": ["Often", "Hardly ever"],
    ...                       "Q5_2": ["Often", "Often"], "Q5_3": ["Some of the time", "Often"]})
    >>> t = RawTable(frame=frame, source="pre.csv", row_numbers=np.array([2, 3]))
    >>> p = propose([t], [load_instrument("ucla3")], named=True)
    >>> p.mapping["instruments"]["ucla3"], p.files[0].id_column
    ({'pattern': 'Q5_{item}'}, 'pcode')
    """
    files = [_one_file(t, instruments, named, i, len(tables)) for i, t in enumerate(tables)]
    return Proposal(files=files, mapping=_mapping(files), evaluation=_evaluation(files))


def _one_file(
    table: RawTable, instruments: Sequence[Instrument], named: bool, index: int, n_files: int
) -> FileProposal:
    meta = table.metadata
    result = FileProposal(
        source=table.source,
        flavor=table.flavor,
        flavor_reason=str(meta.get("flavor_reason", "")),
        pii=dict(meta.get("pii_reasons", {})),
        excluded={str(k): int(v) for k, v in table.excluded["problem"].value_counts().items()},
    )
    result.notes = _notes(meta)
    left_out = set(table.pii_columns) | _checkbox_columns(table)
    usable = [c for c in map(str, table.frame.columns) if c not in left_out]
    profiles = _profiles(table, usable)
    chosen: dict[str, Candidate] = {}
    for instrument in instruments:
        misses: list[str] = []
        candidates = _candidates(table, usable, instrument, profiles, named, misses)
        if not candidates:
            if named:
                result.ambiguities.extend(f"{instrument.id}: {m}" for m in misses)
                result.ambiguities.append(
                    f"{instrument.id}: no block of {len(instrument.items)} columns whose "
                    "answers fit its response scale; map it by hand"
                )
            continue
        best = min(c.rank for c in candidates)
        top = [c for c in candidates if c.rank == best]
        if len(top) > 1:
            blocks = "; ".join(_describe(c) for c in top[:4])
            result.ambiguities.append(
                f"{instrument.id}: {len(top)} equally good matches ({blocks}); choose one in "
                "the mapping"
            )
            continue
        chosen[instrument.id] = top[0]
    # A proposal needs evidence: the instrument's item names, answers or value labels that
    # are its response labels, or question text naming it. Codes in range prove nothing
    # (nine 1–4 columns fit many scales), so such fits are listed, never written, and never
    # compete with an evidence-backed match for its columns.
    ranged = {k: v for k, v in chosen.items() if not _has_evidence(v, table, instruments)}
    chosen = {k: v for k, v in chosen.items() if k not in ranged}
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
    result.possible = {
        k: v for k, v in ranged.items() if not taken.intersection(v.columns.values())
    }
    _pick_id(result, table, [c for c in usable if c not in taken])
    _pick_wave(result, table, index, n_files)
    return result


_EVIDENCE = ("value labels name the scale's answers", "answers are the scale's labels")


def _has_evidence(candidate: Candidate, table: RawTable, instruments: Sequence[Instrument]) -> bool:
    """Whether a match rests on more than the codes' range (see :data:`_EVIDENCE`); a match
    made on question text says so in its reason."""
    if candidate.how == "name" or any(e in candidate.why for e in _EVIDENCE):
        return True
    instrument = next(i for i in instruments if i.id == candidate.instrument)
    names = {_norm(n) for n in (instrument.id, instrument.short_name, instrument.name) if n}
    texts = [_norm(table.column_labels.get(c, "")) for c in candidate.columns.values()]
    stem = _norm(candidate.pattern or "").replace("{item}", "")
    if any(n and (n in t or n == stem.strip(" _-")) for n in names for t in [*texts, stem]):
        candidate.why += f"; {_QUESTION_TEXT}"
        return True
    return False


_QUESTION_TEXT = "question text or column names name the instrument"


def _checkbox_columns(table: RawTable) -> set[str]:
    """Columns of tick-box questions, which are never items of a rating scale: REDCap
    ``field___code`` columns (and dictionary fields of type checkbox), Google Forms
    checkbox answers."""
    meta = table.metadata
    out = {c for cols in meta.get("checkbox_groups", {}).values() for c in cols}
    out.update(meta.get("checkbox_columns", []))
    out.update(c for c in map(str, table.frame.columns) if "___" in c)
    return out


def _notes(meta: dict[str, Any]) -> list[str]:
    """Reader facts a user should know before trusting the mapping."""
    notes = []
    for new_name, old_name in meta.get("renamed_duplicates", {}).items():
        notes.append(f"repeated column title '{old_name}' renamed '{new_name}'")
    for column in meta.get("checkbox_columns", []):
        notes.append(
            f"'{column}' joins ticked options with ', ' (an option with a comma "
            "in its label cannot be told apart)"
        )
    for column, count in meta.get("user_missing_cells", {}).items():
        notes.append(f"{count} cell(s) of '{column}' hold a declared missing-value code")
    for form, count in meta.get("repeating_instruments", {}).items():
        notes.append(f"{count} repeat row(s) of instrument '{form}' (one per instance)")
    normal = {"ip address", "0", "0.0", "survey preview", "1", "1.0"}
    for status, count in meta.get("status_values", {}).items():
        if status.strip().lower() not in normal:
            notes.append(
                f"{count} response(s) with Qualtrics status '{status}' kept (only previews are "
                "set aside; check whether these should count)"
            )
    if meta.get("blank_rows_skipped"):
        notes.append(f"{meta['blank_rows_skipped']} blank row(s) skipped")
    return notes


def _profiles(table: RawTable, columns: list[str]) -> dict[str, dict[str, int]]:
    """Column → {normalised answer: count} over the first rows (enough to judge a fit).

    Text columns are stacked into one Arrow array and counted in one pass, so a wide export
    costs what one long column does; typed (numeric) columns are counted one by one.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    wanted = set(columns)
    out: dict[str, dict[str, int]] = {c: {} for c in columns}
    text_names: list[str] = []
    pieces = []
    for name, column in table.frame.items():
        if name not in wanted:
            continue
        values = column.array[:_SAMPLE_ROWS]
        if isinstance(values, pd.arrays.ArrowStringArray):
            array = pa.array(values)
            if isinstance(array, pa.ChunkedArray):
                array = array.combine_chunks()
            pieces.append(array.cast(pa.large_string()))
            text_names.append(str(name))
            continue
        series = pd.Series(values).dropna()
        if series.dtype.kind == "f" and len(series) and (series % 1 == 0).all():
            series = series.astype("int64")
        text = series.astype(str).map(_norm)
        counts = text[text != ""].value_counts()
        out[str(name)] = {str(k): int(v) for k, v in counts.items()}
    if not pieces:
        return out
    owner = np.repeat(np.arange(len(pieces)), [len(p) for p in pieces])
    stacked = pa.concat_arrays(pieces)
    # As _norm: white space collapsed and trimmed, case folded.
    normal = pc.utf8_lower(
        pc.utf8_trim_whitespace(pc.replace_substring_regex(stacked, r"\s+", " "))
    )
    keep = pc.fill_null(pc.greater(pc.utf8_length(normal), 0), False).to_numpy(zero_copy_only=False)
    codes, uniques = pd.factorize(normal.to_numpy(zero_copy_only=False)[keep])
    keys = owner[keep].astype(np.int64) * max(len(uniques), 1) + codes
    found, counts = np.unique(keys, return_counts=True)
    for key, count in zip(found.tolist(), counts.tolist(), strict=True):
        column, code = divmod(key, max(len(uniques), 1))
        out[text_names[column]][str(uniques[code])] = int(count)
    # Most frequent answer first, as value_counts gives them.
    return {c: dict(sorted(v.items(), key=lambda kv: -kv[1])) for c, v in out.items()}


def _fit(
    values: dict[str, int], instrument: Instrument, scale: str, labels: dict[Any, str] | None
) -> tuple[bool, str, dict[str, float]]:
    """Whether a column's answers fit a response scale; how; and any recode needed.

    A few stray answers (a typo, an out-of-range code) do not break a fit: at least
    90% of the answered cells must be the scale's labels or codes. Scoring then flags
    the rest cell by cell.
    """
    options = instrument.response_scales[scale]
    vocab: dict[str, float] = {}
    for option in options:
        for name in [option.label, *option.synonyms]:
            vocab[_norm(name)] = float(option.code)
    codes = {float(o.code) for o in options}
    if labels:
        by_label = {_norm(v): k for k, v in labels.items()}
        hits = {k: vocab[lbl] for lbl, k in by_label.items() if lbl in vocab}
        if len(hits) >= max(2, len(options) - 1):
            recode = {_code_key(k): v for k, v in hits.items() if _as_float(k) != v}
            return True, "value labels name the scale's answers", recode
    total = sum(values.values())
    if not total:
        return False, "", {}
    numbers = {v: _as_float(v) for v in values}
    numeric = sum(n for v, n in values.items() if numbers[v] is not None)
    if numeric >= 0.9 * total:
        found = {numbers[v] for v in values if numbers[v] is not None}
        shifted = {c - 1 for c in codes}
        # Every code one below the scale, its bottom included and its top never used:
        # a 0-based export of a 1-based scale, not a scale with a few stray zeros.
        if found <= shifted and min(codes) - 1 in found and max(codes) not in found:
            recode = {_code_key(c - 1): c for c in sorted(codes)}
            return True, "codes one below the scale (0-based export)", recode
        inside = sum(n for v, n in values.items() if numbers[v] in codes)
        if inside >= 0.9 * total:
            return True, "codes within the scale", {}
        return False, "", {}
    known = sum(n for v, n in values.items() if v in vocab)
    if known >= 0.9 * total:
        return True, "answers are the scale's labels", {}
    return False, "", {}


def _as_float(value: object) -> float | None:
    try:
        return float(str(value).strip())
    except ValueError:
        return None


def _code_key(value: object) -> str:
    number = _as_float(value)
    if number is not None and number.is_integer():
        return str(int(number))
    return str(value)


def _candidates(
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
        blocks.append((how, dict(found), f"{prefix}{{item}}", why))
    for stem, block in _question_blocks(table, columns):
        if len(block) == len(items):
            mapping = dict(zip(items, block, strict=True))
            why = f"question block '{stem}' in column order; check the order"
            blocks.append(("column order", mapping, None, why))
    out: list[Candidate] = []
    for how, mapping, pattern, why in blocks:
        fitted = _block_fit(table, instrument, mapping, profiles)
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


def _block_fit(
    table: RawTable,
    instrument: Instrument,
    mapping: dict[str, str],
    profiles: dict[str, dict[str, int]],
) -> tuple[str, dict[str, float]] | None:
    scales = {item.id: item.scale for item in instrument.items}
    reasons: set[str] = set()
    recodes: dict[str, float] = {}
    answered = 0
    for item, column in mapping.items():
        values = profiles.get(column, {})
        ok, reason, recode = _fit(values, instrument, scales[item], table.value_labels.get(column))
        if values:
            answered += 1
        if not ok and values:
            return None
        if reason:
            reasons.add(reason)
        if recode and recodes and recode != recodes:
            return None  # items needing different recodes: not one block
        recodes = recode or recodes
    if not answered:
        return None
    return "; ".join(sorted(reasons)), recodes


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


def _describe(candidate: Candidate) -> str:
    return _describe_block(candidate.columns, candidate.pattern)


def _describe_block(columns: dict[str, str], pattern: str | None) -> str:
    cols = list(columns.values())
    return pattern or f"{cols[0]} … {cols[-1]}"


def _pick_id(result: FileProposal, table: RawTable, columns: list[str]) -> None:
    record = table.metadata.get("record_id")
    if record in columns:
        result.id_column, result.id_reason = record, str(table.metadata.get("record_id_reason"))
        return
    # A platform's response ID is new at every wave, so it cannot link pre to post.
    linkable = [c for c in columns if c.casefold() not in _RESPONSE_IDS.get(table.flavor, set())]
    folded = {c.casefold(): c for c in linkable}
    for name in ID_CANDIDATES:
        if name in folded:
            result.id_column, result.id_reason = folded[name], "a usual participant-ID name"
            return
    labels = table.column_labels
    hinted = [
        c
        for c in linkable
        if _ID_HINT.search(c.casefold()) or _ID_HINT.search(_norm(labels.get(c, "")))
    ]
    if len(hinted) == 1:
        result.id_column = hinted[0]
        result.id_reason = "its name or question asks for a participant code"
        return
    if len(hinted) > 1:
        result.ambiguities.append(
            f"several columns could be the participant ID ({', '.join(hinted)}); set id_column"
        )
        result.id_reason = "ambiguous"
        return
    result.id_reason = "not found"
    result.ambiguities.append(
        "no participant-ID column recognised; set id_column to the code that links waves "
        "(a platform response ID such as ResponseId changes at every wave)"
    )


def _pick_wave(result: FileProposal, table: RawTable, index: int, n_files: int) -> None:
    event = table.metadata.get("event_column")
    folded = {str(c).casefold(): str(c) for c in table.frame.columns}
    column = None
    if event:
        column, result.wave_reason = event, "REDCap events, one row per record × event"
    elif "wave" in folded and table.metadata.get("layout") in {"long_waves", "long_items"}:
        column, result.wave_reason = folded["wave"], "a wave column in a long file"
    if column is not None:
        result.wave_column = column
        values = table.frame[column]
        if event and "redcap_repeat_instance" in table.frame.columns:
            from .redcap_forms import occasion_names

            # Repeating events and forms are occasions of their own (``event#2``), named
            # as scoring names them.
            def blanked(name: str) -> pd.Series:
                cells = table.frame.get(name, pd.Series([None] * len(values)))
                return cells.astype("string").fillna("").str.replace(r"\.0$", "", regex=True)

            values = pd.Series(
                occasion_names(
                    values,
                    blanked("redcap_repeat_instrument").to_numpy(dtype=object),
                    blanked("redcap_repeat_instance").to_numpy(dtype=object),
                ),
                index=values.index,
            ).astype(object)
        items = [c for cand in result.matches.values() for c in cand.columns.values()]
        if items:
            # Only waves where a matched instrument was answered (a REDCap event can hold
            # other forms only).
            values = values[table.frame[items].notna().any(axis=1).to_numpy()]
        values = values.dropna().astype(str).str.strip()
        result.wave_values = [v for v in pd.unique(values) if v][:50]
        return
    stem = re.split(r"[^a-z0-9]+", Path(table.source).stem.casefold())
    words = [_WAVE_WORDS[w] for w in stem if w in _WAVE_WORDS]
    if words:
        result.wave, result.wave_reason = words[-1], "from the file name"
        return
    # Named as `score` names a file without a wave (1, 2, ...), so init and score agree.
    result.wave = str(index + 1)
    result.wave_reason = "not in the file name; placeholder"
    if n_files > 1:
        result.ambiguities.append(f"wave of this file unknown; named it '{result.wave}'")


def _mapping(files: list[FileProposal]) -> dict[str, Any]:
    sections: dict[str, dict[str, dict[str, Any]]] = {}
    for f in files:
        sections[f.source] = {inst: _entry(c) for inst, c in f.matches.items()}
    top: dict[str, dict[str, Any]] = {}
    per_file: dict[str, dict[str, Any]] = {}
    instruments = sorted({i for s in sections.values() for i in s})
    for inst in instruments:
        entries = [s[inst] for s in sections.values() if inst in s]
        if all(e == entries[0] for e in entries):
            top[inst] = entries[0]
        else:
            for source, section in sections.items():
                if inst in section:
                    per_file.setdefault(source, {"instruments": {}})["instruments"][inst] = section[
                        inst
                    ]
    out: dict[str, Any] = {}
    ids = {f.id_column for f in files if f.id_column}
    if len(ids) == 1:
        out["id_column"] = ids.pop()
    else:
        for f in files:
            if f.id_column:
                per_file.setdefault(f.source, {"instruments": {}})["id_column"] = f.id_column
    out["instruments"] = top
    if per_file:
        out["files"] = per_file
    return out


def _entry(candidate: Candidate) -> dict[str, Any]:
    entry: dict[str, Any] = {}
    if candidate.pattern:
        entry["pattern"] = candidate.pattern
    else:
        entry["columns"] = dict(candidate.columns)
    if candidate.recode:
        entry["recode"] = dict(candidate.recode)
    return entry


def _evaluation(files: list[FileProposal]) -> dict[str, Any]:
    data = []
    for f in files:
        entry: dict[str, Any] = {"path": f.source}
        if f.wave_column:
            entry["wave_column"] = f.wave_column
        else:
            entry["wave"] = f.wave
        if f.flavor != "plain":
            entry["flavor"] = f.flavor
        data.append(entry)
    instruments = sorted({i for f in files for i in f.matches})
    ids = [f.id_column for f in files if f.id_column]
    waves = [f.wave for f in files if f.wave]
    evaluation: dict[str, Any] = {
        "title": "Programme outcome report",
        "data": data,
        "instruments": instruments,
        "mapping": "mapping.yaml",
    }
    if ids:
        evaluation["id_column"] = ids[0]
    in_columns = next((f.wave_values for f in files if len(f.wave_values) >= 2), [])
    if len(set(waves)) >= 2:
        evaluation["waves"] = {"pre": waves[0], "post": waves[1]}
    elif in_columns:
        # Waves from a column (REDCap events): first seen is the baseline, then the post,
        # then follow-ups; the file states it so a reader can correct the order.
        evaluation["waves"] = {"pre": in_columns[0], "post": in_columns[1]}
        if in_columns[2:]:
            evaluation["waves"]["followup"] = list(in_columns[2:])
    evaluation["privacy"] = {"threshold": 5}
    return evaluation
