"""Writing outputs safely: atomically, and neutralised against spreadsheet formula injection.

Every file the package writes goes through :func:`write_atomic` (or the table
helpers built on it), so a crash or a full disk never leaves a half-written
output behind, and an existing file is only replaced once the new one is
complete.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    import pyarrow as pa

from ._csv import NeedsQuoting, csv_body
from ._formula import is_formula_risk as is_formula_risk  # re-exported for callers of _io
from ._formula import neutralise_cell as neutralise_cell
from ._formula import neutralise_frame, restore_cell
from ._outputs import ACTIVE, PRIVATE_MODE, output_error, public_mode
from ._syncs import Writeback


def _write_file(handle: IO[bytes], write: Callable[[IO[bytes]], None], sync: bool = True) -> None:
    """Write through ``write`` and (with ``sync``) make sure the bytes reached the disk."""
    with handle:
        write(handle)
        handle.flush()
        if sync:
            os.fsync(handle.fileno())


def _create(path: Path) -> IO[bytes]:
    """A new file, owner-only until it is moved into place (refuses to reuse a name)."""
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_MODE), "wb")


def write_atomic(
    path: str | os.PathLike[str], write: Callable[[IO[bytes]], None], *, private: bool = True
) -> Path:
    """Write a file through ``write(handle)`` into a temporary file, then move it into place.

    Inside :func:`stigma_outcomes._outputs.all_or_nothing` the file is only staged; it
    moves into place with the rest of its run. A file-system fault (full disk, read-only
    folder, permission denied, a folder in the way) is one
    :class:`~stigma_outcomes.errors.OutputError`, and no partial file is left.

    Parameters
    ----------
    path : path
        The target file.
    write : callable
        Writes the bytes to the handle it is given.
    private : bool
        Owner-only (0600) when true — for evaluator-only files (scores, ledger, alerts,
        keyed items); otherwise the user's umask decides, as for reports.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = write_atomic(d / "x.txt", lambda fh: fh.write(b"hello"))
    >>> (d / "x.txt").read_text()
    'hello'
    """
    target = Path(path)
    staging = ACTIVE.get()
    if staging is not None:
        staged = staging.staging_file(target, private)
        try:
            # Put on the disk on another thread while the run goes on; the set waits for
            # it before anything moves into place.
            _write_file(_create(staged), write, sync=False)
        except OSError as err:
            raise output_error(err, target) from None
        staging.flush_soon(staged, target)
        return target
    if target.is_dir():
        raise output_error(OSError(errno.EISDIR, "it is a folder"), target)
    tmp: Path | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
        tmp = Path(name)
        _write_file(os.fdopen(fd, "wb"), write)
        os.chmod(tmp, PRIVATE_MODE if private else public_mode())
        os.replace(tmp, target)
    except OSError as err:
        raise output_error(err, target) from None
    finally:
        if tmp is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
    return target


def write_text_atomic(path: str | os.PathLike[str], text: str, *, private: bool = True) -> Path:
    """Write UTF-8 text atomically (see :func:`write_atomic`)."""
    return write_atomic(path, lambda fh: fh.write(text.encode("utf-8")), private=private)


_PARALLEL_ROWS = 200_000


def _arrow_table(frame: pd.DataFrame) -> pa.Table:
    """The frame as an Arrow table, column by column, without copying numeric columns."""
    import pyarrow as pa

    arrays = []
    for position in range(frame.shape[1]):
        series = frame.iloc[:, position]
        if series.dtype == object:
            # Object columns may mix numbers and text; Arrow needs one type per column.
            series = series.astype("string")
        arrays.append(pa.Array.from_pandas(series))
    return pa.Table.from_arrays(arrays, names=[f"c{i}" for i in range(frame.shape[1])])


def _csv_rows(table: pa.Table, delimiter: str, quoting: str) -> list[bytes]:
    """CSV lines of ``table`` (no header); long tables in two halves on two threads.

    Arrow's writer runs without the GIL, and CSV lines do not depend on each other, so
    the halves written one after the other are the same bytes as one pass.
    """
    import io
    from concurrent.futures import ThreadPoolExecutor

    import pyarrow.csv as pa_csv

    options = pa_csv.WriteOptions(include_header=False, delimiter=delimiter, quoting_style=quoting)

    def rows(part: pa.Table) -> bytes:
        sink = io.BytesIO()
        pa_csv.write_csv(part, sink, options)
        return sink.getvalue()

    n = table.num_rows
    if n < _PARALLEL_ROWS or (os.cpu_count() or 1) < 2:
        return [rows(table)]
    half = n // 2
    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(rows, (table.slice(0, half), table.slice(half))))


def _write_csv(handle: IO[bytes], frame: pd.DataFrame, delimiter: str) -> None:
    """CSV text of a table, written by Arrow's C++ writer.

    pandas formats every float in Python-level code (seconds per million cells); Arrow
    writes the same values at a tenth of the cost, and :func:`~stigma_outcomes._csv.csv_body`
    writes Arrow's text of each distinct value once, for a third of that again on a score
    table. Text is written bare unless some cell of the table holds a delimiter, quote or
    line break, in which case all text is quoted (valid CSV either way); numbers are written
    in their shortest exact form.
    """
    import csv
    import io

    import pyarrow as pa

    header = io.StringIO()
    csv.writer(header, delimiter=delimiter, lineterminator="\n").writerow(
        [str(c) for c in frame.columns]
    )
    table = _arrow_table(frame)
    # Each distinct value (and combination of values) formatted once: the same bytes.
    fast = csv_body(table, delimiter)
    if fast is not None:
        body: Iterable[bytes | memoryview] = fast
    else:
        try:
            # Plain values unquoted, as most exports write them ...
            body = _csv_rows(table, delimiter, "none")
        except pa.ArrowInvalid:
            # ... unless some text holds a delimiter, quote or line break: quote all text.
            body = _csv_rows(table, delimiter, "needed")
    staging = ACTIVE.get()
    writeback = Writeback(handle)

    def write_all(parts: Iterable[bytes | memoryview]) -> None:
        for part in parts:
            if staging is not None:
                staging.check_abandoned()  # a failed run stops a long write between parts
            handle.write(part)
            writeback.wrote()

    handle.write(header.getvalue().encode("utf-8"))
    start = handle.tell()
    try:
        write_all(body)
    except NeedsQuoting:
        # A text of a later block needs quoting: the table is written quoted, from the top.
        handle.seek(start)
        handle.truncate()
        writeback = Writeback(handle)
        write_all(_csv_rows(table, delimiter, "needed"))


def _csv_bytes(frame: pd.DataFrame, delimiter: str) -> bytes:
    """The bytes :func:`write_table` writes for ``frame`` as CSV (``frame`` already safe)."""
    import io

    sink = io.BytesIO()
    _write_csv(sink, frame, delimiter)
    return sink.getvalue()


def write_table(frame: pd.DataFrame, path: str | os.PathLike[str], *, private: bool = True) -> Path:
    """Write a table as CSV, XLSX or Parquet (by the file's suffix), atomically and formula-safe.

    ``private`` as in :func:`write_atomic`. XLSX is written by :mod:`stigma_outcomes._xlsx`:
    every text cell a string (never a formula), the same bytes on every run.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = write_table(pd.DataFrame({"a": ["=1+1", "ok"]}), p)
    >>> pd.read_csv(p)["a"].tolist()
    ["'=1+1", 'ok']
    >>> read_table(p)["a"].tolist()
    ['=1+1', 'ok']
    """
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix == ".parquet":
        # Parquet is typed, not a spreadsheet: keep the original values.
        return write_atomic(target, lambda fh: frame.to_parquet(fh, index=False), private=private)
    safe = neutralise_frame(frame)
    if suffix in (".csv", ".txt", ""):
        return write_atomic(target, lambda fh: _write_csv(fh, safe, ","), private=private)
    if suffix == ".tsv":
        return write_atomic(target, lambda fh: _write_csv(fh, safe, "\t"), private=private)
    if suffix == ".xlsx":
        from ._xlsx import xlsx_bytes

        return write_atomic(target, lambda fh: fh.write(xlsx_bytes(safe)), private=private)
    from .errors import InputError

    raise InputError(
        f"cannot write a table to '{target.name}': unknown file type '{suffix}'",
        where=str(target),
        fix="use a .csv, .tsv, .xlsx or .parquet file name",
    )


def restore_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Undo formula neutralisation on a table read back from one of our own files.

    Examples
    --------
    >>> restore_frame(pd.DataFrame({"'=w": ["'+6m", "pre"]})).to_dict("list")
    {'=w': ['+6m', 'pre']}
    """
    out = frame.copy()
    for col in out.columns:
        series = out[col]
        if series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
            text = series.astype("string")
            quoted = text.str.startswith("'").fillna(False).to_numpy(dtype=bool)
            if quoted.any():
                fixed = series.astype("object").copy()
                fixed[quoted] = [restore_cell(v) for v in fixed[quoted]]
                out[col] = fixed
    out.columns = [restore_cell(c) for c in out.columns]
    return out


def read_table(path: str | os.PathLike[str], dtype: dict[str, type] | None = None) -> pd.DataFrame:
    """Read a table this package wrote (CSV, TSV, XLSX or Parquet), neutralisation undone.

    Raises
    ------
    InputError
        The file is missing, not a regular file, too large, or not a readable table.
    """
    from ._inputs import check_input_file, zip_damage
    from .errors import InputError

    file = check_input_file(path, "table")
    suffix = file.suffix.lower()
    try:
        if suffix == ".parquet":
            return pd.read_parquet(file)
        if suffix == ".xlsx":
            from ._xlsx import unescape_text

            frame = unescape_text(
                pd.read_excel(file, dtype=dtype, keep_default_na=False, na_values=[""])
            )
        else:
            sep = "\t" if suffix == ".tsv" else ","
            # Never guess a compression from the name: a .zip given here is not a table.
            # Only an empty cell is missing: a site called "NA" or a label "NULL" is text.
            frame = pd.read_csv(
                file, sep=sep, dtype=dtype, compression=None, keep_default_na=False, na_values=[""]
            )
    except (*zip_damage(), ValueError, KeyError, IndexError, TypeError) as err:
        # pandas reports a malformed table as any of these (EmptyDataError is a ValueError).
        raise InputError(
            f"cannot read the table: {err}",
            where=str(file),
            fix="give a CSV, XLSX or Parquet file written by this tool",
        ) from None
    return restore_frame(frame)
