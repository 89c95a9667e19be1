"""A build killed while rendering, or started while another runs, damages nothing."""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from pipeline.orchestrate.outputs import LOCK, STAGING
from tests.bench.corpus import make_book
from tests.helpers import REPO


def _start(source: Path, out: Path) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "pipeline", "build", "--source", str(source),
               "--out", str(out), "--only", "pdf", "--jobs", "1"]  # fmt: skip
    return subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)  # fmt: skip


def _snapshot(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*")
            if p.is_file() and STAGING not in p.parts and p.name != LOCK}  # fmt: skip


def _wait_for(condition, seconds: float = 120) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_sigkill_while_rendering_keeps_previous_outputs_and_manifest(tmp_path: Path) -> None:
    source, out = make_book(tmp_path / "source", 4), tmp_path / "out"
    assert _start(source, out).wait(timeout=600) == 0
    before = _snapshot(out)
    for chapter in (source / "chapters").glob("*.md"):
        chapter.write_text(chapter.read_text().replace("posterior elements", "posterior arch"))
    build = _start(source, out)
    staged = out / STAGING / "pdf"
    try:
        assert _wait_for(lambda: staged.is_dir() and any(staged.iterdir())), "never rendered"
        os.kill(build.pid, signal.SIGKILL)
        build.wait(timeout=60)
        assert build.returncode == -signal.SIGKILL, "the build ended before it could be killed"
    finally:
        build.kill()
    assert _snapshot(out) == before
    assert _start(source, out).wait(timeout=600) == 0
    assert _snapshot(out) != before


def test_a_second_build_waits_for_the_first(tmp_path: Path) -> None:
    source, out = make_book(tmp_path / "source", 1), tmp_path / "out"
    out.mkdir()
    with (out / LOCK).open("w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        build = _start(source, out)
        time.sleep(3)
        assert build.poll() is None, "the second build did not wait for the lock"
        fcntl.flock(held, fcntl.LOCK_UN)
    _, err = build.communicate(timeout=600)
    assert build.returncode == 0
    assert "waiting for another build to finish" in err
