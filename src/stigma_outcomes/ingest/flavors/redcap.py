"""REDCap exports (raw or label values, raw or label headers) and the data dictionary.

The record ID is the project's first field: read from the data dictionary when one is
given, otherwise the export's first column (REDCap always exports it first), never
assumed to be ``record_id``. Longitudinal projects add ``redcap_event_name`` (kept as a
column so a wave map can use it); repeating instruments add ``redcap_repeat_instrument``
and ``redcap_repeat_instance``. Fields flagged ``Identifier? = y`` are personal data.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ...errors import InputError
from ..formats.sheet import Sheet
from .base import FlavorOptions, Parsed, as_text, make_unique, name_columns, split_header

NAME = "redcap"

STRUCTURAL = (
    "redcap_event_name",
    "redcap_repeat_instrument",
    "redcap_repeat_instance",
    "redcap_data_access_group",
    "redcap_survey_identifier",
)
_LABEL_HEADERS = {
    "event name": "redcap_event_name",
    "repeat instrument": "redcap_repeat_instrument",
    "repeat instance": "redcap_repeat_instance",
    "data access group": "redcap_data_access_group",
    "survey identifier": "redcap_survey_identifier",
}
COMPLETE_LABELS = {"0": "Incomplete", "1": "Unverified", "2": "Complete"}
"""Codes of every ``<form>_complete`` field."""
_LABEL_COMPLETE = re.compile(r"Complete\?( \(\d+\))?")
"""A form-status column of a label-header export that no dictionary named."""

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
    from ..formats.text import read_text

    file = Path(path)
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
    head = {str(c).replace("\ufeff", "").strip().lower() for c in sheet.head(1)[0]}
    return bool(head & {"variable / field name", "field_name"}) and bool(
        head & {"form name", "form_name"}
    )


def detect(sheet: Sheet, options: FlavorOptions | None = None) -> str | None:
    """Why this sheet is a REDCap export, or ``None``.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> cells = pd.DataFrame([["record_id", "redcap_event_name", "q1"]])
    >>> detect(Sheet(cells=cells, row_numbers=np.array([1]), source="r.csv"))
    "REDCap structural column 'redcap_event_name'"
    """
    head = sheet.head(1)[0]
    lower = [c.lower() for c in head]
    found = [c for c in STRUCTURAL if c in lower]
    if found:
        return f"REDCap structural column '{found[0]}'"
    if options is not None and options.dictionary is not None:
        return f"a REDCap data dictionary ({options.dictionary.source}) was given"
    if (
        lower
        and lower[0] in {"record_id", "participant_id", "study_id"}
        and any(c.endswith("_complete") for c in lower)
    ):
        return f"record ID '{head[0]}' first and <form>_complete columns"
    if (
        lower
        and lower[0] == "record id"
        and ("event name" in lower or any(c.endswith("complete?") for c in lower))
    ):
        return "REDCap label headers ('Record ID', 'Complete?')"
    return None


def parse(sheet: Sheet, options: FlavorOptions) -> Parsed:
    """Read a REDCap export: record ID, events, repeats, completion columns, labels."""
    frame, numbers, head = split_header(sheet, 0 if sheet.named else 1)
    names = [c.strip() for c in head[0]]
    dictionary: RedcapDictionary | None = options.dictionary
    header_kind = "raw"
    if (names and names[0].lower() == "record id") or any(n.endswith("Complete?") for n in names):
        header_kind = "labels"
        names = _raw_names(names, dictionary)
    names, renamed = make_unique(names)
    frame = name_columns(frame, names, sheet.source)
    record_id = names[0]
    reason = "the export's first column (REDCap always exports the record ID first)"
    if dictionary is not None:
        if dictionary.record_id not in names:
            raise InputError(
                f"the data dictionary's record-ID field '{dictionary.record_id}' is not a "
                "column of the export",
                where=sheet.source,
                fix="check that the dictionary belongs to this project, or export the data "
                "with the record-ID field included",
            )
        record_id = dictionary.record_id
        reason = f"the first field of the data dictionary ({dictionary.source})"
    complete = {n[: -len("_complete")]: n for n in names if n.endswith("_complete")}
    complete.update({n: n for n in names if _LABEL_COMPLETE.fullmatch(n)})
    labels = dict(sheet.column_labels)
    values = dict(sheet.value_labels)
    pii: dict[str, str] = {}
    if dictionary is not None:
        columns = dictionary.export_columns()
        field_labels = dictionary.labels
        for column, field_name in columns.items():
            if column not in names:
                continue
            if field_name in field_labels:
                labels.setdefault(column, field_labels[field_name])
            if column == field_name and field_name in dictionary.choices:
                values.setdefault(column, dict(dictionary.choices[field_name]))
        identifiers = set(dictionary.identifiers)
        by_type = dictionary.personal
        for column, field_name in columns.items():
            if column not in names or column == record_id:
                continue
            if field_name in identifiers:
                pii[column] = "flagged 'Identifier? = y' in the REDCap data dictionary"
            elif field_name in by_type:
                pii[column] = by_type[field_name]
        # File fields are not in the export-field list but appear in data exports
        # ("[document]"), and an upload is often a photo or a signed form.
        for field_name, why in by_type.items():
            if field_name in names and field_name != record_id:
                pii.setdefault(field_name, why)
    for column in complete.values():
        values.setdefault(column, dict(COMPLETE_LABELS))
    for column in names:
        if column.endswith("_timestamp") or column.lower() == "survey timestamp":
            pii.setdefault(column, "survey completion time (a date tied to a person)")
    metadata: dict = {
        "header_rows": 0 if sheet.named else 1,
        "header_kind": header_kind,
        "record_id": record_id,
        "record_id_reason": reason,
        "complete_columns": complete,
        "timestamp_columns": [n for n in names if n.endswith("_timestamp")],
        "checkbox_groups": _checkbox_groups(names),
        "form_fields": form_fields(names, record_id, dictionary),
        "include_incomplete": options.include_incomplete,
        "export_values": _export_values(frame, list(complete.values())),
    }
    if renamed:
        metadata["renamed_duplicates"] = renamed
    if "redcap_event_name" in names:
        events = frame["redcap_event_name"].astype("string").dropna().unique().tolist()
        metadata["event_column"] = "redcap_event_name"
        metadata["events"] = [str(e) for e in events]
    if "redcap_repeat_instrument" in names:
        repeat = frame["redcap_repeat_instrument"].astype("string").dropna()
        metadata["repeating_instruments"] = {
            str(k): int(v) for k, v in repeat.value_counts().items()
        }
    return Parsed(
        frame=frame,
        row_numbers=numbers,
        column_labels=labels,
        value_labels=values,
        metadata=metadata,
        pii=pii,
    )


def form_fields(
    names: list[str], record_id: str, dictionary: RedcapDictionary | None = None
) -> dict[str, list[str]]:
    """Which export columns belong to which REDCap form (instrument).

    With a data dictionary its ``Form Name`` decides, column by column. Any column the
    dictionary does not place (or every column, without a dictionary) is placed by export
    order: REDCap writes each form's fields together and closes them with the form's status
    column, so a column belongs to the form whose status column comes next. The record ID
    and the structural ``redcap_*`` columns belong to no form; neither do columns after the
    last status column (a report without status columns places nothing).

    Examples
    --------
    >>> form_fields(["record_id", "redcap_event_name", "age", "intake_complete",
    ...              "gad_1", "gad_2", "weekly_complete"], "record_id")
    {'intake': ['age', 'intake_complete'], 'weekly': ['gad_1', 'gad_2', 'weekly_complete']}
    """
    by_dictionary: dict[str, str] = {}
    if dictionary is not None:
        form_of = dict(
            zip(dictionary.fields["field_name"], dictionary.fields["form_name"], strict=True)
        )
        for column, field_name in dictionary.export_columns().items():
            if field_name in form_of:
                by_dictionary[column] = form_of[field_name]
            elif field_name.endswith("_complete"):
                by_dictionary[column] = field_name[: -len("_complete")]
    out: dict[str, list[str]] = {}
    waiting: list[str] = []
    for name in names:
        if name == record_id or name in STRUCTURAL:
            continue
        closes = name.endswith("_complete") or _LABEL_COMPLETE.fullmatch(name) is not None
        if name in by_dictionary and not closes:
            out.setdefault(by_dictionary[name], []).append(name)
            continue
        waiting.append(name)
        if closes:
            form = name[: -len("_complete")] if name.endswith("_complete") else name
            out.setdefault(by_dictionary.get(name, form), []).extend(waiting)
            waiting = []
    return out


def _raw_names(names: list[str], dictionary: RedcapDictionary | None) -> list[str]:
    """Map label headers back to field names where that is certain."""
    by_label: dict[str, list[str]] = {}
    forms: list[str] = []
    if dictionary is not None:
        for field_name, label in dictionary.labels.items():
            by_label.setdefault(_norm(label), []).append(field_name)
        forms = dictionary.forms
    out: list[str] = []
    completes = iter(forms)
    for position, name in enumerate(names):
        key = _norm(name)
        if position == 0 and key == "record id" and dictionary is not None:
            out.append(dictionary.record_id)
        elif key in _LABEL_HEADERS:
            out.append(_LABEL_HEADERS[key])
        elif key == "complete?" and forms:
            out.append(f"{next(completes, 'form')}_complete")
        elif len(by_label.get(key, [])) == 1:
            out.append(by_label[key][0])
        else:
            out.append(name)
    return out


def _checkbox_groups(names: list[str]) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for name in names:
        if "___" in name:
            groups.setdefault(name.split("___", 1)[0], []).append(name)
    return groups


def _export_values(frame: pd.DataFrame, complete: list[str]) -> str:
    for column in complete:
        text = as_text(frame[column])
        text = text[text != ""]
        if text.empty:
            continue
        if text.isin({"incomplete", "unverified", "complete"}).all():
            return "labels"
        if text.isin({"0", "1", "2", "0.0", "1.0", "2.0"}).all():
            return "raw"
    return "unknown"


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", _strip_html(text)).strip().lower()


def _strip_html(text: str) -> str:
    return re.sub(r"<[^>]+>", "", str(text)).strip()
