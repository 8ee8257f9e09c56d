"""``stigma-outcomes app`` on the command line, and what the app may import."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from stigma_outcomes.cli.app import app

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
