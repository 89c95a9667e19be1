"""``python -m pipeline.editor.preview``: the chapter and its findings, over HTTP and in Chromium.

The server runs as its own process on a copy of the seed, on a free port of 127.0.0.1; the
tests read the address it prints. Over HTTP: the page, its findings at their bullet, what
it refuses (404), the interface it listens on, and ``/version`` moving within a second of a
save. In Debian's Chromium, driven through the DevTools protocol over a pipe (no extra
package): a page left open reloads by itself after a save and shows the new finding's marker
at its bullet, and loses it after the save that reverts it.
"""

from __future__ import annotations

import fcntl
import http.client
import json
import os
import re
import select
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from pipeline.editor.preview import Preview
from pipeline.lint import LintConfig
from pipeline.orchestrate.check import check_source
from pipeline.render.html import chapter_document
from pipeline.render.plan import plan_chapter
from pipeline.render.stamp import source_dates, stamp_from
from tests.helpers import REPO, seed_copy
from tests.render.figure_book import write_figure_book

CHAPTER = "blastic-osseous-metastases"
TITLE = "Blastic Osseous Metastases"
BULLET = "- Several osteoblastic lesions in the spine\n"
BRITISH = "- Several osteoblastic lesions in the spine with oedema\n"
"""The same bullet with a British spelling: Y102 at line 50, column 50 of the chapter."""
PLACE = f"chapters/{CHAPTER}.md:50:50"


@contextmanager
def serving(root: Path) -> Iterator[str]:
    """``python -m pipeline.editor.preview`` on ``root``, port 0: the address it printed."""
    args = [sys.executable, "-m", "pipeline.editor.preview", "--source", str(root), "--port", "0"]
    process = subprocess.Popen(args, cwd=REPO, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        assert url.startswith("http://"), f"the preview printed {url!r}, not its address"
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The preview of a copy of the seed: its address, and the chapter file to edit."""
    root = seed_copy(tmp_path_factory.mktemp("preview"))
    with serving(root) as url:
        yield url, root / "chapters" / f"{CHAPTER}.md"


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as answer:
        return str(answer.read().decode())


def _status(url: str, path: str) -> int:
    """The status of ``GET path``, sent exactly as written (no client tidies it)."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(str(parts.hostname), parts.port, timeout=30)
    try:
        connection.putrequest("GET", path, skip_host=False, skip_accept_encoding=True)
        connection.endheaders()
        return connection.getresponse().status
    finally:
        connection.close()


def _saved(file: Path, old: str, new: str) -> None:
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new), encoding="utf-8")


def _version_moves(url: str, before: str, within: float) -> float:
    """Seconds until ``/version`` differs from ``before``; fails after ``within``."""
    start = time.monotonic()
    while time.monotonic() - start < within:
        if _get(url + "version") != before:
            return time.monotonic() - start
        time.sleep(0.02)
    pytest.fail(f"/version still {before} {within} s after the save")


def test_chapter_page_shows_the_title_and_its_findings(server: tuple[str, Path]) -> None:
    url, chapter = server
    page = _get(url + f"chapter/{CHAPTER}")
    assert f'<h1 class="chapter-title">{TITLE}</h1>' in page
    assert "No findings." in page
    assert 'href="/assets/css/print.css"' in page
    index = _get(url)
    assert f'<a href="/chapter/{CHAPTER}">{TITLE}</a>' in index
    before = _get(url + "version")
    _saved(chapter, BULLET, BRITISH)
    try:
        _version_moves(url, before, 1.0)
        page = _get(url + f"chapter/{CHAPTER}")
    finally:
        _saved(chapter, BRITISH, BULLET)
    listed = (
        f'<li id="finding-1"><code><a href="#at-1">{PLACE}</a></code> <b class="warning">Y102</b>'
    )
    assert listed in page
    marker = '<a class="preview-finding warning" id="at-1" href="#finding-1"'
    assert f"<li>{marker}" in page  # before the bullet's text, inside its <li>
    bullet = "Several osteoblastic lesions in the spine with\u00a0oedema"  # last words tied
    assert page.index(marker) < page.index(bullet)


