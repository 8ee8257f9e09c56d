"""The page: one tab per step, every control labelled, every message in a live region.

Built with Shiny for Python's core UI (Bootstrap 5): tabs, labels and buttons are real links,
``<label for>`` and ``<button>`` elements, so keyboard use (Tab, Enter, Space, arrow keys in the
tab list) works without extra code. Everything here is static; the server fills the
``output_ui`` slots.
"""

from __future__ import annotations

from typing import Any

from .uploads import DEFINITION_SUFFIXES, EXPORT_SUFFIXES

STEP_TITLES = {
    "programme": "1. Programme",
    "exports": "2. Exports",
    "questionnaires": "3. Questionnaires",
    "design": "4. Design",
    "run": "5. Run",
    "results": "6. Results",
}

CSS = """
main { max-width: 70rem; }
.step-intro { max-width: 48rem; }
.file-card, .block-card { border: 1px solid #6c757d; border-radius: .4rem; padding: .8rem 1rem;
  margin: .8rem 0; }
.problem { border-left: .35rem solid #a4161a; background: #fff5f5; padding: .6rem 1rem;
  margin: .8rem 0; }
.problem strong { color: #7a0c0f; }
.evaluator-only { border: 2px dashed #7a4d00; padding: .6rem 1rem; margin: 1rem 0; }
.evaluator-only h3::after { content: " (evaluator only: holds participant codes; do not send)";
  font-size: 1rem; font-weight: normal; color: #5c3a00; }
.guess { background: #fff3cd; color: #3d2e00; padding: 0 .3rem; }
.stages li.done::marker { content: "✓ "; }
caption { caption-side: top; color: #212529; font-weight: 600; }
.scroll { overflow-x: auto; max-width: 100%; }
iframe.report { width: 100%; height: 70vh; border: 1px solid #6c757d; }
:focus-visible { outline: 3px solid #0b5cad !important; outline-offset: 2px; }
"""


def file_input(input_id: str, label: str, *, multiple: bool, accept: list[str]) -> Any:
    """Shiny's file box, with a name on its read-only 'No file selected' field too."""
    from shiny import ui

    box = ui.input_file(
        input_id, label, multiple=multiple, accept=accept, button_label="Choose files…"
    )
    for tag in _walk(box):
        if getattr(tag, "name", None) == "input" and tag.attrs.get("type") == "text":
            tag.attrs["aria-label"] = f"{label}: chosen file names"
    return box


def _walk(tag: Any) -> list[Any]:
    found = [tag]
    for child in getattr(tag, "children", []):
        found += _walk(child)
    return found


def _next(step: str, label: str) -> Any:
    from shiny import ui

    return ui.input_action_button(f"next_{step}", label, class_="btn-primary mt-3")


def page() -> Any:
    """The whole page."""
    from shiny import ui

    programme = ui.nav_panel(
        STEP_TITLES["programme"],
        ui.h2("Programme"),
        ui.p(
            "What the report is about. You can come back and change any answer.",
            class_="step-intro",
        ),
        ui.div(ui.output_ui("fix_programme"), role="status", aria_live="polite"),
        ui.input_text("title", "Report title", value="Programme outcome report", width="100%"),
        ui.input_text("program", "Programme name", width="100%"),
        ui.input_text("period", "Period covered (e.g. March to June 2025)", width="100%"),
        ui.input_text(
            "author",
            "Author (an organisation, not a person)",
            value="Programme evaluation team",
            width="100%",
        ),
        ui.input_numeric(
            "min_cell",
            "Privacy threshold: counts below this are shown as '<n'",
            value=5,
            min=1,
            max=100,
        ),
        _next("programme", "Next: exports"),
        value="programme",
    )
    exports = ui.nav_panel(
        STEP_TITLES["exports"],
        ui.h2("Exports"),
        ui.p(
            "Upload one export per wave, or one long file, as downloaded from the survey "
            "platform (CSV, TSV, Excel, SPSS, Stata, Parquet, zipped or not). They stay on "
            "this computer.",
            class_="step-intro",
        ),
        ui.div(ui.output_ui("fix_exports"), role="status", aria_live="polite"),
        file_input("exports", "Survey exports", multiple=True, accept=list(EXPORT_SUFFIXES)),
        ui.p(
            "No exports at hand? ",
            ui.input_action_button(
                "sample", "Use the sample exports", class_="btn-sm btn-outline-secondary"
            ),
            " (a synthetic Qualtrics pre and post survey shipped with stigma-outcomes).",
        ),
        file_input(
            "dictionary",
            "REDCap data dictionary (optional, for REDCap exports)",
            multiple=False,
            accept=[".csv"],
        ),
        ui.div(ui.output_ui("upload_message"), role="alert", aria_live="assertive"),
        ui.output_ui("files"),
        _next("exports", "Next: questionnaires"),
        value="exports",
    )
    questionnaires = ui.nav_panel(
        STEP_TITLES["questionnaires"],
        ui.h2("Questionnaires"),
        ui.p(
            "The questionnaires found in the exports, with what matched and why. Only the "
            "ones you tick are scored. A match marked 'check' rests on the codes' range alone: "
            "tick it only if you know those columns hold that questionnaire.",
            class_="step-intro",
        ),
        ui.div(ui.output_ui("fix_questionnaires"), role="status", aria_live="polite"),
        ui.output_ui("blocks"),
        ui.h3("Add a questionnaire by hand"),
        ui.output_ui("manual"),
        ui.h3("Your own questionnaire definition"),
        file_input(
            "definition",
            "Instrument definition (YAML)",
            multiple=False,
            accept=list(DEFINITION_SUFFIXES),
        ),
        ui.div(ui.output_ui("definition_message"), role="status", aria_live="polite"),
        _next("questionnaires", "Next: design"),
        value="questionnaires",
    )
    design = ui.nav_panel(
        STEP_TITLES["design"],
        ui.h2("Design"),
        ui.p("Which waves to compare, and how.", class_="step-intro"),
        ui.div(ui.output_ui("fix_design"), role="status", aria_live="polite"),
        ui.output_ui("design"),
        _next("design", "Next: run"),
        value="design",
    )
    run = ui.nav_panel(
        STEP_TITLES["run"],
        ui.h2("Run"),
        ui.p(
            "Scores every participant, compares the waves and writes the report, as "
            "'stigma-outcomes run' does with the same files.",
            class_="step-intro",
        ),
        ui.input_action_button("run", "Run the evaluation", class_="btn-primary"),
        ui.div(ui.output_ui("run_status"), role="status", aria_live="polite"),
        value="run",
    )
    results = ui.nav_panel(
        STEP_TITLES["results"],
        ui.h2("Results"),
        ui.output_ui("results"),
        value="results",
    )
    return ui.page_fluid(
        ui.tags.style(CSS),
        ui.tags.header(ui.h1("stigma-outcomes workbench", class_="h3 mt-3")),
        ui.tags.main(
            ui.navset_tab(programme, exports, questionnaires, design, run, results, id="step"),
        ),
        title="stigma-outcomes workbench",
        lang="en",
    )
