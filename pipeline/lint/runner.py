"""Running the rules over a book: selection, severities, suppressions."""

from __future__ import annotations

from pipeline.diagnostics import Diagnostic, ordered
from pipeline.lint import suppress
from pipeline.lint.base import Finding, Rule
from pipeline.lint.config import LintConfig
from pipeline.lint.context import BookContext, ChapterContext
from pipeline.lint.registry import RULES, rule_for
from pipeline.model.book import Book
from pipeline.terminology import Matcher


def lint_book(book: Book, config: LintConfig | None = None) -> list[Diagnostic]:
    """Every finding of the enabled rules, after suppressions, in source order."""
    config = config or LintConfig()
    matcher = Matcher(book.terminology)
    chapters = [ChapterContext(book, chapter, matcher) for chapter in book.chapters]
    whole = BookContext(book, matcher, chapters)
    found: list[Diagnostic] = []
    for rule_class in RULES:
        if not config.enabled(rule_class.code):
            continue
        rule = rule_class()
        for ctx in chapters:
            found.extend(_diagnostic(rule, f, config) for f in rule.check_chapter(ctx))
        found.extend(_diagnostic(rule, f, config) for f in rule.check_book(whole))
    return ordered(_suppressed(found, chapters, config))


def _suppressed(
    found: list[Diagnostic], chapters: list[ChapterContext], config: LintConfig
) -> list[Diagnostic]:
    known = {rule.code for rule in RULES}
    directives: list[suppress.Suppression] = []
    extra: list[Diagnostic] = []
    for ctx in chapters:
        parsed, problems = suppress.parse(ctx.chapter, known)
        directives.extend(parsed)
        extra.extend(_made("L102", Finding(p.span, p.message), config) for p in problems)
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
