"""The validated book: what every later stage (lint, render) reads."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from pipeline.model.inline import Inline
from pipeline.model.source import (
    Annotation,
    BookSource,
    ChapterMeta,
    Modality,
    Plane,
    ReferenceSource,
)
from pipeline.model.span import Span
from pipeline.model.terminology import Terminology


class _Node(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class Comment(_Node):
    """An HTML comment in the body (``<!-- … -->``): an editor's note or a lint directive."""

    span: Span
    text: str


class ImageFile(_Node):
    """A figure's image file as validation found it: inside ``source/figures/``, read once.

    ``data`` holds the bytes validation read, stripped of metadata (EXIF but a non-upright
    orientation, XMP, IPTC, comments, PNG text; ``validate/imagemeta.py``) and decoded whole;
    renderers embed them and never open the file again, so what is printed is what was
    checked even if the file changes during a build. ``size`` and ``sha256`` are those of
    ``data``, the cleaned bytes every output embeds, not of the file on disk: the cache and
    the manifest key on what the outputs are made from.
    """

    path: str
    """Relative to the source root (``figures/…``), as the export and findings show it."""
    location: str = Field(exclude=True)
    """The resolved absolute path: never serialised, so no export or cache key holds it."""
    media_type: str
    """``image/png``, ``image/jpeg``, ``image/gif`` or ``image/webp`` (of ``data``)."""
    size: int
    """Bytes in ``data``."""
    width: int | None
    height: int | None
    """Pixel size from the header, as stored (validation refuses a header it cannot read, F112)."""
    sha256: str
    file_sha256: str = Field(exclude=True)
    """The SHA-256 of the file as read, metadata and all: the manifest's source-tree hash
    counts the file by it. Never serialised: the cache keys on what outputs embed."""
    data: bytes = Field(exclude=True, repr=False)
    """The file's bytes, cleaned and checked: never serialised (``sha256`` stands for them).
    For a DICOM file, the PNG made of it (windowed, cropped, sized): never the DICOM."""
    dicom: bool = False
    """True when the file is DICOM and ``data`` the image validation made of it."""


class Figure(_Node):
    """A figure built from checked parts: its caption parsed, its image file read and checked."""

    span: Span
    id: str
    alt: str
    """Short text alternative."""
    caption: list[Inline]
    """The caption's inline Markdown, parsed (markers, emphasis, references)."""
    image: ImageFile | None = None
    """None in a draft without an image, or when the file did not check out (reported)."""
    long_description: str | None = None
    modality: Modality | None = None
    plane: Plane | None = None
    """Imaging details, as declared."""
    sequence: str | None = None
    credit: str | None = None
    license: str | None = None
    annotations: list[Annotation] = []
    """Markers drawn over the image, at pixels of the image as embedded (crop and size
    applied): renderers draw them as vectors over it."""

    @property
    def image_path(self) -> str | None:
        """The image's path relative to the source root, when the file checked out."""
        return self.image.path if self.image else None


class Reference(ReferenceSource):
    """A reference with the place it was declared."""

    span: Span


class Bullet(_Node):
    """A bullet; ``label`` is set for a run-in label (``- **T1WI**``) whose children follow."""

    span: Span
    label: str | None = None
    content: list[Inline] = []
    children: list[Bullet] = []


class Subsection(_Node):
    """A ``##`` heading of the skeleton (or one differential diagnosis) and its bullets."""

    span: Span
    key: str
    """The heading's key in the skeleton (``ct-findings``); under Differential Diagnosis, the
    title's slug."""
    title: str
    bullets: list[Bullet] = []


class Section(_Node):
    """A ``#`` heading of the skeleton and its subsections."""

    span: Span
    key: str
    """The heading's key in the skeleton (``key-facts``, ``imaging``): what code looks for."""
    title: str
    subsections: list[Subsection] = []


class Written(_Node):
    """Where a text field of the front matter is written.

    ``span`` is where its value starts; ``exact`` when the value is the text as written on
    one line (plain or quoted, no escape), so that the column of each character is known.
    """

    span: Span
    exact: bool


class Chapter(_Node):
    """One chapter: its front matter, figures, references and the body's sections."""

    span: Span
    meta: ChapterMeta
    figures: list[Figure] = []
    references: list[Reference] = []
    sections: list[Section] = []
    comments: list[Comment] = []
    written: dict[str, Written] = {}
    """Where the front matter's reader-visible texts are written: ``title``, and
    ``figure:<id>:alt``, ``:long_description`` and ``:credit`` (lint reads them there)."""

    @property
    def id(self) -> str:
        """The chapter id (also its file name)."""
        return self.meta.id


class Book(_Node):
    """The whole monograph."""

    span: Span
    meta: BookSource
    chapters: list[Chapter]
    bibliography: list[Reference] = []
    terminology: Terminology
