"""Inline nodes to HTML: a small visitor that escapes every text it prints.

The visitor returns ``Markup`` built only from escaped text and fixed tags, so templates never
need ``|safe``. A node it cannot show is reported (P105) and printed as plain text, never
dropped. Citations become numbered links to the chapter's reference list, figure references
internal links ("Figure 2"), annotation markers a glyph with a text alternative.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable
from typing import Any

from markupsafe import Markup, escape

from pipeline.diagnostics import Diagnostic, finding
from pipeline.model import Inline, Span, plain_text
from pipeline.model import inline as nodes
from pipeline.render.plan import MARKER_WORDS, ChapterPlan

GLYPHS = {"arrow": "→", "open-arrow": "⇨", "curved-arrow": "↪", "arrowhead": "➤", "asterisk": "✱"}
MARKERS: dict[str, tuple[str, str]] = {kind: (GLYPHS[kind], MARKER_WORDS[kind]) for kind in GLYPHS}
"""Each annotation marker kind: the glyph printed and the words that stand for it."""

_TAGS: dict[type, str] = {
    nodes.Emph: "em",
    nodes.Strong: "strong",
    nodes.Sup: "sup",
    nodes.Sub: "sub",
}


class InlineRenderer:
    """Render inline nodes of one chapter; findings go to ``report``.

    ``figures_present`` names the figure ids printed in the same document; a reference to
    another figure is printed as its name without a link. ``None`` means every figure.
    """

    def __init__(
        self,
        plan: ChapterPlan,
        report: list[Diagnostic],
        figures_present: Container[str] | None = None,
    ) -> None:
        self.plan = plan
        self.report = report
        self.figures_present = figures_present
        self._handlers: dict[type, Callable[[Any], Markup]] = {
            nodes.Text: self._text,
            nodes.Code: self._code,
            nodes.Emph: self._container,
            nodes.Strong: self._container,
            nodes.Sup: self._container,
            nodes.Sub: self._container,
            nodes.Link: self._link,
            nodes.Citation: self._citation,
            nodes.FigRef: self._figref,
            nodes.Marker: self._marker,
        }

    def __call__(self, items: Iterable[Inline]) -> Markup:
        """Return the HTML of ``items``."""
        return Markup("").join(self._node(node) for node in items)

    def _node(self, node: Inline) -> Markup:
        handler = self._handlers.get(type(node))
        if handler is None:
            return self._unrendered(node.span, f"no renderer for inline '{node.type}'", node)
        return handler(node)

    def _unrendered(self, span: Span, message: str, node: Inline) -> Markup:
        self.report.append(finding("P105", span, message))
        return escape(plain_text([node]))

    def _text(self, node: nodes.Text) -> Markup:
        return escape(node.text)

    def _code(self, node: nodes.Code) -> Markup:
        return Markup("<code>{}</code>").format(node.text)

    def _container(self, node: nodes.Emph | nodes.Strong | nodes.Sup | nodes.Sub) -> Markup:
        tag = _TAGS[type(node)]
        return Markup(f"<{tag}>{{}}</{tag}>").format(self(node.children))

    def _link(self, node: nodes.Link) -> Markup:
        if not node.href.startswith(("https://", "http://")):
            return self._unrendered(node.span, f"link to '{node.href}' not printed", node)
        return Markup('<a class="link" href="{}">{}</a>').format(node.href, self(node.children))

    def _citation(self, node: nodes.Citation) -> Markup:
        links = []
        for key in node.keys:
            ref = self.plan.reference_for(key)
            if ref is None:
                self.report.append(finding("P105", node.span, f"no reference '{key}'"))
                links.append(Markup("?"))
                continue
            links.append(Markup('<a href="#{}">{}</a>').format(ref.anchor, ref.number))
        return Markup('<span class="cite">[{}]</span>').format(Markup(", ").join(links))

    def _figref(self, node: nodes.FigRef) -> Markup:
        view = self.plan.figures.get(node.id)
        if view is None:
            return self._unrendered(node.span, f"no figure '{node.id}'", node)
        if self.figures_present is not None and node.id not in self.figures_present:
            return Markup('<span class="figref">{}</span>').format(view.label)
        return Markup('<a class="figref" href="#{}">{}</a>').format(view.anchor, view.label)

    def _marker(self, node: nodes.Marker) -> Markup:
        if node.kind not in MARKERS:
            message = f"no glyph for marker '{node.kind}'"
            self.report.append(finding("P105", node.span, message))
            return Markup("[{}]").format(node.kind)
        return marker_html(node.kind)


def marker_html(kind: str) -> Markup:
    """Return the glyph of a marker kind with its words as text for readers who cannot see it."""
    glyph, words = MARKERS[kind]
    return Markup(
        '<span class="marker marker-{}"><span class="marker-glyph" aria-hidden="true">{}</span>'
        '<span class="vh"> ({})</span></span>'
    ).format(kind, glyph, words)
