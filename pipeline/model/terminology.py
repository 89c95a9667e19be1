"""The controlled vocabulary (``source/terminology.yaml`` or ``source/terminology/*.yaml``).

Rule kinds are code; rule instances are data: adding a term, a rejected variant, an
abbreviation or a spelling is an edit to the registry, never to Python. Entries may carry
``examples`` (text that must and must not be flagged), which the test suite runs.
"""

import importlib
import re
from collections.abc import Callable
from typing import Annotated, Any, Literal, NamedTuple

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError

from pipeline.model.types import ChapterId, Text

MAX_TRIES = 100
"""How many ways an ``identifiers`` pattern may try to match one token (see ``_safe``)."""
MAX_WORK = 2000
"""How much a ``not_when`` pattern may do at one place in a bullet: ways times characters."""
_CAP = 10**9

_PARSER: Any = importlib.import_module("re._parser")
"""Python's own regex parser (private, the same on 3.11 to 3.13): the parse tree we check."""
_ONE_CHARACTER = {"LITERAL", "NOT_LITERAL", "ANY", "IN"}
_REPEATS = {"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"}


class _UnsafeError(Exception):
    """A pattern outside the safe subset; the message says which rule it breaks."""


class _Work(NamedTuple):
    """What a pattern can do at one place in the text.

    ``ways``: how many ways it may try (bounded repeats and alternatives multiply them);
    ``width``: how many characters one try may read; ``unbounded``: how many unbounded
    repeats (``*``, ``+``, ``{m,}``) one try meets, each of which may read the whole text.
    """

    ways: int = 1
    width: int = 0
    unbounded: int = 0

    def then(self, other: "_Work") -> "_Work":
        """The work of this part followed by ``other``."""
        return _Work(
            min(self.ways * other.ways, _CAP),
            min(self.width + other.width, _CAP),
            self.unbounded + other.unbounded,
        )


def _work(items: Any) -> _Work:
    r"""The work of a parsed pattern at one place in the text.

    Python's regex engine backtracks: where a pattern can match in several ways it tries them
    one by one. A sequence tries the product of its parts' ways, alternatives the sum,
    ``x{m,n}`` of one character ``n - m + 1``, ``x?`` two. A repeated group that can itself
    match in more than one way (``(a+)+``, ``(\w+\s?)*``, ``(a|ab)*``) multiplies its ways
    once per repetition, which is exponential time: it raises ``_UnsafeError``, as does a
    backreference, whose work no count bounds.
    """
    total = _Work()
    for op, arg in items:
        name = str(op)
        if name in _ONE_CHARACTER:
            part = _Work(width=1)
        elif name == "AT":
            continue
        elif name in ("GROUPREF", "GROUPREF_EXISTS"):
            raise _UnsafeError("uses a backreference or a conditional group")
        elif name == "BRANCH":
            parts = [_work(branch) for branch in arg[1]]
            part = _Work(
                min(sum(p.ways for p in parts), _CAP),
                max(p.width for p in parts),
                max(p.unbounded for p in parts),
            )
        elif name == "SUBPATTERN":
            part = _work(arg[3])
        elif name == "ATOMIC_GROUP":
            part = _work(arg)
        elif name in ("ASSERT", "ASSERT_NOT"):
            part = _work(arg[1])
        elif name in _REPEATS:
            part = _repeat(*arg)
        else:  # an operator a newer Python adds: refused until this walk knows it
            raise _UnsafeError(f"uses a construct this check does not know ({name})")
        total = total.then(part)
    return total


def _repeat(low: int, high: int, body: Any) -> _Work:
    inner = _work(body)
    if high <= 1:  # x? and (...)?: the body, or nothing
        return inner._replace(ways=min(inner.ways + 1, _CAP), width=inner.width * high)
    if inner.ways > 1 or inner.unbounded:
        raise _UnsafeError(
            "repeats a group that itself repeats or has alternatives, which can take time"
            " exponential in the length of the text"
        )
    if high == _PARSER.MAXREPEAT:
        return _Work(width=0, unbounded=1)
    return _Work(min(high - low + 1, _CAP), min(high * inner.width, _CAP))


