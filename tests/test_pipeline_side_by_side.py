"""init → run on a file holding its waves side by side, some people blank at the second wave.

A long file pivoted to ``T1_*``/``T2_*`` columns: the people with every T2 cell blank did not
answer the second survey. The report counts them as leaving (reach, attrition analysis), and
the ledger says their rows at that wave were set aside, not scored with too few answers.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from typer.testing import CliRunner

from stigma_outcomes.cli.app import app
from stigma_outcomes.pipeline import run_evaluation

PEOPLE, GONE = 40, [3, 4, 6, 12, 19, 33]


def _wide(path: Path) -> None:
    rng = np.random.default_rng(11)
    rows: dict[str, object] = {"participant_id": [f"P{i + 1:03d}" for i in range(PEOPLE)]}
    for wave in ("T1", "T2"):
        for instrument, k in (("phq9", 9), ("gad7", 7)):
            for item in range(1, k + 1):
                values = rng.integers(0, 4, PEOPLE).astype(float)
                if wave == "T2":
                    values[GONE] = np.nan  # as a pivot leaves the wave nobody answered
                rows[f"{wave}_{instrument}_{item}"] = values if wave == "T2" else values.astype(int)
    pd.DataFrame(rows).to_csv(path, index=False)


def test_people_blank_at_the_second_wave_are_counted_as_leaving(tmp_path: Path) -> None:
    wide = tmp_path / "wide.csv"
    _wide(wide)
    evaluation = tmp_path / "w_e.yaml"
    result = CliRunner().invoke(
        app,
        ["init", str(wide), "--write-mapping", str(tmp_path / "w_m.yaml"),
         "--write-evaluation", str(evaluation)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    drafted = yaml.safe_load(evaluation.read_text(encoding="utf-8"))
    first, second = (entry["wave"] for entry in drafted["data"])
    assert [entry["path"] for entry in drafted["data"]] == ["wide.csv", "wide.csv"]

    run_evaluation(evaluation, out_dir=tmp_path / "out")
    out = tmp_path / "out"
    ledger = pd.read_csv(out / "ledger.csv", dtype=str)
    absent = ledger[ledger["problem"] == "no_answers_at_wave"]
    assert len(absent) == len(GONE)
    assert set(absent["action"]) == {"row_excluded"}
    assert set(absent["wave"]) == {second}
    assert sorted(absent["participant_id"].str.upper()) == [f"P{i + 1:03d}" for i in GONE]
    assert "insufficient_items" not in set(ledger["problem"])
    scores = pd.read_csv(out / "scores.csv", dtype=str)
    # rows in (40 at each wave) = rows scored + rows excluded
    scored = scores.drop_duplicates(["participant_id", "wave"])
    assert len(scored) + len(absent) == 2 * PEOPLE
    assert (scored["wave"] == second).sum() == PEOPLE - len(GONE)

    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    attrition = [r for r in results["attrition"] if r.get("group") is None]
    assert {r["instrument"] for r in attrition} == {"phq9", "gad7"}
    for record in attrition:
        assert (record["from_wave"], record["wave"]) == (first, second)
        assert (record["n_baseline"], record["n_completers"], record["n_dropouts"]) == (40, 34, 6)

    report = re.sub(r"\s+", " ", (out / "report.md").read_text(encoding="utf-8"))
    assert re.search(r"Reach: 40 people answered the .{1,40}? survey; 34 also answered", report)
    assert "Not carried forward: 6 (did not answer" in report
    assert "answered too few questions" not in report
    assert "Attrition: 6 of those who answered the first survey" in report
