"""Splitting a chapter file into its YAML front matter and its Markdown body."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.diagnostics import Sink
from pipeline.model.span import Span

FENCE = "---"


@dataclass(frozen=True)
class Split:
    """The two parts of a chapter file; ``body_line`` is the file line the body starts on."""

    front_matter: str | None
    body: str
    front_line: int
    body_line: int


def split(text: str, path: str, report: Sink) -> Split:
    """Separate front matter from body; report a missing or unclosed fence."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != FENCE:
        report.add("R106", Span(path=path, line=1, column=1), "chapter does not start with '---'")
        return Split(None, text, 0, 0)
    for index in range(1, len(lines)):
        if lines[index].rstrip() in (FENCE, "..."):
            return Split("\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), 1, index + 1)
    report.add("R107", Span(path=path, line=1, column=1), "front matter is never closed")
    return Split(None, "", 1, len(lines))
