"""Participant flow by group: who answered the first survey and who came back, per group.

A group too small to show is never named (its label may point at its few people); its counts
obey the same disclosure audit as the whole flow, to whose counts they add up.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._score_keys import ScoreKeys
from .content import Table
from .formatting import percent
from .privacy import Disclosure

NO_GROUP = "(no group recorded)"


def register_group_flow(
    scores: pd.DataFrame | None,
    group_col: str | None,
    fw: str | None,
    tw: str | None,
    d: Disclosure,
    keys: ScoreKeys | None = None,
) -> list[str]:
    """Register, per group, who answered the first survey and who came back; return groups.

    A person's group is the one on their first row at the first survey; a missing
    participant code counts as one person, as in the flow.
    """
    if (
        scores is None
        or scores.empty
        or not group_col
        or group_col not in scores.columns
        or fw is None
        or tw is None
    ):
        return []
    keys = keys if keys is not None else ScoreKeys(scores)
    first = keys.first_at_wave(fw)
    first = first[first >= 0]
    back = np.zeros(keys.people, dtype=bool)
    back[keys.person[keys.text_is("wave", tw)]] = True
    came_back = back[keys.person[first]]
    # Each person's group as text (a missing one: NO_GROUP), made once per distinct value;
    # groups of the same text are one group, in the order of their texts.
    codes, uniques = pd.factorize(scores[group_col].iloc[first])
    texts = [str(u) for u in np.asarray(uniques, dtype=object)] + [NO_GROUP]
    labels, slot = np.unique(np.array(texts, dtype=object), return_inverse=True)
    person_slot = slot.ravel()[codes]  # code −1 (missing) takes the last text, NO_GROUP
    size = np.bincount(person_slot, minlength=len(labels))
    both = np.bincount(person_slot[came_back], minlength=len(labels))
    groups = [str(g) for g, n in zip(labels, size, strict=True) if n]
    for g, n, b in zip(labels, size, both, strict=True):
        if not n:
            continue
        key = f"flowg|{g}"
        d.count(f"{key}|pre", int(n))
        d.count(f"{key}|both", int(b))
        d.count(f"{key}|no_post", int(n - b))
        d.relation(f"{key}|pre", [f"{key}|both", f"{key}|no_post"])
        d.share(f"{key}|came_back", f"{key}|both", f"{key}|pre")
    for part in ("pre", "both", "no_post"):
        d.relation(f"flow|{part}", [f"flowg|{g}|{part}" for g in groups])
    return groups


def group_flow_table(groups: list[str], fw: str, tw: str, d: Disclosure) -> Table | None:
    if not groups:
        return None
    rows = []
    for g in groups:
        key = f"flowg|{g}"
        pre, both = d.values.get(f"{key}|pre", 0), d.values.get(f"{key}|both", 0)
        retained = percent(both, pre) if pre and d.shown(f"{key}|came_back") else "not shown"
        # A group too small to show is not named: its label may point at its few people.
        name = "a small group" if d.status(f"{key}|pre") == "small" else g
        rows.append(
            [name, d.mark(f"{key}|pre"), d.mark(f"{key}|both"), d.mark(f"{key}|no_post"), retained]
        )
    return Table(
        "flow-by-group",
        "Who took part and who came back, by group",
        [
            "Group",
            f"Answered the {fw} survey",
            f"Also answered the {tw} survey",
            f"Did not answer the {tw} survey",
            "Came back",
        ],
        rows,
        ["Groups are as recorded at the first survey."],
    )
