"""Ids that would share an output path or an anchor, and ids too long for a file name.

Each case edits a copy of the seed (``source/``) and runs the real command: ``validate``
reports the code at the later id, naming the first, and ``build`` stops before writing
anything. The property test draws ids from a few words that make collisions likely and
checks that a book validation accepts gets distinct paths from the build's job plan and
distinct anchors from the renderers' chapter plans.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import assume, event, given, settings
from hypothesis import strategies as st

from pipeline.model.names import (
    artifacts,
    chapter_anchor,
    figure_anchor,
    reference_anchor,
    reference_anchor_owner,
)
from pipeline.model.types import MAX_ID
from pipeline.orchestrate.jobs import FORMATS, Context, plan_jobs
from pipeline.render.plan import plan_chapter
from pipeline.render.stamp import Stamp
from pipeline.validate import validate_source
from tests.conftest import BODY, BOOK, FRONT, TERMINOLOGY, chapter, write_tree
from tests.fuzz.profiles import BUDGET, FUZZ
from tests.helpers import EPOCH, build, edit, monograph, seed_copy

SEED = "blastic-osseous-metastases"
"""The seed's one chapter."""


def add_chapter(root: Path, chapter_id: str, *renames: tuple[str, str]) -> None:
    """Add a copy of the seed chapter as ``chapter_id``, ``renames`` applied, listed last."""
    text = (root / "chapters" / f"{SEED}.md").read_text(encoding="utf-8")
    text = text.replace(f"id: {SEED}\n", f"id: {chapter_id}\n", 1)
    for old, new in renames:
        text = text.replace(old, new)
    (root / "chapters" / f"{chapter_id}.md").write_text(text, encoding="utf-8")
    with (root / "book.yaml").open("a", encoding="utf-8") as book:
        book.write(f"  - {chapter_id}\n")


def line_of(root: Path, rel: str, text: str) -> int:
    """The line of ``rel`` on which ``text`` first appears."""
    content = (root / rel).read_text(encoding="utf-8")
    assert text in content, f"{text!r} is not in {rel}"
    return content[: content.index(text)].count("\n") + 1


def assert_refused(root: Path, tmp_path: Path, code: str, rel: str, line: int, *named: str) -> None:
    """``validate`` reports ``code`` at ``rel:line`` naming ``named``; ``build`` writes nothing."""
    run = monograph("validate", "--source", str(root))
    assert run.returncode == 1, run.stdout + run.stderr
    found = re.findall(rf"^{re.escape(str(root))}/(\S+?):(\d+):\d+: {code} error: (.*)$",
                       run.stdout, re.MULTILINE)  # fmt: skip
    assert [(p, int(n)) for p, n, _ in found] == [(rel, line)], run.stdout
    assert all(name in found[0][2] for name in named), found[0][2]
    out = tmp_path / "out"
    result = build(root, out)
    assert result.run.returncode == 1, result.run.stdout + result.run.stderr
    assert [(d.code, d.span.path, d.span.line) for d in result.diagnostics if d.code == code] == [
        (code, rel, line)
    ]
    written = [p for p in out.rglob("*") if p.is_file()] if out.exists() else []
    assert written == [], f"a refused build wrote {written}"


def test_the_seed_with_a_second_chapter_validates(tmp_path: Path) -> None:
    """The base of the cases below is clean: only the collision each one adds is reported."""
    root = seed_copy(tmp_path)
    add_chapter(root, "osteoblastic-lesions")
    run = monograph("validate", "--source", str(root))
    assert run.returncode == 0, run.stdout + run.stderr


def test_book_id_equal_to_a_chapter_id(tmp_path: Path) -> None:
    root = seed_copy(tmp_path)
    edit(root / "book.yaml", "id: spine-metastases", f"id: {SEED}")
    line = line_of(root, "book.yaml", f"  - {SEED}")
    assert_refused(root, tmp_path, "X112", "book.yaml", line,
                   f"'pdf/{SEED}.pdf'", "book PDF", "chapter handout")  # fmt: skip


def test_chapters_x_and_x_key_facts(tmp_path: Path) -> None:
    root = seed_copy(tmp_path)
    add_chapter(root, f"{SEED}-key-facts")
    line = line_of(root, "book.yaml", f"  - {SEED}-key-facts")
    assert_refused(root, tmp_path, "X112", "book.yaml", line, f"'pdf/{SEED}-key-facts.pdf'",
                   f"Key Facts handout of chapter '{SEED}'",
                   f"chapter handout of chapter '{SEED}-key-facts'")  # fmt: skip


def test_book_id_schema(tmp_path: Path) -> None:
    root = seed_copy(tmp_path)
    edit(root / "book.yaml", "id: spine-metastases", "id: schema")
    line = line_of(root, "book.yaml", "id: schema")
    assert_refused(root, tmp_path, "X112", "book.yaml", line,
                   "'json/schema.json'", "JSON Schema")  # fmt: skip


