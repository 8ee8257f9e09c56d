"""KoboToolbox and ODK (Briefcase / Central) CSV exports.

Kobo separates fields with ``;`` by default (the text reader sniffs it) and names
grouped questions ``group/question``; ODK Briefcase joins groups with ``-`` and puts the
instance ID in ``KEY``. Column names are kept as exported so a mapping can use the full
path; the proposer also matches on the last path segment.

KoboToolbox's (kobocat's) CSV export writes ``n/a`` for an empty value: a question not
asked (its relevance was false), or a repeat slot the submission did not fill. The setting
is ``NA_REP = "n/a"`` in onadata's settings ("Use 'n/a' for empty values by default on csv
exports"), and kobocat's own test export ``nested_repeats.csv`` shows it in unfilled repeat
slots. Such cells are read as missing and counted (``na_cells``), not ledgered one by one
as unknown answers. A table whose rows carry ``PARENT_KEY`` holds one row per repeat of a
group, not one per submission (``repeat_group_table``).
"""

from __future__ import annotations

from ..formats.sheet import Sheet
from .base import FlavorOptions, Parsed, Platform, name_columns, split_header

NAME = "kobo"

_KOBO = {"_uuid", "_submission_time", "_validation_status", "_index", "formhub/uuid"}
_ODK = {"meta/instanceid", "meta-instanceid", "instanceid"}
_CENTRAL = {"submitterid", "submittername", "attachmentspresent", "reviewstate", "formversion"}
_EMPTY_VALUE = "n/a"
"""What kobocat's CSV export writes for an empty value (see the module docstring)."""


def detect(sheet: Sheet, options: FlavorOptions | None = None) -> str | None:
    """Why this sheet is a KoboToolbox/ODK export, or ``None``.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> cells = pd.DataFrame([["start", "grp/q1", "_uuid"]])
    >>> detect(Sheet(cells=cells, row_numbers=np.array([1]), source="k.csv"))
    "KoboToolbox system column '_uuid'"
    """
    first = {c.lower() for c in sheet.head(1)[0]}
    kobo = sorted(first & _KOBO)
    if kobo:
        return f"KoboToolbox system column '{kobo[0]}'"
    central = first & _CENTRAL
    if "submissiondate" in first and len(central) >= 2:
        return "ODK Central columns SubmissionDate, SubmitterID, SubmitterName, ..."
    if "key" in first and "submissiondate" in first:
        return "ODK Briefcase columns SubmissionDate and KEY"
    if {"key", "parent_key"} <= first:
        return "ODK Briefcase repeat-group file (PARENT_KEY and KEY)"
    if first & _ODK:
        return "ODK instance-ID column"
    return None


def parse(sheet: Sheet, options: FlavorOptions) -> Parsed:
    """Keep group paths; note the submission ID columns."""
    frame, numbers, head = split_header(sheet, 0 if sheet.named else 1)
    frame = name_columns(frame, list(head[0]), sheet.source)
    names = list(frame.columns)
    separator = "/" if any("/" in n for n in names) else "-"
    ids = [n for n in names if n.lower() in {"_uuid", "key", "meta/instanceid", "_id"}]
    parent = [n for n in names if n.lower() in {"parent_key", "_submission__uuid"}]
    lowered = {n.lower() for n in names}
    empty = frame.eq(_EMPTY_VALUE).to_numpy()
    metadata: dict = {
        "odk_export": "central" if len(lowered & _CENTRAL) >= 2 else "briefcase or kobo",
        "header_rows": 0 if sheet.named else 1,
        "group_separator": separator,
        "submission_id_columns": ids,
        "parent_key_columns": parent,
        "system_columns": [n for n in names if n.startswith("_") or n in {"__version__"}],
    }
    if empty.any():
        frame = frame.mask(empty)
        metadata["na_cells"] = int(empty.sum())
    if parent:
        metadata["repeat_group_table"] = parent[0]
    return Parsed.of_sheet(
        sheet,
        frame,
        numbers,
        metadata=metadata,
    )


# Personal columns: lower-cased name → why it identifies someone (table 1.8 of the notes).
FLAVOR = Platform(
    NAME,
    detect,
    parse,
    response_ids=frozenset({"_id", "_uuid", "key", "meta/instanceid", "meta-instanceid", "_index"}),
    personal_columns={
        "start": "date tied to a person",
        "end": "date tied to a person",
        "today": "date tied to a person",
        "deviceid": "device ID",
        "username": "name",
        "phonenumber": "phone number",
        "simserial": "device ID",
        "subscriberid": "device ID",
        "audit": "audit log (location and enumerator)",
        "_submitted_by": "name",
        "_submission_time": "date tied to a person",
        "submissiondate": "date tied to a person",
        "_geolocation": "geolocation",
        "_attachments": "media URLs (photos, audio, signatures)",
    },
)
