"""The results of one comparison: records per section, metadata, and their files.

Layout (SPEC §6): ``{"meta": {...}, "paired": [...], "unlinked": [...], "mixed_models": [...],
"ancova": [...], "attrition": [...], "reliability": [...], "pooled": [...]}``. Every record
names its ``instrument``, ``scale``, ``group`` (``None`` for the whole sample) and, for
contrasts, ``from_wave`` and ``to_wave``. The JSON is deterministic: sorted keys, floats
rounded to 15 significant digits, NaN and infinities written as ``null``. Its JSON Schema is
:func:`results_json_schema` (published as ``results.schema.json`` beside this module).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .._io import write_table, write_text_atomic
from ..errors import InputError
from .records import (
    RESULTS_SCHEMA_VERSION,
    SECTION_MODELS,
    SECTIONS,
    plain,
    results_json_schema,
    validate_results,
)

SECTION_FIELDS: dict[str, dict[str, str]] = {
    name: model.field_kinds() for name, model in SECTION_MODELS.items()
}
"""Each section's declared fields and their JSON types, in declaration order (from the models)."""

PAIRED_FIELDS = SECTION_FIELDS["paired"]
UNLINKED_FIELDS = SECTION_FIELDS["unlinked"]
ATTRITION_FIELDS = SECTION_FIELDS["attrition"]
POOLED_FIELDS = SECTION_FIELDS["pooled"]


def _records(value: Any) -> list[dict[str, Any]]:
    """Plain records: numpy values to Python, undefined numbers (NaN, infinities) to None."""
    if value is None:
        return []
    if isinstance(value, pd.DataFrame):
        value = value.to_dict(orient="records")
    return [plain(dict(r)) for r in value]


