"""The YAML reader keeps positions, refuses surprises, and bounds alias expansion."""

from __future__ import annotations

from pipeline.diagnostics import Sink
from pipeline.read.yaml import MAX_ALIASES, load


def _load(text: str, offset: int = 0):
    report = Sink()
    return load(text, "f.yaml", report, line_offset=offset), report.items


def test_every_key_and_value_has_its_line_and_column() -> None:
    doc, problems = _load("a: 1\nlist:\n  - name: x\n    other:  'y'\n", offset=1)
    assert problems == []
    assert doc.span(("list", 0, "other")).line == 5
    assert doc.span(("list", 0, "other")).column == 13
    assert doc.span(("list", 0, "other"), key=True).column == 5
    assert doc.span(("list", 0)).column == 5


def test_unknown_location_falls_back_to_nearest_ancestor() -> None:
    doc, _ = _load("a:\n  b: 1\n")
    assert doc.span(("a", "missing")).line == 2


def test_yaml_1_2_booleans_keep_norwegian_text() -> None:
    doc, _ = _load("language: no\nflag: on\nreal: true\n")
    assert doc.data == {"language": "no", "flag": "on", "real": True}


def test_dates_stay_text_for_the_model_to_check() -> None:
    doc, problems = _load("when: 2024-13-45\nok: 2024-01-02\n")
    assert problems == []
    assert doc.data == {"when": "2024-13-45", "ok": "2024-01-02"}


def test_duplicate_key_is_reported_and_the_first_kept() -> None:
    doc, problems = _load("a: 1\nb: 2\na: 3\n")
    assert doc.data == {"a": 1, "b": 2}
    assert [(p.code, p.span.line, p.span.column) for p in problems] == [("R103", 3, 1)]
    assert "first at line 1" in problems[0].message


def test_billion_laughs_is_stopped() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        refs = ", ".join([f"*a{i - 1}"] * 10)
        lines.append(f"a{i}: &a{i} [{refs}]")
    _, problems = _load("\n".join(lines) + "\n")
    assert [p.code for p in problems] == ["R104"]
    assert f"{MAX_ALIASES} alias" in problems[0].message


def test_recursive_alias_is_stopped() -> None:
    _, problems = _load("a: &a [*a]\n")
    assert [p.code for p in problems] == ["R104"]


def test_merge_keys_and_tags_are_refused() -> None:
    _, problems = _load("base: &b {x: 1}\nchild:\n  <<: *b\nobj: !!python/object:os.system x\n")
    assert sorted(p.code for p in problems) == ["R105", "R110"]


def test_syntax_error_is_located_in_the_file() -> None:
    doc, problems = _load("a: [1, 2\nb: 3\n", offset=1)
    assert doc is None
    assert problems[0].code == "R102"
    assert problems[0].span.line >= 2


def test_control_character_is_a_located_syntax_error() -> None:
    doc, problems = _load("a: b\nc: d\x07\n")
    assert doc is None
    assert (problems[0].code, problems[0].span.line, problems[0].span.column) == ("R102", 2, 5)


def test_a_tag_that_changes_the_value_is_refused_and_the_value_kept() -> None:
    doc, problems = _load('a: !!int "5"\nb: !secret text\nc: !!str plain\n')
    assert [(p.code, p.span.line) for p in problems] == [("R110", 1), ("R110", 2)]
    assert doc.data == {"a": "5", "b": "text", "c": "plain"}


def test_a_limit_drops_only_its_own_subtree() -> None:
    deep = "[" * 45 + "]" * 45
    doc, problems = _load(f"x: {deep}\ntitle: kept\n")
    assert [p.code for p in problems] == ["R104"]
    assert doc.data["title"] == "kept"


def test_unclosed_quote_is_reported_where_it_opens() -> None:
    _, problems = _load('a: 1\ntitle: "Alpha\nb: 2\nc: 3\n')
    assert (problems[0].code, problems[0].span.line, problems[0].span.column) == ("R102", 2, 8)


def test_numbers_follow_yaml_1_2() -> None:
    doc, problems = _load("pmid: 0123\ntime: 1:20\nhex: 0x1F\nsep: 1_000\nf: -.5e3\nn: ~\n")
    assert problems == []
    assert doc.data == {
        "pmid": 123,
        "time": "1:20",
        "hex": 31,
        "sep": "1_000",
        "f": -500.0,
        "n": None,
    }


def test_str_tag_keeps_the_text_it_asks_for() -> None:
    doc, problems = _load("title: !!str 2019\n")
    assert [p.code for p in problems] == ["R110"]
    assert doc.data == {"title": "2019"}
