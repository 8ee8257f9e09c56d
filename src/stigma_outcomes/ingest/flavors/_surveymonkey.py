"""SurveyMonkey exports (CSV or XLSX): two header rows, the first forward-filled.

Row 1 holds the question text once, over the first of a question's columns; row 2
holds ``Response``, ``Open-Ended Response`` or the option / matrix-row label. A column
is named ``<question> - <option>`` (or just ``<question>`` when row 2 says ``Response`` or
repeats the question).
"""

from __future__ import annotations

from ..formats.sheet import Sheet
from .base import FlavorOptions, Parsed, Platform, make_unique, name_columns, split_header

NAME = "surveymonkey"

_METADATA = {"respondent id", "collector id", "start date", "end date", "ip address"}
_PLAIN_ANSWER = {"", "response"}
OPEN_ENDED = "open-ended response"


def detect(sheet: Sheet, options: FlavorOptions | None = None) -> str | None:
    """Why this sheet is a SurveyMonkey export, or ``None``.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> cells = pd.DataFrame([["Respondent ID", "Collector ID", "Q"], ["", "", "Response"]])
    >>> detect(Sheet(cells=cells, row_numbers=np.arange(1, 3), source="sm.csv"))
    'SurveyMonkey metadata columns (Respondent ID, Collector ID, ...)'
    """
    head = sheet.head(2)
    first = {c.lower() for c in head[0]}
    if "respondent id" in first and len(first & _METADATA) >= 2:
        return "SurveyMonkey metadata columns (Respondent ID, Collector ID, ...)"
    return None


def parse(sheet: Sheet, options: FlavorOptions) -> Parsed:
    """Forward-fill the question row, combine it with the answer row, keep labels."""
    head = sheet.head(2)
    second = {c.lower() for c in head[1]} if len(head) > 1 else set()
    two_rows = not sheet.named and bool(second & {"response", OPEN_ENDED})
    frame, numbers, head = split_header(sheet, 2 if two_rows else (0 if sheet.named else 1))
    questions = list(head[0])
    answers = list(head[1]) if two_rows else [""] * len(questions)
    names: list[str] = []
    open_ended: list[str] = []
    current = ""
    for question, answer in zip(questions, answers, strict=True):
        if question:
            current = question
        # Row 2 may repeat row 1 (over the metadata columns and single questions of some
        # exports): "Respondent ID - Respondent ID" is "Respondent ID", which the platform's
        # response-ID rule must recognise.
        plain = answer.lower() in _PLAIN_ANSWER or answer.lower() == OPEN_ENDED
        if plain or answer.casefold() == current.casefold():
            name = current
        else:
            name = f"{current} - {answer}" if current else answer
        names.append(name)
        if answer.lower() == OPEN_ENDED:
            open_ended.append(name)
    names, renamed = make_unique(names)
    frame = name_columns(frame, names, sheet.source)
    metadata = {
        "header_rows": 2 if two_rows else 1,
        "open_ended_columns": [n for n in names if renamed.get(n, n) in open_ended],
    }
    if renamed:
        metadata["renamed_duplicates"] = renamed
    pii = {c: "open-ended (free text) answer" for c in metadata["open_ended_columns"]}
    return Parsed.of_sheet(
        sheet,
        frame,
        numbers,
        metadata=metadata,
        pii=pii,
    )


# Personal columns: lower-cased name → why it identifies someone (table 1.8 of the notes).
FLAVOR = Platform(
    NAME,
    detect,
    parse,
    response_ids=frozenset({"respondent id", "collector id"}),
    personal_columns={
        "ip address": "IP address",
        "email address": "e-mail",
        "first name": "name",
        "last name": "name",
        "custom data 1": "custom data (often an identifier)",
        "start date": "date tied to a person",
        "end date": "date tied to a person",
    },
)
