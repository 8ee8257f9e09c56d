"""What the report needs to know about each outcome scale, from its instrument definition.

Scales of instruments in the registry take their name, direction, range, citation and
license from the definition; a scale of no known instrument falls back on what the results
carry (its ``improvement_sign``), so a report can always be written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class OutcomeInfo:
    """Display facts for one instrument scale.

    Examples
    --------
    >>> info = OutcomeInfo("ucla3", "total", "Loneliness", "UCLA-3", "higher_is_worse", 3, 9)
    >>> info.better_text
    'lower scores are better'
    """

    instrument: str
    scale: str
    name: str
    short_name: str
    direction: str | None
    range_low: float | None = None
    range_high: float | None = None
    instrument_name: str = ""
    citation: str | None = None
    doi: str | None = None
    license_status: str | None = None
    license_note: str | None = None
    method: str | None = None
    min_answered: Any = None
    n_items: int | None = None
    missing_item_value: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def better_text(self) -> str:
        if self.direction == "higher_is_better":
            return "higher scores are better"
        if self.direction == "higher_is_worse":
            return "lower scores are better"
        return "the scale's direction is not stated"

    @property
    def range_text(self) -> str:
        if self.range_low is None or self.range_high is None:
            return "its scale"
        return f"the {_trim(self.range_low)}–{_trim(self.range_high)} scale"

    @property
    def label(self) -> str:
        """How the outcome is named in sentences: the scale name without its trailing
        parenthesis (tables keep the full name), then the instrument's short name.

        Examples
        --------
        >>> OutcomeInfo("ismi29", "total", "ISMI total (29 items)", "ISMI-29", None).label
        'ISMI total (ISMI-29)'
        """
        name = re.sub(r"\s*\([^()]*\)$", "", self.name) or self.name
        if self.short_name and self.short_name.lower() not in name.lower():
            return f"{name} ({self.short_name})"
        return name


class Definitions:
    """The instrument definitions one report build describes its outcomes from.

    Looked up in the registry the analysis used (``registry``; a fresh
    :class:`~stigma_outcomes.instruments.Registry` when none is given), each definition
    once per build. An instrument the registry does not know is reported from the results
    alone; a definition that exists but cannot be read is an error, never passed over.

    Examples
    --------
    >>> defs = Definitions()
    >>> defs.get("ucla3").short_name, defs.get("not_in_registry")
    ('UCLA-3', None)
    """

    def __init__(self, registry: Any | None = None) -> None:
        self._registry = registry
        self._found: dict[str, Any] = {}

    def get(self, instrument: str) -> Any:
        """The definition of ``instrument``, or ``None`` when the registry has none."""
        if instrument not in self._found:
            if self._registry is None:
                from ..instruments import Registry

                self._registry = Registry()
            known = instrument in self._registry.ids
            self._found[instrument] = self._registry.get(instrument) if known else None
        return self._found[instrument]

    def describe(
        self, instrument: str, scale: str, record: dict[str, Any] | None = None
    ) -> OutcomeInfo:
        """:func:`describe_outcome` with this build's definitions."""
        return describe_outcome(instrument, scale, record, self)


def _definition(instrument: str) -> Any:
    """The default registry's definition of ``instrument`` (read afresh, nothing kept
    between calls), or ``None`` when the registry has none; for callers outside a build.

    Examples
    --------
    >>> _definition("ucla3").short_name, _definition("not_in_registry")
    ('UCLA-3', None)
    """
    return Definitions().get(instrument)


def _trim(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def _direction_from_sign(sign: object) -> str | None:
    if sign in (1, 1.0):
        return "higher_is_better"
    if sign in (-1, -1.0):
        return "higher_is_worse"
    return None


def describe_outcome(
    instrument: str,
    scale: str,
    record: dict[str, Any] | None = None,
    definitions: Definitions | None = None,
) -> OutcomeInfo:
    """Look up display facts for ``instrument``/``scale``.

    Parameters
    ----------
    instrument, scale : str
        Identifiers as they appear in the results records.
    record : dict, optional
        A results record for the scale, used when the instrument is not in the registry.
    definitions : Definitions, optional
        The build's definitions (a report build passes its own, so each is read once);
        without it the default registry is consulted.

    Examples
    --------
    >>> describe_outcome("my_scale", "total", {"improvement_sign": 1}).direction
    'higher_is_better'
    """
    record = record or {}
    fallback = OutcomeInfo(
        instrument=instrument,
        scale=scale,
        name=scale if scale not in ("total", "score") else instrument,
        short_name=instrument,
        direction=_direction_from_sign(record.get("improvement_sign")),
    )
    definition = (definitions or Definitions()).get(instrument)
    if definition is None:
        # An instrument outside the registry is reported from the results alone; the
        # methods section then says its definition was not available.
        return fallback
    scales = {s.id: s for s in getattr(definition, "scales", [])}
    spec = scales.get(scale)
    if spec is None:
        return fallback
    prov = getattr(definition, "provenance", None)
    lic = getattr(prov, "license", None)
    rng = getattr(spec, "range", None)
    low, high = _range(rng)
    return OutcomeInfo(
        instrument=instrument,
        scale=scale,
        name=str(getattr(spec, "name", scale)),
        short_name=str(getattr(definition, "short_name", instrument)),
        direction=str(getattr(spec, "direction", "")) or fallback.direction,
        range_low=low,
        range_high=high,
        instrument_name=str(getattr(definition, "name", instrument)),
        citation=getattr(prov, "citation", None),
        doi=getattr(prov, "doi", None),
        license_status=getattr(lic, "status", None),
        license_note=getattr(lic, "note", None),
        method=str(getattr(spec, "method", "")) or None,
        min_answered=getattr(spec, "min_answered", None),
        n_items=len(getattr(spec, "items", []) or []) or None,
        missing_item_value=getattr(spec, "missing_item_value", None),
    )


def _range(rng: object) -> tuple[float | None, float | None]:
    if rng is None:
        return None, None
    if isinstance(rng, list | tuple) and len(rng) == 2:
        return float(rng[0]), float(rng[1])
    low = getattr(rng, "min", getattr(rng, "low", None))
    high = getattr(rng, "max", getattr(rng, "high", None))
    if low is None or high is None:
        return None, None
    return float(low), float(high)
