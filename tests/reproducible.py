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
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RUNS = (
    {"TZ": "UTC", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"},
    {"TZ": "Asia/Kolkata", "LANG": "de_DE.UTF-8", "LC_ALL": "de_DE.UTF-8"},
)
CLOCK_SHIFT = str(400 * 24 * 3600)
"""Seconds the second build's clocks are moved on."""
SHIFTED_CLOCK = Path(__file__).resolve().parent / "shifted_clock"


class NotReproducibleError(AssertionError):
    """Two builds differed."""


def build(source: Path, out: Path, env: dict[str, str], fake_clock: bool) -> None:
    """One clean build of ``source`` into ``out``."""
    command = [sys.executable, "-m", "pipeline", "build", "--source", str(source),
               "--out", str(out), "--jobs", "2"]  # fmt: skip
    environ = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"} | env
    if fake_clock:
        path = os.pathsep.join(filter(None, [str(SHIFTED_CLOCK), environ.get("PYTHONPATH")]))
        environ |= {"PYTHONPATH": path, "MONOGRAPH_CLOCK_SHIFT": CLOCK_SHIFT}
    done = subprocess.run(command, env=environ, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise NotReproducibleError(f"build failed ({done.returncode}):\n{done.stdout}{done.stderr}")


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
    build(source, first, RUNS[0], fake_clock=False)
    build(source, second, RUNS[1], fake_clock=True)
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
            found = compare(REPO / "source", Path(scratch))
        except NotReproducibleError as err:
            print(f"NOT REPRODUCIBLE: {err}", file=sys.stderr)
            return 1
    for name, digest in found.items():
        print(f"{digest}  {name}")
    print(f"reproducible: {len(found)} artifacts identical across clock, TZ and LANG")
    return 0


if __name__ == "__main__":
    sys.exit(main())
