"""Typed results records: one pydantic model per section, the single source of each field.

Each model (:class:`PairedRecord`, :class:`UnlinkedRecord`, :class:`MixedModelRecord`,
:class:`AncovaRecord`, :class:`AttritionRecord`, :class:`ReliabilityRecord`,
:class:`PooledRecord`, and :class:`ResultsMeta` for ``meta``) declares every field's type,
whether it must be present, and what it means. From them come the JSON Schema
(:func:`results_json_schema`, published as ``schemas/results.schema.json``), the field
reference (:func:`fields_markdown`, ``docs/results-fields.md``) and the check of a results
file read back (:func:`validate_results`).

Undefined statistics are ``None`` in the API and ``null`` in JSON (never NaN); the reason
is in the record's ``note``. :meth:`Results.to_frame` turns them into NaN, as pandas does.

Examples
--------
>>> PairedRecord.model_fields["n_pairs"].description
"Participants with a valid ('ok') score at both waves."
>>> sorted(SECTION_MODELS)[:3]
['ancova', 'attrition', 'mixed_models']
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ValidationError, create_model

from ...errors import InputError
from ._types import KEY_DOCS, OutOfRange, Record, json_kind, json_limits, plain
from .ancova import AncovaRecord
from .attrition import AttritionRecord
from .meta import RESULTS_SCHEMA_VERSION, InputFile, ResultsMeta
from .mixed import MixedModelRecord
from .paired import PairedRecord
from .pooled import PooledRecord
from .reliability import ReliabilityRecord

__all__ = [
    "KEY_DOCS",
    "RESULTS_SCHEMA_VERSION",
    "SECTIONS",
    "SECTION_MODELS",
    "AncovaRecord",
    "AttritionRecord",
    "InputFile",
    "MixedModelRecord",
    "PairedRecord",
    "PooledRecord",
    "Record",
    "ReliabilityRecord",
    "ResultsMeta",
    "UnlinkedRecord",
    "fields_markdown",
    "plain",
    "results_json_schema",
    "validate_results",
]

from .unlinked import UnlinkedRecord

SECTION_MODELS: dict[str, type[Record]] = {
    "paired": PairedRecord,
    "unlinked": UnlinkedRecord,
    "mixed_models": MixedModelRecord,
    "ancova": AncovaRecord,
    "attrition": AttritionRecord,
    "reliability": ReliabilityRecord,
    "pooled": PooledRecord,
}
"""Every section of a results file and the model of its records, in SPEC §6 order."""

SECTIONS = tuple(SECTION_MODELS)


def _lenient(model: type[BaseModel]) -> type[BaseModel]:
    """The same fields and types, every one optional: for files older than versioning."""
    fields: dict[str, Any] = {
        name: (info.annotation if not info.metadata else _annotated(info), None)
        for name, info in model.model_fields.items()
    }
    return create_model(f"Lenient{model.__name__}", __base__=model.__base__, **fields)


def _annotated(info: Any) -> Any:
    from typing import Annotated

    return Annotated[(info.annotation, *info.metadata)]


_LENIENT: dict[str, type[BaseModel]] = {}


def _problem(section: str, index: int | None, err: ValidationError) -> str:
    first = err.errors()[0]
    loc = ".".join(str(p) for p in first["loc"])
    where = section if index is None else f"{section}[{index}]"
    if first["type"] == "missing":
        return f"{where} lacks the field '{loc}'"
    message = str(first["msg"]).removeprefix("Value error, ")
    if isinstance(first.get("ctx", {}).get("error"), OutOfRange):
        return f"{where}.{loc} is out of range ({message})"
    return f"{where}.{loc} has the wrong type ({message})"


def validate_results(
    data: Any, where: str = "results", needed: Mapping[str, tuple[str, ...]] | None = None
) -> dict[str, Any]:
    """Check a results dictionary against the models; return it, or raise one clear error.

    A file with ``meta.schema_version`` of this major version must have every required field
    of every record; a file without one (written before versions) is checked field by field,
    and for ``instrument``, ``scale`` and the fields ``needed`` names per section (what the
    caller reads without a default). A newer major version is refused.

    Examples
    --------
    >>> validate_results({"meta": {}, "paired": []})["paired"]
    []
    >>> try:
    ...     validate_results({"paired": [{"instrument": "x", "scale": "t", "n_pairs": "9"}]})
    ... except InputError as err:
    ...     print(err.what.split(": ", 1)[1])
    paired[0].n_pairs has the wrong type (a whole number is expected)
    """

    def bad(problem: str) -> InputError:
        return InputError(
            f"the results file does not fit its schema: {problem}",
            where=where,
            fix="give a results JSON written by 'compare' or 'run', unedited",
        )

    if not isinstance(data, Mapping):
        raise bad("it is not a JSON object")
    unknown = sorted(set(data) - {"meta", *SECTIONS})
    if unknown:
        raise bad(f"unexpected key(s) {unknown}")
    meta = data.get("meta") or {}
    if not isinstance(meta, Mapping):
        raise bad("'meta' is not an object")
    version = meta.get("schema_version")
    strict = version is not None
    if strict:
        major = str(version).split(".")[0]
        if major != RESULTS_SCHEMA_VERSION.split(".")[0]:
            raise bad(
                f"its layout version {version} is not one this version reads "
                f"({RESULTS_SCHEMA_VERSION}); open it with the stigma_outcomes that wrote it"
            )
        try:
            ResultsMeta.model_validate(meta)
        except ValidationError as err:
            raise bad(_problem("meta", None, err)) from None
    for section, model in SECTION_MODELS.items():
        records = data.get(section)
        if records is None:
            continue
        if not isinstance(records, list):
            raise bad(f"'{section}' is not a list of records")
        check = model if strict else _LENIENT.setdefault(section, _lenient(model))
        demanded = ("instrument", "scale", *(needed or {}).get(section, ()))
        for i, rec in enumerate(records):
            if not isinstance(rec, Mapping):
                raise bad(f"{section}[{i}] is not an object")
            missing = [name for name in demanded if name not in rec]
            if missing and not strict:
                raise bad(f"{section}[{i}] lacks the field '{missing[0]}'")
            try:
                check.model_validate(rec)
            except ValidationError as err:
                raise bad(_problem(section, i, err)) from None
    return dict(data)


def _property(annotation: Any, description: str | None, metadata: list[Any]) -> dict[str, Any]:
    from typing import Literal, get_args, get_origin

    if get_origin(annotation) is Literal:
        prop: dict[str, Any] = {"enum": list(get_args(annotation))}
    else:
        kind = json_kind(annotation)
        nullable = type(None) in get_args(annotation)
        prop = {"type": [kind, "null"] if nullable else kind, **json_limits(metadata)}
    if description:
        prop["description"] = description
    return prop


def _section_schema(model: type[Record]) -> dict[str, Any]:
    fields = model.model_fields
    return {
        "type": "array",
        "description": (model.__doc__ or "").split("\n\n")[0].replace("\n    ", " ").strip(),
        "items": {
            "type": "object",
            "required": [name for name, info in fields.items() if info.is_required()],
            "properties": {
                name: _property(info.annotation, info.description, info.metadata)
                for name, info in fields.items()
            },
            "additionalProperties": True,
        },
    }


def results_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a results file, generated from the models.

    Examples
    --------
    >>> sorted(results_json_schema()["properties"])[:3]
    ['ancova', 'attrition', 'meta']
    """
    meta = ResultsMeta.model_json_schema()
    meta.pop("title", None)
    definitions = meta.pop("$defs", {})
    meta["properties"]["package"] = {"const": "stigma_outcomes", **meta["properties"]["package"]}
    meta["properties"]["package"].pop("type", None)
    meta["properties"]["package"].pop("title", None)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://stigma-outcomes.example/results.schema.json",
        "title": "stigma_outcomes comparison results",
        "description": "Output of 'stigma-outcomes compare' (SPEC §6), layout version "
        f"{RESULTS_SCHEMA_VERSION} (meta.schema_version).",
        "type": "object",
        "required": ["meta", *SECTIONS],
        "additionalProperties": False,
        "$defs": definitions,
        "properties": {
            "meta": meta,
            **{name: _section_schema(model) for name, model in SECTION_MODELS.items()},
        },
    }


