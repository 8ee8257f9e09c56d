"""The workbench in a real browser (Playwright driving Chromium), as a user works through it.

Each test starts ``stigma-outcomes app`` as a user does and drives the page with the keyboard
where a keyboard user would (focus a control, press Enter or Space). Screenshots of every step
go to ``docs/app-*.png`` for the README. Marked ``browser``; see ``conftest.py`` for skipping.
"""

from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
import warnings
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from .conftest import DOCS, REQUIRE, SAMPLE, Server, Visit, axe_path, start_server, stop_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def press(page: Any, locator: Any, key: str = "Enter") -> None:
    """Operate a control from the keyboard: focus it, press a key."""
    locator.focus()
    page.keyboard.press(key)


def open_step(page: Any, title: str) -> None:
    press(page, page.get_by_role("tab", name=title))
    page.get_by_role("tab", name=title, selected=True).wait_for()


def idle(page: Any) -> None:
    """Wait until Shiny has nothing left to compute or send."""
    page.wait_for_function(
        "() => window.Shiny && !document.documentElement.classList.contains('shiny-busy')"
    )
    page.wait_for_timeout(300)


def check_axe(page: Any, where: str) -> None:
    """0 WCAG 2.1 A/AA violations from axe-core (npm) on the page as it is."""
    script = axe_path()
    if script is None:
        message = "axe-core not found (npm install axe-core, or set AXE_CORE_JS)"
        if REQUIRE:
            pytest.fail(f"{message}; STIGMA_OUTCOMES_REQUIRE_BROWSER=1 makes it mandatory")
        warnings.warn(f"accessibility not checked: {message}", stacklevel=2)
        return
    page.add_script_tag(path=str(script))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG
    )
    found = [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} × {v['nodes'][0]['target']})"
        for v in result["violations"]
    ]
    assert not found, f"axe-core on {where}:\n" + "\n".join(found)


def shot(page: Any, name: str) -> None:
    """Screenshot of a step. The suite never writes into the checkout: the README's pictures
    are refreshed only on request (STIGMA_OUTCOMES_SCREENSHOTS=1 writes them to docs/)."""
    folder = (
        DOCS
        if os.environ.get("STIGMA_OUTCOMES_SCREENSHOTS") == "1"
        else Path(tempfile.gettempdir()) / "stigma-outcomes-screenshots"
    )
    folder.mkdir(exist_ok=True)
    page.screenshot(path=str(folder / f"app-{name}.png"), full_page=True, animations="disabled")


def upload(page: Any, input_id: str, *paths: Path) -> None:
    page.locator(f"#{input_id}").set_input_files([str(p) for p in paths])
    idle(page)


def download(page: Any, label: str, folder: Path) -> Path:
    with page.expect_download() as info:
        press(page, page.get_by_role("link", name=label, exact=True))
    target = folder / info.value.suggested_filename
    info.value.save_as(target)
    return target


