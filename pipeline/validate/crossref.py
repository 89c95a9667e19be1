"""Citations and figure references resolved within a chapter; unused ones warned about.

Across the book: no two ids may give one output path (X112) or one anchor (X113). The names
come from ``model/names.py``, the table the build and the renderers use.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from pipeline.diagnostics import Sink
from pipeline.model.book import Chapter, Figure, Reference
from pipeline.model.inline import Citation, FigRef, Inline
from pipeline.model.names import (
    artifacts,
    chapter_anchor,
    description_anchor,
    figure_anchor,
    reference_anchor_owner,
)
from pipeline.model.span import Span
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


Place = tuple[str, int, int]
"""A span as (path, line, column): what the chapter cache keeps; a Span is made to report."""


@dataclass(frozen=True)
class Anchors:
    """What of a chapter gives anchors: its id and place, each figure's id and place.

    All ``check_anchors`` needs, small enough to keep in the chapter cache.
    """

    chapter: str
    place: Place
    figures: tuple[tuple[str, Place], ...] = ()

    @classmethod
    def of(cls, chapter: Chapter) -> Anchors:
        """The anchors ``chapter`` gives."""
        figures = tuple((f.id, place_of(f.span)) for f in chapter.figures)
        return cls(chapter.id, place_of(chapter.span), figures)


def place_of(span: Span) -> Place:
    """``span`` as a place."""
    return (span.path, span.line, span.column)


def _span(where: Span | Place) -> Span:
    if isinstance(where, Span):
        return where
    return Span(path=where[0], line=where[1], column=where[2])


@dataclass(frozen=True)
class _Claim:
    """A name (an output path or an anchor), what gives it, and where that is written."""

    name: str
    who: str
    span: Span | Place


def check_output_paths(
    book_id: str, book_span: Span, chapters: Mapping[str, Span], report: Sink
) -> None:
    """Report an id whose artifact would be written to the path of another's (X112).

    ``chapters`` maps each listed chapter id to where book.yaml lists it. The finding points
    at the later id: the fixed paths come first, then the book's id, then the chapters in order.
    """
    made = artifacts(book_id, chapters)
    fixed = {a.path: f"the {a.product.title}" for a in made if a.product.owner == "none"}
    claims = [
        _Claim(a.path, f"the {a.product.title} of book '{book_id}'", book_span)
        for a in made
        if a.product.owner == "book"
    ]
    claims += [
        _Claim(a.path, f"the {a.product.title} of chapter '{a.chapter}'", chapters[a.chapter])
        for a in made
        if a.chapter is not None
    ]
    for claim, first in _shared(claims, fixed):
        message = (
            f"output path '{claim.name}' of {claim.who} is also that of {first}:"
            " one file would overwrite the other"
        )
        report.add("X112", _span(claim.span), message)


def check_anchors(chapters: Iterable[Anchors], listed: Mapping[str, Span], report: Sink) -> None:
    """Report an id that gives an anchor another id gives too (X113).

    The book PDF holds the anchors of every chapter, its figures and its references in one
    document, and the EPUB names each figure's image after the figure's anchor; a chapter's
    EPUB document also holds its figures' long-description anchors. Reference anchors
    (``<chapter>-ref-<n>``) are kept for the chapter's references whatever their number.
    ``listed`` maps each chapter id to where book.yaml lists it.
    """
    chapters = list(chapters)
    ids = {chapter.chapter for chapter in chapters}
    claims: list[_Claim] = []
    for chapter in chapters:
        span = listed.get(chapter.chapter, chapter.place)
        claims.append(_Claim(chapter_anchor(chapter.chapter), f"chapter '{chapter.chapter}'", span))
        for figure, where in chapter.figures:
            who = f"figure '{figure}' of chapter '{chapter.chapter}'"
            claims.append(_Claim(figure_anchor(chapter.chapter, figure), who, where))
        _descriptions(chapter, report)
    for claim, first in _shared(claims):
        message = f"{claim.who} has the anchor '{claim.name}', already that of {first}"
        report.add("X113", _span(claim.span), message)
    for claim in claims:
        owner = reference_anchor_owner(claim.name)
        if owner is not None and owner[0] in ids:
            message = (
                f"{claim.who} has the anchor '{claim.name}', kept for reference {owner[1]}"
                f" of chapter '{owner[0]}'"
            )
            report.add("X113", _span(claim.span), message)


def _descriptions(chapter: Anchors, report: Sink) -> None:
    """Report a figure whose anchor is kept for another figure's long description."""
    kept = {
        description_anchor(figure_anchor(chapter.chapter, figure)): (figure, where)
        for figure, where in chapter.figures
    }
    for figure, where in chapter.figures:
        anchor = figure_anchor(chapter.chapter, figure)
        other = kept.get(anchor)
        if other is not None:
            message = (
                f"figure '{figure}' of chapter '{chapter.chapter}' has the anchor '{anchor}',"
                f" kept for the long description of figure '{other[0]}'"
                f" ({other[1][0]}:{other[1][1]})"
            )
            report.add("X113", _span(where), message)


def _shared(
    claims: Iterable[_Claim], fixed: Mapping[str, str] | None = None
) -> Iterable[tuple[_Claim, str]]:
    """Each claim to a name a fixed name or an earlier claim has, with who had it first."""
    first = dict(fixed or {})
    for claim in claims:
        if claim.name in first:
            yield claim, first[claim.name]
        else:
            path, line = (
                (claim.span.path, claim.span.line)
                if isinstance(claim.span, Span)
                else claim.span[:2]
            )
            first[claim.name] = f"{claim.who} ({path}:{line})"
