"""The EPUB's accessibility metadata claims only what the checkers and the package bear out.

``contradictions`` reads the package document's claims and sets each against DAISY Ace's
report, epubcheck's (accessibility checks on) and the files of the EPUB: a conformance claim
needs no Ace violation and no epubcheck message; each ``accessibilityFeature`` must be one this
module can check, and present; access modes and the hazard must match the images; what the
summary says of tables must hold. The seed and the rich book must have none; each defect below,
put into the rich book's files or reports, must be found, so the check cannot pass whatever
the EPUB says.
"""

from __future__ import annotations

import copy
import io
import re
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from lxml import etree
from PIL import Image

from tests.render.epub_books import NS, BuiltEpub
from tests.render.test_epub_ace import ace_report, violations
from tests.render.test_epub_check import checked

Files = dict[str, bytes]
Reports = tuple[Files, dict[str, Any], dict[str, Any]]
CHECKED_FEATURES = (
    "tableOfContents", "readingOrder", "structuralNavigation", "displayTransformability",
    "alternativeText", "longDescription",
)  # fmt: skip
"""The ``schema:accessibilityFeature`` values this module checks; any other claim fails."""
ABSOLUTE_SIZE = re.compile(rb"font-size\s*:\s*[\d.]+\s*(px|pt|pc|cm|mm|in)\b|!important")
HEADING = re.compile(r"^h([1-6])$")


def _xml(files: Files, name: str) -> Any:
    return etree.fromstring(files[f"EPUB/{name}"])


def _local(element: Any) -> str:
    return str(etree.QName(element).localname)


class Package:
    """The package document's claims and the files it lists."""

    def __init__(self, files: Files) -> None:
        self.files, self.opf = files, _xml(files, "content.opf")

    def meta(self, prop: str) -> list[str]:
        return [m.text for m in self.opf.iterfind(f".//opf:meta[@property='{prop}']", NS)]

    def items(self, test: Callable[[Any], bool]) -> list[Any]:
        return [i for i in self.opf.iterfind(".//opf:manifest/opf:item", NS) if test(i)]

    def spine(self) -> list[str]:
        hrefs = {i.get("id"): i.get("href") for i in self.items(lambda i: True)}
        return [hrefs[r.get("idref")] for r in self.opf.iterfind(".//opf:itemref", NS)]

    def nav(self) -> Any:
        item = self.items(lambda i: "nav" in (i.get("properties") or "").split())[0]
        return _xml(self.files, item.get("href")).find(".//x:nav[@epub:type='toc']", NS)

    def documents(self) -> list[Any]:
        return [_xml(self.files, href) for href in self.spine()]

    def figures(self) -> list[str]:
        """Every image of the package but the cover, as ``EPUB/...`` paths."""
        images = self.items(lambda i: i.get("media-type", "").startswith("image/"))
        return [f"EPUB/{i.get('href')}" for i in images if i.get("properties") != "cover-image"]


def _toc(package: Package, ace: dict[str, Any]) -> list[str]:
    nav = package.nav()
    if nav is None or not ace["outlines"]["toc"]:
        return ["tableOfContents: no nav toc (Ace's outline of it is empty)"]
    linked = {a.get("href").partition("#")[0] for a in nav.iterfind(".//x:a", NS)}
    body = package.spine()[package.spine().index("nav.xhtml") + 1 :]
    return [
        f"tableOfContents: {href} is not in the contents" for href in body if href not in linked
    ]


def _reading_order(package: Package) -> list[str]:
    nav = package.nav()
    order = (
        [a.get("href").partition("#")[0] for a in nav.iterfind(".//x:a", NS)]
        if nav is not None
        else []
    )
    first = list(dict.fromkeys(order))
    in_spine = [href for href in package.spine() if href in first]
    return [] if first == in_spine else [f"readingOrder: contents {first} but spine {in_spine}"]


