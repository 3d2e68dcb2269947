"""House rules that a linter does not check: no module imports another module's private
(underscore) names, and no star imports (docs/adding-a-practice.md)."""

from __future__ import annotations

import ast
from pathlib import Path

STEWARD = Path(__file__).resolve().parents[2] / "steward"


def _imports():
    for path in sorted(STEWARD.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("steward"):
                yield path.relative_to(STEWARD.parent), node


def test_no_module_imports_another_modules_private_names():
    found = [
        f"{path}:{node.lineno} imports {alias.name} from {node.module}"
        for path, node in _imports()
        for alias in node.names
        if alias.name.startswith("_") and not alias.name.startswith("__")
    ]
    assert found == []


def test_no_star_imports():
    found = [
        f"{path}:{node.lineno} from {node.module} import *"
        for path, node in _imports()
        if any(alias.name == "*" for alias in node.names)
    ]
    assert found == []
