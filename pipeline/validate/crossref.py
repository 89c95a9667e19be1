"""Citations and figure references resolved within a chapter; unused ones warned about."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.diagnostics import Sink
from pipeline.model.book import Figure, Reference
from pipeline.model.inline import Citation, FigRef, Inline
from pipeline.model.walk import inlines


@dataclass(frozen=True)
class Declared:
    """Figure ids and reference keys written in front matter (None: the list is unusable)."""

    figures: set[str] | None
    references: set[str] | None


def check_references(
    body: list[Inline],
    figures: list[Figure],
    references: list[Reference],
    declared: Declared,
    bibliography: dict[str, Reference],
    report: Sink,
) -> None:
    """Report dangling citations and figure references, and unused figures and references."""
    keys = None if declared.references is None else declared.references | set(bibliography)
    cited: set[str] = set()
    shown: set[str] = set()
    captions = (node for figure in figures for node in inlines(figure.caption))
    for node in (*inlines(body), *captions):
        if isinstance(node, Citation):
            for key in node.keys:
                cited.add(key)
                if keys is not None and key not in keys:
                    report.add("X101", node.span, f"citation '[@{key}]' has no reference")
        elif isinstance(node, FigRef):
            shown.add(node.id)
            if declared.figures is not None and node.id not in declared.figures:
                report.add("X102", node.span, f"'@{node.id}' names no figure of this chapter")
    for figure in figures:
        if figure.id not in shown:
            report.add("X103", figure.span, f"figure '{figure.id}' is never referenced")
    for reference in references:
        if reference.key not in cited:
            report.add("X104", reference.span, f"reference '{reference.key}' is never cited")
