"""The documentation site builds with warnings as errors (mkdocs --strict, mkdocstrings)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_docs_site_builds_strict(tmp_path: Path) -> None:
    site = tmp_path / "site"
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr
    # the API pages are generated from the docstrings, not left empty
    scoring = (site / "api" / "scoring" / "index.html").read_text(encoding="utf-8")
    assert "ScoreResult" in scoring and "rows_excluded" in scoring
    assert (site / "results-fields" / "index.html").is_file()
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "stigma-outcomes demo" in home  # the README is the home page
