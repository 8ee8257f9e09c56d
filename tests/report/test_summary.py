"""Page 1 of the shipped demo and REDCap sample reports, read as a funder reads it."""

from __future__ import annotations

import json
import re
from typing import Any

import pandas as pd
import pytest

from stigma_outcomes.pipeline import load_evaluation, run_evaluation, sample_data_dir
from stigma_outcomes.report import ReportSettings, build_report
from stigma_outcomes.report.formatting import percent

JARGON = ("Holm", "Cohen", "Wilcoxon", "F(", "ANCOVA", "p <", "p =", "Hedges")


@pytest.fixture(scope="module", params=["evaluation.yaml", "evaluation_redcap.yaml"])
def sample(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    path = sample_data_dir() / request.param
    out = tmp_path_factory.mktemp("page1")
    run_evaluation(path, out)
    ev, _ = load_evaluation(path)
    settings = ReportSettings(
        title=ev.title, program=ev.program, period=ev.period, min_cell=ev.privacy.min_cell
    )
    model = build_report(
        json.loads((out / "results.json").read_text()),
        pd.read_csv(out / "scores.csv", dtype={"participant_id": str}),
        pd.read_csv(out / "ledger.csv"),
        settings,
    )
    return request.param, model


def _text(model: Any) -> str:
    s = model.summary
    parts = [*s.paragraphs, *s.bullets]
    for t in s.tables:
        parts += [t.caption, *t.columns, *t.notes, *(c for r in t.rows for c in r)]
    return "\n".join(parts)


def test_demo_leads_with_programme_against_comparison_and_the_share_lonely(sample: Any) -> None:
    name, model = sample
    if name != "evaluation.yaml":
        pytest.skip("the demo has the comparison arm")
    s = model.summary
    assert s.paragraphs[0].startswith(
        "Main message: By the end, the Intervention group was clearly better off than the "
        "Comparison group on"
    )
    head = s.tables[0]
    assert head.columns[1].startswith("Intervention group") and head.columns[2].startswith(
        "Comparison group"
    )
    lonely = next(r for r in head.rows if r[0].startswith("Loneliness"))
    assert lonely[4] == "Intervention group better off"
    assert not any(r[0].startswith("Everyone") for r in head.rows)
    shares = next(t for t in s.tables if t.id == "cutoff-shares")
    row = next(r for r in shares.rows if r[0].startswith("Lonely: 6 or higher"))
    assert row[1:] == ["70% → 57% of 90 people", "77% → 83% of 65 people"]
    assert any(
        "share in the lonely range (6 or higher) fell from 70% to 57% in the Intervention "
        "group and rose from 77% to 83% in the Comparison group" in b
        for b in s.bullets
    )
    ismi = next(r for r in shares.rows if r[0].startswith("Elevated internalized stigma"))
    assert "2.5 or higher" in ismi[0] and "single source" in ismi[0]


def test_redcap_summary_reports_the_follow_up(sample: Any) -> None:
    name, model = sample
    if name != "evaluation_redcap.yaml":
        pytest.skip("the REDCap sample has the follow-up wave")
    s = model.summary
    assert "33 answered the follow-up survey" in s.paragraphs[1]
    assert "At the follow-up survey, the improvement had not clearly lasted" in s.paragraphs[0]
    assert s.tables[0].columns[-1] == "At the follow-up survey: change from baseline"
    assert all("follow-up survey" in b for b in s.bullets if not b.startswith("Possible"))
    flow = next(c for c in model.sections[0].charts if c.id == "flow")
    assert flow.data["steps"][-1]["n"] == "33"
    # Belonging: 22% reliably worse and 22% reliably better is flagged.
    assert any(b.startswith("Possible harm to check, General belongingness") for b in s.bullets)


def test_no_jargon_on_page_one(sample: Any) -> None:
    _, model = sample
    text = _text(model)
    for word in JARGON:
        assert word not in text, word


def test_every_number_on_page_one_passes_the_audit(sample: Any) -> None:
    _, model = sample
    d = model.disclosure
    text = _text(model)
    shown = {v for k, v in d.values.items() if d.shown(k)}
    percents = {
        percent(d.values[num], d.values[den])
        for key, (num, den) in d.shares.items()
        if d.shown(key) and num in d.values and den in d.values
    }
    counts = re.findall(
        r"(\d[\d,]*) (?:people|in the|also answered|answered the)|\((\d[\d,]*)\)", text
    )
    assert counts
    for found in counts:
        value = int(next(x for x in found if x).replace(",", ""))
        assert value in shown, value
    found_percents = re.findall(r"\b\d+%(?! CI)", text)
    assert found_percents
    for p in found_percents:
        assert p in percents, p


def test_report_settings_privacy_limit_is_min_cell_and_threshold_its_old_name() -> None:
    """The privacy limit has the file's and the CLI's name; 'threshold' alone (which a
    clinical threshold could also be called) is read for old code, with a warning."""
    import pytest

    from stigma_outcomes.errors import InputError
    from stigma_outcomes.report.content import ReportSettings

    assert ReportSettings(min_cell=11).min_cell == 11
    with pytest.warns(DeprecationWarning):
        old = ReportSettings(threshold=8)
    assert old.min_cell == 8 and old.threshold == 8
    assert "threshold" not in repr(old)
    with pytest.raises(InputError, match="not both"):
        ReportSettings(min_cell=11, threshold=8)


def test_reach_counts_the_small_groups_it_does_not_name() -> None:
    """Two groups too small to name were 'a small group not named' (one); with no group
    large enough the sentence began with ', and'."""
    from stigma_outcomes.report.privacy import Disclosure
    from stigma_outcomes.report.summary import reach_sentence

    flow = [("flow|pre", "x", None, None)]
    for groups, said in (
        ({"A": 30, "B": 6, "C": 2, "E": 2}, "(30 in the A group, 6 in the B group, and 2 small "
                                            "groups not named)"),
        ({"C": 2}, "(a small group not named)"),
    ):  # fmt: skip
        d = Disclosure(5)
        d.count("flow|pre", 40)
        d.count("flow|both", 30)
        for group, n in groups.items():
            d.count(f"flowg|{group}|pre", n)
        d.resolve()
        assert said in str(reach_sentence(flow, list(groups), d, ("pre", "post")))
