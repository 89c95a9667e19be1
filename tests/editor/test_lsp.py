"""``monograph lsp`` driven by a real LSP client over stdio, on small source trees."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
import pytest_asyncio
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from tests.conftest import BODY, FRONT, TERMINOLOGY, chapter, write_tree

REGISTRY = TERMINOLOGY.replace(
    "    preferred: alpha disease\n",
    "    preferred: alpha disease\n"
    "    rejected:\n      - {term: alfa disease, use: alpha disease}\n",
)
"""The base registry, with a rejected form: writing it is T101, with a safe fix."""
CHAPTER = "chapters/alpha.md"
REJECTED_LINE = 22
"""The 0-based line of the body line added by ``text_with``."""


def text_with(line: str) -> str:
    """The base chapter with one more bullet, at line ``REJECTED_LINE``."""
    return chapter(FRONT, BODY + f"- {line}\n")


async def started(root: Path) -> LanguageClient:
    """A client connected to a server for ``root``, initialised."""
    command = [sys.executable, "-m", "pipeline.editor.lsp", "--source", str(root)]
    client = await ClientServerConfig(server_command=command).start()
    assert isinstance(client, LanguageClient)
    params = types.InitializeParams(
        capabilities=types.ClientCapabilities(), root_uri=root.parent.as_uri()
    )
    await client.initialize_session(params)
    return client


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """The base tree with the registry that rejects 'alfa disease'."""
    source = tmp_path / "source"
    write_tree(source, {"terminology.yaml": REGISTRY})
    return source


@pytest_asyncio.fixture
async def client(root: Path) -> AsyncIterator[LanguageClient]:
    """A client talking to ``python -m pipeline.editor.lsp --source <root>``."""
    client = await started(root)
    yield client
    await client.shutdown_session()


async def published(
    client: LanguageClient, uri: str, until: Callable[[list[types.Diagnostic]], bool]
) -> list[types.Diagnostic]:
    """The diagnostics of ``uri`` once they satisfy ``until`` (waiting up to 20 s)."""

    async def wait() -> list[types.Diagnostic]:
        while True:
            found = list(client.diagnostics.get(uri, []))
            if uri in client.diagnostics and until(found):
                return found
            await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)

    return await asyncio.wait_for(wait(), 20)


def open_chapter(client: LanguageClient, root: Path, text: str) -> str:
    """Open the chapter with ``text`` (not saved), returning its URI."""
    uri = (root / CHAPTER).as_uri()
    item = types.TextDocumentItem(uri=uri, language_id="markdown", version=1, text=text)
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=item))
    return uri


def change(client: LanguageClient, uri: str, text: str, version: int = 2) -> None:
    """Replace the whole text of the open document ``uri``."""
    document = types.VersionedTextDocumentIdentifier(uri=uri, version=version)
    whole = types.TextDocumentContentChangeWholeDocument(text=text)
    params = types.DidChangeTextDocumentParams(text_document=document, content_changes=[whole])
    client.text_document_did_change(params)


def codes(found: list[types.Diagnostic]) -> list[str | int | None]:
    return [d.code for d in found]


def at(line: int, character: int) -> types.Position:
    return types.Position(line=line, character=character)


@pytest.mark.asyncio
async def test_unsaved_finding_is_published_located_and_cleared(
    client: LanguageClient, root: Path
) -> None:
    uri = open_chapter(client, root, text_with("Alfa disease is common"))
    found = await published(client, uri, lambda f: "T101" in codes(f))
    t101 = next(d for d in found if d.code == "T101")
    assert t101.range == types.Range(start=at(REJECTED_LINE, 2), end=at(REJECTED_LINE, 6))
    assert t101.severity == types.DiagnosticSeverity.Error
    assert t101.source == "monograph"
    assert "alpha disease" in t101.message
    assert "Alfa" not in (root / CHAPTER).read_text("utf-8")  # never written to disk
    assert not (root / ".monograph-cache").exists()  # no chapter cache read or written

    change(client, uri, text_with("Alpha disease is common"))
    assert await published(client, uri, lambda f: "T101" not in codes(f)) == []


@pytest.mark.asyncio
async def test_columns_are_utf16_code_units(client: LanguageClient, root: Path) -> None:
    uri = open_chapter(client, root, text_with("𝐀 and Alfa disease"))
    found = await published(client, uri, lambda f: "T101" in codes(f))
    t101 = next(d for d in found if d.code == "T101")
    # '- ' (2) + '𝐀' (2 UTF-16 units, one code point) + ' and ' (5)
    assert t101.range.start == at(REJECTED_LINE, 9)


@pytest.mark.asyncio
async def test_registry_change_republishes_the_open_chapter(
    client: LanguageClient, root: Path
) -> None:
    uri = open_chapter(client, root, text_with("Alfa disease is common"))
    await published(client, uri, lambda f: "T101" in codes(f))
    registry = root / "terminology.yaml"
    registry.write_text(TERMINOLOGY, encoding="utf-8")  # 'alfa disease' no longer rejected
    identifier = types.TextDocumentIdentifier(uri=registry.as_uri())
    client.text_document_did_save(types.DidSaveTextDocumentParams(text_document=identifier))
    assert "T101" not in codes(await published(client, uri, lambda f: "T101" not in codes(f)))


@pytest.mark.asyncio
async def test_code_actions_fix_and_suppress(client: LanguageClient, root: Path) -> None:
    uri = open_chapter(client, root, text_with("Alfa disease is common"))
    found = await published(client, uri, lambda f: "T101" in codes(f))
    params = types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        range=types.Range(start=at(REJECTED_LINE, 0), end=at(REJECTED_LINE, 0)),
        context=types.CodeActionContext(diagnostics=found),
    )
    actions = await client.text_document_code_action_async(params)
    assert actions is not None
    edits = {
        a.title: list(a.edit.changes[uri])
        for a in actions
        if isinstance(a, types.CodeAction) and a.edit and a.edit.changes
    }
    fix = edits["T101: replace 'Alfa disease' with 'Alpha disease'"]
    assert fix == [
        types.TextEdit(
            range=types.Range(start=at(REJECTED_LINE, 2), end=at(REJECTED_LINE, 14)),
            new_text="Alpha disease",
        )
    ]
    assert edits["Suppress T101 here"] == [
        types.TextEdit(
            range=types.Range(start=at(REJECTED_LINE, 0), end=at(REJECTED_LINE, 0)),
            new_text="<!-- lint: disable-next-line T101 -- reason -->\n",
        )
    ]


@pytest.mark.asyncio
async def test_hover_on_a_term_and_a_figure(client: LanguageClient, root: Path) -> None:
    uri = open_chapter(client, root, text_with("Alpha disease is common"))
    await published(client, uri, lambda f: True)
    document = types.TextDocumentIdentifier(uri=uri)
    term = await client.text_document_hover_async(
        types.HoverParams(text_document=document, position=at(REJECTED_LINE, 5))
    )
    assert term is not None and isinstance(term.contents, types.MarkupContent)
    assert "preferred term" in term.contents.value
    assert "alpha-concept" in term.contents.value
    figure = await client.text_document_hover_async(  # '- A finding ... (@fig-one)', line 21
        types.HoverParams(text_document=document, position=at(21, 42))
    )
    assert figure is not None and isinstance(figure.contents, types.MarkupContent)
    assert "Alt text: Sagittal image of the lumbar spine." in figure.contents.value


@pytest.mark.asyncio
async def test_definition_of_figure_and_citation(client: LanguageClient, root: Path) -> None:
    uri = open_chapter(client, root, text_with("Alpha disease is common"))
    await published(client, uri, lambda f: True)
    document = types.TextDocumentIdentifier(uri=uri)
    figure = await client.text_document_definition_async(
        types.DefinitionParams(text_document=document, position=at(21, 42))
    )
    citation = await client.text_document_definition_async(
        types.DefinitionParams(text_document=document, position=at(21, 28))
    )
    assert isinstance(figure, types.Location) and isinstance(citation, types.Location)
    assert (figure.uri, figure.range.start.line) == (uri, 6)  # '  - id: fig-one'
    assert (citation.uri, citation.range.start.line) == (uri, 10)  # '  - key: doe2020'


@pytest.mark.asyncio
async def test_completion_of_figure_ids(client: LanguageClient, root: Path) -> None:
    uri = open_chapter(client, root, text_with("Alpha disease is common"))
    await published(client, uri, lambda f: True)
    change(client, uri, text_with("See @fig-"))
    await asyncio.sleep(0.5)  # the completion reads the buffer; the model is the last check's
    params = types.CompletionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=at(REJECTED_LINE, 11)
    )
    found = await client.text_document_completion_async(params)
    items = found.items if isinstance(found, types.CompletionList) else found or []
    assert [(i.label, i.text_edit) for i in items] == [
        (
            "fig-one",
            types.TextEdit(
                range=types.Range(start=at(REJECTED_LINE, 7), end=at(REJECTED_LINE, 11)),
                new_text="fig-one",
            ),
        )
    ]


@pytest.mark.asyncio
async def test_hostile_chapter_gives_located_findings_and_server_answers(
    client: LanguageClient, root: Path
) -> None:
    nested = "".join("  " * depth + "- deeper\n" for depth in range(200))
    odd = "\u202e\u200b\ufeff𝐀" * 2000 + "\n"
    uri = open_chapter(client, root, chapter(FRONT, BODY + nested + "- " + odd + "x" * 50_000))
    found = await published(client, uri, lambda f: bool(f))
    lines = 16 + BODY.count("\n") + 200 + 1
    assert all(d.source == "monograph" and d.code for d in found)
    assert all(0 <= d.range.start.line <= lines for d in found)
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=at(30, 3))
    )
    assert hover is None or isinstance(hover.contents, types.MarkupContent)
    change(client, uri, text_with("Alfa disease is common"))
    assert "T101" in codes(await published(client, uri, lambda f: "T101" in codes(f)))


async def hover_text(client: LanguageClient, uri: str, where: types.Position) -> str:
    """The Markdown the server shows on hover at ``where`` ("" for none)."""
    document = types.TextDocumentIdentifier(uri=uri)
    found = await client.text_document_hover_async(
        types.HoverParams(text_document=document, position=where)
    )
    if found is None:
        return ""
    assert isinstance(found.contents, types.MarkupContent)
    return found.contents.value


@pytest.mark.asyncio
async def test_hover_on_a_citation_an_abbreviation_and_a_finding(
    client: LanguageClient, root: Path
) -> None:
    uri = open_chapter(client, root, text_with("Alfa disease on CT"))
    await published(client, uri, lambda f: "T101" in codes(f))
    assert "A study of the spine" in await hover_text(client, uri, at(21, 28))
    abbreviation = await hover_text(client, uri, at(REJECTED_LINE, 18))
    assert "computed tomography" in abbreviation and "house-standard" in abbreviation
    rejected = await hover_text(client, uri, at(REJECTED_LINE, 3))
    assert "rejected: write 'alpha disease'" in rejected
    assert "T101 rejected-variant" in rejected  # the explanation of the finding there


@pytest.mark.asyncio
async def test_definition_of_a_term_is_its_concept_in_the_registry(
    client: LanguageClient, root: Path
) -> None:
    uri = open_chapter(client, root, text_with("Alpha disease is common"))
    await published(client, uri, lambda f: True)
    found = await client.text_document_definition_async(
        types.DefinitionParams(
            text_document=types.TextDocumentIdentifier(uri=uri), position=at(REJECTED_LINE, 4)
        )
    )
    assert isinstance(found, types.Location)
    assert (found.uri, found.range.start.line) == ((root / "terminology.yaml").as_uri(), 1)


async def labels(client: LanguageClient, uri: str, where: types.Position) -> list[str]:
    params = types.CompletionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=where
    )
    found = await client.text_document_completion_async(params)
    items = found.items if isinstance(found, types.CompletionList) else found or []
    return [item.label for item in items]


@pytest.mark.asyncio
async def test_completion_of_keys_markers_and_differentials(
    client: LanguageClient, root: Path
) -> None:
    uri = open_chapter(client, root, text_with("Alpha disease is common"))
    await published(client, uri, lambda f: True)
    change(client, uri, text_with("See [@"))
    assert await labels(client, uri, at(REJECTED_LINE, 8)) == ["doe2020"]
    change(client, uri, text_with("Arrow {"), version=3)
    assert "arrow" in await labels(client, uri, at(REJECTED_LINE, 9))
    change(client, uri, text_with("x") + "\n# Differential Diagnosis\n\n## ", version=4)
    assert await labels(client, uri, at(REJECTED_LINE + 4, 3)) == ["alpha disease"]


@pytest.mark.asyncio
async def test_completion_of_the_skeletons_headings_and_labels(
    client: LanguageClient, root: Path
) -> None:
    uri = open_chapter(client, root, text_with("Alpha disease is common"))
    await published(client, uri, lambda f: True)
    tail = "\n# Imaging\n\n## \n"
    change(client, uri, text_with("x") + tail, version=2)
    found = await labels(client, uri, at(REJECTED_LINE + 4, 3))
    assert found[:3] == ["General Features", "Radiographic Findings", "CT Findings"]
    tail = "\n# Imaging\n\n## MR Findings\n\n- **T\n"
    change(client, uri, text_with("x") + tail, version=3)
    found = await labels(client, uri, at(REJECTED_LINE + 6, 5))
    assert "T1WI" in found and "STIR" in found and "Best diagnostic clue" not in found
    change(client, uri, text_with("x") + "\n# \n", version=4)
    found = await labels(client, uri, at(REJECTED_LINE + 2, 2))
    assert found[:2] == ["Key Facts", "Terminology"]


@pytest.mark.asyncio
async def test_closing_a_chapter_brings_back_the_file_on_disk(
    client: LanguageClient, root: Path
) -> None:
    uri = open_chapter(client, root, text_with("Alfa disease is common"))
    await published(client, uri, lambda f: "T101" in codes(f))
    document = types.TextDocumentIdentifier(uri=uri)
    client.text_document_did_close(types.DidCloseTextDocumentParams(text_document=document))
    assert await published(client, uri, lambda f: "T101" not in codes(f)) == []


@pytest.mark.asyncio
async def test_a_tree_without_book_yaml_is_said_once_and_requests_still_answer(
    client: LanguageClient, root: Path
) -> None:
    (root / "book.yaml").unlink()
    uri = open_chapter(client, root, text_with("Alpha disease is common"))
    await asyncio.wait_for(client.wait_for_notification(types.WINDOW_SHOW_MESSAGE), 20)
    assert [m.message for m in client.messages] == [
        f"monograph: '{root.resolve()}' has no book.yaml; is it a monograph source directory?"
    ]
    assert await hover_text(client, uri, at(21, 42)) == ""  # no model yet: nothing to show
    change(client, uri, text_with("Alpha disease is rare"))
    await asyncio.sleep(1)
    assert len(client.messages) == 1


def test_a_failing_request_is_logged_without_its_text(caplog: pytest.LogCaptureFixture) -> None:
    from pipeline.editor.lsp import guarded

    @guarded
    def handler(text: str) -> str:
        raise ValueError(f"cannot read {text}")

    with caplog.at_level("ERROR", logger="monograph.lsp"):
        assert handler("patient Jane Roe") is None
    assert "handler failed with ValueError" in caplog.text
    assert "Jane Roe" not in caplog.text


@pytest.mark.asyncio
async def test_unsaved_registry_republishes_and_front_matter_suppression_is_file_wide(
    client: LanguageClient, root: Path
) -> None:
    front = FRONT.replace("{arrow}.", "{arrow}, alfa disease.")  # in the caption, line 9
    uri = open_chapter(client, root, chapter(front, BODY))
    found = await published(client, uri, lambda f: "T101" in codes(f))
    params = types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        range=types.Range(start=at(8, 0), end=at(8, 0)),
        context=types.CodeActionContext(diagnostics=found),
    )
    actions = await client.text_document_code_action_async(params) or []
    suppress = [a for a in actions if isinstance(a, types.CodeAction) and "Suppress" in a.title]
    assert [a.title for a in suppress] == ["Suppress T101 in this file"]
    assert suppress[0].edit is not None and suppress[0].edit.changes is not None
    assert list(suppress[0].edit.changes[uri]) == [
        types.TextEdit(
            range=types.Range(start=at(16, 0), end=at(16, 0)),
            new_text="<!-- lint: disable-file T101 -- reason -->\n",
        )
    ]
    registry = root / "terminology.yaml"  # opened with the rejection taken out, not saved
    item = types.TextDocumentItem(
        uri=registry.as_uri(), language_id="yaml", version=1, text=TERMINOLOGY
    )
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=item))
    assert await published(client, uri, lambda f: "T101" not in codes(f)) == []
    assert registry.read_text("utf-8") == REGISTRY


def test_a_chapter_is_checked_again_only_when_what_it_depends_on_changed(root: Path) -> None:
    from pipeline.editor.lsp_check import Checker, lint_config

    checker = Checker(root, lint_config(root))
    on_disk = checker.check({}).chapters[CHAPTER]
    assert checker.check({}).chapters[CHAPTER] is on_disk  # kept: nothing changed
    edited = {CHAPTER: text_with("Alfa disease is common")}
    first = checker.check(edited)
    assert first.chapters[CHAPTER] is not on_disk
    assert [d.code for d in first.diagnostics[CHAPTER]] == ["T101"]
    assert checker.check(edited).chapters[CHAPTER] is first.chapters[CHAPTER]
    (root / "terminology.yaml").write_text(TERMINOLOGY, encoding="utf-8")
    again = checker.check(edited)  # the registry changed: checked again, T101 gone
    assert again.chapters[CHAPTER] is not first.chapters[CHAPTER]
    assert CHAPTER not in again.diagnostics


@pytest.mark.asyncio
async def test_a_tree_opened_through_a_link_is_answered_at_the_editors_uri(
    tmp_path: Path, root: Path
) -> None:
    linked = tmp_path / "linked"
    linked.symlink_to(root, target_is_directory=True)
    client = await started(linked)
    try:
        uri = open_chapter(client, linked, text_with("Alfa disease is common"))
        assert "T101" in codes(await published(client, uri, lambda f: "T101" in codes(f)))
    finally:
        await client.shutdown_session()
