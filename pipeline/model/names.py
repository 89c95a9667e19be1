"""The names a build gives what it makes: each artifact's path and each anchor a page prints.

Defined once and shared. The orchestration plans its jobs from ``PRODUCTS`` (through
``artifacts``), the renderers name their anchors with the functions below, and validation
derives the same names from the source to report two ids that would share one (X112 for an
output path, X113 for an anchor) before anything is written. Ids are joined with ``-``, which
ids may contain, so the names are not unique by construction: the check is what keeps them so.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Literal

Owner = Literal["chapter", "book", "none"]
"""Whose id names an artifact: each chapter's, the book's, or nobody's (a fixed path)."""


@dataclass(frozen=True)
class Product:
    """A kind of artifact: its name in the build, what editors call it, and its path."""

    name: str
    title: str
    owner: Owner
    pattern: str
    """The path under the output folder; ``{id}`` stands for the owner's id."""

    def path(self, owner_id: str = "") -> str:
        """The path of the artifact whose owner has ``owner_id``."""
        return self.pattern.replace("{id}", owner_id)


PRODUCTS: tuple[Product, ...] = (
    Product("chapter", "chapter handout", "chapter", "pdf/{id}.pdf"),
    Product("key-facts", "Key Facts handout", "chapter", "pdf/{id}-key-facts.pdf"),
    Product("book", "book PDF", "book", "pdf/{id}.pdf"),
    Product("epub", "EPUB", "book", "epub/{id}.epub"),
    Product("json", "JSON export", "book", "json/{id}.json"),
    Product("schema", "JSON Schema", "none", "json/schema.json"),
    Product("anki", "Anki study deck", "book", "anki/{id}.apkg"),
)
"""Every product a build can make and where it is written: the one table of output paths."""


@dataclass(frozen=True)
class Artifact:
    """One file a build makes: its path, its product, the chapter it is made for."""

    path: str
    product: Product
    chapter: str | None


def artifacts(
    book_id: str, chapter_ids: Iterable[str], products: Collection[str] | None = None
) -> list[Artifact]:
    """Every artifact of ``products`` (all when None), in build order.

    Each chapter's artifacts in book order come first, then the book's, then the fixed ones.
    """
    chosen = [p for p in PRODUCTS if products is None or p.name in products]
    unknown = set(products or ()) - {p.name for p in PRODUCTS}
    if unknown:
        raise ValueError(f"no such product: {', '.join(sorted(unknown))}")
    made = [
        Artifact(product.path(chapter_id), product, chapter_id)
        for chapter_id in chapter_ids
        for product in chosen
        if product.owner == "chapter"
    ]
    made += [Artifact(p.path(book_id), p, None) for p in chosen if p.owner == "book"]
    made += [Artifact(p.path(), p, None) for p in chosen if p.owner == "none"]
    return made


def chapter_anchor(chapter_id: str) -> str:
    """The anchor of a chapter, and the start of every anchor inside it."""
    return chapter_id


def figure_anchor(chapter_id: str, figure_id: str) -> str:
    """The anchor of a figure; the EPUB also names the figure's image file after it."""
    return f"{chapter_anchor(chapter_id)}-{figure_id}"


def description_anchor(anchor: str) -> str:
    """The anchor of the long description of the figure whose anchor is ``anchor``."""
    return f"{anchor}-description"


def reference_anchor(chapter_id: str, number: int) -> str:
    """The anchor of the ``number``-th reference a chapter lists (from 1)."""
    return f"{chapter_anchor(chapter_id)}-ref-{number}"


_REFERENCE_ANCHOR = re.compile(r"(?P<chapter>.+)-ref-(?P<number>[1-9][0-9]*)")


def reference_anchor_owner(anchor: str) -> tuple[str, int] | None:
    """The chapter id and number ``reference_anchor`` would give ``anchor`` from, if any."""
    found = _REFERENCE_ANCHOR.fullmatch(anchor)
    return (found["chapter"], int(found["number"])) if found else None
