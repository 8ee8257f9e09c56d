"""Integer codes for text-like columns without converting every cell to text.

Scores tables from scoring hold ``participant_id``, ``wave``, ``instrument``, ``scale`` and
``status`` as categoricals; a scores file read from CSV holds them as strings or numbers.
Comparing or grouping such a column by first calling ``.astype(str)`` builds a new string for
each of millions of rows. These helpers work on the distinct values instead: a categorical's
categories are turned into text once, other columns are factorised once, and every row keeps
an integer code.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def text_codes(
    values: pd.Series, sort: bool = False, narrow: bool = False
) -> tuple[np.ndarray, list[str]]:
    """Codes of a column's values compared as text, and the text of each code.

    Missing values get code −1. Two values with the same text (``1`` and ``"1"``) share a
    code. With ``sort`` the labels are in R's ``factor()`` order (:func:`natural_order`:
    numbers by value, other text alphabetically), else in order of appearance (categoricals:
    category order, merged where texts collide). With ``narrow`` the codes come in the
    smallest signed integer type that holds them (for comparing, counting and indexing; cast
    them before multiplying them into keys), else as int64.

    Examples
    --------
    >>> codes, labels = text_codes(pd.Series(["b", "a", None, "b"], dtype="category"))
    >>> codes.tolist(), labels
    ([1, 0, -1, 1], ['a', 'b'])
    >>> text_codes(pd.Series([2, 1, 2]), sort=True)
    (array([1, 0, 1]), ['1', '2'])
    >>> text_codes(pd.Series(["10", "2", "10"]), sort=True)[1]
    ['2', '10']
    """
    if isinstance(values.dtype, pd.CategoricalDtype):
        raw = values.cat.codes.to_numpy()  # narrow; indexes the remap table as it is
        uniques = values.cat.categories
    else:
        raw, uniques = pd.factorize(values)
    if pd.api.types.infer_dtype(uniques, skipna=False) == "string":
        # distinct strings already (categories, factorised values): each is its own text
        labels = np.asarray(uniques, dtype=object).tolist()
        merged = np.arange(len(labels), dtype=np.int64)
    else:
        texts = [str(v) for v in uniques]
        merged, labels = pd.factorize(pd.Series(texts, dtype=object))
        labels = [str(v) for v in labels]
    if sort and labels:
        order = natural_order(labels)
        rank = np.empty(len(labels), dtype=np.int64)
        rank[order] = np.arange(len(labels))
        merged = rank[merged] if len(merged) else merged
        labels = [labels[i] for i in order]
    kind = _smallest_int(len(labels)) if narrow else np.int64
    if np.array_equal(merged, np.arange(len(labels))):
        # every code is already its own (distinct texts in order): a copy, not a lookup
        return np.array(raw, dtype=kind), labels
    remap = np.append(np.asarray(merged, dtype=np.int64), -1)  # code −1 (missing) stays −1
    return remap.astype(kind, copy=False)[raw], labels


def _smallest_int(n_labels: int) -> type[np.signedinteger]:
    """The smallest signed integer type holding the codes −1 .. n_labels − 1."""
    for kind in (np.int8, np.int16, np.int32):
        if n_labels - 1 <= np.iinfo(kind).max:
            return kind
    return np.int64


def natural_order(labels: list[str]) -> np.ndarray:
    """Positions that sort ``labels`` as R's ``factor()`` orders its levels.

    Labels that are all numbers written as text ("2", "10", "1.5") sort by value, as R sorts
    the levels of a numeric vector (so "2" comes before "10"); any other set sorts as text.

    Examples
    --------
    >>> natural_order(["10", "2", "1"]).tolist()
    [2, 1, 0]
    >>> natural_order(["b", "10", "a"]).tolist()
    [1, 2, 0]
    """
    numbers = pd.to_numeric(pd.Series(labels, dtype=object), errors="coerce")
    if numbers.notna().all():
        values = numbers.to_numpy(dtype=float)
        # equal values written differently ("1", "1.0") keep a fixed order by their text
        return np.lexsort((np.array(labels, dtype=object).astype(str), values))
    return np.argsort(np.array(labels, dtype=object).astype(str), kind="stable")


def equals_text(values: pd.Series, text: str) -> np.ndarray:
    """Boolean mask of the rows whose value, as text, is ``text`` (missing → False).

    Examples
    --------
    >>> equals_text(pd.Series(["ok", "missing", None], dtype="category"), "ok").tolist()
    [True, False, False]
    """
    codes, labels = text_codes(values, narrow=True)
    if text not in labels:
        return np.zeros(len(values), dtype=bool)
    return codes == labels.index(text)


def match_labels(labels: list[str], targets: list[str]) -> np.ndarray:
    """For each label, its position in ``targets`` (−1 when absent), as an index array.

    Examples
    --------
    >>> match_labels(["b", "z", "a"], ["a", "b"]).tolist()
    [1, -1, 0]
    """
    index = pd.Index(pd.Series(targets, dtype=object))
    return np.asarray(index.get_indexer(pd.Series(labels, dtype=object)), dtype=np.int64)


def appearance_codes(codes: np.ndarray) -> np.ndarray:
    """Renumber codes in order of first appearance (as :func:`pandas.factorize` numbers them).

    Examples
    --------
    >>> appearance_codes(np.array([2, 0, 2, 1])).tolist()
    [0, 1, 0, 2]
    """
    codes = np.asarray(codes)
    if not len(codes) or codes.min() < 0:
        present, first = np.unique(codes, return_index=True)
        rank = np.empty(len(present), dtype=np.int64)
        rank[np.argsort(first, kind="stable")] = np.arange(len(present))
        return rank[np.searchsorted(present, codes)]
    # codes already numbered as they first appear (a new code is always one above the
    # largest so far: every smaller one was seen before it) are their own renumbering
    running = np.maximum.accumulate(codes)
    if codes[0] == 0 and bool((codes[1:] <= running[:-1] + 1).all()):
        return codes.astype(np.int64)
    del running
    # each code's first row in one pass (no sort of the rows), then the few codes ranked
    first = np.full(int(codes.max()) + 1, len(codes), dtype=np.int64)
    np.minimum.at(first, codes, np.arange(len(codes), dtype=np.int64))
    present = np.flatnonzero(first < len(codes))
    rank = np.zeros(len(first), dtype=np.int64)
    rank[present[np.argsort(first[present], kind="stable")]] = np.arange(len(present))
    return rank[codes]


def codes_as_text(codes: np.ndarray, labels: list[str], index: pd.Index | None = None) -> pd.Series:
    """A text column (pandas' default string dtype) from codes and their labels.

    Built by Arrow from the distinct labels, so no Python string is made per row; code −1
    becomes missing.

    Examples
    --------
    >>> codes_as_text(np.array([1, 0, -1]), ["a", "b"]).tolist()
    ['b', 'a', nan]
    """
    import pyarrow as pa

    indices = pa.array(codes, mask=codes < 0, type=pa.int64())
    dictionary = pa.array(labels, type=pa.large_string())
    text = pa.DictionaryArray.from_arrays(indices, dictionary).cast(pa.large_string())
    return pd.Series(pd.array(text, dtype="str"), index=index)


def _category_texts(values: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """A categorical's codes and the text ``values.astype(str)`` gives each category.

    The categories go through the same ``astype(str)`` once, with a missing value among
    them when the column has one (that changes how pandas reads numeric categories: ``1``
    becomes ``"1.0"`` beside a missing value), so each text is the one pandas would give.
    """
    codes = values.cat.codes.to_numpy()
    k = len(values.cat.categories)
    once = np.arange(k, dtype=np.int64)
    if (codes < 0).any():
        once = np.append(once, -1)
    texts = pd.Series(pd.Categorical.from_codes(once, dtype=values.dtype)).astype(str)
    return codes, texts.iloc[:k]


def as_text(values: pd.Series) -> pd.Series:
    """``values.astype(str)``, made from each category's text once when ``values`` is categorical.

    pandas turns a categorical into text cell by cell (a Python string per row); here each
    category's text is made once (:func:`_category_texts`) and Arrow takes each row's text
    by its code. Same values, dtype, index and name as ``astype(str)``.

    Examples
    --------
    >>> as_text(pd.Series(pd.Categorical(["b", None, "a"]), name="w")).tolist()
    ['b', nan, 'a']
    """
    if not isinstance(values.dtype, pd.CategoricalDtype):
        return values.astype(str)
    import pyarrow as pa

    codes, texts = _category_texts(values)
    dictionary = pa.array(texts.to_numpy(dtype=object), type=pa.large_string())
    indices = pa.array(codes.astype(np.int64), mask=codes < 0, type=pa.int64())
    text = pa.DictionaryArray.from_arrays(indices, dictionary).cast(pa.large_string())
    return pd.Series(pd.array(text, dtype=texts.dtype), index=values.index, name=values.name)


def as_text_is(values: pd.Series, text: str) -> np.ndarray:
    """``(values.astype(str) == text).to_numpy()``, comparing each category once.

    Unlike :func:`equals_text` (each value through ``str``), this keeps pandas'
    ``astype(str)`` texts exactly, for code that compared those.

    Examples
    --------
    >>> as_text_is(pd.Series(pd.Categorical(["b", None, "a"])), "a").tolist()
    [False, False, True]
    """
    if not isinstance(values.dtype, pd.CategoricalDtype):
        return (values.astype(str) == text).to_numpy(dtype=bool)
    codes, texts = _category_texts(values)
    hit = np.append((texts == text).to_numpy(dtype=bool), False)  # code −1: missing
    return hit[codes]


def distinct_texts(values: pd.Series) -> np.ndarray:
    """``pd.unique(values.dropna().astype(str))``, each category made text once, not each row.

    Examples
    --------
    >>> distinct_texts(pd.Series(pd.Categorical(["b", None, "a", "b"]))).tolist()
    ['b', 'a']
    """
    if not isinstance(values.dtype, pd.CategoricalDtype):
        return pd.unique(as_text(values.dropna()))
    codes = values.cat.codes.to_numpy()
    present = codes >= 0
    # the categories' texts as a column without missing values gets them (dropna first)
    texts = _category_texts(values.iloc[:0])[1]
    if not present.all():
        codes = codes[present]
    used = pd.unique(codes)  # in order of first appearance
    return pd.unique(texts.to_numpy(dtype=object)[used])


def present_labels(values: pd.Series, sort: bool = False) -> list[str]:
    """The distinct non-missing values of a column as text (unused categories left out).

    Examples
    --------
    >>> present_labels(pd.Series(pd.Categorical(["b", None], categories=["a", "b"])))
    ['b']
    """
    from ._score_codes import code_counts

    codes, labels = text_codes(values, sort=sort, narrow=True)
    used = code_counts(codes, len(labels)) > 0
    return [label for label, u in zip(labels, used, strict=True) if u]
