"""Integer codes of text-like columns (comparison/_codes.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from stigma_outcomes.comparison._codes import equals_text, match_labels, text_codes


def test_categorical_and_plain_columns_give_the_same_codes_by_text():
    values = ["pre", "post", None, "pre", "fu"]
    for series in (
        pd.Series(values, dtype="category"),
        pd.Series(values, dtype="str"),
        pd.Series(values, dtype=object),
    ):
        codes, labels = text_codes(series, sort=True)
        assert labels == ["fu", "post", "pre"]
        assert codes.tolist() == [2, 1, -1, 2, 0]


def test_values_with_the_same_text_share_a_code():
    codes, labels = text_codes(pd.Series([1, "1", 2], dtype=object))
    assert labels == ["1", "2"] and codes.tolist() == [0, 0, 1]
    # unused categories do not disturb the codes of the used ones
    cat = pd.Series(pd.Categorical(["b", "b"], categories=["a", "b", "c"]))
    codes, labels = text_codes(cat)
    assert [labels[c] for c in codes] == ["b", "b"]


def test_equals_text_and_match_labels():
    status = pd.Series(["ok", "insufficient_items", None, "ok"], dtype="category")
    assert equals_text(status, "ok").tolist() == [True, False, False, True]
    assert not equals_text(status, "missing").any()
    assert match_labels(["p2", "p9", "p1"], ["p1", "p2"]).tolist() == [1, -1, 0]
    assert match_labels([], ["a"]).dtype == np.int64


def test_codes_back_to_text_and_appearance_order():
    from stigma_outcomes.comparison._codes import appearance_codes, codes_as_text

    text = codes_as_text(np.array([2, 0, -1, 2]), ["a", "b", "c"])
    assert text.tolist()[:2] == ["c", "a"] and pd.isna(text[2]) and text[3] == "c"
    assert pd.api.types.is_string_dtype(text.dtype)
    # the same numbering pandas.factorize gives the text
    values = pd.Series(["p9", "p1", "p9", "p5", "p1"], dtype="category")
    codes, _ = text_codes(values)
    assert appearance_codes(codes).tolist() == pd.factorize(values.astype(str))[0].tolist()


def test_present_labels_leave_out_unused_categories():
    from stigma_outcomes.comparison._codes import present_labels

    cat = pd.Series(pd.Categorical(["z", None, "b"], categories=["z", "b", "a"]))
    assert present_labels(cat) == ["z", "b"]
    assert present_labels(cat, sort=True) == ["b", "z"]


def _random_categorical(rng: np.random.Generator) -> pd.Series:
    """A categorical of strings, ints, floats, bools or dates, maybe with missing values."""
    kinds = [
        ["pre", "post", "follow-up", "nan", "1"],
        [1, 2, 10, 3],
        [1.5, 2.0, -0.25],
        [True, False],
        list(pd.to_datetime(["2024-01-01", "2025-06-30"])),
    ]
    categories = kinds[rng.integers(len(kinds))]
    n = int(rng.integers(0, 60))
    low = -1 if rng.random() < 0.5 else 0
    codes = rng.integers(low, len(categories), n)
    index = pd.Index(rng.permutation(n) + 7)
    return pd.Series(pd.Categorical.from_codes(codes, categories), index=index, name="w")


def test_as_text_and_as_text_is_equal_astype_str_on_random_columns() -> None:
    from stigma_outcomes.comparison._codes import as_text, as_text_is

    rng = np.random.default_rng(2026)
    for _ in range(300):
        values = _random_categorical(rng)
        expected = values.astype(str)
        pd.testing.assert_series_equal(as_text(values), expected)
        for text in {*expected.dropna().tolist(), "nan", "1", "1.0", "pre", "absent"}:
            mask = as_text_is(values, text)
            assert mask.dtype == bool
            np.testing.assert_array_equal(mask, (expected == text).to_numpy(dtype=bool))
    plain = pd.Series(["a", None, "b"], dtype=object)
    pd.testing.assert_series_equal(as_text(plain), plain.astype(str))
    np.testing.assert_array_equal(as_text_is(plain, "b"), [False, False, True])
