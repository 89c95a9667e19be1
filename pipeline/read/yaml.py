"""A YAML loader that keeps the line and column of every key and value.

PyYAML's composer gives a node graph with marks; we turn it into plain data ourselves so that
positions survive, duplicate keys are caught (PyYAML keeps the last silently), YAML 1.1 surprises
are avoided (``no`` stays text), and anchors and aliases cannot expand without bound.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from typing import Any

import yaml
import yaml.cyaml
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from pipeline.diagnostics import Sink
from pipeline.model.span import Span
from pipeline.read.text import FORBIDDEN, MAX_LINE

Path = tuple[str | int, ...]

MAX_ALIASES = 50
MAX_DEPTH = 40
MAX_NUMBER = 100
"""A number is written in at most this many characters; a longer one is read as text (V113).

Python refuses to turn an integer of more than 4,300 digits into a string (a guard against
quadratic-time conversion), and a ``0x`` number of 3,600 hex digits has more: the first
message quoting it would stop the run. No field needs more than a few digits.
"""

_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null")}
_PLAIN_TAGS = _SCALAR_TAGS | {_TAG + "map", _TAG + "seq", _TAG + "timestamp"}


class _Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 booleans: only true/false, so ``no`` or ``on`` stay text."""


_REPLACED = {_TAG + t for t in ("bool", "int", "float")}
_INT = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT = re.compile(
    r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
)
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in _REPLACED]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
# YAML 1.2 core schema: only true/false are booleans (``no`` and ``on`` stay text), integers
# are decimal, 0o octal or 0x hex (``0123`` is 123, never 83), no sexagesimal ``1:20``.
_Loader.add_implicit_resolver(
    _TAG + "bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Loader.add_implicit_resolver(
    _TAG + "int", re.compile(rf"^(?:{_INT.pattern})$"), list("-+0123456789")
)
_Loader.add_implicit_resolver(
    _TAG + "float", re.compile(rf"^(?:{_FLOAT.pattern})$"), list("-+0123456789.")
)

_FastLoader: type | None = None
if getattr(yaml, "__with_libyaml__", False):
    _CParser: Any = yaml.cyaml.CParser  # type: ignore[attr-defined]

    class _CLoader(_CParser, SafeConstructor, Resolver):  # type: ignore[misc]
        """libyaml's parser and composer with our resolvers: the same nodes, 15x faster."""

        def __init__(self, stream: str) -> None:
            _CParser.__init__(self, stream)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)

    _CLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers
    _FastLoader = _CLoader

MAX_FAST_FLOW = 1000
"""libyaml recurses on the C stack per nesting level; deeper flow nesting than this (and any
line past the length limit, which bounds block nesting) is read by the pure-Python parser."""


def _fast_loader_fits(text: str) -> bool:
    """True when libyaml can read ``text`` safely and give the same marks as PyYAML."""
    if _FastLoader is None or "\ufeff" in text or "\t" in text:
        return False  # libyaml skips byte order marks and accepts tabs where PyYAML does not
    if text.count("[") + text.count("{") > MAX_FAST_FLOW:
        return False
    return max(map(len, text.split("\n")), default=0) <= MAX_LINE


def _compose(text: str, fast: bool) -> tuple[yaml.Node | None, Any]:
    """Compose one document; the loader is returned for tag resolution."""
    loader = _FastLoader(text) if fast and _FastLoader is not None else _Loader(text)
    try:
        return loader.get_single_node(), loader
    finally:
        loader.dispose()


@dataclass(frozen=True)
class Where:
    """A node's place: 1-based line and column in the file, and its character range."""

    line: int
    column: int
    start: int
    end: int


@dataclass
class YamlDoc:
    """Loaded data and where each key and value was written."""

    path: str
    text: str
    data: Any
    values: dict[Path, Where] = field(default_factory=dict)
    keys: dict[Path, Where] = field(default_factory=dict)

    def span(self, loc: Path, *, key: bool = False) -> Span:
        """Return the span of a value (or its key), or of its nearest known ancestor."""
        table = self.keys if key else self.values
        for n in range(len(loc), -1, -1):
            where = table.get(loc[:n]) or self.values.get(loc[:n])
            if where:
                return Span(path=self.path, line=where.line, column=where.column)
        return Span(path=self.path, line=1, column=1)

    def raw(self, loc: Path) -> tuple[str, Where] | None:
        """Return the source text of a value as written (quotes and folding included)."""
        where = self.values.get(loc)
        if where is None:
            return None
        return self.text[where.start : where.end], where


