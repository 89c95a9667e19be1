"""The tagged PDFs' structure trees: what a screen reader walks, beyond what PDF/UA checkers test.

Each test reads every PDF the seed and the rich tree build (chapter, Key Facts and book) with
pypdf and names the file, the page and the element it objects to. The defects they guard are
WeasyPrint 70's (see pipeline/render/tagging.py): an element broken over a page became two,
bullets were text, table headers had no scope, captions nested, links said their anchor ids.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from tests.render.conftest import Built


@dataclass
class Node:
    """One structure element: its role, attributes, page, children and marked content."""

    role: str
    raw: DictionaryObject
    page: int | None
    path: str
    kids: list[Node] = field(default_factory=list)
    annotations: list[DictionaryObject] = field(default_factory=list)
    """The annotations its object references (``/OBJR``) point to."""

    def walk(self) -> Iterator[Node]:
        """This element and every element below it, in tree order."""
        yield self
        for kid in self.kids:
            yield from kid.walk()

    def where(self) -> str:
        """The element's place, for a failure message."""
        return f"{self.path} (page {self.page})"


@dataclass
class Tagged:
    """A tagged PDF: its structure root, its tree and its link annotations."""

    name: str
    reader: PdfReader
    root: DictionaryObject
    document: Node

    def elements(self, role: str) -> list[Node]:
        """Every element of ``role`` (``/L``, ``/Figure``…), in tree order."""
        return [node for node in self.document.walk() if node.role == role]


def tagged(pdf: Path) -> Tagged:
    """Read the structure tree of ``pdf``."""
    reader = PdfReader(pdf)
    pages = {page.indirect_reference.idnum: n + 1 for n, page in enumerate(reader.pages)}  # type: ignore[union-attr]
    root = reader.root_object["/StructTreeRoot"].get_object()
    kids = root["/K"]
    document = _node(kids[0] if isinstance(kids, ArrayObject) else kids, pages, None, "")
    return Tagged(pdf.name, reader, root, document)


def _node(ref: Any, pages: dict[int, int], page: int | None, path: str) -> Node:
    raw = ref.get_object()
    if "/Pg" in raw:
        page = pages[raw.raw_get("/Pg").idnum]
    role = str(raw["/S"])
    node = Node(role, raw, page, f"{path}/{role.lstrip('/')}")
    kids = raw.get("/K", [])
    for kid in kids if isinstance(kids, ArrayObject) else [kids]:
        value = kid.get_object() if isinstance(kid, IndirectObject) else kid
        if isinstance(value, DictionaryObject) and value.get("/Type") == "/OBJR":
            node.annotations.append(value["/Obj"].get_object())
        elif isinstance(value, DictionaryObject) and "/S" in value:
            node.kids.append(_node(kid, pages, page, node.path))
    return node


def _pdfs(*builds: Built) -> Iterator[tuple[Path, int]]:
    """Every PDF of ``builds``, with the number of chapters it holds."""
    for built in builds:
        for artifact in built.report.artifacts:
            chapters = len(built.book.chapters) if artifact.product == "book" else 1
            yield artifact.path, chapters


@pytest.fixture(scope="module")
def trees(seed_pdfs: Built, rich_pdfs: Built) -> list[tuple[Tagged, int]]:
    """The structure tree of every PDF the two trees build, with its number of chapters."""
    found = [(tagged(path), chapters) for path, chapters in _pdfs(seed_pdfs, rich_pdfs)]
    assert len(found) == 8, [tree.name for tree, _ in found]
    return found


def test_each_chapter_is_one_article_across_page_breaks(trees: list[tuple[Tagged, int]]) -> None:
    multipage = 0
    for tree, chapters in trees:
        top = [kid.role for kid in tree.document.kids]
        assert "/Art" in top, f"{tree.name}: no Art at the top of the tree: {top}"
        articles = top[top.index("/Art") :]
        assert articles == ["/Art"] * chapters, f"{tree.name}: one Art per chapter, got {top}"
        pages = {node.page for art in tree.elements("/Art") for node in art.walk()}
        multipage += len(pages) > 1
    assert multipage >= 2, "no chapter crosses a page break: the test proves nothing"


