"""When each study note's source lines last changed, from git: the notes' dates in the deck.

Anki updates a note on import only when the incoming one is newer, and counts every newer
one as updated. Dating each note by the build would make every note "updated" on each
re-import; dating it by the newest commit among the lines it is made from updates exactly
the notes whose lines changed. ``git blame`` gives each line's commit time; a line not yet
committed counts as one second after the build's stamp (which is the last commit of the
source, or ``SOURCE_DATE_EPOCH``), so a local rebuild after an edit is newer too. Without
git, or outside a repository, every note is dated by the stamp.

Only the commit times are read from git's output: never an author's name or address.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipeline.render.stamp import Stamp
    from pipeline.render.study import Note

_HEADER = re.compile(r"^([0-9a-f]{40}) \d+ (\d+)")
_UNCOMMITTED = "0" * 40


def source_commit(root: Path) -> str:
    """The last commit that changed the source tree ("" outside git): what the dates depend on.

    Blame of the source's files is a function of this commit and the files' text, which the
    jobs are keyed on already; so this keys the deck's job.
    """
    return _git(root, "log", "-1", "--format=%H", "--", ".").strip()


def note_dates(root: Path, notes: Iterable[Note], stamp: Stamp) -> dict[str, int]:
    """Each note's date (seconds) by GUID: the newest commit among its lines."""
    notes = list(notes)
    after = int(stamp.moment.timestamp()) + 1
    blamed = {path: _blame(root, path) for path in sorted({note.lines[0] for note in notes})}
    dates: dict[str, int] = {}
    for note in notes:
        lines = blamed[note.lines[0]]
        first, last = note.lines[1:]
        if note.entry:
            first, last = _entry([text for _, text in lines], note.entry)
        times = [time for time, _ in lines[max(first, 1) - 1 : last]]
        if times:
            dates[note.guid] = max(after if time is None else time for time in times)
    return dates


def _entry(texts: list[str], key: str) -> tuple[int, int]:
    """The lines (1-based) of the YAML list item that starts with ``key``; 0, 0 if none."""
    start = re.compile(rf"^(\s*)-\s+\{{?\s*{re.escape(key)}(?![\w-])")
    for at, text in enumerate(texts):
        found = start.match(text)
        if found is None:
            continue
        indent = len(found.group(1))
        end = at + 1
        while end < len(texts) and (
            not texts[end].strip() or len(texts[end]) - len(texts[end].lstrip()) > indent
        ):
            end += 1
        return at + 1, end
    return 0, 0


def _blame(root: Path, path: str) -> list[tuple[int | None, str]]:
    """Each line of ``path`` (under ``root``): its commit time (None: not committed), its text."""
    out = _git(root, "blame", "--porcelain", "--", path)
    times: dict[str, int] = {}
    lines: list[tuple[int | None, str]] = []
    commit = ""
    for line in out.splitlines():
        header = _HEADER.match(line)
        if header is not None:
            commit = header.group(1)
        elif line.startswith("committer-time "):
            times[commit] = int(line.split()[1])
        elif line.startswith("\t"):
            lines.append((None if commit == _UNCOMMITTED else times.get(commit), line[1:]))
    return lines


def _git(root: Path, *args: str) -> str:
    try:
        done = subprocess.run(
            ["git", *args], cwd=root, capture_output=True, text=True, check=False, timeout=60,
            env={**os.environ, "LC_ALL": "C", "GIT_OPTIONAL_LOCKS": "0"},
        )  # fmt: skip
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return done.stdout if done.returncode == 0 else ""
