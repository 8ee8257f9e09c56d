"""Defensive checks on every file the package reads, before any byte of it is parsed.

A path given by a user may be a folder, a FIFO that never ends, a device, a file of
many gigabytes, a text file in Latin-1, a zip bomb or a YAML file with a thousand nested
aliases. Each of these becomes one clear :class:`~stigma_outcomes.errors.InputError`
(what, where, how to fix) instead of a traceback, a hang or an exhausted memory:

* :func:`check_input_file` — exists, is a regular file, is readable, is not too large;
* :func:`read_text_file` — the same checks, then the bytes decoded with the encoding
  detection used for exports (UTF-8 with or without a mark, UTF-16, Windows-1252);
* :func:`load_yaml_text` / :func:`read_yaml_file` — safe YAML with duplicate keys refused
  and alias expansion bounded;
* :func:`open_zip` — a zip opened defensively (corrupt, encrypted, unsupported method, too
  many members or too large when expanded are refused up front).

The YAML parser itself is :mod:`stigma_outcomes._safe_yaml`; :func:`load_yaml_text` and
:data:`MAX_YAML_NODES` are re-exported here.

A leaf module: it imports nothing from the pipeline but :mod:`stigma_outcomes.errors`,
:mod:`stigma_outcomes._encoding` and :mod:`stigma_outcomes._safe_yaml`.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._encoding import sniff_encoding
from ._safe_yaml import MAX_YAML_NODES, load_yaml_text
from .errors import InputError

if TYPE_CHECKING:
    import zipfile

__all__ = [
    "DEFAULT_MAX_INPUT_MB",
    "MAX_INPUT_MB_VARIABLE",
    "MAX_TEXT_BYTES",
    "MAX_YAML_NODES",
    "MAX_ZIP_MEMBERS",
    "MAX_ZIP_RATIO",
    "check_input_file",
    "decode_text",
    "load_yaml_text",
    "max_input_bytes",
    "open_zip",
    "read_text_file",
    "read_yaml_file",
    "read_zip_member",
    "zip_damage",
]

MAX_INPUT_MB_VARIABLE = "STIGMA_OUTCOMES_MAX_INPUT_MB"
"""The environment variable that changes :func:`max_input_bytes` (a number of MB)."""

DEFAULT_MAX_INPUT_MB = 2048
"""Largest export the readers accept unless :data:`MAX_INPUT_MB_VARIABLE` says otherwise."""

MAX_TEXT_BYTES = 16 * 1024 * 1024
"""Largest settings file (evaluation, mapping, instrument definition, scale info): 16 MB."""

MAX_ZIP_MEMBERS = 1_000
MAX_ZIP_RATIO = 200
"""A member that expands more than 200-fold is treated as a zip bomb (CSV compresses
about 5–20-fold)."""


def _mb(size: int) -> str:
    if size < 100 * 1024:  # 0.0 MB or 0.1 MB would hide a small limit (or file)
        return f"{size / 1024:,.1f} KB"
    return f"{size / 1024 / 1024:,.1f} MB"


def _env_limit(limit: int | None) -> bool:
    """Whether the limit applied is the one the environment variable set."""
    return limit is None and MAX_INPUT_MB_VARIABLE in os.environ


def max_input_bytes() -> int:
    """Largest export (and expanded zip) the readers accept, in bytes.

    2048 MB, or the number of MB that ``STIGMA_OUTCOMES_MAX_INPUT_MB`` holds: read when a
    file is checked, not when the package is imported, so a bad value is one clear
    :class:`InputError` (exit 2), not a traceback. A fraction (``0.5``) is a limit in
    bytes like any other; nothing, text, zero, a negative number or infinity is refused.

    Examples
    --------
    >>> import os
    >>> os.environ["STIGMA_OUTCOMES_MAX_INPUT_MB"] = "0.5"
    >>> max_input_bytes()
    524288
    >>> os.environ["STIGMA_OUTCOMES_MAX_INPUT_MB"] = "abc"
    >>> max_input_bytes()
    Traceback (most recent call last):
    ...
    stigma_outcomes.errors.InputError: STIGMA_OUTCOMES_MAX_INPUT_MB is not a number of MB: 'abc'
    ...
    >>> del os.environ["STIGMA_OUTCOMES_MAX_INPUT_MB"]
    >>> max_input_bytes() == 2048 * 1024 * 1024
    True
    """
    raw = os.environ.get(MAX_INPUT_MB_VARIABLE)
    if raw is None:
        return DEFAULT_MAX_INPUT_MB * 1024 * 1024
    try:
        mb = float(raw.strip())
    except ValueError:
        problem = f"is not a number of MB: {raw!r}"
    else:
        if 0 < mb < float("inf"):  # NaN fails both
            return max(1, int(mb * 1024 * 1024))
        problem = f"must be a finite number of MB greater than 0, not {raw!r}"
    raise InputError(
        f"{MAX_INPUT_MB_VARIABLE} {problem}",
        where=f"environment variable {MAX_INPUT_MB_VARIABLE}",
        fix="set it to the largest export to read, in MB (e.g. 4096, or 0.5), or unset it "
        f"for the default of {DEFAULT_MAX_INPUT_MB} MB",
    )


def check_input_file(
    path: str | os.PathLike[str], what: str = "input", limit: int | None = None
) -> Path:
    """Refuse anything but a readable regular file of a sensible size; return its path.

    Parameters
    ----------
    path : path
        The file as the user gave it.
    what : str
        What the file is, for the message ("export", "evaluation file", ...).
    limit : int, optional
        Largest size in bytes (default :func:`max_input_bytes`).

    Raises
    ------
    InputError
        Missing, a folder, a FIFO/device/socket, unreadable, or larger than ``limit``.

    Examples
    --------
    >>> import tempfile
    >>> check_input_file(tempfile.mkdtemp(), "export")
    Traceback (most recent call last):
    ...
    stigma_outcomes.errors.InputError: the export is a folder, not a file
    ...
    """
    file = Path(path)
    try:
        info = file.stat()
    except FileNotFoundError:
        raise InputError(
            f"{what} not found: {file}", where=str(file), fix="check the path and the file name"
        ) from None
    except OSError as err:  # symlink loop, name too long, a file used as a folder, ...
        raise InputError(
            f"cannot open the {what}: {err.strerror or err}",
            where=str(file),
            fix="check the path (every part before the file name must be a folder)",
        ) from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(
            f"the {what} is a folder, not a file", where=str(file), fix="give the file itself"
        )
    if not stat.S_ISREG(info.st_mode):
        # A FIFO, device or socket would be read until memory runs out (or forever).
        raise InputError(
            f"the {what} is not a regular file (a pipe, device or socket)",
            where=str(file),
            fix="save the data to an ordinary file and give that file",
        )
    if not os.access(file, os.R_OK):
        raise InputError(
            f"cannot read the {what} (permission denied)",
            where=str(file),
            fix="check the file's permissions, or copy it somewhere you can read it",
        )
    largest = max_input_bytes() if limit is None else limit
    if info.st_size > largest:
        raise InputError(
            f"the {what} is too large ({_mb(info.st_size)}; the limit is {_mb(largest)})",
            where=str(file),
            fix="check it is the right file; for a very large export set "
            f"{MAX_INPUT_MB_VARIABLE}"
            + (f" (now {os.environ[MAX_INPUT_MB_VARIABLE]!r} MB)" if _env_limit(limit) else ""),
        )
    return file


def decode_text(data: bytes, where: str) -> str:
    """Bytes of a settings file as text, with the export readers' encoding detection.

    Examples
    --------
    >>> decode_text("caf\\u00e9: 1".encode("latin-1"), "x.yaml")
    'café: 1'
    >>> decode_text(b"\\xef\\xbb\\xbfa: 1", "x.yaml")
    'a: 1'
    """
    encoding = sniff_encoding(data[:65536]).encoding
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        # A guess from the sample can be proved wrong later on; Windows-1252 is the usual
        # culprit, and latin-1 decodes any byte, so the file is read rather than refused.
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return data.decode("latin-1")
    except LookupError as err:
        raise InputError(f"unknown text encoding ({err})", where=where) from None


def read_text_file(
    path: str | os.PathLike[str], what: str = "file", limit: int = MAX_TEXT_BYTES
) -> str:
    """Check a settings file (:func:`check_input_file`) and return its decoded text.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "e.yaml"
    >>> _ = p.write_bytes("title: r\\xe9sum\\xe9".encode("latin-1"))
    >>> read_text_file(p)
    'title: résumé'
    """
    file = check_input_file(path, what, limit)
    try:
        data = file.read_bytes()
    except OSError as err:
        raise InputError(
            f"cannot read the {what}: {err.strerror or err}",
            where=str(file),
            fix="check the file and its permissions",
        ) from None
    return decode_text(data, str(file))


def read_yaml_file(
    path: str | os.PathLike[str], what: str = "YAML file", loader: type | None = None
) -> Any:
    """:func:`read_text_file` then :func:`load_yaml_text`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "m.yaml"
    >>> _ = p.write_text("a: &x [1, 2]\\nb: *x\\n")
    >>> read_yaml_file(p)
    {'a': [1, 2], 'b': [1, 2]}
    """
    return load_yaml_text(read_text_file(path, what), str(path), loader)


def open_zip(path: str | os.PathLike[str]) -> zipfile.ZipFile:
    """Open a zip archive after checking it is one we can safely expand.

    Raises
    ------
    InputError
        Damaged, encrypted, an unsupported compression method, too many members, or too
        large (or too compressed) once expanded.

    Examples
    --------
    >>> import tempfile, pathlib, zipfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.zip"
    >>> with zipfile.ZipFile(p, "w") as z:
    ...     z.writestr("pre.csv", "id,q1\\nA,1\\n")
    >>> open_zip(p).namelist()
    ['pre.csv']
    """
    import zipfile

    # Stored, deflate, bzip2 and lzma: what Python's zipfile can expand.
    _ZIP_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA)
    file = check_input_file(path, "zip file")
    where = str(file)
    try:
        archive = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, OSError) as err:
        raise InputError(
            "the zip file is damaged or incomplete",
            where=where,
            fix=f"download it again ({err})",
        ) from None
    try:
        members = archive.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            raise InputError(
                f"the zip file holds {len(members):,} files (at most {MAX_ZIP_MEMBERS:,})",
                where=where,
                fix="unzip it and give the export itself",
            )
        total = 0
        largest = max_input_bytes()
        for member in members:
            if member.flag_bits & 0x1:
                raise InputError(
                    "the zip file is encrypted (password-protected)",
                    where=f"{where}: {member.filename}",
                    fix="unzip it with its password and give the export itself",
                )
            if member.compress_type not in _ZIP_METHODS:
                raise InputError(
                    f"the zip file uses a compression method this tool cannot read "
                    f"(method {member.compress_type})",
                    where=f"{where}: {member.filename}",
                    fix="unzip it with your system's tool and give the export itself",
                )
            total += member.file_size
            ratio = member.file_size / max(member.compress_size, 1)
            bomb = member.file_size > 1024 * 1024 and ratio > MAX_ZIP_RATIO
            if total > largest or bomb:
                raise InputError(
                    f"the zip file expands to too much data ({_mb(total)} so far, "
                    f"{ratio:,.0f}-fold compression)",
                    where=f"{where}: {member.filename}",
                    fix="unzip it yourself and check its content is the export you mean",
                )
    except BaseException:
        archive.close()
        raise
    return archive


def zip_damage() -> tuple[type[BaseException], ...]:
    """What reading a damaged or truncated zip member raises (zipfile's own error, the
    decompressor's, an early end, an unsupported method); the xlsx reader, ``read_table``
    and :func:`read_zip_member` catch the same list. A function, so that ``zipfile`` loads
    only when a zip is read.

    Examples
    --------
    >>> import zlib
    >>> zlib.error in zip_damage()
    True
    """
    import zipfile
    import zlib

    return (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError)


def read_zip_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, where: str) -> bytes:
    """The bytes of one zip member; damage found while expanding it is one clear error.

    Examples
    --------
    >>> import io, zipfile
    >>> buf = io.BytesIO()
    >>> with zipfile.ZipFile(buf, "w") as z:
    ...     z.writestr("a.csv", "id\\n1\\n")
    >>> z = zipfile.ZipFile(buf)
    >>> read_zip_member(z, z.infolist()[0], "x.zip")
    b'id\\n1\\n'
    """
    try:
        with archive.open(member) as handle:
            data = handle.read(member.file_size + 1)
    except zip_damage() as err:
        raise InputError(
            "the zip file is damaged or incomplete",
            where=f"{where}: {member.filename}",
            fix=f"download it again ({err})",
        ) from None
    except RuntimeError as err:  # zipfile raises RuntimeError for a password it lacks
        raise InputError(
            "the zip file is encrypted (password-protected)",
            where=f"{where}: {member.filename}",
            fix=f"unzip it with its password and give the export itself ({err})",
        ) from None
    if len(data) > member.file_size:
        raise InputError(
            "the zip file's member is larger than its header says",
            where=f"{where}: {member.filename}",
            fix="download it again",
        )
    return data
