"""The output folder is ours only where we made it, and a stopped build leaves it whole.

A pull request can plant files in a folder a previous CI step prepared, and CI cancels
builds with SIGTERM; editors press Ctrl-C. Builds here use the stand-in renderers
(``stub_monograph``): what is drawn does not matter, only what is written where.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.orchestrate import outputs
from pipeline.orchestrate.outputs import JOURNAL, LOCK, MANIFEST, STAGING, OutputDir
from tests.bench.corpus import make_book
from tests.helpers import REPO, STUB, build, command, environment


def _stub(source: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return build(source, out, formats=("pdf", "json"), jobs=1, module=STUB).run


def _snapshot(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and p.name != LOCK}  # fmt: skip


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return make_book(tmp_path / "source", 1)


@pytest.mark.parametrize("where", ["source/outputs", "source", "."])
def test_an_output_folder_inside_the_source_or_holding_it_is_refused(
    tmp_path: Path, book: Path, where: str
) -> None:
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    done = _stub(book, tmp_path / where)
    assert done.returncode == 2, done.stderr
    assert "inside the source tree" in done.stderr or "holds the source tree" in done.stderr
    assert "Traceback" not in done.stderr
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


@pytest.mark.parametrize("planted", ["pdf", LOCK, "json/schema.json"])
def test_a_link_planted_in_the_output_folder_stops_the_build_before_any_write(
    tmp_path: Path, book: Path, planted: str
) -> None:
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    elsewhere.mkdir()
    victim = elsewhere / "victim.txt"
    victim.write_text("an editor's notes\n")
    (out / planted).parent.mkdir(parents=True, exist_ok=True)
    (out / planted).symlink_to(elsewhere if planted == "pdf" else victim)
    done = _stub(book, out)
    assert done.returncode == 2 and "is a symbolic link" in done.stderr, done.stderr
    assert sorted(p.name for p in elsewhere.iterdir()) == ["victim.txt"]
    assert victim.read_text() == "an editor's notes\n"


def test_paths_read_back_from_a_planted_manifest_or_journal_are_never_used(
    tmp_path: Path, book: Path
) -> None:
    out = tmp_path / "out"
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    escape = "../victim.txt"
    (out / "json").mkdir(parents=True)
    manifest = {"artifacts": [{"path": escape, "sha256": "0" * 64, "product": "x"}]}
    (out / MANIFEST).write_text(json.dumps(manifest))
    journal = {"staged": [], "remove": [escape], "state": {"artifacts": {}},
               "manifest": {"artifacts": [{"path": escape, "sha256": "0" * 64}]}}  # fmt: skip
    (out / JOURNAL).write_text(json.dumps(journal))
    done = _stub(book, out)
    assert done.returncode == 0, done.stderr
    assert "not a journal a build wrote" in done.stderr
    assert victim.read_text() == "keep me\n"
    written = json.loads((out / MANIFEST).read_text())
    assert all(outputs.is_artifact_path(a["path"]) for a in written["artifacts"])


def test_only_paths_a_build_writes_count_as_artifacts() -> None:
    good = ["pdf/a.pdf", "epub/book.epub", "json/schema.json"]
    bad = ["../x.pdf", "pdf/../../x.pdf", "/etc/passwd", "pdf/a.epub", "pdf/.a.pdf", 3, None,
           "pdf/sub/a.pdf", "a.pdf", "pdf\\a.pdf", "pdf/./a.pdf", ".cache/state.json"]  # fmt: skip
    assert [outputs.is_artifact_path(p) for p in good] == [True] * len(good)
    assert [p for p in bad if outputs.is_artifact_path(p)] == []


def _built_then_changed(tmp_path: Path) -> tuple[Path, Path, dict[str, bytes]]:
    """A two-chapter book built once (its folder's files returned), then every chapter edited."""
    source, out = make_book(tmp_path / "source", 2), tmp_path / "out"
    assert _stub(source, out).returncode == 0
    before = _snapshot(out)
    for chapter in (source / "chapters").glob("*.md"):
        chapter.write_text(chapter.read_text().replace("posterior elements", "posterior arch"))
    return source, out, before


def _start_held(source: Path, out: Path, gate: Path) -> subprocess.Popen[str]:
    gate.mkdir()
    args = ["build", "--source", str(source), "--out", str(out), "--only", "pdf", "--jobs", "2"]
    env = environment({"MONOGRAPH_STUB_GATE": str(gate), "MONOGRAPH_STUB_HOLD": "0"})
    # start_new_session: its own process group, as a command typed in a terminal has.
    return subprocess.Popen(command(*args, module=STUB), cwd=REPO, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env,
                            start_new_session=True)  # fmt: skip


@pytest.mark.parametrize(("stop", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_ctrl_c_or_sigterm_while_rendering_ends_cleanly_and_keeps_the_previous_build(
    tmp_path: Path, stop: signal.Signals, status: int
) -> None:
    source, out, before = _built_then_changed(tmp_path)
    running = _start_held(source, out, tmp_path / "gate")
    try:
        deadline = time.monotonic() + 60
        while not (tmp_path / "gate" / "0.started").exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        if stop == signal.SIGINT:  # as a terminal's Ctrl-C: the command and its workers
            os.killpg(running.pid, stop)
        else:  # as CI cancelling a job: the command only
            running.send_signal(stop)
        (tmp_path / "gate" / "open").touch()
        _, stderr = running.communicate(timeout=60)
    finally:
        running.kill()
    assert running.returncode == status, stderr
    assert "Traceback" not in stderr and "stopped by" in stderr
    assert _snapshot(out) == before
    assert not (out / STAGING).exists() and not (out / JOURNAL).exists()


def test_a_signal_during_the_commit_waits_until_the_commit_is_done(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    artifact = {"path": "pdf/a.pdf", "sha256": hashlib.sha256(b"new").hexdigest(), "size": 3}
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        _commit_interrupted(out, artifact)
    finally:
        signal.signal(signal.SIGINT, previous)
    assert (out / "pdf" / "a.pdf").read_bytes() == b"new"
    assert json.loads((out / MANIFEST).read_text())["artifacts"] == [artifact]
    assert not (out / JOURNAL).exists()


def _commit_interrupted(out: Path, artifact: dict[str, object]) -> None:
    with pytest.raises(KeyboardInterrupt), OutputDir(out) as folder:
        folder.stage("pdf/a.pdf", b"new")
        original = Path.replace

        def replace_then_interrupt(self: Path, target: Path) -> Path:
            moved = original(self, target)
            signal.raise_signal(signal.SIGINT)  # Ctrl-C in the middle of the renames
            return moved

        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(Path, "replace", replace_then_interrupt)
            folder.commit(["pdf/a.pdf"], {"artifacts": [artifact]}, {"artifacts": {}}, [])


def test_a_journal_whose_staged_file_is_gone_leaves_a_manifest_that_matches(
    tmp_path: Path,
) -> None:
    """The state a Ctrl-C used to leave: journal kept, staging deleted. The manifest must then
    list only what the folder holds, so the next build makes the rest again."""
    out = tmp_path / "out"
    (out / "pdf").mkdir(parents=True)
    (out / "pdf" / "a.pdf").write_bytes(b"old")
    new = {"path": "pdf/a.pdf", "sha256": "f" * 64, "size": 3}
    journal = {"staged": ["pdf/a.pdf"], "remove": [], "manifest": {"artifacts": [new]},
               "state": {"artifacts": {"pdf/a.pdf": {"sha256": "f" * 64}}}}  # fmt: skip
    (out / JOURNAL).write_text(json.dumps(journal))
    with OutputDir(out):
        pass
    assert json.loads((out / MANIFEST).read_text())["artifacts"] == []
    assert json.loads((out / ".cache/state.json").read_text())["artifacts"] == {}
    assert (out / "pdf" / "a.pdf").read_bytes() == b"old" and not (out / JOURNAL).exists()


def test_a_render_worker_killed_is_reported_at_its_chapter_and_nothing_is_committed(
    tmp_path: Path,
) -> None:
    source, out, before = _built_then_changed(tmp_path)
    env = {"MONOGRAPH_STUB_KILL": "pdf/chapter-0001.pdf"}
    done = build(source, out, formats=("pdf",), jobs=2, module=STUB, env=env)
    assert done.run.returncode == 1 and "Traceback" not in done.run.stderr, done.run.stderr
    killed = [d for d in done.diagnostics if d.code == "P109"]
    assert [d.span.path for d in killed] == ["chapters/chapter-0001.md"]
    assert _snapshot(out) == before


FORK_PROBE = """
import os, signal, sys
from pipeline import cli
with cli._sigterm_stops():
    child = os.fork()
    if child == 0:  # as a pool worker that the pool stops before it has set anything up
        os.kill(os.getpid(), signal.SIGTERM)
        os._exit(0)
    _, status = os.waitpid(child, 0)
print(os.waitstatus_to_exitcode(status))
"""


def test_a_worker_forked_from_the_command_ends_quietly_on_sigterm() -> None:
    """The command's SIGTERM handler is its own: in a forked child it is SIGTERM's default."""
    done = subprocess.run([sys.executable, "-c", FORK_PROBE], cwd=REPO, capture_output=True,
                          text=True, check=False, timeout=60)  # fmt: skip
    assert done.stdout.strip() == str(-signal.SIGTERM), done.stdout + done.stderr
    assert done.stderr == ""
