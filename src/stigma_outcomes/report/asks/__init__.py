"""What funders ask that the outcome sections do not answer, each optional, one module each.

* :mod:`.who` — who took part (carried demographic columns) and change by subgroup;
* :mod:`.dose` — sessions attended, completion, change by dose band (not causal);
* :mod:`.targets` — the programme's own targets, met or not, with the shortfall;
* :mod:`.norms` — the baseline beside the instrument's published norms;
* :mod:`.cost` — cost per participant and per reliably improved participant;
* :mod:`.voices` — two or three consented quotes from an evaluator-curated file;
* :mod:`.narrative` — the evaluator's narrative and recommendations.

The evaluation file's ``report:`` block asks for each (``ReportOptions.funder_asks`` hands
them over as plain data). :func:`register_asks` runs before the report's disclosure audit
and registers every count of people the sections will print; :func:`ask_sections` runs
after it and builds the sections from the resolved statuses.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

import pandas as pd

from ..content import Section
from ..privacy import Disclosure

ORDER = ("who", "dose", "targets", "norms", "cost", "voices", "narrative")


class Ask(Protocol):
    """A registered funder section: builds itself once the audit has run."""

    def section(self, d: Disclosure) -> Section: ...


def register_asks(
    asks: Mapping[str, Any] | None,
    data: Mapping[str, Any],
    scores: pd.DataFrame | None,
    d: Disclosure,
    primary: tuple[str, str] | None,
) -> list[Ask]:
    """Read and register every section asked for, in report order (before ``d.resolve()``).

    Raises
    ------
    InputError
        A section names a column, outcome, group or file that cannot be used.
    """
    if not asks:
        return []
    from .cost import register_cost
    from .dose import register_dose
    from .narrative import register_narrative
    from .norms import register_norms
    from .targets import register_targets
    from .voices import register_voices
    from .who import register_who

    built: dict[str, Ask | None] = {}
    for name in ORDER:
        options = asks.get(name)
        if options is None or (isinstance(options, list) and not options):
            continue  # not asked for ("norms: {}" is asked for, with every default)
        if name == "who":
            built[name] = register_who(options, data, scores, d, primary)
        elif name == "dose":
            built[name] = register_dose(options, data, scores, d, primary)
        elif name == "targets":
            built[name] = register_targets(options, data, primary)
        elif name == "norms":
            built[name] = register_norms(options, data, scores, d, primary)
        elif name == "cost":
            built[name] = register_cost(options, data, scores, d, primary)
        elif name == "voices":
            built[name] = register_voices(options)
        else:
            built[name] = register_narrative(options)
    return [a for a in built.values() if a is not None]


def ask_sections(asked: list[Ask], d: Disclosure) -> list[Section]:
    """The funder sections, built from the audit's statuses (after ``d.resolve()``)."""
    return [a.section(d) for a in asked]
