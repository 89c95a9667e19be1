"""Every validation code, triggered by a small source tree, found at the caret's line and column.

Each case edits the minimal valid tree of conftest.py; the caret (‸) in the edited text marks
where the finding must point. A final test fails when a code of the catalogue has no case.
"""

from __future__ import annotations

import io
import os
import struct
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PIL import Image

from pipeline.diagnostics import READING_AND_VALIDATION, Severity
from pipeline.read.files import MAX_FILE_BYTES
from pipeline.read.text import MAX_LINE
from pipeline.validate import validate_source
from pipeline.validate.figures import MAX_IMAGE_BYTES
from tests.conftest import BODY, BOOK, FRONT, TERMINOLOGY, chapter, write_tree
from tests.media.dicoms import deidentified, part10, sample_bytes


@dataclass(frozen=True)
class Case:
    """A code, the files that trigger it (one holds the caret), and an id for the test name."""

    code: str
    files: dict[str, str | bytes | None]
    name: str = ""
    setup: str = field(default="", compare=False)
    """Optional extra step (see ``_setup``), e.g. 'symlink' makes figures/link.png point
    outside the tree."""
    expect: tuple[str, int, int] | None = None
    """Where the finding must point when that is in no written file (the files hold no caret)."""


CODES = {c.code: c for c in READING_AND_VALIDATION}
"""Reading and validation codes: each needs a case below."""

CH = "chapters/alpha.md"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(8)
PUBLISHED = FRONT.replace("status: draft", "status: published")
IMAGING = "\n# Imaging\n\n## General Features\n\n"
"""Appended to BODY: a section whose subsection takes run-in labels."""
REF = "authors: [Roe R], title: T, journal: J, year: 2021"


FIGURE = "  - {id: fig-n, alt: Axial CT of the spine., caption: Axial CT.}\n"
"""A figure entry; the same id many times is X105, which does not hide the count."""


def png_header(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width`` × ``height`` pixels, with no pixel data."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")


def front(old: str, new: str) -> dict[str, str | bytes | None]:
    """The chapter with ``old`` replaced by ``new`` in its front matter."""
    return {CH: chapter(front=FRONT.replace(old, new, 1))}


def body(old: str, new: str) -> dict[str, str | bytes | None]:
    """The chapter with ``old`` replaced by ``new`` in its body."""
    return {CH: chapter(body=BODY.replace(old, new, 1))}


def more(text: str) -> dict[str, str | bytes | None]:
    """The chapter with ``text`` appended to its body."""
    return {CH: chapter(body=BODY + text)}


def image(name: str, data: bytes | None = None) -> dict[str, str | bytes | None]:
    """fig-one with ``image: name``, and figures/x.png holding ``data`` if given."""
    files = front("    alt:", f"    image: {name}\n    alt:")
    return {**files, "figures/x.png": data} if data is not None else files


def picture(
    name: str, data: bytes, settings: str = "", caption: str = ""
) -> dict[str, str | bytes | None]:
    """fig-one with ``image: name`` (caret allowed), ``settings`` lines, and the file written.

    ``caption`` replaces the caption's text when given (carets allowed).
    """
    text = FRONT.replace("    alt:", f"    image: {name}\n{settings}    alt:", 1)
    if caption:
        text = text.replace("caption: Sagittal image of the lumbar spine {arrow}.", caption, 1)
    return {CH: chapter(front=text), f"figures/{name.replace('‸', '')}": data}


def real_png(width: int = 32, height: int = 24) -> bytes:
    """A grey PNG that decodes whole."""
    buffer = io.BytesIO()
    Image.new("L", (width, height), 128).save(buffer, format="PNG")
    return buffer.getvalue()


def gps_jpeg() -> bytes:
    """A JPEG whose EXIF says where it was taken."""
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (52.0, 31.0, 12.0)}
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), "gray").save(buffer, format="JPEG", exif=exif.tobytes())
    return buffer.getvalue()


CT = part10(deidentified("CT_small.dcm"))
"""pydicom's own CT slice (from its wheel), de-identified as a PACS would export it."""


def burned_in() -> bytes:
    """The de-identified CT, marked as having text drawn into its pixels."""
    dataset = deidentified("CT_small.dcm")
    dataset.BurnedInAnnotation = "YES"
    return part10(dataset)


