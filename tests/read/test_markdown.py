"""The body reader: blocks and inline nodes with the line and column an editor sees."""

from __future__ import annotations

from pipeline.diagnostics import Sink
from pipeline.model.inline import Citation, FigRef, Strong, Sup, Text
from pipeline.read.markdown import BodyReader, BulletList, Heading, Other

BODY = """\
# Imaging

## MR Findings

- **T1WI**
  - Low signal in the *L3* body, see
    @fig-l3 and [@smith2004; @jones-2010]
  - ^99m^Tc uptake

Prose here.
"""


def _read(body: str = BODY, first_line: int = 20):
    report = Sink()
    blocks = BodyReader("c.md", body, first_line, report).read()
    return blocks, report.items


def test_blocks_carry_file_lines_after_the_front_matter() -> None:
    blocks, problems = _read()
    assert problems == []
    heading, sub, bullets, prose = blocks
    assert isinstance(heading, Heading) and (heading.level, heading.span.line) == (1, 20)
    assert isinstance(sub, Heading) and sub.text == "MR Findings"
    assert isinstance(bullets, BulletList) and bullets.span.line == 24
    assert isinstance(prose, Other) and prose.kind == "prose paragraph"
    assert prose.span.line == 29


def test_inline_nodes_on_a_continuation_line_have_exact_columns() -> None:
    blocks, _ = _read()
    label = blocks[2].items[0]
    assert isinstance(label.content[0], Strong)
    first = label.children[0].content
    figref = next(n for n in first if isinstance(n, FigRef))
    citation = next(n for n in first if isinstance(n, Citation))
    assert (figref.id, figref.span.line, figref.span.column) == ("fig-l3", 26, 5)
    assert citation.keys == ["smith2004", "jones-2010"]
    assert (citation.span.line, citation.span.column) == (26, 17)


def test_soft_breaks_join_into_one_text_node() -> None:
    blocks, _ = _read()
    first = blocks[2].items[0].children[0].content
    assert isinstance(first[-1], Citation)
    texts = [n.text for n in first if isinstance(n, Text)]
    assert texts == ["Low signal in the ", " body, see ", " and "]


def test_superscript_is_a_node() -> None:
    blocks, _ = _read()
    second = blocks[2].items[0].children[1].content
    assert isinstance(second[0], Sup) and second[0].children[0].text == "99m"
    assert second[1].text == "Tc uptake"


def test_bare_citation_and_bracketed_figure_are_flagged() -> None:
    _, problems = _read("- see @smith2004 and [@fig-a]\n", first_line=1)
    assert [(p.code, p.span.column) for p in problems] == [("X110", 7), ("X110", 22)]


def test_email_address_is_not_a_reference() -> None:
    blocks, problems = _read("- write to a@b.org\n", first_line=1)
    assert problems == []
    assert blocks[0].items[0].content[0].text == "write to a@b.org"


def test_links_must_be_http() -> None:
    _, problems = _read("- [ok](https://x.org) [bad](javascript:alert(1))\n", first_line=1)
    assert [(p.code, p.span.column) for p in problems] == [("S115", 23)]


def test_html_comments_are_kept_as_comments_not_refused() -> None:
    report = Sink()
    reader = BodyReader("c.md", "<!-- a note -->\n- x <!-- inline --> y\n", 5, report)
    reader.read()
    assert report.items == []
    assert [(c.text, c.span.line, c.span.column) for c in reader.comments] == [
        ("<!-- a note -->", 5, 1),
        ("<!-- inline -->", 6, 5),
    ]


def test_text_nodes_never_cross_a_line_break() -> None:
    blocks, _ = _read("- first line\n  second line\n", first_line=1)
    texts = blocks[0].items[0].content
    assert [(t.text, t.span.line, t.span.column) for t in texts] == [
        ("first line ", 1, 3),
        ("second line", 2, 3),
    ]
