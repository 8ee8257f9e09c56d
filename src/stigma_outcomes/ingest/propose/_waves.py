"""Blocks of one instrument that differ only by a wave: a file holding waves side by side.

A long file's wave column is read here too: which of its values is the baseline, which the
post, and which are later waves (:func:`compared_waves`).

Research files often hold each participant's waves in one row (``Pre_L_1 … Post_L_3``,
``BDI1.1 … BDI4.21``). The proposer finds one block per wave, which fit the instrument
equally well; rather than leave the user to choose one, it says what the blocks look like
and how such a file is scored (named once per wave, each wave's columns in a mapping section
of its own).
"""

from __future__ import annotations

import re
from typing import NamedTuple

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


_NUMBERED = re.compile(r"(?:t|time|wave|w|visit|v)?[ _-]?(\d+)")
"""A time point named by its number: ``1``, ``T2``, ``time_3``, ``Wave 4``."""


def _stage(value: str) -> str | None:
    """Where a wave column's value says it lies: ``pre``, ``post``, ``followup`` or ``None``
    (``baseline_arm_1`` → ``pre``; ``mid`` names no place)."""
    folded = value.strip().casefold()
    if folded in WAVE_WORDS:
        return WAVE_WORDS[folded]
    return next((WAVE_WORDS[w] for w in re.split(r"[^a-z0-9]+", folded) if w in WAVE_WORDS), None)


class WaveOrder(NamedTuple):
    """Waves as a comparison: ``compared`` is ``[baseline, post, *later waves]``;
    ``left_out`` are waves not compared (one between the baseline and the post that says
    no place in time: the report's later waves come after the post); ``question`` is what
    to ask the user about that choice (``None`` when every wave said its place)."""

    compared: list[str]
    left_out: list[str]
    question: str | None


def compared_waves(values: list[str], what: str = "the wave column's values") -> WaveOrder:
    """Waves (in order of first appearance) placed as a comparison (:class:`WaveOrder`).

    Numbered time points are taken in their order. Otherwise the value that says baseline
    is the baseline and the one that says post the post; the ones that say follow-up are
    later waves, each compared with the baseline. A wave that says no place is a later wave
    when it first appears after the post, and is left out of the comparison when it appears
    before it (a mid-programme survey); so is a second baseline or post. Where the values
    do not say, the order of first appearance decides. Every such choice is asked about.

    Examples
    --------
    >>> compared_waves(["T2", "T1", "T3"])
    WaveOrder(compared=['T1', 'T2', 'T3'], left_out=[], question=None)
    >>> compared_waves(["baseline_arm_1", "post_arm_1", "followup_arm_1"]).question is None
    True
    >>> compared_waves(["Baseline", "Week 6", "End"])[:2]
    (['Baseline', 'End'], ['Week 6'])
    >>> compared_waves(["pre", "post", "6 months"])[:2]
    (['pre', 'post', '6 months'], [])
    >>> compared_waves(["baseline", "pre", "post"]).question.split(":")[0]
    "the wave column's values do not place every wave ('pre')"
    """
    numbers = [_NUMBERED.fullmatch(v.strip().casefold()) for v in values]
    if all(numbers) and len({int(m.group(1)) for m in numbers if m}) == len(values):
        order = sorted(range(len(values)), key=lambda i: int(numbers[i].group(1)))  # type: ignore[union-attr]
        return WaveOrder([values[i] for i in order], [], None)
    stages = [_stage(v) for v in values]
    rest = list(range(len(values)))

    def first(wanted: set[str | None]) -> int | None:
        return next((i for i in rest if stages[i] in wanted), None)

    pre = first({"pre"})
    pre = rest[0] if pre is None else pre
    rest.remove(pre)
    post = first({"post"})
    post = first({None}) if post is None else post
    post = rest[0] if post is None else post
    rest.remove(post)
    later = [i for i in rest if stages[i] == "followup" or (stages[i] is None and i > post)]
    left_out = [i for i in rest if i not in later]
    # Unsaid: a wave that names no place, or one that says baseline or post a second time.
    unsaid = [i for i in (pre, post) if stages[i] is None]
    unsaid += [i for i in rest if stages[i] != "followup"]
    order = WaveOrder(
        [values[pre], values[post], *(values[i] for i in later)],
        [values[i] for i in left_out],
        None,
    )
    if stages[pre] == "pre" and stages[post] == "post" and not unsaid:
        return order

    def listed(at: list[int]) -> str:
        return ", ".join(f"'{values[i]}'" for i in at)

    question = (
        f"{what} do not place every wave ({listed(unsaid)}): '{values[pre]}' is taken as the "
        f"baseline and '{values[post]}' as the post"
    )
    if later:
        question += f", {listed(later)} as later wave(s), each compared with the baseline"
    if left_out:
        question += (
            f"; {listed(left_out)} not compared (later waves come after the post; add it "
            "under waves: followup to compare it with the baseline)"
        )
    return order._replace(
        question=question + "; correct waves: in the evaluation file if that is not the design"
    )


