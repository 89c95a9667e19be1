"""What a build opens: each figure's image once, and no file it is not made from.

Validation reads and checks each image; every later step (PDF and EPUB renderers in their
worker processes, the cache key, the manifest's tree hash) uses those bytes or their recorded
SHA-256. A file no stage reads (notes, a stray video) is counted by its size, never opened.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

from pipeline.orchestrate.check import CACHE_DIR
from tests.bench.corpus import make_book
from tests.helpers import REPO

# Python's audit hook sees every open() in the process and, the pool being forked, in its
# workers; os.write to an inherited descriptor records it without opening anything itself.
WATCH = """
import os, sys
from pipeline import cli
figures, log = os.path.realpath(sys.argv[1]), os.open(sys.argv[2], os.O_WRONLY | os.O_APPEND)
def hook(event, args):
    if event == "open" and isinstance(args[0], (str, bytes)):
        path = os.path.realpath(os.fsdecode(args[0]))
        if path.startswith(figures + os.sep):
            os.write(log, (path + "\\n").encode())
sys.addaudithook(hook)
sys.exit(cli.main(sys.argv[3:]))
"""


def test_every_image_is_read_once_per_build(tmp_path: Path) -> None:
    source = make_book(tmp_path / "source", 1)
    images = sorted(str(p.resolve()) for p in (source / "figures").glob("*.png"))
    log = tmp_path / "opened.txt"
    log.touch()
    build = ["build", "--source", str(source), "--out", str(tmp_path / "out"), "--jobs", "2"]
    # One chapter: its PDF and Key Facts in one worker, the book PDF and the EPUB in the other.
    command = [sys.executable, "-c", WATCH, str(source / "figures"), str(log), *build]
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "pdf" in done.stderr and "epub" in done.stderr  # the renderers ran
    assert len(images) == 1
    opened = Counter(log.read_text().split())
    assert {path: opened[path] for path in images} == dict.fromkeys(images, 1)


def test_a_huge_file_no_stage_reads_is_never_opened(tmp_path: Path) -> None:
    source = make_book(tmp_path / "source", 1)
    notes = source / "notes"
    notes.mkdir()
    with (notes / "scan-archive.bin").open("wb") as handle:
        handle.truncate(3 * 1024**3)  # 3 GiB, sparse: costs no disk
    log = tmp_path / "opened.txt"
    log.touch()
    build = ["build", "--source", str(source), "--out", str(tmp_path / "out"), "--only", "json"]
    command = [sys.executable, "-c", WATCH, str(notes), str(log), *build]
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert log.read_text() == ""
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    counted = [p for p in source.rglob("*") if p.is_file() and CACHE_DIR not in p.parts]
    assert manifest["source"]["files"] == len(counted)  # the chapter cache is not source
