"""Measure one stage on one generated book, in a fresh process; print one JSON line.

``python -m tests.bench.stage STAGE BOOK [--jobs N]``. Work a stage needs but does not
measure (validating before linting, say) is done first and left out of the timing. Peak
memory is this process's (and its workers') maximum resident set size.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pipeline import tune_gc
from pipeline.lint import lint_book
from pipeline.model import Book
from pipeline.orchestrate.jobs import Context, plan_jobs
from pipeline.orchestrate.runner import _run_jobs
from pipeline.render.stamp import build_stamp
from pipeline.validate import validate_source
from tests.helpers import build

STAMP = "1700000000"


def _book(root: Path) -> Book:
    result = validate_source(root)
    if result.book is None:
        raise SystemExit(f"the generated book does not validate: {result.diagnostics[:3]}")
    return result.book


def _context(root: Path) -> Context:
    book = _book(root)
    return Context(book, build_stamp(book, STAMP), "a4")


def _jobs(root: Path, products: set[str], workers: int) -> Callable[[], Any]:
    context = _context(root)
    todo = [job for job in plan_jobs(context, ("pdf",)) if job.product in products]
    return lambda: sum(len(made.data) for made in _run_jobs(todo, context, workers))


def _weasyprint_alone(root: Path) -> Callable[[], Any]:
    """The chapter handouts' HTML, laid out by WeasyPrint with no pipeline around it."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    from pipeline.render.fonts import font_face_css
    from pipeline.render.html import chapter_document
    from pipeline.render.pdf import ASSETS, STYLESHEETS
    from pipeline.render.products import RenderInput

    context = _context(root)
    given = RenderInput(context.book, context.stamp, report=[])
    pages = [chapter_document(context.book, plan, context.stamp, []) for plan in given.plans()]

    def run() -> int:
        total = 0
        for html in pages:
            fonts = FontConfiguration()
            sheets = [CSS(string=font_face_css(), font_config=fonts)]
            sheets += [
                CSS(filename=str(ASSETS / "css" / n), font_config=fonts) for n in STYLESHEETS
            ]
            document = HTML(string=html, base_url=str(root / "figures") + "/")
            total += len(document.render(stylesheets=sheets, font_config=fonts).write_pdf(
                pdf_variant="pdf/ua-1"))  # fmt: skip
        return total

    return run


ROOMY = {"MONOGRAPH_MEMORY_MIB": "16384"}
"""The bench measures what a build needs at scale; the 1 GiB budget would stop the 100-chapter
book PDF (about 1 GiB alone) before it could be measured."""


def _build(root: Path, noop: bool) -> Callable[[], Any]:
    """A full build into a fresh folder beside the book; a no-op rebuild reuses that folder."""
    out = root.parent / f"{root.name}-out"

    def run() -> int:
        return len(build(root, out, epoch=STAMP, jobs=2, in_process=True, env=ROOMY).artifacts)

    if not noop:
        shutil.rmtree(out, ignore_errors=True)
    elif not (out / "manifest.json").is_file():
        run()
    return run


def _prepared(stage: str, root: Path, workers: int) -> Callable[[], Any]:
    if stage == "validate":
        return lambda: validate_source(root)
    if stage == "lint":
        book = _book(root)
        return lambda: lint_book(book)
    if stage == "json":
        from pipeline.render.jsonexport import export_book

        book = _book(root)
        return lambda: export_book(book)
    if stage == "epub":
        from pipeline.render.epub import EpubRenderer

        context = _context(root)
        return lambda: EpubRenderer(context.book, context.stamp).render()
    if stage == "deck":
        from pipeline.render.apkg import write_apkg
        from pipeline.render.study import study_deck

        context = _context(root)
        return lambda: len(write_apkg(study_deck(context.book), context.stamp, {}))
    if stage == "pdf-handouts":
        return _jobs(root, {"chapter", "key-facts"}, workers)
    if stage == "pdf-chapter":
        return _jobs(root, {"chapter"}, 1)
    if stage == "book-pdf":
        return _jobs(root, {"book"}, 1)
    if stage == "weasyprint-alone":
        return _weasyprint_alone(root)
    if stage in ("build", "noop-rebuild", "dicom-build", "dicom-noop-rebuild"):
        return _build(root, noop=stage.endswith("noop-rebuild"))
    if stage == "calibration":
        return _calibration
    raise SystemExit(f"unknown stage {stage}")


def _calibration() -> int:
    """A fixed pure-Python workload: the yardstick that makes ratios comparable across runs."""
    from pipeline.read.mdparser import parser

    text = (Path(__file__).resolve().parents[2] / "source" / "chapters").glob("*.md")
    body = next(text).read_text()
    return sum(len(parser().parse(body, {})) for _ in range(100))


def measure(stage: str, root: Path, workers: int = 1) -> dict[str, Any]:
    """Time one stage; wall and CPU seconds (workers included) and peak RSS in MiB."""
    run = _prepared(stage, root, workers)
    before_self = resource.getrusage(resource.RUSAGE_SELF)
    before_kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter()
    run()
    wall = time.perf_counter() - wall
    after_self = resource.getrusage(resource.RUSAGE_SELF)
    after_kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = sum(a.ru_utime + a.ru_stime - b.ru_utime - b.ru_stime
              for a, b in ((after_self, before_self), (after_kids, before_kids)))  # fmt: skip
    rss = max(after_self.ru_maxrss, after_kids.ru_maxrss) / 1024
    return {"stage": stage, "wall_s": round(wall, 3), "cpu_s": round(cpu, 3),
            "peak_rss_mib": round(rss, 1), "jobs": workers}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("stage")
    parser.add_argument("book", type=Path)
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args(argv)
    tune_gc()  # as the monograph command does
    print(json.dumps(measure(args.stage, args.book, args.jobs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
