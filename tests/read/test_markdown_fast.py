"""The fast path for plain bodies must read exactly what markdown-it reads.

``BodyReader`` reads a body made only of ATX headings and ``- `` bullets line by line and
hands anything else to markdown-it. Whichever path reads a body, the blocks, inline nodes,
comments and findings must be the same; and the fast path must really be taken for the
bodies it was written for, or the speed it promises is gone without a failing test.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.diagnostics import Sink
from pipeline.read import markdown
from pipeline.read.markdown import BodyReader
from tests.bench.corpus import make_book
from tests.fuzz.mutations import HOSTILE_CHARS, SEED, nesting
from tests.fuzz.profiles import FUZZ


def _read(body: str, fast: bool) -> tuple[object, ...]:
    report = Sink()
    reader = BodyReader("c.md", body, 40, report)
    if fast:
        blocks = reader.read()
    else:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(markdown, "_outline", lambda lines: None)
            blocks = reader.read()
    findings = [(d.code, d.span.line, d.span.column, d.message) for d in report.items]
    return blocks, reader.inlines, reader.comments, findings


def _same(body: str) -> None:
    assert _read(body, True) == _read(body, False)


def _bodies(root: Path) -> list[str]:
    return [p.read_text().split("\n---\n", 1)[1] for p in sorted((root / "chapters").glob("*.md"))]


def _fast(body: str) -> bool:
    return markdown._outline(body.split("\n")) is not None


def test_real_and_generated_bodies_take_the_fast_path_and_read_the_same(tmp_path: Path) -> None:
    bodies = _bodies(SEED) + _bodies(make_book(tmp_path / "book", 8))
    for body in bodies:
        assert _fast(body)
        _same(body)


PLAIN = [
    "# A\n\n## B\n\n- one\n- **Label**\n  - child *em* [@ref-1]\n    - grand @fig-x\n"
    "  - two\n- last\n",
    "- x\n\n- y\n# H\n- z\n",
    "## S\n- wrapped bullet\n  continued here\n  and here  \n- next\n",
    "- a\n  - b\n\n  - c after a blank\n- d\n",
    '# Heading with `code` and **bold**\n- 2019 was a year\n- (parenthesis) and "quotes"\n',
    "- trailing spaces   \n- _under_ and *star*\n- [link](http://x) and <b>html</b>\n",
    "",
    "\n\n",
    "- **Label**: text\n  - [@a; @b] cited\n",
]

ELSEWHERE = [
    "Paragraph at the top\n",
    "- a\nlazy continuation\n",
    "- a\n   - three spaces\n",
    "- a\n    - four spaces\n",
    "  - indented first\n",
    "- a\n\n  second paragraph\n",
    "- a\n  - b\n  lazy\n",
    "<!-- lint disable T101 -->\n- a\n",
    "- a\n\t- tab\n",
    "# Closing #\n",
    "- > quote\n",
    "- # heading in item\n",
    "- 1. ordered\n",
    "- * nested star\n",
    "- ***\n",
    "- a\n  ---\n",
    "- a\n  ===\n",
    "- a | b\n  :-- | --\n",
    "- [x]: http://a\n",
    "- ```\n  code\n  ```\n",
    "#\n",
    "####### seven\n",
    "-\n",
    "-  two spaces\n",
    "- \u00a0nbsp first\n",
    "1. ordered\n",
    "* star list\n",
    "---\n",
    "    code\n",
    "- a\r\n",
    # Link reference definitions: an escaped bracket in the label, a label over two lines.
    "- see [text][x\\]]\n- [x\\]]: javascript:alert(1)\n",
    "- see [text][x]\n- [x\n  ]: javascript:alert(1)\n",
    "".join("  " * n + "- x\n" for n in range(7)),
]


@pytest.mark.parametrize("body", PLAIN)
def test_plain_bodies_take_the_fast_path(body: str) -> None:
    assert _fast(body)
    _same(body)


@pytest.mark.parametrize("body", ELSEWHERE)
def test_other_bodies_go_to_markdown_it(body: str) -> None:
    assert not _fast(body)


_LINES = st.sampled_from(
    ["", "# Key Facts", "## Imaging", "- a bullet", "- **Label**", "  - nested", "    - deeper",
     "  continued", "    continued", "   - three", "text", "- *em* and @fig-a", "  > q",
     "- [@r]", "<!-- c -->", "- 1. x", "  ---", "- x  ", "      - far", "  - **L**",
     "- [t][x]", "- [x]", "- [x\\]]: javascript:a", "- [x", "  ]: ftp://a", "- [x\\]][]"]
)  # fmt: skip


@st.composite
def _body(draw: st.DrawFn) -> str:
    lines = draw(st.lists(_LINES, max_size=25))
    if draw(st.booleans()):
        at = draw(st.integers(0, len(lines)))
        piece = draw(st.one_of(st.text(st.sampled_from(HOSTILE_CHARS), max_size=6),
                               nesting().map(lambda b: b.decode())))  # fmt: skip
        lines.insert(at, draw(st.sampled_from(["- ", "  ", "", "# "])) + piece)
    return "\n".join(lines) + "\n"


@settings(FUZZ, max_examples=400)
@given(_body())
def test_any_body_reads_the_same_on_both_paths(body: str) -> None:
    _same(body)


@pytest.mark.parametrize(
    "body",
    [
        "# A\n- see [text][x\\]]\n- [x\\]]: javascript:alert(1)\n",
        "# A\n- see [text][x]\n- [x\n  ]: javascript:alert(1)\n",
    ],
)
def test_a_reference_link_to_a_bad_scheme_is_reported_whichever_path(body: str) -> None:
    """A definition the fast path would miss: ``[text][x]`` must still be a link, and S115."""
    _same(body)
    _, _, _, findings = _read(body, True)
    assert [(code, line) for code, line, _, _ in findings] == [("S115", 41)]
