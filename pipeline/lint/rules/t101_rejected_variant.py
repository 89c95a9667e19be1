"""T101: a rejected variant of a registered term."""

from __future__ import annotations

from pipeline.diagnostics import Severity
from pipeline.lint.rules._terms import SenseRule


class RejectedVariant(SenseRule):
    """Flags a form the terminology registry rejects, such as ``Paget's disease``.

    What it does: finds every variant listed under a concept's ``rejected`` entries, in every
    text a reader sees (see docs/terminology.md, "What is read"), whatever its case or
    inflection.
    Why it matters: one name per thing is what makes a reference searchable and
    unambiguous; a rejected form is one the editors decided against.
    Example: ``- Paget's disease``
    Use instead: the form the registry gives (``- Paget disease``).
    Fix: safe; replaces the registered variant by its replacement, keeping a leading
    capital. Not offered where markup splits the words or for an inflected form.
    """

    code = "T101"
    name = "rejected-variant"
    severity = Severity.ERROR
    kind = "rejected"
    problem = "is a rejected form"
