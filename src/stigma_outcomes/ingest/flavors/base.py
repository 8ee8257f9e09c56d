"""What every platform flavour shares: the ``Flavor`` protocol, options, the parsed result,
header and row helpers.

Generic ingest code (reading, binding, proposing) calls a flavour only through
:class:`Flavor`, looked up by name with :func:`~stigma_outcomes.ingest.flavors.flavor_named`;
it never tests a flavour's name. What one platform does differently is a hook here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

import numpy as np
import pandas as pd

from ...errors import InputError
from ..formats.sheet import Sheet
from ..table import empty_ledger, ledger_frame


@dataclass
class FlavorOptions:
    """Choices a user can make about how an export is read.

    Attributes
    ----------
    include_previews : bool
        Keep survey previews (Qualtrics ``Status`` = preview) instead of excluding them.
    include_incomplete : bool
        Keep unfinished responses (Qualtrics ``Finished`` false, LimeSurvey empty
        ``submitdate``) instead of excluding them.
    dictionary : object, optional
        A parsed REDCap data dictionary (:class:`~.redcap.RedcapDictionary`).
    """

    include_previews: bool = False
    include_incomplete: bool = False
    dictionary: Any = None


@dataclass
class Parsed:
    """A flavour's reading of a sheet: data rows, labels, rows set aside, facts."""

    frame: pd.DataFrame
    row_numbers: np.ndarray
    column_labels: dict[str, str] = field(default_factory=dict)
    value_labels: dict[str, dict[Any, str]] = field(default_factory=dict)
    excluded: pd.DataFrame = field(default_factory=empty_ledger)
    metadata: dict[str, Any] = field(default_factory=dict)
    pii: dict[str, str] = field(default_factory=dict)
    """Columns the flavour itself knows to be personal data → reason."""

    @classmethod
    def of_sheet(
        cls, sheet: Sheet, frame: pd.DataFrame, row_numbers: np.ndarray, **facts: Any
    ) -> Parsed:
        """A reading that keeps the sheet's own column and value labels as they are."""
        return cls(
            frame=frame,
            row_numbers=row_numbers,
            column_labels=dict(sheet.column_labels),
            value_labels=dict(sheet.value_labels),
            **facts,
        )


