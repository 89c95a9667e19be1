"""DICOM figures: what identifies a patient is refused by keyword, and a frame renders to PNG.

The de-identification tests plant one identifier of each kind into a de-identified copy of
pydicom's CT sample and expect a problem naming the attribute's keyword and never its value.
The pixel tests build small images of known Hounsfield units and read back the grey levels.
"""

from __future__ import annotations

import io
import logging
import struct
import warnings

import numpy as np
import pytest
from PIL import Image
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence
from pydicom.uid import DeflatedExplicitVRLittleEndian, RLELossless

from pipeline.media import KINDS, PRESETS, Problem, Rendered, check, is_dicom, render
from pipeline.media.profile import GROUP_OF
from tests.media.dicoms import SECRET, deidentified, hu, image, part10, sample_bytes


def _kinds(problems: list[Problem]) -> list[str]:
    return [p.kind for p in problems]


def _attributes(problems: list[Problem]) -> set[str]:
    return {a for p in problems for a in p.attributes}


def _grey(result: Rendered | list[Problem]) -> np.ndarray:
    assert isinstance(result, Rendered), result
    with Image.open(io.BytesIO(result.png)) as png:
        assert png.mode == "L"
        assert png.size == (result.width, result.height)
        return np.asarray(png)


def _chunks(png: bytes) -> list[str]:
    names, at = [], 8
    while at < len(png):
        length, name = struct.unpack(">I4s", png[at : at + 8])
        names.append(name.decode("ascii"))
        at += 12 + length
    return names


# De-identification ---------------------------------------------------------------------------


def test_the_ct_sample_as_shipped_is_refused_by_keyword() -> None:
    problems = check(sample_bytes("CT_small.dcm"))
    assert set(_kinds(problems)) == {"identifying"}
    assert {"PatientName", "PatientID", "StudyDate", "InstitutionName", "PatientAge",
            "SOPInstanceUID", "(0009,1001)"} <= _attributes(problems)  # fmt: skip
    assert "names a person: PatientName" in [p.message for p in problems]


@pytest.mark.parametrize("name", ["CT_small.dcm", "MR_small.dcm"])
def test_a_deidentified_copy_passes(name: str) -> None:
    assert check(part10(deidentified(name))) == []


PLANTED = {  # group: (keyword, value, words of the group's message)
    "name": ("PatientName", SECRET, "names a person"),
    "id": ("PatientID", "SECRET123-MRN", "identifies the patient"),
    "date": ("StudyDate", "20240229", "date or time"),
    "birth-date": ("PatientBirthDate", "19800101", "date or time"),
    "institution": ("InstitutionName", "SECRET123 General Hospital", "where or by whom"),
    "physician": ("PerformingPhysicianName", "Roe^Richard^SECRET123", "names a person"),
    "accession": ("AccessionNumber", "SECRET123A", "identifies the patient"),
    "address": ("PatientAddress", "1 SECRET123 Street", "address or a telephone"),
    "patient": ("PatientAge", "042Y", "describes the patient"),
    "device": ("DeviceSerialNumber", "SN-SECRET123", "device"),
    "comment": ("ImageComments", "seen by SECRET123", "free text"),
}


@pytest.mark.parametrize(("keyword", "value", "words"), PLANTED.values(), ids=PLANTED.keys())
def test_a_planted_identifier_is_named_by_keyword_never_by_value(
    keyword: str, value: str, words: str
) -> None:
    dataset = deidentified("CT_small.dcm")
    setattr(dataset, keyword, value)
    problems = check(part10(dataset))
    assert [(p.kind, p.attributes) for p in problems] == [("identifying", (keyword,))]
    assert problems[0].message.endswith(f": {keyword}") and words in problems[0].message
    assert value not in repr(problems) and value not in str(problems[0])


