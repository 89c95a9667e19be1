"""What a reader gets out of a built PDF, read with Python wheels instead of poppler's programs.

Text comes from pypdfium2 (PDFium) glyph by glyph, each with its origin, advance, height and
font size. As poppler does, a space goes wherever two glyphs stand apart, not where the PDF
paints a space glyph: the words after a marker glyph are set in a tiny hidden font, space
included, and read "→(arrow)". The structure tree, fonts and images are read with pypdf.
"""

from __future__ import annotations

import ctypes
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pypdf import PdfReader
from pypdf.generic import ArrayObject, ContentStream, DictionaryObject, NameObject

SPACE = 0.1
"""Glyphs of a line further apart than this many font sizes have a space between them."""
COLUMN = 1.5
"""Glyphs further apart than this many font sizes are not one line: columns, table cells."""
ROW = 0.25
"""White space this many font sizes high parts rows; lines of a paragraph or list are closer."""


@dataclass(frozen=True)
class Glyph:
    """A painted character: its advance, the font's height (descent to ascent), baseline, size."""

    char: str
    left: float
    bottom: float
    right: float
    top: float
    base: float
    size: float
    mcid: int
    """The marked-content id it is painted under (-1 for none: an artifact)."""


def page_glyphs(pdf: Path) -> Iterator[list[Glyph]]:
    """Each page's glyphs, spaces included, in the order they are painted."""
    document = pdfium.PdfDocument(pdf)
    try:
        for number in range(len(document)):
            textpage = document[number].get_textpage()  # kept: it closes when collected
            yield _glyphs(textpage.raw)
    finally:
        document.close()


def _glyphs(textpage: Any) -> list[Glyph]:
    """A text page's glyphs without PDFium's made-up spaces and line breaks.

    A glyph ends where the next one on its baseline starts: PDFium's box also takes in ink
    that hangs over the advance, as an italic's does, and would close up the gap of a space.
    """
    box, x, y = pdfium_c.FS_RECTF(), ctypes.c_double(), ctypes.c_double()
    found: list[Glyph] = []
    for index in range(pdfium_c.FPDFText_CountChars(textpage)):
        if pdfium_c.FPDFText_IsGenerated(textpage, index):
            continue
        pdfium_c.FPDFText_GetLooseCharBox(textpage, index, box)
        pdfium_c.FPDFText_GetCharOrigin(textpage, index, x, y)
        textobj = pdfium_c.FPDFText_GetTextObject(textpage, index)
        glyph = Glyph(
            chr(pdfium_c.FPDFText_GetUnicode(textpage, index)),
            x.value,
            box.bottom,
            box.right,
            box.top,
            y.value,
            pdfium_c.FPDFText_GetFontSize(textpage, index),
            pdfium_c.FPDFPageObj_GetMarkedContentID(textobj) if textobj else -1,
        )
        last = found[-1] if found else None
        if last and last.base == glyph.base and last.left <= glyph.left < last.right:
            found[-1] = replace(last, right=glyph.left)
        found.append(glyph)
    return found


class Line:
    """Glyphs read as one line, left to right, and the box around them."""

    def __init__(self, glyph: Glyph) -> None:
        self.glyphs = [glyph]
        self.left, self.right, self.size = glyph.left, glyph.right, glyph.size
        self.bottom, self.top = glyph.bottom, glyph.top

    def add(self, other: Line) -> None:
        """Take in ``other``'s glyphs and box."""
        self.glyphs += other.glyphs
        self.left, self.right = min(self.left, other.left), max(self.right, other.right)
        self.bottom, self.top = min(self.bottom, other.bottom), max(self.top, other.top)
        self.size = max(self.size, other.size)

    def text(self) -> str:
        """The glyphs, with a space wherever two stand apart."""
        out = [self.glyphs[0].char]
        for one, two in zip(self.glyphs, self.glyphs[1:], strict=False):
            if two.left - one.right > SPACE * max(one.size, two.size):
                out.append(" ")
            out.append(two.char)
        return "".join(out)


