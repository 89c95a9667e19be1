"""One differential: the same shape in the EPUB as in the chapter PDF and the handout.

Names only (the seed): a numbered list in the author's order, never a one-column table of
row headers (read aloud as "row header" five times). With features (the rich tree): a table
with column and row headers. The PDFs' side is in test_content.py.
"""

from __future__ import annotations

import re

from tests.render.epub_books import BuiltEpub


def _chapter(built: BuiltEpub, chapter_id: str) -> str:
    name = next(n for n in built.names() if n.endswith(f"-{chapter_id}.xhtml"))
    return built.read(name).decode()


def test_names_only_differential_is_a_numbered_list_in_the_epub(seed_epub: BuiltEpub) -> None:
    page = _chapter(seed_epub, "blastic-osseous-metastases")
    listed = re.search(r'<ol class="ddx-list"[^>]*>(.*?)</ol>', page, re.S)
    assert listed, "no numbered list of differentials"
    names = re.findall(r"<li>(.*?)</li>", listed.group(1))
    assert names[:2] == ["Treated metastases", "Discogenic sclerosis"] and len(names) == 5
    assert "<table" not in page, "a names-only differential printed as a table"


def test_a_differential_with_features_is_a_table_in_the_epub(rich_epub: BuiltEpub) -> None:
    page = _chapter(rich_epub, "rich")
    assert '<th scope="col">Distinguishing features</th>' in page
    assert 'class="ddx-list"' not in page
