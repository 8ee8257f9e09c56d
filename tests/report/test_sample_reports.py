"""The shipped demo and REDCap sample reports, read as a careful reader would.

No chart carries a mark per person; every count of people under the threshold is
suppressed wherever it appears; the disclosure audit ran, is named in the methods, and
nothing it protects can be narrowed by the independent brute-force attacker; and
evaluator-only content (mis-keying warnings, item ids, option names) is in the evaluator's
QA file, never in the PDF, HTML or Markdown.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml

from stigma_outcomes.pipeline import run_evaluation, sample_data_dir
from stigma_outcomes.report import ReportSettings, build_report
from stigma_outcomes.report.content import RCI_COUNTS, record_key

from .bruteforce import narrowed

RUNS = {"demo": "evaluation.yaml", "redcap": "evaluation_redcap.yaml"}


@pytest.fixture(scope="module", params=[("demo", 5), ("redcap", 5), ("demo", 11)])
def run(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict:
    name, threshold = request.param
    folder = tmp_path_factory.mktemp(f"{name}{threshold}")
    for f in sample_data_dir().iterdir():
        if f.is_file():
            shutil.copy(f, folder / f.name)
    ev_path = folder / RUNS[name]
    ev = yaml.safe_load(ev_path.read_text())
    ev["privacy"] = {**(ev.get("privacy") or {}), "min_cell": threshold}
    if threshold != 5:
        ev["report"] = {**(ev.get("report") or {}), "formats": ["html", "md"]}
    ev_path.write_text(yaml.safe_dump(ev))
    result = run_evaluation(ev_path, folder / "out")
    out = result.out_dir
    texts = {
        fmt: Path(p).read_text()
        for fmt, p in result.files.items()
        if fmt in ("report_html", "report_md")
    }
    if "report_pdf" in result.files:
        from pypdf import PdfReader

        reader = PdfReader(result.files["report_pdf"])
        texts["report_pdf"] = "\n".join(page.extract_text() for page in reader.pages)
    results = json.loads((out / "results.json").read_text())
    scores = pd.read_csv(out / "scores.csv")
    ledger = pd.read_csv(out / "ledger.csv")
    model = build_report(results, scores, ledger, ReportSettings(min_cell=threshold))
    return {
        "name": name,
        "t": threshold,
        "texts": texts,
        "results": results,
        "scores": scores,
        "model": model,
        "qa": (out / "evaluator_qa.txt").read_text(),
    }


def _participants(r: dict) -> int:
    return int(r["scores"]["participant_id"].nunique())


def test_no_chart_draws_a_mark_per_person(run: dict) -> None:
    from stigma_outcomes.report.charts import render_svg
    from stigma_outcomes.report.render_typst import typst_sources

    model = run["model"]
    smallest = min(
        int(rec["n_pairs"])
        for rec in run["results"]["paired"]
        if rec.get("group") is None and rec.get("n_pairs")
    )
    charts = [c for s in [model.summary, *model.outcomes, *model.sections] for c in s.charts]
    assert not any(c.kind == "scatter" for c in charts)
    assert any(c.kind == "change" for c in charts)
    for chart in charts:
        svg = render_svg(chart)
        # Matplotlib draws repeated marks as <use> of one marker; glyphs are DejaVu paths.
        marks = [h for h in re.findall(r'<use xlink:href="#([^"]+)"', svg) if "DejaVu" not in h]
        most = max((marks.count(m) for m in set(marks)), default=0)
        assert most < smallest / 2, (chart.id, most, smallest)
        # Nor as separate shapes: a chart has fewer drawn paths than a per-person one would.
        assert svg.count("<path") < 4 * _participants(run), chart.id
        bars = chart.data.get("bars") or []
        assert len(bars) < smallest / 2, chart.id
    # The PDF embeds exactly these SVGs (through Typst), so it carries no more marks.
    sources = typst_sources(model)
    assert sum(name.endswith(".svg") for name in sources) == len(charts)
    assert _participants(run) > 40


def test_every_small_count_is_suppressed_in_the_tables(run: dict) -> None:
    t = run["t"]
    model = run["model"]
    table_cells = {}
    for sec in model.outcomes:
        for table in sec.tables:
            for row in table.rows:
                table_cells[row[0]] = row
    d = model.disclosure
    assert d is not None
    small = [k for k, v in d.values.items() if 0 < v < t and k not in d.not_people]
    assert small, "the sample has small counts to protect"
    for key in small:
        assert d.status(key) != "shown", key
    # And in print: a paired row's reliable-change cells show a mark, never the small number.
    for rec in run["results"]["paired"]:
        key = record_key("paired", rec)
        for name in ("n_reliably_improved", "n_reliably_deteriorated"):
            value = rec.get(name)
            if isinstance(value, int) and 0 < value < t:
                assert d.mark(f"{key}|{name}") in (f"<{t}", "‡", "not shown")


def test_brute_force_attacker_narrows_no_small_count(run: dict) -> None:
    """Each scale's group × reliable-change table, as published, against brute force."""
    t = run["t"]
    d = run["model"].disclosure
    by_cell: dict[str, list[dict[str, Any]]] = {}
    for rec in run["results"]["paired"]:
        if rec.get("n_reliably_improved") is None:
            continue
        by_cell.setdefault(record_key("paired", {**rec, "group": None}), []).append(rec)
    checked = 0
    for cell, recs in by_cell.items():
        groups = [r for r in recs if r.get("group") is not None]
        if not groups:
            continue
        table = [[int(r[name]) for name in RCI_COUNTS] for r in groups]
        status = {}
        for g, rec in enumerate(groups):
            key = record_key("paired", rec)
            status[f"g{g}|n"] = d.status(f"{key}|n_pairs")
            for c, name in enumerate(RCI_COUNTS):
                status[f"g{g}|c{c}"] = d.status(f"{key}|{name}")
        for c, name in enumerate(RCI_COUNTS):
            status[f"all|c{c}"] = d.status(f"{cell}|{name}")
        status["all|n"] = d.status(f"{cell}|n_pairs")
        result = narrowed(table, status, t)
        if result is None:
            continue
        checked += 1
        assert result == [], (cell, status)
    if run["name"] == "demo":
        # At threshold 11 most grids are too large to enumerate; at 5 most are checked.
        assert checked >= (5 if t == 5 else 1)


