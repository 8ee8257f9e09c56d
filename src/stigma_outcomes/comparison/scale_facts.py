"""Scale facts: what the statistics need to know about each scale, and where each came from.

Reliable change needs a reliability coefficient, "improvement" needs the scale's direction,
and recovery needs a clinical cutoff or norms. For instruments in the registry these come
from the definition; a scores file may also hold scales of no known instrument, whose facts
come from the user (``--reliability``, ``--direction`` or a small YAML file). A user value
always wins over the definition's, and every value carries its source into the results.

A scale-info YAML file looks like this::

    scales:
      myscale.total:
        direction: higher_is_better
        reliability: 0.81
        reliability_source: "test manual, 2 weeks"
        range: [0, 40]
        clinical_cutoff: {value: 20, operator: "<", source: "manual"}
        norms: {mean: 28.0, sd: 6.0, source: "manual, adults"}
        items: [q1, q2, q3, q4]   # optional: for in-sample reliability of a multi-scale
                                  # instrument that is not in the registry
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..errors import InputError
from ._scale_info import OPERATORS as OPERATORS  # re-exported: the operators' one list
from ._scale_info import ScaleFacts, checked_facts

DIRECTIONS = ("higher_is_worse", "higher_is_better")

ScaleKey = tuple[str, str]


@dataclass(frozen=True)
class ScaleMeta:
    """Facts about one scale that the comparison statistics use.

    ``reliability_source`` starts with the kind of coefficient (``definition test-retest``,
    ``definition alpha``, ``user override``, ``user scale-info``, ``in-sample alpha``)
    followed by its citation, e.g. ``definition test-retest (Russell 1996, 1 year)`` or
    ``in-sample alpha at 'pre' (n = 212)``.
    The clinical range is ``score <clinical_cutoff_operator> clinical_cutoff``.
    """

    instrument: str
    scale: str
    direction: str
    reliability: float | None = None
    reliability_source: str | None = None
    clinical_cutoff: float | None = None
    clinical_cutoff_operator: str | None = None
    clinical_cutoff_source: str | None = None
    norm_mean: float | None = None
    norm_sd: float | None = None
    norm_source: str | None = None
    range: tuple[float, float] | None = None

    @property
    def improvement_sign(self) -> int:
        """+1 when a rise in score is an improvement, −1 when a fall is."""
        return 1 if self.direction == "higher_is_better" else -1


def _scale_meta(instrument_id: str, scale: Any) -> ScaleMeta:
    reliability = None
    reliability_source = None
    rel = getattr(scale, "reliability", None)
    retest = getattr(rel, "test_retest", None) if rel is not None else None
    alpha = getattr(rel, "alpha", None) if rel is not None else None
    if retest is not None:
        reliability = float(retest.value)
        interval = getattr(retest, "interval", None)
        extra = f", {interval}" if interval else ""
        reliability_source = f"definition test-retest ({retest.source}{extra})"
    elif alpha is not None:
        reliability = float(alpha.value)
        reliability_source = f"definition alpha ({alpha.source})"
    cutoff = getattr(scale, "clinical_cutoff", None)
    norms = list(getattr(scale, "norms", None) or [])
    norm = norms[0] if norms else None
    rng = getattr(scale, "range", None)
    return ScaleMeta(
        instrument=instrument_id,
        scale=str(scale.id),
        direction=str(scale.direction),
        reliability=reliability,
        reliability_source=reliability_source,
        clinical_cutoff=float(cutoff.value) if cutoff is not None else None,
        clinical_cutoff_operator=str(cutoff.operator) if cutoff is not None else None,
        clinical_cutoff_source=str(cutoff.source) if cutoff is not None else None,
        norm_mean=float(norm.mean) if norm is not None else None,
        norm_sd=float(norm.sd) if norm is not None else None,
        norm_source=f"{norm.population}: {norm.source}" if norm is not None else None,
        range=(float(rng[0]), float(rng[1])) if rng is not None else None,
    )


def scale_meta_from_definition(instrument: Any) -> list[ScaleMeta]:
    """The :class:`ScaleMeta` of every scale of an instrument definition.

    Reliability is the definition's test-retest r where it has one, else its alpha; the
    first listed norm is used.

    Examples
    --------
    >>> from stigma_outcomes.instruments import load_instrument
    >>> [m.reliability for m in scale_meta_from_definition(load_instrument("ucla3"))]
    [0.72]
    """
    return [_scale_meta(str(instrument.id), scale) for scale in instrument.scales]


def _split_key(key: str, option: str) -> ScaleKey:
    instrument, dot, scale = key.strip().partition(".")
    if not dot or not instrument or not scale:
        raise InputError(
            f"'{key}' does not name a scale as INSTRUMENT.SCALE",
            where=option,
            fix=f"write it like {option} ucla3.total=...",
        )
    return (instrument, scale)


def parse_assignments(values: Iterable[str], option: str) -> dict[ScaleKey, str]:
    """Parse ``INSTRUMENT.SCALE=VALUE`` command-line values into a mapping.

    Examples
    --------
    >>> parse_assignments(["ucla3.total=0.8"], "--reliability")
    {('ucla3', 'total'): '0.8'}
    """
    out: dict[ScaleKey, str] = {}
    for raw in values:
        key, eq, value = raw.partition("=")
        if not eq or not value.strip():
            raise InputError(
                f"'{raw}' is not of the form INSTRUMENT.SCALE=VALUE",
                where=option,
                fix=f"write it like {option} ucla3.total=...",
            )
        out[_split_key(key, option)] = value.strip()
    return out


def _as_reliability(value: Any, where: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if not 0 < number < 1:
        raise InputError(
            f"reliability must be a number between 0 and 1 (exclusive), got {value!r}",
            where=where,
            fix="give the test-retest r or Cronbach's alpha of the scale, e.g. 0.8",
        )
    return number


def _as_direction(value: Any, where: str) -> str:
    text = str(value).strip()
    if text not in DIRECTIONS:
        raise InputError(
            f"direction must be 'higher_is_worse' or 'higher_is_better', got {value!r}",
            where=where,
            fix="say whether a higher score means things are worse or better",
        )
    return text


def _normalise_keys(mapping: Mapping[Any, Any] | None, option: str) -> dict[ScaleKey, Any]:
    out: dict[ScaleKey, Any] = {}
    for key, value in (mapping or {}).items():
        if isinstance(key, tuple):
            out[(str(key[0]), str(key[1]))] = value
        else:
            out[_split_key(str(key), option)] = value
    return out


def load_scale_info(path: str | os.PathLike[str]) -> dict[ScaleKey, dict[str, Any]]:
    """Read a scale-info YAML file (layout in the module docstring), keyed by scale."""
    from ..instruments.registry import read_yaml

    file = Path(path)
    if not file.is_file():
        raise InputError(f"scale-info file not found: {file}", fix="check the path")
    data = read_yaml(file)
    if isinstance(data, dict) and "scales" in data:
        data = data["scales"]
    if not isinstance(data, dict):
        raise InputError(
            "a scale-info file must map INSTRUMENT.SCALE to its facts",
            where=str(file),
            fix="see 'stigma-outcomes compare --help' for the layout",
        )
    # The facts are checked where they are used (resolve_scale_meta), once, whether they
    # came from a file or a mapping.
    return {_split_key(str(key), str(file)): facts for key, facts in data.items()}


def _from_info(key: ScaleKey, given: ScaleFacts, where: str) -> ScaleMeta:
    if given.direction is None:
        raise InputError(
            f"no direction for scale {key[0]}.{key[1]}",
            where=where,
            fix="add 'direction: higher_is_worse' or 'higher_is_better'",
        )
    cutoff, norms, rel = given.clinical_cutoff, given.first_norms(), given.reliability
    return ScaleMeta(
        instrument=key[0],
        scale=key[1],
        direction=_as_direction(given.direction, where),
        reliability=_as_reliability(rel, where) if rel is not None else None,
        reliability_source=(
            f"user scale-info: {given.reliability_source or where}" if rel is not None else None
        ),
        clinical_cutoff=cutoff.value if cutoff else None,
        clinical_cutoff_operator=cutoff.operator if cutoff else None,
        clinical_cutoff_source=str(cutoff.source or where) if cutoff else None,
        norm_mean=norms.mean if norms else None,
        norm_sd=norms.sd if norms else None,
        norm_source=str(norms.source or where) if norms else None,
        range=given.range,
    )


def resolve_scale_meta(
    keys: Iterable[ScaleKey],
    *,
    registry: Any | None = None,
    reliability: Mapping[Any, Any] | None = None,
    direction: Mapping[Any, Any] | None = None,
    scale_info: Mapping[Any, Mapping[str, Any]] | str | os.PathLike[str] | None = None,
) -> dict[ScaleKey, ScaleMeta]:
    """Find the :class:`ScaleMeta` of every (instrument, scale) in a scores file.

    Order of precedence: ``reliability`` / ``direction`` overrides, then ``scale_info``, then
    the registry's definition. A scale with no direction from any of these is an error; a
    scale of an unknown instrument with no reliability is an error too (reliable change
    needs one). A known scale whose definition has no reliability keeps ``None`` and its
    reliable-change fields are reported as undefined.

    Parameters
    ----------
    keys : iterable of (instrument, scale)
        The scales present in the scores.
    registry : Registry, optional
        Where to look up definitions; the default registry when omitted.
    reliability, direction : mapping, optional
        ``{"INSTRUMENT.SCALE" or (instrument, scale): value}`` overrides.
    scale_info : mapping or path, optional
        Facts for scales of unknown instruments (see the module docstring).

    Examples
    --------
    >>> meta = resolve_scale_meta([("ucla3", "total")], reliability={"ucla3.total": 0.8})
    >>> meta[("ucla3", "total")].reliability_source
    'user override'
    """
    from ..instruments.registry import Registry

    rel_over = {
        k: _as_reliability(v, "--reliability")
        for k, v in _normalise_keys(reliability, "--reliability").items()
    }
    dir_over = {
        k: _as_direction(v, "--direction")
        for k, v in _normalise_keys(direction, "--direction").items()
    }
    info_where = "--scale-info"
    if isinstance(scale_info, str | os.PathLike):
        info_where = str(scale_info)
        info = load_scale_info(scale_info)
    else:
        info = _normalise_keys(scale_info, "scale_info")
    # Every entry checked once, also those of scales not in these scores.
    checked = {key: checked_facts(key, facts, info_where) for key, facts in info.items()}
    reg = registry if registry is not None else Registry()
    known = set(reg.ids)
    definitions: dict[str, dict[str, ScaleMeta]] = {}
    out: dict[ScaleKey, ScaleMeta] = {}
    for key in sorted(set(keys)):
        instrument, scale = key
        base: ScaleMeta | None = None
        if key in checked:
            given = checked[key]
            if given.direction is None and key in dir_over:
                given = given.model_copy(update={"direction": dir_over[key]})
            base = _from_info(key, given, info_where)
        elif instrument in known:
            if instrument not in definitions:
                definitions[instrument] = {
                    m.scale: m for m in scale_meta_from_definition(reg.get(instrument))
                }
            base = definitions[instrument].get(scale)
            if base is None:
                raise InputError(
                    f"instrument '{instrument}' has no scale '{scale}'",
                    where="scores file, column 'scale'",
                    fix=f"its scales are: {', '.join(sorted(definitions[instrument]))}",
                )
        elif key in dir_over:
            base = ScaleMeta(instrument=instrument, scale=scale, direction=dir_over[key])
        else:
            raise InputError(
                f"scale {instrument}.{scale} is not in any known instrument definition, "
                "so its direction is unknown",
                where="scores file",
                fix=f"pass --direction {instrument}.{scale}=higher_is_worse (or "
                "higher_is_better) and --reliability, or a --scale-info YAML file",
            )
        if key in dir_over:
            base = replace(base, direction=dir_over[key])
        if key in rel_over:
            base = replace(base, reliability=rel_over[key], reliability_source="user override")
        if base.reliability is None and instrument not in known:
            raise InputError(
                f"no reliability for scale {instrument}.{scale} (needed for reliable change)",
                where="scores file",
                fix=f"pass --reliability {instrument}.{scale}=R with a published test-retest "
                "r or alpha, or add it to a --scale-info file",
            )
        out[key] = base
    return out


def with_in_sample_reliability(
    meta: Mapping[ScaleKey, ScaleMeta],
    reliability_records: Iterable[Mapping[str, Any]],
    wave: str,
    *,
    keep_user_overrides: bool = True,
    only_missing: bool = False,
) -> dict[ScaleKey, ScaleMeta]:
    """Replace each scale's reliability by its in-sample Cronbach's alpha at ``wave``.

    ``reliability_records`` are the records of
    :func:`stigma_outcomes.comparison.reliability.in_sample_reliability`. User values (an
    override or a scale-info file) are kept unless ``keep_user_overrides`` is false; with
    ``only_missing`` only scales that have no reliability at all take the in-sample alpha
    (the last step of the ``"auto"`` chain). Scales without an in-sample alpha strictly
    between 0 and 1 keep what they had.

    Examples
    --------
    >>> meta = {("ismi29", "total"): ScaleMeta("ismi29", "total", "higher_is_worse")}
    >>> recs = [{"instrument": "ismi29", "scale": "total", "wave": "pre", "alpha": 0.9, "n": 212}]
    >>> with_in_sample_reliability(meta, recs, "pre")[("ismi29", "total")].reliability_source
    "in-sample alpha at 'pre' (n = 212)"
    """
    out = dict(meta)
    for rec in reliability_records:
        key = (str(rec.get("instrument")), str(rec.get("scale")))
        alpha = rec.get("alpha")
        if key not in out or str(rec.get("wave")) != str(wave) or alpha is None:
            continue
        if not (isinstance(alpha, int | float) and 0 < float(alpha) < 1):
            continue
        source = out[key].reliability_source or ""
        if keep_user_overrides and source.startswith(("user override", "user scale-info")):
            continue
        if only_missing and out[key].reliability is not None:
            continue
        out[key] = replace(
            out[key],
            reliability=float(alpha),
            reliability_source=f"in-sample alpha at '{wave}' (n = {rec.get('n')})",
        )
    return out
