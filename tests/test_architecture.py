"""Imports go forward only, and every part of ``pipeline/`` has a row in the table.

``model`` imports nothing of ours; ``diagnostics`` only ``model``; the stages (``read``,
``validate``, ``lint``, ``render``) import what is below them; only ``orchestrate``, ``cli``
and the commands beside it import the stages. A package or module missing from ``ALLOWED``
fails: a new part of the house must say where it stands.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "pipeline"

BELOW_STAGES = {"model", "diagnostics", "terminology"}
ALLOWED: dict[str, set[str]] = {
    "__init__": set(),
    "model": set(),
    "diagnostics": {"model"},
    "terminology": {"model"},
    "read": {"model", "diagnostics"},
    "validate": {"model", "diagnostics", "read"},
    "lint": {"model", "diagnostics", "terminology", "read"},
    "render": {"model", "diagnostics", "terminology"},
    # Only the orchestration and the commands import the stages.
    "orchestrate": {*BELOW_STAGES, "read", "validate", "lint", "render"},
    "catalogue": {*BELOW_STAGES, "lint"},
    "cli": {*BELOW_STAGES, "validate", "lint", "render", "orchestrate", "catalogue"},
    "__main__": {"cli"},
}
"""Each layer and the layers of ours it may import, besides itself and the package's root."""
IO_MODULES = {"os", "pathlib", "io", "shutil", "subprocess", "socket", "urllib", "open"}


def _ours(source: str) -> set[str]:
    """The layers of ``pipeline`` that ``source`` imports, by any import form."""
    layers: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
            if node.module == "pipeline":  # a layer, or a name of the package's __init__
                names = [f"pipeline.{a.name}" if a.name in LAYERS else "pipeline.__init__"
                         for a in node.names]  # fmt: skip
        else:
            continue
        layers.update(n.split(".")[1] for n in names if n.startswith("pipeline."))
    return layers


def _layers_on_disk() -> list[str]:
    return sorted(
        p.name.removesuffix(".py")
        for p in PACKAGE.iterdir()
        if (p.is_dir() and (p / "__init__.py").exists()) or p.suffix == ".py"
    )


LAYERS = frozenset(_layers_on_disk())


def _layer(path: Path) -> str:
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


@pytest.mark.parametrize("layer", sorted(LAYERS))
def test_every_layer_has_a_row_in_the_table(layer: str) -> None:
    assert layer in ALLOWED, f"pipeline/{layer} is missing from ALLOWED: say what it may import"


def test_the_table_names_no_layer_that_is_gone() -> None:
    assert set(ALLOWED) == LAYERS


@pytest.mark.parametrize(
    "path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: p.relative_to(PACKAGE).as_posix()
)
def test_imports_only_from_earlier_layers(path: Path) -> None:
    layer = _layer(path)
    assert layer in ALLOWED, f"pipeline/{layer} is missing from ALLOWED"
    imported = _ours(path.read_text(encoding="utf-8")) - {layer, "__init__"}
    assert imported <= ALLOWED[layer], f"{path.name} imports {imported - ALLOWED[layer]}"


def test_the_import_check_sees_every_import_form() -> None:
    source = "import pipeline.lint\nfrom pipeline.render import x\nfrom pipeline import cli\n"
    assert _ours(source) == {"lint", "render", "cli"}
    assert _ours("from pipeline import __version__\nfrom . import sibling\n") == {"__init__"}


@pytest.mark.parametrize("path", sorted((PACKAGE / "model").glob("*.py")), ids=lambda p: p.stem)
def test_model_does_no_io(path: Path) -> None:
    roots = {name.split(".")[0] for name in _imports_all(path)}
    assert not roots & IO_MODULES
    assert "open(" not in path.read_text(encoding="utf-8")


def _imports_all(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names
