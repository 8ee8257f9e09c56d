"""Personal data told by a column's name or question text: the rules (the words and patterns
they read are in :mod:`._pii_words`).

Part of :mod:`.pii` (which adds what each platform is known to export, the values' own look,
:mod:`._pii_values`, and the columns a user declares). Names are compared folded (lower case,
accents dropped: "Teléfono" → "telefono"), so one list serves every spelling; the languages
covered are English, Spanish, French, German, Portuguese, Italian and Dutch, the ones
evaluators' exports come in. A name says what a field is about: a word that also has an
everyday sense counts only where the name is field-like (a path's last segment, a few words),
not inside a question used as the header.
"""

from __future__ import annotations

import re
import unicodedata

from ._pii_words import (
    AMBIGUOUS_RULES,
    CONNECTIVES,
    DEVICE_ID,
    FIELD_WORDS,
    FUSED_NAMES,
    LABEL_PATTERNS,
    NAME_WORDS,
    NUMBER_WORDS,
    PATTERNS,
    PERSON_WORDS,
    PHRASE_RULES,
    SUBMITTER_ID,
    THING_WORDS,
    TOKEN_RULES,
    WORD_RULES,
)

_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_SPLIT = re.compile(r"[^a-z0-9]+")
_REPEAT = re.compile(r"^\d+$")
"""A repeat index or numbered copy (``[1]``, ``_2``), not part of what a field is called."""


def fold(text: str) -> str:
    """Text without accents (and ß as ss), for comparing words across spellings.

    Examples
    --------
    >>> fold("Número de teléfono"), fold("Straße")
    ('Numero de telefono', 'Strasse')
    """
    text = str(text)
    if text.isascii():  # most column names: nothing to fold
        return text
    text = unicodedata.normalize("NFKD", text.replace("ß", "ss"))
    return "".join(c for c in text if not unicodedata.combining(c))


def name_tokens(name: str) -> list[str]:
    """Words of a column name, split at snake, kebab, slash, bracket, space and camel case,
    folded (lower case, no accents).

    Examples
    --------
    >>> name_tokens("children[1]/childs_name"), name_tokens("SubmitterName")
    (['children', '1', 'childs', 'name'], ['submitter', 'name'])
    >>> name_tokens("Número de celular")
    ['numero', 'de', 'celular']
    """
    text = _CAMEL.sub(" ", fold(name).replace("’", "'")).lower().replace("'s", "s")
    return [t for t in _SPLIT.split(text) if t]


def _person_name(tokens: list[str]) -> bool:
    """Whether the words name a field holding a person's name.

    A name word at the end names a person unless a thing stands before it ("site_name",
    "Instrument name"); elsewhere it needs a person or qualifier beside it ("name_first",
    "nombre del participante"; not "name_of_programme").
    """
    if any(t in FUSED_NAMES for t in tokens) or "".join(tokens) in FUSED_NAMES:
        return True
    words = [t for t in tokens if not _REPEAT.match(t)]
    for i, token in enumerate(words):
        if token not in NAME_WORDS:
            continue
        before = words[i - 1] if i else ""
        after = next((w for w in words[i + 1 :] if w not in CONNECTIVES), "")
        if i == len(words) - 1 and before not in THING_WORDS:
            return True
        if before in PERSON_WORDS or after in PERSON_WORDS:
            return True
    return False


def _names_a_thing(tokens: list[str]) -> bool:
    """Whether the words end in a name word right after a thing ("site/name",
    "clinic_name"): the name of a site, not of a person.

    Examples
    --------
    >>> _names_a_thing(["site", "name"]), _names_a_thing(["kids", "name"])
    (True, False)
    """
    words = [t for t in tokens if not _REPEAT.match(t)]
    return len(words) >= 2 and words[-1] in NAME_WORDS and words[-2] in THING_WORDS


