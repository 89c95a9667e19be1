"""Limits on a command's time and memory: a job past either is stopped and reported.

**Time** (P108). A hostile or merely enormous chapter could keep WeasyPrint busy for hours.
Each render job gets ``SECONDS_PER_CHAPTER`` for each chapter it holds (one for a chapter's
PDFs, all of them for the book, the EPUB and the JSON). ``MONOGRAPH_RENDER_SECONDS`` in the
build's environment sets another allowance per chapter, e.g. for a slow machine.

**Memory** (P110). The whole command (the build and its render workers together) keeps its
resident memory below a budget, ``MEMORY_MIB`` (1 GiB) unless ``MONOGRAPH_MEMORY_MIB`` in
the environment says otherwise. Validation's size limits keep any one chapter well inside it
(docs/performance.md has the measurements); what a whole book needs grows with the book, and
a render job that would pass the budget is stopped and reported at its chapter (or at
book.yaml) instead of being killed by the system or taking the machine down with it. Reading,
validating and linting a book too large for the budget stop in the same way (``OverBudget``,
reported by the command at book.yaml).

Both limits are one ``SIGALRM`` interval timer, ticking every ``TICK`` seconds while a limit
is set: at each tick the handler compares the clock with the deadline and the process's
resident memory (``/proc/self/statm``) with the budget, and raises ``RenderTimeout`` or
``OverBudget``. Both derive from ``BaseException`` so that a library's ``except Exception``
cannot swallow them; once raised, the same limit raises again a second later if the job
has not stopped (not at every tick, so that the code unwinding from the first can finish).
Neither is raised inside an import (the check waits a tick), which would leave a module half
made for the next job. Interrupted system calls restart (``siginterrupt(SIGALRM, False)``),
so C libraries never see ``EINTR``. A call that never returns to Python (a hung C library) is not
interrupted; outside the main thread, or without ``SIGALRM``, there is no limit. Between
two ticks memory can grow by what one tick's work allocates, a few MiB for WeasyPrint's
layout: the check stops a twentieth (``MARGIN``) below the budget. When the timer fires where
Python cannot raise (a finalizer, the import machinery's lock callback), Python would print
the exception as "ignored"; while a limit is set, that report is dropped for these two (the
timer fires again a second later). ``paused()`` holds the memory check while the output folder is
committed or a fixed file is written: those steps must finish once begun.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import math
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import FrameType
from typing import Any

from pipeline.diagnostics import Diagnostic, finding
from pipeline.model.span import Span

SECONDS_PER_CHAPTER = 120.0
ENVIRONMENT = "MONOGRAPH_RENDER_SECONDS"
MEMORY_MIB = 1024
MEMORY_ENVIRONMENT = "MONOGRAPH_MEMORY_MIB"
MARGIN = 20
"""A twentieth of a budget is kept free for what can be allocated between two ticks."""
TICK = 0.1
MIB = 1024 * 1024


class RenderTimeout(BaseException):
    """Raised in a render job that ran past its time limit."""


class OverBudget(BaseException):
    """Raised where the process's resident memory passed its budget (``budget`` bytes)."""

    def __init__(self, budget: int) -> None:
        super().__init__(budget)
        self.budget = budget


def seconds_per_chapter(environ: Mapping[str, str]) -> float:
    """The allowance per chapter: ``MONOGRAPH_RENDER_SECONDS`` if it is a positive number."""
    try:
        value = float(environ.get(ENVIRONMENT, SECONDS_PER_CHAPTER))
    except ValueError:
        return SECONDS_PER_CHAPTER
    return value if 0 < value < math.inf else SECONDS_PER_CHAPTER


def memory_budget_bytes(environ: Mapping[str, str]) -> int:
    """The whole command's budget: ``MONOGRAPH_MEMORY_MIB`` if it is a positive whole number."""
    value = environ.get(MEMORY_ENVIRONMENT, "")
    mib = int(value) if value.isascii() and value.isdigit() and len(value) < 9 else 0
    return (mib or MEMORY_MIB) * MIB


