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
