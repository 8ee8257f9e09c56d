"""Rendered reports: the numbers are the results' numbers, and small groups never show."""

from __future__ import annotations

import html
import io
import re
from typing import Any

import pytest

from stigma_outcomes.report import ReportSettings, build_report
from stigma_outcomes.report.render_html import render_html
from stigma_outcomes.report.render_markdown import render_markdown
from stigma_outcomes.report.render_typst import render_pdf


@pytest.fixture(scope="module")
def model() -> Any:
    from .conftest import ledger_fixture, results_with_small_group, scores_for

    results = results_with_small_group()
    settings = ReportSettings(
        title="Peer Connect outcomes", program="Peer Connect", period="2025", author="Test Org"
    )
    return build_report(results, scores_for(results), ledger_fixture(), settings)


@pytest.fixture(scope="module")
def outputs(model: Any) -> dict[str, str]:
    from pypdf import PdfReader

    pdf, notes = render_pdf(model)
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return {
        "pdf": text,
        "html": render_html(model),
        "html_text": _visible(render_html(model)),
        "md": render_markdown(model),
        "pdf_title": str(reader.metadata.title),
        "notes": " ".join(notes),
    }


def _visible(page: str) -> str:
    """HTML text a reader sees or hears: drawing coordinates removed, SVG title/desc kept."""
    kept = " ".join(re.findall(r"<(?:title|desc)[^>]*>(.*?)</(?:title|desc)>", page, re.S))
    without_svg = re.sub(r"<svg\b.*?</svg>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", without_svg) + " " + kept)


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_numbers_printed_equal_the_results(outputs: dict[str, str], small_group_results) -> None:
    whole = small_group_results["paired"][0]
    expected = [
        f"{whole['pre_mean']:.2f}",
        f"{whole['post_mean']:.2f}",
        f"−{abs(whole['mean_change']):.2f}",
        f"{whole['n_pairs']}",
        f"{abs(whole['d_z']):.2f}",
    ]
    for fmt in ("pdf", "html", "md"):
        body = _squash(outputs[fmt])
        for number in expected:
            assert number in body, (fmt, number)


def test_pdf_metadata_and_standard(outputs: dict[str, str]) -> None:
    assert outputs["pdf_title"] == "Peer Connect outcomes"
    assert outputs["notes"] == "PDF/UA-1"


def test_group_of_three_never_appears(model: Any, outputs: dict[str, str]) -> None:
    comparison_mean = "6.33"  # the 3-person group's mean in the fixture
    for fmt in ("pdf", "html_text", "md"):
        assert comparison_mean not in outputs[fmt]
    rows = [r for t in model.outcomes[0].tables for r in t.rows]
    # The 3-person group is not named (issue 18): its row reads "a small group".
    assert not [r for r in rows if "Comparison" in r[0]]
    small = next(r for r in rows if "a small group" in r[0])
    other = next(r for r in rows if "Intervention" in r[0])
    assert small[1] == "<5"
    # The other group's n (60) would give 63 − 60 = 3: it is hidden as well.
    assert other[1] == "‡" and "60" not in other
    assert "Comparison (n = " not in outputs["html_text"]


def test_alerts_and_identifiers_never_reach_the_report(outputs: dict[str, str]) -> None:
    for fmt in ("pdf", "html", "md"):
        text = outputs[fmt]
        assert "PID-SECRET" not in text and "jane.doe@example.org" not in text
        assert "alert" not in text.lower() and "self harm" not in text.lower()


def test_privacy_rule_is_stated(outputs: dict[str, str]) -> None:
    for fmt in ("pdf", "html_text", "md"):
        assert "shown as" in _squash(outputs[fmt]) and "<5" in outputs[fmt]


def test_html_is_self_contained_and_accessible(outputs: dict[str, str]) -> None:
    page = outputs["html"]
    assert '<html lang="en">' in page and "<main>" in page and '<th scope="col">' in page
    assert '<th scope="row">' in page and 'role="img"' in page and "<desc id=" in page
    assert "src=" not in page and "<link" not in page


