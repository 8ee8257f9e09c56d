"""The registry of platform flavours: detection order, look-up by name, parsing a sheet."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...errors import UnknownNameError
from ..formats.sheet import Sheet
from ..redcap import FLAVOR as REDCAP
from . import _google_forms, _kobo, _limesurvey, _plain, _qualtrics, _surveymonkey
from .base import Flavor, FlavorOptions, Parsed

FLAVORS: dict[str, Flavor] = {
    f.name: f
    for f in (
        _qualtrics.FLAVOR,
        REDCAP,
        _surveymonkey.FLAVOR,
        _limesurvey.FLAVOR,
        _kobo.FLAVOR,
        _google_forms.FLAVOR,
        _plain.FLAVOR,
    )
}
"""Every known flavour, in detection order."""

_ALIASES = {"googleforms": "google_forms", "odk": "kobo", "kobotoolbox": "kobo"}


def flavor_named(name: str) -> Flavor:
    """The flavour called ``name`` (as ``--flavor`` or ``RawTable.flavor`` spell it).

    Examples
    --------
    >>> flavor_named("Google Forms").name, flavor_named("odk").name
    ('google_forms', 'kobo')
    >>> flavor_named("qualtrix")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    stigma_outcomes.errors.UnknownNameError: unknown export flavour 'qualtrix'
      how to fix: did you mean 'qualtrics'? known: qualtrics, redcap, ...
    """
    key = str(name).strip().lower().replace("-", "_").replace(" ", "_")
    key = _ALIASES.get(key, key)
    if key not in FLAVORS:
        raise UnknownNameError.among("export flavour", str(name), list(FLAVORS))
    return FLAVORS[key]


def detect_flavor(sheet: Sheet, options: FlavorOptions | None = None) -> tuple[str, str]:
    """Name the platform that produced ``sheet`` and say why.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> cells = pd.DataFrame([["Timestamp", "How often?"], ["9/8/2026 14:28:27", "Often"]])
    >>> detect_flavor(Sheet(cells=cells, row_numbers=np.array([1, 2]), source="f.csv"))
    ('google_forms', "first column 'Timestamp' (Google Forms response timestamp)")
    """
    options = options or FlavorOptions()
    for name, flavor in FLAVORS.items():
        reason = flavor.detect(sheet, options)
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
    _drop_empty_columns(sheet)
    _drop_r_row_names(sheet)
    if flavor is None:
        name, reason = detect_flavor(sheet, options)
    else:
        name, reason = flavor_named(flavor).name, "given with --flavor"
    return FLAVORS[name].parse(sheet, options), name, reason


def _drop_empty_columns(sheet: Sheet) -> None:
    """Drop columns with nothing in them, header included: no name and no value.

    Such a column carries nothing to read: legacy Qualtrics exports end every line with a
    delimiter (one more column at the end), and a Google Forms sheet keeps a blank column
    where a question was deleted. It is dropped and said (``empty_columns_dropped``: 1-based
    places in the file; ``empty_last_columns_dropped``: how many were at the end). A
    nameless column with any content is kept (and then refused, or named by a platform
    whose headings may be empty). The kept columns keep their places in the file as labels,
    so a later error still names the column the user sees.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> s = Sheet(cells=pd.DataFrame([["id", None, "q1", None], ["A", None, "2", None]]),
    ...           row_numbers=np.array([1, 2]), source="f.csv")
    >>> _drop_empty_columns(s); s.cells.columns.tolist(), s.metadata["empty_columns_dropped"]
    ([0, 2], [2, 4])
    >>> s.metadata["empty_last_columns_dropped"]
    1
    """
    cells = sheet.cells
    if sheet.named or cells.shape[1] < 2:
        return
    # Only a column whose first cells are all empty can be empty throughout, so a wide
    # export checks its few blank-topped columns to the end, not every column.
    blank_top = np.flatnonzero(cells.head(3).isna().all().to_numpy())
    if not len(blank_top):
        return
    empty = blank_top[cells.iloc[:, blank_top].isna().all().to_numpy()]
    if not len(empty) or len(empty) == cells.shape[1]:
        return
    keep = np.ones(cells.shape[1], dtype=bool)
    keep[empty] = False
    sheet.cells = cells.iloc[:, np.flatnonzero(keep)]
    places = [int(c) + 1 for c in cells.columns[empty]]
    sheet.metadata["empty_columns_dropped"] = places
    # The run of empty columns at the right-hand end (a trailing delimiter on every line).
    trailing = int(np.argmax(keep[::-1]))
    if trailing:
        sheet.metadata["empty_last_columns_dropped"] = trailing


def _drop_r_row_names(sheet: Sheet) -> None:
    """Drop a first column with no header holding 1, 2, 3, ...: R's ``write.csv`` row names.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> s = Sheet(cells=pd.DataFrame([[None, "record_id"], ["1", "A"], ["2", "B"]]),
    ...           row_numbers=np.array([1, 2, 3]), source="f.csv")
    >>> _drop_r_row_names(s); s.cells.columns.tolist(), s.metadata["row_names_column_dropped"]
    ([1], True)
    """
    cells = sheet.cells
    if sheet.named or cells.shape[1] < 2 or len(cells) < 2 or not pd.isna(cells.iat[0, 0]):
        return
    first = cells.iloc[1:, 0].astype("string").str.strip()
    expected = pd.Series(np.arange(1, len(first) + 1).astype(str), index=first.index)
    if first.eq(expected).all():
        # The other columns keep their places in the file as labels (see _drop_empty_columns).
        sheet.cells = cells.iloc[:, 1:]
        sheet.metadata["row_names_column_dropped"] = True
