"""The report as data: every sentence, table and chart, built once from results, scores, ledger.

Renderers (Typst/PDF, HTML, Markdown) only lay this model out, so what a funder reads is the
same whatever the format, and privacy rules are applied here, once, for all of them. No
statistic is computed here: numbers come from the results records (SPEC §6); the scores
and ledger are only counted (participant flow, data-quality problems) and, for the
individual-change chart, plotted without identifiers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .findings import (
    ALPHA,
    CONVENTION_DETAIL,
    Finding,
    ancova_sentence,
    design_sentence,
    paired_finding,
    unlinked_finding,
)
from .formatting import count, decimals_for_range, interval, is_number, num, pvalue
from .outcomes import OutcomeInfo, describe_outcome
from .privacy import DEFAULT_THRESHOLD, Disclosure

ALERT_PROBLEMS = ("alert",)
"""Ledger problems containing these words are evaluator-only and never reach a report."""

MAX_POINTS = 2000
"""Above this many participants the individual-change chart shows density, not dots."""

RCI_COUNTS = ("n_reliably_improved", "n_no_reliable_change", "n_reliably_deteriorated")
DIRECTION_COUNTS = ("n_improved", "n_unchanged", "n_worsened")


@dataclass
class ReportSettings:
    """What the report is about and who wrote it (from the evaluation file).

    Examples
    --------
    >>> ReportSettings(title="Peer support outcomes", threshold=11).threshold
    11
    """

    title: str = "Programme outcome report"
    program: str | None = None
    period: str | None = None
    author: str = "Programme evaluation team"
    language: str = "en"
    keywords: list[str] = field(default_factory=lambda: ["outcomes", "evaluation"])
    threshold: int = DEFAULT_THRESHOLD
    alpha: float = ALPHA
    date: str | None = None


@dataclass
class Table:
    """A data table: header row, body rows (first cell is the row header), notes."""

    id: str
    caption: str
    columns: list[str]
    rows: list[list[str]]
    notes: list[str] = field(default_factory=list)
    widths: list[float] | None = None
    """Relative column widths for paged output (None: the layout decides)."""


@dataclass
class Chart:
    """A chart to draw: kind, data (already privacy-filtered), caption and alt text."""

    id: str
    kind: str
    caption: str
    alt: str
    data: dict[str, Any]


@dataclass
class Section:
    """A titled block of paragraphs, bullet points, tables and charts."""

    id: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)


@dataclass
class OutcomeSection(Section):
    """One instrument's section: its headline finding plus every scale's statistics."""

    finding: Finding | None = None
    more: list[str] = field(default_factory=list)


@dataclass
class ReportModel:
    """Everything a renderer needs; built by :func:`build_report`."""

    settings: ReportSettings
    summary: Section
    findings: list[Finding]
    outcomes: list[OutcomeSection]
    sections: list[Section]
    privacy_note: str
    package_version: str

    def all_text(self) -> str:
        """Every sentence and table cell, for checks (e.g. that no identifier leaked)."""
        parts: list[str] = [self.settings.title, self.privacy_note]
        for sec in [self.summary, *self.outcomes, *self.sections]:
            parts += [sec.title, *sec.paragraphs, *sec.bullets]
            if isinstance(sec, OutcomeSection):
                parts += sec.more
                if sec.finding:
                    parts.append(sec.finding.text)
            for t in sec.tables:
                parts += [t.caption, *t.columns, *t.notes]
                parts += [c for row in t.rows for c in row]
            parts += [c.caption + " " + c.alt for c in sec.charts]
        parts += [f.text for f in self.findings]
        return "\n".join(parts)


# ---------------------------------------------------------------------------------------
# keys under which counts are registered with the disclosure check


def record_key(kind: str, rec: dict[str, Any]) -> str:
    """A stable key for one results record (kind, instrument, scale, contrast, group)."""
    group = rec.get("group")
    return "|".join(
        [
            kind,
            str(rec.get("instrument")),
            str(rec.get("scale")),
            str(rec.get("from_wave", rec.get("wave", ""))),
            str(rec.get("to_wave", "")),
            "*" if group is None else f"g:{group}",
        ]
    )


def _as_dict(results: Any) -> dict[str, Any]:
    if isinstance(results, dict):
        return results
    for name in ("to_dict", "as_dict", "model_dump"):
        method = getattr(results, name, None)
        if callable(method):
            return dict(method())
    raise TypeError("results must be a dict in the SPEC §6 layout or a Results object")


def _register(data: dict[str, Any], d: Disclosure) -> None:
    paired = data.get("paired") or []
    by_cell: dict[str, list[dict[str, Any]]] = {}
    for rec in paired:
        key = record_key("paired", rec)
        d.count(f"{key}|n_pairs", rec.get("n_pairs"))
        d.derived(f"{key}|stats", f"{key}|n_pairs")
        for family in (RCI_COUNTS, DIRECTION_COUNTS):
            for name in family:
                d.count(f"{key}|{name}", rec.get(name))
                d.derived(f"{key}|{name}", f"{key}|n_pairs")
            d.relation(f"{key}|n_pairs", [f"{key}|{n}" for n in family])
        d.count(f"{key}|n_recovered", rec.get("n_recovered"))
        d.derived(f"{key}|n_recovered", f"{key}|n_pairs")
        cell = record_key("paired", {**rec, "group": None})
        by_cell.setdefault(cell, []).append(rec)
    # Groups partition the whole sample, so each whole-sample count is a sum of group counts.
    for cell, recs in by_cell.items():
        groups = [r for r in recs if r.get("group") is not None]
        if not groups:
            continue
        for name in ("n_pairs", *RCI_COUNTS, *DIRECTION_COUNTS):
            d.relation(f"{cell}|{name}", [f"{record_key('paired', r)}|{name}" for r in groups])
    for rec in data.get("unlinked") or []:
        key = record_key("unlinked", rec)
        for name, legacy in (("n_before", "n_pre"), ("n_after", "n_post")):
            d.count(f"{key}|{name}", rec.get(name, rec.get(legacy)))
            d.derived(f"{key}|stats", f"{key}|{name}")
    for rec in data.get("attrition") or []:
        if rec.get("group") is not None:
            continue  # the report shows attrition for the whole sample only
        key = record_key("attrition", rec)
        d.count(f"{key}|n_completers", rec.get("n_completers"))
        d.count(f"{key}|n_dropouts", rec.get("n_dropouts"))
        d.relation(f"{key}|n_baseline", [f"{key}|n_completers", f"{key}|n_dropouts"])
    for rec in data.get("reliability") or []:
        d.count(f"{record_key('reliability', rec)}|n", rec.get("n"))


# ---------------------------------------------------------------------------------------
# participant flow and data quality, counted from scores and ledger


def _flow(
    scores: pd.DataFrame | None, from_wave: str | None, to_wave: str | None, d: Disclosure
) -> list[tuple[str, str, str | None, str | None]]:
    """Steps (key, label, loss key, loss label) of the participant flow, counts registered."""
    if scores is None or scores.empty or from_wave is None or to_wave is None:
        return []
    # Integer codes instead of strings: this runs on every score row (millions at scale).
    pid = pd.factorize(scores["participant_id"])[0]
    wave = scores["wave"].astype(str).to_numpy()
    is_pre, is_post = wave == from_wave, wave == to_wave
    pre_ids, post_ids = np.unique(pid[is_pre]), np.unique(pid[is_post])
    both_ids = np.intersect1d(pre_ids, post_ids, assume_unique=True)
    at_pre, both = pre_ids, both_ids
    ok = (scores["status"].astype(str).to_numpy() == "ok") & (is_pre | is_post)
    inst_code, _ = pd.factorize(scores["instrument"])
    scale_code, scale_levels = pd.factorize(scores["scale"])
    cell = inst_code.astype(np.int64) * (len(scale_levels) + 1) + scale_code
    keys = pd.DataFrame({"pid": pid[ok], "cell": cell[ok], "post": is_post[ok]})
    keys = keys.drop_duplicates()
    paired = keys.groupby(["pid", "cell"], sort=False).size()
    analysed = np.intersect1d(
        np.unique(paired[paired == 2].index.get_level_values("pid")), both_ids
    )
    counts = {
        "flow|pre": len(at_pre),
        "flow|both": len(both),
        "flow|no_post": len(at_pre) - len(both),
        "flow|analysed": len(analysed),
        "flow|unscorable": len(both) - len(analysed),
    }
    for key, value in counts.items():
        d.count(key, value)
    d.relation("flow|pre", ["flow|both", "flow|no_post"])
    d.relation("flow|both", ["flow|analysed", "flow|unscorable"])
    return [
        (
            "flow|pre",
            f"Took part: answered the {from_wave} survey",
            "flow|no_post",
            f"did not answer the {to_wave} survey",
        ),
        (
            "flow|both",
            f"Answered both the {from_wave} and {to_wave} surveys",
            "flow|unscorable",
            "answered too few questions to be scored on any outcome",
        ),
        ("flow|analysed", "Analysed (a score at both waves on at least one outcome)", None, None),
    ]


NO_GROUP = "(no group recorded)"


def _register_group_flow(
    scores: pd.DataFrame | None,
    group_col: str | None,
    fw: str | None,
    tw: str | None,
    d: Disclosure,
) -> list[str]:
    """Register, per group, who answered the first survey and who came back; return groups."""
    if (
        scores is None
        or scores.empty
        or not group_col
        or group_col not in scores.columns
        or fw is None
        or tw is None
    ):
        return []
    wave = scores["wave"].astype(str)
    first = scores.loc[wave == fw, ["participant_id", group_col]].drop_duplicates("participant_id")
    came_back = first["participant_id"].isin(scores.loc[wave == tw, "participant_id"])
    group = first[group_col].astype(object).where(first[group_col].notna(), NO_GROUP)
    counts = pd.DataFrame({"group": group.astype(str), "back": came_back.to_numpy()})
    table = counts.groupby("group", sort=True)["back"].agg(["size", "sum"])
    groups = [str(g) for g in table.index]
    for g, row in table.iterrows():
        key = f"flowg|{g}"
        d.count(f"{key}|pre", int(row["size"]))
        d.count(f"{key}|both", int(row["sum"]))
        d.count(f"{key}|no_post", int(row["size"] - row["sum"]))
        d.relation(f"{key}|pre", [f"{key}|both", f"{key}|no_post"])
    for part in ("pre", "both", "no_post"):
        d.relation(f"flow|{part}", [f"flowg|{g}|{part}" for g in groups])
    return groups


def _group_flow_table(groups: list[str], fw: str, tw: str, d: Disclosure) -> Table | None:
    if not groups:
        return None
    rows = []
    for g in groups:
        key = f"flowg|{g}"
        pre, both = d.values.get(f"{key}|pre", 0), d.values.get(f"{key}|both", 0)
        retained = (
            f"{round(100 * both / pre)}%"
            if pre and d.shown(f"{key}|pre") and d.shown(f"{key}|both")
            else "not shown"
        )
        rows.append(
            [g, d.mark(f"{key}|pre"), d.mark(f"{key}|both"), d.mark(f"{key}|no_post"), retained]
        )
    return Table(
        "flow-by-group",
        "Who took part and who came back, by group",
        [
            "Group",
            f"Answered the {fw} survey",
            f"Also answered the {tw} survey",
            f"Did not answer the {tw} survey",
            "Came back",
        ],
        rows,
        ["Groups are as recorded at the first survey."],
    )


def _flow_unlinked(
    scores: pd.DataFrame | None, from_wave: str | None, to_wave: str | None, d: Disclosure
) -> list[tuple[str, str, str | None, str | None]]:
    """Responses per wave for anonymous surveys: nobody can be followed from one to the next."""
    if scores is None or scores.empty or from_wave is None or to_wave is None:
        return []
    wave = scores["wave"].astype(str).to_numpy()
    pid = pd.factorize(scores["participant_id"])[0]
    d.count("flow|pre", len(np.unique(pid[wave == from_wave])))
    d.count("flow|post", len(np.unique(pid[wave == to_wave])))
    return [
        ("flow|pre", f"Answered the {from_wave} survey", None, None),
        (
            "flow|post",
            f"Answered the {to_wave} survey (not linked to the {from_wave} answers)",
            None,
            None,
        ),
    ]


UNLINKED_COLUMNS = [
    "Scale · group · waves",
    "n before",
    "n after",
    "Before: mean (SD)",
    "After: mean (SD)",
    "Difference [95% CI]",
    "Hedges' g [95% CI]",
    "p (Welch, unadjusted)",
]


def _unlinked_rows(
    recs: list[dict[str, Any]], infos: dict[str, OutcomeInfo], d: Disclosure
) -> list[list[str]]:
    rows = []
    for rec in recs:
        info = infos[str(rec["scale"])]
        key = record_key("unlinked", rec)
        dec = decimals_for_range(info.range_low, info.range_high)
        label = f"{info.name} · {rec.get('group') or 'Everyone'} · "
        label += f"{rec.get('from_wave')}→{rec.get('to_wave')}"
        nb = _count_or_mark(d, f"{key}|n_before", rec.get("n_before"))
        na = _count_or_mark(d, f"{key}|n_after", rec.get("n_after"))
        if not d.shown(f"{key}|stats"):
            rows.append([label, nb, na, *(["not shown"] * 5)])
            continue
        low, high = rec.get("mean_difference_ci_low"), rec.get("mean_difference_ci_high")
        diff_ci = interval(low, high, dec)
        g_ci = interval(rec.get("hedges_g_ci_low"), rec.get("hedges_g_ci_high"), 2)
        rows.append(
            [
                label,
                nb,
                na,
                f"{num(rec.get('mean_before'), dec)} ({num(rec.get('sd_before'), dec)})",
                f"{num(rec.get('mean_after'), dec)} ({num(rec.get('sd_after'), dec)})",
                f"{num(rec.get('mean_difference'), dec, signed=True)} [{diff_ci}]",
                f"{num(rec.get('hedges_g'), 2, signed=True)} [{g_ci}]",
                pvalue(rec.get("p_t")).removeprefix("p ").removeprefix("= "),
            ]
        )
    return rows


def _problem_label(problem: str) -> str:
    return problem.replace("_", " ")


def _ledger_table(ledger: pd.DataFrame | None, d: Disclosure) -> Table | None:
    if ledger is None or ledger.empty or "problem" not in ledger.columns:
        return None
    problem = ledger["problem"].astype(str)
    keep = ~problem.str.contains("|".join(ALERT_PROBLEMS), case=False, regex=True)
    led = ledger.loc[keep]
    if led.empty:
        return None
    action = led["action"].astype(str) if "action" in led.columns else pd.Series("", led.index)
    pid = led["participant_id"] if "participant_id" in led.columns else pd.Series(None, led.index)
    frame = pd.DataFrame({"problem": led["problem"].astype(str), "action": action, "pid": pid})
    cases = frame.groupby("problem").size()
    people = frame.dropna(subset=["pid"]).groupby("problem")["pid"].nunique()
    actions = frame.groupby("problem")["action"].agg(lambda s: s.value_counts().index[0])
    rows = []
    for prob in sorted(cases.index):
        d.count(f"ledger|{prob}|cases", int(cases[prob]))
        n_people = int(people.get(prob, 0))
        if n_people:
            d.count(f"ledger|{prob}|people", n_people)
        rows.append((prob, n_people, str(actions[prob])))
    out = []
    for prob, n_people, act in rows:
        out.append(
            [
                _problem_label(prob),
                d.mark(f"ledger|{prob}|cases"),
                d.mark(f"ledger|{prob}|people") if n_people else "–",
                _problem_label(act) if act not in ("nan", "None") else "",
            ]
        )
    return Table(
        "data-quality",
        "Problems found in the survey data, and what was done",
        ["Problem", "Answers or rows", "People", "What was done"],
        out,
        [
            "Counted from the data-quality ledger; the full ledger is a separate file kept by "
            "the evaluator, not part of this report."
        ],
    )


# ---------------------------------------------------------------------------------------
# statistics tables


def _count_or_mark(d: Disclosure, key: str, value: Any) -> str:
    if not d.shown(key):
        return d.mark(key)
    return count(value) if is_number(value) else "–"


def _paired_rows(
    recs: list[dict[str, Any]], infos: dict[str, OutcomeInfo], d: Disclosure
) -> list[list[str]]:
    rows = []
    for rec in recs:
        info = infos[str(rec["scale"])]
        key = record_key("paired", rec)
        dec = decimals_for_range(info.range_low, info.range_high)
        who = rec.get("group") or "Everyone"
        label = f"{info.name} · {who} · {rec.get('from_wave')}→{rec.get('to_wave')}"
        n_cell = _count_or_mark(d, f"{key}|n_pairs", rec.get("n_pairs"))
        if not d.shown(f"{key}|stats"):
            rows.append(
                [
                    label,
                    n_cell,
                    *(["‡" if d.status(f"{key}|n_pairs") == "hidden" else "not shown"] * 7),
                ]
            )
            continue
        n = rec.get("n_pairs") or 0
        ri = _count_or_mark(d, f"{key}|n_reliably_improved", rec.get("n_reliably_improved"))
        rd = _count_or_mark(d, f"{key}|n_reliably_deteriorated", rec.get("n_reliably_deteriorated"))
        rows.append(
            [
                label,
                n_cell,
                f"{num(rec.get('pre_mean'), dec)} ({num(rec.get('pre_sd'), dec)})",
                f"{num(rec.get('post_mean'), dec)} ({num(rec.get('post_sd'), dec)})",
                f"{num(rec.get('mean_change'), dec, signed=True)} "
                f"[{interval(rec.get('mean_change_ci_low'), rec.get('mean_change_ci_high'), dec)}]",
                f"{num(rec.get('d_z'), 2, signed=True)} "
                f"[{interval(rec.get('d_z_ci_low'), rec.get('d_z_ci_high'), 2)}]",
                pvalue(rec.get("p_t_holm")).removeprefix("p ").removeprefix("= "),
                ri if n else "–",
                rd if n else "–",
            ]
        )
    return rows


PAIRED_COLUMNS = [
    "Scale · group · waves",
    "n",
    "Before: mean (SD)",
    "After: mean (SD)",
    "Change [95% CI]",
    "d_z [95% CI]",
    "Holm p",
    "Reliably improved",
    "Reliably worse",
]


def _group_chart_data(recs: list[dict[str, Any]], d: Disclosure, dec: int) -> list[dict[str, Any]]:
    """Means with t intervals per wave for each shown group, from the table's own numbers."""
    from scipy.stats import t as t_dist

    series = []
    for rec in recs:
        key = record_key("paired", rec)
        n = rec.get("n_pairs")
        if not d.shown(f"{key}|stats") or not is_number(n) or n < 2:
            continue
        q = float(t_dist.ppf(0.975, n - 1))
        points = []
        for side, wave in (("pre", rec.get("from_wave")), ("post", rec.get("to_wave"))):
            m, s = rec.get(f"{side}_mean"), rec.get(f"{side}_sd")
            if not (is_number(m) and is_number(s)):
                continue
            half = q * float(s) / math.sqrt(n)
            points.append(
                {
                    "wave": str(wave),
                    "mean": float(m),
                    "low": float(m) - half,
                    "high": float(m) + half,
                }
            )
        series.append({"group": rec.get("group") or "Everyone", "points": points, "n": int(n)})
    return series


