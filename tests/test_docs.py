"""The editors' documentation stays in step with the code."""

from __future__ import annotations

from pipeline.diagnostics import READING_AND_VALIDATION
from pipeline.model.skeleton import SKELETON
from tests.helpers import REPO

DOC = (REPO / "docs" / "source-format.md").read_text()


def test_every_code_is_in_the_table_with_its_name_and_severity() -> None:
    for code in READING_AND_VALIDATION:
        assert f"| {code.code} | {code.name} | {code.severity} |" in DOC, code.code


def test_every_heading_and_label_of_the_skeleton_is_documented() -> None:
    for section in SKELETON:
        assert section.title in DOC
        for sub in section.subsections:
            assert sub.title in DOC
            for label in sub.labels:
                assert label in DOC, label


def test_the_worked_example_validates_when_added_as_the_doc_says(tmp_path) -> None:
    import re
    import shutil

    from PIL import Image

    from pipeline.validate import validate_source
    from tests.helpers import SOURCE

    section = DOC[DOC.index("## 10. Worked example") :]
    chapter, *snippets = re.findall(r"```(?:markdown|yaml)\n(.*?)```", section, re.S)[:3]
    # The two YAML snippets sit in a numbered list, indented by three spaces.
    book_lines, concept_lines = (re.sub(r"(?m)^   ", "", block) for block in snippets)
    root = tmp_path / "source"
    shutil.copytree(SOURCE, root)
    chapter_id = re.search(r"^id: (\S+)", chapter, re.M).group(1)
    (root / "chapters" / f"{chapter_id}.md").write_text(chapter)
    (root / "book.yaml").write_text((root / "book.yaml").read_text() + book_lines)
    terms = (root / "terminology.yaml").read_text()
    (root / "terminology.yaml").write_text(
        terms.replace("abbreviations:", concept_lines + "abbreviations:")
    )
    image = re.search(r"image: (\S+)", chapter)
    if image:
        Image.new("L", (8, 8)).save(root / "figures" / image.group(1), format="PNG")

    result = validate_source(root)

    assert result.diagnostics == []
    assert result.book is not None and result.book.chapters[-1].id == chapter_id


def test_the_rule_catalogue_in_the_docs_is_the_one_the_code_prints() -> None:
    from pipeline.catalogue import with_rules_section

    document = (REPO / "docs" / "terminology.md").read_text()
    assert document == with_rules_section(document), "run: nox -s docs"


def test_every_relative_link_and_image_of_the_readme_and_docs_exists() -> None:
    import re

    pages = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
    for page in pages:
        text = re.sub(r"```.*?```|`[^`]*`", "", page.read_text(), flags=re.S)  # examples
        targets = re.findall(r"\]\(([^)\s]+)\)", text)
        for target in targets:
            if re.match(r"[a-z][a-z0-9+.-]*:|#", target):
                continue  # a web address or an anchor
            path = (page.parent / target.split("#")[0]).resolve()
            assert path.exists(), f"{page.relative_to(REPO)} links to missing {target}"
