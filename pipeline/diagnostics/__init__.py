"""Diagnostics: the one finding record, the sink stages report to, the code tables, formatters.

Every stage (reading, validation, lint, rendering) reports ``Diagnostic`` records; the
formatters print them as text (``PATH:LINE:COL: CODE message``), JSON, GitHub annotations or
SARIF 2.1.0.
"""

from pipeline.diagnostics.codes import (
    FIXING,
    KNOWN,
    READING_AND_VALIDATION,
    RENDERING,
    STAGE_TABLES,
)
from pipeline.diagnostics.formatters import (
    FORMATTERS,
    format_github,
    format_json,
    format_sarif,
    format_text,
)
from pipeline.diagnostics.record import (
    RANK,
    Catalogue,
    CodeInfo,
    Diagnostic,
    Fix,
    Note,
    Severity,
    display_path,
    has_errors,
    ordered,
    summary,
)
from pipeline.diagnostics.sink import Sink, finding

__all__ = [
    "FIXING",
    "FORMATTERS",
    "KNOWN",
    "RANK",
    "READING_AND_VALIDATION",
    "RENDERING",
    "STAGE_TABLES",
    "Catalogue",
    "CodeInfo",
    "Diagnostic",
    "Fix",
    "Note",
    "Severity",
    "Sink",
    "display_path",
    "finding",
    "format_github",
    "format_json",
    "format_sarif",
    "format_text",
    "has_errors",
    "ordered",
    "summary",
]