def _field_reason(tokens: list[str]) -> str | None:
    """Why a field-like name marks personal data, judged on its single words."""
    words = [t for t in tokens if not _REPEAT.match(t) and t not in CONNECTIVES]
    if not words or len(words) > FIELD_WORDS:
        return None
    for vocabulary, reason in WORD_RULES:
        if vocabulary.intersection(words):
            return reason
    if len(words) == 1 or NUMBER_WORDS.intersection(words):
        for vocabulary, reason in AMBIGUOUS_RULES:
            if vocabulary.intersection(words):
                return reason
    return None


def _token_reason(name: str) -> str | None:
    """Why a column name marks personal data, judged word by word (a person's name field,
    a contact, identity or birth-date field in any of the covered languages, a submitter or
    device field, an attachment), or ``None``.

    Examples
    --------
    >>> _token_reason("next_of_kin_contact_name"), _token_reason("name_first")
    ('name', 'name')
    >>> _token_reason("redcap_event_name") is None, _token_reason("site_name") is None
    (True, True)
    >>> _token_reason("kids/nested_group/nested_name"), _token_reason("Apellidos")
    ('name', 'name')
    >>> _token_reason("Número de celular"), _token_reason("name_of_programme") is None
    ('phone number', True)
    """
    tokens = name_tokens(name)
    if not tokens or tokens[-1] in {"complete", "completed", "status"}:
        # A form's completion status (REDCap ``image_complete``) names a form, not a field.
        return None
    if _person_name(tokens):
        return "name"
    # A path is judged by its last segment: the groups above it (``kids/kids_details[1]``)
    # say where the field is, not what it holds.
    path = str(name).rstrip("/")
    last = (name_tokens(path.rsplit("/", 1)[-1]) or tokens) if "/" in path else tokens
    reason = _pattern_reason(" ".join(tokens), PHRASE_RULES) or _field_reason(last)
    if reason:
        return reason
    if "device" in tokens and "id" in tokens:
        return DEVICE_ID
    if "submitter" in tokens:
        return "name" if "id" not in tokens else SUBMITTER_ID
    for words, reason in TOKEN_RULES:
        if words.intersection(tokens):
            return reason
    return None


def name_reason(name: str, label: str) -> str | None:
    """Why a column's name or question text marks personal data, or ``None``.

    Examples
    --------
    >>> name_reason("Correo electrónico", ""), name_reason("Q4", "Fecha de nacimiento")
    ('e-mail', 'date of birth')
    >>> name_reason("How often do you avoid phone calls?", ""), name_reason("Phone", "")
    (None, 'phone number')
    >>> name_reason("What is your mobile phone number, please?", "")
    'phone number'
    >>> name_reason("Upload an image of your plant, for example", "")
    'media or URL'
    >>> name_reason("site/name", ""), name_reason("respondent/name", "")
    (None, 'name')
    """
    key = name.strip().lower()
    label = " ".join(label.split()).lower()
    if len(key.split()) >= _QUESTION_WORDS:
        # Question text used as the column name (SurveyMonkey, Google Forms): judged by what
        # it asks for, like a question's text, not by the words it mentions ("How often do
        # you avoid phone calls?" is an item, and binding it was refused as personal data).
        return _asks(key) or _asks(label)
    pattern = _pattern_reason(fold(key), PATTERNS)
    if pattern == "name" and _names_a_thing(name_tokens(name)):
        pattern = None  # "site/name", "school/name": a thing's name (the word rules agree)
    return (
        pattern
        or _token_reason(name)
        or _asks(label)
        or (_pattern_reason(key, LABEL_PATTERNS) if len(key) > 20 else None)
    )


def _asks(text: str) -> str | None:
    """The personal detail a question's text asks for, or ``None``."""
    if not text:
        return None
    return _pattern_reason(text, LABEL_PATTERNS) or _pattern_reason(
        " ".join(name_tokens(text)), PHRASE_RULES
    )


_QUESTION_WORDS = 6
"""A column name of this many words or more (separated by spaces) is a question used as the
header, not a field name."""


def _pattern_reason(text: str, patterns: list[tuple[re.Pattern[str], str]]) -> str | None:
    if not text:
        return None
    for pattern, reason in patterns:
        if pattern.search(text):
            return reason
    return None
