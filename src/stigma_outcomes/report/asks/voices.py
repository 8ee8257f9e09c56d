"""In participants' words: two or three consented quotes from a file the evaluator curates.

Asked for with ``report: voices: {file: quotes.yaml}``. Quotes never come from the export's
free text (those columns are personal data and never reach a report); the evaluator chooses
them and records each participant's consent in the file::

    - quote: I stopped dreading Tuesdays.
      consent: true
      attribution: participant, Northside group

Every entry must say ``consent:`` (true or false): a file without it is refused, and quotes
without consent are left out. A quote that holds an e-mail address, a phone number or a web
address is refused too, because a report is shared.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..._inputs import read_yaml_file
from ...errors import InputError
from ..content import Section

TITLE = "In participants' words"
MAX_WORDS = 80
_CONTACT = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+|https?://|www\.|\+?\d[\d ()-]{7,}\d", re.IGNORECASE)


def _refuse(path: str, what: str, fix: str) -> InputError:
    return InputError(f"voices file: {what}", where=path, fix=fix)


def read_voices(path: str, most: int = 3) -> list[tuple[str, str | None]]:
    """The first ``most`` consented quotes of the file, as (quote, attribution)."""
    raw = read_yaml_file(path, "voices file")
    if not isinstance(raw, list) or not raw:
        raise _refuse(path, "it must be a YAML list of quotes", "see docs/evaluation-file.md")
    out: list[tuple[str, str | None]] = []
    for i, entry in enumerate(raw, start=1):
        if not isinstance(entry, Mapping) or not isinstance(entry.get("quote"), str):
            raise _refuse(path, f"entry {i} has no 'quote' text", "give each entry a 'quote'")
        unknown = sorted(set(entry) - {"quote", "consent", "attribution"})
        if unknown:
            raise _refuse(
                path, f"entry {i} has unknown field '{unknown[0]}'",
                "use only quote, consent and attribution",
            )  # fmt: skip
        if not isinstance(entry.get("consent"), bool):
            raise _refuse(
                path,
                f"entry {i} does not record consent as true or false",
                "add 'consent: true' only where the participant agreed to be quoted",
            )
        quote, who = entry["quote"].strip(), entry.get("attribution")
        for text in (quote, str(who or "")):
            if _CONTACT.search(text):
                raise _refuse(
                    path,
                    f"entry {i} holds contact details (an e-mail, phone or web address)",
                    "remove them: a report is shared",
                )
        if len(quote.split()) > MAX_WORDS:
            raise _refuse(path, f"entry {i} is longer than {MAX_WORDS} words", "shorten the quote")
        if entry["consent"] and quote:
            out.append((quote, str(who).strip() if who else None))
    return out[:most]


@dataclass
class Voices:
    """The quotes chosen for the report."""

    quotes: list[tuple[str, str | None]]

    def section(self, _d: Any = None) -> Section:
        sec = Section("voices", TITLE)
        sec.paragraphs.append(
            "Chosen by the evaluation team from what participants said, and printed with "
            "their consent. They illustrate the findings above; they are not a sample."
        )
        sec.bullets = [f"“{q}”" + (f" — {who}" if who else "") for q, who in self.quotes]
        return sec


def register_voices(options: Mapping[str, Any]) -> Voices | None:
    """Read and check the quotes file; None when no quote has consent."""
    quotes = read_voices(str(options["file"]), int(options.get("max", 3)))
    return Voices(quotes) if quotes else None
