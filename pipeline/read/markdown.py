"""A chapter body as a tree of headings, bullet lists and other blocks, each with its span."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it.common.utils import MD_TRIM_CHARS, mdTrim
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode

from pipeline.diagnostics import Sink
from pipeline.model.book import Comment
from pipeline.model.inline import Inline
from pipeline.model.span import Span
from pipeline.model.walk import plain_text
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

MAX_ELEMENTS = 20_000
"""A chapter body holds at most this many elements (headings, bullets, paragraphs, and the
runs of text, emphasis, code and links inside them): a chapter at the limit renders within
the build's memory budget (docs/performance.md has the measurements)."""


class BodyReader:
    """Reads a chapter body; ``first_line`` is the file line (1-based) the body starts on."""

    def __init__(self, path: str, body: str, first_line: int, report: Sink) -> None:
        self.path, self.report = path, report
        self.lines = body.split("\n")
        self.shift = first_line - 1
        self.inlines: list[Inline] = []
        """Every inline node read, including those of blocks validation later rejects."""
        self.comments: list[Comment] = []
        self.too_large = False
        """The body has more than ``MAX_ELEMENTS`` elements (S118): it was not read."""

    def read(self) -> list[Block]:
        """Parse the body and return its top-level blocks."""
        outline = _outline(self.lines)
        if outline is not None:
            return self._from_outline(outline)
        tokens = parser().parse("\n".join(self.lines), {})
        if self._over_limit(tokens):
            return []
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

    def _from_outline(self, outline: list[_Line]) -> list[Block]:
        """Blocks of a body read by the fast path; inline content still goes to markdown-it."""
        md = parser()
        state = StateCore("", md, {})
        for line in outline:  # document order, as markdown-it's own inline pass goes
            content = line.token.content
            if content and md.inline.terminator_re.search(content) is None:
                # No character any inline rule reacts to: the text rule would take it all
                # as one text token (and note where its pending text began, as it does).
                line.token.children = [Token("text", "", 0, content=content)]
                state.env["_pending_start"] = 0
            else:
                line.token.children = []
                md.inline.parse(content, md, state.env, line.token.children)
                state.tokens.append(line.token)
        for rule in md.core.ruler.getRules(""):
            if rule.__name__ not in _CORE_RULES_DONE:
                rule(state)
        # The fast path holds each line's inline token only; the full parser would also have
        # opened a heading, or an item and its paragraph.
        opened = sum(1 if line.level else 2 for line in outline)
        if self._over_limit([line.token for line in outline], opened):
            return []
        blocks: list[Block] = []
        for line in outline:
            if line.level:
                text = plain_text(self._outline_inline(line)).strip()
                blocks.append(Heading(self._line_span(line.index), line.level, text))
            elif line.parent is None:
                if not blocks or not isinstance(blocks[-1], BulletList) or line.first:
                    blocks.append(BulletList(self._line_span(line.index), []))
                last = blocks[-1]
                assert isinstance(last, BulletList)
                last.items.append(self._outline_item(line))
        return blocks

    def _over_limit(self, tokens: list[Token], opened: int = 0) -> bool:
        """Report S118 if the body has more than ``MAX_ELEMENTS`` elements.

        An element is a token that opens something or stands alone, inline ones included;
        ``opened`` adds those the caller holds no token for.
        """
        count = opened
        for token in tokens:
            children = token.children or []  # both paths count before children are moved
            count += not token.type.endswith("_close")
            count += sum(not child.type.endswith("_close") for child in children)
        if count <= MAX_ELEMENTS:
            return False
        self.too_large = True
        span = Span(path=self.path, line=1 + self.shift, column=1)
        message = (
            f"the chapter's body has {count:,} elements; a chapter holds at most {MAX_ELEMENTS:,}"
        )
        self.report.add("S118", span, message)
        return True

    def _outline_item(self, line: _Line) -> Item:
        item = Item(self._line_span(line.index))
        item.content = self._outline_inline(line)
        item.children = [self._outline_item(child) for child in line.children]
        return item

    def _line_span(self, start: int) -> Span:
        text = self.lines[start] if start < len(self.lines) else ""
        column = len(text) - len(text.lstrip()) + 1
        return Span(path=self.path, line=start + 1 + self.shift, column=column)

    def _outline_inline(self, line: _Line) -> list[Inline]:
        return self._inline_of(line.index, line.token.content, line.token.children or [])

    def _inline_of(self, start: int, content: str, children: list[Token]) -> list[Inline]:
        """Model nodes of the inline ``content`` that starts on line index ``start``."""
        locate = LineLocator(self.path, self.lines, start + 1, content, shift=self.shift)
        builder = InlineBuilder(locate, self.report)
        nodes = builder.build(content, children)
        self.inlines.extend(nodes)
        self.comments.extend(builder.comments)
        return nodes

    def _span(self, node: SyntaxTreeNode) -> Span:
        return self._line_span(node.map[0] if node.map else 0)

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
        return self._inline_of(inline.map[0], token.content, token.meta.get("children", []))


