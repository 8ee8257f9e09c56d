"""Ingest (SPEC §4): export files → RawTable → ItemResponses ready for scoring.

``Mapping`` is the former name of :class:`ColumnMapping` (it shadowed
``collections.abc.Mapping``); both names work.
"""

from typing import TYPE_CHECKING

from .._lazy import lazy_exports

if TYPE_CHECKING:  # what the names are, for type checkers and the API pages
    from .flavors import flavor_named
    from .formats import EXPORT_KINDS
    from .mapping import ColumnMapping, InstrumentMap, Mapping, load_mapping
    from .mapping import Section as MappingSection
    from .readers import from_dataframe, read_export
    from .responses import ItemResponses, bind_items, load_responses
    from .settings import LoadSettings
    from .table import LEDGER_COLUMNS, RawTable

# Loaded on first use (PEP 562), so that a reader of one format can be imported without
# pandas and the rest of ingest (``score`` starts its CSV parse before those imports).
_EXPORTS = {
    "EXPORT_KINDS": ".formats",
    "flavor_named": ".flavors",
    "ColumnMapping": ".mapping",
    "InstrumentMap": ".mapping",
    "Mapping": ".mapping",
    "load_mapping": ".mapping",
    "MappingSection": ".mapping:Section",
    "from_dataframe": ".readers",
    "read_export": ".readers",
    "ItemResponses": ".responses",
    "bind_items": ".responses",
    "load_responses": ".responses",
    "LoadSettings": ".settings",
    "LEDGER_COLUMNS": ".table",
    "RawTable": ".table",
}

__all__ = [
    "EXPORT_KINDS",
    "LEDGER_COLUMNS",
    "ColumnMapping",
    "InstrumentMap",
    "ItemResponses",
    "LoadSettings",
    "Mapping",
    "MappingSection",
    "RawTable",
    "bind_items",
    "flavor_named",
    "from_dataframe",
    "load_mapping",
    "load_responses",
    "read_export",
]


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
