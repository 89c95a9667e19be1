"""The server's answers: code actions, hover, definition, completion.

Each answer is made from the editor's text (the line under the cursor) and the last check's
``Result`` (the chapter's model, the registry, the bibliography, the findings), never from
the files on disk.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from lsprotocol import types

from pipeline.catalogue import explanation
from pipeline.diagnostics import Diagnostic
from pipeline.editor.lsp_check import Result
from pipeline.editor.lsp_convert import code_points, text_range, token_range, utf16
from pipeline.model.book import Chapter, Figure, Reference
from pipeline.model.inline import MARKER_KINDS
from pipeline.model.skeleton import SKELETON, Sec, Sub
from pipeline.model.span import Span
from pipeline.model.types import FIGURE_ID_RE, REF_KEY
from pipeline.terminology.matcher import TermMatch
from pipeline.terminology.text import Place, units_of

LINT_PREFIXES = ("T", "A", "Y", "L")
"""The first letters of lint codes: only lint findings can be suppressed in the source."""
_FIGREF = re.compile(rf"@({FIGURE_ID_RE.pattern})")
_CITATION = re.compile(r"\[@[^\]\n]*\]")
_KEY = re.compile(rf"@({REF_KEY})")
_WORD = re.compile(r"[\w-]+")

UriOf = Callable[[str], str]


def _at(pattern: re.Pattern[str], line: str, at: int) -> re.Match[str] | None:
    """The match of ``pattern`` in ``line`` whose text covers the code-point offset ``at``."""
    for match in pattern.finditer(line):
        if match.start() <= at <= match.end():
            return match
    return None


def _cursor(lines: list[str], where: types.Position) -> tuple[str, int]:
    line = lines[where.line] if where.line < len(lines) else ""
    return line, code_points(line, where.character)


# Code actions


def code_actions(
    rel: str, lines: list[str], asked: types.Range, found: list[Diagnostic], uri: str
) -> list[types.CodeAction]:
    """The safe fixes of the findings on the lines of ``asked``, and their suppressions."""
    actions: list[types.CodeAction] = []
    first, last = asked.start.line + 1, asked.end.line + 1
    for diagnostic in found:
        if not first <= diagnostic.span.line <= last:
            continue
        fix = diagnostic.fix
        if fix is not None and fix.safe and _still_there(lines, fix.span, fix.original):
            edit = types.TextEdit(
                range=text_range(lines, fix.span, len(fix.original)), new_text=fix.replacement
            )
            actions.append(_action(f"{diagnostic.code}: {fix.description}", uri, edit, True))
        if diagnostic.code.startswith(LINT_PREFIXES):
            actions.append(_suppression(lines, diagnostic, uri))
    return actions


def _still_there(lines: list[str], span: Span, original: str) -> bool:
    """True when ``original`` is still written at ``span`` (the text may have moved on)."""
    text = lines[span.line - 1] if 0 < span.line <= len(lines) else ""
    return text[span.column - 1 : span.column - 1 + len(original)] == original


def _suppression(lines: list[str], diagnostic: Diagnostic, uri: str) -> types.CodeAction:
    """Insert a directive that silences the finding's code where it stands.

    In the body, a disable-next-line directive above the finding's line, indented as it; in
    the front matter (a caption, an alt text), where a comment cannot stand, a disable-file
    directive just below the front matter.
    """
    line = diagnostic.span.line
    closing = _front_matter_end(lines)
    if closing is not None and line <= closing:
        text = f"<!-- lint: disable-file {diagnostic.code} -- reason -->\n"
        start = types.Position(line=closing, character=0)
        title = f"Suppress {diagnostic.code} in this file"
    else:
        written = lines[line - 1] if 0 < line <= len(lines) else ""
        indent = written[: len(written) - len(written.lstrip())]
        text = f"{indent}<!-- lint: disable-next-line {diagnostic.code} -- reason -->\n"
        start = types.Position(line=line - 1, character=0)
        title = f"Suppress {diagnostic.code} here"
    edit = types.TextEdit(range=types.Range(start=start, end=start), new_text=text)
    return _action(title, uri, edit, False)


def _front_matter_end(lines: list[str]) -> int | None:
    """The 1-based line of the front matter's closing ``---``; None without front matter."""
    if not lines or lines[0].rstrip() != "---":
        return None
    return next((n + 1 for n, line in enumerate(lines[1:], 1) if line.rstrip() == "---"), None)


def _action(title: str, uri: str, edit: types.TextEdit, preferred: bool) -> types.CodeAction:
    return types.CodeAction(
        title=title,
        kind=types.CodeActionKind.QuickFix,
        edit=types.WorkspaceEdit(changes={uri: [edit]}),
        is_preferred=preferred or None,
    )


# Hover


