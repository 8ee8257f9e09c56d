"""End to end: a site of 3 people is the default reference group of three (issue found by
a tester on a long export with ``group_by: site``).

Before, the report named the site in the headline ("the North group against the Eastside
group", "Eastside group: not shown (<5 people)") and in the between-group tables ("North −
Eastside"), while its Reach sentence said a small group was not named; the GAD-7 table had
two rows both labelled "Anxiety severity"; and page 1 said "Too few people to say" for a
sample of 34 pairs. The PDF, the HTML and the Markdown are built from one model, and each
is checked here.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from stigma_outcomes.pipeline import run_evaluation

SITES = {"Eastside": 3, "North": 18, "South": 19}


def _export(path: Path) -> None:
    """A long export: everyone at pre, all but 6 (North and South) at post, scores falling."""
    rng = np.random.default_rng(7)
    n = sum(SITES.values())
    site = np.repeat(list(SITES), list(SITES.values()))
    pre = pd.DataFrame({"participant_id": [f"P{i:03d}" for i in range(n)], "wave": "pre"})
    pre["site"] = site
    post = pre.drop(index=[5, 9, 14, 25, 31, 38]).assign(wave="post")
    for frame, low, high in ((pre, 1, 4), (post, 0, 2)):
        for inst, k in (("gad7", 7), ("phq9", 9)):
            items = rng.integers(low, high, size=(len(frame), k))
            for j in range(k):
                frame[f"{inst}_{j + 1}"] = items[:, j]
    pd.concat([pre, post]).to_csv(path, index=False)


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("small_reference")
    _export(folder / "grp.csv")
    (folder / "evaluation.yaml").write_text(
        "title: Group test\n"
        "data:\n- path: grp.csv\n  wave_col: wave\n"
        "instruments: [gad7, phq9]\n"
        "id_col: participant_id\n"
        "group_by: site\n"
        "carry: [site]\n"
        "waves:\n  pre: pre\n  post: post\n"
        "privacy:\n  min_cell: 5\n"
        "report:\n  formats: [pdf, html, md]\n",
        encoding="utf-8",
    )
    run_evaluation(folder / "evaluation.yaml", folder / "out")
    return folder / "out"


def _texts(out: Path) -> dict[str, str]:
    from pypdf import PdfReader

    pdf = PdfReader(io.BytesIO((out / "report.pdf").read_bytes()))
    return {
        "pdf": re.sub(r"\s+", " ", " ".join(p.extract_text() for p in pdf.pages)),
        "html": (out / "report.html").read_text(encoding="utf-8"),
        "md": (out / "report.md").read_text(encoding="utf-8"),
    }


def test_the_results_compare_each_site_with_the_small_one(out: Path) -> None:
    import json

    results = json.loads((out / "results.json").read_text())
    pairs = {(a["group"], a["reference_group"]) for a in results["ancova"] if a["group"]}
    assert pairs == {("North", "Eastside"), ("South", "Eastside")}


def test_the_small_site_is_named_nowhere_in_any_format(out: Path) -> None:
    for name, text in _texts(out).items():
        assert "Eastside" not in text, name
        assert "a small group not named" in text, name


def test_page_1_gives_everyones_change_not_too_few_people(out: Path) -> None:
    for name, text in _texts(out).items():
        page1 = text[: text.index("Outcomes")]
        assert "Too few people to say" not in page1, name
        assert "improved" in page1, name
        assert "everyone, all groups together" in page1, name
        assert "The groups are not compared on this page" in page1, name


def test_between_group_rows_say_which_groups_they_compare(out: Path) -> None:
    md = _texts(out)["md"]
    for scale in ("Anxiety severity", "Depression severity"):
        rows = re.findall(rf"^\| ({scale} · [^|]+?) \| not shown \| not shown \|$", md, re.M)
        assert rows == [f"{scale} · North − a small group", f"{scale} · South − a small group"]
