"""How fast ``score`` could be without pandas: a measured floor for issue 15's redesign.

Sessions 11 and 12 of issue 15 found that the imports are over half of ``score``'s run on
``bench_cli.py``'s case, and pandas the largest of them (0.19 s of wall on its own after
numpy, Arrow, pydantic and typer). Before anyone rebuilds reading, binding, scoring and
writing on Arrow and numpy alone, this script measures what that would buy.

The *floor* is the same command line (typer, with ``score``'s own parameters), the same
read-ahead parse of the export, the same instrument loading (pydantic) and the same CSV
writer (``_csv.csv_body``), written atomically (temporary file, ``fsync``, rename) as the
real command writes. Decoding, scoring and the tidy table are redone on Arrow and numpy.
Only for ``bench_cli.py``'s input: one plain CSV whose first column is the ID, one
instrument of mean scales whose answers are single digits. It is not a second implementation:
before timing, it checks that its scores and item files are byte for byte the real command's.

It leaves out work the real command does, so it is a lower bound: no ledger, no alerts, no
personal-data scan of the values, no flavour detection, no duplicate check, no summary
printed. pyarrow imports pandas on its own the first time ``pa.array``, ``pa.scalar`` or
``Array.to_numpy`` is called when pandas is installed (its pandas shim), and the writer calls
``pa.scalar`` through ``pc.fill_null``: the floor process therefore hides pandas from the
import system, as a pandas-free path would have to avoid those calls.

``--early`` starts the parse before typer and pydantic are imported, from the arguments that
name exports; without it the parse starts where the real command starts it (after the command
line is read and numpy and Arrow are imported). Measured: 2026-12-07, ``BENCHMARKS.md``.

Run from the repository root, with the inputs ``bench_cli.py`` makes::

    python benchmarks/floor_score.py --work /tmp/sw [--runs 21] [--early]
"""

from __future__ import annotations

import argparse
import filecmp
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve()


def _hide_pandas() -> None:
    """Make ``import pandas`` fail in this process (pyarrow then takes pandas as absent)."""

    class NoPandas:
        def find_spec(self, name: str, path: object = None, target: object = None) -> None:
            if name == "pandas" or name.startswith("pandas."):
                raise ImportError("pandas is left out of the floor")

    sys.meta_path.insert(0, NoPandas())


def _exports_named(args: list[str]) -> list[Path]:
    """The arguments of ``score`` that name exports: every one before the first option."""
    named = []
    for arg in args:
        if arg.startswith("-"):
            break
        named.append(Path(arg))
    return named


