"""What every settings model shares: old spellings of a field, and one error for a bad value.

``CompareSettings`` (comparison) and ``LoadSettings`` (ingest) are frozen pydantic models
validated from keyword arguments, the evaluation file and the command line; both accept the
old names of renamed fields for a while and report the first bad setting as one
:class:`~stigma_outcomes.errors.InputError`.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from .errors import InputError

_UNSET = (None, {}, ())


def rename_old_spellings(data: Any, names: Mapping[str, str]) -> Any:
    """``data`` with each old field name (``names``: old -> new) moved to its new name.

    An old name given as None is dropped; giving both names with different values is an
    error; an old name that is used warns once (DeprecationWarning).

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     rename_old_spellings({"groups": "arm"}, {"groups": "group_by"})
    {'group_by': 'arm'}
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
        if data.get(new) not in _UNSET and data.get(new) != value:
            raise ValueError(f"give '{new}' or its old name '{old}', not both")
        warnings.warn(
            f"'{old}' is the old name of '{new}'; it still works but will go",
            DeprecationWarning,
            # the caller of model_validate/build, past pydantic's frames
            stacklevel=7,
        )
        data[new] = value
    return data


def settings_error(err: ValidationError, where: str, model: str) -> InputError:
    """One message naming the first setting that failed (``model``: where they are listed)."""
    first = err.errors()[0]
    name = ".".join(str(p) for p in first["loc"][:1])
    message = str(first["msg"]).removeprefix("Value error, ")
    return InputError(
        f"setting '{name}': {message}" if name else message,
        where=where,
        fix=f"see {model} for each setting",
    )
