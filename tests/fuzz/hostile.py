"""Hypothesis strategies for the attack classes of issue 14 (``test_hostile.py``).

Each strategy draws a *variation* of an attack the unit tests pin down one case of: ids
grown out of other ids' output names and anchors, or just too long; images carrying a fake
patient's name in any metadata place their format allows (or cut, or with a bad checksum);
registry patterns with nested quantifiers next to tokens they backtrack on; rejected terms
with an invisible character or a look-alike letter anywhere inside them; line breaks inside
quoted YAML keys and values; files and links planted in the output folder. The seed source
(``source/``) is the base of every example.
"""

from __future__ import annotations

import io
import json
import random
import re
import struct
import zlib
from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st
from PIL import Image, PngImagePlugin

from tests.fuzz.mutations import CHAPTER, SEED

SEED_TEXT = (SEED / CHAPTER).read_text(encoding="utf-8")
SEED_BOOK = (SEED / "book.yaml").read_text(encoding="utf-8")
SEED_REGISTRY = (SEED / "terminology.yaml").read_text(encoding="utf-8")
SEED_ID = "blastic-osseous-metastases"
FIGURES = re.findall(r"^  - id: (fig-\S+)$", SEED_TEXT, re.MULTILINE)
"""The seed chapter's figure ids, in order."""

# ---- 1. ids ------------------------------------------------------------------------------

WORDS = ("a", "b", "fig", "key", "facts", "schema", "ref", "1", "description", "spine")
"""Words of the drawn ids: each can join a neighbour into another id's output name."""
_slug = st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map("-".join)


