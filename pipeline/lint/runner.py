"""Running the rules over a book: selection, severities, suppressions.

Lint runs in two steps so a chapter's part can be kept in the chapter cache:
``lint_chapter`` gives one chapter's findings, its suppression directives and the summaries
the book-wide rules need; ``finish`` runs those rules on the summaries and applies every
suppression. ``lint_book`` is the two together.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pipeline.diagnostics import Diagnostic, ordered
from pipeline.lint import suppress
from pipeline.lint.base import Finding, Rule
from pipeline.lint.config import LintConfig
from pipeline.lint.context import BookContext, ChapterContext
from pipeline.lint.merge import one_per_place
from pipeline.lint.registry import RULES, rule_for
from pipeline.model.book import Book, Chapter
from pipeline.model.span import Span
from pipeline.model.terminology import Terminology
from pipeline.terminology import Matcher


@dataclass
class ChapterLint:
    """One chapter's part of lint: everything ``finish`` needs, nothing of the model."""

    chapter: str
    findings: list[Diagnostic] = field(default_factory=list)
    """The chapter rules' findings, before suppressions."""
    directives: list[suppress.Suppression] = field(default_factory=list)
    problems: list[suppress.Problem] = field(default_factory=list)
    summaries: dict[str, Any] = field(default_factory=dict)
    """Each book-wide rule's summary of the chapter, by code."""

    def as_state(self) -> dict[str, Any]:
        """JSON values, for the chapter cache."""
        return {
            "chapter": self.chapter,
            "findings": [d.as_state() for d in self.findings],
            "directives": [[*_span(d.span), d.scope, list(d.codes)] for d in self.directives],
            "problems": [[*_span(p.span), p.message] for p in self.problems],
            "summaries": self.summaries,
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> ChapterLint:
        """The inverse of ``as_state``; malformed: KeyError, TypeError, ValueError."""
        # Each summary is read back by its rule, which refuses one of the wrong shape.
        return cls(
            chapter=str(state["chapter"]),
            findings=[Diagnostic.from_state(d) for d in state["findings"]],
            directives=[
                suppress.Suppression(_at(d), str(d[3]), tuple(map(str, d[4])))
                for d in state["directives"]
            ],
            problems=[suppress.Problem(_at(p), str(p[3])) for p in state["problems"]],
            summaries={
                str(code): rule_for(code).summary_from_state(summary)
                for code, summary in dict(state["summaries"]).items()
            },
        )


def _span(span: Span) -> list[Any]:
    return [span.path, span.line, span.column]


def _at(state: list[Any]) -> Span:
    return Span(path=state[0], line=state[1], column=state[2])


def lint_book(book: Book, config: LintConfig | None = None) -> list[Diagnostic]:
    """Every finding of the enabled rules, after suppressions, in source order."""
    config = config or LintConfig()
    matcher = Matcher(book.terminology)
    parts = [lint_chapter(book.terminology, chapter, config, matcher) for chapter in book.chapters]
    return finish(book.terminology, parts, config)


def lint_chapter(
    terminology: Terminology, chapter: Chapter, config: LintConfig, matcher: Matcher
) -> ChapterLint:
    """One chapter's findings, directives and summaries (``matcher``: the registry's)."""
    ctx = ChapterContext(terminology, chapter, matcher)
    part = ChapterLint(chapter.id)
    for rule_class in RULES:
        if not config.enabled(rule_class.code):
            continue
        rule = rule_class()
        part.findings.extend(_diagnostic(rule, f, config) for f in rule.check_chapter(ctx))
        summary = rule.summarize(ctx)
        if summary is not None:
            part.summaries[rule.code] = summary
    part.directives, part.problems = suppress.parse(chapter, {rule.code for rule in RULES})
    return part


def finish(
    terminology: Terminology, parts: list[ChapterLint], config: LintConfig
) -> list[Diagnostic]:
    """The book-wide rules on the chapters' summaries, one finding per place, suppressions."""
    found = [d for part in parts for d in part.findings]
    for rule_class in RULES:
        if not config.enabled(rule_class.code):
            continue
        rule = rule_class()
        summaries = [(p.chapter, p.summaries.get(rule.code)) for p in parts]
        whole = BookContext(terminology, summaries)
        found.extend(_diagnostic(rule, f, config) for f in rule.check_book(whole))
    return ordered(_suppressed(one_per_place(found), parts, config))


def _suppressed(
    found: list[Diagnostic], parts: list[ChapterLint], config: LintConfig
) -> list[Diagnostic]:
    directives = [
        suppress.Suppression(d.span, d.scope, d.codes) for part in parts for d in part.directives
    ]  # fresh copies: ``apply`` records in each which codes it used
    extra = [
        _made("L102", Finding(p.span, p.message), config) for part in parts for p in part.problems
    ]
    kept = suppress.apply(found, directives)
    for directive in directives:
        unused = [c for c in directive.codes if c not in directive.used and config.enabled(c)]
        if unused:
            message = f"suppression of {', '.join(unused)} silences nothing here"
            extra.append(_made("L101", Finding(directive.span, message), config))
    return kept + [d for d in extra if config.enabled(d.code)]


def _made(code: str, finding: Finding, config: LintConfig) -> Diagnostic:
    return _diagnostic(rule_for(code)(), finding, config)


def _diagnostic(rule: Rule, finding: Finding, config: LintConfig) -> Diagnostic:
    return Diagnostic(
        code=rule.code,
        severity=config.severity.get(rule.code, rule.severity),
        message=finding.message,
        hint=finding.hint or rule.default_hint(),
        span=finding.span,
        fix=finding.fix,
    )
