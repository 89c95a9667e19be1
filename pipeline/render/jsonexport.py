"""``<book-id>.json`` and ``schema.json``: the model exported for downstream tools.

Figures and references carry the numbers the handouts print (the same planner numbers
both), and every text carries the registry terms found in it, resolved to concept ids.
"""

from __future__ import annotations

from typing import Any

from pydantic_core import to_json

from pipeline.model.book import Book, Bullet, Chapter, Section, Subsection
from pipeline.model.export import (
    BookOut,
    BulletOut,
    ChapterOut,
    Coding,
    ConceptOut,
    FigureOut,
    ReferenceOut,
    RichText,
    SectionOut,
    SubsectionOut,
    TermUse,
)
from pipeline.model.inline import Inline
from pipeline.model.skeleton import DIFFERENTIAL_DIAGNOSIS
from pipeline.model.terminology import Concept
from pipeline.render.plan import ChapterPlan, plan_chapter
from pipeline.terminology import Matcher, Place, TextUnit
from pipeline.terminology.matcher import key
from pipeline.terminology.text import walk_into

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def dumps(value: Any) -> bytes:
    """JSON as the export writes it: indented, UTF-8, key order as the models declare it.

    The bytes are those of ``json.dumps(value, indent=2, ensure_ascii=False)`` plus a newline
    (a test holds them to it), written by pydantic-core's encoder: the standard library's
    falls back to pure Python whenever it indents, which took 3.3 of 4.7 s at 1,000 chapters.
    """
    return to_json(value, indent=2) + b"\n"


def export_book(book: Book) -> bytes:
    """The export of ``book`` as bytes."""
    return book_out(book).model_dump_json(indent=2).encode("utf-8") + b"\n"


def export_schema() -> bytes:
    """The JSON Schema (Draft 2020-12) of the export."""
    schema = BookOut.model_json_schema(mode="serialization")
    return dumps({"$schema": SCHEMA_DIALECT, **schema, "title": "Monograph JSON export"})


def book_out(book: Book) -> BookOut:
    """The export model of ``book``."""
    matcher = Matcher(book.terminology)
    meta = book.meta
    return BookOut(
        id=meta.id,
        title=meta.title,
        subtitle=meta.subtitle,
        language=meta.language,
        version=meta.version,
        identifier=meta.identifier,
        authors=meta.authors,
        editors=meta.editors,
        publisher=meta.publisher,
        license=meta.license,
        chapters=[
            _chapter(chapter, plan_chapter(chapter, book.bibliography), matcher)
            for chapter in book.chapters
        ],
        concepts=[_concept(concept) for concept in book.terminology.concepts],
    )


def _concept(concept: Concept) -> ConceptOut:
    return ConceptOut(
        id=concept.id,
        kind=concept.kind,
        preferred=concept.preferred,
        synonyms=[synonym.term for synonym in concept.synonyms],
        codings=[Coding(system=c.system, code=c.code, display=c.display) for c in concept.codes],
    )


def _chapter(chapter: Chapter, plan: ChapterPlan, matcher: Matcher) -> ChapterOut:
    meta = chapter.meta
    return ChapterOut(
        span=chapter.span,
        id=meta.id,
        title=meta.title,
        status=meta.status,
        concept=meta.concept,
        authors=meta.authors,
        created=meta.created,
        last_reviewed=meta.last_reviewed,
        next_review=meta.next_review,
        sections=[_section(section, matcher) for section in chapter.sections],
        figures=[_figure(view, matcher) for view in plan.figures.values()],
        references=[
            _reference(view.reference, view.number, view.cited) for view in plan.references
        ],
        citations=list(plan.citations),
    )


def _section(section: Section, matcher: Matcher) -> SectionOut:
    return SectionOut(
        span=section.span,
        key=section.key,
        title=section.title,
        subsections=[_subsection(section, sub, matcher) for sub in section.subsections],
    )


def _subsection(section: Section, sub: Subsection, matcher: Matcher) -> SubsectionOut:
    place = Place(section.key, sub.key, "bullet")
    concept = None
    if section.key == DIFFERENTIAL_DIAGNOSIS:
        senses = matcher.senses.get(key(sub.title), [])
        concept = next((s.concept.id for s in senses if s.concept.kind == "diagnosis"), None)
    return SubsectionOut(
        span=sub.span,
        key=sub.key,
        title=sub.title,
        concept=concept,
        bullets=[_bullet(bullet, place, matcher) for bullet in sub.bullets],
    )


def _bullet(bullet: Bullet, place: Place, matcher: Matcher) -> BulletOut:
    return BulletOut(
        span=bullet.span,
        label=bullet.label,
        content=_text(bullet.content, place, matcher) if bullet.content else None,
        children=[_bullet(child, place, matcher) for child in bullet.children],
    )


def _figure(view: Any, matcher: Matcher) -> FigureOut:
    figure = view.figure
    place = Place("figures", figure.id, "caption")
    return FigureOut(
        span=figure.span,
        id=figure.id,
        number=view.number,
        image=figure.image_path,
        alt=figure.alt,
        long_description=figure.long_description,
        caption=_text(figure.caption_inlines, place, matcher),
        modality=figure.modality,
        plane=figure.plane,
        sequence=figure.sequence,
        credit=figure.credit,
        license=figure.license,
    )


def _reference(reference: Any, number: int, cited: bool) -> ReferenceOut:
    fields = reference.model_dump(exclude={"span"})
    return ReferenceOut(span=reference.span, number=number, cited=cited, **fields)


def _text(nodes: list[Inline], place: Place, matcher: Matcher) -> RichText:
    unit = TextUnit(place)
    walk_into(nodes, unit)
    terms = [
        TermUse(concept=sense.concept.id, written=match.text, start=match.start, end=match.end)
        for match in matcher.find(unit)
        for sense in match.senses[:1]
    ]
    return RichText(text=unit.raw, inlines=nodes, terms=terms)