def fields_markdown() -> str:
    """The field reference as Markdown (written to ``docs/results-fields.md``)."""
    from ..multiplicity import FAMILY_DESCRIPTION, UNLINKED_FAMILY_DESCRIPTION
    from .plans import PILOT_PLAN_DOCS, PLAN_DOCS

    lines = [
        "# Results fields",
        "",
        "Generated from the record models in `stigma_outcomes/comparison/records/` (one",
        "pydantic model per section); the same text is in the JSON Schema",
        "(`schemas/results.schema.json`). A field marked *required* is in every record (its",
        "value may still be null). Undefined statistics are `null` in JSON and `None` in the",
        "Python API, with the reason in `note`. Confidence intervals are 95%. Results files",
        f"carry their layout version as `meta.schema_version` (this version: "
        f"{RESULTS_SCHEMA_VERSION}).",
        "",
        f"Multiplicity family (p_t_holm, p_t_bh) of a linked analysis: {FAMILY_DESCRIPTION};",
        f"of an unlinked analysis: {UNLINKED_FAMILY_DESCRIPTION}.",
        "",
        "Mixed-model, ANCOVA and reliability records are described at more length in their",
        "modules (`comparison/mixed.py`, `comparison/ancova.py`, `comparison/reliability.py`);",
        "pooled (random-effects) records in `comparison/pooling.py`.",
    ]
    for section, model in SECTION_MODELS.items():
        doc = _section_schema(model)["description"]
        lines += ["", f"## `{section}`", "", f"{model.__name__}: {doc}", ""]
        lines += ["| field | type | required | meaning |", "| --- | --- | --- | --- |"]
        for name, info in model.model_fields.items():
            kind = _property(info.annotation, None, info.metadata)
            shown = kind.get("type") or " or ".join(f"'{v}'" for v in kind["enum"])
            if isinstance(shown, list):
                shown = " or ".join(shown)
            if "minimum" in kind:
                shown += f", {kind['minimum']} or more"
            elif "type" in kind and "enum" in kind:  # a sign
                shown += ": " + " or ".join(f"{v:+d}" for v in kind["enum"] if v is not None)
            required = "yes" if info.is_required() else ""
            lines.append(f"| `{name}` | {shown} | {required} | {info.description} |")
    lines += ["", "## `meta`", "", "| field | meaning |", "| --- | --- |"]
    lines += [f"| `{n}` | {i.description} |" for n, i in ResultsMeta.model_fields.items()]
    lines += [
        "",
        "## `plan` (stigma-outcomes plan --json; so.plan_sample_size)",
        "",
        "Not a section of the results file: the plan for the next cohort.",
    ]
    lines += ["", "| field | meaning |", "| --- | --- |"]
    lines += [f"| `{name}` | {meaning} |" for name, meaning in PLAN_DOCS.items()]
    lines += ["", "## `plan` from a pilot (stigma-outcomes plan RESULTS --outcome X --json)"]
    lines += ["", "| field | meaning |", "| --- | --- |"]
    lines += [f"| `{name}` | {meaning} |" for name, meaning in PILOT_PLAN_DOCS.items()]
    return "\n".join(lines) + "\n"
