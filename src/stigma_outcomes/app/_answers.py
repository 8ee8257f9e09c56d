"""The answers of the workbench's steps as data: programme, design, exports, a finished run;
the steps themselves; and what a project file is made of (:class:`Answers`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from ..errors import StigmaOutcomesError
from .recognise import Block, FileSummary

STEPS = ("programme", "exports", "questionnaires", "design", "run", "results")
"""The steps of the flow, in order (also the ids of the page's tabs)."""

RUN_STAGES = (
    ("reading", "Read the exports"),
    ("scoring", "Score the questionnaires"),
    ("comparing", "Compare the waves"),
    ("writing scores", "Write scores, ledger and results"),
    ("writing the report", "Write the report"),
)
"""Prefixes of :func:`run_evaluation`'s progress messages, and the stage each one starts."""


@dataclass
class Programme:
    """Step 1: what the report is about."""

    title: str = "Programme outcome report"
    program: str = ""
    period: str = ""
    author: str = "Programme evaluation team"
    min_cell: int = 5


@dataclass
class Design:
    """Step 4: what is compared. Empty text means 'not used'."""

    pre: str = ""
    post: str = ""
    followup: list[str] = field(default_factory=list)
    group_by: str = ""
    reference_group: str = ""
    pool_by: str = ""
    covariates: list[str] = field(default_factory=list)
    id_col: str = ""
    unlinked: bool = False
    duplicates: str = "keep-last-complete"
    ignore_id_zeros: bool = False  # IDs that differ only in leading zeros are one person
    planning: bool = False  # the report's optional "Planning the next cohort" section
    planning_power: float = 0.8
    planning_alpha: float = 0.05
    planning_attrition: float | None = None  # None: this cohort's own attrition


@dataclass
class Export:
    """One uploaded export: where it is kept, the wave the user gave it, what was recognised."""

    name: str
    path: Path
    wave: str = ""
    sheet: str = ""  # worksheet of an Excel workbook; empty: the first

    @property
    def is_workbook(self) -> bool:
        return self.path.suffix.lower() in (".xlsx", ".xlsm")

    def read_options(self) -> dict[str, Any]:
        """What ``read_export`` and the evaluation file need beyond the path."""
        return {"sheet": self.sheet} if self.sheet else {}

    summary: FileSummary | None = None
    error: StigmaOutcomesError | None = None


@dataclass
class RunOutcome:
    """A finished run: the files written and the counts the Results step shows."""

    out_dir: Path
    files: dict[str, Path]
    summary: dict[str, Any]


def step_for_error(err: StigmaOutcomesError) -> str:
    """The step where a run error is fixed (the Run step shows a link to it).

    Examples
    --------
    >>> from stigma_outcomes.errors import InputError
    >>> step_for_error(InputError("no participant ID column was found", where="pre.csv"))
    'exports'
    >>> step_for_error(InputError("wave 'post' not found", where="compare"))
    'design'
    """
    where = (err.where or "").casefold()
    for step in STEPS:
        if where.startswith(step):
            return step
    text = f"{err.what} {where}"
    for words, step in (
        (("mapping", "item", "instrument", "recode", "pattern"), "questionnaires"),
        (("wave", "group", "reference", "covariate", "pool", "pairs", "planning"), "design"),
        (("title", "privacy", "min_cell", "threshold", "author", "period"), "programme"),
    ):
        if any(w in text for w in words):
            return step
    return "exports"


class Answers(Protocol):
    """What the two project files are written from (:mod:`.project`); the
    :class:`~stigma_outcomes.app.state.Workbench` is one."""

    folder: Path
    programme: Programme
    design: Design
    exports: list[Export]
    definitions: dict[str, str]
    dictionary: str | None
    rename: dict[str, str]
    personal: list[str]

    def chosen_blocks(self) -> list[Block]: ...
    def readable(self) -> list[Export]: ...
    def waves(self) -> list[str]: ...
    def dictionary_for(self, export: Export) -> Path | None: ...
    def instrument_ref(self, target: str) -> str: ...
    def load_target(self, target: str) -> Any: ...
    def write_files(self) -> tuple[Path, Path]: ...
