"""``stigma-outcomes init``: shows matches, writes files only when asked, bad input → exit 2."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from stigma_outcomes.cli.app import app
from stigma_outcomes.evaluation import Evaluation

ROOT = Path(__file__).parents[2]
SAMPLE = ROOT / "data" / "sample"
EXPORTS = ROOT / "tests" / "fixtures" / "exports"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_shows_matches_and_writes_nothing_by_default(runner, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["init", str(SAMPLE / "qualtrics_pre.csv")])
    assert result.exit_code == 0, result.output
    assert "qualtrics" in result.output
    assert "ucla3: 3 item(s) ← Q10_1 … Q10_3 [pattern]" in result.output
    assert "participant ID: pcode" in result.output
    assert "personal data kept out: StartDate" in result.output
    assert "nothing written" in result.output
    assert list(tmp_path.iterdir()) == []


def test_writes_mapping_and_a_valid_evaluation_file(runner, tmp_path) -> None:
    pre, post = tmp_path / "pre.csv", tmp_path / "post.csv"
    shutil.copy(SAMPLE / "qualtrics_pre.csv", pre)
    shutil.copy(SAMPLE / "qualtrics_post.csv", post)
    mapping, evaluation = tmp_path / "mapping.yaml", tmp_path / "evaluation.yaml"
    result = runner.invoke(
        app,
        [
            "init",
            str(pre),
            str(post),
            "--write-mapping",
            str(mapping),
            "--write-evaluation",
            str(evaluation),
        ],
    )
    assert result.exit_code == 0, result.output
    written = yaml.safe_load(mapping.read_text(encoding="utf-8"))
    assert written["instruments"]["ismi29"] == {"pattern": "Q11_{item}"}
    ev = Evaluation.model_validate(yaml.safe_load(evaluation.read_text(encoding="utf-8")))
    assert [(d.path, d.wave) for d in ev.data] == [("pre.csv", "pre"), ("post.csv", "post")]
    assert ev.mapping == "mapping.yaml"
    assert ev.id_column == "pcode"
    assert sorted(ev.instruments) == ["gbs", "ismi29", "ucla3"]
    again = runner.invoke(app, ["init", str(pre), "--write-mapping", str(mapping)])
    assert again.exit_code == 2
    assert "already exists" in again.output


def test_json_output_for_a_redcap_export_with_dictionary(runner) -> None:
    result = runner.invoke(
        app,
        [
            "init",
            str(EXPORTS / "redcap_longitudinal_raw.csv"),
            "--dictionary",
            str(EXPORTS / "redcap_dictionary.csv"),
            "-i",
            "ucla3",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    (file,) = data["files"]
    assert file["flavor"] == "redcap"
    assert file["wave_column"] == "redcap_event_name"
    assert file["matches"]["ucla3"]["columns"]["2"] == "lonely_2"
    assert file["personal_columns"] == ["dob", "email", "first_name", "loneliness_timestamp"]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.csv", "the file is empty"),
        ("header_only.csv", "no data rows"),
        ("ragged.csv", "row 3"),
        ("not_spss.sav", "not an SPSS data file"),
        ("password_protected.xlsx", "password-protected"),
        ("corrupt.xlsx", "damaged or incomplete"),
    ],
)
def test_bad_input_exits_2_with_one_message(runner, tmp_path, name, message) -> None:
    shutil.copy(EXPORTS / "bad" / name, tmp_path / name)
    result = runner.invoke(app, ["init", str(tmp_path / name)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert result.output.count("error:") == 1
    assert message in result.output


def test_unknown_instrument_and_missing_pii_column_exit_2(runner) -> None:
    export = str(EXPORTS / "long_waves.csv")
    result = runner.invoke(app, ["init", export, "-i", "nosuch"])
    assert result.exit_code == 2
    result = runner.invoke(app, ["init", export, "--pii", "nickname"])
    assert result.exit_code == 2
    assert "nickname" in result.output


def test_a_dictionary_among_the_exports_is_used_as_the_dictionary(runner, tmp_path) -> None:
    evaluation = tmp_path / "evaluation.yaml"
    result = runner.invoke(
        app,
        [
            "init",
            str(EXPORTS / "redcap_dictionary.csv"),
            str(EXPORTS / "redcap_longitudinal_raw.csv"),
            "-i",
            "ucla3",
            "--write-evaluation",
            str(evaluation),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "the first field of the data dictionary (redcap_dictionary.csv)" in result.output
    data = yaml.safe_load(evaluation.read_text(encoding="utf-8"))
    (entry,) = data["data"]
    assert entry["wave_column"] == "redcap_event_name"
    assert entry["dictionary"].endswith("redcap_dictionary.csv")
    assert "mapping" not in data  # none was written, so none is referenced
    assert "need a mapping file but none was written" in result.output
    assert "--write-mapping" in evaluation.read_text(encoding="utf-8")
