"""Shared helpers for the test suite."""

from __future__ import annotations

import os
import sys
import sysconfig
import tempfile
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import pytest

from stigma_outcomes.instruments import load_instrument

REPO = Path(__file__).resolve().parents[1]
# .ci/run sets this: the suite must import nothing from outside the venv the README line made.
ISOLATED = os.environ.get("STIGMA_OUTCOMES_ISOLATED") == "1"


def _allowed_roots() -> tuple[str, ...]:
    """Where an import may come from: the venv, the checkout, the standard library, temp dirs."""
    paths = sysconfig.get_paths()
    roots = {sys.prefix, str(REPO), paths["stdlib"], paths["platstdlib"], tempfile.gettempdir()}
    return tuple(os.path.realpath(r) for r in roots)


def _outside(path: str, roots: tuple[str, ...]) -> bool:
    real = os.path.realpath(path)
    # the base interpreter's stdlib folder holds its site-packages: never an allowed source
    if "site-packages" in real.split(os.sep) and not real.startswith(os.path.realpath(sys.prefix)):
        return True
    return not any(real == r or real.startswith(r + os.sep) for r in roots)


def pytest_configure(config: pytest.Config) -> None:
    if not ISOLATED:
        return
    if sys.prefix == sys.base_prefix:
        raise pytest.UsageError("STIGMA_OUTCOMES_ISOLATED: the suite must run inside a venv")
    # a path that does not exist (python311.zip) can provide nothing
    leaks = [p for p in sys.path if os.path.exists(p) and _outside(p, _allowed_roots())]
    if leaks:
        raise pytest.UsageError(f"sys.path reaches outside the venv: {leaks}")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if not ISOLATED:
        return
    roots = _allowed_roots()
    leaked = sorted(
        name
        for name, module in list(sys.modules.items())
        if isinstance(getattr(module, "__file__", None), str) and _outside(module.__file__, roots)
    )
    if leaked:
        sys.stderr.write(f"\nimported from outside the venv: {leaked[:20]}\n")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def responses_frame(
    instrument_id: str,
    rows: dict[str, Sequence[object]],
    item_ids: Sequence[str] | None = None,
    **extra: Sequence[object],
) -> pd.DataFrame:
    """A wide export: one row per participant, columns <instrument>_<item> in item order."""
    items = list(item_ids or load_instrument(instrument_id).item_ids)
    data: dict[str, list[object]] = {"participant_id": list(rows)}
    for position, item in enumerate(items):
        data[f"{instrument_id}_{item}"] = [values[position] for values in rows.values()]
    for name, values in extra.items():
        data[name] = list(values)
    return pd.DataFrame(data)


def scale_scores(result, scale: str) -> dict[str, float]:
    """participant_id → score for one scale of a ScoreResult."""
    table = result.scores[result.scores["scale"] == scale]
    return dict(zip(table["participant_id"], table["score"], strict=True))


@pytest.fixture
def ucla3():
    return load_instrument("ucla3")


@pytest.fixture
def ismi29():
    return load_instrument("ismi29")


@pytest.fixture
def gbs():
    return load_instrument("gbs")


@pytest.fixture
def read_ahead_log(monkeypatch: pytest.MonkeyPatch) -> dict[str, list]:
    """What the exports' read-ahead was asked to start (the file names of each call) and
    what it parsed, recorded while the real read-ahead runs."""
    from pathlib import Path

    from stigma_outcomes.ingest.formats import _started, text

    log: dict[str, list] = {"started": [], "parsed": []}
    real_start, real_parse = _started.start_reading, text._first_parse

    def start(paths: list[Path]) -> None:
        log["started"].append(sorted(Path(p).name for p in paths))
        real_start(paths)

    def parse(file: Path, *args: object) -> object:
        log["parsed"].append(Path(file).name)
        return real_parse(file, *args)

    monkeypatch.setattr(_started, "start_reading", start)
    monkeypatch.setattr(text, "_first_parse", parse)
    return log
