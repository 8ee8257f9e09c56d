"""Personal data: which export columns identify people, and the ledger rows that say so.

Three sources, in order: what the platform is known to export (each flavour's
``personal_columns``), name patterns that hold on any platform (e-mail, phone, IP address,
geolocation, names, addresses, birth dates, device IDs, free-text "other" answers), and
the columns a user declares. A quick look at the values (:mod:`._pii_values`) also catches
a column of e-mail or IP addresses whatever its name. Platform record codes (``ResponseId``,
``_uuid``, REDCap's record ID) are not listed: they are how rows are linked, and the
participant-ID step decides whether to pseudonymise them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from ..errors import InputError
from ._pii_values import content_reasons
from .flavors import flavor_named
from .table import RawTable, ledger_frame

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


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_PERSON_WORDS = _words(
    "first last given family middle full sur maiden nick kin contact child childs children "
    "person participant respondent patient client student parent mother father guardian "
    "spouse partner caregiver carer reporter interviewer enumerator submitter user your my "
    "owner head informant witness teacher"
)
_FUSED_NAMES = _words(
    "firstname lastname surname fullname givenname familyname middlename maidenname "
    "nickname username childsname childname kinname submittername reportername "
    "respondentname participantname"
)
TOKEN_RULES: list[tuple[frozenset[str], str]] = [
    (_words("reporter interviewer enumerator submitter submittername"), "name"),
    (_words("submitterid deviceid imei simserial subscriberid"), "device ID"),
    (
        _words(
            "picture pictures photo photos image images audio video signature selfie "
            "attachment attachments recording media"
        ),
        "media attachment (photo, audio, signature)",
    ),
    (_words("comment comments remark remarks feedback"), "free-text answer"),
]
"""Single words of a column name that mark personal data wherever they stand in it."""

_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_SPLIT = re.compile(r"[^a-z0-9']+")


def name_tokens(name: str) -> list[str]:
    """Words of a column name, split at snake, kebab, slash, bracket, space and camel case.

    Examples
    --------
    >>> name_tokens("children[1]/childs_name"), name_tokens("SubmitterName")
    (['children', '1', 'childs', 'name'], ['submitter', 'name'])
    """
    text = _CAMEL.sub(" ", str(name)).lower().replace("'s", "s")
    return [t for t in _SPLIT.split(text) if t]


def _token_reason(name: str) -> str | None:
    """Why a column name marks personal data, judged word by word (a person's name field,
    a submitter or device field, an attachment), or ``None``.

    Examples
    --------
    >>> _token_reason("next_of_kin_contact_name"), _token_reason("name_first")
    ('name', 'name')
    >>> _token_reason("redcap_event_name") is None, _token_reason("site_name") is None
    (True, True)
    """
    tokens = name_tokens(name)
    if not tokens or tokens[-1] in {"complete", "completed", "status"}:
        # A form's completion status (REDCap ``image_complete``) names a form, not a field.
        return None
    fused = "".join(tokens)
    if fused in _FUSED_NAMES or any(t in _FUSED_NAMES for t in tokens):
        return "name"
    for i, token in enumerate(tokens):
        if token != "name":
            continue
        before = tokens[i - 1] if i else ""
        after = tokens[i + 1] if i + 1 < len(tokens) else ""
        if len(tokens) == 1 or before in _PERSON_WORDS or after in _PERSON_WORDS:
            return "name"
    if "device" in tokens and "id" in tokens:
        return "device ID"
    if "submitter" in tokens:
        return "name" if "id" not in tokens else "submitter ID (identifies a person)"
    for words, reason in TOKEN_RULES:
        if words.intersection(tokens):
            return reason
    return None


LABEL_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\be-?mail\b"), "e-mail"),
    (re.compile(r"(phone|telephone|mobile|cell) number"), "phone number"),
    (
        re.compile(r"your (full |first |last |given |family )?name\b|^(first |last |full )?name$"),
        "name",
    ),
    (re.compile(r"date of birth|birth ?date|when were you born"), "date of birth"),
    (re.compile(r"your (home |postal |street |mailing )?address|zip code|postcode"), "address"),
    (
        re.compile(
            r"\b(first|last|given|family|full|middle|sur|maiden) ?name\b|^name\b"
            r"|name and contact|contact (details|information)|who (are you|is filling)"
        ),
        "name",
    ),
    (
        re.compile(
            r"anything else|free[- ]text|open[- ]ended|in your own words|other comments?"
            r"|^comments?\b|any (other )?comments|(like|want) to (say|add|share|tell)"
            r"|please (explain|describe|specify|tell)"
        ),
        "free-text answer",
    ),
]
"""Question-text patterns: only questions that ask for a personal detail (item wording can
mention a phone or a name without asking for one, so these are narrower than PATTERNS)."""


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
    registry = flavor_named(flavor).personal_columns
    # What the platform itself says (e.g. REDCap identifier flags) is the best reason.
    found: dict[str, str] = {c: r for c, r in (known or {}).items() if c in frame.columns}
    labels = labels or {}
    for column in frame.columns:
        name = str(column)
        if name in found:
            continue
        key = name.strip().lower()
        label = " ".join(str(labels.get(name, "")).split()).lower()
        reason = (
            registry.get(key)
            or _pattern_reason(key, PATTERNS)
            or _token_reason(name)
            or _pattern_reason(label, LABEL_PATTERNS)
            # Question text used as the column name (SurveyMonkey, Google Forms).
            or (_pattern_reason(key, LABEL_PATTERNS) if len(key) > 20 else None)
        )
        if reason:
            found[name] = reason
    found.update(content_reasons(frame, [c for c in frame.columns if c not in found]))
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
