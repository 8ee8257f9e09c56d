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
import math
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._io import write_table, write_text_atomic
from ..errors import InputError
from .fields import SECTION_DOCS

SECTIONS = ("paired", "unlinked", "mixed_models", "ancova", "attrition", "reliability", "pooled")

_KEY = {"design": "string", "instrument": "string", "scale": "string", "group_column": "string",
        "group": "string", "from_wave": "string", "to_wave": "string"}  # fmt: skip

PAIRED_FIELDS: dict[str, str] = {
    **_KEY,
    "n_pairs": "integer", "pre_mean": "number", "pre_sd": "number", "post_mean": "number",
    "post_sd": "number", "mean_change": "number", "sd_change": "number",
    "mean_change_ci_low": "number", "mean_change_ci_high": "number", "t": "number",
    "df": "number", "p_t": "number", "p_t_holm": "number", "p_t_bh": "number",
    "wilcoxon_v": "number", "p_wilcoxon": "number", "wilcoxon_method": "string",
    "n_zero_differences": "integer", "rank_biserial": "number", "d_z": "number",
    "d_z_ci_low": "number", "d_z_ci_high": "number", "d_av": "number", "g_av": "number",
    "improvement_sign": "integer", "n_improved": "integer", "n_worsened": "integer",
    "n_unchanged": "integer", "prop_improved": "number", "prop_improved_ci_low": "number",
    "prop_improved_ci_high": "number", "rci_reliability": "number",
    "rci_reliability_source": "string", "rci_sd": "number", "rci_sd_source": "string",
    "rci_s_diff": "number", "rci_threshold": "number", "n_reliably_improved": "integer",
    "prop_reliably_improved": "number", "n_no_reliable_change": "integer",
    "prop_no_reliable_change": "number", "n_reliably_deteriorated": "integer",
    "prop_reliably_deteriorated": "number", "n_clinical_at_pre": "integer",
    "n_recovered": "integer", "prop_recovered": "number", "clinical_cutoff": "number",
    "clinical_cutoff_operator": "string", "clinical_cutoff_source": "string",
    "recovery_criterion": "string", "suppress": "boolean",
    "too_few_to_interpret": "boolean", "note": "string",
}  # fmt: skip
"""Every field of a paired record and its JSON type (all but the key and flags may be null)."""

UNLINKED_FIELDS: dict[str, str] = {
    **_KEY,
    "n_before": "integer", "mean_before": "number", "sd_before": "number",
    "n_after": "integer", "mean_after": "number", "sd_after": "number",
    "mean_difference": "number", "mean_difference_ci_low": "number",
    "mean_difference_ci_high": "number", "t": "number", "df": "number", "p_t": "number",
    "p_t_holm": "number", "p_t_bh": "number", "hedges_g": "number",
    "hedges_g_ci_low": "number", "hedges_g_ci_high": "number",
    "mann_whitney_w": "number", "p_mann_whitney": "number", "mann_whitney_method": "string",
    "rank_biserial": "number", "improvement_sign": "integer", "threshold": "number",
    "threshold_rule": "string", "n_beyond_before": "integer", "prop_beyond_before": "number",
    "n_beyond_after": "integer", "prop_beyond_after": "number", "risk_difference": "number",
    "risk_difference_ci_low": "number", "risk_difference_ci_high": "number",
    "odds_ratio": "number", "odds_ratio_ci_low": "number", "odds_ratio_ci_high": "number",
    "suppress": "boolean", "too_few_to_interpret": "boolean", "note": "string",
}  # fmt: skip

ATTRITION_FIELDS: dict[str, str] = {
    "design": "string", "instrument": "string", "scale": "string", "group_column": "string",
    "group": "string", "from_wave": "string", "wave": "string", "n_at_wave": "integer",
    "n_baseline": "integer", "n_completers": "integer", "n_dropouts": "integer",
    "prop_retained": "number", "mean_completers": "number", "sd_completers": "number",
    "mean_dropouts": "number", "sd_dropouts": "number", "mean_difference": "number",
    "mean_difference_ci_low": "number", "mean_difference_ci_high": "number", "t": "number",
    "df": "number", "p": "number", "hedges_g": "number", "hedges_g_ci_low": "number",
    "hedges_g_ci_high": "number", "suppress": "boolean", "too_few_to_interpret": "boolean",
    "note": "string",
}  # fmt: skip

