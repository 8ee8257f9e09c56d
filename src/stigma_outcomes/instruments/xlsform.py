"""Export an instrument definition as an XLSForm, so KoboToolbox or ODK can field it.

An XLSForm is an Excel workbook with a ``survey`` sheet (one row per question), a ``choices``
sheet (the answer lists) and an optional ``settings`` sheet. Each item becomes a
``select_one`` question named ``<instrument id>_<item id>``, the column name the scoring engine
binds automatically, so a Kobo or ODK export of the fielded form scores without a mapping file.
Choice names are the definition's response codes (and the non-answer codes the REDCap export
uses), so both "XML values" and "labels" exports decode to the same answers.

Item wording of copyrighted instruments is never shipped: question labels are our short labels
unless the user supplies an overlay file with the wording from their licensed copy (the same
file format as the REDCap export's ``--overlay``).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from .redcap import choice_pairs, field_name, item_wording
from .schema import Instrument

if TYPE_CHECKING:
    import pandas as pd

SURVEY_COLUMNS = ["type", "name", "label", "required"]
CHOICES_COLUMNS = ["list_name", "name", "label"]
SETTINGS_COLUMNS = ["form_title", "form_id", "version"]

# XLSForm names are XML element names; ours are letters, digits and underscores.
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _list_names(instrument: Instrument) -> tuple[dict[str, str], list[tuple[str, str, str]]]:
    """One choice list per distinct set of choices: item id → list name, plus the rows."""
    by_choices: dict[tuple[tuple[str, str], ...], str] = {}
    item_list: dict[str, str] = {}
    rows: list[tuple[str, str, str]] = []
    for item in instrument.items:
        pairs = tuple(choice_pairs(instrument, item))
        name = by_choices.get(pairs)
        if name is None:
            taken = set(by_choices.values())
            name = item.scale if item.scale not in taken else f"{item.scale}_{item.id}"
            if not _NAME.match(name):
                name = f"list_{len(by_choices) + 1}"
            by_choices[pairs] = name
            rows += [(name, code, label) for code, label in pairs]
        item_list[item.id] = name
    return item_list, rows


def to_xlsform(
    instrument: Instrument,
    overlay: str | os.PathLike[str] | dict[str, Any] | None = None,
    *,
    record_id: str | None = None,
) -> dict[str, pd.DataFrame]:
    """The XLSForm of one instrument: ``survey``, ``choices`` and ``settings`` tables.

    Parameters
    ----------
    instrument : Instrument
        A loaded definition.
    overlay : path or dict, optional
        Item wording from the user's licensed copy (``items: {item id: wording}``).
    record_id : str, optional
        Add a first, required text question with this name for the participant ID.

    Examples
    --------
    >>> from stigma_outcomes.instruments import load_instrument
    >>> form = to_xlsform(load_instrument("gad7"))
    >>> form["survey"].loc[0, ["type", "name"]].tolist()
    ['select_one frequency4', 'gad7_1']
    >>> form["choices"].loc[0].tolist()
    ['frequency4', '0', 'Not at all']
    """
    import pandas as pd

    labels = item_wording(instrument, overlay)
    item_list, choice_rows = _list_names(instrument)
    survey: list[dict[str, str]] = []
    if record_id is not None:
        if not _NAME.match(record_id):
            raise InputError(
                f"'{record_id}' is not a valid XLSForm question name",
                fix="use letters, digits and underscores, starting with a letter",
            )
        survey.append(
            {"type": "text", "name": record_id, "label": "Participant ID", "required": "yes"}
        )
    for item in instrument.items:
        # The schema's id rules (instrument id starts with a letter; item ids are letters,
        # digits and underscores) make every <id>_<item> a valid XML name.
        survey.append(
            {
                "type": f"select_one {item_list[item.id]}",
                "name": field_name(instrument, item),
                "label": labels[item.id],
                "required": "",
            }
        )
    settings = [
        {
            "form_title": f"{instrument.name} ({instrument.short_name})",
            "form_id": instrument.id,
            "version": instrument.version,
        }
    ]
    return {
        "survey": pd.DataFrame(survey, columns=SURVEY_COLUMNS, dtype=object).fillna(""),
        "choices": pd.DataFrame(choice_rows, columns=CHOICES_COLUMNS, dtype=object),
        "settings": pd.DataFrame(settings, columns=SETTINGS_COLUMNS, dtype=object),
    }


def write_xlsform(
    instrument: Instrument,
    path: str | os.PathLike[str],
    overlay: str | os.PathLike[str] | dict[str, Any] | None = None,
    *,
    record_id: str | None = None,
) -> Path:
    """Write :func:`to_xlsform` to an ``.xlsx`` workbook, atomically.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import pandas as pd
    >>> from stigma_outcomes.instruments import load_instrument
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "k6.xlsx"
    >>> sheets = pd.read_excel(write_xlsform(load_instrument("k6"), out), sheet_name=None)
    >>> list(sheets)
    ['survey', 'choices', 'settings']
    """
    from .._io import neutralise_frame, write_atomic
    from .._xlsx import xlsx_bytes

    target = Path(path)
    if target.suffix.lower() != ".xlsx":
        raise InputError(
            f"cannot write an XLSForm to '{target.name}'",
            where=str(target),
            fix="use a .xlsx file name (KoboToolbox and ODK read XLSForms as Excel workbooks)",
        )
    sheets = to_xlsform(instrument, overlay, record_id=record_id)
    # The project's own XLSX writer: text cells are never formulas and reruns give the same
    # bytes. Labels come from user overlays too, so a leading '=' is neutralised as in every
    # spreadsheet the tool writes.
    data = xlsx_bytes({name: neutralise_frame(frame) for name, frame in sheets.items()})
    return write_atomic(target, lambda handle: handle.write(data))
