"""``stigma-outcomes run``: bad input → exit 2 and one message.

The successful path (``demo``, which runs the same pipeline) is tested end to end in
``tests/test_pipeline.py``.
"""

from __future__ import annotations

import warnings
from pathlib import Path

from typer.testing import CliRunner

from stigma_outcomes.cli.app import app

runner = CliRunner()


def test_bad_evaluation_file_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "evaluation.yaml"
    path.write_text("data: [{path: missing.csv, wave: pre}]\ninstruments: [ucla3]\n")
    result = runner.invoke(app, ["run", str(path)])
    assert result.exit_code == 2
    assert "data file not found: missing.csv" in result.output
    assert "Traceback" not in result.output


def test_missing_evaluation_file(tmp_path: Path) -> None:
    result = runner.invoke(app, ["run", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2 and "evaluation file not found" in result.output


def test_run_redcap_sample_prints_json(tmp_path: Path) -> None:
    import json

    from stigma_outcomes.pipeline import sample_data_dir

    evaluation = sample_data_dir() / "evaluation_redcap.yaml"
    result = runner.invoke(app, ["run", str(evaluation), "--out", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["summary"]["rows_in"] == 142
    assert set(payload["files"]) >= {"report_pdf", "results_json", "scores", "ledger"}
    results = json.loads((tmp_path / "results.json").read_text())
    assert {r["to_wave"] for r in results["paired"]} == {"post", "follow-up"}
    assert results["mixed_models"]
    md = (tmp_path / "report.md").read_text()
    assert "From baseline to follow-up" in md and "mixed model" in md
    # Names and e-mails in the REDCap export are flagged identifiers: never in the report.
    assert "@example.org" not in md and "@example.org" not in result.stdout


def test_redcap_renamed_waves_reach_in_sample_reliability(tmp_path: Path) -> None:
    import json

    from stigma_outcomes.pipeline import sample_data_dir

    evaluation = sample_data_dir() / "evaluation_redcap.yaml"
    result = runner.invoke(app, ["run", str(evaluation), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    reliability = json.loads((tmp_path / "results.json").read_text())["reliability"]
    baseline = [r for r in reliability if r["wave"] == "baseline"]
    # 60 people answered at baseline; every scale has item answers from most of them.
    assert baseline and all(r["n"] >= 40 for r in baseline)


def test_outputs_never_overwrite_inputs(tmp_path: Path) -> None:
    data = tmp_path / "scores.csv"
    data.write_text("participant_id,ucla3_1,ucla3_2,ucla3_3\nA,1,2,3\n")
    path = tmp_path / "evaluation.yaml"
    path.write_text("data: [{path: scores.csv, wave: pre}]\ninstruments: [ucla3]\noutput: .\n")
    result = runner.invoke(app, ["run", str(path)])
    assert result.exit_code == 2 and "would overwrite an input file: scores.csv" in result.output
    assert data.read_text().startswith("participant_id,ucla3_1")


# --- the files' old spellings (id_column, wave_column, groups, privacy.threshold) ---


def _redcap_project(folder: Path, old: bool) -> Path:
    """The REDCap sample's evaluation and a mapping, spelled the old or the new way."""
    import yaml

    from stigma_outcomes.pipeline import sample_data_dir

    sample = sample_data_dir()
    settings = yaml.safe_load((sample / "evaluation_redcap.yaml").read_text(encoding="utf-8"))
    (entry,) = settings["data"]
    entry["path"] = str(sample / entry["path"])
    entry["dictionary"] = str(sample / entry["dictionary"])
    settings["report"]["formats"] = ["md"]
    mapping = {"id_col": "record_id", "files": {"redcap_longitudinal.csv": {"id_col": "record_id"}}}
    if old:
        entry["wave_column"] = entry.pop("wave_col")
        settings["id_column"] = settings.pop("id_col")
        settings["privacy"] = {"threshold": settings["privacy"].pop("min_cell")}
        mapping = {"id_column": "record_id",
                   "files": {"redcap_longitudinal.csv": {"id_column": "record_id"}}}  # fmt: skip
    (folder / "mapping.yaml").write_text(yaml.safe_dump(mapping), encoding="utf-8")
    settings["mapping"] = "mapping.yaml"
    path = folder / "evaluation.yaml"
    path.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    return path


def test_a_file_with_the_old_spellings_runs_with_identical_outputs(tmp_path: Path) -> None:
    outputs = []
    for old in (False, True):
        folder = tmp_path / ("old" if old else "new")
        folder.mkdir()
        evaluation = _redcap_project(folder, old)
        assert ("id_column" in evaluation.read_text()) is old
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = runner.invoke(app, ["run", str(evaluation), "--out", str(folder / "out")])
        assert result.exit_code == 0, result.output
        said = {
            str(w.message).split("'")[1]
            for w in caught
            if issubclass(w.category, DeprecationWarning)
        }
        assert said == ({"id_column", "wave_column", "threshold"} if old else set()), said
        outputs.append(folder / "out")
    new, old_out = outputs
    for name in ("results.json", "results.csv", "scores.csv", "ledger.csv", "report.md"):
        assert (new / name).read_bytes() == (old_out / name).read_bytes(), name


def test_both_spellings_in_one_file_are_one_clear_error(tmp_path: Path) -> None:
    import yaml

    evaluation = _redcap_project(tmp_path, old=False)
    settings = yaml.safe_load(evaluation.read_text(encoding="utf-8"))
    cases = [
        ({**settings, "id_column": "other"}, None, "give 'id_col' or its old name 'id_column'"),
        (
            {**settings, "data": [{**settings["data"][0], "wave_column": "event"}]},
            None,
            "field 'data.0': give 'wave_col' or its old name 'wave_column', not both",
        ),
        (
            {**settings, "privacy": {"min_cell": 5, "threshold": 7}},
            None,
            "field 'privacy': give 'min_cell' or its old name 'threshold', not both",
        ),
        (
            settings,
            {"id_col": "record_id", "id_column": "pcode"},
            "invalid mapping: give 'id_col' or its old name 'id_column', not both",
        ),
        (
            settings,
            {"files": {"a.csv": {"wave_col": "w", "wave_column": "event"}}},
            "invalid mapping field files.a.csv: give 'wave_col' or its old name 'wave_column'",
        ),
    ]
    for content, mapping, message in cases:
        evaluation.write_text(yaml.safe_dump(content), encoding="utf-8")
        if mapping is not None:
            (tmp_path / "mapping.yaml").write_text(yaml.safe_dump(mapping), encoding="utf-8")
        result = runner.invoke(app, ["run", str(evaluation), "--out", str(tmp_path / "out")])
        assert result.exit_code == 2, result.output
        assert message in result.output, result.output
        assert not (tmp_path / "out").exists()


def test_the_command_line_notes_an_old_name_once(tmp_path: Path) -> None:
    """Python hides DeprecationWarnings outside __main__; the console entry point says them
    as one-line notes on standard error, so a user learns the file's new spelling."""
    import subprocess
    import sys

    from stigma_outcomes.pipeline import sample_data_dir

    sample = sample_data_dir()
    evaluation = tmp_path / "evaluation.yaml"
    text = (sample / "evaluation.yaml").read_text(encoding="utf-8")
    evaluation.write_text(text.replace("id_col:", "id_column:"), encoding="utf-8")
    for name in ("qualtrics_pre.csv", "qualtrics_post.csv", "mapping.yaml"):
        (tmp_path / name).write_bytes((sample / name).read_bytes())
    code = "from stigma_outcomes.cli.app import main; main()"
    done = subprocess.run(
        [sys.executable, "-c", code, "run", str(evaluation), "--out", str(tmp_path / "out")],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    notes = [line for line in done.stderr.splitlines() if line.startswith("note: ")]
    assert notes == ["note: 'id_column' is the old name of 'id_col'; it still works but will go"]
    assert "DeprecationWarning" not in done.stderr


def test_run_starts_reading_the_exports_before_the_pipeline_loads(
    tmp_path: Path, read_ahead_log: dict[str, list]
) -> None:
    """The command hands the exports its evaluation file names to the read-ahead before it
    imports the pipeline; each is parsed once, taken by the reader, and none is left."""
    import shutil

    from stigma_outcomes.ingest.formats import _started
    from stigma_outcomes.pipeline import sample_data_dir

    sample = sample_data_dir()
    for name in ("qualtrics_pre.csv", "qualtrics_post.csv", "mapping.yaml", "evaluation.yaml"):
        shutil.copy(sample / name, tmp_path / name)
    result = runner.invoke(
        app, ["run", str(tmp_path / "evaluation.yaml"), "-o", str(tmp_path / "o")]
    )
    assert result.exit_code == 0, result.output
    # the command's start, then run_evaluation's own (which finds both already started)
    assert read_ahead_log["started"] == [["qualtrics_post.csv", "qualtrics_pre.csv"]] * 2
    assert sorted(read_ahead_log["parsed"]) == ["qualtrics_post.csv", "qualtrics_pre.csv"]
    assert not _started._STARTED


def test_an_unreadable_evaluation_file_is_the_loaders_one_error(tmp_path: Path) -> None:
    """Looking for the exports first changes no error: bad YAML is still one message."""
    path = tmp_path / "evaluation.yaml"
    path.write_text("data: [unclosed\n")
    import pytest

    from stigma_outcomes.errors import InputError
    from stigma_outcomes.evaluation import load_evaluation

    with pytest.raises(InputError) as loading:
        load_evaluation(path)
    result = runner.invoke(app, ["run", str(path)])
    assert result.exit_code == 2
    assert result.output == f"error: {loading.value}\n"


# --- item-level alerts (PHQ-9's self-harm item): the evaluator is told, the file is private ---


def test_run_says_how_many_alerts_and_where_as_score_does(tmp_path: Path) -> None:
    from tests._phq9 import phq9_project

    evaluation = phq9_project(tmp_path, self_harm=17)
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(evaluation), "--out", str(out)])
    assert result.exit_code == 0, result.output
    said = f"17 alert(s) for the evaluator only: {out / 'alerts.csv'} — never share this file."
    assert said in result.stdout
    assert f"  alerts        {out / 'alerts.csv'}" in result.stdout
    # 'score' on the same export says the same count of the same file's rows.
    scored = runner.invoke(
        app, ["score", str(tmp_path / "phq9.csv"), "-i", "phq9", "--out", str(tmp_path / "s.csv")]
    )
    assert scored.exit_code == 0, scored.output
    assert "17 alert(s) for the evaluator only" in scored.stdout
    import pandas as pd

    by_run, by_score = pd.read_csv(out / "alerts.csv"), pd.read_csv(tmp_path / "s.alerts.csv")
    assert list(by_run.columns) == list(by_score.columns)
    assert len(by_run) == len(by_score) == 17


def test_run_json_lists_the_alerts_file(tmp_path: Path) -> None:
    import json

    from tests._phq9 import phq9_project

    evaluation = phq9_project(tmp_path, self_harm=3)
    result = runner.invoke(app, ["run", str(evaluation), "--out", str(tmp_path / "o"), "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["summary"]["alerts"] == 3
    assert payload["files"]["alerts"] == str(tmp_path / "o" / "alerts.csv")


def test_run_without_alerts_says_nothing_of_them(tmp_path: Path) -> None:
    from tests._phq9 import phq9_project

    evaluation = phq9_project(tmp_path, self_harm=0)
    result = runner.invoke(app, ["run", str(evaluation), "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    assert "alert(s)" not in result.stdout and "alerts.csv" not in result.stdout
    assert not (tmp_path / "o" / "alerts.csv").exists()
