"""Where the paths of an evaluation file point: the one rule, and the exports it names,
found without validating the file (so a command can start reading them first thing).

A leaf module: it imports nothing heavy (no pydantic, no pandas), so ``stigma-outcomes run``
can call :func:`named_exports` before the pipeline is imported and hand the files to
ingest's read-ahead; :func:`~stigma_outcomes.evaluation.load_evaluation` then reads and
validates the file as always.
"""

from __future__ import annotations

import os
from pathlib import Path


def evaluation_folder(path: str | os.PathLike[str]) -> Path:
    """The folder an evaluation file's relative paths start from: the file's own."""
    return Path(path).resolve().parent


def resolve(base: Path, name: str | None) -> Path | None:
    """``name`` as given when absolute, else relative to ``base``; ``None`` stays ``None``.

    Examples
    --------
    >>> resolve(Path("/data/eval"), "pre.csv").as_posix(), resolve(Path("/x"), None)
    ('/data/eval/pre.csv', None)
    """
    if name is None:
        return None
    path = Path(name)
    return path if path.is_absolute() else base / path


def named_exports(path: str | os.PathLike[str]) -> list[Path]:
    """The export files the evaluation file at ``path`` names under ``data:``, resolved.

    Nothing is validated: entries that are not a mapping with a text ``path`` are passed
    over, and a file that is missing gives no names; the evaluation's own loading reports
    either. A file that cannot be read as YAML raises the error loading it would raise.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "e.yaml").write_text("data:\\n  - path: pre.csv\\n  - 7\\n")
    >>> [p.name for p in named_exports(folder / "e.yaml")]
    ['pre.csv']
    """
    file = Path(path)
    if not file.is_file():
        return []
    from ._inputs import read_yaml_file

    raw = read_yaml_file(file, "evaluation file")
    data = raw.get("data") if isinstance(raw, dict) else None
    base = evaluation_folder(file)
    entries = data if isinstance(data, list) else []
    names = [e["path"] for e in entries if isinstance(e, dict) and isinstance(e.get("path"), str)]
    return [path for path in (resolve(base, name) for name in names) if path is not None]
