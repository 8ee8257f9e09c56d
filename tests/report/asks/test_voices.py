from __future__ import annotations

from pathlib import Path

import pytest

from stigma_outcomes.errors import InputError
from stigma_outcomes.report.asks.voices import read_voices, register_voices


def _file(tmp_path: Path, text: str) -> str:
    path = tmp_path / "voices.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_only_consented_quotes_up_to_the_maximum(tmp_path: Path) -> None:
    path = _file(
        tmp_path,
        "- {quote: One, consent: true, attribution: participant}\n"
        "- {quote: Two, consent: false}\n"
        "- {quote: Three, consent: true}\n"
        "- {quote: Four, consent: true}\n",
    )
    assert read_voices(path, 2) == [("One", "participant"), ("Three", None)]
    sec = register_voices({"file": path, "max": 3}).section()
    assert sec.bullets == ["“One” — participant", "“Three”", "“Four”"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- {quote: One}\n", "does not record consent"),
        ("- {quote: One, consent: yes please}\n", "does not record consent"),
        ("- {quote: Mail me at a.b@example.org, consent: true}\n", "contact details"),
        ("- {quote: One, consent: true, name: Avery}\n", "unknown field 'name'"),
        ("quote: One\n", "YAML list"),
    ],
)
def test_bad_voices_file_is_one_clear_error(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        read_voices(_file(tmp_path, text))


def test_no_consented_quote_no_section(tmp_path: Path) -> None:
    path = _file(tmp_path, "- {quote: One, consent: false}\n")
    assert register_voices({"file": path}) is None
