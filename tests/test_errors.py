"""Public functions raise the project's own errors, with the close matches the CLI names."""

from __future__ import annotations

import pandas as pd
import pytest

import stigma_outcomes as so
from stigma_outcomes.errors import InputError, StigmaOutcomesError, UnknownNameError


def test_unknown_scale_names_the_close_match_and_is_still_a_key_error() -> None:
    gbs = so.load_instrument("gbs")
    with pytest.raises(UnknownNameError) as caught:
        gbs.scale("totl")
    assert isinstance(caught.value, KeyError) and isinstance(caught.value, StigmaOutcomesError)
    assert "did you mean 'total'?" in str(caught.value)


def test_unknown_item_lists_the_items() -> None:
    with pytest.raises(KeyError, match="known: 1, 2, 3"):
        so.load_instrument("ucla3").item("4")


def test_reading_options_with_responses_already_read_is_an_input_error() -> None:
    df = pd.DataFrame({"id": ["a"], "ucla3_1": [1], "ucla3_2": [2], "ucla3_3": [3]})
    responses = so.load_responses(df, ["ucla3"])
    with pytest.raises(InputError, match="sheet"):
        so.score(responses, ["ucla3"], sheet="Sheet1")