@dataclass
class Results:
    """Results of :func:`stigma_outcomes.comparison.compare`, one list of records per section.

    Examples
    --------
    Records are plain dictionaries whose fields the models of
    :mod:`stigma_outcomes.comparison.records` declare; an undefined statistic is ``None``
    (``null`` in the JSON), never NaN.

    >>> r = Results(paired=[{"instrument": "x", "scale": "t", "group": None, "t": float("nan")}])
    >>> r.paired[0]["t"] is None, r.to_dict()["paired"][0]["t"] is None
    (True, True)
    """

    paired: list[dict[str, Any]] = field(default_factory=list)
    unlinked: list[dict[str, Any]] = field(default_factory=list)
    mixed_models: list[dict[str, Any]] = field(default_factory=list)
    ancova: list[dict[str, Any]] = field(default_factory=list)
    attrition: list[dict[str, Any]] = field(default_factory=list)
    reliability: list[dict[str, Any]] = field(default_factory=list)
    pooled: list[dict[str, Any]] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in SECTIONS:
            setattr(self, name, _records(getattr(self, name)))
        self.meta = plain(dict(self.meta))

    def __repr__(self) -> str:
        """Records per section and the design, never the records themselves.

        Examples
        --------
        >>> Results(paired=[{"instrument": "x", "scale": "t"}],
        ...         meta={"settings": {"design": "linked", "pre": "pre", "post": "post"}})
        Results(design='linked', pre='pre', post='post', paired=1)
        """
        counts = ", ".join(f"{name}={len(records)}" for name, records in self.sections() if records)
        settings = self.meta.get("settings") or {}
        head = ", ".join(
            f"{key}={settings[key]!r}" for key in ("design", "pre", "post") if settings.get(key)
        )
        return f"Results({', '.join(part for part in (head, counts) if part)})"

    def _repr_html_(self) -> str:
        """The paired records' headline fields as a table, for notebooks."""
        from html import escape

        if not self.paired:
            return f"<p>{escape(repr(self))}</p>"
        keys = [
            k
            for k in ("instrument", "scale", "group", "n_pairs", "mean_change", "p", "d_z")
            if any(k in r for r in self.paired)
        ]

        def cell(value: object) -> str:
            if isinstance(value, float):
                return "" if value != value else f"{value:.3g}"
            return "" if value is None else escape(str(value))

        head = "".join(f"<th>{k}</th>" for k in keys)
        rows = "".join(
            "<tr>" + "".join(f"<td>{cell(r.get(k))}</td>" for k in keys) + "</tr>"
            for r in self.paired
        )
        return (
            f"<p>{escape(repr(self))}</p><table><thead><tr>{head}</tr></thead>"
            f"<tbody>{rows}</tbody></table>"
        )

    def sections(self) -> Iterator[tuple[str, list[dict[str, Any]]]]:
        """``(name, records)`` for every section, in SPEC order."""
        for name in SECTIONS:
            yield name, getattr(self, name)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready dictionary (NaN → ``None``, numpy → Python, 15 significant digits)."""
        out: dict[str, Any] = {"meta": plain(self.meta, for_json=True)}
        for name, records in self.sections():
            out[name] = [plain(r, for_json=True) for r in records]
        return out

    def to_frame(self, section: str | None = "paired") -> pd.DataFrame:
        """One section as a DataFrame (known fields first), or every section stacked.

        With ``section=None`` the frame has a leading ``section`` column and the union of
        all sections' columns.
        """
        if section is None:
            frames = []
            for name, _ in self.sections():
                frame = self.to_frame(name)
                if not frame.empty:
                    frame.insert(0, "section", name)
                    frames.append(frame)
            return pd.concat(frames, ignore_index=True, sort=False) if frames else pd.DataFrame()
        if section not in SECTIONS:
            raise InputError(f"unknown results section '{section}'", fix=f"use {SECTIONS}")
        records = getattr(self, section)
        frame = pd.DataFrame([_flatten(r) for r in records])
        known = [c for c in SECTION_FIELDS.get(section, {}) if c in frame.columns]
        return frame[known + [c for c in frame.columns if c not in known]]

    def to_json(self, path: str | os.PathLike[str]) -> Path:
        """Write the results as deterministic JSON (atomically; mode by the user's umask)."""
        return write_text_atomic(path, dumps(self.to_dict()), private=False)

    def to_csv(self, path: str | os.PathLike[str]) -> Path:
        """Write every section stacked into one table (CSV, XLSX or Parquet by suffix)."""
        return write_table(self.to_frame(None), path, private=False)

    @classmethod
    def from_dict(
        cls,
        data: Mapping[str, Any],
        where: str = "results",
        needed: Mapping[str, tuple[str, ...]] | None = None,
    ) -> Results:
        """Rebuild results from :meth:`to_dict` output, checked against the record models.

        ``needed`` names, per section, fields a record must have even in a file older than
        layout versions (whose other fields are optional): those the caller reads without
        a default.

        Raises
        ------
        InputError
            One message naming the section, record and field that does not fit
            (:func:`~stigma_outcomes.comparison.records.validate_results`).
        """
        validate_results(data, where, needed)
        return cls(meta=dict(data.get("meta") or {}), **{s: data.get(s) or [] for s in SECTIONS})

    @classmethod
    def read_json(
        cls,
        path: str | os.PathLike[str],
        needed: Mapping[str, tuple[str, ...]] | None = None,
    ) -> Results:
        """Read a results JSON file written by :meth:`to_json`.

        The one reader of results files (``report``, ``pool``, ``plan``): a folder, a FIFO
        or an oversized file is refused before it is opened, bytes in another encoding are
        decoded as settings files are, and anything that is not a results object is one
        :class:`~stigma_outcomes.errors.InputError`. ``needed`` as in :meth:`from_dict`.
        """
        from .._inputs import check_input_file, decode_text

        file = check_input_file(path, "results file")
        fix = "give a results JSON written by 'compare' or 'run', unedited"
        try:
            data = json.loads(decode_text(file.read_bytes(), str(file)))
        except (OSError, json.JSONDecodeError, RecursionError) as exc:
            reason = (
                "its values are nested too deeply"
                if isinstance(exc, RecursionError)
                else getattr(exc, "strerror", None) or exc
            )
            raise InputError(
                f"cannot read results file: {reason}", where=str(file), fix=fix
            ) from None
        if not isinstance(data, dict):
            raise InputError(
                "not a results file (expected a JSON object)", where=str(file), fix=fix
            )
        return cls.from_dict(data, str(file), needed)


def _flatten(record: Mapping[str, Any]) -> dict[str, Any]:
    """Nested values (lists, dicts) become JSON text so a record fits one table row."""
    return {
        k: (
            json.dumps(plain(v, for_json=True), sort_keys=True)
            if isinstance(v, Mapping | list | tuple)
            else v
        )
        for k, v in record.items()
    }


def dumps(data: Mapping[str, Any]) -> str:
    """Deterministic JSON text of already-cleaned results data."""
    return json.dumps(data, sort_keys=True, indent=2, allow_nan=False, ensure_ascii=False) + "\n"


SCHEMA_PATH = Path(__file__).with_name("results.schema.json")


__all__ = [
    "RESULTS_SCHEMA_VERSION",
    "SCHEMA_PATH",
    "SECTIONS",
    "SECTION_FIELDS",
    "Results",
    "dumps",
    "results_json_schema",
    "schema_text",
]


def schema_text() -> str:
    """The published schema file's expected content."""
    return dumps(results_json_schema())
