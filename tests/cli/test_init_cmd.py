"""``stigma-outcomes init``: shows matches, writes files only when asked, bad input → exit 2."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from stigma_outcomes.cli.app import app
from stigma_outcomes.evaluation import Evaluation

ROOT = Path(__file__).parents[2]
SAMPLE = ROOT / "data" / "sample"
EXPORTS = ROOT / "tests" / "fixtures" / "exports"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_shows_matches_and_writes_nothing_by_default(runner, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["init", str(SAMPLE / "qualtrics_pre.csv")])
    assert result.exit_code == 0, result.output
    assert "qualtrics" in result.output
    assert "ucla3: 3 item(s) ← Q10_1 … Q10_3 [pattern]" in result.output
    assert "participant ID: pcode" in result.output
    assert "personal data kept out: StartDate" in result.output
    assert "nothing written" in result.output
    assert list(tmp_path.iterdir()) == []


def test_writes_mapping_and_a_valid_evaluation_file(runner, tmp_path) -> None:
    pre, post = tmp_path / "pre.csv", tmp_path / "post.csv"
    shutil.copy(SAMPLE / "qualtrics_pre.csv", pre)
    shutil.copy(SAMPLE / "qualtrics_post.csv", post)
    mapping, evaluation = tmp_path / "mapping.yaml", tmp_path / "evaluation.yaml"
    result = runner.invoke(
        app,
        [
            "init",
            str(pre),
            str(post),
            "--write-mapping",
            str(mapping),
            "--write-evaluation",
            str(evaluation),
        ],
    )
    assert result.exit_code == 0, result.output
    written = yaml.safe_load(mapping.read_text(encoding="utf-8"))
    assert written["instruments"]["ismi29"] == {"pattern": "Q11_{item}"}
    ev = Evaluation.model_validate(yaml.safe_load(evaluation.read_text(encoding="utf-8")))
    assert [(d.path, d.wave) for d in ev.data] == [("pre.csv", "pre"), ("post.csv", "post")]
    assert ev.mapping == "mapping.yaml"
    assert ev.id_col == "pcode"
    # written with the names the API and the command line use, not the old spellings
    texts = evaluation.read_text(encoding="utf-8") + mapping.read_text(encoding="utf-8")
    assert "id_col: pcode" in texts and "id_column" not in texts
    assert sorted(ev.instruments) == ["gbs", "ismi29", "ucla3"]
    again = runner.invoke(app, ["init", str(pre), "--write-mapping", str(mapping)])
    assert again.exit_code == 2
    assert "already exists" in again.output


def test_json_output_for_a_redcap_export_with_dictionary(runner) -> None:
    result = runner.invoke(
        app,
        [
            "init",
            str(EXPORTS / "redcap_longitudinal_raw.csv"),
            "--dictionary",
            str(EXPORTS / "redcap_dictionary.csv"),
            "-i",
            "ucla3",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    (file,) = data["files"]
    assert file["flavor"] == "redcap"
    assert file["wave_col"] == "redcap_event_name"
    assert file["matches"]["ucla3"]["columns"]["2"] == "lonely_2"
    assert file["personal_columns"] == ["dob", "email", "first_name", "loneliness_timestamp"]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.csv", "the file is empty"),
        ("header_only.csv", "no data rows"),
        ("ragged.csv", "row 3"),
        ("not_spss.sav", "not an SPSS data file"),
        ("password_protected.xlsx", "password-protected"),
        ("corrupt.xlsx", "damaged or incomplete"),
    ],
)
def test_bad_input_exits_2_with_one_message(runner, tmp_path, name, message) -> None:
    shutil.copy(EXPORTS / "bad" / name, tmp_path / name)
    result = runner.invoke(app, ["init", str(tmp_path / name)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert result.output.count("error:") == 1
    assert message in result.output


def test_unknown_instrument_and_missing_pii_column_exit_2(runner) -> None:
    export = str(EXPORTS / "long_waves.csv")
    result = runner.invoke(app, ["init", export, "-i", "nosuch"])
    assert result.exit_code == 2
    result = runner.invoke(app, ["init", export, "--pii", "nickname"])
    assert result.exit_code == 2
    assert "nickname" in result.output


def test_a_dictionary_among_the_exports_is_used_as_the_dictionary(runner, tmp_path) -> None:
    evaluation = tmp_path / "evaluation.yaml"
    result = runner.invoke(
        app,
        [
            "init",
            str(EXPORTS / "redcap_dictionary.csv"),
            str(EXPORTS / "redcap_longitudinal_raw.csv"),
            "-i",
            "ucla3",
            "--write-evaluation",
            str(evaluation),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "the first field of the data dictionary (redcap_dictionary.csv)" in result.output
    data = yaml.safe_load(evaluation.read_text(encoding="utf-8"))
    (entry,) = data["data"]
    assert entry["wave_col"] == "redcap_event_name"
    assert "wave_column" not in evaluation.read_text(encoding="utf-8")
    assert entry["dictionary"].endswith("redcap_dictionary.csv")
    assert "mapping" not in data  # none was written, so none is referenced
    assert "need a mapping file but none was written" in result.output
    assert "--write-mapping" in evaluation.read_text(encoding="utf-8")


REAL = ROOT / "tests" / "fixtures" / "real"
_DICTIONARIES = {
    "redcap_longitudinal_raw.csv": EXPORTS / "redcap_dictionary.csv",
    "redcap_incomplete.csv": EXPORTS / "redcap_dictionary.csv",
    "redcap_repeating.csv": EXPORTS / "redcap_repeating_dictionary.csv",
    "redcap_repeating_events.csv": EXPORTS / "redcap_repeating_dictionary.csv",
    "redcap_repeating_checkins.csv": EXPORTS / "redcap_repeating_dictionary.csv",
}


def _every_export() -> list[Path]:
    found = [
        p
        for p in [*sorted(EXPORTS.glob("*.*")), *sorted(REAL.glob("*/*.*"))]
        if p.suffix in {".csv", ".tsv", ".sav", ".dta", ".xlsx", ".parquet"}
        and "dictionary" not in p.name
    ]
    return found


def _dictionary(export: Path) -> Path | None:
    if export.name in _DICTIONARIES:
        return _DICTIONARIES[export.name]
    twin = export.with_name(export.name.replace("_data.csv", "_dictionary.csv"))
    return twin if twin != export and twin.exists() else None


@pytest.mark.parametrize("export", _every_export(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_evaluation_file_init_writes_runs_as_written(runner, tmp_path, export) -> None:
    """Issue 13, point 9: on every sample and fixture, `init --write-evaluation` either writes
    files that `run` runs as written, or refuses with one clear error and writes nothing.
    Each export is given as two waves (copies named pre and post) so that the comparison
    can be made."""
    from stigma_outcomes.pipeline import run_evaluation

    files = []
    for wave in ("pre", "post"):
        copy = tmp_path / f"{export.stem}_{wave}{export.suffix}"
        shutil.copy(export, copy)
        files.append(str(copy))
    dictionary = _dictionary(export)
    extra = ["--dictionary", str(dictionary)] if dictionary else []
    if export.name == "handmade_custom_instrument.csv":
        extra += ["-i", str(REAL / "instruments" / "level1.yaml")]
    evaluation = tmp_path / "evaluation.yaml"
    result = runner.invoke(
        app,
        [
            "init",
            *files,
            *extra,
            "--write-mapping",
            str(tmp_path / "mapping.yaml"),
            "--write-evaluation",
            str(evaluation),
        ],
    )
    if result.exit_code != 0:
        assert result.exit_code == 2, result.output
        assert "how to fix" in result.output and "Traceback" not in result.output
        assert not evaluation.exists() and not (tmp_path / "mapping.yaml").exists()
        return
    # Only evidence-backed matches are written (issue 13, point 7).
    for line in result.output.splitlines():
        if "item(s) ←" in line:
            assert "[name]" in line or "labels" in line or "name the instrument" in line, line
    run = run_evaluation(evaluation, out_dir=tmp_path / "out")
    assert (tmp_path / "out" / "scores.csv").exists(), run


def test_init_on_the_real_corpus_writes_only_evidence_backed_mappings(runner, tmp_path) -> None:
    """var1…var9 coded 1–4 (pyreadstat's missing_test.dta) fit PHQ-9 by range only: listed as
    possible, never written; a REDCap checkbox is never an item (issue 13, point 7)."""
    mapping = tmp_path / "m.yaml"
    result = runner.invoke(
        app,
        ["init", str(REAL / "spss_stata" / "missing_test.dta"), "--write-mapping", str(mapping)],
    )
    assert result.exit_code == 0, result.output
    assert "possible, unconfirmed: phq9" in result.output
    assert yaml.safe_load(mapping.read_text(encoding="utf-8"))["instruments"] == {}
    boxes = runner.invoke(
        app,
        [
            "init",
            str(REAL / "redcap" / "checkboxes-1_data.csv"),
            "--dictionary",
            str(REAL / "redcap" / "checkboxes-1_dictionary.csv"),
            "--json",
        ],
    )
    assert boxes.exit_code == 0, boxes.output
    found = json.loads(boxes.output)
    assert found["files"][0]["matches"] == {} and found["mapping"]["instruments"] == {}
    assert found["evaluation"] is None  # nothing recognised: no evaluation file to draft
    assert found["files"][0]["possible_unconfirmed"] == {}  # tick boxes are not even possible


@pytest.mark.parametrize(
    "exports",
    [
        ["qualtrics_pre.csv", "qualtrics_post.csv"],
        ["redcap_longitudinal.csv", "redcap_data_dictionary.csv"],
    ],
    ids=["qualtrics-pre-post", "redcap-events"],
)
def test_the_samples_run_as_init_writes_them(runner, tmp_path, exports) -> None:
    """The shipped samples through `init --write-evaluation` and then `run`, unedited; REDCap
    events become the waves: section (issue 13, point 9)."""
    from stigma_outcomes.pipeline import run_evaluation

    for name in exports:
        shutil.copy(SAMPLE / name, tmp_path / name)
    evaluation = tmp_path / "evaluation.yaml"
    result = runner.invoke(
        app,
        [
            "init",
            *(str(tmp_path / n) for n in exports),
            "--write-mapping",
            str(tmp_path / "mapping.yaml"),
            "--write-evaluation",
            str(evaluation),
        ],
    )
    assert result.exit_code == 0, result.output
    written = yaml.safe_load(evaluation.read_text(encoding="utf-8"))
    if "redcap" in exports[0]:
        assert written["waves"] == {
            "pre": "baseline",
            "post": "post",
            "followup": ["follow-up"],
            "rename": {"baseline_arm_1": "baseline", "post_arm_1": "post",
                       "followup_arm_1": "follow-up"},
        }  # fmt: skip
    run = run_evaluation(evaluation, out_dir=tmp_path / "out")
    assert (tmp_path / "out" / "results.json").exists(), run


def test_the_drafted_evaluation_is_the_model_run_reads() -> None:
    from stigma_outcomes.cli.init_cmd import draft_evaluation, evaluation_file
    from stigma_outcomes.ingest.propose import propose
    from stigma_outcomes.ingest.readers import read_export

    tables = [read_export(SAMPLE / f"qualtrics_{w}.csv") for w in ("pre", "post")]
    draft = draft_evaluation(
        propose(tables, ["ucla3", "gbs"]),
        paths=["pre.csv", "post.csv"],
        instruments={"gbs": "defs/gbs.yaml"},
        mapping="mapping.yaml",
        dictionary=None,
    )
    assert isinstance(draft, Evaluation)
    assert (draft.waves.pre, draft.waves.post, draft.id_col) == ("pre", "post", "pcode")
    content = evaluation_file(draft)
    assert list(content) == [
        "title",
        "data",
        "instruments",
        "mapping",
        "id_col",
        "waves",
        "privacy",
    ]
    assert content["instruments"] == ["defs/gbs.yaml", "ucla3"]
    assert content["data"][0] == {"path": "pre.csv", "wave": "pre", "flavor": "qualtrics"}
    assert Evaluation.model_validate(content) == draft


def test_look_alike_blocks_fitting_by_range_are_possible_not_a_question(runner, tmp_path) -> None:
    """Four blocks of 0–3 codes (as claus-2020's BDI1.1 … BDI4.21 against DASS-21) are no
    evidence: init lists one possible match naming the others and asks no question; the
    instrument's own name on the columns (rminr's DASS1 … DASS21) is a match, written."""
    import csv

    items = [str(i) for i in range(1, 22)]
    lookalike = tmp_path / "lookalike.csv"
    with lookalike.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id"] + [f"T{t}.{i}" for t in (1, 2) for i in items])
        writer.writerows([["A", *["0", "3"] * 21], ["B", *["3", "1"] * 21]])
    result = runner.invoke(app, ["init", str(lookalike), "-i", "dass21"])
    assert result.exit_code == 0, result.output
    assert "possible, unconfirmed: dass21 ← T1.1 … T1.21" in result.output
    assert "1 other block(s) fit the same way (T2.{item})" in result.output
    assert "equally good" not in result.output
    named = tmp_path / "named.csv"
    with named.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["partID"] + [f"DASS{i}" for i in items] + ["DASSscore"])
        writer.writerows([["34", *["1"] * 21, "21"], ["35", *["2"] * 21, "42"]])
    mapping = tmp_path / "m.yaml"
    result = runner.invoke(
        app, ["init", str(named), "-i", "dass21", "--write-mapping", str(mapping)]
    )
    assert result.exit_code == 0, result.output
    assert "participant ID: partID" in result.output
    written = yaml.safe_load(mapping.read_text(encoding="utf-8"))
    assert written["instruments"] == {"dass21": {"pattern": "DASS{item}"}}
    assert written["id_col"] == "partID"


def test_a_file_holding_its_waves_side_by_side_runs_as_init_writes_it(runner, tmp_path) -> None:
    """Each participant's pre and post answers in one row, in the scale's words: init names
    the file once per wave and maps each wave's columns in a section of its own; `run`
    then pairs every participant's pre and post scores."""
    import numpy as np
    import pandas as pd

    from stigma_outcomes.pipeline import run_evaluation

    labels = np.array(["Hardly ever", "Some of the time", "Often"])
    rng = np.random.default_rng(7)
    rows: dict[str, object] = {"id": [f"P{i:02d}" for i in range(30)]}
    for prefix in ("Pre_L_", "Post_L_"):
        rows.update({f"{prefix}{i}": labels[rng.integers(0, 3, 30)] for i in (1, 2, 3)})
    wide = tmp_path / "wide.csv"
    pd.DataFrame(rows).to_csv(wide, index=False)
    evaluation = tmp_path / "evaluation.yaml"
    result = runner.invoke(
        app,
        ["init", str(wide), "--write-mapping", str(tmp_path / "mapping.yaml"),
         "--write-evaluation", str(evaluation)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "wave pre ← Pre_L_{item}" in result.output
    written = yaml.safe_load(evaluation.read_text(encoding="utf-8"))
    assert written["data"] == [{"path": "wide.csv", "wave": "pre"},
                               {"path": "wide.csv", "wave": "post"}]  # fmt: skip
    assert written["waves"] == {"pre": "pre", "post": "post"}
    mapping = yaml.safe_load((tmp_path / "mapping.yaml").read_text(encoding="utf-8"))
    assert mapping["waves"]["post"] == {"instruments": {"ucla3": {"pattern": "Post_L_{item}"}}}
    run_evaluation(evaluation, out_dir=tmp_path / "out")
    results = json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))
    (paired,) = [r for r in results["paired"] if r.get("group") is None]
    assert (paired["from_wave"], paired["to_wave"], paired["n_pairs"]) == ("pre", "post", 30)
    scores = pd.read_csv(tmp_path / "out" / "scores.csv", dtype={"participant_id": str})
    pre = scores[scores["wave"] == "pre"].set_index("participant_id")["raw_score"]
    expected = pd.DataFrame(rows).set_index("id")[[f"Pre_L_{i}" for i in (1, 2, 3)]]
    codes = {"Hardly ever": 1, "Some of the time": 2, "Often": 3}
    sums = expected.apply(lambda c: c.map(codes)).sum(axis=1)
    assert pre.to_dict() == {k.casefold(): v for k, v in sums.items()}  # IDs casefolded by run


def test_ids_that_lost_their_zeros_are_said_and_paired_in_the_draft(runner, tmp_path) -> None:
    """pre.xlsx saved from a spreadsheet (1, 2, …), post.csv as typed (001, 002, …): init
    says why nobody would pair, drafts ignore_id_zeros, and `run` pairs all 20."""
    import numpy as np
    import pandas as pd

    from stigma_outcomes.pipeline import run_evaluation

    codes = [f"{i:03d}" for i in range(1, 21)]
    rng = np.random.default_rng(6)
    for name, ids in (("pre.xlsx", [int(c) for c in codes]), ("post.csv", codes)):
        frame = pd.DataFrame(
            {"participant_id": ids, **{f"ucla3_{k}": rng.integers(1, 4, 20) for k in (1, 2, 3)}}
        )
        if name.endswith(".xlsx"):
            frame.to_excel(tmp_path / name, index=False)
        else:
            frame.to_csv(tmp_path / name, index=False)
    evaluation = tmp_path / "evaluation.yaml"
    result = runner.invoke(
        app, ["init", str(tmp_path / "pre.xlsx"), str(tmp_path / "post.csv"),
              "--write-evaluation", str(evaluation)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "? 20 participant(s) are paired across waves only when leading zeros" in result.output
    written = yaml.safe_load(evaluation.read_text(encoding="utf-8"))
    assert written["ignore_id_zeros"] is True
    run_evaluation(evaluation, out_dir=tmp_path / "out")
    results = json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))
    assert [r["n_pairs"] for r in results["paired"]] == [20]


@pytest.mark.parametrize(
    ("values", "waves", "asks"),
    [
        # 'mid' says no place in time and comes before the post: not compared, and asked
        (["pre", "mid", "post"], {"pre": "pre", "post": "post"}, "'mid' not compared"),
        # after the post, it is a later wave
        (["pre", "post", "6 months"],
         {"pre": "pre", "post": "post", "followup": ["6 months"]}, "'6 months' as later"),
        # spellings that differ only in case are one wave, renamed to the commoner one
        (["pre", "post", "POST"], {"pre": "pre", "post": "post", "rename": {"POST": "post"}},
         None),
        # numbered time points in their order, whatever the rows' order
        (["T2", "T1", "T3"], {"pre": "T1", "post": "T2", "followup": ["T3"]}, None),
        (["followup", "post", "baseline"],
         {"pre": "baseline", "post": "post", "followup": ["followup"]}, None),
        # nothing said: first seen is the baseline, and the file asks
        (["a", "b"], {"pre": "a", "post": "b"}, "'a', 'b'"),
    ],
)  # fmt: skip
def test_a_long_files_waves_are_placed_by_what_they_say(
    runner, tmp_path, values: list[str], waves: dict[str, object], asks: str | None
) -> None:
    """Before, the waves of a long file went by first appearance: pre, mid, post made mid the
    post and post a follow-up, and the drafted file asked nothing."""
    import pandas as pd

    rows = [
        {"participant_id": f"P{i:02d}", "wave": wave, **{f"ucla3_{k}": 1 + (i + k) % 3
                                                          for k in (1, 2, 3)}}
        for wave in values
        for i in range(12)
    ]  # fmt: skip
    pd.DataFrame(rows).to_csv(tmp_path / "long.csv", index=False)
    evaluation = tmp_path / "evaluation.yaml"
    result = runner.invoke(
        app, ["init", str(tmp_path / "long.csv"), "--write-evaluation", str(evaluation)]
    )
    assert result.exit_code == 0, result.output
    text = evaluation.read_text(encoding="utf-8")
    assert yaml.safe_load(text)["waves"] == waves
    question = [line for line in text.splitlines() if "do not place every wave" in line]
    if asks is None:
        assert not question
        if "rename" in waves:
            assert "differ only in case are taken as one wave ('POST' as 'post'" in text
    else:
        assert len(question) == 1 and asks in question[0]


def test_a_redcap_labels_export_headed_by_question_text_is_drafted(runner, tmp_path) -> None:
    """A REDCap 'CSV (labels)' export heads its columns with the questions' text: init
    --instrument ucla3 found no block ('map it by hand'). Three consecutive columns answered
    in UCLA-3's own labels are now the block (in column order, asked about), and the events'
    labels are drafted without their arm, so run reads the file as written."""
    from stigma_outcomes.pipeline import run_evaluation

    shutil.copy(EXPORTS / "redcap_labels.csv", tmp_path / "redcap_labels.csv")
    evaluation = tmp_path / "evaluation.yaml"
    result = runner.invoke(
        app,
        ["init", str(tmp_path / "redcap_labels.csv"), "-i", "ucla3", "--write-mapping",
         str(tmp_path / "mapping.yaml"), "--write-evaluation", str(evaluation)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "3 consecutive columns answered in its labels, in column order" in result.output
    mapping = yaml.safe_load((tmp_path / "mapping.yaml").read_text(encoding="utf-8"))
    assert list(mapping["instruments"]["ucla3"]["columns"].values()) == [
        "...that you lack companionship?", "...left out?", "...isolated from others?",
    ]  # fmt: skip
    waves = yaml.safe_load(evaluation.read_text(encoding="utf-8"))["waves"]
    assert (waves["pre"], waves["post"]) == ("Baseline", "Post")
    run = run_evaluation(evaluation, out_dir=tmp_path / "out")
    results = json.loads(run.files["results_json"].read_text(encoding="utf-8"))
    assert [r["instrument"] for r in results["paired"]] == ["ucla3"]
