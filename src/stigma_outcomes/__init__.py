"""stigma_outcomes: survey exports → validated scores → defensible statistics → funder reports.

The public API is loaded lazily, so ``import stigma_outcomes`` (and the command line's
``--help``) stays fast; each name is imported from its pipeline stage on first use.

Examples
--------
>>> import stigma_outcomes as so
>>> so.load_instrument("ucla3").scale("total").range
(3, 9)
"""

from __future__ import annotations

from ._lazy import lazy_exports
from ._version import __version__

_EXPORTS = {
    "Instrument": "stigma_outcomes.instruments",
    "Registry": "stigma_outcomes.instruments",
    "load_instrument": "stigma_outcomes.instruments",
    "list_instruments": "stigma_outcomes.instruments",
    "RawTable": "stigma_outcomes.ingest",
    "read_export": "stigma_outcomes.ingest",
    "load_responses": "stigma_outcomes.ingest",
    "load_mapping": "stigma_outcomes.ingest",
    "ItemResponses": "stigma_outcomes.ingest",
    "score": "stigma_outcomes.scoring",
    "ScoreResult": "stigma_outcomes.scoring",
    "compare": "stigma_outcomes.comparison",
    "Results": "stigma_outcomes.comparison",
    "pool_results": "stigma_outcomes.comparison",
    "plan_sample_size": "stigma_outcomes.comparison",
    "build_report": "stigma_outcomes.report",
    "render_report": "stigma_outcomes.report",
    "run_evaluation": "stigma_outcomes.pipeline",
    "StigmaOutcomesError": "stigma_outcomes.errors",
}

__all__ = ["__version__", *sorted(_EXPORTS)]


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
