"""Binding columns to items, participant IDs, waves and the duplicate policy."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import stigma_outcomes as so
from stigma_outcomes.errors import InputError, MappingError
from stigma_outcomes.ingest import load_responses


def _ucla(ids: list[object], **extra: list[object]) -> pd.DataFrame:
    n = len(ids)
    return pd.DataFrame(
        {"participant_id": ids, "ucla3_1": [1] * n, "ucla3_2": [2] * n, "ucla3_3": [3] * n, **extra}
    )


def test_instruments_detected_from_column_names() -> None:
    resp = load_responses(_ucla(["a"]))
    assert [i.id for i in resp.instruments] == ["ucla3"]


def test_no_recognised_columns_is_a_clear_error() -> None:
    with pytest.raises(MappingError, match="no instrument's item columns were recognised"):
        load_responses(pd.DataFrame({"participant_id": ["a"], "q1": [1]}))


def test_missing_items_name_the_items_and_lookalikes() -> None:
    df = pd.DataFrame({"participant_id": ["a"], "ucla3_1": [1], "ucla3_2": [1], "UCLA_3": [1]})
    with pytest.raises(MappingError) as info:
        load_responses(df, ["ucla3"])
    assert "no column for item(s) 3" in info.value.what
    assert "UCLA_3" in info.value.fix


def test_id_column_detection_and_errors() -> None:
    df = _ucla(["a"]).rename(columns={"participant_id": "Record_ID"})
    assert load_responses(df, ["ucla3"]).frame["participant_id"].tolist() == ["a"]
    with pytest.raises(InputError, match="no participant ID column"):
        load_responses(df.rename(columns={"Record_ID": "who"}), ["ucla3"])
    with pytest.raises(InputError) as info:
        load_responses(df, ["ucla3"], id_col="record")
    assert "'record' does not exist" in info.value.what and "Record_ID" in info.value.fix


def test_ids_are_trimmed_and_optionally_casefolded() -> None:
    df = _ucla([" A1 ", "a1"], wave=["pre", "post"])
    resp = load_responses(df, ["ucla3"])
    assert resp.frame["participant_id"].tolist() == ["A1", "a1"]
    folded = load_responses(df, ["ucla3"], casefold_ids=True)
    assert folded.frame["participant_id"].tolist() == ["a1", "a1"]


def test_blank_ids_are_excluded_with_a_reason() -> None:
    resp = load_responses(_ucla(["a", "  ", None]), ["ucla3"])
    assert resp.frame["participant_id"].tolist() == ["a"]
    excluded = resp.ledger[resp.ledger["action"] == "row_excluded"]
    assert excluded["problem"].tolist() == ["missing_participant_id"] * 2
    assert excluded["row"].tolist() == [2, 3]


def test_one_file_per_wave(tmp_path: Path) -> None:
    pre, post = tmp_path / "pre.csv", tmp_path / "post.csv"
    pre.write_text("id,ucla3_1,ucla3_2,ucla3_3\nA,3,3,3\nB,1,1,1\n")
    post.write_text("\ufeffid,ucla3_1,ucla3_2,ucla3_3\nA,2,2,2\nC,1,1,2\n")
    result = so.score([pre, post], ["ucla3"], wave=["pre", "post"])
    table = result.scores.set_index(["participant_id", "wave"])["score"]
    assert table.to_dict() == {("A", "pre"): 9, ("B", "pre"): 3, ("A", "post"): 6, ("C", "post"): 4}
    unmatched = result.ledger[result.ledger["problem"] == "unmatched_participant"]
    assert sorted(unmatched["participant_id"]) == ["B", "C"]
    assert set(unmatched["file"]) == {"pre.csv", "post.csv"}
    assert result.rows_in == 4 and result.rows_excluded == 0


def test_wave_count_must_match_files(tmp_path: Path) -> None:
    path = tmp_path / "pre.csv"
    path.write_text("id,ucla3_1,ucla3_2,ucla3_3\nA,3,3,3\n")
    with pytest.raises(InputError, match="2 wave names were given for 1 exports"):
        load_responses([path], ["ucla3"], wave=["pre", "post"])


def test_keep_last_complete_prefers_complete_then_latest() -> None:
    df = pd.DataFrame(
        {
            "participant_id": ["a", "a", "a", "b", "b"],
            "ucla3_1": [1, 2, 3, 1, 2],
            "ucla3_2": [1, 2, None, 1, 2],
            "ucla3_3": [1, 2, 3, 1, 2],
        }
    )
    result = so.score(df, ["ucla3"])
    # a: rows 1 and 2 complete, row 3 incomplete → keep row 2 (last complete); b: row 5
    assert result.scores.set_index("participant_id")["score"].to_dict() == {"a": 6, "b": 6}
    dropped = result.ledger[result.ledger["problem"] == "duplicate_participant"]
    assert dropped["row"].tolist() == [1, 3, 4]
    assert dropped["value"].tolist() == [
        "kept row 2 (keep-last-complete)",
        "kept row 2 (keep-last-complete)",
        "kept row 5 (keep-last-complete)",
    ]
    assert result.rows_in == result.rows_scored + result.rows_excluded


def test_keep_first_and_error_policies() -> None:
    df = _ucla(["a", "a"])
    first = load_responses(df, ["ucla3"], duplicates="keep-first")
    assert first.frame["_row"].tolist() == [1]
    with pytest.raises(InputError) as info:
        load_responses(df, ["ucla3"], duplicates="error")
    assert "appear more than once" in info.value.what and "row 1" in info.value.where
    with pytest.raises(InputError, match="unknown duplicate policy"):
        load_responses(df, ["ucla3"], duplicates="newest")  # type: ignore[arg-type]


def test_mapping_pattern_columns_and_recode() -> None:
    df = pd.DataFrame(
        {"ResponseId": ["R1", "R2"], "Q5_1": [0, 2], "Q5_2": [0, 1], "loneliness_c": [2, 2]}
    )
    mapping = {
        "id_col": "ResponseId",
        "instruments": {
            "ucla3": {
                "pattern": "Q5_{item}",
                "columns": {3: "loneliness_c"},
                "recode": {0: 1, 1: 2, 2: 3},
            }
        },
    }
    result = so.score(df, ["ucla3"], mapping=mapping)
    assert result.scores.set_index("participant_id")["score"].to_dict() == {"R1": 5, "R2": 8}


def test_mapping_recode_of_labels_and_per_file_sections(tmp_path: Path) -> None:
    pre = tmp_path / "pre.csv"
    post = tmp_path / "post.csv"
    pre.write_text("id,L1,L2,L3\nA,rarely,rarely,often\n")
    post.write_text("id,M1,M2,M3\nA,Rarely ,often,often\n")
    mapping = {
        "instruments": {"ucla3": {"pattern": "L{item}", "recode": {"rarely": 1}}},
        "files": {"post.csv": {"instruments": {"ucla3": {"pattern": "M{item}"}}}},
    }
    result = so.score([pre, post], ["ucla3"], mapping=mapping, wave=["pre", "post"])
    assert result.scores.set_index("wave")["score"].to_dict() == {"pre": 5, "post": 7}


def test_conflicting_mapping_binds_one_column_twice() -> None:
    df = pd.DataFrame({"id": ["a"], "Q1": [1], "Q2": [1]})
    mapping = {"instruments": {"ucla3": {"columns": {1: "Q1", 2: "Q2", 3: "Q1"}}}}
    with pytest.raises(MappingError, match="bound to more than one item"):
        load_responses(df, ["ucla3"], mapping=mapping)


def test_bad_mapping_file(tmp_path: Path) -> None:
    path = tmp_path / "map.yaml"
    path.write_text("instruments:\n  ucla3:\n    patern: 'Q{item}'\n")
    with pytest.raises(MappingError) as info:
        load_responses(_ucla(["a"]), ["ucla3"], mapping=path)
    assert "patern" in info.value.what and str(path) in info.value.where
    path.write_text("instruments:\n  ucla3:\n    pattern: 'Q5'\n")
    with pytest.raises(MappingError, match=r"must contain '\{item\}'"):
        load_responses(_ucla(["a"]), ["ucla3"], mapping=path)


def test_carrying_a_personal_column_is_refused() -> None:
    from stigma_outcomes.ingest import RawTable

    df = _ucla(["a"], email=["x@example.org"])
    table = RawTable(frame=df, source="export.csv", row_numbers=[2], pii_columns=["email"])
    with pytest.raises(InputError, match="holds personal data"):
        load_responses(table, ["ucla3"], carry=["email"])
    resp = load_responses(table, ["ucla3"])
    assert "email" not in resp.frame.columns
    dropped = resp.ledger[resp.ledger["problem"] == "pii_column_dropped"]
    assert dropped["column"].tolist() == ["email"]