POOLED_FIELDS: dict[str, str] = {
    "instrument": "string", "scale": "string", "group": "string", "group_column": "string",
    "pooled_over": "string", "from_wave": "string", "to_wave": "string", "effect": "string",
    "method": "string", "k": "integer", "n_total": "integer", "estimate": "number",
    "se": "number", "ci_low": "number", "ci_high": "number", "z": "number", "p": "number",
    "tau2": "number", "tau": "number", "i2": "number", "h2": "number", "q": "number",
    "q_df": "integer", "q_p": "number", "pi_low": "number", "pi_high": "number",
    "improvement_sign": "integer", "studies": "array", "excluded": "array",
    "suppress": "boolean",
}  # fmt: skip

SECTION_FIELDS: dict[str, dict[str, str]] = {
    "paired": PAIRED_FIELDS,
    "unlinked": UNLINKED_FIELDS,
    "attrition": ATTRITION_FIELDS,
    "pooled": POOLED_FIELDS,
}
"""Field order of the sections this package defines fully; the others keep their own order."""

_REQUIRED = {
    "paired": ["design", "instrument", "scale", "group", "from_wave", "to_wave", "n_pairs",
               "pre_mean", "pre_sd", "post_mean", "post_sd", "mean_change",
               "mean_change_ci_low", "mean_change_ci_high", "t", "df", "p_t", "p_t_holm",
               "p_t_bh", "wilcoxon_v", "p_wilcoxon", "rank_biserial", "d_z", "d_z_ci_low",
               "d_z_ci_high", "d_av", "g_av", "improvement_sign", "n_improved",
               "prop_improved", "prop_improved_ci_low", "prop_improved_ci_high",
               "rci_reliability", "rci_reliability_source", "rci_sd", "rci_sd_source",
               "rci_threshold", "n_reliably_improved", "n_no_reliable_change",
               "n_reliably_deteriorated", "n_recovered", "clinical_cutoff",
               "clinical_cutoff_source", "recovery_criterion", "suppress"],
    "unlinked": ["design", "instrument", "scale", "group", "from_wave", "to_wave", "n_before",
                 "n_after", "mean_difference", "t", "df", "p_t", "p_t_holm", "p_t_bh",
                 "hedges_g",
                 "mann_whitney_w", "p_mann_whitney", "rank_biserial", "suppress"],
    "attrition": ["instrument", "scale", "group", "wave", "n_completers", "n_dropouts",
                  "mean_completers", "mean_dropouts", "t", "df", "p", "hedges_g"],
    "mixed_models": ["instrument", "scale"],
    "ancova": ["instrument", "scale", "from_wave", "to_wave"],
    "reliability": ["instrument", "scale", "wave"],
    "pooled": ["instrument", "scale", "pooled_over", "from_wave", "to_wave", "effect",
               "method", "k", "estimate", "se", "ci_low", "ci_high", "tau2", "i2",
               "studies", "excluded", "suppress"],
}  # fmt: skip


def _clean(value: Any) -> Any:
    """A JSON-ready copy: numpy scalars to Python, NaN/inf to None, floats to 15 digits."""
    if isinstance(value, Mapping):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if isinstance(value, np.ndarray):
        return [_clean(v) for v in value.tolist()]
    if isinstance(value, pd.DataFrame):
        return [_clean(r) for r in value.to_dict(orient="records")]
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        number = float(value)
        if not math.isfinite(number):
            return None
        return float(f"{number:.15g}")
    if value is None or isinstance(value, str):
        return value
    if value is pd.NA or value is pd.NaT:
        return None
    return str(value)


def _records(value: Any) -> list[dict[str, Any]]:
    if value is None:
        return []
    if isinstance(value, pd.DataFrame):
        return list(value.to_dict(orient="records"))
    return [dict(r) for r in value]


