"""A deterministic book of N chapters shaped like real ones, for benchmarks and tests.

Each chapter is the seed chapter under a new id, its prose bullets lightly varied by a
seeded random generator (so caches and interning do not flatter the numbers), plus what the
seed's preview lacks: a figure with a generated image, a cited reference, a Differential
Diagnosis section agreeing with Key Facts, and an abbreviation expanded at first use.
Every generated book validates and lints clean.
"""

from __future__ import annotations

import random
import re
import shutil
import struct
import zlib
from pathlib import Path

SEED_SOURCE = Path(__file__).resolve().parents[2] / "source"
SEED_CHAPTER = "blastic-osseous-metastases"
FILLERS = ("often", "usually", "typically", "commonly", "frequently", "in most cases")
DIFFERENTIALS = ("Treated metastases", "Discogenic sclerosis", "Hemangioma", "Paget disease",
                 "Osteosarcoma")  # fmt: skip
REFERENCE = """references:
  - key: ref-{n}
    authors: [Author A, Writer B]
    title: Imaging of sclerotic spinal deposits, series {n}
    journal: Skeletal Radiol
    year: {year}
    volume: {volume}
    pages: 100-9
    doi: 10.1000/bench.{n}
    pmid: {pmid}
"""


def make_book(target: Path, chapters: int, seed: int = 1) -> Path:
    """Write a source tree of ``chapters`` chapters under ``target``; return its root."""
    rng = random.Random(seed)
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(SEED_SOURCE, target)
    template = (target / "chapters" / f"{SEED_CHAPTER}.md").read_text()
    (target / "chapters" / f"{SEED_CHAPTER}.md").unlink()
    ids = [f"chapter-{n:04d}" for n in range(chapters)]
    for number, chapter_id in enumerate(ids):
        text = _chapter(template, chapter_id, number, rng)
        (target / "chapters" / f"{chapter_id}.md").write_text(text)
        _png(target / "figures" / f"{chapter_id}.png", rng)
    book = (target / "book.yaml").read_text()
    book = book.replace(f"  - {SEED_CHAPTER}\n", "".join(f"  - {i}\n" for i in ids))
    (target / "book.yaml").write_text(book)
    return target


def _chapter(template: str, chapter_id: str, number: int, rng: random.Random) -> str:
    front, body = template.split("\n---\n", 1)
    front = front.replace(f"id: {SEED_CHAPTER}", f"id: {chapter_id}", 1)
    front = front.replace(
        "    modality: XR\n", f"    modality: XR\n    image: {chapter_id}.png\n", 1
    )
    front += "\n" + REFERENCE.format(n=number, year=1990 + number % 35, volume=number % 50 + 1,
                                     pmid=10_000_000 + number).rstrip("\n")  # fmt: skip
    body = re.sub(r"(?m)^(\s*- )(?!\*\*)", lambda m: _vary(m, rng), body)
    body = re.sub(r"(?m)^(\s*- .*Vertebral body and posterior elements)$",
                  rf"\1 [@ref-{number}]", body, count=1)  # fmt: skip
    return f"{front}\n---\n{body.rstrip()}\n\n{_differentials(rng)}"


def _differentials(rng: random.Random) -> str:
    blocks = ["# Differential Diagnosis"]
    for index, name in enumerate(DIFFERENTIALS):
        feature = rng.choice(("Well-defined margins", "Preserved disc space", "Cortical thickening",
                              "Coarse trabeculae", "Periosteal reaction"))  # fmt: skip
        tracer = "fluorodeoxyglucose (FDG)" if index == 0 else "FDG"
        blocks.append(f"## {name}\n\n- {feature}\n- Avid on {tracer} PET in some")
    return "\n\n".join(blocks) + "\n"


def _vary(match: re.Match[str], rng: random.Random) -> str:
    """Prefix some prose bullets (never a differential name, which must stay a bare name)."""
    line_end = match.string.find("\n", match.end())
    words = match.string[match.end() : line_end].split()
    if len(words) >= 4 and rng.random() < 0.3:
        return f"{match.group(1)}{rng.choice(FILLERS).capitalize()}: "
    return match.group(1)


def _png(path: Path, rng: random.Random, size: int = 64) -> None:
    """A small grey gradient PNG, different per chapter, written without external tools."""
    shade = rng.randrange(40, 200)
    rows = b"".join(b"\0" + bytes((shade + x + y) % 256 for x in range(size)) for y in range(size))
    header = struct.pack(">IIBBBBB", size, size, 8, 0, 0, 0, 0)

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9))
    path.write_bytes(png + chunk(b"IEND", b""))
