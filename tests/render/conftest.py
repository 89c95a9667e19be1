"""Source trees for the render tests, the builds made from them, and the PDF text they read.

``RICH`` exercises every inline node, every marker, an image file, a shared bibliography,
a Differential Diagnosis section and an unreferenced figure; it must validate cleanly.
Builds are made once per session: WeasyPrint takes about a second a document.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image

from pipeline.diagnostics import RENDERING, Diagnostic, has_errors
from pipeline.lint import LintConfig
from pipeline.lint.registry import RULES
from pipeline.model import Book
from pipeline.orchestrate.progress import BuildProgress
from pipeline.orchestrate.runner import Options, run_build
from pipeline.render.pdf import Paper
from pipeline.validate import validate_source
from tests.render import pdftext

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / "source"
EPOCH = "1767225600"  # 2026-01-01T00:00:00Z

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
class Artifact:
    """A file the build wrote, as its manifest lists it."""

    path: Path
    product: str
    pages: int | None


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

    def pdf(self, name: str) -> Path:
        """The path of an output PDF by file name."""
        return self.out / "pdf" / name


NO_LINT = LintConfig(ignore=tuple(sorted({rule.code[0] for rule in RULES})))
"""Every rule family ignored: these trees test rendering, and lint stops a build at an error."""


def build(root: Path, out: Path, epoch: str | None = EPOCH, paper: Paper = "a4") -> Built:
    """Build the PDFs of ``root`` into ``out`` the way ``monograph build --only pdf`` does."""
    book = load(root)
    environ = {} if epoch is None else {"SOURCE_DATE_EPOCH": epoch}
    options = Options(source=root, out=out, formats=("pdf",), paper=paper, lint=NO_LINT,
                      environ=environ)  # fmt: skip
    outcome = run_build(options, BuildProgress(io.StringIO()))
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    artifacts = [Artifact(out / a["path"], a["product"], a.get("pages"))
                 for a in manifest["artifacts"]]  # fmt: skip
    rendering = [d for d in outcome.diagnostics if d.code in {c.code for c in RENDERING}]
    return Built(root, book, out, Report(artifacts, rendering))


@pytest.fixture(scope="session")
def seed(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The real seed source, built once."""
    return build(SEED, tmp_path_factory.mktemp("seed-out"))


@pytest.fixture(scope="session")
def rich(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The rich tree, built once."""
    root = write_rich(tmp_path_factory.mktemp("rich") / "source")
    return build(root, tmp_path_factory.mktemp("rich-out"))


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
