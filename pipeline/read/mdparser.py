"""The markdown-it-py parser of the source format, with our inline syntax and positions.

markdown-it-py gives block tokens a line ``map`` but inline tokens no position. We wrap each
inline rule so that every token it pushes records the offset where the rule started in
``meta["offset"]``; the reader turns offsets into lines and columns.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from mdit_py_plugins.subscript import sub_plugin
from mdit_py_plugins.superscript import superscript_plugin

from pipeline.model.types import REF_KEY

InlineRule = Callable[[StateInline, bool], bool]

_CITATION = re.compile(rf"\[@({REF_KEY}(?:\s*;\s*@{REF_KEY})*)\]")
_AT_REF = re.compile(rf"@({REF_KEY})")
_MARKER = re.compile(r"\{([a-z][a-z0-9-]*)\}")
_WORD = re.compile(r"\w")


def _citation(state: StateInline, silent: bool) -> bool:
    """``[@key]`` or ``[@a; @b]``: a citation token with its keys."""
    if not state.src.startswith("[@", state.pos):
        return False
    match = _CITATION.match(state.src, state.pos)
    if not match:
        return False
    if not silent:
        token = state.push("citation", "", 0)
        token.meta["keys"] = [k.strip().lstrip("@") for k in match.group(1).split(";")]
        token.content = match.group(0)
    state.pos = match.end()
    return True


def _at_ref(state: StateInline, silent: bool) -> bool:
    """``@fig-id`` (or a bare ``@key``, which validation rejects) not preceded by a word."""
    if state.src[state.pos] != "@":
        return False
    if state.pos > 0 and _WORD.match(state.src[state.pos - 1]):
        return False
    match = _AT_REF.match(state.src, state.pos)
    if not match:
        return False
    if not silent:
        token = state.push("at_ref", "", 0)
        token.meta["target"] = match.group(1)
        token.content = match.group(0)
    state.pos = match.end()
    return True


def _marker(state: StateInline, silent: bool) -> bool:
    """``{arrow}`` and other annotation markers."""
    if state.src[state.pos] != "{":
        return False
    match = _MARKER.match(state.src, state.pos)
    if not match:
        return False
    if not silent:
        token = state.push("marker", "", 0)
        token.meta["kind"] = match.group(1)
        token.content = match.group(0)
    state.pos = match.end()
    return True


def _tracked(rule: InlineRule) -> InlineRule:
    def run(state: StateInline, silent: bool) -> bool:
        start, had_pending, count = state.pos, bool(state.pending), len(state.tokens)
        matched = rule(state, silent)
        if matched and not silent:
            pending_start = state.env.get("_pending_start", start)
            for index, token in enumerate(state.tokens[count:]):
                flushed = index == 0 and had_pending and token.type == "text"
                token.meta.setdefault("offset", pending_start if flushed else start)
        if not had_pending and state.pending:
            state.env["_pending_start"] = start
        return matched

    return run


class _Parser(MarkdownIt):
    """Lets every link through as a link token, so validation reports a bad scheme.

    (markdown-it would otherwise turn ``javascript:`` or ``file:`` links into text, unreported.)
    """

    def validateLink(self, url: str) -> bool:  # noqa: N802 (markdown-it's name)
        """Accept every destination; the link's scheme is checked by validation."""
        return True


@cache
def parser() -> MarkdownIt:
    """Return the shared parser: CommonMark with raw HTML recognised (so it can be rejected)."""
    md = _Parser("commonmark", {"html": True, "linkify": False, "typographer": False})
    md.enable("table")  # recognised only so that validation can name it when it refuses it
    md.use(sub_plugin).use(superscript_plugin)
    md.inline.ruler.before("link", "citation", _citation)
    md.inline.ruler.before("link", "at_ref", _at_ref)
    md.inline.ruler.before("link", "marker", _marker)
    for rule in md.inline.ruler.__rules__:
        rule.fn = _tracked(rule.fn)
    md.inline.ruler.__cache__ = None
    return md