def test_the_chapter_is_the_pdfs_html(tmp_path: Path) -> None:
    """Without findings, the page's chapter is the chapter handout's HTML, byte for byte."""
    root = seed_copy(tmp_path)
    book = check_source(root, LintConfig(), cache=False).book()
    plan = plan_chapter(book.chapters[0], book.bibliography, number_prefix="1.")
    pdf = chapter_document(book, plan, stamp_from(source_dates(book), None), [])
    page = Preview(root, CHAPTER, LintConfig()).page(CHAPTER)
    assert page is not None
    article = re.compile(r"<article.*</article>", re.DOTALL)
    assert article.findall(page) == article.findall(pdf) != []


def test_an_invalid_source_shows_its_findings_without_the_chapter(
    server: tuple[str, Path],
) -> None:
    url, chapter = server
    before = _get(url + "version")
    _saved(chapter, f"title: {TITLE}\n", "title:\n")
    try:
        _version_moves(url, before, 1.0)
        page = _get(url + f"chapter/{CHAPTER}")
    finally:
        _saved(chapter, "title:\n", f"title: {TITLE}\n")
    assert f"chapters/{CHAPTER}.md:3:" in page
    assert 'class="chapter-title"' not in page


@pytest.mark.parametrize(
    "path",
    [
        "/../../etc/passwd",
        "/assets/../../../../../etc/passwd",
        "/assets/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "//etc/passwd",
        "/assets//etc/passwd",
        "/assets/",
        "/assets/css/",
        "/assets/fonts/OFL-1.1.txt",
        "/chapters/",
        f"/chapters/{CHAPTER}.md",
        "/book.yaml",
        "/figures/fig-t1wi-l3-sacrum.png",
        "/image/" + "0" * 64,
        "/chapter/no-such-chapter",
        "/chapter/../book.yaml",
    ],
)
def test_refuses_every_other_path(server: tuple[str, Path], path: str) -> None:
    assert _status(server[0], path) == 404


def test_serves_the_pipelines_own_assets(server: tuple[str, Path]) -> None:
    assert _status(server[0], "/assets/css/print.css") == 200
    assert _status(server[0], "/assets/fonts/NotoSans-Regular.ttf") == 200


def test_serves_each_figures_checked_image_and_no_file(tmp_path: Path) -> None:
    root = write_figure_book(tmp_path / "source")
    with serving(root) as url:
        page = _get(url + f"chapter/{CHAPTER}")
        shown = re.findall(r'<img src="([^"]+)"', page)
        assert len(shown) == 4
        for address in shown:
            assert re.fullmatch(r"/image/[0-9a-f]{64}\.svg", address)  # annotated: SVG
            with urllib.request.urlopen(url + address.lstrip("/"), timeout=30) as answer:
                assert answer.headers["Content-Type"] == "image/svg+xml"
                picture = rb'xlink:href="data:image/(png|jpeg);base64,'  # the checked bytes
                assert re.search(picture, answer.read())
        for path in ("/figures/radiograph.png", "/image/" + "1" * 64, shown[0] + "x"):
            assert _status(url, path) == 404
        assert "file:" not in page


def _other_address() -> str | None:
    """This machine's address on its outward interface, if it has one besides loopback."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: no packet is sent for UDP
        except OSError:
            return None
        address = str(probe.getsockname()[0])
    return None if address.startswith("127.") or address == "0.0.0.0" else address


def test_listens_on_127_0_0_1_only(server: tuple[str, Path]) -> None:
    parts = urlsplit(server[0])
    assert parts.hostname == "127.0.0.1"
    other = _other_address()
    if other is not None:
        with pytest.raises(OSError), socket.create_connection((other, parts.port), timeout=2):
            pass


def test_version_moves_within_a_second_of_a_save(server: tuple[str, Path]) -> None:
    url, chapter = server
    before = _get(url + "version")
    _saved(chapter, BULLET, BRITISH)
    try:
        assert _version_moves(url, before, 1.0) < 1.0
    finally:
        _saved(chapter, BRITISH, BULLET)


def _chromium() -> str:
    """Debian's ``chromium``, as the EPUB's accessibility check needs it; missing fails."""
    found = shutil.which("chromium")
    if not found:
        pytest.fail("Chromium is not installed: the preview is checked in it (Debian: chromium)")
    return found


LAUNCH = (
    "import os, sys; os.dup2(int(sys.argv[1]), 3); os.dup2(int(sys.argv[2]), 4); "
    "os.execv(sys.argv[3], sys.argv[3:])"
)
"""Start Chromium (``argv[3:]``) with the given pipe ends as its descriptors 3 and 4."""


def _high(pipe: tuple[int, int]) -> tuple[int, int]:
    """The pipe's ends moved above 4, so that putting them at 3 and 4 clobbers neither."""
    moved = tuple(fcntl.fcntl(end, fcntl.F_DUPFD_CLOEXEC, 5) for end in pipe)
    for end in pipe:
        os.close(end)
    return moved[0], moved[1]


