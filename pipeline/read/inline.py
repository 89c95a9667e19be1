"""Inline tokens to model nodes, each with its span; what the format forbids is reported."""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from markdown_it.token import Token

from pipeline.diagnostics import Sink
from pipeline.model import inline as nodes
from pipeline.model.book import Comment
from pipeline.model.span import Span

MAX_INLINE_DEPTH = 8
"""Emphasis, strong, links, superscripts and subscripts nest at most this deep."""

Locate = Callable[[int, str], Span]
"""Maps (offset in the inline source, text found there) to a span in the file."""

_CONTAINERS: dict[str, type[nodes.Emph | nodes.Strong | nodes.Sup | nodes.Sub]] = {
    "em": nodes.Emph,
    "strong": nodes.Strong,
    "sup": nodes.Sup,
    "sub": nodes.Sub,
}


class LineLocator:
    """Locates offsets of a block's inline content, whose lines are suffixes of file lines."""

    def __init__(
        self, path: str, file_lines: list[str], first_line: int, content: str, *, shift: int = 0
    ) -> None:
        """``first_line`` counts in ``file_lines``; ``shift`` lines are added to every span."""
        self.path = path
        self.offsets: list[int] = []
        self.places: list[tuple[int, int]] = []
        offset = 0
        for index, text in enumerate(content.split("\n")):
            number = first_line + index
            source = file_lines[number - 1] if 0 < number <= len(file_lines) else ""
            self.offsets.append(offset)
            self.places.append((number + shift, _column_of(source, text)))
            offset += len(text) + 1

    def __call__(self, offset: int, _text: str = "") -> Span:
        """Return the span of ``offset``."""
        index = max(bisect.bisect_right(self.offsets, offset) - 1, 0)
        line, column = self.places[index]
        return Span(path=self.path, line=line, column=column + offset - self.offsets[index])


def _column_of(source: str, text: str) -> int:
    stripped, wanted = source.rstrip(), text.rstrip()
    if wanted and stripped.endswith(wanted):
        return len(stripped) - len(wanted) + 1
    found = source.find(wanted) if wanted else -1
    return found + 1 if found >= 0 else len(source) - len(source.lstrip()) + 1


class SearchLocator:
    """Locates inline nodes of a YAML scalar (a caption) by finding their text in the raw YAML."""

    def __init__(self, path: str, raw: str, line: int, column: int) -> None:
        self.path, self.raw, self.line, self.column = path, raw, line, column
        self.cursor = 0

    def __call__(self, _offset: int, text: str) -> Span:
        """Return the span of the next occurrence of ``text``."""
        found = self.raw.find(text, self.cursor) if text else -1
        if found < 0:
            found = self.cursor
        else:
            self.cursor = found + len(text)
        before = self.raw[:found]
        newlines = before.count("\n")
        if newlines == 0:
            return Span(path=self.path, line=self.line, column=self.column + found)
        return Span(path=self.path, line=self.line + newlines, column=found - before.rfind("\n"))


@dataclass
class _Frame:
    kind: str
    span: Span
    attrs: dict[str, Any] = field(default_factory=dict)
    children: list[nodes.Inline] = field(default_factory=list)


