"""The study deck's notes, made from the model: kinds, what each card asks, identity, drafts.

What Anki makes of the package (import, counts, media, re-import) is tested with Anki's own
backend in ``tests/orchestrate/test_study_deck_anki.py``.
"""

from __future__ import annotations

import datetime as dt
import io
import sqlite3
import zipfile
from pathlib import Path

import pytest

from pipeline.model import Book
from pipeline.render.apkg import write_apkg
from pipeline.render.stamp import Stamp
from pipeline.render.study import Note, StudyDeck, study_deck
from pipeline.validate import validate_source
from tests.helpers import SOURCE, edit, monograph_in_process, seed_copy
from tests.render.figure_book import write_figure_book

CHAPTER = "chapters/blastic-osseous-metastases.md"
STAMP = Stamp(dt.datetime(2026, 11, 25, tzinfo=dt.UTC))


def _book(root: Path) -> Book:
    result = validate_source(root)
    assert result.book is not None, result.diagnostics
    return result.book


@pytest.fixture(scope="module")
def seed() -> StudyDeck:
    return study_deck(_book(SOURCE))


def _fact(deck: StudyDeck, line: int) -> Note:
    (note,) = [n for n in deck.notes if n.kind == "key-fact" and n.lines[1] == line]
    return note


def test_the_seed_deck_has_each_kind_of_note(seed: StudyDeck) -> None:
    counts = {kind: seed.count(kind) for kind in ("key-fact", "differentials", "synonyms",
                                                  "abbreviation", "figure")}  # fmt: skip
    # Seed figures have no image file: no figure note until a figure is a real image.
    assert counts == {"key-fact": 6, "differentials": 1, "synonyms": 1, "abbreviation": 6,
                      "figure": 0}  # fmt: skip
    assert seed.title == "Imaging of Spinal Metastases"


@pytest.mark.parametrize(
    ("line", "text"),
    [
        # a lead-in and its value: the value is asked
        (52, "Lesions follow the red marrow: {{c1::lumbar &gt; thoracic &gt; cervical}}"),
        # a number with its unit
        (
            76,
            "{{c1::90%}} of prostate carcinoma metastases reach the spine; lumbar deposits "
            "are 3× as common as cervical ones",
        ),
        # a definition under Key Facts > Terminology asks for the subject it defines
        (
            46,
            "{{c1::Blastic osseous metastases}}: Spinal spread of a primary tumor in which "
            "new bone formation outpaces bone destruction",
        ),
    ],
)
def test_each_key_fact_hides_the_answer_its_rule_chooses(
    seed: StudyDeck, line: int, text: str
) -> None:
    assert _fact(seed, line).fields[0] == text


def test_a_registered_term_is_asked_and_a_figure_number_never_is(tmp_path: Path) -> None:
    root = seed_copy(tmp_path)
    chapter = root / CHAPTER
    edit(chapter, "- Several osteoblastic lesions in the spine", "- Looks like hemangioma here")
    deck = study_deck(_book(root))
    assert _fact(deck, 50).fields[0] == "Looks like {{c1::hemangioma}} here"
    # "Sclerotic deposits usually take up tracer on bone scan (Figure 1.1)": nothing to ask
    assert f"{CHAPTER}:54:1" in deck.unasked
    edit(chapter, "take up tracer on bone scan", "take up tracer within 3 hours on bone scan")
    (note,) = [n for n in study_deck(_book(root)).notes if n.lines[1] == 54]
    assert note.fields[0] == (
        "Sclerotic deposits usually take up tracer within {{c1::3 hours}} on bone scan (Figure 1.1)"
    )


def test_a_child_bullet_shows_the_bullet_it_stands_under(tmp_path: Path) -> None:
    root = seed_copy(tmp_path)
    edit(root / CHAPTER, "  - Osteolytic tumor or a soft tissue mass may be present alongside them",
         "  - Seen in 30% of patients")  # fmt: skip
    note = _fact(study_deck(_book(root)), 51)
    assert note.fields[:2] == (
        "Seen in {{c1::30%}} of patients",
        "Several osteoblastic lesions in the spine",
    )


