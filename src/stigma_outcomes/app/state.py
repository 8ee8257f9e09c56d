"""The workbench's state, without a browser: programme, exports, blocks, design → files → run.

Everything the page lets a user decide is held in one :class:`Workbench`. It writes the same two
files a terminal user writes (``evaluation.yaml`` and ``mapping.yaml``, next to the uploaded
exports in the project folder) and runs :func:`stigma_outcomes.run_evaluation` on that very file,
so the downloaded pair reproduces the run byte for byte with ``stigma-outcomes run``.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import InputError, StigmaOutcomesError
from ._answers import (
    RUN_STAGES,
    STEPS,
    Design,
    Export,
    Programme,
    RunOutcome,
    step_for_error,
)
from .recognise import Block, blocks_from, range_doubts, summarise
from .uploads import check_upload, safe_name

__all__ = [
    "RUN_STAGES",
    "STEPS",
    "Design",
    "Export",
    "Programme",
    "RunOutcome",
    "Workbench",
    "step_for_error",
]


class Workbench:
    """All answers of one session, kept in a private project folder.

    Parameters
    ----------
    folder : Path
        The project folder (inside the app's private temporary folder). Uploaded exports,
        ``evaluation.yaml``, ``mapping.yaml`` and ``outputs/`` live here.
    max_upload : int
        The largest upload accepted, in bytes.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from stigma_outcomes.pipeline import sample_data_dir
    >>> wb = Workbench(Path(tempfile.mkdtemp()))
    >>> for name in ("qualtrics_pre.csv", "qualtrics_post.csv"):
    ...     _ = wb.add_export(name, sample_data_dir() / name)
    >>> wb.recognise()
    >>> [(e.name, e.wave, e.summary.id_col) for e in wb.exports]
    [('qualtrics_pre.csv', 'pre', 'pcode'), ('qualtrics_post.csv', 'post', 'pcode')]
    >>> sorted(b.instrument for b in wb.blocks if b.confirmed)
    ['gbs', 'ismi29', 'ucla3']
    """

    def __init__(self, folder: Path, max_upload: int = 50_000_000) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.max_upload = max_upload
        self.programme = Programme()
        self.design = Design()
        self.exports: list[Export] = []
        self.definitions: dict[str, str] = {}  # instrument id → path in the project
        self.dictionary: str | None = None  # a REDCap data dictionary, by file name
        self.rename: dict[str, str] = {}  # wave value in a wave column → name in the report
        self.personal: list[str] = []  # more columns the user says hold personal data
        self.blocks: list[Block] = []
        self.doubts: list[str] = []
        self.wave_order: list[str] = []  # the exports' waves as init compares them
        self.outcome: RunOutcome | None = None

    # -- step 2: exports ---------------------------------------------------------------------

    def add_export(self, name: str, source: Path, size: int | None = None) -> Export:
        """Check an upload and keep a copy in the project folder (replacing one of that name)."""
        source = Path(source)
        check_upload(name, source, source.stat().st_size if size is None else size, self.max_upload)
        kept = safe_name(name)
        target = self.folder / kept
        shutil.copyfile(source, target)
        self.exports = [e for e in self.exports if e.name != kept]
        export = Export(name=kept, path=target)
        self.exports.append(export)
        self.outcome = None
        return export

    def add_sample(self) -> None:
        """Add the shipped sample exports (a Qualtrics pre and post), to try the flow out."""
        from ..pipeline import sample_data_dir

        for name in ("qualtrics_pre.csv", "qualtrics_post.csv"):
            self.add_export(name, sample_data_dir() / name)

    def remove_export(self, name: str) -> None:
        """Forget an upload and delete its copy."""
        for export in [e for e in self.exports if e.name == name]:
            export.path.unlink(missing_ok=True)
        self.exports = [e for e in self.exports if e.name != name]
        self.outcome = None

    def add_definition(self, name: str, source: Path, size: int | None = None) -> str:
        """Keep a user's own instrument definition, after validating it, and look for it."""
        from ..instruments import load_instrument

        source = Path(source)
        check_upload(
            name,
            source,
            source.stat().st_size if size is None else size,
            self.max_upload,
            kind="definition",
        )
        folder = self.folder / "definitions"
        folder.mkdir(exist_ok=True)
        target = folder / safe_name(name)
        shutil.copyfile(source, target)
        try:
            definition = load_instrument(target)
        except StigmaOutcomesError:
            target.unlink()
            raise
        self.definitions[definition.id] = f"definitions/{target.name}"
        self.outcome = None
        return definition.id

    def recognise(self) -> None:
        """Read every export and propose blocks, as ``stigma-outcomes init`` does.

        A file that cannot be read keeps its error (shown beside it); the others go on.
        """
        from ..ingest import read_export
        from ..ingest.propose import propose
        from ..instruments import Registry, load_instrument

        tables, kept = [], []
        for export in self.exports:
            try:
                tables.append(
                    read_export(
                        export.path,
                        dictionary=self.dictionary_for(export),
                        pii=self.personal,
                        **export.read_options(),
                    )
                )
                kept.append(export)
                export.error = None
            except StigmaOutcomesError as err:
                export.error, export.summary = err, None
        instruments = Registry().all()
        instruments += [load_instrument(self.folder / d) for d in self.definitions.values()]
        if not tables:
            self.blocks, self.doubts = [b for b in self.blocks if b.manual], []
            return
        proposal = propose(tables, instruments)
        for export, table, found in zip(kept, tables, proposal.files, strict=True):
            export.summary = summarise(table, found)
            if not export.wave:
                export.wave = found.wave or ""
        self.blocks = blocks_from(proposal.files, self.blocks)
        order = proposal.file_waves
        self.wave_order = [*order.compared, *order.left_out] if order is not None else []
        for found in proposal.files:
            # init's names for a wave column's values (REDCap events without their arm, one
            # spelling per wave), unless the user named them already; ranked as init ranks them
            for value, name in found.wave_renames.items():
                self.rename.setdefault(value, name)
            self.wave_order += [w for w in found.wave_values if w not in self.wave_order]
        if proposal.id_zeros:
            self.design.ignore_id_zeros = True  # said among the doubts; the user may untick it
        self.doubts = [*proposal.ambiguities, *range_doubts(proposal.files)]
        self.fit_design()

    def fit_design(self) -> None:
        """Keep pre and post among the waves found (the first two by default)."""
        d = self.design
        waves = self.waves()
        if self.design.pre not in waves:
            self.design.pre = waves[0] if waves else ""
        if self.design.post not in waves or self.design.post == self.design.pre:
            self.design.post = next((w for w in waves if w != self.design.pre), "")
        self.design.followup = [
            w for w in self.design.followup if w in waves and w not in (d.pre, d.post)
        ]

    def add_dictionary(self, name: str, source: Path, size: int | None = None) -> str:
        """Keep a REDCap data dictionary; REDCap exports are read with it from now on."""
        source = Path(source)
        check_upload(name, source, source.stat().st_size if size is None else size, self.max_upload)
        kept = safe_name(name)
        shutil.copyfile(source, self.folder / kept)
        self.dictionary = kept
        self.outcome = None
        return kept

    def dictionary_for(self, export: Export) -> Path | None:
        """The data dictionary to read ``export`` with: none for a platform that has none."""
        if self.dictionary is None:
            return None
        from ..ingest import flavor_named

        s = export.summary
        if s is not None and not flavor_named(s.flavor).reads_dictionary:
            return None
        return self.folder / self.dictionary

    def column_waves(self) -> list[str]:
        """Wave values found in wave columns (REDCap events, a long file's wave column)."""
        found: list[str] = []
        for export in self.exports:
            if export.summary and export.summary.wave_col:
                found += export.summary.waves_found
        return list(dict.fromkeys(found))

    def waves(self) -> list[str]:
        """Wave names (renamed as the user asked): the exports' own waves in the order
        ``init`` compares them (baseline, post, later waves), the others in the order the
        exports give them."""
        names: list[str] = []
        for export in self.exports:
            if export.summary and export.summary.wave_col:
                names += [self.rename.get(w) or w for w in export.summary.waves_found]
            elif export.summary and export.summary.side_by_side:
                names += export.summary.side_by_side
            elif export.wave:
                names.append(export.wave)
        rank = {w: at for at, w in enumerate(self.wave_order)}
        return sorted(dict.fromkeys(names), key=lambda w: rank.get(w, len(rank)))

    def columns(self) -> dict[str, list[str]]:
        """Columns (with their values) that every readable export has: groups, sites, covariates."""
        summaries = [e.summary for e in self.exports if e.summary is not None]
        if not summaries:
            return {}
        common = set(summaries[0].other_columns)
        for s in summaries[1:]:
            common &= set(s.other_columns)
        return {
            c: sorted({v for s in summaries for v in s.other_columns[c]})
            for c in summaries[0].other_columns
            if c in common
        }

    # -- step 3: questionnaires --------------------------------------------------------------

    def add_manual_block(self, instrument: str, pattern: str) -> Block:
        """Bind an instrument by hand with a column pattern such as ``Q5_{item}``."""
        from ..ingest import read_export

        if "{item}" not in pattern:
            raise InputError(
                f"pattern '{pattern}' has no {{item}}",
                where="Questionnaires, add an instrument by hand",
                fix="write the column names with {item} where the item number goes, e.g. Q5_{item}",
            )
        definition = self.load_target(instrument)
        found: dict[str, list[str]] = {}
        for export in self.exports:
            if export.summary is None:
                continue
            table = read_export(
                export.path, dictionary=self.dictionary_for(export), **export.read_options()
            )
            header = set(map(str, table.frame.columns))
            wanted = [pattern.replace("{item}", str(i)) for i in definition.item_ids]
            if all(c in header for c in wanted):
                found[export.name] = wanted
        if not found:
            raise InputError(
                f"no export has all {len(definition.item_ids)} columns "
                f"{pattern.replace('{item}', str(definition.item_ids[0]))} … of {instrument}",
                where="Questionnaires, add an instrument by hand",
                fix="check the column names on the Exports step and the instrument's item ids",
            )
        block = Block(
            instrument=instrument,
            target=instrument,
            how="by hand",
            why=f"columns {pattern} named by the user",
            entries={name: {"pattern": pattern} for name in found},
            columns=found,
            recode={},
            confirmed=True,
            manual=True,
        )
        self.blocks = [b for b in self.blocks if b.instrument != instrument] + [block]
        return block

    def instrument_choices(self) -> dict[str, str]:
        """Every instrument a block may be: id → 'id: short name (n items)'."""
        from ..instruments import list_instruments

        found = {i.id: i for i in list_instruments()}
        found.update({i: self.load_target(i) for i in self.definitions})
        return {
            k: f"{k}: {v.short_name} ({len(v.item_ids)} items)" for k, v in sorted(found.items())
        }

    def chosen_blocks(self) -> list[Block]:
        """The blocks the user confirmed; nothing else is ever scored."""
        return [b for b in self.blocks if b.confirmed]

    # -- the two files (app/project.py) -------------------------------------------------------

    def mapping(self) -> dict[str, Any]:
        """The mapping file's content, from the confirmed blocks (with the user's changes)."""
        from .project import mapping_of

        return mapping_of(self)

    def evaluation(self) -> dict[str, Any]:
        """The evaluation file's content; checked by the same model ``run`` uses."""
        from .project import evaluation_of

        return evaluation_of(self)

    def write_files(self) -> tuple[Path, Path]:
        """Write ``evaluation.yaml`` and ``mapping.yaml`` into the project folder."""
        from .project import write_files

        return write_files(self)

    def project_zip(self) -> Path:
        """The project (exports, dictionary, definitions, the two files) as one zip."""
        from .project import project_zip

        return project_zip(self)

    # -- step 5: run --------------------------------------------------------------------------

    def run(self, progress: Callable[[int, str], None] | None = None) -> RunOutcome:
        """Write the two files and run the pipeline on them; ``progress(stage, label)``."""
        from ..pipeline import run_evaluation

        ev_path, _ = self.write_files()
        say = progress or (lambda _i, _label: None)

        def on_message(message: str) -> None:
            for i, (prefix, label) in enumerate(RUN_STAGES):
                if message.startswith(prefix):
                    say(i, label)
                    return

        self.outcome = None
        out = self.folder / "outputs"
        if out.exists():
            shutil.rmtree(out)
        source: Any = ev_path
        if self.definitions:
            # The pipeline reads an instrument path relative to the working folder, not to the
            # evaluation file; the page's run gives every path absolute instead.
            from .project import absolute

            source = absolute(self, self.evaluation())
        run = run_evaluation(source, out, progress=on_message)
        files = dict(run.files)
        import pandas as pd

        from .._io import write_table

        for name in ("scores", "ledger"):
            frame = pd.read_csv(files[name], dtype=str, keep_default_na=False)
            files[f"{name}_xlsx"] = write_table(frame, out / f"{name}.xlsx")
        self.outcome = RunOutcome(out_dir=run.out_dir, files=files, summary=dict(run.summary))
        say(len(RUN_STAGES), "Done")
        return self.outcome

    # -- helpers ------------------------------------------------------------------------------

    def readable(self) -> list[Any]:
        return [e for e in self.exports if e.summary is not None]

    def instrument_ref(self, target: str) -> str:
        """How the evaluation file names an instrument: its id, or its definition's path."""
        return self.definitions.get(target, target)

    def load_target(self, target: str) -> Any:
        from ..instruments import load_instrument

        ref = self.instrument_ref(target)
        return load_instrument(self.folder / ref if ref != target else target)
