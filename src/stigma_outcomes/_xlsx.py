"""A small, fast, deterministic XLSX writer for one table.

Why not openpyxl: it builds a Python object per cell (20,000 score rows took tens of
seconds), stamps the current time into the file, and turns any text that starts with
``=`` into a formula. Here each column is turned into XML with vectorised string
operations, every text cell is an inline string (a spreadsheet never evaluates it),
characters XML cannot hold are written in the ``_xHHHH_`` escape Excel and openpyxl
decode, and the zip members carry a fixed timestamp: the same table gives the same
bytes on every run and machine.
"""

from __future__ import annotations

import io
import re
import zipfile

import numpy as np
import pandas as pd

_FIXED_TIME = (1980, 1, 1, 0, 0, 0)

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ESCAPE_LIKE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    "{sheets}"
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.styles+xml"/></Types>'
)
_SHEET_TYPE = (
    '<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    "<sheets>{sheets}</sheets></workbook>"
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    "{sheets}"
    '<Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/styles" Target="styles.xml"/></Relationships>'
)
_SHEET_REL = (
    '<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet{n}.xml"/>'
)
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def xml_text(value: str) -> str:
    """Text as an XLSX string: XML-escaped, control characters as ``_xHHHH_``.

    Examples
    --------
    >>> xml_text("a<b & \\x01 _x0041_")
    'a&lt;b &amp; _x0001_ _x005F_x0041_'
    """
    text = _ESCAPE_LIKE.sub(r"_x005F_\1", value)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


_UNESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def unescape_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Decode ``_xHHHH_`` escapes in text cells read back by openpyxl (Excel decodes them).

    Examples
    --------
    >>> unescape_text(pd.DataFrame({"a": ["a_x0001_b", "_x005F_x0041_", 3]}))["a"].tolist()
    ['a\\x01b', '_x0041_', 3]
    """
    out = frame.copy()
    for col in out.columns:
        series = out[col]
        if series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
            text = series.astype("string")
            hit = text.str.contains("_x", regex=False).fillna(False).to_numpy(dtype=bool)
            if hit.any():
                fixed = series.astype("object").copy()
                fixed[hit] = [
                    _UNESCAPE.sub(lambda m: chr(int(m.group(1), 16)), v) for v in fixed[hit]
                ]
                out[col] = fixed
    return out


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _escaped(text: pd.Series) -> pd.Series:
    out = text.str.replace(_ESCAPE_LIKE, r"_x005F_\1", regex=True)
    out = out.str.replace("&", "&amp;", regex=False)
    out = out.str.replace("<", "&lt;", regex=False).str.replace(">", "&gt;", regex=False)
    if out.str.contains(_CONTROL, regex=True).any():
        out = out.str.replace(_CONTROL, lambda m: f"_x{ord(m.group()):04X}_", regex=True)
    return out


def _cells(series: pd.Series, ref: pd.Series) -> pd.Series:
    """One column's cells as XML (empty string for a missing value)."""
    missing = series.isna().to_numpy()
    kind = series.dtype.kind
    if kind == "b":
        body = np.where(series.to_numpy(dtype=bool), "1", "0").astype(object)
        cells = '<c r="' + ref + '" t="b"><v>' + pd.Series(body, index=ref.index) + "</v></c>"
    elif kind in "iuf":
        values = series.to_numpy(dtype="float64" if kind == "f" else None)
        missing = missing | (~np.isfinite(values.astype("float64")))
        text = pd.Series(values, index=ref.index).astype(str)
        cells = '<c r="' + ref + '"><v>' + text + "</v></c>"
    else:
        text = series.astype("string").fillna("")
        cells = (
            '<c r="'
            + ref
            + '" t="inlineStr"><is><t xml:space="preserve">'
            + _escaped(text).astype(object)
            + "</t></is></c>"
        )
    cells = cells.astype(object)
    cells[missing] = ""
    return cells


def sheet_xml(frame: pd.DataFrame) -> str:
    """The worksheet XML of ``frame``: a header row, then one row per record."""
    n = len(frame)
    rows = pd.Series((np.arange(n) + 2).astype(str), dtype=object)
    header = "".join(
        f'<c r="{_column_letter(i)}1" t="inlineStr"><is><t xml:space="preserve">'
        f"{xml_text(str(name))}</t></is></c>"
        for i, name in enumerate(frame.columns)
    )
    body = '<row r="' + rows + '">'
    for i in range(frame.shape[1]):
        column = frame.iloc[:, i].reset_index(drop=True)
        body = body + _cells(column, _column_letter(i) + rows)
    body = body + "</row>"
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<sheetData><row r="1">{header}</row>'
        + "".join(body.tolist())
        + "</sheetData></worksheet>"
    )


def xlsx_bytes(frame: pd.DataFrame | dict[str, pd.DataFrame]) -> bytes:
    """An XLSX workbook of ``frame`` (one sheet), or of named sheets in order; the same bytes
    for the same tables.

    Examples
    --------
    >>> frame = pd.DataFrame({"id": ["A", "=B"], "score": [1.5, None]})
    >>> data = xlsx_bytes(frame)
    >>> data == xlsx_bytes(frame)
    True
    >>> pd.read_excel(io.BytesIO(data)).fillna(-1).to_dict("list")
    {'id': ['A', '=B'], 'score': [1.5, -1.0]}
    >>> two = xlsx_bytes({"survey": frame, "choices": frame.head(1)})
    >>> list(pd.read_excel(io.BytesIO(two), sheet_name=None))
    ['survey', 'choices']
    """
    sheets = frame if isinstance(frame, dict) else {"Sheet1": frame}
    numbered = list(enumerate(sheets.items(), start=1))
    parts = {
        "[Content_Types].xml": _CONTENT_TYPES.format(
            sheets="".join(_SHEET_TYPE.format(n=n) for n, _ in numbered)
        ),
        "_rels/.rels": _RELS,
        "xl/workbook.xml": _WORKBOOK.format(
            sheets="".join(
                f'<sheet name="{xml_text(str(name))}" sheetId="{n}" r:id="rId{n}"/>'
                for n, (name, _) in numbered
            )
        ),
        "xl/_rels/workbook.xml.rels": _WORKBOOK_RELS.format(
            sheets="".join(_SHEET_REL.format(n=n) for n, _ in numbered)
        ),
        "xl/styles.xml": _STYLES,
        **{f"xl/worksheets/sheet{n}.xml": sheet_xml(table) for n, (_, table) in numbered},
    }
    sink = io.BytesIO()
    with zipfile.ZipFile(sink, "w") as archive:
        for name, text in parts.items():
            info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            archive.writestr(info, text.encode("utf-8"), compresslevel=6)
    return sink.getvalue()