def runs(painted: list[Glyph]) -> list[Line]:
    """Painting order cut into lines where the baseline moves, the pen goes back or leaps on."""
    found: list[Line] = []
    for glyph in painted:
        if glyph.char.isspace():
            continue
        last = found[-1].glyphs[-1] if found else None
        size = max(last.size, glyph.size) if last else 0.0
        if (
            last
            and abs(glyph.base - last.base) <= 0.2 * size
            and glyph.left >= last.left  # not <: a ligature's glyphs share one origin
            and glyph.left - last.right <= COLUMN * size
        ):
            found[-1].add(Line(glyph))
        else:
            found.append(Line(glyph))
    return found


def _same_line(one: Line, two: Line) -> bool:
    """Side by side, less than a column gap apart, sharing half the lower one's height."""
    shared = min(one.top, two.top) - max(one.bottom, two.bottom)
    gap = max(one.left, two.left) - min(one.right, two.right)
    lower = min(one.top - one.bottom, two.top - two.bottom)
    return shared >= 0.5 * lower and gap <= COLUMN * max(one.size, two.size)


def lines(painted: list[Glyph]) -> list[Line]:
    """The page's lines: runs joined to the runs beside them (superscripts, list markers)."""
    found: list[Line] = []
    for run in runs(painted):
        while joined := [line for line in found if _same_line(line, run)]:
            for line in joined:  # a run may bridge two lines
                found.remove(line)
                run.add(line)
        found.append(run)
    for line in found:
        line.glyphs.sort(key=lambda glyph: glyph.left)  # stable, as a ligature needs
    return found


def _split(found: list[Line], rows: bool) -> list[list[Line]]:
    """``found`` cut where white space crosses all of it: into rows top down, or columns."""

    def span(line: Line) -> tuple[float, float, float]:
        """Where the line starts and ends across the cut, and the white space a cut needs."""
        return (-line.top, -line.bottom, ROW * line.size) if rows else (line.left, line.right, 0)

    groups: list[list[Line]] = []
    reach = 0.0
    for line in sorted(found, key=span):
        start, end, gap = span(line)
        if groups and start < reach + gap:
            groups[-1].append(line)
            reach = max(reach, end)
        else:
            groups.append([line])
            reach = end
    return groups


def reading_order(found: list[Line]) -> list[Line]:
    """Recursive XY-cut: rows parted by white space top down, each row's columns left to right.

    A table reads row by row and a heading before what it heads. Lines of a paragraph or a
    list overlap or nearly touch, so no cut goes through one; but where white space happens
    to cross two columns of text at one height, each column is read down to there first.
    """
    for rows in (True, False):
        groups = _split(found, rows)
        if len(groups) > 1:
            return [line for group in groups for line in reading_order(group)]
    return sorted(found, key=lambda line: (-line.top, line.left))


def page_texts(pdf: Path) -> list[str]:
    """Each page's text in reading order (``pdftotext``), a line of text to a line."""
    return [
        "".join(line.text() + "\n" for line in reading_order(lines(painted)))
        for painted in page_glyphs(pdf)
    ]


def painted_texts(pdf: Path) -> list[str]:
    """Each page's text in the order it is painted (``pdftotext -raw``), a run to a line."""
    return ["".join(run.text() + "\n" for run in runs(painted)) for painted in page_glyphs(pdf)]


def normalised(pages: list[str]) -> str:
    """The pages as one string: hyphenation at line ends undone, white space made single."""
    text = "\f".join(pages)
    return " ".join(text.replace("\u2010\n", "").replace("-\n", "").split())