def _safe(field: Literal["not_when", "identifiers"]) -> Callable[[str], str]:
    """A validator: the pattern compiles, and its work at one place is bounded.

    Registry patterns come from pull requests, and a pattern such as ``(a+)+$`` can hang lint
    for hours on a 40-character word. We refuse such patterns when the registry is validated
    (V110, at the pattern) rather than run them under a time limit: a check of the pattern
    alone gives the same answer on every machine, at once, whatever the text. Refused
    anywhere: backreferences and conditional groups; a quantifier other than ``?`` on
    anything but one character, a class, or a group with neither quantifiers nor
    alternatives inside (``_work``).

    Then the work at one place is bounded: at most ``MAX_TRIES`` ways. ``not_when``
    patterns are searched through whole bullets, so their work must not grow with the text:
    no unbounded repeat (``*``, ``+``, ``{m,}``; write ``{0,40}``), and at most ``MAX_WORK``
    for ways times characters read (``.{0,99}.{100}!`` at 20,000 took 10 s per MiB of
    bullet). ``identifiers`` are matched whole against one token, at most a line long: one
    unbounded repeat costs time linear in the token, so one is allowed.
    """

    def check(pattern: str) -> str:
        try:
            re.compile(pattern)
        except (re.error, RecursionError, OverflowError) as err:
            reason = "it is nested too deeply" if isinstance(err, RecursionError) else str(err)
            raise PydanticCustomError(
                "regex",
                "'{pattern}' is not a regular expression: {reason}",
                {"pattern": pattern, "reason": reason},
            ) from None
        try:
            _bounded(_work(_PARSER.parse(pattern).data), field)
        except _UnsafeError as err:
            raise PydanticCustomError(
                "regex_unsafe", "'{pattern}' {reason}", {"pattern": pattern, "reason": str(err)}
            ) from None
        return pattern

    return check


def _bounded(work: _Work, field: str) -> None:
    allowed = 0 if field == "not_when" else 1
    if work.unbounded > allowed:
        repeats = _count(work.unbounded, "unbounded repeat")
        raise _UnsafeError(
            f"has {repeats} (*, + or {{m,}}); a pattern of {field} may have"
            f" {'one' if allowed else 'none'}: give each a bound, such as {{1,20}}"
        )
    if field == "not_when" and work.ways * work.width > MAX_WORK:
        raise _UnsafeError(
            f"may try {_count(work.ways, 'way')} of up to {_count(work.width, 'character')} at"
            f" each place in a bullet, more than {MAX_WORK:,} in all: narrow its {{m,n}}"
            " ranges or its alternatives"
        )
    if work.ways > MAX_TRIES:
        raise _UnsafeError(
            f"may try {_count(work.ways, 'way')} at each place; the limit is {MAX_TRIES}:"
            " narrow its {m,n} ranges or its alternatives"
        )


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}" + ("" if number == 1 else "s")


NotWhenRegex = Annotated[str, AfterValidator(_safe("not_when"))]
IdentifierRegex = Annotated[str, AfterValidator(_safe("identifiers"))]