def test_pdf_is_identical_for_identical_input(model: Any) -> None:
    assert render_pdf(model)[0] == render_pdf(model)[0]


def test_limitations_and_methods_present(model: Any) -> None:
    text = model.all_text()
    assert "Regression to the mean" in text and "no comparison group" in text
    assert "Holm" in text and "Jacobson–Truax" in text


def test_unlinked_results_are_labelled_everywhere() -> None:
    rec = {
        "instrument": "ucla3",
        "scale": "total",
        "group": None,
        "design": "unlinked",
        "from_wave": "pre",
        "to_wave": "post",
        "n_before": 80,
        "n_after": 70,
        "mean_before": 6.5,
        "sd_before": 1.4,
        "mean_after": 6.1,
        "sd_after": 1.3,
        "mean_difference": -0.4,
        "mean_difference_ci_low": -0.85,
        "mean_difference_ci_high": 0.05,
        "hedges_g": -0.29,
        "hedges_g_ci_low": -0.61,
        "hedges_g_ci_high": 0.03,
        "p_t": 0.08,
        "improvement_sign": -1,
    }
    md = render_markdown(build_report({"meta": {}, "paired": [], "unlinked": [rec]}))
    assert "unlinked surveys" in md and "Welch" in md and "could not be matched" in md
    assert "6.50 (1.40)" in md and "−0.29 [−0.61 to 0.03]" in md
    assert "Reliable change" not in md and "paired t test" not in md


def test_scoring_rules_come_from_the_definitions(model: Any) -> None:
    annex = next(s for s in model.sections if s.id == "annex")
    rules = next(t for t in annex.tables if t.id == "scoring-rules")
    ucla = next(r for r in rules.rows if r[0].startswith("UCLA-3"))
    assert ucla[1] == "3" and ucla[2] == "sum of items"


def test_mixed_model_means_chart_hides_small_groups() -> None:
    from stigma_outcomes.report.content import Chart
    from stigma_outcomes.report.outcome_charts import mixed_means_chart
    from stigma_outcomes.report.outcomes import describe_outcome
    from stigma_outcomes.report.privacy import Disclosure

    cells = [
        {"wave": w, "group": g, "n": n, "mean": m, "se": 0.2, "ci_low": m - 0.4, "ci_high": m + 0.4}
        for g, n in (("A", 40), ("B", 30), ("C", 3))
        for w, m in (("pre", 6.0), ("post", 5.5), ("follow-up", 5.4))
    ]
    chart = mixed_means_chart(
        "ucla3", describe_outcome("ucla3", "total"), {"wave_means": cells}, Disclosure(5), 2
    )
    assert isinstance(chart, Chart)
    shown = [s["group"] for s in chart.data["series"]]
    # C is small; B (the next smallest) goes too, so C cannot be recovered from A + B.
    assert shown == ["A"]
    # The alt text counts them and names neither: a group too small to show is named
    # nowhere (docs/outputs.md). It used to list "C, B" ("C" in the alt also matched "CI").
    assert "2 groups not shown for privacy." in chart.alt
    assert not re.search(r"\b[BC]\b", chart.alt)


