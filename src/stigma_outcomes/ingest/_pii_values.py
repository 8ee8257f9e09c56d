"""Personal data recognised by its values, whatever the column is called: e-mail, IP and
phone numbers, web links, people's names, free text and dates, judged on the first answered
cells of every text column at once; and the columns whose values are only a few codes."""

from __future__ import annotations

import numpy as np
import pandas as pd

_SAMPLE = 500
_EMAIL_RE = r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$"
_IPV4_RE = r"^(\d{1,3}\.){3}\d{1,3}$"
_URL_RE = r"(?i)^(https?://|www\.)\S+$"  # an upload's link, a personal page
# A phone number is written with a leading + or with separators; a bare run of digits is
# far more often a platform's record number.
_PHONE_RE = r"^(?:\+\d[\d\s().-]{5,}\d|\(?\d[\d().-]*[\s().-][\d\s().-]*\d)$"
# 00 dials abroad: a number written so carries a country code and a whole national number
# (0044 20 7946 0958); a shorter one starting 00 is a zero-padded study code (001-123-001).
_ABROAD_RE = r"^\(?00"
_PHONE_DIGITS = (7, 15)  # a local number without its area code; E.164's longest
_ABROAD_DIGITS = 11
_DATE_RE = r"^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|^\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}(\s|$)"
_NUMBER_RE = r"^[+-]?\d+(?:[.,]\d+)?$"  # a measurement (19.14555454) is not a phone number
_PERSON_RE = r"^[A-Z][a-z'’-]+(?: [A-Z][a-z'’.-]*){1,2}$"
_YES_NO_RE = (
    r"(?i)^(yes|no|y|n|true|false|t|f|si|sí|oui|non|ja|nein|nee|sim|nao|não|checked|unchecked)$"
)
_CHOICE_CODE_RE = r"^[+-]?\d{1,2}(\.0+)?$"
"""Yes/no answers in the covered languages, and choice codes of one or two digits."""
_FEW_CODES = 6
_FREE_TEXT = {"phrases": 10, "vocabulary": 50, "richness": 6.0, "words": 50}
"""Free text among repeated answers: at least 10 distinct answers of several words, 50
different words among them, and words seldom reused (vocabulary ≥ 6 × √(words written), the
Guiraud index of typed text; a select-multiple's answers recombine a few option words and
score ~1, a long answer set ~3-5); each answer read up to its first 50 words."""


