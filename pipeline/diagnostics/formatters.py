"""The formatters: every finding as text, JSON, GitHub workflow commands or SARIF 2.1.0.

Every printed field is one line. Messages quote the source (a YAML key, a file name), which a
pull request controls: a line break there would print a line of its own, such as a forged
``chapters/x.md:1:1: X101 error: …`` finding or a ``::error`` workflow command. So control
characters (C0, DEL, C1 with NEL), the line and paragraph separators and the bidirectional
controls that reorder what a terminal shows are escaped here, once, for every format
(``one_line``; in JSON and SARIF as JSON escapes of four hex digits, which any reader undoes).
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from pipeline.diagnostics.record import (
    Catalogue,
    CodeInfo,
    Diagnostic,
    Note,
    Severity,
    display_path,
)

_BEYOND_C0 = "\x7f-\x9f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_UNPRINTABLE = re.compile(f"[\x00-\x1f{_BEYOND_C0}]")
"""C0 and C1 controls, DEL, the line and paragraph separators, the bidirectional controls."""
_NOT_IN_JSON = re.compile(f"[{_BEYOND_C0}]")
"""Those of them ``json.dumps`` writes as they are (it escapes C0 controls itself)."""
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def one_line(text: str) -> str:
    r"""``text`` with each character of ``_UNPRINTABLE`` escaped: ``\n``, ``\x85``, ``\u2028``."""
    return _UNPRINTABLE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


def _json(value: Any) -> str:
    """JSON whose strings hold none of ``_UNPRINTABLE`` as itself.

    ``json.dumps`` escapes C0 controls but, with ``ensure_ascii=False``, writes DEL, C1
    controls (NEL) and the separators as they are; they can only stand inside strings, where
    a JSON escape of four hex digits means the same character.
    """
    text = json.dumps(value, indent=2, ensure_ascii=False)
    return _NOT_IN_JSON.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def format_text(diagnostics: list[Diagnostic], root: str, _rules: Catalogue) -> str:
    """One line per finding, ``PATH:LINE:COL: CODE severity: message``, its hint, its notes."""
    lines = []
    for d in diagnostics:
        where = f"{one_line(display_path(root, d.span.path))}:{d.span.line}:{d.span.column}"
        lines.append(f"{where}: {one_line(d.code)} {d.severity}: {one_line(d.message)}")
        lines.append(f"    hint: {one_line(d.hint)}")
        lines.extend(f"    note: {one_line(_told(note))}" for note in d.notes)
    return "\n".join(lines)


def _told(note: Note) -> str:
    """A note as the text and annotation formats tell it: ``also T105: message``."""
    return f"also {note.code}: {note.message}"


def format_json(diagnostics: list[Diagnostic], root: str, _rules: Catalogue) -> str:
    """A JSON list of records, one per finding."""
    return _json([d.as_record(root) for d in diagnostics])


def format_github(diagnostics: list[Diagnostic], root: str, _rules: Catalogue) -> str:
    """GitHub Actions workflow commands, which show as annotations on a pull request."""
    lines = []
    for d in diagnostics:
        path = _gh_property(display_path(root, d.span.path))
        told = "".join(f"; {_told(note)}" for note in d.notes)
        text = _gh_data(f"{d.message} (hint: {d.hint}{told})")
        lines.append(
            f"::{_GITHUB[d.severity]} file={path},line={d.span.line},col={d.span.column},"
            f"title={_gh_property(d.code)}::{text}"
        )
    return "\n".join(lines)


_GITHUB = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
"""The workflow command of each severity: GitHub calls information a notice."""
_SARIF = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
"""SARIF's ``level`` of each severity: information is a note."""


def _gh_data(text: str) -> str:
    """A command's message, as @actions/core's ``escapeData`` writes it (after ``one_line``)."""
    return one_line(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(text: str) -> str:
    """A property value (``file=``, ``title=``), as ``escapeProperty``: also ``:`` and ``,``."""
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


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
    return _json(document)


def _sarif_rule(code: str, info: CodeInfo | None) -> dict[str, Any]:
    if info is None:
        return {"id": code}
    level = _SARIF[info.severity]
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
        result = {
            "ruleId": d.code,
            "ruleIndex": index[d.code],
            "level": _SARIF[d.severity],
            "message": {"text": f"{d.message} (hint: {d.hint})"},
            "locations": [location],
            "partialFingerprints": {"monograph/v1": fingerprint},
        }
        if d.notes:  # the same words, told by the related codes
            result["relatedLocations"] = [
                {"id": n, **location, "message": {"text": f"{note.code}: {note.message}"}}
                for n, note in enumerate(d.notes, start=1)
            ]
        results.append(result)
    return results


FORMATTERS = {
    "text": format_text,
    "json": format_json,
    "github": format_github,
    "sarif": format_sarif,
}
