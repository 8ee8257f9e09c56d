"""The `meta` object of the results: what was run, on what, and what to know about it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

RESULTS_SCHEMA_VERSION = "1.0"
"""Version of the results layout, ``MAJOR.MINOR``, written as ``meta.schema_version``.

A reader accepts every file of its own major version (a newer minor only adds optional
fields, kept as they are) and files written before versions existed (no
``schema_version``), which are checked field by field but not for completeness.
"""


SETTING_RENAMES: dict[str, str] = {"group_col": "group_by", "pool_col": "pool_by"}
"""Old names of ``meta.settings`` keys, as files written before the rename carry them."""


def run_settings(results: Mapping[str, Any]) -> dict[str, Any]:
    """``meta.settings`` of a results object, old key names read as their new ones.

    Files written before the rename say ``group_col``/``pool_col``; a new name, when present,
    wins.

    Examples
    --------
    >>> run_settings({"meta": {"settings": {"group_col": "arm", "min_cell": 5}}})
    {'group_col': 'arm', 'min_cell': 5, 'group_by': 'arm'}
    >>> run_settings({"meta": {"settings": {"pool_by": "site"}}})["pool_by"]
    'site'
    >>> run_settings({})
    {}
    """
    settings = dict((results.get("meta") or {}).get("settings") or {})
    for old, new in SETTING_RENAMES.items():
        if new not in settings and old in settings:
            settings[new] = settings[old]
    return settings


class InputFile(BaseModel):
    """One input of the analysis, by name and content."""

    model_config = ConfigDict(extra="allow", frozen=True)

    name: str = Field(description="File name (or a description of an in-memory table).")
    sha256: str | None = Field(
        None,
        pattern="^[0-9a-f]{64}$",
        description="SHA-256 of the input's bytes (absent for a results object pooled in memory).",
    )


class ResultsMeta(BaseModel):
    """``meta``: package and version, schema version, settings, inputs, and what to know."""

    model_config = ConfigDict(extra="allow", frozen=True)

    package: str = Field(description="Always 'stigma_outcomes'.")
    version: str = Field(description="Version of the package that wrote the file.")
    schema_version: str | None = Field(
        None,
        pattern=r"^\d+\.\d+$",
        description="Version of this layout (MAJOR.MINOR); absent in files written before "
        "layouts were versioned.",
    )
    settings: dict[str, Any] = Field(
        description="The comparison's settings as run (waves, design, group and pooling "
        "columns `group_by` and `pool_by` (`group_col` and `pool_col` in files written "
        "before), minimum cell size, reliable-change choices, overrides)."
    )
    inputs: list[InputFile] = Field(description="Every input with its SHA-256 fingerprint.")
    multiplicity: dict[str, Any] | None = Field(
        None, description="Adjustment methods of p_t_holm / p_t_bh, the family and its size."
    )
    scales: list[dict[str, Any]] | None = Field(
        None, description="Each scale's direction and reliability, with where they came from."
    )
    wave_counts: list[dict[str, Any]] | None = Field(
        None, description="Valid scores per wave (and group) of each scale."
    )
    warnings: list[str] | None = Field(None, description="What the evaluator should know.")
    not_computed: list[str] | None = Field(
        None, description="Sections the design does not allow, and why."
    )
