"""The field types every results record is built from, and the base record model.

Undefined is one thing everywhere: ``None`` in the API and ``null`` in JSON. A number
field takes a Python or numpy number and turns NaN and infinities into ``None``; a count
takes a whole number of 0 or more (``5.0`` read back from JSON included), a sign +1 or −1;
text stays text. Nothing is
coerced across kinds: ``"5"`` is not a number and ``1`` is not a flag, so an edited results
file fails with the field named instead of being read as something else.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Annotated, Any, ClassVar

import numpy as np
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

KEY_DOCS = {
    "design": "'linked' (the same participants matched across waves) or 'unlinked' "
    "(anonymous waves compared as independent samples).",
    "instrument": "Instrument id.",
    "scale": "Scale id within the instrument.",
    "group_column": "Name of the grouping column for a group record; null for the whole sample.",
    "group": "Group level (as text); null for the whole sample.",
    "from_wave": "Earlier wave of the contrast (the baseline).",
    "to_wave": "Later wave of the contrast.",
    "suppress": "True when the record rests on fewer people than the minimum cell size "
    "(default 5): computed, but to be suppressed in anything shared.",
    "too_few_to_interpret": "True when the record rests on fewer people than the minimum cell "
    "size (paired: pairs; unlinked: respondents at the smaller wave; attrition: completers "
    "or dropouts; ANCOVA: pairs in the smallest group; mixed model and reliability: "
    "participants): its interval and p are computed but say next to nothing, and note says "
    "so in words.",
    "note": "Why a statistic is undefined (null), or what to know about the record.",
}
"""Meanings of the fields most sections share (the key of a record, its flags and note)."""


def plain(value: Any, *, for_json: bool = False) -> Any:
    """A Python copy of nested record values: numpy to Python, NaN and infinities to None.

    With ``for_json`` the copy is what a results file holds: floats rounded to 15
    significant digits (so the file is the same on every machine), a DataFrame as its list of
    records, and any other object as its text; without it, records keep full precision and
    objects stay as they are.

    >>> plain({"d": np.float64(1 / 3), "n": np.int64(2), "x": [float("nan")]})
    {'d': 0.3333333333333333, 'n': 2, 'x': [None]}
    >>> plain({"d": 1 / 3, "when": np.datetime64("2025-03-01")}, for_json=True)
    {'d': 0.333333333333333, 'when': '2025-03-01'}
    """
    if isinstance(value, Mapping):
        return {str(k): plain(v, for_json=for_json) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v, for_json=for_json) for v in value]
    if isinstance(value, np.ndarray):
        return [plain(v, for_json=for_json) for v in value.tolist()]
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        number = float(value)
        if not math.isfinite(number):
            return None
        return float(f"{number:.15g}") if for_json else number
    if value is None or isinstance(value, str):
        return value
    if _is_missing(value):
        return None
    if not for_json:
        return value
    import pandas as pd

    if isinstance(value, pd.DataFrame):
        return [plain(r, for_json=True) for r in value.to_dict(orient="records")]
    return str(value)


def _is_missing(value: Any) -> bool:
    import pandas as pd

    return value is pd.NA or value is pd.NaT


def _number(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool | np.bool_ | str):
        raise ValueError("a number is expected")
    if isinstance(value, int | np.integer | float | np.floating):
        number = float(value)
        return number if math.isfinite(number) else None
    if _is_missing(value):
        return None
    return value  # anything else fails the float check with pydantic's own message


class OutOfRange(ValueError):
    """A value of the right kind outside what its field allows (a count below zero)."""


def _whole(value: Any) -> Any:
    """A whole number as ``int`` (NaN and infinities as ``None``); anything else unchanged,
    for pydantic's own check of the type."""
    if value is None:
        return None
    if isinstance(value, bool | np.bool_ | str):
        raise ValueError("a whole number is expected")
    if isinstance(value, float | np.floating):
        number = float(value)
        if not math.isfinite(number):
            return None
        if not number.is_integer():
            raise ValueError("a whole number is expected")
        return int(number)
    if isinstance(value, np.integer):
        return int(value)
    return value


