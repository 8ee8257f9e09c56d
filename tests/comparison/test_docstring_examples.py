"""The examples in the comparison modules' docstrings run and show what they claim."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "_codes", "_common", "_compare", "ancova", "attrition", "mixed", "multiplicity", "paired",
    "pairing", "rci", "records", "reliability", "results", "scale_facts", "settings", "table",
    "unlinked",
]  # fmt: skip


@pytest.mark.parametrize("name", MODULES)
def test_examples(name):
    module = importlib.import_module(f"stigma_outcomes.comparison.{name}")
    failures, tried = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert tried > 0, f"{name} has no examples"
    assert failures == 0
