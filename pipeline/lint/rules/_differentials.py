"""The differential names of a chapter, from Key Facts and from Differential Diagnosis."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.lint.context import ChapterContext
from pipeline.model.skeleton import DIFFERENTIAL_DIAGNOSIS as SECTION
from pipeline.model.skeleton import TOP_DIFFERENTIALS as KEY_FACTS_LIST
from pipeline.terminology.matcher import Sense, key
from pipeline.terminology.text import TextUnit, once


@dataclass(frozen=True)
class Differential:
    """A differential name as written, where, and what the registry makes of it."""

    unit: TextUnit
    name: str
    start: int
    senses: tuple[Sense, ...]

    @once
    def diagnosis(self) -> Sense | None:
        """The sense naming a diagnosis, preferred senses first."""
        diagnoses = [s for s in self.senses if s.concept.kind == "diagnosis"]
        diagnoses.sort(key=lambda s: s.kind != "preferred")
        return diagnoses[0] if diagnoses else None

    @once
    def identity(self) -> str:
        """The concept id when resolved, else the name's key: what lists are compared by."""
        sense = self.diagnosis
        return sense.concept.id if sense else key(self.name)


def differentials(ctx: ChapterContext, where: str) -> list[Differential]:
    """Differential names of Key Facts (``where="key-facts"``) or the section (``"section"``).

    Made once a chapter and shared: five rules ask, some twice.
    """
    memo = ctx.memo.get("differentials")
    if memo is None:
        memo = ctx.memo["differentials"] = _differentials(ctx)
    found: list[Differential] = memo[where]
    return found


def _differentials(ctx: ChapterContext) -> dict[str, list[Differential]]:
    found: dict[str, list[Differential]] = {"key-facts": [], "section": []}
    for unit in ctx.units:
        place = unit.place
        if (place.section, place.subsection) == KEY_FACTS_LIST:
            where = "key-facts"
        elif place.section == SECTION and place.kind == "heading":
            where = "section"
        else:
            continue
        name = unit.raw.strip()
        if name:
            senses = ctx.matcher.senses.get(key(name), [])
            found[where].append(Differential(unit, name, unit.raw.index(name), tuple(senses)))
    return found
