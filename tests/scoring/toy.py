"""A small custom instrument that exercises every scoring feature, for engine tests."""

from __future__ import annotations

from typing import Any

from stigma_outcomes.instruments import Instrument, parse_instrument


def toy_definition() -> dict[str, Any]:
    agree = [
        {"code": 1, "label": "Strongly disagree", "synonyms": ["SD"]},
        {"code": 2, "label": "Disagree"},
        {"code": 3, "label": "Agree"},
        {"code": 4, "label": "Strongly agree", "synonyms": ["SA"]},
    ]
    items = [
        {"id": "1", "label": "first toy item", "scale": "agree4"},
        {"id": "2", "label": "second toy item", "scale": "agree4", "reverse": True},
        {
            "id": "3",
            "label": "third toy item",
            "scale": "agree4",
            "missing_codes": [{"label": "Don't know", "code": 9, "score_as": 2}],
        },
        {
            "id": "4",
            "label": "fourth toy item",
            "scale": "agree4",
            "missing_codes": [{"label": "Prefer not to say", "code": 8}],
        },
        {
            "id": "5",
            "label": "dichotomous toy item",
            "scale": "agree4",
            "recode": {1: 0, 2: 0, 3: 1, 4: 1},
        },
    ]
    return {
        "id": "toy",
        "name": "Toy scale for tests",
        "short_name": "TOY",
        "construct": "testing",
        "domain": "wellbeing",
        "version": "0.1",
        "provenance": {
            "citation": "Invented for the stigma_outcomes test suite.",
            "license": {"status": "public_domain", "note": "test only"},
        },
        "response_scales": {"agree4": agree},
        "items": items,
        "scales": [
            {
                "id": "sum4",
                "name": "Sum of items 1-4",
                "items": ["1", "2", "3", "4"],
                "method": "sum",
                "min_answered": 4,
                "direction": "higher_is_better",
                "range": [40, 70],
                "conversion": {
                    "to": "T-score",
                    "source": "invented",
                    "status": "computed",
                    "table": [
                        {"raw": r, "score": 30 + 2.5 * r, "se": 5 - r / 10} for r in range(4, 17)
                    ],
                },
            },
            {
                "id": "mean4",
                "name": "Mean of items 1-4",
                "items": ["1", "2", "3", "4"],
                "method": "mean",
                "min_answered": "75%",
                "direction": "higher_is_better",
                "range": [1, 4],
                "bands": {
                    "source": "invented",
                    "status": "convention",
                    "levels": [
                        {"label": "low", "min": 1, "max": 2.49},
                        {"label": "high", "min": 2.5, "max": 4},
                    ],
                },
            },
            {
                "id": "prorated4",
                "name": "Prorated sum of items 1-4",
                "items": ["1", "2", "3", "4"],
                "method": "prorated_sum",
                "min_answered": 3,
                "direction": "higher_is_better",
                "range": [4, 16],
            },
            {
                "id": "dich",
                "name": "Dichotomous item",
                "items": ["5"],
                "method": "sum",
                "min_answered": 1,
                "direction": "higher_is_worse",
                "range": [0, 1],
            },
        ],
        "alerts": [
            {
                "id": "strong_disagree_item1",
                "items": ["1"],
                "operator": "<=",
                "value": 1,
                "message": "follow up with this participant",
            }
        ],
    }


def toy_instrument() -> Instrument:
    return parse_instrument(toy_definition(), "toy.yaml")
