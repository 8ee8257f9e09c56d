"""Participant flow: who answered which survey, who came back, who was analysed.

Counted from the tidy scores (participant codes are only counted, never shown), registered
with the disclosure check so that every flow number obeys the same suppression as the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from ..comparison._codes import as_text_is
from ._score_keys import ScoreKeys
from .content import (
    Chart,
    record_key,
)
from .privacy import Disclosure


def flow_steps(
    scores: pd.DataFrame | None,
    from_wave: str | None,
    to_wave: str | None,
    d: Disclosure,
    followups: list[str] | tuple[str, ...] = (),
    keys: ScoreKeys | None = None,
) -> list[tuple[str, str, str | None, str | None]]:
    """Steps (key, label, loss key, loss label) of the participant flow, counts registered.

    Each follow-up wave adds a step: of the people who answered the first survey, how many
    answered that follow-up survey (and how many did not). ``keys``: the scores' codes,
    shared with the rest of the report (made here when not given).
    """
    if scores is None or scores.empty or from_wave is None or to_wave is None:
        return []
    keys = keys if keys is not None else ScoreKeys(scores)
    counts, seen_pre, seen = _flow_counts(keys, from_wave, to_wave)
    for key, value in counts.items():
        d.count(key, value)
    d.relation("flow|pre", ["flow|both", "flow|no_post"])
    d.relation("flow|both", ["flow|analysed", "flow|unscorable"])
    # Everyone with a row at a later wave, printed nowhere: those who also answered the
    # first survey are among them (equal when nobody joined late), and so is everyone the
    # per-scale counts of that wave count (see tie_to_flow).
    d.count(at_wave_key(to_wave), int(seen(to_wave).sum()), published=False)
    d.within(at_wave_key(to_wave), "flow|both")
    later = []
    for fu in followups:
        at_fu = seen(str(fu))
        back = int((seen_pre & at_fu).sum())
        d.count(f"flow|fu|{fu}", back)
        d.count(f"flow|no_fu|{fu}", counts["flow|pre"] - back)
        d.relation("flow|pre", [f"flow|fu|{fu}", f"flow|no_fu|{fu}"])
        d.count(at_wave_key(str(fu)), int(at_fu.sum()), published=False)
        d.within(at_wave_key(str(fu)), f"flow|fu|{fu}")
        later.append(
            (
                f"flow|fu|{fu}",
                f"Answered the {fu} survey (of those who answered the {from_wave} survey)",
                f"flow|no_fu|{fu}",
                f"did not answer the {fu} survey",
            )
        )
    return [
        (
            "flow|pre",
            f"Took part: answered the {from_wave} survey",
            "flow|no_post",
            f"did not answer the {to_wave} survey",
        ),
        (
            "flow|both",
            f"Answered both the {from_wave} and {to_wave} surveys",
            "flow|unscorable",
            "answered too few questions to be scored on any outcome",
        ),
        ("flow|analysed", "Analysed (a score at both waves on at least one outcome)", None, None),
        *later,
    ]


def at_wave_key(wave: str) -> str:
    """The key of everyone with a row at ``wave`` (a later wave; the first is ``flow|pre``)."""
    return f"flow|at|{wave}"


def tie_to_flow(
    data: dict[str, Any],
    d: Disclosure,
    from_wave: str | None,
    to_wave: str | None,
    followups: list[str] | tuple[str, ...] = (),
) -> None:
    """Declare the per-scale counts of people to be within the flow's counts.

    The flow counts people by the surveys they answered; the change tables, the attrition
    table, the internal-consistency table and the mixed-model chart count, per scale, the
    people with a score. Those are among the flow's people: the pairs from the first survey
    to a later one and the people scored at both are among those who answered both; the
    people with a starting score are among those who answered the first survey; those
    scored at a wave are among those who answered it. A reader who sees 40 took part and
    37 pairs can take 40 − 37 as the number who did not answer the later survey, and is
    right whenever the two are the same people. So each such count is declared to be
    within its flow count (:meth:`Disclosure.within`): the audit then knows the part is at
    most the whole, and hides further counts until no small one can be narrowed that way.
    Linked design; the whole sample, and each group's pairs within its row of the flow
    table by group.
    """
    if from_wave is None or to_wave is None or "flow|pre" not in d.values:
        return
    # Who answered the first survey and a later wave, and everyone who answered that wave.
    both = {str(to_wave): "flow|both"} | {str(fu): f"flow|fu|{fu}" for fu in followups}
    at = {str(from_wave): "flow|pre"} | {w: at_wave_key(w) for w in both}

    def within(whole: str | None, part: str) -> None:
        if whole is not None and whole in d.values and part in d.values:
            d.within(whole, part)

    for rec in data.get("paired") or []:
        if str(rec.get("from_wave")) != str(from_wave):
            continue
        to = str(rec.get("to_wave"))
        pairs = f"{record_key('paired', rec)}|n_pairs"
        group = rec.get("group")
        if group is None:
            within(both.get(to), pairs)
            if to == str(to_wave):
                within("flow|analysed", pairs)
        elif to == str(to_wave):
            within(f"flowg|{group}|both", pairs)
    for rec in data.get("attrition") or []:
        if rec.get("group") is not None or str(rec.get("from_wave", from_wave)) != str(from_wave):
            continue
        key = record_key("attrition", rec)
        later = str(rec.get("wave"))
        within("flow|pre", f"{key}|n_baseline")
        within(both.get(later), f"{key}|n_completers")
        if later == str(to_wave):
            within("flow|analysed", f"{key}|n_completers")
        # The pairs of the same scale and waves are the completers themselves (people with
        # a score at both), which a reader may take as known. (The key names no group, as
        # this record has none: only the whole sample's pairs match.)
        pair = record_key("paired", {**rec, "from_wave": from_wave, "to_wave": later})
        if f"{pair}|n_pairs" in d.values:
            d.relation(f"{key}|n_completers", [f"{pair}|n_pairs"])
    for rec in data.get("reliability") or []:
        if rec.get("group") is None:
            within(at.get(str(rec.get("wave"))), f"{record_key('reliability', rec)}|n")
    for m in data.get("mixed_models") or []:
        cells = [c for c in m.get("wave_means") or [] if c.get("group") is None]
        if cells:
            # The legend's "up to n per wave" is the n of its largest wave.
            top = max(cells, key=lambda c: int(c.get("n") or 0))
            most = f"mixed|{m.get('instrument')}|{m.get('scale')}|Everyone|n_most"
            within(at.get(str(top.get("wave"))), most)


_DENSE_CELLS = 200_000_000
"""Largest people × outcomes grid marked in a dense array; beyond it, sorted unique keys."""


def _flow_counts(
    keys: ScoreKeys, from_wave: str, to_wave: str
) -> tuple[dict[str, int], np.ndarray, Callable[[str], np.ndarray]]:
    """The flow's counts, from presence marks per person (no sort or hash of score rows).

    A person is one participant code (a missing code counts as one person, as before); the
    returned ``seen(wave)`` marks who has any row at that wave.
    """
    pid, people = keys.person, keys.people  # missing → 0
    wave_code, wave_labels = keys.wave_codes

    def code_of(labels: list[str], text: str) -> int:
        return labels.index(text) if text in labels else -2  # −2: no row has it

    def seen(wave: str) -> np.ndarray:
        marks = np.zeros(people, dtype=bool)
        marks[pid[wave_code == code_of(wave_labels, wave)]] = True
        return marks

    pre, post = seen(from_wave), seen(to_wave)
    both = pre & post
    # Analysed: an ok score at both waves on one outcome (instrument × scale) at least.
    ok = keys.text_is("status", "ok")
    inst_code, n_instruments = keys.codes("instrument")
    scale_code, n_scales = keys.codes("scale")
    if inst_code.min(initial=0) < 0 or scale_code.min(initial=0) < 0:
        # A missing code makes negative cells, which the keys below wrap as they always did.
        cells = int((inst_code.astype(np.int64) * (n_scales + 1) + scale_code).max()) + 2
    else:
        cells = n_instruments * (n_scales + 1) + 1  # any bound above every cell will do
    wide = np.int32 if people * cells < 2**31 else np.int64

    def cell_keys(rows: np.ndarray) -> np.ndarray:
        key = np.multiply(pid[rows], cells, dtype=wide)
        key += np.multiply(inst_code[rows], n_scales + 1, dtype=wide)
        key += scale_code[rows]
        key += 1
        return key

    keys_at = [
        cell_keys(np.flatnonzero(ok & (wave_code == code_of(wave_labels, w))))
        for w in (from_wave, to_wave)
    ]
    analysed = np.zeros(people, dtype=bool)
    if people * cells <= _DENSE_CELLS:
        marks = [np.zeros(people * cells, dtype=bool) for _ in keys_at]
        for mark, key in zip(marks, keys_at, strict=True):
            mark[key] = True
        np.logical_and(marks[0], marks[1], out=marks[0])
        analysed = marks[0].reshape(people, cells).any(axis=1)
    else:
        both_cells = np.intersect1d(
            np.unique(keys_at[0]), np.unique(keys_at[1]), assume_unique=True
        )
        analysed[both_cells // cells] = True
    n_pre, n_both, n_analysed = int(pre.sum()), int(both.sum()), int((analysed & both).sum())
    counts = {
        "flow|pre": n_pre,
        "flow|both": n_both,
        "flow|no_post": n_pre - n_both,
        "flow|analysed": n_analysed,
        "flow|unscorable": n_both - n_analysed,
    }
    return counts, pre, seen


def followup_waves(flow: list[tuple[str, str, str | None, str | None]]) -> list[str]:
    """The follow-up waves the flow counted, in order."""
    return [key.removeprefix("flow|fu|") for key, *_ in flow if key.startswith("flow|fu|")]


def flow_steps_unlinked(
    scores: pd.DataFrame | None, from_wave: str | None, to_wave: str | None, d: Disclosure
) -> list[tuple[str, str, str | None, str | None]]:
    """Responses per wave for anonymous surveys: nobody can be followed from one to the next."""
    if scores is None or scores.empty or from_wave is None or to_wave is None:
        return []
    pid = pd.factorize(scores["participant_id"])[0]
    d.count("flow|pre", len(np.unique(pid[as_text_is(scores["wave"], from_wave)])))
    d.count("flow|post", len(np.unique(pid[as_text_is(scores["wave"], to_wave)])))
    return [
        ("flow|pre", f"Answered the {from_wave} survey", None, None),
        (
            "flow|post",
            f"Answered the {to_wave} survey (not linked to the {from_wave} answers)",
            None,
            None,
        ),
    ]


def flow_sentence(
    flow: list[tuple[str, str, str | None, str | None]],
    d: Disclosure,
    waves: tuple[str, str] | None = None,
) -> str:
    """The participant flow in one plain sentence for the summary page.

    Examples
    --------
    >>> d = Disclosure()
    >>> for k, v in {"flow|pre": 240, "flow|both": 178, "flow|no_post": 62,
    ...              "flow|analysed": 178, "flow|unscorable": 0}.items():
    ...     d.count(k, v)
    >>> flow_sentence([("flow|pre", "", None, None)], d, ("pre", "post"))[:60]
    '240 people answered the pre survey; 178 of them also answere'
    """
    keys = {step[0] for step in flow}
    if (
        waves
        and {"flow|pre", "flow|both", "flow|no_post"} <= set(d.values)
        and ("flow|pre" in keys)
    ):
        fw, tw = waves
        text = (
            f"{d.mark('flow|pre')} people answered the {fw} survey; {d.mark('flow|both')} of "
            f"them also answered the {tw} survey ({d.mark('flow|no_post')} did not)"
        )
        if "flow|analysed" in d.values and is_none_lost(d, "flow|unscorable"):
            text += f", and all {d.mark('flow|analysed')} were analysed"
        elif "flow|analysed" in d.values:
            text += (
                f", and {d.mark('flow|analysed')} were analysed "
                f"({d.mark('flow|unscorable')} answered too few questions to be scored)"
            )
        for fu in followup_waves(flow):
            text += (
                f". {d.mark(f'flow|fu|{fu}')} of the {d.mark('flow|pre')} answered the {fu} survey"
            )
        return text + "."
    if waves and {"flow|pre", "flow|post"} <= set(d.values):
        fw, tw = waves
        return (
            f"{d.mark('flow|pre')} people answered the {fw} survey and {d.mark('flow|post')} "
            f"the {tw} survey; the answers could not be linked person to person."
        )
    parts = []
    for key, label, loss_key, loss_label in flow:
        part = f"{label}: {d.mark(key)}"
        if loss_key:
            part += f" ({d.mark(loss_key)} {loss_label})"
        parts.append(part)
    return "; ".join(parts) + "."


def is_none_lost(d: Disclosure, loss_key: str | None) -> bool:
    """True when a step lost nobody (a shown zero), so the loss need not be spelled out.

    Examples
    --------
    >>> d = Disclosure()
    >>> d.count("flow|unscorable", 0); d.count("flow|no_post", 3)
    >>> is_none_lost(d, "flow|unscorable"), is_none_lost(d, "flow|no_post")
    (True, False)
    """
    return loss_key is not None and d.values.get(loss_key) == 0 and d.shown(loss_key)


def flow_chart(flow: list[tuple[str, str, str | None, str | None]], d: Disclosure) -> Chart:
    # A step that lost nobody gets no side arrow: "0 did not ..." only adds clutter.
    steps = [
        {
            "label": label,
            "n": d.mark(key),
            "loss": (
                f"{d.mark(loss_key)} {loss_label}"
                if loss_key and not is_none_lost(d, loss_key)
                else None
            ),
        }
        for key, label, loss_key, loss_label in flow
    ]
    alt = "Participant flow diagram. " + " Then ".join(
        f"{s['label']}: {s['n']}" + (f", with {s['loss']}" if s["loss"] else "") + "."
        for s in steps
    )
    return Chart(
        "flow",
        "flow",
        "How many people took part at each step, and why some were not analysed.",
        alt,
        {"steps": steps},
    )