def load(text: str, path: str, report: Sink, line_offset: int = 0) -> YamlDoc | None:
    """Parse one YAML document; report problems and return None when it cannot be read."""
    node: yaml.Node | None = None
    loader: Any = None
    parsed, back = _without_unicode_breaks(text)
    if back is None:
        span = Span(path=path, line=line_offset + 1, column=1)
        report.add("R102", span, "YAML holds too many distinct characters to be read")
        return None
    if _fast_loader_fits(parsed):
        # A document libyaml refuses is read again by PyYAML, whose messages and marks are
        # the ones our diagnostics (and their tests) are written against.
        with contextlib.suppress(yaml.YAMLError, RecursionError):
            node, loader = _compose(parsed, fast=True)
    try:
        if loader is None:
            node, loader = _compose(parsed, fast=False)
    except yaml.YAMLError as err:
        message = _error_text(err).translate(back)
        report.add("R102", _error_span(err, text, path, line_offset), message)
        return None
    except RecursionError:
        span = Span(path=path, line=line_offset + 1, column=1)
        report.add("R104", span, f"YAML nested deeper than {MAX_DEPTH} levels")
        return None
    doc = YamlDoc(path=path, text=text, data=None)
    if node is None:
        doc.data = {}
        return doc
    doc.data = _Converter(doc, loader, report, line_offset, back).convert(node, (), 0)
    return doc


UNICODE_BREAKS = "\x85\u2028\u2029"
"""NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR: line breaks to YAML 1.1 (PyYAML and libyaml
count them so), ordinary characters to YAML 1.2, to editors, to ``decode`` and to the Markdown
reader. Read as breaks, one of them would move every later mark a line down, and could start
a key that an editor shows inside a value on the line before."""


STAND_INS = (range(0xE000, 0xF900), range(0xF0000, 0x110000), range(0x10000, 0xF0000))
"""Where stand-ins are taken from: private use first, then any character past U+FFFF."""


def _without_unicode_breaks(text: str) -> tuple[str, dict[int, str] | None]:
    """``text`` with each of ``UNICODE_BREAKS`` replaced by a stand-in, and the way back.

    Each stand-in is a character absent from ``text`` (private use first) that YAML reads as
    a letter, so that the parser sees one ordinary character where the file has one: marks
    (line, column and index) stay those of ``text``, and the values get the separators back
    (``str.translate`` with the returned table). The way back is None only if no character
    is left to stand in, which needs a text of more than four mebibytes.
    """
    present = [char for char in UNICODE_BREAKS if char in text]
    if not present:
        return text, {}
    used = set(text)
    candidates = (chr(point) for block in STAND_INS for point in block if point & 0xFFFE != 0xFFFE)
    free = (char for char in candidates if char not in used)
    forth: dict[int, str] = {}
    for char in present:
        stand_in = next(free, None)
        if stand_in is None:
            return text, None
        forth[ord(char)] = stand_in
    return text.translate(forth), {ord(new): chr(old) for old, new in forth.items()}


_STARTS_AT_CONTEXT = ("while scanning a quoted scalar", "while scanning a block scalar")
"""Errors better shown where the construct opened (an unclosed quote) than where it ended."""


def _error_span(err: yaml.YAMLError, text: str, path: str, offset: int) -> Span:
    context = str(getattr(err, "context", "") or "")
    marks = ("context_mark", "problem_mark")
    if not context.startswith(_STARTS_AT_CONTEXT):
        marks = ("problem_mark", "context_mark")
    mark = getattr(err, marks[0], None) or getattr(err, marks[1], None)
    if mark is not None:
        return Span(path=path, line=mark.line + 1 + offset, column=mark.column + 1)
    position = getattr(err, "position", None)
    if position is not None:
        line = text.count("\n", 0, position) + 1
        column = position - (text.rfind("\n", 0, position) + 1) + 1
        return Span(path=path, line=line + offset, column=column)
    return Span(path=path, line=1 + offset, column=1)


def _error_text(err: yaml.YAMLError) -> str:
    if isinstance(err, yaml.reader.ReaderError):
        return f"character {err.character!r} is not allowed in YAML"
    problem = getattr(err, "problem", None) or str(err).splitlines()[0]
    context = getattr(err, "context", None)
    return f"YAML syntax: {problem}" + (f" ({context})" if context else "")


