"""Nothing outside the source tree is ever read, and no source file can stall a run.

A Python audit hook records every file the process opens while validate, lint and build
run over a source tree whose files are links to a secret outside it: the secret must never
be opened. FIFOs and devices where a file belongs are refused without blocking.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.fuzz.invariants import check_build, validate_and_lint
from tests.helpers import SOURCE, build

CHAPTER = "chapters/blastic-osseous-metastases.md"
OPENED: list[str] = []
_RECORDING = [False]


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if _RECORDING[0] and event == "open" and isinstance(args[0], str | bytes | os.PathLike):
        OPENED.append(os.path.realpath(os.fsdecode(args[0])))  # where a link leads


sys.addaudithook(_audit)  # hooks cannot be removed; it records only inside ``recording``


@contextmanager
def recording() -> Iterator[list[str]]:
    """Every file opened by Python code (``open``, ``os.open``, pathlib) inside the block,
    links resolved."""
    OPENED.clear()
    _RECORDING[0] = True
    try:
        yield OPENED
    finally:
        _RECORDING[0] = False


def _seed(tmp_path: Path) -> tuple[Path, Path]:
    root = tmp_path / "source"
    shutil.copytree(SOURCE, root)
    secret = tmp_path / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("---\nid: blastic-osseous-metastases\nsecret: API_TOKEN=hunter2\n---\n")
    return root, secret


def _link(root: Path, rel: str, target: Path) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_dir():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)
    path.symlink_to(target)


LINKS = {
    "chapter": (CHAPTER, "R113"),
    "book": ("book.yaml", "R113"),
    "terminology": ("terminology.yaml", "R113"),
    "terminology-folder-file": ("terminology/extra.yaml", "R113"),
    "bibliography": ("bibliography.yaml", "R113"),
}


@pytest.mark.parametrize("case", sorted(LINKS), ids=str)
def test_a_source_file_linked_outside_the_tree_is_refused_unread(case: str, tmp_path: Path) -> None:
    root, secret = _seed(tmp_path)
    rel, code = LINKS[case]
    _link(root, rel, secret)
    with recording() as opened:
        status, found = validate_and_lint(root)
    assert status == 1
    assert (code, rel) in {(d.code, d.span.path) for d in found}, found
    assert str(secret) not in opened and secret.name not in " ".join(opened)
    assert "hunter2" not in " ".join(d.message for d in found)


def test_a_figure_folder_linked_outside_the_tree_is_refused_unread(tmp_path: Path) -> None:
    root, secret = _seed(tmp_path)
    shutil.rmtree(root / "figures", ignore_errors=True)
    (root / "figures").symlink_to(secret.parent)
    chapter = root / CHAPTER
    chapter.write_text(chapter.read_text().replace(
        "  - id: fig-nect-vertebral-sclerosis\n",
        "  - id: fig-nect-vertebral-sclerosis\n    image: secret.txt\n", 1))  # fmt: skip
    with recording() as opened:
        status, found = validate_and_lint(root)
    assert status == 1 and "F101" in {d.code for d in found}
    assert str(secret) not in opened


def test_a_build_never_reads_an_unreferenced_link_out_of_the_tree(tmp_path: Path) -> None:
    root, secret = _seed(tmp_path)
    _link(root, "notes/secret.txt", secret)
    with recording() as opened:
        check_build(build(root, tmp_path / "out", formats=("json",), in_process=True))
    assert str(secret) not in opened


def _no_hang(seconds: int) -> Any:
    def expire(_signal: int, _frame: Any) -> None:
        raise TimeoutError("reading the source blocked")

    signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)


@pytest.mark.parametrize("kind", ["fifo", "device", "folder"])
def test_a_special_file_where_a_chapter_belongs_is_refused_without_blocking(
    kind: str, tmp_path: Path
) -> None:
    root, _ = _seed(tmp_path)
    path = root / CHAPTER
    path.unlink()
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        _link(root, CHAPTER, Path("/dev/zero"))
    else:
        path.mkdir()
    _no_hang(20)
    try:
        status, found = validate_and_lint(root)
    finally:
        signal.alarm(0)
    assert status == 1
    assert {d.code for d in found if d.span.path == CHAPTER} & {"R109", "R113"}, found
