"""The render time limit (P108): a job past its time stops, is reported, and commits nothing."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.render.timelimit import (
    SECONDS_PER_CHAPTER,
    RenderTimeout,
    seconds_per_chapter,
    time_limit,
)
from tests.fuzz.invariants import EPOCH, check_cli_run
from tests.helpers import REPO, SOURCE
from tests.orchestrate.test_crash import CHAPTER, snapshot


def _build(source: Path, out: Path, *extra: str, seconds: str | None = None) -> tuple[int, str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    if seconds is not None:
        env["MONOGRAPH_RENDER_SECONDS"] = seconds
    command = [sys.executable, "-m", "pipeline", "build", "--source", str(source),
               "--out", str(out), "--format", "json", *extra]  # fmt: skip
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, check=False)
    check_cli_run(done)
    return done.returncode, done.stdout


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_chapter_past_its_time_is_reported_and_nothing_is_committed(
    tmp_path: Path, jobs: str
) -> None:
    source, out = tmp_path / "source", tmp_path / "out"
    shutil.copytree(SOURCE, source)
    status, _ = _build(source, out, "--only", "json")
    assert status == 0
    before = snapshot(out)
    chapter = source / CHAPTER
    chapter.write_text(chapter.read_text().replace("red marrow", "red bone marrow"))
    status, stdout = _build(source, out, "--only", "pdf,json", "--jobs", jobs, seconds="0.01")
    assert status == 1
    assert f'"path": "{source}/{CHAPTER}"' in stdout and '"code": "P108"' in stdout, stdout
    assert "took longer than 0.01 s and was stopped" in stdout
    assert snapshot(out) == before, "a build that ran out of time changed the outputs"
    assert not list(out.rglob("*.pdf"))


def test_the_limit_interrupts_code_that_swallows_exceptions() -> None:
    started = time.monotonic()
    with pytest.raises(RenderTimeout), time_limit(0.05):
        while True:
            try:
                sum(range(10_000))
            except Exception:  # a library's catch-all must not hide the limit
                continue
    assert time.monotonic() - started < 5
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0), "the timer outlived the job"


def test_a_job_within_its_time_is_untouched() -> None:
    with time_limit(30):
        assert sum(range(10)) == 45
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, SECONDS_PER_CHAPTER), ("7.5", 7.5), ("0", SECONDS_PER_CHAPTER),
     ("-1", SECONDS_PER_CHAPTER), ("soon", SECONDS_PER_CHAPTER), ("inf", SECONDS_PER_CHAPTER),
     ("nan", SECONDS_PER_CHAPTER)],
)  # fmt: skip
def test_the_allowance_comes_from_the_environment(value: str | None, expected: float) -> None:
    environ = {} if value is None else {"MONOGRAPH_RENDER_SECONDS": value}
    assert seconds_per_chapter(environ) == expected
