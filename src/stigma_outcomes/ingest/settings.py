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
``dictionary``, ``pii`` (file: ``privacy.pii``) … are spelled alike everywhere.
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

from .._load_choices import DESCRIPTIONS, DUPLICATE_POLICIES, DuplicatePolicy
from .._settings import rename_old_spellings
from .._settings import settings_error as _settings_error
from ..errors import InputError, UnknownNameError
from .conventions import ROW_ID
from .mapping import ColumnMapping

DEPRECATED_NAMES = {"id_column": "id_col", "wave_column": "wave_col", "linked": "unlinked"}
"""Old spellings of the settings (API keyword) and the name that replaced them."""
NEGATED_NAMES = frozenset({"linked"})
"""Old names that said the opposite of the new one (``linked=True`` is ``unlinked=False``)."""

READ_FIELDS = ("sheet", "encoding", "delimiter", "include_previews", "include_incomplete",
               "dictionary", "pii", "layout", "item_col", "value_col")  # fmt: skip
"""The settings passed to :func:`~stigma_outcomes.ingest.readers.read_export` for each file."""


class LoadSettings(BaseModel):
    """Every choice of reading exports and binding them to items (frozen). What each one means
    is written once, in ``stigma_outcomes._load_choices``, which the command line's help reads.

    Examples
    --------
    >>> s = LoadSettings(id_col="pcode", wave=["pre", "post"], carry="arm")
    >>> s.id_col, s.wave, s.carry, s.duplicates
    ('pcode', ('pre', 'post'), ('arm',), <DuplicatePolicy.keep_last_complete: 'keep-last-complete'>)
    >>> LoadSettings(sheet="Responses", include_previews=True).read_kwargs()
    {'sheet': 'Responses', 'include_previews': True}
    """

    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)

    mapping: str | os.PathLike[str] | dict[str, Any] | ColumnMapping | None = Field(
        None, description=DESCRIPTIONS["mapping"]
    )
    id_col: str | None = Field(None, description=DESCRIPTIONS["id_col"])
    wave: tuple[str, ...] | None = Field(None, description=DESCRIPTIONS["wave"])
    wave_col: str | None = Field(None, description=DESCRIPTIONS["wave_col"])
    carry: tuple[str, ...] = Field((), description=DESCRIPTIONS["carry"])
    duplicates: DuplicatePolicy = Field(
        DuplicatePolicy.keep_last_complete, description=DESCRIPTIONS["duplicates"]
    )
    casefold_ids: bool = Field(False, description=DESCRIPTIONS["casefold_ids"])
    ignore_id_zeros: bool = Field(False, description=DESCRIPTIONS["ignore_id_zeros"])
    flavor: str | None = Field(None, description=DESCRIPTIONS["flavor"])
    unlinked: bool | None = Field(None, description=DESCRIPTIONS["unlinked"])
    sheet: str | int | None = Field(None, description=DESCRIPTIONS["sheet"])
    encoding: str | None = Field(None, description=DESCRIPTIONS["encoding"])
    delimiter: str | None = Field(None, description=DESCRIPTIONS["delimiter"])
    include_previews: bool = Field(False, description=DESCRIPTIONS["include_previews"])
    include_incomplete: bool = Field(False, description=DESCRIPTIONS["include_incomplete"])
    dictionary: str | os.PathLike[str] | None = Field(None, description=DESCRIPTIONS["dictionary"])
    pii: tuple[str, ...] = Field((), description=DESCRIPTIONS["pii"])
    layout: Literal["auto", "wide", "long"] = Field("auto", description=DESCRIPTIONS["layout"])
    item_col: str | None = Field(None, description=DESCRIPTIONS["item_col"])
    value_col: str | None = Field(None, description=DESCRIPTIONS["value_col"])

    @model_validator(mode="before")
    @classmethod
    def _old_spellings(cls, data: Any) -> Any:
        return rename_old_spellings(data, DEPRECATED_NAMES, NEGATED_NAMES)

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
        if not isinstance(value, str) or value not in DUPLICATE_POLICIES:
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
        if self.id_col == ROW_ID and self.unlinked is False:
            raise ValueError(
                "row-number IDs (@row) cannot be used for a paired design: a row number is "
                "not a person; for anonymous before/after surveys set unlinked: true"
            )
        return self

    @property
    def linked(self) -> bool | None:
        """Deprecated: ``not unlinked`` (None when not said); the setting is :attr:`unlinked`."""
        return None if self.unlinked is None else not self.unlinked

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
    """The meaning of one setting (the evaluation file reuses it; the CLI reads the leaf)."""
    return DESCRIPTIONS[name]


__all__ = [
    "DEPRECATED_NAMES",
    "READ_FIELDS",
    "DuplicatePolicy",
    "LoadSettings",
    "file_waves",
    "load_setting_description",
    "load_settings_error",
]
