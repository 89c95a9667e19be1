"""Fuzzing the attack classes of issue 14 (docs/security.md): variations, not the unit cases.

Each test draws variations (``hostile.py``) of one attack a unit test pins down one case
of, runs the pipeline on the seed source with it, and checks the invariant the defence
promises. The example counts are in ``profiles.py`` (``Budget``): a few on every test run,
many under ``nox -s fuzz``.

1. Ids that meet in one output path or anchor, or are too long: a located X112, X113 or
   V112 and nothing written; or every artifact path, anchor and EPUB member distinct and
   the manifest's hashes those of the files.
2. Images with a fake patient's name in their metadata: in no byte of any output (EPUB
   members, PDF streams decompressed, image metadata read back); a cut image or a bad PNG
   checksum: a located F112 and nothing written.
3. Registry patterns that backtrack without bound, next to tokens they fail slowly on: a
   V110 at each pattern, within a wall-time ceiling.
4. Rejected terms with invisible characters or look-alike letters: Y106 or Y107 at the
   character's line and column, and the term rule still fires at the term.
5. Line breaks in quoted YAML keys and values: in every output format each printed line is
   one real finding (no forged line), and lines and columns after them are an editor's.
6. The output folder inside the source, or holding planted links, journals and manifests
   naming paths outside it: nothing outside the folder changes (bytes and mtime).
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import tempfile
import time
import zipfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast

from hypothesis import event, example, given, note, settings
from hypothesis import strategies as st
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import StreamObject

from pipeline.diagnostics import Diagnostic
from pipeline.model.types import MAX_ID
from pipeline.orchestrate import jobs
from pipeline.orchestrate.check import CACHE_DIR
from pipeline.orchestrate.outputs import MANIFEST
from pipeline.validate.figures import has_gps
from tests.fuzz.hostile import (
    APOSTROPHE_GAP,
    FIGURES,
    NEEDLES,
    REGISTRY,
    VICTIM,
    Backtracker,
    Disguised,
    Forgery,
    IdBook,
    Picture,
    Planting,
    backtrackers,
    disguised_terms,
    forgeries,
    id_books,
    pictures,
    planted_files,
    plantings,
)
from tests.fuzz.invariants import EXIT_ERRORS, EXIT_USAGE, check_cli_run, check_manifest, sha256
from tests.fuzz.mutations import CHAPTER, SEED, seed_files
from tests.fuzz.profiles import BUDGET, FUZZ, PROFILE
from tests.helpers import EPOCH, STUB, build, monograph, monograph_in_process

SEED_FILES = seed_files()


def _source(workdir: str, files: dict[str, str | bytes | None]) -> Path:
    """The seed tree under ``workdir/source`` with ``files`` laid over it (None deletes)."""
    root = Path(workdir) / "source"
    for rel, data in {**SEED_FILES, **files}.items():
        if data is None:
            continue
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    (root / "figures").mkdir(exist_ok=True)
    return root


def _files_under(folder: Path) -> list[str]:
    """Every file under ``folder`` (links included), relative; none if it does not exist."""
    if not folder.exists():
        return []
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if not p.is_dir())


def _line_at(root: Path, rel: str, line: int) -> str:
    return _EDITOR_LINES.split((root / rel).read_text(encoding="utf-8"))[line - 1]


_EDITOR_LINES = re.compile("\r\n|\r|\n")


# ---- 1. ids that meet in one output name -------------------------------------------------


def _html_instead_of_pdf(job: jobs.Job, context: jobs.Context) -> jobs.Made:
    """The HTML document WeasyPrint would be given for a PDF job, as the artifact's bytes."""
    from pipeline.render.products import PDF_PRODUCTS, RenderInput

    product = next(p for p in PDF_PRODUCTS if p.name == job.product)
    given = RenderInput(context.book, context.stamp, report=[])
    if job.chapter is not None:
        given = given.only(job.chapter)
    document = next(d for d in product.documents(given) if job.path.endswith("/" + d.name))
    return jobs.Made(job.path, document.html.encode("utf-8"), 1, given.report)


@contextmanager
def _pdf_as_html() -> Iterator[None]:
    """PDF jobs answered by their HTML (ids and links are what collide; drawing is slow)."""
    saved = dict(jobs.RENDERERS)
    for product in ("chapter", "key-facts", "book"):
        jobs.RENDERERS[product] = _html_instead_of_pdf
    try:
        yield
    finally:
        jobs.RENDERERS.update(saved)


