"""Every flavour is called through the ``Flavor`` protocol; generic code never tests a name."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from stigma_outcomes.errors import UnknownNameError
from stigma_outcomes.ingest.flavors import FLAVORS, Flavor, flavor_named
from stigma_outcomes.ingest.table import LEDGER_COLUMNS

INGEST = Path(__file__).resolve().parents[2] / "src" / "stigma_outcomes" / "ingest"
GENERIC = [
    p
    for p in INGEST.rglob("*.py")
    if "redcap" not in p.parts and p.parent.name != "flavors" and "formats" not in p.parts
]


@pytest.mark.parametrize("name", list(FLAVORS))
def test_each_flavour_has_the_protocol_and_its_hooks_default_to_no_change(name: str) -> None:
    flavor = flavor_named(name)
    assert isinstance(flavor, Flavor) and flavor.name == name
    assert flavor.reads_dictionary == (name == "redcap")  # only REDCap has a data dictionary
    frame = pd.DataFrame({"wave": ["pre", "post"], "x_1": ["1", "2"]})
    if name != "redcap":
        rows = frame.assign(participant_id=["A", "B"], _row=[2, 3])
        kept, ledger = flavor.after_binding(rows, frame, {}, {"x": {"x_1": "x_1"}}, "f", True)
        assert kept is rows and list(ledger.columns) == LEDGER_COLUMNS and ledger.empty
        assert flavor.wave_values(frame, "wave").tolist() == ["pre", "post"]


def test_redcap_hooks_name_repeat_occasions_and_set_aside_rows_of_other_forms() -> None:
    redcap = flavor_named("redcap")
    data = pd.DataFrame(
        {
            "record_id": ["1", "1"],
            "redcap_event_name": ["base", "base"],
            "redcap_repeat_instrument": ["", "weekly"],
            "redcap_repeat_instance": [np.nan, 2.0],
            "w_1": ["", "3"],
        }
    )
    assert redcap.wave_values(data, "redcap_event_name").tolist() == ["base", "base/weekly#2"]
    rows = pd.DataFrame(
        {"participant_id": ["1", "1"], "wave": ["base", "base"], "x_1": data["w_1"], "_row": [2, 3]}
    )
    meta = {"event_column": "redcap_event_name", "form_fields": {"weekly": ["w_1"]}}
    kept, ledger = redcap.after_binding(rows, data, meta, {"x": {"x_1": "w_1"}}, "r.csv", True)
    assert kept["wave"].tolist() == ["base/weekly#2"]
    assert "no_scored_form" in ledger["problem"].tolist()


def test_unknown_flavour_is_the_projects_error_with_the_close_match() -> None:
    with pytest.raises(UnknownNameError, match="did you mean 'qualtrics'"):
        flavor_named("qualtrix")
    assert flavor_named("ODK").name == "kobo"


@pytest.mark.parametrize("path", GENERIC, ids=lambda p: str(p.relative_to(INGEST)))
def test_generic_ingest_code_never_compares_a_flavour_name(path: Path) -> None:
    names = set(FLAVORS) - {"plain"}
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Compare):
            for side in [node.left, *node.comparators]:
                assert not (isinstance(side, ast.Constant) and side.value in names), (
                    f"{path.name}:{node.lineno} tests a flavour's name; add a Flavor hook"
                )
        if isinstance(node, ast.Dict):
            keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
            assert not keys & names, f"{path.name}:{node.lineno} keys knowledge by flavour name"
