"""Qualtrics exports: CSV/TSV/XLSX with three header rows (or the legacy two), and SPSS.

Row 1 holds the export tags (``Q5_1``), row 2 the question text, row 3 a JSON ImportId
per column. Legacy exports have ``V1, V2, ...`` in row 1 over the metadata columns and
the real names (``ResponseID``, ...) in row 2. Survey previews and unfinished responses
are set aside with a ledger entry unless the user asks to keep them. Recode values are
never assumed to equal scale points: the reader keeps cells exactly as exported.
"""

from __future__ import annotations

import ast
import json
import re
import warnings

import numpy as np
import pandas as pd

from ..formats.sheet import Sheet
from .base import (
    FlavorOptions,
    Parsed,
    Platform,
    as_text,
    make_unique,
    matches_any,
    name_columns,
    set_aside_many,
    split_header,
)

NAME = "qualtrics"

_SIGNALS = {
    "responseid",
    "startdate",
    "enddate",
    "recordeddate",
    "finished",
    "distributionchannel",
    "duration (in seconds)",
    "progress",
    "userlanguage",
}
_LABEL_ROW_SIGNALS = {"response id", "start date", "end date", "response type", "recorded date"}
_PREVIEW_TEXT = {"survey preview", "preview"}
_UNFINISHED_TEXT = {"0", "0.0", "false"}
_TAG = re.compile(r"<[^>]+>")
_CODE_QUESTION = re.compile(
    r"(participant|respondent|client|member|study|subject|personal|unique)[ _-]*(id|code)\b"
    r"|\bp?code\b"
)
"""A text-entry question that asks for the participant's study code: the ID, not free text."""


def _layout(head: list[list[str]], named: bool) -> tuple[str, int] | None:
    first = {c.lower() for c in head[0]}
    if named:
        return ("named", 0) if "responseid" in first and first & {"finished", "status"} else None
    legacy_top = len(head) >= 2 and head[0][0].strip().lower() == "v1"
    if legacy_top and "responseid" in {c.lower() for c in head[1]}:
        return ("legacy", 2)
    if "responseid" not in first and len(first & _SIGNALS) < 3:
        return None
    if len(head) >= 3 and _has_import_ids(head[2]):
        return ("three_rows", 3)
    if len(head) >= 2 and _has_import_ids(head[1]):
        return ("import_id_row", 2)
    if len(head) >= 2 and {c.lower() for c in head[1]} & _LABEL_ROW_SIGNALS:
        return ("two_rows", 2)
    return ("one_row", 1)


def _has_import_ids(row: list[str]) -> bool:
    """Whether a header row holds ImportId objects, in JSON (``{"ImportId":...}``) or in the
    single-quoted form of 2016–17 exports (``{'ImportId': 'QID1'}``)."""
    return any(re.match(r"""\{\s*["']importid["']""", c.lower()) for c in row)


def detect(sheet: Sheet, options: FlavorOptions | None = None) -> str | None:
    """Why this sheet is a Qualtrics export, or ``None``.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> cells = pd.DataFrame([["ResponseId", "Finished"], ["Response ID", "Finished"],
    ...                       ['{"ImportId":"_recordId"}', '{"ImportId":"finished"}']])
    >>> detect(Sheet(cells=cells, row_numbers=np.arange(1, 4), source="q.csv"))
    'Qualtrics metadata columns and an ImportId JSON row (three header rows)'
    """
    found = _layout(sheet.head(3), sheet.named)
    if found is None:
        return None
    reasons = {
        "three_rows": "Qualtrics metadata columns and an ImportId JSON row (three header rows)",
        "import_id_row": "Qualtrics metadata columns over an ImportId row (two header rows)",
        "two_rows": "Qualtrics metadata columns and a question-text row (two header rows)",
        "legacy": "legacy Qualtrics header (V1, V2, ... over ResponseID, ResponseSet)",
        "one_row": "Qualtrics metadata columns (ResponseId, StartDate, Finished, ...)",
        "named": "Qualtrics metadata variables (ResponseId, Finished/Status)",
    }
    return reasons[found[0]]