_ID_ATTRIBUTE = re.compile(rb'\bid="([^"]+)"')


def _shared_ids(document: bytes) -> list[bytes]:
    """The ids given to more than one element of an (X)HTML document."""
    return [i for i, n in Counter(_ID_ATTRIBUTE.findall(document)).items() if n > 1]


def check_names_apart(out: Path) -> None:
    """Every artifact path listed once; every anchor of a document and EPUB member once."""
    listed = [a["path"] for a in json.loads((out / MANIFEST).read_text())["artifacts"]]
    assert len(listed) == len(set(listed)), f"the manifest lists a path twice: {listed}"
    check_manifest(out)
    for rel in listed:
        data = (out / rel).read_bytes()
        if rel.endswith(".pdf"):  # the HTML of the PDF (``_pdf_as_html``)
            assert _shared_ids(data) == [], f"{rel}: one anchor for two elements"
        if rel.endswith(".epub"):
            with zipfile.ZipFile(out / rel) as epub:
                names = epub.namelist()
                assert len(names) == len(set(names)), f"{rel}: a member twice: {names}"
                for name in names:
                    if name.endswith((".xhtml", ".html")):
                        shared = _shared_ids(epub.read(name))
                        assert shared == [], f"{rel}/{name}: one anchor for two elements"


def _documented_paths(drawn: IdBook) -> list[str]:
    """The artifact paths of the drawn ids, written out (X112 when two are one)."""
    book_id = drawn.book_id
    paths = [f"pdf/{book_id}.pdf", f"epub/{book_id}.epub", f"json/{book_id}.json",
             "json/schema.json"]  # fmt: skip
    for chapter_id, _ in drawn.chapters:
        paths += [f"pdf/{chapter_id}.pdf", f"pdf/{chapter_id}-key-facts.pdf"]
    return paths


def _located_at_an_id(root: Path, finding: Diagnostic, ids: list[str]) -> None:
    """The finding points at the place in its file where one of the drawn ids is written."""
    span = finding.span
    assert (root / span.path).is_file(), finding
    text = _line_at(root, span.path, span.line)[span.column - 1 :].lstrip("'\"- ")
    text = text.removeprefix("id: ").lstrip("'\"")
    assert any(text.startswith(i) for i in ids), (finding, text)


@settings(FUZZ, max_examples=BUDGET.ids)
@given(drawn=id_books())
def test_ids_that_meet_in_one_output_name_are_refused_or_kept_apart(drawn: IdBook) -> None:
    note(f"book {drawn.book_id!r}, chapters {drawn.chapters!r}")
    with tempfile.TemporaryDirectory() as workdir, _pdf_as_html():
        root, out = _source(workdir, drawn.files()), Path(workdir) / "out"
        made = build(root, out, formats=("pdf", "epub", "json"), in_process=True, lint=False)
        errors = [d for d in made.diagnostics if d.severity == "error"]
        codes = {d.code for d in errors}
        event(f"refused: {', '.join(sorted(codes))}" if codes else "built")
        assert codes <= {"X112", "X113", "V112"}, errors
        too_long = any(len(i) > MAX_ID for i in drawn.ids)
        assert ("V112" in codes) == too_long, errors
        documented = _documented_paths(drawn)
        if not too_long:
            shared = len(documented) != len(set(documented))
            assert ("X112" in codes) == shared, (documented, errors)
        if errors:
            for finding in errors:
                _located_at_an_id(root, finding, drawn.ids)
            assert _files_under(out) == [], "a refused build wrote files"
        else:
            check_names_apart(out)


# ---- 2. images carrying a patient's name, and damaged images -----------------------------


def _with_images(drawn: list[Picture]) -> tuple[dict[str, str | bytes | None], list[str]]:
    """The seed chapter with its first figures given the drawn images; their file names."""
    text = (SEED / CHAPTER).read_text(encoding="utf-8")
    names = []
    files: dict[str, str | bytes | None] = {}
    for n, (figure, picture) in enumerate(zip(FIGURES, drawn, strict=False)):
        name = f"scan-{n}{picture.suffix}"
        text = text.replace(f"  - id: {figure}\n", f"  - id: {figure}\n    image: {name}\n")
        files[f"figures/{name}"] = picture.data
        names.append(name)
    files[CHAPTER] = text
    return files, names


