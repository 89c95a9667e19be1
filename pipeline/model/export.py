"""The JSON export: the canonical machine-readable monograph for downstream tools.

Question banks, search and web apps read this rather than the Markdown. Every inline text
is given twice: as plain ``text`` and as structured ``inlines`` (the same nodes the
renderers use, with source spans). Terms the registry knows are resolved to concept ids,
and concepts carry their external codes as FHIR-style codings. ``schema.json`` beside the
export is this module's JSON Schema; loading an export into these models and dumping it
again gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict

from pipeline.model.inline import Inline
from pipeline.model.source import Modality, Person, Plane, Status
from pipeline.model.span import Span
from pipeline.model.terminology import ConceptKind, Terminology

SCHEMA_VERSION: Literal["1.1"] = "1.1"
"""1.1: ``text`` reads figure references, markers and citations as printed; ``terminology``
holds the whole registry; figure numbers carry the chapter's number, as in the book."""


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Coding(_Out):
    """An external code, FHIR style: ``{system, code, display}``."""

    system: str
    code: str
    display: str | None = None


class ConceptOut(_Out):
    """A registry concept with its names and codings."""

    id: str
    kind: ConceptKind
    preferred: str
    """The name the registry prefers; ``synonyms`` are the others it accepts."""
    synonyms: list[str] = []
    codings: list[Coding] = []


class TermUse(_Out):
    """A registered term found in a text: which concept, as written, where in ``text``."""

    concept: str
    written: str
    start: int
    end: int
    """``text[start:end]`` of the ``RichText`` is ``written``."""


class RichText(_Out):
    """One text: plain, structured, and the terms found in it.

    ``text`` is the words a reader gets, markup removed: a figure reference as its label
    (``Figure 1.2``), a marker as its words (``(arrow)``), a citation as its numbers (``[1, 2]``),
    as the PDF and the EPUB print them; term offsets index it. ``inlines`` keeps the nodes
    as written (``figref``, ``marker``, ``citation``).
    """

    text: str
    inlines: list[Inline]
    terms: list[TermUse] = []


class BulletOut(_Out):
    """A bullet: a run-in label with children, or text with children."""

    span: Span
    label: str | None = None
    content: RichText | None = None
    children: list[BulletOut] = []


class SubsectionOut(_Out):
    """A subsection; under Differential Diagnosis, ``concept`` is the differential resolved."""

    span: Span
    key: str
    title: str
    concept: str | None = None
    """Under Differential Diagnosis: the diagnosis the title names, if the registry has it."""
    bullets: list[BulletOut] = []


class SectionOut(_Out):
    """A section of the skeleton."""

    span: Span
    key: str
    title: str
    subsections: list[SubsectionOut] = []


class FigureOut(_Out):
    """A figure, numbered as the handouts number it."""

    span: Span
    id: str
    number: str
    """As the chapter handout prints it (``2``); the book numbers it by chapter (``3.2``)."""
    image: str | None = None
    """The file relative to the source root (``figures/…``); absent in a draft without one."""
    alt: str
    long_description: str | None = None
    caption: RichText
    modality: Modality | None = None
    plane: Plane | None = None
    sequence: str | None = None
    credit: str | None = None
    license: str | None = None
    """Whom the image is credited to and its licence, as the chapter declares them."""


class ReferenceOut(_Out):
    """A reference, numbered as the handouts list it: cited ones first, by first citation."""

    span: Span
    key: str
    number: int
    cited: bool
    """False for a reference the chapter lists but never cites (numbered after the cited)."""
    authors: list[str]
    title: str
    journal: str
    year: int
    volume: str | None = None
    pages: str | None = None
    doi: str | None = None
    pmid: str | None = None


class ChapterOut(_Out):
    """A chapter with everything in it."""

    span: Span
    id: str
    title: str
    status: Status
    concept: str
    authors: list[Person] = []
    created: dt.date | None = None
    last_reviewed: dt.date | None = None
    next_review: dt.date | None = None
    sections: list[SectionOut] = []
    figures: list[FigureOut] = []
    references: list[ReferenceOut] = []
    citations: list[str] = []
    """Reference keys in order of first citation."""


class BookOut(_Out):
    """The whole monograph."""

    schema_version: Literal["1.1"] = SCHEMA_VERSION
    id: str
    title: str
    subtitle: str | None = None
    language: str
    version: str
    identifier: str | None = None
    authors: list[Person] = []
    editors: list[Person] = []
    publisher: str
    license: str
    chapters: list[ChapterOut]
    concepts: list[ConceptOut]
    """Each concept with its names and codings, for lookups by the ``concept`` of a term."""
    terminology: Terminology
    """The registry whole, as the source holds it: concepts with their synonyms' statuses,
    rejected variants, inflections, codes and examples; abbreviations and their policies;
    spellings; the eponym policy; identifier patterns."""
