"""Text-file sniffing: which encoding and which delimiter an export uses.

Survey platforms and the spreadsheets evaluators pass them through produce UTF-8 with
or without a byte-order mark, UTF-16 with a mark (Excel's "Unicode text"), and
Windows-1252 (Excel's plain "CSV" on Windows). We look at the first bytes only, so a
guess made from the sample can still be proved wrong by a later byte; the text reader
falls back to Windows-1252 in that case and records why.
"""

from __future__ import annotations

import csv
import io

from .._encoding import Sniffed, sniff_encoding

SAMPLE_BYTES = 64 * 1024
"""How much of a file the sniffers look at."""

DELIMITERS = (",", "\t", ";", "|")
"""Candidate delimiters, in order of preference when the evidence is tied."""


__all__ = ["DELIMITERS", "SAMPLE_BYTES", "Sniffed", "sniff_delimiter", "sniff_encoding"]


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