def _marked(data: bytes) -> list[bytes]:
    return [needle for needle in NEEDLES if needle in data]


def _image_metadata(data: bytes) -> bytes:
    """What Pillow reads back as an image's metadata (zTXt and iTXt inflated, EXIF and GPS)."""
    with Image.open(io.BytesIO(data)) as image:
        exif = image.getexif()
        found = [repr(image.info), repr(dict(exif)), repr(dict(exif.get_ifd(0x8825)))]
    return "".join(found).encode("utf-8", "backslashreplace")


def check_unmarked(out: Path) -> int:
    """No output file, EPUB member, image's metadata or PDF stream holds the marker."""
    searched = 0
    for rel in _files_under(out):
        data = (out / rel).read_bytes()
        blobs = [data]
        if rel.endswith(".epub"):
            with zipfile.ZipFile(out / rel) as epub:
                members = {name: epub.read(name) for name in epub.namelist()}
            blobs += members.values()
            for name, member in members.items():
                if name.lower().endswith((".png", ".jpg", ".jpeg")):
                    blobs.append(_image_metadata(member))
        if rel.endswith(".pdf"):
            reader = PdfReader(io.BytesIO(data))
            for number in range(1, cast(int, reader.trailer["/Size"])):
                obj = reader.get_object(number)
                if isinstance(obj, StreamObject):
                    blobs.append(obj.get_data())
        for blob in blobs:
            assert _marked(blob) == [], f"{rel}: the patient's name is published"
        searched += len(blobs)
    return searched


def _build_images(drawn: list[Picture], formats: tuple[str, ...]) -> None:
    for picture in drawn:
        carried = _marked(picture.data) or _marked(_image_metadata(picture.data))
        assert carried, "the drawn image must carry the marker"
        note(f"{picture.kind} {picture.places}")
    located = sum(has_gps(picture.data) for picture in drawn)
    with tempfile.TemporaryDirectory() as workdir:
        files, _ = _with_images(drawn)
        root, out = _source(workdir, files), Path(workdir) / "out"
        made = build(root, out, formats=formats, in_process=True, lint=False)
        if located:  # a GPS position is refused outright (F119): nothing is published
            assert [d.code for d in made.diagnostics if d.severity == "error"] == ["F119"] * located
            assert _files_under(out) == [], "a refused build wrote files"
            return
        assert made.run.returncode == 0, made.diagnostics
        assert {a.path.suffix for a in made.artifacts} >= {f".{f}" for f in formats}
        event(f"searched {check_unmarked(out) // 10 * 10}+ blobs")


@settings(FUZZ, max_examples=BUDGET.images)
@given(drawn=pictures().flatmap(lambda first: pictures().map(lambda second: [first, second])))
def test_a_patients_name_in_image_metadata_reaches_no_epub_or_json(drawn: list[Picture]) -> None:
    _build_images(drawn, ("epub", "json"))


@settings(FUZZ, max_examples=BUDGET.image_pdfs)
@given(jpeg=pictures(kinds=("JPEG",)), other=pictures())
def test_a_patients_name_in_image_metadata_reaches_no_pdf(jpeg: Picture, other: Picture) -> None:
    """A JPEG always: WeasyPrint embeds its bytes as they are (a PNG is drawn again)."""
    _build_images([jpeg, other], ("pdf",))


@settings(FUZZ, max_examples=BUDGET.images)
@given(picture=pictures(damaged=True), figure=pictures())
def test_a_damaged_image_is_a_located_finding_and_nothing_is_written(
    picture: Picture, figure: Picture
) -> None:
    """A cut image or a PNG chunk whose checksum fails, beside a clean figure."""
    note(f"{picture.kind}: {picture.damage}")
    with tempfile.TemporaryDirectory() as workdir:
        files, names = _with_images([figure, picture])
        root, out = _source(workdir, files), Path(workdir) / "out"
        made = build(root, out, formats=("epub", "json"), in_process=True, lint=False)
        errors = [(d.code, d.span.path, d.span.line, d.span.column)
                  for d in made.diagnostics if d.severity == "error"]  # fmt: skip
        chapter = (root / CHAPTER).read_text(encoding="utf-8").split("\n")
        line = next(n for n, text in enumerate(chapter, 1) if text.endswith(f"image: {names[1]}"))
        assert errors == [("F112", CHAPTER, line, len("    image: ") + 1)], made.diagnostics
        assert _files_under(out) == [], "a refused build wrote files"


