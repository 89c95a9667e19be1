"""The render time limit (P108): a job past its time stops, is reported, and commits nothing."""

from __future__ import annotations

import shutil
import signal
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from pipeline.orchestrate.limits import (
    SECONDS_PER_CHAPTER,
    RenderTimeout,
    seconds_per_chapter,
    time_limit,
)
from tests.fuzz.invariants import check_cli_run
from tests.helpers import SOURCE, build
from tests.orchestrate.test_crash import CHAPTER, snapshot


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_chapter_past_its_time_is_reported_and_nothing_is_committed(
    tmp_path: Path, jobs: int
) -> None:
    source, out = tmp_path / "source", tmp_path / "out"
    shutil.copytree(SOURCE, source)
    assert check_cli_run(build(source, out, formats=("json",)).run) == 0
    before = snapshot(out)
    chapter = source / CHAPTER
    chapter.write_text(chapter.read_text().replace("red marrow", "red bone marrow"))
    limited = {"MONOGRAPH_RENDER_SECONDS": "0.01"}
    done = build(source, out, formats=("pdf", "json"), jobs=jobs, env=limited).run
    assert check_cli_run(done) == 1
    stdout = done.stdout
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


def test_a_timeout_python_cannot_raise_is_not_printed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The timer can fire in a finalizer or an import lock's callback, where Python only
    reports the exception as "ignored"; a limit's own exception is not reported there."""

    class Finalized:
        def __init__(self, error: BaseException) -> None:
            self.error = error

        def __del__(self) -> None:
            raise self.error

    reported: list[type[BaseException]] = []

    def report(unraisable: Any) -> None:
        reported.append(type(unraisable.exc_value))

    monkeypatch.setattr(sys, "unraisablehook", report)
    with time_limit(30):
        Finalized(RenderTimeout())  # collected at once: its __del__ raises into the hook
        Finalized(ValueError("a real problem"))
    assert reported == [ValueError]  # other unraisable errors are still reported
    assert sys.unraisablehook is report


def test_a_timeout_an_extension_turned_into_its_own_error_is_still_a_timeout(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """pydantic-core wraps an exception raised inside its Rust code in a SchemaError; a
    render job that fails so after its time ran out is reported as out of time (P108)."""
    from pipeline.orchestrate import runner
    from pipeline.orchestrate.jobs import Job

    def converting(_job: Job) -> None:
        while True:
            try:
                sum(range(10_000))
            except RenderTimeout as err:  # what a C extension does with it
                raise ValueError("Error building serializer") from err

    monkeypatch.setattr(runner, "render", converting)
    made = runner._render_within(Job("pdf/x.pdf", "chapter", "x", ()), 0.05)
    assert made.data == b"" and [d.code for d in made.diagnostics] == ["P108"]

    def failing(_job: Job) -> None:
        raise ValueError("a real bug")

    monkeypatch.setattr(runner, "render", failing)
    with pytest.raises(ValueError, match="a real bug"):
        runner._render_within(Job("pdf/x.pdf", "chapter", "x", ()), 30)


def test_the_limit_waits_for_an_import_to_finish(tmp_path: Path, monkeypatch: Any) -> None:
    """A limit raised inside an import would leave the module half made for the next job
    (seen: ``module 'pycparser' has no attribute 'c_ast'``, exit 3); it waits for the end."""
    slow = "import time\nend = time.monotonic() + 0.5\nwhile time.monotonic() < end:\n    pass\n"
    (tmp_path / "slow_module_for_the_limit.py").write_text(slow + "DONE = True\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(RenderTimeout), time_limit(0.05):
        import slow_module_for_the_limit  # noqa: F401

        while True:
            pass
    assert sys.modules["slow_module_for_the_limit"].DONE
