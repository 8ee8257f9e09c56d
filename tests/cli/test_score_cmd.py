"""`stigma-outcomes score` end to end, and each error path."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from stigma_outcomes.cli.app import app

runner = CliRunner()
HEADER = "participant_id,site,ucla3_1,ucla3_2,ucla3_3"


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_score_writes_scores_ledger_and_prints_summary(tmp_path: Path) -> None:
    pre = _write(tmp_path / "pre.csv", f"{HEADER}\nA,north,Often,often ,3\nB,south,1,1,\n")
    post = _write(tmp_path / "post.csv", f"{HEADER}\nA,north,1,1,2\nB,south,1,9,1\n")
    out, ledger = tmp_path / "scores.csv", tmp_path / "ledger.csv"
    before = pre.read_bytes()
    result = runner.invoke(
        app,
        [
            "score",
            str(pre),
            str(post),
            "-i",
            "ucla3",
            "--wave",
            "pre",
            "--wave",
            "post",
            "--carry",
            "site",
            "--out",
            str(out),
            "--ledger",
            str(ledger),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "read 4 rows from 2 file(s)" in result.stdout
    assert "scored 4 rows; excluded 0" in result.stdout
    assert "insufficient items: 2" in result.stdout and "out of range: 1" in result.stdout
    scores = pd.read_csv(out)
    assert scores.columns.tolist()[:3] == ["participant_id", "wave", "site"]
    assert scores.set_index(["participant_id", "wave"])["score"].dropna().to_dict() == {
        ("A", "pre"): 9.0,
        ("A", "post"): 4.0,
    }
    problems = pd.read_csv(ledger)
    assert set(problems["problem"]) == {"insufficient_items", "out_of_range"}
    assert pre.read_bytes() == before  # inputs are never modified


def test_score_json_summary_and_strict(tmp_path: Path) -> None:
    pre = _write(tmp_path / "pre.csv", f"{HEADER}\nA,north,1,2,3\nB,south,1,x,3\n")
    out = tmp_path / "s.csv"
    result = runner.invoke(app, ["score", str(pre), "--out", str(out), "--json", "--strict"])
    assert result.exit_code == 1
    summary = json.loads(result.stdout)
    assert summary["rows_in"] == 2 and summary["problems"]["unknown_label"] == 1
    assert summary["scales"] == [
        {"instrument": "ucla3", "scale": "total", "n_ok": 1, "n_no_score": 1, "mean": 6.0}
    ]


def test_alerts_are_written_apart_for_the_evaluator(tmp_path: Path) -> None:
    import yaml
    from tests.scoring.toy import toy_definition

    definition = tmp_path / "toy.yaml"
    definition.write_text(yaml.safe_dump(toy_definition()))
    export = _write(tmp_path / "x.csv", "id,toy_1,toy_2,toy_3,toy_4,toy_5\nA,1,1,1,1,1\n")
    out = tmp_path / "scores.csv"
    result = runner.invoke(app, ["score", str(export), "-i", str(definition), "--out", str(out)])
    assert result.exit_code == 0, result.output
    alerts = pd.read_csv(tmp_path / "scores.alerts.csv")
    assert alerts["alert"].tolist() == ["strong_disagree_item1"]
    assert "never share this file" in result.stdout
    assert "alert" not in pd.read_csv(out).columns
    # scored again without an alert: the older alerts file goes with the older scores
    _write(export, "id,toy_1,toy_2,toy_3,toy_4,toy_5\nA,3,3,3,3,3\n")
    again = runner.invoke(app, ["score", str(export), "-i", str(definition), "--out", str(out)])
    assert again.exit_code == 0, again.output
    assert not (tmp_path / "scores.alerts.csv").exists()


def _error(tmp_path: Path, args: list[str]) -> str:
    result = runner.invoke(app, ["score", *args, "--out", str(tmp_path / "o.csv")])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "o.csv").exists()
    return result.stderr


def test_unknown_instrument(tmp_path: Path) -> None:
    export = _write(tmp_path / "x.csv", f"{HEADER}\nA,n,1,1,1\n")
    assert "did you mean 'ucla3'" in _error(tmp_path, [str(export), "-i", "ucla-3"])


def test_missing_item_columns(tmp_path: Path) -> None:
    export = _write(tmp_path / "x.csv", "participant_id,ucla3_1,ucla3_2,ucla_3\nA,1,1,1\n")
    message = _error(tmp_path, [str(export), "-i", "ucla3"])
    assert "no column for item(s) 3" in message and "ucla_3" in message


def test_empty_and_header_only_files(tmp_path: Path) -> None:
    empty = _write(tmp_path / "empty.csv", "")
    assert "empty" in _error(tmp_path, [str(empty), "-i", "ucla3"])
    header = _write(tmp_path / "header.csv", f"{HEADER}\n")
    assert "no data rows" in _error(tmp_path, [str(header), "-i", "ucla3"])


def test_duplicate_columns(tmp_path: Path) -> None:
    export = _write(tmp_path / "x.csv", "participant_id,ucla3_1,ucla3_1,ucla3_3\nA,1,1,1\n")
    assert "duplicate column name 'ucla3_1'" in _error(tmp_path, [str(export), "-i", "ucla3"])


def test_missing_file_and_bad_id_column(tmp_path: Path) -> None:
    assert "not found" in _error(tmp_path, [str(tmp_path / "nope.csv"), "-i", "ucla3"])
    export = _write(tmp_path / "x.csv", f"{HEADER}\nA,n,1,1,1\n")
    message = _error(tmp_path, [str(export), "--id-col", "participant"])
    assert "'participant' does not exist" in message and "participant_id" in message


def test_wave_and_wave_col_together(tmp_path: Path) -> None:
    export = _write(tmp_path / "x.csv", f"{HEADER}\nA,n,1,1,1\n")
    message = _error(tmp_path, [str(export), "--wave", "pre", "--wave-col", "site"])
    assert "cannot be used together" in message


def test_help_for_every_command() -> None:
    for args in (
        ["--help"],
        ["score", "--help"],
        ["instruments", "--help"],
        ["instruments", "list", "--help"],
        ["instruments", "show", "--help"],
        ["instruments", "validate", "--help"],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 0 and "Usage" in result.stdout


def test_id_key_file_pseudonymises_ids(tmp_path: Path) -> None:
    export = _write(tmp_path / "x.csv", f"{HEADER}\nSP-01,north,1,1,1\n")
    key = _write(tmp_path / "key.txt", "another-project-key-0123456789\n")
    out = tmp_path / "scores.csv"
    result = runner.invoke(
        app, ["score", str(export), "--id-key-file", str(key), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    ids = pd.read_csv(out)["participant_id"].tolist()
    assert len(ids) == 1 and ids[0].startswith("P-") and "SP-01" not in ids[0]


REAL = Path(__file__).parents[1] / "fixtures" / "real"


def test_an_export_of_previews_only_exits_2_naming_include_previews(tmp_path: Path) -> None:
    """Issue 13, point 12: every row set aside is said, not an empty scores file."""
    lines = (REAL / "qualtrics" / "handmade_2016_single_quoted.csv").read_text().splitlines()
    export = _write(tmp_path / "previews.csv", "\n".join([*lines[:3], lines[4]]) + "\n")
    out = tmp_path / "scores.csv"
    result = runner.invoke(
        app,
        ["score", str(export), "-i", "ucla3", "--id-col", "Q1", "--out", str(out)],
    )
    assert result.exit_code == 2, result.output
    assert "every row of this export was set aside (1 survey preview(s))" in result.output
    assert "--include-previews" in result.output
    assert not out.exists()


def test_row_number_ids_score_an_anonymous_export(tmp_path: Path) -> None:
    export = _write(
        tmp_path / "anon.csv",
        "Timestamp,ucla3_1,ucla3_2,ucla3_3\n9/8/2026 14:28:27,1,2,3\n9/8/2026 15:01:02,3,3,3\n",
    )
    refused = runner.invoke(app, ["score", str(export), "--out", str(tmp_path / "s.csv")])
    assert refused.exit_code == 2 and "--id-col @row" in refused.output
    out = tmp_path / "scores.csv"
    result = runner.invoke(app, ["score", str(export), "--id-col", "@row", "--out", str(out)])
    assert result.exit_code == 0, result.output
    scores = pd.read_csv(out)
    assert scores["participant_id"].tolist() == ["anon.csv#2", "anon.csv#3"]
    assert scores["score"].tolist() == [6, 9]


def test_no_items_writes_no_item_responses_and_removes_an_older_file(tmp_path: Path) -> None:
    pre = _write(tmp_path / "pre.csv", f"{HEADER}\nA,north,1,2,3\nB,south,2,2,2\n")
    out = tmp_path / "s.csv"
    items = tmp_path / "s.items.csv"
    first = runner.invoke(app, ["score", str(pre), "--out", str(out), "--json"])
    assert first.exit_code == 0, first.output
    assert json.loads(first.stdout)["outputs"]["items"] == str(items)
    assert pd.read_csv(items)["ucla3_2"].tolist() == [2, 2]
    second = runner.invoke(app, ["score", str(pre), "--out", str(out), "--json", "--no-items"])
    assert second.exit_code == 0, second.output
    assert json.loads(second.stdout)["outputs"]["items"] is None
    # The older run's item responses would not match the new scores: they are gone.
    assert not items.exists()
    assert pd.read_csv(out)["score"].tolist() == [6.0, 6.0]


def test_the_command_writes_the_bytes_the_api_writes_and_leaves_the_process_as_it_was(
    tmp_path: Path,
) -> None:
    """The read-ahead parse, the item responses written on a second thread and the paused
    collector change nothing in the files, and nothing outlives the command."""
    import gc

    import numpy as np

    from stigma_outcomes.ingest.formats import _started
    from stigma_outcomes.scoring import score

    rng = np.random.default_rng(7)
    answers = np.array(["1", "2", "3", "Often", "often ", "", "9", "Hardly ever"])
    cells = answers[rng.integers(0, len(answers), size=(3000, 3))]
    lines = [HEADER] + [
        f"P{i},{'north' if i % 3 else 'south'},{','.join(row)}" for i, row in enumerate(cells)
    ]
    export = _write(tmp_path / "pre.csv", "\n".join(lines) + "\n")
    (tmp_path / "cli").mkdir()
    (tmp_path / "api").mkdir()
    frozen = gc.get_freeze_count()
    result = runner.invoke(
        app,
        [
            "score",
            str(export),
            "-i",
            "ucla3",
            "--carry",
            "site",
            "--out",
            str(tmp_path / "cli/s.csv"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert gc.isenabled() and gc.get_freeze_count() == frozen
    assert not _started._STARTED
    scored = score([str(export)], ["ucla3"], carry=["site"])
    scored.write(tmp_path / "api/s.csv")
    scored.write_items(tmp_path / "api/s.items.csv")
    for name in ("s.csv", "s.items.csv"):
        assert (tmp_path / "cli" / name).read_bytes() == (tmp_path / "api" / name).read_bytes()
    failed = runner.invoke(
        app, ["score", str(export), "-i", "nope", "--out", str(tmp_path / "x.csv")]
    )
    assert failed.exit_code == 2
    assert gc.isenabled() and gc.get_freeze_count() == frozen
    assert not _started._STARTED


def test_objects_the_process_froze_stay_frozen(tmp_path: Path) -> None:
    import gc

    pre = _write(tmp_path / "pre.csv", f"{HEADER}\nA,north,1,2,3\n")
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        assert frozen > 0
        result = runner.invoke(app, ["score", str(pre), "--out", str(tmp_path / "s.csv")])
        assert result.exit_code == 0, result.output
        # Some frozen objects may have been freed meanwhile; none was unfrozen (that empties it).
        assert gc.get_freeze_count() > frozen // 2
    finally:
        gc.unfreeze()


def test_memory_is_handed_back_on_a_thread_of_its_own(monkeypatch) -> None:
    # The results are let go, and what Arrow's allocator freed and kept goes back to the
    # kernel, while the command ends: not on the command's own thread.
    import threading
    import weakref

    import pyarrow as pa

    from stigma_outcomes.cli import _common

    called: list[str] = []
    gone: list[str] = []

    class Pool:
        def release_unused(self) -> None:
            called.append(threading.current_thread().name)

    class Result:
        pass

    result = Result()
    weakref.finalize(result, lambda: gone.append(threading.current_thread().name))
    held = [result]
    del result
    monkeypatch.setattr(pa, "default_memory_pool", Pool)
    _common.hand_back_memory(held)
    assert held == []
    for thread in threading.enumerate():
        if thread.name == "hand-back":
            thread.join(10)
    assert called == ["hand-back"]
    assert gone == ["hand-back"]


def test_a_file_holding_two_waves_side_by_side_is_named_once_per_wave(tmp_path: Path) -> None:
    """Pre and post in one row (as the README shows): the file named for each wave, each
    wave's columns in its own mapping section; every participant scored at both waves. The
    mapping's wave sections name the instrument (it was refused without --instrument)."""
    wide = tmp_path / "wide.csv"
    wide.write_text(
        "id,Pre_L_1,Pre_L_2,Pre_L_3,Post_L_1,Post_L_2,Post_L_3\n"
        "A,1,2,3,1,1,2\nB,3,3,3,2,2,2\nC,2,2,2,1,2,1\n",
        encoding="utf-8",
    )
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(
        "id_col: id\nwaves:\n"
        '  pre:  {instruments: {ucla3: {pattern: "Pre_L_{item}"}}}\n'
        '  post: {instruments: {ucla3: {pattern: "Post_L_{item}"}}}\n',
        encoding="utf-8",
    )
    out = tmp_path / "scores.csv"
    result = runner.invoke(
        app, ["score", str(wide), str(wide), "--wave", "pre", "--wave", "post",
              "--map", str(mapping), "-o", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    scores = pd.read_csv(out, dtype={"participant_id": str})
    table = scores.pivot_table(index="participant_id", columns="wave", values="score")
    assert table.to_dict() == {"pre": {"A": 6, "B": 9, "C": 6}, "post": {"A": 4, "B": 6, "C": 4}}


def test_an_instrument_not_asked_at_a_wave_is_said_and_is_no_data_problem(tmp_path: Path) -> None:
    """GAD-7 asked at 'pre' only in a long export: said once, not counted among the data
    problems, and --strict does not fail on it (a design fact, not an error in the data)."""
    gad7 = ",".join(f"gad7_{i}" for i in range(1, 8))
    lines = [f"id,wave,ucla3_1,ucla3_2,ucla3_3,{gad7}"]
    for person in "abc":
        lines.append(f"{person},pre,1,2,3," + ",".join(["1"] * 7))
        lines.append(f"{person},post,2,2,2," + ",".join([""] * 7))
    export = _write(tmp_path / "long.csv", "\n".join(lines) + "\n")
    out = tmp_path / "scores.csv"
    args = ["score", str(export), "--wave-col", "wave", "-o", str(out), "--strict"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "not asked (nobody answered it at that wave; no score there): gad7 at post" in (
        result.output
    )
    assert "data problems" not in result.output
    summary = json.loads(runner.invoke(app, [*args, "--json"]).output)
    assert summary["not_asked"] == [{"instrument": "gad7", "wave": "post"}]
    assert summary["problems"] == {}


def test_a_bad_size_limit_in_the_environment_is_exit_2(tmp_path: Path) -> None:
    # Before: ValueError traceback, exit 1 (the variable was read at import time).
    export = tmp_path / "pre.csv"
    export.write_text("pid,ucla3_1,ucla3_2,ucla3_3\na,1,2,3\n")
    for value in ("0.01x", "-5", ""):
        result = runner.invoke(
            app,
            ["score", str(export), "--id-col", "pid", "-o", str(tmp_path / "s.csv")],
            env={"STIGMA_OUTCOMES_MAX_INPUT_MB": value},
        )
        assert result.exit_code == 2, result.output
        assert "STIGMA_OUTCOMES_MAX_INPUT_MB" in result.output
        assert "Traceback" not in result.output
    assert not (tmp_path / "s.csv").exists()


REDCAP_REPEATING = (
    "record_id,redcap_event_name,redcap_repeat_instrument,redcap_repeat_instance,"
    "ucla3_1,ucla3_2,ucla3_3,loneliness_complete\n"
    "1001,baseline_arm_1,,,1,2,2,2\n"
    "1001,followup_arm_1,loneliness,1,1,1,1,2\n"
    "1001,followup_arm_1,loneliness,2,2,2,1,2\n"
    "1002,baseline_arm_1,,,3,3,3,2\n"
    "1002,followup_arm_1,loneliness,1,2,2,2,2\n"
    "1002,followup_arm_1,loneliness,2,1,2,3,2\n"
)


def test_repeat_instances_as_waves_is_a_note_not_a_data_problem(tmp_path: Path) -> None:
    """A clean REDCap export with a repeating instrument: the ledger's note on how the
    instances became waves is listed as a note, and --strict passes (before: counted among
    'data problems', exit 1)."""
    export = _write(tmp_path / "rc.csv", REDCAP_REPEATING)
    ledger = tmp_path / "ledger.csv"
    args = ["score", str(export), "--wave-col", "redcap_event_name", "-o",
            str(tmp_path / "s.csv"), "--ledger", str(ledger), "--strict"]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "notes on the export's layout" in result.output
    assert "repeat instances as waves: 1" in result.output
    assert "data problems" not in result.output
    assert pd.read_csv(ledger)["problem"].tolist() == ["repeat_instances_as_waves"]
    summary = json.loads(runner.invoke(app, [*args, "--json"]).output)
    assert summary["problems"] == {}
    assert summary["notes"] == {"repeat_instances_as_waves": 1}


def test_strict_still_fails_on_a_data_problem_beside_a_note(tmp_path: Path) -> None:
    export = _write(
        tmp_path / "rc.csv",
        REDCAP_REPEATING.replace("1001,baseline_arm_1,,,1,", "1001,baseline_arm_1,,,9,"),
    )
    args = ["score", str(export), "--wave-col", "redcap_event_name", "-o",
            str(tmp_path / "s.csv"), "--strict"]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.output
    assert "repeat instances as waves: 1" in result.output
    assert "data problems" in result.output and "out of range: 1" in result.output
