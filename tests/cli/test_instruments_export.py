"""``stigma-outcomes instruments export`` and the library views of ``list`` and ``show``."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from stigma_outcomes.cli.app import app
from stigma_outcomes.instruments.redcap import REDCAP_COLUMNS

runner = CliRunner()


def _run(*args: str):
    return runner.invoke(app, list(args))


def test_export_redcap_dictionary(tmp_path: Path) -> None:
    out = tmp_path / "phq9_dictionary.csv"
    result = _run("instruments", "export", "phq9", "--format", "redcap", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "9 fields named phq9_<item>" in result.output
    dd = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(dd.columns) == REDCAP_COLUMNS
    assert dd["Variable / Field Name"].tolist() == [f"phq9_{i}" for i in range(1, 10)]
    assert dd.loc[0, "Choices, Calculations, OR Slider Labels"].startswith("0, Not at all | 1, ")


def test_export_with_overlay_and_record_id(tmp_path: Path) -> None:
    overlay = tmp_path / "wording.yaml"
    overlay.write_text('items:\n  "1": "Wording from my licensed copy"\n', encoding="utf-8")
    out = tmp_path / "gad7.csv"
    result = _run(
        "instruments", "export", "gad7", "--overlay", str(overlay),
        "--record-id", "record_id", "--out", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "wording from the overlay" in result.output
    dd = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert dd["Variable / Field Name"].tolist()[:2] == ["record_id", "gad7_1"]
    assert dd.loc[1, "Field Label"] == "Wording from my licensed copy"
    assert dd.loc[2, "Field Label"] == "cannot stop worrying"


def test_unknown_format_is_exit_2_without_output_file(tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    result = _run("instruments", "export", "phq9", "--format", "qualtrics", "--out", str(out))
    assert result.exit_code == 2
    assert "unknown export format 'qualtrics'" in result.output
    assert "--format xlsform" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_qualtrics_txt_is_refused_with_what_to_do_instead(tmp_path: Path) -> None:
    out = tmp_path / "phq9.txt"
    result = _run("instruments", "export", "phq9", "--format", "qualtrics-txt", "--out", str(out))
    assert result.exit_code == 2
    assert "unknown export format 'qualtrics-txt'" in result.output
    assert "export tag" in result.output and "recode values" in result.output
    assert not out.exists()


def test_bad_overlay_is_exit_2(tmp_path: Path) -> None:
    overlay = tmp_path / "wording.yaml"
    overlay.write_text('items:\n  "42": "no such item"\n', encoding="utf-8")
    result = _run(
        "instruments", "export", "gad7", "--overlay", str(overlay), "--out",
        str(tmp_path / "x.csv"),
    )  # fmt: skip
    assert result.exit_code == 2
    assert "item '42'" in result.output


def test_unknown_instrument_is_exit_2(tmp_path: Path) -> None:
    result = _run("instruments", "export", "phq99", "--out", str(tmp_path / "x.csv"))
    assert result.exit_code == 2
    assert "unknown instrument 'phq99'" in result.output


def test_list_groups_by_domain_with_license_and_verification() -> None:
    result = _run("instruments", "list")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    distress = lines.index("distress")
    end = lines.index("", distress)  # the domain block ends at the next blank line
    block = lines[distress + 1 : end]
    assert any(line.split()[0] == "gad7" and "free_with_citation" in line for line in block)
    assert any("scoring verified; bands verified" in line for line in block)


def test_list_json_has_verification() -> None:
    import json

    result = _run("instruments", "list", "--json")
    rows = {r["id"]: r for r in json.loads(result.output)}
    assert rows["k6"]["verification"].startswith("scoring verified")
    assert rows["ribs"]["license"] == "registration_required"


def test_show_has_what_a_methods_section_needs() -> None:
    result = _run("instruments", "show", "omshc15")
    assert result.exit_code == 0, result.output
    text = result.output
    for needle in (
        "DOI: 10.1186/1471-244X-14-120",
        "license: permission_required",
        "verification: scoring verified",
        "facts and their sources",
        "(20:3)",
        "method: prorated_sum",
    ):
        assert needle in text, needle


def test_show_states_how_non_answers_are_scored() -> None:
    text = _run("instruments", "show", "ribs").output
    assert "would live with someone [agree5]  (non-answers: Don't know → scored 3)" in text
    assert "(non-answers: Don't know → missing)" in text


def test_export_xlsform_workbook(tmp_path: Path) -> None:
    out = tmp_path / "core10.xlsx"
    result = _run(
        "instruments", "export", "core10", "--format", "xlsform", "--record-id", "pid",
        "--out", str(out),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "XLSForm (survey, choices and settings sheets)" in result.output
    sheets = pd.read_excel(out, sheet_name=None, dtype=str)
    assert list(sheets) == ["survey", "choices", "settings"]
    assert sheets["survey"]["name"].tolist() == ["pid", *[f"core10_{i}" for i in range(1, 11)]]


def test_export_xlsform_to_csv_is_exit_2(tmp_path: Path) -> None:
    out = tmp_path / "core10.csv"
    result = _run("instruments", "export", "core10", "--format", "xlsform", "--out", str(out))
    assert result.exit_code == 2
    assert "cannot write an XLSForm" in result.output
    assert not out.exists()


def test_show_gives_the_status_of_every_fact() -> None:
    text = _run("instruments", "show", "core10").output
    assert "facts and their sources (status per fact):" in text
    assert "items 2 (support) and 3 (coping) are positively worded" in text
    assert "[verified]: CamCOPS" in text
    wemwbs = _run("instruments", "show", "wemwbs").output
    assert "— " in wemwbs and "[single_source]" in wemwbs  # the upper bands rest on one source
