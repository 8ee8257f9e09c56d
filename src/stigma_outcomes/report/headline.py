"""The summary's headline rows: what happened to each outcome, in the arms that matter.

With a comparison group, a row gives the programme group's change, the comparison group's
change and the difference between them at the end allowing for where people started (the
ANCOVA records): the pooled "everyone" change mixes both arms and is not the headline.
The two arms are the first pair of groups the records compare that page 1 can name and
show (:func:`headline_pair`): with a tiny reference group every comparison involves it,
none can be shown, and page 1 then gives everyone's change, all groups together, saying
so (:func:`.summary.build_summary`), rather than "too few people to say" for a sample
large enough to speak. Without a comparison group, a row gives the whole sample's change.
A follow-up wave adds what was left of the change at follow-up. Numbers come from the
results records; their counts were registered with the disclosure audit by the model, and
each cell prints the audit's mark.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .content import Table, record_key
from .contrasts import unnamed
from .findings import (
    ALPHA,
    EFFECT_SIZE,
    EFFECT_SIZE_NAME,
    Finding,
    effect_word,
    no_pairs,
    verdict,
)
from .formatting import decimals_for_range, interval, is_number, num, percent
from .outcomes import OutcomeInfo, describe_outcome
from .privacy import Disclosure


@dataclass
class Contrast:
    """One outcome between two waves: every arm's record and the arms' comparison.

    ``ancovas`` holds every pair of groups the results compare (each group against the
    reference group); ``ancova`` is the one page 1 shows, chosen by
    :func:`collect_headlines` (``None`` when none can be shown).
    """

    waves: tuple[str, str]
    whole: dict[str, Any] | None = None
    arms: dict[str, dict[str, Any]] = field(default_factory=dict)
    ancova: dict[str, Any] | None = None
    ancovas: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Headline:
    """One headline outcome: its facts, the main contrast and any follow-up contrasts."""

    info: OutcomeInfo
    main: Contrast
    followups: list[Contrast] = field(default_factory=list)
    programme: str | None = None
    comparison: str | None = None

    @property
    def controlled(self) -> bool:
        return self.programme is not None and self.comparison is not None

    @property
    def dec(self) -> int:
        return decimals_for_range(self.info.range_low, self.info.range_high)


def _contrast(
    data: dict[str, Any], instrument: str, scale: str, waves: tuple[str, str]
) -> Contrast | None:
    def ours(r: dict[str, Any]) -> bool:
        return (
            r.get("instrument") == instrument
            and str(r.get("scale")) == scale
            and (str(r.get("from_wave")), str(r.get("to_wave"))) == waves
        )

    recs = [r for r in data.get("paired") or [] if ours(r)]
    if not recs:
        return None
    c = Contrast(waves)
    for r in recs:
        if r.get("group") is None:
            c.whole = r
        else:
            c.arms[str(r["group"])] = r
    c.ancovas = [
        a
        for a in data.get("ancova") or []
        if ours(a) and a.get("group") is not None and a.get("reference_group") is not None
    ]
    return c


def _pair(a: dict[str, Any]) -> tuple[str, str]:
    return str(a["group"]), str(a["reference_group"])


def headline_pair(heads: list[Headline], d: Disclosure) -> tuple[str, str] | None:
    """The (programme, comparison) groups page 1 compares, or ``None``.

    Among the pairs the records compare (in their order: with two groups, the only one),
    the first whose two groups can be named and whose comparison can be shown in every
    headline outcome that compares it; else the first that can be named everywhere and
    shown in one; else none. A pair with a group too small to name would name it in the
    headline's title and columns (:func:`.contrasts.unnamed`), and a pair whose groups the
    audit hides — a group beside a small one is hidden so that the small one's size cannot
    be worked out — shows nothing but "not shown": page 1 then leads with everyone's
    change instead of "too few people to say" (:func:`groups_not_compared`).
    """
    shown = []
    for pair in dict.fromkeys(_pair(a) for h in heads for a in h.main.ancovas):
        arms = [
            h.main.arms.get(g)
            for h in heads
            if any(_pair(a) == pair for a in h.main.ancovas)
            for g in pair
        ]
        if any(rec is None or unnamed(rec["group"], rec, d) for rec in arms):
            continue
        visible = [stats_shown(rec, d) for rec in arms]
        if all(visible):
            return pair
        if any(a and b for a, b in zip(visible[::2], visible[1::2], strict=True)):
            shown.append(pair)
    return shown[0] if shown else None


def collect_headlines(
    data: dict[str, Any],
    findings: list[Finding],
    primary: tuple[str, str] | None,
    d: Disclosure,
) -> list[Headline]:
    """One :class:`Headline` per finding of a linked design (empty for unlinked designs)."""
    if primary is None or not data.get("paired"):
        return []
    later = list(
        dict.fromkeys(
            str(r["to_wave"])
            for r in data.get("paired") or []
            if str(r.get("from_wave")) == primary[0] and str(r.get("to_wave")) != primary[1]
        )
    )
    out = []
    for f in findings:
        main = _contrast(data, f.instrument, f.scale, primary)
        if main is None:
            continue
        rec = main.whole or next(iter(main.arms.values()))
        h = Headline(describe_outcome(f.instrument, f.scale, rec), main)
        for wave in later:
            fu = _contrast(data, f.instrument, f.scale, (primary[0], wave))
            if fu is not None:
                h.followups.append(fu)
        out.append(h)
    pair = headline_pair(out, d)
    for h in out if pair is not None else []:
        for c in (h.main, *h.followups):
            c.ancova = next((a for a in c.ancovas if _pair(a) == pair), None)
        if h.main.ancova is not None:
            h.programme, h.comparison = pair
    return out


def groups_not_compared(heads: list[Headline]) -> bool:
    """True when the results compare groups but page 1 can show no pair of them."""
    return any(h.main.ancovas for h in heads) and not any(h.controlled for h in heads)


Result = str
"""``better``, ``worse``, ``no clear difference``, ``too few`` or ``not shown``."""


def stats_shown(rec: dict[str, Any] | None, d: Disclosure) -> bool:
    return rec is not None and d.shown(f"{record_key('paired', rec)}|stats")


def between_result(h: Headline, c: Contrast, d: Disclosure, alpha: float = ALPHA) -> Result:
    """The arms compared at the end of ``c``, allowing for where people started."""
    a = c.ancova
    if a is None or h.programme is None or h.comparison is None:
        return "not shown"
    if not all(stats_shown(c.arms.get(g), d) for g in (h.programme, h.comparison)):
        return "not shown"
    if a.get("too_few_to_interpret") or a.get("suppress"):
        return "too few"
    diff, p = a.get("adjusted_difference"), a.get("p")
    if not is_number(diff) or not is_number(p) or float(p) >= alpha or float(diff) == 0:
        return "no clear difference"
    sign = -1 if h.info.direction == "higher_is_worse" else 1
    return "better" if float(diff) * sign > 0 else "worse"


def within_result(rec: dict[str, Any] | None, d: Disclosure, alpha: float = ALPHA) -> Result:
    """One arm's (or everyone's) change: better, worse or no clear difference."""
    if not stats_shown(rec, d):
        return "not shown"
    assert rec is not None
    if rec.get("not_asked_at"):
        return "not asked"
    if rec.get("too_few_to_interpret") or no_pairs(rec):
        return "too few"
    word = verdict(rec, alpha)
    return {"improved": "better", "worsened": "worse"}.get(word, "no clear difference")


def before_after(
    rec: dict[str, Any] | None, d: Disclosure, dec: int, with_change: bool = True
) -> str:
    """``"5.80 → 5.25 (−0.55), 90 people"``, or what the audit allows of it."""
    if rec is None:
        return "–"
    n_key = f"{record_key('paired', rec)}|n_pairs"
    if not stats_shown(rec, d):
        return f"not shown ({d.mark(n_key)} people)"
    change = f" ({num(rec.get('mean_change'), dec, signed=True)})" if with_change else ""
    return (
        f"{num(rec.get('pre_mean'), dec)} → {num(rec.get('post_mean'), dec)}{change}, "
        f"{d.mark(n_key)} people"
    )


def reliable_shares(rec: dict[str, Any] | None, d: Disclosure) -> tuple[str, str]:
    """The shares reliably better and reliably worse as printed (percent or the mark)."""
    if rec is None or not is_number(rec.get("n_reliably_improved")):
        return "not assessed", "not assessed"
    key, n = record_key("paired", rec), rec.get("n_pairs")
    out = []
    for name in ("n_reliably_improved", "n_reliably_deteriorated"):
        if d.shown(f"{key}|{name}|pct"):
            out.append(percent(rec[name], n))
        else:
            out.append(d.people_mark(f"{key}|{name}"))
    return out[0], out[1]


RESULT_WORDS = {
    "better": "Better",
    "worse": "Worse",
    "no clear difference": "No clear change",
    "too few": "Too few people to say",
    "not asked": "Not asked at both surveys",
    "not shown": "Not shown (privacy)",
}


def _between_words(result: Result, h: Headline) -> str:
    if result == "better":
        return f"{h.programme} group better off"
    if result == "worse":
        return f"{h.programme} group worse off"
    if result == "no clear difference":
        return "No clear difference"
    return RESULT_WORDS[result]


def _difference(c: Contrast, h: Headline) -> str:
    a = c.ancova or {}
    low, high = a.get("adjusted_difference_ci_low"), a.get("adjusted_difference_ci_high")
    return f"{num(a.get('adjusted_difference'), h.dec, signed=True)} [{interval(low, high, h.dec)}]"


def _outcome_cell(h: Headline) -> str:
    return f"{h.info.label}, {h.info.range_text.removeprefix('the ')} ({h.info.better_text})"


def headline_table(heads: list[Headline], d: Disclosure, alpha: float = ALPHA) -> Table | None:
    """The controlled or the single-group headline table; ``None`` without headlines."""
    if not heads:
        return None
    if all(h.controlled for h in heads):
        return _controlled_table(heads, d, alpha)
    return _single_table(heads, d, alpha, together=groups_not_compared(heads))


def _controlled_table(heads: list[Headline], d: Disclosure, alpha: float) -> Table:
    prog, comp = heads[0].programme, heads[0].comparison
    fw, tw = heads[0].main.waves
    rows = []
    for h in heads:
        result = between_result(h, h.main, d, alpha)
        shown = result not in ("not shown", "too few")
        better, worse = reliable_shares(h.main.arms.get(str(h.programme)), d)
        rows.append(
            [
                _outcome_cell(h),
                before_after(h.main.arms.get(str(h.programme)), d, h.dec),
                before_after(h.main.arms.get(str(h.comparison)), d, h.dec),
                _difference(h.main, h) if shown else "not shown",
                _between_words(result, h),
                f"{better} / {worse}",
            ]
        )
    return Table(
        "headline",
        f"What changed from the {fw} to the {tw} survey: the {prog} group against the {comp} group",
        [
            "Outcome",
            f"{prog} group: before → after (change)",
            f"{comp} group: before → after (change)",
            f"Difference at the {tw} survey, allowing for starting scores [95% CI]",
            "Result",
            f"Reliably better / worse, {prog} group",
        ],
        rows,
        [
            "Before → after: each group's average, for people who answered both surveys. "
            f"Difference: {prog} minus {comp} at the {tw} survey for people with the same "
            "starting score, with the range it most likely lies in (95% CI); better or worse "
            "off only when it is unlikely to be chance. Reliably better / worse: the share "
            "whose own change was larger than measurement error. Methods names the tests."
        ],
        widths=[2.0, 1.5, 1.5, 1.3, 1.1, 1.0],
    )


def followup_cell(h: Headline, d: Disclosure, alpha: float) -> str:
    """What was left of the change at the (first) follow-up, for the single-group table."""
    if not h.followups:
        return "–"
    fu = h.followups[0]
    rec = fu.whole
    n_key = f"{record_key('paired', rec)}|n_pairs" if rec else ""
    result = within_result(rec, d, alpha)
    if result in ("not shown", "too few", "not asked") or rec is None:
        return RESULT_WORDS[result]
    low, high = rec.get("mean_change_ci_low"), rec.get("mean_change_ci_high")
    return (
        f"{num(rec.get('mean_change'), h.dec, signed=True)} (95% CI "
        f"{interval(low, high, h.dec)}), {d.mark(n_key)} people: {RESULT_WORDS[result].lower()}"
    )


def _single_table(
    heads: list[Headline], d: Disclosure, alpha: float, together: bool = False
) -> Table:
    """Everyone's change; ``together``: the results compare groups page 1 cannot show, so
    the title says that these are all the groups together."""
    fw, tw = heads[0].main.waves
    fu_wave = next((h.followups[0].waves[1] for h in heads if h.followups), None)
    rows = []
    for h in heads:
        rec = h.main.whole
        result = within_result(rec, d, alpha)
        better, worse = reliable_shares(rec, d)
        words = RESULT_WORDS[result]
        change = "not shown"
        if rec is not None and stats_shown(rec, d):
            low, high = rec.get("mean_change_ci_low"), rec.get("mean_change_ci_high")
            change = (
                f"{num(rec.get('mean_change'), h.dec, signed=True)} [{interval(low, high, h.dec)}]"
            )
            if result in ("better", "worse"):
                dz = rec.get(EFFECT_SIZE)
                words += f" ({effect_word(dz)}, {EFFECT_SIZE_NAME} = {num(dz, 2, signed=True)})"
        row = [_outcome_cell(h), before_after(rec, d, h.dec, False), change, words, better, worse]
        if fu_wave is not None:
            row.append(followup_cell(h, d, alpha))
        rows.append(row)
    columns = [
        "Outcome",
        "Before → after, people",
        "Change [95% CI]",
        "Result",
        "Reliably better",
        "Reliably worse",
    ]
    widths = [2.0, 1.4, 1.3, 1.3, 0.8, 0.8]
    if fu_wave is not None:
        columns.append(f"At the {fu_wave} survey: change from {fw}")
        widths.append(1.7)
    notes = [
        "Before → after: averages for people who answered both surveys. Change: after − "
        "before, with the range the true change most likely lies in (95% CI). Better or "
        "worse only when the change is unlikely to be chance, allowing for the number of "
        f"outcomes tested; its size is {EFFECT_SIZE_NAME}, the average change ÷ the spread "
        "of people's changes (0.2 small, 0.5 medium, 0.8 large). Reliably better / worse: "
        "the share whose own change was larger than measurement error."
    ]
    return Table(
        "headline",
        f"What changed from the {fw} to the {tw} survey"
        + (": everyone, all groups together" if together else ""),
        columns,
        rows,
        notes,
        widths=widths,
    )
