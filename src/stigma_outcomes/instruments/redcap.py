"""Export an instrument definition as a REDCap data dictionary, so a program can field it.

The dictionary has REDCap's 18 standard columns. Each item becomes a radio field named
``<instrument id>_<item id>``: the same column name the scoring engine binds automatically, so a
raw REDCap export of the fielded form scores without a mapping file. Answers that are not a
point on the scale (e.g. "Don't know") become extra choices with a code the engine recognises.

Item wording of copyrighted instruments is never shipped. The field label is our short label,
unless the user supplies an overlay file with the wording from their licensed copy::

    items:
      "1": "wording of item 1 from your licensed copy"
      "2": "..."
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import DefinitionError, InputError
from .schema import Instrument, Item, MissingCode, code_key

if TYPE_CHECKING:
    import pandas as pd

REDCAP_COLUMNS = [
    "Variable / Field Name",
    "Form Name",
    "Section Header",
    "Field Type",
    "Field Label",
    "Choices, Calculations, OR Slider Labels",
    "Field Note",
    "Text Validation Type OR Show Slider Number",
    "Text Validation Min",
    "Text Validation Max",
    "Identifier?",
    "Branching Logic (Show field only if...)",
    "Required Field?",
    "Custom Alignment",
    "Question Number (surveys only)",
    "Matrix Group Name",
    "Matrix Ranking?",
    "Field Annotation",
]

# REDCap variable names: lower-case letters, digits and underscores, starting with a letter.
_FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
# A raw choice code REDCap accepts: letters, digits, underscores (and a leading minus or dot).
_CHOICE_CODE = re.compile(r"^-?[A-Za-z0-9_.]+$")


def field_name(instrument: Instrument, item: Item) -> str:
    """The REDCap variable name of an item: ``<instrument id>_<item id>``, lower-case.

    Examples
    --------
    >>> from stigma_outcomes.instruments import load_instrument
    >>> phq9 = load_instrument("phq9")
    >>> field_name(phq9, phq9.item("9"))
    'phq9_9'
    """
    return f"{instrument.id}_{item.id}".lower()


def _missing_choice_code(missing: MissingCode, instrument: Instrument, item: Item) -> str:
    if missing.code is not None:
        return code_key(missing.code)
    # The engine matches labels and synonyms case-insensitively, so a one-word synonym such as
    # "DK" or "Skipped" used as the raw code decodes back to the same non-answer.
    for text in (missing.label, *missing.synonyms):
        if _CHOICE_CODE.match(text.strip()):
            return text.strip()
    raise DefinitionError(
        f"non-answer '{missing.label}' has no code that REDCap can store",
        where=f"{instrument.id}: items (id '{item.id}').missing_codes",
        fix="give it a 'code', or a one-word synonym (letters, digits, underscores) such as 'DK'",
    )


def choice_pairs(instrument: Instrument, item: Item) -> list[tuple[str, str]]:
    """The (raw code, label) choices of an item: its scale, then any non-answers.

    Shared by every fielding export (REDCap, XLSForm) so a choice's stored code is always one
    the scoring engine decodes back to the same answer.

    Examples
    --------
    >>> from stigma_outcomes.instruments import load_instrument
    >>> ribs = load_instrument("ribs")
    >>> choice_pairs(ribs, ribs.item("5"))[-1]
    ('DK', "Don't know")
    """
    pairs = [
        (code_key(o.code), clean_label(o.label)) for o in instrument.response_scales[item.scale]
    ]
    pairs += [
        (_missing_choice_code(m, instrument, item), clean_label(m.label))
        for m in item.missing_codes
    ]
    return pairs


def _choices(instrument: Instrument, item: Item) -> str:
    return " | ".join(f"{code}, {label}" for code, label in choice_pairs(instrument, item))


def clean_label(text: str) -> str:
    """A label on one line without pipes (a pipe splits a REDCap choice list).

    Examples
    --------
    >>> clean_label("a |  b  c")
    'a / b c'
    """
    return " ".join(str(text).replace("|", "/").split())


_clean = clean_label


def item_wording(
    instrument: Instrument,
    overlay: str | os.PathLike[str] | dict[str, Any] | None,
) -> dict[str, str]:
    """The field label of every item: overlay wording, shipped wording, or our short label.

    Examples
    --------
    >>> from stigma_outcomes.instruments import load_instrument
    >>> item_wording(load_instrument("gad7"), {"items": {"1": "Mine"}})["1"]
    'Mine'
    """
    if overlay is None:
        wording: dict[str, str] = {}
    elif isinstance(overlay, dict):
        wording = parse_overlay(overlay, instrument)
    else:
        wording = read_overlay(overlay, instrument)
    return {
        item.id: wording.get(item.id) or (item.wording and _clean(item.wording)) or item.label
        for item in instrument.items
    }


def read_overlay(path: str | os.PathLike[str], instrument: Instrument) -> dict[str, str]:
    """Read an item-wording overlay file and check it against the instrument.

    The file is YAML with an ``items`` mapping from item id to wording, and optionally an
    ``instrument`` id that must match.

    Raises
    ------
    InputError
        When the file is missing, malformed, or names items the instrument does not have.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from stigma_outcomes.instruments import load_instrument
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "overlay.yaml"
    >>> _ = f.write_text('items: {"2": "wording from my licensed copy"}', encoding="utf-8")
    >>> read_overlay(f, load_instrument("k6"))
    {'2': 'wording from my licensed copy'}
    """
    from .registry import read_yaml

    file = Path(path)
    if not file.is_file():
        raise InputError(f"overlay file not found: {file}", fix="check the --overlay path")
    data = read_yaml(file)
    return parse_overlay(data, instrument, str(file))


def parse_overlay(data: Any, instrument: Instrument, source: str = "<overlay>") -> dict[str, str]:
    """Validate overlay data already parsed from YAML; return ``{item id: wording}``.

    Examples
    --------
    >>> from stigma_outcomes.instruments import load_instrument
    >>> parse_overlay({"items": {1: "My wording"}}, load_instrument("phq9"))
    {'1': 'My wording'}
    """
    fix = 'write it as:  items: {"1": "wording of item 1", "2": "..."}'
    if not isinstance(data, dict) or not isinstance(data.get("items"), dict):
        raise InputError("an overlay file needs an 'items' mapping", where=source, fix=fix)
    unknown_keys = sorted(set(data) - {"items", "instrument"})
    if unknown_keys:
        raise InputError(
            f"unknown overlay field(s): {', '.join(map(str, unknown_keys))}",
            where=source,
            fix="an overlay has only 'items' (and optionally 'instrument')",
        )
    named = data.get("instrument")
    if named is not None and str(named) != instrument.id:
        raise InputError(
            f"the overlay is for instrument '{named}', not '{instrument.id}'",
            where=f"{source}: instrument",
            fix=f"use the overlay written for {instrument.id}, or correct its 'instrument' field",
        )
    wording: dict[str, str] = {}
    for key, text in data["items"].items():
        item_id = code_key(key)
        if item_id not in instrument.item_ids:
            raise InputError(
                f"the overlay gives wording for item '{item_id}', which {instrument.id} "
                "does not have",
                where=f"{source}: items",
                fix=f"use the item ids of {instrument.id}: {', '.join(instrument.item_ids)}",
            )
        if not isinstance(text, str) or not text.strip():
            raise InputError(
                f"the wording of item '{item_id}' is empty or not text",
                where=f"{source}: items.{item_id}",
                fix="quote the wording as text",
            )
        wording[item_id] = _clean(text)
    return wording


def to_redcap_dictionary(
    instrument: Instrument,
    overlay: str | os.PathLike[str] | dict[str, Any] | None = None,
    *,
    record_id: str | None = None,
) -> pd.DataFrame:
    """The REDCap data dictionary of one instrument, as a table of the 18 standard columns.

    Parameters
    ----------
    instrument : Instrument
        A loaded definition.
    overlay : path or dict, optional
        Item wording from the user's licensed copy: a YAML file (or its parsed content) with
        ``items: {item id: wording}``. Items it does not cover keep our short labels.
    record_id : str, optional
        Add a first row defining the project's record ID field with this name (REDCap needs it
        as the first field when the dictionary starts a new project).

    Returns
    -------
    pandas.DataFrame
        One row per item (after the optional record ID row); all cells are text.

    Examples
    --------
    >>> from stigma_outcomes.instruments import load_instrument
    >>> dd = to_redcap_dictionary(load_instrument("gad7"))
    >>> dd.loc[0, ["Variable / Field Name", "Field Type"]].tolist()
    ['gad7_1', 'radio']
    >>> dd.loc[0, "Choices, Calculations, OR Slider Labels"].split(" | ")[0]
    '0, Not at all'
    """
    import pandas as pd

    labels = item_wording(instrument, overlay)

    form = instrument.id
    rows: list[dict[str, str]] = []
    if record_id is not None:
        if not _FIELD_NAME.match(record_id):
            raise InputError(
                f"'{record_id}' is not a valid REDCap variable name",
                fix="use lower-case letters, digits and underscores, starting with a letter",
            )
        rows.append(
            {"Variable / Field Name": record_id, "Field Type": "text", "Field Label": "Record ID"}
        )
    for index, item in enumerate(instrument.items):
        name = field_name(instrument, item)
        if not _FIELD_NAME.match(name):
            raise DefinitionError(
                f"item id '{item.id}' gives the REDCap variable name '{name}', which REDCap "
                "does not accept",
                where=f"{instrument.id}: items[{index}]",
                fix="use item ids of letters, digits and underscores",
            )
        label = labels[item.id]
        rows.append(
            {
                "Variable / Field Name": name,
                "Section Header": f"{instrument.name} ({instrument.short_name})"
                if index == 0
                else "",
                "Field Type": "radio",
                "Field Label": label,
                "Choices, Calculations, OR Slider Labels": _choices(instrument, item),
                "Field Annotation": f"stigma_outcomes {instrument.id} v{instrument.version} "
                f"item {item.id}",
            }
        )
    frame = pd.DataFrame(rows, columns=REDCAP_COLUMNS, dtype=object).fillna("")
    frame["Form Name"] = form
    return frame


def write_redcap_dictionary(
    instrument: Instrument,
    path: str | os.PathLike[str],
    overlay: str | os.PathLike[str] | dict[str, Any] | None = None,
    *,
    record_id: str | None = None,
) -> Path:
    """Write :func:`to_redcap_dictionary` to a CSV (or XLSX) file, atomically and formula-safe.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from stigma_outcomes.instruments import load_instrument
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "k6_dictionary.csv"
    >>> import pandas as pd
    >>> written = pd.read_csv(write_redcap_dictionary(load_instrument("k6"), out))
    >>> written.iloc[0, :2].tolist()
    ['k6_1', 'k6']
    """
    from .._io import write_table

    target = Path(path)
    if target.suffix.lower() not in (".csv", ".xlsx"):
        raise InputError(
            f"cannot write a REDCap data dictionary to '{target.name}'",
            where=str(target),
            fix="use a .csv file name (REDCap imports data dictionaries as CSV)",
        )
    return write_table(to_redcap_dictionary(instrument, overlay, record_id=record_id), target)