class DevTools:
    """Chromium driven through the DevTools protocol on a pipe (``--remote-debugging-pipe``).

    Chromium reads commands on its descriptor 3 and writes answers on 4, each a JSON
    message ended by a NUL byte.
    """

    def __init__(self, chromium: str, profile: Path) -> None:
        to_browser, self._to = _high(os.pipe())
        self._from, from_browser = _high(os.pipe())
        flags = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--remote-debugging-pipe", f"--user-data-dir={profile}"]  # fmt: skip
        self.process = subprocess.Popen(
            [sys.executable, "-c", LAUNCH, str(to_browser), str(from_browser), chromium, *flags],
            pass_fds=(to_browser, from_browser),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        os.close(to_browser)
        os.close(from_browser)
        self._buffer = b""
        self._id = 0
        self.session = ""

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        """Send one command (to the page once ``open`` attached it) and return its result."""
        self._id += 1
        message: dict[str, Any] = {"id": self._id, "method": method, "params": params}
        if self.session:
            message["sessionId"] = self.session
        os.write(self._to, json.dumps(message).encode() + b"\0")
        while True:
            answer = self._read()
            if answer.get("id") == self._id:
                assert "error" not in answer, answer
                return dict(answer["result"])

    def _read(self) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            ready, _, _ = select.select([self._from], [], [], 60)
            assert ready, "Chromium did not answer within 60 s"
            chunk = os.read(self._from, 65536)
            assert chunk, "Chromium closed its DevTools pipe"
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return dict(json.loads(message))

    def open(self, url: str) -> None:
        """Open ``url`` in a new page and send the next commands to it."""
        target = self.call("Target.createTarget", url=url)["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)[
            "sessionId"
        ]

    def value(self, expression: str) -> Any:
        """What ``expression`` evaluates to in the page."""
        return self.call("Runtime.evaluate", expression=expression, returnByValue=True)[
            "result"
        ].get("value")

    def until(self, expression: str, within: float) -> float:
        """Seconds until ``expression`` is true in the page; fails after ``within``."""
        start = time.monotonic()
        while time.monotonic() - start < within:
            if self.value(expression) is True:
                return time.monotonic() - start
            time.sleep(0.05)
        pytest.fail(f"{expression} was still not true after {within} s")

    def close(self) -> None:
        """End the browser; its pipes with it."""
        self.process.terminate()
        self.process.wait(timeout=10)
        os.close(self._to)
        os.close(self._from)


MARKERS = "document.querySelectorAll('li > a.preview-finding').length"


def test_an_open_page_reloads_and_marks_the_finding_at_its_bullet(
    server: tuple[str, Path], tmp_path: Path
) -> None:
    url, chapter = server
    browser = DevTools(_chromium(), tmp_path / "profile")
    try:
        browser.open(url + f"chapter/{CHAPTER}")
        browser.until(f"document.readyState === 'complete' && document.title === '{TITLE}'", 30)
        assert browser.value(MARKERS) == 0
        browser.value("window.notReloaded = true")  # gone once the page has reloaded itself
        _saved(chapter, BULLET, BRITISH)
        try:
            seconds = browser.until(f"!window.notReloaded && {MARKERS} === 1", 10)
            at = "document.querySelector('li > a.preview-finding')"
            assert browser.value(f"{at}.textContent") == "Y102"
            assert "with\u00a0oedema" in browser.value(f"{at}.parentElement.textContent")
            assert browser.value("document.querySelector('#finding-1 code').textContent") == PLACE
        finally:
            _saved(chapter, BRITISH, BULLET)
        browser.value("window.notReloaded = true")
        browser.until(f"!window.notReloaded && {MARKERS} === 0", 10)
    finally:
        browser.close()
    assert seconds < 1.0, f"the page showed the finding {seconds:.2f} s after the save"
