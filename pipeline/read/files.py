"""Files of the tree: reading a source file's bytes, and replacing a file whole.

Reading takes only regular files inside the source tree, never too many bytes.
The source arrives in pull requests, so a file may be a symbolic link to a secret outside the
tree, a FIFO that never ends, or a gigabyte of text. Each is refused with a finding, before
anything is read: the link (R113) and the special file (R109) by where and what they are,
the large file (R111) by its size. A file that grows while it is read is cut at the limit.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from pipeline.diagnostics import Sink
from pipeline.model.span import Span

MAX_FILE_BYTES = 1024 * 1024
"""A source text file (chapter, book, registry, bibliography) holds at most this many bytes."""


def read_source(root: Path, rel: str, report: Sink) -> bytes | None:
    """Return the bytes of ``root/rel``, or None after reporting why it cannot be used."""
    span = Span(path=rel, line=1, column=1)
    try:
        target = (root / rel).resolve()
        inside = target.is_relative_to(root.resolve())
    except (OSError, RuntimeError) as err:  # RuntimeError: a symbolic link loop (Python 3.11)
        report.add("R109", span, f"cannot read: {_reason(err)}")
        return None
    if not inside:
        report.add("R113", span, f"'{rel}' is a link to a file outside the source tree")
        return None
    try:
        return _read_regular(target, rel, span, report)
    except OSError as err:
        report.add("R109", span, f"cannot read: {_reason(err)}")
        return None


def _read_regular(target: Path, rel: str, span: Span, report: Sink) -> bytes | None:
    # O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then refuses it.
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    descriptor = os.open(target, flags)
    with os.fdopen(descriptor, "rb") as stream:
        info = os.fstat(stream.fileno())
        if not stat.S_ISREG(info.st_mode):
            report.add("R109", span, f"'{rel}' is not a regular file")
            return None
        data = b"" if info.st_size > MAX_FILE_BYTES else stream.read(MAX_FILE_BYTES + 1)
    size = max(info.st_size, len(data))
    if size > MAX_FILE_BYTES:
        message = f"'{rel}' has {size:,} bytes; the limit is {MAX_FILE_BYTES:,}"
        report.add("R111", span, message)
        return None
    return data


def _reason(err: BaseException) -> str:
    return str(getattr(err, "strerror", None) or err)


def source_text(root: Path, rel: str) -> str:
    """The text of the source file ``root/rel`` (UTF-8, byte-order mark kept), for ``--fix``."""
    return (root / rel).read_bytes().decode("utf-8")


def rewrite_source(root: Path, rel: str, text: str) -> None:
    """Replace the source file ``root/rel`` with ``text`` whole, keeping its permissions."""
    target = root / rel
    write_atomic(target, text.encode("utf-8"), stat.S_IMODE(target.stat().st_mode))


def write_atomic(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Replace ``path`` with ``data`` whole: a synced temporary file beside it, renamed over it.

    A reader, or a process killed at any moment, sees the old file or the new one, never a
    part; the temporary file is removed when writing fails. The one way the pipeline writes a
    file it keeps (outputs, the build's state, ``lint --fix``).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        temporary.chmod(mode)
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
