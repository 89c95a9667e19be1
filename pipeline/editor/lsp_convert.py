"""Our findings as LSP diagnostics, and positions between the two ways of counting.

Our spans are 1-based lines and columns counted in code points, as an editor shows them; LSP
positions are 0-based lines and columns counted in UTF-16 code units. A finding has only a
start: its range covers the word (or other token) that starts there, else the rest of the
line.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lsprotocol import types

from pipeline.diagnostics import Diagnostic, Severity
from pipeline.model.span import Span

SOURCE = "monograph"
"""The ``source`` of every diagnostic the server publishes."""

SEVERITIES = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}
_TOKEN = re.compile(r"[\w'’-]*\w|\S+")


def utf16(text: str) -> int:
    """How many UTF-16 code units ``text`` has."""
    return len(text.encode("utf-16-le")) // 2


def code_points(line: str, character: int) -> int:
    """The code-point offset in ``line`` of the UTF-16 offset ``character`` (clamped)."""
    units = 0
    for index, char in enumerate(line):
        if units >= character:
            return index
        units += 2 if ord(char) > 0xFFFF else 1
    return len(line)


def position(lines: list[str], line: int, column: int) -> types.Position:
    """The LSP position of the 1-based ``line`` and code-point ``column`` in ``lines``."""
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    return types.Position(line=max(line - 1, 0), character=utf16(text[: max(column - 1, 0)]))


def token_range(lines: list[str], span: Span) -> types.Range:
    """The range of the token that starts at ``span`` (to the end of the line if none)."""
    text = lines[span.line - 1] if 0 < span.line <= len(lines) else ""
    at = min(max(span.column - 1, 0), len(text))
    match = _TOKEN.match(text, at)
    end = match.end() if match and match.end() > at else len(text)
    start = position(lines, span.line, at + 1)
    return types.Range(
        start=start, end=types.Position(line=start.line, character=utf16(text[:end]))
    )


def text_range(lines: list[str], span: Span, length: int) -> types.Range:
    """The range of ``length`` code points from ``span`` (on its line)."""
    start = position(lines, span.line, span.column)
    end = position(lines, span.line, span.column + length)
    return types.Range(start=start, end=end)


def to_lsp(
    diagnostic: Diagnostic, lines: list[str], uri_of: Callable[[str], str]
) -> types.Diagnostic:
    """``diagnostic`` for an editor; ``uri_of`` gives each path's URI (for the notes)."""
    where = token_range(lines, diagnostic.span)
    related = [
        types.DiagnosticRelatedInformation(
            location=types.Location(uri=uri_of(diagnostic.span.path), range=where),
            message=f"{note.code}: {note.message}",
        )
        for note in diagnostic.notes
    ]
    message = diagnostic.message
    if diagnostic.hint:
        message = f"{message}\n{diagnostic.hint}"
    return types.Diagnostic(
        range=where,
        message=message,
        severity=SEVERITIES[diagnostic.severity],
        code=diagnostic.code,
        source=SOURCE,
        related_information=related or None,
        data={"hint": diagnostic.hint},
    )
