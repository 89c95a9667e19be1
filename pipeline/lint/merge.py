"""One finding per mistake: findings of related codes on the same words become one.

A synonym in Key Facts is a synonym where the preferred term belongs (T104), a second name
in the chapter (T105) and another name than the book's (T110): three codes, one mistake,
one edit. So the findings of the codes in ``PRECEDENCE`` that start at the same place are
reported as one: the worst severity first, then the code earliest in ``PRECEDENCE`` (the
most specific: the one whose fix also settles the others); the others ride along as its
notes. Suppressing the reported code silences the place (``suppress.apply``).

Codes outside the table are never merged: an invisible character (Y106) or a look-alike
letter (Y107) inside a term is a mistake of its own, whatever the term's finding says.
"""

from __future__ import annotations

from dataclasses import replace
from itertools import groupby

from pipeline.diagnostics import RANK, Diagnostic, Note

PRECEDENCE = (
    "T103", "T101", "T102", "Y102", "Y101", "T112", "T108", "T104", "T107", "T106", "T105",
    "T110", "T109",
    "A105", "A101", "A102", "A103", "A104",
)  # fmt: skip
"""The naming and abbreviation codes, most specific first.

A forbidden or rejected form names its replacement, which settles the spelling, the
possessive and the naming codes after it; a dialect spelling comes before the differential
and naming codes, since spelling is what a reader sees first and its fix resolves the
lookup. The book-wide codes (T110, T109) come last: the chapter's own fix settles them.
"""
_ORDER = {code: n for n, code in enumerate(PRECEDENCE)}


def one_per_place(found: list[Diagnostic]) -> list[Diagnostic]:
    """``found`` with the findings of ``PRECEDENCE`` codes at one place merged, in order."""
    merged = [d for d in found if d.code not in _ORDER]
    ours = sorted((d for d in found if d.code in _ORDER), key=_place)
    for _, group in groupby(ours, key=_place):
        merged.append(_one(list(group)))
    return merged


def _place(diagnostic: Diagnostic) -> tuple[str, int, int]:
    span = diagnostic.span
    return (span.path, span.line, span.column)


def _one(group: list[Diagnostic]) -> Diagnostic:
    group.sort(key=lambda d: (RANK[d.severity], _ORDER[d.code], d.message))
    first, rest = group[0], [d for d in group[1:] if d != group[0]]
    if not rest:
        return first
    fix = first.fix or next((d.fix for d in rest if d.fix), None)
    notes = tuple(Note(d.code, d.message) for d in rest)
    return replace(first, fix=fix, notes=first.notes + notes)
