"""What the proposer finds: one way of binding an instrument (``Candidate``), and everything
found in one export (``FileProposal``)."""

from __future__ import annotations

from dataclasses import dataclass, field

_RANK = {"name": 0, "pattern": 1, "column order": 2, "pattern (subset)": 3}


@dataclass
class Candidate:
    """One way of binding an instrument's items to columns."""

    instrument: str
    how: str
    columns: dict[str, str]
    why: str
    recode: dict[str, float] = field(default_factory=dict)
    pattern: str | None = None

    @property
    def rank(self) -> int:
        return _RANK[self.how]


@dataclass
class FileProposal:
    """What the proposer found in one export."""

    source: str
    flavor: str
    flavor_reason: str
    matches: dict[str, Candidate] = field(default_factory=dict)
    ambiguities: list[str] = field(default_factory=list)
    id_col: str | None = None
    id_reason: str = ""
    wave: str | None = None
    wave_col: str | None = None
    wave_reason: str = ""
    pii: dict[str, str] = field(default_factory=dict)
    excluded: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    wave_values: list[str] = field(default_factory=list)
    """Waves found in the wave column, in the order they are compared: the baseline, the
    post, then later waves (:func:`~._waves.compared_waves`), then those left out of the
    comparison (:attr:`waves_left_out`)."""
    waves_left_out: list[str] = field(default_factory=list)
    """Waves of the wave column not compared (a mid-programme survey saying no place)."""
    wave_renames: dict[str, str] = field(default_factory=dict)
    """Wave values that differ from another only in case (``END``, ``End``) → the spelling
    most rows use: drafted as the evaluation file's ``waves: rename``."""
    possible: dict[str, Candidate] = field(default_factory=dict)
    """Fits by code range alone: shown as "possible, unconfirmed", never written."""
    by_wave: dict[str, dict[str, Candidate]] = field(default_factory=dict)
    """Instruments found once per wave in one row (a file holding its waves side by side):
    instrument → wave → block, the waves in their order in time."""

    @property
    def side_by_side(self) -> list[str]:
        """The waves this file holds side by side, in order (empty when it holds one)."""
        return list(dict.fromkeys(w for blocks in self.by_wave.values() for w in blocks))
