"""Sessions editors and CI run: ``nox -l`` lists them, ``nox -s NAME`` runs one."""

import ctypes
import hashlib
import os
import shutil
from pathlib import Path

import nox
from packaging.requirements import Requirement

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.sessions = ["build", "tests", "check"]
nox.options.reuse_existing_virtualenvs = True

PYPROJECT = nox.project.load_toml("pyproject.toml")
CONSTRAINTS = "requirements/constraints.txt"
"""Every package pinned; sessions install through it so environments are reproducible."""
SYSTEM = Path("requirements/system.txt")
"""The Debian packages outside Python that rendering and the tests need."""
TOOLS = Path("tests/tools")
"""The npm tools the tests run (DAISY Ace), pinned with all they need in its package-lock.json."""


def install(session: nox.Session, *groups: str) -> None:
    """Install the project (and dependency groups) pinned by the constraints file."""
    wanted = [req for group in groups for req in nox.project.dependency_groups(PYPROJECT, group)]
    session.install("-c", CONSTRAINTS, "-e", ".", *wanted)


def _present(probe: str) -> bool:
    kind, _, name = probe.partition(":")
    if kind == "bin":
        return shutil.which(name) is not None
    try:
        ctypes.CDLL(name)
    except OSError:
        return False
    return True


def system_packages(session: nox.Session) -> None:
    """Install the missing packages of requirements/system.txt (as root), or stop saying how."""
    rows = [line.split()[:2] for line in SYSTEM.read_text(encoding="utf-8").splitlines()]
    missing = [package for package, probe in (r for r in rows if r and r[0][0] != "#")
               if not _present(probe)]  # fmt: skip
    if not missing:
        return
    command = ["apt-get", "install", "-y", "-q", "--no-install-recommends", *missing]
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        session.error(f"missing system packages; install them with: sudo {' '.join(command)}")
    session.log("installing missing system packages: %s", " ".join(missing))
    env = {"DEBIAN_FRONTEND": "noninteractive"}
    session.run("apt-get", "update", "-q", external=True, env=env, silent=True)
    session.run(*command, external=True, env=env, silent=True)


def daisy_ace(session: nox.Session) -> dict[str, str]:
    """Install DAISY Ace in the session's virtualenv; the variables that tell the tests.

    ``npm ci`` installs exactly what ``tests/tools/package-lock.json`` pins, Ace's own
    dependencies included, so a new release of one of them cannot change a CI run; it runs
    again only when the lock changes. ``--ignore-scripts``: no Electron or browser download;
    Ace runs on Debian's Chromium.
    """
    folder = Path(session.virtualenv.location) / "ace"
    stamp = folder / "installed-lock.sha256"
    digest = hashlib.sha256((TOOLS / "package-lock.json").read_bytes()).hexdigest()
    if not stamp.is_file() or stamp.read_text(encoding="utf-8") != digest:
        folder.mkdir(parents=True, exist_ok=True)
        for name in ("package.json", "package-lock.json"):
            shutil.copyfile(TOOLS / name, folder / name)
        session.run("npm", "ci", "--prefix", str(folder), "--ignore-scripts", "--no-audit",
                    "--no-fund", external=True, silent=True)  # fmt: skip
        stamp.write_text(digest, encoding="utf-8")
    return {
        "DAISY_ACE": str(folder / "node_modules" / ".bin" / "ace-puppeteer"),
        "PUPPETEER_EXECUTABLE_PATH": shutil.which("chromium") or "chromium",
    }


@nox.session
def build(session: nox.Session) -> None:
    """The main job: validate, lint, then build PDFs, EPUB, JSON and the study deck in outputs/."""
    system_packages(session)
    install(session)
    session.run("monograph", "build", *session.posargs)


@nox.session(default=False)
def epub(session: nox.Session) -> None:
    """Build the EPUB 3 into outputs/epub/."""
    install(session)
    session.run("monograph", "build", "--only", "epub", *session.posargs)


@nox.session(default=False)
def json(session: nox.Session) -> None:
    """Build only the JSON export and its schema into outputs/json/."""
    install(session)
    session.run("monograph", "build", "--only", "json", *session.posargs)


