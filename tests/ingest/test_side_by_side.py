"""A file holding its waves side by side: a row blank at a wave did not take part there.

The file is named once per wave, each wave's columns in its own section of the mapping. A
row whose every cell bound at a wave is blank is set aside for that wave (ledger
``no_answers_at_wave``, ``row_excluded``), as a long file shows such a participant by having
no row; in an export of one wave, or a long file, a submitted blank row stays a response.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

import stigma_outcomes as so
from stigma_outcomes.ingest import load_responses

WAVE_MAP = {
    "id_col": "id",
    "waves": {
        "pre": {"instruments": {"ucla3": {"pattern": "Pre_L_{item}"}}},
        "post": {"instruments": {"ucla3": {"pattern": "Post_L_{item}"}}},
    },
}


def _wide() -> pd.DataFrame:
    """Five people: C and D left every post cell blank (D with spaces), E answered one."""
    return pd.DataFrame(
        {
            "id": ["A", "B", "C", "D", "E"],
            "Pre_L_1": ["1", "2", "3", "1", "2"],
            "Pre_L_2": ["2", "2", "1", "1", "3"],
            "Pre_L_3": ["3", "1", "2", "2", "1"],
            "Post_L_1": ["1", "1", None, " ", "2"],
            "Post_L_2": ["1", "2", None, None, None],
            "Post_L_3": ["2", "1", None, "  ", None],
        }
    )


def _problems(ledger: pd.DataFrame, problem: str) -> pd.DataFrame:
    return ledger[ledger["problem"] == problem]


def test_a_row_blank_at_a_wave_is_set_aside_for_that_wave(tmp_path: Path) -> None:
    wide = tmp_path / "wide.csv"
    _wide().to_csv(wide, index=False)
    responses = load_responses([wide, wide], ["ucla3"], wave=["pre", "post"], mapping=WAVE_MAP)
    frame = responses.frame
    waves = frame.groupby("wave", observed=True)["participant_id"].agg(lambda s: sorted(s))
    assert waves.to_dict() == {"pre": ["A", "B", "C", "D", "E"], "post": ["A", "B", "E"]}
    absent = _problems(responses.ledger, "no_answers_at_wave")
    assert absent[["file", "row", "participant_id", "wave", "action"]].values.tolist() == [
        ["wide.csv", 4, "C", "post", "row_excluded"],
        ["wide.csv", 5, "D", "post", "row_excluded"],
    ]
    assert set(absent["value"]) == {"0 of 3 answered at this wave"}
    assert responses.rows_in == 10
    assert responses.rows_in == len(frame) + responses.rows_excluded
    # Seen at the first wave only, as a long file without their post rows would show them.
    lonely = _problems(responses.ledger, "unmatched_participant")
    assert sorted(lonely["participant_id"]) == ["C", "D"]
    assert set(lonely["wave"]) == {"pre"}


def test_a_row_with_some_answers_at_the_wave_stays_and_has_too_few(tmp_path: Path) -> None:
    wide = tmp_path / "wide.csv"
    _wide().to_csv(wide, index=False)
    result = so.score([wide, wide], ["ucla3"], wave=["pre", "post"], mapping=WAVE_MAP)
    assert (result.rows_in, result.rows_scored, result.rows_excluded) == (10, 8, 2)
    short = _problems(result.ledger, "insufficient_items")
    assert short[["participant_id", "wave"]].values.tolist() == [["E", "post"]]
    post = result.scores[result.scores["wave"] == "post"]
    assert sorted(post["participant_id"].astype(str)) == ["A", "B", "E"]


def test_the_same_dataframe_named_at_two_waves_is_side_by_side() -> None:
    df = _wide()
    responses = load_responses([df, df], ["ucla3"], wave=["pre", "post"], mapping=WAVE_MAP)
    absent = _problems(responses.ledger, "no_answers_at_wave")
    assert sorted(absent["participant_id"]) == ["C", "D"]
    assert responses.rows_in == len(responses.frame) + responses.rows_excluded


def test_the_evaluation_files_tables_read_once_per_wave_are_side_by_side(tmp_path: Path) -> None:
    """`run` reads the file once per entry: two tables of one file, not one object."""
    wide = tmp_path / "wide.csv"
    _wide().to_csv(wide, index=False)
    tables = [so.read_export(wide), so.read_export(wide)]
    responses = load_responses(tables, ["ucla3"], wave=["pre", "post"], mapping=WAVE_MAP)
    assert sorted(_problems(responses.ledger, "no_answers_at_wave")["participant_id"]) == [
        "C",
        "D",
    ]


def _blank_row_export() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": ["A", "B", "C"],
            "ucla3_1": ["1", "2", None],
            "ucla3_2": ["2", "2", None],
            "ucla3_3": ["3", "1", " "],
        }
    )


def test_a_blank_row_of_a_per_wave_export_stays_a_response(tmp_path: Path) -> None:
    pre, post = tmp_path / "pre.csv", tmp_path / "post.csv"
    _blank_row_export().to_csv(pre, index=False)
    _blank_row_export().to_csv(post, index=False)
    result = so.score([pre, post], ["ucla3"], wave=["pre", "post"], id_col="id")
    assert _problems(result.ledger, "no_answers_at_wave").empty
    assert result.rows_excluded == 0
    short = _problems(result.ledger, "insufficient_items")
    assert sorted(short["wave"].astype(str)) == ["post", "pre"]
    assert set(short["participant_id"].astype(str)) == {"C"}


def test_one_name_in_two_folders_bound_alike_is_two_exports(tmp_path: Path) -> None:
    """Two folders' exports of one survey share a name: still one export per wave."""
    (tmp_path / "pre").mkdir()
    (tmp_path / "post").mkdir()
    pre, post = tmp_path / "pre" / "export.csv", tmp_path / "post" / "export.csv"
    _blank_row_export().to_csv(pre, index=False)
    _blank_row_export().to_csv(post, index=False)
    result = so.score([pre, post], ["ucla3"], wave=["pre", "post"], id_col="id")
    assert _problems(result.ledger, "no_answers_at_wave").empty
    assert len(_problems(result.ledger, "insufficient_items")) == 2


