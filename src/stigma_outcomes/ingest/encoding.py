"""Text-file sniffing: which encoding and which delimiter an export uses.

Survey platforms and the spreadsheets evaluators pass them through produce UTF-8 with
or without a byte-order mark, UTF-16 with a mark (Excel's "Unicode text"), and
Windows-1252 (Excel's plain "CSV" on Windows). We look at the first bytes only, so a
guess made from the sample can still be proved wrong by a later byte; the text reader
falls back to Windows-1252 in that case and records why.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass

SAMPLE_BYTES = 64 * 1024
"""How much of a file the sniffers look at."""

DELIMITERS = (",", "\t", ";", "|")
"""Candidate delimiters, in order of preference when the evidence is tied."""


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


def sniff_delimiter(text: str, *, preferred: str | None = None) -> str:
    """Guess the field delimiter from the first lines of a text export.

    Each candidate splits the sample with a real CSV parser (so delimiters inside quoted
    question text do not count); the winner gives the same number of fields, more than
    one, on every complete line, and the most fields when several do.

    Parameters
    ----------
    text : str
        The start of the decoded file.
    preferred : str, optional
        Delimiter to prefer on a tie (e.g. tab for a ``.tsv`` file).

    Examples
    --------
    >>> sniff_delimiter("id;q1;q2\\nA;1;2\\n")
    ';'
    >>> sniff_delimiter('id,"Q1, how often"\\nA,2\\n')
    ','
    """
    lines = text.splitlines(keepends=True)
    if len(lines) > 1 and not text.endswith(("\n", "\r")):
        lines = lines[:-1]  # the sample may cut the last line short
    sample = "".join(lines[:50])
    order = list(DELIMITERS)
    if preferred in order:
        order.remove(preferred)
        order.insert(0, preferred)
    best: tuple[int, int] = (-1, 0)
    choice = preferred or ","
    for delim in order:
        try:
            rows = [r for r in csv.reader(io.StringIO(sample, newline=""), delimiter=delim) if r]
        except csv.Error:
            continue
        if not rows:
            continue
        widths = {len(r) for r in rows}
        width = len(rows[0])
        if width < 2:
            continue
        consistent = 1 if len(widths) == 1 else 0
        score = (consistent, width)
        if score > best:
            best, choice = score, delim
    return choice
