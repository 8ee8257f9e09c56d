"""How exports are read and bound: :class:`LoadSettings`, one frozen model, three surfaces.

The ingest counterpart of :class:`~stigma_outcomes.comparison.settings.CompareSettings`. The
same settings come from the Python API (keyword arguments of
:func:`~stigma_outcomes.ingest.load_responses` and :func:`~stigma_outcomes.scoring.score`,
validated into this model), the evaluation file
(:meth:`stigma_outcomes.evaluation.Evaluation.load_settings`) and the command line
(``stigma-outcomes score``). Each concept has one name:

=================== ===================== ====================== ========================
concept             API / model           evaluation file        command line
=================== ===================== ====================== ========================
participant ID      ``id_col``            ``id_col``             ``--id-col``
wave of each export ``wave``              ``data[].wave``        ``--wave``
wave column         ``wave_col``          ``data[].wave_col``    ``--wave-col``
=================== ===================== ====================== ========================

and ``mapping``, ``carry``, ``duplicates``, ``casefold_ids``, ``flavor``, ``sheet``,
``dictionary``, ``pii`` (file: ``privacy.personal_columns``) … are spelled alike everywhere.
``id_column`` and ``wave_column`` (the old spellings, in the API and in both files) are
deprecated aliases of ``id_col`` and ``wave_col``; ``read_options``
(a dict of reading options) still works and is merged into the model's fields.
Objects that are not settings (the instrument ``registry``, the pseudonym ``id_key``) stay
separate keyword arguments. This module imports nothing heavy.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .._settings import rename_old_spellings
from .._settings import settings_error as _settings_error
from ..errors import InputError, UnknownNameError
from ._duplicates import DUPLICATE_POLICIES, DuplicatePolicy
from .conventions import ROW_ID
from .mapping import ColumnMapping

DEPRECATED_NAMES = {"id_column": "id_col", "wave_column": "wave_col"}
"""Old spellings of the settings (API keyword) and the name that replaced them."""

READ_FIELDS = ("sheet", "encoding", "delimiter", "include_previews", "include_incomplete",
               "dictionary", "pii", "layout", "item_col", "value_col")  # fmt: skip
"""The settings passed to :func:`~stigma_outcomes.ingest.readers.read_export` for each file."""


class LoadSettings(BaseModel):
    """Every choice of reading exports and binding them to items (frozen).

    Examples
    --------
    >>> s = LoadSettings(id_col="pcode", wave=["pre", "post"], carry="arm")
    >>> s.id_col, s.wave, s.carry, s.duplicates
    ('pcode', ('pre', 'post'), ('arm',), 'keep-last-complete')
    >>> LoadSettings(sheet="Responses", include_previews=True).read_kwargs()
    {'sheet': 'Responses', 'include_previews': True}
    """

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    mapping: str | os.PathLike[str] | dict[str, Any] | ColumnMapping | None = Field(
        None,
        description="Column mapping (YAML path, dict or Mapping) binding export columns to "
        "instrument items; without one, columns named <instrument>_<item> are bound.",
    )
    id_col: str | None = Field(
        None,
        description="Participant ID column; detected from common names when omitted. '@row' "
        "numbers rows as respondents (anonymous, unlinked designs only).",
    )
    wave: tuple[str, ...] | None = Field(
        None, description="Wave name of each export (one name for all, or one per export)."
    )
    wave_col: str | None = Field(
        None, description="Column holding each row's wave (e.g. REDCap's redcap_event_name)."
    )
    carry: tuple[str, ...] = Field(
        (), description="Grouping columns carried through to the scores (e.g. site, arm)."
    )
    duplicates: DuplicatePolicy = Field(
        "keep-last-complete",
        description="What to do when a participant appears twice in one wave: "
        + ", ".join(DUPLICATE_POLICIES)
        + ".",
    )
    casefold_ids: bool = Field(
        False, description="Treat IDs that differ only in letter case as one participant."
    )
    flavor: str | None = Field(
        None,
        description="Export flavour (qualtrics, redcap, surveymonkey, google_forms, "
        "limesurvey, kobo, plain) instead of detecting it.",
    )
    linked: bool | None = Field(
        None,
        description="Whether the design links people across waves (paired); row-number IDs "
        "are refused when it does.",
    )
    sheet: str | int | None = Field(
        None, description="Worksheet of an Excel export (name or 0-based position)."
    )
    encoding: str | None = Field(None, description="Text encoding (overrides detection).")
    delimiter: str | None = Field(None, description="Field delimiter (overrides detection).")
    include_previews: bool = Field(
        False, description="Keep survey previews instead of setting them aside."
    )
    include_incomplete: bool = Field(
        False, description="Keep unfinished responses instead of setting them aside."
    )
    dictionary: str | os.PathLike[str] | None = Field(
        None, description="REDCap data dictionary (CSV): record-ID field, labels, identifiers."
    )
    pii: tuple[str, ...] = Field((), description="Extra columns to treat as personal data.")
    layout: Literal["auto", "wide", "long"] = Field(
        "auto",
        description="'long' pivots a participant × item file to one row per participant "
        "(× wave); 'auto' does so only when item and value columns are unmistakable.",
    )
    item_col: str | None = Field(None, description="Item column of a long export.")
    value_col: str | None = Field(None, description="Value column of a long export.")

    @model_validator(mode="before")
    @classmethod
    def _old_spellings(cls, data: Any) -> Any:
        return rename_old_spellings(data, DEPRECATED_NAMES)

    @field_validator("wave", mode="before")
    @classmethod
    def _wave_names(cls, value: Any) -> Any:
        if value is None or isinstance(value, str):
            return None if value is None else (value,)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return (str(value),)
        return tuple(str(w) for w in value)

    @field_validator("duplicates", mode="before")
    @classmethod
    def _policy(cls, value: Any) -> Any:
        if value not in DUPLICATE_POLICIES:
            raise ValueError(
                f"unknown duplicate policy '{value}': use one of {', '.join(DUPLICATE_POLICIES)}"
            )
        return value

    @field_validator("carry", "pii", mode="before")
    @classmethod
    def _names(cls, value: Any) -> Any:
        return (value,) if isinstance(value, str) else tuple(value or ())

    @model_validator(mode="after")
    def _consistent(self) -> LoadSettings:
        if self.wave is not None and self.wave_col is not None:
            raise ValueError(
                "'wave' and 'wave_col' cannot be used together: name the wave of each "
                "export, or read the waves from one column"
            )
        if self.id_col == ROW_ID and self.linked:
            raise ValueError(
                "row-number IDs (@row) cannot be used for a paired design: a row number is "
                "not a person; for anonymous before/after surveys set unlinked: true"
            )
        return self

    def read_kwargs(self) -> dict[str, Any]:
        """The reading settings given (not defaults), as keywords of ``read_export``."""
        return {
            name: getattr(self, name)
            for name in READ_FIELDS
            if name in self.model_fields_set and getattr(self, name) != _default(name)
        }

    @classmethod
    def build(cls, where: str = "load_responses()", **options: Any) -> LoadSettings:
        """Validate keyword options into settings; a bad or unknown one is one InputError.

        Examples
        --------
        >>> LoadSettings.build(id_colum="pcode")
        Traceback (most recent call last):
        ...
        stigma_outcomes.errors.UnknownNameError: unknown setting 'id_colum'
          where: load_responses()
          how to fix: did you mean 'id_col', 'item_col', 'wave_col'? known: mapping, id_col, ...
        """
        read_options = options.pop("read_options", None)
        if read_options:
            if not isinstance(read_options, Mapping):
                raise InputError(
                    "read_options must be a dict of reading settings",
                    where=where,
                    fix=f"give e.g. read_options={{'sheet': 0}}; known: {', '.join(READ_FIELDS)}",
                )
            options = {**dict(read_options), **options}
        known = list(cls.model_fields)
        for name in options:
            if name not in known and name not in DEPRECATED_NAMES:
                raise UnknownNameError.among("setting", name, known, where=where)
        try:
            return cls.model_validate(options)
        except ValidationError as err:
            raise load_settings_error(err, where) from None


def file_waves(waves: list[str | None], wave_cols: list[str | None]) -> dict[str, Any]:
    """``wave`` or ``wave_col`` settings from the wave (or wave column) of each export.

    >>> file_waves(["pre", "post"], [None, None]), file_waves([None], ["event"])
    ({'wave': ['pre', 'post']}, {'wave_col': 'event'})
    """
    if all(w is not None for w in waves):
        return {"wave": waves}
    if len(set(wave_cols)) == 1 and wave_cols[0] is not None:
        return {"wave_col": wave_cols[0]}
    raise InputError(
        "data files mix 'wave' and 'wave_col'",
        where="evaluation file, data",
        fix="give every file a 'wave', or give every file the same 'wave_col'",
    )


def _default(name: str) -> Any:
    return LoadSettings.model_fields[name].default


def load_settings_error(err: ValidationError, where: str) -> InputError:
    """One message naming the first setting that failed."""
    return _settings_error(err, where, "LoadSettings (stigma_outcomes.ingest.settings)")


def load_setting_description(name: str) -> str:
    """The meaning of one setting (the evaluation file and the CLI reuse it)."""
    return str(LoadSettings.model_fields[name].description)


__all__ = [
    "DEPRECATED_NAMES",
    "READ_FIELDS",
    "DuplicatePolicy",
    "LoadSettings",
    "file_waves",
    "load_setting_description",
    "load_settings_error",
]