ConceptKind = Literal[
    "diagnosis", "sign", "finding", "modality", "sequence", "anatomy", "pathology", "procedure"
]
SynonymStatus = Literal["allowed", "synonyms-list-only", "deprecated", "forbidden"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Examples(_Strict):
    """Sentences the linter must flag (``bad``) and must leave alone (``good``)."""

    bad: list[Text] = []
    good: list[Text] = []


class Synonym(_Strict):
    """Another name for a concept, and where it may be used.

    ``allowed``: anywhere except Key Facts, headings and differential names (there the
    preferred term is required); ``synonyms-list-only``: only in Terminology › Synonyms;
    ``deprecated``: replace with the preferred term (warning); ``forbidden``: replace (error).
    """

    term: Text
    status: SynonymStatus = "allowed"


class RejectedVariant(_Strict):
    """A spelling or form that must be replaced (``Paget's disease`` → ``Paget disease``)."""

    term: Text
    use: Text


class Coding(_Strict):
    """An external code for a concept, e.g. a RadLex RID, with where it was taken from."""

    system: Text = Field(description="Code system URI, e.g. http://radlex.org.")
    code: Text
    display: Text | None = None
    source: Text | None = Field(default=None, description="Provenance of the mapping.")


class Concept(_Strict):
    """One concept of the vocabulary."""

    id: ChapterId
    kind: ConceptKind
    preferred: Text
    inflections: list[Text] = Field(
        default=[], description="Irregular forms (plural or singular) regular rules miss."
    )
    synonyms: list[Synonym] = []
    rejected: list[RejectedVariant] = []
    codes: list[Coding] = []
    examples: Examples = Examples()


class Abbreviation(_Strict):
    """An abbreviation, its expansion, and whether it must be expanded at first use.

    ``not_when`` holds regular expressions over the sentence: where one matches around the
    token, the token means something else (``T1`` the vertebra, not the weighting) and the
    abbreviation ledger leaves it alone.
    """

    abbr: Text
    expansion: Text
    policy: Literal["expand-at-first-use", "house-standard"] = "expand-at-first-use"
    study: bool | None = Field(
        default=None,
        description="Whether the study deck asks for it (both ways). Default: yes for "
        "expand-at-first-use, no for house-standard (a trainee knows CT).",
    )
    not_when: list[NotWhenRegex] = []
    examples: Examples = Examples()


class Spelling(_Strict):
    """A spelling of another dialect and the house spelling (``tumour`` → ``tumor``)."""

    variant: Text
    use: Text
    examples: Examples = Examples()


class DialectRules(_Strict):
    """What the dialect spelling rules (Y102) leave alone.

    Besides the ``spellings`` list, Y102 reads British spellings by word form: ``-ise`` and
    ``-isation``, the ``ae`` and ``oe`` of medical stems (``haem-``, ``oedem-``, ``paed-``),
    ``-our``, ``-tre`` (``pipeline/terminology/dialect.py``). A built-in list keeps words
    such as ``exercise``, ``otherwise``, ``contour`` and ``theatre`` from them; ``exceptions``
    adds the house's own. Each entry covers the word's forms (``exercise``: ``exercised``,
    ``unexercised``); one with a leading hyphen is a word ending (``-wise``).
    """

    exceptions: list[Text] = Field(
        default=[],
        description="Words the dialect spelling rules leave alone, besides the built-in"
        " list; '-wise' is a word ending.",
    )


class EponymPolicy(_Strict):
    """How eponyms are written: AMA style is nonpossessive (``Paget disease``)."""

    style: Literal["nonpossessive", "possessive"] = "nonpossessive"
    nouns: list[Text] = Field(
        default=["disease", "syndrome", "sign", "fracture", "tumor", "sarcoma", "lesion",
                 "node", "phenomenon", "triad", "law", "classification"],
        description="Nouns after which a possessive eponym is flagged.",
    )  # fmt: skip
    exceptions: list[Text] = Field(
        default=[], description="Names written possessive by house decision."
    )
    examples: Examples = Examples()


class Terminology(_Strict):
    """The whole registry."""

    concepts: list[Concept] = []
    abbreviations: list[Abbreviation] = []
    spellings: list[Spelling] = []
    dialect: DialectRules = DialectRules()
    eponyms: EponymPolicy = EponymPolicy()
    identifiers: list[IdentifierRegex] = Field(
        default=[r"[CTLS]\d{1,2}", r"[IVX]{2,}"],
        description="Regexes of capitalised tokens that are not abbreviations (L3, T12, IV).",
    )

    def concept(self, concept_id: str) -> Concept | None:
        """Return the concept with this id, if the registry has it."""
        return next((c for c in self.concepts if c.id == concept_id), None)
