"""Raw HTML, link schemes, comments and XML entities: refused, or inert in every output.

Raw HTML (S111) and links other than http(s) (S115) are refused by validation. HTML comments
are kept as editors' notes and lint directives but reach no output. Text that looks like an
XML declaration or entity reaches the EPUB escaped (Jinja2 autoescape), and the one XML
parser we run on it, lxml's, resolves no external entity and refuses entity bombs.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from tests.fuzz.invariants import check_build, validate_and_lint
from tests.helpers import SOURCE, build

CHAPTER = "chapters/blastic-osseous-metastases.md"
BULLET = "- Lesions follow the red marrow"


def _tree(tmp_path: Path, old: str, new: str) -> Path:
    root = tmp_path / "source"
    shutil.copytree(SOURCE, root)
    chapter = root / CHAPTER
    text = chapter.read_text()
    assert old in text
    chapter.write_text(text.replace(old, new, 1))
    return root


RAW_HTML = [
    "<script>alert(1)</script>",
    '<img src="x" onerror="alert(1)">',
    '<svg onload="alert(1)"><use href="file:///etc/passwd#x"/></svg>',
    '<iframe src="https://evil.example"></iframe>',
    '<object data="file:///etc/passwd"></object>',
    '<a href="javascript:alert(1)">x</a>',
    "<?php system('id'); ?>",
    "<![CDATA[ <script>alert(1)</script> ]]>",
    '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
    '<math><mtext><img src=x onerror="alert(1)"></mtext></math>',
    "<style>@import url(file:///etc/passwd);</style>",
    '<link rel="stylesheet" href="file:///etc/passwd">',
]


@pytest.mark.parametrize("html", RAW_HTML)
@pytest.mark.parametrize("place", ["inline", "block"])
def test_raw_html_is_refused(html: str, place: str, tmp_path: Path) -> None:
    new = f"- Lesions {html} follow" if place == "inline" else f"{html}\n\n{BULLET}"
    root = _tree(tmp_path, BULLET, new)
    status, found = validate_and_lint(root)
    assert status == 1 and "S111" in {d.code for d in found}, found


LINKS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html;base64,PHNjcmlwdD4=",
    "file:///etc/passwd",
    "vbscript:msgbox",
    "ftp://example.org/a",
    "mailto:someone@example.org",
    "//evil.example/x",
    "/etc/passwd",
    "../../etc/passwd",
    "%6A%61vascript:alert(1)",
    "java&#x09;script:alert(1)",
]


AUTOLINK = re.compile(r"[A-Za-z][A-Za-z0-9+.-]{1,31}:[^<>\s]*")
"""What CommonMark takes for an autolink; other <...> stays text, escaped in every output."""
CASES = [(form, href) for form in ("inline", "autolink", "reference") for href in LINKS
         if form != "autolink" or AUTOLINK.fullmatch(href)]  # fmt: skip


@pytest.mark.parametrize(("form", "href"), CASES)
def test_a_link_that_is_not_http_is_refused(form: str, href: str, tmp_path: Path) -> None:
    text = {
        "inline": f"- Lesions [follow]({href}) the red marrow",
        "autolink": f"- Lesions <{href}> the red marrow",
        "reference": f"- Lesions [follow][x] the red marrow\n\n[x]: {href}",
    }[form]
    root = _tree(tmp_path, BULLET, text)
    status, found = validate_and_lint(root)
    codes = {d.code for d in found}
    # A reference definition is a paragraph of the body (S107); the others are links (S115).
    assert status == 1 and ("S107" if form == "reference" else "S115") in codes, found


def test_comments_reach_no_output(tmp_path: Path) -> None:
    comment = "<!-- a --><script>alert('comment')</script><!-- b -->"
    root = _tree(tmp_path, BULLET, f"{comment}\n\n- Lesions <!-- note: check --> follow")
    status, _ = validate_and_lint(root)
    assert status == 0, "HTML comments are editors' notes, not errors"
    out = tmp_path / "out"
    check_build(build(root, out, formats=("json", "epub"), in_process=True))
    texts = [p.read_text() for p in out.rglob("*.json")] + _epub_texts(out)
    assert texts and not any("alert(" in t or "note: check" in t for t in texts)


def _epub_texts(out: Path) -> list[str]:
    texts = []
    for epub in out.rglob("*.epub"):
        with zipfile.ZipFile(epub) as archive:
            names = [n for n in archive.namelist() if n.endswith((".xhtml", ".opf", ".ncx"))]
            texts += [archive.read(n).decode("utf-8") for n in names]
    return texts


ENTITY_TEXT = '<!DOCTYPE t [<!ENTITY xxe SYSTEM "file:///etc/passwd">]> &xxe; &amp;xxe;'


def test_entity_syntax_in_yaml_text_reaches_the_epub_escaped(tmp_path: Path) -> None:
    root = _tree(tmp_path, "title: Blastic Osseous Metastases", f"title: '{ENTITY_TEXT}'")
    status, found = validate_and_lint(root)
    assert status == 0, found
    out = tmp_path / "out"
    check_build(build(root, out, formats=("epub",), in_process=True))
    texts = _epub_texts(out)
    assert any("&lt;!DOCTYPE t [&lt;!ENTITY xxe" in t for t in texts)
    for text in texts:
        assert "<!ENTITY" not in text and "root:x:0:0" not in text
        tree = etree.fromstring(text.encode())  # what the renderer does with each document
        assert tree.getroottree().docinfo.doctype in ("", "<!DOCTYPE html>")


def test_entity_syntax_in_the_body_is_refused_or_text(tmp_path: Path) -> None:
    root = _tree(tmp_path, BULLET, f"- Lesions {ENTITY_TEXT} follow")
    status, found = validate_and_lint(root)
    assert status == 1 and "S111" in {d.code for d in found}


def test_lxml_as_the_renderer_calls_it_resolves_no_external_entity(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0")
    xml = f'<!DOCTYPE r [<!ENTITY e SYSTEM "{secret.as_uri()}">]><r>&e;</r>'
    try:
        parsed = etree.tostring(etree.fromstring(xml.encode())).decode()
    except etree.XMLSyntaxError as err:  # lxml 5 and later: "Entity 'e' not defined"
        parsed = str(err)
    assert "root:x:0:0" not in parsed


def test_lxml_as_the_renderer_calls_it_refuses_an_entity_bomb() -> None:
    levels = ['<!ENTITY l0 "lol">'] + [
        f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10)
    ]
    bomb = f"<!DOCTYPE r [{''.join(levels)}]><r>&l9;</r>"
    with pytest.raises(etree.XMLSyntaxError):
        etree.fromstring(bomb.encode())


def test_numeric_references_to_control_characters_never_reach_an_output(tmp_path: Path) -> None:
    """markdown-it replaces references to characters XML cannot hold by U+FFFD."""
    refs = "&#0; &#1; &#x0B; &#x1F; &#xFFFE; &#xFFFF; &#xD800; &#x110000;"
    root = _tree(tmp_path, BULLET, f"- Lesions {refs} follow")
    status, found = validate_and_lint(root)
    assert status == 0, found
    out = tmp_path / "out"
    check_build(build(root, out, formats=("json", "epub"), in_process=True))
    for text in _epub_texts(out):
        etree.fromstring(text.encode())
        assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", text)
