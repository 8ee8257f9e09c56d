"""SHA-256 of a file's bytes, read a MiB at a time: the one checksum of files the package
takes (the manifest's outputs and inputs, the scores a results file names).

A leaf module: it imports nothing from the package.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable

_BLOCK = 1 << 20


def file_sha256(path: str | os.PathLike[str], between: Callable[[], None] | None = None) -> str:
    """SHA-256 of the file at ``path``; ``between`` is called before each MiB is hashed (a
    long checksum on a second thread stops there when its run has failed).

    hashlib lets go of the GIL for blocks this large, so a checksum taken on another thread
    runs beside the main one.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.txt"
    >>> _ = p.write_bytes(b"abc")
    >>> file_sha256(p)[:16]
    'ba7816bf8f01cfea'
    """
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(_BLOCK), b""):
            if between is not None:
                between()
            digest.update(block)
    return digest.hexdigest()
