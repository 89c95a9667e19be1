"""The differential diagnosis table of the Key Facts handout: names and distinguishing features.

Rows follow the author's ranking in Key Facts › Top Differential Diagnoses. A row's features
are the bullets of the Differential Diagnosis subsection of the same name (case, spacing and
punctuation ignored); failing that, the bullets nested under the name in Key Facts. Differential
Diagnosis subsections the top list does not name follow as further rows, so nothing the author
wrote is left out. When no row has features, the templates print the names as a numbered
list instead of a table, the same in every product.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.model import Bullet, Chapter, Span, Subsection, plain_text
from pipeline.model.skeleton import DIFFERENTIAL_DIAGNOSIS as SECTION
from pipeline.model.skeleton import TOP_DIFFERENTIALS as TOP


@dataclass(frozen=True)
class DifferentialRow:
    """One differential: its name (a Key Facts bullet, or a subsection title) and features."""

    title: str
    span: Span
    name: Bullet | None = None
    features: tuple[Bullet, ...] = ()


@dataclass(frozen=True)
class DifferentialTable:
    """The rows, and whether a features column is printed."""

    rows: tuple[DifferentialRow, ...] = field(default=())

    @property
    def has_features(self) -> bool:
        """True when at least one row has distinguishing features."""
        return any(row.features for row in self.rows)


def differential_table(chapter: Chapter) -> DifferentialTable:
    """Build the table from Key Facts › Top Differential Diagnoses and the DD section."""
    detailed = {_norm(sub.title): sub for sub in _section(chapter, SECTION)}
    rows: list[DifferentialRow] = []
    for bullet in _top_bullets(chapter):
        title = plain_text(bullet.content)
        sub = detailed.pop(_norm(title), None)
        features = tuple(sub.bullets) if sub else tuple(bullet.children)
        rows.append(DifferentialRow(title, bullet.span, bullet, features))
    for sub in detailed.values():
        rows.append(DifferentialRow(sub.title, sub.span, None, tuple(sub.bullets)))
    return DifferentialTable(tuple(rows))


def _section(chapter: Chapter, key: str) -> list[Subsection]:
    section = next((s for s in chapter.sections if s.key == key), None)
    return list(section.subsections) if section else []


def _top_bullets(chapter: Chapter) -> list[Bullet]:
    for sub in _section(chapter, TOP[0]):
        if sub.key == TOP[1]:
            return list(sub.bullets)
    return []


def _norm(name: str) -> str:
    return re.sub(r"[\W_]+", " ", name.casefold()).strip()
