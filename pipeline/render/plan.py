"""Lay a chapter out before it is printed: figure numbers and places, citation numbers.

Figures are numbered in the order the reader meets them: each is placed after the subsection
that first refers to it (after the Key Facts box for a reference from Key Facts), and its
caption is read there, so references inside captions count too. Figures nothing refers to
follow the last section. References are numbered in order of first citation; chapter
references never cited follow, so nothing declared is dropped. The key figures of the Key Facts
handout are those Key Facts bullets refer to, or else the chapter's first figure.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.model import Chapter, Figure, Inline, Reference, Section, Subsection
from pipeline.model.inline import Citation, FigRef, Marker
from pipeline.model.names import chapter_anchor, description_anchor, figure_anchor, reference_anchor
from pipeline.model.skeleton import KEY_FACTS
from pipeline.model.walk import bullet_inlines, inlines
from pipeline.render.differential import DifferentialTable, differential_table

END = "end"
"""Placement key of the figures nothing refers to."""
MARKER_WORDS = {"arrow": "arrow", "open-arrow": "open arrow", "curved-arrow": "curved arrow",
                "arrowhead": "arrowhead", "asterisk": "asterisk"}  # fmt: skip
"""The words that stand for each marker kind (the legend's and the alt text's)."""


def overlay_uri(image_uri: str) -> str:
    """The address of the SVG that draws a figure's annotations over the image at ``image_uri``."""
    return f"{image_uri}.annotated.svg"


@dataclass(frozen=True)
class FigureView:
    """A figure as printed: its number, anchor, image address and the markers its caption uses."""

    figure: Figure
    number: str
    anchor: str
    markers: tuple[str, ...]
    """The marker kinds its caption uses, in order of first use."""

    @property
    def image_uri(self) -> str | None:
        """The address the document gives the image by (served from the checked bytes)."""
        return Path(self.figure.image.location).as_uri() if self.figure.image else None

    @property
    def picture_uri(self) -> str | None:
        """What the document shows: the image, or the SVG of its annotations drawn over it."""
        uri = self.image_uri
        return overlay_uri(uri) if uri and self.figure.annotations else uri

    @property
    def alt_text(self) -> str:
        """The alt text, then what each marker drawn over the image points at."""
        told = " ".join(
            f"{MARKER_WORDS[a.marker].capitalize()}: {a.shows}." for a in self.figure.annotations
        )
        return f"{self.figure.alt} {told}".strip() if told else self.figure.alt

    @property
    def legend(self) -> list[tuple[str, str]]:
        """Each marker of the caption with what it shows (its annotations' words), in order."""
        shows: dict[str, list[str]] = {}
        for annotation in self.figure.annotations:
            shows.setdefault(annotation.marker, []).append(annotation.shows)
        return [(kind, "; ".join(shows.get(kind, ()))) for kind in self.markers]

    @property
    def label(self) -> str:
        """The name the text uses for it, e.g. 'Figure 2'."""
        return f"Figure {self.number}"

    @property
    def description_anchor(self) -> str:
        """The anchor of its long description (the EPUB prints it beside the figure)."""
        return description_anchor(self.anchor)


@dataclass(frozen=True)
class RefView:
    """A reference as listed: its number, anchor and whether the chapter cites it."""

    number: int
    anchor: str
    reference: Reference
    cited: bool


@dataclass
class ChapterPlan:
    """Everything the templates need beyond the model: numbers, anchors and places."""

    chapter: Chapter
    prefix: str
    figures: dict[str, FigureView] = field(default_factory=dict)
    placed: dict[str, list[FigureView]] = field(default_factory=dict)
    citations: dict[str, int] = field(default_factory=dict)
    references: list[RefView] = field(default_factory=list)
    differentials: DifferentialTable = field(default_factory=DifferentialTable)
    key_figures: list[FigureView] = field(default_factory=list)

    def after(self, section: Section, sub: Subsection | None = None) -> list[FigureView]:
        """Return the figures placed after ``sub`` (or after the whole ``section``)."""
        return self.placed.get(place_key(section, sub), [])

    def reference_for(self, key: str) -> RefView | None:
        """Return the listed reference a citation key points to."""
        number = self.citations.get(key)
        return self.references[number - 1] if number else None


