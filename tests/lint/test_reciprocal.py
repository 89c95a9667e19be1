"""T111: when chapter A lists B as a differential and B has a chapter, B lists A back or says why.

Information, not a warning: it fails nothing and counts apart in the closing line; the
configuration can raise it or turn it off.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.diagnostics import Severity, summary
from pipeline.lint import lint_book
from pipeline.lint.config import LintConfig
from pipeline.validate import validate_source
from tests.conftest import write_tree
from tests.helpers import monograph
from tests.lint.trees import chapters_about, key_facts, lint_files

TDD = "Top Differential Diagnoses"
LISTS_HEMANGIOMA = (
    "blastic-osseous-metastases",
    key_facts("Hemangioma", "Osteosarcoma", subsection=TDD),
)


def _hemangioma(*differentials: str) -> tuple[str, str]:
    """The hemangioma chapter, its Differential Diagnosis headed by the caret."""
    body = "\n‸# Differential Diagnosis\n\n" + "".join(
        f"## {d}\n\n- Text\n\n" for d in differentials
    )
    return ("hemangioma", body)


def test_a_one_way_differential_is_told_in_the_other_chapter_as_information(
    tmp_path: Path,
) -> None:
    tree = chapters_about(metastases=LISTS_HEMANGIOMA, hemangioma=_hemangioma("Osteosarcoma"))
    found, caret = lint_files(tmp_path, tree)
    assert [(d.code, d.severity, d.span.path, d.span.line, d.span.column) for d in found] == [
        ("T111", Severity.INFO, *caret)
    ]
    assert found[0].message == (
        "chapter 'metastases' lists 'Hemangioma' as a differential of 'blastic osseous "
        "metastases'; this chapter does not list 'blastic osseous metastases' back"
    )
    assert summary(found) == "0 errors, 0 warnings, 1 info"


def test_listing_back_by_a_synonym_is_enough(tmp_path: Path) -> None:
    back = _hemangioma("Osteosarcoma", "Sclerotic metastases")
    tree = chapters_about(metastases=LISTS_HEMANGIOMA, hemangioma=back)
    found, _ = lint_files(tmp_path, tree)
    assert [d.code for d in found if d.code == "T111"] == []


def test_a_differential_without_a_chapter_asks_nothing(tmp_path: Path) -> None:
    found, _ = lint_files(tmp_path, chapters_about(metastases=LISTS_HEMANGIOMA))
    assert found == []


def test_with_only_a_key_facts_list_the_finding_points_at_it(tmp_path: Path) -> None:
    other = ("hemangioma", "\n# Key Facts\n\n‸## Top Differential Diagnoses\n\n- Osteosarcoma\n")
    found, caret = lint_files(
        tmp_path, chapters_about(metastases=LISTS_HEMANGIOMA, hemangioma=other)
    )
    assert [(d.code, d.span.line, d.span.column) for d in found] == [("T111", *caret[1:])]


def test_a_directive_with_a_reason_says_why(tmp_path: Path) -> None:
    code, body = _hemangioma("Osteosarcoma")
    why = "<!-- lint: disable-next-line T111 -- a hemangioma seldom mimics a metastasis -->\n"
    body = body.replace("‸# Differential", why + "# Differential")
    tree = chapters_about(metastases=LISTS_HEMANGIOMA, hemangioma=(code, body))
    found, _ = lint_files(tmp_path, tree)
    assert found == []  # silenced, and the directive counts as used (no L101)


def test_the_configuration_raises_it_or_turns_it_off(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        chapters_about(metastases=LISTS_HEMANGIOMA, hemangioma=_hemangioma("Osteosarcoma")),
    )
    book = validate_source(tmp_path).book
    assert book is not None
    raised = lint_book(book, LintConfig(severity={"T111": Severity.WARNING}))
    assert [(d.code, d.severity) for d in raised] == [("T111", Severity.WARNING)]
    assert lint_book(book, LintConfig(ignore=("T111",))) == []


def test_information_passes_the_run_and_shows_as_a_notice(tmp_path: Path) -> None:
    root = tmp_path / "src"
    write_tree(
        root, chapters_about(metastases=LISTS_HEMANGIOMA, hemangioma=_hemangioma("Osteosarcoma"))
    )
    result = monograph("lint", "--source", str(root), "--format", "github")
    assert result.returncode == 0  # the tree's other findings are warnings (X104, unlisted file)
    (notice,) = [line for line in result.stdout.splitlines() if "title=T111::" in line]
    assert notice.startswith(f"::notice file={root}/chapters/hemangioma.md,line=")
    text = monograph("lint", "--source", str(root))
    assert "T111 info: chapter 'metastases' lists 'Hemangioma'" in text.stdout
    assert text.stderr.strip().endswith(" warnings, 1 info")