BRIEF = {  # the profile's attributes the figures most often carry, by group
    "name": "PatientName ReferringPhysicianName PerformingPhysicianName OperatorsName "
    "PhysiciansOfRecord NameOfPhysiciansReadingStudy RequestingPhysician",
    "id": "PatientID OtherPatientIDs OtherPatientIDsSequence IssuerOfPatientID AccessionNumber "
    "StudyID MedicalRecordLocator",
    "date": "PatientBirthDate StudyDate SeriesDate AcquisitionDate ContentDate StudyTime "
    "SeriesTime AcquisitionTime ContentTime AcquisitionDateTime",
    "contact": "PatientAddress PatientTelephoneNumbers",
    "institution": "InstitutionName InstitutionalDepartmentName StationName",
    "patient": "PatientAge PatientSex PatientSize PatientWeight",
    "device": "DeviceSerialNumber",
    "text": "ImageComments StudyDescription SeriesDescription",
    "uid": "StudyInstanceUID SeriesInstanceUID SOPInstanceUID FrameOfReferenceUID",
}


@pytest.mark.parametrize(("group", "keywords"), BRIEF.items(), ids=BRIEF.keys())
def test_the_profile_table_holds_the_attributes_of_annex_e(group: str, keywords: str) -> None:
    assert {k: GROUP_OF[k].name for k in keywords.split() if k in GROUP_OF} == dict.fromkeys(
        keywords.split(), group
    )


def test_the_table_names_only_attributes_pydicom_knows() -> None:
    from pydicom.datadict import repeater_has_keyword, tag_for_keyword

    unknown = [k for k in GROUP_OF if tag_for_keyword(k) is None and not repeater_has_keyword(k)]
    assert unknown == []


def test_a_person_name_or_a_date_outside_the_table_counts_by_its_value_representation() -> None:
    dataset = deidentified("CT_small.dcm")
    dataset.InstanceCreationDate = "20240229"  # DA, not in Annex E's table
    dataset.ROIInterpreter = SECRET  # PN, not in the table
    assert not {"InstanceCreationDate", "ROIInterpreter"} & set(GROUP_OF)
    problems = check(part10(dataset))
    assert [(p.message.split(":")[0], p.attributes) for p in problems] == [
        ("names a person", ("ROIInterpreter",)),
        ("gives a date or time of the patient or the examination", ("InstanceCreationDate",)),
    ]


def test_uids_count_until_patient_identity_removed_says_yes() -> None:
    dataset = deidentified("CT_small.dcm")
    assert check(part10(dataset)) == []
    del dataset.PatientIdentityRemoved
    problems = check(part10(dataset))
    assert _kinds(problems) == ["identifying"]
    assert problems[0].attributes == (
        "MediaStorageSOPInstanceUID", "InstanceCreatorUID", "SOPInstanceUID",
        "StudyInstanceUID", "SeriesInstanceUID", "FrameOfReferenceUID",
    )  # fmt: skip
    assert "PatientIdentityRemoved" in problems[0].message


def test_patient_identity_removed_excuses_uids_only() -> None:
    dataset = deidentified("CT_small.dcm")
    dataset.PatientName = SECRET
    assert _attributes(check(part10(dataset))) == {"PatientName"}


def test_a_private_attribute_is_named_by_its_tag() -> None:
    dataset = deidentified("CT_small.dcm")
    dataset.private_block(0x0011, "ACME 1.0", create=True).add_new(0x01, "LO", SECRET)
    problems = check(part10(dataset))
    assert [(p.kind, p.attributes) for p in problems] == [
        ("identifying", ("(0011,0010)", "(0011,1001)"))
    ]
    assert "private" in problems[0].message and SECRET not in repr(problems)


def test_an_identifier_nested_in_a_sequence_is_named_by_its_path() -> None:
    dataset = deidentified("CT_small.dcm")
    item = Dataset()
    item.CodeValue, item.CodeMeaning = "T-D1100", "Head"
    inner = Dataset()
    inner.PatientID = "SECRET123-MRN"
    item.PrimaryAnatomicStructureSequence = Sequence([inner])
    dataset.AnatomicRegionSequence = Sequence([Dataset(), item])
    problems = check(part10(dataset))
    assert [p.attributes for p in problems] == [
        ("AnatomicRegionSequence[1].PrimaryAnatomicStructureSequence[0].PatientID",)
    ]


