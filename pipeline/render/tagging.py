"""The PDF's structure tree made to follow the HTML, before WeasyPrint writes the file.

WeasyPrint 70 tags boxes, not elements, one page at a time. So an element broken over a page
or a column becomes several sibling structure elements (a chapter's ``Art``, a list's ``L``
start again in the middle of the list), an anonymous box (a column, or a run of text beside
a block) becomes a child with its element's own tag (``Div`` in ``Div``, ``Caption`` in
``Caption``), a list nested in an item is hoisted beside the item, a table header has no
``/Scope`` and carries an ``/ID`` that no ``/IDTree`` lists, and a link's ``/Contents`` is its
target (an anchor id or an address). No HTML or CSS changes that; this module repairs the
tree WeasyPrint built in memory, before it is written, so the file is written once, by
WeasyPrint, and the same input still gives the same bytes.

``install()`` wraps two WeasyPrint 70 functions (``weasyprint.pdf.add_tags``, which builds
the tree, and ``weasyprint.pdf.tags._build_box_tree``, which tags one box) to remember which
HTML element each structure element came from; ``repair`` then joins the pieces of one
element, puts nested lists in their item's body, gives table headers their scope and an
``/IDTree``, and words each link annotation's ``/Contents``. tests/render/test_pdf_structure.py
checks the tree, and the PDF/UA-1 checker checks the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any

import pydyf  # type: ignore[import-untyped]
import weasyprint.pdf  # type: ignore[import-untyped]
import weasyprint.pdf.tags  # type: ignore[import-untyped]

Element = Any
"""A structure element as WeasyPrint builds it: a ``pydyf.Dictionary``."""
Source = tuple[Any, str]
"""The HTML element a structure element came from, and its tag (``li``, ``li::marker``)."""

_RECORDER: ContextVar[_Recorder | None] = ContextVar("monograph_tag_recorder", default=None)
_SCOPES = {"col": "/Column", "colgroup": "/Column", "row": "/Row", "rowgroup": "/Row"}
_ORIGINAL: dict[str, Callable[..., Any]] = {}


def install() -> None:
    """Wrap WeasyPrint's tagging once, so every tagged PDF of this process is repaired."""
    if _ORIGINAL:
        return
    _ORIGINAL["add_tags"] = weasyprint.pdf.add_tags
    _ORIGINAL["build"] = weasyprint.pdf.tags._build_box_tree
    weasyprint.pdf.add_tags = _add_tags
    weasyprint.pdf.tags._build_box_tree = _build_box_tree


class _Recorder:
    """What the wrapped tagging saw: each structure element's HTML element, and the path."""

    def __init__(self) -> None:
        self.sources: dict[int, tuple[Element, Source]] = {}
        self.ancestors: list[Any] = []
        """The HTML elements of the boxes being tagged, outermost first."""

    def numbered(self) -> dict[int, Source]:
        return {element.number: source for element, source in self.sources.values()}


def _add_tags(pdf: Any, *args: Any) -> None:
    recorder = _Recorder()
    token = _RECORDER.set(recorder)
    try:
        _ORIGINAL["add_tags"](pdf, *args)
    finally:
        _RECORDER.reset(token)
    repair(pdf, recorder.numbered())


def _build_box_tree(box: Any, *args: Any) -> Iterator[Element]:
    real = getattr(box, "_box", box)  # an absolutely positioned box's placeholder
    recorder = _RECORDER.get()
    if recorder is None or real.element is None:
        yield from _ORIGINAL["build"](box, *args)
        return
    if real.link_annotation is not None:
        words = link_words(real.element, recorder.ancestors)
        real.link_annotation["Contents"] = pydyf.String(words)
    recorder.ancestors.append(real.element)
    try:
        for element in _ORIGINAL["build"](box, *args):
            source = (real.element, real.element_tag)
            recorder.sources.setdefault(id(element), (element, source))
            yield element
    finally:
        recorder.ancestors.pop()


def link_words(element: Any, ancestors: list[Any]) -> str:
    """What a link annotation says to a screen reader: its label, else its words.

    A citation's link holds only a number: it says "Reference 3".
    """
    words = " ".join("".join(element.itertext()).split())
    outer = [a for a in ancestors if a is not element]
    if outer and "cite" in (outer[-1].get("class") or "").split():
        return f"Reference {words}"
    return str(element.get("aria-label") or words or element.get("href", ""))


