"""Personal data: which export columns identify people, and the ledger rows that say so.

Three sources, in order: what the platform is known to export (each flavour's
``personal_columns``), a column's name or question text on any platform (:mod:`._pii_names`:
e-mail, phone, IP address, geolocation, names, initials, addresses, birth dates, identity and
health-record numbers, device IDs, free-text "other" answers; in English, Spanish, French,
German, Portuguese, Italian and Dutch), and the columns a user declares. A name says what a
field is about, its values what it holds: a field named for a contact detail that holds only
yes/no answers or a few codes (``emergency_phone_confirmed``) is not flagged. A quick look at
the values (:mod:`._pii_values`) also catches a column of e-mail or IP addresses, phone
numbers, links, names or free text whatever its name. Platform record codes (``ResponseId``,
``_uuid``, REDCap's record ID) are not listed: they are how rows are linked, and the
participant-ID step decides whether to pseudonymise them."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from ..errors import InputError
from ._pii_names import name_reason
from ._pii_values import coded_columns, content_reasons
from ._pii_words import DEVICE_ID, SUBMITTER_ID
from .flavors import flavor_named
from .table import RawTable, ledger_frame


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
    by_name: dict[str, str] = {}
    for column in frame.columns:
        name = str(column)
        if name in found:
            continue
        key = name.strip().lower()
        if key in registry:
            found[name] = registry[key]
            continue
        reason = name_reason(name, str(labels.get(name, "")))
        if reason:
            by_name[name] = reason
    # A name says what a field is about, its values what it holds: "emergency_phone_confirmed"
    # holding Yes/No, or 0/1, is no phone number. A location's parts (an accuracy of 5 metres)
    # stay flagged, since they are read together, and so do device and submitter numbers,
    # which are small numbers by nature.
    coded = coded_columns(frame, [c for c, r in by_name.items() if r not in _KEPT_WHEN_CODED])
    found.update((c, r) for c, r in by_name.items() if c not in coded)
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


_KEPT_WHEN_CODED = frozenset({"geolocation", DEVICE_ID, SUBMITTER_ID})


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
