"""The markdown-it-py parser of the source format, with our inline syntax and positions.

markdown-it-py gives block tokens a line ``map`` but inline tokens no position. We wrap each
inline rule so that every token it pushes records the offset where the rule started in
``meta["offset"]``; the reader turns offsets into lines and columns.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from mdit_py_plugins.subscript import sub_plugin
from mdit_py_plugins.superscript import superscript_plugin

from pipeline.model.types import REF_KEY

InlineRule = Callable[[StateInline, bool], bool]

_WORD = re.compile(r"\w")


def _keys(match: re.Match[str]) -> list[str]:
    return [key.strip().lstrip("@") for key in match.group(1).split(";")]


def _regex_rule(
    token_type: str, pattern: str, meta: Callable[[re.Match[str]], tuple[str, Any]]
) -> InlineRule:
    """An inline rule that turns a match of ``pattern`` into one token with one meta entry.

    The rule only fires at the pattern's first character, and (for a pattern starting with
    ``@``) not right after a word character, so that ``a@b.org`` stays text.
    """
    compiled, first = re.compile(pattern), pattern.lstrip("\\")[0]

    def rule(state: StateInline, silent: bool) -> bool:
        if state.src[state.pos] != first:
            return False
        if first == "@" and state.pos > 0 and _WORD.match(state.src[state.pos - 1]):
            return False
        match = compiled.match(state.src, state.pos)
        if not match:
            return False
        if not silent:
            token = state.push(token_type, "", 0)
            key, value = meta(match)
            token.meta[key] = value
            token.content = match.group(0)
        state.pos = match.end()
        return True

    return rule


_citation = _regex_rule(
    "citation", rf"\[@({REF_KEY}(?:\s*;\s*@{REF_KEY})*)\]", lambda m: ("keys", _keys(m))
)
"""``[@key]`` or ``[@a; @b]``: a citation token with its keys."""
_at_ref = _regex_rule("at_ref", rf"@({REF_KEY})", lambda m: ("target", m.group(1)))
"""``@fig-id`` (or a bare ``@key``, which validation rejects)."""
_marker = _regex_rule("marker", r"\{([a-z][a-z0-9-]*)\}", lambda m: ("kind", m.group(1)))
"""``{arrow}`` and the other annotation markers."""


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
    # An entity (&amp;) or an escape (\*) stays its own token with its own offset: joined into
    # the text around it, every column after it would be off by what it shortened.
    md.core.ruler.disable("text_join")
    md.use(sub_plugin).use(superscript_plugin)
    md.inline.ruler.before("link", "citation", _citation)
    md.inline.ruler.before("link", "at_ref", _at_ref)
    md.inline.ruler.before("link", "marker", _marker)
    for rule in md.inline.ruler.__rules__:
        rule.fn = _tracked(rule.fn)
    md.inline.ruler.__cache__ = None
    return md
