"""A deterministic book of N chapters shaped like the seed chapter, for benchmarks.

Each chapter is the seed chapter under a new id, with its bullets lightly varied by a
seeded random generator, so that caches and interning do not flatter the numbers.
"""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

SEED_SOURCE = Path(__file__).resolve().parents[2] / "source"
SEED_CHAPTER = "blastic-osseous-metastases"
FILLERS = ("often", "usually", "typically", "commonly", "frequently", "in most cases")


def make_book(target: Path, chapters: int, seed: int = 1) -> Path:
    """Write a source tree of ``chapters`` chapters under ``target``; return its root."""
    rng = random.Random(seed)
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(SEED_SOURCE, target)
    template = (target / "chapters" / f"{SEED_CHAPTER}.md").read_text()
    (target / "chapters" / f"{SEED_CHAPTER}.md").unlink()
    ids = [f"chapter-{n:04d}" for n in range(chapters)]
    for chapter_id in ids:
        front, body = template.split("\n---\n", 1)
        front = front.replace(f"id: {SEED_CHAPTER}", f"id: {chapter_id}", 1)
        body = re.sub(r"(?m)^(\s*- )(?!\*\*)", lambda m: _vary(m, rng), body)
        text = f"{front}\n---\n{body}"
        (target / "chapters" / f"{chapter_id}.md").write_text(text)
    book = (target / "book.yaml").read_text()
    book = book.replace(f"  - {SEED_CHAPTER}\n", "".join(f"  - {i}\n" for i in ids))
    (target / "book.yaml").write_text(book)
    return target


def _vary(match: re.Match[str], rng: random.Random) -> str:
    """Prefix some prose bullets (never a differential name, which must stay a bare name)."""
    line_end = match.string.find("\n", match.end())
    words = match.string[match.end() : line_end].split()
    if len(words) >= 4 and rng.random() < 0.3:
        return f"{match.group(1)}{rng.choice(FILLERS).capitalize()}: "
    return match.group(1)
