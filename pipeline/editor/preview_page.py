"""The pages ``monograph preview`` shows: a chapter as the PDF's HTML, its findings, an index.

A chapter is printed by the chapter handout's template (``chapter.html.j2``) from the same
plan and inline renderer as the PDF; the preview only adds what a screen needs around it: the
fonts and ``print.css`` by the server's own addresses, a screen stylesheet, the findings, and
a small script that reloads the page when the source changes. The renderer's inline printer
is extended, for the preview alone, to put a marker before the text of each bullet, caption
or table cell whose source lines hold a finding: the PDF's and the EPUB's bytes never change.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from pipeline.diagnostics import Diagnostic
from pipeline.model import Book, Figure, Inline, Text
from pipeline.model.walk import inlines
from pipeline.render.annotate import overlay_svg
from pipeline.render.fonts import FACES
from pipeline.render.html import ChapterView, render_template
from pipeline.render.inline import InlineRenderer
from pipeline.render.plan import ChapterPlan
from pipeline.render.stamp import Stamp

ASSET_PREFIX = "/assets/"
"""Where the renderer's ``css/`` and ``fonts/`` are served (``gate.asset_file`` decides)."""
IMAGE_PREFIX = "/image/"
"""Where a figure's checked image (or its annotated SVG) is served, by its SHA-256."""

SCREEN_CSS = """
html { font-size: 16px; background: #f4f6f8; }
body { max-width: 46rem; margin: 0 auto; padding: 1.5rem 1.25rem 4rem; background: #fff; }
.figure img { max-width: 100%; height: auto; }
.vh { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%);
  white-space: nowrap; }
.preview-findings { font: 14px/1.4 "Monograph Sans", "Monograph Symbols", sans-serif;
  border: 1px solid #d0a040; background: #fff8e6; padding: 0.5rem 1rem; margin-bottom: 1.5rem; }
.preview-findings h2 { font-size: 15px; margin: 0.25rem 0; }
.preview-findings ol { padding-left: 1.25rem; margin: 0.25rem 0; }
.preview-findings code { font-family: monospace; }
.preview-findings .error { color: #a23b2a; }
.preview-finding { font: bold 11px/1 sans-serif; color: #fff; background: #a23b2a;
  border-radius: 3px; padding: 1px 4px; margin-right: 4px; text-decoration: none; }
.preview-finding.warning, .preview-finding.info { background: #b86e00; }
.preview-none { color: #2f6f3e; }
"""
"""Screen widths and the findings' look; ``print.css`` sets the rest, as in the PDF."""

RELOAD_SCRIPT = """
(function () {
  var seen = %s;
  function poll() {
    fetch("/version", {cache: "no-store"}).then(function (r) { return r.text(); })
      .then(function (v) { if (v.trim() !== String(seen)) { location.reload(); } })
      .catch(function () {}).finally(function () { setTimeout(poll, 300); });
  }
  setTimeout(poll, 300);
})();
"""
"""Ask ``/version`` every 300 ms; a number other than the page's own reloads it."""


@dataclass
class Served:
    """What a rendered chapter page may load besides assets: image bytes by address."""

    html: str
    images: dict[str, tuple[bytes, str]] = field(default_factory=dict)


class MarkingInline(InlineRenderer):
    """The PDF's inline printer, with a marker before each text whose lines hold a finding.

    A bullet's text, a caption or a table cell is printed by one top-level call; the lines
    it covers run from its first node's line to its last node's (a text's own line breaks
    counted). Each finding is marked once, at the first text that covers its line.
    """

    def __init__(self, plan: ChapterPlan, report: list[Diagnostic], found: Sequence[Numbered]):
        super().__init__(plan, report)
        self.found = found
        self.placed: set[int] = set()
        self._depth = 0

    def __call__(self, items: Iterable[Inline]) -> Markup:
        """The HTML of ``items``, after the markers of the findings on their lines."""
        items = list(items)
        self._depth += 1
        try:
            body = super().__call__(items)
        finally:
            self._depth -= 1
        if self._depth or not items:
            return body
        return self._markers(_lines(items)) + body

    def _markers(self, lines: tuple[int, int]) -> Markup:
        here = [
            n for n in self.found if lines[0] <= n.line <= lines[1] and n.number not in self.placed
        ]
        self.placed.update(n.number for n in here)
        return Markup("").join(_marker(n) for n in here)


@dataclass(frozen=True)
class Numbered:
    """A finding in the chapter's file and its number in the page's findings list."""

    number: int
    diagnostic: Diagnostic

    @property
    def line(self) -> int:
        """The finding's line in the chapter file."""
        return self.diagnostic.span.line


def _lines(items: list[Inline]) -> tuple[int, int]:
    every = list(inlines(items))
    ends = [n.span.line + (n.text.count("\n") if isinstance(n, Text) else 0) for n in every]
    return min(n.span.line for n in every), max(ends)