def test_the_differentials_note_lists_the_key_facts_differentials_in_order(
    seed: StudyDeck,
) -> None:
    (note,) = [n for n in seed.notes if n.kind == "differentials"]
    assert note.fields[0] == "Top differential diagnoses of blastic osseous metastases"
    assert note.fields[1] == (
        "<ol><li>Treated metastases</li><li>Discogenic sclerosis</li><li>Hemangioma</li>"
        "<li>Paget disease</li><li>Osteosarcoma</li></ol>"
    )
    assert note.fields[2] == "Blastic Osseous Metastases › Key Facts › Top Differential Diagnoses"


def test_terminology_notes_pair_terms_and_take_only_abbreviations_worth_learning(
    seed: StudyDeck,
) -> None:
    pairs = {n.fields[0]: n.fields[1] for n in seed.notes if n.kind in ("synonyms", "abbreviation")}
    assert pairs["blastic osseous metastases"] == (
        "sclerotic metastases, osteosclerotic metastases, osteoblastic metastases"
    )
    # expand-at-first-use ones, and house-standard ones marked study: true; never CT or MR
    assert set(pairs) - {"blastic osseous metastases"} == {
        "GI",
        "HU",
        "FDG",
        "STIR",
        "DWI",
        "FLAIR",
    }


def test_tags_and_the_back_cite_chapter_section_and_status(seed: StudyDeck) -> None:
    note = _fact(seed, 52)
    assert note.tags == ("chapter::blastic-osseous-metastases", "status::draft",
                         "section::imaging", "kind::key-fact")  # fmt: skip
    assert note.fields[2] == "Blastic Osseous Metastases › Key Facts › Imaging"
    assert note.fields[3] == "DRAFT"
    assert note.deck == ("Blastic Osseous Metastases", "Key Facts", "Imaging")


def test_draft_chapters_can_be_left_out_and_others_carry_no_badge(
    tmp_path: Path,
) -> None:
    book = _book(SOURCE)
    left = study_deck(book, drafts="exclude")
    assert {n.kind for n in left.notes} == {"synonyms", "abbreviation"}
    root = write_figure_book(tmp_path / "source")  # a chapter in review needs its images
    edit(root / CHAPTER, "status: draft", "status: review")
    reviewed = study_deck(_book(root), drafts="exclude")
    assert reviewed.count("key-fact") == 6
    assert {n.fields[3] for n in reviewed.notes if n.kind == "key-fact"} == {""}
    assert {n.tags[1] for n in reviewed.notes if n.kind != "abbreviation"} >= {"status::review"}
    assert "status::draft" not in {t for n in reviewed.notes for t in n.tags}


def _guids(root: Path) -> dict[int, str]:
    return {n.lines[1]: n.guid for n in study_deck(_book(root)).notes if n.kind == "key-fact"}


def test_a_typo_fix_keeps_the_note_and_a_rewritten_fact_is_a_new_one(tmp_path: Path) -> None:
    root = seed_copy(tmp_path)
    before = _guids(root)
    chapter = root / CHAPTER
    edit(chapter, "lumbar deposits are 3× as common", "lumbar deposits are thrice as common")
    edit(chapter, "Pain that progresses: axial, referred or radicular",
         "Pain that progresses: axial, refered or radicular")  # fmt: skip
    typo = _guids(root)
    assert typo[76] == before[76] and typo[74] == before[74]
    edit(chapter, "90% of prostate", "80% of prostate")  # another number: another fact
    edit(chapter, "axial, refered or radicular", "axial or radicular")  # an item dropped
    rewritten = _guids(root)
    assert rewritten[76] != before[76] and rewritten[74] != before[74]
    assert rewritten[52] == before[52]  # the others stay


def _collection(data: bytes) -> sqlite3.Connection:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert package.namelist()[:2] == ["collection.anki2", "media"]
        database = package.read("collection.anki2")
    connection = sqlite3.connect(":memory:")
    connection.deserialize(database)
    return connection


