"""One chapter file: front matter, figures, references, body and their cross-references."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.diagnostics import Sink
from pipeline.model.book import Chapter, Figure, Reference, Written
from pipeline.model.source import (
    ChapterFrontMatter,
    ChapterMeta,
    FigureSource,
    ReferenceSource,
    Status,
)
from pipeline.model.span import Span
from pipeline.model.terminology import Terminology
from pipeline.read import yaml as yaml_reader
from pipeline.read.files import read_source
from pipeline.read.frontmatter import split
from pipeline.read.markdown import BodyReader
from pipeline.read.text import decode, lines_within_limit
from pipeline.read.yaml import YamlDoc
from pipeline.validate.crossref import Declared, check_references
from pipeline.validate.errors import validate_model
from pipeline.validate.figures import MAX_FIGURES, FigureChecker
from pipeline.validate.structure import Structure

_LISTS = ("figures", "references")


@dataclass
class Context:
    """What every chapter is checked against: the source root and the shared data."""

    root: Path
    terminology: Terminology | None
    bibliography: dict[str, Reference] = field(default_factory=dict)
    made: Path | None = None
    """The folder where images made of DICOM files are kept between runs (None: not kept)."""


def read_chapter(
    context: Context,
    rel: str,
    report: Sink,
    looked: dict[str, list[int] | None] | None = None,
    data: bytes | None = None,
) -> Chapter | None:
    """Validate ``rel`` (``chapters/<id>.md``); return the chapter if its metadata is valid.

    ``looked`` receives the path of every image file the chapter's figures name (under
    ``figures/``), found or not, with its ``file_identity`` before it was read: what the
    chapter's findings depend on besides its text.
    ``data``: the file's bytes, already read (by ``read_source``), else it is read here.
    """
    if data is None:
        data = read_source(context.root, rel, report)
    if data is None:
        return None
    text = decode(data, rel, report)
    if not lines_within_limit(text, rel, report):
        return None
    parts = split(text, rel, report)
    doc = None
    if parts.front_matter is not None:
        doc = yaml_reader.load(parts.front_matter, rel, report, line_offset=parts.front_line)
    raw = _mapping(doc, report)
    fields = {k: v for k, v in (raw or {}).items() if k not in _LISTS}
    meta = _meta(fields, doc, report) if raw is not None else None
    status: Status = meta.status if meta else _status_guess(raw or {})
    figures = _figures(context, doc, raw, status, report, looked) if doc and raw else []
    references = _references(doc, raw, context.bibliography, report) if doc and raw else []
    end_line = parts.body_line + 1 + parts.body.rstrip("\n").count("\n")
    body = BodyReader(rel, parts.body, parts.body_line + 1, report)
    blocks = body.read()
    if body.too_large:
        return None
    sections = Structure(rel, status, end_line, report).build(blocks)
    if raw is not None:
        declared = Declared(_raw_ids(raw, "figures", "id"), _raw_ids(raw, "references", "key"))
        check_references(body.inlines, figures, references, declared, context.bibliography, report)
    if meta is None or doc is None:
        return None
    _check_meta(meta, doc, rel, context, report)
    span = Span(path=rel, line=1, column=1)
    return Chapter(
        span=span,
        meta=meta,
        figures=figures,
        references=references,
        sections=sections,
        comments=body.comments,
        written=_written_texts(doc, raw or {}, meta, figures),
    )


_FIGURE_TEXTS = ("alt", "long_description", "credit")
"""The texts of a figure a reader sees besides its caption (parsed as Markdown)."""


def _written_texts(
    doc: YamlDoc, raw: dict[str, Any], meta: ChapterMeta, figures: list[Figure]
) -> dict[str, Written]:
    """Where the chapter's title and each figure's reader-visible texts are written."""
    found = {}
    title = _written(doc, ("title",), meta.title)
    if title is not None:
        found["title"] = title
    kept = {figure.id: figure for figure in figures}
    items = raw.get("figures")
    for index, item in enumerate(items if isinstance(items, list) else []):
        figure = kept.get(str(item.get("id"))) if isinstance(item, dict) else None
        for name in _FIGURE_TEXTS if figure is not None else ():
            value = getattr(figure, name)
            where = _written(doc, ("figures", index, name), value) if value else None
            if figure is not None and where is not None:
                found[f"figure:{figure.id}:{name}"] = where
    return found


def _written(doc: YamlDoc, loc: tuple[str | int, ...], value: str) -> Written | None:
    """Where ``value`` is written at ``loc``, exact when its characters are as written."""
    found = doc.raw(loc)
    if found is None:
        return None
    text, where = found
    span = Span(path=doc.path, line=where.line, column=where.column)
    if "\n" in text:
        return Written(span=span, exact=False)
    if text == value:
        return Written(span=span, exact=True)
    quoted = len(text) >= 2 and text[0] in "'\"" and text[-1] == text[0]
    if quoted and text[1:-1] == value:
        return Written(span=span.model_copy(update={"column": where.column + 1}), exact=True)
    return Written(span=span, exact=False)


def _mapping(doc: YamlDoc | None, report: Sink) -> dict[str, Any] | None:
    if doc is None:
        return None
    if not isinstance(doc.data, dict):
        report.add("R108", doc.span(()), "front matter is not a mapping of fields")
        return None
    return doc.data


def _meta(fields: dict[str, Any], doc: YamlDoc | None, report: Sink) -> ChapterMeta | None:
    """Validate the metadata fields (figures and references are checked one by one)."""
    front = validate_model(ChapterFrontMatter, fields, doc, report)
    return ChapterMeta(**front.model_dump(exclude=set(_LISTS))) if front else None


def _status_guess(raw: dict[str, Any]) -> Status:
    status = raw.get("status")
    return status if status in ("review", "published") else "draft"


def _items(doc: YamlDoc, raw: dict[str, Any], name: str, report: Sink) -> list[tuple[int, Any]]:
    value = raw.get(name, [])
    if value is None:
        return []
    if not isinstance(value, list):
        report.add("V103", doc.span((name,)), f"'{name}' must be a list")
        return []
    return list(enumerate(value))


def _figures(
    context: Context,
    doc: YamlDoc,
    raw: dict[str, Any],
    status: Status,
    report: Sink,
    looked: dict[str, list[int] | None] | None,
) -> list[Figure]:
    looked = {} if looked is None else looked
    checker = FigureChecker(context.root, doc, status, report, looked, context.made)
    figures: list[Figure] = []
    items = _items(doc, raw, "figures", report)
    if len(items) > MAX_FIGURES:
        message = f"{len(items)} figures declared; the limit is {MAX_FIGURES}"
        report.add("F109", doc.span(("figures", MAX_FIGURES)), message)
    for index, item in items[:MAX_FIGURES]:
        source = validate_model(FigureSource, item, doc, report, ("figures", index))
        if source is None:
            continue
        if any(f.id == source.id for f in figures):
            message = f"figure id '{source.id}' is declared twice"
            report.add("X105", doc.span(("figures", index, "id")), message)
            continue
        figures.append(checker.check(index, source))
    return figures


def _references(
    doc: YamlDoc, raw: dict[str, Any], bibliography: dict[str, Reference], report: Sink
) -> list[Reference]:
    references: list[Reference] = []
    for index, item in _items(doc, raw, "references", report):
        source = validate_model(ReferenceSource, item, doc, report, ("references", index))
        if source is None:
            continue
        span = doc.span(("references", index))
        if source.key in bibliography:
            message = f"reference key '{source.key}' is also declared in bibliography.yaml"
            report.add("X105", doc.span(("references", index, "key")), message)
            continue
        if any(r.key == source.key for r in references):
            message = f"reference key '{source.key}' is declared twice"
            report.add("X105", doc.span(("references", index, "key")), message)
            continue
        references.append(Reference(**source.model_dump(), span=span))
    return references


def _raw_ids(raw: dict[str, Any], name: str, key: str) -> set[str] | None:
    """Ids declared in front matter, valid or not, so one bad entry does not cascade.

    None when the list itself is unusable: then nothing can be called dangling.
    """
    items = raw.get(name, [])
    if items is None:
        return set()
    if not isinstance(items, list):
        return None
    return {str(item[key]) for item in items if isinstance(item, dict) and key in item}


def _check_meta(meta: ChapterMeta, doc: YamlDoc, rel: str, context: Context, report: Sink) -> None:
    stem = Path(rel).stem
    if meta.id != stem:
        report.add(
            "X106", doc.span(("id",)), f"chapter id '{meta.id}' differs from file name '{stem}.md'"
        )
    terms = context.terminology
    if terms is not None and terms.concept(meta.concept) is None:
        report.add("X109", doc.span(("concept",)), f"concept '{meta.concept}' is not registered")
    if meta.status == "published" and meta.last_reviewed is None:
        report.add("V111", doc.span(("status",)), "a published chapter needs last_reviewed")
    if meta.last_reviewed and meta.next_review and meta.next_review <= meta.last_reviewed:
        report.add("V111", doc.span(("next_review",)), "next_review is not after last_reviewed")
