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

A leaf module: it imports nothing from the pipeline but :mod:`stigma_outcomes.errors`.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._encoding import sniff_encoding
from .errors import InputError

if TYPE_CHECKING:
    import zipfile

MAX_INPUT_BYTES = int(os.environ.get("STIGMA_OUTCOMES_MAX_INPUT_MB", "2048")) * 1024 * 1024
"""Largest export the readers accept (2 GB; ``STIGMA_OUTCOMES_MAX_INPUT_MB`` changes it)."""

MAX_TEXT_BYTES = 16 * 1024 * 1024
"""Largest settings file (evaluation, mapping, instrument definition, scale info): 16 MB."""

MAX_YAML_NODES = 200_000
"""Most YAML nodes a settings file may build once aliases are expanded (a 40 KB file of
nested aliases can otherwise describe billions)."""

MAX_ZIP_MEMBERS = 1_000
MAX_ZIP_EXPANDED = MAX_INPUT_BYTES
MAX_ZIP_RATIO = 200
"""A member that expands more than 200-fold is treated as a zip bomb (CSV compresses
about 5–20-fold)."""


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:,.1f} MB"


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
        Largest size in bytes (default :data:`MAX_INPUT_BYTES`).

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
    largest = MAX_INPUT_BYTES if limit is None else limit
    if info.st_size > largest:
        raise InputError(
            f"the {what} is too large ({_mb(info.st_size)}; the limit is {_mb(largest)})",
            where=str(file),
            fix="check it is the right file; for a very large export set "
            "STIGMA_OUTCOMES_MAX_INPUT_MB",
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


def _bounded_loader(base: type) -> type:
    """A subclass of the YAML loader ``base`` that refuses duplicate keys and alias bombs."""
    import yaml

    class Loader(base):  # type: ignore[misc, valid-type]
        def __init__(self, stream: Any) -> None:
            super().__init__(stream)
            self._nodes = 0

        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                # Each alias re-uses a whole subtree: count what it stands for.
                event = self.peek_event()
                anchor = event.anchor
                if anchor in self.anchors:
                    self._nodes += _size(self.anchors[anchor])
                    self._check_size(event.start_mark)
            node = super().compose_node(parent, index)
            self._nodes += 1
            self._check_size(node.start_mark)
            return node

        def _check_size(self, mark: Any) -> None:
            if self._nodes > MAX_YAML_NODES:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"the file expands to more than {MAX_YAML_NODES:,} values "
                    "(nested aliases '*name')",
                    mark,
                )

        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            seen: dict[Any, Any] = {}
            if isinstance(node, yaml.MappingNode):
                for key_node, _ in node.value:
                    if key_node.tag == "tag:yaml.org,2002:merge":
                        continue
                    key = self.construct_object(key_node, deep=True)
                    try:
                        hashable = hash(key) is not None
                    except TypeError:
                        hashable = False
                    if hashable and key in seen:
                        raise yaml.constructor.ConstructorError(
                            "while reading a mapping",
                            node.start_mark,
                            f"the key '{key}' appears twice (first on line "
                            f"{seen[key].line + 1}); only one can count",
                            key_node.start_mark,
                        )
                    if hashable:
                        seen[key] = key_node.start_mark
            return super().construct_mapping(node, deep=deep)

    return Loader


def _size(node: Any) -> int:
    """Number of nodes under a composed YAML node (aliases count as their target)."""
    stack, count = [node], 0
    while stack:
        current = stack.pop()
        count += 1
        if count > MAX_YAML_NODES:
            return count
        value = current.value
        if isinstance(value, list):
            for entry in value:
                if isinstance(entry, tuple):
                    stack.extend(entry)
                else:
                    stack.append(entry)
    return count


_LOADERS: dict[type, type] = {}


def load_yaml_text(text: str, where: str, loader: type | None = None) -> Any:
    """Parse YAML safely: no Python objects, duplicate keys refused, aliases bounded.

    Parameters
    ----------
    text : str
        The YAML document.
    where : str
        The file name, for the message.
    loader : type, optional
        A ``yaml.SafeLoader`` subclass to build on (default: ``yaml.SafeLoader``).

    Raises
    ------
    InputError
        Invalid YAML, a key given twice in one mapping, or nested aliases that expand
        past :data:`MAX_YAML_NODES` values; the message names the line.

    Examples
    --------
    >>> load_yaml_text("a: 1\\nb: [x, y]", "e.yaml")
    {'a': 1, 'b': ['x', 'y']}
    >>> try:
    ...     load_yaml_text("id_column: a\\nid_column: b", "e.yaml")
    ... except InputError as err:
    ...     print(err.what)
    the file is not valid YAML: the key 'id_column' appears twice (first on line 1); ...
    """
    import yaml

    base = loader or yaml.SafeLoader
    if not issubclass(base, yaml.SafeLoader):
        raise TypeError("the YAML loader must derive from yaml.SafeLoader")
    bounded = _LOADERS.get(base)
    if bounded is None:
        bounded = _LOADERS[base] = _bounded_loader(base)
    try:
        return yaml.load(text, Loader=bounded)  # a SafeLoader subclass: no Python objects
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = f", line {mark.line + 1}" if mark is not None else ""
        problem = getattr(err, "problem", None) or str(err)
        raise InputError(
            f"the file is not valid YAML: {problem}",
            where=f"{where}{line}",
            fix="check indentation, quoting and repeated keys near that line",
        ) from None
    except RecursionError:
        raise InputError(
            "the file is nested too deeply to read",
            where=where,
            fix="check the file is a settings file written by hand or by 'init'",
        ) from None


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
            if total > MAX_ZIP_EXPANDED or bomb:
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
    import zipfile
    import zlib

    try:
        with archive.open(member) as handle:
            data = handle.read(member.file_size + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as err:
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
