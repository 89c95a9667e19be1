"""Ten faults of different kinds planted at once in a copy of source/: all found in one run."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.helpers import SOURCE, monograph

CHAPTER = "chapters/blastic-osseous-metastases.md"
BAD_BYTE = b"\xe9"


def _plant(text: str) -> str:
    text = text.replace("title: Blastic Osseous Metastases\n", "", 1)
    text = text.replace("status: draft", "status: drafft", 1)
    text = text.replace("    modality: XR\n", "    modality: XR\n    image: ../../etc/passwd\n", 1)
    text = text.replace("## Synonyms", "## Synonymz", 1)
    text = text.replace("- **Morphology**", "- **Morphologie**", 1)
    text = text.replace("- Osteosarcoma", "- Osteosarcoma [@nobody2020]", 1)
    text = text.replace("(@fig-t1wi-l3-sacrum)", "(@fig-t1wi-l3-sacrum) @fig-missing", 1)
    text = text.replace("- Hemangioma", "- Hemangioma <script>alert(1)</script>", 1)
    # Key Facts: move the Clinical Issues group in front of the Pathology group.
    a, b = text.index("## Pathology\n"), text.index("## Clinical Issues\n")
    c = text.index("\n# Terminology\n")
    return text[:a] + text[b:c] + "\n" + text[a:b] + text[c:]


def _where(data: bytes, needle: bytes) -> tuple[int, int]:
    offset = data.index(needle)
    line_start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", errors="replace")) + 1
    return data.count(b"\n", 0, offset) + 1, column


def test_ten_planted_faults_are_all_reported_at_their_lines(tmp_path: Path) -> None:
    root = tmp_path / "source"
    shutil.copytree(SOURCE, root)
    planted = _plant((root / CHAPTER).read_text()).encode()
    planted = planted.replace(b"Discogenic sclerosis", b"Discogenic scl" + BAD_BYTE + b"rosis", 1)
    (root / CHAPTER).write_bytes(planted)
    expected = {
        ("V101", *_where(planted, b"id: blastic")),  # missing title: the front matter's start
        ("V104", *_where(planted, b"drafft")),
        ("S102", *_where(planted, b"## Pathology\n\n- Tumor")),
        ("S101", *_where(planted, b"## Synonymz")),
        ("S109", *_where(planted, b"**Morphologie**")),
        ("X101", *_where(planted, b"[@nobody2020]")),
        ("X102", *_where(planted, b"@fig-missing")),
        ("S111", *_where(planted, b"<script>")),
        ("F101", *_where(planted, b"../../etc/passwd")),
        ("R101", *_where(planted, BAD_BYTE)),
    }

    result = monograph("validate", "--source", str(root), "--format", "json")

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    found = {(r["code"], r["line"], r["column"]) for r in json.loads(result.stdout)}
    assert expected <= found, f"missing: {expected - found}"
    assert all(r["path"].endswith(CHAPTER) for r in json.loads(result.stdout))
