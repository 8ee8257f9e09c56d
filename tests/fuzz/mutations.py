"""Hypothesis strategies that mutate the sample exports, YAML files, scores and results.

Each strategy starts from a real file of the shipped sample (cut to a few dozen rows so a
case runs in a fraction of a second) and applies a handful of mutations a hostile or
careless world produces: cells replaced by formula payloads, huge or non-finite numbers,
personal values and markup; rows duplicated, dropped or made ragged; headers renamed;
bytes flipped or truncated; other encodings, delimiters and byte-order marks; zips that
are damaged; binary exports (SPSS, Stata, Excel, Parquet) with damaged bytes; YAML with
duplicate keys, aliases, wrong types and broken indentation.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import zipfile
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

HOSTILE_CELLS = [
    "=cmd|' /C calc'!A0", "+6m", "-inf", "+nan", "nan", "NaN", "1e309", "-1e309", "", " ",
    "\x00", "\x07", "\u202e", "\U0001f600", "jo.planted@example.org", "+44 20 7946 0958",
    r"$\frac{a$", "<script>x</script>", "'", '"', ",", ";", "\t", "\n", "\r\n", "9" * 40,
    "-0", "0x1F", "\uff11", "\u216b", "None", "NULL", "N/A", "true", "2025-13-45", "\ufeff",
    "_x0041_", "#set page(width: 1cm)", "*x*", "a" * 5000, "-1", "7", "3.5", "Often",
]  # fmt: skip

_rows_ops = st.sampled_from(
    ["cell", "cell", "cell", "drop_row", "dup_row", "ragged", "rename_header", "drop_column",
     "swap_columns", "empty_rows", "header_only", "shuffle"]
)  # fmt: skip
_byte_ops = st.sampled_from(["none", "none", "flip", "insert", "truncate", "nul"])
_encodings = st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"])
_delimiters = st.sampled_from([",", ",", ",", ";", "\t", "|"])


def _parse(text: str) -> list[list[str]]:
    return [row for row in csv.reader(io.StringIO(text, newline=""))]


def _write(rows: list[list[str]], delimiter: str) -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return out.getvalue()


@st.composite
def mutated_rows(draw: st.DrawFn, rows: list[list[str]], first_data: int) -> list[list[str]]:
    """Row-level mutations of a parsed CSV (``first_data``: index of the first data row)."""
    rows = [list(r) for r in rows]
    for op in draw(st.lists(_rows_ops, min_size=1, max_size=5)):
        if not rows:
            break
        i = draw(st.integers(0, len(rows) - 1))
        if op == "cell" and rows[i]:
            j = draw(st.integers(0, len(rows[i]) - 1))
            rows[i][j] = draw(st.one_of(st.sampled_from(HOSTILE_CELLS), st.text(max_size=12)))
        elif op == "drop_row":
            del rows[i]
        elif op == "dup_row":
            rows.insert(i, list(rows[i]))
        elif op == "ragged":
            rows[i] = rows[i][: draw(st.integers(0, len(rows[i])))] + draw(
                st.lists(st.sampled_from(HOSTILE_CELLS), max_size=3)
            )
        elif op == "rename_header" and rows[0]:
            j = draw(st.integers(0, len(rows[0]) - 1))
            rows[0][j] = draw(st.sampled_from(["", "pcode", "Q10_1", "site", rows[0][j] + " "]))
        elif op == "drop_column" and rows[0]:
            j = draw(st.integers(0, len(rows[0]) - 1))
            rows = [r[:j] + r[j + 1 :] for r in rows]
        elif op == "swap_columns" and len(rows[0]) > 1:
            a, b = draw(st.integers(0, len(rows[0]) - 1)), draw(st.integers(0, len(rows[0]) - 1))
            for r in rows:
                if len(r) > max(a, b):
                    r[a], r[b] = r[b], r[a]
        elif op == "empty_rows":
            rows[first_data:first_data] = [[] for _ in range(draw(st.integers(1, 3)))]
        elif op == "header_only":
            rows = rows[:first_data]
        elif op == "shuffle":
            body = rows[first_data:]
            order = draw(st.permutations(range(len(body)))) if len(body) < 60 else range(len(body))
            rows = rows[:first_data] + [body[k] for k in order]
    return rows


@st.composite
def mutated_bytes(draw: st.DrawFn, data: bytes) -> bytes:
    """Byte-level damage: flipped, inserted or NUL bytes, or a truncated file."""
    buf = bytearray(data)
    op = draw(_byte_ops)
    if not buf or op == "none":
        return bytes(buf)
    i = draw(st.integers(0, len(buf) - 1))
    if op == "flip":
        buf[i] ^= draw(st.integers(1, 255))
    elif op == "insert":
        buf[i:i] = draw(st.binary(min_size=1, max_size=8))
    elif op == "truncate":
        del buf[i:]
    elif op == "nul":
        buf[i:i] = b"\x00" * draw(st.integers(1, 4))
    return bytes(buf)


@st.composite
def damaged_binary(draw: st.DrawFn, files: list[Path]) -> tuple[str, bytes]:
    """A binary export (SPSS, Stata, Excel, Parquet) with one to four byte-level damages."""
    path = draw(st.sampled_from(files))
    data = path.read_bytes()
    for _ in range(draw(st.integers(1, 4))):
        data = draw(mutated_bytes(data))
    return path.name, data


@st.composite
def mutated_export(draw: st.DrawFn, text: str, first_data: int) -> tuple[str, bytes]:
    """A mutated CSV export: (file name, bytes) — maybe another encoding, delimiter or a zip."""
    rows = draw(mutated_rows(_parse(text), first_data))
    delimiter = draw(_delimiters)
    body = _write(rows, delimiter)
    encoding = draw(_encodings)
    data = body.encode(encoding, errors="replace")
    data = draw(mutated_bytes(data))
    name = "export.tsv" if delimiter == "\t" and draw(st.booleans()) else "export.csv"
    if draw(st.integers(0, 9)) == 0:
        sink = io.BytesIO()
        with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr(name, data)
        return "export.zip", draw(mutated_bytes(sink.getvalue()))
    return name, data


YAML_SNIPPETS = [
    "instruments: {ucla3: {pattern: 'Q10_{item}'}}\n",
    "id_col: pcode\nid_col: site\n",
    "a: &a [x, x, x, x]\nb: &b [*a, *a, *a, *a]\nc: [*b, *b, *b, *b]\n",
    "instruments:\n  ucla3:\n    recode: {0: 1, 1: 2, 2: 3}\n",
    "instruments:\n  ucla3:\n    columns: {'1': Q10_1, '2': Q10_1}\n",
    "- just\n- a list\n", "{{{{", "key: [unclosed\n", "\t- tab indent\n",
    "!!python/object:os.system ls\n", "instruments: null\n",
    "instruments: {nope: {pattern: 'X_{item}'}}\n", "instruments: {ucla3: {pattern: 'Q10_'}}\n",
    "instruments: {ucla3: {pattern: '{item}{item}'}}\n",
]  # fmt: skip


@st.composite
def mutated_yaml(draw: st.DrawFn, text: str) -> bytes:
    """A mutated YAML file: lines dropped, duplicated or re-indented, snippets spliced in."""
    lines = text.splitlines()
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["drop", "dup", "indent", "splice", "value", "replace"]))
        i = draw(st.integers(0, max(len(lines) - 1, 0))) if lines else 0
        if op == "drop" and lines:
            del lines[i]
        elif op == "dup" and lines:
            lines.insert(i, lines[i])
        elif op == "indent" and lines:
            lines[i] = draw(st.sampled_from(["  ", "\t", " "])) + lines[i]
        elif op == "splice":
            lines[i:i] = draw(st.sampled_from(YAML_SNIPPETS)).splitlines()
        elif op == "value" and lines and ":" in lines[i]:
            key = lines[i].split(":", 1)[0]
            value = draw(st.sampled_from([*HOSTILE_CELLS[:12], "[1, 2]", "{a: 1}", "*x", "&x y"]))
            lines[i] = f"{key}: {json.dumps(value)}"
        elif op == "replace":
            lines = draw(st.sampled_from(YAML_SNIPPETS)).splitlines()
    data = ("\n".join(lines) + "\n").encode(draw(_encodings), errors="replace")
    return draw(mutated_bytes(data))


JSON_VALUES = [None, float("nan"), float("inf"), -1, 0, 10**30, "x", "", [], {}, True, 1.5,
               "<b>", "$x$", [1, "a"], {"a": None}]  # fmt: skip


@st.composite
def mutated_json(draw: st.DrawFn, data: Any) -> bytes:
    """A results file with values replaced, keys dropped, sections emptied or the text cut."""

    def paths(node: Any, prefix: tuple = ()) -> list[tuple]:
        found = [prefix]
        if isinstance(node, dict):
            for k, v in list(node.items())[:40]:
                found += paths(v, (*prefix, k))
        elif isinstance(node, list):
            for k, v in enumerate(node[:6]):
                found += paths(v, (*prefix, k))
        return found

    doc = json.loads(json.dumps(data))
    for _ in range(draw(st.integers(1, 6))):
        candidates = paths(doc)[1:]
        if not candidates:
            break
        path = draw(st.sampled_from(candidates))
        parent = doc
        for key in path[:-1]:
            parent = parent[key]
        if draw(st.booleans()) and isinstance(parent, dict):
            parent.pop(path[-1], None)
        else:
            # A copy: a shared list could otherwise end up inside itself.
            parent[path[-1]] = copy.deepcopy(draw(st.sampled_from(JSON_VALUES)))
    text = json.dumps(doc, allow_nan=True)
    return draw(mutated_bytes(text.encode("utf-8")))
