"""The Shiny server: reactive glue between the page (:mod:`.ui`) and a :class:`.state.Workbench`.

All decisions live in :mod:`.state`; this module reads the page's inputs into it, asks it to
recognise, write and run, and shows what it says. Each browser session gets its own workbench
in its own folder inside the app's private temporary folder.
"""

from __future__ import annotations

import asyncio
import itertools
import secrets
from pathlib import Path
from typing import Any

from ..errors import StigmaOutcomesError
from .panels import NONE, block_cards, design_controls, file_cards, input_key, problem_box, select
from .recognise import parse_recode, recode_text
from .results import DOWNLOADS
from .state import RUN_STAGES, STEPS, Workbench, step_for_error
from .ui import STEP_TITLES


def _number(given: Any, default: float | None) -> float | None:
    """A numeric input's value, or the default when it is empty."""
    return default if given is None or given == "" else float(given)


def make_server(private: Path, max_upload: int) -> Any:
    """The server function for :func:`shiny.App`, one :class:`Workbench` per session."""
    from shiny import reactive, render, ui

    def server(input: Any, output: Any, session: Any) -> None:
        folder = private / "sessions" / secrets.token_hex(8) / "project"
        wb = Workbench(folder, max_upload=max_upload)
        version = reactive.value(0)
        upload_problems: reactive.Value[list[StigmaOutcomesError]] = reactive.value([])
        definition_note: reactive.Value[Any] = reactive.value(None)
        run_state: reactive.Value[dict[str, Any]] = reactive.value({})

        def bump() -> None:
            version.set(version.get() + 1)

        def value(name: str, default: Any = None) -> Any:
            return input[name]() if name in input else default

        def sync() -> None:
            """Copy every answer on the page into the workbench (tabs re-render from it)."""
            with reactive.isolate():
                p = wb.programme
                p.title, p.program, p.period = input.title(), input.program(), input.period()
                p.author = input.author()
                p.min_cell = int(input.min_cell() or 5)
                for i, export in enumerate(wb.exports):
                    export.wave = str(value(f"wave_{i}", export.wave) or "").strip()
                    export.sheet = str(value(f"sheet_{i}", export.sheet) or "").strip()
                for block in wb.blocks:
                    k = input_key(block.instrument)
                    block.confirmed = bool(value(f"use_{k}", block.confirmed))
                    block.target = value(f"target_{k}", block.target) or block.instrument
                    block.recode = parse_recode(value(f"recode_{k}", recode_text(block.recode)))
                for i, wave in enumerate(wb.column_waves()):
                    wb.rename[wave] = str(value(f"rename_{i}", wb.rename.get(wave, wave)) or "")
                    wb.rename[wave] = wb.rename[wave].strip() or wave
                d = wb.design
                d.pre, d.post = value("pre", d.pre) or "", value("post", d.post) or ""
                d.followup = list(value("followup", d.followup) or [])
                d.group_by = value("group_by", d.group_by) or NONE
                d.reference_group = value("reference_group", d.reference_group) or NONE
                d.pool_by = value("pool_by", d.pool_by) or NONE
                d.covariates = list(value("covariates", d.covariates) or [])
                d.id_col = value("id_col", d.id_col) or NONE
                d.unlinked = bool(value("unlinked", d.unlinked))
                d.duplicates = value("duplicates", d.duplicates)
                d.ignore_id_zeros = bool(value("ignore_id_zeros", d.ignore_id_zeros))
                d.planning = bool(value("planning", d.planning))
                d.planning_power = _number(value("planning_power"), d.planning_power)
                d.planning_alpha = _number(value("planning_alpha"), d.planning_alpha)
                d.planning_attrition = _number(value("planning_attrition"), None)
                wb.fit_design()

        def safe_sync() -> StigmaOutcomesError | None:
            try:
                sync()
            except StigmaOutcomesError as err:
                return err
            return None

        # -- navigation ---------------------------------------------------------------------
        for here, there in itertools.pairwise(STEPS):

            def go(there: str = there, here: str = here) -> None:
                @reactive.effect
                @reactive.event(input[f"next_{here}"])
                def _() -> None:
                    safe_sync()
                    ui.update_navset("step", selected=there)

            if here != "run":
                go()

        @reactive.effect
        @reactive.event(input.step)
        def _keep_answers() -> None:
            safe_sync()

        # -- step 2: exports ----------------------------------------------------------------
        @reactive.effect
        @reactive.event(input.exports)
        def _uploaded() -> None:
            safe_sync()
            problems = []
            for upload in input.exports() or []:
                try:
                    wb.add_export(upload["name"], Path(upload["datapath"]), int(upload["size"]))
                except StigmaOutcomesError as err:
                    problems.append(err)
            wb.recognise()
            upload_problems.set(problems)
            bump()

        @reactive.effect
        @reactive.event(input.sample)
        def _sample() -> None:
            safe_sync()
            wb.add_sample()
            wb.recognise()
            upload_problems.set([])
            bump()

        @reactive.effect
        @reactive.event(input.reread)
        def _reread() -> None:
            safe_sync()
            wb.recognise()
            bump()

        @reactive.effect
        @reactive.event(input.personal_apply)
        def _personal() -> None:
            safe_sync()
            wb.personal = list(input.personal() or [])
            wb.recognise()
            bump()

        @reactive.effect
        @reactive.event(input.dictionary)
        def _dictionary() -> None:
            safe_sync()
            problems = []
            for upload in input.dictionary() or []:
                try:
                    wb.add_dictionary(upload["name"], Path(upload["datapath"]), int(upload["size"]))
                except StigmaOutcomesError as err:
                    problems.append(err)
            wb.recognise()
            upload_problems.set(problems)
            bump()

        @render.ui
        def upload_message() -> Any:
            return ui.TagList(*[problem_box(e) for e in upload_problems()])

        @reactive.effect
        @reactive.event(input.remove)
        def _remove() -> None:
            safe_sync()
            wb.remove_export(input.remove_which())
            wb.recognise()
            bump()

        @render.ui
        def files() -> Any:
            version()
            return file_cards(wb)

        # -- step 3: questionnaires ---------------------------------------------------------
        @reactive.calc
        def instrument_ids() -> dict[str, str]:
            """Instrument id → 'id: short name (n items)', the shipped ones and the user's."""
            version()
            return wb.instrument_choices()

        @render.ui
        def blocks() -> Any:
            version()
            return block_cards(wb, instrument_ids())

        @render.ui
        def manual() -> Any:
            return ui.TagList(
                select("manual_instrument", "Instrument", instrument_ids()),
                ui.input_text(
                    "manual_pattern",
                    "Column names, with {item} for the item number (e.g. Q5_{item})",
                ),
                ui.input_action_button("manual_add", "Add this questionnaire"),
                ui.div(ui.output_ui("manual_message"), role="status", aria_live="polite"),
            )

        manual_problem: reactive.Value[Any] = reactive.value(None)

        @reactive.effect
        @reactive.event(input.manual_add)
        def _manual() -> None:
            safe_sync()
            try:
                wb.add_manual_block(input.manual_instrument(), input.manual_pattern().strip())
                manual_problem.set(None)
            except StigmaOutcomesError as err:
                manual_problem.set(err)
            bump()

        @render.ui
        def manual_message() -> Any:
            err = manual_problem()
            return problem_box(err) if err else None

        @reactive.effect
        @reactive.event(input.definition)
        def _definition() -> None:
            safe_sync()
            upload = (input.definition() or [None])[0]
            if upload is None:
                return
            try:
                found = wb.add_definition(
                    upload["name"], Path(upload["datapath"]), int(upload["size"])
                )
                wb.recognise()
                definition_note.set(f"Definition '{found}' added and looked for in the exports.")
            except StigmaOutcomesError as err:
                definition_note.set(err)
            bump()

        @render.ui
        def definition_message() -> Any:
            note = definition_note()
            if isinstance(note, StigmaOutcomesError):
                return problem_box(note)
            return ui.p(note) if note else None

        # -- step 4: design -----------------------------------------------------------------
        @render.ui
        def design() -> Any:
            version()
            input.step()
            safe_sync()
            return design_controls(wb)

        @render.ui
        def reference() -> Any:
            group = input.group_by() if "group_by" in input else NONE
            if not group:
                return None
            values = wb.columns().get(group, [])
            chosen = wb.design.reference_group if wb.design.reference_group in values else None
            return select(
                "reference_group", "Reference (comparison) group", values, selected=chosen
            )

        # -- step 5: run --------------------------------------------------------------------
        @reactive.effect
        @reactive.event(input.run)
        async def _run() -> None:
            problem = safe_sync()
            done: list[str] = []
            if problem is not None:
                run_state.set({"error": problem, "done": done})
                return
            loop = asyncio.get_running_loop()
            with ui.Progress(min=0, max=len(RUN_STAGES)) as bar:
                bar.set(0, message="Starting the run")

                def progress(stage: int, label: str) -> None:
                    done.append(label)
                    loop.call_soon_threadsafe(lambda: bar.set(stage, message=label))

                try:
                    await asyncio.to_thread(wb.run, progress)
                except StigmaOutcomesError as err:
                    run_state.set({"error": err, "done": done[:-1]})
                    return
            run_state.set({"done": done})
            ui.update_navset("step", selected="results")

        @render.ui
        def run_status() -> Any:
            state = run_state()
            if not state:
                return ui.p("Not run yet.")
            stages = ui.tags.ol(
                *[ui.tags.li(label, class_="done") for label in state.get("done", [])],
                class_="stages",
            )
            err = state.get("error")
            if err is None:
                return ui.TagList(stages, ui.p("Finished: see Results."))
            step = step_for_error(err)
            return ui.TagList(
                stages,
                problem_box(
                    err,
                    ui.input_action_button("goto_fix", f"Go to {STEP_TITLES[step]} to fix it"),
                ),
            )

        def _fix_here(step: str) -> None:
            def shown() -> Any:
                err = run_state().get("error")
                if err is None or step_for_error(err) != step:
                    return None
                return ui.div(
                    ui.h3("The last run stopped here", class_="h5"),
                    problem_box(err),
                )

            shown.__name__ = f"fix_{step}"
            render.ui(shown)

        for step in ("programme", "exports", "questionnaires", "design"):
            _fix_here(step)

        @reactive.effect
        @reactive.event(input.goto_fix)
        def _goto() -> None:
            err = run_state().get("error")
            if err is not None:
                ui.update_navset("step", selected=step_for_error(err))

        # -- step 6: results ----------------------------------------------------------------
        @render.ui
        def results() -> Any:
            run_state()
            from .results import results_panel

            return results_panel(wb, DOWNLOADS)

        def _download(key: str, name: str) -> None:
            def handler() -> str:
                if key == "project_zip":
                    return str(wb.project_zip())
                if key in ("evaluation_yaml", "mapping_yaml"):
                    return str(wb.folder / name)
                assert wb.outcome is not None
                return str(wb.outcome.files[key])

            # Shiny names an output after its function; one handler per download button.
            handler.__name__ = key
            render.download(filename=name)(handler)

        for key, _label, name in DOWNLOADS:
            _download(key, name)

    return server
