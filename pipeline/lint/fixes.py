"""Fixes: made from a match in a text unit, applied to a file's text byte for byte."""

from __future__ import annotations

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
    if original[:1].isupper() and replacement[:1].islower() and _starts_sentence(unit.raw, start):
        replacement = replacement[0].upper() + replacement[1:]
    return Fix(
        description=f"replace '{original}' with '{replacement}'",
        span=unit.span(start),
        original=original,
        replacement=replacement,
        safe=safe,
    )


def _starts_sentence(text: str, at: int) -> bool:
    """True at the start of a bullet or after a full stop, question or exclamation mark."""
    before = text[:at].rstrip()
    return not before or before[-1] in ".!?"


def apply_fixes(text: str, fixes: Iterable[Fix]) -> tuple[str, int]:
    """Apply fixes to ``text`` (as read: LF line ends); return the new text and the count.

    A fix is skipped when its ``original`` is no longer at its position or when it overlaps
    one already chosen; everything else in the text is kept exactly.
    """
    lines = text.split("\n")
    chosen: list[tuple[int, int, Fix]] = []
    for fix in sorted(set(fixes), key=lambda f: (f.span.line, f.span.column)):
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
    return "\n".join(lines), len(chosen)
