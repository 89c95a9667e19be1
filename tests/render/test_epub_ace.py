"""DAISY Ace on the built EPUBs: no violation of any impact (minor, moderate, serious, critical).

Ace (npm ``@daisy/ace``, pinned in the noxfile) checks an EPUB the way reading-system makers and
publishers do: the package metadata, then every content document in a browser with axe-core's
rules and its own. ``nox -s tests`` installs it under the session's virtualenv (``npm install
--ignore-scripts``, no browser download) and names it in ``DAISY_ACE``; it runs on Debian's
Chromium (``requirements/system.txt``). A missing Node.js, Ace or Chromium fails these tests
with what to install, never skips them. Each EPUB's bytes are checked once a session.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.render.epub_books import BuiltEpub
from tests.render.test_epub_check import shared

ACE_VERSION = "1.4.6"
"""The release the noxfile installs; a report from another fails the tests."""
IMPACTS = ("minor", "moderate", "serious", "critical")


def ace_command() -> Path:
    """The ``ace-puppeteer`` command: ``DAISY_ACE``, else where ``nox -s tests`` installs it."""
    default = Path(sys.prefix) / "ace" / "node_modules" / ".bin" / "ace-puppeteer"
    command = Path(os.environ.get("DAISY_ACE") or default)
    if not command.is_file():
        pytest.fail(
            f"DAISY Ace is not installed at {command}: run the tests with `nox -s tests`, or "
            f"`npm install --ignore-scripts --prefix DIR @daisy/ace@{ACE_VERSION}` and set "
            "DAISY_ACE=DIR/node_modules/.bin/ace-puppeteer"
        )
    if shutil.which("node") is None:
        pytest.fail("Node.js is not installed: DAISY Ace needs Node.js 20+ (Debian: nodejs)")
    return command


def chromium() -> str:
    """The browser Ace drives: ``PUPPETEER_EXECUTABLE_PATH``, else Debian's ``chromium``."""
    found = os.environ.get("PUPPETEER_EXECUTABLE_PATH") or shutil.which("chromium")
    if not found:
        pytest.fail("Chromium is not installed: DAISY Ace runs in it (Debian: chromium)")
    return found


def ace(epub: Path) -> dict[str, Any]:
    """Run Ace on ``epub``; return its ``report.json``. Its logs and settings stay beside it."""
    work = epub.with_name(epub.name + ".ace")
    home = {name: str(work / name.lower()) for name in (
        "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME")}  # fmt: skip
    env = {**os.environ, **home, "PUPPETEER_EXECUTABLE_PATH": chromium()}
    out = work / "report"
    args = [str(ace_command()), "--silent", "--force", "--outdir", str(out),
            "--tempdir", str(work / "tmp"), str(epub)]  # fmt: skip
    (work / "tmp").mkdir(parents=True, exist_ok=True)
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=600, check=False)
    report = out / "report.json"
    if done.returncode != 0 or not report.is_file():
        logs = "\n".join(p.read_text()[-3000:] for p in work.glob("xdg_state_home/*/*.log"))
        pytest.fail(f"DAISY Ace failed (exit {done.returncode}): {done.stdout[-2000:]}\n{logs}")
    return dict(json.loads(report.read_text(encoding="utf-8")))


def ace_report(factory: pytest.TempPathFactory, built: BuiltEpub) -> dict[str, Any]:
    """Ace's report on ``built``, run once a session."""
    return shared(factory, "ace", built.path, ace)


def violations(report: dict[str, Any]) -> list[str]:
    """'RULE IMPACT FILE SELECTOR: description' for each failed assertion of the report."""
    lines = []
    for subject in report["assertions"]:
        for found in subject["assertions"]:
            test, result = found["earl:test"], found["earl:result"]
            where = " ".join(result.get("earl:pointer", {}).get("css", []))
            lines.append(
                f"{test['dct:title']} {test['earl:impact']} {subject['earl:testSubject']['url']}"
                f" {where}: {result.get('dct:description', '')[:240]}"
            )
    return lines


def assert_no_violation(report: dict[str, Any]) -> None:
    """Fail with every violation Ace reported, whatever its impact."""
    assert report["earl:assertedBy"]["doap:release"]["doap:revision"] == ACE_VERSION
    assert violations(report) == [], "DAISY Ace found:\n" + "\n".join(violations(report))
    assert report["earl:result"]["earl:outcome"] == "pass"


@pytest.fixture(scope="module")
def seed_ace(seed_epub: BuiltEpub, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Ace's report on the seed's EPUB."""
    return ace_report(tmp_path_factory, seed_epub)


@pytest.fixture(scope="module")
def rich_ace(rich_epub: BuiltEpub, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Ace's report on the two-chapter book with images, references and differentials."""
    return ace_report(tmp_path_factory, rich_epub)


def test_seed_epub_has_no_ace_violation(seed_ace: dict[str, Any]) -> None:
    assert_no_violation(seed_ace)
    assert seed_ace["a11y-metadata"]["empty"] == []


def test_rich_epub_has_no_ace_violation(rich_ace: dict[str, Any], rich_epub: BuiltEpub) -> None:
    assert_no_violation(rich_ace)
    figures = {f"EPUB/images/{v}" for v in ("rich-fig-real-image.png", "plain-fig-scan.jpg")}
    assert figures <= {image["src"] for image in rich_ace["data"]["images"]}  # Ace saw them


def test_a_violation_is_listed_with_its_rule_impact_and_place(rich_ace: dict[str, Any]) -> None:
    """The message a failure prints, on a report with one violation added."""
    found = {
        "earl:test": {"dct:title": "epub-lang", "earl:impact": "serious"},
        "earl:result": {"earl:outcome": "fail", "dct:description": "no xml:lang"},
    }
    subject = {"earl:testSubject": {"url": "EPUB/content.opf"}, "assertions": [found]}
    report = {**rich_ace, "assertions": [*rich_ace["assertions"], subject]}
    assert violations(report) == ["epub-lang serious EPUB/content.opf : no xml:lang"]
    with pytest.raises(AssertionError, match=r"epub-lang serious EPUB/content\.opf"):
        assert_no_violation(report)
