"""Small source trees for lint tests: the conftest tree with the test registry and a body."""

from __future__ import annotations

from pathlib import Path

from pipeline.diagnostics import Diagnostic
from pipeline.lint import lint_book
from pipeline.validate import validate_source
from tests.conftest import BOOK, FRONT, chapter, write_tree

CH = "chapters/alpha.md"
REGISTRY_PATH = Path(__file__).with_name("terminology.yaml")
REGISTRY = REGISTRY_PATH.read_text(encoding="utf-8")
"""The test registry: entries of every kind, with examples."""

Files = dict[str, str | bytes | None]


def files(body: str, *, concept: str = "alpha-concept", registry: str = REGISTRY) -> Files:
    """The alpha chapter with ``body`` (about ``concept``) and the test registry."""
    front = FRONT.replace("concept: alpha-concept", f"concept: {concept}")
    return {CH: chapter(front, body), "terminology.yaml": registry}


def key_facts(*bullets: str, subsection: str = "Imaging") -> str:
    """A body holding only Key Facts › ``subsection`` with ``bullets``."""
    return f"\n# Key Facts\n\n## {subsection}\n\n" + "".join(f"- {b}\n" for b in bullets)


def definitions(*bullets: str) -> str:
    """A body holding only Terminology › Definitions with ``bullets`` (body text, no Key Facts)."""
    return "\n# Terminology\n\n## Definitions\n\n" + "".join(f"- {b}\n" for b in bullets)


def two_chapters(alpha_body: str, beta_body: str) -> Files:
    """Chapters alpha and beta, both about alpha-concept, in one book."""
    beta_front = FRONT.replace("id: alpha", "id: beta")
    return {
        **files(alpha_body),
        "book.yaml": BOOK + "  - beta\n",
        "chapters/beta.md": chapter(beta_front, beta_body),
    }


def chapters_about(**bodies: tuple[str, str]) -> Files:
    """A book of one chapter per keyword (its id): ``(concept, body)`` each, in that order."""
    tree: Files = {"terminology.yaml": REGISTRY}
    for chapter_id, (concept, body) in bodies.items():
        front = FRONT.replace("id: alpha", f"id: {chapter_id}")
        front = front.replace("concept: alpha-concept", f"concept: {concept}")
        tree[f"chapters/{chapter_id}.md"] = chapter(front, body)
    tree["book.yaml"] = BOOK.replace("  - alpha\n", "".join(f"  - {i}\n" for i in bodies))
    return tree


def lint_tree(root: Path) -> list[Diagnostic]:
    """Validate the tree (it must build) and lint the book."""
    result = validate_source(root)
    assert result.book is not None, f"the tree does not validate: {result.diagnostics}"
    return lint_book(result.book)


def lint_files(root: Path, tree: Files) -> tuple[list[Diagnostic], tuple[str, int, int] | None]:
    """Write ``tree`` under ``root``, lint it; also return the caret's place, if any."""
    caret = write_tree(root, tree)
    return lint_tree(root), caret


def at(diagnostics: list[Diagnostic], code: str) -> list[tuple[str, int, int]]:
    """Where the findings of ``code`` point, reported or told as a note of another's."""
    return [(d.span.path, d.span.line, d.span.column) for d in diagnostics if code in codes(d)]


def codes(diagnostic: Diagnostic) -> set[str]:
    """The reported code and those its notes tell (findings of one place are merged)."""
    return {diagnostic.code, *(note.code for note in diagnostic.notes)}
