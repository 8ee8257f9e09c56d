"""The vocabulary and the base model every instrument-definition model shares (SPEC §3).

The closed word lists (licence status, verification, scoring method, direction, operator),
the documented domain vocabulary, the shapes of ids, the canonical text of a response code and
the frozen, extra-forbidding pydantic base. Re-exported by
:mod:`stigma_outcomes.instruments.schema`.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal, get_args

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict

Domain = Literal[
    "isolation",
    "self_stigma",
    "belonging",
    "connectedness",
    "public_stigma",
    "help_seeking_stigma",
    "help_seeking",
    "wellbeing",
    "distress",
    "recovery",
    "social_support",
    "resilience",
    "hope",
    "self_esteem",
    "self_efficacy",
    "empowerment",
]
# The documented vocabulary of domains (SPEC §3), in the catalogue's order. It is open: a
# user's own instrument may name a domain of its own (e.g. programme_satisfaction).
KNOWN_DOMAINS: tuple[str, ...] = get_args(Domain)

LicenseStatus = Literal[
    "public_domain",
    "free_with_citation",
    "registration_required",
    "permission_required",
    "proprietary",
]
Verification = Literal["verified", "single_source", "uncertain", "convention", "computed"]
Method = Literal["sum", "mean", "prorated_sum"]
Direction = Literal["higher_is_worse", "higher_is_better"]
Operator = Literal[">=", ">", "<=", "<"]
Number = float | int

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_ITEM_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_]*$")


def _lower_id(value: str) -> str:
    if not _ID.match(value):
        raise ValueError("an id is lower-case letters, digits and underscores, e.g. 'total'")
    return value


def _ids_as_text(value: object) -> object:
    # YAML reads item ids such as 7 as numbers; they are names, so keep them as text.
    if isinstance(value, list):
        return [str(v) if isinstance(v, int) else v for v in value]
    return value


LowerId = Annotated[str, AfterValidator(_lower_id)]
ItemIds = Annotated[list[str], BeforeValidator(_ids_as_text)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _code_key(value: object) -> str:
    """Canonical text for a response code: ``1``, ``1.0`` and ``"1"`` all become ``"1"``."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def code_key(value: object) -> str:
    """Public alias of the canonical code text used for recode keys.

    Examples
    --------
    >>> code_key(2.0), code_key("3")
    ('2', '3')
    """
    return _code_key(value)
