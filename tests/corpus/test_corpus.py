"""Run every entry of the regression corpus (see README.md) through validate, lint and build."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

from tests.fuzz.invariants import check_build, validate_and_lint
from tests.helpers import SOURCE, build

CORPUS = Path(__file__).resolve().parent
ENTRIES = sorted(p.parent for p in CORPUS.glob("*/case.json"))


def _tree(entry: Path, root: Path) -> Path:
    """The seed source with the entry's files laid over it (links kept as links)."""
    shutil.copytree(SOURCE, root)
    overlay = entry / "source"
    for path in sorted(overlay.rglob("*")):
        target = root / path.relative_to(overlay)
        if path.is_symlink():
            if target.is_dir() and not target.is_symlink():
                shutil.rmtree(target)
            target.unlink(missing_ok=True)
            target.symlink_to(path.readlink())
        elif path.is_dir():
            target.mkdir(exist_ok=True)
        else:
            shutil.copyfile(path, target)
    return root


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.name for e in ENTRIES])
def test_corpus_entry_is_reported_and_breaks_nothing(entry: Path, tmp_path: Path) -> None:
    case = json.loads((entry / "case.json").read_text(encoding="utf-8"))
    assert case["broke"] and case["fix"], "say what the input broke and what fixed it"
    root = _tree(entry, tmp_path / "source")
    started = time.monotonic()
    status, found = validate_and_lint(root)
    elapsed = time.monotonic() - started
    assert elapsed < case.get("seconds", 10), f"validation took {elapsed:.1f} s"
    assert status == 1, "every corpus entry is a broken source"
    assert set(case["codes"]) <= {d.code for d in found}, found
    if case.get("build"):
        check_build(build(root, tmp_path / "out", formats=case["build"], in_process=True))


def test_the_corpus_is_not_empty() -> None:
    assert len(ENTRIES) >= 5
