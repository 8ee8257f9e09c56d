"""Personal data recognised by its values, whatever the column is called: e-mail, IP and
phone numbers, people's names, free text and dates, judged on the first answered cells of
every text column at once."""

from __future__ import annotations

import numpy as np
import pandas as pd

_SAMPLE = 500
_EMAIL_RE = r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$"
_IPV4_RE = r"^(\d{1,3}\.){3}\d{1,3}$"
# A phone number is written with a leading + or with separators; a bare run of digits is
# far more often a platform's record number.
_PHONE_RE = r"^(?:\+\d[\d\s().-]{5,}\d|\(?\d[\d().-]*[\s().-][\d\s().-]*\d)$"
_DATE_RE = r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|^\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}(\s|$)"
_NUMBER_RE = r"^[+-]?\d+(?:[.,]\d+)?$"  # a measurement (19.14555454) is not a phone number
_PERSON_RE = r"^[A-Z][a-z'’-]+(?: [A-Z][a-z'’.-]*){1,2}$"


def content_reasons(frame: pd.DataFrame, columns: list | None = None) -> dict[str, str]:
    """Columns whose values are personal data, whatever their names, each with the reason.

    Looks at the first 200 answered cells of every text column at once (a few vectorised passes over
    the stacked cells, so a 3,000-column export costs what one long column does):
    e-mail addresses, IP addresses, phone numbers, people's names (two or three capitalised
    words, nearly all different), free text (long, varied, letter-heavy answers) and dates
    (a date tied to a person, such as an interview date, identifies as a birth date can).

    Examples
    --------
    >>> f = pd.DataFrame({"notes2": ["Ann Lee", "Bo Diaz", "Cy Park", "Di Moss", "Ed Fox"],
    ...                   "q1": ["Often", "Never", "Often", "Often", "Never"]})
    >>> content_reasons(f)
    {'notes2': "values look like people's names"}
    """
    names = [c for c in (frame.columns if columns is None else columns)]
    kinds = dict(zip(frame.columns, (d.kind for d in frame.dtypes), strict=True))
    text = [c for c in names if kinds[c] not in "biufcmMb"]
    if not text:
        return {}
    import pyarrow.compute as pc

    # Up to 5,000 rows (answers can start late), fewer for very wide exports so that the
    # scan looks at a bounded number of cells.
    rows = min(5000, max(_SAMPLE, 2_000_000 // len(text)))
    wanted = set(text)
    text = [name for name in frame.columns if name in wanted]
    # Most columns hold their first 200 answers within a few hundred rows: those rows are
    # looked at first, and all of them only if some column has fewer answers there (the
    # first 200 answers of every column are the same either way).
    values, owner, short = _first_answers(frame, wanted, min(rows, _FIRST_LOOK))
    if short and rows > _FIRST_LOOK and len(frame) > _FIRST_LOOK:
        values, owner, _ = _first_answers(frame, wanted, rows)
    if len(values) == 0:
        return {}

    # Each distinct value is tested once and its results taken for every cell that holds
    # it: answer columns repeat a handful of labels or digits (12,000 sampled cells of a
    # 60-item export are ~250 distinct values; the tests took 17 ms over every cell).
    encoded = pc.dictionary_encode(values)
    codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    texts = encoded.dictionary

    def match(pattern: str) -> np.ndarray:
        return pc.match_substring_regex(texts, pattern).to_numpy(zero_copy_only=False)

    def count(pattern: str) -> np.ndarray:
        return pc.count_substring_regex(texts, pattern).to_numpy(zero_copy_only=False)

    lengths = pc.utf8_length(texts).to_numpy(zero_copy_only=False).astype(float)
    tests = {
        "email": match(_EMAIL_RE),
        "ip": match(_IPV4_RE),
        "phone": (match(_PHONE_RE) & ~match(_DATE_RE) & ~match(_NUMBER_RE) & (count(r"\d") >= 7)),
        "person": match(_PERSON_RE),
        "date": match(_DATE_RE),
        "length": lengths,
        "letters": count(r"\pL") / np.maximum(lengths, 1),
        "words": count(r"\s+") + 1.0,
    }
    # Each column's share of cells that pass each test, counted with bincount (a pandas
    # group-by took a third of the scan's time), and of distinct values among its cells.
    width = len(text)
    n = np.bincount(owner, minlength=width)
    seen = np.flatnonzero(n)
    shares = {"n": n[seen]}
    for name, per_value in tests.items():
        per_cell = per_value.astype(float)[codes]
        shares[name] = np.bincount(owner, weights=per_cell, minlength=width)[seen] / n[seen]
    pairs = np.unique(owner.astype(np.int64) * (int(codes.max()) + 1) + codes)
    distinct = np.bincount(pairs // (int(codes.max()) + 1), minlength=width)
    shares["distinct"] = distinct[seen] / n[seen]
    stats = pd.DataFrame(shares, index=seen)  # one frame: a column at a time cost 2 ms
    reasons = _judge(stats)
    found = {str(text[int(p)]): str(r) for p, r in zip(stats.index, reasons, strict=True) if r}
    return {str(c): found[str(c)] for c in names if str(c) in found}


_FIRST_LOOK = 400
_ANSWERS = 200
"""Answered cells of a column that are enough to judge it."""


def _first_answers(frame: pd.DataFrame, wanted: set, rows: int) -> tuple[object, np.ndarray, bool]:
    """The first 200 answered cells (trimmed) of each wanted column among its first ``rows``
    rows, each cell's column position, and whether some column had fewer than 200 there.

    Every column's rows are stacked into one Arrow array: the tests are a few vectorised
    passes, whatever the number of columns.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    pieces = [_arrow_text(column.array[:rows]) for name, column in frame.items() if name in wanted]
    owner = np.repeat(np.arange(len(pieces)), [len(p) for p in pieces])
    values = pc.utf8_trim_whitespace(pa.concat_arrays(pieces))
    answered = pc.fill_null(pc.greater(pc.utf8_length(values), 0), False)
    keep = answered.to_numpy(zero_copy_only=False)
    owner = owner[keep]
    # Owners are in column order, so a cell's rank within its column is its distance from
    # the column's first answered cell.
    starts = np.searchsorted(owner, np.arange(len(pieces)))
    rank = np.arange(len(owner)) - starts[owner]
    first = rank < _ANSWERS
    keep[np.flatnonzero(keep)[~first]] = False
    answers = np.bincount(owner, minlength=len(pieces))
    return values.filter(pa.array(keep)), owner[first], bool((answers < _ANSWERS).any())


def _arrow_text(values: object) -> object:
    """A column slice as an Arrow large-string array (Arrow-backed text is taken as is)."""
    import pyarrow as pa

    if isinstance(values, pd.arrays.ArrowStringArray):
        array = pa.array(values)
    else:
        array = pa.array(pd.Series(values).astype("string"), type=pa.large_string())
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    return array if array.type == pa.large_string() else array.cast(pa.large_string())


def _judge(stats: pd.DataFrame) -> np.ndarray:
    """The reason each column's value statistics mark it personal ("" where they do not)."""
    n, distinct = stats["n"].to_numpy(), stats["distinct"].to_numpy()
    # Free text: long, varied, mostly letters, several words. Answer labels are short or
    # repeat; a sentence typed by a respondent rarely does either.
    free = (
        (n >= 2)
        & (stats["length"].to_numpy() >= 20)
        & (stats["words"].to_numpy() >= 3)
        & (stats["letters"].to_numpy() >= 0.6)
        & (distinct >= 0.8)
    )
    rules = [
        (stats["email"].to_numpy() >= 0.8, "values look like e-mail addresses"),
        (stats["ip"].to_numpy() >= 0.8, "values look like IP addresses"),
        ((stats["phone"].to_numpy() >= 0.8) & (n >= 2), "values look like phone numbers"),
        (
            (stats["person"].to_numpy() >= 0.8) & (n >= 3) & (distinct >= 0.8),
            "values look like people's names",
        ),
        (free, "values look like free text"),
        (stats["date"].to_numpy() >= 0.8, "values look like dates (a date tied to a person)"),
    ]
    return np.select([mask for mask, _ in rules], [why for _, why in rules], default="")
