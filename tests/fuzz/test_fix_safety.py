"""``lint --fix`` is an editor's edit, never a loss.

Editors run ``--fix`` while their editor has the file open, a file may be a link into
another folder of the tree, read-only, or written with old Mac line ends. Each case here
failed before: a fix on the wrong line, a link replaced by a copy, a read-only file
rewritten, lines appended during the fix lost.
"""

from __future__ import annotations

import os
import stat
import threading
import time
from pathlib import Path

import pytest

from tests.fuzz.profiles import PROFILE
from tests.helpers import monograph_in_process, seed_copy

CHAPTER = "chapters/blastic-osseous-metastases.md"
FLAGGED = "  - Lesions of 3 x 4 cm\n"
FIXED = "  - Lesions of 3 × 4 cm\n"
RUNS = {"fast": 8, "long": 100}[PROFILE]
"""``--fix`` runs against the appender: 100 in ``nox -s fuzz``."""


@pytest.fixture
def seed(tmp_path: Path) -> Path:
    """A copy of the seed (conftest's ``tree`` is a minimal tree)."""
    return seed_copy(tmp_path)


def _fix(root: Path) -> tuple[int, str, str]:
    done = monograph_in_process("lint", "--source", str(root), "--fix")
    return done.returncode, done.stdout, done.stderr


def test_a_lone_cr_earlier_in_the_file_does_not_move_the_fix(seed: Path) -> None:
    chapter = seed / CHAPTER
    text = chapter.read_text(encoding="utf-8")
    # An old Mac line end inside a bullet: the reader counts it as a line end, so must --fix.
    text = text.replace("  - Intervertebral discs usually spared\n",
                        "  - Intervertebral discs\r  - usually spared\n")  # fmt: skip
    chapter.write_bytes((text + FLAGGED).encode("utf-8"))
    _fix(seed)
    assert chapter.read_bytes() == (text + FIXED).encode("utf-8")


@pytest.mark.parametrize("written", ["&amp;", "&#38;", "\\&"])
def test_an_entity_or_escape_earlier_in_the_line_does_not_move_the_finding_or_fix(
    seed: Path, written: str
) -> None:
    chapter = seed / CHAPTER
    text = chapter.read_text(encoding="utf-8")
    line = f"  - Seen with {written} without 3 x 4 cm lesions\n"
    chapter.write_text(text + line, encoding="utf-8")
    _, out, _ = _fix_preview(seed)
    column = line.index("x 4") + 1  # Y103 points at the letter it replaces
    assert f"{CHAPTER}:{text.count(chr(10)) + 1}:{column}: Y103" in out
    _fix(seed)
    assert chapter.read_text(encoding="utf-8") == text + line.replace("3 x 4", "3 × 4")


def _fix_preview(root: Path) -> tuple[int, str, str]:
    done = monograph_in_process("lint", "--source", str(root))
    return done.returncode, done.stdout, done.stderr


def test_a_linked_chapter_is_fixed_through_its_link(seed: Path) -> None:
    chapter, kept = seed / CHAPTER, seed / "drafts" / "chapter.md"
    kept.parent.mkdir()
    kept.write_text(chapter.read_text(encoding="utf-8") + FLAGGED, encoding="utf-8")
    kept.chmod(0o640)
    chapter.unlink()
    chapter.symlink_to(Path("..") / "drafts" / "chapter.md")
    _fix(seed)
    assert chapter.is_symlink() and kept.read_text(encoding="utf-8").endswith(FIXED)
    assert stat.S_IMODE(kept.stat().st_mode) == 0o640


def test_a_read_only_chapter_is_left_alone_and_reported(seed: Path) -> None:
    chapter = seed / CHAPTER
    chapter.write_text(chapter.read_text(encoding="utf-8") + FLAGGED, encoding="utf-8")
    before = chapter.read_bytes()
    chapter.chmod(0o444)
    status, out, err = _fix(seed)
    assert chapter.read_bytes() == before
    assert status == 1 and "W101" in out and f"'{CHAPTER}' is read-only" in out, err


def test_fix_against_a_concurrent_appender_loses_no_line_and_reports_each_skip(
    seed: Path,
) -> None:
    """An editor's program appends fixable lines while ``--fix`` runs again and again."""
    chapter = seed / CHAPTER
    stop, appended = threading.Event(), []

    def append() -> None:
        while not stop.is_set():
            line = f"  - Lesions of 3 x {len(appended) + 4} cm\n"
            with chapter.open("a", encoding="utf-8") as handle:
                handle.write(line)
            appended.append(line)
            time.sleep(0.01)  # a program writing a log, not a flood: the file stays a chapter

    writer = threading.Thread(target=append)
    writer.start()
    outcomes = []
    try:
        for _ in range(RUNS):
            _, out, err = _fix(seed)
            applied = "fixes applied in 1 files" in err and " 0 fixes" not in err
            outcomes.append("applied" if applied else "skipped" if "W102" in out else err + out)
    finally:
        stop.set()
        writer.join()
    lines = chapter.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line.replace("×", "x") for line in lines if line.startswith("  - Lesions of 3 ")]
    assert len(kept) == len(appended), f"{len(appended) - len(kept)} appended lines lost"
    assert kept == appended, "appended lines reordered"
    assert set(outcomes) <= {"applied", "skipped"}, outcomes
    assert "applied" in outcomes
    print(f"{RUNS} runs: {outcomes.count('applied')} applied, {outcomes.count('skipped')} "
          f"skipped and reported; {len(appended)} lines appended, none lost")  # fmt: skip


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to own a file as another user")
def test_a_fixed_file_keeps_its_owner(seed: Path) -> None:
    chapter = seed / CHAPTER
    chapter.write_text(chapter.read_text(encoding="utf-8") + FLAGGED, encoding="utf-8")
    os.chown(chapter, 1234, 5678)
    _fix(seed)
    assert (chapter.stat().st_uid, chapter.stat().st_gid) == (1234, 5678)
    assert chapter.read_text(encoding="utf-8").endswith(FIXED)
