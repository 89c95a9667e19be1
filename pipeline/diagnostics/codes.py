"""The code tables of the stages that are not lint: one literal list, ``STAGE_TABLES``.

The entries live in ``codes.toml`` beside this module (data, one table per stage: what each
code means and what to do); this module reads them once and checks them. Codes are stable: a
code is never reused for another meaning. Reading and validation: ``R`` reading and YAML,
``V`` field values, ``S`` body structure, ``X`` cross-references and files, ``F`` figures.
Rendering: ``P``. Writing the files ``lint --fix`` changes: ``W``. Lint rules carry their
codes in their own classes (``pipeline/lint/registry.py``); ``pipeline/catalogue.py`` merges
them all for the CLI.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from pipeline.diagnostics.record import CodeInfo, Severity

_TABLES = tomllib.loads((Path(__file__).parent / "codes.toml").read_text(encoding="utf-8"))


def _table(name: str) -> tuple[CodeInfo, ...]:
    """The codes of one stage, in the file's order."""
    return tuple(
        CodeInfo(row["code"], row["name"], Severity(row["severity"]), row["summary"], row["hint"])
        for row in _TABLES[name]
    )


READING_AND_VALIDATION = _table("reading-and-validation")
RENDERING = _table("rendering")
FIXING = _table("fixing")
STAGE_TABLES: tuple[tuple[CodeInfo, ...], ...] = (READING_AND_VALIDATION, RENDERING, FIXING)
"""Every table of codes a stage other than lint reports, in the order the stages run."""
KNOWN: dict[str, CodeInfo] = {c.code: c for table in STAGE_TABLES for c in table}
"""Each of those codes and what the formatters, ``explain`` and ``codes`` say about it."""
