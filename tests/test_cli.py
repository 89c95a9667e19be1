"""The command line: exit statuses, output formats, and no tracebacks."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.conftest import FRONT, chapter, write_tree
from tests.helpers import SOURCE, monograph

LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<code>[RVSXF]\d{3}) ")


def test_the_monograph_source_validates_clean() -> None:
    result = monograph("validate", "--source", str(SOURCE))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 errors" in result.stderr


def test_json_format_is_a_parseable_list(tmp_path: Path) -> None:
    root = tmp_path / "src"
    write_tree(root, {"chapters/alpha.md": chapter(front=FRONT.replace("title: Alpha\n", ""))})
    result = monograph("validate", "--source", str(root), "--format", "json")
    assert result.returncode == 1
    records = json.loads(result.stdout)
    assert isinstance(records, list) and records
    fields = {"code", "severity", "message", "hint", "path", "line", "column", "notes"}
    assert set(records[0]) == fields
    assert records[0]["code"] == "V101"
    assert records[0]["path"] == f"{root}/chapters/alpha.md"


def test_json_of_a_clean_source_is_an_empty_list() -> None:
    result = monograph("validate", "--source", str(SOURCE), "--format", "json")
    assert result.returncode == 0
    assert json.loads(result.stdout) == []


def test_text_format_is_path_line_col_code_then_hint(tmp_path: Path) -> None:
    root = tmp_path / "src"
    write_tree(root, {"chapters/alpha.md": chapter(front=FRONT.replace("draft", "drafft"))})
    result = monograph("validate", "--source", str(root))
    assert result.returncode == 1
    first, hint = result.stdout.splitlines()[:2]
    match = LINE.match(first)
    assert match, first
    assert match["path"] == f"{root}/chapters/alpha.md"
    assert (match["line"], match["col"], match["code"]) == ("5", "9", "V104")
    assert hint.strip() == "hint: Did you mean 'draft'?"
    assert "1 error" in result.stderr


def test_warnings_alone_exit_zero(tmp_path: Path) -> None:
    root = tmp_path / "src"
    write_tree(root, {"chapters/alpha.md": chapter(body="\n# Key Facts\n\n## Imaging\n\n- x\n")})
    result = monograph("validate", "--source", str(root))
    assert result.returncode == 0, result.stdout
    assert "X103" in result.stdout and "X104" in result.stdout


def test_github_format_writes_annotations(tmp_path: Path) -> None:
    root = tmp_path / "src"
    write_tree(root, {"chapters/alpha.md": chapter(front=FRONT.replace("draft", "drafft"))})
    result = monograph("validate", "--source", str(root), "--format", "github")
    assert result.stdout.startswith(
        f"::error file={root}/chapters/alpha.md,line=5,col=9,title=V104::"
    )


def test_missing_source_directory_exits_2(tmp_path: Path) -> None:
    result = monograph("validate", "--source", str(tmp_path / "nowhere"))
    assert result.returncode == 2
    assert "does not exist" in result.stderr
    assert "Traceback" not in result.stderr


def test_directory_without_book_yaml_exits_2(tmp_path: Path) -> None:
    result = monograph("validate", "--source", str(tmp_path))
    assert result.returncode == 2
    assert "book.yaml" in result.stderr


def test_usage_error_exits_2() -> None:
    result = monograph("validate", "--format", "xml")
    assert result.returncode == 2
    assert "invalid choice" in result.stderr


def test_default_source_is_source_in_the_working_directory() -> None:
    result = monograph("validate", cwd=SOURCE.parent)
    assert result.returncode == 0, result.stdout + result.stderr


def test_explain_prints_the_code_and_its_advice() -> None:
    result = monograph("explain", "s109")
    assert result.returncode == 0
    assert result.stdout.startswith("S109 unknown-label (error)")
    assert "What to do:" in result.stdout
    assert monograph("explain", "Z999").returncode == 2


def test_codes_lists_every_code() -> None:
    from pipeline.diagnostics import KNOWN
    from pipeline.lint.registry import RULES

    listed = [line.split()[0] for line in monograph("codes").stdout.splitlines()]
    assert listed == [*KNOWN, *(rule.code for rule in RULES)]


def test_a_made_up_language_tag_is_refused(tmp_path: Path) -> None:
    from tests.conftest import BOOK

    root = tmp_path / "src"
    write_tree(root, {"book.yaml": BOOK.replace("en-US", "english")})
    result = monograph("validate", "--source", str(root))
    assert result.returncode == 1 and " V106 " in result.stdout
