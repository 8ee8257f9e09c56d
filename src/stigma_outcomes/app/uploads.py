"""Checks on an uploaded file before any reader sees it: one clear message per wrong upload.

A browser lets a user drop anything: a screenshot, an empty file, a PDF of last year's report.
The readers would fail on those with a message about headers or encodings; here the user is told
what the file is and what to upload instead.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import InputError
from ..ingest import EXPORT_KINDS

EXPORT_SUFFIXES = (*EXPORT_KINDS, ".zip")
"""Suffixes the readers take (a zip holds one of the others): the readers' own list."""

DEFINITION_SUFFIXES = (".yaml", ".yml")

# First bytes of files that are certainly not survey exports.
_NOT_EXPORTS = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"BM", "a bitmap image"),
    (b"RIFF", "a media file (WebP image, audio or video)"),
    (b"\xd0\xcf\x11\xe0", "an old Office file (.xls or .doc)"),
)
_RESERVED = {"evaluation.yaml", "mapping.yaml", "outputs", "definitions"}


def safe_name(name: str) -> str:
    """A file name safe to keep in the project folder: no folders, no odd characters.

    Examples
    --------
    >>> safe_name("../../etc/pre wave (1).csv")
    'pre_wave_1_.csv'
    >>> safe_name("mapping.yaml")
    'upload_mapping.yaml'
    """
    base = Path(name.replace("\\", "/")).name
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", base).strip("._") or "upload"
    if cleaned.casefold() in _RESERVED:
        cleaned = f"upload_{cleaned}"
    return cleaned


def check_upload(name: str, path: Path, size: int, limit: int, *, kind: str = "export") -> None:
    """Refuse an upload that cannot be a survey export (or definition), saying what it is.

    Parameters
    ----------
    name : str
        The file's name as the browser gave it.
    path : Path
        Where the upload was stored.
    size : int
        Its size in bytes.
    limit : int
        The largest upload allowed, in bytes.
    kind : {"export", "definition"}
        What was expected.

    Raises
    ------
    InputError
        One message: what is wrong, which file, what to upload instead.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "shot.csv"
    >>> _ = p.write_bytes(b"\\x89PNG\\r\\n\\x1a\\n" + bytes(20))
    >>> try:
    ...     check_upload("shot.csv", p, 28, 10_000)
    ... except InputError as err:
    ...     print(err.what)
    shot.csv is a PNG image, not a survey export
    """
    wanted = "a survey export" if kind == "export" else "an instrument definition (YAML)"
    suffixes = EXPORT_SUFFIXES if kind == "export" else DEFINITION_SUFFIXES
    if size > limit:
        raise InputError(
            f"{name} is {size / 1e6:.1f} MB, over the {limit / 1e6:g} MB upload limit",
            where=name,
            fix="export only the survey's responses, or start the app with a larger "
            "--max-upload-mb",
        )
    if size == 0:
        raise InputError(
            f"{name} is empty (0 bytes)",
            where=name,
            fix="download the export from the survey platform again and upload that file",
        )
    with path.open("rb") as handle:
        head = handle.read(16)
    for magic, what in _NOT_EXPORTS:
        if head.startswith(magic):
            raise InputError(
                f"{name} is {what}, not {wanted}",
                where=name,
                fix=f"upload {wanted}: "
                + (
                    "CSV, TSV, Excel, SPSS, Stata or Parquet, zipped or not"
                    if kind == "export"
                    else "a .yaml file following instruments/schema.json"
                ),
            )
    if not name.lower().endswith(suffixes):
        raise InputError(
            f"{name} is not a file type the app reads",
            where=name,
            fix=f"upload {wanted} ({', '.join(suffixes)})",
        )
