"""The model to HTML, shared by the PDF renderer (and later EPUB): Jinja2 with autoescape on.

Three documents: a chapter handout, its one-page Key Facts handout and the whole book. Inline
content is printed by ``InlineRenderer``, which escapes every text; the templates print model
fields only through autoescaping. What a template prints, and in which order, is in
``templates/``; numbers and places come from ``plan``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from pipeline import __version__
from pipeline.diagnostics import Diagnostic
from pipeline.model import Book, Chapter, Inline
from pipeline.model.inline import Citation
from pipeline.model.skeleton import KEY_FACTS
from pipeline.model.walk import bullet_inlines, inlines
from pipeline.render.inline import MARKERS, InlineRenderer
from pipeline.render.plan import END, ChapterPlan, RefView
from pipeline.render.stamp import Stamp

TEMPLATES = Path(__file__).resolve().parent / "templates"
GENERATOR = f"monograph-pipeline {__version__}"

MODALITIES = {
    "XR": "Radiograph",
    "CT": "CT",
    "MR": "MR",
    "US": "Ultrasound",
    "NM": "Nuclear medicine",
    "PT": "PET",
    "XA": "Angiography",
    "RF": "Fluoroscopy",
    "MG": "Mammography",
    "illustration": "Illustration",
    "pathology": "Pathology",
}


def doi_url(doi: str) -> str:
    """The resolver address of a DOI."""
    return "https://doi.org/" + quote(doi, safe="/:;()._-<>")


def pmid_url(pmid: str) -> str:
    """The PubMed address of a PMID."""
    return f"https://pubmed.ncbi.nlm.nih.gov/{quote(pmid)}/"


def tie_last_words(html: str) -> Markup:
    """``html`` with the last space of its seen text made a no-break space (PDF only).

    A caption or a Key Facts bullet then never ends in a line of one word. Spaces inside tags
    and inside words for screen readers only (``class="vh"``) are not the seen text's.
    """
    text, last = str(html), -1
    hidden: list[bool] = []
    for part in re.finditer(r"<(/?)(\w+)([^>]*)>|[^<]+", text):
        closing, tag, attributes = part.groups()
        if tag and closing and hidden:
            hidden.pop()
        elif tag and not closing:
            hidden.append('class="vh"' in attributes)
        elif not tag and not any(hidden) and " " in part.group(0):
            last = part.start() + part.group(0).rindex(" ")
    return Markup(text if last < 0 else f"{text[:last]}\u00a0{text[last + 1 :]}")


_ENV = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
_ENV.filters.update(doi_url=doi_url, pmid_url=pmid_url, modality=MODALITIES.get)
_ENV.filters["tie"] = tie_last_words
_ENV.globals.update(markers=MARKERS, key_facts=KEY_FACTS, end=END, generator=GENERATOR)


@dataclass(frozen=True)
class ChapterView:
    """A chapter's plan with the inline renderer that prints its text."""

    plan: ChapterPlan
    inline: InlineRenderer
    number: int | None = None

    @property
    def chapter(self) -> Chapter:
        """The chapter itself."""
        return self.plan.chapter


def chapter_document(book: Book, plan: ChapterPlan, stamp: Stamp, report: list[Diagnostic]) -> str:
    """Return the HTML of the full chapter handout."""
    view = ChapterView(plan, InlineRenderer(plan, report))
    return _render("chapter.html.j2", book, stamp, view=view, meta=_chapter_meta(book, plan))


def key_facts_document(
    book: Book, plan: ChapterPlan, stamp: Stamp, report: list[Diagnostic]
) -> str:
    """Return the HTML of the one-page Key Facts handout."""
    shown = {view.figure.id for view in plan.key_figures}
    view = ChapterView(plan, InlineRenderer(plan, report, figures_present=shown))
    meta = _chapter_meta(book, plan, suffix=" — Key Facts")
    refs = page_references(plan)
    return _render("key_facts.html.j2", book, stamp, view=view, meta=meta, page_references=refs)


def page_references(plan: ChapterPlan) -> list[RefView]:
    """The references cited on the Key Facts page: its bullets, table and figure captions."""
    nodes: list[Inline] = []
    for section in plan.chapter.sections:
        if section.key == KEY_FACTS:
            nodes += bullet_inlines(b for sub in section.subsections for b in sub.bullets)
    for row in plan.differentials.rows:
        nodes += bullet_inlines([*row.features, *([row.name] if row.name else [])])
    for view in plan.key_figures:
        nodes += view.figure.caption
    keys = {key for node in inlines(nodes) if isinstance(node, Citation) for key in node.keys}
    return [ref for ref in plan.references if ref.reference.key in keys]


def book_document(
    book: Book, plans: list[ChapterPlan], stamp: Stamp, report: list[Diagnostic]
) -> str:
    """Return the HTML of the whole book: title page, contents, every chapter."""
    views = [
        ChapterView(plan, InlineRenderer(plan, report), number)
        for number, plan in enumerate(plans, start=1)
    ]
    meta = {
        "title": book.meta.title,
        "authors": _people(book),
        "description": book.meta.subtitle or book.meta.title,
        "keywords": [plan.chapter.meta.title for plan in plans],
    }
    return _render("book.html.j2", book, stamp, views=views, meta=meta)


def render_template(template: str, book: Book, stamp: Stamp, **context: Any) -> str:
    """Render one of ``templates/`` with the shared filters, globals and macros.

    The EPUB renderer's documents (``epub-*.xhtml.j2``) import ``macros.html.j2`` through it.
    """
    return _ENV.get_template(template).render(book=book, stamp=stamp, **context)


_render = render_template


def _chapter_meta(book: Book, plan: ChapterPlan, suffix: str = "") -> dict[str, Any]:
    chapter = plan.chapter
    concept = book.terminology.concept(chapter.meta.concept)
    keywords = [concept.preferred, *(s.term for s in concept.synonyms)] if concept else []
    return {
        "title": chapter.meta.title + suffix,
        "authors": [a.name for a in chapter.meta.authors] or _people(book),
        "description": f"{chapter.meta.title}. {book.meta.title}",
        "keywords": keywords,
    }


def _people(book: Book) -> list[str]:
    return [p.name for p in (*book.meta.authors, *book.meta.editors)]
