"""The build's atomic-output guarantee under SIGKILL at any moment and under a full disk.

After a build is killed, or fails to write, the output folder is in one of two states: the
previous outputs and manifest, untouched; or a commit journal that the next build completes
before anything else. Either way the next build ends with outputs that match the manifest
byte for byte. The kills come at every filesystem step of a build (a child process kills
itself before its n-th rename, unlink or fsync) and at random moments of a real
``python -m pipeline build``; the full disk is an ENOSPC injected at every write in turn,
and, where the test may mount one, a real tmpfs that fills up.
"""

from __future__ import annotations

import errno
import json
import multiprocessing
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from pipeline.orchestrate.outputs import JOURNAL, LOCK, STAGING, STATE
from tests.fuzz.invariants import check_manifest
from tests.helpers import EPOCH, REPO, SOURCE, build, command, environment, monograph_in_process

FORMATS = ("json", "epub")
CHAPTER = "chapters/blastic-osseous-metastases.md"
Snapshot = dict[str, bytes]


def snapshot(out: Path) -> Snapshot:
    """Every file of the output folder but the lock, the staging area and temporary files.

    (A write killed before its rename leaves its temporary file: see ``leftovers``.) In the
    build's state, what ``stat`` said of each artifact once written (inode, modification
    time) is left out: it describes the file on this disk, which two builds never share.
    """
    if not out.exists():
        return {}
    return {p.relative_to(out).as_posix(): _content(p) for p in out.rglob("*")
            if p.is_file() and STAGING not in p.parts and p.name != LOCK
            and not _temporary(p)}  # fmt: skip


def _content(path: Path) -> bytes:
    data = path.read_bytes()
    if path.name != Path(STATE).name:
        return data
    try:
        state = json.loads(data)
        for artifact in state["artifacts"].values():
            artifact.pop("stat", None)
    except (ValueError, KeyError, AttributeError):
        return data  # a state damaged by a crash is compared as it is
    return json.dumps(state, sort_keys=True).encode()


def _temporary(path: Path) -> bool:
    return path.name.startswith(".") and path.name.endswith(".tmp")


def leftovers(out: Path) -> list[str]:
    """Temporary files of killed writes, outside the staging area (which is swept)."""
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*.tmp")
                  if _temporary(p) and STAGING not in p.parts)  # fmt: skip


@pytest.fixture
def states(tmp_path: Path) -> tuple[Path, Path, Snapshot, Snapshot]:
    """A source built once (``before``) and then edited; ``after`` is what its build gives."""
    source, out = tmp_path / "source", tmp_path / "out"
    shutil.copytree(SOURCE, source)
    build(source, out, formats=FORMATS, in_process=True, check=True)
    before = snapshot(out)
    chapter = source / CHAPTER
    chapter.write_text(chapter.read_text().replace("red marrow", "red bone marrow"))
    reference = tmp_path / "reference"
    build(source, reference, formats=FORMATS, in_process=True, check=True)
    after = snapshot(reference)
    assert before != after
    return source, out, before, after


def assert_recoverable(out: Path, source: Path, before: Snapshot, after: Snapshot) -> str:
    """The folder is as before, as after, or holds a journal; the next build makes it right."""
    now = snapshot(out)
    if now == before:
        state = "untouched"
    elif now == after:
        state = "committed"
    else:
        assert JOURNAL in now, "outputs changed without a journal to finish them"
        state = "journal"
    build(source, out, formats=FORMATS, in_process=True, check=True)
    check_manifest(out)
    assert snapshot(out) == after
    return state


# ---- SIGKILL at every filesystem step ------------------------------------------------------


