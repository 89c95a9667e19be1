"""Orchestration: validate → lint → render, with a cache, parallel jobs and safe writes.

``build_pdf`` and friends (the PDF products alone) load WeasyPrint, so they are imported on
first use: a build that renders nothing never pays for it.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Artifact", "BuildReport", "build_pdf", "write_atomic"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from pipeline.orchestrate import pdf

        return getattr(pdf, name)
    raise AttributeError(name)
