"""The console script holds the garbage collector off until the command is invoked."""

from __future__ import annotations

import gc
import subprocess
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_the_console_script_is_the_entry() -> None:
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts["stigma-outcomes"] == "stigma_outcomes.cli._entry:main"


def test_the_collector_is_held_until_the_command_runs_and_then_freezes_what_was_made() -> None:
    # In a child: the collector is off while the command line loads, on (with what was made
    # meanwhile frozen) once the command runs, and the command's output is as usual.
    code = (
        "import gc, sys\n"
        "from stigma_outcomes.cli import _entry, app\n"
        "seen = []\n"
        "real = app._UserErrorGroup.invoke\n"
        "def invoke(self, ctx):\n"
        "    seen.append(gc.isenabled())\n"
        "    result = real(self, ctx)\n"
        "    seen.append((gc.isenabled(), gc.get_freeze_count() > 0))\n"
        "    return result\n"
        "app._UserErrorGroup.invoke = invoke\n"
        "sys.argv = ['stigma-outcomes', 'instruments', 'list']\n"
        "import atexit\n"
        "atexit.register(lambda: print('SEEN', seen, file=sys.stderr))\n"
        "_entry.main()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "SEEN [False, (True, True)]" in done.stderr
    assert "ucla3" in done.stdout


def test_resuming_is_a_no_op_unless_the_entry_held_the_collector() -> None:
    from stigma_outcomes.cli import _entry

    frozen = gc.get_freeze_count()
    gc.disable()
    try:
        _entry.resume_collector()  # not held by the entry: the caller's choice stands
        assert not gc.isenabled()
        assert gc.get_freeze_count() == frozen
    finally:
        gc.enable()
