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
        "run.json",
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
    # the same report; its chart files are named after it (again.<chart>.svg)
    again = (tmp_path / "again.md").read_text().replace("](again.", "](report.")
    assert again == (out / "report.md").read_text()
    assert (tmp_path / "again.means-gbs.svg").read_bytes() == (
        out / "report.means-gbs.svg"
    ).read_bytes()


def test_evaluation_settings_reach_the_report(tmp_path: Path) -> None:
    import yaml

    ev = yaml.safe_load((SAMPLE / "evaluation.yaml").read_text())
    ev["data"] = [{**d, "path": str(SAMPLE / d["path"])} for d in ev["data"]]
    ev["mapping"] = str(SAMPLE / "mapping.yaml")
    ev["reliability"] = {"ismi29.total": 0.9}
    ev["privacy"] = {"min_cell": 11}
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


# --- issue 18: all-or-nothing runs, the manifest, and personal values in labels ---

import hashlib  # noqa: E402
import shutil  # noqa: E402

import yaml  # noqa: E402

from stigma_outcomes.errors import InputError, OutputError  # noqa: E402


def _project(tmp: Path, **changes: object) -> Path:
    """A copy of the sample project with evaluation settings changed; returns its file."""
    for name in ("qualtrics_pre.csv", "qualtrics_post.csv", "mapping.yaml"):
        shutil.copy(SAMPLE / name, tmp / name)
    settings = yaml.safe_load((SAMPLE / "evaluation.yaml").read_text(encoding="utf-8"))
    settings["report"]["formats"] = ["md"]
    settings.update(changes)
    path = tmp / "evaluation.yaml"
    path.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    return path


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize(
    "stage",
    [
        # the report fails after the scores and the ledger were written beside it
        "stigma_outcomes.report.render.start_report",
        # the comparison fails while they are still being written
        "stigma_outcomes.comparison.compare",
    ],
)
def test_a_failed_stage_leaves_the_previous_set_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stage: str
) -> None:
    evaluation = _project(tmp_path)
    out = tmp_path / "out"
    run_evaluation(evaluation, out)
    before = _snapshot(out)

    def broken(*_args: object, **_kwargs: object) -> None:
        raise InputError("the stage failed")

    monkeypatch.setattr(stage, broken)
    with pytest.raises(InputError) as caught:
        run_evaluation(evaluation, out)
    assert any("nothing of this run was written" in n for n in caught.value.__notes__)
    # Not one file of the new run: the old set, byte for byte, and no staging folder.
    assert _snapshot(out) == before


def test_a_failed_first_run_leaves_no_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from stigma_outcomes import report

    monkeypatch.setattr(report, "build_report", lambda *a, **k: (_ for _ in ()).throw(
        InputError("boom")))  # fmt: skip
    with pytest.raises(InputError):
        run_evaluation(_project(tmp_path), tmp_path / "new" / "out")
    assert not (tmp_path / "new").exists()


def test_a_failed_background_write_fails_the_run_and_leaves_the_previous_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The scores and the ledger are written on a second thread while the report is built:
    its failure is the run's error, and where the report fails too, a note on that one."""
    from stigma_outcomes import _io, report

    evaluation = _project(tmp_path)
    out = tmp_path / "out"
    run_evaluation(evaluation, out)
    before = _snapshot(out)
    real_write_table = _io.write_table

    def full_disk(frame: pd.DataFrame, path: Path, **kwargs: object) -> Path:
        if Path(path).name == "ledger.csv":
            raise OutputError("no space left on the device", where=str(path))
        return real_write_table(frame, path, **kwargs)

    monkeypatch.setattr(_io, "write_table", full_disk)
    with pytest.raises(OutputError, match="no space left"):
        run_evaluation(evaluation, out)
    assert _snapshot(out) == before

    monkeypatch.setattr(report.render, "start_report", lambda *a, **k: (_ for _ in ()).throw(
        InputError("the report stage failed")))  # fmt: skip
    with pytest.raises(InputError, match="the report stage failed") as caught:
        run_evaluation(evaluation, out)
    notes = caught.value.__notes__
    assert any("while writing in the background: no space left" in n for n in notes)
    assert _snapshot(out) == before