# ---- 3. registry patterns that backtrack without bound -----------------------------------

SECONDS = 20
"""The wall-time ceiling of one ``monograph lint`` of an example (about 1 s when defended)."""


_T1 = re.compile(r"^    not_when: \[('\\b\[Aa\]t T1\\b'.*)\]$", re.MULTILINE)
"""T1's ``not_when`` list in the seed registry."""


@settings(FUZZ, max_examples=BUDGET.patterns)
@given(first=backtrackers(), second=backtrackers(), at=st.integers(0, 4))
def test_a_backtracking_registry_pattern_is_refused_at_its_place_in_time(
    first: Backtracker, second: Backtracker, at: int
) -> None:
    """One in T1's ``not_when`` (at any place in its list), one in ``identifiers``; the
    chapter has T1 and both patterns' slow tokens in one bullet."""
    note(f"not_when {first.pattern!r} at {at}, identifiers {second.pattern!r}")
    registry = (SEED / "terminology.yaml").read_text(encoding="utf-8")
    listed = _T1.search(registry)
    assert listed, "the seed registry has no not_when list for T1 any more"
    patterns = re.findall(r"'(?:[^']|'')*'", listed[1])
    patterns.insert(at, f"'{first.pattern}'")
    registry = registry.replace(listed[1], ", ".join(patterns), 1)
    registry = registry.replace("\n# US English", f"\nidentifiers: ['{second.pattern}']\n"
                                "# US English", 1)  # fmt: skip
    chapter = (SEED / CHAPTER).read_text(encoding="utf-8").replace(
        "- Lesions follow the red marrow",
        f"- On T1 {first.token} {second.token} lesions follow the red marrow", 1)  # fmt: skip
    with tempfile.TemporaryDirectory() as workdir:
        root = _source(workdir, {"terminology.yaml": registry, CHAPTER: chapter})
        began = time.monotonic()
        run = monograph("lint", "--source", str(root), "--format", "json", timeout=SECONDS)
        event(f"lint took {int(time.monotonic() - began)} s")
        assert check_cli_run(run) == EXIT_ERRORS, run.stdout + run.stderr
        found = {(r["line"], r["column"]) for r in json.loads(run.stdout) if r["code"] == "V110"}
        lines = registry.split("\n")
        for pattern in (first.pattern, second.pattern):
            quoted = f"'{pattern}'"
            line = next(n for n, text in enumerate(lines, 1) if quoted in text)
            assert (line, lines[line - 1].index(quoted) + 1) in found, (pattern, run.stdout)


# ---- 4. disguised terms ------------------------------------------------------------------

_FINDING = re.compile(r"^(?P<path>\S+?):(?P<line>\d+):(?P<column>\d+): (?P<code>[A-Z]\d{3}) ")


def _with_bullet(drawn: Disguised) -> tuple[str, int, str]:
    """The seed chapter with the drawn bullet in its slot; the bullet's line and text."""
    lines = (SEED / CHAPTER).read_text(encoding="utf-8").split("\n")
    synonyms = lines.index("## Synonyms"), lines.index("## Definitions")  # a list of names
    slots = [(n, "") for n, text in enumerate(lines) if text.startswith("- ")
             and not text.startswith("- **") and not synonyms[0] < n < synonyms[1]]  # fmt: skip
    slots += [(n + 1, "  ") for n, text in enumerate(lines) if text.startswith("- **")]
    at, indent = sorted(slots)[drawn.slot % len(slots)]
    bullet = f"{indent}- {drawn.prefix}{drawn.written} of the spine"
    lines.insert(at, bullet)
    return "\n".join(lines), at + 1, bullet


