"""What a comparison is asked to do: :class:`CompareSettings`, one frozen model, three surfaces.

The same settings come from the Python API (keyword arguments of
:func:`~stigma_outcomes.comparison.compare`, validated into this model), the evaluation file
(:meth:`stigma_outcomes.evaluation.Evaluation.compare_settings`) and the command line
(``stigma-outcomes compare``, whose choices are the enums below). Each concept has one name
on every surface:

=================== ======================= ============================ =======================
concept             API / model             evaluation file              command line
=================== ======================= ============================ =======================
grouping column     ``group_by``            ``group_by``                 ``--group-by``
pooling column      ``pool_by``             ``pool_by``                  ``--pool-by``
privacy limit       ``min_cell``            ``privacy.min_cell``         ``--min-cell``
clinical threshold  ``clinical_threshold``  ``clinical_threshold``       ``--clinical-threshold``
=================== ======================= ============================ =======================

Old spellings still work and are deprecated: ``group_col`` (API) and ``groups`` (file) for
``group_by``; ``pool_col`` (API) for ``pool_by``; ``threshold`` (API) for
``clinical_threshold``; ``privacy.threshold`` (file) for ``privacy.min_cell``;
``--group-col`` for ``--group-by``. The privacy limit and the clinical threshold never share
a name. What each setting means is written once, in ``_choices.DESCRIPTIONS``: the fields
below, the evaluation file and ``stigma-outcomes compare --help`` all read it. This module
imports nothing heavy, so the evaluation file can use it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from .._settings import rename_old_spellings
from .._settings import settings_error as _settings_error
from ..errors import InputError
from ._choices import DESCRIPTIONS, Direction, PoolMethod, RciReliability, RciSd

DEPRECATED_NAMES = {"group_col": "group_by", "groups": "group_by", "pool_col": "pool_by",
                    "threshold": "clinical_threshold"}  # fmt: skip
"""Old spellings of the settings (API keyword or file key) and the name that replaced them."""


def _scale_key(key: Any) -> str:
    if isinstance(key, tuple) and len(key) == 2:
        return f"{key[0]}.{key[1]}"
    text = str(key).strip()
    instrument, dot, scale = text.partition(".")
    if not (dot and instrument and scale) or "." in scale:
        raise ValueError(f"'{key}' should be INSTRUMENT.SCALE, e.g. ismi29.total")
    return text


def scale_keys(value: Any) -> dict[str, Any]:
    """A mapping keyed by INSTRUMENT.SCALE (or (instrument, scale) pairs), keys as text."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ValueError("give a mapping of INSTRUMENT.SCALE to a value")
    return {_scale_key(k): v for k, v in value.items()}


def reliability_in_range(value: dict[str, float]) -> dict[str, float]:
    """Each reliability strictly between 0 and 1."""
    for key, r in value.items():
        if not 0 < r < 1:
            raise ValueError(f"reliability of {key} must be between 0 and 1, got {r}")
    return value


