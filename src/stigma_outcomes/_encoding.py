"""Which encoding a text file uses, from its first bytes (exports and settings files alike).

A leaf module so that every reader, from instrument definitions to exports, decodes text
the same way; :mod:`stigma_outcomes.ingest.encoding` re-exports it beside the delimiter
sniffer.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass


@dataclass(frozen=True)
class Sniffed:
    """The outcome of sniffing a text file.

    Attributes
    ----------
    encoding : str
        Python codec name to decode the file with (``utf-8-sig`` strips a UTF-8 mark).
    reason : str
        Why this encoding was chosen, in words a user can check.
    """

    encoding: str
    reason: str


def sniff_encoding(sample: bytes) -> Sniffed:
    """Guess the encoding of a text export from its first bytes.

    Parameters
    ----------
    sample : bytes
        The start of the file (a few kilobytes is plenty).

    Returns
    -------
    Sniffed
        The codec and the reason it was chosen.

    Examples
    --------
    >>> sniff_encoding(b"\\xef\\xbb\\xbfid,q1\\n").encoding
    'utf-8-sig'
    >>> sniff_encoding("caf\\u00e9 \\u201cquoted\\u201d".encode("cp1252")).encoding
    'cp1252'
    """
    if sample.startswith(codecs.BOM_UTF8):
        return Sniffed("utf-8-sig", "UTF-8 byte-order mark")
    if sample.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return Sniffed("utf-32", "UTF-32 byte-order mark")
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return Sniffed("utf-16", "UTF-16 byte-order mark")
    head = sample[:4096]
    if head and head.count(0) * 4 >= len(head):
        # ASCII text in UTF-16 without a mark has a zero in every other byte.
        even_zeros = head[0::2].count(0)
        odd_zeros = head[1::2].count(0)
        if odd_zeros > even_zeros:
            return Sniffed("utf-16-le", "zero bytes in odd positions (UTF-16 little-endian)")
        return Sniffed("utf-16-be", "zero bytes in even positions (UTF-16 big-endian)")
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        # final=False: a multi-byte character cut at the end of the sample is not an error.
        decoder.decode(sample, final=False)
    except UnicodeDecodeError:
        return _single_byte(sample)
    if sample.isascii():
        return Sniffed("utf-8", "plain ASCII (read as UTF-8)")
    return Sniffed("utf-8", "valid UTF-8 without a byte-order mark")


def _single_byte(sample: bytes) -> Sniffed:
    try:
        sample.decode("cp1252")
    except UnicodeDecodeError:
        return Sniffed("latin-1", "not UTF-8 and has bytes Windows-1252 leaves undefined")
    return Sniffed("cp1252", "not valid UTF-8; Windows-1252 (Excel on Windows)")