def place_key(section: Section, sub: Subsection | None) -> str:
    """The key under which figures are placed: the subsection, or the Key Facts box."""
    if section.key == KEY_FACTS or sub is None:
        return section.key
    return f"{section.key}/{sub.key}"


@dataclass
class _Planner:
    plan: ChapterPlan
    number_prefix: str
    bibliography: dict[str, Reference]
    cited: list[Reference] = field(default_factory=list)

    def run(self) -> ChapterPlan:
        for section in self.plan.chapter.sections:
            if section.key == KEY_FACTS:
                self._key_facts(section)
                continue
            for sub in section.subsections:
                self._place(place_key(section, sub), self._scan(bullet_inlines(sub.bullets)))
        unplaced = [f for f in self.plan.chapter.figures if f.id not in self.plan.figures]
        self._place(END, unplaced)
        self._list_references()
        return self.plan

    def _key_facts(self, section: Section) -> None:
        bullets = [b for sub in section.subsections for b in sub.bullets]
        direct = self._scan(bullet_inlines(bullets))
        views = self._place(section.key, direct)
        self.plan.key_figures = [v for v in views if v.figure in direct]

    def _place(self, key: str, pending: list[Figure]) -> list[FigureView]:
        """Place figures after ``key``, then those their captions refer to, and so on."""
        placed = self.plan.placed.setdefault(key, [])
        start = len(placed)
        pending = list(pending)
        while pending:
            figure = pending.pop(0)
            if figure.id in self.plan.figures:
                continue
            view = self._number(figure)
            placed.append(view)
            pending.extend(self._scan(figure.caption))
        return placed[start:]

    def _scan(self, nodes: Iterable[Inline]) -> list[Figure]:
        """Number citations in ``nodes``; return figures they refer to for the first time."""
        new: list[Figure] = []
        by_id = {f.id: f for f in self.plan.chapter.figures}
        for node in inlines(nodes):
            if isinstance(node, Citation):
                self._cite(node.keys)
            elif isinstance(node, FigRef) and node.id in by_id:
                figure = by_id[node.id]
                if figure.id not in self.plan.figures and figure not in new:
                    new.append(figure)
        return new

    def _cite(self, keys: list[str]) -> None:
        own = {r.key: r for r in self.plan.chapter.references}
        for key in keys:
            ref = own.get(key) or self.bibliography.get(key)
            if ref is not None and key not in self.plan.citations:
                self.cited.append(ref)
                self.plan.citations[key] = len(self.cited)

    def _number(self, figure: Figure) -> FigureView:
        number = f"{self.number_prefix}{len(self.plan.figures) + 1}"
        kinds = (n.kind for n in inlines(figure.caption) if isinstance(n, Marker))
        markers = tuple(dict.fromkeys(kinds))
        view = FigureView(
            figure=figure,
            number=number,
            anchor=figure_anchor(self.plan.chapter.id, figure.id),
            markers=markers,
        )
        self.plan.figures[figure.id] = view
        return view

    def _list_references(self) -> None:
        uncited = [r for r in self.plan.chapter.references if r.key not in self.plan.citations]
        for number, ref in enumerate([*self.cited, *uncited], start=1):
            anchor = reference_anchor(self.plan.chapter.id, number)
            view = RefView(number, anchor, ref, cited=ref.key in self.plan.citations)
            self.plan.references.append(view)


def plan_chapter(
    chapter: Chapter,
    bibliography: Iterable[Reference] = (),
    *,
    number_prefix: str = "",
) -> ChapterPlan:
    """Number and place the figures and references of ``chapter``.

    ``number_prefix`` goes before figure numbers ('1.' gives 'Figure 1.2' in the book).
    """
    plan = ChapterPlan(chapter=chapter, prefix=chapter_anchor(chapter.id))
    _Planner(plan, number_prefix, {r.key: r for r in bibliography}).run()
    plan.differentials = differential_table(chapter)
    if not plan.key_figures and plan.figures:
        plan.key_figures = [next(iter(plan.figures.values()))]
    return plan
