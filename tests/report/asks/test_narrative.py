from __future__ import annotations

from pathlib import Path

from stigma_outcomes.report.asks.narrative import parse_markdown, register_narrative


def test_markdown_paragraphs_and_bullets() -> None:
    paragraphs, bullets = parse_markdown("# Head\nLine one\nline two.\n\n* a\n- b\n\nEnd.")
    assert paragraphs == ["Head", "Line one line two.", "End."]
    assert bullets == ["a", "b"]


def test_file_and_recommendations(tmp_path: Path) -> None:
    path = tmp_path / "n.md"
    path.write_text("It worked.\n\n- More groups\n", encoding="utf-8")
    sec = register_narrative({"file": str(path), "recommendations": ["Fewer forms"]}).section()
    assert sec.paragraphs == ["It worked.", "Recommendations:"]
    assert sec.bullets == ["More groups", "Fewer forms"]


def test_text_only() -> None:
    sec = register_narrative({"text": "Plain words.", "recommendations": []}).section()
    assert sec.paragraphs == ["Plain words."] and sec.bullets == []