def _floor_command(**params: object) -> None:
    """``score`` for bench_cli's input on Arrow and numpy alone (see the module)."""
    import gc
    import importlib
    from concurrent.futures import ThreadPoolExecutor

    from stigma_outcomes.ingest.formats._started import reading_ahead

    exports: list[Path] = params["exports"]  # type: ignore[assignment]
    out: Path = params["out"]  # type: ignore[assignment]
    importlib.import_module("stigma_outcomes.ingest.formats.text")
    with reading_ahead(exports):
        import numpy as np
        import pyarrow as pa

        from stigma_outcomes._csv import csv_body
        from stigma_outcomes.ingest.formats._started import take_started
        from stigma_outcomes.instruments import load_instrument

        gc.freeze()
        instrument = load_instrument(params["instrument"][0])  # type: ignore[index]
        parsed = take_started(exports[0], None, None)
    table = parsed.table
    header = [table.column(i)[0].as_py() for i in range(table.num_columns)]
    table = table.slice(1)
    n = table.num_rows
    position = {name: i for i, name in enumerate(header)}
    ids = table.column(0).combine_chunks().dictionary_encode()
    id_codes = np.frombuffer(ids.indices.buffers()[1], np.int32)[ids.indices.offset :][:n]
    keyed = np.empty((len(instrument.items), n), np.int8)
    missing = -128

    def decode(j: int) -> None:
        item = instrument.items[j]
        values = table.column(position[f"{instrument.id}_{item.id}"]).combine_chunks()
        _, offsets_buffer, data_buffer = values.buffers()
        offsets = np.frombuffer(offsets_buffer, np.int64)[values.offset :][: n + 1]
        first = np.take(np.frombuffer(data_buffer, np.uint8), offsets[:-1], mode="clip")
        first |= (np.diff(offsets) != 1).view(np.uint8) << 7
        codes = np.full(256, missing, np.int8)
        for option in instrument.response_scales[item.scale]:
            code = int(option.code)
            codes[ord(str(code))] = 6 - code if item.reverse else code
        keyed[j] = np.frombuffer(first.tobytes().translate(codes.view(np.uint8).tobytes()), np.int8)

    with ThreadPoolExecutor(2) as pool:
        list(pool.map(decode, range(len(instrument.items))))

    scales = instrument.scales
    rows = n * len(scales)
    score = np.empty(rows)
    answered = np.empty(rows, np.int16)
    short = np.empty(rows, np.int8)
    for s, scale in enumerate(scales):
        block = keyed[[instrument.item_ids.index(i) for i in scale.items]]
        given = block != missing
        count = given.sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.where(given, block, 0).sum(axis=0, dtype=float) / count
        too_few = count < scale.min_answered
        mean[too_few] = np.nan
        run = slice(s * n, (s + 1) * n)
        score[run], answered[run], short[run] = mean, count, too_few

    kinds = {np.dtype(np.int8): pa.int8(), np.dtype(np.int16): pa.int16(),
             np.dtype(np.int32): pa.int32(), np.dtype(float): pa.float64()}  # fmt: skip

    def numbers(values: np.ndarray, absent: np.ndarray | None = None) -> pa.Array:
        values = np.ascontiguousarray(values)
        bitmap = None
        if absent is not None and absent.any():
            bitmap = pa.py_buffer(np.packbits(~absent, bitorder="little"))
        buffers = [bitmap, pa.py_buffer(values)]
        return pa.Array.from_buffers(kinds[values.dtype], len(values), buffers)

    def texts(words: list[str]) -> pa.Array:
        encoded = [w.encode() for w in words]
        offsets = np.cumsum([0, *map(len, encoded)]).astype(np.int64)
        buffers = [None, pa.py_buffer(offsets), pa.py_buffer(b"".join(encoded))]
        return pa.Array.from_buffers(pa.large_string(), len(words), buffers)

    def coded(codes: np.ndarray, words: pa.Array) -> pa.Array:
        return pa.DictionaryArray.from_arrays(numbers(codes), words)

    wave = texts(["1"])
    scored = numbers(score, np.isnan(score))
    tidy = {
        "participant_id": coded(np.tile(id_codes, len(scales)), ids.dictionary),
        "wave": coded(np.zeros(rows, np.int8), wave),
        "instrument": coded(np.zeros(rows, np.int8), texts([instrument.id])),
        "scale": coded(np.repeat(np.arange(len(scales), dtype=np.int8), n),
                       texts([s.id for s in scales])),
        "score": scored,
        "n_answered": numbers(answered),
        "n_items": numbers(np.repeat([len(s.items) for s in scales], n).astype(np.int16)),
        "status": coded(short, texts(["ok", "insufficient_items"])),
        "band": pa.DictionaryArray.from_arrays(pa.nulls(rows, pa.int8()), pa.nulls(0)),
        "raw_score": scored,
        "score_se": pa.nulls(rows, pa.float64()),
    }  # fmt: skip
    items = {"participant_id": ids, "wave": coded(np.zeros(n, np.int8), wave)}
    for j, item in enumerate(instrument.items):
        items[f"{instrument.id}_{item.id}"] = numbers(keyed[j], keyed[j] == missing)

    def write(columns: dict[str, pa.Array], path: Path) -> None:
        table = pa.Table.from_arrays(list(columns.values()), names=list(columns))
        staged = path.with_name(f".{path.name}.floor")
        with open(os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as handle:
            handle.write((",".join(columns) + "\n").encode())
            for part in csv_body(table, ","):
                handle.write(part)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(staged, path)

    with ThreadPoolExecutor(1) as other_core:
        done = other_core.submit(write, items, out.with_name(f"{out.stem}.items{out.suffix}"))
        write(tidy, out)
        done.result()
    print(f"floor: scored {n} rows; pandas imported: {'pandas' in sys.modules}")


def floor_main(args: list[str], early: bool) -> None:
    """The floor as a console script: ``score`` of the real command line, its body replaced."""
    import functools
    import gc

    gc.disable()
    _hide_pandas()
    if early:
        # As the real command line sets them before numpy and Arrow load (cli/app.py, _common).
        for name, value in (("NUMPY_MADVISE_HUGEPAGE", "0"), ("MIMALLOC_ARENA_EAGER_COMMIT", "0"),
                            ("OPENBLAS_NUM_THREADS", "1")):  # fmt: skip
            os.environ.setdefault(name, value)
        import importlib

        importlib.import_module("stigma_outcomes.ingest.formats.text")
        from stigma_outcomes.ingest.formats._started import start_reading

        start_reading(_exports_named(args[1:]))
    from stigma_outcomes.cli import app as command_line
    from stigma_outcomes.cli import score_cmd

    floor = functools.wraps(score_cmd.score_command)(_floor_command)
    for command in command_line.app.registered_commands:
        if command.name == "score":
            command.callback = floor
    sys.argv = ["stigma-outcomes", *args]
    from stigma_outcomes.cli._entry import main

    main()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, required=True, help="bench_cli.py's --work folder")
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--early", action="store_true", help="start the parse before typer")
    parser.add_argument("--floor", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.floor is not None:
        floor_main(args.floor, args.early)
        return
    sys.path.insert(0, str(HERE.parent))
    from bench_cli import _cli, _make_score_inputs, alternate

    work = args.work.resolve()
    export, definition = work / "export200k.csv", work / "bench60.yaml"
    if not export.exists() or not definition.exists():
        _make_score_inputs(work)
    score = ["score", str(export), "-i", str(definition), "--out"]
    ours = [*_cli(), *score, str(work / "ours.csv")]
    floor = [sys.executable, str(HERE), "--work", str(work), *(["--early"] if args.early else [])]
    floor += ["--floor", *score, str(work / "floor.csv")]
    for command in (ours, floor):
        subprocess.run(command, check=True, cwd=work, stdout=subprocess.DEVNULL)
    for name in ("{}.csv", "{}.items.csv"):
        if not filecmp.cmp(work / name.format("ours"), work / name.format("floor"), shallow=False):
            sys.exit(f"the floor's {name.format('floor')} differs from the command's: not timed")
    print("outputs byte-identical; timing the floor (A) against the command (B)")
    print(alternate(floor, ours, args.runs, work))


if __name__ == "__main__":
    main()