def _child(step: int, source: Path, out: Path) -> None:
    """Build, killing this process just before its ``step``-th rename, unlink or fsync."""
    count = 0

    def counted(real: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            nonlocal count
            count += 1
            if count == step:
                os.kill(os.getpid(), signal.SIGKILL)
            return real(*args, **kwargs)

        return run

    os.replace, os.unlink, os.fsync = (counted(f) for f in (os.replace, os.unlink, os.fsync))
    build(source, out, formats=FORMATS, in_process=True, check=True)


def test_sigkill_before_each_filesystem_step_of_a_build(states: Any) -> None:
    source, out, before, after = states
    fork = multiprocessing.get_context("fork")
    seen: dict[str, int] = {}
    for step in range(1, 200):
        child = fork.Process(target=_child, args=(step, source, out))
        child.start()
        child.join(timeout=120)
        killed = child.exitcode == -signal.SIGKILL
        state = assert_recoverable(out, source, before, after)
        seen[state] = seen.get(state, 0) + 1
        if not killed:  # the build ran to its end: every step has been a kill point
            assert child.exitcode == 0 and state == "committed"
            break
        _restore(out, before)
    else:
        pytest.fail("the build never finished")
    print(f"{step - 1} kill points: {seen}")
    assert seen.get("untouched") and seen.get("journal"), seen
    assert step > 8, "too few filesystem steps were interrupted"


def test_a_killed_write_leaves_no_temporary_file_after_the_next_build(states: Any) -> None:
    source, out, _, _ = states
    fork = multiprocessing.get_context("fork")
    for step in range(1, 200):
        child = fork.Process(target=_child, args=(step, source, out))
        child.start()
        child.join(timeout=120)
        if leftovers(out):
            break
    build(source, out, formats=FORMATS, in_process=True, check=True)
    assert leftovers(out) == []


def _restore(out: Path, before: Snapshot) -> None:
    """Put the previous outputs back, so the next kill starts from the same state."""
    shutil.rmtree(out, ignore_errors=True)
    for rel, data in before.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_bytes(data)


# ---- SIGKILL at random moments of the real command ---------------------------------------


def test_sigkill_at_random_moments_of_the_command(states: Any) -> None:
    """Half the kills at any moment of the run, half once rendering has begun."""
    source, out, before, after = states
    started = time.monotonic()
    build(source, out.with_name("timing"), formats=FORMATS, jobs=1, check=True)
    duration = time.monotonic() - started
    args = ["build", "--source", str(source), "--out", str(out), "--only", ",".join(FORMATS)]
    env = environment({"SOURCE_DATE_EPOCH": EPOCH})
    rng = random.Random(7)
    moments = [(False, rng.uniform(0.2 * duration, 1.1 * duration)) for _ in range(4)]
    moments += [(True, rng.uniform(0, 0.1)) for _ in range(4)]
    seen = []
    for after_staging, delay in moments:
        _restore(out, before)
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        running = subprocess.Popen(command(*args, "--jobs", "1"), cwd=REPO, env=env, **quiet)
        if after_staging:
            _wait_for(lambda p=running: (out / STAGING).exists() or p.poll() is not None)
        time.sleep(delay)
        running.send_signal(signal.SIGKILL)
        running.wait(timeout=60)
        seen.append(assert_recoverable(out, source, before, after))
    print("kills at", [f"{d:.2f}s{' after staging' * s}" for s, d in moments], "left:", seen)


def _wait_for(condition: Callable[[], bool], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.001)


# ---- a full disk --------------------------------------------------------------------------


@contextmanager
def disk_full_at(write: int) -> Iterator[list[int]]:
    """Make the ``write``-th fsync fail with ENOSPC, as a full disk does; yields the count."""
    real, count = os.fsync, [0]

    def fsync(descriptor: int) -> None:
        count[0] += 1
        if count[0] == write:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real(descriptor)

    os.fsync = fsync
    try:
        yield count
    finally:
        os.fsync = real


def test_a_full_disk_at_each_write_fails_cleanly_and_loses_nothing(states: Any) -> None:
    source, out, before, after = states
    args = ["build", "--source", str(source), "--out", str(out), "--only", ",".join(FORMATS)]
    for write in range(1, 50):
        _restore(out, before)
        with disk_full_at(write) as count:
            done = monograph_in_process(*args, "--jobs", "1")
        status, err = done.returncode, done.stderr
        if count[0] < write:  # the build needed fewer writes: each one has failed once
            assert status == 0
            break
        assert status != 0 and "Traceback" not in err
        assert "No space left on device" in err, err
        assert len([line for line in err.splitlines() if "monograph:" in line]) == 1, err
        assert_recoverable(out, source, before, after)
        assert not list(out.rglob("*.tmp")), "a temporary file was left behind"
    else:
        pytest.fail("the build never finished")
    assert write > 5


def test_a_full_disk_is_reported_as_such_not_as_a_bug(states: Any) -> None:
    source, out, _, _ = states
    with disk_full_at(1):
        done = monograph_in_process(
            "build", "--source", str(source), "--out", str(out), "--only", ",".join(FORMATS)
        )
    assert done.returncode == 2 and "internal error" not in done.stderr


def _mount_tmpfs(target: Path, size: str) -> bool:
    target.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(target)],
                          capture_output=True, check=False)  # fmt: skip
    return done.returncode == 0


@pytest.mark.skipif(sys.platform != "linux" or os.geteuid() != 0, reason="needs root to mount")
def test_a_real_full_tmpfs_fails_the_build_and_keeps_the_outputs(states: Any) -> None:
    source, out, before, after = states
    disk = out.with_name("disk")
    if not _mount_tmpfs(disk, "4m"):
        pytest.skip("cannot mount a tmpfs here")
    try:
        small = disk / "out"
        _restore(small, before)
        filler = disk / "filler"
        with filler.open("wb", buffering=0) as stream:  # fill the disk to the last block
            while True:
                try:
                    stream.write(b"\0" * 4096)
                except OSError:
                    break
        done = build(source, small, formats=FORMATS, jobs=1).run
        assert done.returncode != 0 and "Traceback" not in done.stderr
        assert "No space left on device" in done.stderr, done.stderr
        assert snapshot(small) == before
        filler.unlink()
        assert_recoverable(small, source, before, after)
    finally:
        subprocess.run(["umount", str(disk)], check=False)
