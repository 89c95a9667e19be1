"""T111: a differential whose own chapter does not list this chapter's diagnosis back."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from typing_extensions import override

from pipeline.diagnostics import Severity
from pipeline.lint.base import Finding, Rule
from pipeline.lint.context import BookContext, ChapterContext
from pipeline.lint.rules._differentials import differentials
from pipeline.model.skeleton import DIFFERENTIAL_DIAGNOSIS, TOP_DIFFERENTIALS
from pipeline.model.span import Span


class DifferentialNotReciprocal(Rule):
    """Tells a chapter that does not list back a diagnosis whose chapter lists it.

    What it does: when chapter A lists B's diagnosis as a differential (in Key Facts › Top
    Differential Diagnoses or as a heading of Differential Diagnosis) and the book has a
    chapter about B, B's lists should name A's diagnosis too. Reported in B, at its
    Differential Diagnosis heading (else its Key Facts list, else its first line), as
    information: it fails nothing. Differentials are compared by concept, so a synonym
    counts as a listing.
    Why it matters: a trainee who reads B learns what A looks like only if B says so; a
    one-way list is usually an omission, sometimes a choice (A mimics B but not the other
    way round).
    Example: chapter blastic-osseous-metastases lists Hemangioma; chapter hemangioma lists
    neither blastic osseous metastases nor a synonym of it.
    Use instead: list A's diagnosis in B, or say why not with a directive in B:
    ``<!-- lint: disable-next-line T111 -- hemangioma rarely mimics a metastasis -->`` above
    the Differential Diagnosis heading. ``severity = { T111 = "warning" }`` under
    ``[tool.monograph.lint]`` makes it a warning; ``ignore = ["T111"]`` turns it off.
    Fix: none.
    """

    code = "T111"
    name = "differential-not-reciprocal"
    severity = Severity.INFO

    @override
    def summarize(self, ctx: ChapterContext) -> dict[str, Any]:
        """The chapter's concept, where it lists, and the concepts it lists (with names)."""
        listed: dict[str, str] = {}
        for where in ("key-facts", "section"):
            for item in differentials(ctx, where):
                sense = item.diagnosis
                if sense is not None:
                    listed.setdefault(sense.concept.id, item.name)
        span = _where_listed(ctx)
        return {
            "concept": ctx.chapter.meta.concept,
            "at": [span.path, span.line, span.column],
            "lists": listed,
        }

    @override
    @classmethod
    def summary_from_state(cls, state: Any) -> dict[str, Any]:
        concept, (path, line, column), lists = state["concept"], state["at"], state["lists"]
        if not isinstance(concept, str) or not isinstance(path, str) or not isinstance(lists, dict):
            raise ValueError(state)
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in lists.items()):
            raise ValueError(state)
        return {"concept": concept, "at": [path, int(line), int(column)], "lists": lists}

    @override
    def check_book(self, ctx: BookContext) -> Iterator[Finding]:
        chapters = [(chapter, s) for chapter, s in ctx.summaries if s is not None]
        about: dict[str, dict[str, Any]] = {}  # concept id: the first chapter about it
        for _chapter, summary in chapters:
            about.setdefault(summary["concept"], summary)
        for chapter, summary in chapters:
            for concept_id, name in summary["lists"].items():
                theirs = about.get(concept_id)
                if theirs is None or concept_id == summary["concept"]:
                    continue
                if summary["concept"] not in theirs["lists"]:
                    yield _finding(chapter, summary, name, theirs, ctx)


def _finding(
    chapter: str, summary: dict[str, Any], name: str, theirs: dict[str, Any], ctx: BookContext
) -> Finding:
    concept = ctx.terminology.concept(summary["concept"])
    ours = concept.preferred if concept else summary["concept"]
    path, line, column = theirs["at"]
    return Finding(
        Span(path=path, line=line, column=column),
        f"chapter '{chapter}' lists '{name}' as a differential of '{ours}'; "
        f"this chapter does not list '{ours}' back",
        f"Add '{ours}' to this chapter's differentials, or say why not in a directive: "
        f"<!-- lint: disable-next-line T111 -- reason -->.",
    )


def _where_listed(ctx: ChapterContext) -> Span:
    """Where a differential would be added: the section's heading, the Key Facts list's."""
    sections = {section.key: section for section in ctx.chapter.sections}
    if DIFFERENTIAL_DIAGNOSIS in sections:
        return sections[DIFFERENTIAL_DIAGNOSIS].span
    key_facts, top = TOP_DIFFERENTIALS
    for subsection in sections[key_facts].subsections if key_facts in sections else ():
        if subsection.key == top:
            return subsection.span
    return ctx.chapter.span
