"""Paths from the source never leave their folders: figure paths, chapter and book ids.

Figure paths are refused (F101) when they could leave ``source/figures/``, and a name that
only looks hostile (a literal ``%252e``) names a file inside it. Chapter and book ids name the
output files; they are slugs, so no id can write outside the output folder.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pydantic import ValidationError

from pipeline.model.source import BookSource, ChapterFrontMatter
from pipeline.orchestrate.jobs import plan_jobs
from tests.fuzz.invariants import check_build, validate_and_lint
from tests.helpers import SOURCE, build

CHAPTER = "chapters/blastic-osseous-metastases.md"
FIGURE = "  - id: fig-nect-vertebral-sclerosis\n"

HOSTILE_PATHS = [
    "../book.yaml",
    "../../../../etc/passwd",
    "a/../../book.yaml",
    "/etc/passwd",
    "~/.ssh/id_rsa",
    "~root/.profile",
    "C:\\\\Windows\\\\win.ini",
    "C:/Windows/win.ini",
    "c:x.png",
    "\\\\\\\\server\\\\share\\\\x.png",
    "//server/share/x.png",
    "file:///etc/passwd",
    "http://127.0.0.1/x.png",
    "data:image/png;base64,iVBORw0KGgo=",
    "%2e%2e/book.yaml",
    "%2E%2E%2Fbook.yaml",
    "..%2fbook.yaml",
    "a//b.png",
    "",
    ".",
    "..",
    "x.png\\u0000.txt",
]


@pytest.mark.parametrize("path", HOSTILE_PATHS)
def test_a_figure_path_that_could_leave_the_figures_folder_is_refused(
    path: str, tmp_path: Path
) -> None:
    root = tmp_path / "source"
    shutil.copytree(SOURCE, root)
    chapter = root / CHAPTER
    image = f'    image: "{path}"\n'
    chapter.write_text(chapter.read_text().replace(FIGURE, FIGURE + image, 1))
    status, found = validate_and_lint(root)
    codes = {d.code for d in found}
    # V110: an empty path; R114: NUL, which YAML can write as an escape
    assert status == 1 and codes & {"F101", "V110", "R114"}, found


@pytest.mark.parametrize("name", ["%252e%252e", "．．", "..."])
def test_a_name_that_only_looks_hostile_is_a_file_inside_the_folder(
    name: str, tmp_path: Path
) -> None:
    root = tmp_path / "source"
    shutil.copytree(SOURCE, root)
    chapter = root / CHAPTER
    image = f'    image: "{name}/x.png"\n'
    chapter.write_text(chapter.read_text().replace(FIGURE, FIGURE + image, 1))
    _, found = validate_and_lint(root)
    assert [d.code for d in found if d.code.startswith("F")] == ["F102"], found


HOSTILE_IDS = ["../escape", "../../tmp/x", "/tmp/x", "a/b", "..", ".", "a\\b", "C:x", "con.pdf",
               "x\u0000y", "ａｂｃ", "Alpha", "a_b", "-a", "a-", "a--b", " a", "a\n"]  # fmt: skip


@pytest.mark.parametrize("bad", HOSTILE_IDS)
def test_an_id_that_is_not_a_slug_is_refused_by_the_model(bad: str) -> None:
    with pytest.raises(ValidationError):
        ChapterFrontMatter(id=bad, title="T", concept="c", status="draft")
    with pytest.raises(ValidationError):
        BookSource(
            id=bad, title="T", language="en", version="1", editors=[{"name": "E"}],
            publisher="P", license="L", chapters=["a"],
        )  # fmt: skip


@pytest.mark.parametrize("bad", ["../escape", "a/b", ".."])
def test_a_hostile_chapter_id_builds_nothing_anywhere(bad: str, tmp_path: Path) -> None:
    root = tmp_path / "source"
    shutil.copytree(SOURCE, root)
    chapter = root / CHAPTER
    chapter.write_text(chapter.read_text().replace(
        "id: blastic-osseous-metastases", f'id: "{bad}"', 1))  # fmt: skip
    book = root / "book.yaml"
    book.write_text(book.read_text().replace("  - blastic-osseous-metastases", f'  - "{bad}"'))
    before = sorted(p for p in tmp_path.rglob("*"))
    made = build(root, tmp_path / "out" / "inner", formats=("json", "epub"), in_process=True)
    assert {"V105"} <= {d.code for d in check_build(made).diagnostics}
    assert sorted(p for p in tmp_path.rglob("*")) == before, "a file appeared"


def test_every_output_path_of_a_valid_book_stays_inside_the_output_folder(
    tmp_path: Path,
) -> None:
    from pipeline.orchestrate.jobs import Context
    from pipeline.render.stamp import build_stamp
    from pipeline.validate import validate_source

    book = validate_source(SOURCE).book
    assert book is not None
    context = Context(book, build_stamp(book, "0"), "a4")
    out = (tmp_path / "out").resolve()
    for job in plan_jobs(context, ("pdf", "epub", "json")):
        target = (out / job.path).resolve()
        assert target.is_relative_to(out) and ".." not in Path(job.path).parts, job.path
