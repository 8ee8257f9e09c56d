"""Pseudonymised participant IDs: HMAC-SHA-256 under a project key the user keeps.

A plain hash of an e-mail address or a short participant code can be reversed by trying
every likely value; a keyed hash cannot be without the key. The key is read from a file
or from the ``STIGMA_OUTCOMES_ID_KEY`` environment variable and is never written to any
output, nor is the ID → pseudonym table. IDs are normalised (trimmed; case-folded when
asked) before hashing so ``" SP-01"`` and ``"SP-01"`` get the same pseudonym.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError
from .table import RawTable

ENV_VAR = "STIGMA_OUTCOMES_ID_KEY"
"""Environment variable that may hold the project key."""

MIN_KEY_BYTES = 16
"""Shortest key accepted: shorter secrets can be guessed, which would undo the keying."""


def load_id_key(
    key_file: str | os.PathLike[str] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
) -> bytes:
    """Read the project key from ``key_file`` or, failing that, the environment.

    Parameters
    ----------
    key_file : path, optional
        File whose content (surrounding whitespace removed) is the key.
    environ : mapping, optional
        Where to look for ``STIGMA_OUTCOMES_ID_KEY``; ``os.environ`` by default.

    Examples
    --------
    >>> load_id_key(environ={"STIGMA_OUTCOMES_ID_KEY": "a long project secret 2026"})
    b'a long project secret 2026'
    """
    if key_file is not None:
        path = Path(key_file)
        try:
            key = path.read_bytes().strip()
        except OSError as exc:
            raise InputError(
                f"cannot read the ID key file ({exc.strerror})",
                where=str(path),
                fix="check the path given with --id-key-file",
            ) from None
        where = str(path)
    else:
        env = os.environ if environ is None else environ
        if ENV_VAR not in env:
            raise InputError(
                "pseudonymised IDs were asked for but no key was given",
                fix=f"give --id-key-file FILE, or set the {ENV_VAR} environment variable to a "
                "secret of at least 16 characters kept outside the project folder",
            )
        key = env[ENV_VAR].strip().encode("utf-8")
        where = f"environment variable {ENV_VAR}"
    if len(key) < MIN_KEY_BYTES:
        raise InputError(
            f"the ID key is too short ({len(key)} bytes; at least {MIN_KEY_BYTES} needed)",
            where=where,
            fix="use a long random secret, e.g. the output of "
            "`python -c 'import secrets; print(secrets.token_hex(32))'`",
        )
    return key


def pseudonymise(
    ids: Iterable[object] | pd.Series,
    key: bytes,
    *,
    casefold: bool = False,
    length: int = 16,
    prefix: str = "P-",
) -> pd.Series:
    """Replace participant IDs with keyed pseudonyms (HMAC-SHA-256, hex, truncated).

    The same ID and key always give the same pseudonym, so waves still link; a missing ID
    stays missing.

    Parameters
    ----------
    ids : iterable or Series
        Participant IDs.
    key : bytes
        The project key (:func:`load_id_key`).
    casefold : bool
        Treat IDs that differ only in letter case as the same person.
    length : int
        Hex characters kept (16 = 64 bits; collisions are checked, not assumed away).
    prefix : str
        Put in front of each pseudonym so it never looks like an original ID.

    Examples
    --------
    >>> key = b"project-secret-0123456789"
    >>> out = pseudonymise(["SP-01", " SP-01", "sp-01", None], key)
    >>> out[0] == out[1], out[0] == out[2], out[3] is None
    (True, False, True)
    >>> pseudonymise(["SP-01", "sp-01"], key, casefold=True).nunique()
    1
    """
    if not isinstance(key, bytes | bytearray) or len(key) < MIN_KEY_BYTES:
        raise InputError(
            f"the ID key must be at least {MIN_KEY_BYTES} bytes",
            fix="load it with load_id_key()",
        )
    if not 8 <= length <= 64:
        raise InputError("pseudonym length must be 8 to 64 hex characters", fix="use 16")
    series = ids if isinstance(ids, pd.Series) else pd.Series(list(ids), dtype=object)
    text = series.astype(object).map(_normal_id)
    if casefold:
        text = text.map(lambda v: v.casefold() if isinstance(v, str) else v)
    present = text.dropna()
    uniques = pd.unique(present.to_numpy(dtype=object))
    # HMAC has no vectorised form; it runs once per distinct participant, not per row.
    digests = np.array(
        [
            prefix + hmac.new(key, u.encode("utf-8"), hashlib.sha256).hexdigest()[:length]
            for u in uniques
        ],
        dtype=object,
    )
    if len(set(digests.tolist())) != len(uniques):
        raise InputError(
            "two different IDs received the same pseudonym",
            fix="use a longer pseudonym (length=32)",
        )
    lookup = pd.Series(digests, index=uniques, dtype=object)
    out = pd.Series([None] * len(text), index=series.index, dtype=object)
    if len(present):
        out.loc[present.index] = lookup.loc[present.to_numpy(dtype=object)].to_numpy()
    return out


def _normal_id(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float):
        if np.isnan(value):
            return None
        if value.is_integer():
            value = int(value)
    try:
        if pd.isna(value):  # type: ignore[arg-type]
            return None
    except (TypeError, ValueError):
        pass
    text = str(value).strip()
    return text or None


def pseudonymise_table(
    table: RawTable, column: str, key: bytes, *, casefold: bool = False
) -> RawTable:
    """A copy of ``table`` whose ``column`` holds pseudonyms instead of the original IDs.

    Use it when the linking ID is itself personal data (an e-mail address, a client
    number in Qualtrics' ``ExternalReference``): the column then no longer identifies
    anyone, so it leaves the personal-data list and can become ``participant_id``.

    Examples
    --------
    >>> t = RawTable(frame=pd.DataFrame({"email": ["ann@example.org"], "q1": ["2"]}),
    ...              source="pre.csv", row_numbers=np.array([2]), pii_columns=["email"])
    >>> out = pseudonymise_table(t, "email", b"project-secret-0123456789")
    >>> out.frame["email"][0].startswith("P-"), out.pii_columns, t.frame["email"][0]
    (True, [], 'ann@example.org')
    """
    if column not in table.frame.columns:
        raise InputError(
            f"the ID column '{column}' to pseudonymise is not in the export",
            where=table.source,
            fix=f"the columns are: {', '.join(map(str, table.frame.columns))}",
        )
    frame = table.frame.copy()
    frame[column] = pseudonymise(frame[column], key, casefold=casefold).to_numpy(dtype=object)
    return replace(
        table,
        frame=frame,
        pii_columns=[c for c in table.pii_columns if c != column],
        metadata={**table.metadata, "pseudonymised_column": column},
    )
