"""Names every reader, binder and proposer of ingest agrees on, declared once.

``init`` proposes, ``score`` binds and the long-layout reader pivots by the same participant-ID
names, so a file that one of them reads as keyed by ``pid`` is read so by all three.
"""

from __future__ import annotations

ID_CANDIDATES: tuple[str, ...] = (
    "participant_id",
    "participant",
    "participantid",
    "pid",
    "record_id",
    "respondent_id",
    "id",
)
"""Column names taken as the participant ID when none is given, in order of preference
(compared case-insensitively)."""

DEFAULT_WAVE = "1"
"""The wave of a single export that names none (``init`` proposes the same name)."""

ROW_ID = "@row"
"""``--id-col @row``: number rows as respondents, for anonymous (unlinked) designs only. Each
row of each file is its own respondent (``<file>#<row>``), so nobody is ever paired."""

META_COLUMNS: tuple[str, ...] = ("participant_id", "wave", "_file", "_row")
"""Columns ingest adds to every row it binds: who, when, and where the row came from."""
