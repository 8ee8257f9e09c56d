"""Imports point one way, down the pipeline (SPEC §2; ARCHITECTURE.md).

The rule itself lives once, as import-linter contracts in ``pyproject.toml``; these tests run
the real tool and check that every top-level module of the package sits in one of its layers.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "src" / "stigma_outcomes"


def _contracts() -> list[dict]:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    return config["tool"]["importlinter"]["contracts"]


def test_import_contracts_are_kept() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run(
        [str(lint), "--config", str(REPO / "pyproject.toml"), "--no-cache"],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{len(_contracts())} kept, 0 broken" in done.stdout


def test_every_module_belongs_to_a_layer() -> None:
    (layers,) = [c["layers"] for c in _contracts() if c["type"] == "layers"]
    named = {
        part.strip().removeprefix("stigma_outcomes.")
        for layer in layers
        for part in layer.split("|")
    }
    tops = {p.relative_to(PACKAGE).parts[0].removesuffix(".py") for p in PACKAGE.rglob("*.py")}
    tops -= {"__init__"}
    assert tops <= named, f"add these to the layers in pyproject.toml: {sorted(tops - named)}"
