"""Options and output helpers shared by the command modules (light imports only)."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Annotated, Any

import typer

InstrumentsDir = Annotated[
    list[Path] | None,
    typer.Option(
        "--instruments-dir",
        help="Folder of your own instrument definitions (repeatable); the "
        "STIGMA_OUTCOMES_INSTRUMENTS environment variable works too.",
    ),
]


def _clean(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def echo_json(value: Any) -> None:
    """Print JSON for a machine: sorted keys, NaN as null."""
    typer.echo(json.dumps(_clean(value), indent=2, sort_keys=True, ensure_ascii=False))
