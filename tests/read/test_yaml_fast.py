"""libyaml reads front matter and YAML files for speed; it must agree with PyYAML exactly.

``load`` composes with libyaml when it is safe to (no BOM, bounded nesting) and falls back to
PyYAML's pure-Python parser on anything libyaml refuses. Every position a diagnostic can point
at, every value and every finding must be the same whichever parser read the text.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.read import yaml as reader
from tests.bench.corpus import make_book
from tests.fuzz.mutations import HOSTILE_CHARS, SEED, nesting, yaml_insertion
from tests.fuzz.profiles import FUZZ

pytestmark = pytest.mark.skipif(reader._FastLoader is None, reason="PyYAML built without libyaml")


def _read(text: str, fast: bool, monkeypatch: pytest.MonkeyPatch) -> tuple[object, ...]:
    with monkeypatch.context() as patch:
        if not fast:
            patch.setattr(reader, "_FastLoader", None)
        report = reader.Sink()
        doc = reader.load(text, "f.yaml", report, line_offset=3)
    findings = [(d.code, d.span.line, d.span.column, d.message) for d in report.items]
    if doc is None:
        return None, findings
    return doc.data, doc.values, doc.keys, findings


def _same(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _read(text, True, monkeypatch) == _read(text, False, monkeypatch)


def _front_matters(root: Path) -> list[str]:
    texts = [(root / "book.yaml").read_text(), (root / "terminology.yaml").read_text()]
    for chapter in sorted((root / "chapters").glob("*.md")):
        texts.append(chapter.read_text().split("\n---\n", 1)[0].removeprefix("---\n"))
    return texts


def test_the_fast_parser_is_used_for_ordinary_front_matter() -> None:
    text = _front_matters(SEED)[2]
    assert reader._fast_loader_fits(text)
    assert not reader._fast_loader_fits("\ufeff" + text)
    assert not reader._fast_loader_fits(text.replace(":", "\ufeff:", 1))
    assert not reader._fast_loader_fits("x: " + "[" * (reader.MAX_FAST_FLOW + 1))
    assert not reader._fast_loader_fits("x: " + "y" * reader.MAX_LINE)


def test_real_and_generated_sources_read_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = _front_matters(SEED) + _front_matters(make_book(tmp_path / "book", 5))
    for text in texts:
        _same(text, monkeypatch)


@pytest.mark.parametrize(
    "text",
    [
        "a: 😀x\nb: 1\n",
        'a: x\r\nb: "y"\r\nc: >\r\n  z\r\n',
        'a: "\\u00e9\\x01"\n',
        "a: &x [1]\nb: *x\nc: *x\n",
        "a: !!str 1\nb: !foo x\nc: !!binary aGk=\n",
        "<<: {a: 1}\nb: 2\n",
        "a: 1\na: 2\n",
        "a:\n\t- x\n",
        "a: |\n  😀😀\n  b\nc: d\n",
        "a: \u0085x\nb: \u2028c\n",
        "a: [1, 2\nb: 3\n",
        "a: 'open\n",
        "a: b: c\n",
        "- x\n- y\n",
        "",
        "# only a comment\n",
        "a: no\nb: on\nc: 0123\nd: 0x1F\ne: .inf\nf: 1:20\ng: ~\n",
        "r: &r [*r, *r]\n",
        "x: \x01\n",
        ";\tid: x\ntitle: y\n",
        "i\ufeffd: x\n",
    ],
)
def test_edge_cases_read_the_same(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _same(text, monkeypatch)


_BASE = _front_matters(SEED)[2].encode()


@st.composite
def _mutated(draw: st.DrawFn) -> str:
    data = _BASE
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["yaml", "nesting", "text", "cut"]))
        if kind == "yaml":
            data = draw(yaml_insertion(data))[1]
        elif kind == "nesting":
            at = draw(st.integers(0, len(data)))
            data = data[:at] + draw(nesting()) + data[at:]
        elif kind == "text":
            at = draw(st.integers(0, len(data)))
            piece = draw(st.text(st.sampled_from(HOSTILE_CHARS), min_size=1, max_size=8))
            data = data[:at] + piece.encode() + data[at:]
        else:
            data = data[: draw(st.integers(0, len(data)))]
    return data.decode("utf-8", errors="replace")


@settings(FUZZ, max_examples=300)
@given(_mutated())
def test_mutated_front_matter_reads_the_same(text: str) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        _same(text, monkeypatch)
