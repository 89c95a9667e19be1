"""The output folder: one build at a time, nothing half-written, a manifest that matches.

A build renders into ``.staging/`` and changes nothing else. To commit, it writes a
journal naming every rename, the new manifest and the cache state; then it renames the
staged files into place, writes the manifest and state, and deletes the journal. A build
killed while rendering leaves the previous outputs and manifest untouched; one killed while
committing is finished by the next build, which replays the journal before anything else.
Two builds never run at once: the second waits for the first's lock.
"""

from __future__ import annotations

import fcntl
import json
import shutil
import sys
from pathlib import Path
from types import TracebackType
from typing import Any, TextIO

from pipeline.read.files import write_atomic

MANIFEST = "manifest.json"
STATE = ".cache/state.json"
JOURNAL = ".journal.json"
STAGING = ".staging"
LOCK = ".lock"


def json_bytes(value: Any) -> bytes:
    """Stable JSON: sorted keys, two-space indent, a final newline."""
    return (json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


class OutputDir:
    """The locked output folder of one build (use as a context manager)."""

    def __init__(self, root: Path, log: TextIO = sys.stderr) -> None:
        self.root = root
        self.log = log
        self._lock: TextIO | None = None

    def __enter__(self) -> OutputDir:
        self.root.mkdir(parents=True, exist_ok=True)
        self._lock = (self.root / LOCK).open("w")
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"waiting for another build to finish ({self.root / LOCK})", file=self.log)
            fcntl.flock(self._lock, fcntl.LOCK_EX)
        self._recover()
        shutil.rmtree(self.root / STAGING, ignore_errors=True)
        for stray in self.root.rglob(".*.tmp"):  # left by a write that was killed midway
            stray.unlink(missing_ok=True)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        shutil.rmtree(self.root / STAGING, ignore_errors=True)
        if self._lock is not None:
            fcntl.flock(self._lock, fcntl.LOCK_UN)
            self._lock.close()

    def read_json(self, name: str) -> dict[str, Any]:
        """A JSON file of the folder, or {} when it is absent or unreadable."""
        try:
            value = json.loads((self.root / name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return value if isinstance(value, dict) else {}

    def stage(self, rel: str, data: bytes) -> None:
        """Write a new artifact into the staging folder."""
        write_atomic(self.root / STAGING / rel, data)

    def commit(
        self, staged: list[str], manifest: dict[str, Any], state: dict[str, Any], remove: list[str]
    ) -> None:
        """Move the staged artifacts into place with the manifest, as one journaled step."""
        journal = {"staged": staged, "manifest": manifest, "state": state, "remove": remove}
        write_atomic(self.root / JOURNAL, json_bytes(journal))
        self._replay(journal)

    def _recover(self) -> None:
        journal = self.read_json(JOURNAL)
        if journal:
            print("finishing an interrupted build's commit", file=self.log)
            self._replay(journal)

    def _replay(self, journal: dict[str, Any]) -> None:
        for rel in journal["staged"]:
            staged = self.root / STAGING / rel
            if staged.exists():
                (self.root / rel).parent.mkdir(parents=True, exist_ok=True)
                staged.replace(self.root / rel)
        write_atomic(self.root / MANIFEST, json_bytes(journal["manifest"]))
        write_atomic(self.root / STATE, json_bytes(journal["state"]))
        for rel in journal["remove"]:
            (self.root / rel).unlink(missing_ok=True)
        (self.root / JOURNAL).unlink(missing_ok=True)
