"""The export's bytes are the standard library's indented JSON, written by a faster encoder.

``pipeline.render.jsonexport`` writes with pydantic-core because ``json.dumps`` falls back
to pure Python whenever it indents. Readers and diffs of past exports must not see a change:
the bytes must be exactly ``json.dumps(value, indent=2, ensure_ascii=False)`` and a newline.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.render.jsonexport import book_out, dumps, export_book, export_schema
from pipeline.validate import validate_source
from tests.bench.corpus import make_book
from tests.fuzz.mutations import HOSTILE_CHARS
from tests.fuzz.profiles import FUZZ
from tests.helpers import SOURCE


def _stdlib(value: Any) -> bytes:
    return (json.dumps(value, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def test_the_book_export_is_the_standard_librarys_json(tmp_path: Path) -> None:
    for root in (SOURCE, make_book(tmp_path / "book", 3)):
        book = validate_source(root).book
        assert book is not None
        data = export_book(book)
        assert data == _stdlib(book_out(book).model_dump(mode="json"))
        assert json.loads(data)["id"] == book.meta.id


def test_the_schema_is_the_standard_librarys_json() -> None:
    assert export_schema() == _stdlib(json.loads(export_schema()))


_TEXT = st.text(st.one_of(st.sampled_from(HOSTILE_CHARS), st.characters(codec="utf-8")))
_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | _TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_TEXT, inner, max_size=4),
    max_leaves=30,
)


@settings(FUZZ, max_examples=300)
@given(_VALUES)
def test_any_export_value_is_written_as_the_standard_library_would(value: Any) -> None:
    assert dumps(value) == _stdlib(value)
