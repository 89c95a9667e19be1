"""Fonts are subset the same way on every host and carry the build's moment, not the clock."""

from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path

import pytest
import weasyprint.pdf.fonts
from fontTools.misc.timeTools import epoch_diff
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from pipeline.model.span import Span
from pipeline.render.pdf import Document, PdfWriter

HTML = '<html lang="en"><body><p>Sclerotic <b>T2 hypointense</b> <i>mild</i></p></body></html>'


def _embedded_fonts(data: bytes) -> list[TTFont]:
    fonts = []
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            for descendant in font.get_object().get("/DescendantFonts", []):
                file = descendant.get_object()["/FontDescriptor"]["/FontFile2"]
                fonts.append(TTFont(io.BytesIO(file.get_object().get_data())))
    return fonts


def _render(tmp_path: Path, moment: dt.datetime) -> tuple[bytes, list[str]]:
    document = Document("t.pdf", HTML, Span(path="book.yaml", line=1))
    result = PdfWriter(moment=moment).render(document)
    return result.data, result.warnings


@pytest.mark.parametrize("given", [None, "12345"])
def test_subset_fonts_carry_the_stamp_and_the_environment_is_restored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, given: str | None
) -> None:
    if given is None:
        monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    else:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", given)
    moment = dt.datetime(2024, 3, 5, 6, 7, 8, tzinfo=dt.UTC)
    data, warnings = _render(tmp_path, moment)
    fonts = _embedded_fonts(data)
    assert len(fonts) >= 3  # regular, bold, italic
    for font in fonts:
        assert font["head"].modified + epoch_diff == int(moment.timestamp())
    assert os.environ.get("SOURCE_DATE_EPOCH") == given
    assert not warnings  # the chosen subsetter is not a warning


def test_fonttools_subsets_on_every_host() -> None:
    # WeasyPrint 70 picks HarfBuzz-Subset through this attribute when the host library exists;
    # the renderer sets it to None so that every host subsets with the pinned fontTools.
    assert weasyprint.pdf.fonts.harfbuzz_subset is None
    assert hasattr(weasyprint.pdf.fonts.Font, "_fonttools_subset")
