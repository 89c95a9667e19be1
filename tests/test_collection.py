"""Every test file under ``tests/`` is collected by the configured pytest run.

pytest skips folders by name (``norecursedirs``: ``build``, ``dist``, ``venv``, ``node_modules``
and dot-folders), and a file that fails to import may be dropped with one line in a long log.
Either way tests that exist stop running while the suite stays green. This test runs the
collection exactly as README's test command does (pytest from the repository root, options
from ``pyproject.toml``) and names every test file it did not reach.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _collected_files() -> set[str]:
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
        cwd=REPO, capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, f"collection failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}"
    return {line.split("::", 1)[0] for line in done.stdout.splitlines() if "::" in line}


def test_every_test_file_is_collected() -> None:
    on_disk = {p.relative_to(REPO).as_posix() for p in (REPO / "tests").rglob("test_*.py")}
    missing = sorted(on_disk - _collected_files())
    assert not missing, f"never collected (renamed folder? import error?): {missing}"
