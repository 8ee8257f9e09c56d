"""The generated catalogue (instruments/README.md) and the published JSON Schema stay current."""

from __future__ import annotations

import json

import pytest

from stigma_outcomes.instruments import load_instrument
from stigma_outcomes.instruments.catalogue import (
    REGENERATE,
    builtin_instruments,
    catalogue_path,
    main,
    render_catalogue,
    verification_summary,
)
from stigma_outcomes.instruments.registry import builtin_dir
from stigma_outcomes.instruments.schema import json_schema


def test_committed_catalogue_is_current() -> None:
    expected = render_catalogue(builtin_instruments())
    path = catalogue_path()
    actual = path.read_text(encoding="utf-8") if path.exists() else ""
    assert actual == expected, (
        f"{path} is stale: a definition was added or changed. Regenerate it with `{REGENERATE}` "
        "and commit the result."
    )


def test_committed_schema_json_is_current() -> None:
    path = builtin_dir() / "schema.json"
    expected = json.dumps(json_schema(), indent=2, sort_keys=True) + "\n"
    assert path.read_text(encoding="utf-8") == expected, (
        f"{path} no longer matches the pydantic schema. Regenerate it with: python -c "
        '"import json; from stigma_outcomes.instruments.schema import json_schema; '
        "open('instruments/schema.json', 'w').write(json.dumps(json_schema(), indent=2, "
        "sort_keys=True) + '\\n')\""
    )


def test_every_definition_has_one_row() -> None:
    text = render_catalogue(builtin_instruments())
    ids = [i.id for i in builtin_instruments()]
    assert len(ids) == len(set(ids))
    for instrument_id in ids:
        assert text.count(f"| `{instrument_id}` |") == 1


def test_rows_are_grouped_by_domain_in_schema_order() -> None:
    text = render_catalogue([load_instrument("phq9"), load_instrument("ucla3")])
    rows = [line for line in text.splitlines() if line.startswith("| `")]
    # isolation comes before distress in the schema's domain list
    assert rows[0].startswith("| `ucla3`") and rows[1].startswith("| `phq9`")


def test_verification_summary_reports_weakest_status() -> None:
    assert verification_summary(load_instrument("phq9")) == (
        "scoring verified; bands verified; cut-off verified; alpha single source"
    )
    # WEMWBS: the two lower bands rest on two sources, the upper bands on one → single source.
    assert "bands single source" in verification_summary(load_instrument("wemwbs"))
    assert "bands verified" in verification_summary(load_instrument("k6"))


def test_main_writes_the_file(tmp_path: pytest.TempPathFactory) -> None:
    target = tmp_path / "README.md"
    assert main([str(target)]) == 0
    assert target.read_text(encoding="utf-8") == render_catalogue(builtin_instruments())
