"""REDCap, in one place: the data dictionary, the export's reader, and its rows as occasions.

Modules
-------
_dictionary  the data dictionary (fields, forms, choices, identifiers) and its reader
_export      the export's reader: record ID, events, repeats, ``<form>_complete``, labels
_forms       rows → occasions (repeat instances), rows with no scored form, Incomplete forms
_flavor      REDCap as a ``Flavor``: the hooks generic ingest calls (``docs/redcap.md``)

The instruments layer's REDCap *export* (writing a data dictionary from a definition) is
:mod:`stigma_outcomes.instruments.redcap`: it sits below ingest and knows nothing of reading.
"""

from ._dictionary import (
    RedcapDictionary,
    checkbox_column,
    looks_like_dictionary,
    parse_choices,
    read_redcap_dictionary,
)
from ._export import COMPLETE_LABELS, NAME, STRUCTURAL, detect, form_fields, parse
from ._flavor import FLAVOR, RedcapFlavor
from ._forms import INCOMPLETE, occasion_names, sort_out_rows

__all__ = [
    "COMPLETE_LABELS",
    "FLAVOR",
    "INCOMPLETE",
    "NAME",
    "STRUCTURAL",
    "RedcapDictionary",
    "RedcapFlavor",
    "checkbox_column",
    "detect",
    "form_fields",
    "looks_like_dictionary",
    "occasion_names",
    "parse",
    "parse_choices",
    "read_redcap_dictionary",
    "sort_out_rows",
]
