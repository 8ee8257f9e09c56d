"""Schema rules that no single definition exercises: per-fact sources and their status."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from stigma_outcomes.instruments.schema import Provenance, SourcedFact

LICENSE = {"status": "free_with_citation", "note": "cite it"}


def test_verified_needs_two_sources() -> None:
    with pytest.raises(ValidationError, match="verified needs two independent sources"):
        SourcedFact(fact="reverse keys", status="verified", sources=["only one"])
    fact = SourcedFact(fact="reverse keys", status="single_source", sources=["only one"])
    assert fact.scoring is True


def test_sources_mix_plain_text_and_facts() -> None:
    provenance = Provenance(
        citation="Someone (2020). A scale.",
        license=LICENSE,
        sources=[
            "A plain source line",
            {"fact": "items 1-4", "status": "verified", "sources": ["A", "B"]},
        ],
    )
    assert isinstance(provenance.sources[0], str)
    assert isinstance(provenance.sources[1], SourcedFact)
    with pytest.raises(ValidationError):
        Provenance(
            citation="Someone (2020). A scale.",
            license=LICENSE,
            sources=[{"fact": "items", "status": "probably", "sources": ["A"]}],
        )
