"""The formatters: every finding as text, JSON, GitHub workflow commands or SARIF 2.1.0."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from pipeline.diagnostics.record import (
    Catalogue,
    CodeInfo,
    Diagnostic,
    Severity,
    display_path,
)


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


def _sarif_rule(code: str, info: CodeInfo | None) -> dict[str, Any]:
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
