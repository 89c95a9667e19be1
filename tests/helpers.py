"""The one way the tests run the ``monograph`` command line and build a source tree.

``monograph`` runs the command as editors and CI do, in a new process (``module=STUB`` runs
it with stand-in renderers); ``monograph_in_process`` runs it in this process, for speed or
for a fault injected into this process, with the same arguments first and the same result.
``build`` builds a source tree either way and reads back the findings and the manifest.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

from pipeline import cli
from pipeline.diagnostics import Diagnostic, format_json, has_errors
from pipeline.lint import LintConfig
from pipeline.lint.registry import RULES
from pipeline.orchestrate.jobs import Paper
from pipeline.orchestrate.progress import BuildProgress
from pipeline.orchestrate.runner import Options, run_build

REPO = Path(__file__).resolve().parent.parent
SOURCE = REPO / "source"
EPOCH = "1767225600"  # 2026-01-01T00:00:00Z
"""The SOURCE_DATE_EPOCH a build gets unless the test asks for none."""
STUB = "tests.orchestrate.stub_monograph"
"""``monograph`` with stand-in PDF and EPUB renderers: for what is rebuilt, not what is drawn."""
_NO_LINT = LintConfig(ignore=tuple(sorted({rule.code[0] for rule in RULES})))
"""Every rule family ignored (``build(lint=False)``): lint stops a build at an error."""

Environment = Mapping[str, str | None]
"""Variables to set over this process's environment; None unsets one."""
Run = subprocess.CompletedProcess[str]
"""A finished command: its arguments, exit status, stdout and stderr."""


def seed_copy(tmp_path: Path) -> Path:
    """A copy of the seed source tree at ``tmp_path/source``."""
    root = tmp_path / "source"
    shutil.copytree(SOURCE, root)
    return root


def edit(path: Path, old: str, new: str, count: int = -1) -> None:
    """Replace ``old`` by ``new`` in the file ``path`` (``count`` times; all by default)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def command(*args: str, module: str = "pipeline") -> list[str]:
    """The argument vector of ``python -m MODULE ARGS`` (for a test that starts it itself)."""
    return [sys.executable, "-m", module, *args]


def environment(env: Environment | None = None) -> dict[str, str]:
    """This process's environment with ``env`` laid over it."""
    unset = {name for name, value in (env or {}).items() if value is None}
    return {n: v for n, v in os.environ.items() if n not in unset} | _set(env or {})


def monograph(
    *args: str, cwd: Path = REPO, env: Environment | None = None, timeout: float = 600,
    module: str = "pipeline",
) -> Run:  # fmt: skip
    """Run ``python -m MODULE ARGS`` in a new process: its exit status, stdout and stderr."""
    return subprocess.run(
        command(*args, module=module),
        cwd=cwd,
        env=environment(env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def monograph_in_process(*args: str) -> Run:
    """Run ``monograph ARGS`` by ``cli.main`` in this process; the result as ``monograph``'s."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        status = cli.main(list(args))
    return subprocess.CompletedProcess(["monograph", *args], status, out.getvalue(), err.getvalue())


@dataclass(frozen=True)
class Artifact:
    """A file a build wrote, as its manifest lists it."""

    path: Path
    product: str
    pages: int | None


@dataclass(frozen=True)
class BuildResult:
    """One build of ``source`` into ``out``: how the run ended, its findings, its artifacts.

    ``run`` is the command's exit status, stdout (the findings as ``--format json`` prints
    them) and stderr; a build in process has the status the command gives for its findings
    and its progress lines as stderr. ``artifacts`` are what the manifest in ``out`` lists
    after the run, in its order (none without a manifest).
    """

    source: Path
    out: Path
    run: Run
    diagnostics: list[Diagnostic]
    artifacts: list[Artifact]


def build(
    source: Path, out: Path, *extra: str, formats: Sequence[str] | None = None,
    epoch: str | None = EPOCH, paper: Paper = "a4", jobs: int | None = None, lint: bool = True,
    env: Environment | None = None, module: str = "pipeline", in_process: bool = False,
    check: bool = False,
) -> BuildResult:  # fmt: skip
    """Build ``source`` into ``out``; give the run, its findings and the manifest's artifacts.

    By default ``python -m MODULE build`` runs in a new process, with the ``extra`` arguments
    and ``env`` over this process's environment. ``in_process`` builds in this process instead,
    with ``env`` as the whole build environment (and no extra arguments or other module).
    ``formats`` or ``jobs`` None leave the default (in process: every format, one job);
    ``epoch`` None builds without SOURCE_DATE_EPOCH; ``lint=False`` (in process only) ignores
    every rule; ``check`` fails unless the build exits with 0.
    """
    environ = {**(env or {}), "SOURCE_DATE_EPOCH": epoch}
    if in_process:
        if extra or module != "pipeline":
            raise ValueError("a build in process takes no command-line arguments or module")
        options = Options(
            source, out, formats=Options.formats if formats is None else tuple(formats),
            jobs=Options.jobs if jobs is None else jobs, paper=paper,
            lint=LintConfig() if lint else _NO_LINT, environ=_set(environ),
        )  # fmt: skip
        run, found = _build_in_process(options)
    else:
        if not lint:
            raise ValueError("the command reads its lint settings from pyproject.toml")
        args = ["--source", str(source), "--out", str(out), "--paper", paper, *extra]
        args += ["--only", ",".join(formats)] if formats is not None else []
        args += ["--jobs", str(jobs)] if jobs is not None else []
        run = monograph("build", *args, "--format", "json", env=environ, module=module)
        found = _findings(run.stdout, source)
    if check and run.returncode != 0:
        raise AssertionError(f"build failed ({run.returncode}):\n{run.stdout}{run.stderr}")
    return BuildResult(source, out, run, found, _artifacts(out))


def _set(env: Environment) -> dict[str, str]:
    """The variables of ``env`` that are set."""
    return {name: value for name, value in env.items() if value is not None}


def _build_in_process(options: Options) -> tuple[Run, list[Diagnostic]]:
    """Build as ``monograph build --format json`` does, without the command line."""
    progress = io.StringIO()
    with BuildProgress(progress) as reporter:
        found = run_build(options, reporter).diagnostics
    status = cli.EXIT_ERRORS if has_errors(found) else cli.EXIT_OK
    printed = format_json(found, str(options.source), {}) + "\n"
    return subprocess.CompletedProcess(["build"], status, printed, progress.getvalue()), found


def _findings(stdout: str, source: Path) -> list[Diagnostic]:
    """The findings a ``--format json`` run printed, their paths inside ``source`` again."""
    if not stdout.lstrip().startswith("["):
        return []
    root = f"{str(source).rstrip('/')}/"
    records = json.loads(stdout)
    return [Diagnostic.from_record({**r, "path": r["path"].removeprefix(root)}) for r in records]


def _artifacts(out: Path) -> list[Artifact]:
    """What the manifest in ``out`` lists, in its order; none when there is no manifest."""
    manifest = out / "manifest.json"
    if not manifest.is_file():
        return []
    listed = json.loads(manifest.read_text(encoding="utf-8"))["artifacts"]
    return [Artifact(out / a["path"], a["product"], a.get("pages")) for a in listed]
