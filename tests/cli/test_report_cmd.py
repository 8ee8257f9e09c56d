"""``stigma-outcomes report``: renders from saved results; bad input → exit 2."""

from __future__ import annotations

import json
from pathlib import Path

from tests.report.conftest import ledger_fixture, results_with_small_group, scores_for
from typer.testing import CliRunner

from stigma_outcomes.cli.app import app

runner = CliRunner()


def test_report_from_saved_files(tmp_path: Path) -> None:
    results = results_with_small_group()
    (tmp_path / "results.json").write_text(json.dumps(results))
    scores_for(results).to_csv(tmp_path / "scores.csv", index=False)
    ledger_fixture().to_csv(tmp_path / "ledger.csv", index=False)
    out = tmp_path / "r" / "report.pdf"
    result = runner.invoke(
        app,
        [
            "report",
            str(tmp_path / "results.json"),
            "--scores",
            str(tmp_path / "scores.csv"),
            "--ledger",
            str(tmp_path / "ledger.csv"),
            "--out",
            str(out),
            "--md",
            str(tmp_path / "r" / "report.md"),
            "--html",
            str(tmp_path / "out.html"),
            "--min-cell",
            "11",
        ],
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:5] == b"%PDF-"
    md = out.with_suffix(".md").read_text()
    assert (tmp_path / "out.html").read_text().startswith("<!DOCTYPE html>")
    assert "<11" in md and "1 to 10 people" in md


def test_unreadable_results_is_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "results.json"
    bad.write_text("{not json")
    result = runner.invoke(app, ["report", str(bad), "--out", str(tmp_path / "r.pdf")])
    assert result.exit_code == 2 and "cannot read results file" in result.output


def test_several_results_files_are_reported_together(tmp_path: Path) -> None:
    results = results_with_small_group()
    first = {**results, "paired": results["paired"][:3]}
    second = {**results, "paired": results["paired"][3:], "attrition": [], "reliability": []}
    (tmp_path / "a.json").write_text(json.dumps(first))
    (tmp_path / "b.json").write_text(json.dumps(second))
    md = tmp_path / "both.md"
    result = runner.invoke(
        app,
        [
            "report",
            str(tmp_path / "a.json"),
            str(tmp_path / "b.json"),
            "--out",
            str(tmp_path / "both.pdf"),
            "--md",
            str(md),
        ],
    )
    assert result.exit_code == 0, result.output
    text = md.read_text()
    assert "Loneliness (UCLA-3)" in text and "General belongingness (GBS)" in text


def test_bad_language_code_is_exit_2(tmp_path: Path) -> None:
    (tmp_path / "results.json").write_text(json.dumps(results_with_small_group()))
    result = runner.invoke(
        app,
        [
            "report",
            str(tmp_path / "results.json"),
            "--out",
            str(tmp_path / "r.pdf"),
            "--lang",
            "english",
        ],
    )
    assert result.exit_code == 2 and "two-letter ISO 639-1 code" in result.output
    assert not (tmp_path / "r.pdf").exists()


def test_out_names_exactly_the_pdf_written(tmp_path: Path) -> None:
    # Before, --out adir (a folder) wrote adir.pdf, --out rr.txt rr.pdf and --out
    # results.json results.pdf, all with exit 0: files the user never named.
    results = tmp_path / "results.json"
    results.write_text(json.dumps(results_with_small_group()))
    (tmp_path / "adir").mkdir()
    cases = {
        "adir": "--out is a folder, not a file",
        "rr.txt": "e.g. --out " + str(tmp_path / "rr.pdf"),
        "results.json": "e.g. --out " + str(tmp_path / "results.pdf"),
        "report": "e.g. --out " + str(tmp_path / "report.pdf"),
    }
    for name, message in cases.items():
        result = runner.invoke(app, ["report", str(results), "--out", str(tmp_path / name)])
        assert result.exit_code == 2, result.output
        assert message in result.output and "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["adir", "results.json"]
    assert not any((tmp_path / "adir").iterdir())
