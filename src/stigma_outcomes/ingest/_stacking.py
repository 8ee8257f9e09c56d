"""Stacking the bound rows of every export into one frame, IDs and waves as categoricals.

IDs and waves repeat in every later table, so they are held as categorical codes whose
categories keep the order of first appearance (waves as the exports list them).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals


def _as_category(values: pd.Series) -> pd.Categorical:
    """Text as a categorical whose categories keep the order of first appearance.

    One hashing pass: ``astype("category")`` would also sort the categories and check
    their uniqueness, tripling the cost for a million distinct IDs. First-appearance order
    also keeps waves in the order the exports list them.
    """
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.array
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    try:
        # factorize's uniques are distinct by construction; the public constructor would
        # check again by building a hash index of a million Python strings (~0.2 GB).
        dtype = pd.CategoricalDtype._from_fastpath(uniques, ordered=False)
    except AttributeError:  # a pandas without the private fast path
        dtype = pd.CategoricalDtype(uniques)
    return pd.Categorical.from_codes(_narrow(codes, len(uniques)), dtype=dtype, validate=False)


def category_codes(values: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Each row's integer code (−1 missing) and the values coded: a categorical's own codes
    and categories (nothing hashed again), else ``pd.factorize``'s.

    Examples
    --------
    >>> codes, coded = category_codes(pd.Series(["b", None, "b", "a"]))
    >>> codes.tolist(), list(coded)
    ([0, -1, 0, 1], ['b', 'a'])
    """
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy(), values.cat.categories
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return codes, pd.Index(uniques)


def _narrow(codes: np.ndarray, n_categories: int) -> np.ndarray:
    """Category codes in the smallest integer type that holds them, as pandas would."""
    for kind in (np.int8, np.int16, np.int32):
        if n_categories < np.iinfo(kind).max:
            return codes.astype(kind)
    return codes


def _stack(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """One frame of all sources, IDs and waves as categoricals.

    IDs and waves repeat in every later table: categorical codes make that cheap.
    """
    keys = ["participant_id", "wave", "_file"]
    if len(frames) == 1:
        frame = frames[0]
        frame = frame.assign(**{k: _as_category(frame[k]) for k in keys})
        _release_arrow_cache(len(frame))
        return frame
    # Sources have different categories, where concat would fall back to plain values, so
    # each key is rebuilt as one categorical over all sources and put back in its place.
    order = list(frames[0].columns)
    frame = pd.concat([f.drop(columns=keys) for f in frames], ignore_index=True)
    for key in sorted(keys, key=order.index):
        combined = union_categoricals([_as_category(f[key]) for f in frames])
        frame.insert(order.index(key), key, combined)
    _release_arrow_cache(len(frame))
    return frame


def _release_arrow_cache(rows: int) -> None:
    """Return the memory Arrow kept from hashing the IDs to the system.

    Arrow's allocator holds on to what it freed (~80 MB after a million distinct IDs), and
    only Arrow could reuse it; the numpy arrays of scoring would otherwise come on top.
    """
    if rows >= 100_000:
        import pyarrow as pa

        pa.default_memory_pool().release_unused()


def _constant(text: str, n: int) -> pd.Series:
    """A column holding one text value on every row, as codes rather than n strings."""
    return pd.Series(
        pd.Categorical.from_codes(np.zeros(n, dtype=np.int8), categories=[text], validate=False)
    )