@runtime_checkable
class Flavor(Protocol):
    """One survey platform's export, as every generic step of ingest sees it.

    Attributes
    ----------
    name : str
        The flavour's name (``qualtrics``, ``redcap``, ...), as ``RawTable.flavor`` holds it.
    response_ids : frozenset of str
        Lower-cased names of the platform's own response IDs: new at every wave, so never a
        participant ID that links waves.
    personal_columns : Mapping
        Lower-cased names of columns the platform is known to export → why they identify
        someone.
    reads_dictionary : bool
        Whether the platform's exports are read with a data dictionary
        (``FlavorOptions.dictionary``; REDCap's).
    """

    name: str
    response_ids: frozenset[str]
    personal_columns: Mapping[str, str]
    reads_dictionary: bool

    def detect(self, sheet: Sheet, options: FlavorOptions) -> str | None:
        """Why ``sheet`` is this platform's export, or ``None``."""
        ...

    def parse(self, sheet: Sheet, options: FlavorOptions) -> Parsed:
        """Header rows, metadata, labels and rows set aside."""
        ...

    def wave_values(self, frame: pd.DataFrame, column: str) -> pd.Series:
        """Each row's wave read from ``column``, named as scoring will name it."""
        ...

    def after_binding(
        self,
        rows: pd.DataFrame,
        data: pd.DataFrame,
        metadata: Mapping[str, Any],
        items: Mapping[str, Mapping[str, str]],
        source: str,
        prefix: bool,
    ) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Bound rows → (rows, ledger): occasions and rows the platform says to set aside.

        ``rows`` are the bound responses (index: positions in ``data``, the export as read);
        ``items`` maps each instrument to {``<instrument>_<item>`` → export column};
        ``prefix`` says whether the rows' waves were given or read (not the default).
        """
        ...


@dataclass(frozen=True)
class Platform:
    """A :class:`Flavor` made of a flavour module's ``detect`` and ``parse`` functions; its
    hooks change nothing (a platform whose rows need more subclasses it, as REDCap does)."""

    name: str
    detect_sheet: Callable[[Sheet, FlavorOptions], str | None]
    parse_sheet: Callable[[Sheet, FlavorOptions], Parsed]
    response_ids: frozenset[str] = frozenset()
    personal_columns: Mapping[str, str] = field(default_factory=dict)
    reads_dictionary: bool = False

    def detect(self, sheet: Sheet, options: FlavorOptions) -> str | None:
        return self.detect_sheet(sheet, options)

    def parse(self, sheet: Sheet, options: FlavorOptions) -> Parsed:
        return self.parse_sheet(sheet, options)

    def wave_values(self, frame: pd.DataFrame, column: str) -> pd.Series:
        return frame[column]

    def after_binding(
        self,
        rows: pd.DataFrame,
        data: pd.DataFrame,
        metadata: Mapping[str, Any],
        items: Mapping[str, Mapping[str, str]],
        source: str,
        prefix: bool,
    ) -> tuple[pd.DataFrame, pd.DataFrame]:
        return rows, empty_ledger()

    def __repr__(self) -> str:
        return f"<flavour {self.name}>"


def check_columns(columns: list[str], source: str, positions: Sequence[int] | None = None) -> None:
    """Raise :class:`InputError` for an export without columns or with a repeated name.

    ``positions`` are the columns' 1-based places in the file, when columns were dropped
    before (a nameless, empty column): an error then names the column the user sees.

    Examples
    --------
    >>> check_columns(["id", "q1"], "pre.csv")
    >>> check_columns(["id", "id"], "pre.csv")
    Traceback (most recent call last):
    ...
    stigma_outcomes.errors.InputError: duplicate column name 'id' (columns 1 and 2)
      where: pre.csv
      how to fix: rename one of the columns so that every column name is unique
    >>> check_columns(["id", " "], "pre.csv", positions=[1, 3])
    Traceback (most recent call last):
    ...
    stigma_outcomes.errors.InputError: column 3 has no name
      where: pre.csv
      how to fix: name the column in the header row, or delete it if it is not part of the export
    """
    if not columns:
        raise InputError(
            "the file has no columns", where=source, fix="check that this is the export you meant"
        )
    places = list(positions) if positions is not None else range(1, len(columns) + 1)
    seen: dict[str, int] = {}
    for position, name in zip(places, columns, strict=True):
        key = name.strip()
        if key == "":
            # A nameless column reaching here holds values (one with nothing in it was
            # dropped when the sheet was read): reading it under an invented name could
            # misread it, so the user says what it is.
            raise InputError(
                f"column {position} has no name",
                where=source,
                fix="name the column in the header row, or delete it if it is not part of "
                "the export",
            )
        if key in seen:
            raise InputError(
                f"duplicate column name '{key}' (columns {seen[key]} and {position})",
                where=source,
                fix="rename one of the columns so that every column name is unique",
            )
        seen[key] = position


def make_unique(names: list[str]) -> tuple[list[str], dict[str, str]]:
    """Make repeated column names unique by numbering later copies ``name (2)``, ``name (3)``.

    The numbering depends only on column order, so the same export always gets the same
    names. Returns the new names and {new name: original name} for every renamed column.
    Empty names stay empty: a nameless column is refused (or dropped), never numbered.

    Examples
    --------
    >>> make_unique(["Age", "How often?", "How often?", "", ""])
    (['Age', 'How often?', 'How often? (2)', '', ''], {'How often? (2)': 'How often?'})
    """
    taken = set(names)
    counts: dict[str, int] = {}
    out: list[str] = []
    renamed: dict[str, str] = {}
    for name in names:
        counts[name] = counts.get(name, 0) + 1
        if counts[name] == 1 or not name.strip():
            out.append(name)
            continue
        k = counts[name]
        candidate = f"{name} ({k})"
        while candidate in taken:
            k += 1
            candidate = f"{name} ({k})"
        taken.add(candidate)
        out.append(candidate)
        renamed[candidate] = name
    return out, renamed


def split_header(
    sheet: Sheet, header_rows: int
) -> tuple[pd.DataFrame, np.ndarray, list[list[str]]]:
    """Cut ``header_rows`` rows off a positional sheet; return data, row numbers, header text."""
    if sheet.named:
        return sheet.cells, sheet.row_numbers, [list(map(str, sheet.cells.columns))]
    head = sheet.head(header_rows)
    if len(sheet.cells) <= header_rows:
        raise InputError(
            "the file has a header but no data rows",
            where=sheet.source,
            fix="export the responses again, including the data",
        )
    frame = sheet.cells.iloc[header_rows:].reset_index(drop=True)
    # The sheet hands its cells over, so a big export is never held twice in memory.
    sheet.cells = sheet.cells.iloc[:0]
    return frame, sheet.row_numbers[header_rows:], head


def file_positions(frame: pd.DataFrame) -> list[int]:
    """Each column's 1-based place in the file.

    A positional sheet's columns are labelled by their 0-based place in the file, and
    keep those labels when a column before them is dropped; named columns count in order.

    Examples
    --------
    >>> file_positions(pd.DataFrame([[1, 2]], columns=[0, 2])), file_positions(
    ...     pd.DataFrame([[1, 2]], columns=["a", "b"]))
    ([1, 3], [1, 2])
    """
    labels = list(frame.columns)
    if all(isinstance(c, int | np.integer) for c in labels):
        return [int(c) + 1 for c in labels]
    return list(range(1, len(labels) + 1))


def name_columns(frame: pd.DataFrame, names: list[str], source: str) -> pd.DataFrame:
    """Give a positional frame its column names after checking they are usable."""
    check_columns(names, source, file_positions(frame))
    frame = frame.copy(deep=False)
    frame.columns = [n.strip() for n in names]
    return frame


def as_text(column: pd.Series) -> pd.Series:
    """A column as stripped, lower-case text (missing → empty string), for rule checks."""
    return column.astype("string").fillna("").str.strip().str.lower()


def matches_any(column: pd.Series, wanted: set[str]) -> np.ndarray:
    """Rows whose cell, stripped and lower-cased, is one of ``wanted`` (missing never is).

    The test runs once per distinct value, not once per row, which matters for a
    status column of a million rows holding three distinct values.

    Examples
    --------
    >>> matches_any(pd.Series([" Survey Preview", "IP Address", None]), {"survey preview"})
    array([ True, False, False])
    """
    positions, uniques = pd.factorize(column, use_na_sentinel=True)
    hit = np.array([str(u).strip().lower() in wanted for u in uniques] + [False], dtype=bool)
    return hit[positions]


_POP_LIMIT = 200
"""Above this many columns rows are set aside with one filtered copy, not column by column."""


def set_aside_many(
    frame: pd.DataFrame,
    numbers: np.ndarray,
    reasons: np.ndarray,
    columns: np.ndarray,
    source: str,
) -> tuple[pd.DataFrame, np.ndarray, pd.DataFrame]:
    """Remove every row with a non-empty reason in one pass; ledger rows in row order.

    ``reasons`` holds the problem (``""`` to keep the row) and ``columns`` the column
    whose value decided it, one entry per row.
    """
    drop = reasons != ""
    if not drop.any():
        return frame, numbers, empty_ledger()
    values = np.full(len(frame), "", dtype=object)
    for column in pd.unique(columns[drop]):
        rows = drop & (columns == column)
        cells = frame[column].astype("string").fillna("").to_numpy(dtype=object)
        values[rows] = cells[rows]
    ledger = ledger_frame(
        pd.DataFrame(
            {
                "file": source,
                "row": numbers[drop],
                "column": columns[drop],
                "value": values[drop],
                "problem": reasons[drop],
                "action": "row_excluded",
            }
        )
    )
    keep = ~drop
    if frame.shape[1] > _POP_LIMIT:
        # Removing a column costs time in proportion to the columns left, so popping every
        # column of a wide export is quadratic (1,928 columns: a minute). Wide exports are
        # short: one filtered copy of all columns is cheap there.
        kept_frame = frame.iloc[np.flatnonzero(keep)].reset_index(drop=True)
        return kept_frame, numbers[keep], ledger
    kept = {}
    for column in list(frame.columns):
        # Column by column, releasing each source column once copied: the peak memory
        # is one table plus one column, not two tables (a million-row export).
        kept[column] = frame.pop(column)[keep].reset_index(drop=True)
    return pd.DataFrame(kept), numbers[keep], ledger


def concat_ledgers(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """Stack ledger pieces, skipping empty ones (keeps the standard columns)."""
    parts = [p for p in parts if len(p)]
    if not parts:
        return empty_ledger()
    return ledger_frame(pd.concat(parts, ignore_index=True))
