"""A time limit on rendering: a job that runs too long is stopped and reported (P108).

A hostile or merely enormous chapter could keep WeasyPrint busy for hours. Each render job
gets ``SECONDS_PER_CHAPTER`` for each chapter it holds (one for a chapter's PDFs, all of them
for the book, the EPUB and the JSON). ``MONOGRAPH_RENDER_SECONDS`` in the build's environment
sets another allowance per chapter, e.g. for a slow machine.

The limit is a ``SIGALRM`` timer, so it works in the build's own process and in each worker
process alike (a job runs in its process's main thread). ``RenderTimeout`` derives from
``BaseException`` so that a library's ``except Exception`` cannot swallow it, and the timer
fires again every second until the job has stopped. A call that never returns to Python (a
hung C library) is not interrupted; outside the main thread, or without ``SIGALRM``, there is
no limit. When the timer fires where Python cannot raise (a finalizer, the import machinery's
lock callback), Python would print the exception as "ignored"; while a limit is set, that
report is dropped for ``RenderTimeout`` alone (the timer fires again a second later).
"""

from __future__ import annotations

import math
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType
from typing import Any

from pipeline.diagnostics import Diagnostic, finding
from pipeline.model.span import Span

SECONDS_PER_CHAPTER = 120.0
ENVIRONMENT = "MONOGRAPH_RENDER_SECONDS"


class RenderTimeout(BaseException):
    """Raised in a render job that ran past its time limit."""


def seconds_per_chapter(environ: Mapping[str, str]) -> float:
    """The allowance per chapter: ``MONOGRAPH_RENDER_SECONDS`` if it is a positive number."""
    try:
        value = float(environ.get(ENVIRONMENT, SECONDS_PER_CHAPTER))
    except ValueError:
        return SECONDS_PER_CHAPTER
    return value if 0 < value < math.inf else SECONDS_PER_CHAPTER


@dataclass
class Limit:
    """What a body under ``time_limit`` can ask: whether its time ran out."""

    expired: bool = False

    def _raise(self, _signal: int, _frame: FrameType | None) -> None:
        self.expired = True
        raise RenderTimeout


@contextmanager
def time_limit(seconds: float) -> Iterator[Limit]:
    """Raise ``RenderTimeout`` in the body once ``seconds`` have passed (and every second on).

    A C extension the timer interrupts may turn ``RenderTimeout`` into an error of its own
    (pydantic-core wraps it in a ``SchemaError``); ``Limit.expired`` tells the caller that
    such an error is the limit's doing.
    """
    limit = Limit()
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield limit
        return
    previous = signal.signal(signal.SIGALRM, limit._raise)
    previous_hook = sys.unraisablehook
    sys.unraisablehook = _quiet_timeouts(previous_hook)
    signal.setitimer(signal.ITIMER_REAL, seconds, 1.0)
    try:
        yield limit
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        sys.unraisablehook = previous_hook


def _quiet_timeouts(previous: Callable[[Any], object]) -> Callable[[Any], object]:
    """An unraisable-exception hook that drops ``RenderTimeout`` and passes the rest on."""

    def hook(unraisable: Any) -> None:
        if not isinstance(unraisable.exc_value, RenderTimeout):
            previous(unraisable)

    return hook


def timed_out(path: str, chapter: str | None, seconds: float) -> Diagnostic:
    """The P108 finding for the job that makes ``path``, at its chapter (or at book.yaml)."""
    where = f"chapters/{chapter}.md" if chapter else "book.yaml"
    whose = f"chapter '{chapter}'" if chapter else "the whole book"
    message = f"rendering {path} for {whose} took longer than {seconds:g} s and was stopped"
    return finding("P108", Span(path=where, line=1, column=1), message)