def test_the_methods_say_the_audit_ran_with_its_threshold(run: dict) -> None:
    t = run["t"]
    for fmt, text in run["texts"].items():
        flat = " ".join(text.split())
        assert "disclosure audit" in flat, fmt
        assert f"(threshold {t})" in flat, fmt
        assert f"1 to {t - 1}" in flat, fmt
    assert run["model"].audit is not None and run["model"].audit.threshold == t


def test_evaluator_only_content_stays_out_of_every_format(run: dict) -> None:
    forbidden = [
        "mis-keyed",
        "Mis-keyed",
        "include_incomplete",
        "include incomplete",
        "ismi29_",
        "gbs_",
        "ucla3_",
        "paired|",
        "ledger|",
        "row_excluded",
        "Ledger:",
        "ALERT",
    ]
    for fmt, text in run["texts"].items():
        for word in forbidden:
            assert word not in text, (fmt, word)
    qa = run["qa"]
    assert "Disclosure audit: threshold" in qa
    if run["name"] == "redcap":
        assert "mis-keyed" in qa and "include_incomplete" in qa
        assert (
            "answers not scored, because the form was marked incomplete"
            in run["texts"]["report_md"]
        )


def test_counts_of_columns_are_shown_as_they_are(run: dict) -> None:
    if run["name"] != "redcap":
        pytest.skip("only the REDCap sample has personal-data columns to count (two)")
    row = next(
        line for line in run["texts"]["report_md"].splitlines() if "personal-data column" in line
    )
    assert "| 2 |" in row
