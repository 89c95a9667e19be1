"""A whole source tree: book.yaml, the terminology registry, the bibliography, the chapters."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.diagnostics import Diagnostic, Sink, has_errors, ordered
from pipeline.model.book import Book, Chapter, Reference
from pipeline.model.source import BibliographySource, BookSource
from pipeline.model.span import Span
from pipeline.model.terminology import Terminology
from pipeline.read import yaml as yaml_reader
from pipeline.read.files import read_source, real_folder
from pipeline.read.text import decode, lines_within_limit
from pipeline.read.yaml import YamlDoc
from pipeline.validate.chapter import Context, read_chapter
from pipeline.validate.crossref import Anchors, check_anchors, check_output_paths
from pipeline.validate.errors import M, validate_model

BOOK = "book.yaml"
TERMINOLOGY = "terminology.yaml"
TERMINOLOGY_DIR = "terminology"
BIBLIOGRAPHY = "bibliography.yaml"
CHAPTERS = "chapters"


class SourceError(Exception):
    """The source directory cannot be used at all (exit status 2)."""


@dataclass(frozen=True)
class Result:
    """The validated book (None when errors prevent building it) and every finding."""

    book: Book | None
    diagnostics: list[Diagnostic]

    @property
    def ok(self) -> bool:
        """True when no finding is an error."""
        return not has_errors(self.diagnostics)


@dataclass(frozen=True)
class Shared:
    """book.yaml, and what every chapter is checked against (registry, bibliography)."""

    meta: BookSource | None
    doc: YamlDoc | None
    context: Context

    @property
    def terminology(self) -> Terminology | None:
        """The merged registry; None when any of its files is unusable."""
        return self.context.terminology


def validate_source(root: Path) -> Result:
    """Read and validate everything under ``root``, reporting all problems in one run."""
    report = Sink()
    shared = read_shared(root, report)
    listed, present = chapter_files(root, shared, report)
    read = {stem: read_chapter(shared.context, f"{CHAPTERS}/{stem}.md", report) for stem in present}
    chapters = [chapter for stem in listed if (chapter := read.get(stem)) is not None]
    check_across(shared, listed, [Anchors.of(chapter) for chapter in chapters], report)
    book = None if has_errors(report.items) else assemble(shared, chapters)
    return Result(book, ordered(report.items))


def assemble(shared: Shared, chapters: list[Chapter]) -> Book | None:
    """The book of ``chapters`` (those listed, in order); None if book.yaml or the registry is not.

    The caller has made sure nothing found is an error.
    """
    if shared.meta is None or shared.terminology is None:
        return None
    return Book(
        span=Span(path=BOOK, line=1, column=1),
        meta=shared.meta,
        chapters=chapters,
        bibliography=list(shared.context.bibliography.values()),
        terminology=shared.terminology,
    )


def read_shared(root: Path, report: Sink) -> Shared:
    """Read and check book.yaml, the registry and the bibliography; a run starts here."""
    real_folder.cache_clear()  # folders are resolved afresh by each run
    if not root.is_dir():
        raise SourceError(f"source directory '{root}' does not exist")
    if not (root / BOOK).is_file():
        raise SourceError(f"'{root}' has no {BOOK}; is it a monograph source directory?")
    book_doc = _load(root, BOOK, report)
    meta = validate_model(BookSource, book_doc.data, book_doc, report) if book_doc else None
    terminology = _terminology(root, report)
    return Shared(meta, book_doc, Context(root, terminology, _bibliography(root, report)))


def chapter_files(root: Path, shared: Shared, report: Sink) -> tuple[list[str], list[str]]:
    """The ids of the chapters to build, in order, and the chapter files there are, sorted.

    A listed chapter without a file is X107, a file not listed X108.
    """
    folder = root / CHAPTERS
    usable = _folder_inside(root, CHAPTERS, report)
    present = sorted(p.stem for p in folder.glob("*.md")) if usable else []
    listed = _listed(shared.meta, shared.doc, present, report, missing=usable is not None)
    for stem in present:
        if stem not in listed:
            report.add(
                "X108",
                Span(path=f"{CHAPTERS}/{stem}.md", line=1, column=1),
                f"chapter file '{stem}.md' is not listed in {BOOK}",
            )
    return listed, present


def check_across(shared: Shared, listed: list[str], anchors: list[Anchors], report: Sink) -> None:
    """What no chapter shows alone: output paths (X112) and anchors (X113) shared by two ids.

    ``anchors``: those of the listed chapters that validated, in book order.
    """
    places = _places(shared.meta, shared.doc)
    if shared.meta is not None and shared.doc is not None:
        where = {chapter_id: places[chapter_id] for chapter_id in listed}
        check_output_paths(shared.meta.id, shared.doc.span(("id",)), where, report)
    check_anchors(anchors, places, report)


def _load(root: Path, rel: str, report: Sink) -> YamlDoc | None:
    data = read_source(root, rel, report)
    if data is None:
        return None
    text = decode(data, rel, report)
    if not lines_within_limit(text, rel, report):
        return None
    doc = yaml_reader.load(text, rel, report)
    if doc is not None and not isinstance(doc.data, dict):
        report.add("R108", doc.span(()), f"{rel} is not a mapping of fields")
        return None
    return doc


def _load_model(root: Path, rel: str, model: type[M], report: Sink) -> tuple[M, YamlDoc] | None:
    doc = _load(root, rel, report)
    value = validate_model(model, doc.data, doc, report) if doc else None
    return (value, doc) if value is not None and doc is not None else None


def _terminology(root: Path, report: Sink) -> Terminology | None:
    files = [TERMINOLOGY] if (root / TERMINOLOGY).is_file() else []
    folder = _folder_inside(root, TERMINOLOGY_DIR, report)
    if folder:
        files += sorted(
            f"{TERMINOLOGY_DIR}/{p.name}" for p in (root / TERMINOLOGY_DIR).glob("*.yaml")
        )
    if not files:
        if folder is not None:  # a refused folder has its finding already
            span = Span(path=TERMINOLOGY, line=1, column=1)
            report.add("R109", span, "no terminology registry")
        return None
    concepts: dict[str, Any] = {}
    abbreviations: dict[str, Any] = {}
    spellings: dict[str, Any] = {}
    policy: dict[str, Any] = {}
    names: dict[str, str] = {}
    complete = True
    for rel in files:
        loaded = _load_model(root, rel, Terminology, report)
        if loaded is None:
            complete = False
            continue
        part, doc = loaded
        _claim_names(part, doc, names, report)
        _merge(part.concepts, "id", ("concepts",), concepts, doc, report)
        _merge(part.abbreviations, "abbr", ("abbreviations",), abbreviations, doc, report)
        _merge(part.spellings, "variant", ("spellings",), spellings, doc, report)
        chosen = {"eponyms", "identifiers", "dialect"}
        policy.update(part.model_dump(include=chosen, exclude_unset=True))
    if not complete:
        return None
    return Terminology(
        concepts=list(concepts.values()),
        abbreviations=list(abbreviations.values()),
        spellings=list(spellings.values()),
        **policy,
    )


def _claim_names(part: Terminology, doc: YamlDoc, names: dict[str, str], report: Sink) -> None:
    """Report a preferred term or synonym that already names another concept (X111)."""
    for index, concept in enumerate(part.concepts):
        claims: list[tuple[str, str, tuple[str | int, ...]]] = [
            ("preferred", concept.preferred, (index, "preferred"))
        ]
        claims += [
            ("synonym", s.term, (index, "synonyms", i, "term"))
            for i, s in enumerate(concept.synonyms)
        ]
        for kind, term, loc in claims:
            owner = names.setdefault(_name_key(term), concept.id)
            if owner != concept.id:
                message = f"{kind} '{term}' of '{concept.id}' already names '{owner}'"
                report.add("X111", doc.span(("concepts", *loc)), message)


def _name_key(term: str) -> str:
    return " ".join(term.lower().replace("-", " ").split())


def _merge(
    items: list[Any],
    key: str,
    loc: tuple[str, ...],
    into: dict[str, Any],
    doc: YamlDoc,
    report: Sink,
) -> None:
    for index, item in enumerate(items):
        name = getattr(item, key)
        if name in into:
            span = doc.span((*loc, index, key))
            report.add("X105", span, f"{loc[0][:-1]} '{name}' is declared twice")
            continue
        into[name] = item


def _bibliography(root: Path, report: Sink) -> dict[str, Reference]:
    if not (root / BIBLIOGRAPHY).is_file():
        return {}
    loaded = _load_model(root, BIBLIOGRAPHY, BibliographySource, report)
    if loaded is None:
        return {}
    source, doc = loaded
    references: dict[str, Reference] = {}
    for index, item in enumerate(source.references):
        span = doc.span(("references", index))
        if item.key in references:
            report.add(
                "X105",
                doc.span(("references", index, "key")),
                f"reference key '{item.key}' is declared twice",
            )
            continue
        references[item.key] = Reference(**item.model_dump(), span=span)
    return references


def _folder_inside(root: Path, name: str, report: Sink) -> bool | None:
    """True when ``root/name`` is a folder inside the source tree, which may be listed.

    A folder that is a link out of the tree (R113), or that cannot be resolved (a link loop,
    R109), is refused before it is listed (None): the names of its files are never read, so
    never printed in a finding (an unlisted chapter's X108 quotes its file name).
    """
    folder = root / name
    span = Span(path=name, line=1, column=1)
    try:
        inside = folder.resolve().is_relative_to(root.resolve())
        is_dir = folder.is_dir()
    except (OSError, RuntimeError) as err:  # RuntimeError: a symbolic link loop (Python 3.11)
        report.add("R109", span, f"cannot read: {getattr(err, 'strerror', None) or err}")
        return None
    if is_dir and not inside:
        report.add("R113", span, f"'{name}' is a link to a folder outside the source tree")
        return None
    return is_dir


def _places(meta: BookSource | None, doc: YamlDoc | None) -> dict[str, Span]:
    """Where book.yaml first lists each chapter id (nothing when book.yaml is unusable)."""
    if meta is None or doc is None:
        return {}
    places: dict[str, Span] = {}
    for index, chapter_id in enumerate(meta.chapters):
        places.setdefault(chapter_id, doc.span(("chapters", index)))
    return places


def _listed(
    meta: BookSource | None,
    doc: YamlDoc | None,
    present: list[str],
    report: Sink,
    *,
    missing: bool = True,
) -> list[str]:
    """The chapters of book.yaml that have a file; ``missing``: report those without (X107)."""
    if meta is None or doc is None:
        return list(present)
    listed: list[str] = []
    files, taken = set(present), set()
    for index, chapter_id in enumerate(meta.chapters):
        span = doc.span(("chapters", index))
        if chapter_id in taken:
            report.add("X105", span, f"chapter '{chapter_id}' is listed twice")
        elif chapter_id not in files:
            if missing:
                report.add("X107", span, f"no file {CHAPTERS}/{chapter_id}.md for listed chapter")
        else:
            listed.append(chapter_id)
            taken.add(chapter_id)
    return listed
