"""Reader facts used when binding: REDCap record IDs and events, personal-data ID columns."""

from __future__ import annotations

from pathlib import Path

import pytest

import stigma_outcomes as so
from stigma_outcomes.errors import InputError

EXPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "exports"
REDCAP_MAP = {"instruments": {"ucla3": {"pattern": "lonely_{item}"}}}


def test_redcap_record_id_and_events_come_from_the_export() -> None:
    result = so.score(
        EXPORTS / "redcap_longitudinal_raw.csv",
        mapping=REDCAP_MAP,
        read_options={"dictionary": EXPORTS / "redcap_dictionary.csv"},
    )
    waves = set(result.scores["wave"].astype(str))
    assert {"baseline_arm_1", "post_arm_1"} <= waves
    first = result.scores[result.scores["participant_id"] == "1001"]
    # 1001 at baseline answered 1, 2, 2 → 5; at post 1, 1, 1 → 3
    assert first.set_index("wave")["score"].astype(float).to_dict()["baseline_arm_1"] == 5
    assert first.set_index("wave")["score"].astype(float).to_dict()["post_arm_1"] == 3
    dropped = result.ledger[result.ledger["problem"] == "pii_column_dropped"]
    assert {"first_name", "email"} <= set(dropped["column"])


def test_personal_id_column_needs_a_key(tmp_path: Path) -> None:
    export = tmp_path / "x.csv"
    export.write_text(
        "Email,ucla3_1,ucla3_2,ucla3_3\nana@example.org,1,2,3\nben@example.org,3,3,3\n"
    )
    with pytest.raises(InputError) as info:
        so.score(export, ["ucla3"], id_col="Email")
    assert "identifies people" in info.value.what and "--id-key-file" in info.value.fix
    key = b"a-project-key-of-enough-length"
    result = so.score(export, ["ucla3"], id_col="Email", id_key=key)
    ids = result.scores["participant_id"].astype(str).tolist()
    assert all(i.startswith("P-") for i in ids)
    assert not any("example.org" in i for i in ids)
    again = so.score(export, ["ucla3"], id_col="Email", id_key=key)
    assert again.scores["participant_id"].astype(str).tolist() == ids  # waves still link


def test_ids_and_waves_keep_the_order_they_first_appear() -> None:
    import pandas as pd

    from stigma_outcomes.ingest import load_responses

    pre = pd.DataFrame(
        {"id": ["zoe", "adam"], "ucla3_1": [1, 2], "ucla3_2": [1, 2], "ucla3_3": [1, 2]}
    )
    post = pd.DataFrame(
        {"id": ["adam", "mia"], "ucla3_1": [3, 3], "ucla3_2": [3, 3], "ucla3_3": [3, 3]}
    )
    frame = load_responses([pre, post], ["ucla3"], wave=["pre", "post"]).frame
    # Categories follow first appearance: waves in the order the exports were given (not
    # 'post' < 'pre'), participants in export order.
    assert list(frame["wave"].cat.categories) == ["pre", "post"]
    assert list(frame["participant_id"].cat.categories) == ["zoe", "adam", "mia"]
    assert frame["participant_id"].astype(str).tolist() == ["zoe", "adam", "adam", "mia"]
    assert frame["wave"].astype(str).tolist() == ["pre", "pre", "post", "post"]
    # two DataFrames are told apart in the ledger's file column
    assert sorted(frame["_file"].astype(str).unique()) == ["<DataFrame 1>", "<DataFrame 2>"]
    assert list(frame.columns[:2]) == ["participant_id", "wave"]
    assert list(frame.columns[-2:]) == ["_file", "_row"]
    scores = so.score([pre, post], ["ucla3"], wave=["pre", "post"]).scores
    ordered = scores.sort_values(["wave", "participant_id"])
    assert ordered["score"].tolist() == [3.0, 6.0, 9.0, 9.0]
