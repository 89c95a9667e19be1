"""The differential names of a chapter, from Key Facts and from Differential Diagnosis."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.lint.context import ChapterContext
from pipeline.model.skeleton import DIFFERENTIAL_DIAGNOSIS as SECTION
from pipeline.model.skeleton import TOP_DIFFERENTIALS as KEY_FACTS_LIST
from pipeline.terminology.matcher import Sense, key
from pipeline.terminology.text import TextUnit


@dataclass(frozen=True)
class Differential:
    """A differential name as written, where, and what the registry makes of it."""

    unit: TextUnit
    name: str
    start: int
    senses: tuple[Sense, ...]

    @property
    def diagnosis(self) -> Sense | None:
        """The sense naming a diagnosis, preferred senses first."""
        diagnoses = [s for s in self.senses if s.concept.kind == "diagnosis"]
        diagnoses.sort(key=lambda s: s.kind != "preferred")
        return diagnoses[0] if diagnoses else None

    @property
    def identity(self) -> str:
        """The concept id when resolved, else the name's key: what lists are compared by."""
        sense = self.diagnosis
        return sense.concept.id if sense else key(self.name)


def differentials(ctx: ChapterContext, where: str) -> list[Differential]:
    """Differential names of Key Facts (``where="key-facts"``) or the section (``"section"``)."""
    found = []
    for unit in ctx.units:
        place = unit.place
        wanted = (
            (place.section, place.subsection) == KEY_FACTS_LIST
            if where == "key-facts"
            else place.section == SECTION and place.kind == "heading"
        )
        name = unit.raw.strip()
        if wanted and name:
            senses = ctx.matcher.senses.get(key(name), [])
            found.append(Differential(unit, name, unit.raw.index(name), tuple(senses)))
    return found