def structure_texts(pdf: Path) -> list[str]:
    """The text of each marked-content reference in the structure tree, in tree order.

    That is ``pdfinfo -struct-text``: artifacts (running headers and footers) are outside the
    tree, and the text is as painted, so a line break leaves no space.
    """
    marked: list[dict[int, str]] = []
    for painted in page_glyphs(pdf):
        texts: dict[int, str] = defaultdict(str)
        for glyph in painted:
            texts[glyph.mcid] += glyph.char
        marked.append(texts)
    reader = PdfReader(pdf)
    refs = [page.indirect_reference for page in reader.pages]
    numbers = {ref.idnum: n for n, ref in enumerate(refs) if ref is not None}
    found: list[str] = []

    def walk(node: Any, page: int | None) -> None:
        node = node.get_object()
        if isinstance(node, ArrayObject):
            for kid in node:
                walk(kid, page)
        elif isinstance(node, DictionaryObject):
            if "/Pg" in node:
                page = numbers[node.raw_get("/Pg").idnum]
            if "/MCID" in node:  # a marked-content reference
                walk(node["/MCID"], page)
            elif "/K" in node:  # an element (an object reference has neither)
                walk(node["/K"], page)
        elif isinstance(node, int):
            assert page is not None, f"{pdf.name}: marked content {node} on no page"
            found.append(marked[page].get(node, ""))

    walk(reader.root_object["/StructTreeRoot"], None)
    return found


@dataclass(frozen=True)
class Font:
    """A font as ``pdffonts`` lists it."""

    name: str
    embedded: bool
    subset: bool
    unicode: bool


def _resources(reader: PdfReader) -> Iterator[DictionaryObject]:
    """Every resource dictionary the pages reach, through forms, patterns and Type 3 fonts."""
    seen: set[int] = set()
    todo = [page.get("/Resources") for page in reader.pages]
    while todo:
        resources = todo.pop()
        if resources is None or id(resources := resources.get_object()) in seen:
            continue
        seen.add(id(resources))
        yield resources
        for kind in ("/XObject", "/Pattern", "/Font"):
            for item in resources.get(kind, DictionaryObject()).get_object().values():
                todo.append(item.get_object().get("/Resources"))


def fonts(pdf: Path) -> list[Font]:
    """Every font the pages' resources hold; a Type0 font's program is its descendant's."""
    found: dict[int, Font] = {}
    for resources in _resources(PdfReader(pdf)):
        for font in resources.get("/Font", DictionaryObject()).get_object().values():
            font = font.get_object()
            name = str(font.get("/BaseFont", "")).removeprefix("/")
            parts = [
                font,
                *(
                    part.get_object()
                    for part in font.get("/DescendantFonts", ArrayObject()).get_object()
                ),
            ]
            descriptors = [
                part["/FontDescriptor"].get_object() for part in parts if "/FontDescriptor" in part
            ]
            embedded = bool(descriptors) and all(
                {"/FontFile", "/FontFile2", "/FontFile3"} & set(d) for d in descriptors
            )
            tag = name[:6]
            subset = name[6:7] == "+" and len(tag) == 6 and tag.isalpha() and tag.isupper()
            found[id(font)] = Font(name, embedded, subset, "/ToUnicode" in font)
    return list(found.values())


def _size(image: DictionaryObject) -> tuple[int, int]:
    """An image's width and height (an inline image may abbreviate the keys)."""
    return int(image.get("/W", image.get("/Width"))), int(image.get("/H", image.get("/Height")))


def images(pdf: Path) -> list[tuple[int, int]]:
    """Width and height of each image the pages draw (``pdfimages -list``): soft masks too."""
    reader = PdfReader(pdf)
    found: list[tuple[int, int]] = []

    def draw(content: Any, resources: DictionaryObject) -> None:
        for operands, operator in ContentStream(content, reader).operations:
            if operator == b"INLINE IMAGE":
                found.append(_size(operands["settings"]))
                continue
            if operator == b"Do":
                kind = "/XObject"
            elif operator in (b"scn", b"SCN") and operands and isinstance(operands[-1], NameObject):
                kind = "/Pattern"
            else:
                continue
            drawn = resources[kind].get_object()[operands[-1]].get_object()
            if drawn.get("/Subtype") == "/Image":
                found.extend(_size(i.get_object()) for i in (drawn, drawn.get("/SMask")) if i)
            elif drawn.get("/Subtype") == "/Form" or drawn.get("/PatternType") == 1:
                draw(drawn, drawn.get("/Resources", resources).get_object())

    for page in reader.pages:
        draw(page.get_contents(), page["/Resources"].get_object())
    return found
