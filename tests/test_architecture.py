"""Imports go forward only: model ← read/validate ← cli; the model does no I/O."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "pipeline"

ALLOWED = {
    "model": {"model"},
    "diagnostics": {"model"},
    "codes": {"model", "diagnostics"},
    "read": {"model", "diagnostics", "codes", "read"},
    "validate": {"model", "diagnostics", "codes", "read", "validate"},
    "schema": {"model"},
    "render": {"model", "diagnostics", "render", "terminology"},
    "terminology": {"model", "terminology"},
    # Only build and cli import the stages.
    "build": {"model", "diagnostics", "render", "build", "validate", "lint", "terminology"},
}
IO_MODULES = {"os", "pathlib", "io", "shutil", "subprocess", "socket", "urllib", "open"}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def _layer(path: Path) -> str:
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: p.stem)
def test_imports_only_from_earlier_layers(path: Path) -> None:
    layer = _layer(path)
    if layer not in ALLOWED:
        return
    ours = {name.split(".")[1] for name in _imports(path) if name.startswith("pipeline.")}
    assert ours <= ALLOWED[layer], f"{path.name} imports {ours - ALLOWED[layer]}"


@pytest.mark.parametrize("path", sorted((PACKAGE / "model").glob("*.py")), ids=lambda p: p.stem)
def test_model_does_no_io(path: Path) -> None:
    roots = {name.split(".")[0] for name in _imports(path)}
    assert not roots & IO_MODULES
    assert "open(" not in path.read_text()