def _individual_pairs(
    scores: pd.DataFrame | None, instrument: str, scale: str, fw: str, tw: str
) -> pd.DataFrame:
    if scores is None or scores.empty:
        return pd.DataFrame(columns=["pre", "post"])
    mask = (
        (scores["instrument"] == instrument)
        & (scores["scale"] == scale)
        & (scores["status"] == "ok")
        & scores["score"].notna()
    ).to_numpy(dtype=bool)
    part = scores.loc[mask, ["participant_id", "wave", "score"]]
    pre = part[part["wave"] == fw].drop_duplicates("participant_id")
    post = part[part["wave"] == tw].drop_duplicates("participant_id")
    out = pre.merge(post, on="participant_id", suffixes=("_pre", "_post"))
    out = pd.DataFrame(
        {"pre": out["score_pre"].to_numpy(float), "post": out["score_post"].to_numpy(float)}
    )
    # Sorted by value, not by participant, so row order carries no identity.
    return out.sort_values(["pre", "post"]).reset_index(drop=True)


def _outcome_section(
    instrument: str,
    data: dict[str, Any],
    scores: pd.DataFrame | None,
    d: Disclosure,
    settings: ReportSettings,
    primary: tuple[str, str] | None,
) -> OutcomeSection | None:
    paired = [r for r in data.get("paired") or [] if r.get("instrument") == instrument]
    unlinked = [r for r in data.get("unlinked") or [] if r.get("instrument") == instrument]
    recs = paired or unlinked
    if not recs:
        return None
    scales = list(dict.fromkeys(str(r["scale"]) for r in recs))
    infos = {
        s: describe_outcome(instrument, s, next(r for r in recs if r["scale"] == s)) for s in scales
    }
    head = "total" if "total" in scales else scales[0]
    info = infos[head]
    title = info.instrument_name or info.label
    sec = OutcomeSection(id=f"outcome-{instrument}", title=f"{info.short_name}: {title}")
    sec.paragraphs.append(
        f"Headline scale: {info.name}, on {info.range_text} ({info.better_text})."
    )
    if paired:
        fw, tw = primary or (paired[0]["from_wave"], paired[0]["to_wave"])
        whole = [
            r
            for r in paired
            if r["scale"] == head
            and r.get("group") is None
            and r["from_wave"] == fw
            and r["to_wave"] == tw
        ]
        if whole:
            sec.finding = paired_finding(
                whole[0], info, d, record_key("paired", whole[0]), settings.alpha
            )
        groups = [
            r
            for r in paired
            if r["scale"] == head
            and r.get("group") is not None
            and r["from_wave"] == fw
            and r["to_wave"] == tw
        ]
        for rec in groups:
            sec.more.append(
                paired_finding(rec, info, d, record_key("paired", rec), settings.alpha).sentence
            )
        later = [
            r
            for r in paired
            if r["scale"] == head
            and r.get("group") is None
            and r["from_wave"] == fw
            and r["to_wave"] != tw
        ]
        for rec in later:
            sec.more.append(
                f"From {rec['from_wave']} to {rec['to_wave']}: "
                + paired_finding(rec, info, d, record_key("paired", rec), settings.alpha).sentence
            )
        for rec in data.get("ancova") or []:
            if (
                rec.get("instrument") == instrument
                and rec.get("scale") == head
                and rec.get("group") is not None
                and rec.get("adjusted_difference") is not None
            ):
                names = (rec.get("group"), rec.get("reference_group"))
                # Hidden when either group's own statistics are hidden for this contrast.
                shown = all(
                    d.shown(record_key("paired", {**rec, "group": g}) + "|stats") for g in names
                )
                sentence = ancova_sentence(rec, info, d, shown, settings.alpha)
                primary_contrast = (rec.get("from_wave"), rec.get("to_wave")) == (fw, tw)
                if primary_contrast and sec.finding is not None:
                    # The comparison-group result belongs with the headline (and the summary).
                    sec.finding.details.append(sentence)
                else:
                    sec.more.append(f"By the {rec.get('to_wave')} wave: {sentence}")
        dec = decimals_for_range(info.range_low, info.range_high)
        cell = [
            r for r in paired if r["scale"] == head and r["from_wave"] == fw and r["to_wave"] == tw
        ]
        mixed = next(
            (
                m
                for m in data.get("mixed_models") or []
                if m.get("instrument") == instrument
                and m.get("scale") == head
                and m.get("wave_means")
            ),
            None,
        )
        if mixed is not None:
            sec.charts.append(_mixed_means_chart(instrument, info, mixed, d, dec))
        else:
            sec.charts.append(_means_chart(instrument, info, cell, d, dec))
        if whole and d.shown(record_key("paired", whole[0]) + "|stats"):
            sec.charts.append(_scatter_chart(instrument, info, whole[0], scores, fw, tw))
        if any(is_number(r.get("n_reliably_improved")) for r in cell):
            # Without a reliability coefficient there is no reliable change to draw.
            sec.charts.append(_rci_chart(instrument, info, cell, d))
        sec.tables.append(
            Table(
                f"stats-{instrument}",
                f"{info.short_name}: change on every scale (linked pairs)",
                PAIRED_COLUMNS,
                _paired_rows(paired, infos, d),
                [
                    "Change = after − before. d_z = mean change ÷ SD of the changes, with a "
                    "noncentral-t interval. Holm p is adjusted over every paired test in the "
                    "analysis. Reliably improved/worse: Jacobson–Truax reliable change index "
                    "beyond ±1.96."
                ],
            )
        )
    else:
        head_rec = next(r for r in unlinked if r["scale"] == head and r.get("group") is None)
        sec.finding = unlinked_finding(
            head_rec, info, d, record_key("unlinked", head_rec), settings.alpha
        )
        sec.tables.append(
            Table(
                f"stats-{instrument}",
                f"{info.short_name}: before and after on every scale (unlinked surveys)",
                UNLINKED_COLUMNS,
                _unlinked_rows(unlinked, infos, d),
                [
                    "Unlinked design: the before and after answers come from two sets of "
                    "respondents who could not be matched, compared as independent groups "
                    "(Welch t test; Hedges' g with its 95% interval). Difference = after − "
                    "before."
                ],
            )
        )
    return sec


