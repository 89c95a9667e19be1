"""Where stages put findings, and the one way to make a finding of a table's code."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypedDict, Unpack

from pipeline.diagnostics.codes import KNOWN
from pipeline.diagnostics.record import Diagnostic, Fix, Severity
from pipeline.model.span import Span


class Overrides(TypedDict, total=False):
    """What a finding may set instead of its table's defaults."""

    severity: Severity
    fix: Fix


def finding(
    code: str, span: Span, message: str, hint: str | None = None, **given: Unpack[Overrides]
) -> Diagnostic:
    """The finding ``code`` at ``span``; its table gives the severity and the default hint."""
    entry = KNOWN[code]
    severity = given.get("severity") or entry.severity
    return Diagnostic(code=code, severity=severity, message=message,
                      hint=hint or entry.hint, span=span, fix=given.get("fix"))  # fmt: skip


@dataclass
class Sink:
    """Collects findings; every stage reports here and carries on."""

    items: list[Diagnostic] = field(default_factory=list)

    def add(
        self, code: str, span: Span, message: str, hint: str | None = None,
        **given: Unpack[Overrides],
    ) -> None:  # fmt: skip
        """Record a finding of ``code`` at ``span`` (see ``finding``)."""
        self.items.append(finding(code, span, message, hint, **given))
