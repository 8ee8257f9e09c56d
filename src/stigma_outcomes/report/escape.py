"""Labels from data are data: one escaping function per output format.

A site, group, wave or scale name comes from somebody's spreadsheet and may hold any
character: ``<script>``, ``*bold*``, ``$\\frac{a$``, ``#set page(...)``, a control character.
Whatever it holds, the report shows it literally and never interprets it:

* HTML — :func:`html_text` (jinja2 autoescaping does the same for the template's fields);
* Markdown — :func:`markdown_text`: HTML-escaped (a Markdown viewer renders raw HTML) and
  every character with a Markdown meaning backslash-escaped;
* charts (matplotlib) — :func:`chart_text`, with mathtext parsing switched off for every
  chart (``text.parse_math = False`` in :mod:`stigma_outcomes.report.charts`), so ``$`` is a
  dollar sign; characters no font can draw are replaced;
* Typst (PDF) — no escaping is needed, by construction: the template reads every word from
  ``model.json`` as a string (:mod:`stigma_outcomes.report.render_typst`), so no label is ever
  spliced into Typst markup. :func:`typst_text` only removes what a PDF cannot carry.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

_MD_INLINE = re.compile(r"([\\`*_|~$]|\](?=[(\[:]))")
"""Characters with an inline meaning anywhere: escapes, code, emphasis, table cells,
strikethrough, math, and a ']' that would close a link (``[x](y)``, ``[x][y]``, ``[x]: y``);
a plain '[95% CI 1 to 2]' is left as it is."""
_MD_HTML = re.compile(r"<(?=[A-Za-z/!?])|&(?=#?\w+;)")
"""The start of an HTML tag, comment or entity (a bare '<5' or 'A & B' is left as it is)."""
_MD_BLOCK = re.compile(r"^(\s*)(?:([#>+=-])|(\d+)([.)]))")
"""What would start a heading, quote, list or rule at the start of a line."""
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def html_text(label: object) -> str:
    """``label`` as HTML text or attribute value.

    Examples
    --------
    >>> html_text('<b class="x">A & B</b>')
    '&lt;b class=&quot;x&quot;&gt;A &amp; B&lt;/b&gt;'
    """
    return html.escape(_SURROGATE.sub("\ufffd", str(label)), quote=True)


def markdown_text(text: object, *, block: bool = True) -> str:
    """``text`` as literal Markdown (CommonMark/GFM): no emphasis, link, HTML or heading.

    Line breaks become spaces, so a label can never start a new block; with ``block``
    (text that may start a line) a leading ``#``, ``>``, ``-``, ``+``, ``=`` or ``1.`` is
    escaped too (table cells pass ``block=False``: no block starts inside a cell).

    Examples
    --------
    >>> print(markdown_text("*Site* <b>#1</b> [x](y) <5 & $x$"))
    \\*Site\\* \\<b>#1\\</b> [x\\](y) <5 & \\$x\\$
    >>> print(markdown_text("# not a heading"), markdown_text("1. no list"))
    \\# not a heading 1\\. no list
    """
    value = _SURROGATE.sub("\ufffd", str(text))
    value = _CONTROL.sub(" ", value).replace("\r", " ").replace("\n", " ")
    value = _MD_INLINE.sub(r"\\\1", value)
    value = _MD_HTML.sub(lambda m: "\\" + m.group(), value)
    if block:
        # Leading blanks would make an indented code block (a paragraph drops them anyway).
        value = _MD_BLOCK.sub(_escape_block, value.lstrip(" \t"), count=1)
    return value


def _escape_block(m: re.Match[str]) -> str:
    if m.group(2):
        return f"{m.group(1)}\\{m.group(2)}"
    return f"{m.group(1)}{m.group(3)}\\{m.group(4)}"


def chart_text(label: str) -> str:
    """``label`` as matplotlib text: literal with mathtext off; undrawable characters replaced.

    A legend label starting with ``_`` would be hidden by matplotlib, so it is prefixed
    with an invisible word joiner.

    Examples
    --------
    >>> chart_text("$\\\\frac{a$"), chart_text("_hidden"), chart_text("a\\x00b")
    ('$\\\\frac{a$', '\\u2060_hidden', 'a\\ufffdb')
    """
    value = _CONTROL.sub("\ufffd", _SURROGATE.sub("\ufffd", label))
    return "\u2060" + value if value.startswith("_") else value


def map_strings(data: Any, escape: Callable[[str], str]) -> Any:
    """``data`` (dicts, lists, tuples) with every string value passed through ``escape``.

    Examples
    --------
    >>> map_strings({"a": ["x", 1], "b": ("y",)}, str.upper)
    {'a': ['X', 1], 'b': ('Y',)}
    """
    if isinstance(data, str):
        return escape(data)
    if isinstance(data, dict):
        return {k: map_strings(v, escape) for k, v in data.items()}
    if isinstance(data, list):
        return [map_strings(v, escape) for v in data]
    if isinstance(data, tuple):
        return tuple(map_strings(v, escape) for v in data)
    return data


def chart_data(data: Any) -> Any:
    """Every string in a chart's data passed through :func:`chart_text` (one call per chart).

    Examples
    --------
    >>> chart_data({"series": [{"label": "a\\x01", "n": 3}]})
    {'series': [{'label': 'a\\ufffd', 'n': 3}]}
    """
    return map_strings(data, chart_text)


def typst_text(text: str) -> str:
    """Text for the PDF's JSON model: surrogates and control characters a PDF cannot carry.

    Examples
    --------
    >>> typst_text("a\\x07b #set [x]")
    'a\\ufffdb #set [x]'
    """
    return _CONTROL.sub("\ufffd", _SURROGATE.sub("\ufffd", text))
