"""``monograph build``: check (validate, lint) → render what changed → commit → manifest.

The check runs on every build (``check.py``: each chapter's findings from the chapter cache
when its inputs are unchanged, the checks across chapters always), so a cached artifact
never hides a broken cross-reference; nothing is rendered when it finds an error.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import signal
import subprocess
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.diagnostics import Diagnostic, has_errors, ordered
from pipeline.lint import LintConfig
from pipeline.model.book import Book
from pipeline.model.span import Span
from pipeline.orchestrate.check import CACHE_DIR, Checked, check_source
from pipeline.orchestrate.history import source_commit
from pipeline.orchestrate.jobs import (
    Context,
    Job,
    Made,
    Paper,
    plan,
    render,
    tool_versions,
    use_context,
)
from pipeline.orchestrate.limits import (
    SECONDS_PER_CHAPTER,
    OverBudget,
    RenderTimeout,
    memory_budget,
    memory_budget_bytes,
    out_of_memory,
    over_budget,
    release_memory,
    resident_bytes,
    seconds_per_chapter,
    time_limit,
    timed_out,
    worker_died,
)
from pipeline.orchestrate.outputs import (
    MANIFEST,
    STAGING,
    STATE,
    OutputDir,
    check_placement,
    is_artifact_path,
)
from pipeline.orchestrate.progress import BuildProgress
from pipeline.read.files import MAX_FILE_BYTES
from pipeline.render.stamp import Stamp, stamp_from

if TYPE_CHECKING:
    from pipeline.render.study import Drafts
from pipeline.validate.source import BIBLIOGRAPHY, BOOK, CHAPTERS, TERMINOLOGY, TERMINOLOGY_DIR

MANIFEST_VERSION = 1
STOPPED = ("P108", "P109", "P110")
"""A job ran out of time or memory, or its process was killed: the build commits nothing."""


@dataclass(frozen=True)
class Options:
    """What ``monograph build`` was asked for."""

    source: Path
    out: Path
    formats: tuple[str, ...] = ("pdf", "epub", "json", "anki")
    jobs: int = 1
    paper: Paper = "a4"
    drafts: Drafts = "include"
    """Whether the study deck holds draft chapters (the default, tagged and marked DRAFT)."""
    explain: bool = False
    lint: LintConfig = field(default_factory=LintConfig)
    cache: bool = True
    """Keep each chapter's findings in the source's chapter cache, and use them."""
    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))


@dataclass
class Outcome:
    """Every finding, what was built or reused and why, and the stage timings."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    built: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    explanations: list[str] = field(default_factory=list)
    rendered: bool = False
    notes: list[str] = field(default_factory=list)
    """What the chapter cache had to say (an unreadable entry, a folder it cannot write)."""


def run_build(options: Options, reporter: BuildProgress) -> Outcome:
    """Build the chosen formats from ``options.source`` into ``options.out``."""
    check_placement(options.source, options.out)
    outcome = Outcome()
    reporter.stage("check")
    budget = memory_budget_bytes(options.environ)
    checked = check_source(
        options.source, options.lint, cache=options.cache, jobs=options.jobs, budget=budget
    )
    outcome.notes = checked.notes
    outcome.diagnostics = checked.diagnostics
    if not checked.valid or has_errors(outcome.diagnostics):
        return outcome
    days = [dt.date.fromisoformat(day) for r in checked.chapters() for day in r.dates]
    stamp = stamp_from(days, _source_date_epoch(options))
    history = source_commit(options.source) if "anki" in options.formats else ""
    jobs = plan(checked.digest(), stamp, options.paper, options.formats, options.drafts, history)
    glyphs = _glyph_findings(checked) if "pdf" in options.formats else []
    with OutputDir(options.out, reporter.stream) as out:
        lazy = _Lazy(checked, stamp, options)
        made = _render(out, jobs, lazy, options, reporter, outcome)
        if any(d.code in STOPPED for d in outcome.diagnostics):
            return outcome  # a job was stopped: commit nothing, keep the previous outputs
        reporter.stage("commit")
        _commit(out, made, checked, stamp, options, outcome)
    outcome.diagnostics = ordered([*outcome.diagnostics, *glyphs])
    return outcome


@dataclass
class _Lazy:
    """The render context, made only when a job must be rendered (a no-op build never is)."""

    checked: Checked
    stamp: Stamp
    options: Options
    made: list[Context] = field(default_factory=list)

    def __call__(self) -> Context:
        if not self.made:
            given = self.options
            context = Context(
                self.checked.book(), self.stamp, given.paper, given.drafts, given.source
            )
            self.made.append(context)
        return self.made[0]


