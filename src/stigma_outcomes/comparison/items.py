"""Which keyed-item columns belong to each scale, for in-sample reliability."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from .scale_facts import ScaleKey


def scale_items_for(
    registry: Any,
    keys: Sequence[ScaleKey],
    keyed_items: pd.DataFrame | None = None,
    scale_info: Mapping[Any, Any] | str | os.PathLike[str] | None = None,
    warnings: list[str] | None = None,
) -> dict[ScaleKey, list[str]]:
    """The items of each scale, for in-sample reliability.

    In order: the registry's definition; the ``items`` listed for the scale in the
    scale-info; else, for an instrument with a single scale in the scores, every keyed-item
    column named ``<instrument>_<item>`` (a user's own instrument scored from a definition
    file that is not in the registry). A scale whose items cannot be told apart is named in
    ``warnings`` rather than left out silently.
    """
    from .scale_facts import load_scale_info

    out: dict[ScaleKey, list[str]] = {}
    known = set(registry.ids)
    info: Mapping[Any, Any] = {}
    if isinstance(scale_info, str | os.PathLike):
        info = load_scale_info(scale_info)
    elif scale_info is not None:
        info = {
            (tuple(k) if isinstance(k, tuple) else tuple(str(k).split(".", 1))): v
            for k, v in scale_info.items()
        }
    columns = [str(c) for c in keyed_items.columns] if keyed_items is not None else []
    scales_of: dict[str, int] = {}
    for instrument, _ in keys:
        scales_of[instrument] = scales_of.get(instrument, 0) + 1
    for instrument, scale in keys:
        if instrument in known:
            definition = registry.get(instrument)
            for sc in definition.scales:
                if sc.id == scale:
                    out[(instrument, scale)] = list(sc.items)
            continue
        facts = info.get((instrument, scale))
        if isinstance(facts, Mapping) and facts.get("items"):
            out[(instrument, scale)] = [str(i) for i in facts["items"]]
            continue
        prefix = f"{instrument}_"
        own = [c[len(prefix) :] for c in columns if c.startswith(prefix)]
        if not own or keyed_items is None:
            continue
        if scales_of[instrument] == 1:
            out[(instrument, scale)] = own
        elif warnings is not None:
            warnings.append(
                f"in-sample reliability of {instrument}.{scale} not computed: the keyed items "
                f"hold {len(own)} '{prefix}' columns but {instrument} has "
                f"{scales_of[instrument]} scales; list the scale's items under 'items:' in "
                "the scale-info file"
            )
    return out
