"""The pool command: results of separately analysed programmes → pooled results."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from stigma_outcomes.cli.app import app
from stigma_outcomes.comparison import compare

GOLDEN = Path(__file__).parents[1] / "golden" / "paired"
runner = CliRunner()


def _programmes(tmp_path: Path) -> list[Path]:
    scores = pd.read_csv(GOLDEN / "scores.csv", dtype={"participant_id": str})
    paths = []
    for site in ("A", "B"):
        res = compare(scores[scores["site"] == site], "pre", "post",
                      scale_info=GOLDEN / "scale_info.yaml")  # fmt: skip
        paths.append(res.to_json(tmp_path / f"{site}.json"))
    return paths


def test_pool_writes_pooled_results_and_a_table(tmp_path) -> None:
    a, b = _programmes(tmp_path)
    out, csv = tmp_path / "pooled.json", tmp_path / "pooled.csv"
    result = runner.invoke(
        app, ["pool", str(a), str(b), "--label", "North", "--label", "South",
              "--method", "DL", "--out", str(out), "--csv", str(csv)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert data["pooled"] and {r["method"] for r in data["pooled"]} == {"DL"}
    ints = next(r for r in data["pooled"] if r["scale"] == "ints" and r["effect"] == "mean_change")
    assert [s["level"] for s in ints["studies"]] == ["North", "South"]
    assert "gold.ints" in result.output and "prediction interval" in result.output
    assert set(pd.read_csv(csv)["section"]) == {"paired", "pooled"}


def test_pool_errors_exit_2(tmp_path) -> None:
    a, b = _programmes(tmp_path)
    one = runner.invoke(app, ["pool", str(a), "--out", str(tmp_path / "x.json")])
    assert one.exit_code == 2 and "at least two" in one.output
    same = runner.invoke(
        app, ["pool", str(a), str(b), "--label", "X", "--label", "X",
              "--out", str(tmp_path / "x.json")],
    )  # fmt: skip
    assert same.exit_code == 2 and "distinct names" in same.output
    bad = runner.invoke(
        app, ["pool", str(a), str(b), "--method", "ML", "--out", str(tmp_path / "x.json")]
    )
    assert bad.exit_code == 2 and "Traceback" not in bad.output


def test_report_of_pooled_results(tmp_path) -> None:
    a, b = _programmes(tmp_path)
    pooled = tmp_path / "pooled.json"
    assert runner.invoke(app, ["pool", str(a), str(b), "--out", str(pooled)]).exit_code == 0
    md = tmp_path / "report.md"
    result = runner.invoke(
        app, ["report", str(pooled), "--out", str(tmp_path / "report.pdf"), "--md", str(md)]
    )
    assert result.exit_code == 0, result.output
    text = md.read_text()
    # each programme is a group; the pooled change has its own section: with two
    # programmes, each one's change and both together side by side (no forest plot)
    assert "## Across sites" in text and "Change at each" in text
    assert "Forest plot of the change" not in text
    assert "each programme's own analysis" in text


def test_pool_json_prints_the_pooled_records(tmp_path) -> None:
    a, b = _programmes(tmp_path)
    out = tmp_path / "pooled.json"
    result = runner.invoke(app, ["pool", str(a), str(b), "-o", str(out), "--json"])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    assert printed["files"] == {"results": str(out)}
    assert len(printed["pooled"]) == len(json.loads(out.read_text())["pooled"]) > 0
    missing = runner.invoke(app, ["pool", str(a), str(b)])
    assert missing.exit_code == 2 and "--out pooled.json" in missing.output


def test_pool_refuses_a_results_file_that_is_not_utf8_json(tmp_path) -> None:
    """Found by the long fuzz run: a mutated first byte made ``pool`` end in a traceback."""
    a, b = _programmes(tmp_path)
    a.write_bytes(b"\xfb" + a.read_bytes())
    result = runner.invoke(app, ["pool", str(a), str(b), "--out", str(tmp_path / "p.json")])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "cannot read results file" in result.output and str(a) in result.output
    assert not (tmp_path / "p.json").exists()


def test_report_refuses_an_unversioned_results_file_without_a_field_it_reads(tmp_path) -> None:
    """A file older than layout versions may lack optional fields, not those the report reads
    without a default (``REPORT_NEEDS``): one clear error from the one reading of the file.
    ``pool``, which reads none of them without a default, still pools it."""
    a, b = _programmes(tmp_path)
    data = json.loads(a.read_text())
    del data["meta"]["schema_version"]
    del data["paired"][0]["n_pairs"]
    a.write_text(json.dumps(data))
    report = runner.invoke(app, ["report", str(a), "--out", str(tmp_path / "r.pdf")])
    assert report.exit_code == 2, report.output
    assert "paired[0] lacks the field 'n_pairs'" in report.output
    assert not (tmp_path / "r.pdf").exists()
    pooled = runner.invoke(app, ["pool", str(a), str(b), "--out", str(tmp_path / "p.json")])
    assert pooled.exit_code == 0, pooled.output
