"""The language server's check: validation and lint of the tree, open buffers in place of files.

An editor's unsaved text is what its user is looking at, so the findings must be those of
that text, not of the file on disk, and the buffer is never written anywhere. Every source
file is read through ``read_source`` (``pipeline/read/files.py``); while ``overlaid`` runs,
the readers of book.yaml, the registry, the bibliography and the chapters ask it first for
the open buffer of the file they want. The run is ``check_source``'s, with its chapter cache
in memory instead of on disk (``Checker``): the disk cache's entries are keyed on the files
on disk, never on a buffer, and the server writes nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.diagnostics import Diagnostic, Sink, ordered
from pipeline.lint import ConfigError, LintConfig, load_config
from pipeline.lint.runner import finish
from pipeline.model.book import Chapter, Reference
from pipeline.model.span import Span
from pipeline.model.terminology import Terminology
from pipeline.orchestrate.check import ChapterRecord, Checked, _base_key, _check_here
from pipeline.read import files
from pipeline.read import yaml as yaml_reader
from pipeline.read.files import file_identity
from pipeline.read.text import decode
from pipeline.terminology import Matcher
from pipeline.validate import chapter as chapter_reader
from pipeline.validate import source as source_reader
from pipeline.validate.source import CHAPTERS, chapter_files, check_across, read_shared

_READERS = (source_reader, chapter_reader)
"""The modules whose ``read_source`` reads the files a check reads."""


@dataclass
class Result:
    """What one check found, kept for the requests that follow it (hover, completion, …)."""

    diagnostics: dict[str, list[Diagnostic]] = field(default_factory=dict)
    """Every finding, by the path (inside the source tree) it is about."""
    chapters: dict[str, Chapter] = field(default_factory=dict)
    """The model of each chapter whose metadata is valid, by path."""
    terminology: Terminology | None = None
    bibliography: dict[str, Reference] = field(default_factory=dict)
    matcher: Matcher | None = None
    concepts: dict[str, Span] = field(default_factory=dict)
    """Where each concept of the registry is declared (its ``id``), by id."""


@contextmanager
def overlaid(buffers: dict[str, bytes]) -> Iterator[None]:
    """Let the readers of source files see ``buffers`` (by path) instead of those files."""

    def read(root: Path, rel: str, report: Sink) -> bytes | None:
        if rel in buffers:
            return buffers[rel]
        return files.read_source(root, rel, report)

    for module in _READERS:
        module.read_source = read  # type: ignore[attr-defined]
    try:
        yield
    finally:
        for module in _READERS:
            module.read_source = files.read_source  # type: ignore[attr-defined]


def lint_config(root: Path) -> LintConfig:
    """The lint configuration, from the pyproject.toml the CLI reads.

    That is the one beside the source tree, else the working directory's. A broken one is
    the CLI's to report (``monograph lint`` stops on it); the server lints with the defaults.
    """
    beside = root.resolve().parent / "pyproject.toml"
    pyproject = beside if beside.is_file() else Path("pyproject.toml")
    try:
        return load_config(pyproject) if pyproject.is_file() else LintConfig()
    except ConfigError:
        return LintConfig()


class Checker:
    """Checks a tree again and again, keeping each chapter's result while its inputs stay.

    A keystroke changes one chapter; checking the others again would cost a second for each
    hundred chapters. So each chapter's record is kept in memory under what it depends on:
    the chapter's bytes (the buffer's, or the file's), the registry, bibliography and lint
    configuration (``_base_key``, as the chapter cache keys them), and the images its
    figures named, as ``stat`` finds them. book.yaml and the checks across chapters run
    every time, as ``check_source`` runs them.
    """

    def __init__(self, root: Path, config: LintConfig) -> None:
        self.root = root
        self.config = config
        self.kept: dict[str, tuple[str, ChapterRecord]] = {}
        self.matchers: dict[str, Matcher] = {}
        """The registry's matcher, by the registry's JSON: compiled once per registry."""

    def check(self, buffers: dict[str, str]) -> Result:
        """Validate and lint the tree with ``buffers`` (text by path) in place of their files."""
        data = {rel: text.encode("utf-8") for rel, text in buffers.items()}
        with overlaid(data):
            checked = self._checked(data)
            has_registry = checked.shared.terminology is not None
            concepts = _concept_places(self.root, data) if has_registry else {}
        return _result(checked, concepts, self._matcher(checked.shared.terminology))

    def _matcher(self, terminology: Terminology | None) -> Matcher | None:
        if terminology is None:
            return None
        name = terminology.model_dump_json()
        if name not in self.matchers:
            self.matchers = {name: Matcher(terminology)}  # the last registry only
        return self.matchers[name]

    def _checked(self, data: dict[str, bytes]) -> Checked:
        root, report = self.root, Sink()
        shared = read_shared(root, report)
        listed, present = chapter_files(root, shared, report)
        base = _base_key(shared, self.config)
        records: dict[str, ChapterRecord] = {}
        todo: list[tuple[str, bytes | None]] = []
        keys: dict[str, str] = {}
        for stem in present:
            rel = f"{CHAPTERS}/{stem}.md"
            read = data[rel] if rel in data else files.read_source(root, rel, Sink())
            if read is None:  # refused or unreadable: checked again, which reports why
                todo.append((stem, None))
                continue
            keys[stem] = hashlib.sha256(base.encode() + b"\0" + read).hexdigest()
            kept = self.kept.get(stem)
            if kept is not None and kept[0] == keys[stem] and self._images_same(kept[1]):
                records[stem] = kept[1]
            else:
                todo.append((stem, read))
        fresh = _check_here(shared.context, self.config, todo)
        records.update(fresh)
        self.kept = {stem: (keys[stem], records[stem]) for stem in keys}
        checked = Checked(root, shared, listed, records, [], [], [], len(present) - len(todo))
        check_across(shared, listed, [r.anchors for r in checked.chapters() if r.anchors], report)
        chapters = (d for stem in present for d in records[stem].diagnostics)
        checked.validation = ordered([*report.items, *chapters])
        if checked.valid and shared.terminology is not None:
            parts = [r.lint for r in checked.chapters() if r.lint is not None]
            checked.lint = finish(shared.terminology, parts, self.config)
        return checked

    def _images_same(self, record: ChapterRecord) -> bool:
        looked = record.looked.items()
        return all(file_identity(self.root / path) == was for path, was in looked)


def _result(checked: Checked, concepts: dict[str, Span], matcher: Matcher | None) -> Result:
    result = Result(
        terminology=checked.shared.terminology,
        bibliography=dict(checked.shared.context.bibliography),
        matcher=matcher,
        concepts=concepts,
    )
    for diagnostic in checked.diagnostics:
        result.diagnostics.setdefault(diagnostic.span.path, []).append(diagnostic)
    for record in checked.records.values():
        if record.model is not None:
            result.chapters[record.rel] = record.model
    return result


def _concept_places(root: Path, buffers: dict[str, bytes]) -> dict[str, Span]:
    """Where each concept id is written in the registry's files (read again, with places).

    The check keeps the merged registry without places; its files are small, and were just
    found readable, so reading them again here costs little and reports nothing new.
    """
    names = [source_reader.TERMINOLOGY] if (root / source_reader.TERMINOLOGY).is_file() else []
    folder = root / source_reader.TERMINOLOGY_DIR
    if folder.is_dir():
        names += sorted(f"{source_reader.TERMINOLOGY_DIR}/{p.name}" for p in folder.glob("*.yaml"))
    places: dict[str, Span] = {}
    for rel in names:
        quiet = Sink()
        data = buffers[rel] if rel in buffers else files.read_source(root, rel, quiet)
        doc = yaml_reader.load(decode(data, rel, quiet), rel, quiet) if data is not None else None
        if doc is None or not isinstance(doc.data, dict):
            continue
        concepts = doc.data.get("concepts")
        for index, concept in enumerate(concepts if isinstance(concepts, list) else []):
            if isinstance(concept, dict) and isinstance(concept.get("id"), str):
                places.setdefault(concept["id"], doc.span(("concepts", index, "id")))
    return places