@st.composite
def long_slug(draw: st.DrawFn) -> str:
    """An id of 60-245 characters: around the 64-character limit, and far past it."""
    length = draw(st.sampled_from([60, 63, 64, 64, 65, 66, 100, 245]))
    word = draw(st.sampled_from(["spine", "a", "fig-b", "x1"]))
    text = "-".join([word] * (length // (len(word) + 1) + 1))[:length].strip("-")
    return text + "x" * (length - len(text))


@dataclass(frozen=True)
class IdBook:
    """A book id and chapters (id, {seed figure id: new id}), copies of the seed chapter."""

    book_id: str
    chapters: tuple[tuple[str, dict[str, str]], ...]

    @property
    def ids(self) -> list[str]:
        figures = [f for _, renames in self.chapters for f in renames.values()]
        return [self.book_id, *(c for c, _ in self.chapters), *figures]

    def files(self) -> dict[str, str | bytes | None]:
        """The source files that differ from the seed (the seed chapter is replaced)."""
        listing = "".join(f"  - '{c}'\n" for c, _ in self.chapters)
        book = SEED_BOOK.replace("id: spine-metastases", f"id: '{self.book_id}'")
        book = book.replace(f"  - {SEED_ID}\n", listing)
        files: dict[str, str | bytes | None] = {"book.yaml": book, CHAPTER: None}
        for chapter_id, renames in self.chapters:
            text = SEED_TEXT.replace(f"id: {SEED_ID}\n", f"id: '{chapter_id}'\n", 1)
            for old, new in renames.items():
                text = text.replace(old, new)
            files[f"chapters/{chapter_id}.md"] = text
        return files


@st.composite
def id_books(draw: st.DrawFn) -> IdBook:
    """1-3 chapters whose ids and figure ids often grow out of an earlier output name.

    A grown chapter id is an earlier name cut before a ``-fig-``, or with a suffix the build
    adds (``-key-facts``); a grown figure id is the rest of an anchor after a chapter id.
    Any id may instead be long (60-245 characters). Chapter ids are distinct (a chapter
    listed twice is another finding, X105) and figure ids distinct within their chapter.
    """
    names = [draw(st.one_of(_slug, st.just(SEED_ID), st.just("schema"), long_slug()))]
    chapters: list[tuple[str, dict[str, str]]] = []

    def grown(figure: bool) -> str:
        if draw(st.integers(0, 7)) == 0:
            made = draw(long_slug())
            return f"fig-{made[4:]}" if figure else made
        cuts = [(m.start(), n) for n in names for m in re.finditer("-fig-", n)]
        if figure:
            options = [n[at + 1 :] for at, n in cuts]
        else:
            options = [n[:at] for at, n in cuts] + names + [f"{n}-key-facts" for n in names]
        if options and draw(st.integers(0, 2)) > 0:
            return draw(st.sampled_from(options))
        return ("fig-" if figure else "") + draw(_slug)

    for _ in range(draw(st.integers(1, 3))):
        chapter_id = grown(figure=False)
        if chapter_id in (c for c, _ in chapters) or len(chapter_id) > 245:
            continue
        renames: dict[str, str] = {}
        for old in draw(st.lists(st.sampled_from(FIGURES), max_size=2, unique=True)):
            new = grown(figure=True)
            if new not in renames.values() and new not in FIGURES and len(new) <= 245:
                renames[old] = new
        chapters.append((chapter_id, renames))
        names += [chapter_id, *renames.values(), *(f"{chapter_id}-{f}" for f in renames.values())]
    if not chapters:  # every drawn chapter id was taken or too long for a file name
        chapters.append(("chapter", {}))
    return IdBook(names[0], tuple(chapters))


# ---- 2. images ---------------------------------------------------------------------------

MARKER = "Patient: ZZTEST^FUZZ MRN 99999"
NEEDLES = tuple(
    part.encode(codec) for part in ("ZZTEST^FUZZ", "MRN 99999") for codec in
    ("utf-8", "utf-16-le", "utf-16-be")
)  # fmt: skip
"""The marker's parts as any metadata field may store them (EXIF XP tags are UTF-16)."""
PNG_PLACES = ("tEXt", "zTXt", "iTXt", "iTXt-zip", "tEXt-after-IDAT", "eXIf", "private",
              "iCCP-name", "after-IEND")  # fmt: skip
JPEG_PLACES = ("COM", "Artist", "GPS", "XPAuthor", "XMP", "APP13", "APP15", "after-EOI")
ARTIST, GPS, XP_AUTHOR, GPS_DATUM = 0x013B, 0x8825, 0x9C9D, 0x12


@dataclass(frozen=True)
class Picture:
    """An image file: its format, its bytes, and where the marker was put in it."""

    kind: str
    data: bytes
    places: tuple[str, ...] = ()
    damage: str = ""
    suffix: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "suffix", ".png" if self.kind == "PNG" else ".jpg")


def _pixels(seed: int, size: tuple[int, int], mode: str) -> Image.Image:
    rng = random.Random(seed)
    channels = {"RGB": 3, "L": 1, "RGBA": 4, "P": 1}[mode]
    image = Image.frombytes(mode, size, rng.randbytes(size[0] * size[1] * channels))
    if mode == "P":
        image.putpalette(rng.randbytes(768))
    return image


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _segment(marker: int, body: bytes) -> bytes:
    return bytes((0xFF, marker)) + struct.pack(">H", len(body) + 2) + body


def _exif(places: set[str], text: str) -> Image.Exif:
    exif = Image.Exif()
    if "Artist" in places:
        exif[ARTIST] = text
    if "XPAuthor" in places:
        exif[XP_AUTHOR] = (text + "\x00").encode("utf-16-le")
    if "GPS" in places:
        exif[GPS] = {1: "N", 2: (51.0, 30.0, 12.5), GPS_DATUM: text}
    return exif


@st.composite
def pictures(
    draw: st.DrawFn, damaged: bool = False, kinds: tuple[str, ...] = ("PNG", "JPEG")
) -> Picture:
    """A small PNG or JPEG of random pixels with the marker in 1-4 metadata places.

    ``kinds`` limits the formats drawn. ``damaged`` (no marker): cut at any byte past the
    signature, or a PNG chunk's checksum (or a byte it covers) changed.
    """
    kind = draw(st.sampled_from(kinds))
    size = (draw(st.integers(1, 40)), draw(st.integers(1, 40)))
    modes = ["RGB", "L", "RGBA", "P"] if kind == "PNG" else ["RGB", "L"]
    image = _pixels(draw(st.integers(0, 2**32)), size, draw(st.sampled_from(modes)))
    around = draw(st.sampled_from(["", "Referred by Dr X. ", "ID\t"]))
    text = around + MARKER + draw(st.sampled_from(["", " DOB 1970-01-01", "\n"]))
    places = set() if damaged else set(draw(st.lists(
        st.sampled_from(PNG_PLACES if kind == "PNG" else JPEG_PLACES), min_size=1, max_size=4,
        unique=True)))  # fmt: skip
    buffer = io.BytesIO()
    exif = _exif(places, text)
    if kind == "PNG":
        exif = _exif({"Artist", "GPS", "XPAuthor"} if "eXIf" in places else set(), text)
        info = PngImagePlugin.PngInfo()
        key = draw(st.sampled_from(["Comment", "Patient", "Author", "Description", "x"]))
        if "tEXt" in places:
            info.add_text(key, text.replace("\n", " "))
        if "zTXt" in places:
            info.add_text(key, text, zip=True)
        for zip_ in [False] * ("iTXt" in places) + [True] * ("iTXt-zip" in places):
            info.add_itxt(key, text, lang="en", tkey=key, zip=zip_)
        if "private" in places:
            info.add(b"prVt", text.encode())
        image.save(buffer, "PNG", pnginfo=info, exif=exif if "eXIf" in places else None)
        data = buffer.getvalue()
        extra = b""
        if "iCCP-name" in places:  # the profile's name is free text, up to 79 bytes
            extra = _png_chunk(b"iCCP", MARKER.encode() + b"\x00\x00" + zlib.compress(b"\x00" * 8))
        data = data[:33] + extra + data[33:]
        if "tEXt-after-IDAT" in places:
            end = data.rindex(b"IEND") - 4
            data = data[:end] + _png_chunk(b"tEXt", b"Note\x00" + MARKER.encode()) + data[end:]
        if "after-IEND" in places:
            data += MARKER.encode()
    else:
        quality = draw(st.integers(40, 95))
        xmp = f"<x:xmpmeta xmlns:x='adobe:ns:meta/'><c>{MARKER}</c></x:xmpmeta>".encode()
        options = {"quality": quality, "exif": exif}
        if "COM" in places:
            options["comment"] = text.encode()
        if "XMP" in places:
            options["xmp"] = xmp
        image.save(buffer, "JPEG", **options)
        data = buffer.getvalue()
        extra = _segment(0xED, b"Photoshop 3.0\x008BIM" + MARKER.encode())
        extra = extra * ("APP13" in places) + _segment(0xEF, MARKER.encode()) * ("APP15" in places)
        data = data[:2] + extra + data[2:]
        if "after-EOI" in places:
            data += MARKER.encode()
    if not damaged:
        return Picture(kind, data, tuple(sorted(places)))
    how = draw(st.sampled_from(["cut", "checksum"] if kind == "PNG" else ["cut"]))
    if how == "cut":
        at = draw(st.integers(len(b"\x89PNG\r\n\x1a\n") if kind == "PNG" else 3, len(data) - 1))
        return Picture(kind, data[:at], damage=f"cut at byte {at} of {len(data)}")
    chunks = list(_chunk_offsets(data))
    start, length = draw(st.sampled_from(chunks))
    # a byte of the chunk's type, body or checksum: every one is covered by the CRC
    at = start + 4 + draw(st.integers(0, length + 7))
    broken = bytearray(data)
    broken[at] ^= draw(st.integers(1, 255))
    return Picture(kind, bytes(broken), damage=f"byte {at} of chunk at {start} changed")


def _chunk_offsets(data: bytes) -> list[tuple[int, int]]:
    """(offset, body length) of each PNG chunk."""
    found, pos = [], 8
    while pos < len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        found.append((pos, length))
        pos += 12 + length
    return found


# ---- 3. registry patterns ----------------------------------------------------------------

_ATOMS = {"a": "a" * 80, r"\w": "a" * 80, "[a-z]": "q" * 80, ".": "z" * 80, r"\d": "7" * 80,
          "[0-9a-f]": "c" * 80}  # fmt: skip
"""An atom of a drawn pattern, and a run of characters it matches."""


@dataclass(frozen=True)
class Backtracker:
    """A pattern that can backtrack without bound, and a token it fails slowly on."""

    pattern: str
    token: str


@st.composite
def backtrackers(draw: st.DrawFn) -> Backtracker:
    """A repeated group that itself repeats or has overlapping alternatives, then a failure.

    ``(a+)+$``, ``(?:\\w*)*!``, ``(a|aa)*b``, ``(\\w+\\s?)+$``, ``(?:[a-z]{1,9}){2,}x``...
    next to 30-60 characters the atom matches and one it does not.
    """
    atom = draw(st.sampled_from(sorted(_ATOMS)))
    inner = draw(st.sampled_from(["+", "*", "{1,9}", "{2,}", r"+\s?", "|" + atom * 2]))
    group = draw(st.sampled_from(["({})", "(?:{})", "(?P<g>{})"])).format(atom + inner)
    outer = draw(st.sampled_from(["+", "*", "{2,}", "{1,40}"]))
    tail = draw(st.sampled_from(["$", "!", r"\b!", "#"]))
    lead = draw(st.sampled_from(["", r"\b", "^"]))
    length = draw(st.integers(30, 60))
    return Backtracker(f"{lead}{group}{outer}{tail}", _ATOMS[atom][:length] + "%")


# ---- 4. disguised terms ------------------------------------------------------------------

INVISIBLE = ("\u200b", "\u200c", "\u200d", "\u2060", "\u00ad", "\u034f", "\u200e", "\u200f",
             "\ufeff", "\u2061", "\u180e")  # fmt: skip
LOOK_ALIKES = {"a": "\u0430", "e": "\u0435", "o": "\u043e", "p": "\u0440", "c": "\u0441",
               "y": "\u0443", "x": "\u0445", "i": "\u0456", "s": "\u0455", "P": "\u0420",
               "T": "\u0422", "O": "\u039f", "'": "\u02bc", "h": "\u04bb"}  # fmt: skip
REGISTRY = SEED_REGISTRY.replace(
    "    preferred: osteosarcoma\n",
    "    preferred: osteosarcoma\n"
    "    rejected:\n      - {term: osteogenic sarcoma, use: osteosarcoma}\n"
    "  - id: osteopetrosis\n    kind: diagnosis\n    preferred: osteopetrosis\n    synonyms:\n"
    "      - {term: marble bone disease, status: deprecated}\n"
    "      - {term: Albers-Schönberg disease, status: forbidden}\n", 1)  # fmt: skip
"""The seed registry with a deprecated and a forbidden synonym and one more rejected term."""
TERMS = (("Paget's disease", "T101"), ("osteogenic sarcoma", "T101"),
         ("marble bone disease", "T102"), ("Albers-Schönberg disease", "T103"))  # fmt: skip
"""Terms the registry rejects, and the term rule that must still find them when disguised.
(Y102's dialect spellings are matched on the text as written, not folded: not drawn.)"""
PREFIXES = ("", "Rare ", "Seen with ", "**Note**: ", "Café-au-lait spots and ", "≥ 2 cm; ",
            "Sclerotic metastases, or ", "T1 hypointense ")  # fmt: skip


APOSTROPHE_GAP = "Paget'\u0455 disease"
"""Once a gap the long fuzz run found: a look-alike just after an ASCII apostrophe was a
one-letter word of its own script to ``fold``, left alone, and the term went unseen (no T101,
Y101 or Y107). ``fold`` now reads ``Paget'ѕ`` as one word; the example is kept as a test."""


@dataclass(frozen=True)
class Disguised:
    """A bullet holding a rejected term with disguises; where each disguise is."""

    term: str
    rule: str
    prefix: str
    written: str
    """The term as written, disguises in."""
    disguises: tuple[tuple[int, str, str], ...]
    """(offset in ``written``, character, Y106 or Y107)."""
    slot: int
    """Where the bullet goes in the seed chapter: before a top-level bullet that is not a
    label, or first under a label (``- **T1WI**``); counted from 0, modulo their number."""


@st.composite
def disguised_terms(draw: st.DrawFn) -> Disguised:
    """A rejected term with one or two invisible characters or look-alikes inside it."""
    term, rule = draw(st.sampled_from(TERMS))
    inserted: dict[int, str] = {}  # before the character at this offset of the term
    swapped: dict[int, str] = {}  # the character at this offset, for a look-alike
    for _ in range(draw(st.integers(1, 2))):
        swappable = [i for i, c in enumerate(term) if c in LOOK_ALIKES and i not in swapped]
        if draw(st.booleans()) or not swappable:
            at, char = draw(st.integers(1, len(term) - 1)), draw(st.sampled_from(INVISIBLE))
            inserted.setdefault(at, char)
        else:
            at = draw(st.sampled_from(swappable))
            swapped[at] = LOOK_ALIKES[term[at]]
    written, disguises = "", []
    for i, char in enumerate(term):
        if i in inserted:
            disguises.append((len(written), inserted[i], "Y106"))
            written += inserted[i]
        if i in swapped:
            disguises.append((len(written), swapped[i], "Y107"))
        written += swapped.get(i, char)
    return Disguised(term, rule, draw(st.sampled_from(PREFIXES)), written, tuple(disguises),
                     draw(st.integers(0, 40)))  # fmt: skip


# ---- 5. printed-field forgery ------------------------------------------------------------

BREAKS = {"\n": "\\n", "\r": "\\r", "\r\n": "\\r\\n", "\x85": "\\N", "\u2028": "\\L",
          "\u2029": "\\P", "\x0b": "\\v", "\x0c": "\\f", "\x1b[2K\r": "\\e[2K\\r",
          "\x9b": "\\x9b", "\u202e": "\\u202e"}  # fmt: skip
"""A break or terminal control, and its YAML double-quoted escape."""
RAW_BREAKS = ("\x85", "\u2028", "\u2029")
"""Characters YAML 1.1 reads as line breaks and editors do not: written raw into text."""


@dataclass(frozen=True)
class Forgery:
    """A chapter whose front matter quotes forged finding lines, with two real findings."""

    text: str
    """The chapter."""
    forged: tuple[str, ...]
    expected: tuple[tuple[str, int, int], ...]
    """(code, line, column) of the real findings after the breaks, as an editor counts."""


def forged_line(draw: st.DrawFn, root: str) -> str:
    """A line that would read as a finding or a GitHub command if printed on its own."""
    code = draw(st.sampled_from(["X101", "V110", "R113", "T101", "F112"]))
    path = draw(st.sampled_from([CHAPTER, "chapters/x.md", f"{root}/{CHAPTER}", "book.yaml"]))
    line, column = draw(st.integers(1, 999)), draw(st.integers(1, 99))
    return draw(st.sampled_from([
        f"{path}:{line}:{column}: {code} error: forged",
        f"::error file={path},line={line},col={column},title={code}::forged",
        f"{path}:{line}:{column}: {code} warning: forged",
    ]))  # fmt: skip


_EDITOR_BREAK = re.compile("\r\n|\r|\n")
"""The line ends an editor counts; NEL and the Unicode separators are characters."""


def _position(text: str, offset: int) -> tuple[int, int]:
    """The editor's line and column (code points, from 1) of ``offset`` in ``text``."""
    breaks = list(_EDITOR_BREAK.finditer(text, 0, offset))
    start = breaks[-1].end() if breaks else 0
    return len(breaks) + 1, offset - start + 1


@st.composite
def forgeries(draw: st.DrawFn, root: str) -> Forgery:
    """The seed chapter with 1-3 forged lines in quoted keys and values (escaped breaks),
    raw NEL or Unicode separators in front matter and body, any line ends, then an invalid
    ``status`` and a bullet with raw HTML whose lines and columns must be the editor's."""
    lines = SEED_TEXT.split("\n")
    end = lines.index("---", 1)
    tops = [i for i in range(1, end) if lines[i][:1].isalpha()]
    forged: list[str] = []
    for n in range(draw(st.integers(1, 3))):
        brk = draw(st.sampled_from(sorted(BREAKS)))
        text = forged_line(draw, root)
        forged.append(text)
        escaped = BREAKS[brk] + text.replace("\\", "\\\\").replace('"', '\\"')
        where = draw(st.sampled_from(["key", "value", "figure-key"]))
        figure = next(i for i, line in enumerate(lines) if line.startswith("  - id: fig-"))
        modality = next(i for i, line in enumerate(lines) if line.startswith("    modality: "))
        if where == "value" and lines[modality] == "    modality: XR":
            lines[modality] = f'    modality: "XR{escaped}"'
        elif where == "figure-key":
            lines.insert(figure + 1, f'    "k{n}{escaped}": 1')
        else:
            at = draw(st.sampled_from(tops))
            lines.insert(at, f'"k{n}{escaped}": 1')
        end = lines.index("---", 1)
        tops = [i for i in range(1, end) if lines[i][:1].isalpha()]
    raw = draw(st.lists(st.sampled_from(RAW_BREAKS), max_size=4))
    title = next(i for i, line in enumerate(lines) if line.startswith("title: "))
    lines[title] += "".join(f"{s}word" for s in raw)
    status = next(i for i, line in enumerate(lines) if line.startswith("status: "))
    lines[status] = "status: nonsense" + "".join(raw)
    sep = draw(st.sampled_from(RAW_BREAKS))
    lines.append(f"- Lesions{sep} of 3{sep}x 4 cm <b>x</b>")
    newline = draw(st.sampled_from(["\n", "\n", "\r\n", "\r"]))
    text = newline.join(lines)
    at_status = text.index("status: nonsense") + len("status: ")
    at_html = text.rindex("<b>")
    expected = (("V104", *_position(text, at_status)), ("S111", *_position(text, at_html)))
    return Forgery(text, tuple(forged), expected)


# ---- 6. the output folder ----------------------------------------------------------------

ESCAPES = ("../victim.txt", "../../victim.txt", "pdf/../../victim.txt", "{victim}",
           "json/../../victim.txt", "pdf/../../outside/kept.pdf", "../outside/kept.pdf",
           "epub/../../outside", "pdf/%2e%2e/victim.txt")  # fmt: skip
"""Paths a planted manifest, journal or cache state may name ({victim}: its absolute path)."""
LINKS = (".lock", "pdf", "epub", "json", ".staging", ".cache", "json/schema.json",
         "manifest.json", ".journal.json", "pdf/spine-metastases.pdf",
         ".cache/state.json")  # fmt: skip
"""Where a link may be planted in the output folder (to the victim file or the outside folder)."""


@dataclass(frozen=True)
class Planting:
    """What an attack leaves before a build: where ``--out`` is, files and links in it."""

    out: str
    """``out`` beside the source, or a path into the source (``source/...``)."""
    files: dict[str, str] = field(default_factory=dict)
    """Files planted in the output folder: JSON naming escaping paths."""
    links: dict[str, str] = field(default_factory=dict)
    """Links planted in the output folder: to ``victim`` or ``outside``."""


VICTIM = "an editor's notes\n"
"""The victim file's text, outside the output folder."""


def planted_files(escape: list[str], digest: str, pairs: bool) -> dict[str, str]:
    """A manifest, journal and cache state naming ``escape`` as artifacts, with ``digest``
    (``{victim_sha}``: the victim's own) and the victim's size; the journal's staged files
    as ``[staged, final]`` pairs or bare paths."""
    records = [{"path": p, "sha256": digest, "size": len(VICTIM), "product": "chapter"}
               for p in escape]  # fmt: skip
    state = {"artifacts": {p: {"sha256": digest, "key": "k", "size": len(VICTIM)} for p in escape}}
    staged: list[Any] = [[".staging/x", p] for p in escape] if pairs else list(escape)
    journal = {"staged": staged, "remove": escape, "state": state,
               "manifest": {"artifacts": records}}  # fmt: skip
    planted = {"manifest.json": {"artifacts": records}, ".journal.json": journal,
               ".cache/state.json": state}  # fmt: skip
    return {name: json.dumps(value) for name, value in planted.items()}


@st.composite
def plantings(draw: st.DrawFn) -> Planting:
    """``--out`` inside the source, or a planted journal, manifest, cache state or links."""
    kind = draw(st.sampled_from(["inside", "planted", "planted", "link", "link", "both"]))
    if kind == "inside":
        out = draw(st.sampled_from(["source/out", "source/chapters/out", "source", "source/..",
                                    "source/figures/../out", "link-to-source/out"]))  # fmt: skip
        return Planting(out)
    files: dict[str, str] = {}
    links: dict[str, str] = {}
    if kind in ("planted", "both"):
        escape = draw(st.lists(st.sampled_from(ESCAPES), min_size=1, max_size=3))
        digest = draw(st.sampled_from(["0" * 64, "{victim_sha}"]))
        planted = planted_files(escape, digest, pairs=draw(st.booleans()))
        for name in draw(st.lists(st.sampled_from(sorted(planted)), min_size=1, unique=True)):
            files[name] = planted[name]
    if kind in ("link", "both"):
        for name in draw(st.lists(st.sampled_from(LINKS), min_size=1, max_size=2, unique=True)):
            links[name] = draw(st.sampled_from(["victim", "outside"]))
        if any(name.startswith(parent + "/") for name in links for parent in links):
            links = dict(list(links.items())[:1])
    return Planting("out", files, links)
