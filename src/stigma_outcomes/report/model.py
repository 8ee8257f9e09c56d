"""The report as data: every sentence, table and chart, built once from results, scores, ledger.

Renderers (Typst/PDF, HTML, Markdown) only lay this model out, so what a funder reads is the
same whatever the format, and privacy rules are applied here, once, for all of them. No
statistic is computed here: numbers come from the results records (SPEC §6); the scores
and ledger are only counted (participant flow, data-quality problems) and, for the
individual-change chart, plotted without identifiers.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..comparison.records.meta import run_settings
from ._score_keys import ScoreKeys
from ._verdicts import mark_not_asked
from .asks import ask_sections, register_asks
from .change import register_changes
from .content import (
    RCI_COUNTS,
    Chart,
    OutcomeSection,
    ReportModel,
    ReportSettings,
    Section,
    Table,
    record_key,
)
from .evaluator import evaluator_notes
from .findings import register_threshold_shares
from .group_flow import group_flow_table, register_group_flow
from .outcome_sections import outcome_section
from .participation import flow_chart, flow_steps, flow_steps_unlinked, tie_to_flow
from .planning import planning_section
from .privacy import Disclosure, reader_cost
from .sites import register_sites, sites_section
from .summary import build_summary, register_summary
from .tables import ledger_table, register_ledger

__all__ = [
    "Chart",
    "OutcomeSection",
    "ReportModel",
    "ReportSettings",
    "Section",
    "Table",
    "build_report",
    "record_key",
]


PRIMARY_PAIRS_COST = 2.0
"""How much dearer the main contrast's pairs are to hide than a later contrast's."""


def _as_dict(results: Any) -> dict[str, Any]:
    if isinstance(results, dict):
        return results
    for name in ("to_dict", "as_dict", "model_dump"):
        method = getattr(results, name, None)
        if callable(method):
            return dict(method())
    raise TypeError("results must be a dict in the SPEC §6 layout or a Results object")


def _register(data: dict[str, Any], d: Disclosure, primary: tuple[str, str] | None = None) -> None:
    paired = data.get("paired") or []
    by_cell: dict[str, list[dict[str, Any]]] = {}
    for rec in paired:
        key = record_key("paired", rec)
        # The main contrast's pairs are the report's headline: where hiding a later
        # contrast's pairs protects as well, that is hidden instead.
        main = (
            primary is not None and (str(rec.get("from_wave")), str(rec.get("to_wave"))) == primary
        )
        cost = PRIMARY_PAIRS_COST * reader_cost(f"{key}|n_pairs") if main else None
        d.count(f"{key}|n_pairs", rec.get("n_pairs"), cost=cost)
        d.derived(f"{key}|stats", f"{key}|n_pairs")
        # Only what the report prints is registered: the direction counts (improved /
        # unchanged / worsened at all) and recoveries appear in no table, chart or sentence.
        for name in RCI_COUNTS:
            d.count(f"{key}|{name}", rec.get(name))
            d.derived(f"{key}|{name}", f"{key}|n_pairs")
            # Printed as a share of the pairs (summary table, bar labels).
            d.share(f"{key}|{name}|pct", f"{key}|{name}", f"{key}|n_pairs")
        d.relation(f"{key}|n_pairs", [f"{key}|{n}" for n in RCI_COUNTS])
        cell = record_key("paired", {**rec, "group": None})
        by_cell.setdefault(cell, []).append(rec)
    # Groups partition the whole sample, so each whole-sample count is a sum of group counts.
    for cell, recs in by_cell.items():
        groups = [r for r in recs if r.get("group") is not None]
        if not groups:
            continue
        for name in ("n_pairs", *RCI_COUNTS):
            d.relation(f"{cell}|{name}", [f"{record_key('paired', r)}|{name}" for r in groups])
    unlinked_cells: dict[str, list[dict[str, Any]]] = {}
    for rec in data.get("unlinked") or []:
        key = record_key("unlinked", rec)
        for name, legacy in (("n_before", "n_pre"), ("n_after", "n_post")):
            d.count(f"{key}|{name}", rec.get(name, rec.get(legacy)))
            d.derived(f"{key}|stats", f"{key}|{name}")
        register_threshold_shares(rec, key, d)
        cell = record_key("unlinked", {**rec, "group": None})
        unlinked_cells.setdefault(cell, []).append(rec)
    # As for pairs: the whole sample's counts are sums of the groups' counts.
    for cell, recs in unlinked_cells.items():
        groups = [r for r in recs if r.get("group") is not None]
        if groups:
            for name in ("n_before", "n_after"):
                d.relation(
                    f"{cell}|{name}", [f"{record_key('unlinked', r)}|{name}" for r in groups]
                )
    starters: dict[tuple[str, str, str], str] = {}
    for rec in data.get("attrition") or []:
        if rec.get("group") is not None:
            continue  # the report shows attrition for the whole sample only
        key = record_key("attrition", rec)
        d.count(f"{key}|n_completers", rec.get("n_completers"))
        d.count(f"{key}|n_dropouts", rec.get("n_dropouts"))
        # Everyone with a starting score: printed in the methods (the baseline SD's n).
        if rec.get("n_completers") is not None and rec.get("n_dropouts") is not None:
            d.count(f"{key}|n_baseline", rec["n_completers"] + rec["n_dropouts"])
        d.relation(f"{key}|n_baseline", [f"{key}|n_completers", f"{key}|n_dropouts"])
        # Each later wave's record splits the same people with a starting score: one
        # number to the reader, who can add either row of the table.
        scale = (str(rec.get("instrument")), str(rec.get("scale")), str(rec.get("from_wave")))
        first = starters.setdefault(scale, f"{key}|n_baseline")
        if first != f"{key}|n_baseline" and first in d.values:
            d.relation(first, [f"{key}|n_baseline"])
    for rec in data.get("reliability") or []:
        d.count(f"{record_key('reliability', rec)}|n", rec.get("n"))
    # The mixed-model chart's legend prints each group's largest n over the waves.
    for m in data.get("mixed_models") or []:
        most: dict[str, int] = {}
        for cell in m.get("wave_means") or []:
            group = str(cell.get("group") or "Everyone")
            most[group] = max(most.get(group, 0), int(cell.get("n") or 0))
        for group, n in most.items():
            d.count(f"mixed|{m.get('instrument')}|{m.get('scale')}|{group}|n_most", n)


def _primary_contrast(data: dict[str, Any]) -> tuple[str, str] | None:
    for rec in data.get("paired") or []:
        if rec.get("from_wave") is not None:
            return str(rec["from_wave"]), str(rec["to_wave"])
    for rec in data.get("unlinked") or []:
        if rec.get("from_wave") is not None:
            return str(rec["from_wave"]), str(rec["to_wave"])
    return None


def build_report(
    results: Any,
    scores: pd.DataFrame | None = None,
    ledger: pd.DataFrame | None = None,
    settings: ReportSettings | None = None,
    planning: Any | None = None,
    asks: Any | None = None,
    registry: Any | None = None,
) -> ReportModel:
    """Build the report model from saved or fresh results, tidy scores and the ledger.

    Parameters
    ----------
    results : dict or Results
        The SPEC §6 layout (``meta``, ``paired``, ``unlinked``, ``mixed_models``, ``ancova``,
        ``attrition``, ``reliability``, ``pooled``).
    scores : DataFrame, optional
        Tidy scores; used for the participant flow and the individual-change chart.
    ledger : DataFrame, optional
        The data-quality ledger; summarised as counts (alerts are left out).
    settings : ReportSettings, optional
        Title, programme, period, author, language, suppression threshold.
    planning : mapping, optional
        Adds "Planning the next cohort" (:mod:`.planning`): ``power``, ``alpha``,
        ``outcomes``, ``attrition``; None leaves it out.
    asks : mapping, optional
        The funder sections asked for (:mod:`.asks`: ``who``, ``dose``, ``targets``,
        ``norms``, ``cost``, ``voices``, ``narrative``); None leaves them out.
    registry : Registry, optional
        The instrument registry of the analysis (a user's own definitions included), from
        which outcomes are named and described; the default registry when omitted.

    Examples
    --------
    >>> model = build_report({"meta": {}, "paired": []})
    >>> model.summary.title
    'Summary'
    """
    from . import chart_worker
    from .annex import annex_section
    from .methods import attrition_section, limitations_section, methods_section
    from .outcomes import Definitions

    # A chart child the command started unprepared imports matplotlib meanwhile.
    chart_worker.prepare()

    # Definitions are looked up once per build, never carried over from an earlier one.
    defs = Definitions(registry)
    settings = settings or ReportSettings()
    data = mark_not_asked(_as_dict(results), scores)
    d = Disclosure(settings.min_cell)
    primary = _primary_contrast(data)
    _register(data, d, primary)
    register_sites(data, d)
    linked = bool(data.get("paired"))
    analysis = run_settings(data)
    followups = [str(w) for w in analysis.get("followup") or []]
    # The scores' key columns as codes, made once for the flow, the histograms of change
    # and the shares beyond each line.
    keys = ScoreKeys(scores) if scores is not None and not scores.empty else None
    if linked:
        flow = flow_steps(scores, *(primary or (None, None)), d, followups, keys)
    else:
        flow = flow_steps_unlinked(scores, *(primary or (None, None)), d)
    group_col = analysis.get("group_by")
    flow_groups = (
        register_group_flow(scores, group_col, *(primary or (None, None)), d, keys)
        if linked
        else []
    )
    if linked:
        # The per-scale counts (registered by _register) are among the flow's people.
        tie_to_flow(data, d, *(primary or (None, None)), followups)
    problems = register_ledger(ledger, d)
    changes = register_changes(data, scores, d, primary, keys)
    asked = register_asks(asks, data, scores, d, primary)
    shares = register_summary(data, scores, primary, followups, d, keys)
    del keys  # its arrays (a few per score row) are not needed past the audit
    d.resolve()  # the disclosure audit: raises, and no report is written, if it fails

    instruments = list(
        dict.fromkeys(
            str(r["instrument"]) for r in (data.get("paired") or []) + (data.get("unlinked") or [])
        )
    )
    outcomes = [
        s
        for i in instruments
        if (s := outcome_section(i, data, scores, d, settings, primary, changes.get(i), defs))
        is not None
    ]
    findings = [s.finding for s in outcomes if s.finding is not None]
    has_comparison = any(r.get("group") is not None for r in data.get("ancova") or [])

    summary = build_summary(
        data,
        findings,
        flow,
        flow_groups,
        shares,
        d,
        settings,
        primary,
        has_comparison,
        linked,
    )

    participation = attrition_section(data, flow, d, settings, defs)
    if flow:
        # The diagram sits with the flow it draws; the summary keeps the one-line version.
        participation.charts.insert(0, flow_chart(flow, d))
    by_group = group_flow_table(flow_groups, *(primary or ("", "")), d)
    if by_group is not None:
        participation.tables.insert(0, by_group)
    sections = [participation]
    across_sites = sites_section(data, findings, primary, d, defs)
    if across_sites is not None:
        sections.append(across_sites)
    dq = Section("data-quality", "Data quality")
    quality = ledger_table(problems, d)
    if quality is not None:
        dq.tables.append(quality)
    if not dq.tables and not dq.paragraphs:
        dq.paragraphs.append("No data-quality problems were recorded.")
    sections.append(dq)
    next_cohort = planning_section(data, planning, settings.min_cell)
    if next_cohort is not None:
        sections.append(next_cohort)
    sections += ask_sections(asked, d)
    sections.append(methods_section(data, outcomes, d, settings, defs))
    sections.append(limitations_section(data, has_comparison, linked, flow, d))
    annex = annex_section(data, d, defs)
    if annex is not None:
        sections.append(annex)

    version = str((data.get("meta") or {}).get("package_version", ""))
    return ReportModel(
        settings=settings,
        summary=summary,
        findings=findings,
        outcomes=outcomes,
        sections=sections,
        privacy_note=d.note(),
        package_version=version,
        audit=d.summary,
        disclosure=d,
        evaluator_notes=evaluator_notes(data, ledger, d),
    )