@settings(FUZZ, max_examples=BUDGET.disguises)
@given(drawn=disguised_terms())
def test_a_disguised_term_is_reported_at_each_disguise_and_still_matched(
    drawn: Disguised,
) -> None:
    note(f"{drawn.written!r} ({drawn.disguises}) in slot {drawn.slot}")
    chapter, line, bullet = _with_bullet(drawn)
    with tempfile.TemporaryDirectory() as workdir:
        root = _source(workdir, {CHAPTER: chapter, "terminology.yaml": REGISTRY})
        run = monograph_in_process("lint", "--source", str(root))
    assert run.returncode in (0, 1), run.stderr
    found = [(m["code"], int(m["line"]), int(m["column"]))
             for m in map(_FINDING.match, run.stdout.splitlines()) if m]  # fmt: skip
    start = bullet.index(drawn.written) + 1
    expected = {(code, line, start + offset) for offset, _, code in drawn.disguises}
    on_line = {f for f in found if f[0] in ("Y106", "Y107") and f[1] == line}
    assert on_line == expected, (found, expected)
    assert (drawn.rule, line, start) in found, f"{drawn.rule} lost the term: {found}"


def test_a_look_alike_after_an_apostrophe_is_still_seen() -> None:
    """``Paget'ѕ disease`` (U+0455 after an ASCII apostrophe) looks like the rejected term."""
    drawn = Disguised("Paget's disease", "T101", "", APOSTROPHE_GAP, ((6, "\u0455", "Y107"),), 0)
    chapter, line, bullet = _with_bullet(drawn)
    with tempfile.TemporaryDirectory() as workdir:
        root = _source(workdir, {CHAPTER: chapter})  # the seed registry rejects the term
        run = monograph_in_process("lint", "--source", str(root))
    found = {(m["code"], int(m["line"]), int(m["column"]))
             for m in map(_FINDING.match, run.stdout.splitlines()) if m}  # fmt: skip
    start = bullet.index(APOSTROPHE_GAP) + 1
    assert {("T101", line, start), ("Y107", line, start + 6)} <= found, found


# ---- 5. line breaks in printed fields ----------------------------------------------------

_PRINTED = re.compile(r"(?P<path>\S*?):(?P<line>\d+):(?P<column>\d+): (?P<code>[A-Z]\d{3})\b")
_COMMAND = re.compile(r"::(?:error|warning|notice|debug)\b")


def _lines_of(text: str) -> list[str]:
    """Lines as the strictest reader splits them (``splitlines``: NEL, U+2028... too)."""
    return text.splitlines()


def check_one_record_per_line(
    fmt: str, stdout: str, stderr: str, real: list[dict[str, Any]]
) -> None:
    """Every line that reads as a finding or a GitHub command is one of the real findings."""
    records = Counter((r["path"], r["line"], r["column"], r["code"]) for r in real)
    printed: Counter[tuple[str, int, int, str]] = Counter()
    for line in _lines_of(stdout) + _lines_of(stderr):
        finding = _PRINTED.match(line.lstrip())
        command = _COMMAND.match(line.lstrip())  # the runner reads commands at a line's start
        if fmt == "github" and command:
            found = re.match(r"::\w+ file=(.*?),line=(\d+),col=(\d+),title=(\w+)::", line)
            assert found, line
            key = (found[1].replace("%3A", ":").replace("%2C", ","), int(found[2]),
                   int(found[3]), found[4])  # fmt: skip
            printed[key] += 1
        elif finding:
            assert fmt == "text", f"a finding line in {fmt} output: {line!r}"
            printed[(finding["path"], int(finding["line"]), int(finding["column"]),
                     finding["code"])] += 1  # fmt: skip
        else:
            assert not command, f"a workflow command: {line!r}"
    if fmt in ("text", "github"):
        assert printed == records, (printed, records)
    else:
        assert printed == Counter(), printed
        document = json.loads(stdout)
        results = document if fmt == "json" else document["runs"][0]["results"]
        assert len(results) == len(real)


