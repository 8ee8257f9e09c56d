"""``stigma-outcomes run``: bad input → exit 2 and one message.

The successful path (``demo``, which runs the same pipeline) is tested end to end in
``tests/test_pipeline.py``.
"""

from __future__ import annotations

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
