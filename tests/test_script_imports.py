"""bench/ and scripts/ import from generator only names that exist: they are run by hand,
not by the tests, so a rename would otherwise break them silently."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SCRIPTS = sorted([*REPO.glob("bench/*.py"), *REPO.glob("scripts/*.py")])


def generator_imports(path: Path) -> list[tuple[str, str]]:
    """Return (module, name) of every ``from generator… import name`` in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [(node.module, alias.name) for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module
            and node.module.split(".")[0] == "generator" for alias in node.names]


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_generator_name_a_script_imports_exists(path: Path) -> None:
    for module, name in generator_imports(path):
        imported = importlib.import_module(module)
        assert hasattr(imported, name) or importlib.util.find_spec(f"{module}.{name}"), \
            f"{path.name}: from {module} import {name}"


def test_the_scripts_are_found() -> None:
    assert any(p.parent.name == "bench" for p in SCRIPTS)
    assert sum(len(generator_imports(p)) for p in SCRIPTS) > 5
