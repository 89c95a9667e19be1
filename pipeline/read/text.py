"""Turning a source file's bytes into text, reporting what is not UTF-8 or not usable text."""

from __future__ import annotations

import re

from pipeline.diagnostics import Sink
from pipeline.model.span import Span

MAX_BAD_BYTES = 20
"""Reporting stops after this many invalid sequences (or characters, or lines) in one file."""
MAX_LINE = 4000
"""A line holds at most this many characters."""
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
"""Characters XML 1.0 cannot hold (so neither can the EPUB), and NUL, which PDF text drops."""


def decode(data: bytes, path: str, report: Sink) -> str:
    """Decode UTF-8, dropping a BOM and normalising CRLF/CR line ends to LF.

    Each invalid byte sequence is reported with its line, column and byte offset, and is
    replaced by U+FFFD so that the rest of the file can still be checked in the same run.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    pieces: list[str] = []
    start = bad = 0
    while bad < MAX_BAD_BYTES:
        try:
            pieces.append(data[start:].decode("utf-8"))
            break
        except UnicodeDecodeError as err:
            good_end = start + err.start
            pieces.append(data[start:good_end].decode("utf-8"))
            pieces.append("\ufffd")
            _report_bad_byte(data, good_end, path, report)
            bad += 1
            start = start + err.end
    else:  # past the reporting limit, the rest is replaced in one linear pass
        pieces.append(data[start:].decode("utf-8", errors="replace"))
    text = "".join(pieces).replace("\r\n", "\n").replace("\r", "\n")
    return _without_forbidden(text, path, report)


def _without_forbidden(text: str, path: str, report: Sink) -> str:
    """Report each forbidden character (R114) and replace it by U+FFFD, as a bad byte is."""
    found = 0
    for match in FORBIDDEN.finditer(text):
        if found == MAX_BAD_BYTES:
            break
        found += 1
        report.add("R114", _span_at(text, match.start(), path), _char_message(match.group()))
    return FORBIDDEN.sub("\ufffd", text) if found else text


def _char_message(char: str) -> str:
    return f"character U+{ord(char):04X} cannot be printed or stored in XML"


def _span_at(text: str, offset: int, path: str) -> Span:
    line_start = text.rfind("\n", 0, offset) + 1
    return Span(path=path, line=text.count("\n", 0, offset) + 1, column=offset - line_start + 1)


def lines_within_limit(text: str, path: str, report: Sink) -> bool:
    """Report lines longer than ``MAX_LINE`` characters (R112); true when there is none."""
    long_lines = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if len(line) <= MAX_LINE:
            continue
        long_lines += 1
        if long_lines <= MAX_BAD_BYTES:
            message = f"line has {len(line):,} characters; the limit is {MAX_LINE:,}"
            report.add("R112", Span(path=path, line=number, column=MAX_LINE + 1), message)
    return long_lines == 0


def _report_bad_byte(data: bytes, offset: int, path: str, report: Sink) -> None:
    line_start = data.rfind(b"\n", 0, offset) + 1
    line = data.count(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", errors="replace")) + 1
    report.add(
        "R101",
        Span(path=path, line=line, column=column),
        f"byte 0x{data[offset]:02X} at byte offset {offset} is not valid UTF-8",
    )