def test_a_sequence_of_the_table_counts_whole() -> None:
    dataset = deidentified("CT_small.dcm")
    item = Dataset()
    item.PatientID = "SECRET123-OTHER"
    dataset.OtherPatientIDsSequence = Sequence([item])
    assert _attributes(check(part10(dataset))) == {"OtherPatientIDsSequence"}


def test_empty_type_2_attributes_are_fine() -> None:
    dataset = deidentified("CT_small.dcm")
    assert all(dataset[k].value in ("", None) for k in ("PatientName", "PatientID", "StudyDate"))
    dataset.OtherPatientIDsSequence = Sequence([])
    assert check(part10(dataset)) == []


def test_burned_in_annotation_yes_is_refused_and_never_rendered() -> None:
    dataset = deidentified("CT_small.dcm")
    dataset.BurnedInAnnotation = "NO"
    assert check(part10(dataset)) == []
    dataset.BurnedInAnnotation = "YES"
    problems = check(part10(dataset))
    assert [(p.kind, p.attributes) for p in problems] == [
        ("burned-in-annotation", ("BurnedInAnnotation",))
    ]
    assert _kinds(render(part10(dataset), preset="soft-tissue")) == ["burned-in-annotation"]


def test_a_file_that_identifies_is_not_rendered() -> None:
    result = render(sample_bytes("CT_small.dcm"), preset="soft-tissue")
    assert isinstance(result, list) and set(_kinds(result)) == {"identifying"}


PLACEHOLDER = "123456789012345678"
"""As long as the secret: set where pydicom would refuse the secret, then swapped in the bytes."""


def _malformed(dataset: Dataset) -> bytes:
    """The dataset with the secret as its SOP Instance UID, Instance Number and Window Width:
    values pydicom complains about when it reads them, quoting them."""
    with warnings.catch_warnings():  # pydicom's complaints at the test's own planting
        warnings.simplefilter("ignore")
        dataset.SOPInstanceUID = dataset.InstanceNumber = dataset.WindowWidth = PLACEHOLDER
    dataset.WindowCenter = 40
    return part10(dataset).replace(PLACEHOLDER.encode(), SECRET.encode())


