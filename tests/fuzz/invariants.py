"""What must hold for any input, however broken: the fuzz tests and the corpus check these.

- ``validate``, ``lint`` and ``build`` end with exit status 0, 1 or 2 (never 3, a bug), and
  raise nothing.
- Every finding names a known code, a path inside the source tree, and a line and column
  from 1.
- Nothing is rendered from a source that failed validation or lint: no PDF, EPUB, XHTML or
  JSON, not even an output folder.
- A build that succeeded leaves a manifest that lists exactly the files written, with their
  sizes and SHA-256.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from pipeline.catalogue import catalogue
from pipeline.diagnostics import FORMATTERS, Diagnostic, has_errors, ordered
from pipeline.lint import LintConfig, lint_book
from pipeline.validate import validate_source
from pipeline.validate.source import SourceError
from tests.helpers import BuildResult, Run

RENDERED = {".pdf", ".epub", ".xhtml", ".html", ".json"}
EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


def check_findings(diagnostics: Iterable[Diagnostic]) -> None:
    """Every finding has a known code, a relative path and a position from line 1, column 1."""
    known, diagnostics = catalogue(), list(diagnostics)
    for d in diagnostics:
        where = PurePosixPath(d.span.path)
        assert d.code in known, d
        assert d.span.path and not where.is_absolute() and ".." not in where.parts, d
        assert d.span.line >= 1 and d.span.column >= 1, d
        assert d.message.strip(), d
    for formatter in FORMATTERS.values():  # every output format can print them
        formatter(diagnostics, "source", known)


def validate_and_lint(root: Path) -> tuple[int, list[Diagnostic]]:
    """Validate and lint in process; return the exit status the CLI would give and findings."""
    try:
        result = validate_source(root)
    except SourceError:
        return EXIT_USAGE, []
    check_findings(result.diagnostics)
    if result.ok:
        assert result.book is not None, "a clean validation must give a book"
    found = list(result.diagnostics)
    if result.book is not None:
        linted = lint_book(result.book, LintConfig())
        check_findings(linted)
        found = ordered([*found, *linted])
    return (EXIT_ERRORS if has_errors(found) else EXIT_OK), found


def check_build(made: BuildResult) -> BuildResult:
    """The build's findings are located, and it rendered only from a source that validated."""
    status, _ = validate_and_lint(made.source)
    check_findings(made.diagnostics)
    if status != EXIT_OK:
        assert has_errors(made.diagnostics)
        assert rendered_files(made.out) == [], "rendered from a source that failed validation"
    else:
        check_manifest(made.out)
    return made


def rendered_files(out: Path) -> list[str]:
    """Every rendered file under ``out``, staging and cache included."""
    if not out.exists():
        return []
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.suffix in RENDERED)


def check_manifest(out: Path) -> None:
    """The manifest lists exactly the artifacts in ``out``, with their size and SHA-256."""
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    listed = {a["path"]: a for a in manifest["artifacts"]}
    present = {
        p.relative_to(out).as_posix()
        for p in out.rglob("*")
        if p.is_file() and not p.name.startswith(".") and ".cache" not in p.parts
    }
    assert present - {"manifest.json"} == set(listed), "manifest and files disagree"
    for rel, artifact in listed.items():
        data = (out / rel).read_bytes()
        assert len(data) == artifact["size"] and sha256(data) == artifact["sha256"], rel
    assert not (out / ".journal.json").exists() and not (out / ".staging").exists()


def sha256(data: bytes) -> str:
    """The hex SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def check_cli_run(done: Run) -> int:
    """The run ended with 0, 1 or 2, printed no traceback, and its JSON findings are located."""
    status, stdout, stderr = done.returncode, done.stdout, done.stderr
    assert status in (EXIT_OK, EXIT_ERRORS, EXIT_USAGE), (status, stderr)
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr
    if stdout.strip().startswith("["):
        for record in json.loads(stdout):
            assert record["path"] and record["line"] >= 1 and record["column"] >= 1, record
    return status
