"""Fixes: made from a match in a text unit, applied to a file's text byte for byte."""

from __future__ import annotations

import re
from collections.abc import Iterable

from pipeline.diagnostics import Fix
from pipeline.terminology.text import TextUnit


def replacement_fix(
    unit: TextUnit, start: int, end: int, replacement: str, *, safe: bool = True
) -> Fix | None:
    """A fix replacing ``unit.raw[start:end]``, or None when the text is split by markup."""
    if not unit.in_one_piece(start, end):
        return None
    original = unit.raw[start:end]
    replacement = _cased(unit, start, original, replacement)
    return Fix(
        description=f"replace '{original}' with '{replacement}'",
        span=unit.span(start),
        original=original,
        replacement=replacement,
        safe=safe,
    )


_SMALL = {"a", "an", "and", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with"}
_TITLED = ("heading", "title")
"""Where a writer may set words in title case: a heading, the chapter's title."""


def _cased(unit: TextUnit, start: int, original: str, replacement: str) -> str:
    """``replacement`` in the case the writer set ``original`` in.

    All capitals stay all capitals; in a heading or title, words in title case (two or more,
    each capitalised) give the replacement in title case; otherwise a capital that starts
    a bullet or sentence is kept. A capital the registry writes (``Paget``) always stays.
    """
    if len(original) > 1 and original.isupper():
        return replacement.upper()
    if unit.place.kind in _TITLED and _title_case(original):
        return " ".join(
            word if word.lower() in _SMALL and index else word[:1].upper() + word[1:]
            for index, word in enumerate(replacement.split(" "))
        )
    if original[:1].isupper() and replacement[:1].islower() and _starts_sentence(unit.raw, start):
        return replacement[0].upper() + replacement[1:]
    return replacement


def _title_case(text: str) -> bool:
    words = [w for w in re.split(r"[\s-]+", text) if w[:1].isalpha()]
    big = [w for w in words if w.lower() not in _SMALL]
    return len(words) > 1 and all(w[:1].isupper() for w in big)


def _starts_sentence(text: str, at: int) -> bool:
    """True at the start of a bullet or after a full stop, question or exclamation mark."""
    before = text[:at].rstrip()
    return not before or before[-1] in ".!?"


LINE_END = re.compile(r"(\r\n|\r|\n)")
"""The line ends the reader counts (``read.text.decode``): CRLF, a lone CR, LF; nothing else."""


def apply_fixes(text: str, fixes: Iterable[Fix]) -> tuple[str, int]:
    """Apply fixes to ``text`` as it is on disk; return the new text and the count.

    Lines are counted as the reader counts them (CRLF, CR or LF; not U+2028, U+2029 or NEL),
    so a fix lands on the line its finding names, and each line keeps its own line end. A
    fix is skipped when its ``original`` is no longer at its position or when it overlaps one
    already chosen (of fixes starting at one place, the longest is chosen: a term's fix over
    a fix of one of its letters); everything else in the text is kept exactly.
    """
    pieces = LINE_END.split(text)
    lines, ends = pieces[0::2], [*pieces[1::2], ""]
    chosen: list[tuple[int, int, Fix]] = []
    order = sorted(
        set(fixes), key=lambda f: (f.span.line, f.span.column, -len(f.original), f.replacement)
    )
    for fix in order:
        if not 0 < fix.span.line <= len(lines):
            continue
        start = fix.span.column - 1
        end = start + len(fix.original)
        if lines[fix.span.line - 1][start:end] != fix.original:
            continue
        if chosen and chosen[-1][0] == fix.span.line - 1 and chosen[-1][1] > start:
            continue
        chosen.append((fix.span.line - 1, end, fix))
    for index, _end, fix in reversed(chosen):
        start = fix.span.column - 1
        line = lines[index]
        lines[index] = line[:start] + fix.replacement + line[start + len(fix.original) :]
    return "".join(line + end for line, end in zip(lines, ends, strict=True)), len(chosen)
