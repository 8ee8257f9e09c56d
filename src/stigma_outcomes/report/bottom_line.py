"""Page 1 in words: the main message, one bottom line per outcome, follow-up and harm flags.

Plain language only (no test names, no p values): the Methods section says how "clear" was
decided. Every number printed is one the disclosure audit has passed: means and
differences only when their group's statistics are shown, percentages only when their
share is shown.

The harm flag: an outcome is flagged when the share reliably worse is 15% or more (as
printed, a whole percent), or when it is not clearly below the share reliably better.
"Clearly below" is an exact binomial test among the people who changed reliably (worse
against better, one-sided, 5%; R's ``binom.test(worse, worse + better, alternative =
"less")``). A hidden count raises no flag and its absence says nothing, so the flag leaks
nothing the audit hid.
"""

from __future__ import annotations

from typing import Any

from .content import record_key
from .cutoff_shares import ShareRow
from .findings import ALPHA, Finding, threshold_sentence
from .formatting import decimals_for_range, is_number, num, percent
from .headline import Contrast, Headline, between_result, within_result
from .outcomes import describe_outcome
from .privacy import Disclosure

HARM_SHARE = 0.15
"""A reliably-worse share at or above this is flagged whatever the improved share."""


def worse_not_clearly_below(worse: int, better: int, alpha: float = ALPHA) -> bool:
    """True when ``worse`` is not clearly below ``better`` (exact one-sided binomial test).

    Examples
    --------
    >>> worse_not_clearly_below(11, 11), worse_not_clearly_below(14, 66)
    (True, False)
    """
    # P(X <= worse), X ~ Binomial(worse + better, 1/2): binom.test's one-sided p, from the
    # binomial CDF in scipy.special (scipy.stats costs ~0.7 s of imports for this one test).
    from scipy.special import bdtr

    if worse <= 0:
        return False
    return bool(bdtr(worse, worse + better, 0.5) >= alpha)


def harm_flag(rec: dict[str, Any] | None, d: Disclosure, alpha: float = ALPHA) -> bool:
    """Whether the reliably-worse share calls for a closer look (see the module notes)."""
    if rec is None or not is_number(rec.get("n_reliably_deteriorated")):
        return False
    key = record_key("paired", rec)
    names = ("n_reliably_improved", "n_reliably_deteriorated")
    if not all(d.shown(f"{key}|{n}|pct") for n in names):
        return False
    better, worse, n = (int(rec[x]) for x in (*names, "n_pairs"))
    if n <= 0 or worse == 0:
        return False
    # The share as printed (whole percent, half up), so "15%" on the page always flags.
    printed = int(percent(worse, n).rstrip("%")) / 100
    return printed >= HARM_SHARE or worse_not_clearly_below(worse, better, alpha)


def harm_sentence(h: Headline, d: Disclosure, alpha: float = ALPHA) -> str | None:
    """The flag in words, or None when nothing is flagged."""
    rec = h.main.arms.get(str(h.programme)) if h.controlled else h.main.whole
    if not harm_flag(rec, d, alpha):
        return None
    assert rec is not None
    n = rec["n_pairs"]
    worse = percent(rec["n_reliably_deteriorated"], n)
    better = percent(rec["n_reliably_improved"], n)
    who = f"the {h.programme} group" if h.controlled else "participants"
    return (
        f"Possible harm to check, {h.info.label}: {worse} of {who} got reliably worse, "
        f"against {better} reliably better. Worth asking who they were and why."
    )


def _amount(diff: object, h: Headline) -> str:
    if not is_number(diff):
        return ""
    size = num(abs(float(diff)), h.dec)
    return f"{size} points {'higher' if float(diff) > 0 else 'lower'}"


