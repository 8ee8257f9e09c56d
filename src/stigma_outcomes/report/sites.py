"""The report's "Across sites" section: each site's change and the pooled estimate.

It shows, for the headline scale of each instrument and the main contrast, the
random-effects pooled mean change (``pooled`` records of the results), how much the sites
differ (τ and I²), the range a new site's change would likely fall in (the prediction
interval), and a forest plot. Sites enter through the same privacy rules as every other
count: each site's number of pairs is registered with the report's
:class:`~stigma_outcomes.report.privacy.Disclosure` as a part of the whole sample's pairs, so
a small site is never shown, nor one whose size could be worked out from the others. A
pooled estimate that rests on a site the report may not show is left out altogether.
"""

from __future__ import annotations

import re
from typing import Any

from .content import Chart, Section, Table, record_key
from .findings import Finding
from .formatting import count, decimals_for_range, interval, is_number, num, pvalue
from .outcomes import Definitions, OutcomeInfo
from .privacy import Disclosure


def _columns(unit: str) -> list[str]:
    """Table headers naming the pooled unit (site, cohort, source, ...)."""
    return [
        "Outcome",
        f"{unit.capitalize()}s",
        "People (n)",
        "Pooled change [95% CI]",
        "p",
        f"Spread between {unit}s (τ)",
        "I²",
        f"A new {unit}'s change (95% prediction interval)",
    ]


SITE_COST = 200.0
"""Cost to the reader of hiding one site's size (see privacy.reader_cost)."""
SITES_WIDTHS = [2.0, 0.5, 0.6, 1.3, 0.6, 0.9, 0.5, 1.4]
EFFECT = "mean_change"
"""The report pools change in score points; the standardized version is in the results."""


def _site_key(rec: dict[str, Any], level: Any) -> str:
    return f"{record_key('pooled', rec)}|site:{level}|n_pairs"


def _people_key(rec: dict[str, Any]) -> str:
    return f"{record_key('pooled', rec)}|n_total"


def register_sites(data: dict[str, Any], d: Disclosure) -> None:
    """Register each pooled site's pairs as a part of its arm's pairs (the pooled record's
    ``group``; with no grouping column, the whole sample's).

    Examples
    --------
    >>> d = Disclosure(5)
    >>> rec = {"instrument": "x", "scale": "t", "from_wave": "pre", "to_wave": "post",
    ...        "effect": "mean_change", "studies": [{"level": "A", "n_pairs": 40}],
    ...        "excluded": [{"level": "B", "n_pairs": 3}]}
    >>> d.count("paired|x|t|pre|post|*|n_pairs", 43)  # the whole sample, printed elsewhere
    >>> register_sites({"pooled": [rec]}, d)
    >>> d.resolve()[_site_key(rec, "A")], d.resolve()[_site_key(rec, "B")]
    ('hidden', 'small')
    """
    for rec in data.get("pooled") or []:
        if rec.get("effect") != EFFECT:
            continue
        # sites pooled within an arm are parts of that arm's pairs (comparison/_linked.py)
        whole = f"{record_key('paired', rec)}|n_pairs"
        parts = []
        for site in [*(rec.get("studies") or []), *(rec.get("excluded") or [])]:
            key = _site_key(rec, site.get("level"))
            # Hiding a site leaves its pooled estimate out, dearer than one "People" cell
            # but far cheaper than the whole sample's size (which takes every headline).
            d.count(key, site.get("n_pairs"), cost=SITE_COST)
            parts.append(key)
        if parts:
            d.relation(whole, parts)
        # The table's "People" is the pooled sites' pairs: a sum of shown site sizes.
        pooled = [_site_key(rec, s.get("level")) for s in rec.get("studies") or []]
        if pooled:
            d.count(_people_key(rec), rec.get("n_total"), cost=SITE_COST * 0.75)
            d.relation(_people_key(rec), pooled)


def _headline(
    data: dict[str, Any], findings: list[Finding], primary: tuple[str, str] | None
) -> list[dict[str, Any]]:
    """Each instrument's headline scale for the main contrast: the scale of its finding, or
    (results pooled from separate programmes have no whole-sample finding) the outcome
    sections' rule, the total if there is one, else the first scale."""
    records = [
        r
        for r in data.get("pooled") or []
        if r.get("effect") == EFFECT
        and primary is not None
        and (str(r.get("from_wave")), str(r.get("to_wave"))) == primary
    ]
    found = {f.instrument: f.scale for f in findings}
    by_instrument: dict[str, list[dict[str, Any]]] = {}
    for r in records:
        by_instrument.setdefault(str(r.get("instrument")), []).append(r)
    chosen = []
    for instrument, recs in by_instrument.items():
        scales = [str(r.get("scale")) for r in recs]
        head = found.get(instrument) or ("total" if "total" in scales else scales[0])
        chosen += [r for r in recs if str(r.get("scale")) == head]
    order = [f.instrument for f in findings]
    return sorted(
        chosen,
        key=lambda r: order.index(r["instrument"]) if r["instrument"] in order else len(order),
    )


