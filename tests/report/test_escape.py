"""Labels from data are data (issue 18): whatever a site or group name holds, every format
shows it literally and nothing parses it as markup."""

from __future__ import annotations

import copy
import html
import io
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stigma_outcomes.report import ReportSettings, build_report
from stigma_outcomes.report.escape import chart_data, html_text, markdown_text

# Any Unicode text, weighted towards the markup of every output format.
MARKUP = list("<>&\"'*_`[]()#$\\|~!@=+-./{}:;^%\n\t\r\x00\x07")
labels = st.text(
    alphabet=st.one_of(st.sampled_from(MARKUP), st.characters(blacklist_categories=("Cs",))),
    min_size=1,
    max_size=24,
)


def _plain(label: str) -> str:
    """What a reader sees: line breaks and control characters as spaces."""
    text = re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\r\n]", " ", label)
    return re.sub(r"\s+", " ", text).strip()


@settings(max_examples=400, deadline=None)
@given(labels)
def test_html_text_is_inert_and_exact(label: str) -> None:
    escaped = html_text(label)
    assert "<" not in escaped and ">" not in escaped and '"' not in escaped
    assert html.unescape(escaped) == label


@settings(max_examples=400, deadline=None)
@given(labels, st.booleans())
def test_markdown_shows_the_label_literally(label: str, block: bool) -> None:
    markdown_it = pytest.importorskip("markdown_it")
    md = markdown_it.MarkdownIt("commonmark").enable("table").enable("strikethrough")
    rendered = md.render("Site: " + markdown_text(label, block=False) + "\n")
    if block:
        rendered = md.render(markdown_text(label) + "\n")
    # One paragraph, no element but <p>, and its text is the label.
    tags = set(re.findall(r"</?([a-z0-9]+)", rendered))
    assert tags <= {"p"}, rendered
    shown = html.unescape(re.sub(r"</?p>", "", rendered))
    expected = _plain(label) if block else _plain("Site: " + label)
    # NUL is replaced by U+FFFD in CommonMark; compare what remains.
    assert _plain(shown).replace("\ufffd", " ").split() == expected.replace("\ufffd", " ").split()


def _means_chart(group: str) -> Any:
    from stigma_outcomes.report.content import Chart

    return Chart(
        "means-x",
        "means",
        "caption",
        "alt",
        {
            "series": [
                {"group": group, "n": 40, "points": [
                    {"wave": "pre", "mean": 5.0, "low": 4.5, "high": 5.5},
                    {"wave": "post", "mean": 4.0, "low": 3.5, "high": 4.5}]},
                {"group": "Everyone", "n": 80, "points": [
                    {"wave": "pre", "mean": 5.2, "low": 4.9, "high": 5.5},
                    {"wave": "post", "mean": 4.4, "low": 4.0, "high": 4.8}]},
            ],
            "ylabel": f"{group} score",
            "range": [3, 9],
        },
    )  # fmt: skip


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(labels)
def test_charts_draw_any_label_as_plain_text(label: str) -> None:
    import warnings

    from stigma_outcomes.report import charts

    chart = _means_chart(label)
    plt = charts._pyplot()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # glyphs missing from the font are drawn as boxes
        fig = charts._means(plt, chart_data(chart.data))
        texts = [t for t in fig.findobj(lambda a: hasattr(a, "_preprocess_math"))]
        # No text of the chart is handed to mathtext, and the label is among them.
        assert all(t._preprocess_math(t.get_text())[1] is False for t in texts)
        shown = " ".join(t.get_text() for t in texts)
        assert chart_data(label).replace("\u2060", "") in shown.replace("\u2060", "")
        fig.savefig(io.StringIO(), format="svg")
        plt.close(fig)


HOSTILE = [
    r"$\frac{a$",
    "<script>alert(1)</script>",
    "*Site* _A_ `x` [l](http://e.example) ![i](x)",
    '#set page(width: 1cm) #"x" [b] \\ @ref <lbl> // c /* c */',
    "| a | b |\n---",
    "# Heading\n1. item",
    "R&D; &amp; \x07bell",
]


def _results_with(label: str) -> dict[str, Any]:
    from .conftest import results_with_small_group

    results = results_with_small_group()
    for rec in results["paired"] + results["attrition"]:
        if rec.get("group") == "Intervention":
            rec["group"] = label
    return results


@pytest.fixture(scope="module")
def scores_template() -> Any:
    from .conftest import results_with_small_group, scores_for

    return scores_for(results_with_small_group())


@pytest.mark.parametrize("label", HOSTILE)
def test_every_format_prints_a_hostile_group_label_literally(
    label: str, scores_template: Any
) -> None:
    from pypdf import PdfReader

    from stigma_outcomes.report.render_html import render_html
    from stigma_outcomes.report.render_markdown import render_markdown
    from stigma_outcomes.report.render_typst import render_pdf

    scores = copy.deepcopy(scores_template)
    if "arm" in scores.columns:
        scores["arm"] = scores["arm"].astype(object).replace({"Intervention": label})
    model = build_report(_results_with(label), scores, None, ReportSettings(title="T", program="P"))
    page = render_html(model)
    # HTML: the label's characters never open a tag.
    assert "<script>alert" not in page
    body = re.sub(r"<svg\b.*?</svg>", " ", page, flags=re.S)
    visible = _plain(html.unescape(re.sub(r"<[^>]+>", " ", body)))
    assert _plain(label.replace("\x07", "\ufffd")) in visible or _plain(label) in visible
    md = render_markdown(model)
    markdown_it = pytest.importorskip("markdown_it")
    rendered = markdown_it.MarkdownIt("commonmark").enable("table").render(md)
    assert "<script" not in rendered and "<a " not in rendered and "<img" not in rendered
    assert "<em>Site</em>" not in rendered
    pdf, _notes = render_pdf(model)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    # The PDF shows the label's words (text extraction may re-space them).
    first_word = next(w for w in re.split(r"\s+", label) if len(w) >= 3)
    assert re.sub(r"\s", "", first_word)[:3] in re.sub(r"\s", "", text)
