"""Options and output helpers shared by the command modules (light imports only)."""

from __future__ import annotations

import json
import math
import os
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


def one_blas_thread() -> None:
    """Keep OpenBLAS to one thread in a command whose matrix products are small (``demo``,
    ``score``), unless the user set it; call before numpy loads.

    OpenBLAS starts its threads when numpy loads, and they spin after each call on the other
    core: the one the read-ahead parses on (``score``: 0.13 s of CPU of 1.9 s at 200,000 ×
    60, 7 alternating runs) or the chart child draws on (``demo``: 0.26 s of CPU, 0.07 s of
    wall), with nothing to share.
    """
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def hand_back_memory(held: list[Any]) -> None:
    """Let go of ``held`` (emptied here: the caller's last references to large results)
    and of the memory Arrow's allocator has freed and kept, on a thread of its own, while
    the command ends.

    Otherwise the arrays go when the command's frame does, and Arrow's memory when the
    process does, both while whoever started it waits: after ``score`` of 200,000 × 60,
    ~11 ms to free the scores' arrays and ~10 ms more at the exit for Arrow's ~140 MB.
    """
    import threading

    import pyarrow as pa

    pool = pa.default_memory_pool()
    objects = list(held)
    held.clear()

    def let_go() -> None:
        objects.clear()  # the last references: the arrays are freed on this thread
        pool.release_unused()

    threading.Thread(target=let_go, name="hand-back", daemon=True).start()


def sheet_option(sheet: str | None) -> str | int | None:
    """``--sheet``: a worksheet's name, or its 0-based position when given as digits.

    >>> sheet_option("2"), sheet_option("Responses"), sheet_option(None)
    (2, 'Responses', None)
    """
    return None if sheet is None else int(sheet) if sheet.isdigit() else sheet


def clean_json(value: Any) -> Any:
    """``value`` with every non-finite float (NaN, ±Infinity) replaced by ``None``.

    Examples
    --------
    >>> clean_json({"a": [1.0, float("nan")], "b": float("inf")})
    {'a': [1.0, None], 'b': None}
    """
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: clean_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean_json(v) for v in value]
    return value


def required_out(out: Path | None, what: str, example: str) -> Path:
    """The ``--out`` file of a command that must write one; its absence is one clear error.

    ``--json`` once named this file in ``compare`` and ``pool``; it now prints JSON, as in
    every other command, so the error says where the file went.
    """
    if out is None:
        from ..errors import InputError

        raise InputError(
            f"no {what} to write",
            fix=f"give --out {example} (older versions took this file as --json {example}; "
            "--json now prints the summary as JSON on standard output)",
        )
    return out


def echo_json(value: Any) -> None:
    """Print JSON for a machine: sorted keys, NaN as null."""
    typer.echo(json.dumps(clean_json(value), indent=2, sort_keys=True, ensure_ascii=False))


# Terminal tables of results (compare, pool): "–" for a missing or infinite value.


def fmt_num(value: Any, digits: int = 2) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    return f"{value:.{digits}f}"


def fmt_p(value: Any) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    return "<0.001" if value < 0.001 else f"{value:.3f}"


def fmt_ci(low: Any, high: Any, digits: int = 2) -> str:
    return f"[{fmt_num(low, digits)}, {fmt_num(high, digits)}]"


def text_table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(line.rstrip() for line in lines)


def items_beside(scores: Path) -> Path:
    """Where 'score' writes the keyed item responses and 'compare' looks for them.

    Examples
    --------
    >>> items_beside(Path("out/scores.csv")).as_posix()
    'out/scores.items.csv'
    """
    return scores.with_name(f"{scores.stem}.items{scores.suffix or '.csv'}")
