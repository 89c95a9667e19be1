"""JSON Schema (Draft 2020-12) of what editors write, for YAML autocompletion in editors."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from pipeline.model.source import BibliographySource, BookSource, ChapterFrontMatter
from pipeline.model.terminology import Terminology

DIALECT = "https://json-schema.org/draft/2020-12/schema"

KINDS: dict[str, type[BaseModel]] = {
    "book": BookSource,
    "chapter": ChapterFrontMatter,
    "terminology": Terminology,
    "bibliography": BibliographySource,
}
TITLES = {
    "book": "source/book.yaml",
    "chapter": "chapter front matter (source/chapters/<id>.md)",
    "terminology": "source/terminology.yaml",
    "bibliography": "source/bibliography.yaml",
}


def source_schema(kind: str = "all") -> dict[str, Any]:
    """Return the schema of one kind of source file, or of all of them (``anyOf``)."""
    if kind != "all":
        schema = KINDS[kind].model_json_schema(mode="validation")
        return {"$schema": DIALECT, **schema, "title": TITLES[kind]}
    refs, defs = models_json_schema(
        [(model, "validation") for model in KINDS.values()], ref_template="#/$defs/{model}"
    )
    return {
        "$schema": DIALECT,
        "title": "Monograph source files",
        "anyOf": [refs[(model, "validation")] for model in KINDS.values()],
        **defs,
    }
