"""A build killed while rendering, or started while another runs, damages nothing.

What is rendered does not matter here, only when: the builds run with stand-in renderers
(``stub_monograph``) whose gate holds a job until the test opens it.
"""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from pipeline.orchestrate.outputs import LOCK, STAGING
from tests.bench.corpus import make_book
from tests.helpers import REPO, STUB, command, environment


def _start(
    source: Path, out: Path, gate: Path | None = None, stderr: Path | None = None
) -> subprocess.Popen[str]:
    args = ["build", "--source", str(source), "--out", str(out), "--only", "pdf", "--jobs", "1"]
    env = {"MONOGRAPH_STUB_HOLD": "1"}
    if gate is not None:
        gate.mkdir(exist_ok=True)
        env["MONOGRAPH_STUB_GATE"] = str(gate)
    err = stderr.open("w") if stderr is not None else subprocess.PIPE
    return subprocess.Popen(command(*args, module=STUB), cwd=REPO, stdout=subprocess.PIPE,
                            stderr=err, text=True, env=environment(env))  # fmt: skip


def _snapshot(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*")
            if p.is_file() and STAGING not in p.parts and p.name != LOCK}  # fmt: skip


def _wait_for(condition: Callable[[], bool], seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def test_sigkill_while_rendering_keeps_previous_outputs_and_manifest(tmp_path: Path) -> None:
    source, out, gate = make_book(tmp_path / "source", 2), tmp_path / "out", tmp_path / "gate"
    assert _start(source, out).wait(timeout=120) == 0
    before = _snapshot(out)
    for chapter in (source / "chapters").glob("*.md"):
        chapter.write_text(chapter.read_text().replace("posterior elements", "posterior arch"))
    build = _start(source, out, gate)
    try:
        # The first job is staged; the second is held at the gate: kill the build there.
        assert _wait_for(lambda: (gate / "1.started").exists()), "never rendered"
        assert any((out / STAGING / "pdf").iterdir()), "nothing was staged before the kill"
        os.kill(build.pid, signal.SIGKILL)
        build.wait(timeout=60)
        assert build.returncode == -signal.SIGKILL, "the build ended before it could be killed"
    finally:
        build.kill()
    assert _snapshot(out) == before
    assert _start(source, out).wait(timeout=120) == 0
    assert _snapshot(out) != before


def test_a_second_build_waits_for_the_first(tmp_path: Path) -> None:
    source, out = make_book(tmp_path / "source", 1), tmp_path / "out"
    out.mkdir()
    err = tmp_path / "stderr"
    with (out / LOCK).open("w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        build = _start(source, out, stderr=err)
        said = _wait_for(lambda: "waiting for another build to finish" in err.read_text())
        assert said, f"the second build never said it waits: {err.read_text()}"
        assert build.poll() is None, "the second build did not wait for the lock"
        assert not (out / "manifest.json").exists()
        fcntl.flock(held, fcntl.LOCK_UN)
    assert build.wait(timeout=120) == 0
    assert (out / "manifest.json").exists()
