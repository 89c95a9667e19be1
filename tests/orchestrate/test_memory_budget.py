"""The memory budget (P110): a job past its memory stops, is reported, and commits nothing.

The budget is the resident memory of the whole command (``MONOGRAPH_MEMORY_MIB``, 1 GiB by
default); the tests give it a budget a real job passes, to see what an editor would see.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from pipeline.orchestrate.limits import (
    MIB,
    OverBudget,
    memory_budget,
    memory_budget_bytes,
    resident_bytes,
)
from tests.fuzz.invariants import check_cli_run
from tests.helpers import SOURCE, build, edit, monograph
from tests.orchestrate.test_crash import CHAPTER, snapshot

BULLETS = "".join(f"- Sclerotic focus number {n} in the vertebral body\n" for n in range(1_200))
"""Enough Key Facts bullets to make the chapter's PDFs need some 200 MiB, not the seed's 100."""


@pytest.fixture(scope="module")
def heavy_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed with a long Imaging section; it validates, and its JSON needs little memory."""
    source = tmp_path_factory.mktemp("heavy") / "source"
    shutil.copytree(SOURCE, source)
    edit(source / CHAPTER, "## Imaging\n\n", "## Imaging\n\n" + BULLETS, count=1)
    return source


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_job_past_the_budget_is_reported_at_its_chapter_and_nothing_is_committed(
    heavy_source: Path, tmp_path: Path, jobs: int
) -> None:
    out = tmp_path / "out"
    assert check_cli_run(build(heavy_source, out, formats=("json",)).run) == 0
    before = snapshot(out)
    budget = {"MONOGRAPH_MEMORY_MIB": "150"}
    done = build(heavy_source, out, formats=("pdf", "json"), jobs=jobs, env=budget).run
    assert check_cli_run(done) == 1
    lines = [line for line in done.stdout.splitlines() if '"code": "P110"' in line]
    assert lines, done.stdout + done.stderr
    assert f'"path": "{heavy_source}/{CHAPTER}"' in done.stdout, done.stdout
    assert "pdf/blastic-osseous-metastases.pdf for chapter 'blastic-osseous-metastases' needed" \
        " more memory than the" in done.stdout  # fmt: skip
    assert "Traceback" not in done.stderr
    assert snapshot(out) == before, "a build stopped for memory changed the outputs"


def test_a_job_past_its_share_runs_again_alone_and_succeeds(tmp_path: Path) -> None:
    """With two workers each gets half of what the command leaves; a job that needs more
    runs again alone, with all of it, and the build is the same as with plenty."""
    plenty = build(SOURCE, tmp_path / "plenty", formats=("pdf",), jobs=2, check=True)
    # The seed's PDF jobs need some 100 MiB each; 230 MiB leaves each of two workers less
    # than that beside the command, and one worker alone enough.
    tight = build(SOURCE, tmp_path / "tight", formats=("pdf",), jobs=2, check=True,
                  env={"MONOGRAPH_MEMORY_MIB": "230"})  # fmt: skip
    assert [a.path.read_bytes() for a in tight.artifacts] == [
        a.path.read_bytes() for a in plenty.artifacts
    ], "the build under the tight budget differs"


def test_a_source_too_large_to_read_within_the_budget_is_p110_at_book_yaml(
    tmp_path: Path,
) -> None:
    done = monograph("lint", "--source", str(SOURCE), "--format", "json",
                     env={"MONOGRAPH_MEMORY_MIB": "20"})  # fmt: skip
    assert check_cli_run(done) == 1
    assert '"code": "P110"' in done.stdout and f'"path": "{SOURCE}/book.yaml"' in done.stdout
    assert "reading and checking the source needed more memory than the 20 MiB" in done.stdout
    assert "blastic-osseous-metastases.md (4," in done.stdout, "the hint names the chapter"
    assert "Traceback" not in done.stderr


def test_the_budget_stops_code_that_swallows_exceptions() -> None:
    """The check comes every tick (0.1 s): memory grown at 0.5 GiB/s (a hundred times what
    WeasyPrint's layout allocates) overshoots the budget by at most one tick's 50 MiB."""
    hoard: list[bytes] = []
    with pytest.raises(OverBudget), memory_budget(resident_bytes() + 64 * MIB):
        for _ in range(8_000):  # 8 GiB, each page written, if nothing stops it
            try:
                hoard.append(b"x" * MIB)
                time.sleep(0.002)
            except Exception:  # a library's catch-all must not hide the budget
                continue
    assert len(hoard) <= 64 + 50, f"the process grew {len(hoard)} MiB on a budget of 64"


def test_the_budget_comes_from_the_environment() -> None:
    assert memory_budget_bytes({}) == 1024 * MIB
    assert memory_budget_bytes({"MONOGRAPH_MEMORY_MIB": "2048"}) == 2048 * MIB
    for wrong in ("0", "-5", "1e3", "lots", "٣٠٠", "9" * 20):
        assert memory_budget_bytes({"MONOGRAPH_MEMORY_MIB": wrong}) == 1024 * MIB, wrong
