"""What the PDFs say and link to: headings, labels, figures, markers, citations, tables."""

from __future__ import annotations

from pypdf import PdfReader

from tests.render import pdftext
from tests.render.conftest import Built, raw_text_of, text_of
from tests.render.test_pdf_structure import tagged


def _links(reader: PdfReader) -> tuple[list[str], list[str]]:
    """Internal destinations and external addresses of every link, in page order."""
    internal, external = [], []
    for page in reader.pages:
        for ref in page.get("/Annots", []):
            annot = ref.get_object()
            if annot.get("/Subtype") != "/Link":
                continue
            if "/Dest" in annot:
                internal.append(str(annot["/Dest"]))
            else:
                external.append(str(annot["/A"]["/URI"]))
    return internal, external


def test_seed_chapter_text_has_every_heading_label_and_bullet(seed_pdfs: Built) -> None:
    text = text_of(seed_pdfs.pdf("blastic-osseous-metastases.pdf"))
    for expected in (
        "Blastic Osseous Metastases",
        "KEY FACTS",
        "TOP DIFFERENTIAL DIAGNOSES",
        "General Features",
        "Best diagnostic clue",
        "CT myelography",
        "T1WI C+",
        "Kept for patients who cannot undergo MR",
        "lumbar deposits are 3× as common as cervical ones",
    ):
        assert expected in text, expected


def test_draft_figures_print_as_placeholders_with_alt_and_caption(seed_pdfs: Built) -> None:
    text = text_of(seed_pdfs.pdf("blastic-osseous-metastases.pdf"))
    assert text.count("IMAGE PENDING") == 4
    assert "Axial CT of a vertebra whose left half is filled with dense bone." in text
    assert "Figure 1.3 Axial NECT, metastatic prostate carcinoma." in text
    assert "IMAGE PENDING · CT · AXIAL · NECT" in text


def test_figures_are_numbered_in_reading_order_and_linked(seed_pdfs: Built) -> None:
    reader = PdfReader(seed_pdfs.pdf("blastic-osseous-metastases.pdf"))
    internal, _ = _links(reader)
    figures = [d for d in internal if "-fig-" in d]
    assert figures == [
        "blastic-osseous-metastases-fig-bone-scan-diffuse-uptake",
        "blastic-osseous-metastases-fig-radiograph-diffuse-sclerosis",
        "blastic-osseous-metastases-fig-nect-vertebral-sclerosis",
        "blastic-osseous-metastases-fig-t1wi-l3-sacrum",
    ]
    assert set(figures) <= set(reader.named_destinations)
    text = text_of(seed_pdfs.pdf("blastic-osseous-metastases.pdf"))
    assert "take up tracer on bone scan (Figure 1.1)" in text
    assert "Figure 1.1 Anteroposterior bone scan." in text


def test_book_numbers_figures_by_chapter(seed_pdfs: Built) -> None:
    text = text_of(seed_pdfs.pdf("spine-metastases.pdf"))
    assert "Figure 1.4 Sagittal T1WI." in text


def test_markers_print_a_glyph_with_words_and_a_legend(seed_pdfs: Built, rich_pdfs: Built) -> None:
    text = raw_text_of(seed_pdfs.pdf("blastic-osseous-metastases.pdf"))
    assert "into the epidural space at L3 →(arrow)." in text
    assert "→ arrow" in text
    rich_text = raw_text_of(rich_pdfs.pdf("rich.pdf"))
    inline = "every marker: →(arrow) ⇨(open arrow) ↪(curved arrow) ➤(arrowhead) ✱(asterisk);"
    assert inline in rich_text
    legend = (
        "→ arrow: the upper left corner; ⇨ open arrow: the upper right corner; ↪ curved "
        "arrow: the centre; ➤ arrowhead: the lower left corner; ✱ asterisk: the lower "
        "right corner"
    )  # each marker with what its annotation shows
    assert legend in rich_text


