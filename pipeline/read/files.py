"""Files of the tree: reading a source file's bytes, and replacing a file whole.

Reading takes only regular files inside the source tree, never too many bytes.
The source arrives in pull requests, so a file may be a symbolic link to a secret outside the
tree, a FIFO that never ends, or a gigabyte of text. Each is refused with a finding, before
anything is read: the link (R113) and the special file (R109) by where and what they are,
the large file (R111) by its size. A file that grows while it is read is cut at the limit.
"""

from __future__ import annotations

import contextlib
import functools
import os
import stat
import tempfile
import time
from pathlib import Path
from typing import Literal

from pipeline.diagnostics import Sink
from pipeline.model.span import Span

MAX_FILE_BYTES = 1024 * 1024
"""A source text file (chapter, book, registry, bibliography) holds at most this many bytes."""


def read_source(root: Path, rel: str, report: Sink) -> bytes | None:
    """Return the bytes of ``root/rel``, or None after reporting why it cannot be used."""
    span = Span(path=rel, line=1, column=1)
    try:
        target = _resolved(root, rel)
        inside = target.is_relative_to(real_folder(str(root)))
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


def file_identity(path: Path | str) -> list[int] | None:
    """What ``stat`` says of the file ``path`` leads to; None when there is none.

    Device, inode, size, modification and change times, links followed. Taken before a file
    is read, it tells whether the file read is still the one there: any write changes the
    change time.
    """
    try:
        found = Path(path).stat()
    except (OSError, ValueError):
        return None
    return [found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns]


def _resolved(root: Path, rel: str) -> Path:
    """``(root / rel).resolve()``; the folder's part is resolved once a process (files share it)."""
    folder, _, name = rel.rpartition("/")
    if name in ("", ".", "..") or ".." in folder.split("/"):
        return (root / rel).resolve()
    path = real_folder(str(root / folder) if folder else str(root)) / name
    return path.resolve() if path.is_symlink() else path


@functools.lru_cache(maxsize=256)
def real_folder(path: str) -> Path:
    """Where the folder ``path`` really is, links followed: asked once a run for each folder.

    Each run starts by forgetting (``real_folder.cache_clear()`` in ``read_shared``): a run
    reads a tree as it finds it, and a folder swapped for a link while it runs is seen by
    the next run.
    """
    return Path(path).resolve()


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


Rewrite = Literal["written", "changed", "read-only"]


def rewrite_source(root: Path, rel: str, before: str, after: str) -> Rewrite:
    """Replace the source file ``root/rel`` by ``after`` if it still holds ``before``.

    An editor's file is never lost: a file that changed since it was read is left alone
    ("changed"), and so is a read-only one ("read-only"). A link is written through (the file
    it names is replaced, the link kept), and the file keeps its mode and owner.

    A program may append to the file while it is replaced, through a descriptor it opened
    just before: those bytes go to the old file. So the old file is held open and read once
    more when no other descriptor can write to it any longer (``_unwritten``); if it grew,
    the file is put back unfixed with what was appended, to either file, and the same check
    runs on the file that replaced it ("changed").
    """
    target = (root / rel).resolve()
    expected = before.encode("utf-8")
    handle = os.open(target, os.O_RDONLY | os.O_CLOEXEC)
    try:
        held = os.fstat(handle)
        if not os.access(target, os.W_OK) or not held.st_mode & stat.S_IWUSR:
            return "read-only"
        if _read_all(handle) != expected:
            return "changed"
        outcome: Rewrite = "written"
        original, content = expected, after.encode("utf-8")
        while True:
            _replace_keeping(target, content, held)
            placed = os.open(target, os.O_RDONLY | os.O_CLOEXEC)
            _unwritten(handle)
            late = _read_all(handle)[len(expected) :]
            os.close(handle)
            handle = placed
            if not late:
                return outcome
            # Put the file back unfixed the first time, else keep what was last put back; then
            # what came late to the old file, then what was written to the new one meanwhile.
            base = content if outcome == "changed" else original
            now = _read_all(placed)
            expected, content = now, base + late + now.removeprefix(content)
            outcome = "changed"
    finally:
        os.close(handle)


SETTLE = 0.05
"""Seconds to wait for late appends where writers cannot be seen (no ``/proc``)."""
PATIENCE = 10.0
"""Seconds to wait at most for other programs to close a replaced file they write to."""


def _unwritten(handle: int) -> None:
    """Return once no descriptor but ours can still write to the file ``handle`` names.

    Linux lists every process's open files under ``/proc``: a file that was replaced can
    only be written through a descriptor opened before, so once none is left open for
    writing, nothing more can arrive. Elsewhere, wait ``SETTLE`` seconds.
    """
    held = os.fstat(handle)
    if not Path("/proc/self/fd").is_dir():
        time.sleep(SETTLE)
        return
    deadline = time.monotonic() + PATIENCE
    while _writers(held.st_dev, held.st_ino) and time.monotonic() < deadline:
        time.sleep(0.005)


def _writers(device: int, inode: int) -> int:
    """How many open descriptors, in any process we may inspect, write to this file."""
    count = 0
    for fd_dir in Path("/proc").glob("[0-9]*/fd"):
        try:
            entries = list(fd_dir.iterdir())
        except OSError:  # gone, or not ours to read
            continue
        for entry in entries:
            with contextlib.suppress(OSError):
                info = entry.stat()
                if (info.st_dev, info.st_ino) != (device, inode):
                    continue
                flags = (fd_dir.parent / "fdinfo" / entry.name).read_text().split("flags:")[1]
                count += int(flags.split()[0], 8) & (os.O_WRONLY | os.O_RDWR) != 0
    return count


def _read_all(handle: int) -> bytes:
    os.lseek(handle, 0, os.SEEK_SET)
    chunks = []
    while chunk := os.read(handle, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


def _replace_keeping(target: Path, data: bytes, held: os.stat_result) -> None:
    """Replace ``target`` whole, with the mode and, where allowed, the owner it had."""
    write_atomic(target, data, stat.S_IMODE(held.st_mode), owner=(held.st_uid, held.st_gid))


def write_atomic(
    path: Path,
    data: bytes,
    mode: int = 0o644,
    owner: tuple[int, int] | None = None,
    *,
    sync: bool = True,
) -> None:
    """Replace ``path`` with ``data`` whole: a synced temporary file beside it, renamed over it.

    A reader, or a process killed at any moment, sees the old file or the new one, never a
    part; the temporary file is removed when writing fails. The one way the pipeline writes a
    file it keeps (outputs, the build's state, ``lint --fix``, the chapter cache). ``sync``
    False skips the flush to disk, for a file whose loss costs only time (the cache: an
    entry cut short by a crash is found unreadable and made again).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            if sync:
                os.fsync(stream.fileno())
        temporary.chmod(mode)
        made = temporary.stat()
        if owner is not None and (made.st_uid, made.st_gid) != owner:
            with contextlib.suppress(PermissionError):  # only root may give a file away
                os.chown(temporary, *owner)
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
