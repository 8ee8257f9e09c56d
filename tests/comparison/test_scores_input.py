"""The fingerprint of a scores DataFrame (comparison/_scores_input.py)."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd

from stigma_outcomes.comparison._scores_input import _FRAME_FORMAT, frame_sha256


def _scores(n: int = 40, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "participant_id": pd.Categorical([f"p{i % 17}" for i in range(n)]),
            "wave": pd.Categorical(rng.choice(["pre", "post"], n)),
            "score": np.where(rng.random(n) < 0.1, np.nan, rng.normal(10, 3, n)),
            "n_items": rng.integers(0, 9, n).astype(np.int16),
            "note": pd.Series(rng.choice(["a", "bé", None], n), dtype="str"),
        }
    )


def test_the_layout_is_the_documented_byte_stream():
    frame = pd.DataFrame({"x": [1.5, np.nan], "k": pd.Categorical(["b", "a"]), "t": ["é", None]})
    pieces = [
        (2).to_bytes(8, "little"),
        b"x", b"float", np.packbits([False, True]).tobytes(),
        np.array([1.5, 0.0], "<f8").tobytes(),
        b"k", b"category", np.packbits([False, False]).tobytes(),
        np.array([0, 1, 2], "<i8").tobytes(), b"ab", np.array([1, 0], "<i1").tobytes(),
        b"t", b"text", np.packbits([False, True]).tobytes(),
        np.array([0, 2, 2], "<i8").tobytes(), "é".encode(),
    ]  # fmt: skip
    digest = hashlib.sha256(_FRAME_FORMAT)
    for piece in pieces:
        digest.update(len(piece).to_bytes(8, "little") + piece)
    assert frame_sha256(frame) == digest.hexdigest()


def test_same_content_same_fingerprint_whatever_the_memory_layout():
    frame = _scores()
    base = frame_sha256(frame)
    assert frame_sha256(frame.copy()) == base
    # chunked differently, other category order, a view of a larger frame
    assert frame_sha256(pd.concat([frame.iloc[:7], frame.iloc[7:]], ignore_index=True)) == base
    reordered = frame.copy()
    cats = reordered["participant_id"].cat.categories
    reordered["participant_id"] = reordered["participant_id"].cat.reorder_categories(cats[::-1])
    assert frame_sha256(reordered) == base
    bigger = pd.concat([frame, frame], ignore_index=True)
    assert frame_sha256(bigger.iloc[: len(frame)]) == base


def test_any_change_of_a_value_name_or_type_changes_it():
    frame = _scores()
    base = frame_sha256(frame)
    changed = []
    one = frame.copy()
    one.loc[3, "score"] = (
        float(frame.loc[3, "score"]) + 1e-9 if pd.notna(frame.loc[3, "score"]) else 1.0
    )
    changed.append(one)
    changed.append(frame.rename(columns={"score": "Score"}))
    changed.append(frame.assign(n_items=frame["n_items"].astype(float)))
    changed.append(frame.iloc[::-1].reset_index(drop=True))
    changed.append(frame.iloc[:-1])
    missing = frame.copy()
    missing.loc[0, "note"] = None if missing.loc[0, "note"] is not None else "a"
    changed.append(missing)
    prefix = pd.DataFrame({"a": ["x", "y"]})
    changed.append(pd.DataFrame({"a": ["xy", ""]}))  # same bytes, other boundaries
    assert len({base, *map(frame_sha256, changed)}) == len(changed) + 1
    assert frame_sha256(prefix) != frame_sha256(changed[-1])


def test_mixed_objects_fall_back_to_row_hashes():
    mixed = pd.DataFrame({"a": [1, "x", None]})
    assert len(frame_sha256(mixed)) == 64
    assert frame_sha256(mixed) != frame_sha256(pd.DataFrame({"a": [2, "x", None]}))


def test_numeric_columns_hashed_in_blocks_give_the_whole_column_bytes(monkeypatch):
    """Blocks smaller than the column (their edges anywhere) give the documented stream."""
    from stigma_outcomes.comparison import _scores_input

    rng = np.random.default_rng(4)
    for size in (1, 3, 7, 64):
        monkeypatch.setattr(_scores_input._Blocks, "SIZE", size)
        n = int(rng.integers(0, 50))
        columns = {
            "f": np.where(rng.random(n) < 0.3, np.nan, rng.normal(size=n)),
            "f32": rng.normal(size=n).astype(np.float32),
            "i16": rng.integers(-5, 9, n).astype(np.int16),
            "b": rng.random(n) < 0.5,
            "u8": rng.integers(0, 255, n).astype(np.uint8),
        }
        frame = pd.DataFrame(columns)
        digest = hashlib.sha256(_FRAME_FORMAT)
        digest.update((8).to_bytes(8, "little") + n.to_bytes(8, "little"))
        for name, values in columns.items():
            missing = np.isnan(values) if values.dtype.kind == "f" else np.zeros(n, bool)
            kind = "<f8" if values.dtype.kind == "f" else "<i8"
            whole = np.where(missing, 0, values.astype(kind)).astype(kind).tobytes()
            tag = b"float" if kind == "<f8" else b"integer"
            for piece in (name.encode(), tag, np.packbits(missing).tobytes(), whole):
                digest.update(len(piece).to_bytes(8, "little") + piece)
        assert frame_sha256(frame) == digest.hexdigest()