def _means_chart(
    instrument: str, info: OutcomeInfo, cell: list[dict[str, Any]], d: Disclosure, dec: int
) -> Chart:
    series = _group_chart_data(cell, d, dec)
    bits = []
    for s in series:
        pts = "; ".join(
            f"{p['wave']} {num(p['mean'], dec)} (95% CI {interval(p['low'], p['high'], dec)})"
            for p in s["points"]
        )
        bits.append(f"{s['group']}: {pts}")
    hidden = [r.get("group") for r in cell if not d.shown(record_key("paired", r) + "|stats")]
    alt = (
        f"Line chart of average {info.name} score by survey wave, with 95% confidence "
        f"intervals, on {info.range_text} ({info.better_text}). " + ". ".join(bits) + "."
    )
    if hidden:
        alt += " Groups not shown for privacy: " + ", ".join(str(h) for h in hidden) + "."
    return Chart(
        f"means-{instrument}",
        "means",
        f"Average {info.name} before and after, with 95% confidence intervals (complete pairs).",
        alt,
        {
            "series": series,
            "ylabel": f"{info.name} ({info.better_text})",
            "range": [info.range_low, info.range_high],
        },
    )


def _mixed_means_chart(
    instrument: str, info: OutcomeInfo, mixed: dict[str, Any], d: Disclosure, dec: int
) -> Chart:
    """Model-estimated means per wave (every available answer), for more than two waves."""
    by_group: dict[str, list[dict[str, Any]]] = {}
    for cell in mixed["wave_means"]:
        by_group.setdefault(cell.get("group") or "Everyone", []).append(cell)
    # A group with fewer people than the threshold at any wave is left out of the chart,
    # together with the next smallest group (the mixed model has no whole-sample line).
    small = [
        g
        for g, cells in by_group.items()
        if any(0 < (c.get("n") or 0) < d.threshold for c in cells)
    ]
    if small and len(by_group) > 1:
        rest = sorted(
            (min(c.get("n") or 0 for c in cells), g)
            for g, cells in by_group.items()
            if g not in small
        )
        small += [rest[0][1]] if len(small) == 1 and rest else []
    series = []
    for group, cells in by_group.items():
        if group in small:
            continue
        points = [
            {
                "wave": str(c["wave"]),
                "mean": float(c["mean"]),
                "low": float(c["ci_low"]),
                "high": float(c["ci_high"]),
            }
            for c in cells
            if is_number(c.get("mean")) and is_number(c.get("ci_low"))
        ]
        series.append(
            {"group": group, "points": points, "n": max(int(c.get("n") or 0) for c in cells)}
        )
    bits = [
        "; ".join(
            f"{s['group']} {p['wave']} {num(p['mean'], dec)} (95% CI "
            f"{interval(p['low'], p['high'], dec)})"
            for p in s["points"]
        )
        for s in series
    ]
    alt = (
        f"Line chart of the model-estimated average {info.name} at each survey wave, with "
        f"95% confidence intervals, on {info.range_text} ({info.better_text}). "
        + ". ".join(bits)
        + "."
    )
    if small:
        alt += " Groups not shown for privacy: " + ", ".join(small) + "."
    return Chart(
        f"means-{instrument}",
        "means",
        f"Average {info.name} at each wave, estimated by the mixed model from every available "
        "answer, with 95% confidence intervals.",
        alt,
        {
            "series": series,
            "ylabel": f"{info.name} ({info.better_text})",
            "range": [info.range_low, info.range_high],
            "n_label": "most at one wave",
        },
    )


