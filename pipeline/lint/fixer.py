"""``monograph lint --fix`` and ``--diff``: safe fixes applied to the files editors edit.

Only the characters a fix names change: a byte-order mark, CRLF line ends and every other
byte of the file are kept. The command writes each changed file with
``read.files.rewrite_source`` (a temporary file beside it, renamed into place), so an
interrupted run never leaves a half-written chapter.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from pipeline.diagnostics import Diagnostic, Fix
from pipeline.lint.fixes import apply_fixes

BOM = "\ufeff"


@dataclass(frozen=True)
class Change:
    """What fixing one file does."""

    path: str
    before: str
    after: str
    count: int


def plan(read: Callable[[str], str], diagnostics: list[Diagnostic]) -> list[Change]:
    """The changes the safe fixes of ``diagnostics`` make, file by file.

    ``read`` gives the text of a file of the tree by its path relative to the source root: the
    fixer itself never opens a file, so only the reading stage knows where the tree is.
    """
    by_path: dict[str, list[Fix]] = defaultdict(list)
    for diagnostic in diagnostics:
        if diagnostic.fix is not None and diagnostic.fix.safe:
            by_path[diagnostic.fix.span.path].append(diagnostic.fix)
    changes = []
    for path, fixes in sorted(by_path.items()):
        before = read(path)
        text = before.removeprefix(BOM)
        after, count = apply_fixes(text, fixes)
        if count:
            prefix = BOM if before.startswith(BOM) else ""
            changes.append(Change(path, before, prefix + after, count))
    return changes


def diff(source: str, changes: list[Change]) -> str:
    """A unified diff of the changes, with paths as the user named the source."""
    parts = []
    for change in changes:
        name = f"{source.strip('/')}/{change.path}"
        lines = difflib.unified_diff(
            change.before.splitlines(keepends=True),
            change.after.splitlines(keepends=True),
            fromfile=f"a/{name}",
            tofile=f"b/{name}",
        )
        parts.append("".join(lines))
    return "".join(parts)