class _Tree:
    """WeasyPrint's structure elements by object number, and where each came from."""

    def __init__(self, pdf: Any, sources: dict[int, Source]) -> None:
        self.pdf = pdf
        self.sources = sources
        self.moved: dict[bytes, bytes] = {}
        """Structure elements emptied into another: old reference to new reference."""

    def element(self, kid: Any) -> Element | None:
        if not isinstance(kid, bytes):
            return None
        target = self.pdf.objects[int(kid.split()[0])]
        return target if target.get("Type") == "/StructElem" else None

    def key(self, element: Element) -> tuple[int, str, str] | None:
        source = self.sources.get(element.number)
        return None if source is None else (id(source[0]), source[1], element["S"])

    def html(self, element: Element) -> Any:
        source = self.sources.get(element.number)
        return None if source is None else source[0]

    def adopt(self, parent: Element, kids: list[Any], page: bytes) -> list[Any]:
        """``kids`` (of an element on ``page``) as children of ``parent``."""
        adopted = []
        for kid in kids:
            if isinstance(kid, int) and page != parent["Pg"]:
                kid = pydyf.Dictionary({"Type": "/MCR", "Pg": page, "MCID": kid})
            elif (child := self.element(kid)) is not None:
                child["P"] = parent.reference
            adopted.append(kid)
        return adopted

    def body(self, item: Element) -> Element:
        """A new, empty ``LBody`` at the end of list item ``item``, from the same ``li``."""
        body = pydyf.Dictionary(
            {"Type": "/StructElem", "S": "/LBody", "K": pydyf.Array(), "Pg": item["Pg"]}
        )
        body["P"] = item.reference
        self.pdf.add_object(body)
        item["K"].append(body.reference)
        if item.number in self.sources:
            self.sources[body.number] = self.sources[item.number]
        return body

    def empty(self, element: Element, into: Element) -> None:
        self.moved[element.reference] = into.reference
        element.clear()


def repair(pdf: Any, sources: dict[int, Source]) -> None:
    """Make the tree WeasyPrint built in ``pdf`` follow the HTML ``sources`` it came from."""
    tree = _Tree(pdf, sources)
    root = tree.pdf.objects[int(pdf.catalog["StructTreeRoot"].split()[0])]
    document = tree.element(root["K"][0])
    _join(tree, document)
    _relink(tree, root)
    _index_ids(tree, root)


def _join(tree: _Tree, element: Element) -> None:
    """Join the pieces of each element under ``element``, then list and table fixes below it."""
    own = tree.key(element)
    if element["S"] == "/L":
        _nest_lists(tree, element)
    queue, kept = list(element["K"]), pydyf.Array()
    while queue:
        kid = queue.pop(0)
        child = tree.element(kid)
        key = None if child is None else tree.key(child)
        previous = tree.element(kept[-1]) if kept else None
        if child is None or key is None:
            kept.append(kid)
        elif key == own:  # an anonymous box (a column, a run of text): its kids are ours
            queue[:0] = tree.adopt(element, list(child["K"]), child["Pg"])
            tree.empty(child, element)
        elif previous is not None and tree.key(previous) == key:  # the next piece
            previous["K"].extend(tree.adopt(previous, list(child["K"]), child["Pg"]))
            tree.empty(child, previous)
        else:
            kept.append(kid)
    element["K"] = kept
    if element["S"] == "/TH":
        _scope(tree, element)
    for kid in kept:
        if (child := tree.element(kid)) is not None:
            _join(tree, child)


def _nest_lists(tree: _Tree, element: Element) -> None:
    """Put a list WeasyPrint hoisted beside an item back into the item's body (as in HTML).

    The part of an item continued on the next page may hold only the nested list: it gets a
    body of its own, which joins the first part's body when the two parts are joined.
    """
    kept = pydyf.Array()
    for kid in element["K"]:
        child, item = tree.element(kid), tree.element(kept[-1]) if kept else None
        if child is not None and child["S"] == "/L" and item is not None and item["S"] == "/LI":
            body = _last(tree, item, "/LBody") or tree.body(item)
            child["P"] = body.reference
            body["K"].append(kid)
            continue
        kept.append(kid)
    element["K"] = kept


def _last(tree: _Tree, element: Element, role: str) -> Element | None:
    kids = [tree.element(kid) for kid in element["K"]]
    return next((kid for kid in reversed(kids) if kid is not None and kid["S"] == role), None)


def _scope(tree: _Tree, element: Element) -> None:
    html = tree.html(element)
    scope = _SCOPES.get(str(html.get("scope", "")).lower()) if html is not None else None
    if scope is not None:
        element["A"]["Scope"] = scope


def _relink(tree: _Tree, root: Element) -> None:
    """Point the parent tree (marked content, annotations) at the joined elements."""

    def final(reference: bytes) -> bytes:
        while reference in tree.moved:
            reference = tree.moved[reference]
        return reference

    nums = tree.pdf.objects[int(root["ParentTree"].split()[0])]["Nums"]
    for index, value in enumerate(nums):
        if isinstance(value, list):
            value[:] = [final(v) if isinstance(v, bytes) else v for v in value]
        elif isinstance(value, bytes):
            nums[index] = final(value)


def _index_ids(tree: _Tree, root: Element) -> None:
    """List every element's ``/ID`` in the ``/IDTree`` that PDF requires beside them."""
    named = sorted(
        (str(element["ID"].string), element.reference)
        for element in tree.pdf.objects
        if isinstance(element, pydyf.Dictionary)
        and element.get("Type") == "/StructElem"
        and "ID" in element
    )
    if named:
        names = [item for name, reference in named for item in (pydyf.String(name), reference)]
        root["IDTree"] = pydyf.Dictionary({"Names": pydyf.Array(names)})