def _share_words(rows: list[ShareRow], h: Headline, d: Disclosure) -> str:
    """ "The share lonely fell from 70% to 57% in ... and rose from 77% to 83% in ..."."""
    mine = [r for r in rows if r.rule.instrument == h.info.instrument and r.waves == h.main.waves]
    if h.controlled:
        order = {h.programme: 0, h.comparison: 1}
        mine = sorted((r for r in mine if r.group in order), key=lambda r: order[r.group])
    else:
        mine = [r for r in mine if r.group is None]
    parts = []
    for r in mine:
        if r.small or not (d.shown(r.pct_key(0)) and d.shown(r.pct_key(1))):
            continue
        a, b = (percent(r.values[w], r.values["n"]) for w in r.waves)
        moved = "fell" if int(a[:-1]) > int(b[:-1]) else "rose" if a != b else "stayed"
        change = f"stayed at {a}" if moved == "stayed" else f"{moved} from {a} to {b}"
        parts.append(change + (f" in the {r.group} group" if r.group else ""))
    if not parts:
        return ""
    rule = mine[0].rule
    return f" The share in the {rule.label} range ({rule.words}) " + " and ".join(parts) + "."


def bottom_line(h: Headline, rows: list[ShareRow], d: Disclosure, alpha: float = ALPHA) -> str:
    """One plain sentence on what happened to the outcome, then the share beyond its line."""
    name = h.info.label
    scale = h.info.range_text
    if h.controlled:
        result = between_result(h, h.main, d, alpha)
        a = h.main.ancova or {}
        amount = _amount(a.get("adjusted_difference"), h)
        if result == "better":
            text = (
                f"{name}: the {h.programme} group ended clearly better off than the "
                f"{h.comparison} group, {amount} on {scale} ({h.info.better_text}) for people "
                "who started at the same score."
            )
        elif result == "worse":
            text = (
                f"{name}: the {h.programme} group ended worse off than the {h.comparison} "
                f"group, {amount} on {scale} ({h.info.better_text}) for people who started at "
                "the same score."
            )
        elif result == "no clear difference":
            text = (
                f"{name}: no clear difference between the {h.programme} and {h.comparison} "
                f"groups by the end ({amount or 'no difference'} on {scale}, which could be "
                "chance)."
            )
        elif result == "too few":
            text = f"{name}: too few people in one of the groups to compare the groups fairly."
        else:
            return f"{name}: not shown, because one of the groups is too small to report."
    else:
        rec = h.main.whole
        result = within_result(rec, d, alpha)
        if result in ("better", "worse"):
            assert rec is not None
            moved = "fell" if float(rec["mean_change"]) < 0 else "rose"
            text = (
                f"{name}: {'improved' if result == 'better' else 'got worse'}; the average "
                f"{moved} from {num(rec.get('pre_mean'), h.dec)} to "
                f"{num(rec.get('post_mean'), h.dec)} on {scale} ({h.info.better_text})."
            )
        elif result == "no clear difference":
            assert rec is not None
            text = (
                f"{name}: no clear change ({num(rec.get('pre_mean'), h.dec)} before, "
                f"{num(rec.get('post_mean'), h.dec)} after on {scale})."
            )
        elif result == "too few":
            text = f"{name}: too few people answered both surveys to say whether it changed."
        elif result == "not asked":
            assert rec is not None
            text = f"{name}: not asked at the {rec['not_asked_at']} survey, so no change is known."
        else:
            return f"{name}: not shown, because too few people answered both surveys."
    return text + _share_words(rows, h, d) + followup_words(h, d, alpha)


def _fu_result(h: Headline, fu: Contrast, d: Disclosure, alpha: float) -> str:
    if h.controlled and fu.ancova is not None:
        return between_result(h, fu, d, alpha)
    return within_result(fu.whole, d, alpha)


def _fu_hidden(fu: Contrast, d: Disclosure) -> bool:
    """Whether a follow-up's pairs are hidden (‡) to protect another count, not too few."""
    rec = fu.whole
    return rec is not None and d.status(f"{record_key('paired', rec)}|n_pairs") == "hidden"


