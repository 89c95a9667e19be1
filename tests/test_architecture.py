"""Imports go forward only, and every part of ``pipeline/`` has a row in the table.

``model`` imports nothing of ours; ``diagnostics`` only ``model``; the stages (``read``,
``validate``, ``lint``, ``render``) import what is below them; only ``orchestrate``, ``cli``
and the commands beside it import the stages. A package or module missing from ``ALLOWED``
fails: a new part of the house must say where it stands. Only ``SOURCE_ROOT`` layers take the
source tree's root as an argument; every other stage works from the model alone.

The import graph as the code has it, one test a layer, is printed by
``python -m pytest tests/test_architecture.py -v -k graph`` (``render -> diagnostics, model,
terminology``); ``python tests/test_architecture.py`` prints it beside the table.
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
    "validate": {"model", "diagnostics", "read", "media"},
    "lint": {"model", "diagnostics", "terminology"},
    "media": set(),
    "render": {"model", "diagnostics", "terminology"},
    # Only the orchestration and the commands import the stages.
    "orchestrate": {*BELOW_STAGES, "read", "validate", "lint", "render"},
    "catalogue": {*BELOW_STAGES, "lint"},
    # The editor's servers, like the command line: callers of the stages, never called by them.
    "editor": {*BELOW_STAGES, "read", "validate", "lint", "render", "orchestrate", "catalogue"},
    "cli": {
        *BELOW_STAGES,
        "read",
        "validate",
        "lint",
        "render",
        "orchestrate",
        "catalogue",
        "editor",
    },
    "__main__": {"cli"},
}
"""Each layer and the layers of ours it may import, besides itself and the package's root."""
SOURCE_ROOT = {"read", "validate", "orchestrate", "cli", "editor"}
"""The layers that may take the source tree's root (a ``Path`` named root, source or
source_root): reading, validation, the orchestration and the command line."""
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


def imported_layers(layer: str) -> set[str]:
    """The layers of ours that the files of ``layer`` import (itself and the root left out)."""
    paths = [PACKAGE / f"{layer}.py"] if (PACKAGE / f"{layer}.py").exists() else []
    paths += sorted((PACKAGE / layer).rglob("*.py")) if (PACKAGE / layer).is_dir() else []
    found = set().union(*(_ours(p.read_text(encoding="utf-8")) for p in paths))
    return found - {layer, "__init__"}


GRAPH = {layer: imported_layers(layer) for layer in sorted(LAYERS)}
"""The import graph as the code has it now."""


@pytest.mark.parametrize(
    "layer",
    sorted(GRAPH),
    ids=lambda layer: f"{layer} -> {', '.join(sorted(GRAPH[layer])) or 'nothing of ours'}",
)
def test_graph(layer: str) -> None:
    assert GRAPH[layer] <= ALLOWED[layer], f"{layer} imports {GRAPH[layer] - ALLOWED[layer]}"


def test_only_the_orchestration_and_the_commands_import_the_stages() -> None:
    stages = {"read", "validate", "lint", "render"}
    importers = {layer for layer, found in GRAPH.items() if found & stages} - stages
    assert importers <= {"orchestrate", "cli", "catalogue", "editor"}
    assert GRAPH["model"] == set()


ROOT_NAMES = {"root", "source", "source_root"}


def source_root_parameters(path: Path) -> list[str]:
    """``name:line`` of each argument or field of type ``Path`` named like the source root."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        pairs: list[tuple[str, ast.expr | None, int]] = []
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            args = [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
            pairs = [(a.arg, a.annotation, a.lineno) for a in args]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            pairs = [(node.target.id, node.annotation, node.lineno)]
        found += [
            f"{name}:{line}"
            for name, annotation, line in pairs
            if name in ROOT_NAMES and annotation and "Path" in ast.unparse(annotation)
        ]
    return found


@pytest.mark.parametrize("layer", sorted(LAYERS - SOURCE_ROOT))
def test_the_source_root_stays_in_read_validate_and_the_orchestration(layer: str) -> None:
    paths = [p for p in sorted(PACKAGE.rglob("*.py")) if _layer(p) == layer]
    found = {p.relative_to(PACKAGE).as_posix(): source_root_parameters(p) for p in paths}
    assert {name: where for name, where in found.items() if where} == {}


def test_the_source_root_check_sees_arguments_and_fields() -> None:
    assert source_root_parameters(PACKAGE / "read" / "files.py")  # read_source(root: Path, …)
    assert source_root_parameters(PACKAGE / "orchestrate" / "runner.py")  # Options.source


if __name__ == "__main__":
    for name, found in GRAPH.items():
        allowed = ", ".join(sorted(ALLOWED.get(name, set()))) or "nothing of ours"
        mark = "" if found <= ALLOWED.get(name, set()) else "   <-- not allowed"
        print(f"{name:12} imports {', '.join(sorted(found)) or 'nothing of ours'}{mark}")
        print(f"{'':12} may import {allowed}")
