"""One job per artifact: what it is made from (hashed), and how it is rendered.

A job's inputs are hashes of what its bytes depend on, taken from the validated model (so
the cache sees exactly what the renderers see): its chapter (and the chapter's image
files), the book's metadata, registry and bibliography, the templates, stylesheets and
fonts, the pipeline's code and the tool versions, the date printed and the options.
"""

from __future__ import annotations

import hashlib
import sqlite3
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pipeline import __version__
from pipeline.diagnostics import Diagnostic
from pipeline.model import Book
from pipeline.model.book import Chapter, Reference
from pipeline.model.names import artifacts
from pipeline.model.source import BookSource
from pipeline.model.terminology import Terminology
from pipeline.render.host import host_libraries
from pipeline.render.stamp import Stamp

if TYPE_CHECKING:  # the deck's modules load genanki: only a deck job imports them
    from pipeline.render.study import Drafts

Paper = Literal["a4", "letter"]

PACKAGE = Path(__file__).resolve().parent.parent
ASSETS = ("render/templates", "render/css", "render/fonts")
TOOLS = ("weasyprint", "pydyf", "fonttools", "pillow", "jinja2", "markdown-it-py",
         "mdit-py-plugins", "pydantic", "pydantic-core", "pyyaml", "ebooklib",
         "genanki")  # fmt: skip
FORMATS: dict[str, tuple[str, ...]] = {
    "pdf": ("chapter", "key-facts", "book"),
    "epub": ("epub",),
    "json": ("json", "schema"),
    "anki": ("anki",),
}


@dataclass(frozen=True)
class Job:
    """An artifact to make: its path under the output folder and its inputs' hashes."""

    path: str
    product: str
    chapter: str | None
    inputs: tuple[tuple[str, str], ...]

    @property
    def key(self) -> str:
        """One hash of every input: equal keys, equal bytes."""
        return _sha(repr(self.inputs).encode())


@dataclass(frozen=True)
class Made:
    """What rendering a job gave."""

    path: str
    data: bytes
    pages: int | None
    diagnostics: list[Diagnostic] = field(default_factory=list)


@dataclass
class Context:
    """Everything a job renders from; sent once to each worker process."""

    book: Book
    stamp: Stamp
    paper: Paper
    drafts: Drafts = "include"
    """Whether the study deck holds draft chapters (tagged, DRAFT on the card) or not."""
    source: Path | None = None
    """The source tree, where git dates the study deck's notes (None: dated by the stamp)."""


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@cache
def tool_versions() -> dict[str, str]:
    """Python, the pipeline, each rendering dependency, and the host libraries under them.

    Everything here can change an artifact's bytes, so it keys the cache and is written into
    the manifest: two builds that differ show why there.
    """
    versions = {
        "python": sys.version.split()[0],
        "monograph-pipeline": __version__,
        "sqlite": sqlite3.sqlite_version,
    }  # fmt: skip  (the deck is an SQLite file)
    for name in TOOLS:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions | host_libraries() | {"font-subsetter": "fonttools"}


@cache
def _tree_hash(*folders: str) -> str:
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted((PACKAGE / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(PACKAGE)).encode() + b"\0")
                digest.update(path.read_bytes())
    return digest.hexdigest()


def code_hash() -> str:
    """One hash of the pipeline's code and assets: a new version of it changes every key."""
    return _tree_hash(".")


def chapter_hash(chapter: Chapter) -> str:
    """The hash a chapter's jobs are keyed on.

    The chapter cache keeps it, so a build whose chapters are all cached plans its jobs
    without their models.
    """
    # The chapter's model holds each image's SHA-256 (ImageFile): no file is read again here.
    return _sha(chapter.model_dump_json().encode())


@dataclass(frozen=True)
class Digest:
    """What the jobs are keyed on: hashes of the book's parts, in book order."""

    book_id: str
    shared: tuple[tuple[str, str], ...]
    """The hashes of the book's metadata, registry and bibliography."""
    chapters: dict[str, str]
    """Each chapter's ``chapter_hash`` by id, in book order."""

    @classmethod
    def of(cls, book: Book) -> Digest:
        """The digest of a whole book model."""
        chapters = {c.id: chapter_hash(c) for c in book.chapters}
        return cls.made(book.meta, book.terminology, book.bibliography, chapters)

    @classmethod
    def made(
        cls,
        meta: BookSource,
        terminology: Terminology,
        bibliography: Iterable[Reference],
        chapters: dict[str, str],
    ) -> Digest:
        """The digest of the shared parts, with the chapters' hashes already taken."""
        shared = (
            ("book", _sha(meta.model_dump_json().encode())),
            ("terminology", _sha(terminology.model_dump_json().encode())),
            ("bibliography", _sha("".join(r.model_dump_json() for r in bibliography).encode())),
        )
        return cls(meta.id, shared, chapters)