def _glyph_findings(checked: Checked) -> list[Diagnostic]:
    """Characters no shipped font can draw (P101), checked on every build, cached or not.

    The chapters' records hold the characters they print: only when one of them, or of the
    book's metadata and bibliography, is not drawn is the book read to say where.
    """
    from pipeline.render.glyphs import all_covered, book_texts, missing_glyphs

    meta, terminology = checked.shared.meta, checked.shared.terminology
    assert meta is not None and terminology is not None  # a valid book has both
    front = Book(span=Span(path=BOOK, line=1), meta=meta, chapters=[], terminology=terminology,
                 bibliography=list(checked.shared.context.bibliography.values()))  # fmt: skip
    chars = {c for record in checked.chapters() for c in record.chars}
    chars |= {c for text, _ in book_texts(front) for c in text}
    return [] if all_covered(chars) else missing_glyphs(checked.book())


def _source_date_epoch(options: Options) -> str | None:
    """SOURCE_DATE_EPOCH from the environment, else the last commit of the source tree."""
    given = options.environ.get("SOURCE_DATE_EPOCH")
    if given is not None:
        return given
    try:
        done = subprocess.run(
            ["git", "log", "-1", "--format=%ct", "--", "."],
            cwd=options.source, capture_output=True, text=True, check=False, timeout=30,
        )  # fmt: skip
    except (OSError, subprocess.TimeoutExpired):
        return None
    value = done.stdout.strip()
    return value if done.returncode == 0 and value.isdigit() else None


@dataclass
class _Made:
    job: Job
    sha256: str
    size: int
    pages: int | None
    findings: list[dict[str, Any]]
    fresh: bool
    stat: list[int] | None = None
    """What ``stat`` says of the file once committed (``_file_stat``)."""


def _render(
    out: OutputDir, planned: list[Job], context: Callable[[], Context], options: Options,
    reporter: BuildProgress, outcome: Outcome,
) -> list[_Made]:  # fmt: skip
    state = out.read_json(STATE).get("artifacts", {})
    todo: list[Job] = []
    made: list[_Made] = []
    for job in planned:
        reused = _reusable(out, job, state.get(job.path))
        if reused is not None:
            made.append(reused)
            outcome.reused.append(job.path)
            outcome.explanations.append(f"reused  {job.path}: inputs unchanged")
        else:
            todo.append(job)
            verb = "rebuilt" if job.path in state else "built  "
            outcome.explanations.append(f"{verb} {job.path}: {_why(job, state.get(job.path))}")
    reporter.stage("render", total=len(todo))
    limit, budget = seconds_per_chapter(options.environ), memory_budget_bytes(options.environ)
    results = _run_jobs(todo, context(), options.jobs, limit, budget) if todo else iter(())
    for result in results:
        job = next(j for j in todo if j.path == result.path)
        if any(d.code in STOPPED for d in result.diagnostics):
            outcome.diagnostics.extend(result.diagnostics)
            continue
        out.stage(job.path, result.data)
        findings = [d.as_state() for d in result.diagnostics]
        outcome.diagnostics.extend(result.diagnostics)
        digest = hashlib.sha256(result.data).hexdigest()
        seen = _file_stat(out.root / STAGING / job.path)  # the commit renames it: the same
        made.append(_Made(job, digest, len(result.data), result.pages, findings, True, seen))
        plural = "" if result.pages == 1 else "s"
        pages = f", {result.pages} page{plural}" if result.pages else ""
        reporter.done(f"wrote {options.out / job.path} ({len(result.data)} bytes{pages})")
    outcome.rendered = bool(todo)
    order = {job.path: index for index, job in enumerate(planned)}
    return sorted(made, key=lambda m: order[m.job.path])


