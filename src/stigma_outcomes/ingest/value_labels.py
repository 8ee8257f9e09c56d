"""Value labels in scoring: decode a labelled column by its labels, not by its codes.

SPSS and Stata files carry value labels (1 = "low"), and a REDCap data dictionary gives each
radio field its choices (``a, Often``). The codes need not be the instrument's: an SPSS
column coded 1–3 for an instrument coded 0–2 would be scored one point too high, and REDCap
letter codes would score nobody. When a column's labels name the instrument's response
options, every labelled code is replaced by its label (which scoring decodes by the
definition), and the ledger says so wherever a label's code differs from the instrument's.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..instruments.checks import normalise_label
from ..instruments.schema import Instrument
from .table import ledger_frame


def _key(value: Any) -> str:
    """A code as comparable text: 1, 1.0 and "1" are one code; "a" stays "a"."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return normalise_label(value)
    return str(int(number)) if number.is_integer() else str(number)


def label_decoding(
    labels: dict[Any, str], instrument: Instrument, scale: str
) -> tuple[dict[str, str], dict[str, float]] | None:
    """The code → label map to decode a column by, and the codes that disagree, or ``None``.

    A column qualifies when its labels name at least all but one of the scale's options (two
    at the least). The second map holds {export code: instrument code} for every labelled
    code whose number differs from the instrument's code for that label.

    Examples
    --------
    >>> from stigma_outcomes.instruments import load_instrument
    >>> ucla = load_instrument("ucla3")
    >>> labels = {0.0: "Hardly ever", 1.0: "Some of the time", 2.0: "Often"}
    >>> decode, differ = label_decoding(labels, ucla, ucla.items[0].scale)
    >>> decode["0"], differ
    ('Hardly ever', {'0': 1.0, '1': 2.0, '2': 3.0})
    """
    options = instrument.response_scales[scale]
    vocab = {
        normalise_label(text): float(option.code)
        for option in options
        for text in (option.label, *option.synonyms)
    }
    decode = {_key(code): str(label) for code, label in labels.items()}
    hits = {k: vocab[normalise_label(v)] for k, v in decode.items() if normalise_label(v) in vocab}
    if len(hits) < max(2, len(options) - 1):
        return None
    differ = {}
    for code, target in hits.items():
        try:
            same = float(code) == target
        except ValueError:
            same = False
        if not same:
            differ[code] = target
    return decode, differ


def decode_by_labels(
    block: pd.DataFrame,
    columns: dict[str, str],
    instrument: Instrument,
    value_labels: dict[str, dict[Any, str]],
    source: str,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Replace labelled codes by their labels in an instrument's item block; ledger notes.

    ``block`` holds the instrument's items (columns ``<instrument>_<item>``) and ``columns``
    maps each item id to its export column. Returns the block and one ledger row per column
    whose labels' codes differ from the instrument's codes.
    """
    scales = {item.id: item.scale for item in instrument.items}
    notes = []
    for item_id, column in columns.items():
        labels = value_labels.get(column)
        if not labels:
            continue
        found = label_decoding(labels, instrument, scales[item_id])
        if found is None:
            continue
        decode, differ = found
        name = f"{instrument.id}_{item_id}"
        cells = block[name]
        codes, uniques = pd.factorize(cells, use_na_sentinel=True)
        if len(uniques) == 0:
            continue
        # One look-up per distinct value, broadcast back by the factor codes.
        mapped = np.array([decode.get(_key(u), u) for u in uniques] + [None], dtype=object)
        block[name] = pd.Series(mapped[codes], index=block.index, dtype=object)
        if differ:
            shown = "; ".join(f"{c}={decode[c]} → {t:g}" for c, t in sorted(differ.items()))
            notes.append(
                {
                    "file": source,
                    "column": column,
                    "instrument": instrument.id,
                    "item": item_id,
                    "value": shown,
                    "problem": "value_labels_differ_from_codes",
                    "action": "scored by the value labels, not the codes",
                }
            )
    return block, ledger_frame(notes)