def resident_bytes(statm: int | None = None) -> int:
    """The resident memory of this process now (0 where ``/proc`` has no answer).

    ``statm``: ``/proc/self/statm`` already open, as the timer keeps it.
    """
    try:
        data = Path("/proc/self/statm").read_bytes() if statm is None else os.pread(statm, 128, 0)
        return int(data.split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


@cache
def _libc() -> ctypes.CDLL | None:
    """The C library, for ``malloc_trim`` (looked up once: ``find_library`` runs ldconfig)."""
    name = ctypes.util.find_library("c")
    if not name or not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(name)
    except OSError:
        return None


@dataclass
class Limit:
    """What a body under ``time_limit`` can ask: whether its time ran out."""

    expired: bool = False


class _Watch:
    """The process's one timer, and the limits it checks at each tick."""

    def __init__(self) -> None:
        self.deadline: float | None = None
        self.limit: Limit | None = None
        self.budget: int | None = None
        """The resident memory the check stops at: the budget less its margin."""
        self.allowed = 0
        """The budget as given, for the finding."""
        self.over: int | None = None
        self.paused = 0
        self.statm: int | None = None
        self.saved: tuple[Any, Any] | None = None
        self.quiet_until = 0.0

    def tick(self, _signal: int, frame: FrameType | None) -> None:
        now = time.monotonic()
        if now < self.quiet_until or _importing(frame):
            return
        if self.deadline is not None and now >= self.deadline:
            if self.limit is not None:
                self.limit.expired = True
            self.quiet_until = now + 1.0
            raise RenderTimeout
        if self.budget is not None and not self.paused and self._resident() > self.budget:
            self.over = self.allowed
            self.quiet_until = now + 1.0
            raise OverBudget(self.allowed)

    def after_fork(self) -> None:
        """In a forked child, start again from nothing.

        No timer runs in a child (it inherits none) and the limits were the parent's.
        """
        if self.saved is not None:
            signal.signal(signal.SIGALRM, self.saved[0])
            sys.unraisablehook = self.saved[1]
        if self.statm is not None:
            os.close(self.statm)
        self.__init__()  # type: ignore[misc]

    def _resident(self) -> int:
        return resident_bytes(self.statm)

    def usable(self) -> bool:
        main = threading.current_thread() is threading.main_thread()
        return main and hasattr(signal, "setitimer")

    def arm(self) -> None:
        """Start the timer if a limit is set and it is not running."""
        if self.saved is not None or (self.deadline is None and self.budget is None):
            return
        try:
            self.statm = os.open("/proc/self/statm", os.O_RDONLY)
        except OSError:
            self.statm = None
        self.saved = (signal.signal(signal.SIGALRM, self.tick), sys.unraisablehook)
        signal.siginterrupt(signal.SIGALRM, False)
        sys.unraisablehook = _quiet(self.saved[1])
        signal.setitimer(signal.ITIMER_REAL, TICK, TICK)

    def disarm(self) -> None:
        """Stop the timer once no limit is set."""
        if self.saved is None or self.deadline is not None or self.budget is not None:
            return
        signal.setitimer(signal.ITIMER_REAL, 0)
        handler, hook = self.saved
        signal.signal(signal.SIGALRM, handler)
        sys.unraisablehook = hook
        self.saved = None
        if self.statm is not None:
            os.close(self.statm)
            self.statm = None


_WATCH = _Watch()
os.register_at_fork(after_in_child=_WATCH.after_fork)


@contextmanager
def time_limit(seconds: float) -> Iterator[Limit]:
    """Raise ``RenderTimeout`` in the body once ``seconds`` have passed (and every tick on).

    A C extension the timer interrupts may turn ``RenderTimeout`` into an error of its own
    (pydantic-core wraps it in a ``SchemaError``); ``Limit.expired`` tells the caller that
    such an error is the limit's doing.
    """
    limit = Limit()
    if not _WATCH.usable():
        yield limit
        return
    outer = _WATCH.deadline, _WATCH.limit
    _WATCH.deadline, _WATCH.limit = time.monotonic() + seconds, limit
    _WATCH.quiet_until = 0.0
    _WATCH.arm()
    try:
        yield limit
    finally:
        _WATCH.deadline, _WATCH.limit = outer
        _WATCH.disarm()


@contextmanager
def memory_budget(budget: int) -> Iterator[None]:
    """Raise ``OverBudget`` in the body once this process's resident memory is past its budget.

    The check stops at ``budget`` bytes less a ``MARGIN``; an enclosing budget that is
    smaller still holds.
    """
    if not _WATCH.usable():
        yield
        return
    outer = _WATCH.budget, _WATCH.allowed
    if outer[0] is None or budget < outer[1]:
        _WATCH.budget, _WATCH.allowed = budget - budget // MARGIN, budget
    _WATCH.arm()
    try:
        _WATCH.tick(signal.SIGALRM, None)  # a process already past it stops at once
        yield
    finally:
        _WATCH.budget, _WATCH.allowed = outer
        _WATCH.disarm()


def over_budget() -> int | None:
    """The budget whose check fired since the last ``release_memory()``, if one did.

    An error a C extension raised in the place of ``OverBudget`` (as for ``Limit.expired``)
    is then the budget's doing.
    """
    return _WATCH.over


@contextmanager
def paused() -> Iterator[None]:
    """Hold the memory check (not the time limit) while a step that must finish runs."""
    _WATCH.paused += 1
    try:
        yield
    finally:
        _WATCH.paused -= 1


def release_memory() -> None:
    """After a job stopped for memory, give back what it held.

    Its garbage is collected and the freed pages returned to the system, so that the next
    job in this process starts from what the process holds, not from the stopped job's peak.
    """
    with paused():  # collecting a large heap takes longer than a tick
        gc.collect()
        libc = _libc()
        if libc is not None:
            with suppress(AttributeError):
                libc.malloc_trim(0)
    _WATCH.over, _WATCH.quiet_until = None, 0.0


def _importing(frame: FrameType | None) -> bool:
    """Whether ``frame`` runs inside an import.

    A limit raised there would leave a module half made in ``sys.modules``, and a later job
    in the process would fail on it; the check waits for the next tick.
    """
    while frame is not None:
        if frame.f_code.co_filename.startswith("<frozen importlib"):
            return True
        frame = frame.f_back
    return False


def _quiet(previous: Callable[[Any], object]) -> Callable[[Any], object]:
    """An unraisable-exception hook that drops the limits' exceptions and passes the rest on."""

    def hook(unraisable: Any) -> None:
        if not isinstance(unraisable.exc_value, RenderTimeout | OverBudget):
            previous(unraisable)

    return hook


def _place(chapter: str | None) -> tuple[Span, str]:
    where = f"chapters/{chapter}.md" if chapter else "book.yaml"
    whose = f"chapter '{chapter}'" if chapter else "the whole book"
    return Span(path=where, line=1, column=1), whose


def timed_out(path: str, chapter: str | None, seconds: float) -> Diagnostic:
    """The P108 finding for the job that makes ``path``, at its chapter (or at book.yaml)."""
    span, whose = _place(chapter)
    message = f"rendering {path} for {whose} took longer than {seconds:g} s and was stopped"
    return finding("P108", span, message)


def worker_died(path: str, chapter: str | None) -> Diagnostic:
    """P109 for the job that makes ``path`` when its process died, at its chapter."""
    span, whose = _place(chapter)
    message = f"the process rendering {path} for {whose} was killed before it finished"
    return finding("P109", span, message)


def out_of_memory(
    path: str | None, chapter: str | None, budget: int, hint: str | None = None
) -> Diagnostic:
    """The P110 finding for the job that makes ``path``, at its chapter (or at book.yaml).

    Without a path, the finding is for reading and checking the source.
    """
    span, whose = _place(chapter)
    mib = f"{budget // MIB:,} MiB"
    if path is None:
        message = f"reading and checking the source needed more memory than the {mib} it had"
    else:
        message = f"rendering {path} for {whose} needed more memory than the {mib} it had"
    return finding("P110", span, message + " and was stopped", hint)
