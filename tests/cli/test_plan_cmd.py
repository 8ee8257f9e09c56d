"""The plan command: targets or a pilot's results → participants, power or effect."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stigma_outcomes.cli.app import app
from stigma_outcomes.comparison import compare

GOLDEN = Path(__file__).parents[1] / "golden"
R = json.loads((GOLDEN / "power" / "pwr.json").read_text())
runner = CliRunner()


def test_plan_from_targets_prints_plain_words():
    result = runner.invoke(app, ["plan", "--effect", "0.5", "--power", "80%",
                                 "--attrition", "20%"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "34 participants with both surveys" in result.output
    assert "43 to recruit" in result.output and "pwr.t.test" in result.output


def test_plan_json_matches_pwr():
    case = R["two_sample"][1]
    result = runner.invoke(app, ["plan", "--design", "two_groups", "--effect",
                                 str(case["d"]), "--json"])  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["n_exact"] == pytest.approx(case["n"], rel=1e-8)
    assert data["solved_for"] == "n" and data["n_analysed"] == 2 * data["n_per_group"]


def test_plan_power_and_effect_directions():
    power = json.loads(runner.invoke(app, ["plan", "--effect", "0.4", "--n", "30",
                                           "--json"]).output)  # fmt: skip
    case = next(c for c in R["paired_power"] if c["n"] == 30)
    assert power["power"] == pytest.approx(case["power"], rel=1e-9)
    effect = runner.invoke(app, ["plan", "--n", "25", "--power", "0.8"])
    assert effect.exit_code == 0 and "detect an effect of" in effect.output


def test_plan_from_a_pilot_results_file(tmp_path):
    res = compare(GOLDEN / "paired" / "scores.csv", "pre", "post",
                  scale_info=GOLDEN / "paired" / "scale_info.yaml")  # fmt: skip
    path = res.to_json(tmp_path / "results.json")
    outcome = f"{res.paired[0]['instrument']}.{res.paired[0]['scale']}"
    result = runner.invoke(app, ["plan", str(path), "--outcome", outcome, "--power", "0.8"])
    assert result.exit_code == 0, result.output
    assert "Pilot:" in result.output and "Caution: Pilot effects are noisy" in result.output
    as_json = runner.invoke(app, ["plan", str(path), "--outcome", outcome, "--json"])
    assert json.loads(as_json.output)["point"]["design"] == "paired"


@pytest.mark.parametrize(
    "args",
    [
        ["--effect", "0.5", "--power", "1"],
        ["--effect", "0.5", "--power", "0.8", "--attrition", "100%"],
        ["--effect", "0.5", "--power", "lots"],
        ["--effect", "0", "--power", "0.8"],
        [str(GOLDEN / "nowhere.json"), "--outcome", "x.y"],
        [str(GOLDEN / "power" / "pwr.json")],
    ],
)
def test_impossible_inputs_exit_2_with_one_message(args):
    result = runner.invoke(app, ["plan", *args])
    assert result.exit_code == 2
    assert "error:" in result.output and "Traceback" not in result.output
