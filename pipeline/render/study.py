"""The study deck's notes, made from the model: what a trainee revises, and how each is known.

Five kinds of note (docs/study-deck.md):

- ``key-fact``: one cloze note per Key Facts bullet. The words hidden are chosen by rule, the
  first that applies: a run-in label's value (``- **Age**: 40-60 years`` hides ``40-60
  years``), else the first registered term that is not the chapter's own subject, else the
  first number with its unit. A bullet none applies to makes no note.
- ``differentials``: "Top differential diagnoses of X", the Key Facts list in order.
- ``synonyms``: a concept's preferred term and its allowed synonyms, asked both ways.
- ``abbreviation``: an abbreviation and its expansion, asked both ways: each
  ``expand-at-first-use`` one, and a ``house-standard`` one when the registry says
  ``study: true``.
- ``figure``: a figure's image with its markers hidden, then shown with the caption.

**Identity.** A note's GUID is a hash of what it asks, never of its wording: a key fact's is
its chapter, its Key Facts heading and what identifies its answer: the concept id of a
registered term, a number as written, or for a label's value the label and how many items
the value lists. Fixing a typo keeps the note and the trainee's history; rewriting the fact
(another term, another number, an item added or dropped) makes a new one. Two bullets under
one heading with the same answer are told apart by their order. The other kinds are
known by chapter, concept, abbreviation or figure id.

**Dates.** Each note names the source lines it is made from (``Note.lines``); the build dates
it by the newest of them, so that re-importing a rebuilt deck updates the notes whose lines
changed and no other (Anki updates a note only when the incoming one is newer).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import unescape
from typing import Literal

from markupsafe import Markup, escape

from pipeline.model import Book, Figure
from pipeline.model import inline as nodes
from pipeline.model.book import Bullet, Chapter, Subsection
from pipeline.model.inline import Inline
from pipeline.model.skeleton import KEY_FACTS, TOP_DIFFERENTIALS
from pipeline.model.terminology import Abbreviation, Concept
from pipeline.render.annotate import overlay_inline
from pipeline.render.inline import GLYPHS
from pipeline.render.plan import MARKER_WORDS, plan_chapter
from pipeline.terminology import Matcher
from pipeline.terminology.text import Place, TextUnit

Kind = Literal["key-fact", "differentials", "synonyms", "abbreviation", "figure"]
KINDS: tuple[Kind, ...] = ("key-fact", "differentials", "synonyms", "abbreviation", "figure")
Drafts = Literal["include", "exclude"]
TERMINOLOGY = "terminology.yaml"
DEFINITIONS = "terminology"
"""The Key Facts heading whose bullets define the chapter's subject: such a bullet with
nothing else to ask asks for the subject it defines."""

_NUMBER = re.compile(
    r"(?<![\w.])(?<!Figure )\d+(?:[.,]\d+)?(?:\s*(?:-|–|to)\s*\d+(?:[.,]\d+)?)?"
    r"(?:\s*(?:%|mm|cm|m|mL|ml|HU|Gy|mSv|MBq|T|years?|months?|weeks?|days?|hours?)(?![\w]))?"
)
"""A number, a range of numbers, and the unit after it (never a figure's number)."""
_SPACES = re.compile(r"\s+")
_CLOZE = re.compile(r"\{\{c1::(.*?)\}\}")
_ITEMS = re.compile(r",\s*|;\s*|\s+(?:or|and)\s+|\s*>\s*")
"""What separates the items of a label's value (``axial, referred or radicular``: 3)."""
_BEFORE_PUNCTUATION = re.compile(r"\s+([,.;:)])")


@dataclass(frozen=True)
class Media:
    """A file the deck carries (a figure's image), named as the cards refer to it."""

    name: str
    data: bytes


@dataclass(frozen=True)
class Note:
    """One note: its identity, where it goes, its fields (HTML) and tags, and its lines."""

    kind: Kind
    guid: str
    deck: tuple[str, ...]
    """The deck path below the book's deck (``("Chapter title", "Key Facts", "Imaging")``)."""
    fields: tuple[str, ...]
    tags: tuple[str, ...]
    lines: tuple[str, int, int]
    """The source file and the first and last line the note is made from: what dates it.
    A registry entry has no line in the model: 0, 0, and ``entry`` names it."""
    media: tuple[Media, ...] = ()
    entry: str = ""
    """For a registry note, the key that starts its entry (``id: hemangioma``, ``abbr: GI``)."""


@dataclass
class StudyDeck:
    """Every note of a book, in book order, and the bullets that could not become one."""

    title: str
    book_id: str
    notes: list[Note] = field(default_factory=list)
    unasked: list[str] = field(default_factory=list)
    """``path:line:col`` of each Key Facts bullet that holds no label, term or number to ask."""

    def count(self, kind: Kind) -> int:
        """How many notes of ``kind``."""
        return sum(note.kind == kind for note in self.notes)


def cards_as_text(note: Note) -> list[tuple[str, str]]:
    """Each card of ``note`` as plain text, front and back: what ``monograph deck`` prints."""
    fields = [_as_text(f) for f in note.fields]
    if note.kind in ("synonyms", "abbreviation"):
        term, other, term_label, other_label = fields[:4]
        return [(f"{term_label}: {term}", f"{other_label}: {other}"),
                (f"{other_label}: {other}", f"{term_label}: {term}")]  # fmt: skip
    badge = f"[{fields[-1]}] " if fields[-1] else ""
    if note.kind == "key-fact":
        text, context, where = fields[:3]
        lead = f"{context} / " if context else ""
        front, back = _CLOZE.sub("[...]", text), _CLOZE.sub(r"\1", text)
        return [(f"{badge}{lead}{front}", f"{back} ({where})")]
    if note.kind == "differentials":
        items = re.findall(r"<li>(.*?)</li>", note.fields[1])
        listed = "; ".join(f"{i}. {_as_text(item)}" for i, item in enumerate(items, 1))
        return [(f"{badge}{fields[0]}", f"{listed} ({fields[2]})")]
    image = f"[image {note.media[0].name}]"  # a figure
    return [(f"{badge}{image} {fields[1]}", f"{fields[3]} ({fields[4]})")]


def _as_text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def guid(*parts: str) -> str:
    """A stable note id from ``parts``: genanki's hash, 10 base-91 characters like Anki's own."""
    import genanki  # type: ignore[import-untyped]  # here: only when a note is made

    return str(genanki.guid_for("monograph", *parts))


def study_deck(book: Book, drafts: Drafts = "include") -> StudyDeck:
    """The notes of ``book``: each chapter's (drafts per ``drafts``), then the registry's."""
    deck = StudyDeck(book.meta.title, book.meta.id)
    matcher = Matcher(book.terminology)
    for number, chapter in enumerate(book.chapters, 1):
        if chapter.meta.status == "draft" and drafts == "exclude":
            continue
        plan = plan_chapter(chapter, book.bibliography, number_prefix=f"{number}.")
        labels = {figure_id: view.label for figure_id, view in plan.figures.items()}
        deck.notes += _chapter_notes(book, chapter, matcher, labels, deck.unasked)
    deck.notes += _registry_notes(book)
    return deck


def _chapter_notes(
    book: Book, chapter: Chapter, matcher: Matcher, labels: dict[str, str], unasked: list[str]
) -> Iterator[Note]:
    """The chapter's notes; ``labels``: each figure's label as printed (``Figure 1.2``)."""
    meta = chapter.meta
    tags = (f"chapter::{meta.id}", f"status::{meta.status}")
    status = "DRAFT" if meta.status == "draft" else ""
    subject = next(
        (c.preferred for c in book.terminology.concepts if c.id == meta.concept), meta.title
    )
    ends = _Ends(chapter)
    for section in chapter.sections:
        if section.key != KEY_FACTS:
            continue
        for subsection in section.subsections:
            where = f"{meta.title} › {section.title} › {subsection.title}"
            if (section.key, subsection.key) == TOP_DIFFERENTIALS:
                lines = (subsection.span.path, subsection.span.line,
                         ends.of(max(b.span.line for b in _all(subsection.bullets))))  # fmt: skip
                yield _differentials(chapter, subsection, subject, where, tags, status, lines)
                continue
            answers: dict[str, int] = {}
            for bullet, text, context in _bullets(subsection.bullets, "", labels):
                cloze = _cloze(text, bullet, matcher, meta.concept)
                if cloze is None and subsection.key == DEFINITIONS and not context:
                    text = f"{subject[:1].upper()}{subject[1:]}: {text}"  # defines the subject
                    cloze = 0, len(subject), meta.concept
                if cloze is None:
                    unasked.append(str(bullet.span))
                    continue
                answers[cloze[2]] = seen = answers.get(cloze[2], 0) + 1
                yield Note(
                    "key-fact",
                    guid("key-fact", meta.id, subsection.key, cloze[2], str(seen)),
                    (meta.title, section.title, subsection.title),
                    (_clozed(text, *cloze[:2]), str(escape(context)), str(escape(where)), status),
                    (*tags, f"section::{subsection.key}", "kind::key-fact"),
                    (bullet.span.path, bullet.span.line, ends.of(bullet.span.line)),
                )
    for figure in chapter.figures:
        lines = (figure.span.path, figure.span.line, ends.of(figure.span.line))
        label = labels.get(figure.id, "Figure")
        note = _figure(chapter, figure, f"{meta.title} › {label}", status, lines)
        if note is not None:
            yield note


def _clozed(text: str, start: int, end: int) -> str:
    """``text`` escaped, with ``start:end`` as Anki's first cloze deletion."""
    return f"{escape(text[:start])}{{{{c1::{escape(text[start:end])}}}}}{escape(text[end:])}"


def _bullets(
    bullets: list[Bullet], parent: str, labels: dict[str, str]
) -> Iterator[tuple[Bullet, str, str]]:
    """Each bullet with its text (``_text``) and the text of the bullet it stands under."""
    for bullet in bullets:
        text = _text(bullet, labels)
        if bullet.content or bullet.label:
            yield bullet, text, parent
        yield from _bullets(bullet.children, text, labels)


def _text(bullet: Bullet, labels: dict[str, str]) -> str:
    """The bullet as a trainee reads it on a card: label, text, "Figure 1.2" for a reference."""
    own = _plain(bullet.content, labels)
    return f"{bullet.label}: {own}" if bullet.label and own else own or (bullet.label or "")


def _plain(content: list[Inline], labels: dict[str, str] | None = None) -> str:
    parts: list[str] = []

    def walk(items: list[Inline]) -> None:
        for node in items:
            if isinstance(node, nodes.Text | nodes.Code):
                parts.append(node.text)
            elif isinstance(node, nodes.FigRef):
                parts.append(labels.get(node.id, "") if labels else "")
            elif isinstance(node, nodes.Marker):
                parts.append(GLYPHS.get(node.kind, f"({node.kind})"))  # as the handout prints it
            elif isinstance(node, nodes.Emph | nodes.Strong | nodes.Sup | nodes.Sub | nodes.Link):
                walk(node.children)

    walk(content)
    text = _SPACES.sub(" ", "".join(parts)).strip()
    return _BEFORE_PUNCTUATION.sub(r"\1", text.replace("( )", "").replace("()", "")).strip()


def _cloze(
    text: str, bullet: Bullet, matcher: Matcher, subject: str
) -> tuple[int, int, str] | None:
    """Where the answer stands in ``text`` and what identifies it; None: nothing to ask."""
    lead, colon, value = text.partition(": ")
    if colon and value.strip() and (bullet.label or len(lead.split()) <= 8):
        # A label (or a lead-in) and its value: known by the label and how many items follow.
        items = len(_ITEMS.split(value.strip()))
        return len(lead) + 2, len(text), f"{_words(lead)} ({items})"
    unit = TextUnit(Place("key-facts", "", "bullet"))
    unit.add(text, bullet.span, exact=False)
    for match in matcher.find(unit):
        concept = match.senses[0].concept
        if concept.id != subject:
            return match.start, match.end, concept.id
    number = _NUMBER.search(text)
    if number is not None:
        return number.start(), number.end(), _words(number.group())
    return None


def _words(text: str) -> str:
    return _SPACES.sub(" ", text.lower()).strip()


class _Ends:
    """Where what starts on a line of a chapter ends: the line before the next thing starts.

    Things are the sections, subsections, bullets (a nested one too: a bullet's lines are its
    own, not its children's) and the figures' entries in the front matter.
    """

    def __init__(self, chapter: Chapter) -> None:
        starts = {figure.span.line for figure in chapter.figures}
        for section in chapter.sections:
            starts.add(section.span.line)
            for subsection in section.subsections:
                starts.add(subsection.span.line)
                starts.update(bullet.span.line for bullet in _all(subsection.bullets))
        self.starts = sorted(starts)

    def of(self, line: int) -> int:
        """The last line of what starts on ``line`` (the file's end is a large number)."""
        after = bisect.bisect_right(self.starts, line)
        return self.starts[after] - 1 if after < len(self.starts) else 1 << 30


def _all(bullets: list[Bullet]) -> Iterator[Bullet]:
    for bullet in bullets:
        yield bullet
        yield from _all(bullet.children)


def _differentials(
    chapter: Chapter, subsection: Subsection, subject: str, where: str, tags: tuple[str, ...],
    status: str, lines: tuple[str, int, int],
) -> Note:  # fmt: skip
    names = [_plain(b.content) or (b.label or "") for b in subsection.bullets]
    answer = Markup("<ol>{}</ol>").format(
        Markup("").join(Markup("<li>{}</li>").format(n) for n in names)
    )
    return Note(
        "differentials",
        guid("differentials", chapter.meta.id),
        (chapter.meta.title, "Differentials"),
        (
            str(escape(f"Top differential diagnoses of {subject}")),
            str(answer),
            str(escape(where)),
            status,
        ),
        (*tags, f"section::{subsection.key}", "kind::differentials"),
        lines,
    )


def _figure(
    chapter: Chapter, figure: Figure, where: str, status: str, lines: tuple[str, int, int]
) -> Note | None:
    """A figure with an image: markers hidden on the front, shown with the caption on the back."""
    image = figure.image
    if image is None or image.width is None or image.height is None:
        return None
    extension = image.media_type.split("/")[1].replace("jpeg", "jpg")
    name = f"{chapter.meta.id}-{figure.id}.{extension}"
    picture = Markup('<img src="{}" alt="{}">').format(name, figure.alt)
    if figure.annotations:
        kinds = list(dict.fromkeys(MARKER_WORDS[a.marker] for a in figure.annotations))
        verb = "does" if len(kinds) == 1 else "do"
        question = f"What {verb} the {' and the '.join(kinds)} show?"
        shown = Markup('<div class="annotated">{}{}</div>').format(
            picture, Markup(overlay_inline(figure))
        )
        told = " ".join(
            f"{MARKER_WORDS[a.marker].capitalize()}: {a.shows}." for a in figure.annotations
        )
    else:
        question, shown, told = "What does this image show?", picture, ""
    caption = _plain(figure.caption)
    return Note(
        "figure",
        guid("figure", chapter.meta.id, figure.id),
        (chapter.meta.title, "Figures"),
        (
            str(picture),
            str(escape(question)),
            str(shown),
            str(escape(f"{caption} {told}".strip())),
            str(escape(where)),
            status,
        ),
        (f"chapter::{chapter.meta.id}", f"status::{chapter.meta.status}", "kind::figure"),
        lines,
        (Media(name, image.data),),
    )


def _registry_notes(book: Book) -> Iterator[Note]:
    """Synonym notes for each concept that has allowed synonyms; abbreviations worth learning."""
    for concept in book.terminology.concepts:
        note = _synonyms(concept)
        if note is not None:
            yield note
    for entry in book.terminology.abbreviations:
        asked = entry.study if entry.study is not None else entry.policy == "expand-at-first-use"
        if asked:
            yield _abbreviation(entry)


def _synonyms(concept: Concept) -> Note | None:
    synonyms = [s.term for s in concept.synonyms if s.status == "allowed"]
    if not synonyms:
        return None
    return Note(
        "synonyms",
        guid("synonyms", concept.id),
        ("Terminology",),
        (
            str(escape(concept.preferred)),
            str(escape(", ".join(synonyms))),
            "Preferred term",
            "Synonyms",
            "Terminology registry",
        ),
        ("terminology", "kind::synonyms", f"concept::{concept.id}"),
        (TERMINOLOGY, 0, 0),
        entry=f"id: {concept.id}",
    )


def _abbreviation(entry: Abbreviation) -> Note:
    return Note(
        "abbreviation",
        guid("abbreviation", entry.abbr),
        ("Terminology",),
        (
            str(escape(entry.abbr)),
            str(escape(entry.expansion)),
            "Abbreviation",
            "Expansion",
            "Terminology registry",
        ),
        ("terminology", "kind::abbreviation"),
        (TERMINOLOGY, 0, 0),
        entry=f"abbr: {entry.abbr}",
    )
