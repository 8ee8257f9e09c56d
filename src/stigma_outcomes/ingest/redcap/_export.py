"""REDCap data exports (raw or label values, raw or label headers): the reader's part.

The record ID is the project's first field: read from the data dictionary when one is
given, otherwise the export's first column (REDCap always exports it first), never
assumed to be ``record_id``. Longitudinal projects add ``redcap_event_name`` (kept as a
column so a wave map can use it); repeating instruments add ``redcap_repeat_instrument``
and ``redcap_repeat_instance``. Fields flagged ``Identifier? = y`` are personal data.
"""

from __future__ import annotations

import re

import pandas as pd

from ...errors import InputError
from ..flavors.base import FlavorOptions, Parsed, as_text, make_unique, name_columns, split_header
from ..formats.sheet import Sheet
from ._dictionary import RedcapDictionary, header_key

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
    return _label_signature(sheet, head)


def _label_signature(sheet: Sheet, head: list[str]) -> str | None:
    """Why a label-header export whose first column is not 'Record ID' is REDCap's.

    Such an export's first column is the record-ID field's label, which a project may call
    anything ('Participant ID'). REDCap's own headers say the rest: the structural columns
    right after the record ID ('Event Name', 'Repeat Instrument', 'Repeat Instance', 'Data
    Access Group', 'Survey Identifier'), and each form closed by a 'Complete?' column of form
    statuses. Any one of these is evidence:

    - 'Repeat Instrument' and 'Repeat Instance' among those structural columns;
    - a structural column there and a 'Complete?' column of form statuses;
    - two 'Complete?' columns or more (one per form), each of form statuses;
    - 'Event Name' second, holding REDCap's event labels ('Baseline (Arm 1: Arm 1)').

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> cells = pd.DataFrame([["Participant ID", "Age", "Complete?", "Q1", "Complete?"],
    ...                       ["1", "30", "Complete", "Often", "Incomplete"]])
    >>> _label_signature(Sheet(cells=cells, row_numbers=np.arange(1, 3), source="r.csv"),
    ...                  cells.iloc[0].tolist())
    "REDCap label headers: 2 'Complete?' columns of form statuses (one per form)"
    >>> cells = pd.DataFrame([["id", "Done", "Complete?", "Complete?"], ["1", "x", "yes", "no"]])
    >>> _label_signature(Sheet(cells=cells, row_numbers=np.arange(1, 3), source="r.csv"),
    ...                  cells.iloc[0].tolist()) is None
    True
    """
    keys = [header_key(c) for c in head]
    structural: list[str] = []
    for key in keys[1:]:
        if key not in _LABEL_HEADERS or key in structural:
            break
        structural.append(key)
    if {"repeat instrument", "repeat instance"} <= set(structural):
        return "REDCap label headers ('Repeat Instrument', 'Repeat Instance')"
    status = [i for i, key in enumerate(keys) if key == "complete?"]
    if status:
        statuses = [_holds_form_statuses(sheet, i) for i in status]
        of_statuses = any(statuses) and all(s is not False for s in statuses)
        if structural and of_statuses:
            return f"REDCap label headers ('{head[1]}', 'Complete?' of form statuses)"
        if len(status) >= 2 and of_statuses:
            return (
                f"REDCap label headers: {len(status)} 'Complete?' columns of form statuses "
                "(one per form)"
            )
    if structural[:1] == ["event name"] and _holds_arm_events(sheet, 1):
        return "REDCap label headers ('Event Name' of REDCap event labels)"
    return None


_STATUS_TEXT = {"incomplete", "unverified", "complete", "0", "1", "2", "0.0", "1.0", "2.0"}
_ARM_EVENT = re.compile(r".+ \(Arm \d+: .*\)")
"""An event as a label export writes it: '<event label> (Arm <n>: <arm label>)'."""


def _values(sheet: Sheet, position: int) -> list[str]:
    """The distinct non-blank values of the sheet's column at ``position`` (data rows)."""
    column = sheet.cells.iloc[0 if sheet.named else 1 :, position].dropna()
    text = (str(v).strip() for v in pd.unique(column))
    return sorted({v for v in text if v})


def _holds_form_statuses(sheet: Sheet, position: int) -> bool | None:
    """Whether a column holds form statuses only (``None``: it is blank throughout)."""
    values = _values(sheet, position)
    if not values:
        return None
    return all(v.lower() in _STATUS_TEXT for v in values)


def _holds_arm_events(sheet: Sheet, position: int) -> bool:
    values = _values(sheet, position)
    return bool(values) and all(_ARM_EVENT.fullmatch(v) for v in values)


def parse(sheet: Sheet, options: FlavorOptions) -> Parsed:
    """Read a REDCap export: record ID, events, repeats, completion columns, labels."""
    frame, numbers, head = split_header(sheet, 0 if sheet.named else 1)
    names = [c.strip() for c in head[0]]
    dictionary: RedcapDictionary | None = options.dictionary
    header_kind = "raw"
    if (
        (names and names[0].lower() == "record id")
        or any(n.endswith("Complete?") for n in names)
        or any(header_key(n) in _LABEL_HEADERS for n in names[1:])
    ):
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
        metadata["event_reason"] = "REDCap events, one row per record × event"
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
            by_label.setdefault(header_key(label), []).append(field_name)
        forms = dictionary.forms
    out: list[str] = []
    completes = iter(forms)
    for position, name in enumerate(names):
        key = header_key(name)
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
