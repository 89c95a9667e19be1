"""Reading, validating and linting a source tree, with each chapter's results kept in a cache.

``validate``, ``lint`` and ``build`` all start here. book.yaml, the registry and the
bibliography are read and checked on every run (they are small). Each chapter's part (its
findings from reading, validation and lint, and the summaries the book-wide checks need) is
kept in ``<source>/.monograph-cache/`` under a key made of everything it depends on:

- the chapter's bytes and path;
- the registry and the bibliography, as validated (their JSON);
- the lint configuration;
- the pipeline's code and the versions of the packages that read and check
  (``_code``, ``_versions``);
- the image files its figures name, and the chapter file itself, by what ``stat`` says of
  the file each leads to (device, inode, size, modification and change times), taken before
  it was read: an image replaced, touched or removed, or a link pointed elsewhere, makes the
  chapter be checked again, and an entry counts only for the very files it was made from.

book.yaml is not in the key: what a chapter's findings depend on never includes it (a chapter
rule sees the registry only, ``lint.context``), and the checks across chapters (output paths,
anchors, one name per concept) run on every run, on the chapters' summaries. So a cache
never hides a finding: a result is used only when every input it was made from is the same.

An entry that cannot be read (corrupt, cut short, from another version, not ours) is never
trusted: the chapter is checked again and the run says so once. The cache lives inside the
source tree, beside what it caches, and holds a ``.gitignore`` of everything; a cache folder
that is a link, or that cannot be written, is left alone with one note.
"""

from __future__ import annotations

import hashlib
import json
import time
from contextlib import nullcontext
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from pipeline.diagnostics import Diagnostic, Sink, has_errors, ordered
from pipeline.lint import LintConfig
from pipeline.lint.runner import ChapterLint, finish, lint_chapter
from pipeline.model.book import Book, Chapter
from pipeline.orchestrate.jobs import PACKAGE, Digest, chapter_hash
from pipeline.orchestrate.limits import OverBudget, memory_budget, resident_bytes
from pipeline.read.files import file_identity, read_source, write_atomic
from pipeline.validate.chapter import Context, read_chapter
from pipeline.validate.crossref import Anchors, Place
from pipeline.validate.source import (
    CHAPTERS,
    Shared,
    SourceError,
    assemble,
    chapter_files,
    check_across,
    read_shared,
)

CACHE_DIR = ".monograph-cache"
"""The cache's folder, inside the source tree."""
FORMAT = 1
"""The form of an entry; another number is another folder, so old entries are never read."""
ENTRY = {"key", "sha", "stat", "images", "record"}
"""What an entry of the cache holds."""
PARALLEL_FROM = 64
"""Chapters to check before the work is shared among processes: fewer cost less alone."""
READERS = ("pydantic", "pydantic-core", "markdown-it-py", "mdit-py-plugins", "pyyaml")
"""The packages whose versions can change what reading and checking a chapter finds."""


