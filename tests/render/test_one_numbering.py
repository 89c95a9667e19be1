"""One numbering: a figure has the same number in every product and in the JSON export.

Once the chapter PDFs said "Figure 1–4", the book and the EPUB "1.1–1.4", the JSON "3". A
two-chapter book shows it where it matters: the second chapter's figures are 2.1, 2.2, …
in its own handouts too.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest

from tests.bench.corpus import make_book
from tests.helpers import BuildResult, build
from tests.render.conftest import text_of

SECOND = "chapter-0001"
LABEL = re.compile(r"Figure (\d+(?:\.\d+)?)")


@pytest.fixture(scope="module")
def two_chapters(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    source = make_book(tmp_path_factory.mktemp("two") / "source", 2)
    return build(source, tmp_path_factory.mktemp("two-out"), jobs=2, check=True)


def _labels(text: str) -> set[str]:
    return set(LABEL.findall(text))


def test_the_second_chapters_figures_are_numbered_alike_everywhere(
    two_chapters: BuildResult,
) -> None:
    out = two_chapters.out
    export = json.loads(_book_json(out).read_text())
    chapter = next(c for c in export["chapters"] if c["id"] == SECOND)
    numbers = {f["number"] for f in chapter["figures"]}
    assert numbers == {"2.1", "2.2", "2.3", "2.4"}, numbers
    handout = _labels(text_of(out / "pdf" / f"{SECOND}.pdf"))
    key_facts = _labels(text_of(out / "pdf" / f"{SECOND}-key-facts.pdf"))
    book = _labels(text_of(_book(out, "pdf")))
    with zipfile.ZipFile(_book(out, "epub")) as epub:
        name = next(n for n in epub.namelist() if n.endswith(f"-{SECOND}.xhtml"))
        in_epub = _labels(epub.read(name).decode())
    assert handout == numbers, f"chapter PDF {handout} ≠ JSON {numbers}"
    assert key_facts and key_facts <= numbers, f"Key Facts PDF {key_facts}"
    assert numbers <= book, f"book PDF {book}"
    assert in_epub == numbers, f"EPUB {in_epub} ≠ JSON {numbers}"


def _book(out: Path, kind: str) -> Path:
    return next(p for p in (out / kind).iterdir() if not p.name.startswith("chapter-"))


def _book_json(out: Path) -> Path:
    return next(p for p in (out / "json").glob("*.json") if p.name != "schema.json")
