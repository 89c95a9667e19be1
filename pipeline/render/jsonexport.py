"""``<book-id>.json`` and ``schema.json``: the model exported for downstream tools.

Figures and references carry the numbers the book prints (the same planner numbers, figure
numbers with the chapter's: ``1.2``), every text reads as the reader gets it (figure
references, markers and citations as printed), and carries the registry terms found in it,
resolved to concept ids. The registry is exported whole.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel
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
from pipeline.model.inline import Citation, FigRef, Inline, Marker, Text
from pipeline.model.skeleton import DIFFERENTIAL_DIAGNOSIS
from pipeline.model.terminology import Concept
from pipeline.render.inline import MARKERS
from pipeline.render.plan import ChapterPlan, FigureView, plan_chapter
from pipeline.terminology import Matcher, Place, TextUnit
from pipeline.terminology.matcher import key
from pipeline.terminology.text import walk_into

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
Out = TypeVar("Out", bound=BaseModel)
_ABSENT = object()


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
    chapters = [
        _chapter(chapter, plan_chapter(chapter, book.bibliography, number_prefix=f"{n}."), matcher)
        for n, chapter in enumerate(book.chapters, start=1)
    ]
    concepts = [_concept(concept) for concept in book.terminology.concepts]
    return _out(BookOut, book.meta, chapters=chapters, concepts=concepts,
                terminology=book.terminology)  # fmt: skip


def _out(model: type[Out], source: BaseModel, **given: Any) -> Out:
    """An export node: ``given`` values, and every other field copied from ``source``.

    The export names a field as the model does wherever it carries the same value, so only
    what is derived (numbers, plain texts, resolved concepts, children) is written out.
    """
    copied = {name: getattr(source, name, _ABSENT) for name in model.model_fields}
    return model(**{name: value for name, value in copied.items() if value is not _ABSENT} | given)


def _concept(concept: Concept) -> ConceptOut:
    codings = [_out(Coding, code) for code in concept.codes]
    return _out(ConceptOut, concept, synonyms=[s.term for s in concept.synonyms], codings=codings)


def _chapter(chapter: Chapter, plan: ChapterPlan, matcher: Matcher) -> ChapterOut:
    return _out(
        ChapterOut,
        chapter.meta,
        span=chapter.span,
        sections=[_section(section, _Reader(plan, matcher)) for section in chapter.sections],
        figures=[_figure(view, _Reader(plan, matcher)) for view in plan.figures.values()],
        references=[
            _out(ReferenceOut, view.reference, number=view.number, cited=view.cited)
            for view in plan.references
        ],
        citations=list(plan.citations),
    )


def _section(section: Section, reader: _Reader) -> SectionOut:
    subsections = [_subsection(section, sub, reader) for sub in section.subsections]
    return _out(SectionOut, section, subsections=subsections)


def _subsection(section: Section, sub: Subsection, reader: _Reader) -> SubsectionOut:
    place = Place(section.key, sub.key, "bullet")
    concept = None
    if section.key == DIFFERENTIAL_DIAGNOSIS:
        senses = reader.matcher.senses.get(key(sub.title), [])
        concept = next((s.concept.id for s in senses if s.concept.kind == "diagnosis"), None)
    bullets = [_bullet(bullet, place, reader) for bullet in sub.bullets]
    return _out(SubsectionOut, sub, concept=concept, bullets=bullets)


def _bullet(bullet: Bullet, place: Place, reader: _Reader) -> BulletOut:
    return _out(
        BulletOut,
        bullet,
        content=reader.text(bullet.content, place) if bullet.content else None,
        children=[_bullet(child, place, reader) for child in bullet.children],
    )


def _figure(view: FigureView, reader: _Reader) -> FigureOut:
    figure = view.figure
    caption = reader.text(figure.caption, Place("figures", figure.id, "caption"))
    return _out(FigureOut, figure, number=view.number, image=figure.image_path, caption=caption)


class _Reader:
    """The texts of one chapter as a reader gets them, with the terms found in them."""

    def __init__(self, plan: ChapterPlan, matcher: Matcher) -> None:
        self.plan, self.matcher = plan, matcher

    def text(self, nodes: list[Inline], place: Place) -> RichText:
        unit = TextUnit(place)
        walk_into(self._as_read(nodes), unit)
        terms = [
            TermUse(concept=sense.concept.id, written=match.text, start=match.start, end=match.end)
            for match in self.matcher.find(unit)
            for sense in match.senses[:1]
        ]
        return RichText(text=unit.raw, inlines=nodes, terms=terms)

    def _as_read(self, nodes: list[Inline]) -> list[Inline]:
        """``nodes`` with each figure reference, marker and citation as the words printed."""
        read: list[Inline] = []
        for node in nodes:
            words = self._words(node)
            if words is not None:
                read.append(Text(span=node.span, text=words))
            elif children := getattr(node, "children", None):
                read.append(node.model_copy(update={"children": self._as_read(children)}))
            else:
                read.append(node)
        return read

    def _words(self, node: Inline) -> str | None:
        if isinstance(node, FigRef):
            view = self.plan.figures.get(node.id)
            return view.label if view else node.id
        if isinstance(node, Marker):
            return f"({MARKERS[node.kind][1] if node.kind in MARKERS else node.kind})"
        if isinstance(node, Citation):
            numbers = (self.plan.reference_for(k) for k in node.keys)
            return "[" + ", ".join(str(r.number) if r else "?" for r in numbers) + "]"
        return None
