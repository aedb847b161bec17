"""The shape of the code, kept by tests: import contracts, no imports hidden in functions,
small modules. ARCHITECTURE.md explains why; these make a change that breaks it fail."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "kinerja"
MAX_LINES = 450  # "about 400": a module past this mixes families; split it


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_the_import_contracts_hold() -> None:
    """Layers (app → cli → views/jobs/demo → services → security → models → domain), pure
    rules without Flask or SQLAlchemy, no cycles: the contracts in pyproject.toml."""
    linter = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(linter), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def test_no_module_imports_ours_inside_a_function() -> None:
    """An import inside a function hides a circle instead of removing it."""
    hidden = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for inner in ast.walk(node):
                if isinstance(inner, ast.ImportFrom) and (inner.module or "").startswith("kinerja"):
                    hidden.append(f"{path.relative_to(ROOT)}:{inner.lineno} {inner.module}")
                elif isinstance(inner, ast.Import) and any(
                    alias.name.startswith("kinerja") for alias in inner.names
                ):
                    hidden.append(f"{path.relative_to(ROOT)}:{inner.lineno}")
    assert not hidden, "imports inside functions:\n" + "\n".join(hidden)


def test_modules_stay_small() -> None:
    large = {
        str(path.relative_to(ROOT)): lines
        for path in _modules()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not large, f"modules over {MAX_LINES} lines: {large}"
