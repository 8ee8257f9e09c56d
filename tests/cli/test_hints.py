"""A message's "how to fix" names what the user of that entry point can change: the
option given to the command, or the key of the evaluation file."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml
from typer.testing import CliRunner

from stigma_outcomes.cli.app import app

runner = CliRunner()
SAMPLE = Path(__file__).parents[2] / "data" / "sample"


def _sample_evaluation(folder: Path, **changes: object) -> Path:
    for name in ("qualtrics_pre.csv", "qualtrics_post.csv", "mapping.yaml"):
        shutil.copy(SAMPLE / name, folder / name)
    ev = yaml.safe_load((SAMPLE / "evaluation.yaml").read_text(encoding="utf-8"))
    ev["report"]["formats"] = ["md"]
    ev.update(changes)
    path = folder / "evaluation.yaml"
    path.write_text(yaml.safe_dump(ev), encoding="utf-8")
    return path


def test_init_with_the_instrument_named_does_not_say_to_name_it(tmp_path: Path) -> None:
    # Before: "name the instrument with --instrument", though -i ucla3 was given.
    wide = tmp_path / "wide.csv"
    wide.write_text("pid,q1,q2,q3\na,1,2,3\nb,2,2,2\n", encoding="utf-8")
    args = ["init", str(wide), "--write-mapping", str(tmp_path / "m.yaml"),
            "--write-evaluation", str(tmp_path / "e.yaml")]  # fmt: skip
    named = runner.invoke(app, [*args[:2], "-i", "ucla3", *args[2:]])
    assert named.exit_code == 2, named.output
    assert "named with --instrument, ucla3 was not recognised" in named.output
    assert "name the instrument with --instrument" not in named.output
    assert "mapping:" in named.output
    unnamed = runner.invoke(app, args)
    assert unnamed.exit_code == 2, unnamed.output
    assert "name the instrument with --instrument" in unnamed.output
    assert not (tmp_path / "m.yaml").exists() and not (tmp_path / "e.yaml").exists()


def test_run_names_the_evaluation_files_waves(tmp_path: Path) -> None:
    # Before: "use one of the waves present for --pre / --post / --followup".
    evaluation = _sample_evaluation(tmp_path, waves={"pre": "pre", "post": "after"})
    result = runner.invoke(app, ["run", str(evaluation), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert "wave(s) 'after' not found" in result.output
    assert "in the evaluation file's waves: pre / post / followup" in result.output
    assert "--pre" not in result.output


def test_run_with_row_ids_in_a_paired_design_names_the_keys(tmp_path: Path) -> None:
    # Before: "see LoadSettings (stigma_outcomes.ingest.settings) for each setting".
    evaluation = _sample_evaluation(tmp_path, id_col="@row")
    result = runner.invoke(app, ["run", str(evaluation), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert "id_col: '@row'" in result.output and "unlinked: true" in result.output
    assert "LoadSettings" not in result.output
    assert not (tmp_path / "out").exists()
