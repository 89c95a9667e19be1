"""Property-based fuzzing of validate, lint and build over mutated real source files.

The invariants are in ``invariants.py``, the mutations in ``mutations.py``, the example
counts in ``profiles.py``. A failing example prints the mutations that made it; add the
input to ``tests/corpus/`` once the bug is fixed.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import event, given, note, settings
from hypothesis import strategies as st

from tests.fuzz.invariants import (
    EXIT_OK,
    check_build,
    check_cli_run,
    rendered_files,
    validate_and_lint,
)
from tests.fuzz.mutations import Source, mutated_sources, write
from tests.fuzz.profiles import BUDGET, FUZZ
from tests.helpers import build, monograph, monograph_in_process


def _tree(workdir: str, source: Source) -> Path:
    note(f"mutations: {source.changes}")
    root = Path(workdir) / "source"
    write(root, source)
    return root


@settings(FUZZ, max_examples=BUDGET.validate)
@given(source=mutated_sources(), via_cli=st.sampled_from([True, False, False, False]))
def test_validate_and_lint_survive_any_mutation(source: Source, via_cli: bool) -> None:
    """Every example in process (a failure shows its traceback); one in four also through
    ``monograph lint --format json``, in process, for the exit status and the formatter."""
    with tempfile.TemporaryDirectory() as workdir:
        root = _tree(workdir, source)
        status, found = validate_and_lint(root)
        event(f"exit status {status}")
        event(f"first finding {min((d.code for d in found), default='none')}")
        if via_cli:
            done = monograph_in_process("lint", "--source", str(root), "--format", "json")
            assert check_cli_run(done) == status


@settings(FUZZ, max_examples=BUDGET.build)
@given(source=st.one_of(mutated_sources(mild=True), mutated_sources()))
def test_build_renders_only_what_validated(source: Source) -> None:
    with tempfile.TemporaryDirectory() as workdir:
        root = _tree(workdir, source)
        made = build(root, Path(workdir) / "out", formats=("json", "epub"), in_process=True)
        event("rendered" if check_build(made).artifacts else "refused")


@settings(FUZZ, max_examples=BUDGET.cli)
@given(source=mutated_sources(mild=True))
def test_the_real_command_line_survives_mutations(source: Source) -> None:
    with tempfile.TemporaryDirectory() as workdir:
        root, out = _tree(workdir, source), Path(workdir) / "out"
        validated = check_cli_run(monograph("validate", "--source", str(root)))
        linted = check_cli_run(monograph("lint", "--source", str(root), "--format", "json"))
        built = build(root, out, jobs=1).run
        note(f"build: {built.returncode} {built.stderr[-2000:]}")
        check_cli_run(built)
        if EXIT_OK not in (validated, linted):
            assert rendered_files(out) == [], "rendered from a source that failed"
