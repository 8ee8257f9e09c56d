"""LimeSurvey response exports: code or full-text headings, short or long answers.

An empty ``submitdate`` marks a response that was never submitted; such rows are set
aside with a ledger entry unless the user keeps incomplete responses. Full-text headings
may be empty (named ``column <n>`` by their place in the file) or repeated (numbered).
"""

from __future__ import annotations

import re

import numpy as np

from ..formats.sheet import Sheet
from .base import (
    FlavorOptions,
    Parsed,
    Platform,
    as_text,
    file_positions,
    make_unique,
    name_columns,
    set_aside_many,
    split_header,
)

NAME = "limesurvey"

_CODE_HEADINGS = {"submitdate", "lastpage", "startlanguage"}
_TEXT_HEADINGS = {"response id", "date submitted", "last page", "start language"}
_CODE_AND_TEXT = re.compile(
    r"^(?P<code>[A-Za-z_][A-Za-z0-9_]*(?:\[[A-Za-z0-9_]+\])*)\.(?:\s+(?P<text>.*))?$", re.DOTALL
)
"""A "question code & question text" heading: ``submitdate. Date submitted``."""
_SUBQUESTION = re.compile(r"^(?P<q>[A-Za-z][A-Za-z0-9]*)[\[_](?P<sq>[A-Za-z0-9]+)\]?$")


def detect(sheet: Sheet, options: FlavorOptions | None = None) -> str | None:
    """Why this sheet is a LimeSurvey export, or ``None``.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> cells = pd.DataFrame([["id", "submitdate", "lastpage", "startlanguage"]])
    >>> detect(Sheet(cells=cells, row_numbers=np.array([1]), source="ls.csv"))
    'LimeSurvey code headings (submitdate, lastpage, startlanguage)'
    """
    first = {c.lower() for c in sheet.head(1)[0]}
    codes = {m["code"].lower() for c in sheet.head(1)[0] if (m := _CODE_AND_TEXT.match(c))}
    if len(codes & _CODE_HEADINGS) >= 2:
        return "LimeSurvey code-and-text headings (submitdate. Date submitted, ...)"
    if len(first & _CODE_HEADINGS) >= 2:
        return "LimeSurvey code headings (submitdate, lastpage, startlanguage)"
    if len(first & _TEXT_HEADINGS) >= 3:
        return "LimeSurvey full headings (Response ID, Date submitted, Last page)"
    return None


def parse(sheet: Sheet, options: FlavorOptions) -> Parsed:
    """Set aside never-submitted responses and group sub-questions by question code."""
    frame, numbers, head = split_header(sheet, 0 if sheet.named else 1)
    headings = list(head[0])
    labels = dict(sheet.column_labels)
    matched = [_CODE_AND_TEXT.match(h) for h in headings]
    code_and_text = len({m["code"].lower() for m in matched if m} & _CODE_HEADINGS) >= 2
    if code_and_text:
        # "code. question text" headings: the code is the column's name (what a mapping
        # and the submitdate rule use), the text its label.
        headings = [m["code"] if m else h for m, h in zip(matched, headings, strict=True)]
        labels.update({m["code"]: " ".join(m["text"].split()) for m in matched if m and m["text"]})
    codes = code_and_text or bool({h.strip().lower() for h in headings} & _CODE_HEADINGS)
    unnamed: dict[str, int] = {}
    renamed: dict[str, str] = {}
    if not codes:
        # Full-text headings are the questions' texts: a question without text (an image,
        # a page of its own) has an empty heading, and two questions may share a text.
        # Both are ordinary here, so the first is named by its place in the file and the
        # second numbered; question codes are never empty or repeated, so a code heading
        # that is stays refused.
        headings, unnamed = _name_by_place(headings, file_positions(frame))
        headings, renamed = make_unique([h.strip() for h in headings])
    frame = name_columns(frame, headings, sheet.source)
    names = list(frame.columns)
    lookup = {c.lower(): c for c in names}
    submit = lookup.get("submitdate") or lookup.get("date submitted")
    excluded = None
    if submit is not None and not options.include_incomplete:
        blank = (as_text(frame[submit]) == "").fillna(False).to_numpy(bool)
        reasons = np.where(blank, "incomplete_response", "").astype(object)
        columns = np.where(blank, submit, "").astype(object)
        frame, numbers, excluded = set_aside_many(frame, numbers, reasons, columns, sheet.source)
    groups: dict[str, list[str]] = {}
    for name in names:
        match = _SUBQUESTION.match(name)
        if match and name.lower() not in {"id", "seed", "token"}:
            groups.setdefault(match["q"], []).append(name)
    metadata: dict = {
        "header_rows": 0 if sheet.named else 1,
        "headings": "code and text" if code_and_text else "codes" if codes else "text",
        "submit_column": submit,
        "subquestions": {q: cols for q, cols in groups.items() if len(cols) > 1},
    }
    if unnamed:
        metadata["unnamed_columns"] = unnamed
    if renamed:
        metadata["renamed_duplicates"] = renamed
    parsed = Parsed(
        frame=frame,
        row_numbers=numbers,
        column_labels=labels,
        value_labels=dict(sheet.value_labels),
        metadata=metadata,
    )
    if excluded is not None:
        parsed.excluded = excluded
    return parsed


def _name_by_place(headings: list[str], places: list[int]) -> tuple[list[str], dict[str, int]]:
    """Name each empty heading by its 1-based place in the file; say which were named.

    Examples
    --------
    >>> _name_by_place(["How old are you?", " ", "[Other]"], [9, 10, 11])
    (['How old are you?', 'column 10', '[Other]'], {'column 10': 10})
    """
    named = {f"column {p}": p for h, p in zip(headings, places, strict=True) if not h.strip()}
    out = [h if h.strip() else f"column {p}" for h, p in zip(headings, places, strict=True)]
    return out, named


# Personal columns: lower-cased name → why it identifies someone (table 1.8 of the notes).
FLAVOR = Platform(
    NAME,
    detect,
    parse,
    response_ids=frozenset({"id", "response id"}),
    personal_columns={
        "token": "access token (links to name and e-mail)",
        "ipaddr": "IP address",
        "refurl": "referrer URL",
        "submitdate": "date tied to a person",
        "startdate": "date tied to a person",
        "datestamp": "date tied to a person",
        "date submitted": "date tied to a person",
        "date started": "date tied to a person",
        "date last action": "date tied to a person",
        "ip address": "IP address",
        "referrer url": "referrer URL",
        "access code": "access token (links to name and e-mail)",
    },
)
