"""Source trees for the render tests, the builds made from them, and the PDF text they read.

``RICH`` exercises every inline node, every marker, an image file, a shared bibliography,
a Differential Diagnosis section and an unreferenced figure; it must validate cleanly.
Builds are made once per session: WeasyPrint takes about a second a document.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from PIL import Image

from pipeline.diagnostics import RENDERING, Diagnostic, has_errors
from pipeline.model import Book
from pipeline.validate import validate_source
from tests.helpers import SOURCE, Artifact, BuildResult, build
from tests.render import pdftext

if TYPE_CHECKING:
    from tests.render.epub_books import BuiltEpub

BOOK_YAML = """\
id: rich-book
title: Rich Test Book
subtitle: Every node the renderer prints
language: en-GB
version: "2.1"
authors:
  - name: Ada Author
    affiliation: Test Department
publisher: Test Press
license: CC-BY-4.0
chapters:
  - rich
  - plain
"""

TERMINOLOGY = """\
concepts:
  - {id: rich-concept, kind: diagnosis, preferred: rich disease,
     synonyms: [{term: opulent disease}]}
  - {id: plain-concept, kind: diagnosis, preferred: plain disease}
"""

BIBLIOGRAPHY = """\
references:
  - key: shared2018
    authors: [Shared S]
    title: A shared reference
    journal: Shared Journal
    year: 2018
"""

RICH_CHAPTER = """\
---
id: rich
title: Rich Disease
concept: rich-concept
status: draft
created: 2025-03-01
last_reviewed: 2025-06-30
authors:
  - name: Ada Author
figures:
  - id: fig-real-image
    image: real.png
    alt: A grey test square standing in for an axial CT image.
    long_description: A uniform mid-grey square, 40 by 30 pixels.
    caption: >-
      Axial CT with every marker: {arrow} {open-arrow} {curved-arrow} {arrowhead}
      {asterisk}; compare @fig-caption-only [@late2021].
    annotations:
      - {marker: arrow, at: [8, 8], direction: up-left, shows: the upper left corner}
      - {marker: open-arrow, at: [31, 8], direction: up-right, shows: the upper right corner}
      - {marker: curved-arrow, at: [20, 15], direction: left, shows: the centre}
      - {marker: arrowhead, at: [8, 21], direction: down-left, shows: the lower left corner}
      - {marker: asterisk, at: [31, 21], shows: the lower right corner}
    modality: CT
    plane: axial
    credit: Test credit
  - id: fig-caption-only
    alt: Sagittal MR placeholder that only another caption mentions.
    caption: Sagittal T2WI {open-arrow}.
    modality: MR
    plane: sagittal
    sequence: T2WI
  - id: fig-never-cited
    alt: Coronal radiograph nobody refers to.
    caption: Coronal radiograph.
    modality: XR
references:
  - key: early2020
    authors: [Early E, Second S]
    title: "First cited: a study"
    journal: Journal of Tests
    year: 2020
    volume: "12"
    pages: "1-9"
    doi: 10.5555/early.2020
    pmid: 12345678
  - key: late2021
    authors: [Late L]
    title: Cited second
    journal: Test Radiology
    year: 2021
  - key: never2019
    authors: [Never N]
    title: Never cited
    journal: Uncited Journal
    year: 2019
---

# Key Facts

## Terminology

- Rich disease: a *made-up* entity [@early2020]

## Imaging

