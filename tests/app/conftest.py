"""Fixtures for the workbench's tests: a real server (the CLI command) and a real browser.

Browser tests need Playwright for Python and a Chromium (Debian's ``chromium``; Playwright's
own download is not needed). Without them they skip, saying why, unless
``STIGMA_OUTCOMES_REQUIRE_BROWSER=1`` is set (as CI does): then a missing browser fails.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "data" / "sample"
DOCS = REPO / "docs"
REQUIRE = os.environ.get("STIGMA_OUTCOMES_REQUIRE_BROWSER") == "1"


def _missing(reason: str) -> None:
    if REQUIRE:
        pytest.fail(f"{reason} (STIGMA_OUTCOMES_REQUIRE_BROWSER=1 makes this mandatory)")
    pytest.skip(reason)


def chromium_path() -> str | None:
    """Debian's chromium, or the browser named by STIGMA_OUTCOMES_CHROMIUM."""
    named = os.environ.get("STIGMA_OUTCOMES_CHROMIUM")
    if named:
        return named if Path(named).is_file() else None
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def axe_path() -> Path | None:
    """axe-core from npm: AXE_CORE_JS, or node_modules/axe-core in the repository."""
    named = os.environ.get("AXE_CORE_JS")
    candidates = [Path(named)] if named else []
    candidates.append(REPO / "node_modules" / "axe-core" / "axe.min.js")
    return next((p for p in candidates if p.is_file()), None)


@dataclass
class Server:
    """A running ``stigma-outcomes app`` process and what it printed."""

    process: subprocess.Popen[str]
    url: str
    base: str
    private: Path
    lines: list[str] = field(default_factory=list)


def start_server(*extra: str) -> Server:
    """Start the workbench through its command line, as a user does; wait for the address."""
    pytest.importorskip("shiny", reason="the [app] extra (shiny) is not installed")
    launcher = "from stigma_outcomes.cli.app import main; main()"
    command = [sys.executable, "-c", launcher, "app", "--no-browser", *extra]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
    )
    assert process.stdout is not None
    lines: list[str] = []
    url = private = None
    for line in process.stdout:
        lines.append(line.rstrip())
        if line.startswith("open: "):
            url = line.split("open: ", 1)[1].strip()
        if line.startswith("files are kept in "):
            private = Path(line.removeprefix("files are kept in ").split(" and removed")[0])
        if url and private:
            break
    if not (url and private):
        process.kill()
        raise AssertionError("the app did not print its address:\n" + "\n".join(lines))
    base = re.sub(r"/\?token=.*$", "/", url)
    return Server(process=process, url=url, base=base, private=private, lines=lines)


def stop_server(server: Server) -> None:
    """Stop as Ctrl+C does, and check the private folder is gone."""
    server.process.send_signal(signal.SIGINT)
    try:
        server.process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.process.kill()
        raise
    assert not server.private.exists(), f"private folder left behind: {server.private}"


@pytest.fixture
def server() -> Iterator[Server]:
    running = start_server()
    yield running
    stop_server(running)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    path = chromium_path()
    if path is None:
        _missing("no Chromium found (apt-get install -y chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Playwright for Python is not installed (pip install playwright)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, headless=True, args=["--no-sandbox"])
        yield browser
        browser.close()


@dataclass
class Visit:
    """A page in a fresh browser context, with every request that left 127.0.0.1."""

    page: Any
    outside: list[str]
    console: list[str]


@pytest.fixture
def visit(browser: Any) -> Iterator[Visit]:
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    outside: list[str] = []

    def only_local(route: Any) -> None:
        url = route.request.url
        if url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:")):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", only_local)
    page = context.new_page()
    page.set_default_timeout(60_000)
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    yield Visit(page=page, outside=outside, console=console)
    context.close()
