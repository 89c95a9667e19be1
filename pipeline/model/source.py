"""What editors write in YAML: ``book.yaml``, chapter front matter, the bibliography.

These classes are also the JSON Schema that ``monograph schema`` prints for editors.
"""

import datetime as dt
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from pipeline.model.inline import MarkerKind
from pipeline.model.types import (
    ChapterId,
    Doi,
    FigureId,
    LanguageTag,
    Orcid,
    Pmid,
    RefKey,
    Text,
    Volume,
)

Status = Literal["draft", "review", "published"]
Modality = Literal[
    "XR", "CT", "MR", "US", "NM", "PT", "XA", "RF", "MG", "illustration", "pathology"
]
Plane = Literal[
    "axial", "coronal", "sagittal", "oblique", "anteroposterior", "posteroanterior", "lateral", "3d"
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Person(_Strict):
    """An author or editor."""

    name: Text
    affiliation: Text | None = None
    orcid: Orcid | None = None


class BookSource(_Strict):
    """``source/book.yaml``: the book's metadata and its chapter order."""

    id: ChapterId = Field(description="Short slug naming the book's output files.")
    title: Text
    subtitle: Text | None = None
    language: LanguageTag = Field(description="BCP 47 tag, e.g. en-US.")
    version: Text = Field(description="Edition or release, e.g. 1.0.0 (quote it in YAML).")
    authors: list[Person] = []
    editors: list[Person] = []
    publisher: Text
    license: Text = Field(description="SPDX identifier or licence name, e.g. CC-BY-NC-4.0.")
    identifier: Text | None = Field(
        default=None, description="Stable identifier (urn:isbn:…, urn:uuid:…); derived if absent."
    )
    chapters: list[ChapterId] = Field(min_length=1, description="Chapter ids in reading order.")

    @model_validator(mode="after")
    def _has_creator(self) -> Self:
        if not self.authors and not self.editors:
            raise PydanticCustomError("no_creator", "the book names no author and no editor")
        return self


class ReferenceSource(_Strict):
    """A bibliographic reference, cited in the body as ``[@key]``."""

    key: RefKey
    authors: list[Text] = Field(min_length=1)
    title: Text
    journal: Text
    year: int = Field(ge=1800, le=2100)
    volume: Volume | None = None
    pages: Text | None = None
    doi: Doi | None = None
    pmid: Pmid | None = None


WindowPreset = Literal["bone", "soft-tissue", "lung", "brain"]
Direction = Literal["up", "down", "left", "right", "up-left", "up-right", "down-left", "down-right"]


class Window(_Strict):
    """A DICOM display window: the value shown mid-grey and the range from black to white."""

    center: float = Field(description="Window centre, in the image's units (HU for CT).")
    width: float = Field(ge=1, description="Window width, in the same units (at least 1).")


class Annotation(_Strict):
    """A marker drawn over a figure's image, told in its caption by ``{kind}``."""

    marker: MarkerKind
    at: tuple[int, int] = Field(
        description="Where the marker points: [x, y] in pixels of the source image (before "
        "any crop), x to the right and y down from its top left corner."
    )
    direction: Direction = Field(
        default="down-left",
        description="Where an arrow points, tip first: down-left means it comes from the "
        "upper right. Ignored for the asterisk.",
    )
    shows: Text = Field(
        description="What the marker points at, in a few words: the caption's legend and the "
        "alt text say it for readers who cannot see the image."
    )


class FigureSource(_Strict):
    """A figure declared in chapter front matter and referenced in the body as ``@fig-id``."""

    id: FigureId
    image: Text | None = Field(
        default=None,
        description="File under source/figures/: PNG, JPEG, GIF, WebP or DICOM (.dcm); "
        "optional only in draft chapters.",
    )
    window: Window | WindowPreset | None = Field(
        default=None,
        description="DICOM only: a preset (bone, soft-tissue, lung, brain) or {center, width}; "
        "default: the file's own window, else its full range.",
    )
    frame: int | None = Field(
        default=None, ge=1, description="DICOM only: the frame of a multi-frame image, from 1."
    )
    crop: tuple[int, int, int, int] | None = Field(
        default=None,
        description="DICOM only: [x, y, width, height] in pixels of the source image.",
    )
    size: int | None = Field(
        default=None,
        ge=16,
        le=4096,
        description="DICOM only: the long side of the image made, in pixels (default: as cropped).",
    )
    annotations: list[Annotation] = Field(
        default=[], description="Markers over the image, each told in the caption by {marker}."
    )
    alt: Text = Field(description="Short text alternative (at most 150 characters).")
    long_description: Text | None = None
    caption: Text = Field(description="Inline Markdown; markers {arrow}, {open-arrow}, …")
    modality: Modality | None = Field(default=None, description="DICOM modality code.")
    plane: Plane | None = None
    sequence: Text | None = None
    credit: Text | None = None
    license: Text | None = None


class ChapterMeta(_Strict):
    """Chapter front matter other than figures and references."""

    id: ChapterId = Field(description="Equal to the chapter's file name without .md.")
    title: Text
    concept: ChapterId = Field(description="Terminology concept id the chapter is about.")
    status: Status
    authors: list[Person] = []
    created: dt.date | None = None
    last_reviewed: dt.date | None = None
    next_review: dt.date | None = None


class ChapterFrontMatter(ChapterMeta):
    """The YAML block between ``---`` lines at the top of a chapter file."""

    figures: list[FigureSource] = []
    references: list[ReferenceSource] = []


class BibliographySource(_Strict):
    """``source/bibliography.yaml``: references any chapter may cite."""

    references: list[ReferenceSource] = []
