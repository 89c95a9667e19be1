"""What a renderer hands back: the files it wrote and its findings, written safely."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.diagnostics import Diagnostic, has_errors


@dataclass(frozen=True)
class Artifact:
    """A file the build wrote: where, which product, how many pages, size and SHA-256."""

    path: Path
    product: str
    pages: int
    size: int
    sha256: str


@dataclass
class BuildReport:
    """The files written and every finding of the build, ordered by place."""

    artifacts: list[Artifact] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no finding is an error (the files are written either way)."""
        return not has_errors(self.diagnostics)


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        Path(temporary).chmod(0o644)
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
