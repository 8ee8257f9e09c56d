"""One validated, coded score table: :class:`ScoreTable`.

The tidy scores are checked and turned into integer codes once (participants in order of
appearance; scales, waves and group levels sorted), here, and every analysis reads the same
table: paired statistics and reliable change (:meth:`ScoreTable.pairs`), attrition, the
mixed model and the ANCOVA (:meth:`ScoreTable.to_frame`), the wave counts
(:meth:`ScoreTable.cells`). The table is immutable: a regrouped or narrowed view is a new
table sharing the same codes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .pairing import Pairs, group_levels, pair_waves, regroup, valid_scores, wave_mask

__all__ = ["ScoreTable"]


@dataclass(frozen=True, eq=False)
class ScoreTable:
    """The usable scores (status ``ok``, a finite score), validated and coded once.

    Build it with :meth:`from_scores`. ``group_by`` is the grouping column whose levels the
    records are split by (``None`` for none); ``columns`` the carried columns kept
    (covariates, a pooling column).

    Examples
    --------
    >>> df = pd.DataFrame({"participant_id": ["a", "a", "b", "b"],
    ...     "wave": ["pre", "post"] * 2, "instrument": "x", "scale": "t",
    ...     "score": [4.0, 2.0, 3.0, 3.0], "status": "ok", "arm": ["p", "p", "c", "c"]})
    >>> table = ScoreTable.from_scores(df, group_by="arm")
    >>> table.waves, table.group_levels, len(table.pairs("pre", "post"))
    (['post', 'pre'], ['c', 'p'], 2)
    """

    _valid: pd.DataFrame
    group_by: str | None = None
    columns: tuple[str, ...] = ()

    @classmethod
    def from_scores(
        cls, scores: pd.DataFrame, group_by: str | None = None, columns: Iterable[str] = ()
    ) -> ScoreTable:
        """Validate tidy scores (SPEC §5) and code them; see :func:`.pairing.valid_scores`."""
        extra = tuple(c for c in dict.fromkeys(columns) if c != group_by)
        return cls(valid_scores(scores, group_by, extra), group_by, extra)

    # -- what the table holds ------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._valid)

    def __repr__(self) -> str:
        return (
            f"ScoreTable(rows={len(self)}, scales={len(self.scales)}, waves={self.waves}"
            + (f", group_by={self.group_by!r}" if self.group_by else "")
            + ")"
        )

    @property
    def empty(self) -> bool:
        """True when no row is usable."""
        return self._valid.empty

    @property
    def scales(self) -> list[tuple[str, str]]:
        """``(instrument, scale)`` of each scale code, sorted."""
        return [tuple(k) for k in self._valid.attrs["scales"]]  # type: ignore[misc]

    @property
    def waves(self) -> list[str]:
        """The waves present, sorted as text."""
        return list(self._valid.attrs["waves"])

    @property
    def group_levels(self) -> list[str]:
        """Levels of ``group_by`` in R's ``factor()`` order (empty without a group)."""
        return list(self._valid.attrs.get("group_levels", [])) if self.group_by else []

    def levels(self) -> list[str]:
        """The group levels, refusing a grouping column with fewer than two."""
        if self.group_by is None:
            return []
        return group_levels(self._valid, self.group_by)

    def has_wave(self, wave: str) -> bool:
        """Whether any usable score is at ``wave``."""
        return bool(self.wave_mask(wave).any())

    def wave_mask(self, wave: str) -> np.ndarray:
        """Rows at ``wave``."""
        return wave_mask(self._valid, wave)

    def participants_at_both(self, first: str, second: str) -> int:
        """Participants with a usable score (any scale) at both waves."""
        pid = self._valid["_pid"].to_numpy()
        seen = np.zeros((2, int(pid.max()) + 1 if len(pid) else 1), dtype=bool)
        seen[0, pid[self.wave_mask(first)]] = True
        seen[1, pid[self.wave_mask(second)]] = True
        return int(np.sum(seen[0] & seen[1]))

    def ids_at(self, wave: str) -> np.ndarray:
        """The distinct participant IDs with a usable score at ``wave`` (as stored)."""
        ids = self._valid["participant_id"]
        if not isinstance(ids.dtype, pd.CategoricalDtype):
            return pd.unique(ids.loc[self.wave_mask(wave)])
        codes = pd.unique(ids.cat.codes.to_numpy()[self.wave_mask(wave)])
        return ids.cat.categories.to_numpy(dtype=object)[codes]

    # -- views -----------------------------------------------------------------------------
    def regroup(self, column: str) -> ScoreTable:
        """The same scores grouped by another carried column (e.g. site, not arm)."""
        rest = tuple(c for c in (*self.columns, self.group_by) if c and c != column)
        return ScoreTable(regroup(self._valid, column), column, rest)

    def within(self, level: str) -> ScoreTable:
        """Only the rows of one level of ``group_by`` (codes and lookups kept)."""
        if self.group_by is None:
            raise ValueError("within() needs a table grouped by a column")
        code = self.group_levels.index(level)
        keep = self._valid["_group"].to_numpy() == code
        part = self._valid.loc[keep].reset_index(drop=True)
        part.attrs = dict(self._valid.attrs)
        return ScoreTable(part, self.group_by, self.columns)

    # -- what the analyses read ------------------------------------------------------------
    def pairs(self, from_wave: str, to_wave: str, by_group: bool = True) -> Pairs:
        """Complete pairs of every scale between two waves, each placed in its group.

        A participant's group is their value at ``from_wave`` (baseline).
        """
        return pair_waves(self._valid, from_wave, to_wave, self.group_by if by_group else None)

    def cells(self, waves: Sequence[str]) -> list[dict[str, Any]]:
        """Participants with a usable score per scale × wave, whole sample then per group."""
        from .attrition import wave_counts

        return wave_counts(self._valid, waves, self.group_by)

    def to_frame(self) -> pd.DataFrame:
        """Tidy usable scores for the model fits, the key columns as categoricals.

        Built from the codes: the mixed model and the ANCOVA never hash participant IDs
        again. Columns ``participant_id, wave, instrument, scale, score, status``, the group
        column and the carried ``columns``.
        """
        valid = self._valid
        # participant codes in order of appearance (0..n−1, or a subset after within())
        _, first, pid = np.unique(valid["_pid"].to_numpy(), return_index=True, return_inverse=True)
        ids = valid["participant_id"]
        if isinstance(ids.dtype, pd.CategoricalDtype):
            # the labels of the first rows, read through the codes (no text made per row)
            labels = ids.cat.categories.to_numpy(dtype=object)
            pid_labels = labels[ids.cat.codes.to_numpy()[first]]
        else:
            pid_labels = ids.to_numpy()[first]
        scales = self.scales
        inst_labels = sorted({inst for inst, _ in scales})
        scale_labels = sorted({scale for _, scale in scales})
        inst_of = np.array([inst_labels.index(inst) for inst, _ in scales], dtype=np.int64)
        scale_of = np.array([scale_labels.index(scale) for _, scale in scales], dtype=np.int64)
        code = valid["_scale"].to_numpy()
        frame = pd.DataFrame(
            {
                "participant_id": pd.Categorical.from_codes(pid, categories=pid_labels),
                "wave": pd.Categorical.from_codes(valid["_wave"], categories=self.waves),
                "instrument": pd.Categorical.from_codes(inst_of[code], categories=inst_labels),
                "scale": pd.Categorical.from_codes(scale_of[code], categories=scale_labels),
                "score": valid["score"].to_numpy(),
                "status": pd.Categorical.from_codes(np.zeros(len(valid), dtype=np.int8), ["ok"]),
            }
        )
        if self.group_by is not None:
            frame[self.group_by] = pd.Categorical.from_codes(
                valid["_group"], categories=self.group_levels
            )
        for col in self.columns:
            if col not in frame.columns:
                frame[col] = valid[col].to_numpy()
        return frame

    @property
    def coded(self) -> pd.DataFrame:
        """The coded frame the building blocks in :mod:`.pairing` read (do not modify)."""
        return self._valid