def _marker(numbered: Numbered) -> Markup:
    d = numbered.diagnostic
    return Markup(
        '<a class="preview-finding {}" id="at-{}" href="#finding-{}" title="{}: {}">{}</a>'
    ).format(d.severity.value, numbered.number, numbered.number, d.code, d.message, d.code)


def chapter_page(
    book: Book, plan: ChapterPlan, stamp: Stamp, found: list[Diagnostic], version: int
) -> Served:
    """The chapter handout's HTML for a screen, its findings listed and marked at their text."""
    rel = plan.chapter.span.path
    mine = [Numbered(i, d) for i, d in enumerate(found, 1) if d.span.path == rel]
    inline = MarkingInline(plan, [], mine)
    meta = {"title": plan.chapter.meta.title, "authors": [], "description": "", "keywords": []}
    html = render_template("chapter.html.j2", book, stamp, view=ChapterView(plan, inline),
                           meta=meta)  # fmt: skip
    images: dict[str, tuple[bytes, str]] = {}
    for view in plan.figures.values():
        if view.image_uri and view.picture_uri and view.figure.image:
            address, served = _image(view.figure)
            images[address] = served
            html = html.replace(f'src="{escape(view.picture_uri)}"', f'src="{address}"')
    panel = findings_panel(found, rel, inline.placed)
    return Served(_page(html, panel, version), images)


def _image(figure: Figure) -> tuple[str, tuple[bytes, str]]:
    """The address and bytes of a figure's picture: its checked image, or the annotated SVG.

    An SVG shown by ``<img>`` loads nothing else, so the image goes inside it as data.
    """
    image = figure.image
    assert image is not None
    if not figure.annotations:
        return f"{IMAGE_PREFIX}{image.sha256}", (image.data, image.media_type)
    data = f"data:{image.media_type};base64,{base64.b64encode(image.data).decode()}"
    return f"{IMAGE_PREFIX}{image.sha256}.svg", (overlay_svg(figure, data), "image/svg+xml")


def findings_panel(found: list[Diagnostic], rel: str | None, marked: set[int]) -> str:
    """The findings as a numbered list of ``PATH:LINE:COL CODE message``.

    With ``rel``, the findings of that chapter file and of files that are no chapter's;
    those marked in the text link to their marker.
    """
    rows = []
    for number, d in enumerate(found, 1):
        if rel is not None and d.span.path != rel and d.span.path.startswith("chapters/"):
            continue
        place = escape(str(d.span))
        if number in marked:
            place = Markup('<a href="#at-{}">{}</a>').format(number, place)
        rows.append(
            Markup('<li id="finding-{}"><code>{}</code> <b class="{}">{}</b> {}{}</li>').format(
                number, place, d.severity.value, d.code, d.message,
                Markup(" <i>{}</i>").format(d.hint) if d.hint else "",
            )
        )  # fmt: skip
    if not rows:
        return (
            '<section class="preview-findings"><p class="preview-none">No findings.</p></section>'
        )
    title = f"{len(rows)} finding{'s' if len(rows) != 1 else ''}"
    return (
        f'<section class="preview-findings" aria-label="Findings"><h2>{title}</h2>'
        f"<ol>{''.join(rows)}</ol></section>"
    )


def index_page(title: str, chapters: list[tuple[str, str]], panel: str, version: int) -> str:
    """The list of chapters, each linking to its preview, above the book's findings."""
    items = "".join(
        Markup('<li><a href="/chapter/{}">{}</a></li>').format(cid, name) for cid, name in chapters
    )
    body = Markup("<h1>{}</h1>").format(title) + Markup(f"<ul>{items}</ul>")
    html = (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<title>{escape(title)}</title>\n</head>\n<body class="preview-index">\n{body}\n'
        "</body>\n</html>\n"
    )
    return _page(html, panel, version)


def _page(html: str, panel: str, version: int) -> str:
    """``html`` with the screen's fonts, stylesheets and reload script, the panel first."""
    faces = "".join(
        f'@font-face {{ font-family: "{f.family}"; src: url("{ASSET_PREFIX}fonts/{f.file}"); '
        f"font-weight: {f.weight}; font-style: {f.style}; }}\n"
        for f in FACES
    )
    head = (
        f"<style>{faces}</style>\n"
        f'<link rel="stylesheet" href="{ASSET_PREFIX}css/print.css">\n'
        f"<style>{SCREEN_CSS}</style>\n<script>{RELOAD_SCRIPT % version}</script>\n"
    )
    html = html.replace("</head>", head + "</head>", 1)
    start = html.index("<body")
    start = html.index(">", start) + 1
    return html[:start] + "\n" + panel + html[start:]
