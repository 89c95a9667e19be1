"""The chapter cache never hides a finding: change one input, and the findings follow it.

Each test lints a small book once (which fills ``SOURCE/.monograph-cache``), changes exactly
one input (the registry, the bibliography, another chapter, the lint configuration, a figure,
the pipeline's version, the cache itself), then lints again with the cache and with
``--no-cache``. The two must print the same findings, and those must differ from the first
run's exactly where the change says: a stale record would print the first run's findings.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pipeline.lint import LintConfig
from pipeline.orchestrate import check
from pipeline.orchestrate.check import CACHE_DIR, check_source
from tests.bench.corpus import _png, make_book
from tests.helpers import SOURCE, Run, edit, monograph, monograph_in_process

STEMS = ("chapter-0000", "chapter-0001", "chapter-0002")
A, B, C = (f"chapters/{stem}.md" for stem in STEMS)
NOTE = "monograph: cache:"

Place = tuple[str, str, int, int]
"""A finding as the user sees it: code, path inside the source, line, column."""


# -- running the command -------------------------------------------------------------------


def lint(root: Path, *extra: str, cache: bool = True, fmt: str = "json") -> Run:
    """``monograph lint`` of ``root`` in this process, one job, with or without the cache."""
    args = ["lint", "--source", str(root), "--format", fmt, "--jobs", "1", *extra]
    return monograph_in_process(*args, *([] if cache else ["--no-cache"]))


def notes(run: Run) -> list[str]:
    """The cache's notes a run printed."""
    return [line for line in run.stderr.splitlines() if line.startswith(NOTE)]


def places(run: Run, root: Path) -> Counter[Place]:
    """The findings a ``--format json`` run printed, as places."""
    prefix = f"{root}/"
    return Counter(
        (r["code"], r["path"].removeprefix(prefix), r["line"], r["column"])
        for r in json.loads(run.stdout)
    )


def again(root: Path, *, note: bool = False) -> Run:
    """Lint with the cache, then without: the same output (``note``: one cache note)."""
    cached, fresh = lint(root), lint(root, cache=False)
    assert cached.stdout == fresh.stdout
    assert cached.returncode == fresh.returncode
    assert len(notes(cached)) == (1 if note else 0), cached.stderr
    assert notes(fresh) == []
    return cached


def changed(root: Path, change: Callable[[], object]) -> tuple[Counter[Place], Counter[Place]]:
    """The places found before ``change`` only, and after it only (the cache agreeing)."""
    before = places(lint(root), root)
    assert (root / CACHE_DIR / "v1" / "chapters.json").is_file()
    change()
    after = places(again(root), root)
    return before - after, after - before


def codes(found: Counter[Place]) -> set[tuple[str, str]]:
    """Each code and the file it is in."""
    return {(code, path) for code, path, _, _ in found}


