"""Platform flavours: how each survey platform lays out its export.

Each flavour is a :class:`~.base.Flavor`: ``name``, ``detect(sheet, options) -> reason |
None``, ``parse(sheet, options) -> Parsed`` and the hooks generic ingest calls
(``wave_values``, ``after_binding``, ``response_ids``, ``personal_columns``). Detection tries
the platforms with the most specific signatures first and falls back to a plain table. The
registry (:mod:`._registry`) loads on first use, so a platform package (``ingest.redcap``)
can build on :mod:`.base` without an import circle.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..._lazy import lazy_exports
from .base import Flavor, FlavorOptions, Parsed, Platform

if TYPE_CHECKING:
    from ._registry import FLAVORS, detect_flavor, flavor_named, parse_sheet

__all__ = [
    "FLAVORS",
    "Flavor",
    "FlavorOptions",
    "Parsed",
    "Platform",
    "detect_flavor",
    "flavor_named",
    "parse_sheet",
]

# The registry loaded on first use (see above).
_LAZY = ("FLAVORS", "detect_flavor", "flavor_named", "parse_sheet")
__getattr__, __dir__ = lazy_exports(__name__, dict.fromkeys(_LAZY, "._registry"))
