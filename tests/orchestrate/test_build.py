"""``monograph build``: every artifact, a true manifest, stops on errors, loses nothing."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import zlib
from pathlib import Path

import jsonschema
import pytest
import yaml
from pypdf import PdfReader

from pipeline.model.export import BookOut
from pipeline.orchestrate.jobs import available_formats
from pipeline.orchestrate.outputs import JOURNAL, STAGING, OutputDir, json_bytes
from tests.bench.corpus import make_book
from tests.helpers import SOURCE, STUB, BuildResult, build, monograph
from tests.reproducible import NotReproducibleError, compare, shifted_clock

BOOK, CHAPTER = "spine-metastases", "blastic-osseous-metastases"


@pytest.fixture(scope="module")
def seed_every_format(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """A copy of the seed built in every format by the command, in two processes."""
    root = tmp_path_factory.mktemp("seed")
    shutil.copytree(SOURCE, root / "source")
    return build(root / "source", root / "out", jobs=2, check=True)


def _expected() -> set[str]:
    paths = {f"pdf/{CHAPTER}.pdf", f"pdf/{CHAPTER}-key-facts.pdf", f"pdf/{BOOK}.pdf",
             f"json/{BOOK}.json", "json/schema.json", f"anki/{BOOK}.apkg"}  # fmt: skip
    return paths | ({f"epub/{BOOK}.epub"} if "epub" in available_formats() else set())


def test_every_artifact_is_built_and_the_manifest_matches_the_files(
    seed_every_format: BuildResult,
) -> None:
    out = seed_every_format.out
    manifest = json.loads((out / "manifest.json").read_text())
    listed = {a["path"]: a for a in manifest["artifacts"]}
    assert set(listed) == _expected()
    for path, entry in listed.items():
        data = (out / path).read_bytes()
        assert entry["size"] == len(data)
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
    assert len(manifest["source"]["tree_sha256"]) == 64 and manifest["source"]["files"] == 4
    assert {"python", "weasyprint", "pydantic", "monograph-pipeline"} <= set(manifest["tools"])


def test_json_export_follows_its_schema_and_round_trips(seed_every_format: BuildResult) -> None:
    out = seed_every_format.out / "json"
    data = (out / f"{BOOK}.json").read_bytes()
    schema = json.loads((out / "schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(json.loads(data))
    again = BookOut.model_validate_json(data).model_dump(mode="json")
    assert (json.dumps(again, indent=2, ensure_ascii=False) + "\n").encode() == data


def test_json_export_has_numbers_terms_and_codings(seed_every_format: BuildResult) -> None:
    book = json.loads((seed_every_format.out / "json" / f"{BOOK}.json").read_text())
    chapter = book["chapters"][0]
    assert chapter["concept"] == CHAPTER
    assert [f["number"] for f in chapter["figures"]] == ["1.1", "1.2", "1.3", "1.4"]
    top = chapter["sections"][0]["subsections"][2]
    assert top["key"] == "top-differential-diagnoses"
    first = top["bullets"][0]["content"]
    assert first["text"] == "Treated metastases"
    assert first["terms"] == [{"concept": "treated-metastases", "written": "Treated metastases",
                               "start": 0, "end": 18}]  # fmt: skip
    assert first["inlines"][0]["type"] == "text"
    assert {c["id"] for c in book["concepts"]} >= {"paget-disease", "hemangioma"}


def test_json_text_reads_as_printed_and_the_registry_is_whole(
    seed_every_format: BuildResult,
) -> None:
    book = json.loads((seed_every_format.out / "json" / f"{BOOK}.json").read_text())
    chapter = book["chapters"][0]
    texts = [b["content"]["text"] for s in chapter["sections"] for sub in s["subsections"]
             for b in sub["bullets"] if b["content"]]  # fmt: skip
    assert "Sclerotic deposits usually take up tracer on bone scan (Figure 1.1)" in texts
    caption = next(f["caption"] for f in chapter["figures"] if f["id"] == "fig-t1wi-l3-sacrum")
    assert caption["text"].endswith(
        "into the epidural space at L3 (arrow). Nothing in the MR "
        "signal itself reveals that these deposits are blastic."
    )
    assert "  " not in caption["text"] and "( )" not in "".join(texts)
    assert [n["type"] for n in caption["inlines"]].count("marker") == 1, "the nodes stay"
    for term in caption["terms"]:
        assert caption["text"][term["start"] : term["end"]] == term["written"]
    registry = yaml.safe_load((SOURCE / "terminology.yaml").read_text())
    assert book["terminology"]["eponyms"]["style"] == registry["eponyms"]["style"]
    for part in ("concepts", "abbreviations", "spellings"):
        assert len(book["terminology"][part]) == len(registry[part]), part
    assert book["terminology"]["identifiers"], "the default identifier patterns are exported"
    abbreviations = {a["abbr"]: a for a in book["terminology"]["abbreviations"]}
    assert {a["abbr"] for a in registry["abbreviations"]} == set(abbreviations)


def test_no_absolute_path_leaks_into_an_artifact(seed_every_format: BuildResult) -> None:
    out = seed_every_format.out
    secret = str(out.parent).encode()  # the folder holding the source and the outputs
    for path in out.rglob("*"):
        if path.is_file() and ".cache" not in path.parts:
            assert secret not in path.read_bytes(), path
    for pdf in (out / "pdf").glob("*.pdf"):
        for page in PdfReader(pdf).pages:
            assert secret not in page.get_contents().get_data()  # type: ignore[union-attr]
    _ = zlib  # streams are inflated by pypdf above


def test_errors_stop_the_build_and_keep_the_previous_outputs(tmp_path: Path) -> None:
    source, out = tmp_path / "source", tmp_path / "out"
    shutil.copytree(SOURCE, source)
    build(source, out, formats=("json",), check=True)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    chapter = source / "chapters" / f"{CHAPTER}.md"
    chapter.write_text(chapter.read_text().replace("- Hemangioma", "- Paget's disease"))
    done = build(source, out)
    assert done.run.returncode == 1
    assert "nothing built; fix the errors first" in done.run.stderr
    assert "T101" in {d.code for d in done.diagnostics}
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before


def test_only_a_changed_chapter_and_the_book_are_rebuilt(tmp_path: Path) -> None:
    source, out, formats = make_book(tmp_path / "source", 3), tmp_path / "out", ("pdf", "json")
    build(source, out, formats=formats, module=STUB, check=True)
    chapter = source / "chapters" / "chapter-0001.md"
    edited = chapter.read_text().replace("posterior elements", "posterior elements, edited", 1)
    chapter.write_text(edited)

    explained = build(source, out, "--explain", formats=formats, module=STUB, check=True).run.stderr

    rebuilt = {line.split()[1].rstrip(":") for line in explained.splitlines()
               if line.startswith("rebuilt ")}  # fmt: skip
    assert rebuilt == {"pdf/chapter-0001.pdf", "pdf/chapter-0001-key-facts.pdf",
                       f"pdf/{BOOK}.pdf", f"json/{BOOK}.json"}  # fmt: skip
    assert "rebuilt pdf/chapter-0001.pdf: chapter 'chapter-0001' changed" in explained
    assert "reused  pdf/chapter-0000.pdf: inputs unchanged" in explained
    again = build(source, out, formats=formats, module=STUB, check=True)
    assert "0 written, 9 reused" in again.run.stderr


def test_a_chapter_removed_from_the_book_loses_its_artifacts(tmp_path: Path) -> None:
    source = make_book(tmp_path / "source", 2)
    out = tmp_path / "out"
    build(source, out, formats=("pdf",), module=STUB, check=True)
    (source / "chapters" / "chapter-0001.md").unlink()
    book = source / "book.yaml"
    book.write_text(book.read_text().replace("  - chapter-0001\n", ""))
    explained = build(source, out, "--explain", formats=("pdf",), module=STUB, check=True)
    assert "removed pdf/chapter-0001.pdf" in explained.run.stderr
    assert not (out / "pdf" / "chapter-0001.pdf").exists()


def test_an_interrupted_commit_is_finished_by_the_next_build(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / STAGING / "pdf").mkdir(parents=True)
    (out / STAGING / "pdf" / "a.pdf").write_bytes(b"new")
    (out / "pdf").mkdir()
    (out / "pdf" / "a.pdf").write_bytes(b"old")
    artifact = {"path": "pdf/a.pdf", "sha256": hashlib.sha256(b"new").hexdigest(), "size": 3}
    journal = {"staged": ["pdf/a.pdf"], "manifest": {"artifacts": [artifact]},
               "state": {"artifacts": {}}, "remove": []}  # fmt: skip
    (out / JOURNAL).write_bytes(json_bytes(journal))
    with OutputDir(out) as folder:
        assert folder.read_json("manifest.json") == {"artifacts": [artifact]}
    assert (out / "pdf" / "a.pdf").read_bytes() == b"new"
    assert not (out / JOURNAL).exists() and not (out / STAGING).exists()


def test_unknown_format_is_a_usage_error() -> None:
    done = monograph("build", "--only", "pdf,docx")
    assert done.returncode == 2 and "choose from" in done.stderr


def test_two_builds_in_different_clocks_zones_and_locales_are_identical(tmp_path: Path) -> None:
    try:
        digests = compare(SOURCE, tmp_path)
    except NotReproducibleError as err:
        pytest.fail(str(err))
    assert set(digests) == _expected() | {"manifest.json"}


def test_a_cached_finding_comes_back_as_it_was_recorded() -> None:
    """Through the build cache's JSON (``.cache/state.json``), fix and column included."""
    from pipeline.diagnostics import Diagnostic, Fix, Severity
    from pipeline.model.span import Span

    span = Span(path="c.md", line=8, column=5)
    plain = Diagnostic("P102", Severity.ERROR, "too long", "shorten", span)
    fixed = Diagnostic(
        "Y104", Severity.WARNING, "range", "dash", span, Fix("en dash", span, "-", "–")
    )
    for finding in (plain, fixed):
        assert Diagnostic.from_state(json.loads(json.dumps(finding.as_state()))) == finding


def test_the_second_reproducibility_build_really_runs_on_a_moved_clock(tmp_path: Path) -> None:
    """The clocks a renderer may read are moved, in the process and in a worker it starts."""
    probe = (
        "import datetime, time, zipfile, io, concurrent.futures as cf\n"
        "b = io.BytesIO(); z = zipfile.ZipFile(b, 'w'); z.writestr('a', 'x'); z.close()\n"
        "def now(): return time.time()\n"
        "with cf.ProcessPoolExecutor(1) as pool: worker = pool.submit(now).result()\n"
        "print(time.time(), worker, datetime.datetime.now().timestamp(),\n"
        "      zipfile.ZipFile(b).infolist()[0].date_time[0])\n"
    )

    def clocks(env: dict[str, str]) -> list[float]:
        done = subprocess.run([sys.executable, "-c", probe], env={**os.environ, **env},
                              capture_output=True, text=True, check=True)  # fmt: skip
        return [float(v) for v in done.stdout.split()]

    now = clocks({})
    moved = clocks(shifted_clock())
    days = [(m - n) / 86400 for m, n in zip(moved[:3], now[:3], strict=True)]
    assert all(399 < d < 401 for d in days), days
    assert moved[3] > now[3]  # the zip entry's year
