"""The render stage's parts on their own: stamp, plan, table, HTML, fonts, files, imports."""

from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path

import pytest

from pipeline.diagnostics import RENDERING, Diagnostic
from pipeline.model import Book
from pipeline.model.skeleton import KEY_FACTS
from pipeline.read.files import write_atomic
from pipeline.render.differential import differential_table
from pipeline.render.fonts import COMMON, FACES, STACKS, covered, is_covered
from pipeline.render.html import chapter_document, doi_url
from pipeline.render.inline import MARKERS
from pipeline.render.plan import END, plan_chapter
from pipeline.render.stamp import FALLBACK, StampError, build_stamp
from tests.helpers import REPO
from tests.render.conftest import RICH_CHAPTER, load, write_rich

RENDER = REPO / "pipeline" / "render"


@pytest.fixture
def rich_book(tmp_path: Path) -> tuple[Path, Book]:
    root = write_rich(tmp_path / "source")
    return root, load(root)


def test_stamp_from_epoch_then_source_then_fallback(rich_book: tuple[Path, Book]) -> None:
    _, book = rich_book
    assert build_stamp(book, "0").iso == "1970-01-01T00:00:00Z"
    assert build_stamp(book, " 1767225600 ").date == "2026-01-01"
    assert build_stamp(book, None).moment == dt.datetime(2025, 6, 30, tzinfo=dt.UTC)
    assert build_stamp(book, "").date == "2025-06-30"
    undated = book.model_copy(update={"chapters": [book.chapters[1]]})
    assert build_stamp(undated, None).moment == FALLBACK
    with pytest.raises(StampError, match="whole number"):
        build_stamp(book, "yesterday")


def test_plan_numbers_figures_and_references_in_reading_order(rich_book: tuple[Path, Book]) -> None:
    root, book = rich_book
    plan = plan_chapter(book.chapters[0], book.bibliography, number_prefix="1.")
    assert [(v.figure.id, v.number) for v in plan.figures.values()] == [
        ("fig-real-image", "1.1"),
        ("fig-caption-only", "1.2"),
        ("fig-never-cited", "1.3"),
    ]
    assert [v.figure.id for v in plan.placed[KEY_FACTS]] == ["fig-real-image", "fig-caption-only"]
    assert [v.figure.id for v in plan.placed[END]] == ["fig-never-cited"]
    assert [v.figure.id for v in plan.key_figures] == ["fig-real-image"]
    assert plan.figures["fig-real-image"].markers == tuple(MARKERS)
    assert plan.figures["fig-real-image"].image_uri == (root / "figures/real.png").as_uri()
    assert plan.figures["fig-caption-only"].image_uri is None
    listed = [(r.number, r.reference.key, r.cited) for r in plan.references]
    assert listed == [
        (1, "early2020", True),
        (2, "late2021", True),
        (3, "shared2018", True),
        (4, "never2019", False),
    ]


def test_differential_rows_follow_key_facts_then_dd(rich_book: tuple[Path, Book]) -> None:
    _, book = rich_book
    table = differential_table(book.chapters[0])
    assert [r.title for r in table.rows] == ["Plain disease", "Focal fat", "Third Thing"]
    assert [len(r.features) for r in table.rows] == [2, 1, 1]
    assert table.has_features
    plain = differential_table(book.chapters[1])
    assert plain.rows == () and not plain.has_features


def test_html_escapes_source_text_and_sets_language(rich_book: tuple[Path, Book]) -> None:
    _, book = rich_book
    report: list[Diagnostic] = []
    plan = plan_chapter(book.chapters[0], book.bibliography)
    html = chapter_document(book, plan, build_stamp(book, "0"), report)
    assert '<html lang="en-GB">' in html
    assert "Escaped &lt;b&gt;not bold&lt;/b&gt; &amp; ampersand" in html
    # The Key Facts bullet's last two words are tied (a no-break space): no one-word last line.
    assert "<code>code\u00a0&lt;x&gt;</code>" in html
    assert 'href="https://example.org/atlas?a=1&amp;b=2"' in html
    assert '<meta name="dcterms.created" content="1970-01-01T00:00:00Z">' in html
    assert report == []


