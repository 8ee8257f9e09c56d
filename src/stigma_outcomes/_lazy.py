"""A package's public names loaded on first use (PEP 562), declared once per package.

The root package, ``ingest``, ``ingest.formats`` and ``report`` each import their names
only when first used, so ``--help`` and the light submodules (the read-ahead, the chart
worker) come without pandas. A leaf module: it imports nothing from the package.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any


def lazy_exports(
    package: str, exports: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for ``package``.

    ``exports`` maps each public name to the module that defines it: absolute, or relative
    to the package with a leading dot, and ``"module:attribute"`` where the attribute has
    another name. A name is imported on its first use and then kept in the package.

    Examples
    --------
    >>> get, names = lazy_exports("json", {"loads_later": "json:loads"})
    >>> get("loads_later")("[1]"), "loads_later" in names()
    ([1], True)
    """

    def get(name: str) -> Any:
        target = exports.get(name)
        if target is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module, _, attribute = target.partition(":")
        value = getattr(importlib.import_module(module, package), attribute or name)
        setattr(sys.modules[package], name, value)
        return value

    def names() -> list[str]:
        return sorted({*getattr(sys.modules[package], "__all__", ()), *exports})

    return get, names
