"""Render page 1 (the Summary) of the demo and the REDCap sample reports to PNG.

    python docs/_page1.py        # writes docs/page1-demo.png and docs/page1-redcap.png

Runs each sample evaluation end to end, rebuilds the report model from what the run wrote
(as ``stigma-outcomes report`` does) and has Typst draw the first page of the same layout
the PDF uses. Not part of the package: a maintainer's tool for the README images.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import pandas as pd
import typst

from stigma_outcomes.pipeline import load_evaluation, run_evaluation, sample_data_dir
from stigma_outcomes.report import build_report
from stigma_outcomes.report.render_typst import FIXED_TIMESTAMP, typst_sources

DOCS = Path(__file__).resolve().parent
SAMPLES = {"demo": "evaluation.yaml", "redcap": "evaluation_redcap.yaml"}


def first_page_png(evaluation: Path, ppi: int = 110) -> bytes:
    """Page 1 of the evaluation's report as PNG bytes."""
    ev, _ = load_evaluation(evaluation)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        run_evaluation(evaluation, out)
        results = json.loads((out / "results.json").read_text(encoding="utf-8"))
        scores = pd.read_csv(out / "scores.csv", dtype={"participant_id": str})
        ledger = pd.read_csv(out / "ledger.csv")
    settings = ev.report_settings()
    planning = ev.report.planning.model_dump() if ev.report.planning else None
    model = build_report(results, scores, ledger, settings, planning=planning)
    pages = typst.compile(
        typst_sources(model),
        format="png",
        ppi=ppi,
        ignore_system_fonts=True,
        timestamp=int(FIXED_TIMESTAMP.timestamp()),
    )
    return pages[0] if isinstance(pages, list) else pages


def main() -> int:
    for name, file in SAMPLES.items():
        png = first_page_png(sample_data_dir() / file)
        (DOCS / f"page1-{name}.png").write_bytes(png)
        print(f"docs/page1-{name}.png: {len(png):,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
