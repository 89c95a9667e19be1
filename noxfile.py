"""Sessions editors and CI run: ``nox -l`` lists them, ``nox -s NAME`` runs one."""

import nox

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.sessions = ["lint", "tests", "check"]
nox.options.reuse_existing_virtualenvs = True

PYPROJECT = nox.project.load_toml("pyproject.toml")


@nox.session
def validate(session: nox.Session) -> None:
    """Validate source/ against the format; findings print as PATH:LINE:COL: CODE message."""
    session.install("-e", ".")
    session.run("monograph", "validate", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """Validate, then lint terminology and style; pass --fix, --diff or --format sarif."""
    session.install("-e", ".")
    session.run("monograph", "lint", *session.posargs)


@nox.session(default=False)
def pdf(session: nox.Session) -> None:
    """Build the PDF handouts and the book into outputs/pdf/ (--paper letter for US Letter)."""
    session.install("-e", ".")
    session.run("monograph", "build", "--only", "pdf", *session.posargs)


@nox.session
def tests(session: nox.Session) -> None:
    """Run the test suite with pytest (extra arguments go to pytest)."""
    session.install("-e", ".", *nox.project.dependency_groups(PYPROJECT, "test"))
    session.run("pytest", *session.posargs)


@nox.session
def check(session: nox.Session) -> None:
    """Lint and format-check with ruff, type-check pipeline/ with mypy."""
    session.install("-e", ".", *nox.project.dependency_groups(PYPROJECT, "dev"))
    session.run("ruff", "check", *session.posargs, ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy")


@nox.session(default=False)
def docs(session: nox.Session) -> None:
    """Regenerate the rule catalogue in docs/terminology.md from the rules' docstrings."""
    session.install("-e", ".")
    session.run("python", "-m", "pipeline.catalogue", "docs/terminology.md")


@nox.session(default=False)
def bench(session: nox.Session) -> None:
    """Time the stages on generated books; writes outputs/bench/results.json (--sizes 1,10)."""
    session.install("-e", ".")
    session.run("python", "-m", "tests.bench.run", *session.posargs)