def content_reasons(frame: pd.DataFrame, columns: list | None = None) -> dict[str, str]:
    """Columns whose values are personal data, whatever their names, each with the reason.

    Looks at the first 200 answered cells of every text column at once (a few vectorised passes over
    the stacked cells, so a 3,000-column export costs what one long column does):
    e-mail addresses, IP addresses, phone numbers (7 to 15 digits written as people write
    them, and different people's: not a study code counted up), web links (an upload's link,
    a personal page), people's names (two or three capitalised words, nearly all different),
    free text (long, varied, letter-heavy answers; or, where a few answers repeat, many typed
    answers of several words with a rich vocabulary) and dates (a date tied to a person, such
    as an interview date, identifies as a birth date can).

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
    digits = count(r"\d")
    letters = count(r"\pL") / np.maximum(lengths, 1)
    words = count(r"\s+") + 1.0
    tests = {
        "email": match(_EMAIL_RE),
        "ip": match(_IPV4_RE),
        "url": match(_URL_RE),
        "phone": (
            match(_PHONE_RE)
            & ~match(_DATE_RE)
            & ~match(_NUMBER_RE)
            & ~match(_IPV4_RE)
            & (digits >= _PHONE_DIGITS[0])
            & (digits <= _PHONE_DIGITS[1])
            & ~(match(_ABROAD_RE) & (digits < _ABROAD_DIGITS))
        ),
        "person": match(_PERSON_RE),
        "date": match(_DATE_RE),
        "length": lengths,
        "letters": letters,
        "words": words,
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
    # The rest is counted over each column's distinct values: (column, value) pairs.
    span = int(codes.max()) + 1
    pairs = np.unique(owner.astype(np.int64) * span + codes)
    column, value = pairs // span, pairs % span
    distinct = np.bincount(column, minlength=width)
    shares["distinct"] = distinct[seen] / n[seen]
    shares["phone_variety"] = _variety(texts, tests["phone"], column, value, width)[seen]
    phrase = (words >= 2) & (letters >= 0.6)  # an answer of several words, mostly letters
    phrases = np.bincount(column, weights=phrase[value], minlength=width)
    vocabulary, written = _vocabulary(texts, column, value, phrases >= _FREE_TEXT["phrases"], width)
    shares.update(phrases=phrases[seen], vocabulary=vocabulary[seen], written=written[seen])
    stats = pd.DataFrame(shares, index=seen)  # one frame: a column at a time cost 2 ms
    reasons = _judge(stats)
    found = {str(text[int(p)]): str(r) for p, r in zip(stats.index, reasons, strict=True) if r}
    return {str(c): found[str(c)] for c in names if str(c) in found}


def _variety(
    texts: object, phone: np.ndarray, column: np.ndarray, value: np.ndarray, width: int
) -> np.ndarray:
    """Per column, distinct phone-like values once their last two digits are dropped, as a
    share of its distinct phone-like values.

    People's numbers differ early on; a run of study codes (001-123-001, 001-123-002, ...)
    differs only at its end, so most codes share what comes before their last two digits.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    kept = phone[value]
    if not kept.any():
        return np.zeros(width)
    # Only the phone-like values are read again (most columns hold none).
    which = np.flatnonzero(phone)
    digits = pc.replace_substring_regex(pc.take(texts, pa.array(which)), r"\D", "")
    stems = pc.dictionary_encode(pc.utf8_slice_codeunits(digits, 0, -2))
    stem = np.zeros(len(phone), dtype=np.int64)
    stem[which] = stems.indices.to_numpy(zero_copy_only=False)
    span = len(stems.dictionary)
    stem_pairs = np.unique(column[kept] * span + stem[value[kept]])
    different = np.bincount(stem_pairs // span, minlength=width)
    return different / np.maximum(np.bincount(column[kept], minlength=width), 1)


def _vocabulary(
    texts: object, column: np.ndarray, value: np.ndarray, wanted: np.ndarray, width: int
) -> tuple[np.ndarray, np.ndarray]:
    """Per column (among the ``wanted`` ones), the different words in its distinct values and
    the words written in them: runs of two letters or more, lower-cased, among an answer's
    first 50 pieces between spaces."""
    import pyarrow as pa
    import pyarrow.compute as pc

    chosen = np.flatnonzero(wanted[column])
    if not len(chosen):
        return np.zeros(width), np.zeros(width)
    pieces = pc.list_slice(
        pc.utf8_split_whitespace(pc.take(texts, pa.array(value[chosen]))), 0, _FREE_TEXT["words"]
    )
    owner = column[chosen][pc.list_parent_indices(pieces).to_numpy(zero_copy_only=False)]
    # Answers repeat their pieces: each different piece is split into words once (at
    # punctuation too: '"Worked","Travelled"' is two words), and each column's pieces once.
    spelled = pc.dictionary_encode(pc.list_flatten(pieces))
    piece = spelled.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    split = pc.split_pattern_regex(pc.utf8_lower(spelled.dictionary), pattern=r"[^\pL]+")
    words = pc.list_flatten(split)
    real = pc.greater_equal(pc.utf8_length(words), 2).to_numpy(zero_copy_only=False)
    source = pc.list_parent_indices(split).to_numpy(zero_copy_only=False)[real]
    if not len(source):
        return np.zeros(width), np.zeros(width)
    word = pc.dictionary_encode(words).indices.to_numpy(zero_copy_only=False)[real]
    count = np.bincount(source, minlength=len(spelled.dictionary))  # words in each piece
    written = np.bincount(owner, weights=count[piece], minlength=width)
    span = len(spelled.dictionary)
    pairs = np.unique(owner * span + piece)
    pair_owner, pair_piece = pairs // span, pairs % span
    # Each (column, piece) pair stands for the piece's words: source is sorted by piece.
    first = np.searchsorted(source, pair_piece)
    taken = count[pair_piece]
    at = np.repeat(first - np.cumsum(taken) + taken, taken) + np.arange(taken.sum())
    span = int(word.max()) + 1
    keys = np.unique(np.repeat(pair_owner, taken) * span + word[at])
    return np.bincount(keys // span, minlength=width).astype(float), written


def coded_columns(frame: pd.DataFrame, columns: list) -> set:
    """Those of ``columns`` whose answers are only a few codes: yes/no words, or choice codes
    of one or two digits that recur, at most six different ones (a column with no answer is
    not among them).

    A code recurs where it is a choice: a lone "7" may be a house number or a birth month.

    Examples
    --------
    >>> f = pd.DataFrame({"phone_ok": ["Yes", "No", None], "phone": ["(405) 321-1111"] * 3,
    ...                   "kin_phone_checked": [0, 1, 1], "dob_month": ["7", "11", "3"]})
    >>> sorted(coded_columns(f, ["phone_ok", "phone", "kin_phone_checked", "dob_month"]))
    ['kin_phone_checked', 'phone_ok']
    """
    import pyarrow.compute as pc

    wanted = set(columns)
    if not wanted:
        return set()
    kinds = {c: d.kind for c, d in frame.dtypes.items() if c in wanted}
    coded = {c for c, kind in kinds.items() if kind == "b"}
    for name, kind in kinds.items():
        if kind in "iuf":  # few numeric columns are flagged by name: one look at each
            sample = frame[name].iloc[: _FIRST_LOOK * 10].dropna().to_numpy(dtype=float)
            found = np.unique(sample)
            small = (np.abs(found) < 100) & (found == np.round(found))
            if 0 < len(found) <= _FEW_CODES and len(sample) > len(found) and small.all():
                coded.add(name)
    text = {c for c, kind in kinds.items() if kind not in "biufmM"}
    if not text:
        return coded
    values, owner, _ = _first_answers(frame, text, _FIRST_LOOK * 10)
    if len(values) == 0:
        return coded
    encoded = pc.dictionary_encode(values)
    codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)

    def match(pattern: str) -> np.ndarray:
        found = pc.match_substring_regex(encoded.dictionary, pattern)
        return found.to_numpy(zero_copy_only=False)[codes]

    yes_no, choice = match(_YES_NO_RE), match(_CHOICE_CODE_RE)
    order = [c for c in frame.columns if c in text]
    width = len(order)
    answered = np.bincount(owner, minlength=width)
    others = np.bincount(owner, weights=~(yes_no | choice), minlength=width)
    choices = np.bincount(owner, weights=choice, minlength=width)
    span = int(codes.max()) + 1
    distinct = np.bincount(np.unique(owner * span + codes) // span, minlength=width)
    few = (
        (answered > 0)
        & (others == 0)
        & (distinct <= _FEW_CODES)
        & ((choices == 0) | (answered > distinct))
    )
    return coded | {order[i] for i in np.flatnonzero(few)}


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
    vocabulary = stats["vocabulary"].to_numpy()
    # Free text: long, varied, mostly letters, several words. Answer labels are short or
    # repeat; a sentence typed by a respondent rarely does either.
    free = (
        (n >= 2)
        & (stats["length"].to_numpy() >= 20)
        & (stats["words"].to_numpy() >= 3)
        & (stats["letters"].to_numpy() >= 0.6)
        & (distinct >= 0.8)
    ) | (
        # ... or typed answers among a few that repeat ("Nothing" half the time): judged on
        # what the distinct answers hold, many of several words with a rich vocabulary.
        # Likert labels, yes/no and category codes are a handful of answers; a select-
        # multiple's many combinations reuse the same few option words.
        (stats["phrases"].to_numpy() >= _FREE_TEXT["phrases"])
        & (vocabulary >= _FREE_TEXT["vocabulary"])
        & (vocabulary >= _FREE_TEXT["richness"] * np.sqrt(stats["written"].to_numpy()))
    )
    phone = (
        (stats["phone"].to_numpy() >= 0.8)
        & (n >= 2)
        # Different people's numbers, not one code counted up (see _variety).
        & (stats["phone_variety"].to_numpy() > 0.5)
    )
    rules = [
        (stats["email"].to_numpy() >= 0.8, "values look like e-mail addresses"),
        (stats["ip"].to_numpy() >= 0.8, "values look like IP addresses"),
        (phone, "values look like phone numbers"),
        (stats["url"].to_numpy() >= 0.8, "values look like web links (uploaded files, pages)"),
        (
            (stats["person"].to_numpy() >= 0.8) & (n >= 3) & (distinct >= 0.8),
            "values look like people's names",
        ),
        (free, "values look like free text"),
        (stats["date"].to_numpy() >= 0.8, "values look like dates (a date tied to a person)"),
    ]
    return np.select([mask for mask, _ in rules], [why for _, why in rules], default="")
