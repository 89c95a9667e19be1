"""The ``monograph`` command: parse arguments, run a stage, print findings, set the exit code.

Exit status: 0 no errors (warnings allowed), 1 errors found, 2 usage error or unreadable source,
3 an internal error (a bug: please report it with the input that caused it).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from pipeline import __version__
from pipeline.codes import CODES
from pipeline.diagnostics import FORMATTERS, summary
from pipeline.schema import KINDS, source_schema
from pipeline.validate import validate_source
from pipeline.validate.source import SourceError

EXIT_OK, EXIT_ERRORS, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 3


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="monograph", description=__doc__.split("\n")[0])
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--source", default="source", metavar="DIR", help="the source tree (default: source)"
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    validate = commands.add_parser(
        "validate", parents=[common], help="check the source against the format"
    )
    validate.add_argument("--format", choices=sorted(FORMATTERS), default="text")
    schema = commands.add_parser(
        "schema", parents=[common], help="print the JSON Schema of the source files"
    )
    schema.add_argument("--for", dest="kind", choices=[*KINDS, "all"], default="all")
    explain = commands.add_parser("explain", parents=[common], help="explain a diagnostic code")
    explain.add_argument("code", type=str.upper)
    commands.add_parser("codes", parents=[common], help="list every diagnostic code")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except SourceError as err:
        print(f"monograph: {err}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as err:  # a bug: say so in one line instead of a traceback
        print(
            f"monograph: internal error ({type(err).__name__}: {err}); "
            "please report it with the input that caused it",
            file=sys.stderr,
        )
        return EXIT_BUG


def _run(args: argparse.Namespace) -> int:
    if args.command == "schema":
        print(json.dumps(source_schema(args.kind), indent=2, ensure_ascii=False))
        return EXIT_OK
    if args.command == "explain":
        return _explain(args.code)
    if args.command == "codes":
        for code in CODES.values():
            print(f"{code.code}  {code.name:<28} {code.severity:<8} {code.summary}")
        return EXIT_OK
    return _validate(args.source, args.format)


def _validate(source: str, fmt: str) -> int:
    result = validate_source(Path(source))
    output = FORMATTERS[fmt](result.diagnostics, source)
    if fmt == "json" or output:
        print(output)
    if fmt == "text":
        print(f"{source}: {summary(result.diagnostics)}", file=sys.stderr)
    return EXIT_OK if result.ok else EXIT_ERRORS


def _explain(code: str) -> int:
    entry = CODES.get(code)
    if entry is None:
        print(f"monograph: unknown code '{code}'; 'monograph codes' lists them", file=sys.stderr)
        return EXIT_USAGE
    print(
        f"{entry.code} {entry.name} ({entry.severity})\n\n{entry.summary}\n\nWhat to do: "
        f"{entry.hint}"
    )
    return EXIT_OK
