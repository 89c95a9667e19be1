"""The linter: rules over the validated model, suppressions, and configuration."""

from pipeline.lint.config import ConfigError, LintConfig, load_config
from pipeline.lint.runner import lint_book

__all__ = ["ConfigError", "LintConfig", "lint_book", "load_config"]
