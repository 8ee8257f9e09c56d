"""Instrument definitions: the schema, its cross-checks, and the registry."""

from .registry import Registry, builtin_dir, list_instruments, load_instrument, parse_instrument
from .schema import Instrument, Item, Scale, json_schema

__all__ = [
    "Instrument",
    "Item",
    "Registry",
    "Scale",
    "builtin_dir",
    "json_schema",
    "list_instruments",
    "load_instrument",
    "parse_instrument",
]
