"""The ``monograph`` command: parse arguments, run a stage, print findings, set the exit code.

Exit status: 0 no errors (warnings allowed), 1 errors found, 2 usage error or unreadable source,
3 an internal error (a bug: please report it with the input that caused it).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import NoReturn

from pipeline import __version__, tune_gc
from pipeline.catalogue import catalogue, explanation, rules_markdown, rules_text
from pipeline.diagnostics import FORMATTERS, Diagnostic, finding, has_errors, ordered, summary
from pipeline.lint import ConfigError, LintConfig, fixer, load_config
from pipeline.model.schema import KINDS, source_schema
from pipeline.model.span import Span
from pipeline.orchestrate.check import CACHE_DIR, Checked, check_source
from pipeline.orchestrate.jobs import available_formats
from pipeline.orchestrate.limits import (
    OverBudget,
    memory_budget,
    memory_budget_bytes,
    out_of_memory,
    paused,
    release_memory,
)
from pipeline.orchestrate.outputs import OutputError
from pipeline.read.files import Rewrite, rewrite_source, source_text
from pipeline.render.stamp import StampError
from pipeline.validate.source import SourceError

EXIT_OK, EXIT_ERRORS, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 3


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="monograph", description=__doc__.split("\n")[0])
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--source", default="source", metavar="DIR", help="the source tree (default: source)"
    )
    checking = argparse.ArgumentParser(add_help=False)
    checking.add_argument(
        "--no-cache", dest="cache", action="store_false",
        help=f"check every chapter again; neither read nor write SOURCE/{CACHE_DIR}",
    )  # fmt: skip
    checking.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 1, metavar="N",
        help="check chapters, and render them, in N processes (default: the machine's cores)",
    )  # fmt: skip
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    validate = commands.add_parser(
        "validate", parents=[common, checking], help="check the source against the format"
    )
    validate.add_argument("--format", choices=sorted(FORMATTERS), default="text")
    lint = commands.add_parser(
        "lint", parents=[common, checking], help="validate, then check terminology and style"
    )
    lint.add_argument("--format", choices=sorted(FORMATTERS), default="text")
    lint.add_argument("--fix", action="store_true", help="apply the safe fixes to the files")
    lint.add_argument("--diff", action="store_true", help="show what --fix would change")
    schema = commands.add_parser(
        "schema", parents=[common], help="print the JSON Schema of the source files"
    )
    schema.add_argument("--for", dest="kind", choices=[*KINDS, "all"], default="all")
    rules = commands.add_parser("rules", parents=[common], help="print the lint rule catalogue")
    rules.add_argument("--format", choices=["text", "markdown"], default="text")
    explain = commands.add_parser("explain", parents=[common], help="explain a diagnostic code")
    explain.add_argument("code", type=str.upper)
    commands.add_parser("codes", parents=[common], help="list every diagnostic code")
    build = commands.add_parser(
        "build", parents=[common, checking], help="validate and lint, then write the outputs"
    )
    build.add_argument("--out", default="outputs", metavar="DIR", help="default: outputs")
    build.add_argument(
        "--only", type=_formats, default=",".join(available_formats()),
        metavar="pdf,epub,json,anki",
        help=f"the formats to build (default: {','.join(available_formats())})",
    )  # fmt: skip
    build.add_argument("--paper", choices=["a4", "letter"], default="a4", help="PDF paper size")
    build.add_argument(
        "--drafts", choices=["include", "exclude"], default="include",
        help="draft chapters in the study deck: include (tagged, DRAFT on the card) or exclude",
    )  # fmt: skip
    build.add_argument(
        "--explain", action="store_true", help="say why each artifact was rebuilt or reused"
    )
    build.add_argument("--format", choices=sorted(FORMATTERS), default="text")
    deck = commands.add_parser(
        "deck", parents=[common, checking], help="list the study deck's notes and cards as text"
    )
    deck.add_argument("--drafts", choices=["include", "exclude"], default="include")
    deck.add_argument("--cards", action="store_true", help="print every card, front and back")
    deck.add_argument("--format", choices=["text"], default="text", help=argparse.SUPPRESS)
    commands.add_parser(
        "lsp", parents=[common], help="serve editors over stdio (Language Server Protocol)"
    )
    preview = commands.add_parser(
        "preview", parents=[common], help="show a chapter and its findings in a browser"
    )
    preview.add_argument("chapter", nargs="?", help="a chapter id (default: the book's list)")
    preview.add_argument(
        "--host", default="127.0.0.1",
        help="the interface to listen on (default 127.0.0.1: this machine only)",
    )  # fmt: skip
    preview.add_argument("--port", type=int, default=8000, help="default 8000; 0: any free")
    return parser


def run() -> NoReturn:
    """The ``monograph`` command: ``main``, then end the process at once.

    By then everything is written and closed (outputs, the chapter cache) and every worker
    process joined; what is left is the interpreter's teardown, which frees each object and
    module one by one: 0.2 s after a lint of 1,000 chapters, a fifth of the whole run
    (measured with ``/usr/bin/time``). The streams are flushed and the process ends.
    """
    status = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):  # the reader left, or a stream was closed
        status = status or EXIT_ERRORS
    os._exit(status)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    tune_gc()
    args = _parser().parse_args(argv)
    with _sigterm_stops() as stopped:
        return _main(args, stopped)


def _main(args: argparse.Namespace, stopped: list[int]) -> int:
    try:
        with memory_budget(memory_budget_bytes(os.environ)):
            return _run(args)
    except KeyboardInterrupt:  # Ctrl-C, or SIGTERM through _stop_on_sigterm
        signal_name = "SIGTERM" if stopped else "Ctrl-C"
        print(f"monograph: stopped by {signal_name}; the output folder holds the previous build "
              "or, if the commit had begun, the new one", file=sys.stderr)  # fmt: skip
        return 128 + (signal.SIGTERM if stopped else signal.SIGINT)
    except (SourceError, ConfigError, OutputError) as err:
        print(f"monograph: {err}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # the reader stopped reading (| head): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_ERRORS
    except OSError as err:  # the machine, not the source: a full disk, a permission
        print(f"monograph: {err}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as err:  # a bug: say so in one line instead of a traceback
        print(
            f"monograph: internal error ({type(err).__name__}: {err}); "
            "please report it with the input that caused it",
            file=sys.stderr,
        )
        return EXIT_BUG
    except OverBudget as over:  # reading, checking or linting a source too large for it
        budget = over.budget
    return _out_of_memory(args, budget)  # here, where the traceback holds nothing any more


@contextmanager
def _sigterm_stops() -> Iterator[list[int]]:
    """While the command runs, SIGTERM stops it as Ctrl-C does: cleanly, no traceback.

    CI cancels a job with SIGTERM. Yields the list a SIGTERM is recorded in, to tell the two
    apart in the exit status. A render worker forked from the command inherits the handler,
    and the process pool stops its workers with SIGTERM, possibly before a worker has set
    anything up: there the handler gives the signal its default action, ending the worker
    quietly.
    """
    received: list[int] = []
    command = os.getpid()

    def stop(number: int, _frame: object) -> None:
        if os.getpid() != command:  # a forked worker: end as SIGTERM ends any process
            signal.signal(number, signal.SIG_DFL)
            os.kill(os.getpid(), number)
            return
        received.append(number)
        raise KeyboardInterrupt

    if threading.current_thread() is not threading.main_thread():
        yield received
        return
    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield received
    finally:
        signal.signal(signal.SIGTERM, previous)


def _out_of_memory(args: argparse.Namespace, budget: int) -> int:
    """P110 at book.yaml for a source too large to read and check within the memory budget.

    The hint names the largest chapter files.
    """
    release_memory()
    root = Path(args.source)
    sizes = sorted(((p.stat().st_size, p.name) for p in root.glob("chapters/*.md")), reverse=True)
    largest = ", ".join(f"{name} ({size:,} bytes)" for size, name in sizes[:3])
    hint = None
    if largest:
        hint = (f"The largest chapters are {largest}: split them, or give the build more memory "
                "with MONOGRAPH_MEMORY_MIB (default 1024) on a machine that has it.")  # fmt: skip
    return _report([out_of_memory(None, None, budget, hint)], args.source, args.format)


def _run(args: argparse.Namespace) -> int:
    if args.command == "schema":
        print(json.dumps(source_schema(args.kind), indent=2, ensure_ascii=False))
        return EXIT_OK
    if args.command == "explain":
        return _explain(args.code)
    if args.command == "rules":
        print(rules_markdown() if args.format == "markdown" else rules_text(), end="")
        return EXIT_OK
    if args.command == "codes":
        for info in catalogue().values():
            print(f"{info.code}  {info.name:<30} {info.severity:<8} {info.summary}")
        return EXIT_OK
    if args.command == "lint":
        return _lint(args)
    if args.command == "build":
        return _build(args)
    if args.command == "deck":
        return _deck(args)
    if args.command == "lsp":
        from pipeline.editor.lsp import serve  # the servers' imports only when asked for

        return serve(Path(args.source))
    if args.command == "preview":
        from pipeline.editor.preview import serve as preview

        return preview(Path(args.source), args.chapter, args.host, args.port)
    checked = _check(args, _config(Path(args.source)))
    return _report(checked.validation, args.source, args.format)


def _deck(args: argparse.Namespace) -> int:
    """What the study deck holds, counted by kind; ``--cards``: each card; bullets not asked."""
    from pipeline.render.study import KINDS, cards_as_text, study_deck

    checked = _check(args, _config(Path(args.source)))
    if not checked.valid or has_errors(checked.diagnostics):
        return _report(checked.diagnostics, args.source, "text")
    deck = study_deck(checked.book(), args.drafts)
    cards = {note.guid: cards_as_text(note) for note in deck.notes}
    for kind in KINDS:
        notes = [note for note in deck.notes if note.kind == kind]
        count = sum(len(cards[note.guid]) for note in notes)
        print(f"{kind:<14} {len(notes):>4} notes {count:>4} cards")
        shown = [card for note in notes for card in cards[note.guid]] if args.cards else []
        for front, back in shown:
            print(f"  Q: {front}\n  A: {back}")
    for where in deck.unasked:
        print(f"{where}: a Key Facts bullet with no label, registered term or number: no card")
    return EXIT_OK


def _report(diagnostics: list[Diagnostic], source: str, fmt: str) -> int:
    output = FORMATTERS[fmt](diagnostics, source, catalogue())
    if fmt in ("json", "sarif") or output:
        print(output)
    if fmt == "text":
        print(f"{source}: {summary(diagnostics)}", file=sys.stderr)
    return EXIT_ERRORS if has_errors(diagnostics) else EXIT_OK


def _check(args: argparse.Namespace, config: LintConfig) -> Checked:
    """The source checked, and what the chapter cache had to say, said."""
    budget = memory_budget_bytes(os.environ)
    root = Path(args.source)
    checked = check_source(root, config, cache=args.cache, jobs=max(args.jobs, 1), budget=budget)
    for note in checked.notes:
        print(f"monograph: {note}", file=sys.stderr)
    return checked


def _config(root: Path) -> LintConfig:
    """The lint configuration; ``validate`` does not lint, so a broken one is no error there."""
    try:
        return load_config(_pyproject(root))
    except ConfigError:
        return LintConfig()


def _lint(args: argparse.Namespace) -> int:
    root = Path(args.source)
    config = load_config(_pyproject(root))
    checked = _check(args, config)
    found = checked.diagnostics
    if not checked.valid:
        print(f"{args.source}: lint needs a valid source; fix these first", file=sys.stderr)
        return _report(checked.validation, args.source, args.format)
    if args.fix or args.diff:
        changes = fixer.plan(partial(source_text, root), found)
        if args.diff:
            sys.stdout.write(fixer.diff(args.source, changes))
            return EXIT_ERRORS if has_errors(found) else EXIT_OK
        with paused():  # a file begun is written whole
            outcomes = {c.path: rewrite_source(root, c.path, c.before, c.after) for c in changes}
        done = [c for c in changes if outcomes[c.path] == "written"]
        count = sum(change.count for change in done)
        print(f"{args.source}: {count} fixes applied in {len(done)} files", file=sys.stderr)
        found = ordered([*_check(args, config).diagnostics, *_unfixed(outcomes)])
    return _report(found, args.source, args.format)


def _unfixed(outcomes: dict[str, Rewrite]) -> list[Diagnostic]:
    """A finding for each file ``--fix`` left alone: read-only, or changed while it ran."""
    messages = {
        "read-only": ("W101", "is read-only; its fixes were not applied"),
        "changed": ("W102", "changed while --fix ran; its fixes were not applied"),
    }
    return [
        finding(messages[outcome][0], Span(path=path, line=1), f"'{path}' {messages[outcome][1]}")
        for path, outcome in sorted(outcomes.items())
        if outcome in messages
    ]


def _formats(text: str) -> tuple[str, ...]:
    chosen = tuple(part.strip() for part in text.split(",") if part.strip())
    unknown = [f for f in chosen if f not in available_formats()]
    if unknown or not chosen:
        known = ", ".join(available_formats())
        raise argparse.ArgumentTypeError(f"choose from {known}, comma-separated")
    return chosen


def _build(args: argparse.Namespace) -> int:
    from pipeline.orchestrate.progress import BuildProgress  # here: only a build needs them
    from pipeline.orchestrate.runner import Options, run_build

    root = Path(args.source)
    if not root.is_dir():
        raise SourceError(f"source directory '{root}' does not exist")
    options = Options(
        source=root, out=Path(args.out), formats=args.only, jobs=max(args.jobs, 1),
        paper=args.paper, drafts=args.drafts, explain=args.explain,
        lint=load_config(_pyproject(root)),
        cache=args.cache,
    )  # fmt: skip
    try:
        with BuildProgress() as reporter:
            outcome = run_build(options, reporter)
            timing = reporter.summary()
    except StampError as err:
        print(f"monograph: {err}", file=sys.stderr)
        return EXIT_USAGE
    for note in outcome.notes:
        print(f"monograph: {note}", file=sys.stderr)
    if args.explain:
        print("\n".join(outcome.explanations), file=sys.stderr)
    if has_errors(outcome.diagnostics) and not outcome.built and not outcome.rendered:
        print(f"{args.source}: nothing built; fix the errors first", file=sys.stderr)
    else:
        counts = f"{len(outcome.built)} written, {len(outcome.reused)} reused"
        removed = f", {len(outcome.removed)} removed" if outcome.removed else ""
        print(f"{args.out}: {counts}{removed}", file=sys.stderr)
    print(f"time: {timing}", file=sys.stderr)
    return _report(outcome.diagnostics, args.source, args.format)


def _pyproject(root: Path) -> Path:
    """The pyproject.toml beside the source tree, or in the working directory."""
    beside = root.resolve().parent / "pyproject.toml"
    return beside if beside.is_file() else Path("pyproject.toml")


def _explain(code: str) -> int:
    text = explanation(code)
    if text is None:
        print(f"monograph: unknown code '{code}'; 'monograph codes' lists them", file=sys.stderr)
        return EXIT_USAGE
    print(text)
    return EXIT_OK