def _structure(package: Package) -> list[str]:
    found = []
    for href, doc in zip(package.spine(), package.documents(), strict=True):
        levels = [int(m[1]) for el in doc.iter() if (m := HEADING.match(_local(el)))]
        jumps = [(a, b) for a, b in zip([0, *levels], levels, strict=False) if b > a + 1]
        found += [f"structuralNavigation: {href} goes from h{a} to h{b}" for a, b in jumps]
        for section in doc.iterfind(".//x:section", NS):
            first = next(iter(section), None)
            head = [] if first is None else [first, *(first if _local(first) == "header" else [])]
            headed = any(HEADING.match(_local(el)) for el in head)
            if not headed and not section.get("aria-label"):
                found.append(f"structuralNavigation: {href} has a section with no heading")
    return found


def _alt(ace: dict[str, Any]) -> list[str]:
    return [
        f"alternativeText: {image['src']} has no alt text"
        for image in ace["data"].get("images", [])
        if not (image.get("alt") or "").strip()
    ]


def _described(package: Package, ace: dict[str, Any]) -> list[str]:
    described = {i["src"] for i in ace["data"].get("images", []) if i.get("describedby")}
    return [f"longDescription: {src} has none" for src in package.figures() if src not in described]


def _transformable(package: Package) -> list[str]:
    styles = [n for n in package.files if n.endswith(".css")]
    found = [f"displayTransformability: {n} fixes a size" for n in styles
             if ABSOLUTE_SIZE.search(package.files[n])]  # fmt: skip
    found += [
        f"displayTransformability: {href} has a style attribute"
        for href, doc in zip(package.spine(), package.documents(), strict=True)
        if any(el.get("style") is not None for el in doc.iter())
    ]
    fixed = package.opf.find(".//opf:meta[@property='rendition:layout']", NS)
    return found + (["displayTransformability: fixed layout"] if fixed is not None else [])


def _features(package: Package, ace: dict[str, Any]) -> list[str]:
    checks: dict[str, Callable[[], list[str]]] = {
        "tableOfContents": lambda: _toc(package, ace),
        "readingOrder": lambda: _reading_order(package),
        "structuralNavigation": lambda: _structure(package),
        "displayTransformability": lambda: _transformable(package),
        "alternativeText": lambda: _alt(ace),
        "longDescription": lambda: _described(package, ace),
    }
    found = []
    for feature in package.meta("schema:accessibilityFeature"):
        check = checks.get(feature)
        found += check() if check else [f"{feature}: claimed, but no test checks it"]
    return found


def _modes(package: Package, ace: dict[str, Any]) -> list[str]:
    found = [] if "textual" in package.meta("schema:accessMode") else ["accessMode: no textual"]
    if bool(package.figures()) != ("visual" in package.meta("schema:accessMode")):
        found.append(f"accessMode: visual claimed {package.meta('schema:accessMode')}, "
                     f"images {package.figures()}")  # fmt: skip
    if "textual" in package.meta("schema:accessModeSufficient"):
        found += [
            f"accessModeSufficient textual: {p}" for p in _alt(ace) + _described(package, ace)
        ]
    return found


def _hazards(package: Package) -> list[str]:
    if "none" not in package.meta("schema:accessibilityHazard"):
        return []
    found = []
    for name in package.figures():
        with Image.open(io.BytesIO(package.files[name])) as image:
            if getattr(image, "is_animated", False):
                found.append(f"accessibilityHazard none: {name} is animated")
    media = [_local(el) for doc in package.documents() for el in doc.iter()]
    return found + [f"accessibilityHazard none: {m}" for m in media if m in {"audio", "video"}]


def _conformance(package: Package, ace: dict[str, Any], check: dict[str, Any]) -> list[str]:
    claims = package.meta("dcterms:conformsTo")
    found = [] if claims or not package.meta("a11y:certifiedBy") else [
        "a11y:certifiedBy without a conformance claim"]  # fmt: skip
    if not any("WCAG" in claim for claim in claims):
        return found
    found += [f"conformsTo {claims}, but DAISY Ace: {line}" for line in violations(ace)]
    messages = [m for m in check["messages"] if m["severity"] in {"FATAL", "ERROR", "WARNING"}]
    found += [f"conformsTo {claims}, but epubcheck: {m['ID']} {m['message']}" for m in messages]
    needed = {"alternativeText"} - set(package.meta("schema:accessibilityFeature"))
    return found + [f"conformsTo {claims} without {feature}" for feature in sorted(needed)]