def _count(value: Any) -> Any:
    # A count below zero would reach the report's disclosure audit, which refuses it there,
    # deep inside the report; an edited file is told here instead, with the field named.
    value = _whole(value)
    if isinstance(value, int) and value < 0:
        raise OutOfRange("a whole number of 0 or more is expected")
    return value


def _sign(value: Any) -> Any:
    value = _whole(value)
    if isinstance(value, int) and value not in (-1, 1):
        raise OutOfRange("+1 or -1 is expected")
    return value


def _text(value: Any) -> Any:
    if value is not None and not isinstance(value, str):
        raise ValueError("text is expected")
    return value


def _flag(value: Any) -> Any:
    if isinstance(value, np.bool_):
        return bool(value)
    if value is not None and not isinstance(value, bool):
        raise ValueError("true or false is expected")
    return value


def _nested(value: Any) -> Any:
    return plain(value)


Number = Annotated[float | None, BeforeValidator(_number)]
"""A statistic: a finite number, or None when undefined (the reason is in ``note``)."""
Count = Annotated[int | None, BeforeValidator(_count)]
"""A count of people, records or levels (a whole number of 0 or more), or None."""
Sign = Annotated[int | None, BeforeValidator(_sign)]
"""A direction: +1 or −1, or None."""
Text = Annotated[str | None, BeforeValidator(_text)]
"""A label or explanation, or None."""
Flag = Annotated[bool | None, BeforeValidator(_flag)]
"""True or false (None only where a record could not say)."""
Bool = Annotated[bool, BeforeValidator(_flag)]
"""True or false, always there (``suppress``)."""
Label = Annotated[str, BeforeValidator(_text)]
"""A label that is always there (instrument, scale)."""
Items = Annotated[list[Any] | None, BeforeValidator(_nested)]
"""A list of values or of nested objects (described in the field's meaning)."""
Table = Annotated[dict[str, Any] | None, BeforeValidator(_nested)]
"""An object of values keyed by a label (item, group)."""


def described(description: str, *, required: bool = True) -> Any:
    """A field with its meaning; required fields must be present (they may still be null)."""
    if required:
        return Field(description=description)
    return Field(None, description=description)


class Record(BaseModel):
    """Base of every results record: fields as declared, others kept as they are.

    A record may carry fields this version does not declare (a later version's, or a
    user's); they are kept, so reading and writing a file never loses anything.
    """

    model_config = ConfigDict(extra="allow", frozen=True)

    section: ClassVar[str] = ""
    """Name of the results section this record belongs to."""

    @classmethod
    def field_kinds(cls) -> dict[str, str]:
        """Each declared field's JSON type, in declaration order."""
        return {name: json_kind(info.annotation) for name, info in cls.model_fields.items()}


def json_limits(metadata: list[Any]) -> dict[str, Any]:
    """The JSON Schema limits of a field whose metadata holds the count or sign check.

    Examples
    --------
    >>> json_limits(Sign.__metadata__), json_limits(Count.__metadata__)
    ({'enum': [-1, 1, None]}, {'minimum': 0})
    """
    checks = {getattr(m, "func", None) for m in metadata}
    if _sign in checks:
        return {"enum": [-1, 1, None]}
    if _count in checks:
        return {"minimum": 0}
    return {}


def json_kind(annotation: Any) -> str:
    """The JSON type of a field annotation (``integer``, ``number``, ...)."""
    from typing import Literal, get_args, get_origin

    if get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    if get_origin(annotation) is Literal:
        return "string"
    args = [a for a in get_args(annotation) if a is not type(None)] or [annotation]
    base = args[0]
    origin = get_origin(base) or base
    for kind, name in ((bool, "boolean"), (int, "integer"), (float, "number"), (str, "string"),
                       (list, "array"), (dict, "object")):  # fmt: skip
        if origin is kind:
            return name
    raise TypeError(f"no JSON type for {annotation!r}")