FEW_SITES = 2
"""Up to this many sites, the spread between sites (τ, I², a new site's prediction interval)
cannot be estimated usefully: the sites are shown side by side instead."""


def sites_section(
    data: dict[str, Any],
    findings: list[Finding],
    primary: tuple[str, str] | None,
    d: Disclosure,
    definitions: Definitions | None = None,
) -> Section | None:
    """The "Across sites" section, or None when the results pooled nothing.

    Examples
    --------
    >>> sites_section({"pooled": []}, [], ("pre", "post"), Disclosure(5)) is None
    True
    """
    records = _headline(data, findings, primary)
    if not records:
        return None
    defs = definitions or Definitions()
    column = str(records[0].get("pooled_over") or "site")
    if all(len(r.get("studies") or []) <= FEW_SITES for r in records):
        return _side_by_side(records, column, primary, d, defs)
    section = Section("sites", "Across sites")
    section.paragraphs.append(
        f"Each {column} was analysed on its own, and the changes were then combined by a "
        "random-effects meta-analysis, which allows the true change to differ from one "
        f"{column} to another. τ is the estimated spread of true changes between {column}s, "
        "in score points; I² is the share of the differences between them that is more than "
        "chance; the prediction interval is where a new, similar "
        f"{column}'s change would likely fall."
    )
    rows: list[Any] = []
    kept, left_out = _reportable(records, defs, d)
    for rec, info, _studies, dec in kept:
        name = info.name if info.scale not in ("total", "score") else info.short_name
        rows.append(
            [
                name if rec.get("group") is None else f"{name} · {rec['group']}",
                str(rec.get("k")),
                d.mark(_people_key(rec)) if is_number(rec.get("n_total")) else "–",
                f"{num(rec.get('estimate'), dec, signed=True)} "
                f"[{interval(rec.get('ci_low'), rec.get('ci_high'), dec)}]",
                pvalue(rec.get("p")),
                num(rec.get("tau"), dec),
                f"{num(rec.get('i2'), 0)}%" if is_number(rec.get("i2")) else "–",
                interval(rec.get("pi_low"), rec.get("pi_high"), dec),
            ]
        )
        section.charts.append(_forest_chart(rec, info, column, d, dec))
    notes = [
        f"Change is the later survey minus the earlier ({primary[0]} → {primary[1]}), in "
        f"score points; pooled by restricted maximum likelihood unless the methods say "
        f"otherwise. With few {column}s, τ, I² and the prediction interval are very "
        f"uncertain. Each {column}'s interval in the plot is the normal-approximation "
        "interval the meta-analysis weighs, a little narrower than its t interval elsewhere "
        "in the report."
        if primary
        else ""
    ]
    excluded = _excluded_levels(records)
    if excluded:
        notes.append(f"{len(excluded)} {column}(s) had too few participants to be shown or pooled.")
    if left_out:
        notes.append(
            "Not shown, because a site in the pooled estimate is too small to report: "
            + ", ".join(left_out)
            + "."
        )
    if rows:
        section.tables.append(
            Table(
                "sites-pooled",
                f"Change pooled across {column}s (random-effects meta-analysis)",
                _columns(column),
                rows,
                [n for n in notes if n],
                SITES_WIDTHS,
            )
        )
    else:
        section.paragraphs.extend(n for n in notes if n)
    return section


def _reportable(
    records: list[dict[str, Any]], defs: Definitions, d: Disclosure
) -> tuple[list[tuple[dict[str, Any], OutcomeInfo, list[Any], int]], list[str]]:
    """Records every one of whose sites can be shown, with their facts and decimals; and
    the labels of the others, left out because a site is too small to report."""
    kept, left_out = [], []
    for rec in records:
        info = defs.describe(str(rec["instrument"]), str(rec["scale"]), rec)
        studies = rec.get("studies") or []
        if all(d.shown(_site_key(rec, s.get("level"))) for s in studies):
            kept.append((rec, info, studies, decimals_for_range(info.range_low, info.range_high)))
        else:
            left_out.append(info.label)
    return kept, left_out


