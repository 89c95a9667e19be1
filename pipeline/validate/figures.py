"""Figures: image paths kept inside ``source/figures/``, files that exist, alt text, captions."""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.codes import Reporter
from pipeline.model.book import Figure
from pipeline.model.inline import Inline
from pipeline.model.source import FigureSource, Status
from pipeline.model.span import Span
from pipeline.read.inline import InlineBuilder, SearchLocator
from pipeline.read.mdparser import parser
from pipeline.read.yaml import YamlDoc

FIGURES_DIR = "figures"
MAX_ALT = 150
_FILE_NAME = re.compile(r"[^\s/\\]+\.(?:png|jpe?g|gif|webp|svg|tiff?|bmp|dcm|heic)", re.IGNORECASE)
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)
_SIGNATURES: tuple[tuple[bytes, int], ...] = (
    (b"\x89PNG\r\n\x1a\n", 0),
    (b"\xff\xd8\xff", 0),
    (b"GIF87a", 0),
    (b"GIF89a", 0),
    (b"WEBP", 8),
)


class FigureChecker:
    """Checks one chapter's figures and returns them with parsed captions and checked paths."""

    def __init__(self, root: Path, doc: YamlDoc, status: Status, report: Reporter) -> None:
        self.root, self.doc, self.status, self.report = root, doc, status, report

    def check(self, index: int, source: FigureSource) -> Figure:
        """Return the model figure for ``figures[index]``, reporting what is wrong with it."""
        loc = ("figures", index)
        self._alt(source, loc)
        image_path = self._image(source, loc)
        return Figure(
            **source.model_dump(),
            span=self.doc.span(loc),
            caption_inlines=self._caption(source.caption, (*loc, "caption")),
            image_path=image_path,
        )

    def _alt(self, figure: FigureSource, loc: tuple[str | int, ...]) -> None:
        span = self.doc.span((*loc, "alt"))
        alt = figure.alt
        if _FILE_NAME.fullmatch(alt) or (figure.image and alt == Path(figure.image).name):
            self.report.add("F104", span, f"alt text of {figure.id} is a file name: '{alt}'")
        if len(alt) > MAX_ALT:
            self.report.add(
                "F105", span, f"alt text of {figure.id} has {len(alt)} characters (max {MAX_ALT})"
            )

    def _image(self, figure: FigureSource, loc: tuple[str | int, ...]) -> str | None:
        if figure.image is None:
            if self.status != "draft":
                message = f"{figure.id} has no image and the chapter is '{self.status}'"
                self.report.add("F103", self.doc.span(loc), message)
            return None
        span = self.doc.span((*loc, "image"))
        name = figure.image
        if not _safe_name(name):
            self.report.add("F101", span, f"image path '{name}' leaves source/figures/")
            return None
        name = "/".join(part for part in name.split("/") if part != ".")
        base = (self.root / FIGURES_DIR).resolve()
        target = (base / name).resolve()
        if not target.is_relative_to(base):
            self.report.add("F101", span, f"image path '{name}' resolves outside source/figures/")
            return None
        return self._file(target, name, span)

    def _file(self, target: Path, name: str, span: Span) -> str | None:
        if not target.is_file():
            self.report.add("F102", span, f"image file 'figures/{name}' does not exist")
            return None
        with target.open("rb") as handle:
            head = handle.read(16)
        if not any(head[at : at + len(sig)] == sig for sig, at in _SIGNATURES):
            self.report.add("F108", span, f"'figures/{name}' is not a PNG, JPEG, GIF or WebP image")
            return None
        return f"{FIGURES_DIR}/{name}"

    def _caption(self, caption: str, loc: tuple[str | int, ...]) -> list[Inline]:
        found = self.doc.raw(loc)
        raw, where = found if found else (caption, None)
        line = where.line if where else 1
        column = where.column if where else 1
        locate = SearchLocator(self.doc.path, raw, line, column)
        text = _unfolded(raw, caption)
        tokens = parser().parseInline(text, {})
        children = tokens[0].children or [] if tokens else []
        return InlineBuilder(locate, self.report, caption=True).build(text, children)


def _unfolded(raw: str, value: str) -> str:
    """The caption with the line breaks YAML folded away put back, when that is the same text.

    Markdown reads a line break as a space, so the caption reads the same, while each text
    node stays on one source line and lint findings point at the right line and column.
    """
    lines = raw.split("\n")
    if lines and lines[0].lstrip().startswith((">", "|")):
        lines = lines[1:]
    text = "\n".join(line.strip() for line in lines).strip()
    return text if text.split() == value.split() and "\n" in text else value


def _safe_name(name: str) -> bool:
    """A relative path of plain segments: no drive, scheme, backslash, '..' or encoded dots."""
    if name.startswith(("/", "~")) or "\\" in name or _SCHEME.match(name) or "\x00" in name:
        return False
    if "%2e" in name.lower() or "%2f" in name.lower():
        return False
    parts = [part for part in name.split("/") if part != "."]
    return bool(parts) and all(part not in ("", "..") for part in parts)
