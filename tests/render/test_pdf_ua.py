"""Every PDF the tests build passes a PDF/UA-1 checker, and claims nothing else.

The checker is ``page`` (PyPI ``page-validation``): it implements veraPDF's PDF/UA-1 profile
(its rule ids, such as ``PDFUA1-LINK-LINK-TAG-001``, are veraPDF's) and its project runs it on
veraPDF's test corpus; it needs no Java and checks a file in milliseconds. A failure lists
every failed rule with its message. What a checker cannot see (how the structure tree follows
the chapter) is in test_pdf_structure.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from tests.render.conftest import Built

try:
    import page
except ImportError:  # reported by the tests below, which must fail, not skip
    page = None

INSTALL = "the PDF/UA-1 checker is missing: pip install page-validation==0.11.0 (the test group)"
CHECKERS = {("pdfuaid", "1"): "ua1"}
"""Each conformance the PDFs may claim in their XMP, and the checker profile that proves it."""


def _pdfs(*builds: Built) -> list[Path]:
    found = [artifact.path for built in builds for artifact in built.report.artifacts]
    assert len(found) == 8, found
    return found


def check(pdf: Path, profile: str) -> list[str]:
    """The failed rules of ``pdf`` under the checker's ``profile``, as readable lines."""
    assert page is not None, INSTALL
    report = page.validate_pdf(pdf, profile=profile)
    failures = [f"{f.rule_id}: {f.message}" for f in report.failures]
    assert report.rules.total > 100, f"{pdf.name}: only {report.rules.total} rules checked"
    assert report.is_compliant == (not failures)
    return failures


def claims(pdf: Path) -> set[tuple[str, str]]:
    """The conformance parts the PDF's XMP claims (``pdfuaid:part="1"``, ``pdfaid:part``…)."""
    xmp = PdfReader(pdf).root_object["/Metadata"].get_object().get_data().decode()
    return set(re.findall(r'(pdf\w*id):part="?(\w+)', xmp))


def test_the_checker_is_installed() -> None:
    assert page is not None, INSTALL
    assert page.__version__ == "0.11.0"


def test_every_pdf_passes_pdf_ua_1(seed_pdfs: Built, rich_pdfs: Built) -> None:
    failed = {pdf.name: check(pdf, "ua1") for pdf in _pdfs(seed_pdfs, rich_pdfs)}
    assert {name: rules for name, rules in failed.items() if rules} == {}


def test_the_metadata_claims_only_what_a_checker_proves(seed_pdfs: Built, rich_pdfs: Built) -> None:
    for pdf in _pdfs(seed_pdfs, rich_pdfs):
        claimed = claims(pdf)
        assert claimed == {("pdfuaid", "1")}, f"{pdf.name} claims {claimed}"
        unchecked = claimed - CHECKERS.keys()
        assert not unchecked, f"{pdf.name} claims {unchecked}, which no test checks"
        for claim in claimed:
            assert check(pdf, CHECKERS[claim]) == [], f"{pdf.name} claims {claim} but fails it"


@pytest.mark.parametrize("name", ["seed", "rich"])
def test_language_and_title_are_those_of_the_book(
    name: str, seed_pdfs: Built, rich_pdfs: Built
) -> None:
    built = seed_pdfs if name == "seed" else rich_pdfs
    for artifact in built.report.artifacts:
        reader = PdfReader(artifact.path)
        root = reader.root_object
        assert root["/Lang"] == built.book.meta.language, artifact.path.name
        assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"]), artifact.path.name
        title = reader.metadata.title if reader.metadata else None
        assert title and title.startswith(_expected_title(built, artifact.path.name)), title
        xmp = root["/Metadata"].get_object().get_data().decode()
        assert f'<rdf:li xml:lang="x-default">{title}</rdf:li>' in xmp, artifact.path.name


def _expected_title(built: Built, file_name: str) -> str:
    if file_name == f"{built.book.meta.id}.pdf":
        return built.book.meta.title
    chapter = next(c for c in built.book.chapters if file_name.startswith(f"{c.id}"))
    return chapter.meta.title


def test_the_checker_finds_the_defect_it_guards(tmp_path: Path, seed_pdfs: Built) -> None:
    """Not vacuous: a link annotation taken out of its Link element fails PDFUA1-LINK-LINK-TAG."""
    writer = PdfWriter(clone_from=seed_pdfs.pdf(f"{seed_pdfs.book.meta.id}.pdf"))
    annotation = next(a.get_object() for p in writer.pages for a in p.get("/Annots", []))
    del annotation["/StructParent"]
    broken = tmp_path / "untagged-link.pdf"
    writer.write(broken)
    assert "PDFUA1-LINK-LINK-TAG-001" in " ".join(check(broken, "ua1"))
