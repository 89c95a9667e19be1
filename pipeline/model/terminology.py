"""The controlled vocabulary (``source/terminology.yaml`` or ``source/terminology/*.yaml``).

Rule kinds are code; rule instances are data: adding a term, a rejected variant, an
abbreviation or a spelling is an edit to the registry, never to Python. Entries may carry
``examples`` (text that must and must not be flagged), which the test suite runs.
"""

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError

from pipeline.model.types import ChapterId, Text


def _compiles(pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error as err:
        raise PydanticCustomError(
            "regex",
            "'{pattern}' is not a regular expression: {reason}",
            {"pattern": pattern, "reason": str(err)},
        ) from err
    return pattern


Regex = Annotated[str, AfterValidator(_compiles)]

ConceptKind = Literal[
    "diagnosis", "sign", "finding", "modality", "sequence", "anatomy", "pathology", "procedure"
]
SynonymStatus = Literal["allowed", "synonyms-list-only", "deprecated", "forbidden"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


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
    not_when: list[Regex] = []
    examples: Examples = Examples()


class Spelling(_Strict):
    """A spelling of another dialect and the house spelling (``tumour`` → ``tumor``)."""

    variant: Text
    use: Text
    examples: Examples = Examples()


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
    eponyms: EponymPolicy = EponymPolicy()
    identifiers: list[Regex] = Field(
        default=[r"[CTLS]\d{1,2}", r"[IVX]{2,}"],
        description="Regexes of capitalised tokens that are not abbreviations (L3, T12, IV).",
    )

    def concept(self, concept_id: str) -> Concept | None:
        """Return the concept with this id, if the registry has it."""
        return next((c for c in self.concepts if c.id == concept_id), None)
