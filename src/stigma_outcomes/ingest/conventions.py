"""Names every reader, binder and proposer of ingest agrees on, declared once: participant-ID
and wave-column names, the words that name waves, the default wave, ``@row``.

``init`` proposes, ``score`` binds and the long-layout reader pivots by the same participant-ID
names, so a file that one of them reads as keyed by ``pid`` is read so by all three.
"""

from __future__ import annotations

ID_CANDIDATES: tuple[str, ...] = (
    "participant_id",
    "participant",
    "participantid",
    "pid",
    "partid",
    "part_id",
    "subject_id",
    "subjectid",
    "subj_id",
    "subjid",
    "subj",
    "record_id",
    "respondent_id",
    "id",
)
"""Column names taken as the participant ID when none is given, in order of preference
(compared case-insensitively). Only names that in research data mean the participant:
``subject`` is left out (as often a school subject or a topic), and so is ``URN`` (a
school's Unique Reference Number, or a hospital's record number, which is personal data)."""

WAVE_COLUMNS: tuple[str, ...] = ("wave", "timepoint", "time", "redcap_event_name", "visit")
"""Column names taken as a long file's wave column (compared case-insensitively)."""

WAVE_WORDS: dict[str, str] = {
    "pre": "pre",
    "baseline": "pre",
    "before": "pre",
    "intake": "pre",
    "t0": "pre",
    "post": "post",
    "after": "post",
    "exit": "post",
    "end": "post",
    "t1": "post",
    "followup": "followup",
    "follow-up": "followup",
    "follow_up": "followup",
    "fu": "followup",
}
"""Words of a file name that say its wave (``pre_survey.csv`` → ``pre``), as ``init`` reads them."""

DEFAULT_WAVE = "1"
"""The wave of a single export that names none (``init`` proposes the same name)."""

ROW_ID = "@row"
"""``--id-col @row``: number rows as respondents, for anonymous (unlinked) designs only. Each
row of each file is its own respondent (``<file>#<row>``), so nobody is ever paired."""

META_COLUMNS: tuple[str, ...] = ("participant_id", "wave", "_file", "_row")
"""Columns ingest adds to every row it binds: who, when, and where the row came from."""
