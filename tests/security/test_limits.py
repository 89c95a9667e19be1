"""Each limit at its edge: the largest input it allows passes, one more is refused by code.

The codes and where they point are tested in tests/validate/test_codes.py; here the edges.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.diagnostics import Sink
from pipeline.read import yaml as yaml_reader
from pipeline.read.files import MAX_FILE_BYTES
from pipeline.read.inline import MAX_INLINE_DEPTH
from pipeline.read.text import MAX_LINE
from pipeline.read.yaml import MAX_ALIASES, MAX_DEPTH, MAX_NUMBER
from pipeline.validate.figures import MAX_FIGURES, MAX_IMAGE_BYTES
from tests.fuzz.invariants import validate_and_lint
from tests.helpers import SOURCE, monograph

CHAPTER = "chapters/blastic-osseous-metastases.md"
BULLET = "- Lesions follow the red marrow"
FIGURE = "  - id: fig-nect-vertebral-sclerosis\n"
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01"
       b"\x08\x00\x00\x00\x00:~\x9bU")  # fmt: skip
"""The header of a 1 × 1 PNG; the files made of it are sparse, holes after the header."""


def _codes(tmp_path: Path, edit: Callable[[Path, str], str]) -> set[str]:
    root = tmp_path / "source"
    shutil.copytree(SOURCE, root)
    chapter = root / CHAPTER
    chapter.write_text(edit(root, chapter.read_text()))
    _, found = validate_and_lint(root)
    return {d.code for d in found}


def _padded_to(size: int) -> Callable[[Path, str], str]:
    """The chapter, padded with YAML comment lines to exactly ``size`` bytes."""

    def edit(_root: Path, text: str) -> str:
        head, rest = text.split("\n", 1)
        missing = size - len(text.encode())
        lines, last = divmod(missing, MAX_LINE + 1)
        padding = ("#" * MAX_LINE + "\n") * lines + ("#" * (last - 1) + "\n" if last else "")
        return f"{head}\n{padding}{rest}"

    return edit


def _long_line(length: int) -> Callable[[Path, str], str]:
    def edit(_root: Path, text: str) -> str:
        lines = text.split("\n")
        index = next(n for n, line in enumerate(lines) if line.startswith(BULLET))
        lines[index] = "- " + "x" * (length - 2)
        return "\n".join(lines)

    return edit


def _figures(count: int) -> Callable[[Path, str], str]:
    entry = "  - {id: fig-extra-%d, alt: Axial CT of the spine., caption: Axial CT.}\n"
    return lambda _root, text: text.replace(
        "figures:\n", "figures:\n" + "".join(entry % n for n in range(count - 4)), 1
    )


def _image_of(size: int) -> Callable[[Path, str], str]:
    def edit(root: Path, text: str) -> str:
        with (root / "figures" / "big.png").open("wb") as sparse:
            sparse.write(PNG)
            sparse.truncate(size)
        return text.replace(FIGURE, f"{FIGURE}    image: big.png\n", 1)

    return edit


def _nested(depth: int) -> Callable[[Path, str], str]:
    return lambda _root, text: text.replace(BULLET, "- " + "*a " * depth + "x" + " a*" * depth, 1)


def _aliases(count: int) -> Callable[[Path, str], str]:
    return lambda _root, text: text.replace(
        "status: draft", "status: draft\nx: &a 1\ny: [" + "*a, " * count + "]", 1
    )


def _yaml_depth(depth: int) -> Callable[[Path, str], str]:
    return lambda _root, text: text.replace(
        "status: draft", "status: draft\nx: " + "[" * depth + "1" + "]" * depth, 1
    )


def _number(digits: int) -> Callable[[Path, str], str]:
    return lambda _root, text: text.replace("status: draft", f"status: draft\nx: {'9' * digits}", 1)


LIMITS = {
    "file size (R111)": ("R111", _padded_to, MAX_FILE_BYTES),
    "line length (R112)": ("R112", _long_line, MAX_LINE),
    "figures per chapter (F109)": ("F109", _figures, MAX_FIGURES),
    "image file size (F110)": ("F110", _image_of, MAX_IMAGE_BYTES),
    "inline nesting (S117)": ("S117", _nested, MAX_INLINE_DEPTH),
    "YAML aliases (R104)": ("R104", _aliases, MAX_ALIASES),
    "YAML nesting (R104)": ("R104", _yaml_depth, MAX_DEPTH - 1),
    "YAML number length (V113)": ("V113", _number, MAX_NUMBER),
}


@pytest.mark.parametrize("name", sorted(LIMITS))
def test_a_limit_allows_its_largest_input_and_refuses_one_more(name: str, tmp_path: Path) -> None:
    code, edit, limit = LIMITS[name]
    assert code not in _codes(tmp_path / "at", edit(limit)), f"{name}: the limit itself refused"
    assert code in _codes(tmp_path / "over", edit(limit + 1)), f"{name}: one more was allowed"


HUGE = "0x" + "f" * 3700
"""A number of 4,458 decimal digits: past what Python turns into a string (4,300)."""


@pytest.mark.parametrize("command", ["validate", "lint"])
def test_a_number_too_long_for_python_is_a_located_finding_not_a_crash(
    command: str, tmp_path: Path
) -> None:
    root = tmp_path / "source"
    shutil.copytree(SOURCE, root)
    chapter = root / CHAPTER
    text = chapter.read_text().replace(FIGURE, f"{FIGURE}    credit: {HUGE}\n", 1)
    reference = f"  - {{key: smith, authors: [Smith J], title: T, journal: J, year: {HUGE}}}"
    chapter.write_text(text.replace("status: draft", f"status: draft\nreferences:\n{reference}"))
    lines = chapter.read_text().split("\n")
    credit = next(n for n, line in enumerate(lines, 1) if line.startswith("    credit: 0x"))
    year = next(n for n, line in enumerate(lines, 1) if "year: 0x" in line)

    run = monograph(command, "--source", str(root), timeout=60)

    assert run.returncode == 1, run.stdout + run.stderr
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr, run.stderr
    found = [line.split(" error:")[0] for line in run.stdout.splitlines() if " V113 " in line]
    column = lines[year - 1].index("0x") + 1
    assert found == [f"{chapter}:{year}:{column}: V113", f"{chapter}:{credit}:13: V113"], found


NUMBERS = {
    "0x" + "f" * 98: 16**98 - 1,
    "0o" + "7" * 98: 8**98 - 1,
    "-" + "9" * 99: -(10**99 - 1),
    "1." + "0" * 98: 1.0,
    "0b1010": "0b1010",  # YAML 1.1 forms are text: never a number, whatever their length
    "1_000": "1_000",
    "1:20": "1:20",
}


@pytest.mark.parametrize("fast", [True, False], ids=["libyaml", "pure-python"])
def test_a_number_is_made_only_from_a_yaml_1_2_form_of_at_most_the_limit(
    fast: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not fast:
        monkeypatch.setattr(yaml_reader, "_FastLoader", None)
    for written, value in NUMBERS.items():
        report = Sink()
        doc = yaml_reader.load(f"a: {written}\n? {written}\n: b\n", "f.yaml", report)
        assert doc is not None and report.items == [], (written[:12], report.items)
        assert doc.data == {"a": value, str(value): "b"}, written
    too_long = [
        "0x" + "f" * 3700, "0o" + "7" * 3000, "9" * 3990, "+" + "9" * 100, "0x" + "f" * 99,
        "1." + "0" * 99, "1e" + "0" * 99, "!!int 0x" + "f" * 3700,
    ]  # fmt: skip
    for written in too_long:
        report = Sink()
        doc = yaml_reader.load(f"a: {written}\n? {written}\n: b\n", "f.yaml", report)
        assert doc is not None, written[:12]
        numbers = [(d.span.line, d.span.column) for d in report.items if d.code == "V113"]
        assert numbers == [(1, 4), (2, 3)], (written[:12], report.items)
        assert all(isinstance(v, str) for v in (doc.data["a"], *doc.data)), written[:12]
