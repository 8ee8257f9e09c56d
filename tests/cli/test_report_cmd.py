"""``stigma-outcomes report``: renders from saved results; bad input → exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
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


@pytest.mark.parametrize("code", ["english", "fr"])
def test_a_language_the_report_is_not_written_in_is_exit_2(tmp_path: Path, code: str) -> None:
    """The report's text is English: 'fr' would mark English text as French for screen
    readers (before, it was accepted and only the documents' language tag changed)."""
    (tmp_path / "results.json").write_text(json.dumps(results_with_small_group()))
    result = runner.invoke(
        app,
        ["report", str(tmp_path / "results.json"), "--out", str(tmp_path / "r.pdf"),
         "--lang", code],
    )  # fmt: skip
    assert result.exit_code == 2 and "written in English only: use 'en'" in result.output
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


@pytest.mark.parametrize(
    ("option", "name", "says"),
    [("--html", "report.pdf", "e.g. --html {}/report.html"),
     ("--md", "notes.txt", "e.g. --md {}/notes.md"),
     ("--html", "adir", "--html is a folder, not a file")],
)  # fmt: skip
def test_html_and_md_name_exactly_the_file_written(
    tmp_path: Path, option: str, name: str, says: str
) -> None:
    """Before, --html and --md wrote whatever name they were given: --html report.pdf wrote
    HTML into a file named .pdf."""
    results = tmp_path / "results.json"
    results.write_text(json.dumps(results_with_small_group()))
    (tmp_path / "adir").mkdir()
    out = tmp_path / "r.pdf"
    result = runner.invoke(
        app, ["report", str(results), "--out", str(out), option, str(tmp_path / name)]
    )
    assert result.exit_code == 2, result.output
    assert says.format(tmp_path) in result.output and "Traceback" not in result.output
    assert not out.exists() and not (tmp_path / name).is_file()


# --- the evaluator-only QA file: beside the report, private, and on the terminal ---


def _saved(tmp_path: Path) -> list[str]:
    """The saved results, scores and ledger of the small-group fixture, as arguments."""
    results = results_with_small_group()
    (tmp_path / "results.json").write_text(json.dumps(results))
    scores_for(results).to_csv(tmp_path / "scores.csv", index=False)
    ledger_fixture().to_csv(tmp_path / "ledger.csv", index=False)
    return [str(tmp_path / "results.json"), "--scores", str(tmp_path / "scores.csv"),
            "--ledger", str(tmp_path / "ledger.csv"), "--min-cell", "11"]  # fmt: skip


def test_the_cells_the_audit_hid_go_to_a_qa_file_beside_the_report(tmp_path: Path) -> None:
    out = tmp_path / "r" / "report.pdf"
    md = tmp_path / "r" / "report.md"
    result = runner.invoke(app, ["report", *_saved(tmp_path), "--out", str(out), "--md", str(md)])
    assert result.exit_code == 0, result.output
    qa = tmp_path / "r" / "report.evaluator_qa.txt"
    assert f"evaluator_qa: {qa}" in result.stdout
    assert qa.stat().st_mode & 0o077 == 0  # evaluator only, as run's
    text = qa.read_text()
    audit = next(line for line in text.splitlines() if line.startswith("Disclosure audit:"))
    assert "threshold 11" in audit and " 0 hidden to protect" not in audit
    hidden = [line.split(": ", 1)[1] for line in text.splitlines() if "hidden to protect a" in line]
    assert hidden
    # On the terminal (stderr: stdout lists the files), and never in the report itself.
    assert audit in result.stderr
    report = md.read_text()
    assert audit not in report and not any(key in report for key in hidden)
    assert "Disclosure audit:" not in result.stdout


def test_the_qa_file_goes_where_qa_says_and_the_run_folder_keeps_its_own(tmp_path: Path) -> None:
    """Re-rendering a report inside a run's folder never replaces the run's QA file (which
    also counts the run's alerts); --qa chooses another place, checked like every output."""
    run_qa = tmp_path / "evaluator_qa.txt"
    run_qa.write_text("the run's own QA, with its alerts\n")
    args = [*_saved(tmp_path), "--out", str(tmp_path / "report.pdf")]
    result = runner.invoke(app, ["report", *args])
    assert result.exit_code == 0, result.output
    assert run_qa.read_text() == "the run's own QA, with its alerts\n"
    assert (tmp_path / "report.evaluator_qa.txt").exists()
    chosen = tmp_path / "qa" / "checks.txt"
    result = runner.invoke(app, ["report", *args, "--qa", str(chosen)])
    assert result.exit_code == 0, result.output
    assert chosen.read_text().startswith("Evaluator-only quality checks")
    refused = runner.invoke(app, ["report", *args, "--qa", str(tmp_path / "scores.csv")])
    assert refused.exit_code == 2 and "Traceback" not in refused.output
