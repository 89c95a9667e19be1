"""Lint configuration from ``[tool.monograph.lint]`` in ``pyproject.toml``.

```toml
[tool.monograph.lint]
select = ["T", "A101"]      # codes or prefixes to run (default: all)
ignore = ["Y105"]           # codes or prefixes to skip
severity = { T104 = "error" }
```
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.diagnostics import Severity


class ConfigError(Exception):
    """The configuration cannot be used (exit status 2)."""


@dataclass(frozen=True)
class LintConfig:
    """Which rules run and at what severity."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: dict[str, Severity] = field(default_factory=dict)

    def enabled(self, code: str) -> bool:
        """True when ``code`` is selected (or nothing is) and not ignored."""
        chosen = not self.select or code.startswith(self.select)
        return chosen and not code.startswith(self.ignore) if self.ignore else chosen


def load_config(pyproject: Path) -> LintConfig:
    """Read the table from ``pyproject``; a missing file or table means defaults."""
    if not pyproject.is_file():
        return LintConfig()
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise ConfigError(f"{pyproject}: {err}") from err
    table = data.get("tool", {}).get("monograph", {}).get("lint", {})
    try:
        severity = {code: Severity(level) for code, level in table.get("severity", {}).items()}
    except ValueError as err:
        raise ConfigError(f"{pyproject}: [tool.monograph.lint] severity: {err}") from err
    return LintConfig(
        select=tuple(table.get("select", ())),
        ignore=tuple(table.get("ignore", ())),
        severity=severity,
    )
