"""The study deck in Anki itself: the ``anki`` package (Anki's own backend) imports what we build.

A trainee's collection is a fresh one here: the deck is imported, a card is studied, the
chapter is edited and committed, the deck rebuilt and imported again. The source lives in a
git repository of its own, as editors keep it, so the notes are dated by their lines' commits.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
from anki.import_export_pb2 import ImportResponse
from anki.scheduler_pb2 import CardAnswer

from tests.helpers import SOURCE, build, edit
from tests.render.figure_book import write_figure_book

BOOK = "spine-metastases"
CHAPTER = "chapters/blastic-osseous-metastases.md"
FIRST, SECOND = 1_760_000_000, 1_760_086_400
"""Commit times (seconds) of the first version of the source and of the edit."""


def _commit(repo: Path, when: int, message: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": f"{when} +0000", "GIT_COMMITTER_DATE": f"{when} +0000",
           "GIT_AUTHOR_NAME": "Editor", "GIT_AUTHOR_EMAIL": "editor@example.org",
           "GIT_COMMITTER_NAME": "Editor", "GIT_COMMITTER_EMAIL": "editor@example.org"}  # fmt: skip
    for args in (["add", "-A"], ["commit", "-q", "-m", message]):
        subprocess.run(["git", *args], cwd=repo, env=env, check=True)


def _repository(tmp_path: Path, source: Path) -> Path:
    repo = tmp_path / "book"
    shutil.copytree(source, repo / "source", ignore=shutil.ignore_patterns(".monograph-cache"))
    (repo / ".gitignore").write_text(".monograph-cache/\n")
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, check=True)
    _commit(repo, FIRST, "the monograph")
    return repo / "source"


def _deck(source: Path, out: Path) -> Path:
    build(source, out, formats=["anki"], epoch=None, check=True)  # dated by git, no epoch
    return out / "anki" / f"{BOOK}.apkg"


def _import(collection: Collection, package: Path) -> ImportResponse:
    request = ImportAnkiPackageRequest(
        package_path=str(package), options=ImportAnkiPackageOptions(with_scheduling=True)
    )
    return collection.import_anki_package(request)


def _seen(html: str) -> str:
    """What a card shows as text: no style sheet, tags or attributes; entities read."""
    body = re.sub(r"<style>.*?</style>", "", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", body)).split())


@pytest.fixture
def collection(tmp_path: Path) -> Iterator[Collection]:
    (tmp_path / "trainee").mkdir()
    made = Collection(str(tmp_path / "trainee" / "collection.anki2"))
    yield made
    made.close()


def test_anki_imports_the_seed_deck_with_its_notes_cards_and_tags(
    tmp_path: Path, collection: Collection
) -> None:
    package = _deck(_repository(tmp_path, SOURCE), tmp_path / "out")
    log = _import(collection, package).log
    assert (len(log.new), len(log.updated), len(log.duplicate)) == (14, 0, 0)
    # 6 key facts and the differentials: a card each; 7 term pairs asked both ways
    assert (collection.note_count(), collection.card_count()) == (14, 21)
    (nid,) = collection.find_notes('"deck:Imaging of Spinal Metastases::*::Imaging"')
    note = collection.get_note(nid)
    asked = "Lesions follow the red marrow: {{c1::lumbar &gt; thoracic &gt; cervical}}"
    where = "Blastic Osseous Metastases › Key Facts › Imaging"
    assert note.fields == [asked, "", where, "DRAFT"]
    assert sorted(note.tags) == ["chapter::blastic-osseous-metastases", "kind::key-fact",
                                 "section::imaging", "status::draft"]  # fmt: skip
    card = note.cards()[0]
    front, back = _seen(card.question()), _seen(card.answer())
    assert front == "DRAFT Lesions follow the red marrow: [...]"
    assert back == ("DRAFT Lesions follow the red marrow: lumbar > thoracic > cervical "
                    "Blastic Osseous Metastases › Key Facts › Imaging")  # fmt: skip
    names = sorted(collection.decks.all_names_and_ids(), key=lambda d: d.name)
    assert [d.name for d in names if d.name.startswith("Imaging")][:3] == [
        "Imaging of Spinal Metastases",
        "Imaging of Spinal Metastases::Blastic Osseous Metastases",
        "Imaging of Spinal Metastases::Blastic Osseous Metastases::Differentials",
    ]


def test_a_figure_reaches_anki_with_its_image_and_its_markers_only_on_the_back(
    tmp_path: Path, collection: Collection
) -> None:
    source = _repository(tmp_path, write_figure_book(tmp_path / "figures"))
    log = _import(collection, _deck(source, tmp_path / "out")).log
    assert len(log.new) == 18  # the 14 of the seed and 4 figures
    media = Path(collection.media.dir())
    stored = sorted(p.name for p in media.iterdir())
    assert len(stored) == 4 and all(n.startswith("blastic-osseous-metastases-fig-") for n in stored)
    (nid,) = collection.find_notes('"Question:What do the asterisk and the arrowhead show?"')
    card = collection.get_note(nid).cards()[0]
    assert "<img src=" in card.question() and "<svg" not in card.question()
    assert "<svg" in card.answer() and "Asterisk: the brightest part of the oval." in card.answer()


def test_reimporting_after_an_edit_updates_that_note_alone_and_keeps_its_history(
    tmp_path: Path, collection: Collection
) -> None:
    source = _repository(tmp_path, SOURCE)
    _import(collection, _deck(source, tmp_path / "out"))
    (nid,) = collection.find_notes('"deck:*::Clinical Issues" "Text:*90%*"')
    card = collection.get_note(nid).cards()[0]
    card.start_timer()
    states = collection._backend.get_scheduling_states(card.id)
    answer = collection.sched.build_answer(card=card, states=states, rating=CardAnswer.GOOD)
    collection.sched.answer_card(answer)  # the trainee studies the card once

    edit(
        source / CHAPTER,
        "3× as common as\n  cervical ones",
        "three times as common as\n  cervical ones",
    )
    _commit(source.parent, SECOND, "wording of a key fact")
    log = _import(collection, _deck(source, tmp_path / "out")).log

    assert (len(log.new), len(log.updated), len(log.duplicate)) == (0, 1, 13)
    assert [n.id.nid for n in log.updated] == [nid]
    assert collection.get_note(nid).fields[0] == (
        "{{c1::90%}} of prostate carcinoma metastases reach the spine; lumbar deposits are "
        "three times as common as cervical ones"
    )
    assert collection.note_count() == 14
    again = collection.get_card(card.id)  # the same card, its history with it
    assert again.nid == nid and again.reps == 1
    assert collection.db.scalar("SELECT count() FROM revlog WHERE cid = ?", card.id) == 1
    assert "three times as common" in again.answer()
    with zipfile.ZipFile(tmp_path / "out" / "anki" / f"{BOOK}.apkg") as package:
        members = b"".join(package.read(name) for name in package.namelist())
    assert b"editor@example.org" not in members and b"Editor" not in members


def test_an_edit_not_yet_committed_is_newer_too(tmp_path: Path, collection: Collection) -> None:
    source = _repository(tmp_path, SOURCE)
    _import(collection, _deck(source, tmp_path / "out"))
    edit(source / CHAPTER, "Pain that progresses: axial, referred or radicular",
         "Pain that progresses: axial, referred, or radicular")  # fmt: skip
    log = _import(collection, _deck(source, tmp_path / "out")).log
    assert (len(log.new), len(log.updated)) == (0, 1)