def _run_jobs(
    todo: list[Job],
    context: Context,
    workers: int,
    limit: float = SECONDS_PER_CHAPTER,
    budget: int | None = None,
) -> Iterator[Made]:
    """Render ``todo`` in this process, or in ``workers`` processes.

    The workers share what the memory ``budget`` leaves beside this process. A job stopped at
    its share, or whose process was killed, runs again alone once the pool is done, with all
    of it: only a job that fails alone too is reported (P110, P109).
    """

    def seconds(job: Job) -> float:  # per chapter the job holds
        return limit * (1 if job.chapter else max(len(context.book.chapters), 1))

    if workers <= 1 or len(todo) <= 1:  # the command's own budget holds here
        use_context(context)
        yield from (_render_within(job, seconds(job)) for job in todo)
        return
    free = None if budget is None else max(budget - resident_bytes(), 0)
    share = None if free is None else free // workers
    again = []
    with ProcessPoolExecutor(workers, initializer=_worker, initargs=(context,)) as pool:
        futures = {pool.submit(_render_within, job, seconds(job), share): job for job in todo}
        try:
            for future in as_completed(futures):
                try:
                    made = future.result()
                except BrokenProcessPool:  # a worker was killed (the OOM killer, a signal)
                    again.append(futures[future])
                    continue
                if any(d.code == "P110" for d in made.diagnostics):
                    again.append(futures[future])
                    continue
                yield made
        except BaseException:  # Ctrl-C, SIGTERM, an error: start no job that is still queued
            pool.shutdown(wait=True, cancel_futures=True)
            raise
    for job in again:
        with ProcessPoolExecutor(1, initializer=_worker, initargs=(context,)) as alone:
            try:
                yield alone.submit(_render_within, job, seconds(job), free).result()
            except BrokenProcessPool:
                yield Made(job.path, b"", None, [worker_died(job.path, job.chapter)])


