"""A book of real images end to end: DICOM windowed, cropped and sized; markers drawn; nothing
of a DICOM file but its picture in any output; a file that identifies a patient refused.

The tree is tests/render/figure_book.py: pydicom's CT and MR samples (de-identified there),
a PNG and a JPEG, and the five markers. ``python -m tests.pictures`` draws its PDF page for
docs/rendering.md.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from pipeline.validate import validate_source
from tests.helpers import BuildResult, build, monograph
from tests.media.dicoms import sample_bytes
from tests.render.figure_book import CHAPTER, write_figure_book

PATIENTS = (b"CompressedSamples", b"1CT1", b"4MR1", b"JFK IMAGING", b"TOSHIBA")
"""What pydicom's samples say of their patients and sites: must reach no output or log."""
SIZES = {"ct": (768, 768), "mr": (512, 512), "radiograph": (600, 760), "scan": (420, 300)}
"""Each figure's image as printed: the CT cropped to 96 × 96 and sized to 768, the MR sized
to 512, the JPEG and the PNG as drawn."""


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    root = write_figure_book(tmp_path_factory.mktemp("figures") / "source")
    out = tmp_path_factory.mktemp("figures-out")
    return build(root, out, formats=("pdf", "epub"), in_process=True)


def _pdf_images(path: Path) -> list[Image.Image]:
    return [image.image for page in PdfReader(path).pages for image in page.images]


def test_every_figure_prints_at_the_size_its_settings_give(book: BuildResult) -> None:
    assert book.run.returncode == 0, book.diagnostics
    chapter = book.out / "pdf" / f"{CHAPTER}.pdf"
    sizes = {image.size for image in _pdf_images(chapter)}  # key figures print twice
    assert sizes == set(SIZES.values())


def test_the_dicom_figures_print_the_picture_validation_made(book: BuildResult) -> None:
    checked = validate_source(book.source).book
    assert checked is not None
    made = {f.id: f.image for f in checked.chapters[0].figures if f.image and f.image.dicom}
    assert sorted(made) == ["fig-nect-vertebral-sclerosis", "fig-t1wi-l3-sacrum"]
    printed = {image.size: image for image in _pdf_images(book.out / "pdf" / f"{CHAPTER}.pdf")}
    for image in made.values():
        assert image.media_type == "image/png"
        picture = Image.open(io.BytesIO(image.data))
        assert picture.mode == "L"  # 8-bit grayscale, windowed
        assert list(printed[picture.size].convert("L").getdata()) == list(picture.getdata())


def test_no_output_holds_a_dicom_file_or_what_it_says_of_a_patient(book: BuildResult) -> None:
    for artifact in book.artifacts:
        data = artifact.path.read_bytes()
        assert b"DICM" not in data, artifact.path.name
        if artifact.path.suffix == ".epub":
            with zipfile.ZipFile(artifact.path) as epub:
                members = {name: epub.read(name) for name in epub.namelist()}
            images = [n for n in members if n.startswith("EPUB/images/") and "cover" not in n]
            assert sorted(Path(n).suffix for n in images) == [".jpg", ".png", ".png", ".png"]
            for name, member in members.items():
                assert b"DICM" not in member[:200], name
                assert [p for p in PATIENTS if p in member] == [], name


def test_a_dicom_that_identifies_its_patient_is_refused_and_named_never_quoted(
    tmp_path: Path,
) -> None:
    root = write_figure_book(tmp_path / "source")
    (root / "figures" / f"{CHAPTER}-ct.dcm").write_bytes(sample_bytes("CT_small.dcm"))
    for fmt in ("text", "json", "github", "sarif"):
        run = monograph("build", "--source", str(root), "--out", str(tmp_path / "out"),
                        "--format", fmt)  # fmt: skip
        assert run.returncode == 1, run.stderr
        printed = (run.stdout + run.stderr).encode()
        assert b"F113" in printed and b"PatientName" in printed, fmt
        assert [p for p in PATIENTS if p in printed] == [], fmt
    assert not (tmp_path / "out" / "pdf").exists()  # nothing is written
    found = json.loads(monograph("validate", "--source", str(root), "--format", "json").stdout)
    (refusal,) = [f for f in found if f["code"] == "F113" and "names a person" in f["message"]]
    assert refusal["path"].endswith(f"chapters/{CHAPTER}.md")
    assert refusal["line"] > 1  # at the figure's image line, not the top of the file