@pytest.fixture(autouse=True)
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files count as settled once changed before the run began.

    By default an entry is not used for a file changed within two seconds of the run that
    made it (``Store.RACY_NS``): these tests change files a few milliseconds apart, and the
    cache must be used for them to mean anything. ``test_a_file_changed_just_now…`` holds
    the default to its word.
    """
    monkeypatch.setattr(check.Store, "RACY_NS", 0)


# -- the books -----------------------------------------------------------------------------


@pytest.fixture
def book(tmp_path: Path) -> Path:
    """A three-chapter book that lints clean, a figure each, with an empty pyproject.toml."""
    root = make_book(tmp_path / "source", len(STEMS))
    shutil.rmtree(root / CACHE_DIR, ignore_errors=True)  # the seed's own, if it has one
    for stem in STEMS:  # every chapter names its concept by one synonym, title included
        edit(root / f"chapters/{stem}.md", "title: Blastic Osseous Metastases",
             "title: Sclerotic Metastases")  # fmt: skip
        edit(root / f"chapters/{stem}.md", "DWI in blastic osseous metastases",
             "DWI in sclerotic metastases")  # fmt: skip
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    assert places(lint(root, cache=False), root) == Counter()
    return root


def deprecate(root: Path, term: str = "sclerotic metastases") -> None:
    """Mark a synonym every chapter uses outside its Synonyms list as deprecated (T102)."""
    edit(root / "terminology.yaml", f"- term: {term}\n",
         f"- term: {term}\n        status: deprecated\n")  # fmt: skip


def rename_first_use(root: Path, rel: str) -> None:
    """Make chapter ``rel`` name the concept the others call 'sclerotic metastases' otherwise."""
    edit(root / rel, "DWI in sclerotic metastases", "DWI in osteoblastic metastases")
    edit(root / rel, "title: Sclerotic Metastases", "title: Osteoblastic Metastases")


# -- 1. only the registry or the bibliography changes ---------------------------------------


def test_a_deprecated_synonym_is_found_in_unchanged_chapters(book: Path) -> None:
    gone, new = changed(book, lambda: deprecate(book))
    assert gone == Counter()
    # T102 where it is used, T106 at the Synonyms lists that still offer it
    assert codes(new) == {(code, rel) for code in ("T102", "T106") for rel in (A, B, C)}


def test_a_removed_concept_is_found_in_unchanged_chapters(book: Path) -> None:
    registry = book / "terminology.yaml"
    block = "  - id: hemangioma\n    kind: diagnosis\n    preferred: hemangioma\n"
    gone, new = changed(book, lambda: edit(registry, block, ""))
    assert codes(new) == {("T107", rel) for rel in (A, B, C)}  # an unknown differential
    assert gone == Counter()


def test_a_reference_removed_from_the_bibliography_is_found(book: Path) -> None:
    bibliography = book / "bibliography.yaml"
    bibliography.write_text(
        "references:\n  - key: shared-1\n    authors: [Author A]\n"
        "    title: Sclerotic deposits\n    journal: Skeletal Radiol\n    year: 2001\n",
        encoding="utf-8",
    )
    edit(book / A, "- Lesions follow the red marrow", "- Lesions follow the red marrow [@shared-1]")
    gone, new = changed(book, lambda: edit(bibliography, "key: shared-1", "key: shared-2"))
    assert gone == Counter()
    assert codes(new) == {("X101", A)}  # a dangling citation in the unchanged chapter


# -- 2. only another chapter changes --------------------------------------------------------


def test_another_chapter_naming_a_concept_otherwise_gives_t110_in_this_one(book: Path) -> None:
    gone, new = changed(book, lambda: rename_first_use(book, B))
    assert gone == Counter()
    assert codes(new) == {("T110", A), ("T110", B), ("T110", C)}
    [(_, _, line, column)] = [p for p in new if p[1] == A]
    assert (book / A).read_text().splitlines()[line - 1][column - 1 :].startswith("sclerotic")


def test_another_chapter_unlisted_takes_t110_away_from_this_one(book: Path) -> None:
    rename_first_use(book, B)
    gone, new = changed(book, lambda: edit(book / "book.yaml", "  - chapter-0001\n", ""))
    assert codes(gone) == {("T110", A), ("T110", B), ("T110", C)}
    assert codes(new) == {("X108", B)}  # a chapter file not listed


def test_another_chapter_deleted_takes_t110_away_from_this_one(book: Path) -> None:
    rename_first_use(book, B)

    def delete() -> None:
        edit(book / "book.yaml", "  - chapter-0001\n", "")
        (book / B).unlink()

    gone, new = changed(book, delete)
    assert codes(gone) == {("T110", A), ("T110", B), ("T110", C)}
    assert new == Counter()


def test_another_chapter_renaming_a_figure_gives_x113_in_this_one(book: Path) -> None:
    # Chapter "chapter-0000" with figure "fig-xr-fig-spine", and chapter "chapter-0000-fig-xr"
    # with figure "fig-spine", both give the anchor "chapter-0000-fig-xr-fig-spine".
    edit(book / A, "fig-radiograph-diffuse-sclerosis", "fig-xr-fig-spine")
    other = book / "chapters" / "chapter-0000-fig-xr.md"
    (book / B).rename(other)
    edit(other, "id: chapter-0001", "id: chapter-0000-fig-xr")
    listing = "chapters:\n  - chapter-0000-fig-xr\n  - chapter-0000\n  - chapter-0002\n"
    text = (book / "book.yaml").read_text().split("chapters:\n")[0]
    (book / "book.yaml").write_text(text + listing)
    gone, new = changed(book, lambda: edit(other, "fig-radiograph-diffuse-sclerosis", "fig-spine"))
    assert gone == Counter()
    assert codes(new) == {("X113", A)}  # at this chapter's figure, the later of the two


# -- 3. only the lint configuration changes --------------------------------------------------


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        ('ignore = ["T102"]', {("T106", "warning")}),
        ('select = ["T101", "T106", "T110"]', {("T106", "warning")}),
        ('severity = { T102 = "error" }', {("T102", "error"), ("T106", "warning")}),
    ],
    ids=["ignore", "select", "severity"],
)
def test_the_findings_follow_the_lint_configuration(
    book: Path, table: str, expected: set[tuple[str, str]]
) -> None:
    deprecate(book)
    before = json.loads(lint(book).stdout)
    per_chapter = {"T102": 2, "T106": 1}  # the deprecated synonym: in the title and a bullet
    assert Counter((r["code"], r["severity"]) for r in before) == Counter(
        {("T102", "warning"): 6, ("T106", "warning"): 3}
    )
    (book.parent / "pyproject.toml").write_text(f"[tool.monograph.lint]\n{table}\n")
    after = json.loads(again(book).stdout)
    assert Counter((r["code"], r["severity"]) for r in after) == Counter(
        {found: 3 * per_chapter[found[0]] for found in expected}
    )


# -- 4. only a figure changes -----------------------------------------------------------------


def _same_size_broken(path: Path) -> None:
    """Overwrite ``path`` in place (same inode, same size), mtime put back: ctime differs."""
    seen = path.stat()
    with path.open("r+b") as handle:
        handle.write(b"\0" * seen.st_size)
    os.utime(path, ns=(seen.st_atime_ns, seen.st_mtime_ns))


def _same_size_broken_replaced(path: Path) -> None:
    """Replace ``path`` by another file of its size (a new inode), mtime put back."""
    seen = path.stat()
    spare = path.with_suffix(".tmp")
    spare.write_bytes(b"\0" * seen.st_size)
    os.utime(spare, ns=(seen.st_atime_ns, seen.st_mtime_ns))
    spare.replace(path)


def _too_large(path: Path) -> None:
    with path.open("r+b") as handle:
        handle.truncate(16 * 1024 * 1024 + 1)  # sparse: costs no disk


FIGURE_CHANGES: dict[str, tuple[Callable[[Path], object], str]] = {
    "removed": (Path.unlink, "F102"),
    "broken-in-place-mtime-kept": (_same_size_broken, "F108"),
    "broken-replaced-mtime-kept": (_same_size_broken_replaced, "F108"),
    "too-large": (_too_large, "F110"),
}


@pytest.mark.parametrize("how", FIGURE_CHANGES)
def test_a_changed_figure_is_found_in_its_unchanged_chapter(book: Path, how: str) -> None:
    change, code = FIGURE_CHANGES[how]
    gone, new = changed(book, lambda: change(book / "figures" / "chapter-0001.png"))
    assert gone == Counter()
    assert codes(new) == {(code, B)}


def test_a_chapter_checked_by_a_worker_keeps_its_images_in_its_key(
    book: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(check, "PARALLEL_FROM", 2)  # the chapters go to worker processes
    config = LintConfig()
    assert check_source(book, config, jobs=2).reused == 0
    assert check_source(book, config, jobs=2).reused == len(STEMS)
    (book / "figures" / "chapter-0001.png").unlink()
    again = check_source(book, config, jobs=1)
    assert again.reused == len(STEMS) - 1  # B names the image: checked again
    assert [(d.code, d.span.path) for d in again.diagnostics] == [("F102", B)]


def _manifest(root: Path, out: Path, *extra: str) -> dict[str, Any]:
    args = ["build", "--source", str(root), "--out", str(out), "--only", "json", "--jobs", "1"]
    run = monograph_in_process(*args, *extra)
    assert run.returncode == 0, run.stderr
    manifest: dict[str, Any] = json.loads((out / "manifest.json").read_text())
    return manifest


def test_a_figure_replaced_by_another_of_its_size_changes_the_manifest(book: Path) -> None:
    image = book / "figures" / "chapter-0001.png"
    data = image.read_bytes()
    seed = 2
    while True:  # another gradient that compresses to the same size
        _png(image, random.Random(seed))
        if image.stat().st_size == len(data) and image.read_bytes() != data:
            other = image.read_bytes()
            break
        seed += 1
    image.write_bytes(data)
    first = _manifest(book, book.parent / "out")
    seen = image.stat()
    image.write_bytes(other)
    os.utime(image, ns=(seen.st_atime_ns, seen.st_mtime_ns))
    cached = _manifest(book, book.parent / "out")
    fresh = _manifest(book, book.parent / "out-fresh", "--no-cache")
    assert cached["source"] == fresh["source"] != first["source"]
    checked = check_source(book, LintConfig())
    assert checked.reused == len(STEMS)  # the cache holds the new image's record now
    assert checked.records["chapter-0001"].images == {
        "figures/chapter-0001.png": hashlib.sha256(other).hexdigest()
    }


# -- 5. only the pipeline's version changes ------------------------------------------------


def _doctor(root: Path) -> None:
    """Plant a T101 in chapter A's cached record, under the key it has: what a stale one is."""
    path = root / CACHE_DIR / "v1" / "chapters.json"
    state = json.loads(path.read_text())
    record = state["entries"]["chapter-0000"]["record"]
    record["lint"]["findings"].append({
        "code": "T101", "severity": "warning", "message": "planted", "hint": "",
        "span": {"path": A, "line": 1, "column": 1}, "fix": None,
    })  # fmt: skip
    path.write_text(json.dumps(state))


