"""The REDCap data dictionary: fields, forms, choices, identifiers (the 18-column CSV, or the
API's metadata export).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

import pandas as pd

from ...errors import InputError
from ..flavors.base import as_text
from ..formats.sheet import Sheet

_DICT_COLUMNS = {
    "variable / field name": "field_name",
    "field_name": "field_name",
    "form name": "form_name",
    "form_name": "form_name",
    "field type": "field_type",
    "field_type": "field_type",
    "field label": "field_label",
    "field_label": "field_label",
    "choices, calculations, or slider labels": "choices",
    "select_choices_or_calculations": "choices",
    "identifier?": "identifier",
    "identifier": "identifier",
    "text validation type or show slider number": "validation",
    "text_validation_type_or_show_slider_number": "validation",
}
_NOT_EXPORTED = {"descriptive", "file", "calc"}


@dataclass
class RedcapDictionary:
    """A parsed REDCap data dictionary (the 18-column CSV, or the API's metadata export).

    Attributes
    ----------
    fields : DataFrame
        One row per field with ``field_name, form_name, field_type, field_label, choices,
        identifier``.
    record_id : str
        The first field: the project's record ID.
    choices : dict
        Field → {code: label} for radio, dropdown, checkbox, yes/no and true/false fields.
    source : str
        File name of the dictionary.
    """

    fields: pd.DataFrame
    record_id: str
    choices: dict[str, dict[str, str]] = field(default_factory=dict)
    source: str = "<dictionary>"

    @property
    def identifiers(self) -> list[str]:
        """Fields flagged ``Identifier? = y``."""
        flag = as_text(self.fields["identifier"])
        return self.fields.loc[flag.isin({"y", "yes", "1"}), "field_name"].tolist()

    @property
    def personal(self) -> dict[str, str]:
        """Fields that hold personal data by their type, not their flag: dates and notes.

        REDCap's own de-identified export removes dates and free-text notes for the same
        reason; the record ID is never listed.
        """
        out: dict[str, str] = {}
        rows = zip(
            self.fields["field_name"],
            self.fields["field_type"],
            self.fields["validation"],
            strict=True,
        )
        for name, kind, validation in rows:
            if name == self.record_id:
                continue
            if str(validation).startswith(("date", "datetime")):
                out[name] = "a date field (dates tied to a person are identifying)"
            elif kind == "notes":
                out[name] = "free-text notes field"
            elif kind == "file":
                out[name] = "file upload (photo, document or signature)"
        return out

    @property
    def labels(self) -> dict[str, str]:
        """Field → field label (HTML tags removed)."""
        return {
            n: _strip_html(lbl)
            for n, lbl in zip(self.fields["field_name"], self.fields["field_label"], strict=True)
            if lbl
        }

    @property
    def forms(self) -> list[str]:
        """Instrument (form) names in dictionary order."""
        return list(dict.fromkeys(self.fields["form_name"].tolist()))

    def export_columns(self) -> dict[str, str]:
        """Every column a raw export of this project can hold → the field it belongs to."""
        out: dict[str, str] = {}
        for name, kind in zip(self.fields["field_name"], self.fields["field_type"], strict=True):
            if kind in _NOT_EXPORTED and name != self.record_id:
                continue
            if kind == "checkbox":
                for code in self.choices.get(name, {}):
                    out[checkbox_column(name, code)] = name
            else:
                out[name] = name
        for form in self.forms:
            out[f"{form}_complete"] = f"{form}_complete"
        return out


def checkbox_column(field_name: str, code: str) -> str:
    """The export column of one checkbox option (REDCap's sanitising rule).

    Examples
    --------
    >>> checkbox_column("barriers", "-2")
    'barriers____2'
    """
    return f"{field_name}___{re.sub(r'[^a-z0-9_]', '_', code.strip().lower())}"


def parse_choices(text: str) -> dict[str, str]:
    """Parse ``"1, Never | 2, Sometimes"`` into ``{"1": "Never", "2": "Sometimes"}``.

    Examples
    --------
    >>> parse_choices("0, Not at all | 1, Several days|2,More than half the days")
    {'0': 'Not at all', '1': 'Several days', '2': 'More than half the days'}
    """
    out: dict[str, str] = {}
    for part in str(text or "").split("|"):
        if "," not in part:
            continue
        code, label = part.split(",", 1)
        if code.strip():
            out[code.strip()] = label.strip()
    return out


def read_redcap_dictionary(path: str | os.PathLike[str]) -> RedcapDictionary:
    """Read a REDCap data dictionary CSV.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "dd.csv"
    >>> _ = p.write_text(
    ...     "Variable / Field Name,Form Name,Section Header,Field Type,Field Label,"
    ...     '"Choices, Calculations, OR Slider Labels",Identifier?\\n'
    ...     "participant_id,intake,,text,Participant,,\\n"
    ...     'lonely_1,ucla3,,radio,Lack companionship,"1, Hardly ever | 2, Some of the time",\\n'
    ... )
    >>> d = read_redcap_dictionary(p)
    >>> d.record_id, d.choices["lonely_1"]["2"]
    ('participant_id', 'Some of the time')
    """
    from ..._inputs import check_input_file
    from ..formats.text import read_text

    if not isinstance(path, str | os.PathLike):
        raise InputError(
            f"a REDCap data dictionary is given as a file path, not {type(path).__name__}",
            fix="pass the path of the dictionary CSV (Project Setup > Data Dictionary)",
        )
    file = check_input_file(path, "REDCap data dictionary")
    sheet = read_text(file)
    head = [
        str(c).replace("\ufeff", "").replace("ï»¿", "").strip().lower() for c in sheet.cells.iloc[0]
    ]
    rename = {i: _DICT_COLUMNS[h] for i, h in enumerate(head) if h in _DICT_COLUMNS}
    if "field_name" not in rename.values() or "form_name" not in rename.values():
        raise InputError(
            "this is not a REDCap data dictionary (no 'Variable / Field Name' and 'Form Name' "
            "columns)",
            where=str(file),
            fix="download it from REDCap: Project Setup > Data Dictionary > Download",
        )
    body = sheet.cells.iloc[1:][list(rename)].rename(columns=rename)
    for column in ("field_type", "field_label", "choices", "identifier", "validation"):
        if column not in body.columns:
            body[column] = ""
    body = body.astype("string").fillna("").apply(lambda s: s.str.strip())
    body = body.astype(object).reset_index(drop=True)
    body = body[body["field_name"] != ""].reset_index(drop=True)
    if body.empty:
        raise InputError(
            "the data dictionary lists no fields",
            where=str(file),
            fix="download the data dictionary again",
        )
    choices: dict[str, dict[str, str]] = {}
    for name, kind, text in zip(
        body["field_name"], body["field_type"], body["choices"], strict=True
    ):
        if kind in {"radio", "dropdown", "checkbox"}:
            choices[name] = parse_choices(text)
        elif kind == "yesno":
            choices[name] = {"1": "Yes", "0": "No"}
        elif kind == "truefalse":
            choices[name] = {"1": "True", "0": "False"}
    return RedcapDictionary(
        fields=body, record_id=body["field_name"].iloc[0], choices=choices, source=file.name
    )


def looks_like_dictionary(sheet: Sheet) -> bool:
    """Whether a sheet is a REDCap data dictionary rather than data.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> cells = pd.DataFrame([["field_name", "form_name", "field_type"], ["id", "f", "text"]])
    >>> looks_like_dictionary(Sheet(cells=cells, row_numbers=np.array([1, 2]), source="dd"))
    True
    """
    rows = sheet.head(1)
    if not rows:  # an empty file is not a dictionary
        return False
    head = {str(c).replace("\ufeff", "").strip().lower() for c in rows[0]}
    return bool(head & {"variable / field name", "field_name"}) and bool(
        head & {"form name", "form_name"}
    )


def header_key(text: str) -> str:
    return re.sub(r"\s+", " ", _strip_html(text)).strip().lower()


def _strip_html(text: str) -> str:
    return re.sub(r"<[^>]+>", "", str(text)).strip()
