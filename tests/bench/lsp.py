"""The language server's latency: from a keystroke (didChange) to the chapter's diagnostics.

A real client starts ``python -m pipeline.editor.lsp --source <seed>``, opens the seed chapter
and changes it ``REPEAT`` times (an HTML comment at its end, different each time, so every
check has new text); each time is taken from sending the change to receiving the chapter's
``publishDiagnostics``. The median is printed, with and without the server's debounce
(``DEBOUNCE``), which is a wait on purpose, not work. Nothing is written to the seed.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from pathlib import Path

from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from pipeline.editor.lsp import DEBOUNCE
from tests.helpers import REPO

REPEAT = 10
SEED = REPO / "source"
CHAPTER = "chapters/blastic-osseous-metastases.md"


async def _published(client: LanguageClient, uri: str) -> None:
    """Wait for the next diagnostics published for ``uri``."""
    while True:
        params = await client.protocol.wait_for_notification_async(
            types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS
        )
        if params.uri == uri:
            return


async def _latencies(source: Path, repeat: int) -> list[float]:
    command = [sys.executable, "-m", "pipeline.editor.lsp", "--source", str(source)]
    client = await ClientServerConfig(server_command=command).start()
    assert isinstance(client, LanguageClient)
    await client.initialize_session(types.InitializeParams(capabilities=types.ClientCapabilities()))
    path = source / CHAPTER
    uri, text = path.resolve().as_uri(), path.read_text("utf-8")
    opened = _published(client, uri)
    item = types.TextDocumentItem(uri=uri, language_id="markdown", version=1, text=text)
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=item))
    await asyncio.wait_for(opened, 60)
    times = []
    for version in range(2, repeat + 2):
        document = types.VersionedTextDocumentIdentifier(uri=uri, version=version)
        edit = types.TextDocumentContentChangeWholeDocument(text=f"{text}\n<!-- {version} -->\n")
        waiting = asyncio.ensure_future(_published(client, uri))
        await asyncio.sleep(0)  # the wait is registered before the change is sent
        start = time.perf_counter()
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(text_document=document, content_changes=[edit])
        )
        await asyncio.wait_for(waiting, 60)
        times.append(time.perf_counter() - start)
    await client.shutdown_session()
    return times


def lsp_latency(source: Path = SEED, repeat: int = REPEAT) -> float:
    """Print and return the median seconds from didChange to publishDiagnostics."""
    median = statistics.median(asyncio.run(_latencies(source, repeat)))
    print(
        f"lsp didChange → publishDiagnostics, median of {repeat}: {median * 1000:.0f} ms "
        f"({(median - DEBOUNCE) * 1000:.0f} ms after the {DEBOUNCE * 1000:.0f} ms debounce)"
    )
    return median


if __name__ == "__main__":
    lsp_latency()