@dataclass
class Results:
    """Results of :func:`stigma_outcomes.comparison.compare`, one list of records per section.

    Examples
    --------
    >>> r = Results(paired=[{"instrument": "x", "scale": "t", "group": None, "t": float("nan")}])
    >>> r.to_dict()["paired"][0]["t"] is None
    True
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
        """The JSON-ready dictionary (NaN → ``None``, numpy → Python)."""
        out: dict[str, Any] = {"meta": _clean(self.meta)}
        for name, records in self.sections():
            out[name] = [_clean(r) for r in records]
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
        """Write the results as deterministic JSON (atomically)."""
        return write_text_atomic(path, dumps(self.to_dict()))

    def to_csv(self, path: str | os.PathLike[str]) -> Path:
        """Write every section stacked into one table (CSV, XLSX or Parquet by suffix)."""
        return write_table(self.to_frame(None), path)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Results:
        """Rebuild results from :meth:`to_dict` output (``None`` numbers stay ``None``)."""
        unknown = set(data) - {"meta", *SECTIONS}
        if unknown:
            raise InputError(
                f"not a results file: unexpected key(s) {sorted(unknown)}",
                fix="pass a results JSON written by 'stigma-outcomes compare'",
            )
        return cls(meta=dict(data.get("meta") or {}), **{s: data.get(s) or [] for s in SECTIONS})

    @classmethod
    def read_json(cls, path: str | os.PathLike[str]) -> Results:
        """Read a results JSON file written by :meth:`to_json`."""
        file = Path(path)
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise InputError(f"cannot read results file: {exc}", where=str(file)) from None
        if not isinstance(data, dict):
            raise InputError("not a results file (expected a JSON object)", where=str(file))
        return cls.from_dict(data)


def _flatten(record: Mapping[str, Any]) -> dict[str, Any]:
    """Nested values (lists, dicts) become JSON text so a record fits one table row."""
    return {
        k: json.dumps(_clean(v), sort_keys=True) if isinstance(v, Mapping | list | tuple) else v
        for k, v in record.items()
    }


def dumps(data: Mapping[str, Any]) -> str:
    """Deterministic JSON text of already-cleaned results data."""
    return json.dumps(data, sort_keys=True, indent=2, allow_nan=False, ensure_ascii=False) + "\n"


def _property(kind: str, nullable: bool, description: str | None = None) -> dict[str, Any]:
    prop: dict[str, Any] = {"type": [kind, "null"] if nullable else kind}
    if description:
        prop["description"] = description
    return prop


def results_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a results file.

    Examples
    --------
    >>> sorted(results_json_schema()["properties"])[:3]
    ['ancova', 'attrition', 'meta']
    """
    not_null = {"design", "instrument", "scale", "suppress"}
    sections: dict[str, Any] = {}
    for name in SECTIONS:
        fields = SECTION_FIELDS.get(name, {})
        docs = SECTION_DOCS.get(name, {})
        props = {k: _property(v, k not in not_null, docs.get(k)) for k, v in fields.items()}
        if name not in SECTION_FIELDS:
            props = {
                "instrument": {"type": "string"},
                "scale": {"type": "string"},
                "group": {"type": ["string", "null"]},
            }
        sections[name] = {
            "type": "array",
            "items": {
                "type": "object",
                "required": _REQUIRED[name],
                "properties": props,
                "additionalProperties": True,
            },
        }
    for name in ("paired", "unlinked"):
        sections[name]["items"]["properties"]["design"] = {"enum": [_DESIGN[name]]}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://stigma-outcomes.example/results.schema.json",
        "title": "stigma_outcomes comparison results",
        "description": "Output of 'stigma-outcomes compare' (SPEC §6).",
        "type": "object",
        "required": ["meta", *SECTIONS],
        "additionalProperties": False,
        "properties": {
            "meta": {
                "type": "object",
                "required": ["package", "version", "settings", "inputs"],
                "properties": {
                    "package": {"const": "stigma_outcomes"},
                    "version": {"type": "string"},
                    "settings": {"type": "object"},
                    "inputs": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["name", "sha256"],
                            "properties": {
                                "name": {"type": "string"},
                                "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                            },
                        },
                    },
                },
            },
            **sections,
        },
    }


_DESIGN = {"paired": "linked", "unlinked": "unlinked"}

SCHEMA_PATH = Path(__file__).with_name("results.schema.json")


def schema_text() -> str:
    """The published schema file's expected content."""
    return dumps(results_json_schema())