@dataclass
class ChapterRecord:
    """What one chapter file gives a run, fresh or from the cache; never its model.

    ``model`` is the chapter when this process has just read it (a build that must render
    then need not read it again); it is not kept in the cache.
    """

    rel: str
    diagnostics: list[Diagnostic]
    """Reading and validation findings, the chapter's own."""
    anchors: Anchors | None = None
    """None when no chapter model could be made."""
    lint: ChapterLint | None = None
    """None when the chapter has errors or the registry is unusable: lint will not run."""
    digest: str = ""
    """``chapter_hash``: what the chapter's render jobs are keyed on."""
    dates: list[str] = field(default_factory=list)
    images: dict[str, str] = field(default_factory=dict)
    """Each image file's path and SHA-256, for the manifest."""
    chars: str = ""
    """Every character the renderers print from the chapter, once, sorted (for P101)."""
    looked: dict[str, list[int] | None] = field(default_factory=dict)
    """The image paths the chapter's figures name, found or not, each with its
    ``file_identity`` from before validation read it (a fresh record only)."""
    model: Chapter | None = None

    def as_state(self) -> dict[str, Any]:
        """JSON values, for the cache."""
        anchors = self.anchors
        return {
            "rel": self.rel,
            "diagnostics": [d.as_state() for d in self.diagnostics],
            "anchors": None if anchors is None else _anchors_state(anchors),
            "lint": None if self.lint is None else self.lint.as_state(),
            "digest": self.digest,
            "dates": self.dates,
            "images": self.images,
            "chars": self.chars,
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> ChapterRecord:
        """The inverse of ``as_state``; malformed: KeyError, TypeError, ValueError, IndexError."""
        anchors = state["anchors"]
        return cls(
            rel=str(state["rel"]),
            diagnostics=[Diagnostic.from_state(d) for d in state["diagnostics"]],
            anchors=None if anchors is None else _anchors(anchors),
            lint=None if state["lint"] is None else ChapterLint.from_state(state["lint"]),
            digest=str(state["digest"]),
            dates=[str(day) for day in state["dates"]],
            images={str(k): str(v) for k, v in dict(state["images"]).items()},
            chars=str(state["chars"]),
        )


def _anchors_state(anchors: Anchors) -> list[Any]:
    figures = [[figure, list(where)] for figure, where in anchors.figures]
    return [anchors.chapter, list(anchors.place), figures]


def _anchors(state: list[Any]) -> Anchors:
    figures = tuple((str(figure), _place(where)) for figure, where in state[2])
    return Anchors(str(state[0]), _place(state[1]), figures)


def _place(state: list[Any]) -> Place:
    path, line, column = state
    return (str(path), int(line), int(column))


@dataclass
class Checked:
    """A checked source tree: findings, and what a build needs, without the chapters' models."""

    root: Path
    shared: Shared
    listed: list[str]
    records: dict[str, ChapterRecord]
    validation: list[Diagnostic]
    lint: list[Diagnostic]
    notes: list[str]
    reused: int
    """How many chapters' results came from the cache."""
    texts: dict[str, str] = field(default_factory=dict)
    """The SHA-256 of each chapter file's bytes as checked, by path (none without a cache)."""

    @property
    def valid(self) -> bool:
        """True when the book validated: lint ran, and a build may render."""
        meta, terminology = self.shared.meta, self.shared.terminology
        return meta is not None and terminology is not None and not has_errors(self.validation)

    @property
    def diagnostics(self) -> list[Diagnostic]:
        """Every finding of validation and lint, in order."""
        return ordered([*self.validation, *self.lint])

    def chapters(self) -> list[ChapterRecord]:
        """The records of the listed chapters that validated, in book order."""
        return [r for stem in self.listed if (r := self.records.get(stem)) and r.anchors]

    def digest(self) -> Digest:
        """What the render jobs are keyed on, from the records."""
        meta, terminology = self.shared.meta, self.shared.terminology
        if meta is None or terminology is None:
            raise ValueError("only a valid book has a digest")
        hashes = {Path(r.rel).stem: r.digest for r in self.chapters()}
        return Digest.made(meta, terminology, self.shared.context.bibliography.values(), hashes)

    def book(self) -> Book:
        """The book's model, reading again only the chapters this process has not just read."""
        chapters = []
        for record in self.chapters():
            model = record.model or read_chapter(self.shared.context, record.rel, Sink())
            if model is None:
                raise SourceError(f"'{record.rel}' changed while the build ran; run it again")
            chapters.append(model)
        book = assemble(self.shared, chapters)
        if book is None:
            raise ValueError("only a valid book has a model")
        return book


def check_source(
    root: Path,
    config: LintConfig,
    *,
    cache: bool = True,
    jobs: int = 1,
    budget: int | None = None,
) -> Checked:
    """Read, validate and (when the book is valid) lint ``root``, chapter by chapter.

    ``cache``: use and update ``root/.monograph-cache``. ``jobs``: processes for the
    chapters the cache does not hold (from ``PARALLEL_FROM`` of them), which share what the
    memory ``budget`` leaves beside this one.
    """
    report = Sink()
    shared = read_shared(root, report)
    listed, present = chapter_files(root, shared, report)
    store = Store(root) if cache else Store(None)
    if store.top is not None:  # images made of DICOM files are kept beside the records
        shared.context.made = store.top / f"v{FORMAT}" / "media"
    base = _base_key(shared, config)
    records: dict[str, ChapterRecord] = {}
    todo: list[tuple[str, bytes | None]] = []
    for stem in present:
        found = store.get(stem, base)
        if found is not None:
            records[stem] = found
        else:  # checked from the bytes its key is made of (None: refused, reported when read)
            todo.append((stem, store.read.get(stem)))
    reused = len(records)
    records.update(_fresh(shared.context, config, todo, jobs, budget))
    store.save({stem: records[stem] for stem, _ in todo}, base, present)
    checked = Checked(root, shared, listed, records, [], [], store.notes, reused,
                      store.texts(present))  # fmt: skip
    check_across(shared, listed, [r.anchors for r in checked.chapters() if r.anchors], report)
    chapters = (d for stem in present for d in records[stem].diagnostics)
    checked.validation = ordered([*report.items, *chapters])
    if checked.valid and shared.terminology is not None:
        parts = [r.lint for r in checked.chapters() if r.lint is not None]
        checked.lint = finish(shared.terminology, parts, config)
    return checked


def _base_key(shared: Shared, config: LintConfig) -> str:
    """What every chapter's result depends on besides the chapter and its images."""
    context = shared.context
    parts = [
        FORMAT,
        _code(),
        _versions(),
        None if context.terminology is None else context.terminology.model_dump_json(),
        [reference.model_dump_json() for reference in context.bibliography.values()],
        [list(config.select), list(config.ignore), sorted(config.severity.items())],
    ]
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def _key(base: str, rel: str, sha: str) -> str:
    """A chapter's key: the shared inputs' (``base``), its path and its bytes' SHA-256."""
    return hashlib.sha256(f"{base}\0{rel}\0{sha}".encode()).hexdigest()


@cache
def _code() -> str:
    """One hash of the pipeline's code: a changed pipeline checks every chapter again.

    Its Python files and code tables; not the render assets, which no finding depends on.
    """
    digest = hashlib.sha256()
    for path in sorted([*PACKAGE.rglob("*.py"), *PACKAGE.rglob("*.toml")]):
        digest.update(str(path.relative_to(PACKAGE)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


@cache
def _versions() -> dict[str, str]:
    found = {}
    for name in READERS:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "absent"
    return found


def _fresh(
    context: Context,
    config: LintConfig,
    todo: list[tuple[str, bytes | None]],
    jobs: int,
    budget: int | None,
) -> dict[str, ChapterRecord]:
    """The records of ``stems``, checked here, or in ``jobs`` processes when there are many.

    A worker stopped by its share of the memory budget, or killed, leaves its chapters to
    this process, which checks them under the command's own budget.
    """
    if jobs <= 1 or len(todo) < PARALLEL_FROM:
        return _check_here(context, config, todo)
    from concurrent.futures import ProcessPoolExecutor  # here: most runs need no workers
    from concurrent.futures.process import BrokenProcessPool

    done: dict[str, ChapterRecord] = {}
    free = None if budget is None else max(budget - resident_bytes(), 0)
    share = None if free is None else free // jobs
    chunks = [todo[i::jobs * 4] for i in range(jobs * 4)]  # fmt: skip
    with ProcessPoolExecutor(jobs, initializer=_worker, initargs=(context, config, share)) as pool:
        futures = [pool.submit(_check_states, chunk) for chunk in chunks if chunk]
        for future in futures:
            try:
                states = future.result()
            except (OverBudget, BrokenProcessPool):
                continue
            for state, looked in states:
                record = ChapterRecord.from_state(state)
                record.looked = looked  # not part of the record's state, but its images' key
                done[Path(record.rel).stem] = record
    done.update(_check_here(context, config, [item for item in todo if item[0] not in done]))
    return {stem: done[stem] for stem, _ in todo}


_WORKER: list[Any] = []


def _worker(context: Context, config: LintConfig, share: int | None) -> None:
    _WORKER[:] = [context, config, share]


def _check_states(
    todo: list[tuple[str, bytes | None]],
) -> list[tuple[dict[str, Any], dict[str, list[int] | None]]]:
    """In a worker: the records of ``todo`` as JSON values, with the images they looked at.

    The models stay here.
    """
    context, config, share = _WORKER
    with memory_budget(share) if share is not None else nullcontext():
        records = _check_here(context, config, todo, keep=False).values()
        return [(r.as_state(), r.looked) for r in records]


def _check_here(
    context: Context,
    config: LintConfig,
    todo: list[tuple[str, bytes | None]],
    *,
    keep: bool = True,
) -> dict[str, ChapterRecord]:
    matcher = None
    records = {}
    for stem, data in todo:
        rel = f"{CHAPTERS}/{stem}.md"
        report = Sink()
        looked: dict[str, list[int] | None] = {}
        chapter = read_chapter(context, rel, report, looked, data)
        record = ChapterRecord(rel, ordered(report.items), looked=looked)
        if chapter is not None:
            _describe(record, chapter)
            if context.terminology is not None and not has_errors(report.items):
                if matcher is None:
                    from pipeline.terminology import Matcher

                    matcher = Matcher(context.terminology)
                record.lint = lint_chapter(context.terminology, chapter, config, matcher)
            record.model = chapter if keep else None
        records[stem] = record
    return records


def _describe(record: ChapterRecord, chapter: Chapter) -> None:
    """Fill in what a build needs of ``chapter`` besides its findings."""
    from pipeline.render.glyphs import chapter_texts

    record.anchors = Anchors.of(chapter)
    record.digest = chapter_hash(chapter)
    days = (chapter.meta.created, chapter.meta.last_reviewed)
    record.dates = [day.isoformat() for day in days if day is not None]
    record.images = {f.image.path: f.image.file_sha256 for f in chapter.figures if f.image}
    record.chars = "".join(sorted(set("".join(text for text, _ in chapter_texts(chapter)))))


class Store:
    """The cache: one JSON file, ``v<FORMAT>/chapters.json``, an entry per chapter file.

    An entry holds the chapter's key, the SHA-256 of its bytes, what ``stat`` said of the
    file, what it said of each image, and the record. An entry is used only while ``stat``
    finds its file as it was (then the file is not even read: its SHA-256 is the entry's);
    an entry made less than ``RACY_NS`` after its file changed records no ``stat`` and is
    never used, since an edit in the same instant could leave ``stat`` unchanged.

    JSON, never pickle: an entry is data, so a planted one can at worst be wrong about
    findings, never run code; and a wrong one needs a key that matches, which means its
    inputs are the ones it was made from. ``Store(None)`` keeps nothing (``--no-cache``).
    """

    RACY_NS = 2_000_000_000

    def __init__(self, root: Path | None) -> None:
        self.root = root
        self.top = None if root is None else root / CACHE_DIR
        self.notes: list[str] = []
        self.entries: dict[str, Any] = {}
        self.read: dict[str, bytes | None] = {}
        """The bytes of each chapter file read to make its key (handed to the check)."""
        self.seen: dict[str, list[int] | None] = {}
        """Each chapter file's ``file_identity`` from before it was read."""
        self.started = time.time_ns()
        self.changed = False
        self._load()

    @property
    def path(self) -> Path | None:
        """The cache's file."""
        return None if self.top is None else self.top / f"v{FORMAT}" / "chapters.json"

    def _load(self) -> None:
        if self.top is None or self.path is None:
            return
        try:
            if (self.top.exists() and not self.top.is_dir()) or self._linked():
                self._note(f"'{self.top}' is not a folder of ours; it is left alone")
                self.top = None
                return
            data = self.path.read_bytes()
        except FileNotFoundError:
            return
        except OSError as err:
            self._note(f"cannot read '{self.path}': {err.strerror or err}")
            return
        try:
            state = json.loads(data)
            if state["format"] != FORMAT or not isinstance(state["entries"], dict):
                raise ValueError("another format")
            self.entries = state["entries"]
        except (ValueError, KeyError, TypeError) as err:
            self._note(f"'{self.path}' is unreadable ({type(err).__name__}); it is made again")

    def _linked(self) -> bool:
        """True when the cache's folder, its version's folder or its file is a link.

        The cache neither reads nor writes outside the source tree.
        """
        assert self.top is not None and self.path is not None
        return any(p.is_symlink() for p in (self.top, self.path.parent, self.path))

    def _note(self, text: str) -> None:
        if not self.notes:  # one note a run: the first thing that went wrong
            self.notes.append(f"cache: {text}")

    def get(self, stem: str, base: str) -> ChapterRecord | None:
        """The record kept for chapter ``stem``, or None (and the file's bytes in ``read``).

        Kept means: for this very file, as ``stat`` finds it now (device, inode, size,
        modification and change times), under the key its inputs make now, its images as
        they were. A copied, checked-out or planted cache names other inodes and change
        times, so none of its entries is ever used: each chapter is checked again.
        """
        if self.root is None:
            return None
        rel = f"{CHAPTERS}/{stem}.md"
        entry = self.entries.get(stem)
        seen = file_identity(self.root / rel)  # before any read: a later write changes it
        record = None
        if entry is not None and not (isinstance(entry, dict) and entry.keys() >= ENTRY):
            self._note(f"the entry of '{rel}' in '{self.path}' is unreadable; it is made again")
        elif entry is not None and seen is not None and entry["stat"] == seen:
            record = self._record(entry, rel, base)
        if record is None:  # the check reads the bytes its new entry will be kept by
            self.seen[stem] = seen
            self.read[stem] = read_source(self.root, rel, Sink())
        return record

    def _record(self, entry: dict[str, Any], rel: str, base: str) -> ChapterRecord | None:
        try:
            sha, images = entry["sha"], entry["images"]
            if not isinstance(sha, str) or entry["key"] != _key(base, rel, sha):
                return None
            if any(file_identity(self.root / path) != was for path, was in images.items()):
                return None
            record = ChapterRecord.from_state(entry["record"])
            if record.rel != rel:
                raise ValueError(record.rel)
        except (KeyError, TypeError, ValueError, IndexError, AttributeError):
            self._note(f"the entry of '{rel}' in '{self.path}' is unreadable; it is made again")
            return None
        return record

    def _stable(self, seen: list[int] | None) -> list[int] | str | None:
        """``seen``, or "unstable" (equal to no identity) if its file changed too recently.

        Too recently: close enough to this run's start that ``stat`` might not tell a later
        change apart.
        """
        if seen is not None and max(seen[3], seen[4]) >= self.started - self.RACY_NS:
            return "unstable"
        return seen

    def save(self, fresh: dict[str, ChapterRecord], base: str, present: list[str]) -> None:
        """Keep the ``fresh`` records (from the bytes in ``read``), drop the absent chapters."""
        if self.root is None or self.top is None or self.path is None:
            return
        for stem, record in fresh.items():
            rel = f"{CHAPTERS}/{stem}.md"
            data = self.read.get(stem)
            if data is None:  # refused, or unreadable: nothing to key it on
                self.changed |= self.entries.pop(stem, None) is not None
                continue
            sha = hashlib.sha256(data).hexdigest()
            images = {path: self._stable(seen) for path, seen in record.looked.items()}
            self.entries[stem] = {
                "key": _key(base, rel, sha), "sha": sha, "stat": self._stable(self.seen.get(stem)),
                "images": images, "record": record.as_state(),
            }  # fmt: skip
            self.changed = True
        for stem in set(self.entries) - set(present):
            del self.entries[stem]
            self.changed = True
        if self.changed:
            self._write()

    def _write(self) -> None:
        assert self.top is not None and self.path is not None
        state = {"format": FORMAT, "entries": self.entries}
        try:
            if not self.path.parent.is_dir():
                self._make()
            data = json.dumps(state, ensure_ascii=False, separators=(",", ":")).encode()
            write_atomic(self.path, data, sync=False)
        except OSError as err:
            self._note(f"cannot write '{self.path}': {err.strerror or err}")

    def texts(self, present: list[str]) -> dict[str, str]:
        """The SHA-256 of each chapter file in ``present`` as its entry holds it."""
        found = {}
        for stem in present:
            entry = self.entries.get(stem)
            sha = entry.get("sha") if isinstance(entry, dict) else None
            if isinstance(sha, str):
                found[f"{CHAPTERS}/{stem}.md"] = sha
        return found

    def _make(self) -> None:
        assert self.top is not None and self.path is not None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        ignore = self.top / ".gitignore"
        if not ignore.exists():
            write_atomic(ignore, b"# made by monograph: a cache, never committed\n*\n", sync=False)
        tag = self.top / "CACHEDIR.TAG"
        if not tag.exists():  # https://bford.info/cachedir/: backup tools skip the folder
            text = b"Signature: 8a477f597d28d172789f06886806bc55\n# monograph's chapter cache\n"
            write_atomic(tag, text, sync=False)


__all__ = ["CACHE_DIR", "ChapterRecord", "Checked", "check_source"]
