"""Decoding: BOM and CRLF handled transparently, bad bytes located and survived."""

from __future__ import annotations

from pipeline.diagnostics import Sink
from pipeline.read.text import decode


def test_bom_and_crlf_are_transparent() -> None:
    report = Sink()
    assert decode(b"\xef\xbb\xbfa\r\nb\rc\n", "f", report) == "a\nb\nc\n"
    assert report.items == []


def test_invalid_bytes_are_reported_with_line_column_and_offset() -> None:
    report = Sink()
    text = decode(
        "ok\nµ x\xff y\xfe\n".encode("latin-1").replace(b"\xb5", "µ".encode()), "f", report
    )
    assert text == "ok\nµ x\ufffd y\ufffd\n"
    found = [(d.code, d.span.line, d.span.column) for d in report.items]
    assert found == [("R101", 2, 4), ("R101", 2, 7)]
    assert "0xFF at byte offset 7" in report.items[0].message


def test_truncated_multibyte_sequence_is_reported() -> None:
    report = Sink()
    decode(b"abc\xe2\x82", "f", report)
    assert [(d.span.line, d.span.column) for d in report.items] == [(1, 4)]
