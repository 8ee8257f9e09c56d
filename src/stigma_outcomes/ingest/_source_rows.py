"""One export's rows as item responses: IDs, waves, carried columns and item blocks.

:func:`source_rows` turns one read export into the rows :func:`.responses.load_responses`
stacks: participant IDs (or row-number IDs, or keyed pseudonyms), waves, carried grouping
columns, each instrument's item columns moved (never converted), and the ledger rows for
what was set aside (rows without an ID or wave, personal columns dropped, padded rows,
REDCap forms, and, in a file holding its waves side by side, rows with no answer at the
wave: ``no_answers_at_wave``). Split from :mod:`.responses`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..errors import InputError, MappingError
from ..instruments.schema import Instrument
from ._duplicates import answered_any
from ._id_folds import IDS_AS_READ
from ._stacking import _constant
from .binding import bind_items, detect_id_column, find_column, id_strings
from .conventions import DEFAULT_WAVE, ROW_ID
from .flavors import flavor_named
from .mapping import Mapping
from .table import RawTable, ledger_frame
from .value_labels import decode_by_labels

NO_ANSWERS_AT_WAVE = "no_answers_at_wave"
"""Ledger problem of a row of a file holding its waves side by side with no answer at a wave."""

_KEEP_OPTION = {
    "survey_preview": "--include-previews",
    "unfinished_response": "--include-incomplete",
    "incomplete_response": "--include-incomplete",
}


def check_rows_left(table: RawTable) -> None:
    """Refuse an export whose every row the reader set aside (say why, name the option)."""
    if len(table.frame) or not len(table.excluded):
        return
    counts = table.excluded["problem"].value_counts()
    why = ", ".join(f"{n} {str(p).replace('_', ' ')}(s)" for p, n in counts.items())
    options = sorted({_KEEP_OPTION[p] for p in counts.index if p in _KEEP_OPTION})
    keep = f"add {' and '.join(options)} to keep them, " if options else ""
    raise InputError(
        f"every row of this export was set aside ({why}): nothing is left to score",
        where=table.source,
        fix=f"{keep}or check that this is the export with the real responses",
    )


def source_rows(
    table: RawTable,
    index: int,
    instruments: list[Instrument],
    the_map: Mapping,
    id_col: str | None,
    wave_col: str | None,
    file_wave: str | None,
    carry: Sequence[str],
    casefold_ids: bool,
    id_key: bytes | None,
    ignore_id_zeros: bool = False,
    side_by_side: bool = False,
) -> tuple[pd.DataFrame, dict[tuple[str, str], str], pd.DataFrame]:
    """One export's rows at one wave (``file_wave``, or its wave column), its bound columns
    and its ledger rows.

    ``side_by_side``: the export holds its waves side by side (it is named at several waves,
    each binding other columns), so a row with no answer in any column bound at this wave
    is not a response at this wave: it is set aside for it (``no_answers_at_wave``).
    """
    data = table.frame
    # A reader that knows the record-ID field (REDCap's dictionary) and the event column
    # supplies them when the user has not named columns.
    id_name = id_col or the_map.id_column_for(table.source) or table.metadata.get("record_id")
    id_column = (
        None
        if id_name == ROW_ID
        else find_column(table, id_name, "participant ID", "--id-col")
        if id_name
        else detect_id_column(table)
    )
    wave_name = (
        wave_col
        or the_map.wave_column_for(table.source)
        or (table.metadata.get("event_column") if file_wave is None else None)
    )
    wave_named = True
    if wave_name and file_wave is None:
        wave_values = data[find_column(table, wave_name, "wave", "--wave-col")]
        waves = id_strings(wave_values)
    else:
        fallback = file_wave
        if fallback is None:
            folded = {str(c).strip().casefold(): str(c) for c in data.columns}
            waves = (
                id_strings(data[folded["wave"]])
                if "wave" in folded
                else _constant(DEFAULT_WAVE, len(data))
            )
            # A repeat occasion is named after the row's wave unless that is only the default.
            wave_named = "wave" in folded
        else:
            waves = _constant(fallback, len(data))
    data = data.reset_index(drop=True)
    if id_column is None:
        # Row-number IDs: unique within and across files, so no row is paired with another.
        ids = pd.Series(
            np.char.add(f"{table.source}#", table.row_numbers.astype(str)), dtype=object
        )
    else:
        ids = id_strings(data[id_column], casefold_ids, ignore_zeros=ignore_id_zeros)
    if id_column is not None and id_column in table.pii_columns and id_key is None:
        reason = table.metadata.get("pii_reasons", {}).get(id_column, "personal data")
        raise InputError(
            f"the participant ID column '{id_column}' identifies people ({reason})",
            where=table.source,
            fix="give a project key (--id-key-file, or the STIGMA_OUTCOMES_ID_KEY environment "
            "variable) so IDs are replaced by pseudonyms, or choose another ID column",
        )
    keyed_from = None
    if id_key is not None:
        from .pseudonym import pseudonymise

        # The IDs as read go along until the waves' checks of lost zeros and of letter case,
        # which pseudonyms would hide ('7' and '007', 'ab12' and 'AB12' have unrelated ones);
        # load_responses then drops them.
        keyed_from = None if ignore_id_zeros and casefold_ids else ids.reset_index(drop=True)
        ids = pseudonymise(ids, id_key).astype("str").reset_index(drop=True)
    out = pd.DataFrame({"participant_id": ids, "wave": waves})
    if keyed_from is not None:
        out[IDS_AS_READ] = keyed_from
    pii = set(table.pii_columns)
    reasons = table.metadata.get("pii_reasons", {})
    for name in carry:
        column = find_column(table, name, "carried", "--carry")
        if column in pii:
            why = reasons.get(column, "personal data")
            raise InputError(
                f"'{column}' holds personal data ({why}) and cannot be carried into the scores",
                where=table.source,
                fix="carry a grouping column (site, arm, cohort) instead",
            )
        out[name] = data[column]
    columns: dict[tuple[str, str], str] = {}
    blocks: list[pd.DataFrame] = [out]
    problems: list[pd.DataFrame] = []
    for inst in instruments:
        wave_for_map = file_wave if file_wave is not None else None
        bound = bind_items(table, inst, the_map, wave_for_map)
        for item_id, column in bound.items():
            canonical = f"{inst.id}_{item_id}"
            if column in pii and not reasons.get(column, "").startswith("values look like"):
                # Named personal fields are never items; a guess from the values alone
                # yields to the user's mapping (answer text can look like free text).
                raise MappingError(
                    f"column '{column}' is bound to {canonical} but was recognised as "
                    "personal data",
                    where=table.source,
                    fix="check the mapping; item responses should not be identifying columns",
                )
            columns[(table.source, canonical)] = column
        # Whole columns are moved, never converted, so text stays in its Arrow buffers.
        sources = [columns[(table.source, f"{inst.id}_{i}")] for i in inst.item_ids]
        block = data[sources].set_axis([f"{inst.id}_{i}" for i in inst.item_ids], axis=1)
        if table.value_labels and not the_map.for_source(inst.id, table.source, None).recode:
            # A recode in the mapping is the user's decision about codes; otherwise labelled
            # columns are decoded by their labels.
            block, label_notes = decode_by_labels(
                block, bound, inst, table.value_labels, table.source
            )
            problems.append(label_notes)
        blocks.append(block)
    blocks.append(
        pd.DataFrame({"_file": _constant(table.source, len(data)), "_row": table.row_numbers})
    )
    out = pd.concat(blocks, axis=1)
    if pii:
        problems.append(
            ledger_frame(
                [
                    {
                        "file": table.source,
                        "column": c,
                        "problem": "pii_column_dropped",
                        "action": "kept out of every output",
                    }
                    for c in sorted(pii)
                ]
            )
        )
    padded = table.metadata.get("short_rows_padded")
    if padded:
        rows = np.intersect1d(np.asarray(padded, dtype=np.int64), table.row_numbers)
        problems.append(
            ledger_frame(
                pd.DataFrame(
                    {
                        "file": table.source,
                        "row": rows,
                        "problem": "short_row_padded",
                        "action": "trailing cells missing from the row read as blank",
                    }
                )
            )
        )
    no_id = out["participant_id"].isna().to_numpy()
    no_wave = out["wave"].isna().to_numpy() & ~no_id
    for mask, problem in ((no_id, "missing_participant_id"), (no_wave, "missing_wave")):
        if mask.any():
            rows = out.loc[mask]
            problems.append(
                ledger_frame(
                    pd.DataFrame(
                        {
                            "file": table.source,
                            "row": rows["_row"].to_numpy(),
                            "participant_id": rows["participant_id"].to_numpy(),
                            "wave": rows["wave"].to_numpy(),
                            "column": id_column if problem == "missing_participant_id" else None,
                            "problem": problem,
                            "action": "row_excluded",
                        }
                    )
                )
            )
    dropped = no_id | no_wave
    kept = out.loc[~dropped] if dropped.any() else out
    if side_by_side:
        kept, not_there = _answered_at_wave(kept, instruments, table.source)
        problems.append(not_there)
    # What the platform does with bound rows (REDCap: repeat occasions, form status).
    items = {
        i.id: {f"{i.id}_{k}": columns[(table.source, f"{i.id}_{k}")] for k in i.item_ids}
        for i in instruments
    }
    kept, flavor_ledger = flavor_named(table.flavor).after_binding(
        kept, data, table.metadata, items, table.source, wave_named
    )
    problems.append(flavor_ledger)
    ledger = pd.concat(problems, ignore_index=True) if problems else ledger_frame([])
    return kept, columns, ledger


def _answered_at_wave(
    rows: pd.DataFrame, instruments: list[Instrument], source: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rows of a file holding its waves side by side that answered anything at this
    wave, and a ledger row for each that did not.

    Every cell bound at this wave blank (every item of every instrument): the participant
    did not take part at this wave, as a long file shows by having no row. Such a row is set
    aside for this wave only (``row_excluded``), so rows in = rows scored + rows excluded
    holds per file and wave, and the participant counts as not answering this wave, not as
    answering too few questions. In an export of one wave, a submitted row is a response
    even when blank, and this is never asked.
    """
    columns = [f"{inst.id}_{item}" for inst in instruments for item in inst.item_ids]
    blank = ~answered_any(rows, columns)
    if not blank.any():
        return rows, ledger_frame([])
    absent = rows.loc[blank]
    ledger = ledger_frame(
        pd.DataFrame(
            {
                "file": source,
                "row": absent["_row"].to_numpy(),
                "participant_id": absent["participant_id"].to_numpy(),
                "wave": absent["wave"].to_numpy(),
                "value": f"0 of {len(columns)} answered at this wave",
                "problem": NO_ANSWERS_AT_WAVE,
                "action": "row_excluded",
            }
        )
    )
    return rows.loc[~blank], ledger
