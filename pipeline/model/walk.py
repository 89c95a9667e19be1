"""One way to walk the model: bullets, inline nodes and the text a reader sees.

Validation (cross-references), lint (the text the registry is matched against), rendering
(plans, glyph checks) and the JSON export all walk the same trees; they do it here, so an
inline container added to the model is followed everywhere at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from pipeline.model.book import Bullet
from pipeline.model.inline import Code, Emph, FigRef, Inline, Link, Strong, Sub, Sup, Text
from pipeline.model.span import Span

CONTAINERS = (Emph, Strong, Sup, Sub, Link)
"""Inline nodes that hold other inline nodes (``children``)."""


def bullets(roots: Iterable[Bullet]) -> Iterator[Bullet]:
    """Yield every bullet, each before its children, in reading order."""
    for bullet in roots:
        yield bullet
        yield from bullets(bullet.children)


def bullet_inlines(roots: Iterable[Bullet]) -> Iterator[Inline]:
    """Yield the top-level inline nodes of every bullet, in reading order."""
    for bullet in bullets(roots):
        yield from bullet.content


def inlines(nodes: Iterable[Inline]) -> Iterator[Inline]:
    """Yield every inline node, containers before their children."""
    for node in nodes:
        yield node
        if isinstance(node, CONTAINERS):
            yield from inlines(node.children)


def literal_texts(nodes: Iterable[Inline]) -> Iterator[tuple[str, Span]]:
    """Yield the literal text (``Text`` and ``Code``) inside ``nodes``, each with its span."""
    for node in inlines(nodes):
        if isinstance(node, Text | Code):
            yield node.text, node.span


def plain_text(nodes: Iterable[Inline]) -> str:
    """Return the text a reader sees, without markup (citations and markers omitted)."""
    parts = []
    for node in inlines(nodes):
        if isinstance(node, Text | Code):
            parts.append(node.text)
        elif isinstance(node, FigRef):
            parts.append(node.id)
    return "".join(parts)