def hover(rel: str, lines: list[str], where: types.Position, result: Result) -> types.Hover | None:
    """What the words under the cursor are: a figure, a reference, a term, or a finding."""
    line, at = _cursor(lines, where)
    chapter = result.chapters.get(rel)
    parts = [
        *_figure_hover(chapter, line, at),
        *_reference_hover(chapter, result, line, at),
        *_term_hover(chapter, result, where.line + 1, at + 1),
        *_abbreviation_hover(result, line, at),
        *_finding_hover(lines, result.diagnostics.get(rel, []), where),
    ]
    if not parts:
        return None
    value = "\n\n---\n\n".join(parts)
    return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=value))


def _figure(chapter: Chapter | None, figure_id: str) -> Figure | None:
    if chapter is None:
        return None
    return next((f for f in chapter.figures if f.id == figure_id), None)


def _figure_hover(chapter: Chapter | None, line: str, at: int) -> Iterator[str]:
    match = _at(_FIGREF, line, at)
    figure = _figure(chapter, match.group(1)) if match else None
    if chapter is None or figure is None:
        return
    caption = next((u.raw for u in units_of(chapter) if u.place == _caption_place(figure.id)), "")
    yield f"**Figure `{figure.id}`**\n\nCaption: {caption}\n\nAlt text: {figure.alt}"


def _caption_place(figure_id: str) -> Place:
    return Place("figures", figure_id, "caption")


def _reference(chapter: Chapter | None, result: Result, key: str) -> Reference | None:
    own = next((r for r in chapter.references if r.key == key), None) if chapter else None
    return own or result.bibliography.get(key)


def _key_at(line: str, at: int) -> str | None:
    citation = _at(_CITATION, line, at)
    if citation is None:
        return None
    inner = citation.group(0)
    key = _at(_KEY, inner, at - citation.start())
    return key.group(1) if key else None


def _reference_hover(chapter: Chapter | None, result: Result, line: str, at: int) -> Iterator[str]:
    key = _key_at(line, at)
    reference = _reference(chapter, result, key) if key else None
    if reference is not None:
        authors = ", ".join(reference.authors)
        yield (
            f"**[@{reference.key}]** {authors}. {reference.title}. "
            f"*{reference.journal}* {reference.year}."
        )


def _term_at(chapter: Chapter | None, result: Result, line: int, column: int) -> TermMatch | None:
    """The registered term written at ``line`` and ``column`` (1-based), if any."""
    if chapter is None or result.matcher is None:
        return None
    for unit in units_of(chapter):
        for match in result.matcher.find(unit):
            start = unit.span(match.start)
            if start.line != line or not unit.in_one_piece(match.start, match.end):
                continue
            if start.column <= column <= start.column + match.end - match.start:
                return match
    return None


def _concept_at(chapter: Chapter | None, result: Result, line: int, column: int) -> str | None:
    match = _term_at(chapter, result, line, column)
    return match.senses[0].concept.id if match and match.senses else None


def _term_hover(chapter: Chapter | None, result: Result, line: int, column: int) -> Iterator[str]:
    match = _term_at(chapter, result, line, column)
    for sense in match.senses if match else ():
        concept = sense.concept
        yield _sense_text(match.text if match else "", concept.id, concept.preferred,
                          sense.kind, sense.status, sense.use)  # fmt: skip


def _sense_text(
    written: str, concept: str, preferred: str, kind: str, status: str, use: str
) -> str:
    what = {"preferred": "preferred term", "synonym": f"synonym ({status})"}.get(
        kind, f"rejected: write '{use}'"
    )
    return f"**{written}**: {what}\n\nConcept `{concept}`, preferred term '{preferred}'"


def _abbreviation_hover(result: Result, line: str, at: int) -> Iterator[str]:
    word = _at(_WORD, line, at)
    if word is None or result.terminology is None:
        return
    for abbreviation in result.terminology.abbreviations:
        if abbreviation.abbr == word.group(0):
            yield (
                f"**{abbreviation.abbr}**: {abbreviation.expansion}\n\n"
                f"Policy: {abbreviation.policy}"
            )


def _finding_hover(
    lines: list[str], found: list[Diagnostic], where: types.Position
) -> Iterator[str]:
    for diagnostic in found:
        covered = token_range(lines, diagnostic.span)
        if covered.start.line == where.line and (
            covered.start.character <= where.character <= covered.end.character
        ):
            text = explanation(diagnostic.code)
            if text:
                yield f"**{diagnostic.code}**\n\n{text}"


# Definition


def definition(
    rel: str, lines: list[str], where: types.Position, result: Result, uri_of: UriOf
) -> types.Location | None:
    """Where the figure, reference or registered term under the cursor is declared."""
    line, at = _cursor(lines, where)
    chapter = result.chapters.get(rel)
    match = _at(_FIGREF, line, at)
    figure = _figure(chapter, match.group(1)) if match else None
    if figure is not None:
        return _location(figure.span, uri_of)
    key = _key_at(line, at)
    reference = _reference(chapter, result, key) if key else None
    if reference is not None:
        return _location(reference.span, uri_of)
    concept = _concept_at(chapter, result, where.line + 1, at + 1)
    place = result.concepts.get(concept) if concept else None
    return _location(place, uri_of) if place is not None else None


