"""Build twice in clean folders under different clocks, time zones and locales; compare bytes.

``nox -s reproducible`` runs this; the test suite calls ``compare`` too. A difference fails,
naming the artifact. The second build runs with every Python clock moved 400 days on
(``tests/shifted_clock``, in-process: no system program needed), so a clock that leaks into an
artifact shows.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import tempfile
from pathlib import Path

from tests.helpers import SOURCE, build

RUNS = (
    {"TZ": "UTC", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"},
    {"TZ": "Asia/Kolkata", "LANG": "de_DE.UTF-8", "LC_ALL": "de_DE.UTF-8"},
)
CLOCK_SHIFT = str(400 * 24 * 3600)
"""Seconds the second build's clocks are moved on."""
SHIFTED_CLOCK = Path(__file__).resolve().parent / "shifted_clock"


class NotReproducibleError(AssertionError):
    """Two builds differed."""


def shifted_clock() -> dict[str, str]:
    """The environment that moves every Python clock of a process ``CLOCK_SHIFT`` seconds on."""
    path = os.pathsep.join(filter(None, [str(SHIFTED_CLOCK), os.environ.get("PYTHONPATH")]))
    return {"PYTHONPATH": path, "MONOGRAPH_CLOCK_SHIFT": CLOCK_SHIFT}


def digests(out: Path) -> dict[str, str]:
    """SHA-256 of every artifact (hidden state and caches excluded)."""
    return {
        p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(out).parts)
    }


def compare(source: Path, scratch: Path) -> dict[str, str]:
    """Build twice into separate clean folders; return the digests, or raise naming a difference."""
    first, second = scratch / "first", scratch / "second"
    for out in (first, second):
        shutil.rmtree(out, ignore_errors=True)
    for out, env in ((first, RUNS[0]), (second, RUNS[1] | shifted_clock())):
        run = build(source, out, epoch=None, jobs=2, env=env).run  # a clean build, no epoch
        if run.returncode != 0:
            raise NotReproducibleError(
                f"build failed ({run.returncode}):\n{run.stdout}{run.stderr}"
            )
    a, b = digests(first), digests(second)
    differing = sorted(name for name in a.keys() | b.keys() if a.get(name) != b.get(name))
    if differing:
        raise NotReproducibleError(
            f"artifacts differ between the two builds: {', '.join(differing)}"
        )
    return a


def main() -> int:
    """Compare two builds of source/; print each artifact's digest."""
    with tempfile.TemporaryDirectory(prefix="reproducible-") as scratch:
        try:
            found = compare(SOURCE, Path(scratch))
        except NotReproducibleError as err:
            print(f"NOT REPRODUCIBLE: {err}", file=sys.stderr)
            return 1
    for name, digest in found.items():
        print(f"{digest}  {name}")
    print(f"reproducible: {len(found)} artifacts identical across clock, TZ and LANG")
    return 0


if __name__ == "__main__":
    sys.exit(main())
