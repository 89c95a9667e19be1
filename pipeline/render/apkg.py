"""The study deck as an Anki package (``.apkg``): genanki's collection, written deterministically.

genanki builds the collection (its schema, note types, decks, notes and cards); this module
writes it the way a reproducible build needs. The SQLite database is built in memory, never
in a temporary file; every time in it comes from the build (the note types' and decks' from
the stamp, each note's from ``dates``: the newest commit among its source lines, so that
re-importing a rebuilt deck updates only the notes whose lines changed); note and card ids
count up from the stamp; the zip's entries are in a fixed order with fixed timestamps.

Note types and decks have fixed ids, derived from their names: a newer deck imported over an
older one finds its note types and decks again, and Anki matches notes by GUID
(``study.guid``), so a trainee's scheduling history stays with each card.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import json
import sqlite3
import warnings
import zipfile
from collections.abc import Mapping

import genanki  # type: ignore[import-untyped]
from genanki.apkg_col import APKG_COL  # type: ignore[import-untyped]
from genanki.apkg_schema import APKG_SCHEMA  # type: ignore[import-untyped]

from pipeline.render.stamp import Stamp
from pipeline.render.study import Kind, Note, StudyDeck

CSS = """\
.card { font-family: "Source Sans 3", "Noto Sans", Arial, sans-serif; font-size: 20px;
  line-height: 1.45; text-align: left; color: #1a1a1a; background: #ffffff;
  max-width: 40em; margin: 0 auto; padding: 0.5em; }
