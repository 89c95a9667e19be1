"""British spellings told by word form, and the US spelling the house writes instead.

The registry's ``spellings`` list names words one by one (``tumour`` → ``tumor``); these
rules know the patterns behind such lists, so a word nobody listed (``mineralised``,
``oedematous``, ``peritumoural``) is still read as, and reported for, the house spelling:

- a word ending ``-ise``, ``-ised``, ``-ises``, ``-ising``, ``-iser(s)``, ``-isable`` or
  ``-isation(s)`` after a consonant takes ``-ize…`` (``mineralised`` → ``mineralized``);
  ``-yse``, ``-ysed``, ``-ysing``, ``-yser`` take ``-yze…`` (``analysed`` → ``analyzed``;
  ``analyses`` is also the plural of ``analysis`` and is left alone);
- the ``ae`` and ``oe`` of British medical stems lose a letter wherever they stand in the
  word: ``haem-`` and ``-aemia`` (``lipohaemarthrosis``, ``ischaemic``, ``leukaemia``),
  ``-aesth-`` after a prefix (``anaesthesia``, ``paraesthesia``; ``aesthetic`` is US too),
  ``aetio-``, ``caec-``, ``faec-``, ``gynaec-``, ``paed-``, ``oedem-``, ``oesoph-``,
  ``oestr-``, ``foet-``, ``-rrhoea``, ``-pnoea``, ``coeli-``, ``homoeo-``, ``-coele``,
  ``caesium``, ``caesarean``, ``laevo-``, ``palaeo-``, ``fraenum``, ``arytaenoid``;
  ``sulph-`` takes ``sulf-``, ``practise`` ``practice`` and ``manoeuvre`` ``maneuver``;
- ``-our`` takes ``-or``, with its endings (``tumours``, ``tumoural``, ``colourless``,
  ``favourite``; ``colourise`` is ``colorize``);
- ``-tre`` and ``-bre`` take ``-ter`` and ``-ber`` (``centre``, ``litres``, ``centred``,
  ``fibre``), and so do ``fibre`` and ``centre`` inside a word (``fibreoptic``).

A rule never touches a word of the exceptions, nor another form of one: ``exercise`` keeps
``exercised`` and ``exercising`` alone. An exception written with a leading hyphen is a word
ending: ``-wise`` keeps ``otherwise`` and ``clockwise``. ``DEFAULT_EXCEPTIONS`` always
apply; the registry's ``dialect.exceptions`` add to them.

``respell`` answers for one lower-case word; ``respellings`` finds every British word of a
text in one search, so a text without one (most of them) costs that search alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from pipeline.terminology.normal import Folded, unaccent

DEFAULT_EXCEPTIONS: tuple[str, ...] = (
    # never -ize or -yze: the -ise belongs to the word, not to a verb ending
    "abscise", "advertise", "advise", "anise", "apprise", "arise", "chastise", "chemise",
    "circumcise", "concise", "demise", "despise", "disguise", "excise", "exercise",
    "exorcise", "expertise", "incise", "merchandise", "mortise", "paradise", "precise",
    "premise", "remise", "rise", "geyser", "surmise", "treatise", "valise", "cerise", "bruise",
    "cruise", "disease", "noise", "poise", "praise", "raise", "denise", "elise",
    "-franchise", "-prise", "-promise", "-vise", "-wise",
    # plurals of nouns in -is, which end as a verb in -ise does
    "crises", "irises", "pelvises", "penises", "clitorises", "cutises", "mantises", "ibises",
    "cannabises", "proboscises", "rachises", "phthises", "haggises", "trellise", "irisation",
    "-itises", "-glottises", "-dermises", "-polises",
    # ae and oe that are US spelling too; Latin names of organisms keep theirs
    "aerial", "aerobic", "aesthetic", "algae", "vertebrae", "daemon", "caecilian",
    "gynaeceum", "haemophilus", "haematobium", "haematoxylon",
    # -our words that are no British spelling of an -or word, and names
    "amour", "contour", "detour", "devour", "glamour", "paramour", "pompadour", "pour",
    "scour", "tour", "troubadour", "velour", "giaour", "pandour", "parkour", "tambour",
    "-flour", "balfour", "barbour", "seymour", "bistoury",
    # -tre and -bre words spelled so in the US as well, and names
    "antre", "-contre", "hatred", "hombre", "lettre", "libre", "macabre", "notre", "outre",
    "quatre", "timbre", "-theatre", "-maitre", "chartres", "fabre", "-martre", "sartre",
)  # fmt: skip
"""Words the rules leave alone, and every word that starts with one, alone or after a
prefix such as ``un-`` or ``over-`` (``unexercised``, ``overprecise``, ``daemonic``). An
entry with a leading hyphen is a word ending (``-wise``: ``otherwise``, ``clockwise``).
``theatre`` is current US spelling beside ``theater``; ``metre`` is not (the US unit is the
``meter``), so it is flagged. Words no rule can reach need no entry: ``hour`` and ``four``
are too short for ``-our``, ``course`` has no British ending."""

_PREFIXES = re.compile(
    "(?:un|non|over|under|pre|re|mis|dis|im|in|out|up|down|high|moon|sun|super|counter"
    "|self|semi|anti|post|inter|intra)"
)
"""Prefixes stripped from a word before it is compared with the exceptions."""

_STEMS: dict[str, str] = {
    "aem": "em", "aesth": "esth", "aetio": "etio", "caec": "cec", "faec": "fec",
    "gynaec": "gynec", "paed": "ped", "oedem": "edem", "oesoph": "esoph", "oestr": "estr",
    "foet": "fet", "rrhoe": "rrhe", "pnoe": "pne", "coeli": "celi", "homoeo": "homeo",
    "sulph": "sulf", "practis": "practic", "caesi": "cesi", "caesare": "cesare",
    "laev": "lev", "palaeo": "paleo", "fraen": "fren", "arytaen": "aryten", "coele": "cele",
    "our": "or", "manoeuvred": "maneuvered", "manoeuvre": "maneuver",
    "manoeuvr": "maneuver", "fibre": "fiber", "centre": "center",
}  # fmt: skip
"""British stems and their US form, wherever they stand in a word unless ``_WHERE`` says."""

_WHERE = {
    "oestr": "oestr(?<!hoestr)",  # not shoestring
    "coele": "coele(?<=[a-z]coele)",  # hydrocoele; not coelenterate
    "our": "our(?<=[a-z]{2}our)(?=i[sz](?:e|ed|es|ing|ations?|ers?)END)",  # colourise
    "aesth": "aesth(?<=[a-z]aesth)",  # after a prefix: anaesthesia, not aesthetic
    "fibre": "fibre(?=[a-ce-rt-z])",  # inside a word: fibreoptic; fibres is an ending
    "centre": "centre(?=[a-ce-rt-z])",
}
"""Where a stem counts, when not anywhere. Every pattern starts with its letters, so that
``_by_first_letter`` can group them; a lookbehind comes after them, where it is tried only
when they are there."""

_ENDINGS = (
    "is(?<=[a-z][b-df-hj-np-tv-z]is)(?P<ise>e|ed|es|ing|ation|ations|er|ers|able)END",
    "ys(?<=[a-z]{2}ys)(?P<yse>e|ed|ing|er|ers|able)END",
    "our(?<=[a-z]{2}our)(?P<our>s|ed|ing|ings|al|ally|ful|fully|less|able|ably|ite|ites"
    "|itism|ist|ists|ism|er|ers|ee|ees|y|ation|ations|ant|ants|)END",
    "tre(?<=[a-z]{2}tre)(?P<tre>s|d|)END",
    "bre(?<=[a-z]{2}bre)(?P<bre>s|)END",
)
"""The British endings (``END``: where the word ends). Two letters at least stand before
them (``rise`` and ``hour`` are no forms of a verb or an -or word), and a consonant before
``-ise`` (``noise``, ``raise``)."""


def _by_first_letter(patterns: Iterable[str]) -> str:
    """One alternation of ``patterns``, grouped by first letter: ``a(?:em|esth)|c(?:aec)``.

    The regex engine then tries at each place only the patterns that start with its letter,
    not all of them: the search of a text is about seven times faster.
    """
    groups: dict[str, list[str]] = {}
    for pattern in patterns:
        groups.setdefault(pattern[0], []).append(pattern[1:])
    return "|".join(f"{first}(?:{'|'.join(rest)})" for first, rest in groups.items())


_STEM = [_WHERE.get(s, s) for s in sorted(_STEMS, key=len, reverse=True)]
_IN_WORD = re.compile(_by_first_letter(_STEM).replace("END", "$"))
_WORD_ENDING = re.compile("|".join(_ENDINGS).replace("END", "$"))
_US_ENDING = {"ise": "iz", "yse": "yz", "our": "or", "tre": "ter", "bre": "ber"}

CANDIDATES = re.compile(_by_first_letter([*_STEM, *_ENDINGS]).replace("END", "(?![a-z])"))
"""Where in a lower-case text a British form may stand: a stem, or a family's ending at a
word's end. A hit is a place to look, not a finding (``noise`` and ``contour`` are hits)."""

