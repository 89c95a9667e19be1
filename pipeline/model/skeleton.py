"""The StatDx-style chapter skeleton: sections, subsections and run-in label vocabularies.

A literal table, read top to bottom in the order a chapter is written. A published chapter
must have every section, each with at least one subsection, and the subsections marked
``required`` (a chapter in review is warned instead; a draft may omit anything).
``labels`` is the vocabulary of run-in labels (``- **T1WI**``) a subsection accepts; a
subsection with no vocabulary takes no labels. ``free`` marks a section whose subsections are
named by the author (one per differential diagnosis).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Sub:
    """A ``##`` subsection of the skeleton."""

    title: str
    required: bool = False
    labels: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """A slug of the title, stable for anchors and JSON."""
        return slug(self.title)


@dataclass(frozen=True)
class Sec:
    """A ``#`` section of the skeleton."""

    title: str
    subsections: tuple[Sub, ...] = ()
    free: bool = False

    @property
    def key(self) -> str:
        """A slug of the title, stable for anchors and JSON."""
        return slug(self.title)


def slug(title: str) -> str:
    """Lower-case words joined by hyphens: 'Staging, Grading, & Classification' → 'staging-…'."""
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


GENERAL = ("Best diagnostic clue", "Location", "Size", "Morphology")
RADIOGRAPHY = ("Radiography", "Myelography", "Fluoroscopy")
CT = ("NECT", "CECT", "CT myelography", "CTA", "CT perfusion", "Bone CT")
MR = (
    "T1WI", "T1WI FS", "T2WI", "T2WI FS", "PD/intermediate", "STIR", "FLAIR", "T2* GRE", "SWI",
    "DWI", "PWI", "T1WI C+", "T1WI C+ FS", "MRA", "MRV", "MRS", "MR myelography",
)  # fmt: skip
US = ("Grayscale ultrasound", "Color Doppler", "Power Doppler", "Pulsed Doppler")
ANGIO = ("Conventional", "Interventional")
NUCLEAR = ("Bone scan", "PET", "PET/CT", "SPECT", "SPECT/CT", "Tagged WBC", "Gallium scan")
RECOMMEND = ("Best imaging tool", "Protocol advice")
PATH_GENERAL = ("Etiology", "Genetics", "Associated abnormalities", "Embryology-anatomy")
PRESENTATION = ("Most common signs/symptoms", "Other signs/symptoms", "Clinical profile")
DEMOGRAPHICS = ("Age", "Sex", "Ethnicity", "Epidemiology")

SKELETON: tuple[Sec, ...] = (
    Sec("Key Facts", (
        Sub("Terminology", required=True),
        Sub("Imaging", required=True),
        Sub("Top Differential Diagnoses", required=True),
        Sub("Pathology"),
        Sub("Clinical Issues"),
        Sub("Diagnostic Checklist"),
    )),
    Sec("Terminology", (
        Sub("Abbreviations"),
        Sub("Synonyms"),
        Sub("Definitions", required=True),
    )),
    Sec("Imaging", (
        Sub("General Features", required=True, labels=GENERAL),
        Sub("Radiographic Findings", labels=RADIOGRAPHY),
        Sub("CT Findings", labels=CT),
        Sub("MR Findings", labels=MR),
        Sub("Ultrasonographic Findings", labels=US),
        Sub("Angiographic Findings", labels=ANGIO),
        Sub("Nuclear Medicine Findings", labels=NUCLEAR),
        Sub("Imaging Recommendations", labels=RECOMMEND),
    )),
    Sec("Differential Diagnosis", free=True),
    Sec("Pathology", (
        Sub("General Features", labels=PATH_GENERAL),
        Sub("Staging, Grading, & Classification"),
        Sub("Gross Pathologic & Surgical Features"),
        Sub("Microscopic Features"),
    )),
    Sec("Clinical Issues", (
        Sub("Presentation", required=True, labels=PRESENTATION),
        Sub("Demographics", labels=DEMOGRAPHICS),
        Sub("Natural History & Prognosis"),
        Sub("Treatment"),
    )),
    Sec("Diagnostic Checklist", (
        Sub("Consider"),
        Sub("Image Interpretation Pearls"),
        Sub("Reporting Tips"),
    )),
)  # fmt: skip

REFERENCES_TITLE = "Selected References"
MAX_DEPTH = 4
"""Bullets nest at most this deep (a run-in label counts as one level)."""

KEY_FACTS = slug("Key Facts")
"""The key of the Key Facts section."""
TOP_DIFFERENTIALS = (KEY_FACTS, slug("Top Differential Diagnoses"))
"""Section and subsection keys of the Key Facts list of differentials, in the author's order."""
DIFFERENTIAL_DIAGNOSIS = slug("Differential Diagnosis")
"""The key of the section with a subsection per differential diagnosis."""
