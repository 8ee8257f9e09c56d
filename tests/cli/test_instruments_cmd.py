"""`stigma-outcomes instruments list | show | validate` through typer's runner."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from stigma_outcomes.cli.app import app
from stigma_outcomes.instruments.registry import builtin_dir

runner = CliRunner()


def test_list_shows_core_instruments_with_licenses() -> None:
    result = runner.invoke(app, ["instruments", "list"])
    assert result.exit_code == 0
    lines = {line.split()[0]: line for line in result.stdout.splitlines() if line.startswith("  ")}
    assert "permission_required" in lines["ismi29"] and "29 items" in lines["ismi29"]
    assert "free_with_citation" in lines["ucla3"]
    assert "12 items" in lines["gbs"]


def test_list_json() -> None:
    result = runner.invoke(app, ["instruments", "list", "--json"])
    rows = {r["id"]: r for r in json.loads(result.stdout)}
    assert rows["ucla3"]["items"] == 3 and rows["ucla3"]["domain"] == "isolation"
    assert rows["gbs"]["scales"] == ["acceptance_inclusion", "rejection_exclusion", "total"]


def test_show_has_rules_bands_citation_and_license() -> None:
    result = runner.invoke(app, ["instruments", "show", "ucla3"])
    assert result.exit_code == 0
    text = result.stdout
    for expected in (
        "method: sum; range 3–9",
        "bands: not lonely 3–5; lonely 6–9",
        "10.1177/0164027504268574",
        "free_with_citation",
        "[convention]",
    ):
        assert expected in text


def test_show_states_the_value_of_a_skipped_item() -> None:
    result = runner.invoke(app, ["instruments", "show", "djg6"])
    assert result.exit_code == 0
    assert "at least 5 of 6 items answered, a skipped item counting 0" in result.stdout


def test_show_json_uses_spec_field_names() -> None:
    result = runner.invoke(app, ["instruments", "show", "ismi29", "--json"])
    data = json.loads(result.stdout)
    assert {
        "id",
        "name",
        "short_name",
        "construct",
        "domain",
        "version",
        "provenance",
        "response_scales",
        "items",
        "scales",
    } <= set(data)
    scale = data["scales"][0]
    assert {"id", "name", "items", "method", "min_answered", "direction", "range"} <= set(scale)


def test_show_unknown_instrument_exits_2_with_suggestion() -> None:
    result = runner.invoke(app, ["instruments", "show", "ucla"])
    assert result.exit_code == 2
    assert "unknown instrument 'ucla'" in result.stderr and "'ucla3'" in result.stderr
    assert "Traceback" not in result.output


def test_validate_good_and_broken_files(tmp_path: Path) -> None:
    good = builtin_dir() / "gbs.yaml"
    broken = tmp_path / "gbs.yaml"
    broken.write_text(good.read_text().replace("method: mean", "method: average", 1))
    ok = runner.invoke(app, ["instruments", "validate", str(good)])
    assert ok.exit_code == 0 and "ok:" in ok.stdout
    bad = runner.invoke(app, ["instruments", "validate", str(good), str(broken)])
    assert bad.exit_code == 2
    assert "scales[0] (id 'acceptance_inclusion').method" in bad.stderr
