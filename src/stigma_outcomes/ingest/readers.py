"""Readers: export files (and DataFrames) → :class:`~stigma_outcomes.ingest.table.RawTable`.

:func:`read_export` picks the file format from the extension (or the first bytes),
reads the cells (:mod:`.formats`), recognises the survey platform and applies its
header and exclusion rules (:mod:`.flavors`), lists the personal-data columns
(:mod:`.pii`) and, for a long participant × item file, pivots it wide (:mod:`.layout`).
Everything the reader decided is recorded in ``RawTable.metadata`` so the command line
can show it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError
from .flavors import parse_sheet
from .flavors.base import FlavorOptions, check_columns
from .formats import EXPORT_KINDS
from .formats.sheet import Sheet
from .pii import find_pii_columns
from .redcap import RedcapDictionary, looks_like_dictionary, read_redcap_dictionary
from .table import RawTable


def from_dataframe(frame: pd.DataFrame, source: str = "<DataFrame>") -> RawTable:
    """Wrap an in-memory DataFrame as a :class:`RawTable` (row numbers are 1-based positions).

    Examples
    --------
    >>> t = from_dataframe(pd.DataFrame({"id": ["a"], "ucla3_1": [2]}))
    >>> t.source, t.row_numbers.tolist()
    ('<DataFrame>', [1])
    """
    if not isinstance(frame, pd.DataFrame):
        raise InputError(
            f"expected a pandas DataFrame, got {type(frame).__name__}",
            fix="pass a DataFrame, or a path to an export file",
        )
    _check_columns([str(c) for c in frame.columns], source)
    data = frame.reset_index(drop=True)
    data.columns = [str(c) for c in data.columns]
    reasons = find_pii_columns(data, source=source)
    return RawTable(
        frame=data,
        source=source,
        row_numbers=np.arange(1, len(data) + 1),
        pii_columns=list(reasons),
        metadata={"format": "dataframe", "pii_reasons": reasons},
    )


def _check_columns(columns: list[str], source: str) -> None:
    check_columns(columns, source)


def read_csv_basic(path: str | os.PathLike[str], *, encoding: str = "utf-8-sig") -> RawTable:
    """Read a wide CSV export with one header row, keeping every cell as text."""
    return read_export(path, flavor="plain", encoding=encoding)


def read_sheet(
    path: str | os.PathLike[str],
    *,
    sheet: str | int | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> Sheet:
    """Read a file's cells without applying any platform rule (format chosen by extension).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "pre.tsv"
    >>> _ = p.write_text("id\\tq1\\nA\\t2\\n")
    >>> read_sheet(p).metadata["delimiter"]
    '\\t'
    """
    from .._inputs import check_input_file

    # A regular, readable file of sensible size: never a folder, FIFO or device.
    file = check_input_file(path, "export file")
    if file.suffix.lower() == ".zip":
        return _read_zipped(file, sheet=sheet, encoding=encoding, delimiter=delimiter)
    # Each format's reader is imported only when a file of its kind is read.
    kind = _kind(file)
    if kind == "excel":
        from .formats.excel import read_excel

        return read_excel(file, sheet=sheet)
    if kind in ("spss", "stata", "sas", "parquet"):
        from .formats import stats

        readers = {"spss": stats.read_spss, "stata": stats.read_stata, "sas": stats.read_sas,
                   "parquet": stats.read_parquet}  # fmt: skip
        return readers[kind](file)
    from .formats.text import read_text

    return read_text(file, encoding=encoding, delimiter=delimiter)


def _read_zipped(
    file: Path, *, sheet: str | int | None, encoding: str | None, delimiter: str | None
) -> Sheet:
    """Read the one export inside a zip file (Qualtrics and Kobo downloads arrive zipped)."""
    import tempfile

    from .._inputs import open_zip, read_zip_member

    # Corrupt, encrypted, unsupported or oversized archives are refused by open_zip.
    with open_zip(file) as archive:
        members = [
            m
            for m in archive.infolist()
            if not m.is_dir()
            and not m.filename.startswith("__MACOSX/")
            and Path(m.filename).suffix.lower() in EXPORT_KINDS
        ]
        if len(members) != 1:
            found = ", ".join(m.filename for m in members) or "no export file"
            raise InputError(
                f"the zip file holds {len(members)} exports ({found}), not one",
                where=str(file),
                fix="unzip it and give the export you mean",
            )
        data = read_zip_member(archive, members[0], str(file))
    with tempfile.TemporaryDirectory() as folder:
        inner = Path(folder) / Path(members[0].filename).name
        inner.write_bytes(data)
        found_sheet = read_sheet(inner, sheet=sheet, encoding=encoding, delimiter=delimiter)
    found_sheet.source = f"{file.name}:{Path(members[0].filename).name}"
    found_sheet.metadata["zip_member"] = members[0].filename
    return found_sheet


def _kind(file: Path) -> str:
    kind = EXPORT_KINDS.get(file.suffix.lower())
    if kind is not None:
        return kind
    # No extension that says what the file is: its first bytes do (or it is read as text,
    # which refuses binary data it cannot read).
    from .formats._magic import HEAD_BYTES, kind_of

    with file.open("rb") as handle:
        return kind_of(handle.read(HEAD_BYTES)) or "text"


def read_export(
    path: str | os.PathLike[str] | pd.DataFrame,
    *,
    flavor: str | None = None,
    sheet: str | int | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    include_previews: bool = False,
    include_incomplete: bool = False,
    dictionary: str | os.PathLike[str] | RedcapDictionary | None = None,
    pii: Iterable[str] = (),
    layout: str = "auto",
    id_col: str | None = None,
    item_col: str | None = None,
    value_col: str | None = None,
    wave_col: str | None = None,
) -> RawTable:
    """Read one export (file path or DataFrame) into a :class:`RawTable`.

    Parameters
    ----------
    path : path or DataFrame
        The export file (CSV, TSV, XLSX, SAV, DTA, Parquet), or a DataFrame in memory.
    flavor : str, optional
        Force a platform flavour (``qualtrics``, ``redcap``, ``surveymonkey``,
        ``google_forms``, ``limesurvey``, ``kobo``, ``plain``) instead of detecting it.
    sheet : str or int, optional
        Worksheet of an Excel workbook (name or 0-based position).
    encoding, delimiter : str, optional
        Override detection for text files.
    include_previews, include_incomplete : bool
        Keep survey previews / unfinished responses instead of setting them aside.
    dictionary : path or RedcapDictionary, optional
        A REDCap data dictionary: gives the record-ID field, labels, choices, identifiers.
    pii : iterable of str
        Extra columns to treat as personal data.
    layout : {"auto", "wide", "long"}
        ``long`` pivots a participant × item file to one row per participant (× wave);
        ``auto`` does so only when item and value columns are unmistakable.
    id_col, item_col, value_col, wave_col : str, optional
        Columns of a long participant × item layout.

    Returns
    -------
    RawTable
        Data rows, row numbers, flavour, labels, personal-data columns, rows set aside.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "pre.csv"
    >>> _ = p.write_text("id,ucla3_1\\nA,2\\n")
    >>> t = read_export(p)
    >>> t.flavor, t.frame.to_dict("list"), t.row_numbers.tolist()
    ('plain', {'id': ['A'], 'ucla3_1': ['2']}, [2])
    """
    from .layout import apply_layout

    if isinstance(path, pd.DataFrame):
        table = from_dataframe(path)
        if pii:
            extra = find_pii_columns(table.frame, declared=pii, source=table.source)
            table.pii_columns = list(extra)
            table.metadata["pii_reasons"] = extra
        return apply_layout(
            table,
            layout=layout,
            id_col=id_col,
            item_col=item_col,
            value_col=value_col,
            wave_col=wave_col,
        )
    if not isinstance(path, str | os.PathLike):
        raise InputError(
            f"an export must be a file path or a DataFrame, not {type(path).__name__}",
            where="read_export()",
            fix="pass the path of the export file (CSV, TSV, XLSX, SAV, DTA or Parquet)",
        )
    raw = read_sheet(path, sheet=sheet, encoding=encoding, delimiter=delimiter)
    if not raw.head(1):
        # Checked once here, so no flavour detector has to expect a file without a header.
        raise InputError(
            "the export is empty: it has no header row",
            where=raw.source,
            fix="check it is the file you downloaded, and download it again if it is",
        )
    if looks_like_dictionary(raw):
        raise InputError(
            "this file is a REDCap data dictionary, not response data",
            where=raw.source,
            fix="pass it as the data dictionary (--dictionary) and give the data export as "
            "the input",
        )
    if dictionary is not None and not isinstance(dictionary, RedcapDictionary):
        dictionary = read_redcap_dictionary(dictionary)
    options = FlavorOptions(
        include_previews=include_previews,
        include_incomplete=include_incomplete,
        dictionary=dictionary,
    )
    parsed, name, reason = parse_sheet(raw, flavor, options)
    reasons = find_pii_columns(
        parsed.frame,
        flavor=name,
        declared=pii,
        known=parsed.pii,
        labels=parsed.column_labels,
        source=raw.source,
    )
    metadata = {**raw.metadata, **parsed.metadata}
    metadata.update(flavor_reason=reason, pii_reasons=reasons)
    excluded_rows = len(parsed.excluded)
    table = RawTable(
        frame=parsed.frame.reset_index(drop=True),
        source=raw.source,
        row_numbers=parsed.row_numbers,
        flavor=name,
        column_labels=parsed.column_labels,
        value_labels=parsed.value_labels,
        pii_columns=list(reasons),
        excluded=parsed.excluded,
        rows_in=len(parsed.frame) + excluded_rows,
        metadata=metadata,
    )
    return apply_layout(
        table,
        layout=layout,
        id_col=id_col,
        item_col=item_col,
        value_col=value_col,
        wave_col=wave_col,
    )
