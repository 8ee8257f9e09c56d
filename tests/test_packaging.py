"""A plain (non-editable) install of the wheel finds the built-in instruments."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import tarfile
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _run(cmd: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    """Run a step of the install; on failure, fail the test with the step's own stderr."""
    done = subprocess.run(cmd, capture_output=True, text=True, **kwargs)  # type: ignore[call-overload]
    if done.returncode:
        pytest.fail(
            f"{' '.join(map(str, cmd))} exited {done.returncode}\n"
            f"stdout:\n{done.stdout}\nstderr:\n{done.stderr}"
        )
    return done


def _running_site_packages() -> list[str]:
    """The site-packages folders of the environment running the tests (a venv, not the base)."""
    paths = sysconfig.get_paths()
    return sorted({paths["purelib"], paths["platlib"]})


@pytest.mark.slow
def test_installed_wheel_ships_the_instruments(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    _run(
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
        cwd=tmp_path,
    )
    wheel = next(dist.glob("stigma_outcomes-*.whl"))
    env_dir = tmp_path / "venv"
    # The dependencies come from the environment running the tests, not from the base
    # interpreter (system_site_packages would mean the base, which a fresh machine leaves
    # empty). A plain path line in a .pth file appends those folders after the new venv's own
    # site-packages and does not run the .pth files inside them, so the running environment's
    # editable hook for this project stays inactive: the wheel is what gets imported.
    venv.EnvBuilder(system_site_packages=False, with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    purelib = _run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]
    ).stdout.strip()
    (Path(purelib) / "_running_env.pth").write_text(
        "\n".join(_running_site_packages()) + "\n", encoding="utf-8"
    )
    _run(
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
        ]
    )
    probe = (
        "import json, stigma_outcomes as so\n"
        "from stigma_outcomes.instruments.registry import builtin_dir\n"
        "print(json.dumps({'module': so.__file__, 'builtin': str(builtin_dir()),"
        " 'ids': [i.id for i in so.list_instruments()]}))"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    out = _run([str(python), "-c", probe], cwd=tmp_path, env=env)
    info = json.loads(out.stdout)
    assert info["module"].startswith(str(env_dir))
    assert info["builtin"].startswith(str(env_dir)) and info["builtin"].endswith(
        "_builtin_instruments"
    )
    assert {"ucla3", "ismi29", "gbs"} <= set(info["ids"])
    cli = _run(
        [str(env_dir / "bin" / "stigma-outcomes"), "instruments", "list"], cwd=tmp_path, env=env
    )
    assert "ismi29" in cli.stdout


# folders whose files the suite reads (goldens, fixtures, samples, schemas, docs, notebooks)
READ_BY_TESTS = ("instruments", "data/sample", "schemas", "docs", "notebooks", "tests", "src")


def _tracked_files(folders: tuple[str, ...]) -> set[str]:
    """Files under the folders as the repository holds them (git when present, else the tree)."""
    if (REPO / ".git").exists():
        listed = _run(["git", "ls-files", "-z", "--", *folders], cwd=REPO).stdout
        return {name for name in listed.split("\0") if name and (REPO / name).is_file()}
    return {
        str(path.relative_to(REPO))
        for folder in folders
        for path in (REPO / folder).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }


@pytest.mark.slow
def test_source_archive_carries_every_file_the_tests_read(tmp_path: Path) -> None:
    _run([sys.executable, "-m", "hatchling", "build", "-t", "sdist", "-d", str(tmp_path)], cwd=REPO)
    archive = next(tmp_path.glob("stigma_outcomes-*.tar.gz"))
    with tarfile.open(archive) as tar:
        top = tar.getnames()[0].split("/")[0]
        shipped = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
    wanted = _tracked_files(READ_BY_TESTS)
    missing = sorted(wanted - shipped)
    assert not missing, f"{top}: missing from the sdist: {missing[:20]}"
