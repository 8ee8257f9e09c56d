"""Outcome facts come from the registry a build is given; nothing carries over between
builds, and a broken definition is an error, not a silent fallback."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from stigma_outcomes.errors import StigmaOutcomesError
from stigma_outcomes.instruments import Registry
from stigma_outcomes.instruments.registry import builtin_dir
from stigma_outcomes.report import build_report, outcomes
from stigma_outcomes.report.outcomes import Definitions, describe_outcome

from .conftest import paired_record


def test_no_module_level_cache_remains() -> None:
    assert not hasattr(outcomes, "_DEFINITIONS")
    assert not hasattr(outcomes, "clear_definition_cache")


def test_each_build_reads_the_definitions_afresh(tmp_path: Path) -> None:
    ucla = yaml.safe_load((builtin_dir() / "ucla3.yaml").read_text())
    mine = {**ucla, "id": "myucla", "short_name": "My-UCLA"}
    (tmp_path / "myucla.yaml").write_text(yaml.safe_dump(mine, allow_unicode=True))
    first = Definitions(Registry([tmp_path])).describe("myucla", "total")
    assert first.short_name == "My-UCLA"
    mine["short_name"] = "Renamed"
    (tmp_path / "myucla.yaml").write_text(yaml.safe_dump(mine, allow_unicode=True))
    # A new build (a new Definitions) sees the file as it is now.
    assert Definitions(Registry([tmp_path])).describe("myucla", "total").short_name == "Renamed"


def test_a_build_looks_each_definition_up_once() -> None:
    calls: list[str] = []

    class Counting(Registry):
        def get(self, id_or_path):  # type: ignore[no-untyped-def]
            calls.append(str(id_or_path))
            return super().get(id_or_path)

    defs = Definitions(Counting())
    for scale in ("total", "total", "total"):
        defs.describe("ucla3", scale)
    assert calls == ["ucla3"]


def test_unknown_instrument_falls_back_to_the_results() -> None:
    info = describe_outcome("not_in_registry", "total", {"improvement_sign": -1})
    assert info.direction == "higher_is_worse" and info.short_name == "not_in_registry"
    rec = paired_record("not_in_registry", "total", None, 90, 6.8, 5.9, -1, 0.001, 20, 5)
    model = build_report({"meta": {}, "paired": [rec]})
    assert model.outcomes[0].title.startswith("not_in_registry")


def test_a_broken_definition_is_an_error_not_a_fallback(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text("id: broken\nname: [unclosed\n")
    with pytest.raises(StigmaOutcomesError):
        Definitions(Registry([tmp_path])).get("broken")


def test_a_users_own_definition_names_its_outcome(tmp_path: Path) -> None:
    ucla = yaml.safe_load((builtin_dir() / "ucla3.yaml").read_text())
    mine = {**ucla, "id": "mylonely", "short_name": "MY-LONELY", "name": "My loneliness scale"}
    (tmp_path / "mylonely.yaml").write_text(yaml.safe_dump(mine, allow_unicode=True))
    rec = paired_record("mylonely", "total", None, 90, 6.8, 5.9, -1, 0.001, 20, 5)
    model = build_report({"meta": {}, "paired": [rec]}, registry=Registry([tmp_path]))
    assert model.outcomes[0].title == "MY-LONELY: My loneliness scale"
    # without the analysis' registry, only what the results carry
    assert build_report({"meta": {}, "paired": [rec]}).outcomes[0].title.startswith("mylonely")