class _Records(logging.Handler):
    """What reaches the process's (root) handlers, as a CLI's log configuration sees it."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def test_no_planted_value_reaches_a_message_a_warning_or_a_log(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    identifying = deidentified("CT_small.dcm")
    identifying.PatientName = SECRET
    identifying.private_block(0x0011, SECRET, create=True).add_new(0x01, "LO", SECRET)
    item = Dataset()
    item.PatientName = SECRET
    identifying.ReferencedStudySequence = Sequence([item])
    files = [_malformed(identifying), _malformed(deidentified("CT_small.dcm"))]
    files.append(files[1][: len(files[1]) - 3000])
    root, records = logging.getLogger(), _Records()
    monkeypatch.setattr(root, "handlers", [records])
    monkeypatch.setattr(root, "level", logging.DEBUG)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        results = [f(data) for data in files for f in (check, render)]
    assert _kinds(results[0]) == ["identifying"] * 3 and results[2] == []
    assert [_kinds(r) for r in results[3:]] == [["invalid-window"], [], ["damaged"]]
    shown = [repr(results), *(str(p) for r in results for p in r), *capsys.readouterr()]
    shown += [str(w.message) for w in caught] + records.messages
    assert [text for text in shown if "SECRET123" in text] == []


def test_every_problem_kind_has_a_hint() -> None:
    with pytest.raises(ValueError, match="unknown problem kind"):
        Problem("no-such-kind", "message")
    assert all(hint.endswith(".") for hint in KINDS.values())


# Reading ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\x89PNG\r\n\x1a\n" + bytes(200),
        bytes(128) + b"DICM",
        bytes(128) + b"DICM" + bytes(64),
    ],
    ids=["empty", "png", "preamble-only", "zero-meta"],
)
def test_unreadable_bytes_are_a_problem_never_an_exception(data: bytes) -> None:
    for problems in (check(data), render(data)):
        assert isinstance(problems, list)
        assert _kinds(problems)[0] in {"not-dicom", "damaged"}


def test_a_dataset_pydicom_cannot_parse_is_damaged() -> None:
    data = part10(image(hu([[0]])))
    meta_end = 144 + int.from_bytes(data[140:144], "little")  # after (0002,0000)'s value
    sequence = b"\x08\x00\x15\x11SQ\x00\x00\xff\xff\xff\xff"  # undefined length
    garbage = data[:meta_end] + sequence + b"\xfe\xff\x00\xe0\x10\x00\x00\x00" + bytes(7)
    for problems in (check(garbage), render(garbage)):
        assert isinstance(problems, list)
        assert [(p.kind, p.message) for p in problems] == [
            ("damaged", "is a DICOM file that cannot be read")
        ]


def test_a_file_cut_short_is_damaged() -> None:
    data = part10(deidentified("CT_small.dcm"))
    result = render(data[: len(data) - 5000], preset="soft-tissue")
    assert isinstance(result, list) and _kinds(result) == ["damaged"]


def test_is_dicom_reads_the_signature_after_the_preamble() -> None:
    assert is_dicom(sample_bytes("MR_small.dcm"))
    assert not is_dicom(b"DICM" + bytes(200))


def test_a_compressed_transfer_syntax_is_refused_by_name() -> None:
    problems = check(sample_bytes("JPEG-lossy.dcm"))
    assert [(p.kind, p.message, p.attributes) for p in problems] == [
        ("unsupported-transfer-syntax",
         "unsupported transfer syntax JPEG Extended (Process 2 and 4)", ("TransferSyntaxUID",))
    ]  # fmt: skip


def test_a_deflated_file_is_refused_before_it_is_inflated() -> None:
    dataset = image(hu([[0, 0]]))
    dataset.file_meta.TransferSyntaxUID = DeflatedExplicitVRLittleEndian
    data = part10(dataset)
    cut = data[: data.index(b"1.2.840.10008.1.2.1.99") + 30]  # the file meta, then bad bytes
    for problems in (check(cut + b"\xff" * 64), check(data)):
        assert _kinds(problems) == ["unsupported-transfer-syntax"]
        assert "Deflated Explicit VR Little Endian" in problems[0].message


def test_rle_lossless_decodes_to_the_same_pixels_as_uncompressed() -> None:
    plain, rle = deidentified("MR_small.dcm"), deidentified("MR_small_RLE.dcm")
    assert rle.file_meta.TransferSyntaxUID == RLELossless
    assert render(part10(plain)) == render(part10(rle))


def test_colour_is_refused_as_unsupported() -> None:
    dataset = image(hu([[0, 0]]), photometric="RGB")
    dataset.SamplesPerPixel = 3
    problems = check(part10(dataset))
    assert [(p.kind, p.attributes) for p in problems] == [
        ("unsupported-image", ("PhotometricInterpretation",))
    ]
    assert "RGB" in problems[0].message


def test_a_frame_beyond_the_pixel_limit_is_refused_before_decoding() -> None:
    dataset = image(hu([[0, 0]]))
    dataset.Rows = dataset.Columns = 6000  # the header claims 36 million pixels; 4 bytes follow
    problems = check(part10(dataset))
    assert [(p.kind, p.attributes) for p in problems] == [("too-large", ("Rows", "Columns"))]


# Pixels -----------------------------------------------------------------------------------------

ROW = [-1000, -160, 40, 140, 239, 240, 1000]
"""Hounsfield units around the soft-tissue window (40/400): its edges are −160 and 239."""
SOFT = [0, 0, 128, 192, 255, 255, 255]
"""PS3.3 C.11.2.1.2.1 for c 40, w 400: ((x − 39.5) / 399 + 0.5) × 255 inside, rounded."""


def test_the_window_maps_its_centre_to_mid_grey_and_clips_outside() -> None:
    grey = _grey(render(part10(image(hu([ROW]))), window=(40, 400)))
    assert grey.tolist() == [SOFT]


def test_a_preset_is_its_window_in_hounsfield_units() -> None:
    data = part10(image(hu([ROW])))
    assert _grey(render(data, preset="soft-tissue")).tolist() == [SOFT]
    assert _grey(render(data, preset="lung"))[0, 0] == round((-1000 + 600.5) / 1499 * 255 + 127.5)
    assert PRESETS == {"bone": (500, 2000), "soft-tissue": (40, 400), "lung": (-600, 1500),
                       "brain": (40, 80)}  # fmt: skip


def test_the_rescale_applies_slope_and_intercept() -> None:
    dataset = image([[v + 2048 for v in ROW]], intercept=-2048)
    assert _grey(render(part10(dataset), window=(40, 400))).tolist() == [SOFT]
    halved = image([[(v + 1024) * 2 for v in ROW]], RescaleSlope=0.5)
    assert _grey(render(part10(halved), window=(40, 400))).tolist() == [SOFT]


def test_the_files_first_window_is_used_when_none_is_asked() -> None:
    dataset = image(hu([ROW]), WindowCenter=[40, -600], WindowWidth=[400, 1500])
    assert _grey(render(part10(dataset))).tolist() == [SOFT]


def test_without_any_window_the_full_range_is_shown() -> None:
    grey = _grey(render(part10(image(hu([[-100, 0, 100]])))))
    assert grey.tolist() == [[0, 128, 255]]


def test_monochrome1_is_inverted() -> None:
    grey = _grey(render(part10(image(hu([ROW]), photometric="MONOCHROME1")), window=(40, 400)))
    assert grey.tolist() == [[255 - g for g in SOFT]]


def test_a_multi_frame_image_renders_the_frame_asked_for() -> None:
    frames = [hu([[-1000, -1000]]), hu([[40, 40]]), hu([[1000, 1000]])]
    data = part10(image(frames))
    assert [_grey(render(data, frame=f, window=(40, 400)))[0, 0] for f in range(3)] == [0, 128, 255]
    for frame in (3, -1):
        problems = render(data, frame=frame)
        assert isinstance(problems, list)
        assert [(p.kind, p.attributes) for p in problems] == [
            ("frame-out-of-range", ("NumberOfFrames",))
        ]


GRADIENT = [[10 * y + x for x in range(10)] for y in range(8)]
"""10 × 8 stored values, each telling its own position."""


def test_a_crop_takes_the_box_of_source_pixels() -> None:
    data = part10(image(GRADIENT, intercept=0))
    grey = _grey(render(data, crop=(2, 1, 4, 3), window=(40, 80)))
    expected = [[round((10 * y + x - 39.5) / 79 * 255 + 127.5) for x in range(2, 6)]
                for y in range(1, 4)]  # fmt: skip
    assert grey.shape == (3, 4) and grey.tolist() == np.clip(expected, 0, 255).tolist()


@pytest.mark.parametrize("crop", [(8, 0, 3, 2), (0, 6, 2, 3), (-1, 0, 2, 2), (0, 0, 0, 2)])
def test_a_crop_outside_the_image_is_a_problem(crop: tuple[int, int, int, int]) -> None:
    problems = render(part10(image(GRADIENT)), crop=crop)
    assert isinstance(problems, list) and _kinds(problems) == ["crop-outside-image"]


@pytest.mark.parametrize(
    ("stored", "crop", "long_side", "size"),
    [(GRADIENT, None, 5, (5, 4)), (GRADIENT, None, 20, (20, 16)),
     (GRADIENT, (0, 0, 4, 8), 20, (10, 20)), ([[0] * 3] * 1, None, 7, (7, 2))],
    ids=["down", "up", "crop-then-size", "thin"],
)  # fmt: skip
def test_long_side_sizes_the_longer_side_keeping_the_aspect_ratio(
    stored: list[list[int]],
    crop: tuple[int, int, int, int] | None,
    long_side: int,
    size: tuple[int, int],
) -> None:
    result = render(part10(image(stored)), crop=crop, long_side=long_side)
    assert isinstance(result, Rendered) and (result.width, result.height) == size
    assert _grey(result).shape == (size[1], size[0])


def test_the_same_input_gives_the_same_bytes_without_text_or_time_chunks() -> None:
    data = part10(deidentified("CT_small.dcm"))
    first, second = (render(data, preset="soft-tissue", long_side=300) for _ in range(2))
    assert isinstance(first, Rendered) and first == second
    assert set(_chunks(first.png)) == {"IHDR", "IDAT", "IEND"}


def test_the_ct_sample_renders_with_the_soft_tissue_preset() -> None:
    result = render(part10(deidentified("CT_small.dcm")), preset="soft-tissue")
    grey = _grey(result)
    assert isinstance(result, Rendered) and (result.width, result.height) == (128, 128)
    assert grey.min() == 0 and grey.max() == 255 and "png" not in repr(result).lower()


@pytest.mark.parametrize(
    ("options", "kind"),
    [({"preset": "liver"}, "unknown-preset"),
     ({"preset": "lung", "window": (40.0, 400.0)}, "invalid-window"),
     ({"window": (40.0, 0.0)}, "invalid-window"),
     ({"window": (float("nan"), 400.0)}, "invalid-window"),
     ({"long_side": 0}, "invalid-size"),
     ({"long_side": 100_000}, "invalid-size")],
    ids=["unknown-preset", "window-and-preset", "width-0", "nan", "size-0", "size-huge"],
)  # fmt: skip
def test_a_request_that_cannot_be_met_is_a_problem(options: dict[str, object], kind: str) -> None:
    problems = render(part10(image(hu([ROW]))), **options)  # type: ignore[arg-type]
    assert isinstance(problems, list) and _kinds(problems) == [kind]


def test_a_preset_needs_a_ct_image() -> None:
    problems = render(part10(deidentified("MR_small.dcm")), preset="brain")
    assert isinstance(problems, list)
    assert [(p.kind, p.attributes) for p in problems] == [("preset-needs-ct", ("Modality",))]
    assert isinstance(render(part10(deidentified("MR_small.dcm")), window=(600, 1600)), Rendered)


def test_an_unusable_window_in_the_file_is_a_problem() -> None:
    problems = render(part10(image(hu([ROW]), WindowCenter=40, WindowWidth=0)))
    assert isinstance(problems, list)
    assert [(p.kind, p.attributes) for p in problems] == [
        ("invalid-window", ("WindowCenter", "WindowWidth"))
    ]


def test_an_enhanced_image_keeps_rescale_and_window_in_its_functional_groups() -> None:
    dataset = image([hu([[-160, 40, 239]])] * 2)
    del dataset.RescaleSlope, dataset.RescaleIntercept
    rescale, shared = Dataset(), Dataset()
    rescale.RescaleSlope, rescale.RescaleIntercept = 1, -1024
    shared.PixelValueTransformationSequence = Sequence([rescale])
    dataset.SharedFunctionalGroupsSequence = Sequence([shared])
    frames = []
    for centre, width in ((40, 400), (-600, 1500)):  # soft tissue, then lung
        voi, group = Dataset(), Dataset()
        voi.WindowCenter, voi.WindowWidth = centre, width
        group.FrameVOILUTSequence = Sequence([voi])
        frames.append(group)
    dataset.PerFrameFunctionalGroupsSequence = Sequence(frames)
    data = part10(dataset)
    assert [_grey(render(data, frame=f)).tolist() for f in (0, 1)] == [
        [[0, 128, 255]],
        [[202, 236, 255]],  # ((x + 600.5) / 1499 + 0.5) × 255
    ]


def test_sequences_nested_past_the_limit_are_refused_not_walked() -> None:
    dataset = deidentified("CT_small.dcm")
    item = Dataset()
    for _ in range(40):
        outer = Dataset()
        outer.ReferencedSeriesSequence = Sequence([item])
        item = outer
    dataset.ReferencedSeriesSequence = item.ReferencedSeriesSequence
    problems = check(part10(dataset))
    assert [(p.kind, p.message) for p in problems] == [
        ("damaged", "sequences nest deeper than 16 levels")
    ]
