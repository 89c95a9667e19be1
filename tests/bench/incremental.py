"""The incremental-build check on a generated book (default 50 chapters), timed in one run.

Clean build → edit one bullet in one chapter → rebuild with --explain → no-op rebuild.
Prints what was rebuilt and the three times; exits 1 if more than the edited chapter's
artifacts and the book-level ones were rebuilt, or if the no-op rebuild rendered anything.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from tests.bench.corpus import make_book
from tests.helpers import build


def _timed(source: Path, out: Path, *extra: str) -> tuple[float, str]:
    """Seconds ``monograph build`` took (no SOURCE_DATE_EPOCH, as an editor runs it), stderr."""
    started = time.perf_counter()
    run = build(source, out, *extra, epoch=None).run
    if run.returncode != 0:
        raise SystemExit(f"build failed:\n{run.stdout}{run.stderr}")
    return time.perf_counter() - started, run.stderr


def main(argv: list[str] | None = None) -> int:
    """Run the scenario and report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chapters", type=int, default=50)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="incremental-") as scratch:
        source = make_book(Path(scratch) / "source", args.chapters)
        out = Path(scratch) / "out"
        clean, _ = _timed(source, out)
        edited = source / "chapters" / "chapter-0007.md"
        edited.write_text(edited.read_text().replace("posterior elements", "posterior arch", 1))
        changed, explained = _timed(source, out, "--explain")
        noop, quiet = _timed(source, out, "--explain")
    rebuilt = [line for line in explained.splitlines() if line.startswith("rebuilt")]
    print("\n".join(rebuilt))
    print(f"clean build {clean:.1f} s; after one edit {changed:.1f} s; no-op {noop:.2f} s "
          f"({noop / clean:.1%} of clean)")  # fmt: skip
    expected = {"pdf/chapter-0007.pdf", "pdf/chapter-0007-key-facts.pdf"}
    paths = {line.split()[1].rstrip(":") for line in rebuilt}
    book_level = {p for p in paths if "chapter-" not in p}
    ok = paths - book_level == expected and "rebuilt" not in quiet and noop < clean / 10
    print("OK" if ok else "FAILED: unexpected rebuilds or a slow no-op")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
