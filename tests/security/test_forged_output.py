"""Findings that print somewhere else than the source says, or print lines of their own.

A pull request controls the text that findings quote: a YAML key holding a line break would
print a forged ``PATH:LINE:COL: CODE`` line (or a ``::error`` workflow command); NEL and the
Unicode line separators, which PyYAML counts as line breaks and editors do not, would move
every later finding; a ``chapters/`` folder that is a link out of the tree would have its
file names printed; a reference-style link would escape the scheme check on the fast path.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pipeline.diagnostics import Sink
from pipeline.diagnostics.formatters import FORMATTERS
from pipeline.diagnostics.record import Diagnostic
from pipeline.model.span import Span
from pipeline.read import yaml as yaml_reader
from tests.helpers import edit, monograph, seed_copy

CHAPTER = "chapters/blastic-osseous-metastases.md"
FORGED = "chapters/x.md:1:1: X101 error: forged"


def _validate(root: Path, *options: str) -> tuple[int, str, str]:
    run = monograph("validate", "--source", str(root), *options)
    return run.returncode, run.stdout, run.stderr


@pytest.mark.parametrize("brk", ["\n", "\r", "\x85", "\u2028", "\u2029", "\x1b[2K\r"])
def test_a_key_with_a_line_break_prints_no_forged_line(brk: str, tmp_path: Path) -> None:
    root = seed_copy(tmp_path)
    escaped = brk.encode("unicode_escape").decode().replace("\\x1b", "\\e")
    edit(root / CHAPTER, "status: draft\n", f'status: draft\n"a{escaped}{FORGED}": 1\n', count=1)
    status, text, _ = _validate(root)
    assert status == 1 and "forged" in text, text
    assert not any(line.startswith("chapters/x.md") for line in text.split("\n")), text
    assert not any(line.startswith("chapters/x.md") for line in text.splitlines()), text
    status, github, _ = _validate(root, "--format", "github")
    commands = [line for line in github.split("\n") if line.startswith("::")]
    assert len(commands) == len(github.strip().split("\n")), github
    assert len(commands) == len(text.strip().split("\n")) // 2, (github, text)
    assert len(github.splitlines()) == len(github.strip().split("\n")), github


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_json_outputs_keep_every_string_on_one_line(fmt: str) -> None:
    message = "a\nb\rc\x85d\u2028e\u2029f\x7fg\x9bh\x1bi\u202ej"
    found = Diagnostic(
        code="R102",
        severity="error",
        message=message,
        hint="h\u2028",
        span=Span(path="chapters/a\nb.md", line=3, column=1),
    )
    printed = FORMATTERS[fmt]([found], ".", {})
    assert not set(printed) & set("\r\x85\u2028\u2029\x7f\x9b\x1b\u202e"), repr(printed)
    assert printed.splitlines() == printed.split("\n")
    document = json.loads(printed)
    record = document[0] if fmt == "json" else document["runs"][0]["results"][0]
    text = record["message"] if fmt == "json" else record["message"]["text"]
    assert text.startswith(message)


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_every_field_is_escaped_in_line_formats(fmt: str) -> None:
    found = Diagnostic(
        code="R102",
        severity="error",
        message="m\n::error file=x::y%0A",
        hint="h\r\x85",
        span=Span(path="chapters/a\u2028b,line=9:c.md", line=3, column=1),
    )
    printed = FORMATTERS[fmt]([found], ".", {})
    assert "\\n::error file=x::y" in printed and "\\u2028" in printed, printed
    assert not set(printed) & set("\r\x85\u2028"), repr(printed)
    if fmt == "github":
        assert printed.count("\n") == 0 and printed.startswith("::error file="), printed
        assert "file=chapters/a\\u2028b%2Cline=9%3Ac.md," in printed, printed
        assert "y%250A" in printed, printed
    else:
        assert printed.count("\n") == 1, printed


SEPARATORS = ["\x85", "\u2028", "\u2029"]


@pytest.mark.parametrize("sep", SEPARATORS)
def test_unicode_line_separators_in_front_matter_move_no_finding(sep: str, tmp_path: Path) -> None:
    root = seed_copy(tmp_path)
    edit(root / CHAPTER, "title: Blastic", f"title: Blastic{sep}{sep}{sep}", count=1)
    edit(root / CHAPTER, "status: draft", "status: nonsense", count=1)
    status, stdout, _ = _validate(root, "--format", "json")
    lines = (root / CHAPTER).read_text().split("\n")
    expected = next(n for n, line in enumerate(lines, 1) if line.startswith("status:"))
    places = [(d["code"], d["line"]) for d in json.loads(stdout) if d["path"].endswith(CHAPTER)]
    assert status == 1 and places and all(line == expected for _, line in places), places


@pytest.mark.parametrize("sep", SEPARATORS)
def test_a_separator_never_starts_a_key(sep: str) -> None:
    report = Sink()
    doc = yaml_reader.load(f"title: a{sep}b\nc: 1\n", "f.yaml", report, line_offset=1)
    assert doc is not None and report.items == []
    assert doc.data == {"title": f"a{sep}b", "c": 1}
    assert doc.span(("c",)).line == 3 and doc.raw(("title",)) is not None
    assert doc.raw(("title",))[0] == f"a{sep}b"


def test_a_separator_is_read_even_when_every_stand_in_is_taken(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(yaml_reader, "STAND_INS", (range(0xE000, 0xE001),))
    report = Sink()
    assert yaml_reader.load("a: \ue000\u2028\n", "f.yaml", report) is None
    assert [(d.code, d.span.line) for d in report.items] == [("R102", 1)]


@pytest.mark.parametrize("folder", ["chapters", "terminology"])
def test_a_folder_linked_out_of_the_tree_is_never_listed(folder: str, tmp_path: Path) -> None:
    root = seed_copy(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret-name.md").write_text("---\nid: secret-name\n---\n")
    (outside / "secret-name.yaml").write_text("concepts: []\n")
    if folder == "chapters":
        shutil.rmtree(root / folder)
    (root / folder).symlink_to(outside, target_is_directory=True)
    run = monograph("validate", "--source", str(root))
    assert run.returncode == 1, run.stdout + run.stderr
    assert f"{root}/{folder}:1:1: R113 error:" in run.stdout, run.stdout
    assert "secret-name" not in run.stdout + run.stderr, run.stdout + run.stderr


def test_a_javascript_reference_definition_on_a_plain_bullet_chapter(tmp_path: Path) -> None:
    root = seed_copy(tmp_path)
    bullet = "- Lesions follow the red marrow: lumbar > thoracic > cervical\n"
    edit(
        root / CHAPTER,
        bullet,
        "- Lesions [follow][x\\]] the red marrow\n- [x\\]]: javascript:alert(1)\n",
        count=1,
    )
    lines = (root / CHAPTER).read_text().split("\n")
    expected = next(n for n, line in enumerate(lines, 1) if "[follow]" in line)
    status, stdout, _ = _validate(root, "--format", "json")
    s115 = [(d["line"], d["message"]) for d in json.loads(stdout) if d["code"] == "S115"]
    assert status == 1 and s115 == [(expected, s115[0][1])], stdout
    assert "javascript:alert(1)" in s115[0][1]
