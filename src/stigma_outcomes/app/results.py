"""The Results step: the ledger's summary, the scores (evaluator only), the report, downloads."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

SCORE_ROWS_SHOWN = 20

DOWNLOADS = (
    ("report_pdf", "Report (PDF)", "report.pdf"),
    ("report_html", "Report (HTML)", "report.html"),
    ("report_md", "Report (Markdown)", "report.md"),
    ("results_json", "Results (JSON)", "results.json"),
    ("results_csv", "Results (CSV)", "results.csv"),
    ("scores_xlsx", "Scores (XLSX, evaluator only)", "scores.xlsx"),
    ("ledger_xlsx", "Data-quality ledger (XLSX, evaluator only)", "ledger.xlsx"),
    ("alerts", "Alerts (CSV, evaluator only: never share it)", "alerts.csv"),
    ("evaluation_yaml", "evaluation.yaml", "evaluation.yaml"),
    ("mapping_yaml", "mapping.yaml", "mapping.yaml"),
    ("project_zip", "Whole project (zip: exports and both files)", "stigma-outcomes-project.zip"),
)


PROJECT_FILES = ("evaluation_yaml", "mapping_yaml", "project_zip")
"""Downloads made from the project folder, not from a run's outputs."""


def _table(rows: Sequence[Sequence[Any]], header: Sequence[str], caption: str) -> Any:
    from shiny import ui

    return ui.tags.table(
        ui.tags.caption(caption),
        ui.tags.thead(ui.tags.tr(*[ui.tags.th(h, scope="col") for h in header])),
        ui.tags.tbody(*[ui.tags.tr(*[ui.tags.td(str(c)) for c in r]) for r in rows]),
        class_="table table-sm w-auto",
    )


def results_panel(wb: Any, downloads: Sequence[tuple[str, str, str]]) -> Any:
    """The whole Results step for a workbench that has run (or a note that it has not)."""
    from shiny import ui

    outcome = wb.outcome
    if outcome is None:
        return ui.p("No results yet: run the evaluation on the Run step first.")
    import pandas as pd

    s = outcome.summary
    counts = [
        ("rows read", s.get("rows_in")),
        ("rows scored", s.get("rows_scored")),
        ("rows set aside", s.get("rows_excluded")),
    ]
    counts += [
        (f"set aside: {k.replace('_', ' ')}", v)
        for k, v in (s.get("excluded_by_reason") or {}).items()
    ]
    problems = [(k.replace("_", " "), v) for k, v in (s.get("problems") or {}).items()]
    scales = [
        (x["instrument"], x["scale"], x["n_ok"], x["n_no_score"]) for x in s.get("scales", [])
    ]
    scores = pd.read_csv(outcome.files["scores"], dtype=str, keep_default_na=False)
    shown = scores.head(SCORE_ROWS_SHOWN)
    html = outcome.files["report_html"].read_text(encoding="utf-8")
    # A run's files, and the project's own: the alerts file exists only when an alert was met.
    offered = [d for d in downloads if d[0] in outcome.files or d[0] in PROJECT_FILES]
    buttons = [ui.download_button(key, label, class_="me-2 mb-2") for key, label, _ in offered]
    return ui.TagList(
        ui.h3("Data quality", class_="h4"),
        _table(counts, ("", "rows"), "Every input row, scored or set aside"),
        _table(problems, ("problem", "ledger entries"), "Problems in the data-quality ledger")
        if problems
        else ui.p("The ledger lists no problem."),
        ui.div(
            ui.h3("Scores", class_="h4"),
            _table(scales, ("instrument", "scale", "scored", "not scored"), "Scores per scale"),
            ui.div(
                _table(
                    shown.itertuples(index=False, name=None),
                    tuple(shown.columns),
                    f"First {len(shown)} of {len(scores)} score rows",
                ),
                class_="scroll",
                tabindex="0",
                role="region",
                aria_label="First score rows (scrolls sideways)",
            ),
            ui.p(
                f"{s['alerts']} alert(s) raised by answers an evaluator must see (for example a "
                "self-harm item): follow them up under your safeguarding procedure; they never "
                "reach the report."
            )
            if s.get("alerts")
            else None,
            class_="evaluator-only",
        ),
        ui.h3("Downloads", class_="h4"),
        ui.div(*buttons),
        ui.p(
            "evaluation.yaml and mapping.yaml reproduce this run: put them in one folder with "
            "the exports and run 'stigma-outcomes run evaluation.yaml'. The zip holds all of "
            "them; nothing else is kept after the app stops."
        ),
        ui.h3("The report", class_="h4"),
        ui.tags.iframe(
            srcdoc=html, title="The report as it will be sent", class_="report", sandbox=""
        ),
    )