def parse(sheet: Sheet, options: FlavorOptions) -> Parsed:
    """Read a Qualtrics sheet: names, question text, ImportIds, previews and unfinished rows."""
    layout, header_rows = _layout(sheet.head(3), sheet.named) or ("one_row", 1)
    frame, numbers, head = split_header(sheet, header_rows)
    labels: dict[str, str] = dict(sheet.column_labels)
    import_ids: dict[str, str] = {}
    time_zones: dict[str, str] = {}
    if layout == "legacy":
        tags = [
            second if re.fullmatch(r"V\d+", first) and second else first
            for first, second in zip(head[0], head[1], strict=True)
        ]
    else:
        tags = list(head[0])
    # Export tags repeat: several legacy matrices export the same tags, and a side-by-side
    # question repeats its tag for each of its columns. Numbered in column order, as
    # repeated Google Forms titles are; every label and ImportId below follows the new names.
    names, renamed = make_unique([t.strip() for t in tags])
    if layout == "legacy":
        labels.update(
            {
                n: _clean_label(t)
                for n, t, f in zip(names, head[1], head[0], strict=True)
                if t and n and not re.fullmatch(r"V\d+", f) and t != n
            }
        )
    elif layout in {"three_rows", "two_rows"}:
        labels.update({n: _clean_label(t) for n, t in zip(names, head[1], strict=True) if t and n})
    id_row = {"three_rows": 2, "import_id_row": 1}.get(layout)
    if id_row is not None:
        for n, cell in zip(names, head[id_row], strict=True):
            info = _import_id(cell)
            if "ImportId" in info:
                import_ids[n] = str(info["ImportId"])
            if "timeZone" in info:
                time_zones[n] = str(info["timeZone"])
    frame = name_columns(frame, names, sheet.source)
    names = list(frame.columns)
    lookup = {c.lower(): c for c in names}
    status_col = lookup.get("status")
    channel_col = lookup.get("distributionchannel")
    finished_col = lookup.get("finished")
    # Decide every row first, then filter once: each filter copies all columns.
    reasons = np.full(len(frame), "", dtype=object)
    columns = np.full(len(frame), "", dtype=object)
    if not options.include_previews:
        for column, rule in ((status_col, _is_preview_status), (channel_col, _is_preview_channel)):
            if column is not None:
                hit = rule(_by_label(frame[column], sheet, column)) & (reasons == "")
                reasons[hit], columns[hit] = "survey_preview", column
    if finished_col is not None and not options.include_incomplete:
        finished = _by_label(frame[finished_col], sheet, finished_col)
        hit = matches_any(finished, _UNFINISHED_TEXT) & (reasons == "")
        reasons[hit], columns[hit] = "unfinished_response", finished_col
    frame, numbers, excluded = set_aside_many(frame, numbers, reasons, columns, sheet.source)
    pii = {
        f"{prefix}_{part}": "browser and device details (a quasi-identifier)"
        for prefix in (n[: -len("_Browser")] for n in names if n.endswith("_Browser"))
        for part in ("Browser", "Version", "Operating System", "Resolution")
        if f"{prefix}_{part}" in names
    }
    for column, import_id in import_ids.items():
        # Text entry is recognised by its ImportId (QID2_TEXT), whatever the export tag says.
        asks_code = _CODE_QUESTION.search(f"{column} {labels.get(column, '')}".lower())
        if import_id.upper().endswith("_TEXT") and column in frame.columns and not asks_code:
            pii.setdefault(column, f"free-text answer (ImportId {import_id})")
    metadata = {
        "header_rows": header_rows,
        "qualtrics_layout": layout,
        "export_values": _export_values(frame, finished_col, status_col),
        "display_order_columns": [c for c in names if c.endswith("_DO")],
        "text_entry_columns": [c for c in names if c.upper().endswith("_TEXT")],
    }
    if import_ids:
        metadata["import_ids"] = import_ids
    if time_zones:
        metadata["time_zones"] = time_zones
    if renamed:
        metadata["renamed_duplicates"] = renamed
    if status_col is not None:
        # Said by the file's value labels where it has them: an SPSS Status coded
        # 3 = Qualified, 4 = Partial is reported as "Partial", not as "4.0".
        status = _by_label(frame[status_col], sheet, status_col).astype("string").str.strip()
        metadata["status_values"] = {str(k): int(v) for k, v in status.value_counts().items()}
    return Parsed(
        frame=frame,
        row_numbers=numbers,
        column_labels=labels,
        value_labels=dict(sheet.value_labels),
        excluded=excluded,
        metadata=metadata,
        pii=pii,
    )


