"""Library-wide checks over every built-in instrument definition.

Each definition is loaded through the registry, and for every scale a best-case and a
worst-case respondent are built from the response codes and actually scored, so the
declared range is shown to be reachable end to end (after reversal, recodes and any
conversion table), not just by arithmetic.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

import stigma_outcomes as so
from stigma_outcomes.instruments import Registry, list_instruments
from stigma_outcomes.instruments.checks import reachable_raw_scores, theoretical_range
from stigma_outcomes.instruments.registry import builtin_dir
from stigma_outcomes.instruments.schema import Instrument, Item, code_key

REGISTRY = Registry(include_builtin=True)
INSTRUMENTS = list_instruments()
IDS = [instrument.id for instrument in INSTRUMENTS]


def _keyed(instrument: Instrument, item: Item, code: float) -> float:
    codes = [float(o.code) for o in instrument.response_scales[item.scale]]
    value = min(codes) + max(codes) - code if item.reverse else code
    if item.recode is not None:
        value = float(item.recode.get(code_key(value), value))
    return value


def _extreme_codes(instrument: Instrument, pick: str) -> list[float]:
    """The response code of each item that gives its lowest (or highest) scored value."""
    chosen = []
    for item in instrument.items:
        codes = [float(o.code) for o in instrument.response_scales[item.scale]]
        chooser = min if pick == "low" else max
        chosen.append(chooser(codes, key=lambda c, it=item: _keyed(instrument, it, c)))
    return chosen


def test_registry_finds_every_definition_file() -> None:
    files = sorted(p.stem for p in builtin_dir().glob("*.yaml"))
    assert files == IDS
    assert len(IDS) >= 20


def test_no_two_definitions_share_an_id() -> None:
    assert len(IDS) == len(set(IDS))
    for instrument_id in IDS:
        assert REGISTRY.path(instrument_id).stem == instrument_id


@pytest.mark.parametrize("instrument_id", IDS)
def test_every_definition_loads(instrument_id: str) -> None:
    instrument = so.load_instrument(instrument_id)
    assert instrument.id == instrument_id
    assert instrument.scales and instrument.items


@pytest.mark.parametrize("instrument_id", IDS)
def test_item_labels_are_two_to_six_words(instrument_id: str) -> None:
    instrument = so.load_instrument(instrument_id)
    too_short_or_long = [
        (item.id, item.label) for item in instrument.items if not 2 <= len(item.label.split()) <= 6
    ]
    assert too_short_or_long == []


@pytest.mark.parametrize("instrument_id", IDS)
def test_licensed_wording_is_never_shipped(instrument_id: str) -> None:
    provenance = so.load_instrument(instrument_id).provenance
    if provenance.license.status != "public_domain":
        assert provenance.wording_shipped is False
        assert all(item.wording is None for item in so.load_instrument(instrument_id).items)


@pytest.mark.parametrize("instrument_id", IDS)
def test_every_definition_names_its_sources(instrument_id: str) -> None:
    provenance = so.load_instrument(instrument_id).provenance
    assert provenance.sources
    texts = [
        text
        for source in provenance.sources
        for text in ([source] if isinstance(source, str) else source.sources)
    ]
    assert all(len(text.strip()) >= 10 for text in texts)


@pytest.mark.parametrize("instrument_id", IDS)
def test_no_shipped_scoring_fact_rests_on_one_source(instrument_id: str) -> None:
    """A fact that changes a score ships only when verified (or a stated convention)."""
    facts = [
        s for s in so.load_instrument(instrument_id).provenance.sources if not isinstance(s, str)
    ]
    weak = [
        (f.fact, f.status)
        for f in facts
        if f.scoring and f.status in {"single_source", "uncertain"}
    ]
    assert weak == []


@pytest.mark.parametrize("instrument_id", IDS)
def test_declared_ranges_are_reachable(instrument_id: str) -> None:
    instrument = so.load_instrument(instrument_id)
    for scale in instrument.scales:
        if scale.method == "mean":
            low, high = theoretical_range(instrument, scale)
            if scale.conversion is None:
                assert (low, high) == pytest.approx(scale.range), scale.id
            continue
        reachable = reachable_raw_scores(instrument, scale)
        if scale.conversion is None:
            assert scale.range[0] in reachable and scale.range[1] in reachable, scale.id
        else:
            ends = {row.score: row.raw for row in scale.conversion.table}
            assert ends[scale.range[0]] in reachable and ends[scale.range[1]] in reachable


@pytest.mark.parametrize("instrument_id", IDS)
def test_extreme_respondents_score_the_range_ends(instrument_id: str) -> None:
    instrument = so.load_instrument(instrument_id)
    frame = pd.DataFrame(
        {
            "participant_id": ["low", "high"],
            **{
                f"{instrument.id}_{item.id}": [lo, hi]
                for item, lo, hi in zip(
                    instrument.items,
                    _extreme_codes(instrument, "low"),
                    _extreme_codes(instrument, "high"),
                    strict=True,
                )
            },
        }
    )
    scores = so.score(frame, [instrument]).scores
    for scale in instrument.scales:
        rows = scores[scores["scale"] == scale.id].set_index("participant_id")["score"]
        got = sorted([rows["low"], rows["high"]])
        assert not any(math.isnan(v) for v in got), scale.id
        assert got == pytest.approx(sorted(scale.range)), scale.id