def contradictions(files: Files, ace: dict[str, Any], check: dict[str, Any]) -> list[str]:
    """Every claim of the package document that Ace, epubcheck or the files contradict."""
    package = Package(files)
    found = _conformance(package, ace, check) + _features(package, ace)
    found += _modes(package, ace) + _hazards(package)
    summary = " ".join(package.meta("schema:accessibilitySummary"))
    found += _tables(package) if "tables with row and column headers" in summary else []
    return found + ([] if summary.strip() else ["accessibilitySummary: missing"])


def _tables(package: Package) -> list[str]:
    """The summary's word that tables have row and column headers, table by table."""
    found = []
    for href, doc in zip(package.spine(), package.documents(), strict=True):
        for table in doc.iterfind(".//x:table", NS):
            scopes = {th.get("scope") for th in table.iterfind(".//x:th", NS)}
            if not {"row", "col"} <= scopes:
                found.append(f"accessibilitySummary: a table in {href} lacks row or column headers")
    return found


def _files(built: BuiltEpub) -> Files:
    with zipfile.ZipFile(built.path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.fixture(scope="module")
def seed_reports(seed_epub: BuiltEpub, tmp_path_factory: pytest.TempPathFactory) -> Reports:
    """The seed EPUB's files, Ace's report and epubcheck's."""
    return (_files(seed_epub), ace_report(tmp_path_factory, seed_epub),
            checked(tmp_path_factory, seed_epub))  # fmt: skip


@pytest.fixture(scope="module")
def rich_reports(rich_epub: BuiltEpub, tmp_path_factory: pytest.TempPathFactory) -> Reports:
    """The rich EPUB's files, Ace's report and epubcheck's."""
    return (_files(rich_epub), ace_report(tmp_path_factory, rich_epub),
            checked(tmp_path_factory, rich_epub))  # fmt: skip


def test_the_seed_claims_nothing_a_checker_contradicts(seed_reports: Reports) -> None:
    files, ace, check = seed_reports
    assert Package(files).meta("dcterms:conformsTo"), "the seed should make its claim"
    assert contradictions(files, ace, check) == []


def test_the_rich_book_claims_nothing_a_checker_contradicts(rich_reports: Reports) -> None:
    files, ace, check = rich_reports
    assert {"longDescription", "alternativeText"} <= set(
        Package(files).meta("schema:accessibilityFeature")
    )
    assert contradictions(files, ace, check) == []


def _replace(name: str, old: bytes, new: bytes, count: int = 1) -> Callable[[Reports], None]:
    def change(reports: Reports) -> None:
        files = reports[0]
        assert old in files[name], f"{old!r} is not in {name}"
        files[name] = files[name].replace(old, new, count)

    return change


def _ace_violation(reports: Reports) -> None:
    found = {"earl:test": {"dct:title": "epub-lang", "earl:impact": "serious"},
             "earl:result": {"earl:outcome": "fail"}}  # fmt: skip
    subject = {"earl:testSubject": {"url": "EPUB/content.opf"}, "assertions": [found]}
    reports[1]["assertions"].append(subject)


def _acc_warning(reports: Reports) -> None:
    message = {"ID": "ACC-012", "severity": "WARNING", "message": "no caption", "locations": []}
    reports[2]["messages"].append(message)


def _no_alt(reports: Reports) -> None:
    reports[1]["data"]["images"][1]["alt"] = ""


def _no_description(reports: Reports) -> None:
    reports[1]["data"]["images"][2].pop("describedby")


def _skip_level(reports: Reports) -> None:
    _replace("EPUB/02-plain.xhtml", b"<h2", b"<h3")(reports)
    _replace("EPUB/02-plain.xhtml", b"</h2>", b"</h3>")(reports)


def _swap_chapters(reports: Reports) -> None:
    files, opf = reports[0], reports[0]["EPUB/content.opf"]
    rich, plain = b'<itemref idref="doc-01-rich"/>', b'<itemref idref="doc-02-plain"/>'
    assert rich in opf and plain in opf
    files["EPUB/content.opf"] = opf.replace(rich, b"@").replace(plain, rich).replace(b"@", plain)


DEFECTS: dict[str, tuple[Callable[[Reports], None], str]] = {
    "Ace violation": (_ace_violation, "but DAISY Ace: epub-lang serious"),
    "epubcheck ACC warning": (_acc_warning, "but epubcheck: ACC-012"),
    "image without alt": (_no_alt, "alternativeText: EPUB/images/rich-fig-real-image.png"),
    "image without description": (_no_description, "longDescription: EPUB/images/plain-fig"),
    "chapter missing from contents": (
        _replace("EPUB/nav.xhtml", b'href="02-plain.xhtml', b'href="01-rich.xhtml', -1),
        "tableOfContents: 02-plain.xhtml is not in the contents",
    ),
    "contents out of spine order": (
        _swap_chapters,
        "readingOrder: contents ['01-rich.xhtml', '02-plain.xhtml'] "
        "but spine ['02-plain.xhtml', '01-rich.xhtml']",
    ),
    "heading level skipped": (
        _skip_level,
        "structuralNavigation: 02-plain.xhtml goes from h1 to h3",
    ),
    "fixed font size": (
        _replace("EPUB/css/epub.css", b"font-size: 1.55em", b"font-size: 18px"),
        "displayTransformability: EPUB/css/epub.css",
    ),
    "a feature nothing checks": (
        _replace("EPUB/content.opf", b">readingOrder<", b">MathML<"),
        "MathML: claimed, but no test checks it",
    ),
    "table without row headers": (
        _replace("EPUB/01-rich.xhtml", b'<th scope="row">', b"<th>", -1),
        "accessibilitySummary: a table in 01-rich.xhtml lacks row or column headers",
    ),
    "certifier without a claim": (
        _replace("EPUB/content.opf", b'property="dcterms:conformsTo"', b'property="x:y"'),
        "a11y:certifiedBy without a conformance claim",
    ),
    "visual mode without images": (
        _replace("EPUB/content.opf", b">visual</meta>", b">auditory</meta>"),
        "accessMode: visual claimed",
    ),
}


@pytest.mark.parametrize("defect", list(DEFECTS))
def test_a_claim_a_checker_contradicts_is_found(rich_reports: Reports, defect: str) -> None:
    change, expected = DEFECTS[defect]
    reports = copy.deepcopy(rich_reports)
    change(reports)
    found = contradictions(*reports)
    assert any(expected in line for line in found), found


def test_every_claimed_feature_is_one_this_module_checks(
    seed_reports: Reports, rich_reports: Reports
) -> None:
    for files, _, _ in (seed_reports, rich_reports):
        assert set(Package(files).meta("schema:accessibilityFeature")) <= set(CHECKED_FEATURES)


def test_the_checks_see_what_they_check(rich_reports: Reports) -> None:
    """Guards against a vacuous pass: the rich book has the things the checks look at."""
    files, ace, _ = rich_reports
    package = Package(files)
    figures = ["EPUB/images/plain-fig-scan.jpg", "EPUB/images/rich-fig-real-image.png"]
    assert sorted(package.figures()) == figures
    assert len(ace["data"]["images"]) == 3
    assert len(list(package.nav().iterfind(".//x:a", NS))) > len(package.spine())
    assert ABSOLUTE_SIZE.search(b"h1 { font-size: 12pt; }")
    assert not ABSOLUTE_SIZE.search(b"h1 { font-size: 1.2em; margin: 2px; }")
