"""Guessing each export's participant-ID column and its wave (or wave column), and whether
the IDs pair across the exports only once leading zeros are ignored."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ...errors import InputError
from .._id_folds import check_zeros_kept
from ..binding import id_strings
from ..conventions import ID_CANDIDATES, WAVE_WORDS
from ..flavors import flavor_named
from ..table import RawTable
from ._found import FileProposal
from ._waves import compared_waves, event_names

_ID_HINT = re.compile(
    r"\b(participant|respondent|client|member|subject|study)((\W+\w+){0,2}?\W+)?"
    r"(id|code|number)\b"
    r"|^(p|pt|part)?code$|participant code|your (participant )?code"
)
"""Words of a name or question asking for a participant code, matched on whole words (see
:func:`_words`): "study … consider" is not "study … id". At most two words may come between
(``participant study number``), so a long question text does not match from afar."""


def _words(text: str) -> str:
    """A name or question as lower-case words: camelCase, ``_``, ``-`` and ``.`` split words.

    Examples
    --------
    >>> _words("StudyID"), _words("subject_id"), _words("partID"), _words("Consider it")
    ('study id', 'subject id', 'part id', 'consider it')
    """
    split = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", str(text))
    return " ".join(re.sub(r"[\W_]+", " ", split).split()).casefold()


def _has_values(column: pd.Series) -> bool:
    """Whether any cell holds something other than blanks (an empty column links nobody)."""
    filled = column.dropna()
    if filled.dtype.kind in "biufcmM":
        return bool(len(filled))
    return bool(filled.astype("string").str.strip().ne("").any())


def pick_id(result: FileProposal, table: RawTable, columns: list[str]) -> None:
    """The participant-ID column among ``columns``: the reader's record ID, a usual ID name,
    or the one column whose name or question asks for a participant code. A column empty in
    every row is never proposed, whatever its name."""
    record = table.metadata.get("record_id")
    if record in columns and _has_values(table.frame[record]):
        result.id_col, result.id_reason = record, str(table.metadata.get("record_id_reason"))
        return
    # A platform's response ID is new at every wave, so it cannot link pre to post.
    response_ids = flavor_named(table.flavor).response_ids
    linkable = [c for c in columns if c.casefold() not in response_ids]
    folded = {c.casefold(): c for c in linkable}
    for name in ID_CANDIDATES:
        if name in folded and _has_values(table.frame[folded[name]]):
            result.id_col, result.id_reason = folded[name], "a usual participant-ID name"
            return
    labels = table.column_labels
    hinted = [
        c
        for c in linkable
        if (_ID_HINT.search(_words(c)) or _ID_HINT.search(_words(labels.get(c, ""))))
        and _has_values(table.frame[c])
    ]
    if len(hinted) == 1:
        result.id_col = hinted[0]
        result.id_reason = "its name or question asks for a participant code"
        return
    if len(hinted) > 1:
        result.ambiguities.append(
            f"several columns could be the participant ID ({', '.join(hinted)}); set id_col"
        )
        result.id_reason = "ambiguous"
        return
    result.id_reason = "not found"
    result.ambiguities.append(
        "no participant-ID column recognised; set id_col to the code that links waves "
        "(a platform response ID such as ResponseId changes at every wave)"
    )


def pick_wave(result: FileProposal, table: RawTable, index: int, sources: list[str]) -> None:
    """The export's wave: a wave column (an event column, a long file's ``wave``), else a
    wave word in the file name, else the part of its file name the other exports' names do
    not share (``wellbeing_Week 6.csv`` beside ``wellbeing_Baseline.csv`` → ``Week 6``),
    else a numbered placeholder (as ``score`` names it)."""
    event = table.metadata.get("event_column")
    folded = {str(c).casefold(): str(c) for c in table.frame.columns}
    column = None
    if event:
        column = event
        result.wave_reason = str(table.metadata.get("event_reason") or "the export's event column")
    elif "wave" in folded and table.metadata.get("layout") in {"long_waves", "long_items"}:
        column, result.wave_reason = folded["wave"], "a wave column in a long file"
    if column is not None:
        result.wave_col = column
        # Named as scoring names them (REDCap: repeat instances are occasions of their own).
        values = flavor_named(table.flavor).wave_values(table.frame, column)
        items = [c for cand in result.matches.values() for c in cand.columns.values()]
        if items:
            # Only waves where a matched instrument was answered (a REDCap event can hold
            # other forms only).
            values = values[table.frame[items].notna().any(axis=1).to_numpy()]
        # An export's own event column (REDCap's) names events by arm and repeat.
        _column_waves(result, values.dropna().astype(str).str.strip(), events=bool(event))
        return
    stem = re.split(r"[^a-z0-9]+", Path(table.source).stem.casefold())
    words = [WAVE_WORDS[w] for w in stem if w in WAVE_WORDS]
    if words:
        result.wave, result.wave_reason = words[-1], "from the file name"
        return
    part = own_part([Path(s).stem for s in sources], index) if len(sources) > 1 else None
    if part:
        result.wave, result.wave_reason = part, "the part of the file name that differs"
        result.ambiguities.append(
            f"wave of this file not said by a wave word; named it '{part}' after its file name"
        )
        return
    # Named as `score` names a file without a wave (1, 2, ...), so init and score agree.
    result.wave = str(index + 1)
    result.wave_reason = "not in the file name; placeholder"
    if len(sources) > 1:
        result.ambiguities.append(f"wave of this file unknown; named it '{result.wave}'")


_SEPARATORS = " _-.()[]"


def own_part(stems: list[str], at: int) -> str | None:
    """The part of ``stems[at]`` that the other names do not share: the names' common
    beginning and end cut at a separator, the separators around the rest trimmed; ``None``
    when nothing (or the same text as another name's) is left.

    Examples
    --------
    >>> stems = ["wellbeing_Baseline", "wellbeing_Week 6", "wellbeing_End"]
    >>> own_part(stems, 1), own_part(["survey_t1", "survey_t2"], 1)
    ('Week 6', 't2')
    >>> own_part(["export", "export"], 0) is None
    True
    """

    def cut(texts: list[str]) -> str:
        """The texts' common beginning (character by character), cut after a separator."""
        first, last = min(texts), max(texts)
        same = next(
            (i for i, (a, b) in enumerate(zip(first, last, strict=False)) if a != b), len(first)
        )
        common = first[: min(same, len(last))]
        return common[: max(common.rfind(c) for c in _SEPARATORS) + 1]

    head = cut(stems)
    tails = [s[len(head) :][::-1] for s in stems]
    tail = cut(tails)
    parts = [t[len(tail) :][::-1].strip(_SEPARATORS) for t in tails]
    mine = parts[at]
    if not mine or parts.count(mine) > 1 or len(mine) > 40:
        return None
    return mine


def _column_waves(result: FileProposal, values: pd.Series, events: bool) -> None:
    """A wave column's values as the waves to compare (``result.wave_values``, the ones
    left out, the renames to draft, and the questions): one wave per spelling that differs
    only in case; an export's ``events`` (REDCap's) named without their arm, and their
    repeat occasions not compared."""
    values = values[values != ""]
    renames = _case_variants(values)
    if renames:
        variants = ", ".join(f"'{a}' as '{b}'" for a, b in renames.items())
        result.ambiguities.append(
            f"wave values that differ only in case are taken as one wave ({variants}; "
            "drafted as waves: rename)"
        )
    seen = [v for v in pd.unique(values) if v not in renames][:50]
    occasions: list[str] = []
    named = event_names(seen) if events else None
    # Repeat occasions are set apart only beside two events or more; a project whose
    # waves are the repeats of one event (session #1, #2) compares them.
    if named is not None and len(seen) - len(named.occasions) >= 2:
        renames = {k: named.renames.get(v, v) for k, v in renames.items()} | named.renames
        seen = [named.renames.get(v, v) for v in seen if v not in named.occasions]
        occasions = [named.renames.get(v, v) for v in named.occasions]
        result.ambiguities.extend(named.questions)
    result.wave_renames = renames
    if len(seen) < 2:
        result.wave_values = [*seen, *occasions]
        result.waves_left_out = occasions
        return
    order = compared_waves(seen)
    result.wave_values = [*order.compared, *order.left_out, *occasions]
    result.waves_left_out = [*order.left_out, *occasions]
    if order.question:
        result.ambiguities.append(order.question)


def _case_variants(values: pd.Series) -> dict[str, str]:
    """Wave values that differ from another only in case → the spelling most rows use (the
    first seen among equals).

    Examples
    --------
    >>> _case_variants(pd.Series(["End", "End", "END", "pre", "Pre", "pre"]))
    {'END': 'End', 'Pre': 'pre'}
    """
    counts = values.value_counts(sort=False)
    first_seen = {v: at for at, v in enumerate(pd.unique(values))}
    spellings: dict[str, list[str]] = {}
    for value in first_seen:
        spellings.setdefault(value.casefold(), []).append(value)
    renames: dict[str, str] = {}
    for group in spellings.values():
        if len(group) > 1:
            main = max(group, key=lambda v: (counts[v], -first_seen[v]))
            renames.update({v: main for v in group if v != main})
    return renames


def ids_lost_zeros(tables: list[RawTable], files: list[FileProposal]) -> str | None:
    """Why the IDs pair across the waves only once leading zeros are ignored (``score``
    would refuse them; ``ignore_id_zeros`` pairs them), or ``None``: the same check, on the
    ID and wave columns ``init`` found.

    Examples
    --------
    >>> import numpy as np
    >>> tables = [RawTable(frame=pd.DataFrame({"id": ids}), source=name, row_numbers=np.arange(2))
    ...           for ids, name in ((["7", "8"], "pre.xlsx"), (["007", "008"], "post.csv"))]
    >>> files = [FileProposal(source=t.source, flavor="plain", flavor_reason="", id_col="id",
    ...                       wave=wave) for t, wave in zip(tables, ("pre", "post"))]
    >>> ids_lost_zeros(tables, files).split(":")[0]
    "2 participant(s) are paired across waves only when leading zeros are ignored, e.g. '7' at \
pre and '007' at post"
    """
    parts = []
    for table, found in zip(tables, files, strict=True):
        frame = table.frame
        if found.id_col not in frame.columns:
            continue
        if found.wave_col in frame.columns:
            waves = id_strings(frame[found.wave_col])
        elif found.wave:
            waves = pd.Series(found.wave, index=range(len(frame)))
        else:
            continue
        ids = id_strings(frame[found.id_col])
        parts.append(pd.DataFrame({"participant_id": ids, "wave": waves, "_file": found.source}))
    if not parts:
        return None
    try:
        check_zeros_kept(pd.concat(parts, ignore_index=True).dropna())
    except InputError as error:
        return error.what
    return None