def followup_words(h: Headline, d: Disclosure, alpha: float = ALPHA) -> str:
    """Did it last? One clause per follow-up wave ("" without one)."""
    if not h.followups:
        return ""
    main = (
        between_result(h, h.main, d, alpha)
        if h.controlled
        else within_result(h.main.whole, d, alpha)
    )
    out = []
    for fu in h.followups:
        wave = fu.waves[1]
        now = _fu_result(h, fu, d, alpha)
        if now == "not asked":
            out.append(f" It was not asked at the {wave} survey.")
        elif now == "not shown" and _fu_hidden(fu, d):
            out.append(
                f" Whether it lasted to the {wave} survey is not shown, so that a small "
                "number cannot be worked out from the other figures."
            )
        elif now in ("not shown", "too few"):
            out.append(f" At the {wave} survey too few people answered to say whether it lasted.")
        elif main == "better" and now == "better":
            out.append(
                f" At the {wave} survey it had lasted: still clearly better than at the start."
            )
        elif main == "better":
            out.append(
                f" By the {wave} survey it had not clearly lasted: no longer clearly different "
                "from the start."
            )
        elif now == "better":
            out.append(f" By the {wave} survey it was clearly better than at the start.")
        elif now == "worse":
            out.append(f" By the {wave} survey it was clearly worse than at the start.")
        elif main in ("not shown", "too few", "not asked"):
            out.append(f" At the {wave} survey there was no clear change from the start.")
        else:
            out.append(f" At the {wave} survey there was still no clear change from the start.")
    return "".join(out)


def main_message(heads: list[Headline], d: Disclosure, alpha: float = ALPHA) -> str | None:
    """The one message at the top of page 1, from every outcome's result."""
    if not heads:
        return None
    controlled = all(h.controlled for h in heads)
    groups: dict[str, list[str]] = {}
    for h in heads:
        if controlled:
            result = between_result(h, h.main, d, alpha)
        else:
            result = within_result(h.main.whole, d, alpha)
        groups.setdefault(result, []).append(h.info.label)

    listed = _listed
    parts = []
    if controlled:
        prog, comp = heads[0].programme, heads[0].comparison
        if groups.get("better"):
            parts.append(
                f"by the end, the {prog} group was clearly better off than the {comp} group on "
                + listed(groups["better"])
            )
        if groups.get("worse"):
            parts.append(f"the {prog} group ended worse off on {listed(groups['worse'])}")
        if groups.get("no clear difference"):
            parts.append(
                f"there was no clear difference between the groups on "
                f"{listed(groups['no clear difference'])}"
            )
    else:
        if groups.get("better"):
            parts.append(f"{listed(groups['better'])} improved")
        if groups.get("worse"):
            parts.append(f"{listed(groups['worse'])} got worse")
        if groups.get("no clear difference"):
            verb = "shows" if len(groups["no clear difference"]) == 1 else "show"
            parts.append(f"{listed(groups['no clear difference'])} {verb} no clear change")
    hidden = groups.get("not shown", []) + groups.get("too few", [])
    if hidden:
        parts.append(f"too few people to say for {listed(hidden)}")
    if unasked := groups.get("not asked"):
        was = "was" if len(unasked) == 1 else "were"
        parts.append(f"{listed(unasked)} {was} not asked at both surveys")
    if not parts:
        return None
    text = "; ".join(parts)
    # What the design cannot show follows in the next paragraph (design_sentence).
    return "Main message: " + text[0].upper() + text[1:] + "." + _lasted(heads, d, alpha)


def _lasted(heads: list[Headline], d: Disclosure, alpha: float) -> str:
    """The follow-up in one sentence for the main message ("" without a follow-up)."""
    with_fu = [h for h in heads if h.followups]
    if not with_fu:
        return ""
    wave = with_fu[0].followups[0].waves[1]
    kept, lost, later, unknown = [], [], [], []
    for h in with_fu:
        main = (
            between_result(h, h.main, d, alpha)
            if h.controlled
            else within_result(h.main.whole, d, alpha)
        )
        now = _fu_result(h, h.followups[0], d, alpha)
        if now in ("not shown", "too few"):
            # Nothing is known of it here: neither lasted nor not.
            if main == "better":
                unknown.append(h.info.label)
        elif main == "better":
            (kept if now == "better" else lost).append(h.info.label)
        elif now == "better":
            later.append(h.info.label)
    out = []
    if kept:
        out.append(f"the improvement had lasted on {_listed(kept)}")
    if lost:
        out.append(f"the improvement had not clearly lasted on {_listed(lost)}")
    if later:
        out.append(f"{_listed(later)} had clearly improved")
    if unknown:
        out.append(f"whether the improvement lasted on {_listed(unknown)} is not shown")
    if not out:
        out.append("no outcome was clearly better than at the start")
    return f" At the {wave} survey, " + "; ".join(out) + "."


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


