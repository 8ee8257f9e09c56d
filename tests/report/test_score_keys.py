"""The scores' codes (ScoreKeys): each selection equals the pandas expression it stands for."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from stigma_outcomes.report._score_keys import ScoreKeys, first_by_key

from .plain_scores import score_tables


@settings(max_examples=60, deadline=None)
@given(scores=score_tables(min_size=1), text=st.sampled_from(["pre", "ucla3", "ok", "P", "x"]))
def test_selections_equal_their_pandas_expressions(scores: pd.DataFrame, text: str) -> None:
    keys = ScoreKeys(scores)
    for column in ("wave", "instrument", "status", "arm"):
        want = (scores[column].astype(str) == text).to_numpy(dtype=bool)
        assert keys.text_is(column, text).tolist() == want.tolist()
        assert keys.equals(column, text).tolist() == (scores[column] == text).tolist()
        codes, n = keys.codes(column)
        plain = pd.factorize(scores[column])[0]
        # the same partition of the rows (up to numbering), missing values apart
        assert ((codes < 0) == (plain < 0)).all() and codes.max(initial=-1) < n
        pairs = set(zip(codes.tolist(), plain.tolist(), strict=True))
        assert len(pairs) == len({c for c, _ in pairs}) == len({p for _, p in pairs})
    rows = np.flatnonzero(keys.text_is("wave", "pre"))
    first = keys.first_rows(rows)
    kept = scores.iloc[rows].drop_duplicates("participant_id").index.to_numpy()
    assert sorted(first[first >= 0].tolist()) == sorted(kept.tolist())


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 6), max_size=40))
def test_first_by_key_is_the_first_row_of_each_key(keys: list[int]) -> None:
    rows = np.arange(len(keys), dtype=np.int64) * 3
    got = first_by_key(np.asarray(keys, dtype=np.int64), rows, 7)
    want = [rows[keys.index(k)] if k in keys else -1 for k in range(7)]
    assert got.tolist() == want
