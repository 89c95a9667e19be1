"""Hostile sources through the real pipeline: refused with a finding, nothing fetched.

Each case edits a copy of the seed source and runs ``python -m pipeline build`` on it. A
test HTTP server on loopback records every connection; it must see none, and a refused
source must leave no PDF. An http(s) Markdown link is allowed as a hyperlink, and the full
build that prints it must not fetch it either.
"""

from __future__ import annotations

import re
import shutil
import threading
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pypdf import PdfReader

from pipeline.render.pdf import PdfWriter, Rendered
from pipeline.render.products import PDF_PRODUCTS, RenderInput
from pipeline.render.stamp import build_stamp
from tests.helpers import EPOCH, SOURCE, BuildResult, build
from tests.render.conftest import load, write_rich

CHAPTER = "chapters/blastic-osseous-metastases.md"
MAX_RECORDED = 100


class _Server(ThreadingHTTPServer):
    """Counts every connection it accepts (any method, or none), and records each GET."""

    daemon_threads = True
    request_queue_size = 8

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.connections = 0
        self.requests: list[str] = []
        self.lock = threading.Lock()

    def process_request(self, request: Any, client_address: Any) -> None:
        with self.lock:
            self.connections += 1
        super().process_request(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    timeout = 5  # a stalled client cannot hold a thread

    def do_GET(self) -> None:
        """Record the request and answer with a few bytes of PNG."""
        server = self.server
        assert isinstance(server, _Server)
        with server.lock:
            if len(server.requests) < MAX_RECORDED:
                server.requests.append(f"{self.command} {self.path}")
        body = b"\x89PNG\r\n\x1a\n"
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output quiet."""


@dataclass
class Loopback:
    """The running server and its address."""

    server: _Server

    @property
    def url(self) -> str:
        """The server's base address, e.g. http://127.0.0.1:40123."""
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def assert_untouched(self) -> None:
        """No connection arrived; then one probe does, so the silence meant something."""
        assert (self.server.connections, self.server.requests) == (0, [])
        with urllib.request.urlopen(f"{self.url}/probe", timeout=10) as response:
            assert response.status == 200
        assert self.server.requests == ["GET /probe"]


@pytest.fixture
def loopback() -> Iterator[Loopback]:
    """A recording HTTP server on 127.0.0.1, shut down after the test."""
    server = _Server()
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield Loopback(server)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


# ---- editing a copy of the seed ---------------------------------------------------------


def with_image(value: str) -> Callable[[str], str]:
    """Give the chapter's first figure ``image: value``."""

    def edit(text: str) -> str:
        first = re.search(r"^  - id: fig-\S+\n", text, flags=re.MULTILINE)
        assert first, "the seed chapter has no figure"
        return text[: first.end()] + f'    image: "{value}"\n' + text[first.end() :]

    return edit


def with_bullet(words: str) -> Callable[[str], str]:
    """Add a bullet holding ``words`` before the first bullet of Key Facts."""

    def edit(text: str) -> str:
        start = text.index("\n# Key Facts\n")
        first = re.compile(r"^- ", flags=re.MULTILINE).search(text, start)
        assert first, "the seed chapter's Key Facts has no bullet"
        return text[: first.start()] + f"- {words}\n" + text[first.start() :]

    return edit


def line_of(text: str, needle: str) -> int:
    """The line number (from 1) of the first line holding ``needle``."""
    return text[: text.index(needle)].count("\n") + 1


def seed_copy(tmp_path: Path, edit: Callable[[str], str]) -> tuple[Path, str]:
    """Copy the seed source under ``tmp_path``, edit its chapter, return root and text."""
    root = tmp_path / "source"
    shutil.copytree(SOURCE, root)
    chapter = root / CHAPTER
    text = edit(chapter.read_text(encoding="utf-8"))
    chapter.write_text(text, encoding="utf-8")
    return root, text


def _errors(done: BuildResult) -> set[tuple[str, str, int]]:
    """(code, path, line) of each error the build reported."""
    return {(d.code, d.span.path, d.span.line) for d in done.diagnostics if d.severity == "error"}


def pdfs_under(out: Path) -> list[str]:
    """Every PDF file the build left in ``out``."""
    return sorted(str(p.relative_to(out)) for p in out.rglob("*.pdf")) if out.exists() else []


# ---- the cases --------------------------------------------------------------------------


@dataclass(frozen=True)
class Hostile:
    """A hostile edit, the code that must refuse it, and text on the line it must point at."""

    name: str
    edit: Callable[[str, str], Callable[[str], str]]
    """Given the loopback address and the URI of a file outside the tree, the chapter edit."""
    code: str
    needle: str
    symlink: bool = False
    """Whether figures/escape.png is made a symbolic link to the file outside the tree."""


CASES = [
    Hostile(
        "image-outside-source",
        lambda url, outside: with_image("../../etc/passwd"),
        "F101",
        "../../etc/passwd",
    ),
    Hostile(
        "escaping-symlink",
        lambda url, outside: with_image("escape.png"),
        "F101",
        "escape.png",
        symlink=True,
    ),
    Hostile(
        "file-url-image",
        lambda url, outside: with_image("file:///etc/passwd"),
        "F101",
        "file:///etc/passwd",
    ),
    Hostile(
        "file-url-link",
        lambda url, outside: with_bullet("See [the file](file:///etc/passwd)"),
        "S115",
        "file:///etc/passwd",
    ),
    Hostile(
        "file-url-raw-html",
        lambda url, outside: with_bullet('Look <img src="file:///etc/passwd" alt="x"> here'),
        "S111",
        "file:///etc/passwd",
    ),
    Hostile(
        "file-url-raw-html-block",
        lambda url, outside: with_bullet(f'<img src="{outside}" alt="x">'),
        "S111",
        "<img",
    ),
    Hostile(
        "loopback-image",
        lambda url, outside: with_image(f"{url}/figure.png"),
        "F101",
        "/figure.png",
    ),
    Hostile(
        "loopback-raw-html",
        lambda url, outside: with_bullet(f'Look <img src="{url}/raw.png" alt="x"> here'),
        "S111",
        "/raw.png",
    ),
]


def _secret(tmp_path: Path) -> Path:
    """A real PNG outside the source tree, the target of escapes."""
    secret = tmp_path / "outside" / "secret.png"
    secret.parent.mkdir()
    Image.new("RGB", (23, 17), (250, 0, 250)).save(secret)
    return secret


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_hostile_source_is_refused_and_nothing_is_fetched(
    case: Hostile, tmp_path: Path, loopback: Loopback
) -> None:
    secret = _secret(tmp_path)
    root, text = seed_copy(tmp_path, case.edit(loopback.url, secret.as_uri()))
    if case.symlink:
        (root / "figures").mkdir(exist_ok=True)
        (root / "figures" / "escape.png").symlink_to(secret)
    out = tmp_path / "out"
    done = build(root, out, formats=("pdf",))
    assert done.run.returncode == 1, done.run.stderr
    assert (case.code, CHAPTER, line_of(text, case.needle)) in _errors(done), done.run.stdout
    assert "nothing built" in done.run.stderr
    assert pdfs_under(out) == []
    loopback.assert_untouched()


def test_loopback_link_is_printed_as_a_hyperlink_and_never_fetched(
    tmp_path: Path, loopback: Loopback
) -> None:
    target = f"{loopback.url}/atlas?page=1"
    root, _ = seed_copy(tmp_path, with_bullet(f"See [the atlas]({target})"))
    out = tmp_path / "out"
    done = build(root, out, formats=("pdf",))
    assert done.run.returncode == 0, done.run.stdout + done.run.stderr
    book = load(root)
    expected = [f"pdf/{c.id}.pdf" for c in book.chapters] + [f"pdf/{book.meta.id}.pdf"]
    expected += [f"pdf/{c.id}-key-facts.pdf" for c in book.chapters]
    assert pdfs_under(out) == sorted(expected)
    for name in (f"pdf/{book.chapters[0].id}.pdf", f"pdf/{book.meta.id}.pdf"):
        assert target in _link_targets(out / name), name
    loopback.assert_untouched()


def _link_targets(pdf: Path) -> list[str]:
    reader = PdfReader(pdf)
    return [
        str(annot.get_object()["/A"]["/URI"])
        for page in reader.pages
        for annot in page.get("/Annots", [])
        if "/A" in annot.get_object() and "/URI" in annot.get_object()["/A"]
    ]


def test_a_figure_swapped_for_an_escaping_symlink_after_validation_is_not_read(
    tmp_path: Path, loopback: Loopback
) -> None:
    """Validation passed; the file is then replaced by a link out of the tree. The renderers
    print the bytes validation checked and never open the file again: the PDFs are the very
    bytes rendered before the swap."""
    root = write_rich(tmp_path / "source")
    book = load(root)
    given = RenderInput(book, build_stamp(book, EPOCH), [])
    writer = PdfWriter("a4", given.stamp.moment)

    def render() -> dict[str, Rendered]:
        documents = [d for p in PDF_PRODUCTS for d in p.documents(given) if d.figures]
        return {d.name: writer.render(d) for d in documents}

    before = render()
    image = root / "figures" / "real.png"
    image.unlink()
    image.symlink_to(_secret(tmp_path))
    after = render()
    assert "rich.pdf" in after and "rich.pdf" in before  # the documents showing the figure
    # Nothing refused or failed; the stand-in 40 × 30 image prints at 11 dpi (P111).
    assert {d.code for r in after.values() for d in r.diagnostics} == {"P111"}
    assert {n: r.data for n, r in after.items()} == {n: r.data for n, r in before.items()}
    loopback.assert_untouched()