def test_a_list_broken_over_a_page_stays_one_list(trees: list[tuple[Tagged, int]]) -> None:
    crossing = 0
    for tree, _ in trees:
        for node in tree.document.walk():
            roles = [kid.role for kid in node.kids]
            pairs = list(itertools.pairwise(roles))
            assert ("/L", "/L") not in pairs, f"{tree.name}: a list split in two at {node.where()}"
        for items in tree.elements("/L"):
            crossing += len({item.page for item in items.kids}) > 1
    assert crossing >= 1, "no list crosses a page break: the test proves nothing"


def test_lists_are_l_li_lbl_lbody(trees: list[tuple[Tagged, int]]) -> None:
    items = 0
    for tree, _ in trees:
        for lst in tree.elements("/L"):
            roles = {kid.role for kid in lst.kids}
            assert roles <= {"/LI", "/Caption"}, f"{tree.name}: {lst.where()} holds {roles}"
        for item in tree.elements("/LI"):
            roles = [kid.role for kid in item.kids]
            assert roles == ["/Lbl", "/LBody"], f"{tree.name}: {item.where()} is {roles}"
            items += 1
    assert items >= 50


def test_table_headers_have_a_scope_and_ids_are_indexed(trees: list[tuple[Tagged, int]]) -> None:
    headers = 0
    for tree, _ in trees:
        for th in tree.elements("/TH"):
            scope = th.raw.get("/A", {}).get("/Scope")
            assert scope in ("/Column", "/Row"), f"{tree.name}: {th.where()} has scope {scope}"
            headers += 1
        with_id = [node for node in tree.document.walk() if "/ID" in node.raw]
        if with_id:
            assert "/IDTree" in tree.root, f"{tree.name}: /ID on elements but no /IDTree"
            names = tree.root["/IDTree"]["/Names"]
            index = {str(names[i]): names[i + 1].idnum for i in range(0, len(names), 2)}
            for node in with_id:
                ref = node.raw.indirect_reference
                assert index.get(str(node.raw["/ID"])) == ref.idnum, f"{tree.name}: {node.where()}"
    assert headers >= 6


def test_figures_have_alt_text_and_captions_do_not_nest(
    trees: list[tuple[Tagged, int]],
) -> None:
    figures = 0
    for tree, _ in trees:
        for figure in tree.elements("/Figure"):
            assert str(figure.raw.get("/Alt", "")).strip(), f"{tree.name}: {figure.where()}"
            figures += 1
        for caption in tree.elements("/Caption"):
            inner = [n for n in caption.walk() if n.role == "/Caption" and n is not caption]
            assert not inner, f"{tree.name}: a Caption inside {caption.where()}"
    assert figures >= 3


def test_every_link_annotation_is_in_its_link_and_says_where_it_goes(
    trees: list[tuple[Tagged, int]],
) -> None:
    links = 0
    for tree, _ in trees:
        tagged_links = {}
        for link in tree.elements("/Link"):
            assert "/Link" not in link.path[:-5], f"{tree.name}: a Link inside {link.where()}"
            for annotation in link.annotations:
                tagged_links[annotation.indirect_reference.idnum] = link
        for number, page in enumerate(tree.reader.pages, start=1):
            for ref in page.get("/Annots", []):
                annotation = ref.get_object()
                if annotation["/Subtype"] != "/Link":
                    continue
                links += 1
                where = f"{tree.name} page {number}: link {annotation.get('/Contents')!r}"
                assert ref.idnum in tagged_links, f"{where} is in no Link element"
                _says_where_it_goes(annotation, where)
    assert links >= 20


def _says_where_it_goes(annotation: DictionaryObject, where: str) -> None:
    words = str(annotation.get("/Contents", "")).strip()
    target = str(annotation.get("/Dest", "") or annotation.get("/A", {}).get("/URI", ""))
    assert words, f"{where} has no /Contents"
    assert words != target and not words.startswith("#"), f"{where} says its target"
