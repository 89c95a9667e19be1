"""What a lint rule is: a stable code, a name for the pattern it flags, and a check.

A rule's docstring is its documentation: a first line saying what it flags, then the
sections ``What it does:``, ``Why it matters:``, ``Example:``, ``Use instead:`` and
``Fix:``. ``monograph rules`` and ``monograph explain`` print them; a test fails when a rule
lacks one.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from pipeline.diagnostics import Fix, Severity
from pipeline.lint.context import BookContext, ChapterContext
from pipeline.model.span import Span

FixSafety = Literal["safe", "unsafe", "none"]
SECTIONS = ("What it does", "Why it matters", "Example", "Use instead", "Fix")


@dataclass(frozen=True)
class Finding:
    """What a rule found: where, what, optionally what to do and a fix."""

    span: Span
    message: str
    hint: str | None = None
    fix: Fix | None = None


class Rule:
    """Base of all lint rules; subclasses set the class attributes and override a check."""

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity] = Severity.WARNING
    fix: ClassVar[FixSafety] = "none"

    def check_chapter(self, ctx: ChapterContext) -> Iterable[Finding]:
        """Findings in one chapter."""
        return ()

    def summarize(self, ctx: ChapterContext) -> Any:
        """What ``check_book`` needs of one chapter, as JSON values (None: nothing).

        Kept in the chapter cache beside the chapter's findings: a rule that compares
        chapters reads these summaries, never the other chapters' models.
        """
        return None

    @classmethod
    def summary_from_state(cls, state: Any) -> Any:
        """A summary read back from the chapter cache; ValueError when it is not one."""
        raise ValueError(f"{cls.code} keeps no summary")

    def check_book(self, ctx: BookContext) -> Iterable[Finding]:
        """Findings that need every chapter at once, from the chapters' summaries."""
        return ()

    @classmethod
    def doc(cls) -> dict[str, str]:
        """The docstring as ``{"summary": …, "What it does": …, …}``."""
        text = inspect.cleandoc(cls.__doc__ or "")
        summary, _, rest = text.partition("\n\n")
        parts = {"summary": " ".join(summary.split())}
        names = "|".join(re.escape(s) for s in SECTIONS)
        for match in re.finditer(rf"^({names}):\s*(.*?)(?=^(?:{names}):|\Z)", rest, re.M | re.S):
            parts[match.group(1)] = match.group(2).strip()
        return parts

    @classmethod
    def default_hint(cls) -> str:
        """The hint a finding gets when the rule gives none: the docstring's 'Use instead'."""
        return " ".join(cls.doc().get("Use instead", "").split())
