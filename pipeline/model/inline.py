"""Inline content: the phrasing inside bullets, headings and captions."""

from __future__ import annotations

from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

from pipeline.model.span import Span

MarkerKind = Literal["arrow", "open-arrow", "curved-arrow", "arrowhead", "asterisk"]
MARKER_KINDS: tuple[str, ...] = get_args(MarkerKind)
"""Annotation markers a figure caption may use, written ``{arrow}`` and so on."""


class _Node(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    span: Span


class Text(_Node):
    """Plain text; soft line breaks are already joined into single spaces."""

    type: Literal["text"] = "text"
    text: str


class Code(_Node):
    """Literal text written between backticks."""

    type: Literal["code"] = "code"
    text: str


class _Container(_Node):
    children: list[Inline]


class Emph(_Container):
    """Emphasis (``*text*``)."""

    type: Literal["emph"] = "emph"


class Strong(_Container):
    """Strong emphasis (``**text**``)."""

    type: Literal["strong"] = "strong"


class Sup(_Container):
    """Superscript (``^99m^``)."""

    type: Literal["sup"] = "sup"


class Sub(_Container):
    """Subscript (``H~2~O``)."""

    type: Literal["sub"] = "sub"


class Link(_Container):
    """A hyperlink to an http(s) address; never fetched by the pipeline."""

    type: Literal["link"] = "link"
    href: str


class Citation(_Node):
    """A citation of one or more references (``[@key]`` or ``[@a; @b]``)."""

    type: Literal["citation"] = "citation"
    keys: list[str]


class FigRef(_Node):
    """A reference to a figure of the same chapter (``@fig-id``)."""

    type: Literal["figref"] = "figref"
    id: str


class Marker(_Node):
    """An annotation marker in a figure caption (``{arrow}``), drawn as a glyph with a text."""

    type: Literal["marker"] = "marker"
    kind: str
    """One of ``MARKER_KINDS`` (``arrow``, ``open-arrow``, …)."""


Inline = Annotated[
    Text | Code | Emph | Strong | Sup | Sub | Link | Citation | FigRef | Marker,
    Field(discriminator="type"),
]

for _cls in (Emph, Strong, Sup, Sub, Link):
    _cls.model_rebuild()