class CompareSettings(BaseModel):
    """Every choice of a comparison, validated once (frozen: a run's settings do not change).

    Examples
    --------
    >>> s = CompareSettings(pre="pre", post="post", group_by="arm", min_cell=11)
    >>> s.group_by, s.min_cell, s.rci_sd
    ('arm', 11, <RciSd.baseline: 'baseline'>)
    >>> CompareSettings(pre="pre", post="post", reliability={("ucla3", "total"): 0.8}).reliability
    {'ucla3.total': 0.8}
    """

    model_config = ConfigDict(frozen=True, extra="forbid", use_enum_values=False)

    pre: str = Field(description=DESCRIPTIONS["pre"])
    post: str = Field(description=DESCRIPTIONS["post"])
    followup: tuple[str, ...] = Field((), description=DESCRIPTIONS["followup"])
    unlinked: bool = Field(False, description=DESCRIPTIONS["unlinked"])
    group_by: str | None = Field(None, description=DESCRIPTIONS["group_by"])
    reference_group: str | None = Field(None, description=DESCRIPTIONS["reference_group"])
    covariates: tuple[str, ...] = Field((), description=DESCRIPTIONS["covariates"])
    pool_by: str | None = Field(None, description=DESCRIPTIONS["pool_by"])
    pool_method: PoolMethod = Field(PoolMethod.REML, description=DESCRIPTIONS["pool_method"])
    reliability: dict[str, float] = Field(
        default_factory=dict, description=DESCRIPTIONS["reliability"]
    )
    direction: dict[str, Direction] = Field(
        default_factory=dict, description=DESCRIPTIONS["direction"]
    )
    clinical_threshold: dict[str, float] = Field(
        default_factory=dict, description=DESCRIPTIONS["clinical_threshold"]
    )
    rci_reliability: RciReliability = Field(
        RciReliability.auto, description=DESCRIPTIONS["rci_reliability"]
    )
    rci_sd: RciSd = Field(RciSd.baseline, description=DESCRIPTIONS["rci_sd"])
    min_cell: int = Field(5, ge=1, le=100, description=DESCRIPTIONS["min_cell"])
    _made_by: str = PrivateAttr("compare()")
    """The entry point that built these settings (:meth:`build`'s ``where``), so that a
    message names the settings as its user spells them (:attr:`wave_names`)."""

    @model_validator(mode="before")
    @classmethod
    def _old_spellings(cls, data: Any) -> Any:
        return rename_old_spellings(data, DEPRECATED_NAMES)

    @field_validator("pre", "post", mode="before")
    @classmethod
    def _wave_text(cls, value: Any) -> Any:
        return (
            str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value
        )

    @field_validator("followup", mode="before")
    @classmethod
    def _followup_text(cls, value: Any) -> Any:
        if isinstance(value, str):
            return (value,)
        return tuple(str(w) for w in value or ())

    @field_validator("covariates", mode="before")
    @classmethod
    def _covariate_list(cls, value: Any) -> Any:
        return (value,) if isinstance(value, str) else tuple(value or ())

    @field_validator("reliability", "direction", "clinical_threshold", mode="before")
    @classmethod
    def _scale_keys(cls, value: Any) -> Any:
        return scale_keys(value)

    @field_validator("reliability")
    @classmethod
    def _reliability_range(cls, value: dict[str, float]) -> dict[str, float]:
        return reliability_in_range(value)

    @model_validator(mode="after")
    def _distinct_waves(self) -> CompareSettings:
        waves = self.waves
        if len(set(waves)) != len(waves):
            raise ValueError(f"the same wave is named twice among pre/post/followup: {list(waves)}")
        return self

    @property
    def waves(self) -> tuple[str, ...]:
        """``pre``, ``post`` and the follow-ups, in order."""
        return (self.pre, self.post, *self.followup)

    @property
    def wave_names(self) -> str:
        """How the user of the entry point that built these settings names the waves.

        >>> CompareSettings.build("evaluation file", pre="a", post="b").wave_names
        "the evaluation file's waves: pre / post / followup"
        >>> CompareSettings(pre="a", post="b").wave_names
        'pre= / post= / followup='
        """
        return _WAVE_NAMES.get(self._made_by, "pre= / post= / followup=")

    @property
    def contrasts(self) -> list[tuple[str, str]]:
        """``(pre, later)`` for every later wave."""
        return [(self.pre, wave) for wave in self.waves[1:]]

    @classmethod
    def build(cls, where: str = "compare()", **options: Any) -> CompareSettings:
        """Validate keyword options into settings; a bad one is one :class:`InputError`.

        Examples
        --------
        >>> CompareSettings.build(pre="a", post="b", rci_sd="nope")
        Traceback (most recent call last):
        ...
        stigma_outcomes.errors.InputError: setting 'rci_sd': Input should be 'baseline' or 'norms'
          where: compare()
          how to fix: see CompareSettings (stigma_outcomes.comparison.settings) for each setting
        """
        try:
            settings = cls.model_validate(options)
        except ValidationError as err:
            raise settings_error(err, where) from None
        settings._made_by = where
        return settings


_WAVE_NAMES = {
    "evaluation file": "the evaluation file's waves: pre / post / followup",
    "stigma-outcomes compare": "--pre / --post / --followup",
}
"""The waves' settings as each entry point's user spells them (by :meth:`build`'s where)."""


def settings_error(err: ValidationError, where: str) -> InputError:
    """One message naming the first setting that failed."""
    return _settings_error(err, where, "CompareSettings (stigma_outcomes.comparison.settings)")


__all__ = [
    "DEPRECATED_NAMES",
    "CompareSettings",
    "Direction",
    "PoolMethod",
    "RciReliability",
    "RciSd",
    "reliability_in_range",
    "scale_keys",
    "setting_description",
    "settings_error",
]


def setting_description(name: str) -> str:
    """The meaning of one setting (the evaluation file and the CLI reuse it)."""
    return str(CompareSettings.model_fields[name].description)
