"""Codes of findings from the render stage (``P``), and a helper that makes their records.

Codes are stable: a code is never reused for another meaning. The table has the same columns
as the validation catalogue (``pipeline.codes``), which the CLI may merge for ``codes`` and
``explain``.
"""

from __future__ import annotations

from pipeline.diagnostics import Code, Diagnostic, Severity
from pipeline.model.span import Span

E, W = Severity.ERROR, Severity.WARNING


# fmt: off
RENDER_CATALOGUE: tuple[Code, ...] = (
    Code("P101", "missing-glyph", E, "A character no font of the book can draw.",
               "Replace the character with one the fonts cover, or ask for a font that has "
               "it (pipeline/render/fonts)."),
    Code("P102", "key-facts-overflow", E, "The Key Facts handout does not fit on one page.",
               "Shorten Key Facts bullets or differentials, or reference fewer figures from "
               "Key Facts."),
    Code("P103", "pdf-accessibility", E, "WeasyPrint reported an accessibility (PDF/UA) "
               "or rendering error.", "Give the element what the message asks for, e.g. alt "
               "text or a language."),
    Code("P104", "refused-fetch", E, "The renderer was asked to load a file outside "
               "source/figures/ and its own assets.",
               "Keep figures inside source/figures/; the renderer never loads other files."),
    Code("P105", "node-not-rendered", E, "A node the PDF renderer cannot show.",
               "Report this as a pipeline bug with the line shown; the text is printed plain."),
    Code("P106", "epub-missing-alt", E, "A figure without alt text: the EPUB claims neither "
               "alternativeText nor EPUB Accessibility conformance.",
               "Give the figure an alt text: what the image shows, in at most 150 characters."),
    Code("P107", "epub-image-unreadable", E, "An image file the EPUB cannot carry: damaged, "
               "or not PNG, JPEG, GIF or WebP inside.",
               "Save the image again as PNG or JPEG under source/figures/; the EPUB shows the "
               "figure as a placeholder until then."),
    Code("P108", "render-time-limit", E, "Rendering a chapter took longer than its time limit "
               "and was stopped; nothing of the build was committed.",
               "Look for what makes the chapter huge (thousands of bullets, a giant table of "
               "differentials); set MONOGRAPH_RENDER_SECONDS on a slow machine."),
)
# fmt: on

RENDER_CODES: dict[str, Code] = {c.code: c for c in RENDER_CATALOGUE}


def render_diagnostic(code: str, span: Span, message: str, hint: str | None = None) -> Diagnostic:
    """Return the finding ``code`` at ``span``; the table supplies severity and default hint."""
    entry = RENDER_CODES[code]
    return Diagnostic(
        code=code, severity=entry.severity, message=message, hint=hint or entry.hint, span=span
    )
