"""``monograph lsp``: a language server over stdio for the chapters, registry and bibliography.

It publishes the findings of validation and lint as the editor's text stands (open buffers in
place of their files, ``lsp_check``), offers each safe fix and a suppression as code actions,
and answers hover, go to definition and completion (``lsp_features``). A change is checked
``DEBOUNCE`` seconds after the last keystroke; opening or saving a file is checked at once.
Whatever goes wrong inside a request is logged to stderr (the error's kind and where, never
the text) and the server goes on answering.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import logging
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from lsprotocol import types
from pygls import uris
from pygls.lsp.server import LanguageServer

from pipeline.editor import lsp_features as features
from pipeline.editor.lsp_check import Checker, Result, lint_config
from pipeline.editor.lsp_convert import to_lsp
from pipeline.validate.source import (
    BIBLIOGRAPHY,
    BOOK,
    CHAPTERS,
    TERMINOLOGY,
    TERMINOLOGY_DIR,
    SourceError,
)

DEBOUNCE = 0.08
"""Seconds after the last change before the tree is checked again: short enough that a
seed-sized chapter's diagnostics arrive within 150 ms of a change (``nox -s bench``), long
enough that a word typed at speed is checked once."""
logger = logging.getLogger("monograph.lsp")

P = ParamSpec("P")
T = TypeVar("T")


def _ours(rel: str) -> bool:
    """True for the files the server checks: chapters, book.yaml, registry, bibliography."""
    folder, _, name = rel.rpartition("/")
    if folder == CHAPTERS:
        return name.endswith(".md")
    if folder == TERMINOLOGY_DIR:
        return name.endswith(".yaml")
    return not folder and name in (BOOK, TERMINOLOGY, BIBLIOGRAPHY)


def guarded(handler: Callable[P, T]) -> Callable[P, T | None]:
    """Run ``handler``; when it raises, log the error's kind and place and answer None.

    The message of an exception may quote the chapter, so only its type and traceback's
    frames are logged.
    """

    @functools.wraps(handler)
    def run(*args: P.args, **kwargs: P.kwargs) -> T | None:
        try:
            return handler(*args, **kwargs)
        except Exception as err:  # a request must never stop the server
            frames = "".join(traceback.format_tb(err.__traceback__))
            logger.error("%s failed with %s\n%s", handler.__name__, type(err).__name__, frames)
            return None

    return run


class MonographServer(LanguageServer):
    """The server and what it knows: the source root, the last check, what it published."""

    def __init__(self, source: Path) -> None:
        super().__init__("monograph", "1")
        self.root = source.resolve()
        self.checker = Checker(self.root, lint_config(source))
        self.result = Result()
        self.published: set[str] = set()
        self.pending: asyncio.TimerHandle | None = None
        self.told: str | None = None
        """The last message shown about a tree that cannot be checked at all."""
        self.opened: dict[str, str] = {}
        """The URI the editor gave each open file, by path: it may name the tree through a
        link, and the editor knows the file only by that URI."""

    def rel(self, uri: str) -> str | None:
        """The path inside the source tree of the document ``uri``; None for any other."""
        path = uris.to_fs_path(uri)
        if path is None:
            return None
        try:
            rel = Path(path).resolve().relative_to(self.root).as_posix()
        except ValueError:
            return None
        return rel if _ours(rel) else None

    def uri(self, rel: str) -> str:
        """The URI of the file ``rel`` of the source tree (the editor's, for an open file)."""
        return self.opened.get(rel) or (self.root / rel).as_uri()

    def lines(self, rel: str) -> list[str]:
        """The lines of ``rel`` as the editor has them, else as the file has them."""
        document = self.workspace.text_documents.get(self.uri(rel))
        if document is not None:
            return str(document.source).splitlines()
        try:
            return (self.root / rel).read_text("utf-8", errors="replace").splitlines()
        except OSError:
            return []

    def buffers(self) -> dict[str, str]:
        """The open documents of the tree, by path."""
        found, self.opened = {}, {}
        for uri, document in self.workspace.text_documents.items():
            rel = self.rel(uri)
            if rel is not None:
                found[rel] = document.source
                self.opened[rel] = uri
        return found

    def schedule(self, delay: float) -> None:
        """Check the tree ``delay`` seconds from now, instead of any check already waiting."""
        if self.pending is not None:
            self.pending.cancel()
        self.pending = asyncio.get_running_loop().call_later(delay, self.recheck)

    @guarded
    def recheck(self) -> None:
        """Check the tree; publish the findings of every file that has some, and of each open one.

        An open file, or one that had findings, is published even when it has none now: the
        editor clears it, and knows it was checked.
        """
        self.pending = None
        buffers = self.buffers()
        try:
            self.result = self.checker.check(buffers)
        except SourceError as err:  # no book.yaml, no folder: nothing can be checked
            message = f"monograph: {err}"
            if message != self.told:  # said once, not at every keystroke
                self.told = message
                self.window_show_message(
                    types.ShowMessageParams(type=types.MessageType.Error, message=message)
                )
            return
        self.told = None
        found = self.result.diagnostics
        for rel in sorted(self.published | set(found) | set(buffers)):
            lines = self.lines(rel)
            items = [to_lsp(d, lines, self.uri) for d in found.get(rel, [])]
            params = types.PublishDiagnosticsParams(uri=self.uri(rel), diagnostics=items)
            self.text_document_publish_diagnostics(params)
        self.published = set(found)


NOTIFICATIONS = {
    types.TEXT_DOCUMENT_DID_OPEN: 0.0,
    types.TEXT_DOCUMENT_DID_CHANGE: DEBOUNCE,
    types.TEXT_DOCUMENT_DID_SAVE: 0.0,
    types.TEXT_DOCUMENT_DID_CLOSE: 0.0,  # on close the file on disk counts again
}
"""The notifications that check the tree again, and after how many seconds."""


def _rechecking(delay: float) -> Callable[[MonographServer, Any], None]:
    """A notification handler: a document of the tree was opened, changed, saved or closed."""

    def handler(ls: MonographServer, params: Any) -> None:  # any of the four Did…Params
        if ls.rel(params.text_document.uri) is not None:
            ls.schedule(delay)

    return handler


def make_server(source: Path) -> MonographServer:
    """The server for the tree ``source``, every feature registered."""
    server = MonographServer(source)

    for method, delay in NOTIFICATIONS.items():
        server.feature(method)(_rechecking(delay))
    _requests(server)
    return server


def _requests(server: MonographServer) -> None:
    """Register the requests: code actions, hover, definition, completion."""
    kinds = types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix])

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION, kinds)
    @guarded
    def code_action(ls: MonographServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        rel = ls.rel(params.text_document.uri)
        if rel is None:
            return []
        found = ls.result.diagnostics.get(rel, [])
        return features.code_actions(rel, ls.lines(rel), params.range, found, ls.uri(rel))

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    @guarded
    def hover(ls: MonographServer, params: types.HoverParams) -> types.Hover | None:
        rel = ls.rel(params.text_document.uri)
        if rel is None:
            return None
        return features.hover(rel, ls.lines(rel), params.position, ls.result)

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    @guarded
    def definition(ls: MonographServer, params: types.DefinitionParams) -> types.Location | None:
        rel = ls.rel(params.text_document.uri)
        if rel is None:
            return None
        return features.definition(rel, ls.lines(rel), params.position, ls.result, ls.uri)

    triggers = types.CompletionOptions(trigger_characters=["-", "@", "{", " "])

    @server.feature(types.TEXT_DOCUMENT_COMPLETION, triggers)
    @guarded
    def completion(
        ls: MonographServer, params: types.CompletionParams
    ) -> list[types.CompletionItem]:
        rel = ls.rel(params.text_document.uri)
        if rel is None:
            return []
        return features.completion(rel, ls.lines(rel), params.position, ls.result)


def serve(source: Path) -> int:
    """Run the language server for the tree ``source`` on stdin and stdout until it exits."""
    logging.basicConfig(
        stream=sys.stderr, level=logging.WARNING, format="monograph lsp: %(message)s"
    )
    make_server(source).start_io()
    # pygls closes standard output on exit; whatever flushes it later (the command's end)
    # must find a stream, not a closed file.
    sys.stdout = Path(os.devnull).open("w", encoding="utf-8")  # noqa: SIM115 (open until exit)
    return 0


def main(argv: list[str] | None = None) -> int:
    """``python -m pipeline.editor.lsp --source DIR``."""
    parser = argparse.ArgumentParser(prog="monograph lsp", description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=Path("source"), help="the source tree")
    args = parser.parse_args(argv)
    return serve(args.source)


if __name__ == "__main__":
    sys.exit(main())
