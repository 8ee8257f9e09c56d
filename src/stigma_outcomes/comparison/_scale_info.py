"""The facts a user gives for one scale (a scale-info file, or the ``scale_info`` mapping),
checked field by field before any of them is used.

The layout is in :mod:`.scale_facts`. Keys this check does not know (``items``, read by
:mod:`.items`) are left for their readers; the direction and reliability keep the checks
and messages of their command-line options (:mod:`.scale_facts`).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, FiniteFloat, ValidationError

from .._settings import first_problem
from ..errors import InputError

Operator = Literal[">=", ">", "<=", "<"]
"""How a score compares with a cutoff: the clinical range is ``score <operator> value``."""
OPERATORS: tuple[str, ...] = get_args(Operator)


class _Facts(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class Cutoff(_Facts):
    """The clinical range: ``score <operator> value``."""

    value: FiniteFloat
    operator: Operator
    source: Any = None


class Norms(_Facts):
    """A reference sample's mean and SD."""

    mean: FiniteFloat
    sd: FiniteFloat = Field(gt=0)
    source: Any = None


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, dict) else value


class ScaleFacts(_Facts):
    """One scale's facts as given; each nested part of the right shape."""

    direction: Any = None
    reliability: Any = None
    reliability_source: Any = None
    range: tuple[FiniteFloat, FiniteFloat] | None = None
    clinical_cutoff: Cutoff | None = None
    norms: Annotated[list[Norms] | None, BeforeValidator(_as_list)] = None  # one, or a list

    def first_norms(self) -> Norms | None:
        """The norms, or the first of a list of them."""
        return self.norms[0] if self.norms else None


def checked_facts(key: tuple[str, str], facts: Any, where: str) -> ScaleFacts:
    """The facts of scale ``key`` checked, or one :class:`InputError` naming the field.

    Examples
    --------
    >>> checked_facts(("my", "total"), {"direction": "higher_is_better",
    ...                                 "norms": {"mean": 5, "sd": 1}}, "x.yaml").first_norms().sd
    1.0
    >>> try:
    ...     checked_facts(("my", "total"), {"clinical_cutoff": "8"}, "x.yaml")
    ... except InputError as err:
    ...     print(err.what)
    the facts of scale my.total do not fit: clinical_cutoff must be a mapping such as {value: 8, operator: '>='}
    """  # noqa: E501
    try:
        return ScaleFacts.model_validate(facts)
    except ValidationError as err:
        loc, message = first_problem(err)
        problem = _problem(loc, err.errors()[0]["type"], message)
        raise InputError(
            f"the facts of scale {key[0]}.{key[1]} {problem}",
            where=where,
            fix="write them as in the layout of 'stigma-outcomes compare --help', indented under "
            "the scale's name (direction, reliability, range: [low, high], clinical_cutoff: "
            "{value, operator}, norms: {mean, sd})",
        ) from None


_SHAPES = {
    "clinical_cutoff": "a mapping such as {value: 8, operator: '>='}",
    "norms": "a mapping such as {mean: 28.0, sd: 6.0}",
    "range": "two numbers such as [0, 40]",
}
_SHAPE_ERRORS = ("model_type", "dict_type", "tuple_type", "list_type", "too_long", "too_short")


def _problem(loc: str, kind: str, message: str) -> str:
    # A list's positions are left out of the name: "norms.sd", not "norms.0.sd".
    field = ".".join(part for part in loc.split(".") if part and not part.isdigit())
    if not field:
        return "must be a mapping (direction, reliability, ...)"
    top = field.split(".")[0]
    if kind in _SHAPE_ERRORS and top in _SHAPES:
        return f"do not fit: {top} must be {_SHAPES[top]}"
    return f"do not fit: {field}: {message}"
