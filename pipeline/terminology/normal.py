"""Text seen through disguises: invisible characters dropped, look-alike letters made Latin.

A rejected term written with a zero-width space inside it, or with a Cyrillic "а" for the
Latin "a", looks the same on the page but is another string. ``fold`` undoes both, and
keeps for every character of its result the offset of the character it came from, so a
finding on the folded text points at the text as written. This module is the one place
that decides what counts as invisible and which letters are look-alikes: the matcher
searches folded text, and the lint rules Y106 and Y107 report what folding removed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

_DEFAULT_IGNORABLE: tuple[tuple[int, int], ...] = (
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160),
    (0x17B4, 0x17B5), (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E),
    (0x2060, 0x206F), (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)  # fmt: skip
"""Unicode's Default_Ignorable_Code_Point ranges (DerivedCoreProperties.txt): characters a
renderer draws as nothing. Spaces are not among them: the no-break space U+00A0 and the thin
and narrow no-break spaces U+2009 and U+202F are visible typography and are kept."""

DELETABLE = frozenset("\u00ad\u034f\u061c\u200b\u200e\u200f\u2060\ufeff")
"""Invisible characters whose deletion is always the right edit in running text: soft
hyphen, combining grapheme joiner, Arabic letter mark, zero-width space, LRM, RLM, word
joiner and a byte-order mark inside text."""

JOINERS = frozenset("\u200c\u200d")
"""ZWNJ and ZWJ: deleted only between two Latin letters (they shape Indic scripts and emoji)."""

CONFUSABLES: dict[str, str] = {
    # Cyrillic small letters drawn like Latin ones
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x",
    "і": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "ԛ": "q", "ԝ": "w", "һ": "h",
    # Cyrillic capitals
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P",
    "С": "C", "Т": "T", "Х": "X", "І": "I", "Ј": "J", "Ѕ": "S",
    # Greek: omicron and the capitals identical to Latin ones. Not alpha, beta, gamma, nu:
    # "TNFα" and "IFNγ" are legitimate words, and α or ν only resemble a and v.
    "ο": "o", "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K",
    "Μ": "M", "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
    # the modifier-letter apostrophe, a letter that looks like the apostrophe
    "\u02bc": "'",
}  # fmt: skip
"""Characters drawn exactly like a Latin letter (or the apostrophe), with what they imitate.
Mapped only inside a word that also has a Latin letter: a word wholly in Cyrillic or Greek
is that language, not a disguise."""

_WORD = re.compile(r"\w+(?:['’ʼ]\w+)*")
"""A word, an apostrophe inside it included: in ``Paget'ѕ`` the Cyrillic ``ѕ`` is no word of
its own (one wholly Cyrillic, left alone) but a disguise in a Latin one."""


def is_invisible(char: str) -> bool:
    """True for a format character (category Cf) or a default-ignorable code point."""
    if char.isascii():
        return False
    if unicodedata.category(char) == "Cf":
        return True
    point = ord(char)
    return any(low <= point <= high for low, high in _DEFAULT_IGNORABLE)


def is_latin(char: str) -> bool:
    """True for a Latin letter, with or without accents."""
    if char.isascii():
        return char.isalpha()
    return char.isalpha() and unicodedata.name(char, "").startswith("LATIN ")


def describe(char: str) -> str:
    """``U+200B ZERO WIDTH SPACE``: the code point and its Unicode name."""
    return f"U+{ord(char):04X} {unicodedata.name(char, 'unnamed character')}"


@dataclass(frozen=True)
class Folded:
    """A text folded: ``text``, and for each of its offsets the offset in the original.

    ``origin`` has one entry per character of ``text`` plus one for its end. ``hidden`` are
    the offsets of the invisible characters dropped; ``swaps`` the offsets of the look-alikes
    replaced, each with its Latin letter.
    """

    text: str
    origin: Sequence[int]
    hidden: tuple[int, ...] = ()
    swaps: tuple[tuple[int, str], ...] = ()

    def start(self, offset: int) -> int:
        """The original offset of the character at ``offset``."""
        return self.origin[offset]

    def end(self, offset: int) -> int:
        """The original offset just after the character before ``offset`` (a match's end)."""
        return self.origin[offset - 1] + 1 if offset > 0 else self.origin[0]


@lru_cache(maxsize=4096)
def fold(text: str) -> Folded:
    """``text`` without invisible characters and with look-alikes in Latin words made Latin."""
    if text.isascii():
        return Folded(text, range(len(text) + 1))
    kept: list[str] = []
    origin: list[int] = []
    hidden: list[int] = []
    for at, char in enumerate(text):
        if is_invisible(char):
            hidden.append(at)
        else:
            kept.append(char)
            origin.append(at)
    origin.append(len(text))
    swaps: list[tuple[int, str]] = []
    for word in _WORD.finditer("".join(kept)):
        letters = word.group()
        if not any(c in CONFUSABLES for c in letters) or not any(map(is_latin, letters)):
            continue
        for at in range(word.start(), word.end()):
            latin = CONFUSABLES.get(kept[at])
            if latin is not None:
                kept[at] = latin
                swaps.append((origin[at], latin))
    return Folded("".join(kept), tuple(origin), tuple(hidden), tuple(swaps))


LIGATURES: dict[str, str] = {
    "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ß": "ss", "ø": "o", "Ø": "O",
    "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ı": "i",
}  # fmt: skip
"""Letters that no decomposition makes Latin: a ligature spelled out, a letter with a stroke
read as the letter. ``œdema`` is ``oedema``, which the dialect rules then read as ``edema``."""


@lru_cache(maxsize=4096)
def unaccent(text: str) -> Folded:
    """``text`` with its letters' diacritics dropped: ``Schönberg`` reads ``Schonberg``.

    A registered form written with or without its accents (``Albers-Schönberg``,
    ``Albers-Schonberg``) is one form to the matcher. A letter with a diacritic becomes its
    base letter, a combining mark written apart is dropped, a ligature is spelled out
    (``LIGATURES``); ``origin`` maps each offset of the result to ``text``.
    """
    if text.isascii():
        return Folded(text, range(len(text) + 1))
    kept: list[str] = []
    origin: list[int] = []
    for at, char in enumerate(text):
        plain = char if char.isascii() else _base_letters(char)
        kept.append(plain)
        origin.extend([at] * len(plain))
    origin.append(len(text))
    return Folded("".join(kept), tuple(origin))


def _base_letters(char: str) -> str:
    if char in LIGATURES:
        return LIGATURES[char]
    if unicodedata.combining(char):
        return ""
    base = unicodedata.normalize("NFD", char)[0]
    return base if base.isascii() and base.isalpha() else char


def shown(text: str) -> str:
    """``text`` with each invisible character written as ``<U+200B>``, for a message."""
    return "".join(f"<U+{ord(c):04X}>" if is_invisible(c) else c for c in text)


def word_around(text: str, at: int) -> str:
    """The word of ``text`` that holds offset ``at``, invisible characters included."""
    start, end = at, at + 1
    while start > 0 and _in_word(text[start - 1]):
        start -= 1
    while end < len(text) and _in_word(text[end]):
        end += 1
    return text[start:end]


def _in_word(char: str) -> bool:
    return char.isalnum() or char in "'’-_" or char in CONFUSABLES or is_invisible(char)
