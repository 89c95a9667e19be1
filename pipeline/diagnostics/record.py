"""The one finding record every stage makes: code, severity, message, hint, span, optional fix."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pydantic import TypeAdapter

from pipeline.model.span import Span


class Severity(StrEnum):
    """How bad a finding is: errors fail the run; warnings and information do not.

    ``info`` is for what an editor may want to know but need not change (a differential
    whose own chapter does not list this one back): GitHub shows it as a notice, SARIF as a
    note.
    """

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
"""Severities from the worst."""


@dataclass(frozen=True)
class Fix:
    """Replace ``original``, written at ``span`` (on one line), by ``replacement``.

    ``safe`` fixes keep the meaning and are applied by ``--fix``; unsafe ones are only shown.
    The fixer checks that ``original`` is still at ``span`` before it changes anything.
    """

    description: str
    span: Span
    original: str
    replacement: str
    safe: bool = True


@dataclass(frozen=True)
class Note:
    """Another code's finding on the same words, told with the finding that is reported."""

    code: str
    message: str


@dataclass(frozen=True)
class Diagnostic:
    """A finding: what is wrong (message), what to do (hint), and where (span).

    ``notes`` are the findings of related codes on the same words (a synonym in Key Facts is
    also a second name in the chapter): one mistake is one finding, the others told with it.
    """

    code: str
    severity: Severity
    message: str
    hint: str
    span: Span
    fix: Fix | None = None
    notes: tuple[Note, ...] = ()

    def sort_key(self) -> tuple[str, int, int, str, str]:
        """Order findings by place, then code, so output is stable."""
        return (self.span.path, self.span.line, self.span.column, self.code, self.message)

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Diagnostic:
        """The diagnostic a record made by ``as_record("")`` describes (the build cache's form)."""
        span = Span(path=record["path"], line=record["line"], column=record["column"])
        severity = Severity(record["severity"])
        notes = tuple(Note(n["code"], n["message"]) for n in record.get("notes", ()))
        return cls(record["code"], severity, record["message"], record["hint"], span, notes=notes)

    def as_state(self) -> dict[str, Any]:
        """Every field, the fix included, as JSON values: the form the build cache keeps."""
        state: dict[str, Any] = _STATE.dump_python(self, mode="json")
        return state

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> Diagnostic:
        """The diagnostic ``as_state`` kept: equal to the one recorded, fix and all."""
        found: Diagnostic = _STATE.validate_python(state)
        return found

    def as_record(self, root: str) -> dict[str, Any]:
        """The JSON record: code, severity, message, hint, path, line, column, notes."""
        return {
            "code": self.code,
            "severity": str(self.severity),
            "message": self.message,
            "hint": self.hint,
            "path": display_path(root, self.span.path),
            "line": self.span.line,
            "column": self.span.column,
            "notes": [{"code": n.code, "message": n.message} for n in self.notes],
        }


_STATE = TypeAdapter(Diagnostic)


@dataclass(frozen=True)
class CodeInfo:
    """A diagnostic code: its name, default severity, what it means and what to do.

    Every stage's table (validation, lint rules, rendering) is made of these; the CLI merges
    them for ``codes``, ``explain`` and the SARIF rule list.
    """

    code: str
    name: str
    severity: Severity
    summary: str
    hint: str


Catalogue = Mapping[str, CodeInfo]


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
    """Return a closing line such as ``2 errors, 1 warning`` (``, 3 info`` when there are any)."""
    errors = sum(d.severity is Severity.ERROR for d in diagnostics)
    infos = sum(d.severity is Severity.INFO for d in diagnostics)
    warnings = len(diagnostics) - errors - infos
    line = f"{_count(errors, 'error')}, {_count(warnings, 'warning')}"
    return f"{line}, {infos} info" if infos else line


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
