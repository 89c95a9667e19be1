"""``monograph preview [CHAPTER]``: a chapter as the PDF's HTML, its findings, live.

An HTTP server, bound to 127.0.0.1 unless ``--host`` names another interface, shows a
chapter as the chapter handout's HTML (``preview_page``) with every finding of validation
and lint listed at the top (``PATH:LINE:COL CODE message``) and marked at the text it is
on. Without a chapter, ``/`` lists the chapters. When the source is invalid the findings
are shown without the chapter.

A background thread watches the source tree (``watchfiles``; the chapter cache's folder
left out) and counts its changes; each page asks ``/version`` every 300 ms and reloads when
the count moved, so a save shows within a second. The source is checked again (the chapter
cache keeps that quick) and the page rendered again only on the first request after a
change.

The server serves nothing from disk but the renderer's own ``css/`` and ``fonts/``
(``gate.asset_file``, the rule the PDF's fetcher follows) and the checked bytes of the
figures' images (``ImageFile.data``, by SHA-256); every other path is 404, and there is no
directory listing.
"""

from __future__ import annotations

import argparse
import sys
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from watchfiles import DefaultFilter, watch

from pipeline.editor.preview_page import (
    ASSET_PREFIX,
    IMAGE_PREFIX,
    Served,
    chapter_page,
    findings_panel,
    index_page,
)
from pipeline.lint import ConfigError, LintConfig, load_config
from pipeline.model import Book
from pipeline.orchestrate.check import CACHE_DIR, check_source
from pipeline.render.gate import ASSETS, asset_file
from pipeline.render.plan import plan_chapter
from pipeline.render.stamp import source_dates, stamp_from

ASSET_TYPES = {".css": "text/css; charset=utf-8", ".ttf": "font/ttf"}
"""The asset files a page loads, and their types; other files of the folders are not served."""


@dataclass
class _State:
    """The source as checked at one version: findings, the book when valid, pages made."""

    version: int
    found: list[Any]
    book: Book | None
    pages: dict[str, Served] = field(default_factory=dict)


class Preview:
    """The source tree, its change count, and what was made of it at the last count."""

    def __init__(self, source: Path, chapter: str | None, config: LintConfig) -> None:
        self.source = source
        self.chapter = chapter
        self.config = config
        self.version = 0
        self._lock = threading.Lock()
        self._state: _State | None = None
        self.stop = threading.Event()

    def changed(self) -> None:
        """Count a change of the source tree: the next request checks it again."""
        with self._lock:
            self.version += 1

    def state(self) -> _State:
        """The source checked at the current version (checked now if it changed since)."""
        with self._lock:
            if self._state is None or self._state.version != self.version:
                checked = check_source(self.source, self.config, cache=True)
                book = checked.book() if checked.valid else None
                self._state = _State(self.version, checked.diagnostics, book)
            return self._state

    def page(self, chapter: str | None) -> str | None:
        """The HTML of ``chapter``'s page (the index without one); None for no such chapter."""
        state = self.state()
        if chapter is None:
            return self._index(state)
        if state.book is None:
            ids = [Path(p).stem for p in self.source.joinpath("chapters").glob("*.md")]
            if chapter not in ids:
                return None
            return index_page(chapter, [], findings_panel(state.found, None, set()), state.version)
        return self._chapter(state, state.book, chapter)

    def image(self, address: str) -> tuple[bytes, str] | None:
        """A checked image shown by a page made at the current version, by its address."""
        state = self.state()
        with self._lock:
            pages = list(state.pages.values())
        return next((p.images[address] for p in pages if address in p.images), None)

    def _index(self, state: _State) -> str:
        book = state.book
        chapters = [(c.id, c.meta.title) for c in book.chapters] if book else []
        title = book.meta.title if book else "The source does not validate"
        return index_page(title, chapters, findings_panel(state.found, None, set()), state.version)

    def _chapter(self, state: _State, book: Book, chapter: str) -> str | None:
        with self._lock:
            made = state.pages.get(chapter)
            if made is None:
                ids = [c.id for c in book.chapters]
                if chapter not in ids:
                    return None
                number = ids.index(chapter) + 1
                plan = plan_chapter(book.chapters[number - 1], book.bibliography,
                                    number_prefix=f"{number}.")  # fmt: skip
                stamp = stamp_from(source_dates(book), None)
                made = chapter_page(book, plan, stamp, state.found, state.version)
                state.pages[chapter] = made
            return made.html

    def watch(self) -> None:
        """Count each batch of changes to the source tree until ``stop`` is set."""
        ignore = DefaultFilter(ignore_dirs=(*DefaultFilter.ignore_dirs, CACHE_DIR))
        for _ in watch(self.source, watch_filter=ignore, stop_event=self.stop, debounce=100,
                       step=20, yield_on_timeout=False):  # fmt: skip
            self.changed()


