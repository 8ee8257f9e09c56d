"""The examples in the comparison modules' docstrings run and show what they claim."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "_codes", "_common", "ancova", "attrition", "compare", "meta", "mixed", "multiplicity",
    "paired", "pairing", "rci", "reliability", "results", "unlinked",
]  # fmt: skip


@pytest.mark.parametrize("name", MODULES)
def test_examples(name):
    module = importlib.import_module(f"stigma_outcomes.comparison.{name}")
    failures, tried = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert tried > 0, f"{name} has no examples"
    assert failures == 0