def _excluded_levels(records: list[dict[str, Any]]) -> list[str]:
    """Sites set aside for too few participants, across the records."""
    return sorted({str(s.get("level")) for r in records for s in r.get("excluded") or []})


def _outcome_label(rec: dict[str, Any], info: OutcomeInfo) -> str:
    name = info.name if info.scale not in ("total", "score") else info.short_name
    group = rec.get("group")
    return f"{name} · {group}" if group is not None else name


def _side_by_side(
    records: list[dict[str, Any]],
    column: str,
    primary: tuple[str, str] | None,
    d: Disclosure,
    defs: Definitions,
) -> Section:
    """Two sites: each site's change and both combined, in one plain table."""
    section = Section("sites", "Across sites")
    section.paragraphs.append(
        f"Each {column} was analysed on its own. With only two {column}s, how much {column}s "
        f"differ from one another cannot be estimated usefully, so each {column}'s change is "
        "shown beside the change of both together (weighted by how precisely each was "
        "measured; see Methods)."
    )
    rows: list[Any] = []
    kept, left_out = _reportable(records, defs, d)
    for rec, info, studies, dec in kept:
        label = _outcome_label(rec, info)
        for s in studies:
            rows.append(
                [
                    label,
                    str(s.get("level")),
                    d.mark(_site_key(rec, s.get("level"))),
                    f"{num(s.get('estimate'), dec, signed=True)} "
                    f"[{interval(s.get('ci_low'), s.get('ci_high'), dec)}]",
                ]
            )
        rows.append(
            [
                label,
                f"Both {column}s together",
                d.mark(_people_key(rec)) if is_number(rec.get("n_total")) else "–",
                f"{num(rec.get('estimate'), dec, signed=True)} "
                f"[{interval(rec.get('ci_low'), rec.get('ci_high'), dec)}]",
            ]
        )
    notes = []
    if primary:
        notes.append(
            f"Change is the later survey minus the earlier ({primary[0]} → {primary[1]}), in "
            f"score points, with its 95% interval; which direction is better depends on the "
            "scale. People: those with both surveys."
        )
    excluded = _excluded_levels(records)
    if excluded:
        notes.append(f"{len(excluded)} {column}(s) had too few participants to be shown.")
    if left_out:
        notes.append(
            f"Not shown, because a {column} is too small to report: " + ", ".join(left_out) + "."
        )
    if rows:
        section.tables.append(
            Table(
                "sites-pooled",
                f"Change at each {column}",
                ["Outcome", column.capitalize(), "People (n)", "Change [95% CI]"],
                rows,
                notes,
                [2.4, 1.6, 0.8, 1.6],
            )
        )
    else:
        section.paragraphs.extend(notes)
    return section


def _forest_chart(rec: dict[str, Any], info: Any, column: str, d: Disclosure, dec: int) -> Chart:
    studies = [
        {
            "label": f"{s.get('level')} (n = {count(s.get('n_pairs'))})",
            "estimate": s.get("estimate"),
            "low": s.get("ci_low"),
            "high": s.get("ci_high"),
            "weight": s.get("weight"),
        }
        for s in rec.get("studies") or []
    ]
    better = {"higher_is_better": "higher is better", "higher_is_worse": "lower is better"}
    direction = better.get(str(info.direction), "")
    estimate = num(rec.get("estimate"), dec, signed=True)
    ci = interval(rec.get("ci_low"), rec.get("ci_high"), dec)
    arm = "" if rec.get("group") is None else f" · {rec['group']}"
    return Chart(
        f"forest-{rec['instrument']}-{rec['scale']}"
        + ("-" + re.sub(r"[^A-Za-z0-9]+", "-", str(rec["group"])).strip("-") if arm else ""),
        "forest",
        f"{info.label}{arm}: change at each {column} and pooled",
        f"Forest plot of the change in {info.label} at {len(studies)} {column}s: "
        + "; ".join(
            f"{s['label']} {num(s['estimate'], dec, signed=True)} "
            f"[{interval(s['low'], s['high'], dec)}]"
            for s in studies
        )
        + f". Pooled change {estimate} [{ci}].",
        {
            "studies": studies,
            "pooled": {
                "label": f"Pooled ({len(studies)} {column}s)",
                "estimate": rec.get("estimate"),
                "low": rec.get("ci_low"),
                "high": rec.get("ci_high"),
                "pi_low": rec.get("pi_low"),
                "pi_high": rec.get("pi_high"),
            },
            "xlabel": f"Change in score points ({direction})" if direction else "Change",
        },
    )