def test_citations_are_numbered_by_first_citation_and_link_to_the_list(rich_pdfs: Built) -> None:
    text = text_of(rich_pdfs.pdf("rich.pdf"))
    assert "a made-up entity [1]" in text
    assert "ampersand [2, 1]" in text
    assert "Everywhere [3]" in text
    refs = text[text.index("SELECTED REFERENCES") :]
    order = [refs.index(s) for s in ("1. Early E", "2. Late L", "3. Shared S", "4. Never N")]
    assert order == sorted(order)
    internal, external = _links(PdfReader(rich_pdfs.pdf("rich.pdf")))
    assert [d for d in internal if "-ref-" in d] == [
        "rich-ref-1",
        "rich-ref-2",
        "rich-ref-2",
        "rich-ref-1",
        "rich-ref-3",
    ]
    assert "https://doi.org/10.5555/early.2020" in external
    assert "https://pubmed.ncbi.nlm.nih.gov/12345678/" in external
    assert "https://example.org/atlas?a=1&b=2" in external


def test_inline_markup_and_source_text_are_printed_literally(rich_pdfs: Built) -> None:
    text = text_of(rich_pdfs.pdf("rich.pdf"))
    assert "Escaped <b>not bold</b> & ampersand" in text
    assert "code <x>" in text
    assert "Tc-99m uptake 99mTc and H2O signal" in text


def test_caption_references_and_unreferenced_figures_are_placed(rich_pdfs: Built) -> None:
    text = text_of(rich_pdfs.pdf("rich.pdf"))
    assert "Figure 1.2 Sagittal T2WI" in text
    assert "FURTHER FIGURES" in text and "Figure 1.3 Coronal radiograph." in text
    assert pdftext.images(rich_pdfs.pdf("rich.pdf")) == [(40, 30)]  # one image drawn, no mask


def test_key_facts_handout_has_table_key_figure_and_its_references(rich_pdfs: Built) -> None:
    text = text_of(rich_pdfs.pdf("rich-key-facts.pdf"))
    assert "DIAGNOSIS DISTINGUISHING FEATURES" in text
    assert "Plain disease • No enhancement • Smaller lesions" in text
    assert "Focal fat • Bright on T1WI" in text
    assert "Third Thing • Only in the detailed section" in text
    assert "TOP DIFFERENTIAL DIAGNOSES" not in text  # the table replaces the list
    assert "Figure 1.1 Axial CT" in text and "Figure 1.2 Sagittal" not in text
    assert "REFERENCES 1. Early E" in text and "3. Shared" not in text
    internal, _ = _links(PdfReader(rich_pdfs.pdf("rich-key-facts.pdf")))
    assert "rich-fig-caption-only" not in internal  # not on this page: named, not linked


def test_a_numbered_list_when_no_differential_has_features(seed_pdfs: Built) -> None:
    """Names only: a numbered list in the author's order, in the handout as in the chapter
    (a one-column table of row headers read aloud as "row header, Treated metastases")."""
    names = "1. Treated metastases 2. Discogenic sclerosis 3. Hemangioma 4. Paget disease"
    text = text_of(seed_pdfs.pdf("blastic-osseous-metastases-key-facts.pdf"))
    assert f"DIFFERENTIAL DIAGNOSIS {names}" in text
    assert "DISTINGUISHING FEATURES" not in text and "DIAGNOSIS DIAGNOSIS" not in text
    assert "Figure 1.1 Anteroposterior bone scan." in text
    assert "IMAGE PENDING" in text
    chapter = text_of(seed_pdfs.pdf("blastic-osseous-metastases.pdf"))
    assert f"TOP DIFFERENTIAL DIAGNOSES {names}" in chapter


def test_the_chapter_gives_the_differential_table_the_handout_gives(rich_pdfs: Built) -> None:
    chapter = text_of(rich_pdfs.pdf("rich.pdf"))
    assert "TOP DIFFERENTIAL DIAGNOSES DIAGNOSIS DISTINGUISHING FEATURES" in chapter
    assert "Focal fat • No enhancement • Smaller lesions • Bright on T1WI" in chapter  # two columns
    headers = tagged(rich_pdfs.pdf("rich.pdf")).elements("/TH")
    assert headers, "the chapter's differential is a table there too"
