"""The controlled vocabulary (``source/terminology.yaml``).

This is the registry's first shape: concepts, their synonyms and rejected variants, and
abbreviations. The linter extends it; adding a term is always an edit to data, never to Python.
"""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from pipeline.model.types import ChapterId, Text

ConceptKind = Literal[
    "diagnosis", "sign", "finding", "modality", "sequence", "anatomy", "pathology", "procedure"
]
SynonymStatus = Literal["allowed", "synonyms-list-only", "deprecated", "forbidden"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Synonym(_Strict):
    """Another name for a concept, with where it may be used."""

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
    synonyms: list[Synonym] = []
    rejected: list[RejectedVariant] = []
    codes: list[Coding] = []


class Abbreviation(_Strict):
    """An abbreviation, its expansion, and whether it must be expanded at first use."""

    abbr: Text
    expansion: Text
    policy: Literal["expand-at-first-use", "house-standard"] = "expand-at-first-use"


class Terminology(_Strict):
    """The whole registry."""

    concepts: list[Concept] = []
    abbreviations: list[Abbreviation] = []

    def concept(self, concept_id: str) -> Concept | None:
        """Return the concept with this id, if the registry has it."""
        return next((c for c in self.concepts if c.id == concept_id), None)