def test_figure_anchor_shared_across_chapters(tmp_path: Path) -> None:
    """Chapter a + fig-b-fig-c and chapter a-fig-b + fig-c both give a-fig-b-fig-c."""
    root = seed_copy(tmp_path)
    edit(root / f"chapters/{SEED}.md", "fig-nect-vertebral-sclerosis", "fig-nect-fig-sclerosis")
    second = f"{SEED}-fig-nect"
    add_chapter(root, second, ("fig-nect-fig-sclerosis", "fig-sclerosis"))
    rel = f"chapters/{second}.md"
    line = line_of(root, rel, "id: fig-sclerosis")
    assert_refused(root, tmp_path, "X113", rel, line, f"'{SEED}-fig-nect-fig-sclerosis'",
                   f"figure 'fig-nect-fig-sclerosis' of chapter '{SEED}'")  # fmt: skip


def test_too_long_chapter_id(tmp_path: Path) -> None:
    """A 245-character id: reported where written, not a failed write during the build."""
    root = seed_copy(tmp_path)
    long_id = "-".join(["spine"] * 41)
    assert len(long_id) == 245
    add_chapter(root, long_id)
    run = monograph("validate", "--source", str(root))
    assert run.returncode == 1, run.stdout + run.stderr
    expected = [
        ("book.yaml", line_of(root, "book.yaml", long_id)),
        (f"chapters/{long_id}.md", 2),
    ]
    found = re.findall(rf"^{re.escape(str(root))}/(\S+?):(\d+):\d+: V112 error: (.*)$",
                       run.stdout, re.MULTILINE)  # fmt: skip
    assert sorted((p, int(n)) for p, n, _ in found) == sorted(expected), run.stdout
    assert all("is 245 characters long" in message for _, _, message in found)
    assert "File name too long" not in run.stdout + run.stderr
    out = tmp_path / "out"
    result = build(root, out)
    assert result.run.returncode == 1
    assert "File name too long" not in result.run.stdout + result.run.stderr
    assert not out.exists() or [p for p in out.rglob("*") if p.is_file()] == []


@pytest.mark.parametrize("kind", ["book", "chapter", "figure", "reference"])
def test_ids_of_the_longest_length_pass_and_one_more_is_refused(tmp_path: Path, kind: str) -> None:
    """The edge of V112: an id or key of MAX_ID characters validates, one more is refused."""
    for length, refused in ((MAX_ID, False), (MAX_ID + 1, True)):
        root = tmp_path / f"{kind}-{length}"
        write_tree(root, _with_id(kind, "x" * length))
        result = validate_source(root)
        found = [(d.span.path, d.span.line) for d in result.diagnostics if d.code == "V112"]
        assert bool(found) == refused, (kind, length, result.diagnostics)
        assert result.ok != refused, result.diagnostics


def _with_id(kind: str, long: str) -> dict[str, str | bytes | None]:
    """The minimal tree with the ``kind`` id made ``long`` (prefix kept: ``fig-``)."""
    if kind == "book":
        return {"book.yaml": BOOK.replace("id: test-book", f"id: {long}")}
    if kind == "chapter":
        return {
            "book.yaml": BOOK.replace("  - alpha", f"  - {long}"),
            "chapters/alpha.md": None,
            f"chapters/{long}.md": chapter(FRONT.replace("id: alpha", f"id: {long}", 1)),
        }
    if kind == "figure":
        figure = "fig-" + long[4:]
        return {"chapters/alpha.md": chapter(FRONT.replace("fig-one", figure),
                                             BODY.replace("fig-one", figure))}  # fmt: skip
    key = long
    return {
        "chapters/alpha.md": chapter(FRONT.replace("doe2020", key), BODY.replace("doe2020", key))
    }


def test_the_longest_ids_give_usable_file_names() -> None:
    """The cap leaves room for the longest suffix the build adds to an id in a file name."""
    longest_id = "x" * MAX_ID
    names = [a.path.rsplit("/", 1)[-1] for a in artifacts(longest_id, [longest_id])]
    image = f"{figure_anchor(longest_id, 'fig-' + 'x' * (MAX_ID - 4))}.jpeg"  # EPUB image
    assert max(len(name.encode()) for name in [*names, image]) <= 200 < 255


def test_reference_anchors_parse_back() -> None:
    """The reserved-anchor check reads back exactly what ``reference_anchor`` writes."""
    for chapter_id in ("a", "a-ref-1", "x-fig-y", "ref"):
        for number in (1, 9, 10, 123):
            anchor = reference_anchor(chapter_id, number)
            assert reference_anchor_owner(anchor) == (chapter_id, number)
    assert reference_anchor_owner(chapter_anchor("a-ref")) is None
    assert reference_anchor_owner(figure_anchor("a", "fig-ref-1")) == ("a-fig", 1)


# --- the property: what validation accepts, the build names uniquely -----------------------

WORDS = ("a", "b", "fig", "ref", "1", "key", "facts", "schema", "description")
"""Words that make up the drawn ids: each can join with a neighbour into another id's name."""
slugs = st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map("-".join)

Drawn = tuple[str, list[tuple[str, list[str]]]]
"""A book id and its chapters, each an id and its figure ids."""