@nox.session(default=False)
def deck(session: nox.Session) -> None:
    """Build only the Anki study deck into outputs/anki/ (--drafts exclude leaves drafts out)."""
    install(session)
    session.run("monograph", "build", "--only", "anki", *session.posargs)


@nox.session(default=False)
def reproducible(session: nox.Session) -> None:
    """Build twice in clean folders under other clocks, TZ and LANG; fail on any byte difference."""
    system_packages(session)
    install(session)
    session.run("python", "-m", "tests.reproducible", *session.posargs)


@nox.session
def validate(session: nox.Session) -> None:
    """Validate source/ against the format; findings print as PATH:LINE:COL: CODE message."""
    install(session)
    session.run("monograph", "validate", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """Validate, then lint terminology and style; pass --fix, --diff or --format sarif."""
    install(session)
    session.run("monograph", "lint", *session.posargs)


@nox.session(default=False)
def pdf(session: nox.Session) -> None:
    """Build the PDF handouts and the book into outputs/pdf/ (--paper letter for US Letter)."""
    system_packages(session)
    install(session)
    session.run("monograph", "build", "--only", "pdf", *session.posargs)


@nox.session
def tests(session: nox.Session) -> None:
    """Run the test suite with pytest on every core (extra arguments go to pytest)."""
    system_packages(session)
    install(session, "test")
    session.run("pytest", "-n", "auto", *session.posargs, env=daisy_ace(session))


@nox.session
def check(session: nox.Session) -> None:
    """Lint and format-check with ruff, type-check pipeline/ with mypy."""
    install(session, "dev")
    session.run("ruff", "check", *session.posargs, ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy")


def lowest_pins(requirements: list[str]) -> list[str]:
    """``name==X`` for every requirement whose lowest allowed version is X (``>=X`` or ``==X``)."""
    pins = []
    for line in requirements:
        requirement = Requirement(line)
        floors = [s.version for s in requirement.specifier if s.operator in (">=", "==")]
        if floors:
            pins.append(f"{requirement.name}=={floors[0]}")
    return pins


@nox.session(default=False)
def lowest(session: nox.Session) -> None:
    """Run the tests on the lowest versions pyproject.toml allows of each direct dependency."""
    system_packages(session)
    direct = [*PYPROJECT["project"]["dependencies"],
              *nox.project.dependency_groups(PYPROJECT, "test")]  # fmt: skip
    pins = Path(session.create_tmp()) / "lowest.txt"
    pins.write_text("\n".join(lowest_pins(direct)) + "\n", encoding="utf-8")
    session.log("lowest allowed: %s", " ".join(lowest_pins(direct)))
    session.install("-c", str(pins), "-e", ".", *nox.project.dependency_groups(PYPROJECT, "test"))
    session.run("pytest", "-n", "auto", *session.posargs, env=daisy_ace(session))


@nox.session(default=False)
def fuzz(session: nox.Session) -> None:
    """Fuzz long: 10,000+ mutated sources and the attacks of docs/security.md.

    The attacks: ids, images, registry patterns, disguised terms, forged lines, the output
    folder; real PDF builds included.
    """
    install(session, "test")
    session.run("pytest", "-q", "tests/fuzz", *session.posargs, env={"FUZZ_PROFILE": "long"})


@nox.session(default=False)
def docs(session: nox.Session) -> None:
    """Regenerate the rule catalogue in docs/terminology.md from the rules' docstrings."""
    install(session)
    session.run("python", "-m", "pipeline.catalogue", "docs/terminology.md")


@nox.session(default=False)
def bench(session: nox.Session) -> None:
    """Time the stages on generated books; writes outputs/bench/results.json (--sizes 1,10)."""
    system_packages(session)
    install(session)
    session.run("python", "-m", "tests.bench.run", *session.posargs)


@nox.session(default=False, venv_backend="virtualenv")
def lock(session: nox.Session) -> None:
    """Re-pin every dependency into requirements/constraints.txt (review the diff)."""
    wanted = [r for g in ("test", "dev") for r in nox.project.dependency_groups(PYPROJECT, g)]
    session.install("-e", ".", *wanted)
    frozen = session.run("pip", "freeze", "--exclude-editable", silent=True)
    header = "# Generated by `nox -s lock` from pyproject.toml; do not edit by hand.\n"
    Path(CONSTRAINTS).write_text(header + str(frozen), encoding="utf-8")
