"""A chapter body as a tree of headings, bullet lists and other blocks, each with its span."""

from __future__ import annotations

from dataclasses import dataclass, field

from markdown_it.tree import SyntaxTreeNode

from pipeline.codes import Reporter
from pipeline.model.book import Comment
from pipeline.model.inline import Inline, plain_text
from pipeline.model.span import Span
from pipeline.read.inline import InlineBuilder, LineLocator, is_comment
from pipeline.read.mdparser import parser

_OTHER_KINDS = {
    "paragraph": "prose paragraph",
    "ordered_list": "numbered list",
    "code_block": "code block",
    "fence": "code block",
    "blockquote": "block quote",
    "hr": "horizontal rule",
    "table": "table",
}


@dataclass
class Heading:
    """``#`` (level 1), ``##`` (level 2) or deeper."""

    span: Span
    level: int
    text: str


@dataclass
class Item:
    """A bullet: its first paragraph, nested bullets, and any blocks the format does not take."""

    span: Span
    content: list[Inline] = field(default_factory=list)
    children: list[Item] = field(default_factory=list)
    others: list[Other] = field(default_factory=list)


@dataclass
class BulletList:
    """A ``-`` list."""

    span: Span
    items: list[Item]


@dataclass
class Other:
    """A block the skeleton has no place for; validation reports it."""

    span: Span
    kind: str


Block = Heading | BulletList | Other


class BodyReader:
    """Reads a chapter body; ``first_line`` is the file line (1-based) the body starts on."""

    def __init__(self, path: str, body: str, first_line: int, report: Reporter) -> None:
        self.path, self.report = path, report
        self.lines = body.split("\n")
        self.shift = first_line - 1
        self.inlines: list[Inline] = []
        """Every inline node read, including those of blocks validation later rejects."""
        self.comments: list[Comment] = []

    def read(self) -> list[Block]:
        """Parse the body and return its top-level blocks."""
        tokens = parser().parse("\n".join(self.lines), {})
        for token in tokens:
            # The inline builder walks inline children with its own stack; the tree need not
            # (it would recurse once per level, and emphasis may nest thousands deep).
            if token.type == "inline":
                token.meta["children"], token.children = token.children or [], None
        tree = SyntaxTreeNode(tokens)
        blocks: list[Block] = []
        for node in tree.children:
            block = self._block(node)
            if block is not None:
                blocks.append(block)
        return blocks

    def _span(self, node: SyntaxTreeNode) -> Span:
        start = node.map[0] if node.map else 0
        text = self.lines[start] if start < len(self.lines) else ""
        column = len(text) - len(text.lstrip()) + 1
        return Span(path=self.path, line=start + 1 + self.shift, column=column)

    def _block(self, node: SyntaxTreeNode) -> Block | None:
        span = self._span(node)
        if node.type == "heading":
            return Heading(span, int(node.tag[1:]), plain_text(self._inline(node)).strip())
        if node.type == "bullet_list":
            return BulletList(span, [self._item(child) for child in node.children])
        if node.type == "html_block" and is_comment(node.content):
            self.comments.append(Comment(span=span, text=node.content.strip()))
            return None
        if node.type == "html_block":
            self.report.add("S111", span, f"raw HTML block '{_first_line(node)}' is not allowed")
            return None
        if node.type == "paragraph":
            self._inline(node)
        return Other(span, _OTHER_KINDS.get(node.type, node.type))

    def _item(self, node: SyntaxTreeNode) -> Item:
        item = Item(self._span(node))
        for index, child in enumerate(node.children):
            if child.type == "paragraph" and index == 0:
                item.content = self._inline(child)
            elif child.type == "bullet_list":
                item.children.extend(self._item(grand) for grand in child.children)
            else:
                block = self._block(child)
                if isinstance(block, Other):
                    item.others.append(block)
        return item

    def _inline(self, node: SyntaxTreeNode) -> list[Inline]:
        inline = node.children[0] if node.children else None
        if inline is None or inline.type != "inline" or inline.map is None:
            return []
        token = inline.token if hasattr(inline, "token") else None
        if token is None:
            return []
        first = inline.map[0] + 1
        locate = LineLocator(self.path, self.lines, first, token.content, shift=self.shift)
        builder = InlineBuilder(locate, self.report)
        nodes = builder.build(token.content, token.meta.get("children", []))
        self.inlines.extend(nodes)
        self.comments.extend(builder.comments)
        return nodes


def _first_line(node: SyntaxTreeNode) -> str:
    text = node.content.strip().split("\n")[0]
    return text if len(text) <= 40 else text[:37] + "..."
