"""Shared fixtures: a minimal valid source tree that cases edit."""

from __future__ import annotations

from pathlib import Path

import pytest

CARET = "‸"
"""Marks, in a case's text, the line and column where the expected finding points."""

BOOK = """\
id: test-book
title: Test Book
language: en-US
version: "1.0"
editors:
  - name: Test Editor
publisher: Test Press
license: CC-BY-4.0
chapters:
  - alpha
"""

TERMINOLOGY = """\
concepts:
  - id: alpha-concept
    kind: diagnosis
    preferred: alpha disease
abbreviations:
  - {abbr: CT, expansion: computed tomography, policy: house-standard}
"""

FRONT = """\
id: alpha
title: Alpha
concept: alpha-concept
status: draft
figures:
  - id: fig-one
    alt: Sagittal image of the lumbar spine.
    caption: Sagittal image of the lumbar spine {arrow}.
references:
  - key: doe2020
    authors: [Doe J]
    title: A study of the spine
    journal: Radiology
    year: 2020
"""

BODY = """
# Key Facts

## Imaging

- A finding in the spine [@doe2020] (@fig-one)
"""


def chapter(front: str = FRONT, body: str = BODY) -> str:
    """A chapter file made of front matter and body."""
    return f"---\n{front}---\n{body}"


BASE_FILES: dict[str, str | bytes] = {
    "book.yaml": BOOK,
    "terminology.yaml": TERMINOLOGY,
    "chapters/alpha.md": chapter(),
}


def write_tree(root: Path, files: dict[str, str | bytes | None]) -> tuple[str, int, int] | None:
    """Write the base tree overlaid with ``files`` (None deletes a file).

    Returns the (path, line, column) of the caret if any file holds one; the caret is removed.
    """
    found = None
    merged: dict[str, str | bytes | None] = {**BASE_FILES, **files}
    for rel, content in merged.items():
        if content is None:
            continue
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str) and CARET in content:
            before = content[: content.index(CARET)]
            found = (rel, before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1)
            content = content.replace(CARET, "", 1)
        if isinstance(content, bytes) and CARET.encode() in content:
            before_bytes = content[: content.index(CARET.encode())]
            text = before_bytes.decode("utf-8")
            found = (rel, text.count("\n") + 1, len(text) - (text.rfind("\n") + 1) + 1)
            content = content.replace(CARET.encode(), b"", 1)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    (root / "figures").mkdir(exist_ok=True)
    return found


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A valid minimal source tree."""
    root = tmp_path / "source"
    write_tree(root, {})
    return root
