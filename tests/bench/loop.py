"""The editor's loop, measured as the editor waits for it: the whole command, start-up included.

``tests.bench.stage`` times a stage inside a process that has already imported everything; an
editor who runs ``monograph lint`` after an edit waits for the process from start to exit. So
each of ``monograph validate``, ``monograph lint`` and ``monograph build --only json`` (JSON
only, so that 1,000 chapters stays feasible; the row is named ``build-json``) is run in a new
process on a generated book, in three states:

- **cold**: no cache: ``<BOOK>/.monograph-cache`` is deleted first (and the build's output);
- **warm**: after a real one-line edit to one chapter (one word of one bullet of
  chapter-0007 changed, to a word that book has not had before), the previous run's cache kept;
- **noop**: run again with nothing changed.

Each is measured three times and the median kept (the cold one deletes the cache each time).
Wall time is taken around the child; its CPU time (user + system) and peak resident memory are
the child's own, workers it waited for included, read with ``os.wait4``: ``RUSAGE_CHILDREN``
would add up every child this process ever reaped.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from tests.helpers import REPO, command, environment

SIZES = (100, 1000)
"""The chapter counts the loop rows run at (when the sweep's ``--sizes`` has them)."""
COMMANDS: dict[str, tuple[str, ...]] = {
    "validate": ("validate",),
    "lint": ("lint",),
    "build-json": ("build", "--only", "json"),
}
STATES = ("cold", "warm", "noop")
REPEAT = 3
ENV = {"SOURCE_DATE_EPOCH": "1700000000", "MONOGRAPH_MEMORY_MIB": "16384"}
"""A fixed build moment, and room to measure what a large book needs (see ``stage.ROOMY``)."""
CACHE = ".monograph-cache"
EDITED = Path("chapters") / "chapter-0007.md"
BULLET = re.compile(r"(marrow and )\w+( an osteoblastic reaction)")
"""The bullet edited: "Tumor infiltrates the marrow and provokes an osteoblastic reaction"."""
VERBS = ("causes", "induces", "triggers", "incites", "elicits", "stimulates", "prompts",
         "drives", "produces")  # fmt: skip
"""One verb for each warm run on a book (3 commands × 3 runs), none the generated "provokes":
every edit gives the chapter bytes no cache has seen. Each keeps the book lint-clean."""


def compile_pipeline() -> None:
    """Write the pipeline's bytecode once, before anything is timed.

    This environment sets PYTHONDONTWRITEBYTECODE=1, so without this every timed command
    would compile some 90 modules of ``pipeline/`` from source again, which an installed
    ``monograph`` never does.
    """
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "pipeline")], check=True)


def loop_rows(book: Path, chapters: int) -> Iterator[dict[str, Any]]:
    """One row per command and state on ``book`` (which this edits), in the order measured."""
    out = book.parent / f"{book.name}-loop-out"
    edits = itertools.count()
    for name, args in COMMANDS.items():
        argv = [*args, "--source", str(book)]
        argv += ["--out", str(out)] if args[0] == "build" else []
        for state in STATES:
            runs = []
            for _ in range(REPEAT):
                _prepare(state, book, out, edits)
                runs.append(_run(argv))
            yield _row(f"{name}-{state}", state, chapters, runs)
    shutil.rmtree(out, ignore_errors=True)


def _prepare(state: str, book: Path, out: Path, edits: Iterator[int]) -> None:
    """Leave ``book`` (and ``out``) as a run in ``state`` finds them."""
    if state == "cold":
        shutil.rmtree(book / CACHE, ignore_errors=True)
        shutil.rmtree(out, ignore_errors=True)
    elif state == "warm":
        _edit(book / EDITED, VERBS[next(edits)])


def _edit(chapter: Path, verb: str) -> None:
    """Change the verb of one bullet of ``chapter``, as an editor would."""
    text, found = BULLET.subn(rf"\g<1>{verb}\g<2>", chapter.read_text(encoding="utf-8"), 1)
    if not found:
        raise SystemExit(f"{chapter}: the bullet to edit is missing ({BULLET.pattern})")
    chapter.write_text(text, encoding="utf-8")


def _run(argv: list[str]) -> dict[str, float]:
    """Run ``python -m pipeline ARGV``: wall and CPU seconds, peak RSS in MiB; exit 0 or stop."""
    with tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr:
        started = time.perf_counter()
        child = subprocess.Popen(command(*argv), cwd=REPO, env=environment(ENV),
                                 stdout=stdout, stderr=stderr)  # fmt: skip
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            raise SystemExit(f"monograph {' '.join(argv)} exited {child.returncode}:\n"
                             f"{_tail(stdout, 1000)}{_tail(stderr, 2000)}")  # fmt: skip
    return {"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime,
            "peak_rss_mib": usage.ru_maxrss / 1024}  # fmt: skip


def _tail(stream: IO[bytes], size: int) -> str:
    stream.seek(0)
    return stream.read().decode(errors="replace")[-size:]


def _row(stage: str, state: str, chapters: int, runs: list[dict[str, float]]) -> dict[str, Any]:
    """The median run by wall time, with the largest peak memory of the runs (as ``run`` does).

    ``jobs`` is None: each command runs with its own default, as an editor runs it.
    """
    median = sorted(runs, key=lambda run: run["wall_s"])[len(runs) // 2]
    return {"chapters": chapters, "stage": stage, "state": state,
            "wall_s": round(median["wall_s"], 3), "cpu_s": round(median["cpu_s"], 3),
            "peak_rss_mib": round(max(run["peak_rss_mib"] for run in runs), 1),
            "jobs": None, "runs": len(runs)}  # fmt: skip