- Tc-99m uptake ^99m^Tc and H~2~O signal (@fig-real-image)
- See [the atlas](https://example.org/atlas?a=1&b=2) and `code <x>`

## Top Differential Diagnoses

- Plain disease
- Focal fat
  - Bright on T1WI

# Imaging

## General Features

- **Best diagnostic clue**
  - Escaped &lt;b&gt;not bold&lt;/b&gt; & ampersand [@late2021; @early2020]
- **Location**
  - Everywhere [@shared2018]

# Differential Diagnosis

## Plain Disease

- No enhancement
- Smaller lesions

## Third Thing

- Only in the detailed section
"""

PLAIN_CHAPTER = """\
---
id: plain
title: Plain Disease
concept: plain-concept
status: draft
---

# Key Facts

## Imaging

- A single plain finding
"""


def _png(path: Path) -> None:
    Image.new("RGB", (40, 30), (128, 128, 128)).save(path, format="PNG")


def write_rich(root: Path, **overrides: str) -> Path:
    """Write the rich tree under ``root`` (``overrides`` replace files by relative path)."""
    files = {
        "book.yaml": BOOK_YAML,
        "terminology.yaml": TERMINOLOGY,
        "bibliography.yaml": BIBLIOGRAPHY,
        "chapters/rich.md": RICH_CHAPTER,
        "chapters/plain.md": PLAIN_CHAPTER,
        **overrides,
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    (root / "figures").mkdir(exist_ok=True)
    _png(root / "figures" / "real.png")
    return root


def load(root: Path) -> Book:
    """Validate ``root`` and return its book, failing the test on any error."""
    result = validate_source(root)
    errors = [d for d in result.diagnostics if d.severity == "error"]
    assert result.book is not None and not errors, errors
    return result.book


@dataclass(frozen=True)
class Report:
    """What one build made, in the manifest's order, and the findings of rendering it.

    Validation's warnings about these trees (a subsection a draft may leave out) are the
    validate tests' business; here only the render stage's codes count.
    """

    artifacts: list[Artifact]
    diagnostics: list[Diagnostic]

    @property
    def ok(self) -> bool:
        """True when no finding is an error."""
        return not has_errors(self.diagnostics)


@dataclass(frozen=True)
class Built:
    """A source tree, its book, and the report of one build into ``out``."""

    root: Path
    book: Book
    out: Path
    report: Report

    @classmethod
    def of(cls, made: BuildResult) -> Built:
        """The render tests' view of a build: its validated book and the render findings."""
        rendering = {c.code for c in RENDERING}
        found = [d for d in made.diagnostics if d.code in rendering]
        return cls(made.source, load(made.source), made.out, Report(made.artifacts, found))

    def pdf(self, name: str) -> Path:
        """The path of an output PDF by file name."""
        return self.out / "pdf" / name


@pytest.fixture(scope="session")
def seed_pdfs(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The real seed source's PDFs, built once (lint off, as for every render tree)."""
    out = tmp_path_factory.mktemp("seed-out")
    return Built.of(build(SOURCE, out, formats=("pdf",), lint=False, in_process=True))


@pytest.fixture(scope="session")
def rich_pdfs(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The rich tree's PDFs, built once."""
    root = write_rich(tmp_path_factory.mktemp("rich") / "source")
    out = tmp_path_factory.mktemp("rich-out")
    return Built.of(build(root, out, formats=("pdf",), lint=False, in_process=True))


@pytest.fixture(scope="session")
def seed_epub(tmp_path_factory: pytest.TempPathFactory) -> BuiltEpub:
    """The real seed source's EPUB, rendered once."""
    from tests.render.epub_books import render_epub  # that module reads this one's trees

    return render_epub(SOURCE, tmp_path_factory.mktemp("epub-seed"))


@pytest.fixture(scope="session")
def rich_epub(tmp_path_factory: pytest.TempPathFactory) -> BuiltEpub:
    """The two-chapter tree with two real images, references and differentials as an EPUB."""
    from tests.render.epub_books import render_epub, write_epub_book

    root = write_epub_book(tmp_path_factory.mktemp("epub-rich") / "source")
    return render_epub(root, tmp_path_factory.mktemp("epub-rich-out"))


def text_of(pdf: Path) -> str:
    """The PDF's text in reading order (as ``pdftotext`` has it), line-end hyphenation undone."""
    return pdftext.normalised(pdftext.page_texts(pdf))


def raw_text_of(pdf: Path) -> str:
    """The PDF's text in content-stream order (as ``pdftotext -raw`` reads it): painting order.

    That is the HTML's order within a block, but positioned boxes (the list items) are painted
    after the rest, so across blocks use ``reading_text_of``.
    """
    return pdftext.normalised(pdftext.painted_texts(pdf))


def reading_text_of(pdf: Path) -> str:
    """The text of the structure tree in tree order (as ``pdfinfo -struct-text``): reading order.

    Running headers and footers are artifacts, outside the tree. Line breaks leave no space.
    """
    return "".join(pdftext.structure_texts(pdf))
