"""One diagnostic record for every stage, and the formatters that print it."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
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

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Diagnostic:
        """The diagnostic a record made by ``as_record("")`` describes (the build cache's form)."""
        span = Span(path=record["path"], line=record["line"], column=record["column"])
        severity = Severity(record["severity"])
        return cls(record["code"], severity, record["message"], record["hint"], span)

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


@dataclass(frozen=True)
class Code:
    """A diagnostic code: its name, default severity, what it means and what to do.

    Every stage's table (validation, lint rules, rendering) is made of these; the CLI merges
    them for ``codes``, ``explain`` and the SARIF rule list.
    """

    code: str
    name: str
    severity: Severity
    summary: str
    hint: str


Catalogue = Mapping[str, Code]


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


def format_text(diagnostics: list[Diagnostic], root: str, _rules: Catalogue) -> str:
    """One line per finding, ``PATH:LINE:COL: CODE severity: message``, then its hint."""
    lines = []
    for d in diagnostics:
        where = f"{display_path(root, d.span.path)}:{d.span.line}:{d.span.column}"
        lines.append(f"{where}: {d.code} {d.severity}: {d.message}")
        lines.append(f"    hint: {d.hint}")
    return "\n".join(lines)


def format_json(diagnostics: list[Diagnostic], root: str, _rules: Catalogue) -> str:
    """A JSON list of records, one per finding."""
    return json.dumps([d.as_record(root) for d in diagnostics], indent=2, ensure_ascii=False)


def format_github(diagnostics: list[Diagnostic], root: str, _rules: Catalogue) -> str:
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


SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def format_sarif(diagnostics: list[Diagnostic], root: str, rules: Catalogue) -> str:
    """SARIF 2.1.0 for code-scanning tools: every rule, results with stable fingerprints."""
    from pipeline import __version__

    used = sorted({d.code for d in diagnostics} | set(rules))
    index = {code: i for i, code in enumerate(used)}
    run = {
        "tool": {
            "driver": {
                "name": "monograph",
                "version": __version__,
                "rules": [_sarif_rule(code, rules.get(code)) for code in used],
            }
        },
        "columnKind": "unicodeCodePoints",
        "results": _sarif_results(diagnostics, root, index),
    }
    document = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(document, indent=2, ensure_ascii=False)


def _sarif_rule(code: str, info: Code | None) -> dict[str, Any]:
    if info is None:
        return {"id": code}
    level = "error" if info.severity is Severity.ERROR else "warning"
    return {
        "id": code,
        "name": info.name,
        "shortDescription": {"text": info.summary},
        "help": {"text": info.hint},
        "defaultConfiguration": {"level": level},
    }


def _sarif_results(
    diagnostics: list[Diagnostic], root: str, index: dict[str, int]
) -> list[dict[str, Any]]:
    results = []
    seen: dict[str, int] = {}
    for d in diagnostics:
        uri = display_path(root, d.span.path)
        basis = f"{d.code}|{uri}|{d.message}"
        seen[basis] = seen.get(basis, 0) + 1
        fingerprint = hashlib.sha256(f"{basis}|{seen[basis]}".encode()).hexdigest()[:32]
        region = {"startLine": d.span.line, "startColumn": d.span.column}
        location = {"physicalLocation": {"artifactLocation": {"uri": uri}, "region": region}}
        results.append(
            {
                "ruleId": d.code,
                "ruleIndex": index[d.code],
                "level": "error" if d.severity is Severity.ERROR else "warning",
                "message": {"text": f"{d.message} (hint: {d.hint})"},
                "locations": [location],
                "partialFingerprints": {"monograph/v1": fingerprint},
            }
        )
    return results


FORMATTERS = {
    "text": format_text,
    "json": format_json,
    "github": format_github,
    "sarif": format_sarif,
}
