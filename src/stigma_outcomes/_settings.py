"""What every settings model shares: old spellings of a field, and one error for a bad value.

``CompareSettings`` (comparison) and ``LoadSettings`` (ingest) are frozen pydantic models
validated from keyword arguments, the evaluation file and the command line; both accept the
old names of renamed fields for a while and report the first bad setting as one
:class:`~stigma_outcomes.errors.InputError`. The files' models (the evaluation file and the
column mapping) accept their old keys the same way, and publish them in their JSON Schemas
as deprecated (:func:`old_names_in_schema`).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any

from pydantic import ValidationError

from .errors import InputError, warn_old_name

_UNSET = (None, {}, ())


def rename_old_spellings(data: Any, names: Mapping[str, str], negated: Collection[str] = ()) -> Any:
    """``data`` with each old field name (``names``: old -> new) moved to its new name.

    An old name given as None is dropped; giving both names with different values is an
    error; an old name that is used warns once (``OldNameWarning``, a DeprecationWarning).
    An old name in ``negated`` said the opposite (``linked`` for ``unlinked``): its value
    is inverted.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     rename_old_spellings({"groups": "arm"}, {"groups": "group_by"})
    {'group_by': 'arm'}
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     rename_old_spellings({"linked": True}, {"linked": "unlinked"}, negated={"linked"})
    {'unlinked': False}
    """
    if not isinstance(data, Mapping):
        return data
    data = dict(data)
    for old, new in names.items():
        if old not in data:
            continue
        value = data.pop(old)
        if value is None:
            continue
        if old in negated:
            value = not value
        if data.get(new) not in _UNSET and data.get(new) != value:
            raise ValueError(f"give '{new}' or its old name '{old}', not both")
        # the caller of model_validate/build, past pydantic's frames
        warn_old_name(old, new, stacklevel=6)
        data[new] = value
    return data


# What a property of the new name may share with its old name in a JSON Schema: its type.
_KIND = ("type", "anyOf", "enum", "$ref", "items", "additionalProperties", "minimum", "maximum")


def old_names_in_schema(names: Mapping[str, str]) -> Callable[[dict[str, Any]], None]:
    """A ``json_schema_extra`` hook listing each old name (``names``: old -> new) as deprecated.

    The old name takes the new one's type, so an editor checks either spelling.

    >>> schema = {"properties": {"id_col": {"type": "string", "description": "ID column."}}}
    >>> old_names_in_schema({"id_column": "id_col"})(schema)
    >>> schema["properties"]["id_column"]["deprecated"], schema["properties"]["id_column"]["type"]
    (True, 'string')
    """

    def add(schema: dict[str, Any]) -> None:
        properties = schema["properties"]
        for old, new in names.items():
            kind = {k: v for k, v in properties[new].items() if k in _KIND}
            properties[old] = {
                **kind,
                "deprecated": True,
                "description": f"Old name of '{new}'; still read, but write '{new}'.",
            }

    return add


def first_problem(err: ValidationError) -> tuple[str, str]:
    """Where the first validation error is (dotted, '' at the top level) and what it says."""
    first = err.errors()[0]
    where = ".".join(str(p) for p in first["loc"])
    return where, str(first["msg"]).removeprefix("Value error, ")


def settings_error(err: ValidationError, where: str, model: str) -> InputError:
    """One message naming the first setting that failed (``model``: where they are listed)."""
    loc, message = first_problem(err)
    name = loc.split(".")[0]
    return InputError(
        f"setting '{name}': {message}" if name else message,
        where=where,
        fix=f"see {model} for each setting",
    )
