"""``stigma-outcomes app`` on the command line, and what the app may import."""

from __future__ import annotations

import ast
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stigma_outcomes.cli.app import app

from .conftest import start_server, stop_server

APP = Path(__file__).resolve().parents[2] / "src" / "stigma_outcomes" / "app"
# The public API's homes (what `stigma_outcomes` re-exports: instruments, ingest, pipeline),
# the evaluation file, init's proposals, and the leaf utilities; nothing else.
ALLOWED = {
    "stigma_outcomes.errors",
    "stigma_outcomes._io",
    "stigma_outcomes.instruments",
    "stigma_outcomes.ingest",
    "stigma_outcomes.ingest.propose",
    "stigma_outcomes.evaluation",
    "stigma_outcomes.pipeline",
}


def test_host_without_a_token_file_is_refused() -> None:
    result = CliRunner().invoke(app, ["app", "--host", "0.0.0.0", "--no-browser"])
    assert result.exit_code == 2
    assert "would let other machines reach the workbench" in result.output
    assert "--token-file" in result.output


def test_help_names_every_option() -> None:
    result = CliRunner().invoke(app, ["app", "--help"])
    assert result.exit_code == 0
    for option in ("--port", "--no-browser", "--host", "--token-file", "--max-upload-mb"):
        assert option in result.output


def test_nothing_heavy_is_imported_until_the_app_starts() -> None:
    code = (
        "import sys, stigma_outcomes.cli.app, stigma_outcomes.app.state, "
        "stigma_outcomes.app.security; "
        "print(sorted(m for m in ('shiny', 'uvicorn', 'pandas', 'starlette') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_app_imports_only_the_public_api() -> None:
    found = set()
    for path in APP.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 2:
                found.add(f"stigma_outcomes.{node.module}" if node.module else "stigma_outcomes")
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("stigma_"):
                found.add(node.module)
            elif isinstance(node, ast.Import):
                found.update(a.name for a in node.names if a.name.startswith("stigma_outcomes"))
    assert found <= ALLOWED, found - ALLOWED


@pytest.mark.slow
def test_port_address_and_clean_up() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = start_server("--port", str(port))
    try:
        assert server.url.startswith(f"http://127.0.0.1:{port}/?token=")
        assert len(server.url.split("token=")[1]) >= 43
        assert server.private.is_dir() and oct(server.private.stat().st_mode)[-3:] == "700"
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(server.base)
        assert refused.value.code == 403
        taken = CliRunner().invoke(app, ["app", "--no-browser", "--port", str(port)])
        assert taken.exit_code == 2 and "cannot listen on 127.0.0.1" in taken.output
    finally:
        stop_server(server)  # also checks the private folder is gone