UNLINKED_WORDS = {
    "improved": "improved",
    "worsened": "got worse",
    "no clear change": "no clear difference",
}


def unlinked_bottom_line(finding: Finding, rec: dict[str, Any] | None, d: Disclosure) -> str:
    """An anonymous (unlinked) design's outcome in one plain sentence."""
    name = finding.label
    if rec is None or finding.verdict == "not shown":
        return f"{name}: not shown, because too few people answered at one of the surveys."
    info = describe_outcome(finding.instrument, finding.scale, rec)
    dec = decimals_for_range(info.range_low, info.range_high)
    before = num(rec.get("mean_before", rec.get("pre_mean")), dec)
    after = num(rec.get("mean_after", rec.get("post_mean")), dec)
    share = threshold_sentence(rec, d, record_key("unlinked", rec))
    return (
        f"{name}: {UNLINKED_WORDS.get(finding.verdict, finding.verdict)} between the people "
        f"who answered before (average {before}) and those who answered after (average "
        f"{after}) on {info.range_text} ({info.better_text})." + (f" {share}" if share else "")
    )


def unlinked_main_message(findings: list[Finding]) -> str | None:
    """The main message of an unlinked design, from its findings' verdicts."""
    by: dict[str, list[str]] = {}
    for f in findings:
        by.setdefault(f.verdict, []).append(f.label)
    parts = []
    if by.get("improved"):
        parts.append(f"{_listed(by['improved'])} improved")
    if by.get("worsened"):
        parts.append(f"{_listed(by['worsened'])} got worse")
    if by.get("no clear change"):
        parts.append(f"no clear difference on {_listed(by['no clear change'])}")
    if by.get("not shown"):
        parts.append(f"too few people to say for {_listed(by['not shown'])}")
    if not parts:
        return None
    text = "; ".join(parts)
    return (
        "Main message: " + text[0].upper() + text[1:] + ". The surveys were anonymous, so "
        "these compare the people who answered before with those who answered after; there "
        "was no comparison group, so this shows what changed, not that the programme caused it."
    )


def attrition_caveat(
    data: dict[str, Any], heads: list[Headline], d: Disclosure, alpha: float = ALPHA
) -> list[str]:
    """A caveat where the people with no score at the second wave had clearly started
    differently (they did not answer it, or too few of the scale's questions).

    From the whole sample's attrition record of each headline scale at the main contrast's
    second wave (completers against drop-outs at the start); means only when both counts
    are shown.
    """
    out = []
    for h in heads:
        fw, tw = h.main.waves
        rec = next(
            (
                a
                for a in data.get("attrition") or []
                if a.get("instrument") == h.info.instrument
                and str(a.get("scale")) == h.info.scale
                and a.get("group") is None
                and str(a.get("wave")) == tw
            ),
            None,
        )
        if rec is None or not is_number(rec.get("p")) or float(rec["p"]) >= alpha:
            continue
        key = record_key("attrition", rec)
        if not all(d.shown(f"{key}|{n}") for n in ("n_completers", "n_dropouts")):
            continue
        stayed, left = rec.get("mean_completers"), rec.get("mean_dropouts")
        if not (is_number(stayed) and is_number(left)) or stayed == left:
            continue
        sign = -1 if h.info.direction == "higher_is_worse" else 1
        worse = (float(left) - float(stayed)) * sign < 0
        out.append(
            f"Caveat: the people not scored on {h.info.label} at the {tw} survey (not "
            f"answered, or too few questions) had started {'worse' if worse else 'better'} "
            "than those scored "
            f"({num(left, h.dec)} against {num(stayed, h.dec)} on {h.info.range_text} at the "
            f"{fw} survey), so the people analysed may not represent everyone who started."
        )
    return out
