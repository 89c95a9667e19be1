"""``monograph lsp`` and ``monograph preview``: the servers as the command line starts them.

tests/editor/test_lsp.py and test_preview.py test each server's behaviour through its own
module; these start them as an editor or a browser user would, through ``monograph``.
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import urllib.request
from pathlib import Path

from tests.helpers import SOURCE, command, environment


def _source(tmp_path: Path) -> Path:
    root = tmp_path / "source"
    shutil.copytree(SOURCE, root, ignore=shutil.ignore_patterns(".monograph-cache"))
    return root


def test_monograph_preview_serves_the_book_on_this_machine_only(tmp_path: Path) -> None:
    root = _source(tmp_path)
    argv = command("preview", "--source", str(root), "--port", "0")
    with subprocess.Popen(argv, stdout=subprocess.PIPE, env=environment(None), text=True) as server:
        try:
            assert server.stdout is not None
            address = server.stdout.readline().strip()
            assert address.startswith("http://127.0.0.1:"), address
            with urllib.request.urlopen(address, timeout=30) as page:
                assert page.status == 200
                assert "blastic-osseous-metastases" in page.read().decode()
        finally:
            server.send_signal(signal.SIGINT)
            server.wait(timeout=30)


def _message(payload: dict[str, object]) -> bytes:
    body = json.dumps(payload).encode()
    return f"Content-Length: {len(body)}\r\n\r\n".encode() + body


def _read(stream: object) -> dict[str, object]:
    """One framed message from the server's stdout."""
    assert hasattr(stream, "readline") and hasattr(stream, "read")
    length = 0
    while (line := stream.readline()) not in (b"\r\n", b""):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    message: dict[str, object] = json.loads(stream.read(length))
    return message


def test_monograph_lsp_answers_initialize_and_exits_on_request(tmp_path: Path) -> None:
    root = _source(tmp_path)
    argv = command("lsp", "--source", str(root))
    with subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                          env=environment(None)) as server:  # fmt: skip
        assert server.stdin is not None and server.stdout is not None
        params = {"processId": None, "rootUri": root.as_uri(), "capabilities": {}}
        init = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": params}
        server.stdin.write(_message(init))
        server.stdin.flush()
        reply = _read(server.stdout)
        while "id" not in reply:  # a notification (a log message) first
            reply = _read(server.stdout)
        capabilities = reply["result"]["capabilities"]  # type: ignore[index]
        for wanted in ("hoverProvider", "definitionProvider", "codeActionProvider",
                       "completionProvider", "textDocumentSync"):  # fmt: skip
            assert capabilities.get(wanted), wanted  # type: ignore[union-attr]
        for message in ({"jsonrpc": "2.0", "method": "initialized", "params": {}},
                        {"jsonrpc": "2.0", "id": 2, "method": "shutdown"},
                        {"jsonrpc": "2.0", "method": "exit"}):  # fmt: skip
            server.stdin.write(_message(message))
            server.stdin.flush()
        server.stdin.close()
        assert server.wait(timeout=30) == 0