def _planted(run: Run) -> bool:
    return any(r["message"] == "planted" for r in json.loads(run.stdout))


@pytest.mark.parametrize("part", ["_code", "_versions"])
def test_a_new_pipeline_version_checks_every_chapter_again(
    book: Path, monkeypatch: pytest.MonkeyPatch, part: str
) -> None:
    lint(book)
    _doctor(book)
    assert _planted(lint(book))  # while the pipeline is the same, the entry is used
    _doctor(book)
    if part == "_code":
        monkeypatch.setattr(check, "_code", lambda: "another pipeline")
    else:
        versions = {**check._versions(), "markdown-it-py": "0.0.1"}
        monkeypatch.setattr(check, "_versions", lambda: versions)
    cached = again(book)
    assert not _planted(cached)
    assert json.loads(cached.stdout) == []


# -- 6. a corrupt, truncated or foreign cache --------------------------------------------------


def _cut(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _foreign(data: bytes) -> bytes:
    return json.dumps({**json.loads(data), "format": 2}).encode()


def _entry(change: Callable[[dict[str, Any]], object]) -> Callable[[bytes], bytes]:
    def spoil(data: bytes) -> bytes:
        state = json.loads(data)
        change(state["entries"]["chapter-0000"])
        return json.dumps(state).encode()

    return spoil


def _set(*keys: str | int, value: object) -> Callable[[dict[str, Any]], None]:
    def put(entry: Any) -> None:
        for key in keys[:-1]:
            entry = entry[key]
        entry[keys[-1]] = value

    return put


SPOILED: dict[str, Callable[[bytes], bytes]] = {
    "truncated": _cut,
    "garbage": lambda _: b"\x00\xff not json at all",
    "empty": lambda _: b"",
    "a list": lambda _: b"[1, 2, 3]",
    "another format": _foreign,
    "entries not a mapping": lambda _: b'{"format": 1, "entries": [1]}',
    "entry not a mapping": _entry(lambda e: e.clear()),
    "record of another chapter": _entry(_set("record", "rel", value=B)),
    "diagnostics not a list": _entry(_set("record", "diagnostics", value=7)),
    "a malformed finding": _entry(_set("record", "lint", "findings", value=[{"code": 1}])),
    "images not a mapping": _entry(_set("images", value=5)),
    "anchors cut short": _entry(_set("record", "anchors", value=["chapter-0000"])),
    "a span not a list": _entry(_set("record", "anchors", 1, value={"line": 1})),
    "a malformed T110 summary": _entry(_set("record", "lint", "summaries", value={"T110": [[1]]})),
    "a T110 summary not a list": _entry(_set("record", "lint", "summaries", value={"T110": 3})),
}


@pytest.mark.parametrize("how", SPOILED)
def test_a_spoiled_cache_is_ignored_with_one_note_and_made_again(book: Path, how: str) -> None:
    rename_first_use(book, B)  # T110 in every chapter: the summaries are used
    lint(book)
    path = book / CACHE_DIR / "v1" / "chapters.json"
    _doctor(book)  # whatever of the entries is still read would print this
    path.write_bytes(SPOILED[how](path.read_bytes()))
    cached = again(book, note=True)
    assert not _planted(cached)
    assert codes(places(cached, book)) == {("T110", A), ("T110", B), ("T110", C)}
    assert notes(lint(book)) == []  # written again, usable
    assert check_source(book, LintConfig()).reused == len(STEMS)


def test_a_cache_folder_that_is_a_link_is_left_alone(book: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (book / CACHE_DIR).symlink_to(elsewhere, target_is_directory=True)
    deprecate(book)
    cached = again(book, note=True)
    assert "is not a folder of ours" in notes(cached)[0]
    assert codes(places(cached, book)) == {(code, rel) for code in ("T102", "T106")
                                           for rel in (A, B, C)}  # fmt: skip
    assert list(elsewhere.iterdir()) == []
    assert (book / CACHE_DIR).is_symlink()


def test_a_cache_folder_that_is_a_file_is_left_alone(book: Path) -> None:
    (book / CACHE_DIR).write_bytes(b"mine")
    again(book, note=True)
    assert (book / CACHE_DIR).read_bytes() == b"mine"


def test_a_version_folder_that_is_a_link_is_not_written_through(book: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (book / CACHE_DIR).mkdir()
    (book / CACHE_DIR / "v1").symlink_to(elsewhere, target_is_directory=True)
    lint(book)
    assert list(elsewhere.iterdir()) == []  # the entries, written outside the source tree
    assert len(notes(lint(book))) == 1


# -- 7. a chapter's own edit ----------------------------------------------------------------


def test_an_edited_chapter_is_checked_again_and_only_it(book: Path) -> None:
    gone, new = changed(book, lambda: edit(book / B, "- Hemangioma\n", "- Paget's disease\n", 1))
    assert gone == Counter()
    assert ("T101", B) in codes(new) and {path for _, path in codes(new)} == {B}
    edit(book / C, "- Hemangioma\n", "- Angiolipoma\n", 1)  # an unknown differential
    checked = check_source(book, LintConfig())
    assert checked.reused == len(STEMS) - 1  # A and B from the cache, C read again
    assert checked.diagnostics == check_source(book, LintConfig(), cache=False).diagnostics
    assert ("T107", C) in {(d.code, d.span.path) for d in checked.diagnostics}


def test_an_edit_with_its_size_and_mtime_kept_is_found(
    book: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(check.Store, "RACY_NS", 0)  # files as old as an editor's usually are
    lint(book)
    lint(book)  # the entries now hold each file's stat: unchanged files are not read
    path = book / B
    seen = path.stat()
    data = path.read_bytes()
    assert b"- Hemangioma\n" in data and data.endswith(b"\n\n") is False
    with path.open("r+b") as handle:  # in place: the same inode and size
        handle.write(data.replace(b"- Hemangioma\n", b"- Angiolipoma\n", 1)[: len(data)])
    os.utime(path, ns=(seen.st_atime_ns, seen.st_mtime_ns))
    assert ("T107", B) in codes(places(again(book), book))  # an unknown differential


def _lint_changing(
    book: Path, monkeypatch: pytest.MonkeyPatch, change: Callable[[], object]
) -> None:
    """Lint ``book`` once, making ``change`` after the chapters were checked, before the cache
    is stored (what an editor's save during a run of a large book does)."""
    fresh = check._fresh

    def slow(*args: Any, **kwargs: Any) -> Any:
        done = fresh(*args, **kwargs)
        change()
        return done

    monkeypatch.setattr(check, "_fresh", slow)
    lint(book)
    monkeypatch.undo()


def test_an_edit_made_while_the_run_checks_is_found_next_time(
    book: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Saved longer ago than the racy window when the run stores its entry: the next run
    # must see it.
    def save() -> None:
        edit(book / B, "- Hemangioma\n", "- Angiolipoma\n", 1)
        time.sleep(check.Store.RACY_NS / 1e9 + 0.1)  # checking the rest of a large book

    _lint_changing(book, monkeypatch, save)
    assert ("T107", B) in codes(places(again(book), book))


def test_an_image_replaced_while_the_run_checks_is_found_next_time(
    book: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _lint_changing(
        book, monkeypatch, lambda: _same_size_broken(book / "figures" / "chapter-0001.png")
    )
    assert ("F108", B) in codes(places(again(book), book))


# -- 8. the same output with and without the cache ---------------------------------------------


@pytest.fixture
def faulty(book: Path) -> Path:
    """The book with findings of reading, validation and lint in one chapter."""
    edit(book / B, "- Hemangioma\n", "- Paget's disease\n", 1)  # T101 (a fix), T108, T109
    edit(book / B, "Tumor infiltrates", "Tumour infiltrates")  # Y102, with a fix
    edit(book / B, "image: chapter-0001.png", "image: missing.png")  # F102, an error
    return book


def _seed(tmp_path: Path) -> Path:
    root = tmp_path / "seed"
    shutil.copytree(SOURCE, root, ignore=shutil.ignore_patterns(CACHE_DIR))
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    return root


@pytest.mark.parametrize("which", ["seed", "faulty"])
def test_the_output_is_the_same_with_and_without_the_cache(
    request: pytest.FixtureRequest, tmp_path: Path, which: str
) -> None:
    root = _seed(tmp_path) if which == "seed" else request.getfixturevalue("faulty")
    for command in ("lint", "validate"):
        for fmt in ("text", "json", "sarif"):
            args = [command, "--source", str(root), "--format", fmt, "--jobs", "1"]
            cold = monograph_in_process(*args)
            warm = monograph_in_process(*args)
            fresh = monograph_in_process(*args, "--no-cache")
            assert cold.stdout == warm.stdout == fresh.stdout, (command, fmt)
            assert cold.stderr == warm.stderr == fresh.stderr, (command, fmt)
            assert (cold.returncode, warm.returncode) == (fresh.returncode,) * 2
    warm, fresh = (monograph("lint", "--source", str(root), "--format", "sarif", *extra)
                   for extra in ((), ("--no-cache",)))  # fmt: skip
    assert warm.stdout == fresh.stdout and warm.stdout.strip()


# -- 9. nothing else is written ---------------------------------------------------------------


def _tree(root: Path) -> dict[str, tuple[bytes, int]]:
    return {
        path.relative_to(root).as_posix(): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in root.rglob("*")
        if path.is_file()
    }


def test_a_run_writes_nothing_in_the_source_but_its_cache(faulty: Path, tmp_path: Path) -> None:
    before = _tree(faulty)
    for command in ("validate", "lint"):
        monograph_in_process(command, "--source", str(faulty), "--jobs", "1")
    monograph_in_process("build", "--source", str(faulty), "--out", str(tmp_path / "out"),
                         "--only", "json", "--jobs", "1")  # fmt: skip
    after = _tree(faulty)
    assert {rel: after[rel] for rel in before} == before
    assert sorted(set(after) - set(before)) == [
        f"{CACHE_DIR}/.gitignore", f"{CACHE_DIR}/CACHEDIR.TAG", f"{CACHE_DIR}/v1/chapters.json"
    ]  # fmt: skip
    assert after[f"{CACHE_DIR}/.gitignore"][0].splitlines()[-1] == b"*"


# -- 10. --fix from a cached record -----------------------------------------------------------


def test_fix_applies_the_fixes_a_cached_record_holds(faulty: Path, tmp_path: Path) -> None:
    edit(faulty / B, "image: missing.png", "image: chapter-0001.png")  # valid: lint runs
    deprecate(faulty)
    twin = tmp_path / "twin" / "source"
    shutil.copytree(faulty, twin)
    first = places(lint(faulty), faulty)
    assert {"T101", "T102", "Y102"} <= {code for code, _ in codes(first)}
    assert check_source(faulty, LintConfig()).reused == len(STEMS)  # --fix will use these
    fixed = lint(faulty, "--fix")
    lint(twin, "--fix", cache=False)
    assert _tree_text(faulty) == _tree_text(twin)
    assert "Tumor infiltrates" in (faulty / B).read_text()
    assert "DWI in sclerotic" not in (faulty / A).read_text()
    left = places(again(faulty), faulty)
    assert left == places(fixed, faulty)
    assert codes(left) == {("T106", A), ("T106", B), ("T106", C), ("T109", B)}  # no fixes


def _tree_text(root: Path) -> dict[str, bytes]:
    return {rel: data for rel, (data, _) in _tree(root).items() if not rel.startswith(CACHE_DIR)}


def test_a_file_changed_just_now_is_checked_again_next_time(
    book: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.undo()  # the default window: two seconds
    assert check.Store.RACY_NS == 2_000_000_000
    lint(book)
    config = LintConfig()
    assert check_source(book, config, jobs=1).reused == 0  # written just now: not trusted
    past = time.time() - 10
    for path in (book / "chapters").iterdir():
        os.utime(path, (past, past))  # the change time is still now: still not trusted
    assert check_source(book, config, jobs=1).reused == 0


def test_a_cache_carried_to_another_checkout_is_not_used(book: Path, tmp_path: Path) -> None:
    config = LintConfig()
    check_source(book, config, jobs=1)
    assert check_source(book, config, jobs=1).reused == len(STEMS)
    copy = shutil.copytree(book, tmp_path / "copy", symlinks=True)  # the cache comes along
    assert (copy / CACHE_DIR / "v1" / "chapters.json").is_file()
    assert check_source(copy, config, jobs=1).reused == 0  # other inodes, other change times
    assert check_source(copy, config, jobs=1).reused == len(STEMS)  # its own entries now