_CORE_RULES_DONE = {"normalize", "block", "inline"}
_HEADING = re.compile(r"(#{1,6}) +(.*)")
_BULLET = re.compile(r"( *)- (.*)")
_ORDERED = re.compile(r"[0-9]{1,9}[.)](?: |$)")
_FAST_DEPTH = 5
_NOT_FAST = re.compile(r"[\t\r\0]|\]:")
"""A tab, a carriage return, a NUL, or ``]:``: every link reference definition holds ``]:``
(its label's closing bracket and the colon, on one line), and a label may hold an escaped
``\\]`` or span lines, so no test of a line's start finds them all. The fast path's inline
pass knows no definitions: ``[text][x]`` would stay text there, while markdown-it makes it a
link whose scheme validation checks (S115). A body that could define one is markdown-it's."""


@dataclass
class _Line:
    """A heading (``level`` > 0) or a bullet of the fast path, with its inline token."""

    index: int
    level: int
    token: Token
    parent: _Line | None = None
    first: bool = False
    """A bullet that starts a new top-level list (the previous block was a heading)."""
    indent: int = 0
    children: list[_Line] = field(default_factory=list)


def _outline(lines: list[str]) -> list[_Line] | None:
    """Headings and ``-`` bullets read line by line, or None for anything else.

    Nearly every chapter body is only ATX headings and ``- `` bullets nested by two spaces,
    each bullet one paragraph, maybe continued on lines indented to its text. Such a body is
    read here, about ten times faster than markdown-it's block parser, into the same blocks
    (tests/read/test_markdown_fast.py holds the two to the same result). Any other line
    (a comment, a quote, a paragraph, a tab, odd indentation, a lazy continuation, bullets
    nested past the format's limit, anything that could be a link reference definition) returns
    None, and markdown-it reads the whole body.
    """
    outline: list[_Line] = []
    stack: list[_Line] = []  # the open bullets, outermost first
    paragraph: list[str] | None = None  # lines of the open bullet's paragraph
    after_heading = True
    for index, line in enumerate(lines):
        if _NOT_FAST.search(line):
            return None
        if not line.strip(" "):
            paragraph = None
            continue
        heading = _HEADING.fullmatch(line)
        if heading:
            content = mdTrim(heading.group(2))
            if not content or content.endswith("#") or content[0] != heading.group(2)[0]:
                return None
            outline.append(_Line(index, len(heading.group(1)), _inline_token(content)))
            stack, paragraph, after_heading = [], None, True
            continue
        bullet = _BULLET.fullmatch(line)
        if bullet is None:
            if paragraph is None or not stack or not _continues(line, stack[-1], paragraph):
                return None
            stack[-1].token.content = mdTrim("\n".join(paragraph))
            continue
        indent, text = len(bullet.group(1)), bullet.group(2)
        if not _plain_start(text):
            return None
        sibling = None
        while stack and indent < stack[-1].indent + 2:  # close bullets this one is not inside
            sibling = stack.pop()
        if sibling is not None and indent != sibling.indent:
            return None
        if sibling is None and indent != (stack[-1].indent + 2 if stack else 0):
            return None
        if len(stack) >= _FAST_DEPTH:  # deeper, markdown-it's own nesting limit applies
            return None
        paragraph = [text]
        node = _Line(index, 0, _inline_token(mdTrim(text)), indent=indent)
        if stack:
            node.parent = stack[-1]
            stack[-1].children.append(node)
        else:
            node.first, after_heading = after_heading, False
        stack.append(node)
        outline.append(node)
    return outline


def _continues(line: str, bullet: _Line, paragraph: list[str]) -> bool:
    """True for a line continuing the bullet's paragraph, indented exactly to its text."""
    column = bullet.indent + 2
    if line[:column].strip(" ") or not _plain_start(line[column:]):
        return False
    paragraph.append(line[column:])
    return True


def _plain_start(text: str) -> bool:
    """True when ``text`` can only be paragraph text, never the start of another block."""
    if not text or text[0] in MD_TRIM_CHARS or text[0] in "#>-+=:`~<|":
        return False
    if text[0] in "*_" and (text[1:2] in ("", " ") or not text.strip("*_ ")):
        return False
    return not (text[0].isdigit() and _ORDERED.match(text))


def _inline_token(content: str) -> Token:
    return Token("inline", "", 0, content=content, children=[])


def _first_line(node: SyntaxTreeNode) -> str:
    text = node.content.strip().split("\n")[0]
    return text if len(text) <= 40 else text[:37] + "..."
