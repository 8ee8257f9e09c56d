"""What a data file is, from its first bytes: every format's signature, in one place.

A file's extension is what its maker chose; its first bytes are what it is. The readers use
:func:`kind_of` when an extension says nothing (``export.dat``, no extension at all), the
text reader refuses a binary file that reached it, and error messages say what a file looks
like (:func:`describe_bytes`). This module imports nothing heavy: the text reader's parse may
begin before pandas is imported.

Signatures (from the formats' own documentation and the readers that implement them):

* Excel: a zip archive (``.xlsx``) or an OLE2 compound file (``.xls``);
* SPSS: ``$FL2`` / ``$FL3`` (``.sav`` / ``.zsav``); a portable file (``.por``) has the tag
  ``SPSSPORT`` after its 200-byte splash lines and 256-byte character table;
* Stata: ``<stata_dta>`` (format 117 and later); formats 113-115 start with their format
  number and a byte-order byte;
* SAS: the 32-byte ``sas7bdat`` magic number; a transport file (``.xpt``) starts with its
  ``HEADER RECORD*******LIBRARY`` (or ``LIBV8``) record;
* Parquet: ``PAR1``.
"""

from __future__ import annotations

HEAD_BYTES = 1024
"""How much of a file :func:`kind_of` needs to see (the portable tag lies past byte 456)."""

SPSS_SYSTEM = (b"$FL2", b"$FL3")
"""An SPSS system file's start (``.sav``; ``$FL3`` compressed, ``.zsav``)."""
SPSS_PORTABLE = b"SPSSPORT"
"""The tag an SPSS portable file (``.por``) carries within its first bytes."""
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""An OLE2 compound file's start: an old ``.xls`` workbook, or an encrypted ``.xlsx``."""
SAS_TRANSPORT = b"HEADER RECORD*******LIB"
"""A SAS transport file's (``.xpt``) first record (``LIBRARY`` or ``LIBV8``)."""
_SAS7BDAT = bytes.fromhex("000000000000000000000000c2ea8160b31411cfbd92080009c7318c181f1011")

_DESCRIPTIONS = {
    "zip": "a zip archive such as an .xlsx workbook",
    "excel": "an old Office file (.xls) or an encrypted workbook",
    "spss": "an SPSS data file",
    "stata": "a Stata data file",
    "sas": "a SAS data file",
    "parquet": "a Parquet file",
}


def _signature(head: bytes) -> str | None:
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(OLE2):
        return "excel"
    if head.startswith(SPSS_SYSTEM) or SPSS_PORTABLE in head[:HEAD_BYTES]:
        return "spss"
    old_stata = len(head) > 3 and head[0] in (113, 114, 115) and head[1] in (1, 2)
    if head.startswith(b"<stata_dta>") or (old_stata and head[2] == 1):
        return "stata"
    if head.startswith((_SAS7BDAT, SAS_TRANSPORT)):
        return "sas"
    if head.startswith(b"PAR1"):
        return "parquet"
    return None


def kind_of(head: bytes) -> str | None:
    """The reader for a file whose first :data:`HEAD_BYTES` bytes are ``head``: ``"excel"``,
    ``"spss"``, ``"stata"``, ``"sas"`` or ``"parquet"``; ``None`` when no signature matches
    (then the file is read as text).

    Examples
    --------
    >>> kind_of(b"$FL2@(#) IBM SPSS STATISTICS")
    'spss'
    >>> kind_of(b"<stata_dta><header>"), kind_of(b"id,q1\\nA,2\\n")
    ('stata', None)
    """
    kind = _signature(head)
    return "excel" if kind == "zip" else kind


def describe_bytes(head: bytes) -> str:
    """Name what a file probably is from its first bytes (for error messages).

    Examples
    --------
    >>> describe_bytes(b"PK\\x03\\x04")
    'a zip archive such as an .xlsx workbook'
    >>> describe_bytes(bytes(range(256)))
    'a binary file of unknown kind'
    """
    kind = _signature(head)
    if kind is not None:
        return _DESCRIPTIONS[kind]
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        return "a binary file of unknown kind"
    return "a binary file of unknown kind" if "\x00" in text else "a text file (CSV?)"