class _Handler(BaseHTTPRequestHandler):
    """GET only: ``/``, ``/chapter/ID``, ``/version``, ``/assets/…``, ``/image/…``; else 404."""

    preview: Preview
    server_version = "monograph-preview"

    def do_GET(self) -> None:
        """Answer one request from the preview's pages, its assets and its images only."""
        path = urlsplit(self.path).path
        if path == "/version":
            self._send(str(self.preview.version).encode(), "text/plain; charset=utf-8")
        elif path == "/":
            self._html(self.preview.page(self.preview.chapter))
        elif path.startswith("/chapter/"):
            self._html(self.preview.page(unquote(path.removeprefix("/chapter/"))))
        elif path.startswith(IMAGE_PREFIX):
            image = self.preview.image(path)
            self._send(*image) if image else self._missing()
        elif path.startswith(ASSET_PREFIX):
            self._asset(unquote(path.removeprefix(ASSET_PREFIX)))
        else:
            self._missing()

    def _asset(self, rel: str) -> None:
        file = asset_file((ASSETS / rel).as_uri()) if rel and not rel.startswith("/") else None
        kind = ASSET_TYPES.get(file.suffix) if file else None
        if file is None or kind is None:
            self._missing()
        else:
            self._send(file.read_bytes(), kind)

    def _html(self, page: str | None) -> None:
        if page is None:
            self._missing()
        else:
            self._send(page.encode(), "text/html; charset=utf-8")

    def _missing(self) -> None:
        self._send(b"Not found\n", "text/plain; charset=utf-8", 404)

    def _send(self, body: bytes, kind: str, status: int = 200) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Keep the terminal for the URL and errors: requests are not logged."""


def serve(source: Path, chapter: str | None, host: str = "127.0.0.1", port: int = 8000) -> int:
    """Serve the preview of ``source`` (``chapter``'s page at ``/``) until interrupted.

    Prints the address it serves on (``port`` 0: any free port), then serves until Ctrl-C.
    """
    preview = Preview(source, chapter, _config(source))
    handler = type("Handler", (_Handler,), {"preview": preview})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    watcher = threading.Thread(target=preview.watch, name="preview-watch", daemon=True)
    watcher.start()
    bound_host, bound_port = server.socket.getsockname()[:2]
    print(f"http://{bound_host}:{bound_port}/", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        preview.stop.set()
        server.server_close()
    return 0


def _config(source: Path) -> LintConfig:
    """The lint configuration of the pyproject.toml beside the source tree, as ``lint`` reads it."""
    beside = source.resolve().parent / "pyproject.toml"
    try:
        return load_config(beside if beside.is_file() else Path("pyproject.toml"))
    except ConfigError as err:
        print(f"monograph preview: {err}; linting with the defaults", file=sys.stderr)
        return LintConfig()


def main(argv: list[str] | None = None) -> int:
    """``python -m pipeline.editor.preview [--source DIR] [--host H] [--port N] [CHAPTER]``."""
    parser = argparse.ArgumentParser(prog="monograph preview", description=__doc__.split("\n")[0])
    parser.add_argument("chapter", nargs="?", help="the chapter id to show at /")
    parser.add_argument("--source", default="source", help="the source tree (default: source)")
    only_here = "the interface to listen on (default 127.0.0.1: this machine only)"
    parser.add_argument("--host", default="127.0.0.1", help=only_here)
    parser.add_argument("--port", type=int, default=8000, help="0 for any free port")
    args = parser.parse_args(argv)
    return serve(Path(args.source), args.chapter, args.host, args.port)


if __name__ == "__main__":
    sys.exit(main())