.nightMode .card, .card.nightMode { color: #ececec; background: #1e1e1e; }
.status { display: inline-block; font-size: 0.7em; font-weight: bold; letter-spacing: 0.08em;
  color: #ffffff; background: #b3261e; border-radius: 0.25em; padding: 0.1em 0.5em;
  margin-bottom: 0.6em; }
.context { color: #555555; font-size: 0.85em; margin-bottom: 0.4em; }
.nightMode .context { color: #b0b0b0; }
.cloze { font-weight: bold; color: #0b57a4; }
.nightMode .cloze { color: #8ab4f8; }
.question { font-weight: bold; margin: 0.5em 0; }
.source { color: #555555; font-size: 0.75em; margin-top: 1em; border-top: 1px solid #cccccc;
  padding-top: 0.4em; }
.nightMode .source { color: #b0b0b0; }
ol { margin: 0.3em 0 0 1.2em; padding: 0; }
img { max-width: 100%; height: auto; display: block; }
.annotated { position: relative; display: inline-block; vertical-align: top; max-width: 100%; }
.annotated svg.overlay { position: absolute; left: 0; top: 0; width: 100%; height: 100%; }
"""

_STATUS = '{{#Status}}<div class="status">{{Status}}</div>{{/Status}}'
_CONTEXT = '{{#Context}}<div class="context">{{Context}}</div>{{/Context}}'
_SOURCE = '<div class="source">{{Source}}</div>'
_ANSWER = '{{FrontSide}}<hr id="answer">'


def _model(
    name: str, fields: list[str], templates: list[tuple[str, str, str]], cloze: bool = False
) -> genanki.Model:
    return genanki.Model(
        _id("note type", name),
        name,
        fields=[{"name": f} for f in fields],
        templates=[{"name": n, "qfmt": q, "afmt": a} for n, q, a in templates],
        css=CSS,
        model_type=genanki.Model.CLOZE if cloze else genanki.Model.FRONT_BACK,
    )


def _id(*names: str) -> int:
    """A fixed id in Anki's range for ids made by hand (2^30 to 2^31), from ``names``."""
    digest = int.from_bytes(hashlib.sha256("\x1f".join(names).encode()).digest()[:4], "big")
    return (1 << 30) + digest % (1 << 30)


def _pair(first: str, second: str) -> tuple[str, str]:
    """The front and back of a term pair's card that shows ``first`` and asks for ``second``."""
    label = f'<div class="context">{{{{{first}Label}}}}</div>'
    front = f'{label}<div class="question">{{{{{first}}}}}</div>'
    back = f'{_ANSWER}<div class="context">{{{{{second}Label}}}}</div>{{{{{second}}}}}{_SOURCE}'
    return front, back


_FACT = f'{_STATUS}{_CONTEXT}<div class="fact">{{{{cloze:Text}}}}</div>'
_FIGURE = '<div class="question">{{Question}}</div>'
MODELS: dict[Kind, genanki.Model] = {
    "key-fact": _model(
        "Monograph key fact",
        ["Text", "Context", "Source", "Status"],
        [("Key fact", _FACT, _FACT + _SOURCE)],
        cloze=True,
    ),
    "differentials": _model(
        "Monograph differentials",
        ["Question", "Answer", "Source", "Status"],
        [
            (
                "Differentials",
                f'{_STATUS}<div class="question">{{{{Question}}}}</div>',
                f"{_ANSWER}{{{{Answer}}}}{_SOURCE}",
            )
        ],
    ),
    "synonyms": _model(
        "Monograph term pair",
        ["Term", "Other", "TermLabel", "OtherLabel", "Source"],
        [("Term to other", *_pair("Term", "Other")), ("Other to term", *_pair("Other", "Term"))],
    ),
    "figure": _model(
        "Monograph figure",
        ["Image", "Question", "Annotated", "Caption", "Source", "Status"],
        [
            (
                "Figure",
                f"{_STATUS}{{{{Image}}}}{_FIGURE}",
                f'{_STATUS}{{{{Annotated}}}}{_FIGURE}<hr id="answer">{{{{Caption}}}}{_SOURCE}',
            )
        ],
    ),
}
MODELS["abbreviation"] = MODELS["synonyms"]
"""Each kind's note type; synonyms and abbreviations share one (a pair, asked both ways)."""


def write_apkg(deck: StudyDeck, stamp: Stamp, dates: Mapping[str, int]) -> bytes:
    """The ``.apkg`` bytes of ``deck``; ``dates``: each note's time by GUID (else the stamp)."""
    seconds = int(stamp.moment.timestamp())
    connection = sqlite3.connect(":memory:")
    cursor = connection.cursor()
    cursor.executescript(APKG_SCHEMA)
    cursor.executescript(APKG_COL)
    cursor.execute("UPDATE col SET crt = ?, mod = ?", (seconds, seconds * 1000))
    ids = itertools.count(seconds * 1000)
    media: dict[str, bytes] = {}
    groups: dict[tuple[str, ...], list[Note]] = {}
    for note in deck.notes:
        groups.setdefault(note.deck, []).append(note)
    with warnings.catch_warnings():
        # genanki warns of tags it does not know in a field (an annotation's inline <svg>).
        warnings.filterwarnings("ignore", module="genanki")
        for path, notes in groups.items():
            deck_id = _id("deck", deck.book_id, *path)
            container = genanki.Deck(deck_id, "::".join((deck.title, *path)))
            for note in notes:
                container.add_model(MODELS[note.kind])
            container.write_to_db(cursor, seconds, ids)  # the deck and its note types
            for note in notes:
                made = genanki.Note(MODELS[note.kind], list(note.fields), tags=list(note.tags),
                                    guid=note.guid)  # fmt: skip
                made.write_to_db(cursor, dates.get(note.guid, seconds), container.deck_id, ids)
                media.update((m.name, m.data) for m in note.media)
    connection.commit()
    collection = connection.serialize()
    connection.close()
    return _zip(collection, media, stamp)


def _zip(collection: bytes, media: dict[str, bytes], stamp: Stamp) -> bytes:
    """The package: the collection, the media index, each media file; fixed order and times."""
    names = sorted(media)
    index = json.dumps({str(i): name for i, name in enumerate(names)}).encode()
    entries = [("collection.anki2", collection), ("media", index)]
    entries += [(str(i), media[name]) for i, name in enumerate(names)]
    moment = max(stamp.moment.timetuple()[:6], (1980, 1, 1, 0, 0, 0))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=moment)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system, info.external_attr = 3, 0o100644 << 16
            package.writestr(info, data, compresslevel=9)
    return out.getvalue()