def _worker(context: Context) -> None:
    """Set up a render worker: Ctrl-C is the main process's to handle, not each worker's."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    use_context(context)


def _render_within(job: Job, seconds: float, budget: int | None = None) -> Made:
    """Render ``job``, or say why not in a finding naming its chapter.

    Past ``seconds`` (P108), or past ``budget`` bytes of resident memory (P110; without a
    budget, the command's own holds), the job gives no bytes.
    """
    limit, over = None, None
    held = memory_budget(budget) if budget is not None else nullcontext()
    try:
        with held, time_limit(seconds) as limit:
            return render(job)
    except RenderTimeout:
        pass
    except OverBudget as stopped:
        over = stopped.budget
    except Exception:
        over = over_budget()  # a C extension may turn the limit's exception into its own
        if over is None and (limit is None or not limit.expired):
            raise  # a real error, not a limit's doing
    if over is None:
        return Made(job.path, b"", None, [timed_out(job.path, job.chapter, seconds)])
    release_memory()  # here, where the stopped job's traceback no longer holds its objects
    return Made(job.path, b"", None, [out_of_memory(job.path, job.chapter, over)])


def _reusable(out: OutputDir, job: Job, previous: dict[str, Any] | None) -> _Made | None:
    """The artifact of ``job`` as the last build left it, if its inputs and its file are.

    The file counts as unchanged when ``stat`` says what it said after the last commit (size,
    modification time, inode), else when it still hashes to its SHA-256: a no-op build of a
    thousand chapters reads none of their PDFs.
    """
    if not previous or previous.get("key") != job.key:
        return None
    path = out.root / job.path
    seen = _file_stat(path)
    if seen is None:
        return None
    if previous.get("stat") != seen and _sha256(path) != previous["sha256"]:
        return None
    findings = previous.get("findings", [])
    return _Made(job, previous["sha256"], previous["size"], previous.get("pages"), findings,
                 fresh=False, stat=seen)  # fmt: skip


def _file_stat(path: Path) -> list[int] | None:
    """Size, modification time and inode of a regular file (a rename keeps all three)."""
    try:
        found = path.stat()
    except OSError:
        return None
    return [found.st_size, found.st_mtime_ns, found.st_ino] if path.is_file() else None


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


_REASONS = {
    "book": "book.yaml changed",
    "terminology": "the terminology registry changed",
    "bibliography": "bibliography.yaml changed",
    "assets": "templates, stylesheets or fonts changed",
    "code": "the pipeline's code changed",
    "tools": "a tool version changed",
    "date": "SOURCE_DATE_EPOCH changed",
    "options": "build options changed",
}


def _why(job: Job, previous: dict[str, Any] | None) -> str:
    if not previous:
        return "no previous build of it"
    before = dict(previous.get("inputs", []))
    changed = [name for name, value in job.inputs if before.get(name) != value]
    if not changed:
        return "the file was missing or modified"
    return ", ".join(
        f"chapter '{name.split(':', 1)[1]}' changed" if name.startswith("chapter:")
        else _REASONS.get(name, f"{name} changed")
        for name in changed
    )  # fmt: skip


def _commit(
    out: OutputDir,
    made: list[_Made],
    checked: Checked,
    stamp: Stamp,
    options: Options,
    outcome: Outcome,
) -> None:
    previous = out.read_json(MANIFEST).get("artifacts", [])
    current = {m.job.path for m in made}
    listed = {a.get("path") for a in previous if isinstance(a, dict)}
    remove = sorted({path for path in listed if is_artifact_path(path)} - current)
    outcome.removed = remove
    outcome.explanations.extend(f"removed {path}: no longer produced" for path in remove)
    outcome.built = [m.job.path for m in made if m.fresh]
    manifest = _manifest(made, checked, stamp, options)
    state = {"artifacts": {m.job.path: _state(m) for m in made}}
    unchanged = out.read_json(MANIFEST) == manifest and out.read_json(STATE) == state
    if outcome.built or remove or not unchanged:  # a build that changes nothing writes nothing
        out.commit(staged=outcome.built, manifest=manifest, state=state, remove=remove)
    for m in made:
        if not m.fresh:
            outcome.diagnostics.extend(Diagnostic.from_state(state) for state in m.findings)


def _manifest(
    made: list[_Made], checked: Checked, stamp: Stamp, options: Options
) -> dict[str, Any]:
    images = {path: sha for record in checked.chapters() for path, sha in record.images.items()}
    return {
        "manifest_version": MANIFEST_VERSION,
        "source": _source_tree(
            options.source, {**images, **checked.texts}, _texts_read(checked.listed)
        ),
        "source_date": stamp.iso,
        "tools": tool_versions(),
        "artifacts": [
            {"path": m.job.path, "product": m.job.product, "chapter": m.job.chapter,
             "size": m.size, "sha256": m.sha256, **({"pages": m.pages} if m.pages else {})}
            for m in made
        ],
    }  # fmt: skip


def _texts_read(chapters: list[str]) -> set[str]:
    """The text files validation read for a book of ``chapters``: what the outputs are made of."""
    read = {BOOK, BIBLIOGRAPHY, TERMINOLOGY}
    read |= {f"{CHAPTERS}/{chapter}.md" for chapter in chapters}
    return read


def _source_tree(root: Path, checked: Mapping[str, str], texts: set[str]) -> dict[str, Any]:
    """The tree hash of every file under ``root``: sorted paths and what stands for each.

    A file the build is made from counts by its SHA-256: an image by the one validation
    recorded and a chapter by the one the check keyed it on (``checked``, by path, no second
    read), another text file validation read (``texts``,
    and the registry's ``terminology/*.yaml``) by reading it, at most ``MAX_FILE_BYTES``.
    Any other file counts by its size alone and is never opened: a gigabyte of notes beside
    the chapters costs nothing. A symbolic link counts by the path it names, never by what it
    points to: hashing must not read outside the source tree, nor follow a link in a loop.
    """
    digest = hashlib.sha256()
    entries: list[tuple[str, bytes]] = []
    folders = [("", str(root))]
    while folders:
        prefix, folder = folders.pop()
        try:
            found = list(os.scandir(folder))
        except OSError:  # a folder that cannot be listed counts for nothing, as in os.walk
            continue
        for entry in found:
            rel = prefix + entry.name
            if not prefix and entry.name == CACHE_DIR and entry.is_dir():
                continue  # the chapter cache is not source: it follows from it
            if entry.is_symlink():
                entries.append((rel, b"link:" + str(Path(entry.path).readlink()).encode()))
            elif entry.is_dir():
                folders.append((rel + "/", entry.path))
            elif rel in checked:
                entries.append((rel, bytes.fromhex(checked[rel])))
            elif not entry.is_file():
                continue
            elif _is_text_read(rel, texts) and entry.stat().st_size <= MAX_FILE_BYTES:
                entries.append((rel, hashlib.sha256(Path(entry.path).read_bytes()).digest()))
            else:
                entries.append((rel, b"size:%d" % entry.stat().st_size))
    for rel, value in sorted(entries):
        digest.update(rel.encode() + b"\0" + value)
    return {"tree_sha256": digest.hexdigest(), "files": len(entries)}


def _is_text_read(rel: str, texts: set[str]) -> bool:
    folder, _, name = rel.rpartition("/")
    return rel in texts or (folder == TERMINOLOGY_DIR and name.endswith(".yaml"))


def _state(m: _Made) -> dict[str, Any]:
    return {"key": m.job.key, "inputs": list(map(list, m.job.inputs)), "sha256": m.sha256,
            "size": m.size, "pages": m.pages, "findings": m.findings, "stat": m.stat}  # fmt: skip


__all__ = ["Options", "Outcome", "run_build"]
