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


def test_catalogue_lists_the_status_of_every_fact() -> None:
    text = render_catalogue([load_instrument("core10"), load_instrument("wemwbs")])
    assert "## Verification per fact" in text
    core10 = next(line for line in text.splitlines() if line.startswith("- `core10`"))
    assert "items 2 (support) and 3 (coping) are positively worded" in core10
    assert "cut-off >= 11 (total) verified" in core10 and "norms (total) single source" in core10
    wemwbs = next(line for line in text.splitlines() if line.startswith("- `wemwbs`"))
    assert "bands (total) single source" in wemwbs


def test_scoring_status_comes_from_the_per_fact_sources() -> None:
    # SCS: the all-items reversal is derived from two verified facts → 'computed'.
    assert verification_summary(load_instrument("scs8")).startswith("scoring computed")
    # ONS direct question: the numeric coding is the project's convention.
    assert verification_summary(load_instrument("ons_lonely")).startswith("scoring convention")
    # Facts that do not change a score (DOI, labels) do not lower the scoring status.
    assert verification_summary(load_instrument("qpr15")).startswith("scoring verified")