class _Converter:
    """Walks the node graph once, recording positions and enforcing the limits."""

    def __init__(
        self, doc: YamlDoc, loader: Any, report: Sink, offset: int, back: dict[int, str]
    ) -> None:
        self.doc, self.loader, self.report, self.offset = doc, loader, report, offset
        self.back = back
        """Stand-ins of the line separators (``_without_unicode_breaks``) to their originals."""
        self.visited: set[int] = set()
        self.aliases = 0
        self.reported: set[str] = set()

    def where(self, node: yaml.Node) -> Where:
        start, end = node.start_mark, node.end_mark
        return Where(start.line + 1 + self.offset, start.column + 1, start.index, end.index)

    def span(self, node: yaml.Node) -> Span:
        where = self.where(node)
        return Span(path=self.doc.path, line=where.line, column=where.column)

    def convert(self, node: yaml.Node, loc: Path, depth: int) -> Any:
        if not self._within_limits(node, depth):
            return None
        self.doc.values[loc] = self.where(node)
        if self._explicit_tag(node):
            tag = node.tag.replace(_TAG, "!!")
            self.report.add("R110", self.span(node), f"YAML tag '{tag}' is not allowed")
            node = self._untagged(node)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, loc, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, (*loc, i), depth + 1) for i, item in enumerate(node.value)]
        return self._restored(self._scalar(node))

    def _restored(self, value: Any) -> Any:
        """A text value with the line separators the parser saw as stand-ins put back."""
        return value.translate(self.back) if self.back and isinstance(value, str) else value

    def _within_limits(self, node: yaml.Node, depth: int) -> bool:
        """Refuse a subtree past a limit (reported once per limit); the rest is still read."""
        if id(node) in self.visited:
            self.aliases += 1
        self.visited.add(id(node))
        problem = None
        if self.aliases > MAX_ALIASES:
            problem = f"more than {MAX_ALIASES} alias expansions"
        elif depth > MAX_DEPTH:
            problem = f"nesting deeper than {MAX_DEPTH} levels"
        if problem and problem not in self.reported:
            self.reported.add(problem)
            self.report.add("R104", self.span(node), f"YAML expands to {problem}")
        return problem is None

    def _explicit_tag(self, node: yaml.Node) -> bool:
        """True for a tag written in the YAML that changes what the value would have been."""
        if node.tag not in _PLAIN_TAGS:
            return True
        if not isinstance(node, yaml.ScalarNode):
            return False
        return self._implicit_tag(node) != node.tag

    def _implicit_tag(self, node: yaml.ScalarNode) -> str:
        plain = not node.style  # PyYAML writes a plain style as None, libyaml as ""
        tag = self.loader.resolve(yaml.ScalarNode, node.value, (plain, not plain))
        return str(tag)

    def _untagged(self, node: yaml.Node) -> yaml.Node:
        """The same node read as if its tag had not been written."""
        if isinstance(node, yaml.MappingNode):
            return yaml.MappingNode(_TAG + "map", node.value, node.start_mark, node.end_mark)
        if isinstance(node, yaml.SequenceNode):
            return yaml.SequenceNode(_TAG + "seq", node.value, node.start_mark, node.end_mark)
        assert isinstance(node, yaml.ScalarNode)
        # ``!!str 2019`` is read as the text it asks for, so the one finding is R110.
        tag = _TAG + "str" if node.tag == _TAG + "str" else self._implicit_tag(node)
        return yaml.ScalarNode(tag, node.value, node.start_mark, node.end_mark, node.style)

    def _mapping(self, node: yaml.MappingNode, loc: Path, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _TAG + "merge":
                self.report.add("R105", self.span(key_node), "YAML merge key '<<' is not allowed")
                continue
            scalar = isinstance(key_node, yaml.ScalarNode)
            key = str(self._restored(self._scalar(key_node))) if scalar else "?"
            if key in result:
                first = self.doc.keys[(*loc, key)]
                self.report.add(
                    "R103",
                    self.span(key_node),
                    f"key '{key}' is written twice (first at line {first.line})",
                )
                continue
            self.doc.keys[(*loc, key)] = self.where(key_node)
            result[key] = self.convert(value_node, (*loc, key), depth + 1)
        return result

    def _scalar(self, node: yaml.Node) -> Any:
        """A scalar by the YAML 1.2 core schema; anything unparsable stays text.

        The one place a number is made from YAML: only the forms ``_INT`` and ``_FLOAT``
        match (YAML 1.1's ``0b1010``, ``1_000`` and ``1:20`` stay text), each at most
        ``MAX_NUMBER`` characters long.
        """
        value, tag = str(node.value), node.tag
        if tag == _TAG + "null":
            return None
        if tag == _TAG + "bool":
            return value.lower() == "true"
        if tag in (_TAG + "int", _TAG + "float") and len(value) > MAX_NUMBER:
            message = f"a number of {len(value):,} characters; the limit is {MAX_NUMBER}"
            self.report.add("V113", self.span(node), message)
            return self._printable(node, value)
        if tag == _TAG + "int" and _INT.fullmatch(value):
            return int(value, 10) if value.lstrip("+-").isdigit() else int(value, 0)
        if tag == _TAG + "float" and _FLOAT.fullmatch(value):
            return float(value.lower().replace(".inf", "inf").replace(".nan", "nan"))
        return self._printable(node, value)

    def _printable(self, node: yaml.Node, value: str) -> str:
        """Return ``value`` with characters no XML can hold replaced by U+FFFD (R114, once).

        A YAML escape such as a backslash and ``x01`` in a double-quoted scalar writes such a
        character without it standing in the file, where ``decode`` would have caught it.
        """
        found = FORBIDDEN.search(value)
        if found is None:
            return value
        message = f"character U+{ord(found.group()):04X} (written as an escape) cannot be printed"
        self.report.add("R114", self.span(node), message + " or stored in XML")
        return FORBIDDEN.sub("\ufffd", value)
