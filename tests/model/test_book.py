"""The validated model of the real source: complete, positioned, and serialisable."""

from __future__ import annotations

from pipeline.model import Book, Bullet
from pipeline.validate import validate_source
from tests.helpers import SOURCE


def _book() -> Book:
    result = validate_source(SOURCE)
    assert result.book is not None, result.diagnostics
    return result.book


def _depth(bullets: list[Bullet]) -> int:
    return max((1 + _depth(b.children) for b in bullets), default=0)


def test_seed_chapter_has_its_sections_labels_and_figures() -> None:
    chapter = _book().chapters[0]
    assert chapter.meta.status == "draft"
    assert [s.title for s in chapter.sections] == ["Key Facts", "Terminology", "Imaging"]
    imaging = chapter.sections[2]
    mr = next(s for s in imaging.subsections if s.title == "MR Findings")
    assert [b.label for b in mr.bullets] == ["T1WI", "T2WI", "STIR", "DWI", "T1WI C+"]
    ct = next(s for s in imaging.subsections if s.title == "CT Findings")
    assert _depth(ct.bullets) == 3
    assert len(chapter.figures) == 4
    assert all(f.image_path is None and f.alt for f in chapter.figures)


def test_every_bullet_points_into_the_chapter_file() -> None:
    chapter = _book().chapters[0]
    lines = (SOURCE / chapter.span.path).read_text().splitlines()
    for section in chapter.sections:
        for subsection in section.subsections:
            for bullet in subsection.bullets:
                assert lines[bullet.span.line - 1].lstrip().startswith("- ")


def test_model_round_trips_through_json() -> None:
    book = _book()
    assert Book.model_validate_json(book.model_dump_json()) == book