def test_sample_from_upload_to_pdf_identical_to_run(
    server: Server, visit: Visit, tmp_path: Path
) -> None:
    page = visit.page
    page.goto(server.url)
    assert "token=" not in page.url  # swapped for a cookie
    idle(page)
    page.get_by_label("Report title").fill("Peer Connect outcome report")
    page.get_by_label("Programme name").fill("Peer Connect peer-support groups")
    page.get_by_label("Period covered (e.g. March to June 2025)").fill("March to June 2025")
    check_axe(page, "Programme")
    shot(page, "1-programme")
    press(page, page.get_by_role("button", name="Next: exports"))
    page.get_by_role("tab", name="2. Exports", selected=True).wait_for()

    upload(page, "exports", SAMPLE / "qualtrics_pre.csv", SAMPLE / "qualtrics_post.csv")
    page.get_by_text("participant ID: pcode").first.wait_for()
    body = page.locator("#files").inner_text()
    assert "platform: qualtrics" in body and "rows read: 240 of 242" in body
    assert "set aside: 1 row(s), survey preview" in body
    assert "personal data kept out: StartDate" in body
    check_axe(page, "Exports")
    shot(page, "2-exports")
    press(page, page.get_by_role("button", name="Next: questionnaires"))

    page.get_by_label("Use this match for ucla3").wait_for()
    for inst in ("ucla3", "ismi29", "gbs"):
        assert page.get_by_label(f"Use this match for {inst}").is_checked()
    assert "answers are the scale's labels" in page.locator("#blocks").inner_text()
    check_axe(page, "Questionnaires")
    shot(page, "3-questionnaires")
    press(page, page.get_by_role("button", name="Next: design"))

    page.get_by_label("Comparison group column (e.g. arm)").select_option("arm")
    idle(page)
    page.get_by_label("Reference (comparison) group").select_option("Comparison")
    page.get_by_label("Sites or cohorts to pool (column)").select_option("site")
    idle(page)
    check_axe(page, "Design")
    shot(page, "4-design")
    press(page, page.get_by_role("button", name="Next: run"))

    press(page, page.get_by_role("button", name="Run the evaluation"))
    # The progress bar follows the stages live (the PDF stage takes a few seconds).
    progress = page.locator("#shiny-notification-panel")
    progress.get_by_text("Write the report").wait_for(timeout=120_000)
    shot(page, "5-run")
    page.get_by_role("tab", name="6. Results", selected=True).wait_for(timeout=180_000)
    idle(page)
    page.locator("#results").get_by_text("rows read").first.wait_for()
    results = page.locator("#results").inner_text()
    assert "Scores per scale" in results and "evaluator only" in results.lower()
    report = page.frame_locator("iframe.report")
    report.get_by_text("Participation and attrition").first.wait_for()
    check_axe(page, "Results")
    shot(page, "6-results")
    open_step(page, "5. Run")
    assert "Write the report" in page.locator("#run_status").inner_text()
    check_axe(page, "Run")
    open_step(page, "6. Results")

    got = tmp_path / "downloads"
    got.mkdir()
    pdf = download(page, "Report (PDF)", got)
    evaluation = download(page, "evaluation.yaml", got)
    download(page, "mapping.yaml", got)
    for name in ("scores", "ledger"):
        label = (
            "Scores (XLSX, evaluator only)"
            if name == "scores"
            else ("Data-quality ledger (XLSX, evaluator only)")
        )
        table = pd.read_excel(download(page, label, got))
        assert len(table) > 0
    for name in ("qualtrics_pre.csv", "qualtrics_post.csv"):
        shutil.copy(SAMPLE / name, got / name)
    launcher = "from stigma_outcomes.cli.app import main; main()"
    done = subprocess.run(
        [sys.executable, "-c", launcher, "run", str(evaluation), "--out", str(tmp_path / "cli")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert pdf.read_bytes()[:5] == b"%PDF-"
    assert filecmp.cmp(pdf, tmp_path / "cli" / "report.pdf", shallow=False)
    assert visit.outside == []  # no request left this machine
    assert not [m for m in visit.console if "Content Security Policy" in m]


def _no_id_export(folder: Path) -> Path:
    """The sample's pre export without its participant code (nor the response ID)."""
    frame = pd.read_csv(SAMPLE / "qualtrics_pre.csv", skiprows=[1, 2], dtype=str)
    target = folder / "pre_no_id.csv"
    frame.drop(columns=["pcode", "ResponseId"]).to_csv(target, index=False)
    return target


def test_a_file_with_no_id_column_shows_its_fix(
    server: Server, visit: Visit, tmp_path: Path
) -> None:
    page = visit.page
    page.goto(server.url)
    idle(page)
    open_step(page, "2. Exports")
    upload(page, "exports", _no_id_export(tmp_path), SAMPLE / "qualtrics_post.csv")
    problem = page.locator("#files .problem")
    problem.first.wait_for()
    assert problem.count() == 1
    # Shiny's upload folder and the project both live in the app's private folder.
    assert list(server.private.glob("uploads/fileupload-*"))
    assert list(server.private.glob("sessions/*/project/pre_no_id.csv"))
    text = problem.first.inner_text()
    assert "no participant ID column was found" in text
    assert "How to fix:" in text and "Participant ID column" in text
    check_axe(page, "Exports with a problem")
    shot(page, "2-exports-problem")
    # Run anyway: the run's error is shown beside a way back to the step that fixes it.
    open_step(page, "5. Run")
    press(page, page.get_by_role("button", name="Run the evaluation"))
    failure = page.locator("#run_status .problem")
    failure.wait_for(timeout=120_000)
    text = failure.inner_text()
    assert "the participant ID column 'pcode' does not exist" in text
    assert "Where: pre_no_id.csv" in text and "How to fix:" in text
    check_axe(page, "Run with a problem")
    shot(page, "5-run-problem")
    press(page, page.get_by_role("button", name="Go to 2. Exports to fix it"))
    page.get_by_role("tab", name="2. Exports", selected=True).wait_for()
    beside = page.locator("#fix_exports")  # the error, on the step that fixes it
    beside.get_by_text("The last run stopped here").wait_for()
    assert "does not exist" in beside.inner_text()


FOCUSABLE = """() => [...document.querySelectorAll(
    '.tab-pane.active input, .tab-pane.active select, .tab-pane.active button')]
    .filter(e => e.id && !e.disabled && e.type !== 'hidden' && e.tabIndex >= 0
            && (e.offsetParent !== null || e.type === 'file'))
    .map(e => e.id)"""


def tab_through(page: Any, presses: int) -> set[str]:
    seen = set()
    for _ in range(presses):
        page.keyboard.press("Tab")
        seen.add(page.evaluate("() => document.activeElement.id"))
    return seen


def test_the_whole_flow_by_keyboard_alone(server: Server, visit: Visit, tmp_path: Path) -> None:
    """Tab reaches every control of every step; Enter and Space do the rest, to the PDF."""
    page = visit.page
    page.goto(server.url)
    idle(page)
    open_step(page, "2. Exports")
    press(page, page.get_by_role("button", name="Use the sample exports"), "Space")
    idle(page)
    page.locator("#files").get_by_text("participant ID: pcode").first.wait_for()
    for title in ("1. Programme", "2. Exports", "3. Questionnaires", "4. Design", "5. Run"):
        open_step(page, title)
        idle(page)
        controls = set(page.evaluate(FOCUSABLE))
        assert controls, title
        reached = tab_through(page, len(controls) + 12)
        assert controls <= reached, f"{title}: not reached by Tab: {controls - reached}"
    press(page, page.get_by_role("button", name="Run the evaluation"))
    page.get_by_role("tab", name="6. Results", selected=True).wait_for(timeout=180_000)
    idle(page)
    pdf = download(page, "Report (PDF)", tmp_path)
    assert pdf.read_bytes()[:5] == b"%PDF-"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("screenshot.png", b"\x89PNG\r\n\x1a\n" + bytes(64), "is a PNG image, not a survey export"),
        ("photo.csv", b"\xff\xd8\xff\xe0" + bytes(64), "is a JPEG image, not a survey export"),
        ("empty.csv", b"", "is empty (0 bytes)"),
    ],
    ids=["png", "jpeg-named-csv", "empty"],
)
def test_a_wrong_upload_gets_one_clear_message(
    server: Server, visit: Visit, tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    page = visit.page
    page.goto(server.url)
    idle(page)
    open_step(page, "2. Exports")
    wrong = tmp_path / name
    wrong.write_bytes(content)
    upload(page, "exports", wrong)
    boxes = page.locator("#upload_message .problem")
    boxes.first.wait_for()
    assert boxes.count() == 1
    text = boxes.inner_text()
    assert message in text and "How to fix:" in text
    assert "No export uploaded yet." in page.locator("#files").inner_text()


def test_the_token_is_required(server: Server, visit: Visit) -> None:
    for url in (server.base, server.base + "?token=wrong"):
        response = visit.page.goto(url)
        assert response is not None and response.status == 403
        assert "private to the person who started it" in visit.page.content()
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(server.base + "shared/shiny.min.js")
    assert refused.value.code == 403
    ok = visit.page.goto(server.url)
    assert ok is not None and ok.status == 200


def test_an_upload_over_the_limit_is_refused_in_the_page(visit: Visit) -> None:
    small = start_server("--max-upload-mb", "0.01")
    try:
        page = visit.page
        page.goto(small.url)
        idle(page)
        open_step(page, "2. Exports")
        page.locator("#exports").set_input_files([str(SAMPLE / "qualtrics_pre.csv")])
        page.get_by_text("over the 0.01 MB upload limit").first.wait_for()
        idle(page)
        assert "No export uploaded yet." in page.locator("#files").inner_text()
    finally:
        stop_server(small)
