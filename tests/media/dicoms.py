"""DICOM files for the media tests: pydicom's shipped samples, de-identified, and generated ones.

Nothing is downloaded: ``CT_small.dcm``, ``MR_small.dcm``, ``MR_small_RLE.dcm`` and
``JPEG-lossy.dcm`` are inside the pydicom wheel (``download=False`` makes sure of it).
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import numpy as np
import pydicom
from pydicom.data import get_testdata_file
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import CTImageStorage, ExplicitVRLittleEndian, generate_uid

SECRET = "Doe^Jane^SECRET123"
"""A patient value planted in files: it must appear in no message, repr, warning or log."""

BLANKED = ("PatientName", "PatientID", "PatientBirthDate", "PatientSex", "StudyDate",
           "StudyTime", "ReferringPhysicianName", "StudyID", "AccessionNumber")  # fmt: skip
"""Type 2 attributes of the samples: a de-identifier empties them (an empty value is fine)."""
REMOVED = ("OtherPatientIDsSequence", "PatientAge", "PatientWeight", "InstanceCreationDate",
           "InstanceCreationTime", "SeriesDate", "AcquisitionDate", "ContentDate", "SeriesTime",
           "AcquisitionTime", "ContentTime", "InstitutionName", "TimezoneOffsetFromUTC",
           "StationName", "StudyDescription", "ContrastBolusAgent", "ImageComments",
           "DataSetTrailingPadding", "NameOfPhysiciansReadingStudy", "OperatorsName",
           "DeviceSerialNumber")  # fmt: skip
"""The samples' other identifying attributes, written out here, not taken from the library."""


def sample(name: str) -> Dataset:
    """One of pydicom's shipped test files, read."""
    path = get_testdata_file(name, download=False)
    assert path is not None, f"{name} is not in the pydicom wheel"
    return pydicom.dcmread(path)


def sample_bytes(name: str) -> bytes:
    path = get_testdata_file(name, download=False)
    assert path is not None, f"{name} is not in the pydicom wheel"
    return Path(path).read_bytes()


def deidentified(name: str) -> Dataset:
    """A sample as a de-identifier leaves it: Type 2 emptied, the rest and private tags gone,
    UIDs kept (standing for replaced ones) and PatientIdentityRemoved YES."""
    dataset = sample(name)
    for keyword in BLANKED:
        setattr(dataset, keyword, "")
    for keyword in REMOVED:
        if keyword in dataset:
            delattr(dataset, keyword)
    dataset.remove_private_tags()
    dataset.PatientIdentityRemoved = "YES"
    return dataset


def image(
    stored: list[list[int]] | np.ndarray,
    *,
    photometric: str = "MONOCHROME2",
    modality: str = "CT",
    intercept: float = -1024,
    **attributes: object,
) -> Dataset:
    """A de-identified 16-bit unsigned image: ``stored`` is rows × columns or frames × rows ×
    columns of stored values (HU + 1024 with the default intercept)."""
    pixels = np.asarray(stored, dtype=np.uint16)
    dataset = Dataset()
    dataset.file_meta = FileMetaDataset()
    dataset.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    dataset.SOPClassUID = CTImageStorage
    dataset.SOPInstanceUID = generate_uid()
    dataset.Modality = modality
    dataset.PatientIdentityRemoved = "YES"
    dataset.SamplesPerPixel = 1
    dataset.PhotometricInterpretation = photometric
    if pixels.ndim == 3:
        dataset.NumberOfFrames = pixels.shape[0]
    dataset.Rows, dataset.Columns = pixels.shape[-2:]
    dataset.BitsAllocated = dataset.BitsStored = 16
    dataset.HighBit = 15
    dataset.PixelRepresentation = 0
    dataset.RescaleSlope, dataset.RescaleIntercept = 1, intercept
    dataset.PixelData = pixels.tobytes()
    for keyword, value in attributes.items():
        setattr(dataset, keyword, value)
    return dataset


def hu(values: list[list[int]]) -> list[list[int]]:
    """Stored values for Hounsfield units under the default intercept (−1024)."""
    return [[v + 1024 for v in row] for row in values]


def part10(dataset: Dataset) -> bytes:
    """The dataset written as a DICOM file (preamble, DICM, file meta), as bytes.

    Planted malformed values make pydicom warn while writing; that is the test's own doing.
    """
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        dataset.save_as(buffer, enforce_file_format=True)
    return buffer.getvalue()