def test_the_package_dates_each_note_as_asked_and_the_rest_by_the_stamp(seed: StudyDeck) -> None:
    dated = seed.notes[0].guid
    connection = _collection(write_apkg(seed, STAMP, {dated: 1_800_000_000}))
    times = dict(connection.execute("SELECT guid, mod FROM notes"))
    assert times.pop(dated) == 1_800_000_000
    assert set(times.values()) == {int(STAMP.moment.timestamp())}
    assert len(times) + 1 == len(seed.notes)


def test_the_package_is_the_same_bytes_whatever_the_clock_and_zone(
    seed: StudyDeck, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = write_apkg(seed, STAMP, {})
    monkeypatch.setenv("TZ", "Asia/Kolkata")
    monkeypatch.setattr("time.time", lambda: 2_000_000_000.0)
    assert write_apkg(study_deck(_book(SOURCE)), STAMP, {}) == first
    with zipfile.ZipFile(io.BytesIO(first)) as package:
        assert {info.date_time for info in package.infolist()} == {(2026, 11, 25, 0, 0, 0)}


def test_a_figure_note_hides_its_markers_then_shows_them_with_the_caption(
    tmp_path: Path,
) -> None:
    deck = study_deck(_book(write_figure_book(tmp_path / "source")))
    figures = [n for n in deck.notes if n.kind == "figure"]
    assert len(figures) == 4
    note = next(n for n in figures if "radiograph" in n.media[0].name)
    image, question, shown, caption = note.fields[:4]
    assert image.startswith(
        '<img src="blastic-osseous-metastases-fig-radiograph-diffuse-sclerosis.'
    )
    assert "<svg" not in image and "<svg" in shown and image in shown
    assert question == "What do the asterisk and the arrowhead show?"
    assert "Asterisk: the brightest part of the oval." in caption
    # numbered as printed: the bone scan, which Key Facts cites, is Figure 1.1
    assert note.fields[4] == "Blastic Osseous Metastases › Figure 1.2"
    assert note.media[0].data[:4] in (b"\x89PNG", b"\xff\xd8\xff\xe0", b"\xff\xd8\xff\xdb")


def test_monograph_deck_counts_the_notes_prints_the_cards_and_names_the_unasked(
    tmp_path: Path,
) -> None:
    run = monograph_in_process("deck", "--cards", "--no-cache", "--source", str(SOURCE))
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    counts = [line.split() for line in lines if not line.startswith((" ", "chapters/"))]
    assert counts == [["key-fact", "6", "notes", "6", "cards"],
                      ["differentials", "1", "notes", "1", "cards"],
                      ["synonyms", "1", "notes", "2", "cards"],
                      ["abbreviation", "6", "notes", "12", "cards"],
                      ["figure", "0", "notes", "0", "cards"]]  # fmt: skip
    assert "  Q: [DRAFT] Lesions follow the red marrow: [...]" in lines
    assert ("  A: Lesions follow the red marrow: lumbar > thoracic > cervical "
            "(Blastic Osseous Metastases › Key Facts › Imaging)") in lines  # fmt: skip
    assert (
        f"{CHAPTER}:50:1: a Key Facts bullet with no label, registered term or number: no card"
        in lines
    )
    broken = seed_copy(tmp_path)
    edit(broken / CHAPTER, "status: draft", "status: drafty")
    refused = monograph_in_process("deck", "--no-cache", "--source", str(broken))
    assert refused.returncode == 1 and f"{CHAPTER}:5:9: V" in refused.stdout


def test_markup_in_the_source_reaches_a_card_as_text(tmp_path: Path) -> None:
    root = write_figure_book(tmp_path / "source")
    hostile = "<img src=x onerror=alert(1)> & <script>alert(2)</script>"
    edit(root / CHAPTER, "shows: the brightest part of the oval", f"shows: '{hostile}'")
    edit(root / "terminology.yaml", "expansion: gastrointestinal", f"expansion: '{hostile}'")
    deck = study_deck(_book(root))
    fields = [field for note in deck.notes for field in note.fields]
    assert not any("<img src=x" in f or "<script" in f for f in fields)
    escaped = "&lt;img src=x onerror=alert(1)&gt; &amp; &lt;script&gt;alert(2)&lt;/script&gt;"
    assert sum(escaped in f for f in fields) == 2  # the figure's caption, the abbreviation
