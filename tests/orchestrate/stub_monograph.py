"""``monograph`` with stand-in PDF and EPUB renderers, for tests of the orchestration itself.

The cache, the journal, the lock and interruption do not depend on what WeasyPrint or
EbookLib write, only on which jobs run and when; rendering the real thing made those tests
take minutes. ``python -m tests.orchestrate.stub_monograph build ...`` runs the real command
line with every PDF and EPUB job answered by a few bytes derived from the job's inputs, so
a changed input still gives changed bytes. The JSON products stay real.

With ``MONOGRAPH_STUB_GATE`` naming a folder, the n-th stand-in (from 0) writes
``<folder>/<n>.started``, and the one numbered ``MONOGRAPH_STUB_HOLD`` (default 0) then waits,
up to a minute, until ``<folder>/open`` exists: a test can stop a build at a known moment
without sleeping.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

from pipeline import cli
from pipeline.orchestrate import jobs

STUBBED = ("chapter", "key-facts", "book", "epub")


def _wait_at_gate(job: jobs.Job) -> None:
    gate = os.environ.get("MONOGRAPH_STUB_GATE")
    if not gate:
        return
    folder = Path(gate)
    number = len(list(folder.glob("*.started")))
    (folder / f"{number}.started").write_text(job.path)
    if number != int(os.environ.get("MONOGRAPH_STUB_HOLD", "0")):
        return
    deadline = time.monotonic() + 60
    while not (folder / "open").exists() and time.monotonic() < deadline:
        time.sleep(0.01)


def stub_render(job: jobs.Job, _context: jobs.Context) -> jobs.Made:
    """A stand-in artifact: its path and input key, so changed inputs change the bytes.

    With ``MONOGRAPH_STUB_KILL`` naming an artifact path, the process rendering it kills
    itself with SIGKILL, as the out-of-memory killer would.
    """
    if os.environ.get("MONOGRAPH_STUB_KILL") == job.path:
        os.kill(os.getpid(), signal.SIGKILL)
    _wait_at_gate(job)
    return jobs.Made(job.path, f"stub {job.path} {job.key}\n".encode(), 1)


def install() -> None:
    """Answer every PDF and EPUB job with ``stub_render`` in this process and its workers."""
    for product in STUBBED:
        jobs.RENDERERS[product] = stub_render


if __name__ == "__main__":
    install()
    sys.exit(cli.main(sys.argv[1:]))
