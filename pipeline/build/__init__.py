"""Orchestration: validate → lint → render, with a cache, parallel jobs and safe writes."""

from pipeline.build.pdf import Artifact, BuildReport, build_pdf, write_atomic

__all__ = ["Artifact", "BuildReport", "build_pdf", "write_atomic"]