@settings(FUZZ, max_examples=BUDGET.forgeries)
@given(data=forgeries("ROOT"))
def test_a_line_break_in_a_quoted_field_prints_no_forged_line(data: Forgery) -> None:
    note(repr(data.text[:600]))
    with tempfile.TemporaryDirectory() as workdir:
        root = _source(workdir, {CHAPTER: data.text.replace("ROOT", str(Path(workdir) / "source"))})
        json_run = monograph_in_process("lint", "--source", str(root), "--format", "json")
        real = json.loads(json_run.stdout)
        ours = [(r["code"], r["line"], r["column"]) for r in real
                if r["path"].endswith(CHAPTER) and r["code"] in ("V104", "S111")]  # fmt: skip
        assert set(data.expected) <= set(ours), (data.expected, ours)
        assert sum(1 for r in real if "forged" in r["message"]) >= 1, "nothing quoted the forgery"
        for fmt in ("text", "github", "json", "sarif"):
            run = monograph_in_process("lint", "--source", str(root), "--format", fmt)
            assert run.returncode == EXIT_ERRORS, run.stderr
            check_one_record_per_line(fmt, run.stdout, run.stderr, real)
        fmt = ("text", "github", "json", "sarif")[len(data.text) % 4]
        if PROFILE == "long":  # the real process too, each format in turn
            run = monograph("lint", "--source", str(root), "--format", fmt)
            check_one_record_per_line(fmt, run.stdout, run.stderr, real)


# ---- 6. the output folder ----------------------------------------------------------------


def _snapshot(top: Path, skip: Path | None) -> dict[str, tuple[str, bytes | str, int]]:
    """Every path under ``top`` except ``skip``'s: its kind, content or target, and mtime.

    The source's chapter cache is left out: it is the one folder a run may write in the
    source tree (tests/orchestrate/test_check_cache.py holds it to that).
    """
    found: dict[str, tuple[str, bytes | str, int]] = {}
    cache = top / "source" / CACHE_DIR
    for folder, dirs, files in os.walk(top):
        for name in [*dirs, *files]:
            path = Path(folder) / name
            if any(s is not None and (path == s or s in path.parents) for s in (skip, cache)):
                continue
            info = path.lstat()
            if path.is_symlink():
                found[str(path)] = ("link", str(path.readlink()), info.st_mtime_ns)
            elif path.is_dir():
                found[str(path)] = ("dir", b"", 0)
            else:
                found[str(path)] = ("file", path.read_bytes(), info.st_mtime_ns)
    return found


def _plant(workdir: Path, planting: Planting) -> Path:
    """The victim, the outside folder and the source; the output folder with what is planted."""
    victim, outside = workdir / "victim.txt", workdir / "outside"
    victim.write_text(VICTIM)
    outside.mkdir()
    (outside / "kept.pdf").write_bytes(b"%PDF-1.7 someone else's\n")
    (workdir / "link-to-source").symlink_to(workdir / "source", target_is_directory=True)
    out = workdir / planting.out
    for rel, text in planting.files.items():
        text = text.replace("{victim}", str(victim))
        text = text.replace("{victim_sha}", sha256(victim.read_bytes()))
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_text(text)
    for rel, target in planting.links.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        if (out / rel).is_dir() and not (out / rel).is_symlink():
            shutil.rmtree(out / rel)  # a link where a planted file's folder was
        elif (out / rel).exists() or (out / rel).is_symlink():
            (out / rel).unlink()
        (out / rel).symlink_to(victim if target == "victim" else outside)
    return out


@settings(FUZZ, max_examples=BUDGET.outputs)
@given(planting=plantings())
@example(Planting("out", planted_files(["../victim.txt", "{victim}"], "{victim_sha}", True)))
def test_nothing_outside_the_output_folder_changes_whatever_was_planted(
    planting: Planting,
) -> None:
    note(repr(planting))
    with tempfile.TemporaryDirectory() as name:
        workdir = Path(name)
        _source(name, {})
        out = _plant(workdir, planting)
        inside = planting.out != "out"
        before = _snapshot(workdir, None if inside else out)
        time.sleep(0.01)  # a write now would change an mtime
        # the command itself: ``build`` would read back a manifest that may be a link
        run = monograph("build", "--source", str(workdir / "source"), "--out",
                        str(workdir / planting.out), "--only", "pdf,epub,json", "--jobs", "1",
                        "--format", "json", env={"SOURCE_DATE_EPOCH": EPOCH},
                        module=STUB)  # fmt: skip
        event(f"exit {run.returncode}")
        check_cli_run(run)
        assert _snapshot(workdir, None if inside else out) == before, run.stderr
        if inside or planting.links:
            assert run.returncode == EXIT_USAGE, run.stderr
        else:
            assert run.returncode == 0, run.stderr
            check_manifest(out)
