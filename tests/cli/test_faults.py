"""Faults are clean errors and leave no partial outputs (issue 18): a full disk, an
interrupt, a terminated run, an output pointed at an input, two outputs on one path."""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stigma_outcomes.cli.app import app
from stigma_outcomes.pipeline import sample_data_dir

runner = CliRunner()
SAMPLE = sample_data_dir()
CLI = [sys.executable, "-c", "from stigma_outcomes.cli.app import main; main()"]


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def previous(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A complete demo run: the set a failed rerun must leave untouched."""
    out = tmp_path_factory.mktemp("previous") / "out"
    result = runner.invoke(app, ["demo", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def _copy(previous: Path, tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    out = tmp_path / "out"
    shutil.copytree(previous, out)
    return out, _snapshot(out)


@pytest.mark.slow
def test_a_full_disk_is_a_clean_error_and_keeps_the_old_set(previous: Path, tmp_path: Path) -> None:
    out, before = _copy(previous, tmp_path)

    def small_disk() -> None:
        # Files may grow to 200 KB (scores.csv needs 400 KB); writing past that fails with
        # EFBIG ("File too large") once SIGXFSZ is ignored, as on a full disk.
        resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)

    done = subprocess.run(
        [*CLI, "demo", "--out", str(out)], capture_output=True, text=True, preexec_fn=small_disk,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}, timeout=300,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert "File too large" in done.stderr and "file-size limit" in done.stderr
    assert "nothing of this run was written" in done.stderr
    assert _snapshot(out) == before


@pytest.mark.slow
def test_sigterm_mid_run_leaves_no_partial_files(previous: Path, tmp_path: Path) -> None:
    out, before = _copy(previous, tmp_path)
    proc = subprocess.Popen(
        [*CLI, "demo", "--out", str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    # Wait until the run is writing (its staging folder exists), then terminate it.
    while time.monotonic() < deadline and proc.poll() is None:
        if any(p.name.startswith(".stigma-outcomes-") for p in out.iterdir()):
            proc.send_signal(signal.SIGTERM)
            break
        time.sleep(0.005)
    _, stderr = proc.communicate(timeout=120)
    if proc.returncode == 0:
        pytest.skip("the run finished before it could be terminated")
    assert proc.returncode == 143, stderr
    assert "Traceback" not in stderr and "terminated" in stderr
    assert _snapshot(out) == before


def test_ctrl_c_exits_130_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from stigma_outcomes import report

    def interrupted(*_a: object, **_k: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(report.render, "start_report", interrupted)
    out = tmp_path / "out"
    result = runner.invoke(app, ["demo", "--out", str(out)])
    assert result.exit_code == 130
    assert "interrupted" in result.output and "nothing of this run was written" in result.output
    assert not out.exists()


def _scores(previous: Path, tmp_path: Path) -> Path:
    path = tmp_path / "scores.csv"
    shutil.copy(previous / "scores.csv", path)
    return path


def test_score_refuses_to_overwrite_its_export(tmp_path: Path) -> None:
    export = tmp_path / "pre.csv"
    shutil.copy(SAMPLE / "qualtrics_pre.csv", export)
    before = export.read_bytes()
    for option in ("--out", "--ledger", "--wide", "--alerts"):
        args = [
            "score",
            str(export),
            "--map",
            str(SAMPLE / "mapping.yaml"),
            "--id-col",
            "pcode",
            "--wave",
            "pre",
            "--out",
            str(tmp_path / "s.csv"),
        ]
        args += [option, str(export)]  # fmt: skip
        result = runner.invoke(app, args)
        assert result.exit_code == 2, (option, result.output)
        assert "would overwrite one of the inputs" in result.output
        assert export.read_bytes() == before


def test_score_refuses_two_outputs_on_one_path(tmp_path: Path) -> None:
    result = runner.invoke(app, ["score", str(SAMPLE / "qualtrics_pre.csv"), "--wave", "pre",
                                 "--out", str(tmp_path / "s.csv"),
                                 "--ledger", str(tmp_path / "s.csv")])  # fmt: skip
    assert result.exit_code == 2 and "are the same file" in result.output


def test_compare_and_report_and_pool_refuse_to_overwrite_inputs(
    previous: Path, tmp_path: Path
) -> None:
    scores = _scores(previous, tmp_path)
    results = tmp_path / "results.json"
    shutil.copy(previous / "results.json", results)
    snapshot = (scores.read_bytes(), results.read_bytes())
    for args in (
        ["compare", str(scores), "--pre", "pre", "--post", "post", "--out", str(scores)],
        ["compare", str(scores), "--pre", "pre", "--post", "post", "--out",
         str(tmp_path / "r.json"), "--csv", str(scores)],
        ["report", str(results), "--scores", str(scores), "--md", str(scores)],
        ["report", str(results), "--out", str(tmp_path / "r.pdf"), "--html", str(results)],
        ["pool", str(results), str(results), "--out", str(results)],
    ):  # fmt: skip
        result = runner.invoke(app, args)
        assert result.exit_code == 2, (args, result.output)
        assert "would overwrite one of the inputs" in result.output, result.output
        assert (scores.read_bytes(), results.read_bytes()) == snapshot


def test_report_refuses_one_path_for_several_formats(previous: Path, tmp_path: Path) -> None:
    same = str(tmp_path / "r.pdf")
    result = runner.invoke(
        app, ["report", str(previous / "results.json"), "--out", same, "--html", same, "--md", same]
    )
    assert result.exit_code == 2 and "are the same file" in result.output
    assert list(tmp_path.iterdir()) == []


def test_an_output_path_that_is_a_folder(previous: Path, tmp_path: Path) -> None:
    (tmp_path / "r.json").mkdir()
    result = runner.invoke(app, ["compare", str(previous / "scores.csv"), "--pre", "pre",
                                 "--post", "post", "--out", str(tmp_path / "r.json")])  # fmt: skip
    assert result.exit_code == 2 and "is a folder" in result.output


def test_compare_creates_a_missing_output_folder(previous: Path, tmp_path: Path) -> None:
    target = tmp_path / "new" / "deeper" / "r.json"
    result = runner.invoke(app, ["compare", str(previous / "scores.csv"), "--pre", "pre",
                                 "--post", "post", "--out", str(target)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert json.loads(target.read_text())["paired"]


def test_results_with_non_finite_numbers_still_report(previous: Path, tmp_path: Path) -> None:
    data = json.loads((previous / "results.json").read_text())
    for rec in data["paired"][:4]:
        rec["pre_mean"], rec["mean_change"], rec["n_pairs"] = float("nan"), float("inf"), None
    bad = tmp_path / "results.json"
    bad.write_text(json.dumps(data))  # NaN and Infinity as Python writes them
    result = runner.invoke(app, ["report", str(bad), "--out", str(tmp_path / "r.pdf"),
                                 "--md", str(tmp_path / "r.md")])  # fmt: skip
    assert result.exit_code in (0, 2), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_an_empty_keyed_items_file_is_a_clean_error(previous: Path, tmp_path: Path) -> None:
    empty = tmp_path / "items.csv"
    empty.write_text("")
    result = runner.invoke(app, ["compare", str(previous / "scores.csv"), "--pre", "pre",
                                 "--post", "post", "--out", str(tmp_path / "r.json"),
                                 "--keyed-items", str(empty)])  # fmt: skip
    assert result.exit_code == 2 and "cannot read the table" in result.output


def test_score_wide_with_carried_columns_has_one_row_per_participant_wave(tmp_path: Path) -> None:
    import pandas as pd

    wide = tmp_path / "wide.csv"
    result = runner.invoke(app, ["score", str(SAMPLE / "qualtrics_pre.csv"),
                                 str(SAMPLE / "qualtrics_post.csv"), "--wave", "pre",
                                 "--wave", "post", "--map", str(SAMPLE / "mapping.yaml"),
                                 "--id-col", "pcode", "--carry", "site", "--carry", "arm",
                                 "--out", str(tmp_path / "s.csv"),
                                 "--wide", str(wide)])  # fmt: skip
    assert result.exit_code == 0, result.output
    scores = pd.read_csv(tmp_path / "s.csv")
    table = pd.read_csv(wide)
    assert len(table) == scores[["participant_id", "wave"]].drop_duplicates().shape[0]


@pytest.mark.slow
def test_reruns_under_another_time_zone_locale_and_hash_seed_are_identical(
    previous: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    env = {**os.environ, "TZ": "Pacific/Chatham", "LANG": "de_DE.UTF-8", "LC_ALL": "C.UTF-8",
           "PYTHONHASHSEED": "4242", "SOURCE_DATE_EPOCH": "1700000000"}  # fmt: skip
    done = subprocess.run([*CLI, "demo", "--out", str(out)], capture_output=True, text=True,
                          env=env, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert _snapshot(out) == _snapshot(previous)
