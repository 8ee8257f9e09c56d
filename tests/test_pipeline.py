"""End to end on the shipped sample: real computed results, real PDF, privacy, reproducibility."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from stigma_outcomes.pipeline import run_evaluation, sample_data_dir

SAMPLE = sample_data_dir()


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The sample run twice: once through ``stigma-outcomes demo``, once through the API."""
    from typer.testing import CliRunner

    from stigma_outcomes.cli.app import app

    demo = tmp_path_factory.mktemp("demo")
    result = CliRunner().invoke(app, ["demo", "--out", str(demo)])
    assert result.exit_code == 0, result.output
    assert f"The report is at {demo / 'report.pdf'}" in result.output
    assert "excluded (survey preview): 1" in result.output
    second = run_evaluation(SAMPLE / "evaluation.yaml", tmp_path_factory.mktemp("run2"))
    return demo, second.out_dir


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages))


def test_two_runs_give_identical_outputs(runs: tuple[Path, Path]) -> None:
    a, b = runs
    for name in (
        "results.json",
        "results.csv",
        "scores.csv",
        "ledger.csv",
        "report.pdf",
        "report.html",
        "report.md",
    ):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_pdf_numbers_are_the_computed_results(runs: tuple[Path, Path]) -> None:
    out = runs[0]
    results = json.loads((out / "results.json").read_text())
    text = _pdf_text(out / "report.pdf")
    html = (out / "report.html").read_text()
    whole = [r for r in results["paired"] if r["group"] is None and r["scale"] == "total"]
    assert {r["instrument"] for r in whole} == {"ucla3", "ismi29", "gbs"}
    for rec in whole:
        dec = 1 if rec["instrument"] == "never" else 2
        for value in (rec["pre_mean"], rec["post_mean"]):
            assert f"{value:.{dec}f}" in text and f"{value:.{dec}f}" in html
        assert f"among {rec['n_pairs']} participants" in text


def test_personal_values_never_reach_outputs_meant_for_others(runs: tuple[Path, Path]) -> None:
    out = runs[0]
    raw = pd.read_csv(
        SAMPLE / "qualtrics_pre.csv", skiprows=[1, 2], dtype=str, keep_default_na=False
    )
    planted = set()
    for col in (
        "RecipientEmail",
        "IPAddress",
        "RecipientLastName",
        "ExternalReference",
        "ResponseId",
    ):
        planted |= {v for v in raw[col] if len(v) > 5}
    codes = {v for v in raw["pcode"] if v.startswith("SP-")}
    shared = [
        _pdf_text(out / "report.pdf"),
        (out / "report.html").read_text(),
        (out / "report.md").read_text(),
        (out / "results.json").read_text(),
        (out / "results.csv").read_text(),
    ]
    for text in shared:
        low = text.lower()
        assert not [v for v in planted if v.lower() in low]
        assert not [c for c in codes if c.lower() in low]


def test_inputs_are_not_modified(runs: tuple[Path, Path]) -> None:
    from importlib import util

    spec = util.spec_from_file_location("gen", SAMPLE / "generate.py")
    assert spec and spec.loader
    gen = util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    import tempfile

    fresh = gen.generate(Path(tempfile.mkdtemp()))
    for name, path in fresh.items():
        assert (SAMPLE / name).read_bytes() == path.read_bytes(), name


def test_report_states_design_and_flow(runs: tuple[Path, Path]) -> None:
    text = _pdf_text(runs[0] / "report.pdf")
    assert "A comparison group was analysed" in text
    assert "did not answer the post survey" in text
    assert "Reliable improvement" in text and "reliable deterioration" in text


def test_report_from_saved_outputs_matches_the_run(runs: tuple[Path, Path], tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from stigma_outcomes.cli.app import app

    out = runs[0]
    args = [
        "report",
        str(out / "results.json"),
        "--scores",
        str(out / "scores.csv"),
        "--ledger",
        str(out / "ledger.csv"),
        "--out",
        str(tmp_path / "again.pdf"),
        "--md",
        str(tmp_path / "again.md"),
        "--title",
        "Peer Connect outcome report",
        "--program",
        "Peer Connect peer-support groups (synthetic sample)",
        "--period",
        "March to June 2025",
        "--author",
        "Peer Connect evaluation team",
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "again.md").read_text() == (out / "report.md").read_text()


def test_evaluation_settings_reach_the_report(tmp_path: Path) -> None:
    import yaml

    ev = yaml.safe_load((SAMPLE / "evaluation.yaml").read_text())
    ev["data"] = [{**d, "path": str(SAMPLE / d["path"])} for d in ev["data"]]
    ev["mapping"] = str(SAMPLE / "mapping.yaml")
    ev["reliability"] = {"ismi29.total": 0.9}
    ev["privacy"] = {"threshold": 11}
    ev["report"]["formats"] = ["md"]
    run = run_evaluation(ev, tmp_path)
    assert sorted(p for p in run.files if p.startswith("report")) == ["report_md"]
    md = (tmp_path / "report.md").read_text()
    assert "<11" in md and "1 to 10 people" in md
    rci = next(
        line
        for line in md.splitlines()
        if line.startswith("| ISMI-29 · ISMI total (29") and "baseline sample SD" in line
    )
    assert "| 0.90 |" in rci


def test_instruments_named_by_path_are_scored_compared_and_reported(tmp_path: Path) -> None:
    """A definition file named in the evaluation file (relative to it) is read once, by its id."""
    import shutil

    import yaml

    from stigma_outcomes.instruments import builtin_dir

    (tmp_path / "defs").mkdir()
    shutil.copy(builtin_dir() / "ucla3.yaml", tmp_path / "defs" / "ucla3.yaml")
    ev = yaml.safe_load((SAMPLE / "evaluation.yaml").read_text())
    ev["data"] = [{**d, "path": str(SAMPLE / d["path"])} for d in ev["data"]]
    ev["mapping"] = str(SAMPLE / "mapping.yaml")
    ev["instruments"] = ["defs/ucla3.yaml", "gbs"]
    ev["report"]["formats"] = ["md"]
    ev_file = tmp_path / "evaluation.yaml"
    ev_file.write_text(yaml.safe_dump(ev), encoding="utf-8")
    run_evaluation(ev_file, tmp_path / "out")
    scores = pd.read_csv(tmp_path / "out" / "scores.csv")
    assert set(scores["instrument"]) == {"ucla3", "gbs"}
    results = json.loads((tmp_path / "out" / "results.json").read_text())
    assert {r["instrument"] for r in results["paired"]} == {"ucla3", "gbs"}
