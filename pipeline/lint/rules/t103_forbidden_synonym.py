"""T103: a forbidden synonym."""

from __future__ import annotations

from pipeline.diagnostics import Severity
from pipeline.lint.rules._terms import SenseRule


class ForbiddenSynonym(SenseRule):
    """Flags a synonym the registry marks ``forbidden``, wherever it stands.

    What it does: finds forbidden synonyms anywhere, the Synonyms list included.
    Why it matters: a forbidden name is wrong or harmful (an outdated eponym, a misleading
    or stigmatising label); it should not appear even as an alias.
    Example: ``- Marie-Strümpell disease`` where the registry forbids it
    Use instead: the concept's preferred term.
    Fix: safe; replaces the synonym by the preferred term, keeping a leading capital.
    """

    code = "T103"
    name = "forbidden-synonym"
    severity = Severity.ERROR
    kind = "synonym"
    statuses = ("forbidden",)
    problem = "is a forbidden name"
