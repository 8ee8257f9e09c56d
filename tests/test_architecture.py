"""Imports point one way, down the pipeline (SPEC §2; ARCHITECTURE.md)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "stigma_outcomes"
STAGES = {
    "errors": 0,
    "_io": 0,
    "_version": 0,
    "instruments": 1,
    "ingest": 2,
    "scoring": 3,
    "comparison": 4,
    "report": 5,
    "evaluation": 6,
    "pipeline": 6,
    "cli": 7,
    "app": 7,  # beside cli: `stigma-outcomes app` starts it; it imports only the public API
}


def _stage_of(module: str) -> tuple[str, int] | None:
    parts = module.split(".")
    if parts[0] != "stigma_outcomes" or len(parts) < 2:
        return None
    return parts[1], STAGES[parts[1]]


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(("stigma_outcomes", *path.relative_to(PACKAGE).with_suffix("").parts))
    if path.name == "__init__.py":
        package = package.rsplit(".", 1)[0] + ".__init__"
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: -node.level]
                found.append(".".join([*base, node.module] if node.module else base))
            elif node.module:
                found.append(node.module)
    return [m for m in found if m.startswith("stigma_outcomes.")]


def test_no_stage_imports_a_later_stage() -> None:
    violations = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        if rel.parts[0] == "__init__.py":
            continue  # the top-level package re-exports lazily from every stage
        own = STAGES[rel.parts[0].removesuffix(".py")]
        for module in _imports(path):
            stage = _stage_of(module)
            if stage is not None and stage[1] > own:
                violations.append(f"{rel} imports {module}")
    assert not violations, "imports that point up the pipeline:\n" + "\n".join(violations)


def test_every_module_belongs_to_a_stage() -> None:
    tops = {p.relative_to(PACKAGE).parts[0].removesuffix(".py") for p in PACKAGE.rglob("*.py")}
    tops -= {"__init__"}
    assert tops <= set(STAGES), f"add these to STAGES and ARCHITECTURE.md: {tops - set(STAGES)}"
