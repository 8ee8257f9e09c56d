"""Blocks of one instrument that differ only by a wave: a file holding waves side by side.

Research files often hold each participant's waves in one row (``Pre_L_1 … Post_L_3``,
``BDI1.1 … BDI4.21``). The proposer finds one block per wave, which fit the instrument
equally well; rather than leave the user to choose one, it says what the blocks look like
and how such a file is scored (named once per wave, each wave's columns in a mapping section
of its own).
"""

from __future__ import annotations

import re

from ..conventions import WAVE_WORDS

_PARTS = re.compile(r"[a-z]+|\d+")
_QUESTION_MARKERS = frozenset({"q", "qid", "question", "item", "items", "v", "var"})
"""Parts before a number that make it a question's number, not a time point's (Q1_, Q2_)."""


def side_by_side_waves(patterns: list[str]) -> list[str] | None:
    """The wave of each block, when the blocks' column patterns differ in one part and that
    part names waves (``pre``, ``post``, ``baseline``, ``followup`` ...) or counts time points
    up from 0 or 1 (``T1``, ``T2``; ``BDI1.``, ``BDI2.``); else ``None``.

    Examples
    --------
    >>> side_by_side_waves(["Pre_L_{item}", "Post_L_{item}"])
    ['pre', 'post']
    >>> side_by_side_waves(["BDI1.{item}", "BDI2.{item}", "BDI3.{item}", "BDI4.{item}"])
    ['1', '2', '3', '4']
    >>> side_by_side_waves(["Q1_{item}", "Q2_{item}"]), side_by_side_waves(["Q5_{item}", "x{item}"])
    (None, None)
    """
    if len(patterns) < 2:
        return None
    parts = [_PARTS.findall(p.replace("{item}", " ").lower()) for p in patterns]
    if len({len(p) for p in parts}) != 1:
        return None
    differ = [i for i in range(len(parts[0])) if len({p[i] for p in parts}) > 1]
    if len(differ) != 1:
        return None
    at = differ[0]
    labels = [p[at] for p in parts]
    if len(set(labels)) != len(labels):
        return None
    if all(label in WAVE_WORDS for label in labels):
        return labels
    numbers = sorted(int(label) for label in labels if label.isdigit())
    before = parts[0][at - 1] if at else ""
    counted = numbers == list(range(numbers[0], numbers[0] + len(numbers))) if numbers else False
    if len(numbers) == len(labels) and counted and numbers[0] in (0, 1):
        return None if before in _QUESTION_MARKERS else labels
    return None


def in_time_order(waves: list[str]) -> list[int]:
    """Positions of ``waves`` (as :func:`side_by_side_waves` names them) in time order:
    pre-like words, post-like, then follow-ups; time points by their number.

    Examples
    --------
    >>> in_time_order(["post", "pre"]), in_time_order(["3", "1", "2"])
    ([1, 0], [1, 2, 0])
    """
    stages = {"pre": 0, "post": 1, "followup": 2}

    def when(at: int) -> tuple[int, int]:
        wave = waves[at]
        return (int(wave), at) if wave.isdigit() else (stages[WAVE_WORDS[wave]], at)

    return sorted(range(len(waves)), key=when)


def hint(waves: list[str] | None) -> str:
    """What to say of blocks that differ by these waves (:func:`side_by_side_waves`; empty
    for ``None``)."""
    if waves is None:
        return ""
    return (
        f"; the blocks differ by a wave ({', '.join(waves)}): if the file holds these waves "
        "side by side, name it once per wave, each wave's columns in a mapping section of "
        "its own (README, 'Exports as they come')"
    )
