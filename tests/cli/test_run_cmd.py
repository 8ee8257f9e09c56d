"""``stigma-outcomes run`` and ``demo``: outputs written, bad input → exit 2 and one message."""

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


def test_demo_writes_the_report(tmp_path: Path) -> None:
    result = runner.invoke(app, ["demo", "--out", str(tmp_path / "demo")])
    assert result.exit_code == 0, result.output
    assert f"The report is at {tmp_path / 'demo' / 'report.pdf'}" in result.output
    assert (tmp_path / "demo" / "report.pdf").read_bytes()[:5] == b"%PDF-"
    assert "excluded (survey preview): 1" in result.output
