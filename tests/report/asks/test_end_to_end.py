"""The example evaluation with every funder section, run end to end (exports to PDF)."""

from __future__ import annotations

import io
import re
import shutil
from html import unescape
from pathlib import Path

import pytest

from stigma_outcomes.pipeline import run_evaluation, sample_data_dir

TITLES = [
    "Who took part",
    "Dose: sessions attended",
    "Targets",
    "Compared with published norms",
    "Cost",
    "In participants' words",
    "The evaluator's view",
]


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return run_evaluation(
        sample_data_dir() / "evaluation_funder.yaml", tmp_path_factory.mktemp("funder")
    ).out_dir


def test_every_section_is_in_every_format(run: Path) -> None:
    from pypdf import PdfReader

    md = (run / "report.md").read_text(encoding="utf-8")
    html = (run / "report.html").read_text(encoding="utf-8")
    pdf = " ".join(
        p.extract_text() for p in PdfReader(io.BytesIO((run / "report.pdf").read_bytes())).pages
    )
    pdf = re.sub(r"\s+", " ", pdf)
    for title in TITLES:
        assert f"## {title}" in md, title
        assert title in unescape(html), title
        assert title.replace("'", "’") in pdf or title in pdf, title
    # the funder sections sit after the body's outcome sections and before the methods
    assert md.index("## Who took part") > md.index("## Data quality")
    assert md.index("## The evaluator's view") < md.index("## Methods")


def test_sections_carry_their_numbers_and_caveats(run: Path) -> None:
    md = (run / "report.md").read_text(encoding="utf-8")
    assert "| Woman | 142 | 59% |" in md and "| All | 240 | 100% |" in md
    assert "does not show that more sessions cause more change" in md
    # 48 of 101 in the programme group reliably improved: 12.5 points short of 60%
    row = "| Intervention | 48% (48 of 101) | Not met | 12.5 percentage points |"
    assert f"| 60% of participants reliably more connected {row}" in md
    assert "£48,000" in md and "£356" in md  # 48,000 / 135 people who started
    assert "| 48 | £1,000 |" in md  # 48,000 / 48 reliably improved
    assert "The first two weeks I nearly stopped coming" not in md  # no consent
    assert md.count("” — participant") == 3
    assert "Keep the groups at eight sessions" in md


def test_quotes_never_come_from_the_export_and_no_one_is_named(run: Path) -> None:
    text = (run / "report.md").read_text(encoding="utf-8")
    assert "@example.org" not in text and "SP-0" not in text.upper()


def test_a_voices_file_without_consent_stops_the_run_with_exit_2(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from stigma_outcomes.cli.app import app

    folder = tmp_path / "sample"
    shutil.copytree(sample_data_dir(), folder)
    (folder / "voices.yaml").write_text("- quote: It helped.\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["run", str(folder / "evaluation_funder.yaml")])
    assert result.exit_code == 2, result.output
    assert "does not record consent" in result.output and "Traceback" not in result.output
    assert not (folder / "outputs_funder").exists()


def test_a_personal_column_cannot_be_described(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from stigma_outcomes.cli.app import app

    folder = tmp_path / "sample"
    shutil.copytree(sample_data_dir(), folder)
    path = folder / "evaluation_funder.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "carry: [site, age_band, gender, sessions]", "carry: [site, RecipientEmail]"
    )
    text = text.replace("columns: [age_band, gender, site]", "columns: [RecipientEmail]")
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["run", str(path)])
    assert result.exit_code == 2, result.output
    assert "holds personal data" in result.output and "Traceback" not in result.output
