"""One diagnostic record for every stage, and the formatters that print it."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pipeline.model.span import Span


class Severity(StrEnum):
    """How bad a finding is: errors fail the run, warnings do not."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Fix:
    """A safe replacement of ``length`` characters at ``span`` by ``replacement``."""

    description: str
    span: Span
    length: int
    replacement: str


@dataclass(frozen=True)
class Diagnostic:
    """A finding: what is wrong (message), what to do (hint), and where (span)."""

    code: str
    severity: Severity
    message: str
    hint: str
    span: Span
    fix: Fix | None = None

    def sort_key(self) -> tuple[str, int, int, str, str]:
        """Order findings by place, then code, so output is stable."""
        return (self.span.path, self.span.line, self.span.column, self.code, self.message)

    def as_record(self, root: str) -> dict[str, Any]:
        """Return the JSON record: code, severity, message, hint, path, line, column."""
        return {
            "code": self.code,
            "severity": str(self.severity),
            "message": self.message,
            "hint": self.hint,
            "path": display_path(root, self.span.path),
            "line": self.span.line,
            "column": self.span.column,
        }


def display_path(root: str, path: str) -> str:
    """Join the source root as the user named it with a path inside the source tree."""
    if not root or root == ".":
        return path
    return f"{root.rstrip('/')}/{path}"


def ordered(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Return the findings sorted by place, without repeats."""
    return sorted(set(diagnostics), key=Diagnostic.sort_key)


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    """Tell whether any finding is an error."""
    return any(d.severity is Severity.ERROR for d in diagnostics)


def summary(diagnostics: list[Diagnostic]) -> str:
    """Return a closing line such as ``2 errors, 1 warning``."""
    errors = sum(d.severity is Severity.ERROR for d in diagnostics)
    warnings = len(diagnostics) - errors
    return f"{_count(errors, 'error')}, {_count(warnings, 'warning')}"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def format_text(diagnostics: list[Diagnostic], root: str) -> str:
    """One line per finding, ``PATH:LINE:COL: CODE severity: message``, then its hint."""
    lines = []
    for d in diagnostics:
        where = f"{display_path(root, d.span.path)}:{d.span.line}:{d.span.column}"
        lines.append(f"{where}: {d.code} {d.severity}: {d.message}")
        lines.append(f"    hint: {d.hint}")
    return "\n".join(lines)


def format_json(diagnostics: list[Diagnostic], root: str) -> str:
    """A JSON list of records, one per finding."""
    return json.dumps([d.as_record(root) for d in diagnostics], indent=2, ensure_ascii=False)


def format_github(diagnostics: list[Diagnostic], root: str) -> str:
    """GitHub Actions workflow commands, which show as annotations on a pull request."""
    lines = []
    for d in diagnostics:
        path = display_path(root, d.span.path)
        text = _gh_escape(f"{d.message} (hint: {d.hint})")
        lines.append(
            f"::{d.severity} file={path},line={d.span.line},col={d.span.column},"
            f"title={d.code}::{text}"
        )
    return "\n".join(lines)


def _gh_escape(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


FORMATTERS = {"text": format_text, "json": format_json, "github": format_github}
