"""Turning a source file's bytes into text, reporting what is not UTF-8."""

from __future__ import annotations

from pipeline.codes import Reporter
from pipeline.model.span import Span

MAX_BAD_BYTES = 20
"""Reporting stops after this many invalid sequences in one file."""


def decode(data: bytes, path: str, report: Reporter) -> str:
    """Decode UTF-8, dropping a BOM and normalising CRLF/CR line ends to LF.

    Each invalid byte sequence is reported with its line, column and byte offset, and is
    replaced by U+FFFD so that the rest of the file can still be checked in the same run.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    pieces: list[str] = []
    start = bad = 0
    while True:
        try:
            pieces.append(data[start:].decode("utf-8"))
            break
        except UnicodeDecodeError as err:
            good_end = start + err.start
            pieces.append(data[start:good_end].decode("utf-8"))
            pieces.append("\ufffd")
            if bad < MAX_BAD_BYTES:
                _report_bad_byte(data, good_end, path, report)
            bad += 1
            start = start + err.end
    return "".join(pieces).replace("\r\n", "\n").replace("\r", "\n")


def _report_bad_byte(data: bytes, offset: int, path: str, report: Reporter) -> None:
    line_start = data.rfind(b"\n", 0, offset) + 1
    line = data.count(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", errors="replace")) + 1
    report.add(
        "R101",
        Span(path=path, line=line, column=column),
        f"byte 0x{data[offset]:02X} at byte offset {offset} is not valid UTF-8",
    )
