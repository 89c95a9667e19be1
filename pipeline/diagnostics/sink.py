"""Where stages put findings, and the one way to make a finding of a table's code."""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.diagnostics.codes import KNOWN
from pipeline.diagnostics.record import Diagnostic, Fix, Severity
from pipeline.model.span import Span


def finding(
    code: str,
    span: Span,
    message: str,
    hint: str | None = None,
    *,
    severity: Severity | None = None,
    fix: Fix | None = None,
) -> Diagnostic:
    """The finding ``code`` at ``span``; its table gives the severity and the default hint."""
    entry = KNOWN[code]
    return Diagnostic(code=code, severity=severity or entry.severity, message=message,
                      hint=hint or entry.hint, span=span, fix=fix)  # fmt: skip


@dataclass
class Sink:
    """Collects findings; every stage reports here and carries on."""

    items: list[Diagnostic] = field(default_factory=list)

    def add(
        self,
        code: str,
        span: Span,
        message: str,
        hint: str | None = None,
        *,
        severity: Severity | None = None,
        fix: Fix | None = None,
    ) -> None:
        """Record a finding of ``code`` at ``span`` (see ``finding``)."""
        self.items.append(finding(code, span, message, hint, severity=severity, fix=fix))
