"""The content model: pydantic classes only, no I/O; the one interface between stages."""

from pipeline.model.book import (
    Book,
    Bullet,
    Chapter,
    Figure,
    ImageFile,
    Reference,
    Section,
    Subsection,
)
from pipeline.model.inline import (
    Citation,
    Code,
    Emph,
    FigRef,
    Inline,
    Link,
    Marker,
    Strong,
    Sub,
    Sup,
    Text,
)
from pipeline.model.source import (
    BookSource,
    ChapterFrontMatter,
    ChapterMeta,
    FigureSource,
    Person,
    ReferenceSource,
    Status,
)
from pipeline.model.span import Span
from pipeline.model.terminology import Abbreviation, Concept, Synonym, Terminology
from pipeline.model.walk import plain_text

__all__ = [
    "Abbreviation",
    "Book",
    "BookSource",
    "Bullet",
    "Chapter",
    "ChapterFrontMatter",
    "ChapterMeta",
    "Citation",
    "Code",
    "Concept",
    "Emph",
    "FigRef",
    "Figure",
    "FigureSource",
    "ImageFile",
    "Inline",
    "Link",
    "Marker",
    "Person",
    "Reference",
    "ReferenceSource",
    "Section",
    "Span",
    "Status",
    "Strong",
    "Sub",
    "Subsection",
    "Sup",
    "Synonym",
    "Terminology",
    "Text",
    "plain_text",
]
