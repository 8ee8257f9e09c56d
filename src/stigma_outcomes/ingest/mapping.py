"""The column-mapping file: which export column holds which instrument item.

A mapping is YAML (schema published as ``schemas/mapping.schema.json``)::

    id_col: ResponseId             # optional; the CLI's --id-col wins
    wave_col: wave                 # optional
    instruments:
      ucla3:
        pattern: "Q5_{item}"       # {item} is replaced by each item id
        columns: {"3": Q5_3b}      # explicit columns win over the pattern
        recode: {0: 1, 1: 2, 2: 3} # export code or label → instrument code
    files:                         # optional per-file sections (matched by file name)
      post.csv:
        instruments:
          ucla3: {pattern: "Q9_{item}"}
    waves:                         # optional per-wave sections (matched by wave name)
      followup:
        instruments:
          ucla3: {recode: {0: 1, 1: 2, 2: 3}}

Where a file or wave section names an instrument, its fields replace the top-level ones
for that instrument (fields it does not name are inherited). ``id_col`` and ``wave_col`` are
the names the evaluation file, the API and the command line (``--id-col``) use; their old
spellings ``id_column`` and ``wave_column`` are still read (deprecated).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .._load_choices import DESCRIPTIONS
from .._settings import first_problem, old_names_in_schema, rename_old_spellings
from ..errors import MappingError
from ..instruments.registry import read_yaml
from ..instruments.schema import code_key


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class InstrumentMap(_Model):
    """How one instrument's items are found in an export."""

    pattern: str | None = Field(None, description="Column name pattern with '{item}'.")
    columns: dict[str, str] = Field(default_factory=dict, description="Item id → column.")
    recode: dict[str, float] = Field(
        default_factory=dict, description="Export code or label → instrument response code."
    )

    @field_validator("pattern")
    @classmethod
    def _has_item(cls, value: str | None) -> str | None:
        if value is not None and "{item}" not in value:
            raise ValueError("a pattern must contain '{item}', e.g. 'Q5_{item}'")
        return value

    @field_validator("columns", mode="before")
    @classmethod
    def _item_keys(cls, value: object) -> object:
        if isinstance(value, dict):
            return {code_key(k): str(v) for k, v in value.items()}
        return value

    @field_validator("recode", mode="before")
    @classmethod
    def _recode_keys(cls, value: object) -> object:
        if isinstance(value, dict):
            return {
                (" ".join(k.split()).casefold() if isinstance(k, str) else code_key(k)): v
                for k, v in value.items()
            }
        return value

    def merged(self, override: InstrumentMap | None) -> InstrumentMap:
        if override is None:
            return self
        data = self.model_dump()
        data.update(override.model_dump(exclude_unset=True))
        return InstrumentMap.model_validate(data)


OLD_KEYS = {"id_column": "id_col", "wave_column": "wave_col"}
"""Old spellings of a mapping's keys (still read, deprecated) and the names that replaced them."""


# One per-file or per-wave section (exported as ``stigma_outcomes.ingest.MappingSection``; no
# docstring, as it would become the published schema's description of the section).
class Section(_Model):
    model_config = ConfigDict(json_schema_extra=old_names_in_schema(OLD_KEYS))

    instruments: dict[str, InstrumentMap] = Field(default_factory=dict)
    id_col: str | None = Field(None, description=DESCRIPTIONS["id_col"])
    wave_col: str | None = Field(None, description=DESCRIPTIONS["wave_col"])

    @model_validator(mode="before")
    @classmethod
    def _old_keys(cls, data: Any) -> Any:
        return rename_old_spellings(data, OLD_KEYS)

    @property
    def id_column(self) -> str | None:
        """Deprecated name of :attr:`id_col`."""
        return self.id_col

    @property
    def wave_column(self) -> str | None:
        """Deprecated name of :attr:`wave_col`."""
        return self.wave_col