def _location(span: Span, uri_of: UriOf) -> types.Location:
    start = types.Position(line=span.line - 1, character=0)
    return types.Location(uri=uri_of(span.path), range=types.Range(start=start, end=start))


# Completion

_AFTER_FIGREF = re.compile(r"@fig-([a-z0-9-]*)\Z")
_AFTER_CITATION = re.compile(r"\[@(?:[^\]\n]*;\s*@)?([A-Za-z0-9_:.-]*)\Z")
_AFTER_BRACE = re.compile(r"\{([\w-]*)\Z")


def completion(
    rel: str, lines: list[str], where: types.Position, result: Result
) -> list[types.CompletionItem]:
    """Ids, citation keys, markers, differential names, headings or labels, as the text asks.

    Each item replaces what is typed of it (an id after '@', a key after '[@', a marker
    after '{'), whatever a word is to the editor: ids have hyphens, keys colons.
    """
    line, at = _cursor(lines, where)
    before = line[:at]
    chapter = result.chapters.get(rel)
    reference = types.CompletionItemKind.Reference
    if typed := _AFTER_FIGREF.search(before):
        figures = chapter.figures if chapter else []
        choices = [(f.id, f.alt, reference) for f in figures]
        return _items(choices, before, typed.start() + 1, where)
    if typed := _AFTER_CITATION.search(before):
        keys = {r.key: r.title for r in result.bibliography.values()}
        keys.update({r.key: r.title for r in chapter.references} if chapter else {})
        return _items([(k, t, reference) for k, t in keys.items()], before, typed.start(1), where)
    if typed := _AFTER_BRACE.search(before):
        marker = types.CompletionItemKind.EnumMember
        choices = [(kind, "annotation marker", marker) for kind in MARKER_KINDS]
        return _items(choices, before, typed.start(1), where)
    if before.startswith("## ") and _in_differentials(lines, where.line):
        concepts = result.terminology.concepts if result.terminology else []
        value = types.CompletionItemKind.Value
        return _items([(c.preferred, f"concept {c.id}", value) for c in concepts], before, 3, where)
    return _skeleton(lines, where, before)


_LABEL = re.compile(r"^\s*- \*\*([^*]*)$")
"""A run-in label being typed at a bullet's start: ``- **T1``."""


def _skeleton(lines: list[str], where: types.Position, before: str) -> list[types.CompletionItem]:
    """The headings and run-in labels the skeleton allows where the cursor stands."""
    heading = types.CompletionItemKind.Module
    if re.fullmatch(r"# [^#]*", before):
        return _items([(s.title, "section", heading) for s in SKELETON], before, 2, where)
    section = _section(lines, where.line)
    if re.fullmatch(r"## [^#]*", before):
        if section is None or section.free:
            return []
        subs = [
            (sub.title, f"subsection of {section.title}", heading) for sub in section.subsections
        ]
        return _items(subs, before, 3, where)
    typed = _LABEL.match(before)
    title = _subsection(lines, where.line, section)
    if typed is None or title is None:
        return []
    labels = [(label, f"run-in label of {title.title}", types.CompletionItemKind.Keyword)
              for label in title.labels]  # fmt: skip
    return _items(labels, before, typed.start(1), where)


def _section(lines: list[str], index: int) -> Sec | None:
    """The skeleton's section whose ``# `` heading stands last above line ``index``."""
    for line in reversed(lines[:index]):
        if line.startswith("# "):
            title = line[2:].strip().lower()
            return next((s for s in SKELETON if s.title.lower() == title), None)
    return None


def _subsection(lines: list[str], index: int, section: Sec | None) -> Sub | None:
    """The subsection of ``section`` whose ``## `` heading stands above, within the section."""
    for line in reversed(lines[:index]):
        if line.startswith("# "):
            return None  # the section began first: no subsection yet
        if line.startswith("## ") and section is not None:
            title = line[3:].strip().lower()
            return next((sub for sub in section.subsections if sub.title.lower() == title), None)
    return None


def _items(
    choices: list[tuple[str, str, types.CompletionItemKind]],
    before: str,
    start: int,
    where: types.Position,
) -> list[types.CompletionItem]:
    """Items that replace ``before[start:]`` (up to the cursor) by their label."""
    begin = types.Position(line=where.line, character=utf16(before[:start]))
    replaced = types.Range(start=begin, end=where)
    return [
        types.CompletionItem(
            label=label,
            detail=detail,
            kind=kind,
            text_edit=types.TextEdit(range=replaced, new_text=label),
        )
        for label, detail, kind in choices
    ]


def _in_differentials(lines: list[str], index: int) -> bool:
    """True when line ``index`` stands under the Differential Diagnosis heading."""
    for line in reversed(lines[:index]):
        if line.startswith("# "):
            return line[2:].strip().lower() == "differential diagnosis"
    return False


__all__ = ["code_actions", "completion", "definition", "hover"]
