"""One documented way to name several codes in a suppression: separated by commas.

docs/terminology.md §2 shows ``<!-- lint: disable-next-line T104, T105 -- reason -->``; codes
separated by spaces are refused (L102) with the list written the one way that works.
"""

from __future__ import annotations

from pathlib import Path

from tests.lint.trees import at, files, lint_files

LINE = "- Sclerotic metastases of 5mm in the spine\n"


def _body(directive: str) -> str:
    return f"\n# Key Facts\n\n## Imaging\n\n{directive}\n{LINE}"


def test_two_findings_on_the_line_without_a_suppression(tmp_path: Path) -> None:
    found, _ = lint_files(tmp_path, files(_body("")))
    assert sorted(d.code for d in found) == ["T104", "Y105"]


def test_codes_separated_by_commas_silence_each(tmp_path: Path) -> None:
    directive = "<!-- lint: disable-next-line T104, Y105 -- the referral's words -->"
    found, _ = lint_files(tmp_path, files(_body(directive)))
    assert [d.code for d in found] == []


def test_codes_separated_by_spaces_are_refused_with_the_comma_form(tmp_path: Path) -> None:
    directive = "‸<!-- lint: disable-next-line T104 Y105 -- the referral's words -->"
    found, caret = lint_files(tmp_path, files(_body(directive)))
    assert at(found, "L102") == [caret]
    (problem,) = [d for d in found if d.code == "L102"]
    assert "separate the codes with commas: 'T104, Y105'" in problem.message
    assert sorted(d.code for d in found if d.code != "L102") == ["T104", "Y105"]
