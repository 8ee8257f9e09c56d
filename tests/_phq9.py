"""A synthetic PHQ-9 project whose self-harm item (``phq9_9``) some people answered.

PHQ-9 declares an item-level alert (any answer above 'not at all' on item 9), which the
evaluator must see and a funder report must never hold. The export is one long file, as a
survey platform writes it: ``participant_id``, ``wave`` (pre/post), ``phq9_1``..``phq9_9``
coded 0-3.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import yaml

PEOPLE = 60


def phq9_export(path: Path, self_harm: int, seed: int = 7) -> pd.DataFrame:
    """Write the long export with ``self_harm`` non-zero answers on item 9; return it."""
    rng = np.random.default_rng(seed)
    ids = np.repeat([f"P{i:03d}" for i in range(PEOPLE)], 2)
    frame = pd.DataFrame({"participant_id": ids, "wave": ["pre", "post"] * PEOPLE})
    for k in range(1, 10):
        frame[f"phq9_{k}"] = rng.integers(0, 4, len(frame))
    frame["phq9_9"] = 0
    hit = rng.choice(len(frame), self_harm, replace=False)
    frame.loc[hit, "phq9_9"] = rng.integers(1, 4, self_harm)
    frame.to_csv(path, index=False)
    return frame


def phq9_project(
    folder: Path, self_harm: int = 17, formats: tuple[str, ...] = ("md",), name: str = "phq9.csv"
) -> Path:
    """The export and an evaluation file beside it (as ``init`` drafts one); returns the file."""
    phq9_export(folder / name, self_harm)
    settings = {
        "title": "PHQ-9 programme",
        "data": [{"path": name, "wave_col": "wave"}],
        "instruments": ["phq9"],
        "id_col": "participant_id",
        "waves": {"pre": "pre", "post": "post"},
        "report": {"formats": list(formats)},
    }
    path = folder / "evaluation.yaml"
    path.write_text(yaml.safe_dump(settings), encoding="utf-8")
    return path
