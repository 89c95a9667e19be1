"""Whole-tree behaviour: encodings, status rules, shared files, and the model built."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from pipeline.diagnostics import Severity
from pipeline.validate import validate_source
from tests.conftest import BODY, BOOK, FRONT, chapter, write_tree


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("L", (1, 1)).save(buffer, format="PNG")
    return buffer.getvalue()


PNG = _png()
"""A whole 1 × 1 PNG: validation decodes each figure (F112 for a damaged one)."""


def _codes(root: Path) -> list[tuple[str, str, int]]:
    return [(d.code, d.span.path, d.span.line) for d in validate_source(root).diagnostics]


def test_bom_and_crlf_give_the_same_findings_as_lf(tmp_path: Path) -> None:
    text = chapter(front=FRONT.replace("draft", "drafft"), body=BODY.replace("A", "A <br>"))
    write_tree(lf := tmp_path / "lf", {"chapters/alpha.md": text})
    crlf = b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode()
    write_tree(other := tmp_path / "crlf", {"chapters/alpha.md": crlf})
    assert _codes(lf) == _codes(other)
    assert [c for c, _, _ in _codes(lf)] == ["V104", "S111"]


def test_review_chapter_is_warned_of_missing_sections_and_still_builds(tmp_path: Path) -> None:
    front = FRONT.replace("draft", "review").replace("    alt:", "    image: x.png\n    alt:")
    write_tree(tmp_path, {"chapters/alpha.md": chapter(front=front), "figures/x.png": PNG})
    result = validate_source(tmp_path)
    missing = [d for d in result.diagnostics if d.code == "S105"]
    assert missing and all(d.severity is Severity.WARNING for d in missing)
    assert result.book is not None


def test_published_chapter_missing_sections_is_an_error(tmp_path: Path) -> None:
    front = FRONT.replace("draft", "published") + "last_reviewed: 2026-01-05\n"
    write_tree(tmp_path, {"chapters/alpha.md": chapter(front=front)})
    result = validate_source(tmp_path)
    missing = {d.message.split(" is required")[0] for d in result.diagnostics if d.code == "S105"}
    assert "section 'Pathology'" in missing
    assert "subsection 'Key Facts › Top Differential Diagnoses'" in missing
    assert not result.ok and result.book is None


def test_shared_bibliography_resolves_citations(tmp_path: Path) -> None:
    bibliography = (
        "references:\n  - {key: roe2019, authors: [Roe R], title: T, journal: J, year: 2019}\n"
    )
    body = BODY.replace("[@doe2020]", "[@doe2020; @roe2019]")
    write_tree(
        tmp_path, {"bibliography.yaml": bibliography, "chapters/alpha.md": chapter(body=body)}
    )
    result = validate_source(tmp_path)
    assert result.diagnostics == []
    assert result.book is not None and [r.key for r in result.book.bibliography] == ["roe2019"]


def test_terminology_may_be_split_into_files(tmp_path: Path) -> None:
    part = "concepts:\n  - {id: alpha-concept, kind: diagnosis, preferred: alpha disease}\n"
    write_tree(tmp_path, {"terminology.yaml": None, "terminology/diagnoses.yaml": part})
    result = validate_source(tmp_path)
    assert result.diagnostics == []
    assert result.book is not None and result.book.terminology.concept("alpha-concept")


def test_chapters_follow_book_order_not_file_order(tmp_path: Path) -> None:
    beta = chapter(front=FRONT.replace("id: alpha", "id: beta"))
    book = BOOK.replace("  - alpha\n", "  - beta\n  - alpha\n")
    write_tree(tmp_path, {"book.yaml": book, "chapters/beta.md": beta})
    result = validate_source(tmp_path)
    assert result.book is not None, result.diagnostics
    assert [c.id for c in result.book.chapters] == ["beta", "alpha"]


def test_an_invalid_chapter_still_has_its_body_checked(tmp_path: Path) -> None:
    front = FRONT.replace("title: Alpha\n", "")
    body = BODY + "\n## Imagery\n\n- x\n"
    write_tree(tmp_path, {"chapters/alpha.md": chapter(front=front, body=body)})
    assert [c for c, _, _ in _codes(tmp_path)] == ["V101", "S101"]


def test_an_unusable_figure_list_does_not_make_references_dangle(tmp_path: Path) -> None:
    front = FRONT.replace("figures:\n", "figures: {a: 1}\nold_figures:\n")
    write_tree(tmp_path, {"chapters/alpha.md": chapter(front=front)})
    codes = [c for c, _, _ in _codes(tmp_path)]
    assert "V103" in codes and "X102" not in codes


def test_an_invalid_reference_is_still_citable(tmp_path: Path) -> None:
    front = FRONT.replace("year: 2020", "year: twenty")
    write_tree(tmp_path, {"chapters/alpha.md": chapter(front=front)})
    assert [c for c, _, _ in _codes(tmp_path)] == ["V103"]


def test_front_matter_that_is_not_a_mapping_is_one_finding(tmp_path: Path) -> None:
    write_tree(tmp_path, {"chapters/alpha.md": "---\n- a\n- b\n---\n"})
    assert _codes(tmp_path) == [("R108", "chapters/alpha.md", 2)]


def test_unknown_front_matter_field_suggests_every_known_field(tmp_path: Path) -> None:
    front = FRONT.replace("figures:", "figurs:")
    write_tree(tmp_path, {"chapters/alpha.md": chapter(front=front)})
    unknown = next(d for d in validate_source(tmp_path).diagnostics if d.code == "V102")
    assert unknown.hint == "Did you mean 'figures'?"


def test_a_table_is_named_as_a_table(tmp_path: Path) -> None:
    body = BODY + "\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    write_tree(tmp_path, {"chapters/alpha.md": chapter(body=body)})
    table = next(d for d in validate_source(tmp_path).diagnostics if d.code == "S107")
    assert table.message == "a table is not part of the format"


def test_a_dot_segment_in_a_figure_path_is_harmless(tmp_path: Path) -> None:
    arrow = "    annotations: [{marker: arrow, at: [0, 0], shows: the lesion}]\n"
    front = FRONT.replace("    alt:", f"    image: ./x.png\n{arrow}    alt:")
    write_tree(tmp_path, {"chapters/alpha.md": chapter(front=front), "figures/x.png": PNG})
    result = validate_source(tmp_path)
    assert result.diagnostics == []
    assert result.book is not None
    assert result.book.chapters[0].figures[0].image_path == "figures/x.png"


def test_an_empty_section_does_not_satisfy_a_published_chapter(tmp_path: Path) -> None:
    front = FRONT.replace("draft", "published") + "last_reviewed: 2026-01-05\n"
    write_tree(tmp_path, {"chapters/alpha.md": chapter(front=front, body=BODY + "\n# Pathology\n")})
    messages = [d.message for d in validate_source(tmp_path).diagnostics if d.code == "S105"]
    assert (
        "a subsection in 'Pathology' is required in a chapter with status 'published'" in messages
    )


def test_selected_references_cannot_hide_as_a_differential(tmp_path: Path) -> None:
    body = BODY + "\n# Differential Diagnosis\n\n## Selected References\n\n- Doe J. 2020\n"
    write_tree(tmp_path, {"chapters/alpha.md": chapter(body=body)})
    assert "S112" in [c for c, _, _ in _codes(tmp_path)]


def test_a_chapter_reference_may_not_shadow_the_bibliography(tmp_path: Path) -> None:
    bibliography = (
        "references:\n  - {key: doe2020, authors: [D], title: T, journal: J, year: 2020}\n"
    )
    write_tree(tmp_path, {"bibliography.yaml": bibliography})
    assert [c for c, _, _ in _codes(tmp_path)] == ["X105"]


def test_boolean_hint_is_spelt_as_yaml_spells_it(tmp_path: Path) -> None:
    write_tree(tmp_path, {"chapters/alpha.md": chapter(front=FRONT.replace("Alpha", "true"))})
    finding = validate_source(tmp_path).diagnostics[0]
    assert finding.hint == 'Quote it: title: "true".'
