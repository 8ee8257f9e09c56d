"""What each step shows, built from the workbench's state (Shiny tags, no reactivity here)."""

from __future__ import annotations

import re
from typing import Any

from ..errors import StigmaOutcomesError
from .recognise import recode_text

NONE = ""  # the "(not used)" choice of a select


def input_key(text: str) -> str:
    """A string safe inside a Shiny input id (an instrument id, a wave value)."""
    return re.sub(r"[^A-Za-z0-9_]", "_", text)


def problem_box(err: StigmaOutcomesError, *extra: Any) -> Any:
    """An error in the CLI's words: what, where, how to fix."""
    from shiny import ui

    return ui.div(
        ui.p(ui.strong("Problem: "), err.what),
        ui.p(ui.strong("Where: "), err.where) if err.where else None,
        ui.p(ui.strong("How to fix: "), err.fix) if err.fix else None,
        *extra,
        class_="problem",
    )


def select(input_id: str, label: str, choices: Any, **kwargs: Any) -> Any:
    """A native ``<select>``: keyboard and screen readers know it (selectize is not needed)."""
    from shiny import ui

    return ui.input_select(input_id, label, choices, selectize=False, **kwargs)


def file_cards(wb: Any) -> Any:
    """Step 2: per file, what was recognised, its problems, its wave; personal columns; removal."""
    from shiny import ui

    if not wb.exports:
        return ui.p("No export uploaded yet.")
    cards = []
    for i, export in enumerate(wb.exports):
        s = export.summary
        body: list[Any] = [ui.h3(export.name, class_="h5")]
        if export.error is not None:
            body.append(problem_box(export.error))
        else:
            assert s is not None
            body.append(ui.tags.ul(*[ui.tags.li(line) for line in s.lines()]))
            if not s.id_col:
                body.append(
                    problem_box(
                        StigmaOutcomesError(
                            "no participant ID column was found in this file",
                            where=export.name,
                            fix="choose the column holding each participant's code "
                            "under 'Participant ID column' on the Design step; if the "
                            "export has none, export it again with the participant-code "
                            "question included (a platform response ID changes at "
                            "every wave and cannot link them)",
                        )
                    )
                )
            if export.is_workbook:
                body.append(
                    ui.input_text(
                        f"sheet_{i}",
                        f"Worksheet of {export.name} (empty: the first)",
                        export.sheet,
                    )
                )
            if not s.wave_col and not s.side_by_side:  # a side-by-side file's are listed
                body.append(ui.input_text(f"wave_{i}", f"Wave held by {export.name}", export.wave))
            else:
                body += [
                    ui.input_text(
                        f"rename_{j}",
                        f"Name in the report for wave '{wave}'",
                        wb.rename.get(wave, wave),
                    )
                    for j, wave in enumerate(wb.column_waves())
                    if wave in s.waves_found
                ]
            body += [ui.p("Note: ", n) for n in s.notes]
        cards.append(ui.div(*body, class_="file-card"))
    seen = {c for e in wb.exports if e.summary for c in e.summary.plain_columns}
    personal = ui.div(
        select(
            "personal",
            "More columns holding personal data (kept out of every output)",
            sorted(seen | set(wb.personal)),
            selected=wb.personal,
            multiple=True,
        ),
        ui.input_action_button("personal_apply", "Keep these columns out"),
        class_="mt-2",
    )
    reread = ui.div(
        ui.input_action_button("reread", "Read the files again (after changing a worksheet)"),
        class_="mt-2",
    )
    remover = ui.div(
        select("remove_which", "File to remove", [e.name for e in wb.exports]),
        ui.input_action_button("remove", "Remove this file"),
        class_="mt-2",
    )
    return ui.TagList(*cards, reread, personal, remover)