def test_templates_never_mark_text_safe() -> None:
    for template in (RENDER / "templates").glob("*.j2"):
        text = template.read_text()
        assert not re.search(r"\|\s*safe|Markup|autoescape\s+false", text), template.name


def test_doi_addresses_are_quoted() -> None:
    assert doi_url("10.1002/(SICI)1097-0258") == "https://doi.org/10.1002/(SICI)1097-0258"
    assert doi_url("10.1000/a b#c") == "https://doi.org/10.1000/a%20b%23c"


def test_the_renderers_own_characters_are_in_the_fonts() -> None:
    css = (RENDER / "css" / "print.css").read_text()
    strings = re.findall(r'content:\s*"([^"]*)"', css)
    templates = "".join(p.read_text() for p in (RENDER / "templates").glob("*.j2"))
    own = "".join(strings) + "".join(glyph for glyph, _ in MARKERS.values()) + templates
    missing = sorted({c for c in own if c.isprintable() and not c.isspace() and not is_covered(c)})
    assert missing == []


def test_the_characters_assumed_covered_are_in_every_font_stack() -> None:
    # is_covered trusts COMMON without reading the fonts; the font files must agree.
    assert sorted(hex(c) for c in COMMON - covered()) == []
    assert not is_covered("\u0800") and not is_covered("\ue000")


def test_stylesheets_name_only_the_shipped_families() -> None:
    css = (RENDER / "css" / "print.css").read_text()
    named = set(re.findall(r'"(Monograph [A-Za-z]+)"', css))
    families = {face.family for face in FACES}
    assert named == families == {f for stack in STACKS.values() for f in stack}
    for face in FACES:
        assert face.path.is_file(), face.file
    licences = {p.name for p in (RENDER / "fonts").glob("*.txt")}
    assert licences == {"OFL-1.1.txt", "LICENSE-DejaVu.txt"}


def test_write_atomic_replaces_whole_files_and_cleans_up(tmp_path: Path) -> None:
    target = tmp_path / "a.pdf"
    target.write_bytes(b"old")
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    with pytest.raises(TypeError):
        write_atomic(target, "not bytes")  # type: ignore[arg-type]
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["a.pdf"]


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


@pytest.mark.parametrize("path", sorted(RENDER.glob("*.py")), ids=lambda p: p.stem)
def test_render_imports_only_the_model_diagnostics_and_itself(path: Path) -> None:
    ours = {n for n in _imports(path) if n == "pipeline" or n.startswith("pipeline.")}
    # The JSON export resolves terms with the registry's matcher (pipeline.terminology).
    allowed = ("pipeline.model", "pipeline.diagnostics", "pipeline.render", "pipeline.terminology")
    assert all(n == "pipeline" or n.startswith(allowed) for n in ours), ours


def test_the_design_note_lists_every_render_code() -> None:
    note = (REPO / "docs" / "rendering.md").read_text()
    for code in RENDERING:
        row = f"| {code.code} | {code.name} | {code.severity} |"
        assert row in note, row
    for image in (
        "pdf-chapter-handout",
        "pdf-key-facts-handout",
        "pdf-book-title-page",
        "pdf-book-chapter-opener",
        "epub-phone",
        "epub-phone-dark",
        "epub-tablet",
    ):
        assert f"images/{image}.png" in note and (REPO / "docs/images" / f"{image}.png").is_file()


def test_a_figure_two_captions_mention_is_numbered_once(tmp_path: Path) -> None:
    chapter = RICH_CHAPTER.replace(
        "Coronal radiograph.", "Coronal radiograph, as @fig-caption-only."
    ).replace("(@fig-real-image)", "(@fig-real-image, @fig-never-cited)")
    root = write_rich(tmp_path / "source", **{"chapters/rich.md": chapter})
    plan = plan_chapter(load(root).chapters[0])
    placed = [v.figure.id for v in plan.placed[KEY_FACTS]]
    assert placed == ["fig-real-image", "fig-never-cited", "fig-caption-only"]
    assert [v.number for v in plan.figures.values()] == ["1", "2", "3"]
    assert [v.figure.id for v in plan.key_figures] == ["fig-real-image", "fig-never-cited"]
    assert END not in plan.placed or plan.placed[END] == []
