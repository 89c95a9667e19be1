"""``nox -s bench``: time the pipeline's stages on generated books; no assertions, a report.

Results go to outputs/bench/results.json and are printed as a table. Timings are wall and
CPU seconds of one run after one warm-up run, on whatever machine runs it.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pipeline.lint import lint_book
from pipeline.validate import validate_source
from tests.bench.corpus import make_book

OUT = Path("outputs/bench")


def _timed(work: Callable[[], Any]) -> tuple[Any, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    value = work()
    return value, time.perf_counter() - wall, time.process_time() - cpu


def bench_validate_lint(chapters: int, scratch: Path) -> dict[str, Any]:
    """Validate and lint a generated book of ``chapters`` chapters."""
    root = make_book(scratch / f"book-{chapters}", chapters)

    def work() -> int:
        result = validate_source(root)
        assert result.book is not None, result.diagnostics[:3]
        return len(lint_book(result.book))

    work()  # warm-up: imports, regex compilation, file cache
    findings, wall, cpu = _timed(work)
    return {
        "stage": "validate+lint",
        "chapters": chapters,
        "wall_s": round(wall, 3),
        "cpu_s": round(cpu, 3),
        "chapters_per_s": round(chapters / wall, 1),
        "findings": findings,
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main(argv: list[str] | None = None) -> int:
    """Run the sweep and write the results."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1,10,100,1000", help="chapter counts")
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    rows = [bench_validate_lint(int(n), OUT / "scratch") for n in args.sizes.split(",")]
    report = {"python": platform.python_version(), "machine": platform.machine(), "rows": rows}
    (OUT / "results.json").write_text(json.dumps(report, indent=2) + "\n")
    print(f"{'stage':<15}{'chapters':>9}{'wall s':>9}{'cpu s':>9}{'ch/s':>9}{'RSS MiB':>9}")
    for row in rows:
        print(
            f"{row['stage']:<15}{row['chapters']:>9}{row['wall_s']:>9}{row['cpu_s']:>9}"
            f"{row['chapters_per_s']:>9}{row['peak_rss_mib']:>9}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