def test_html_structure_is_well_formed(outputs: dict[str, str]) -> None:
    from html.parser import HTMLParser

    class Checker(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.stack: list[str] = []
            self.headings: list[int] = []
            self.tables = self.captions = 0
            self.problems: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag in {"meta", "br", "img", "link", "path", "use", "rect", "line"}:
                return
            self.stack.append(tag)
            if tag in {"h1", "h2", "h3", "h4"}:
                self.headings.append(int(tag[1]))
            self.tables += tag == "table"
            self.captions += tag == "caption"
            if tag == "th" and "scope" not in dict(attrs):
                self.problems.append("th without scope")

        def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            return

        def handle_endtag(self, tag: str) -> None:
            if tag in {"path", "use", "rect", "line"}:
                return
            if not self.stack or self.stack[-1] != tag:
                self.problems.append(f"unbalanced </{tag}>")
                return
            self.stack.pop()

    checker = Checker()
    checker.feed(outputs["html"])
    assert not checker.problems and not checker.stack
    assert checker.tables and checker.tables == checker.captions
    # Heading levels start at 1 and never skip a level.
    assert checker.headings[0] == 1
    assert all(b - a <= 1 for a, b in zip(checker.headings, checker.headings[1:], strict=False))


def test_participation_by_group_hides_the_small_group_and_its_complement(model: Any) -> None:
    part = next(s for s in model.sections if s.id == "participation")
    table = next(t for t in part.tables if t.id == "flow-by-group")
    rows = {r[0]: r for r in table.rows}
    # The small group is not named (issue 18).
    assert "Comparison" not in rows
    assert rows["a small group"][1] == "<5" and rows["a small group"][2] == "<5"
    # 80 answered at pre overall, so the Intervention count (77) must not be printed.
    assert rows["Intervention"][1] == "‡" and rows["Intervention"][2] == "‡"
    assert rows["Intervention"][4] == "not shown" and "77" not in rows["Intervention"]


def test_comparison_group_results_follow_their_contrast() -> None:
    from .conftest import paired_record

    paired = [
        paired_record("ucla3", "total", g, n, 6.8, 5.9, -1, 0.001, 20, 5)
        for g, n in ((None, 90), ("A", 50), ("B", 40))
    ]
    later = [{**r, "to_wave": "followup"} for r in paired]
    ancova = [
        {
            "instrument": "ucla3",
            "scale": "total",
            "from_wave": "pre",
            "to_wave": w,
            "group": "A",
            "reference_group": "B",
            "adjusted_difference": d,
            "adjusted_difference_ci_low": d - 0.3,
            "adjusted_difference_ci_high": d + 0.3,
            "p": 0.001,
        }
        for w, d in (("post", -0.61), ("followup", -0.47))
    ]
    model = build_report({"meta": {}, "paired": paired + later, "ancova": ancova})
    summary = " ".join(model.summary.bullets)
    assert "0.61 points lower on the 3–9 scale" in summary and "0.47" not in summary
    section = " ".join(model.outcomes[0].more)
    assert "By the followup wave" in section and "0.47 points lower" in section
    assert "From pre to followup" in section


def test_pdf_is_tagged_with_language_and_figure_alt_text(model: Any) -> None:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(render_pdf(model)[0]))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en" and root["/MarkInfo"]["/Marked"]
    alts: list[str] = []

    def walk(node: Any) -> None:
        node = node.get_object()
        if isinstance(node, list):
            for child in node:
                walk(child)
            return
        if not isinstance(node, dict):
            return
        if node.get("/S") == "/Figure" and "/Alt" in node:
            alts.append(str(node["/Alt"]))
        kids = node.get("/K")
        if kids is not None:
            walk(kids)

    walk(root["/StructTreeRoot"])
    charts = [c for s in [model.summary, *model.outcomes, *model.sections] for c in s.charts]
    assert sorted(alts) == sorted(c.alt for c in charts)


def test_summary_table_and_split_intervals_reach_every_format(outputs: dict[str, str]) -> None:
    for fmt in ("pdf", "html_text", "md"):
        assert "What changed from the pre to the post survey" in _squash(outputs[fmt]), fmt
    # Wide tables put each interval under its estimate in HTML; Markdown keeps one line.
    assert '<td class="ci">−0.96<br>[−1.27 to −0.65]</td>' in outputs["html"]
    assert "−0.96 [−1.27 to −0.65]" in outputs["md"]
    assert 'class="chart-change"' in outputs["html"]


def test_every_format_says_who_prepared_the_report(outputs: dict[str, str]) -> None:
    for fmt in ("pdf", "html_text", "md"):
        assert "Prepared by Test Org" in _squash(outputs[fmt]), fmt