@st.composite
def books(draw: st.DrawFn) -> Drawn:
    """A book id and 2-3 chapters of 1-2 figures; later ids often grow out of earlier names.

    A grown id is an earlier name (id, path stem or anchor) cut at a ``-fig-``, or with a
    suffix the build adds (``-key-facts``, ``-ref-1``, ``-description``): the ways two ids
    meet in one name.
    """
    book_id = draw(slugs)
    names = [book_id]
    chapters: list[tuple[str, list[str]]] = []

    def grown(figure: bool) -> str:
        cuts = [(m.start(), n) for n in names for m in re.finditer("-fig-", n)]
        if figure:
            options = [n[at + 1 :] for at, n in cuts]
            options += [f"{n}-description" for n in names if n.startswith("fig-")]
        else:
            options = [n[:at] for at, n in cuts] + names
            options += [f"{n}-{suffix}" for n in names for suffix in ("key-facts", "ref-1")]
        if draw(st.integers(0, 3)) > 0 and options:  # grown three times in four
            return draw(st.sampled_from(options))
        return ("fig-" if figure else "") + draw(slugs)

    for _ in range(draw(st.integers(2, 3))):
        chapter_id = grown(figure=False)
        figures = list(dict.fromkeys(grown(figure=True) for _ in range(draw(st.integers(1, 2)))))
        chapters.append((chapter_id, figures))
        names += [chapter_id, *figures, *(figure_anchor(chapter_id, f) for f in figures)]
    return book_id, chapters


def _chapter(chapter_id: str, figures: list[str]) -> str:
    entries = "".join(f"  - {{id: '{f}', alt: An image., caption: An image.}}\n" for f in figures)
    refs = " ".join(f"(@{f})" for f in figures)
    front = (f"id: '{chapter_id}'\ntitle: T\nconcept: alpha-concept\nstatus: draft\n"
             f"figures:\n{entries}references:\n  - {{key: doe2020, authors: [Doe J],"
             f" title: T, journal: J, year: 2020}}\n")  # fmt: skip
    return f"---\n{front}---\n\n# Key Facts\n\n## Imaging\n\n- A finding [@doe2020] {refs}\n"


@settings(FUZZ, max_examples=BUDGET.validate)
@given(drawn=books())
def test_distinct_ids_never_share_a_name_unreported(
    tmp_path_factory: pytest.TempPathFactory, drawn: Drawn
) -> None:
    """What validation accepts, the build's plan and the renderers name apart; X112 is exact."""
    book_id, chapters = drawn
    ids = [book_id, *(c for c, _ in chapters), *(f for _, fs in chapters for f in fs)]
    assume(len({c for c, _ in chapters}) == len(chapters))  # a chapter listed twice is X105
    assume(all(len(i) <= MAX_ID for i in ids))
    root = _tree(tmp_path_factory, book_id, chapters)
    result = validate_source(root)
    errors = {d.code for d in result.diagnostics if d.severity == "error"}
    assert errors <= {"X112", "X113"}, result.diagnostics
    documented = [f"pdf/{book_id}.pdf", f"epub/{book_id}.epub", f"json/{book_id}.json",
                  "json/schema.json"]  # fmt: skip
    documented += [p for c, _ in chapters for p in (f"pdf/{c}.pdf", f"pdf/{c}-key-facts.pdf")]
    shared = len(documented) != len(set(documented))
    event(f"refused: {', '.join(sorted(errors))}" if errors else "accepted")
    assert ("X112" in errors) == shared, (documented, result.diagnostics)
    if result.book is None:
        assert errors, "validation refused the book without saying why"
        return
    # Accepted: the build's own job plan and the renderers' own anchors are all distinct.
    context = Context(result.book, Stamp(dt.datetime.fromtimestamp(int(EPOCH), dt.UTC)), "a4")
    paths = [job.path for job in plan_jobs(context, FORMATS)]
    assert len(paths) == len(set(paths)), paths
    in_book: list[str] = []
    for listed in result.book.chapters:
        plan = plan_chapter(listed, result.book.bibliography)
        figures = [view.anchor for view in plan.figures.values()]
        in_book += [plan.prefix, *figures, *(ref.anchor for ref in plan.references)]
        in_chapter = [*figures, *(view.description_anchor for view in plan.figures.values())]
        assert len(in_chapter) == len(set(in_chapter)), in_chapter
    assert len(in_book) == len(set(in_book)), in_book


def _tree(
    factory: pytest.TempPathFactory, book_id: str, chapters: list[tuple[str, list[str]]]
) -> Path:
    root = factory.mktemp("source")
    listing = "".join(f"  - '{c}'\n" for c, _ in chapters)  # quoted: '1' is not a number
    book = BOOK.replace("id: test-book", f"id: '{book_id}'").replace("  - alpha\n", listing)
    (root / "book.yaml").write_text(book, encoding="utf-8")
    (root / "terminology.yaml").write_text(TERMINOLOGY, encoding="utf-8")
    (root / "chapters").mkdir()
    (root / "figures").mkdir()
    for chapter_id, figures in chapters:
        path = root / "chapters" / f"{chapter_id}.md"
        path.write_text(_chapter(chapter_id, figures), encoding="utf-8")
    return root