def block_cards(wb: Any, choices: dict[str, str]) -> Any:
    """Step 3: one card per questionnaire block: evidence, confirm, instrument, recode."""
    from shiny import ui

    if not wb.blocks:
        return ui.p(
            "No questionnaire recognised yet: upload the exports first, or add one by hand below."
        )
    cards = []
    for block in wb.blocks:
        k = input_key(block.instrument)
        files = "; ".join(
            f"{src}: {cols[0]} … {cols[-1]} ({len(cols)} columns)"
            for src, cols in block.columns.items()
        )
        guess = (
            ui.p(
                ui.span("Check:", class_="guess"),
                " only the codes' range matched, "
                "not names or answer labels; it is not used unless you tick it.",
            )
            if block.range_only
            else None
        )
        cards.append(
            ui.div(
                ui.h3(choices.get(block.instrument, block.instrument), class_="h5"),
                ui.p(f"Matched by {block.how}: {block.why}."),
                ui.p(f"Columns: {files}"),
                guess,
                ui.input_checkbox(
                    f"use_{k}", f"Use this match for {block.instrument}", block.confirmed
                ),
                select(
                    f"target_{k}",
                    "This block of columns is instrument",
                    choices,
                    selected=block.target,
                ),
                ui.input_text(
                    f"recode_{k}",
                    "Recode (export code=scale code, e.g. 0=1, 1=2)",
                    recode_text(block.recode),
                ),
                class_="block-card",
            )
        )
    doubts = [ui.tags.li(d) for d in wb.doubts]
    return ui.TagList(
        *cards,
        ui.div(ui.h3("Open questions", class_="h5"), ui.tags.ul(*doubts)) if doubts else None,
    )


def design_controls(wb: Any) -> Any:
    """Step 4: what is compared, with the waves and columns the exports hold."""
    from shiny import ui

    d = wb.design
    waves = wb.waves()
    columns = wb.columns()
    every = sorted({c for e in wb.exports if e.summary for c in e.summary.plain_columns})
    unused = {NONE: "(not used)"}
    return ui.TagList(
        select("pre", "Baseline wave (pre)", waves, selected=d.pre or None),
        select("post", "Wave to compare with baseline (post)", waves, selected=d.post or None),
        select("followup", "Later waves (follow-up)", waves, selected=d.followup, multiple=True),
        select(
            "group_by",
            "Comparison group column (e.g. arm)",
            {**unused, **{c: c for c in columns}},
            selected=d.group_by,
        ),
        ui.output_ui("reference"),
        select(
            "pool_by",
            "Sites or cohorts to pool (column)",
            {**unused, **{c: c for c in columns}},
            selected=d.pool_by,
        ),
        select(
            "covariates",
            "Baseline covariates (comparison-group analysis)",
            every,
            selected=d.covariates,
            multiple=True,
        ),
        select(
            "id_col",
            "Participant ID column",
            {NONE: "(as recognised)", **{c: c for c in every}},
            selected=d.id_col,
        ),
        select(
            "duplicates",
            "When a participant answered a wave twice",
            {
                "keep-last-complete": "keep the last complete answer",
                "keep-first": "keep the first answer",
                "error": "stop with an error",
            },
            selected=d.duplicates,
        ),
        ui.input_checkbox(
            "ignore_id_zeros",
            "IDs that differ only in leading zeros (007, 7) are one person: a spreadsheet "
            "dropped the zeros",
            d.ignore_id_zeros,
        ),
        ui.input_checkbox(
            "unlinked",
            "Anonymous surveys: answers cannot be linked across waves",
            d.unlinked,
        ),
        ui.h3("Optional report sections", class_="h5 mt-4"),
        ui.input_checkbox(
            "planning",
            "Add 'Planning the next cohort' (participants needed to detect this change)",
            d.planning,
        ),
        ui.input_numeric(
            "planning_power",
            "Planning: target power",
            d.planning_power,
            min=0.5,
            max=0.99,
            step=0.05,
        ),
        ui.input_numeric(
            "planning_alpha",
            "Planning: significance level",
            d.planning_alpha,
            min=0.001,
            max=0.2,
            step=0.01,
        ),
        ui.input_numeric(
            "planning_attrition",
            "Planning: expected attrition, 0 to 0.9 (empty: this cohort's)",
            d.planning_attrition,
            min=0,
            max=0.9,
            step=0.05,
        ),
    )
