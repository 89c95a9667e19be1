"""A source tree whose figures are real images: DICOM, PNG and JPEG, with every marker.

The seed chapter's four figures keep their ids (the body cites them), but their images and
captions are test material, and say so: pydicom's own CT and MR samples (shipped in its
wheel, nothing downloaded), de-identified here as a PACS export would be, one windowed with
a preset, cropped and sized, the other with its own window; a PNG and a JPEG drawn with
Pillow. Each figure carries annotations, and together they use all five markers.

``write_figure_book(root, chapters)`` copies ``source/`` to ``root`` with ``chapters``
copies of that chapter (the bench's 10-chapter book has 40 DICOM-sourced figures when every
figure is DICOM: ``dicom_only=True``).
"""

from __future__ import annotations

import io
import math
import shutil
from pathlib import Path

from PIL import Image, ImageDraw

from tests.helpers import SOURCE
from tests.media.dicoms import deidentified, part10

CHAPTER = "blastic-osseous-metastases"
FIGURES = """\
figures:
  - id: fig-radiograph-diffuse-sclerosis
    image: {prefix}radiograph.{photo}
    alt: Test image standing in for a frontal radiograph, a gray oval brighter in its center.
    caption: >-
      Test image, not a patient: a drawn {photo_kind} standing in for a radiograph, with an
      asterisk {{asterisk}} on its brightest part and an arrowhead {{arrowhead}} at its edge.
    {photo_settings}annotations:
      - {{marker: asterisk, at: [300, 380], shows: the brightest part of the oval}}
      - {{marker: arrowhead, at: [120, 380], direction: right, shows: the oval's left edge}}
    modality: XR
    plane: anteroposterior
    credit: Drawn for the test suite.
  - id: fig-bone-scan-diffuse-uptake
    image: {prefix}scan.{scan}
    alt: Test image standing in for a bone scan, dark dots on a light field.
    caption: >-
      Test image, not a patient: dots drawn on a light field standing in for tracer uptake,
      one of them marked {{open-arrow}}.
    {scan_settings}annotations:
      - {{marker: open-arrow, at: [210, 150], direction: down-left, shows: one dark dot}}
    modality: NM
    plane: anteroposterior
    credit: Drawn for the test suite.
  - id: fig-nect-vertebral-sclerosis
    image: {prefix}ct.dcm
    window: soft-tissue
    crop: [16, 16, 96, 96]
    size: 768
    alt: pydicom's sample CT slice in a soft-tissue window, cropped to its center.
    caption: >-
      Test image, not a patient: pydicom's CT sample, de-identified, soft-tissue window,
      cropped and enlarged; the arrow {{arrow}} points at the brightest structure.
    annotations:
      - {{marker: arrow, at: [64, 56], direction: down-right, shows: the brightest structure}}
    modality: CT
    plane: axial
    credit: pydicom test data (CT_small.dcm).
  - id: fig-t1wi-l3-sacrum
    image: {prefix}mr.dcm
    size: 512
    alt: pydicom's sample MR slice in the window its file gives.
    caption: >-
      Test image, not a patient: pydicom's MR sample, de-identified, in its own window; the
      curved arrow {{curved-arrow}} marks the upper part of the image.
    annotations:
      - {{marker: curved-arrow, at: [32, 18], direction: down, shows: the upper part}}
    modality: MR
    plane: sagittal
    sequence: T1WI
    credit: pydicom test data (MR_small.dcm).
"""


def write_figure_book(root: Path, chapters: int = 1, *, dicom_only: bool = False) -> Path:
    """The seed tree with ``chapters`` copies of its chapter, figures as described above."""
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(SOURCE, root, ignore=shutil.ignore_patterns(".monograph-cache"))
    template = (root / "chapters" / f"{CHAPTER}.md").read_text(encoding="utf-8")
    (root / "chapters" / f"{CHAPTER}.md").unlink()
    ct, mr = part10(deidentified("CT_small.dcm")), part10(deidentified("MR_small.dcm"))
    ids = [CHAPTER if n == 0 else f"{CHAPTER}-{n + 1}" for n in range(chapters)]
    for chapter_id in ids:
        prefix = f"{chapter_id}-"
        files = {f"{prefix}ct.dcm": ct, f"{prefix}mr.dcm": mr}
        if dicom_only:  # four DICOM figures a chapter: the photo and the scan as DICOM too
            files |= {f"{prefix}radiograph.dcm": ct, f"{prefix}scan.dcm": mr}
            kinds = {"photo": "dcm", "photo_kind": "CT sample", "scan": "dcm"}
            settings = {"photo_settings": "window: bone\n    ", "scan_settings": "size: 512\n    "}
        else:
            files |= {f"{prefix}radiograph.jpg": _radiograph(), f"{prefix}scan.png": _scan()}
            kinds = {"photo": "jpg", "photo_kind": "photograph", "scan": "png"}
            settings = {"photo_settings": "", "scan_settings": ""}
        for name, data in files.items():
            (root / "figures" / name).write_bytes(data)
        figures = FIGURES.format(prefix=prefix, **kinds, **settings)
        if dicom_only:  # the drawn images' coordinates, moved onto the samples' pixels
            figures = figures.replace("at: [300, 380]", "at: [64, 64]")
            figures = figures.replace("at: [120, 380]", "at: [20, 64]")
            figures = figures.replace("at: [210, 150]", "at: [40, 30]")
        text = _with_figures(template, figures).replace(
            f"id: {CHAPTER}\n", f"id: {chapter_id}\n", 1
        )
        (root / "chapters" / f"{chapter_id}.md").write_text(text, encoding="utf-8")
    book = (root / "book.yaml").read_text(encoding="utf-8")
    listed = "".join(f"  - {chapter_id}\n" for chapter_id in ids)
    (root / "book.yaml").write_text(book.replace(f"  - {CHAPTER}\n", listed), encoding="utf-8")
    return root


def _with_figures(chapter: str, figures: str) -> str:
    """The chapter with its front matter's ``figures:`` block replaced by ``figures``."""
    head, rest = chapter.split("figures:\n", 1)
    lines = rest.split("\n")
    end = next(n for n, line in enumerate(lines) if line and not line.startswith(" "))
    return head + figures + "\n".join(lines[end:])


def _radiograph() -> bytes:
    """A 600 × 760 gray oval, brighter in its center: a JPEG, as a camera would give."""
    image = Image.new("L", (600, 760), 20)
    draw = ImageDraw.Draw(image)
    for step in range(48):
        inset = step * 4
        shade = 70 + int(150 * math.sin(step / 48 * math.pi / 2))
        draw.ellipse((100 + inset, 60 + inset, 500 - inset, 700 - inset), fill=shade)
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


def _scan() -> bytes:
    """A 420 × 300 light field with dark dots: a PNG."""
    image = Image.new("L", (420, 300), 235)
    draw = ImageDraw.Draw(image)
    for n in range(40):
        x, y = 30 + (n * 97) % 360, 30 + (n * 53) % 240
        draw.ellipse((x - 6, y - 6, x + 6, y + 6), fill=60)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
