"""The choices of reading and binding exports, and what each setting means (no pydantic, no
pandas).

:class:`~stigma_outcomes.ingest.settings.LoadSettings` takes its duplicate policy and its
field descriptions from here, and so do the evaluation file (through the model) and the
``score`` and ``init`` commands' options, which must not load pydantic or pandas to print
their help. Outside :mod:`stigma_outcomes.ingest` because importing that package reads
pandas. (The comparison's counterpart is :mod:`stigma_outcomes.comparison._choices`.)
"""

from __future__ import annotations

from enum import StrEnum


class DuplicatePolicy(StrEnum):
    """What to do when a participant appears twice in one wave."""

    keep_last_complete = "keep-last-complete"
    keep_first = "keep-first"
    error = "error"


DUPLICATE_POLICIES: tuple[str, ...] = tuple(p.value for p in DuplicatePolicy)
"""The policies' names, as the file and the command line spell them."""

DESCRIPTIONS: dict[str, str] = {
    "mapping": "Column mapping (a YAML file) binding export columns to instrument items; "
    "without one, columns named <instrument>_<item> are bound.",
    "id_col": "Participant ID column; detected from common names when omitted. '@row' "
    "numbers rows as respondents (anonymous, unlinked designs only).",
    "wave": "Wave name of each export, in order (one name for all, or one per export).",
    "wave_col": "Column holding each row's wave (e.g. REDCap's redcap_event_name).",
    "carry": "Grouping columns carried through to the scores (e.g. site, arm).",
    "duplicates": "What to do when a participant appears twice in one wave: "
    + ", ".join(DUPLICATE_POLICIES)
    + ".",
    "casefold_ids": "Treat IDs that differ only in letter case as one participant.",
    "ignore_id_zeros": "Treat all-digit IDs that differ only in leading zeros ('007', '7') as "
    "one participant: a spreadsheet drops the zeros of an ID stored as a number.",
    "flavor": "Export flavour (qualtrics, redcap, surveymonkey, google_forms, limesurvey, "
    "kobo, plain) instead of detecting it.",
    "unlinked": "Whether the waves are anonymous surveys that cannot be linked (true) or link "
    "the same people across waves (false); row-number IDs are refused for a linked design.",
    "sheet": "Worksheet of an Excel export (name or 0-based position).",
    "encoding": "Text encoding (overrides detection).",
    "delimiter": "Field delimiter (overrides detection).",
    "include_previews": "Keep survey previews instead of setting them aside.",
    "include_incomplete": "Keep unfinished responses instead of setting them aside.",
    "dictionary": "REDCap data dictionary (CSV): record-ID field, labels, identifiers.",
    "pii": "Extra columns to treat as personal data.",
    "layout": "'long' pivots a participant × item file to one row per participant (× wave); "
    "'auto' does so only when item and value columns are unmistakable.",
    "item_col": "Item column of a long export.",
    "value_col": "Value column of a long export.",
}
"""What each setting of :class:`~stigma_outcomes.ingest.settings.LoadSettings` means."""