def available_formats() -> tuple[str, ...]:
    """The formats whose every product has a renderer."""
    return tuple(f for f, products in FORMATS.items() if all(p in RENDERERS for p in products))


def plan_jobs(context: Context, formats: Iterable[str]) -> list[Job]:
    """Every job of the chosen formats for the context's book."""
    return plan(Digest.of(context.book), context.stamp, context.paper, formats, context.drafts)


def plan(
    digest: Digest,
    stamp: Stamp,
    paper: Paper,
    formats: Iterable[str],
    drafts: Drafts = "include",
    history: str = "",
) -> list[Job]:
    """Every job of the chosen formats, book order, chapter artifacts first.

    The study deck is also keyed on ``drafts`` and on ``history``, the last commit of the
    source (``history.source_commit``), which its notes' dates come from.
    """
    shared = (
        *digest.shared,
        ("assets", _tree_hash(*ASSETS)),
        ("code", code_hash()),
        ("tools", _sha(repr(sorted(tool_versions().items())).encode())),
        ("date", stamp.iso),
        ("options", f"paper={paper}"),
    )
    chapters = digest.chapters
    everything = (*shared, *((f"chapter:{cid}", h) for cid, h in chapters.items()))
    products = {p for fmt in formats for p in FORMATS[fmt]}
    jobs: list[Job] = []
    # Paths come from the one table (model/names.py) validation checks for collisions.
    for artifact in artifacts(digest.book_id, chapters, products):
        inputs: tuple[tuple[str, str], ...]
        if artifact.chapter is not None:  # a chapter's handout: its chapter, not the others
            inputs = (*shared, (f"chapter:{artifact.chapter}", chapters[artifact.chapter]))
        elif artifact.product.name == "anki":
            inputs = (*everything, ("deck", f"drafts={drafts}"), ("history", history))
        elif artifact.product.owner == "book":
            inputs = everything
        else:  # a fixed artifact (the JSON Schema) is made from the code alone
            inputs = (("code", code_hash()),)
        jobs.append(Job(artifact.path, artifact.product.name, artifact.chapter, inputs))
    return jobs


_CONTEXT: list[Context] = []


def use_context(context: Context) -> None:
    """Make ``context`` the one ``render`` uses (called once in each worker process)."""
    _CONTEXT[:] = [context]


def render(job: Job) -> Made:
    """Render one job with the context set by ``use_context``."""
    return RENDERERS[job.product](job, _CONTEXT[0])


# Renderers import their libraries when they run: a build that reuses everything never
# loads WeasyPrint, which keeps a no-op rebuild fast.


def _pdf(job: Job, context: Context) -> Made:
    from pipeline.render.pdf import PdfWriter
    from pipeline.render.products import PDF_PRODUCTS, RenderInput

    product = next(p for p in PDF_PRODUCTS if p.name == job.product)
    given = RenderInput(context.book, context.stamp, report=[])
    if job.chapter is not None:
        given = given.only(job.chapter)
    document = next(d for d in product.documents(given) if job.path.endswith("/" + d.name))
    rendered = PdfWriter(context.paper, context.stamp.moment).render(document)
    return Made(job.path, rendered.data, rendered.pages, [*given.report, *rendered.diagnostics])


def _epub(job: Job, context: Context) -> Made:
    from pipeline.render.epub import EpubRenderer

    renderer = EpubRenderer(context.book, context.stamp)
    data = renderer.render()
    return Made(job.path, data, None, renderer.report)


def _json(job: Job, context: Context) -> Made:
    from pipeline.render.jsonexport import export_book

    return Made(job.path, export_book(context.book), None)


def _schema(job: Job, _context: Context) -> Made:
    from pipeline.render.jsonexport import export_schema

    return Made(job.path, export_schema(), None)


def _anki(job: Job, context: Context) -> Made:
    from pipeline.orchestrate.history import note_dates
    from pipeline.render.apkg import write_apkg
    from pipeline.render.study import study_deck

    deck = study_deck(context.book, context.drafts)
    dates = note_dates(context.source, deck.notes, context.stamp) if context.source else {}
    return Made(job.path, write_apkg(deck, context.stamp, dates), None)


RENDERERS: dict[str, Callable[[Job, Context], Made]] = {
    "chapter": _pdf,
    "key-facts": _pdf,
    "book": _pdf,
    "epub": _epub,
    "json": _json,
    "schema": _schema,
    "anki": _anki,
}
"""How each product is rendered: the explicit table."""