def _scatter_chart(
    instrument: str,
    info: OutcomeInfo,
    rec: dict[str, Any],
    scores: pd.DataFrame | None,
    fw: str,
    tw: str,
) -> Chart:
    pairs = _individual_pairs(scores, instrument, info.scale, fw, tw)
    band = rec.get("rci_threshold")
    sign = rec.get("improvement_sign")
    alt = (
        f"Scatter plot of each participant's {info.name} score before (horizontal) and after "
        f"(vertical), {len(pairs)} participants"
        f"{' shown as shaded density cells' if len(pairs) > MAX_POINTS else ''}. "
        "Points off the diagonal changed; points outside the "
        f"grey band (±{num(band, 2)} points) changed by more than measurement error. "
        f"Reliable improvement is {'above' if sign == 1 else 'below'} the band."
    )
    return Chart(
        f"scatter-{instrument}",
        "scatter",
        f"Each participant's {info.name} before and after; the band marks changes too small "
        "to tell from measurement error.",
        alt,
        {
            "pre": pairs["pre"].tolist(),
            "post": pairs["post"].tolist(),
            "band": band,
            "range": [info.range_low, info.range_high],
            "label": info.name,
            "from_wave": fw,
            "to_wave": tw,
            "improvement_sign": sign,
        },
    )


