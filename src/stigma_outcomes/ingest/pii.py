"""Personal data: which export columns identify people, and the ledger rows that say so.

Three sources, in order: what the platform is known to export (a per-platform registry
of column names), name patterns that hold on any platform (e-mail, phone, IP address,
geolocation, names, addresses, birth dates, device IDs, free-text "other" answers), and
the columns a user declares. A quick look at the values also catches a column of
e-mail or IP addresses whatever its name. Platform record codes (``ResponseId``,
``_uuid``, REDCap's record ID) are not listed: they are how rows are linked, and the
participant-ID step decides whether to pseudonymise them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from ..errors import InputError
from .table import RawTable, ledger_frame

PLATFORM_COLUMNS: dict[str, dict[str, str]] = {
    "qualtrics": {
        "ipaddress": "IP address",
        "recipientlastname": "recipient name",
        "recipientfirstname": "recipient name",
        "recipientemail": "recipient e-mail",
        "externalreference": "external reference (often a client or record number)",
        "externaldatareference": "external reference (often a client or record number)",
        "locationlatitude": "geolocation",
        "locationlongitude": "geolocation",
        "startdate": "date tied to a person",
        "enddate": "date tied to a person",
        "recordeddate": "date tied to a person",
        "name": "recipient name",
        "emailaddress": "recipient e-mail",
    },
    "redcap": {"redcap_survey_identifier": "survey identifier (name or e-mail)"},
    "surveymonkey": {
        "ip address": "IP address",
        "email address": "e-mail",
        "first name": "name",
        "last name": "name",
        "custom data 1": "custom data (often an identifier)",
        "start date": "date tied to a person",
        "end date": "date tied to a person",
    },
    "google_forms": {
        "timestamp": "date tied to a person",
        "email address": "e-mail",
    },
    "limesurvey": {
        "token": "access token (links to name and e-mail)",
        "ipaddr": "IP address",
        "refurl": "referrer URL",
        "submitdate": "date tied to a person",
        "startdate": "date tied to a person",
        "datestamp": "date tied to a person",
        "date submitted": "date tied to a person",
        "date started": "date tied to a person",
        "date last action": "date tied to a person",
        "ip address": "IP address",
        "referrer url": "referrer URL",
        "access code": "access token (links to name and e-mail)",
    },
    "kobo": {
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
}
"""Per platform: lower-cased column name → why it identifies someone (table 1.8 of the notes)."""

PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"e[-_ ]?mail"), "e-mail"),
    (re.compile(r"phone|telephone|mobile number|cell number"), "phone number"),
    (re.compile(r"(^|[^a-z])ip[-_ ]?addr(ess)?|^ip$"), "IP address"),
    (
        re.compile(r"latitude|longitude|geolocation|geopoint|gps|(^|[_/-])(lat|lon|lng)$"),
        "geolocation",
    ),
    (re.compile(r"_(altitude|precision|accuracy)$|-(altitude|accuracy)$"), "geolocation"),
    (
        re.compile(
            r"(^|- |[/-])"
            r"(your |participant |respondent |full |first |last |given |family |middle )?"
            r"(name|surname|first_name|last_name|firstname|lastname|full_name)$"
            r"|what is your name|your (full |first |last )?name"
        ),
        "name",
    ),
    (
        re.compile(r"(^|[ _/])(street|address|postcode|postal code|zip ?code|zip)($|[ _?])"),
        "address",
    ),
    (re.compile(r"date of birth|birth ?date|birthday|^dob$|_dob$"), "date of birth"),
    (
        re.compile(r"device ?id|imei|user ?agent|_browser$|_operating system$|_resolution$"),
        "device or browser identifier",
    ),
    (re.compile(r"_text$"), "free-text answer"),
    (re.compile(r"(^|[ _/-])(signature|photo|audio|image)_?(url)?$|_url$"), "media or URL"),
]
"""Name patterns (searched in the lower-cased column name) that mark personal data anywhere."""

LABEL_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\be-?mail\b"), "e-mail"),
    (re.compile(r"(phone|telephone|mobile|cell) number"), "phone number"),
    (
        re.compile(r"your (full |first |last |given |family )?name\b|^(first |last |full )?name$"),
        "name",
    ),
    (re.compile(r"date of birth|birth ?date|when were you born"), "date of birth"),
    (re.compile(r"your (home |postal |street |mailing )?address|zip code|postcode"), "address"),
]
"""Question-text patterns: only questions that ask for a personal detail (item wording can
mention a phone or a name without asking for one, so these are narrower than PATTERNS)."""

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.IGNORECASE)
_IPV4 = re.compile(r"^(\d{1,3}\.){3}\d{1,3}$")


def find_pii_columns(
    frame: pd.DataFrame,
    *,
    flavor: str = "plain",
    declared: Iterable[str] = (),
    known: dict[str, str] | None = None,
    labels: dict[str, str] | None = None,
    source: str = "<table>",
) -> dict[str, str]:
    """Columns of ``frame`` that hold personal data, each with the reason.

    Parameters
    ----------
    frame : DataFrame
        The export's data rows.
    flavor : str
        Platform flavour, for its registry of known columns.
    declared : iterable of str
        Columns the user says are personal data; each must exist.
    known : dict, optional
        Columns a flavour already flagged (e.g. REDCap ``Identifier? = y``) → reason.
    labels : dict, optional
        Column → question text; a name or e-mail question is caught by its text too.
    source : str
        File name for the error when a declared column is missing.

    Examples
    --------
    >>> f = pd.DataFrame({"id": ["A"], "Email": ["a@b.org"], "q1": ["2"]})
    >>> find_pii_columns(f)
    {'Email': 'e-mail'}
    """
    registry = PLATFORM_COLUMNS.get(flavor, {})
    # What the platform itself says (e.g. REDCap identifier flags) is the best reason.
    found: dict[str, str] = {c: r for c, r in (known or {}).items() if c in frame.columns}
    labels = labels or {}
    for column in frame.columns:
        name = str(column)
        if name in found:
            continue
        key = name.strip().lower()
        reason = (
            registry.get(key)
            or _pattern_reason(key, PATTERNS)
            or _pattern_reason(str(labels.get(name, "")).strip().lower(), LABEL_PATTERNS)
        )
        if reason:
            found[name] = reason
    for column in frame.columns:
        if column not in found:
            reason = _content_reason(frame[column])
            if reason:
                found[str(column)] = reason
    missing = [c for c in declared if c not in frame.columns]
    if missing:
        raise InputError(
            f"personal-data column(s) not in the export: {', '.join(map(repr, missing))}",
            where=source,
            fix=f"check the spelling; the columns are: {', '.join(map(str, frame.columns))}",
        )
    for column in declared:
        found.setdefault(column, "declared by the user")
    return {c: found[c] for c in frame.columns if c in found}


def _pattern_reason(text: str, patterns: list[tuple[re.Pattern[str], str]]) -> str | None:
    if not text:
        return None
    for pattern, reason in patterns:
        if pattern.search(text):
            return reason
    return None


def _content_reason(column: pd.Series) -> str | None:
    """Why a column's values are personal data (e-mail or IP addresses), if they are.

    Examples
    --------
    >>> _content_reason(pd.Series(["a@b.org", " c@d.net ", None, "e@f.com"]))
    'values look like e-mail addresses'
    >>> _content_reason(pd.Series(["Often", "Never"])) is None
    True
    """
    if column.dtype.kind in "biufcmM":
        return None
    # The first 200 answered cells (within the first 5,000 rows) are enough to recognise a
    # column of addresses, whatever the file's size; plain Python on so few strings is much
    # faster than pandas' per-call overhead (dozens of columns per export).
    values: list[str] = []
    for cell in column.head(5000).dropna().head(500).tolist():
        text = str(cell).strip()
        if text:
            values.append(text)
            if len(values) == 200:
                break
    if not values:
        return None
    for pattern, reason in (
        (_EMAIL, "values look like e-mail addresses"),
        (_IPV4, "values look like IP addresses"),
    ):
        if sum(1 for v in values if pattern.match(v)) >= 0.8 * len(values):
            return reason
    return None


def pii_ledger(table: RawTable, columns: Iterable[str] | None = None) -> pd.DataFrame:
    """Ledger rows (``pii_column_dropped``), one per personal-data column kept out of outputs.

    Parameters
    ----------
    table : RawTable
        The export, with ``pii_columns`` filled in by the reader.
    columns : iterable of str, optional
        The columns actually dropped; all of ``table.pii_columns`` by default.

    Examples
    --------
    >>> import numpy as np
    >>> t = RawTable(frame=pd.DataFrame({"Email": ["a@b.org"]}), source="pre.csv",
    ...              row_numbers=np.array([2]), pii_columns=["Email"],
    ...              metadata={"pii_reasons": {"Email": "e-mail"}})
    >>> pii_ledger(t)[["file", "column", "problem", "action"]].values.tolist()
    [['pre.csv', 'Email', 'pii_column_dropped', 'column kept out of every output (e-mail)']]
    """
    chosen = list(table.pii_columns if columns is None else columns)
    reasons = table.metadata.get("pii_reasons", {})
    return ledger_frame(
        [
            {
                "file": table.source,
                "column": column,
                "problem": "pii_column_dropped",
                "action": "column kept out of every output"
                + (f" ({reasons[column]})" if column in reasons else ""),
            }
            for column in chosen
        ]
    )


def drop_pii(table: RawTable, *, keep: Iterable[str] = ()) -> pd.DataFrame:
    """The table's data rows without its personal-data columns (except those in ``keep``).

    Examples
    --------
    >>> import numpy as np
    >>> t = RawTable(frame=pd.DataFrame({"id": ["A"], "Email": ["a@b.org"]}),
    ...              source="pre.csv", row_numbers=np.array([2]), pii_columns=["Email"])
    >>> drop_pii(t).columns.tolist()
    ['id']
    """
    keep = set(keep)
    return table.frame.drop(columns=[c for c in table.pii_columns if c not in keep])