# Named so it does not shadow collections.abc.Mapping; ``Mapping`` stays an alias below. (The
# docstring is the published schema's description, so it says what the file is, nothing more.)
class ColumnMapping(Section):
    """A whole mapping file (top level plus optional per-file and per-wave sections)."""

    files: dict[str, Section] = Field(default_factory=dict)
    waves: dict[str, Section] = Field(default_factory=dict)

    @property
    def bound(self) -> list[str]:
        """Every instrument the mapping binds, at the top level or in a file's or a wave's
        section (a file holding its waves side by side names them in wave sections only).

        Examples
        --------
        >>> pre, post = {"ucla3": {"pattern": "A{item}"}}, {"ucla3": {"pattern": "B{item}"}}
        >>> m = load_mapping({"waves": {"pre": {"instruments": pre},
        ...                             "post": {"instruments": post}}})
        >>> m.instruments, m.bound
        ({}, ['ucla3'])
        """
        sections = [self, *self.files.values(), *self.waves.values()]
        return list(dict.fromkeys(i for section in sections for i in section.instruments))

    def for_source(self, instrument_id: str, file: str | None, wave: str | None) -> InstrumentMap:
        """The effective map of one instrument for one file and wave."""
        result = self.instruments.get(instrument_id, InstrumentMap())
        if wave is not None and wave in self.waves:
            result = result.merged(self.waves[wave].instruments.get(instrument_id))
        if file is not None and file in self.files:
            result = result.merged(self.files[file].instruments.get(instrument_id))
        return result

    def id_column_for(self, file: str | None) -> str | None:
        section = self.files.get(file or "")
        return (section.id_col if section else None) or self.id_col

    def wave_column_for(self, file: str | None) -> str | None:
        section = self.files.get(file or "")
        return (section.wave_col if section else None) or self.wave_col

    def file_content(self) -> dict[str, Any]:
        """The mapping as its YAML file holds it: the fields given, in the usual order.

        Examples
        --------
        >>> ColumnMapping(instruments={"ucla3": InstrumentMap(pattern="Q5_{item}")},
        ...               id_col="pcode").file_content()
        {'id_col': 'pcode', 'instruments': {'ucla3': {'pattern': 'Q5_{item}'}}}
        """
        data = _whole_codes(self.model_dump(mode="json", exclude_unset=True))
        order = ("id_col", "wave_col", "instruments", "files", "waves")
        return {k: data[k] for k in order if k in data}


def _whole_codes(data: Any) -> Any:
    """Recode targets that are whole numbers written as such (``2``, not ``2.0``)."""
    if isinstance(data, dict):
        return {
            k: (
                {c: int(v) if float(v).is_integer() else v for c, v in value.items()}
                if k == "recode"
                else _whole_codes(value)
            )
            for k, value in data.items()
        }
    return data


Mapping = ColumnMapping
"""The former name of :class:`ColumnMapping`, kept so existing code keeps working."""


def load_mapping(
    source: str | os.PathLike[str] | dict[str, Any] | ColumnMapping | None,
) -> ColumnMapping:
    """Load and validate a mapping from a YAML file, a dict, or pass a Mapping through.

    Examples
    --------
    >>> m = load_mapping({"instruments": {"ucla3": {"pattern": "Q5_{item}"}}})
    >>> m.for_source("ucla3", None, None).pattern
    'Q5_{item}'
    """
    if source is None:
        return ColumnMapping()
    if isinstance(source, ColumnMapping):
        return source
    where = "<mapping>"
    data: Any = source
    if not isinstance(source, dict | str | os.PathLike):
        raise MappingError(
            f"a mapping is a file path, a dict or a ColumnMapping, not {type(source).__name__}",
            fix="pass the path of the mapping file (see schemas/mapping.schema.json)",
        )
    if not isinstance(source, dict):
        path = Path(source)
        where = str(path)
        if not path.is_file():
            raise MappingError(
                f"mapping file not found: {path}", fix="check the mapping file's path"
            )
        data = read_yaml(path)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise MappingError(
            f"a mapping file holds named sections (id_col, instruments, files, waves), "
            f"not a {type(data).__name__}",
            where=where,
            fix="see schemas/mapping.schema.json, or draft one with `stigma-outcomes init`",
        )
    try:
        return ColumnMapping.model_validate(data)
    except ValidationError as exc:
        loc, message = first_problem(exc)
        raise MappingError(
            f"invalid mapping field {loc}: {message}" if loc else f"invalid mapping: {message}",
            where=f"{where}: {loc}" if loc else where,
            fix="see schemas/mapping.schema.json for the fields a mapping may have",
        ) from None


def mapping_json_schema() -> dict[str, Any]:
    """JSON Schema of the mapping file."""
    schema = ColumnMapping.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "stigma_outcomes column mapping"
    return schema
