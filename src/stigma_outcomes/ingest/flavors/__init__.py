"""Platform flavours: how each survey platform lays out its export.

Each flavour module has ``NAME``, ``detect(sheet) -> reason | None`` and
``parse(sheet, options) -> Parsed``. Detection tries the platforms with the most
specific signatures first and falls back to a plain table.
"""

from __future__ import annotations

from types import ModuleType

from ...errors import InputError
from ..formats.sheet import Sheet
from . import google_forms, kobo, limesurvey, plain, qualtrics, redcap, surveymonkey
from .base import FlavorOptions, Parsed

FLAVORS: dict[str, ModuleType] = {
    m.NAME: m for m in (qualtrics, redcap, surveymonkey, limesurvey, kobo, google_forms, plain)
}
"""Every known flavour, in detection order."""

__all__ = ["FLAVORS", "FlavorOptions", "Parsed", "detect_flavor", "parse_sheet"]


def detect_flavor(sheet: Sheet, options: FlavorOptions | None = None) -> tuple[str, str]:
    """Name the platform that produced ``sheet`` and say why.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> cells = pd.DataFrame([["Timestamp", "How often?"], ["9/8/2026 14:28:27", "Often"]])
    >>> detect_flavor(Sheet(cells=cells, row_numbers=np.array([1, 2]), source="f.csv"))
    ('google_forms', "first column 'Timestamp' (Google Forms response timestamp)")
    """
    for name, module in FLAVORS.items():
        reason = module.detect(sheet, options) if name == "redcap" else module.detect(sheet)
        if reason:
            return name, reason
    raise AssertionError("the plain flavour always applies")  # pragma: no cover


def parse_sheet(
    sheet: Sheet, flavor: str | None = None, options: FlavorOptions | None = None
) -> tuple[Parsed, str, str]:
    """Detect (or take) the flavour and parse the sheet. Returns (parsed, flavour, reason).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> cells = pd.DataFrame([["id;x", "q"], ["A", "1"]])
    >>> parsed, name, reason = parse_sheet(
    ...     Sheet(cells=cells, row_numbers=np.array([1, 2]), source="f.csv"), "plain")
    >>> name, reason, parsed.frame.columns.tolist(), parsed.row_numbers.tolist()
    ('plain', 'given with --flavor', ['id;x', 'q'], [2])
    """
    options = options or FlavorOptions()
    if flavor is None:
        name, reason = detect_flavor(sheet, options)
    else:
        key = flavor.strip().lower().replace("-", "_").replace(" ", "_")
        key = {"googleforms": "google_forms", "odk": "kobo", "kobotoolbox": "kobo"}.get(key, key)
        if key not in FLAVORS:
            raise InputError(
                f"unknown export flavour '{flavor}'",
                fix=f"use one of: {', '.join(FLAVORS)}",
            )
        name, reason = key, "given with --flavor"
    return FLAVORS[name].parse(sheet, options), name, reason
