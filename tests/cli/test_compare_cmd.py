"""The compare command, through typer's CliRunner on the real app."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from stigma_outcomes.cli.app import app

GOLDEN = Path(__file__).parents[1] / "golden"
runner = CliRunner()


def _run(*args: str):
    return runner.invoke(app, [str(a) for a in args])


def test_paired_run_writes_json_and_csv_and_prints_a_table(tmp_path):
    out, csv = tmp_path / "results.json", tmp_path / "results.csv"
    result = _run(
        "compare", GOLDEN / "paired" / "scores.csv", "--pre", "pre", "--post", "post",
        "--followup", "fu", "--group-col", "site",
        "--scale-info", GOLDEN / "paired" / "scale_info.yaml",
        "--reliability", "gold.ints=0.9", "--out", out, "--csv", csv,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert len(data["paired"]) == 24 and data["mixed_models"] and data["ancova"]
    ints = next(r for r in data["paired"] if r["scale"] == "ints" and r["group"] is None)
    assert ints["rci_reliability"] == 0.9 and ints["rci_reliability_source"] == "user override"
    table = pd.read_csv(csv)
    assert {"paired", "attrition"} <= set(table["section"])
    assert "Paired (linked participants)" in result.output
    assert "gold.ints" in result.output and "reliably better / worse" in result.output
    assert "C*" in result.output and "fewer than 5 people" in result.output


def test_unlinked_run_warns_about_repeated_ids(tmp_path):
    out = tmp_path / "r.json"
    result = _run(
        "compare", GOLDEN / "unlinked" / "scores.csv", "--pre", "before", "--post", "after",
        "--unlinked", "--direction", "anon.cont=higher_is_better",
        "--direction", "anon.likert=higher_is_worse", "--direction", "anon.big=higher_is_better",
        "--reliability", "anon.cont=0.8", "--reliability", "anon.likert=0.8",
        "--reliability", "anon.big=0.8", "--clinical-threshold", "anon.likert=14", "--out", out,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "NOT linked" in result.output
    assert "Unlinked (anonymous waves" in result.output
    assert "p Welch Holm" in result.output
    assert "score <= 14:" in result.output
    data = json.loads(out.read_text())
    assert data["paired"] == [] and {r["design"] for r in data["unlinked"]} == {"unlinked"}
    likert = next(r for r in data["unlinked"] if r["scale"] == "likert" and r["group"] is None)
    assert likert["threshold"] == 14
    assert likert["p_t"] <= likert["p_t_holm"] <= 1
    assert data["meta"]["multiplicity"]["family_size"] == len(data["unlinked"])


def test_missing_wave_is_one_clear_message_and_exit_2(tmp_path):
    out = tmp_path / "r.json"
    result = _run(
        "compare", GOLDEN / "paired" / "scores.csv", "--pre", "pre", "--post", "later",
        "--scale-info", GOLDEN / "paired" / "scale_info.yaml", "--out", out,
    )  # fmt: skip
    assert result.exit_code == 2
    assert "wave(s) 'later' not found" in result.output
    assert "waves present: 'fu', 'post', 'pre'" in result.output
    assert "Traceback" not in result.output and not out.exists()


def test_unknown_scale_without_direction_exit_2(tmp_path):
    result = _run(
        "compare", GOLDEN / "paired" / "scores.csv", "--pre", "pre", "--post", "post",
        "--out", tmp_path / "r.json",
    )  # fmt: skip
    assert result.exit_code == 2
    assert "--direction gold.cont" in result.output


def test_malformed_option_exit_2(tmp_path):
    result = _run(
        "compare", GOLDEN / "paired" / "scores.csv", "--pre", "pre", "--post", "post",
        "--reliability", "gold.ints:0.8", "--out", tmp_path / "r.json",
    )  # fmt: skip
    assert result.exit_code == 2
    assert "INSTRUMENT.SCALE=VALUE" in result.output


def test_help_lists_the_options():
    result = _run("compare", "--help")
    assert result.exit_code == 0
    for option in ("--pre", "--post", "--followup", "--group-col", "--unlinked",
                   "--reliability", "--direction", "--scale-info", "--json", "--csv"):  # fmt: skip
        assert option in result.output


def test_keyed_items_add_in_sample_reliability(tmp_path):
    import numpy as np

    rng = np.random.default_rng(9)
    latent = rng.normal(size=30)
    rows, items = [], []
    for w, wave in enumerate(("pre", "post")):
        answers = np.clip(np.round(2 + 0.8 * latent[:, None] - 0.3 * w
                                   + rng.normal(0, 0.5, (30, 3))), 1, 3)  # fmt: skip
        for i in range(30):
            rows.append({"participant_id": f"u{i}", "wave": wave, "instrument": "ucla3",
                         "scale": "total", "score": answers[i].sum(), "status": "ok"})  # fmt: skip
            items.append({"participant_id": f"u{i}", "wave": wave,
                          **{f"ucla3_{k + 1}": answers[i, k] for k in range(3)}})  # fmt: skip
    pd.DataFrame(rows).to_csv(tmp_path / "scores.csv", index=False)
    pd.DataFrame(items).to_csv(tmp_path / "items.csv", index=False)
    out = tmp_path / "r.json"
    result = _run(
        "compare", tmp_path / "scores.csv", "--pre", "pre", "--post", "post",
        "--keyed-items", tmp_path / "items.csv", "--out", out,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert [r["wave"] for r in data["reliability"]] == ["pre", "post"]
    assert "2 in-sample reliability records" in result.output
    missing = _run(
        "compare", tmp_path / "scores.csv", "--pre", "pre", "--post", "post",
        "--keyed-items", tmp_path / "nope.csv", "--out", out,
    )  # fmt: skip
    assert missing.exit_code == 2 and "keyed items file not found" in missing.output


def _ismi29_files(tmp_path: Path, n: int = 40) -> tuple[Path, Path]:
    """Scores and keyed items of the real ismi29 total (a definition without reliability)."""
    import numpy as np

    rng = np.random.default_rng(3)
    ids = [f"q{i}" for i in range(n)]
    scores, items = [], []
    for w, wave in enumerate(("pre", "post")):
        codes = np.clip(np.round(2.5 - 0.3 * w + rng.normal(0, 1, (n, 1))
                                 + rng.normal(0, 0.6, (n, 29))), 1, 4)  # fmt: skip
        frame = pd.DataFrame(codes, columns=[f"ismi29_{k}" for k in range(1, 30)])
        items.append(frame.assign(participant_id=ids, wave=wave))
        scores.append(pd.DataFrame({"participant_id": ids, "wave": wave, "instrument": "ismi29",
                                    "scale": "total", "score": codes.mean(axis=1),
                                    "status": "ok"}))  # fmt: skip
    scores_path, items_path = tmp_path / "scores.csv", tmp_path / "keyed.csv"
    pd.concat(scores).to_csv(scores_path, index=False)
    pd.concat(items).to_csv(items_path, index=False)
    return scores_path, items_path


def test_rci_reliability_defaults_to_auto_and_can_be_pinned(tmp_path):
    scores, items = _ismi29_files(tmp_path)
    common = ["compare", scores, "--pre", "pre", "--post", "post", "--keyed-items", items]
    auto = _run(*common, "--out", tmp_path / "auto.json")
    assert auto.exit_code == 0, auto.output
    (rec,) = json.loads((tmp_path / "auto.json").read_text())["paired"]
    assert rec["rci_reliability_source"] == "in-sample alpha at 'pre' (n = 40)"
    assert rec["n_reliably_improved"] is not None
    pinned = _run(*common, "--rci-reliability", "definition", "--out", tmp_path / "def.json")
    assert pinned.exit_code == 0, pinned.output
    (rec,) = json.loads((tmp_path / "def.json").read_text())["paired"]
    assert rec["rci_reliability"] is None and rec["n_reliably_improved"] is None
    bad = _run(*common, "--rci-reliability", "sample", "--out", tmp_path / "bad.json")
    assert bad.exit_code == 2 and "is not one of 'auto', 'definition', 'in_sample'" in bad.output


def test_pool_by_site_adds_pooled_records(tmp_path):
    out = tmp_path / "results.json"
    result = _run(
        "compare", GOLDEN / "paired" / "scores.csv", "--pre", "pre", "--post", "post",
        "--scale-info", GOLDEN / "paired" / "scale_info.yaml", "--pool-by", "site",
        "--pool-method", "DL", "--out", out,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert data["pooled"] and {r["effect"] for r in data["pooled"]} == {"mean_change", "smcr"}
    assert {r["method"] for r in data["pooled"]} == {"DL"}
    assert data["meta"]["settings"]["pool_by"] == "site"
    # the site-level records feed the pooling; the paired section keeps the whole sample
    assert all(r["group"] is None for r in data["paired"])
    assert "pooled (across-site) records" in result.output


def test_unknown_pool_method_exit_2(tmp_path):
    result = _run(
        "compare", GOLDEN / "paired" / "scores.csv", "--pre", "pre", "--post", "post",
        "--scale-info", GOLDEN / "paired" / "scale_info.yaml", "--pool-by", "site",
        "--pool-method", "ML", "--out", tmp_path / "r.json",
    )  # fmt: skip
    assert result.exit_code == 2
    assert "'ML' is not one of 'REML', 'DL'" in result.output and "Traceback" not in result.output


def test_score_then_compare_gives_in_sample_reliability(tmp_path):
    """'score' writes the keyed item responses beside the scores; 'compare' finds them."""
    from stigma_outcomes.pipeline import sample_data_dir

    sample = sample_data_dir()
    scores = tmp_path / "scores.csv"
    scored = _run(
        "score", sample / "qualtrics_pre.csv", sample / "qualtrics_post.csv",
        "--wave", "pre", "--wave", "post", "--map", sample / "mapping.yaml",
        "--id-col", "pcode", "--out", scores,
    )  # fmt: skip
    assert scored.exit_code == 0, scored.output
    items = tmp_path / "scores.items.csv"
    assert items.is_file() and (items.stat().st_mode & 0o077) == 0  # evaluator-only
    assert {"participant_id", "wave", "ucla3_1"} <= set(pd.read_csv(items, nrows=1).columns)
    out = tmp_path / "results.json"
    compared = _run("compare", scores, "--pre", "pre", "--post", "post", "--out", out)
    assert compared.exit_code == 0, compared.output
    reliability = json.loads(out.read_text())["reliability"]
    assert {(r["instrument"], r["scale"]) for r in reliability} >= {("ucla3", "total")}
    items.unlink()  # without the file, no in-sample reliability (and no error)
    again = _run("compare", scores, "--pre", "pre", "--post", "post", "--out", out)
    assert again.exit_code == 0, again.output
    assert json.loads(out.read_text())["reliability"] == []


def test_the_cli_starts_without_pydantic_or_numerics() -> None:
    """compare's choices (enums) come from comparison/_choices.py, which loads nothing heavy;
    the settings model itself is imported only when compare runs."""
    import subprocess
    import sys

    code = (
        "import sys, stigma_outcomes.cli.app; "
        "print(sorted(m for m in ('pydantic', 'pandas', 'numpy', 'scipy') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]", done.stderr


def test_json_prints_the_summary_and_out_names_the_file(tmp_path):
    """--json means the same in every command (JSON on standard output); the results file is
    --out / -o. The old '--json FILE' gives one clear error that says where the file went."""
    out = tmp_path / "r.json"
    common = ("compare", GOLDEN / "paired" / "scores.csv", "--pre", "pre", "--post", "post",
              "--scale-info", GOLDEN / "paired" / "scale_info.yaml")  # fmt: skip
    printed = _run(*common, "-o", out, "--json")
    assert printed.exit_code == 0, printed.output
    summary = json.loads(printed.stdout)
    assert summary["files"] == {"results": str(out)}
    written = json.loads(out.read_text())
    assert summary["records"]["paired"] == len(written["paired"]) > 0
    old = _run(*common, "--json", tmp_path / "old.json")
    assert old.exit_code == 2 and "Traceback" not in old.output
    missing = _run(*common)
    assert missing.exit_code == 2 and "--out results.json" in missing.output
    assert not (tmp_path / "old.json").exists()


def test_a_key_column_as_the_group_is_refused_with_exit_2(tmp_path):
    # Before, --group-by participant_id (or wave) failed deep in the coding of the scores
    # with a traceback; docs/outputs.md: personal values never become labels.
    for column in ("participant_id", "wave"):
        result = _run(
            "compare", GOLDEN / "paired" / "scores.csv", "--pre", "pre", "--post", "post",
            "--group-by", column, "--out", tmp_path / "r.json",
        )  # fmt: skip
        assert result.exit_code == 2, result.output
        assert f"group column '{column}' cannot group people" in result.output
        assert "Traceback" not in result.output
        assert not (tmp_path / "r.json").exists()