# fmt: off
CASES: list[Case] = [
    # reading and YAML
    Case("R101", {CH: chapter(body=BODY).encode().replace(b"finding", "‸".encode() + b"\xff")}),
    Case("R102", front("title: Alpha", "title: Alpha‸: beta"), "front-matter"),
    Case("R102", {"book.yaml": BOOK.replace("title: Test Book", "title: Test‸: Book")}, "book"),
    Case("R102", front("title: Alpha", 'title: ‸"Alpha'), "unclosed-quote"),
    Case("R103", front("title: Alpha\n", "title: Alpha\n‸title: Beta\n")),
    Case("R104", front("status: draft\n", "status: draft\nx: " + "[" * 40 + "‸[" + "]" * 41 + "\n"),
         "depth"),
    Case("R104", front("status: draft\n", "status: draft\nx: ‸&a 1\ny: [" + "*a, " * 51 + "]\n"),
         "aliases"),
    Case("R105", front("status: draft\n", "status: draft\n‸<<: {created: 2020-01-01}\n")),
    Case("R106", {CH: "‸" + BODY}),
    Case("R107", {CH: "‸---\n" + FRONT + BODY}),
    Case("R108", {CH: chapter(front="‸- id: alpha\n")}, "front-matter"),
    Case("R108", {"book.yaml": "‸- test-book\n"}, "book"),
    Case("R109", {"terminology.yaml": None}, expect=("terminology.yaml", 1, 1)),
    Case("R110", front("title: Alpha", "title: ‸!secret Alpha")),
    Case("R110", front("year: 2020", 'year: ‸!!int "2020"'), "standard-tag"),
    # field values
    Case("V101", {CH: chapter(front=FRONT.replace("id: alpha", "‸id: alpha", 1)
                              .replace("title: Alpha\n", ""))}),
    Case("V102", front("concept:", "‸concpet:")),
    Case("V103", front("title: Alpha", "title: ‸42"), "number-for-text"),
    Case("V103", {"book.yaml": BOOK.replace("chapters:\n  - alpha", "chapters: ‸alpha")},
         "text-for-list"),
    Case("V103", {CH: chapter(front=FRONT[: FRONT.index("references:")] + "references: ‸none\n")},
         "references-not-a-list"),
    Case("V104", {CH: chapter(front=FRONT.replace("status: draft", "status: ‸drafft"))}),
    Case("V105", front("id: fig-one", "id: ‸figure-one"), "figure-id"),
    Case("V105", {"book.yaml": BOOK.replace("id: test-book", "id: ‸Test_Book")}, "slug"),
    Case("V106", {"book.yaml": BOOK.replace("language: en-US", "language: ‸en_US")}),
    Case("V107", front("status: draft", "status: draft\nlast_reviewed: ‸2024-13-01")),
    Case("V108", front("year: 2020", "year: 2020\n    doi: ‸https://doi.org/10.1148/x")),
    Case("V109", front("year: 2020", "year: 2020\n    pmid: ‸PMID31821119")),
    Case("V110", front("year: 2020", "year: ‸1700"), "out-of-range"),
    Case("V110", front("title: Alpha", 'title: ‸""'), "empty"),
    Case("V110", {"book.yaml": "‸" + BOOK.replace("editors:\n  - name: Test Editor\n", "")},
         "no-creator"),
    Case("V110", {"terminology.yaml": TERMINOLOGY + "identifiers: [‸'(\\w+\\s?)*$']\n"},
         "exponential-pattern"),
    Case("V111", front("status: draft", "status: ‸published"), "no-last-reviewed"),
    Case("V111", front("status: draft", "status: draft\nlast_reviewed: 2024-05-01\n"
                       "next_review: ‸2024-01-01"), "next-before-last"),
    Case("V112", {"book.yaml": BOOK.replace("id: test-book", "id: ‸" + "a" * 65)}, "book-id"),
    Case("V112", front("id: fig-one", "id: ‸fig-" + "x" * 61), "figure-id"),
    Case("V113", front("title: Alpha", "title: ‸0x" + "f" * 3700), "hex-in-text-field"),
    Case("V113", front("year: 2020", "year: ‸" + "9" * 101), "decimal-in-number-field"),
    # body structure
    Case("S101", {CH: chapter(body=BODY.replace("## Imaging", "‸## Imagery"))}),
    Case("S102", more(IMAGING + "- x\n\n‸# Terminology\n\n## Definitions\n\n- y\n"), "section"),
    Case("S102", more("\n‸## Terminology\n\n- a term\n"), "subsection"),
    Case("S103", body("# Key Facts\n\n## Imaging", "‸## Imaging"), "before-any-section"),
    Case("S103", more("\n‸## General Features\n\n- x\n"), "wrong-section"),
    Case("S103", more("\n‸# Definitions\n\n- x\n"), "subsection-as-section"),
    Case("S104", more("\n‸## Imaging\n\n- more\n"), "subsection"),
    Case("S104", more("\n‸# Key Facts\n"), "section"),
    Case("S105", {CH: chapter(PUBLISHED, BODY.replace("- A", "‸- A"))}, "section-at-end"),
    Case("S105", {CH: chapter(PUBLISHED, BODY.replace("# Key", "‸# Key"))}, "subsection"),
    Case("S105", {CH: chapter(PUBLISHED, BODY + IMAGING.replace("\n#", "\n‸#", 1) + "- x\n")},
         "section-before-next"),
    Case("S106", body("## Imaging", "‸- orphan\n\n## Imaging")),
    Case("S107", more("\n‸Some prose.\n"), "paragraph"),
    Case("S107", more("\n‸1. first\n"), "numbered-list"),
    Case("S107", more("\n‸```\ncode\n```\n"), "code-block"),
    Case("S107", more("\n  ‸A second paragraph.\n"), "in-bullet"),
    Case("S108", more("  - b\n    - c\n      - d\n        ‸- e\n")),
    Case("S109", more("- ‸**Location**\n  - x\n"), "no-vocabulary"),
    Case("S109", more(IMAGING + "- ‸**Colour**\n  - red\n"), "vocabulary"),
    Case("S110", more(IMAGING + "- ‸**Location**\n")),
    Case("S111", {CH: chapter(body=BODY.replace("A finding", "A ‸<b>finding</b>"))}),
    Case("S112", more("\n‸# Selected References\n\n- Doe J.\n")),
    Case("S113", more("\n‸### Detail\n")),
    Case("S114", body("A finding", "A ‸![x](x.png) finding")),
    Case("S115", body("A finding", "A ‸[finding](ftp://x.org/a)")),
    Case("S116", more("\n‸## Top Differential Diagnoses\n")),
    # cross-references and files
    Case("X101", {CH: chapter(body=BODY.replace("[@doe2020]", "[@doe2020] ‸[@nobody]"))}),
    Case("X102", {CH: chapter(body=BODY.replace("(@fig-one)", "(@fig-one) ‸@fig-two"))}),
    Case("X103", {CH: chapter(FRONT.replace("- id: fig-one", "- ‸id: fig-one"),
                              BODY.replace(" (@fig-one)", ""))}),
    Case("X104", {CH: chapter(FRONT.replace("- key: doe2020", "- ‸key: doe2020"),
                              BODY.replace(" [@doe2020]", ""))}),
    Case("X105", front("references:", "  - {id: ‸fig-one, alt: A., caption: A.}\nreferences:"),
         "figure"),
    Case("X105", {CH: chapter(FRONT + "  - {key: ‸doe2020, " + REF + "}\n")}, "reference"),
    Case("X105", {"book.yaml": BOOK + "  - ‸alpha\n"}, "chapter"),
    Case("X105", {"terminology.yaml": TERMINOLOGY.replace("abbreviations:",
         "  - {id: ‸alpha-concept, kind: sign, preferred: a}\nabbreviations:")}, "concept"),
    Case("X105", {"bibliography.yaml": f"references:\n  - {{key: roe, {REF}}}\n"
                                       f"  - {{key: ‸roe, {REF}}}\n"}, "bibliography"),
    Case("X106", front("id: alpha", "id: ‸beta")),
    Case("X107", {"book.yaml": BOOK + "  - ‸beta\n"}),
    Case("X108", {"chapters/beta.md": "‸" + chapter(FRONT.replace("id: alpha", "id: beta"))}),
    Case("X109", front("concept: alpha-concept", "concept: ‸beta-concept")),
    Case("X110", body("(@fig-one)", "‸[@fig-one]"), "bracketed-figure"),
    Case("X110", body("[@doe2020]", "‸@doe2020"), "bare-citation"),
    Case("X111", {"terminology.yaml": TERMINOLOGY.replace("abbreviations:",
        "  - id: beta-concept\n    kind: diagnosis\n    preferred: beta disease\n"
        "    synonyms:\n      - term: ‸Alpha  Disease\n" "abbreviations:")}),
    Case("X112", {"book.yaml": BOOK.replace("id: test-book", "id: alpha")
                  .replace("  - alpha", "  - ‸alpha")}, "book-id-is-a-chapter-id"),
    Case("X113", {"book.yaml": BOOK + "  - ‸alpha-fig-one\n", "chapters/alpha-fig-one.md":
                  chapter(FRONT.replace("id: alpha", "id: alpha-fig-one", 1))},
         "chapter-is-a-figure-anchor"),
    Case("X113", front("references:", "  - ‸{id: fig-one-description, alt: A., caption: A.}\n"
                       "references:"), "long-description-anchor"),
    # figures
    Case("F101", image("‸../x.png", PNG), "parent"),
    Case("F101", image("‸/etc/passwd"), "absolute"),
    Case("F101", image('‸"%2e%2e/x.png"', PNG), "url-encoded"),
    Case("F101", image("‸C:\\x.png", PNG), "backslash"),
    Case("F101", image("‸link.png"), "symlink", setup="symlink"),
    Case("F102", image("‸missing.png")),
    Case("F102", image("‸loop.png"), "symlink-loop", setup="figure-loop"),
    Case("F103", front("status: draft\nfigures:\n  - id", "status: review\nfigures:\n  - ‸id")),
    Case("F104", front("alt: Sagittal image of the lumbar spine.", "alt: ‸spine.png")),
    Case("F105", front("alt: Sagittal", "alt: ‸" + "Very " * 30 + "Sagittal")),
    Case("F106", front("{arrow}", "‸{arow}")),
    Case("F107", body("A finding", "A ‸{arrow} finding")),
    Case("F108", image("‸x.png", b"BM\x00\x00 not an image")),
    # limits and hostile files (issue 7)
    Case("R111", {CH: "‸" + chapter(body=BODY + "- x\n" * (MAX_FILE_BYTES // 4))}),
    Case("R112", more("- " + "x" * (MAX_LINE - 2) + "‸yz\n")),
    Case("R113", {"book.yaml": BOOK + "  - beta\n"}, "chapter-link", setup="chapter-symlink",
         expect=("chapters/beta.md", 1, 1)),
    Case("R113", {}, "terminology-link", setup="terminology-symlink",
         expect=("terminology.yaml", 1, 1)),
    Case("R113", {}, "chapters-folder-link", setup="chapters-folder-symlink",
         expect=("chapters", 1, 1)),
    Case("R109", {"book.yaml": BOOK + "  - beta\n"}, "fifo", setup="chapter-fifo",
         expect=("chapters/beta.md", 1, 1)),
    Case("R114", body("A finding", "A ‸\x01finding"), "control"),
    Case("R114", body("A finding", "A ‸\x00finding"), "nul"),
    Case("R114", front("title: Alpha", "title: Al‸\ufffepha"), "noncharacter"),
    Case("R114", front("title: Alpha", 'title: ‸"Al\\x01pha"'), "yaml-escape"),
    Case("S117", more("- a ‸" + "*" * 18 + "deep" + "*" * 18 + "\n"), "emphasis"),
    Case("S118", {CH: chapter(body="‸" + BODY + "- a\n" * 5_000)}, "bullets"),
    Case("S118", {CH: chapter(body="‸" + BODY + "- *a* b\n" * 3_500 + "\nprose\n")}, "inline"),
    Case("S117", front("caption: Sagittal", "caption: ‸" + "_" * 18 + "x" + "_" * 18
                       + " Sagittal"), "caption"),
    Case("F109", {CH: chapter(FRONT.replace("figures:\n", "figures:\n" + FIGURE * 60 + "  - ‸"
                                             + FIGURE[4:], 1))}),
    Case("F110", image("‸x.png"), setup="huge-image"),
    Case("F111", image("‸x.png", png_header(6000, 5000)), "over-limit"),
    Case("F111", image("‸x.png", png_header(30000, 30000)), "bomb"),
    Case("F108", image("‸x.png", b'<svg a="WEBP" xmlns="http://www.w3.org/2000/svg"/>'),
         "svg-posing-as-webp"),
    Case("F112", image("‸x.png", PNG), "unreadable-header"),
    Case("F112", image("‸x.png", png_header(10, 10)), "no-image-data"),
    Case("F112", image("‸x.png", png_header(10, 10)[:-1] + b"\x00"), "bad-checksum"),
    Case("F113", picture("‸ct.dcm", sample_bytes("CT_small.dcm"))),
    Case("F114", picture("‸ct.dcm", burned_in())),
    Case("F115", picture("‸mr.dcm", part10(deidentified("MR_small_jp2klossless.dcm")))),
    Case("F116", picture("x.png", real_png(), "    window: ‸bone\n"), "window-on-png"),
    Case("F116", picture("ct.dcm", CT, "    frame: ‸3\n"), "frame-out-of-range"),
    Case("F116", picture("mr.dcm", part10(deidentified("MR_small.dcm")), "    window: ‸bone\n"),
         "ct-preset-on-mr"),
    Case("F116", picture("x.png", real_png(), "    annotations:\n      - {marker: arrow, "
                         "at: ‸[500, 10], shows: the lesion}\n"), "annotation-outside"),
    Case("F117", picture("x.png", real_png(), caption="caption: Sagittal image ‸{arrow}.")),
    Case("F118", picture("x.png", real_png(), "    annotations:\n      - {marker: ‸asterisk, "
                         "at: [10, 10], shows: the lesion}\n")),
    Case("F119", picture("‸x.jpg", gps_jpeg())),
]
# fmt: on


def _setup(case: Case, root: Path) -> None:
    """The step a case needs beyond writing files: links, FIFOs and sparse files."""
    outside = root.parent / "outside"
    outside.mkdir(exist_ok=True)
    if case.setup == "symlink":
        (root / "figures" / "link.png").symlink_to("/etc/hostname")
    elif case.setup == "chapter-symlink":
        (outside / "secret.md").write_text(chapter(FRONT.replace("id: alpha", "id: beta")))
        (root / "chapters" / "beta.md").symlink_to(outside / "secret.md")
    elif case.setup == "terminology-symlink":
        (outside / "terms.yaml").write_text(TERMINOLOGY)
        (root / "terminology.yaml").unlink()
        (root / "terminology.yaml").symlink_to(outside / "terms.yaml")
    elif case.setup == "chapters-folder-symlink":
        (root / "chapters").rename(outside / "chapters")
        (root / "chapters").symlink_to(outside / "chapters", target_is_directory=True)
    elif case.setup == "chapter-fifo":
        os.mkfifo(root / "chapters" / "beta.md")
    elif case.setup == "figure-loop":
        (root / "figures" / "loop.png").symlink_to("loop.png")
    elif case.setup == "huge-image":
        with (root / "figures" / "x.png").open("wb") as sparse:
            sparse.write(png_header(10, 10))
            sparse.truncate(MAX_IMAGE_BYTES + 1)


def _id(case: Case) -> str:
    return f"{case.code}-{case.name}" if case.name else case.code


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_code_is_reported_at_the_caret(case: Case, tmp_path: Path) -> None:
    root = tmp_path / "source"
    caret = write_tree(root, case.files)
    expected = case.expect or caret
    assert expected is not None, "the case must mark the expected position with ‸ or expect"
    assert not (case.expect and caret), "a case gives its position by caret or expect, not both"
    _setup(case, root)
    result = validate_source(root)
    found = [
        (d.span.path, d.span.line, d.span.column) for d in result.diagnostics if d.code == case.code
    ]
    assert expected in found, f"{case.code} not at {expected}; got {result.diagnostics}"
    if CODES[case.code].severity is Severity.ERROR:
        assert not result.ok, "an error must fail validation"


def test_every_code_has_a_case() -> None:
    covered = {case.code for case in CASES}
    missing = sorted(set(CODES) - covered)
    assert not missing, f"codes without a test case: {missing}"


def test_base_tree_is_clean(tree: Path) -> None:
    result = validate_source(tree)
    assert result.diagnostics == []
    assert result.book is not None
    assert [c.id for c in result.book.chapters] == ["alpha"]
