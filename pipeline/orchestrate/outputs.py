"""The output folder: one build at a time, nothing half-written, a manifest that matches.

A build renders into ``.staging/`` and changes nothing else. To commit, it writes a
journal naming every rename, the new manifest and the cache state; then it renames the
staged files into place, writes the manifest and state, and deletes the journal. A build
killed while rendering leaves the previous outputs and manifest untouched; one killed while
committing is finished by the next build, which replays the journal before anything else.
Two builds never run at once: the second waits for the first's lock.

The folder is ours only where we made it. It may not lie inside the source tree nor hold
it (``check_placement``); a symbolic link anywhere inside it stops the build before anything
is opened, so nothing a pull request plants there can make a write land elsewhere; a path
read back from the manifest, the journal or the cache is used only if it is one a build could
have written (``is_artifact_path``). Ctrl-C or SIGTERM during the commit is held until the
commit is done, so the folder is always the old build or the new one.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from types import FrameType, TracebackType
from typing import Any, TextIO, TypeGuard

from pipeline.orchestrate.limits import paused
from pipeline.read.files import write_atomic

MANIFEST = "manifest.json"
STATE = ".cache/state.json"
JOURNAL = ".journal.json"
STAGING = ".staging"
LOCK = ".lock"
ARTIFACT_FOLDERS = {"pdf": ".pdf", "epub": ".epub", "json": ".json"}
"""The folders a build writes artifacts into, and the one suffix each holds."""


class OutputError(ValueError):
    """The output folder cannot be used as asked: where it is, or what it holds."""


def check_placement(source: Path, out: Path) -> None:
    """Refuse an output folder inside the source tree, the source tree itself, or one holding it."""
    src, dest = source.resolve(), out.resolve()
    if dest == src or dest.is_relative_to(src):
        raise OutputError(f"output folder '{out}' is inside the source tree '{source}'; "
                          "choose one outside it (the default is outputs)")  # fmt: skip
    if src.is_relative_to(dest):
        raise OutputError(f"output folder '{out}' holds the source tree '{source}'; "
                          "a build may delete what its folder holds: choose another")  # fmt: skip


def is_artifact_path(rel: object) -> TypeGuard[str]:
    """True for a path a build could have written: ``pdf/<name>.pdf``, ``epub/…``, ``json/…``."""
    if not isinstance(rel, str) or "\\" in rel or "\x00" in rel:
        return False
    parts = PurePosixPath(rel).parts
    return (
        len(parts) == 2
        and ARTIFACT_FOLDERS.get(parts[0]) == PurePosixPath(parts[1]).suffix
        and not parts[1].startswith(".")
        and PurePosixPath(rel).as_posix() == rel
    )


def _links_inside(root: Path) -> list[str]:
    """Every symbolic link under ``root`` (relative paths), never following one."""
    found = []
    for folder, dirs, files in os.walk(root, followlinks=False):
        for name in [*dirs, *files]:
            if (Path(folder) / name).is_symlink():
                found.append((Path(folder) / name).relative_to(root).as_posix())
    return sorted(found)


@contextmanager
def signals_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM until the block ends, then act on the first that came."""
    caught: list[int] = []

    def hold(number: int, _frame: FrameType | None) -> None:
        caught.append(number)

    try:
        previous = {n: signal.signal(n, hold) for n in (signal.SIGINT, signal.SIGTERM)}
    except ValueError:  # not the main thread: signals go to the main thread anyway
        yield
        return
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        if caught:
            signal.raise_signal(caught[0])


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
        links = _links_inside(self.root)
        if links:
            raise OutputError(f"'{self.root / links[0]}' is a symbolic link; a build writes only "
                              "what it made inside its output folder: remove the link")  # fmt: skip
        flags = os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC
        self._lock = os.fdopen(os.open(self.root / LOCK, flags, 0o644), "w")
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
        if not (self.root / JOURNAL).exists():  # else the next build needs it to finish
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
        with signals_held(), paused():
            write_atomic(self.root / JOURNAL, json_bytes(journal))
            self._replay(journal)

    def _recover(self) -> None:
        journal = self.read_json(JOURNAL)
        if not journal:
            return
        if not _well_formed(journal):
            print(f"ignoring {self.root / JOURNAL}: not a journal a build wrote", file=self.log)
            (self.root / JOURNAL).unlink()
            return
        print("finishing an interrupted build's commit", file=self.log)
        with signals_held(), paused():
            self._replay(journal)

    def _replay(self, journal: dict[str, Any]) -> None:
        for rel in journal["staged"]:
            staged = self.root / STAGING / rel
            if staged.exists():
                (self.root / rel).parent.mkdir(parents=True, exist_ok=True)
                staged.replace(self.root / rel)
        manifest, state = self._matching(journal["manifest"], journal["state"])
        write_atomic(self.root / MANIFEST, json_bytes(manifest))
        write_atomic(self.root / STATE, json_bytes(state))
        for rel in journal["remove"]:
            (self.root / rel).unlink(missing_ok=True)
        (self.root / JOURNAL).unlink(missing_ok=True)

    def _matching(
        self, manifest: dict[str, Any], state: dict[str, Any]
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """The manifest and state without an artifact whose file does not hold its bytes.

        After a commit interrupted in a way the journal could not finish (its staged file
        gone), the folder keeps what it has, and the manifest says only what is true of it:
        the next build makes the missing artifact again.
        """
        kept = [a for a in manifest.get("artifacts", []) if self._holds(a)]
        gone = {a["path"] for a in manifest.get("artifacts", [])} - {a["path"] for a in kept}
        if not gone:
            return manifest, state
        cache = {p: v for p, v in state.get("artifacts", {}).items() if p not in gone}
        return {**manifest, "artifacts": kept}, {**state, "artifacts": cache}

    def _holds(self, artifact: dict[str, Any]) -> bool:
        path = self.root / artifact["path"]
        expected: str = artifact["sha256"]
        return path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == expected


def _well_formed(journal: dict[str, Any]) -> bool:
    """A journal only a build could have written: its lists name artifact paths only."""
    try:
        paths = [*journal["staged"], *journal["remove"]]
        paths += [a["path"] for a in journal["manifest"]["artifacts"]]
        paths += list(journal["state"]["artifacts"])
        hashes = [a["sha256"] for a in journal["manifest"]["artifacts"]]
    except (KeyError, TypeError):
        return False
    return all(map(is_artifact_path, paths)) and all(isinstance(h, str) for h in hashes)
