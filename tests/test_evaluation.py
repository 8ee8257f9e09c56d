"""The evaluation file: validation errors are one clear message; the schema is published."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stigma_outcomes.errors import InputError
from stigma_outcomes.evaluation import evaluation_json_schema, load_evaluation

ROOT = Path(__file__).resolve().parents[1]


def test_sample_evaluation_is_valid() -> None:
    ev, base = load_evaluation(ROOT / "data" / "sample" / "evaluation.yaml")
    assert ev.groups == "arm" and [d.wave for d in ev.data] == ["pre", "post"]
    assert base == (ROOT / "data" / "sample").resolve()


@pytest.mark.parametrize(
    ("content", "field"),
    [
        ("data: []\ninstruments: [ucla3]\n", "'data'"),
        (
            "data: [{path: a.csv, wave: pre}]\ninstruments: [ucla3]\nprivacy: {min_cell: 0}\n",
            "'privacy.min_cell'",
        ),
        ("data: [{path: a.csv}]\ninstruments: [ucla3]\n", "'data'"),
        ("data: [{path: a.csv, wave: pre}]\ninstruments: [ucla3]\ncolour: red\n", "'colour'"),
        (
            "data: [{path: a.csv, wave: pre}]\ninstruments: [ucla3]\nreport: {language: english}\n",
            "'report.language'",
        ),
        (
            "data: [{path: a.csv, wave: pre}]\ninstruments: [ucla3]\nreliability: {ismi29: 0.9}\n",
            "INSTRUMENT.SCALE",
        ),
        (
            "data: [{path: a.csv, wave: pre}]\ninstruments: [ucla3]\n"
            "reliability: {ismi29.total: 1.3}\n",
            "between 0 and 1",
        ),
    ],
)
def test_bad_fields_name_the_field(tmp_path: Path, content: str, field: str) -> None:
    path = tmp_path / "evaluation.yaml"
    path.write_text(content)
    with pytest.raises(InputError) as info:
        load_evaluation(path)
    assert field in str(info.value) and str(path) in str(info.value)


def test_broken_yaml_gives_the_line(tmp_path: Path) -> None:
    path = tmp_path / "evaluation.yaml"
    path.write_text("title: ok\ndata: [\n")
    with pytest.raises(InputError, match="not valid YAML") as info:
        load_evaluation(path)
    assert "line" in str(info.value)


def test_published_schema_matches_the_model() -> None:
    published = json.loads((ROOT / "schemas" / "evaluation.schema.json").read_text())
    assert published == json.loads(json.dumps(evaluation_json_schema()))


def test_rci_reliability_defaults_to_the_auto_chain() -> None:
    base = {"data": [{"path": "a.csv", "wave": "pre"}], "instruments": ["ismi29"]}
    ev, _ = load_evaluation(base)
    assert ev.rci_reliability == "auto"
    pinned, _ = load_evaluation({**base, "rci_reliability": "definition"})
    assert pinned.rci_reliability == "definition"
    with pytest.raises(InputError, match="rci_reliability"):
        load_evaluation({**base, "rci_reliability": "sample"})