def test_a_blank_row_of_a_long_file_stays_a_response() -> None:
    long = pd.DataFrame(
        {
            "id": ["A", "A", "B", "B"],
            "wave": ["pre", "post", "pre", "post"],
            "ucla3_1": ["1", "2", "2", None],
            "ucla3_2": ["2", "2", "1", None],
            "ucla3_3": ["3", "1", "1", None],
        }
    )
    result = so.score(long, ["ucla3"], id_col="id", wave_col="wave")
    assert _problems(result.ledger, "no_answers_at_wave").empty
    assert result.rows_excluded == 0
    short = _problems(result.ledger, "insufficient_items")
    assert short[["participant_id", "wave"]].astype(str).values.tolist() == [["B", "post"]]


def test_a_side_by_side_file_where_everyone_answered_keeps_every_row() -> None:
    df = _wide().iloc[:2].reset_index(drop=True)
    responses = load_responses([df, df], ["ucla3"], wave=["pre", "post"], mapping=WAVE_MAP)
    assert responses.rows_excluded == 0
    assert responses.ledger.empty
    assert len(responses.frame) == 4


def test_the_ledger_names_each_waves_own_column(tmp_path: Path) -> None:
    """A bad answer in Pre_L_2 was logged as Post_L_2: the columns of the one file were
    looked up by file and item, so the last wave's binding won. Renamed waves too."""
    wide = tmp_path / "wide.csv"
    frame = pd.DataFrame({"id": list("ABCDEF"),
                          **{f"{w}_L_{k}": ["1", "2", "3", "1", "2", "3"]
                             for w in ("Pre", "Post") for k in (1, 2, 3)}})  # fmt: skip
    frame.loc[0, "Pre_L_2"] = "7"  # out of range, at pre
    frame.loc[1, "Post_L_3"] = "9"  # out of range, at post
    frame.to_csv(wide, index=False)
    scored = so.score([wide, wide], ["ucla3"], wave=["pre", "post"], mapping=WAVE_MAP)
    bad = scored.ledger[scored.ledger["item"].notna() & (scored.ledger["value"].isin(["7", "9"]))]
    assert bad[["wave", "column", "value"]].values.tolist() == [
        ["pre", "Pre_L_2", "7"], ["post", "Post_L_3", "9"],
    ]  # fmt: skip
    # through run, whose evaluation file renames the waves before scoring
    import yaml

    (tmp_path / "mapping.yaml").write_text(yaml.safe_dump(WAVE_MAP), encoding="utf-8")
    evaluation = {
        "data": [{"path": "wide.csv", "wave": "pre"}, {"path": "wide.csv", "wave": "post"}],
        "instruments": ["ucla3"], "mapping": "mapping.yaml", "id_col": "id",
        "waves": {"pre": "before", "post": "after", "rename": {"pre": "before", "post": "after"}},
    }  # fmt: skip
    (tmp_path / "evaluation.yaml").write_text(yaml.safe_dump(evaluation), encoding="utf-8")
    run = so.run_evaluation(tmp_path / "evaluation.yaml", tmp_path / "out")
    ledger = pd.read_csv(run.files["ledger"], dtype=str)
    bad = ledger[ledger["value"].isin(["7", "9"])]
    assert bad[["wave", "column"]].values.tolist() == [["before", "Pre_L_2"], ["after", "Post_L_3"]]
