"""Images made of DICOM files are kept between runs, by content hash and settings.

Making one reads the file's pixels, windows, crops and resizes them; a run that finds the
same DICOM file (same bytes, same ``stat`` identity) with the same settings takes the image
it made last time from ``.monograph-cache/v1/media/``. A change of settings or file makes a
new one; an entry planted or copied from another checkout is never used; a damaged one is
made again; ``--no-cache`` keeps none.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline import media
from pipeline.lint import LintConfig
from pipeline.orchestrate.check import check_source
from tests.render.figure_book import CHAPTER, write_figure_book

MEDIA = Path(".monograph-cache") / "v1" / "media"


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the images made from pixels (``media.render`` calls) in this test."""
    calls: list[int] = []
    real = media.render

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(media, "render", counting)
    monkeypatch.setattr("pipeline.orchestrate.check.Store.RACY_NS", 0)
    return calls


def _figures(root: Path, cache: bool = True) -> dict[str, bytes]:
    """Each DICOM figure's image data, after a check of ``root`` (read back from the models)."""
    checked = check_source(root, LintConfig(), cache=cache)
    assert checked.valid, checked.validation
    book = checked.book()
    return {f.id: f.image.data for f in book.chapters[0].figures if f.image and f.image.dicom}


def test_a_second_run_takes_the_images_it_made(tmp_path: Path, made: list[int]) -> None:
    root = write_figure_book(tmp_path / "source")
    first = _figures(root)
    assert len(made) == 2 and len(list((root / MEDIA).glob("*.json"))) == 2
    made.clear()
    (root / "chapters" / f"{CHAPTER}.md").touch()  # the chapter is read again, its images not
    assert _figures(root) == first
    assert made == []


def test_new_settings_make_a_new_image(tmp_path: Path, made: list[int]) -> None:
    root = write_figure_book(tmp_path / "source")
    before = _figures(root)
    chapter = root / "chapters" / f"{CHAPTER}.md"
    chapter.write_text(chapter.read_text().replace("size: 768", "size: 640"))
    made.clear()
    after = _figures(root)
    assert made == [1]  # the CT only
    assert after["fig-nect-vertebral-sclerosis"] != before["fig-nect-vertebral-sclerosis"]


def test_an_entry_from_another_checkout_is_never_used(tmp_path: Path, made: list[int]) -> None:
    root = write_figure_book(tmp_path / "one")
    _figures(root)
    for entry in (root / MEDIA).glob("*.json"):  # plant a forged picture under the real key
        entry.write_text(entry.read_text().replace('"width": 768', '"width": 1'))
    copy = tmp_path / "two"
    shutil.copytree(root, copy)
    made.clear()
    images = _figures(copy)
    assert made == [1, 1]  # the copied entries match no file here: made again
    assert len(images["fig-nect-vertebral-sclerosis"]) > 1000


def test_a_damaged_entry_is_made_again(tmp_path: Path, made: list[int]) -> None:
    root = write_figure_book(tmp_path / "source")
    first = _figures(root)
    for entry in (root / MEDIA).glob("*.json"):
        entry.write_bytes(entry.read_bytes()[:40])
    (root / "chapters" / f"{CHAPTER}.md").touch()
    made.clear()
    assert _figures(root) == first
    assert made == [1, 1]


def test_without_the_cache_nothing_is_kept(tmp_path: Path, made: list[int]) -> None:
    root = write_figure_book(tmp_path / "source")
    _figures(root, cache=False)
    assert not (root / ".monograph-cache").exists()