_LETTERS = re.compile("[a-z]+")


@dataclass(frozen=True)
class Respelling:
    """A British ``word`` at ``start:end`` of a text, and ``house``: its US form (lower case)."""

    start: int
    end: int
    word: str
    house: str


def exception_set(extra: Iterable[str] = ()) -> frozenset[str]:
    """The default exceptions and ``extra``, lower case: what ``respell`` takes."""
    return frozenset(unaccent(e.strip().lower()).text for e in (*DEFAULT_EXCEPTIONS, *extra))


DEFAULTS = exception_set()
"""The built-in exceptions alone: what the matcher reads text with (see ``matcher.key``)."""


def excepted(word: str, exceptions: frozenset[str]) -> bool:
    """True when ``word`` (lower case) is a form of one of ``exceptions``.

    Its forms are the word and its plain form, the family's ending made plain
    (``exercising`` is ``exercise``, ``contoured`` is ``contour``), each also without a
    prefix (``unexercised``). One of them that starts with an exception is excepted; an
    exception with a leading hyphen (``-wise``) is compared with the forms' endings instead.
    """
    forms = [word]
    ending = _WORD_ENDING.search(word)
    if ending is not None:
        forms.append(word[: ending.start()] + (ending.lastgroup or ""))
    for form in forms[:]:
        prefix = _PREFIXES.match(form)
        if prefix is not None and len(form) - prefix.end() > 3:
            forms.append(form[prefix.end() :])
    return any(
        form.endswith(entry[1:]) if entry[:1] == "-" else form.startswith(entry)
        for entry in exceptions
        for form in forms
    )


