"""Suppressions written in the source, each naming codes and giving a reason.

``<!-- lint: disable-next-line T104 -- quoting the referring report -->`` silences the codes
(several separated by commas: ``T104, T105``) on the line that follows the comment;
``<!-- lint: disable-file Y105 -- reason -->`` in the whole chapter file (captions included).
A suppression that silences nothing is reported (L101), and so is one without a reason or
naming an unknown code (L102).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from pipeline.diagnostics import Diagnostic
from pipeline.model.book import Chapter, Comment
from pipeline.model.span import Span

_DIRECTIVE = re.compile(
    r"<!--\s*lint:\s*(?P<scope>disable-next-line|disable-file)\s+"
    r"(?P<codes>[A-Z]\d{3}(?:\s*,\s*[A-Z]\d{3})*)\s*(?:--\s*(?P<reason>.*?))?\s*-->\Z",
    re.S,
)


_SPACED = re.compile(
    r"<!--\s*lint:\s*(?:disable-next-line|disable-file)\s+"
    r"(?P<codes>[A-Z]\d{3}(?:\s+[A-Z]\d{3})+)\s*(?:--.*?)?\s*-->\Z",
    re.S,
)
"""Codes separated by spaces, not commas: one syntax, and a finding that names it."""


@dataclass
class Suppression:
    """One directive and the codes it has silenced so far."""

    span: Span
    scope: str
    codes: tuple[str, ...]
    used: set[str] = field(default_factory=set)

    @property
    def line(self) -> int:
        """The line a next-line directive covers."""
        return self.span.line + 1

    def covers(self, diagnostic: Diagnostic, code: str | None = None) -> bool:
        """True when this directive silences ``code`` (the diagnostic's own) where it stands."""
        if (code or diagnostic.code) not in self.codes or diagnostic.span.path != self.span.path:
            return False
        return self.scope == "disable-file" or diagnostic.span.line == self.line


@dataclass(frozen=True)
class Problem:
    """A directive that cannot be used, and why."""

    span: Span
    message: str


def parse(chapter: Chapter, known: set[str]) -> tuple[list[Suppression], list[Problem]]:
    """The chapter's directives, and the problems of the malformed ones."""
    found: list[Suppression] = []
    problems: list[Problem] = []
    for comment in chapter.comments:
        if not re.match(r"<!--\s*lint\s*:", comment.text):
            continue
        suppression, problem = _one(comment, known)
        if problem:
            problems.append(problem)
        if suppression:
            found.append(suppression)
    return found, problems


def _one(comment: Comment, known: set[str]) -> tuple[Suppression | None, Problem | None]:
    span = comment.span.model_copy(update={"line": comment.span.line + comment.text.count("\n")})
    match = _DIRECTIVE.match(comment.text.strip())
    spaced = _SPACED.match(comment.text.strip()) if not match else None
    if spaced:
        listed = ", ".join(spaced["codes"].split())
        return None, Problem(comment.span, f"separate the codes with commas: '{listed}'")
    if not match:
        return None, Problem(
            comment.span,
            "not a directive: write 'lint: disable-next-line "
            "CODE -- reason' or 'lint: disable-file CODE -- reason'",
        )
    codes = tuple(re.split(r"\s*,\s*", match["codes"]))
    unknown = [code for code in codes if code not in known]
    if unknown:
        return None, Problem(comment.span, f"unknown code {', '.join(unknown)} in suppression")
    if not (match["reason"] or "").strip():
        return None, Problem(comment.span, "a suppression needs a reason after ' -- '")
    return Suppression(span, match["scope"], codes), None


def apply(diagnostics: Iterable[Diagnostic], suppressions: list[Suppression]) -> list[Diagnostic]:
    """The diagnostics no directive covers; directives record which codes they used.

    Suppressing a diagnostic's code silences its notes with it (one mistake, one directive);
    a directive naming only a note's code drops that note and keeps the finding.
    """
    kept = []
    for diagnostic in diagnostics:
        covering = [s for s in suppressions if s.covers(diagnostic)]
        for suppression in covering:
            suppression.used.add(diagnostic.code)
            suppression.used.update(n.code for n in diagnostic.notes if n.code in suppression.codes)
        if not covering:
            kept.append(_without_silenced_notes(diagnostic, suppressions))
    return kept


def _without_silenced_notes(diagnostic: Diagnostic, suppressions: list[Suppression]) -> Diagnostic:
    notes = []
    for note in diagnostic.notes:
        covering = [s for s in suppressions if s.covers(diagnostic, note.code)]
        for suppression in covering:
            suppression.used.add(note.code)
        if not covering:
            notes.append(note)
    if len(notes) == len(diagnostic.notes):
        return diagnostic
    return replace(diagnostic, notes=tuple(notes))