_ARM_EVENT = re.compile(r"(.+)_arm_(\d+)|(.+) \(Arm (\d+): .*\)")
"""A REDCap event's unique name, the event's name then its arm (``week_8_arm_1``), or its
label in a labels export (``Week 8 (Arm 1: Main)``)."""


class EventNames(NamedTuple):
    """REDCap events as waves: ``renames`` (event → a plain wave name, drafted as
    ``waves: rename``), ``occasions`` (repeat instances, ``…#2``, never compared), and the
    ``questions`` those choices raise."""

    renames: dict[str, str]
    occasions: list[str]
    questions: list[str]


def _plain(name: str) -> str:
    """An event's name as a report reads it: ``week_8`` → ``week 8``, and any spelling of
    follow-up (``followup``, ``fu``) → ``follow-up``."""
    words = name.replace("_", " ")
    return "follow-up" if WAVE_WORDS.get(words.casefold()) == "followup" else words


def event_names(values: list[str]) -> EventNames:
    """Plain wave names for REDCap events of one arm (``week_8_arm_1`` → ``week 8``), so the
    report reads as the programme does; events of several arms keep their names (the arms
    hold different participants: the drafted waves come from the first arm's events, and
    the question says so). Repeat occasions are set apart.

    Examples
    --------
    >>> event_names(["Baseline (Arm 1: Main)", "Week 8 (Arm 1: Main)"]).renames
    {'Baseline (Arm 1: Main)': 'Baseline', 'Week 8 (Arm 1: Main)': 'Week 8'}
    >>> event_names(["baseline_arm_1", "week_8_arm_1", "baseline_arm_1#2"])
    EventNames(renames={'baseline_arm_1': 'baseline', 'week_8_arm_1': 'week 8'}, \
occasions=['baseline_arm_1#2'], questions=['1 repeat occasion(s) (baseline_arm_1#2) not \
compared: each repeat of a form or event is a wave of its own'])
    """
    occasions = [v for v in values if "#" in v or "/" in v]
    found = {v: _ARM_EVENT.fullmatch(v) for v in values if v not in occasions}
    # (name, arm) of each event, from its unique name or its label
    events = {
        v: (m.group(1) or m.group(3), int(m.group(2) or m.group(4))) if m else None
        for v, m in found.items()
    }
    arms = sorted({e[1] for e in events.values() if e})
    questions = []
    if occasions:
        shown = ", ".join(occasions[:3]) + (" …" if len(occasions) > 3 else "")
        questions.append(
            f"{len(occasions)} repeat occasion(s) ({shown}) not compared: each repeat of a "
            "form or event is a wave of its own"
        )
    renames: dict[str, str] = {}
    if len(arms) == 1 and all(events.values()):
        plain = {v: _plain(e[0]) for v, e in events.items() if e}
        if len(set(plain.values())) == len(plain):
            renames = plain
    elif len(arms) > 1:
        others = [v for v, e in events.items() if e is None or e[1] != arms[0]]
        occasions += others
        questions.append(
            f"events of {len(arms)} arms (arm {', arm '.join(map(str, arms))}): arms hold "
            f"different participants, so the waves drafted compare arm {arms[0]}'s events "
            "only; to compare the arms, export an arm column and group by it"
        )
    return EventNames(renames, occasions, questions)
