"""The evaluator's narrative and recommendations, printed as written.

Asked for with ``report: narrative: {text: ..., recommendations: [...]}``, or with ``file:``
naming a Markdown file. The file is read as plain paragraphs (blank lines between them) and
bullet points (lines starting with ``-`` or ``*``); headings become paragraphs; any other
Markdown is printed as it stands (renderers escape it). No count is computed here: a number
the evaluator writes is theirs to check against the privacy rule.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..._inputs import read_text_file
from ..content import Section

TITLE = "The evaluator's view"
_BULLET = re.compile(r"^\s*[-*+]\s+")
_HEADING = re.compile(r"^\s*#+\s*")


def parse_markdown(text: str) -> tuple[list[str], list[str]]:
    """Paragraphs and bullet points of simple Markdown.

    Examples
    --------
    >>> parse_markdown("# Overall\\nIt went well\\nin places.\\n\\n- more groups\\n- less paper")
    (['Overall', 'It went well in places.'], ['more groups', 'less paper'])
    """
    paragraphs: list[str] = []
    bullets: list[str] = []
    current: list[str] = []

    def close() -> None:
        if current:
            paragraphs.append(" ".join(current))
            current.clear()

    for line in text.splitlines():
        if not line.strip():
            close()
        elif _BULLET.match(line):
            close()
            bullets.append(_BULLET.sub("", line).strip())
        elif _HEADING.match(line):
            close()
            paragraphs.append(_HEADING.sub("", line).strip())
        else:
            current.append(line.strip())
    close()
    return paragraphs, bullets


@dataclass
class Narrative:
    """The evaluator's paragraphs and recommendations."""

    paragraphs: list[str] = field(default_factory=list)
    recommendations: list[str] = field(default_factory=list)

    def section(self, _d: Any = None) -> Section:
        sec = Section("narrative", TITLE)
        sec.paragraphs = list(self.paragraphs)
        if self.recommendations:
            sec.paragraphs.append("Recommendations:")
            sec.bullets = list(self.recommendations)
        return sec


def register_narrative(options: Mapping[str, Any]) -> Narrative | None:
    """Read the narrative (text or file) and recommendations; None when all are empty."""
    paragraphs: list[str] = []
    bullets: list[str] = []
    if options.get("file"):
        paragraphs, bullets = parse_markdown(read_text_file(options["file"], "narrative file"))
    elif options.get("text"):
        paragraphs, bullets = parse_markdown(str(options["text"]))
    recommendations = [*bullets, *(str(r).strip() for r in options.get("recommendations") or [])]
    out = Narrative(paragraphs, [r for r in recommendations if r])
    return out if out.paragraphs or out.recommendations else None
