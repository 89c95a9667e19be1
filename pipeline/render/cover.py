"""The EPUB's cover image, drawn from the book's metadata in the shipped fonts.

Pillow draws it with its basic text layout (no HarfBuzz shaping), so the same book gives the
same PNG bytes on any machine with the same Pillow and FreeType.
"""

from __future__ import annotations

import io
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from pipeline.model import Book
from pipeline.render.fonts import FONTS_DIR

COVER_SIZE = (1600, 2400)
INK, PALE, GOLD, BONE = (20, 38, 58), (214, 226, 238), (242, 165, 65), (33, 61, 90)
"""The cover's colours: background, light text, the accent rule, the vertebrae."""


def _people(book: Book) -> str:
    return ", ".join(p.name for p in (*book.meta.authors, *book.meta.editors))


def cover_alt(book: Book) -> str:
    """The cover's text alternative: what the image says."""
    meta, people = book.meta, _people(book)
    words = [f"Cover: {meta.title}", meta.subtitle, people]
    words += [] if meta.publisher == people else [meta.publisher]
    return ". ".join(w for w in words if w) + "."


def draw_cover(book: Book) -> bytes:
    """A PNG cover from the book's metadata, set in the shipped fonts; same book, same bytes."""
    meta, image = book.meta, Image.new("RGB", COVER_SIZE, INK)
    draw = ImageDraw.Draw(image)
    for row in range(9):  # a column of vertebral bodies: the monograph's motif
        top = 300 + row * 205
        draw.rounded_rectangle((1200, top, 1460, top + 160), 36, fill=BONE)
    draw.rectangle((140, 300, 360, 312), fill=GOLD)
    y = _lines(draw, meta.title, ("NotoSerif-Bold.ttf", 124), 380, "white")
    if meta.subtitle:
        _lines(draw, meta.subtitle, ("NotoSerif-Italic.ttf", 64), y + 40, PALE)
    people = _people(book)
    y = _lines(draw, people, ("NotoSans-Bold.ttf", 56), COVER_SIZE[1] - 480, "white")
    publisher = "" if meta.publisher == people else f"{meta.publisher} · "
    _lines(draw, f"{publisher}Version {meta.version}", ("NotoSans-Regular.ttf", 44), y + 30, PALE)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _lines(draw: ImageDraw.ImageDraw, text: str, face: tuple[str, int], y: int, fill: Any) -> int:
    """Draw ``text`` wrapped beside the vertebrae from ``y``; return the y below it."""
    font = ImageFont.truetype(
        str(FONTS_DIR / face[0]), face[1], layout_engine=ImageFont.Layout.BASIC
    )
    lines: list[str] = []
    for word in text.split():
        if lines and font.getlength(f"{lines[-1]} {word}") <= 1000:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    for line in lines:
        draw.text((140, y), line, font=font, fill=fill)
        y += round(face[1] * 1.22)
    return y