def _by_label(column: pd.Series, sheet: Sheet, name: str) -> pd.Series:
    """A status column read through its value labels when the file has them: Qualtrics SPSS
    exports code Finished as 1 = False, 2 = True, so the code alone would mislead.

    Examples
    --------
    >>> labels = {"Finished": {1.0: "False", 2.0: "True"}}
    >>> s = Sheet(cells=pd.DataFrame({"Finished": [1.0, 2.0]}), row_numbers=np.array([1, 2]),
    ...           source="q.sav", named=True, value_labels=labels)
    >>> _by_label(s.cells["Finished"], s, "Finished").tolist()
    ['False', 'True']
    """
    labels = sheet.value_labels.get(name)
    if not labels:
        return column
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    decoded = np.array([labels.get(u, u) for u in uniques] + [None], dtype=object)
    return pd.Series(decoded[codes], index=column.index, dtype=object)


def _is_preview_status(column: pd.Series) -> np.ndarray:
    # Only 0 (normal) and 1 (preview) are confirmed codes; other statuses are kept and
    # noted. Lists of further codes (2 = Survey Test, 4 = Imported, 8 = Spam, ...) are found
    # only in third-party scripts, not in Qualtrics' documentation, and an SPSS export's
    # own labels can differ (1 = Terminated ... 4 = Partial): a labelled column is read by
    # its labels (``_by_label``) before this rule sees it.
    return matches_any(column, _PREVIEW_TEXT | {"1", "1.0"})


def _is_preview_channel(column: pd.Series) -> np.ndarray:
    return matches_any(column, {"preview"})


def _export_values(frame: pd.DataFrame, finished: str | None, status: str | None) -> str:
    for column in (finished, status):
        if column is None or len(frame) == 0:
            continue
        text = as_text(pd.Series(pd.unique(frame[column].dropna())))
        if text.isin({"true", "false", "ip address", "survey preview"}).any():
            return "choice_text"
        if pd.to_numeric(text, errors="coerce").notna().all():
            return "numeric"
    return "unknown"


def _import_id(cell: str) -> dict:
    """The ImportId object of a header cell: JSON, or the Python-style single-quoted dict
    that 2016–17 exports wrote (read as a literal, never evaluated).

    Examples
    --------
    >>> _import_id('{"ImportId":"QID2_TEXT"}'), _import_id("{'ImportId': 'responseId'}")
    ({'ImportId': 'QID2_TEXT'}, {'ImportId': 'responseId'})
    """
    try:
        value = json.loads(cell)
    except (json.JSONDecodeError, TypeError):
        try:
            with warnings.catch_warnings():
                # A backslash in a damaged cell ('\I') is a warning about Python source
                # (SyntaxWarning from 3.12): no concern of the user's.
                warnings.simplefilter("ignore", (DeprecationWarning, SyntaxWarning))
                value = ast.literal_eval(cell) if isinstance(cell, str) and cell[:1] == "{" else {}
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            return {}
    return value if isinstance(value, dict) else {}


def _clean_label(text: str) -> str:
    return re.sub(r"\s+", " ", _TAG.sub(" ", text)).strip()


# Personal columns: lower-cased name → why it identifies someone (table 1.8 of the notes).
FLAVOR = Platform(
    NAME,
    detect,
    parse,
    response_ids=frozenset({"responseid", "response id"}),
    personal_columns={
        "ipaddress": "IP address",
        "recipientlastname": "recipient name",
        "recipientfirstname": "recipient name",
        "recipientemail": "recipient e-mail",
        "externalreference": "external reference (often a client or record number)",
        "externaldatareference": "external reference (often a client or record number)",
        "locationlatitude": "geolocation",
        "locationlongitude": "geolocation",
        "startdate": "date tied to a person",
        "enddate": "date tied to a person",
        "recordeddate": "date tied to a person",
        "name": "recipient name",
        "emailaddress": "recipient e-mail",
    },
)
