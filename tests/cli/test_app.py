"""Conventions every command line shares: --version, -h, shell completion."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

import stigma_outcomes
from stigma_outcomes.cli.app import app

runner = CliRunner()
REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version_is_the_package_version(flag: str) -> None:
    done = runner.invoke(app, [flag])
    assert done.exit_code == 0
    assert done.output.strip() == f"stigma-outcomes {stigma_outcomes.__version__}"


def test_the_version_is_declared_once() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert "version" not in project and "version" in project["dynamic"]


@pytest.mark.parametrize("args", [["-h"], ["score", "-h"], ["instruments", "list", "-h"]])
def test_short_help_flag(args: list[str]) -> None:
    done = runner.invoke(app, args)
    assert done.exit_code == 0
    assert done.output.startswith("Usage: ")


def test_shell_completion_is_offered() -> None:
    done = runner.invoke(app, ["--help"])
    assert "--install-completion" in done.output and "--show-completion" in done.output


def test_package_is_typed() -> None:
    assert (Path(stigma_outcomes.__file__).parent / "py.typed").is_file()
