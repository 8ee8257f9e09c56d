"""Ingest (SPEC §4): export files → RawTable → ItemResponses ready for scoring.

``Mapping`` is the former name of :class:`ColumnMapping` (it shadowed
``collections.abc.Mapping``); both names work.
"""

from .flavors import flavor_named
from .mapping import ColumnMapping, InstrumentMap, Mapping, load_mapping
from .mapping import Section as MappingSection
from .readers import from_dataframe, read_export
from .responses import ItemResponses, bind_items, load_responses
from .settings import LoadSettings
from .table import LEDGER_COLUMNS, RawTable

__all__ = [
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