class InlineBuilder:
    """Builds model nodes from one inline token's children.

    ``caption`` is true for figure captions, the only place annotation markers may stand.
    """

    def __init__(self, locate: Locate, report: Sink, *, caption: bool = False) -> None:
        self.locate, self.report, self.caption = locate, report, caption
        self.cursor = 0
        self.comments: list[Comment] = []

    def build(self, content: str, tokens: list[Token]) -> list[nodes.Inline]:
        """Return the nodes for ``tokens``, parsed from ``content``.

        Markup nested deeper than ``MAX_INLINE_DEPTH`` is reported once (S117) and dropped,
        its text kept, so no later stage meets a tree thousands of levels deep.
        """
        stack = [_Frame("root", self.locate(0, ""))]
        dropped = 0
        for token in tokens:
            span = self._span(content, token)
            if token.type.endswith("_open") and (dropped or len(stack) > MAX_INLINE_DEPTH):
                if not dropped:
                    message = f"markup nested deeper than {MAX_INLINE_DEPTH} levels"
                    self.report.add("S117", span, message)
                dropped += 1
            elif token.type.endswith("_close") and dropped:
                dropped -= 1
            elif token.type.endswith("_open"):
                stack.append(self._open(token, span))
            elif token.type.endswith("_close") and len(stack) > 1:
                frame = stack.pop()
                stack[-1].children.extend(self._close(frame))
            else:
                stack[-1].children.extend(self._leaf(token, span))
        while len(stack) > 1:
            frame = stack.pop()
            stack[-1].children.extend(self._close(frame))
        return _merge_text(stack[0].children)

    def _span(self, content: str, token: Token) -> Span:
        needle = token.content
        offset = token.meta.get("offset")
        if offset is None:
            found = content.find(needle, self.cursor) if needle else -1
            offset = found if found >= 0 else self.cursor
        self.cursor = max(self.cursor, offset)
        return self.locate(offset, needle)

    def _open(self, token: Token, span: Span) -> _Frame:
        kind = token.type.removesuffix("_open")
        frame = _Frame(kind, span)
        if kind == "link":
            href = str(token.attrGet("href") or "")
            frame.attrs["href"] = href
            if not href.lower().startswith(("http://", "https://")):
                self.report.add("S115", span, f"link to '{href}' is not an http(s) address")
                frame.kind = "unwrap"
        return frame

    def _close(self, frame: _Frame) -> list[nodes.Inline]:
        if frame.kind == "link":
            children = _merge_text(frame.children)
            return [nodes.Link(span=frame.span, href=frame.attrs["href"], children=children)]
        if frame.kind in _CONTAINERS:
            return [_CONTAINERS[frame.kind](span=frame.span, children=_merge_text(frame.children))]
        return frame.children

    def _leaf(self, token: Token, span: Span) -> list[nodes.Inline]:
        kind = token.type
        if kind in ("text", "text_special"):
            return [nodes.Text(span=span, text=token.content)] if token.content else []
        if kind in ("softbreak", "hardbreak"):
            return [nodes.Text(span=span, text=" ")]
        if kind == "code_inline":
            return [nodes.Code(span=span, text=token.content)]
        if kind == "citation":
            return self._citation(token, span)
        if kind == "at_ref":
            return self._at_ref(token, span)
        if kind == "marker":
            return self._marker(token, span)
        if kind == "html_inline" and is_comment(token.content):
            self.comments.append(Comment(span=span, text=token.content))
        elif kind == "html_inline":
            self.report.add("S111", span, f"raw HTML '{token.content}' is not allowed")
        elif kind == "image":
            self.report.add("S114", span, "images are declared as figures, not in the text")
        return []

    def _citation(self, token: Token, span: Span) -> list[nodes.Inline]:
        keys: list[str] = token.meta["keys"]
        for key in keys:
            if key.startswith("fig-"):
                self.report.add(
                    "X110", span, f"figure '{key}' is cited in brackets; write @{key} bare"
                )
        kept = [k for k in keys if not k.startswith("fig-")]
        return [nodes.Citation(span=span, keys=kept)] if kept else []

    def _at_ref(self, token: Token, span: Span) -> list[nodes.Inline]:
        target: str = token.meta["target"]
        if target.startswith("fig-"):
            return [nodes.FigRef(span=span, id=target)]
        self.report.add("X110", span, f"'@{target}' is a bare citation; write [@{target}]")
        return [nodes.Text(span=span, text=token.content)]

    def _marker(self, token: Token, span: Span) -> list[nodes.Inline]:
        kind: str = token.meta["kind"]
        if not self.caption:
            self.report.add("F107", span, f"marker '{{{kind}}}' outside a figure caption")
            return []
        if kind not in nodes.MARKER_KINDS:
            self.report.add("F106", span, f"unknown annotation marker '{{{kind}}}'")
            return []
        return [nodes.Marker(span=span, kind=kind)]


def is_comment(html: str) -> bool:
    """An HTML comment: kept (as an editor's note or a lint directive), never rendered."""
    text = html.strip()
    return text.startswith("<!--") and text.endswith("-->")


def _merge_text(items: list[nodes.Inline]) -> list[nodes.Inline]:
    """Join neighbouring text nodes that stand side by side in the source, keeping the first span.

    A text node never crosses a line break, and is joined only to one that starts where it
    ends, so character ``i`` of it stands at its span's column plus ``i``: that is how the
    linter maps a match back to line and column. Text written otherwise than it reads (an
    entity such as ``&amp;``) ends a node, or every column after it would be off.
    """
    merged: list[nodes.Inline] = []
    for node in items:
        last = merged[-1] if merged else None
        if (
            isinstance(node, nodes.Text)
            and isinstance(last, nodes.Text)
            and node.span.line == last.span.line
            and node.span.column == last.span.column + len(last.text)
        ):
            merged[-1] = nodes.Text(span=last.span, text=last.text + node.text)
        else:
            merged.append(node)
    return merged
