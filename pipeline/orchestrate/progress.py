"""What a build says while it runs: a progress bar on a terminal, plain lines elsewhere.

Under CI (``CI`` set) or when stderr is not a terminal, each artifact gets one line, so logs
read well; at the end, every stage's time.
"""

from __future__ import annotations

import os
import sys
import time
from types import TracebackType
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID


class BuildProgress:
    """Stage timings and per-artifact progress (use as a context manager)."""

    def __init__(self, stream: TextIO = sys.stderr) -> None:
        self.stream = stream
        self.timings: list[tuple[str, float]] = []
        self._started = 0.0
        self._stage = ""
        fancy = stream.isatty() and not os.environ.get("CI")
        self._bar: Progress | None = None
        if fancy:
            # rich is imported only for a terminal: 75 ms of every command's start otherwise.
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
            )

            columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                       TimeElapsedColumn())  # fmt: skip
            self._bar = Progress(*columns, transient=True)
        self._task: TaskID | None = None

    def __enter__(self) -> BuildProgress:
        if self._bar is not None:
            self._bar.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None,
        trace: TracebackType | None,
    ) -> None:  # fmt: skip
        self.end_stage()
        if self._bar is not None:
            self._bar.stop()

    def stage(self, name: str, total: int = 0) -> None:
        """Start timing ``name`` (closing the previous stage); ``total`` artifacts to come."""
        self.end_stage()
        self._stage, self._started = name, time.perf_counter()
        if self._bar is not None and total:
            self._task = self._bar.add_task(name, total=total)

    def done(self, line: str) -> None:
        """One artifact finished."""
        if self._bar is not None and self._task is not None:
            self._bar.advance(self._task)
        if self._bar is None:
            print(line, file=self.stream, flush=True)

    def say(self, line: str) -> None:
        """A line that is not progress."""
        if self._bar is not None:
            self._bar.console.print(line, highlight=False, markup=False)
        else:
            print(line, file=self.stream, flush=True)

    def end_stage(self) -> None:
        """Stop timing the current stage."""
        if self._stage:
            self.timings.append((self._stage, time.perf_counter() - self._started))
            if self._bar is not None and self._task is not None:
                self._bar.remove_task(self._task)
            self._stage, self._task = "", None

    def summary(self) -> str:
        """Every stage with its time: ``check 0.13 s · render 6.5 s · commit 0.01 s``."""
        self.end_stage()
        return " · ".join(f"{name} {seconds:.2f} s" for name, seconds in self.timings)