@lru_cache(maxsize=16384)
def respell(word: str, exceptions: frozenset[str] = DEFAULTS) -> str | None:
    """The US spelling of the lower-case ``word``, or None when it is no British form."""
    if excepted(word, exceptions):
        return None
    house = _IN_WORD.sub(lambda stem: _STEMS[stem.group()], word)
    ending = _WORD_ENDING.search(house)
    if ending is not None:
        family = ending.lastgroup or ""
        rest = ending.group(family)
        if family == "tre" and rest == "d":
            rest = "ed"  # centred → centered
        house = house[: ending.start()] + _US_ENDING[family] + rest
    return house if house != word else None


def respellings(text: str, exceptions: frozenset[str] = DEFAULTS) -> list[Respelling]:
    """Every British word of the lower-case ``text``, in order, with its US form.

    A word is a run of the letters a to z: a hyphen, an apostrophe or a digit ends it, so
    ``tumour-like`` holds the word ``tumour``.
    """
    found: list[Respelling] = []
    at = 0
    while (hit := CANDIDATES.search(text, at)) is not None:
        start = hit.start()
        while start and "a" <= text[start - 1] <= "z":
            start -= 1
        end = _word_end(text, hit.end())
        word = text[start:end]
        house = respell(word, exceptions)
        if house is not None:
            found.append(Respelling(start, end, word, house))
        at = end
    return found


def _word_end(text: str, at: int) -> int:
    more = _LETTERS.match(text, at)
    return more.end() if more else at


def respelled(text: str) -> str:
    """The lower-case ``text`` with each British word in the house spelling."""
    parts: list[str] = []
    at = 0
    for word in respellings(text):
        parts += [text[at : word.start], word.house]
        at = word.end
    return "".join(parts) + text[at:] if parts else text


def in_house_spelling(folded: Folded) -> tuple[Folded, list[Respelling]]:
    """``folded`` with each British word in the house spelling, and those words.

    The result's ``origin`` still maps into the text ``folded`` came from, and the words'
    offsets are offsets there too. The letters of a word written anew map to the letters of
    the word as written, its last to the last, so a match that ends with the word ends where
    the written word ends.
    """
    text, origin = folded.text, folded.origin
    if CANDIDATES.search(text) is None:  # most texts: one search, nothing else
        return folded, []
    found = respellings(text)
    if not found:
        return folded, []
    parts: list[str] = []
    mapped: list[int] = []
    words: list[Respelling] = []
    at = 0
    for word in found:
        parts += [text[at : word.start], word.house]
        mapped.extend(origin[at : word.start])
        last = word.end - 1
        mapped.extend(origin[min(word.start + i, last)] for i in range(len(word.house) - 1))
        mapped.append(origin[last])
        words.append(Respelling(origin[word.start], origin[last] + 1, word.word, word.house))
        at = word.end
    parts.append(text[at:])
    mapped.extend(origin[at:])
    return Folded("".join(parts), tuple(mapped)), words
