"""The mapping proposer: what it matches, why, and what it refuses to guess."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from stigma_outcomes.ingest.mapping import load_mapping
from stigma_outcomes.ingest.propose import propose
from stigma_outcomes.ingest.readers import read_export
from stigma_outcomes.ingest.table import RawTable
from stigma_outcomes.instruments import Registry, load_instrument

from ._exports import EXPORTS

SAMPLE = EXPORTS.parents[2] / "data" / "sample"


@pytest.fixture(scope="module")
def everything():
    return Registry().all()


def _table(frame: pd.DataFrame, **extra) -> RawTable:
    return RawTable(frame=frame, source="x.csv", row_numbers=np.arange(2, len(frame) + 2), **extra)


def test_qualtrics_blocks_found_by_answers_among_all_instruments(everything) -> None:
    tables = [read_export(SAMPLE / "qualtrics_pre.csv"), read_export(SAMPLE / "qualtrics_post.csv")]
    proposal = propose(tables, everything)
    assert proposal.mapping == {
        "id_col": "pcode",
        "instruments": {
            "gbs": {"pattern": "Q12_{item}"},
            "ismi29": {"pattern": "Q11_{item}"},
            "ucla3": {"pattern": "Q10_{item}"},
        },
    }
    assert [f.wave for f in proposal.files] == ["pre", "post"]
    assert proposal.ambiguities == []
    load_mapping(proposal.mapping)  # the lead's schema accepts it
    why = proposal.files[0].matches["ucla3"].why
    assert "Q10_<item>" in why and "labels" in why


def test_zero_based_numeric_export_is_possible_but_unconfirmed() -> None:
    """Codes one below the scale are a fit by range alone: listed with the recode it would
    need, never written to the mapping (issue 13, point 7)."""
    proposal = propose([read_export(EXPORTS / "qualtrics_numeric.tsv")], [load_instrument("ucla3")])
    assert "ucla3" not in proposal.mapping["instruments"]
    possible = proposal.files[0].possible["ucla3"]
    assert possible.recode == {"0": 1.0, "1": 2.0, "2": 3.0} and "0-based" in possible.why
    assert any("possible, unconfirmed: ucla3" in line for line in proposal.lines())


def test_value_labels_from_spss_and_redcap_dictionary(everything) -> None:
    sav = propose([read_export(EXPORTS / "qualtrics_spss.sav")], [load_instrument("ucla3")])
    assert "value labels" in sav.files[0].matches["ucla3"].why
    redcap = read_export(
        EXPORTS / "redcap_longitudinal_raw.csv", dictionary=EXPORTS / "redcap_dictionary.csv"
    )
    proposal = propose([redcap], everything)
    assert proposal.mapping["instruments"] == {"ucla3": {"pattern": "lonely_{item}"}}
    first = proposal.files[0]
    assert (first.id_col, first.wave_col) == ("participant_id", "redcap_event_name")


def test_question_block_in_column_order_is_matched_and_flagged_for_checking(everything) -> None:
    proposal = propose([read_export(EXPORTS / "surveymonkey.csv")], everything)
    match = proposal.files[0].matches["ucla3"]
    assert match.how == "column order"
    assert "check the order" in match.why
    assert list(match.columns.values())[1] == "How often do you feel... - left out"
    # The platform's Respondent ID changes every wave; the participant code is proposed.
    assert proposal.files[0].id_col == "What is your participant code?"


def test_google_forms_grid(everything) -> None:
    proposal = propose([read_export(EXPORTS / "google_forms_grid.csv")], everything)
    columns = proposal.mapping["instruments"]["ucla3"]["columns"]
    assert columns["3"] == "How often do you feel… [isolated from others]"
    assert proposal.mapping["id_col"] == "Participant code"


def test_identical_numeric_blocks_are_listed_not_guessed(everything) -> None:
    frame = pd.DataFrame({"pid": ["a", "b"], **{f"X{i}": ["1", "7"] for i in range(1, 13)}})
    proposal = propose([_table(frame)], everything)
    assert proposal.mapping["instruments"] == {}
    # Codes in range are no evidence: every fitting instrument is listed as possible.
    assert "gbs" in proposal.files[0].possible
    assert any("possible, unconfirmed: gbs ← X1 … X12" in line for line in proposal.lines())


def test_named_columns_beat_look_alike_blocks(everything) -> None:
    proposal = propose([read_export(SAMPLE / "redcap_longitudinal.csv")], everything)
    assert set(proposal.mapping["instruments"]) == {"gbs", "ismi29", "ucla3"}
    assert proposal.ambiguities == []


def test_named_instrument_not_found_says_why() -> None:
    proposal = propose(
        [read_export(EXPORTS / "limesurvey_codes.csv")], [load_instrument("ucla3")], named=True
    )
    assert proposal.mapping["instruments"] == {}
    doubts = " ".join(proposal.ambiguities)
    assert "UCLA[SQ001] … UCLA[SQ003]" in doubts and "a1, a2, a3" in doubts


def test_two_candidate_id_columns_are_an_ambiguity() -> None:
    frame = pd.DataFrame(
        {"client_id": ["1", "2"], "participant code": ["A", "B"], "ucla3_1": ["1", "2"]}
    )
    proposal = propose([_table(frame)], [load_instrument("ucla3")])
    assert proposal.files[0].id_col is None
    assert any("participant ID" in a for a in proposal.ambiguities)


def test_wave_names_from_file_names_and_placeholders() -> None:
    frame = pd.DataFrame({"participant_id": ["A"], "ucla3_1": ["1"]})
    one = RawTable(frame=frame, source="exit_survey.csv", row_numbers=np.array([2]))
    two = RawTable(frame=frame, source="march.csv", row_numbers=np.array([2]))
    proposal = propose([one, two], [load_instrument("ucla3")])
    assert [f.wave for f in proposal.files] == ["post", "march"]
    assert any("named it 'march' after its file name" in a for a in proposal.ambiguities)
    # a name with nothing of its own left is a numbered placeholder, as score names it
    same = RawTable(frame=frame, source="sub/march.csv", row_numbers=np.array([2]))
    proposal = propose([two, same], [load_instrument("ucla3")])
    assert [f.wave for f in proposal.files] == ["1", "2"]
    assert any("wave of this file unknown" in a for a in proposal.ambiguities)


def test_the_exports_waves_are_all_compared_or_asked_about() -> None:
    """Three exports, one per wave: before, the third wave (here the post) was in neither
    the comparison nor the questions; now every wave is placed, and a wave that says no
    place is asked about."""
    frame = pd.DataFrame({"participant_id": ["A"], "ucla3_1": ["1"]})
    names = ["wellbeing_Baseline.csv", "wellbeing_Week 6.csv", "wellbeing_End.csv"]
    tables = [RawTable(frame=frame, source=n, row_numbers=np.array([2])) for n in names]
    proposal = propose(tables, [load_instrument("ucla3")])
    assert [f.wave for f in proposal.files] == ["pre", "Week 6", "post"]
    order = proposal.file_waves
    assert order is not None
    assert (order.compared, order.left_out) == (["pre", "post"], ["Week 6"])
    assert any("'Week 6' not compared" in a for a in proposal.ambiguities)
    later = propose([tables[0], tables[2], tables[1]], [load_instrument("ucla3")]).file_waves
    assert later is not None and later.compared == ["pre", "post", "Week 6"]


def test_value_labels_that_disagree_with_the_scale_give_a_recode() -> None:
    frame = pd.DataFrame({"pid": ["a", "b"], **{f"L{i}": [1.0, 3.0] for i in (1, 2, 3)}})
    # This survey coded the answers in reverse: 1 = Often ... 3 = Hardly ever.
    labels = {
        f"L{i}": {1.0: "Often", 2.0: "Some of the time", 3.0: "Hardly ever"} for i in (1, 2, 3)
    }
    proposal = propose([_table(frame, value_labels=labels)], [load_instrument("ucla3")])
    entry = proposal.mapping["instruments"]["ucla3"]
    assert entry == {"pattern": "L{item}", "recode": {"1": 3.0, "3": 1.0}}


def test_in_range_qualtrics_codes_are_never_written_as_settled() -> None:
    table = read_export(EXPORTS / "qualtrics_legacy.csv")
    proposal = propose([table], [load_instrument("ucla3")])
    assert proposal.mapping["instruments"] == {}
    assert proposal.files[0].possible["ucla3"].pattern == "Q5_{item}"


def test_reader_facts_are_shown_as_notes() -> None:
    forms = read_export(EXPORTS / "google_forms_grid.csv")
    sav = read_export(EXPORTS / "qualtrics_spss.sav")
    proposal = propose([forms, sav], [load_instrument("ucla3")])
    forms_notes, sav_notes = (f.notes for f in proposal.files)
    assert "repeated column title 'Comments' renamed 'Comments (2)'" in forms_notes
    assert any("joins ticked options" in n for n in forms_notes)
    assert sav_notes == ["1 cell(s) of 'Q5_2' hold a declared missing-value code"]
    assert "  note: 1 cell(s) of 'Q5_2' hold a declared missing-value code" in proposal.lines()


def test_unusual_qualtrics_statuses_are_noted(tmp_path) -> None:
    path = tmp_path / "q.csv"
    path.write_text(
        "ResponseId,Status,Finished,ucla3_1,ucla3_2,ucla3_3\n"
        "R_1,IP Address,True,Often,Often,Often\nR_2,Spam,True,Often,Often,Often\n",
        encoding="utf-8",
    )
    proposal = propose([read_export(path)], [load_instrument("ucla3")])
    assert any("status 'Spam' kept" in n for n in proposal.files[0].notes)


def test_question_text_naming_the_instrument_is_evidence() -> None:
    """Numeric codes alone are only possible; question text naming the instrument (its id,
    short or full name) makes the same block a proposal (issue 13, point 7)."""
    frame = pd.DataFrame({"pid": ["a", "b"], **{f"Q7_{i}": ["1", "3"] for i in "123"}})
    ucla = load_instrument("ucla3")
    bare = propose([_table(frame)], [ucla])
    assert bare.mapping["instruments"] == {} and "ucla3" in bare.files[0].possible
    labels = {f"Q7_{i}": f"Loneliness ({ucla.short_name}) - item {i}" for i in "123"}
    named = propose([_table(frame, column_labels=labels)], [ucla])
    assert named.mapping["instruments"]["ucla3"] == {"pattern": "Q7_{item}"}


def test_propose_takes_frames_and_instrument_ids_and_refuses_other_inputs() -> None:
    from stigma_outcomes.errors import InputError

    frame = pd.DataFrame(
        {"pcode": ["A", "B"], "Q5_1": ["Often", "Hardly ever"], "Q5_2": ["Often", "Often"]}
        | {"Q5_3": ["Some of the time", "Often"]}
    )
    proposal = propose([frame], ["ucla3"], named=True)
    assert proposal.mapping["instruments"] == {"ucla3": {"pattern": "Q5_{item}"}}
    assert repr(proposal) == "<Proposal: 1 file(s), matched ucla3, 0 open question(s)>"
    with pytest.raises(InputError, match="as read by read_export, not str"):
        propose(["pre.csv"], ["ucla3"])


def test_blocks_fitting_by_range_alone_are_possible_not_a_choice() -> None:
    """Several blocks of in-range codes (claus-2020's BDI1..BDI4 against DASS-21) are no
    evidence for any of them: listed as possible, unconfirmed, never an ambiguity that
    invites choosing one."""
    frame = pd.DataFrame(
        {"pid": ["a", "b"]} | {f"{b}.{i}": ["1", "3"] for b in ("A1", "A2") for i in "123"}
    )
    proposal = propose([_table(frame)], [load_instrument("ucla3")])
    assert proposal.mapping["instruments"] == {}
    assert not any("equally good" in a for a in proposal.ambiguities)
    possible = proposal.files[0].possible["ucla3"]
    assert possible.pattern == "A1.{item}" and "A2.{item}" in possible.why


def test_evidence_backed_ties_are_still_an_ambiguity() -> None:
    frame = pd.DataFrame(
        {"pid": ["a", "b"]}
        | {f"{b}_{i}": ["Often", "Hardly ever"] for b in ("A", "B") for i in "123"}
    )
    proposal = propose([_table(frame)], [load_instrument("ucla3")])
    assert any("ucla3: 2 equally good matches" in a for a in proposal.ambiguities)


@pytest.mark.parametrize("stem", ["DASS", "DASS21_", "dass-21 ", "Dass21."])
def test_columns_named_after_the_instrument_are_a_name_match(stem: str) -> None:
    """rminr's DASS1..DASS21 carry the instrument's own name: a name match, proposed."""
    dass = load_instrument("dass21")
    frame = pd.DataFrame({"pid": ["a", "b"]} | {f"{stem}{i}": ["0", "3"] for i in dass.item_ids})
    proposal = propose([_table(frame)], [dass])
    match = proposal.files[0].matches["dass21"]
    assert match.how == "name"
    assert proposal.mapping["instruments"]["dass21"] == {"pattern": f"{stem}{{item}}"}


def test_a_look_alike_name_is_not_the_instrument() -> None:
    """Only the instrument's own id or short name counts (GAD-7's items named GAD1..GAD7
    are not GAD-2's, and a single letter names nothing)."""
    gad2, k6 = load_instrument("gad2"), load_instrument("k6")
    frame = pd.DataFrame({"pid": ["a", "b"]} | {f"GAD{i}": ["0", "3"] for i in "12"})
    assert propose([_table(frame)], [gad2]).files[0].matches["gad2"].how == "name"
    letters = pd.DataFrame({"pid": ["a", "b"]} | {f"K{i}": ["0", "3"] for i in "123456"})
    found = propose([_table(letters)], [k6]).files[0]
    assert "k6" not in found.matches and "k6" in found.possible


def test_id_hint_needs_whole_words() -> None:
    """'study … consider' is not 'study … id': a long intro text (limonaid's survey
    998192) is not a participant code."""
    intro = "In this study we ask you to consider how your week went."
    frame = pd.DataFrame(
        {intro: ["yes", "yes"], "ucla3_1": ["1", "2"], "ucla3_2": ["2", "2"], "ucla3_3": ["3", "1"]}
    )
    found = propose([_table(frame)], [load_instrument("ucla3")]).files[0]
    assert found.id_col is None


@pytest.mark.parametrize(
    "name",
    ["StudyID", "Client Number", "What is your participant code?", "Participant's study number"],
)
def test_id_hints_that_still_count(name: str) -> None:
    frame = pd.DataFrame({name: ["A", "B"], "ucla3_1": ["1", "2"]})
    assert propose([_table(frame)], [load_instrument("ucla3")]).files[0].id_col == name


def test_an_empty_column_is_never_the_participant_id() -> None:
    frame = pd.DataFrame(
        {"participant code": [None, None], "ucla3_1": ["1", "2"], "ucla3_2": ["2", "2"]}
    )
    found = propose([_table(frame)], [load_instrument("ucla3")]).files[0]
    assert found.id_col is None
    empty_id = pd.DataFrame({"pid": ["", " "], "record": ["A", "B"], "ucla3_1": ["1", "2"]})
    assert propose([_table(empty_id)], [load_instrument("ucla3")]).files[0].id_col is None


def _two_blocks(first: str, second: str) -> RawTable:
    rows = {"id": ["A", "B", "C"]}
    for prefix, values in ((first, [1, 2, 3]), (second, [2, 3, 1])):
        rows.update({f"{prefix}{i}": [str(v) for v in values] for i in (1, 2, 3)})
    return read_export(pd.DataFrame(rows))


@pytest.mark.parametrize(
    ("first", "second", "waves"),
    [("Pre_L_", "Post_L_", "(pre, post)"), ("T1_lonely_", "T2_lonely_", "(1, 2)")],
)
def test_blocks_that_differ_by_a_wave_are_said_to_be_waves_side_by_side(
    first: str, second: str, waves: str
) -> None:
    """A file holding pre and post in one row: the blocks fit ucla3 alike; init says they
    differ by a wave and how such a file is scored, rather than only "other blocks fit"."""
    proposal = propose([_two_blocks(first, second)], [load_instrument("ucla3")]).files[0]
    why = proposal.possible["ucla3"].why
    assert f"the blocks differ by a wave {waves}" in why
    assert "name it once per wave" in why


def test_question_blocks_are_not_taken_for_waves() -> None:
    proposal = propose([_two_blocks("Q1_", "Q2_")], [load_instrument("ucla3")]).files[0]
    assert "differ by a wave" not in proposal.possible["ucla3"].why


def test_a_real_four_timepoint_file_is_said_to_hold_its_waves_side_by_side() -> None:
    """clinicalsignificance's claus-2020.xlsx holds BDI1.1 … BDI4.21: four time points in
    one row (tests/fixtures/real)."""
    from pathlib import Path

    real = Path(__file__).parents[1] / "fixtures" / "real" / "plain" / "clinsig_claus-2020.xlsx"
    proposal = propose([read_export(real)], [load_instrument("dass21")]).files[0]
    assert "the blocks differ by a wave (1, 2, 3, 4)" in proposal.possible["dass21"].why


def _labelled_waves(prefixes: list[str], once: str | None = None) -> RawTable:
    """UCLA-3 answered in words once per wave in one row; ``once``: a GAD-7 block once."""
    labels = ["Hardly ever", "Some of the time", "Often"]
    rows: dict[str, list[str]] = {"id": ["A", "B", "C"]}
    for shift, prefix in enumerate(prefixes):
        rows.update({f"{prefix}{i}": labels[shift:] + labels[:shift] for i in (1, 2, 3)})
    if once:
        rows.update({f"{once}{i}": ["0", "1", "3"] for i in range(1, 8)})
    return read_export(pd.DataFrame(rows))


def test_blocks_backed_by_evidence_that_differ_by_a_wave_are_drafted_per_wave() -> None:
    """Pre and post side by side, the answers in the scale's words: no open question, one
    mapping section per wave, the waves in time order whatever the column order."""
    table = _labelled_waves(["Post_L_", "Pre_L_"])
    proposal = propose([table], [load_instrument("ucla3")])
    found = proposal.files[0]
    assert found.matches == {} and found.ambiguities == []
    assert {w: c.pattern for w, c in found.by_wave["ucla3"].items()} == {
        "pre": "Pre_L_{item}", "post": "Post_L_{item}"
    }  # fmt: skip
    assert found.side_by_side == ["pre", "post"]
    assert proposal.mapping == {
        "id_col": "id",
        "waves": {
            "pre": {"instruments": {"ucla3": {"pattern": "Pre_L_{item}"}}},
            "post": {"instruments": {"ucla3": {"pattern": "Post_L_{item}"}}},
        },
    }
    lines = "\n".join(proposal.lines())
    assert "ucla3: 3 item(s) at each of 2 waves side by side" in lines
    assert "wave post ← Post_L_{item}" in lines


def test_time_points_side_by_side_are_ordered_by_their_number() -> None:
    found = propose([_labelled_waves(["T2_lonely_", "T1_lonely_"])], ["ucla3"]).files[0]
    assert list(found.by_wave["ucla3"]) == ["1", "2"]


def test_an_instrument_found_once_beside_waves_is_drafted_under_the_first_only() -> None:
    """Mapped at the top level it would be scored at both waves from the same columns: a
    change of exactly zero. It goes under the first wave, and the user is asked."""
    table = _labelled_waves(["Pre_L_", "Post_L_"], once="gad7_")
    proposal = propose([table], [load_instrument("ucla3"), load_instrument("gad7")])
    assert "instruments" not in proposal.mapping
    assert proposal.mapping["waves"]["pre"]["instruments"]["gad7"] == {"pattern": "gad7_{item}"}
    assert "gad7" not in proposal.mapping["waves"]["post"]["instruments"]
    (doubt,) = proposal.files[0].ambiguities
    assert doubt.startswith("gad7: found once (gad7_{item}) in a file holding waves side by side")


def test_waves_side_by_side_in_one_of_several_exports_stay_a_question() -> None:
    """A mapping's wave sections hold for every file, so with several exports the blocks
    are left for the user to choose, as before."""
    tables = [_labelled_waves(["Pre_L_", "Post_L_"]), _labelled_waves(["Pre_L_", "Post_L_"])]
    proposal = propose(tables, ["ucla3"])
    for found in proposal.files:
        assert found.by_wave == {}
        (doubt,) = [a for a in found.ambiguities if a.startswith("ucla3:")]
        assert "2 equally good matches" in doubt
        assert "the blocks differ by a wave (pre, post)" in doubt
    assert "waves" not in proposal.mapping


def test_instruments_naming_different_waves_side_by_side_stay_a_question() -> None:
    """UCLA-3 at pre and post, GAD-7 at T1 and T2: which wave is which is not for init to
    guess, so neither is drafted."""
    labels = ["Hardly ever", "Some of the time", "Often"]
    gad = ["Not at all", "Several days", "Nearly every day"]
    rows: dict[str, list[str]] = {"id": ["A", "B", "C"]}
    for prefix in ("Pre_L_", "Post_L_"):
        rows.update({f"{prefix}{i}": labels for i in (1, 2, 3)})
    for prefix in ("T1_gad_", "T2_gad_"):
        rows.update({f"{prefix}{i}": gad for i in range(1, 8)})
    found = propose([read_export(pd.DataFrame(rows))], ["ucla3", "gad7"]).files[0]
    assert found.by_wave == {}
    assert sorted(a.split(":")[0] for a in found.ambiguities) == ["gad7", "ucla3"]


def test_redcap_events_of_several_arms_and_repeat_occasions_are_not_chained() -> None:
    """Before, arm 2's enrollment became a later wave of arm 1 (or the baseline), and a
    repeat instance could be drafted as the post."""
    from stigma_outcomes.ingest.propose._waves import event_names

    found = event_names(["enrollment_arm_1", "visit_1_arm_1", "enrollment_arm_2",
                         "visit_1_arm_2", "visit_1_arm_1#2"])  # fmt: skip
    assert found.renames == {}
    assert found.occasions == ["visit_1_arm_1#2", "enrollment_arm_2", "visit_1_arm_2"]
    assert [q.split(" ")[1] for q in found.questions] == ["repeat", "of"]
    assert "compare arm 1's events only" in found.questions[1]
    # one arm: plain names, unless two events would get the same one
    assert event_names(["week_8_arm_1", "week 8_arm_1"]).renames == {}