def test_compare_leaves_the_scores_it_reads_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``run`` writes the scores on a second thread while ``compare`` reads them: compare
    must not change the frame (values, column order, dtypes, categories)."""
    from stigma_outcomes import comparison

    real_compare = comparison.compare
    seen: list[pd.DataFrame] = []

    def checked(scores: pd.DataFrame, **kwargs: object) -> object:
        kept = scores.copy(deep=True)
        result = real_compare(scores, **kwargs)
        pd.testing.assert_frame_equal(scores, kept, check_exact=True, check_categorical=True)
        seen.append(scores)
        return result

    monkeypatch.setattr(comparison, "compare", checked)
    run_evaluation(SAMPLE / "evaluation.yaml", tmp_path / "out")
    assert len(seen) == 1 and len(seen[0]) > 0


def test_run_parses_its_exports_ahead_and_leaves_nothing_started(
    tmp_path: Path, read_ahead_log: dict[str, list]
) -> None:
    """The exports are parsed on another thread while the stages are imported, and each
    parse is taken by the reader (none is left, and none is parsed twice)."""
    from stigma_outcomes.ingest.formats import _started

    run_evaluation(_project(tmp_path), tmp_path / "out")
    assert read_ahead_log["started"] == [["qualtrics_post.csv", "qualtrics_pre.csv"]]
    assert sorted(read_ahead_log["parsed"]) == ["qualtrics_post.csv", "qualtrics_pre.csv"]
    assert not _started._STARTED


def test_manifest_lists_the_run_with_checksums_and_replaces_the_old_set(tmp_path: Path) -> None:
    evaluation = _project(tmp_path)
    out = tmp_path / "out"
    settings = yaml.safe_load(evaluation.read_text())
    settings["report"]["formats"] = ["html", "md"]
    evaluation.write_text(yaml.safe_dump(settings))
    run_evaluation(evaluation, out)
    assert (out / "report.html").exists()
    settings["report"]["formats"] = ["md"]
    evaluation.write_text(yaml.safe_dump(settings))
    run = run_evaluation(evaluation, out)
    manifest = json.loads((out / "run.json").read_text())
    files = manifest["files"]
    # The html of the previous run is gone: the folder holds exactly one run's set.
    charts = sorted(f for f in files if f.endswith(".svg"))
    rest = sorted(set(files) - set(charts))
    assert rest == ["evaluator_qa.txt", "ledger.csv", "report.md", "results.csv",
                    "results.json", "scores.csv"]  # fmt: skip
    # The Markdown report's charts are files beside it, part of the set, each referenced.
    md = (out / "report.md").read_text()
    assert charts and all(c.startswith("report.") and f"]({c})" in md for c in charts)
    assert sorted(p.name for p in out.iterdir()) == sorted([*files, "run.json"])
    for name, entry in files.items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == entry["sha256"]
    assert "qualtrics_pre.csv" in manifest["inputs"]
    assert run.files["manifest"] == out / "run.json"
    # Reports and results follow the umask; scores and ledger stay private.
    assert (out / "scores.csv").stat().st_mode & 0o077 == 0
    assert (out / "ledger.csv").stat().st_mode & 0o077 == 0
    assert (out / "evaluator_qa.txt").stat().st_mode & 0o077 == 0


def _plant(tmp: Path, column: str, value: str, rows: int = 1) -> None:
    """Give ``rows`` participants ``value`` in ``column`` of both exports."""
    codes = None
    for name in ("qualtrics_pre.csv", "qualtrics_post.csv"):
        path = tmp / name
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        data = frame.iloc[2:]
        if codes is None:
            codes = [c for c in data["pcode"] if c.startswith("SP-")][:rows]
        frame.loc[frame["pcode"].isin(codes), column] = value
        frame.to_csv(path, index=False)


def test_a_one_person_group_is_never_named_in_the_report(tmp_path: Path) -> None:
    evaluation = _project(tmp_path)
    _plant(tmp_path, "arm", "Jordan Planted-Name")
    out = tmp_path / "out"
    run_evaluation(evaluation, out)
    report = (out / "report.md").read_text()
    assert "Planted-Name" not in report and "Jordan" not in report


@pytest.mark.parametrize(
    ("column", "value"),
    [("site", "jordan.planted@example.org"), ("site", "+44 20 7946 0958"),
     ("arm", "https://example.org/jordan")],
)  # fmt: skip
def test_a_personal_value_in_a_label_refuses_the_grouping(
    tmp_path: Path, column: str, value: str
) -> None:
    evaluation = _project(tmp_path)
    _plant(tmp_path, column, value)
    out = tmp_path / "out"
    with pytest.raises(InputError, match="cannot group people") as caught:
        run_evaluation(evaluation, out)
    assert value not in str(caught.value)  # the message never repeats the value
    assert not out.exists()


@pytest.mark.parametrize("groups", ["pcode", "RecipientEmail"])
def test_an_identifying_grouping_column_is_refused(tmp_path: Path, groups: str) -> None:
    evaluation = _project(tmp_path, group_by=groups, carry=["site"])
    with pytest.raises(InputError, match=r"cannot group people|personal"):
        run_evaluation(evaluation, tmp_path / "out")
    assert not (tmp_path / "out").exists()


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


def test_alerts_go_to_an_evaluator_only_file_in_the_run_and_its_manifest(tmp_path: Path) -> None:
    """PHQ-9's self-harm item: every non-zero answer is in ``alerts.csv`` (private, the columns
    'score' writes), listed by the run and its manifest, and counted in the QA file."""
    from tests._phq9 import phq9_project

    from stigma_outcomes.scoring._ledger import ALERT_COLUMNS

    out = tmp_path / "out"
    run = run_evaluation(phq9_project(tmp_path, self_harm=17), out)
    export = pd.read_csv(tmp_path / "phq9.csv")
    assert run.summary["alerts"] == 17 == int((export["phq9_9"] > 0).sum())
    assert run.files["alerts"] == out / "alerts.csv"
    alerts = pd.read_csv(out / "alerts.csv")
    assert list(alerts.columns) == ALERT_COLUMNS
    assert len(alerts) == 17 and set(alerts["alert"]) == {"item9_any_positive"}
    assert sorted(alerts["value"]) == sorted(export.loc[export["phq9_9"] > 0, "phq9_9"])
    assert (out / "alerts.csv").stat().st_mode & 0o077 == 0
    files = json.loads((out / "run.json").read_text())["files"]
    digest = hashlib.sha256((out / "alerts.csv").read_bytes()).hexdigest()
    assert files["alerts.csv"]["sha256"] == digest
    qa = (out / "evaluator_qa.txt").read_text()
    assert "ALERT (follow up; never reported): 17 answer(s) met an alert rule" in qa
    assert "in alerts.csv beside this file" in qa
    assert "phq9 item9_any_positive, item 9: 17 (" in qa


def test_no_alert_reaches_an_output_meant_for_others(tmp_path: Path) -> None:
    from tests._phq9 import phq9_project

    out = tmp_path / "out"
    run = run_evaluation(phq9_project(tmp_path, formats=("pdf", "html", "md")), out)
    alerts = pd.read_csv(out / "alerts.csv", dtype=str)
    message = alerts["message"].iloc[0]
    funder = {
        name: (_pdf_text(path) if name == "report.pdf" else path.read_text())
        for name, path in ((p.name, p) for p in out.iterdir())
        if name.startswith(("report.", "results."))
    }
    assert {"report.pdf", "report.html", "report.md", "results.json", "results.csv"} <= set(funder)
    for name, text in funder.items():
        for leak in ("alert", "item9_any_positive", message[:40], "self-harm"):
            assert leak.lower() not in text.lower(), (name, leak)
        assert not any(pid in text for pid in set(alerts["participant_id"])), name
    assert run.files["alerts"].exists()


def test_a_rerun_without_alerts_writes_none_and_removes_the_older_file(tmp_path: Path) -> None:
    """As 'score': no alerts, no file; and the previous run's alerts do not outlive it."""
    from tests._phq9 import phq9_project

    out = tmp_path / "out"
    run_evaluation(phq9_project(tmp_path, self_harm=5), out)
    assert (out / "alerts.csv").exists()
    run = run_evaluation(phq9_project(tmp_path, self_harm=0), out)
    assert "alerts" not in run.files and run.summary["alerts"] == 0
    assert not (out / "alerts.csv").exists()
    assert "alerts.csv" not in json.loads((out / "run.json").read_text())["files"]
    qa = (out / "evaluator_qa.txt").read_text()
    assert "Alerts: none. No answer met an alert rule (phq9 item9_any_positive)" in qa
    assert "ALERT" not in qa


def test_a_failed_run_leaves_the_previous_alerts_file_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The alerts move with the rest of the set: a run that fails writes none of them."""
    from tests._phq9 import phq9_project

    out = tmp_path / "out"
    run_evaluation(phq9_project(tmp_path, self_harm=5), out)
    before = _snapshot(out)
    evaluation = phq9_project(tmp_path, self_harm=17)

    def broken(*_args: object, **_kwargs: object) -> None:
        raise InputError("the stage failed")

    # the report fails after the scores, the ledger and the alerts were written beside it
    monkeypatch.setattr("stigma_outcomes.report.render.start_report", broken)
    with pytest.raises(InputError):
        run_evaluation(evaluation, out)
    assert _snapshot(out) == before
