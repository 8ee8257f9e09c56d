"""REDCap repeating instruments, repeating events and form status, scored end to end.

Every expected score below is summed by hand from the fixture rows (line numbers as a user
sees them in the file, header = line 1).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import stigma_outcomes as so
from stigma_outcomes.cli.app import app
from stigma_outcomes.ingest.redcap import occasion_names

from ._exports import EXPORTS, problems, totals

CHECKINS = EXPORTS / "redcap_repeating_checkins.csv"
CHECKINS_DD = EXPORTS / "redcap_repeating_dictionary.csv"
MAP = {"instruments": {"ucla3": {"pattern": "lonely_{item}"}, "gad7": {"pattern": "gad_{item}"}}}
WEEK = "program_arm_1/weekly_checkin#"


def _entries(result, problem: str) -> list[tuple[int | None, object, object, str]]:
    """(row, column, instrument, action) of the ledger rows with one problem."""
    rows = result.ledger[result.ledger["problem"] == problem]
    return [
        (None if pd.isna(r) else int(r), None if pd.isna(c) else c, i, a)
        for r, c, i, a in zip(
            rows["row"], rows["column"], rows["instrument"], rows["action"], strict=True
        )
    ]


def _accounted(result, lines: range) -> None:
    """Every data line is behind a score row or excluded, never both, never twice."""
    assert result.rows_in == len(lines)
    assert result.rows_in == result.rows_scored + result.rows_excluded
    excluded = result.ledger.loc[result.ledger["action"] == "row_excluded", "row"].astype(int)
    scored = result.ids.shape[0]
    assert scored == result.rows_scored
    assert excluded.is_unique
    assert len(set(excluded)) + scored == len(lines)


def test_each_repeat_instance_is_its_own_occasion() -> None:
    result = so.score(CHECKINS, ["gad7"], mapping=MAP)
    assert totals(result) == {
        ("1001", WEEK + "1"): 7.0,  # line 3: seven 1s
        ("1001", WEEK + "2"): 3.0,  # line 4: 0 1 0 1 0 1 0
        ("1001", WEEK + "3"): 0.0,  # line 5: Unverified (1), scored
        ("1002", WEEK + "1"): 14.0,  # line 9: seven 2s
        ("1003", WEEK + "1"): 21.0,  # line 13: seven 3s
    }
    # Waves in the order the export lists them, each instance once.
    assert list(result.scores["wave"].cat.categories) == [WEEK + "1", WEEK + "2", WEEK + "3"]
    assert _entries(result, "duplicate_participant") == []
    # Line 10 (1002, week 2) is marked Incomplete: set aside, not scored as missing.
    assert _entries(result, "form_incomplete") == [
        (10, "weekly_checkin_complete", "gad7", "row_excluded")
    ]
    # Base rows and the contact-log repeat hold no check-in: set aside with their reason.
    assert [r for r, *_ in _entries(result, "no_scored_form")] == [2, 6, 7, 8, 11, 12, 14]
    notes = result.ledger[result.ledger["problem"] == "repeat_instances_as_waves"]
    assert notes["value"].tolist() == [
        "6 row(s) of repeating form 'weekly_checkin'",
        "1 row(s) of repeating form 'contact_log'",
    ]
    assert "<wave>/weekly_checkin#<instance>" in notes["action"].iloc[0]
    _accounted(result, range(2, 15))


def test_a_base_row_questionnaire_is_scored_once_per_event() -> None:
    result = so.score(CHECKINS, ["ucla3"], mapping=MAP)
    assert totals(result) == {
        ("1001", "baseline_arm_1"): 5.0,  # line 2: 1 2 2
        ("1001", "post_arm_1"): 3.0,  # line 7: 1 1 1
        ("1002", "baseline_arm_1"): 8.0,  # line 8: 3 3 2
        ("1002", "post_arm_1"): 5.0,  # line 11: 2 2 1, Unverified
    }
    assert len(result.scores) == 4  # not once per repeat row of the event
    # 1003's loneliness forms (lines 12 and 14) are Incomplete, the second without answers.
    assert _entries(result, "form_incomplete") == [
        (12, "loneliness_complete", "ucla3", "row_excluded"),
        (14, "loneliness_complete", "ucla3", "row_excluded"),
    ]
    repeats = _entries(result, "no_scored_form")
    assert [r for r, *_ in repeats] == [3, 4, 5, 6, 9, 10, 13]
    assert {c for _, c, _, _ in repeats} == {"redcap_repeat_instrument"}
    _accounted(result, range(2, 15))


def test_both_kinds_of_instrument_in_one_run() -> None:
    result = so.score(CHECKINS, ["ucla3", "gad7"], mapping=MAP)
    ok = result.scores[result.scores["status"] == "ok"]
    got = {
        (str(p), str(w), str(i)): float(s)
        for p, w, i, s in zip(
            ok["participant_id"], ok["wave"], ok["instrument"], ok["score"], strict=True
        )
    }
    assert got == {
        ("1001", "baseline_arm_1", "ucla3"): 5.0,
        ("1001", "post_arm_1", "ucla3"): 3.0,
        ("1002", "baseline_arm_1", "ucla3"): 8.0,
        ("1002", "post_arm_1", "ucla3"): 5.0,
        ("1001", WEEK + "1", "gad7"): 7.0,
        ("1001", WEEK + "2", "gad7"): 3.0,
        ("1001", WEEK + "3", "gad7"): 0.0,
        ("1002", WEEK + "1", "gad7"): 14.0,
        ("1003", WEEK + "1", "gad7"): 21.0,
    }
    # An instrument a row does not hold (or whose form is Incomplete) gets no score row
    # there, and is not reported again as too few answers.
    assert (result.scores["status"] == "ok").all()
    assert "insufficient_items" not in set(result.ledger["problem"])
    assert {r for r, *_ in _entries(result, "no_scored_form")} == {6}  # the contact log
    assert result.rows_scored == 9
    _accounted(result, range(2, 15))


def test_include_incomplete_scores_incomplete_forms() -> None:
    result = so.score(
        CHECKINS, ["ucla3", "gad7"], mapping=MAP, read_options={"include_incomplete": True}
    )
    assert _entries(result, "form_incomplete") == []
    scores = result.scores.set_index(["participant_id", "wave", "instrument"])
    assert scores.loc[("1003", "baseline_arm_1", "ucla3"), "score"] == 7.0  # line 12: 2 2 3
    # Line 10 (4 of 7 answered) and line 14 (nothing answered) are now scored as such.
    week2 = scores.loc[("1002", WEEK + "2", "gad7")]
    assert week2["status"] == "insufficient_items" and week2["n_answered"] == 4
    post = scores.loc[("1003", "post_arm_1", "ucla3")]
    assert post["status"] == "insufficient_items" and post["n_answered"] == 0
    assert result.rows_scored == 12
    _accounted(result, range(2, 15))


def test_dictionary_links_forms_the_same_way() -> None:
    plain = so.score(CHECKINS, ["ucla3", "gad7"], mapping=MAP)
    with_dd = so.score(
        CHECKINS, ["ucla3", "gad7"], mapping=MAP, read_options={"dictionary": CHECKINS_DD}
    )
    pd.testing.assert_frame_equal(plain.scores, with_dd.scores)
    assert problems(plain) == problems(with_dd)


def test_repeating_events_are_numbered_occasions() -> None:
    result = so.score(EXPORTS / "redcap_repeating_events.csv", ["ucla3"], mapping=MAP)
    assert totals(result) == {
        ("3001", "baseline_arm_1"): 5.0,  # 1 2 2
        ("3001", "session_arm_1#1"): 6.0,  # 2 2 2
        ("3001", "session_arm_1#2"): 4.0,  # 1 1 2
        ("3002", "baseline_arm_1"): 9.0,  # 3 3 3
        ("3002", "session_arm_1#1"): 8.0,  # 3 2 3
    }
    note = result.ledger[result.ledger["problem"] == "repeat_instances_as_waves"]
    assert note["value"].tolist() == ["3 row(s) of repeating events"]
    _accounted(result, range(2, 7))


def test_incomplete_form_beside_a_complete_one_on_the_same_row() -> None:
    export = EXPORTS / "redcap_incomplete.csv"
    result = so.score(export, ["ucla3", "gad7"], mapping=MAP)
    scores = result.scores.set_index(["participant_id", "instrument"])["score"]
    assert scores[("2001", "ucla3")] == 3.0 and scores[("2001", "gad7")] == 0.0
    # 2002: loneliness Incomplete, anxiety Complete → the row stays for GAD-7 only, and
    # UCLA-3 has no score row there (the ledger says why).
    assert ("2002", "ucla3") not in scores.index and scores[("2002", "gad7")] == 7.0
    # 2004: both Unverified → scored; 2005: no status at all (a report) → scored as answered.
    assert scores[("2004", "ucla3")] == 5.0 and scores[("2004", "gad7")] == 21.0
    assert scores[("2005", "ucla3")] == 6.0
    assert "2003" not in set(result.scores["participant_id"].astype(str))
    assert _entries(result, "form_incomplete") == [
        (3, "loneliness_complete", "ucla3", _KEPT),
        (4, "loneliness_complete", "ucla3", "row_excluded"),
        (4, "anxiety_complete", "gad7", "not scored (form marked Incomplete; row set aside)"),
    ]
    assert set(result.scores["wave"].astype(str)) == {"1"}
    _accounted(result, range(2, 7))

    kept = so.score(
        export, ["ucla3", "gad7"], mapping=MAP, read_options={"include_incomplete": True}
    )
    scores = kept.scores.set_index(["participant_id", "instrument"])["score"]
    assert scores[("2002", "ucla3")] == 9.0
    assert scores[("2003", "ucla3")] == 6.0 and scores[("2003", "gad7")] == 14.0
    assert kept.rows_excluded == 0


_KEPT = "answers not scored (form marked Incomplete); include_incomplete scores them"


def test_label_values_of_form_status() -> None:
    result = so.score(EXPORTS / "redcap_incomplete_labels.csv", ["ucla3"], mapping=MAP)
    assert totals(result) == {("2101", "1"): 7.0, ("2103", "1"): 5.0}
    assert _entries(result, "form_incomplete") == [
        (3, "loneliness_complete", "ucla3", "row_excluded")
    ]
    ledger = result.ledger.set_index("row")
    assert ledger.loc[3, "value"] == "Incomplete"


def test_classic_project_repeats_and_real_duplicates(tmp_path: Path) -> None:
    export = tmp_path / "classic.csv"
    export.write_text(
        "record_id,redcap_repeat_instrument,redcap_repeat_instance,lonely_1,lonely_2,lonely_3,"
        "loneliness_complete\n"
        "7,loneliness,1,1,1,1,2\n"
        "7,loneliness,2,2,2,2,2\n"
        "7,loneliness,2,3,3,3,2\n",  # the same instance exported twice
        encoding="utf-8",
    )
    result = so.score(export, ["ucla3"], mapping=MAP)
    assert totals(result) == {("7", "loneliness#1"): 3.0, ("7", "loneliness#2"): 9.0}
    assert [r for r, *_ in _entries(result, "duplicate_participant")] == [3]
    named = so.score(export, ["ucla3"], mapping=MAP, wave="pre")
    assert set(named.scores["wave"].astype(str)) == {"pre/loneliness#1", "pre/loneliness#2"}


def test_occasion_names_from_numbers_read_as_decimals() -> None:
    names = occasion_names(
        pd.Series(["baseline_arm_1", "baseline_arm_1"]),
        pd.Series(["weekly", ""]).to_numpy(dtype=object),
        pd.Series(["2", "3"]).to_numpy(dtype=object),
        prefix=False,
    )
    assert names.tolist() == ["weekly#2", "baseline_arm_1#3"]


def test_cli_scores_the_repeating_export(tmp_path: Path) -> None:
    mapping = tmp_path / "map.yaml"
    mapping.write_text(
        "instruments:\n  ucla3:\n    pattern: lonely_{item}\n  gad7:\n    pattern: gad_{item}\n",
        encoding="utf-8",
    )
    out, ledger = tmp_path / "scores.csv", tmp_path / "ledger.csv"
    args = ["score", str(CHECKINS), "-i", "gad7", "--map", str(mapping), "--out", str(out)]
    result = CliRunner().invoke(app, [*args, "--ledger", str(ledger)])
    assert result.exit_code == 0, result.output
    assert "read 13 rows from 1 file(s)" in result.stdout
    assert "scored 5 rows; excluded 8" in result.stdout
    written = pd.read_csv(ledger)
    assert (written["problem"] == "form_incomplete").sum() == 1
    again = CliRunner().invoke(app, [*args, "--include-incomplete"])
    assert again.exit_code == 0, again.output
    assert "scored 6 rows; excluded 7" in again.stdout


_STATUS = st.sampled_from(["", "0", "1", "2"])
_ANSWER = st.sampled_from(["", "1", "2", "3"])


@settings(max_examples=40, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(["a", "b"]),
            st.sampled_from(["baseline_arm_1", "post_arm_1"]),
            st.sampled_from(["", "", "weekly", "other"]),
            st.sampled_from(["1", "2"]),
            st.lists(_ANSWER, min_size=3, max_size=3),
            _STATUS,
        ),
        min_size=1,
        max_size=12,
    ),
    include=st.booleans(),
)
def test_every_row_is_accounted_for(rows, include: bool) -> None:
    lines = [
        "record_id,redcap_event_name,redcap_repeat_instrument,redcap_repeat_instance,"
        "lonely_1,lonely_2,lonely_3,loneliness_complete"
    ]
    for pid, event, form, instance, answers, status in rows:
        lines.append(",".join([pid, event, form, instance if form else "", *answers, status]))
    with tempfile.TemporaryDirectory() as folder:
        export = Path(folder) / "r.csv"
        export.write_text("\n".join(lines) + "\n", encoding="utf-8")
        result = so.score(
            export, ["ucla3"], mapping=MAP, read_options={"include_incomplete": include}
        )
    assert result.rows_in == len(rows)
    assert result.rows_in == result.rows_scored + result.rows_excluded
    if not include:
        statuses = {
            int(r) for r in result.ledger.loc[result.ledger["problem"] == "form_incomplete", "row"]
        }
        zero = {n for n, row in enumerate(rows, start=2) if row[5] == "0"}
        assert statuses == zero