def _rci_chart(
    instrument: str, info: OutcomeInfo, cell: list[dict[str, Any]], d: Disclosure
) -> Chart:
    bars = []
    for rec in cell:
        key = record_key("paired", rec)
        if not d.shown(f"{key}|n_pairs"):
            continue
        values = {}
        for name in RCI_COUNTS:
            k = f"{key}|{name}"
            values[name] = rec.get(name) if d.shown(k) else None
        marks = {name: d.mark(f"{key}|{name}") for name in RCI_COUNTS}
        bars.append(
            {
                "group": rec.get("group") or "Everyone",
                "n": rec.get("n_pairs"),
                "values": values,
                "marks": marks,
            }
        )
    words = {
        "n_reliably_improved": "reliably improved",
        "n_no_reliable_change": "no reliable change",
        "n_reliably_deteriorated": "reliably deteriorated",
    }
    alt_parts = []
    for b in bars:
        cells = [
            f"{b['marks'][k] if b['values'][k] is None else count(b['values'][k])} {w}"
            for k, w in words.items()
        ]
        alt_parts.append(f"{b['group']} (n = {count(b['n'])}): " + ", ".join(cells))
    return Chart(
        f"rci-{instrument}",
        "rci",
        f"Participants whose {info.name} reliably improved, did not change reliably, or "
        "reliably deteriorated.",
        f"Horizontal stacked bar chart of reliable change in {info.name}. "
        + "; ".join(alt_parts)
        + ".",
        {"bars": bars, "labels": words},
    )


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

    Examples
    --------
    >>> model = build_report({"meta": {}, "paired": []})
    >>> model.summary.title
    'Summary'
    """
    from .methods import attrition_section, limitations_section, methods_section

    settings = settings or ReportSettings()
    data = _as_dict(results)
    d = Disclosure(settings.threshold)
    _register(data, d)
    primary = _primary_contrast(data)
    linked = bool(data.get("paired"))
    flow_of = _flow if linked else _flow_unlinked
    flow = flow_of(scores, *(primary or (None, None)), d)
    group_col = ((data.get("meta") or {}).get("settings") or {}).get("group_col")
    flow_groups = (
        _register_group_flow(scores, group_col, *(primary or (None, None)), d) if linked else []
    )
    quality = _ledger_table(ledger, d)
    d.resolve()

    instruments = list(
        dict.fromkeys(
            str(r["instrument"]) for r in (data.get("paired") or []) + (data.get("unlinked") or [])
        )
    )
    outcomes = [
        s
        for i in instruments
        if (s := _outcome_section(i, data, scores, d, settings, primary)) is not None
    ]
    findings = [s.finding for s in outcomes if s.finding is not None]
    has_comparison = any(r.get("group") is not None for r in data.get("ancova") or [])

    summary = Section("summary", "Summary")
    if flow:
        summary.paragraphs.append(_flow_sentence(flow, d))
    summary.paragraphs.append(design_sentence(has_comparison, linked))
    summary.bullets = [f.text for f in findings]
    summary.paragraphs.append(
        "Changes are called an improvement or a worsening only when they are clear after "
        f"allowing for the number of tests (Holm-adjusted p below {settings.alpha}); effect "
        f"sizes are described with {CONVENTION_DETAIL}."
    )

    participation = attrition_section(data, flow, d, settings)
    if flow:
        # The diagram sits with the flow it draws; the summary keeps the one-line version.
        participation.charts.insert(0, _flow_chart(flow, d))
    by_group = _group_flow_table(flow_groups, *(primary or ("", "")), d)
    if by_group is not None:
        participation.tables.insert(0, by_group)
    sections = [participation]
    dq = Section("data-quality", "Data quality")
    if quality is not None:
        dq.tables.append(quality)
    dq.paragraphs.extend(_miskey_warnings(data))
    if not dq.tables and not dq.paragraphs:
        dq.paragraphs.append("No data-quality problems were recorded.")
    sections.append(dq)
    sections.append(methods_section(data, outcomes, d, settings))
    sections.append(limitations_section(data, has_comparison, linked, flow, d))

    version = str((data.get("meta") or {}).get("package_version", ""))
    return ReportModel(
        settings=settings,
        summary=summary,
        findings=findings,
        outcomes=outcomes,
        sections=sections,
        privacy_note=d.note(),
        package_version=version,
    )


def _flow_sentence(flow: list[tuple[str, str, str | None, str | None]], d: Disclosure) -> str:
    parts = []
    for key, label, loss_key, loss_label in flow:
        text = f"{label}: {d.mark(key)}"
        if loss_key:
            text += f" ({d.mark(loss_key)} {loss_label})"
        parts.append(text)
    return "Participants. " + "; ".join(parts) + "."


def _flow_chart(flow: list[tuple[str, str, str | None, str | None]], d: Disclosure) -> Chart:
    steps = [
        {
            "label": label,
            "n": d.mark(key),
            "loss": (f"{d.mark(loss_key)} {loss_label}" if loss_key else None),
        }
        for key, label, loss_key, loss_label in flow
    ]
    alt = "Participant flow diagram. " + " Then ".join(
        f"{s['label']}: {s['n']}" + (f", with {s['loss']}" if s["loss"] else "") + "."
        for s in steps
    )
    return Chart(
        "flow",
        "flow",
        "How many people took part at each step, and why some were not analysed.",
        alt,
        {"steps": steps},
    )


def _miskey_warnings(data: dict[str, Any]) -> list[str]:
    out = []
    for rec in data.get("reliability") or []:
        items = rec.get("miskeyed_items") or []
        if items:
            out.append(
                f"Possible mis-keyed items in {rec.get('instrument')} {rec.get('scale')} at the "
                f"{rec.get('wave')} wave: item(s) {', '.join(str(i) for i in items)} correlate "
                "negatively with the rest of the scale after reverse-keying, which often "
                "means the survey platform had already reversed them. Check the export's "
                "coding before relying on this scale."
            )
    return out
