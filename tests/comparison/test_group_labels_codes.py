"""The grouping check's count of people, on a categorical's codes, against ``nunique``."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from stigma_outcomes.comparison.group_labels import _people_with


@settings(max_examples=80, deadline=None)
@given(
    ids=st.lists(st.one_of(st.none(), st.sampled_from(list("abcdefg"))), max_size=40),
    keep=st.lists(st.booleans(), min_size=40, max_size=40),
    unused=st.booleans(),
)
def test_people_counted_on_codes_equal_nunique(ids, keep, unused) -> None:
    categories = list("abcdefg") + (["zz"] if unused else [])
    series = pd.Series(pd.Categorical(ids, categories=categories))
    mask = np.asarray(keep[: len(ids)], dtype=bool)
    assert _people_with(series, mask) == series[mask].nunique()
    every = np.ones(len(ids), dtype=bool)
    assert _people_with(series, every) == series.nunique()
