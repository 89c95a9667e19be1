"""Each study note is dated by the newest commit among its own source lines (git blame)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from pipeline.orchestrate.history import note_dates, source_commit
from pipeline.render.stamp import Stamp
from pipeline.render.study import study_deck
from pipeline.validate import validate_source
from tests.helpers import SOURCE, edit
from tests.orchestrate.test_study_deck_anki import CHAPTER, FIRST, SECOND, _commit, _repository

STAMP = Stamp(dt.datetime.fromtimestamp(SECOND, dt.UTC))
"""The build's stamp: the second commit's time."""


def _dates(source: Path) -> dict[str, int]:
    book = validate_source(source).book
    assert book is not None
    deck = study_deck(book)
    found = note_dates(source, deck.notes, STAMP)
    return {f"{n.kind}:{n.fields[0][:24]}": found[n.guid] for n in deck.notes if n.guid in found}


def test_an_edit_dates_the_notes_of_the_lines_it_touched_and_no_other(tmp_path: Path) -> None:
    source = _repository(tmp_path, SOURCE)
    first = source_commit(source)
    assert set(_dates(source).values()) == {FIRST}
    # the second line of a two-line bullet, and one registry entry's expansion
    edit(source / CHAPTER, "  cervical ones", "  cervical deposits")
    edit(
        source / "terminology.yaml", "short tau inversion recovery", "short-tau inversion recovery"
    )
    _commit(source.parent, SECOND, "two edits")
    dates = _dates(source)
    assert {name for name, when in dates.items() if when == SECOND} == {
        "key-fact:{{c1::90%}} of prostate ",
        "abbreviation:STIR",
    }
    assert len(dates) == 14 and source_commit(source) not in ("", first)


def test_a_line_not_yet_committed_is_a_second_after_the_stamp(tmp_path: Path) -> None:
    source = _repository(tmp_path, SOURCE)
    edit(source / CHAPTER, "- Osteosarcoma", "- Osteosarcoma (rare)")
    dates = _dates(source)
    assert dates["differentials:Top differential diagnos"] == SECOND + 1
    assert sorted(set(dates.values())) == [FIRST, SECOND + 1]


def test_outside_git_nothing_is_dated_and_the_deck_uses_the_stamp(tmp_path: Path) -> None:
    source = tmp_path / "source"
    shutil.copytree(SOURCE, source)
    assert _dates(source) == {} and source_commit(source) == ""
