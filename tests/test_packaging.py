"""A plain (non-editable) install of the wheel finds the built-in instruments."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_installed_wheel_ships_the_instruments(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(REPO),
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(dist),
        ],
        check=True,
        cwd=tmp_path,
    )
    wheel = next(dist.glob("stigma_outcomes-*.whl"))
    env_dir = tmp_path / "venv"
    # System site-packages provide the dependencies; the wheel itself goes into the venv,
    # which comes first on sys.path, so the editable checkout cannot be what is imported.
    venv.EnvBuilder(system_site_packages=True, with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-deps",
            "-q",
            str(wheel),
        ],
        check=True,
    )
    probe = (
        "import json, stigma_outcomes as so\n"
        "from stigma_outcomes.instruments.registry import builtin_dir\n"
        "print(json.dumps({'module': so.__file__, 'builtin': str(builtin_dir()),"
        " 'ids': [i.id for i in so.list_instruments()]}))"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    out = subprocess.run(
        [str(python), "-c", probe],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    info = json.loads(out.stdout)
    assert info["module"].startswith(str(env_dir))
    assert info["builtin"].startswith(str(env_dir)) and info["builtin"].endswith(
        "_builtin_instruments"
    )
    assert {"ucla3", "ismi29", "gbs"} <= set(info["ids"])
    cli = subprocess.run(
        [str(env_dir / "bin" / "stigma-outcomes"), "instruments", "list"],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    assert "ismi29" in cli.stdout
