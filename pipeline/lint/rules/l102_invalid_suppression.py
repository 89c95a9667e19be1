"""L102: a suppression that cannot be used."""

from pipeline.diagnostics import Severity
from pipeline.lint.base import Rule


class InvalidSuppression(Rule):
    """Flags a ``lint:`` comment that is malformed, names an unknown code or gives no reason.

    What it does: checks every ``<!-- lint: … -->`` comment against the two directive forms.
    Why it matters: a suppression is an audited decision; without a reason nobody can tell
    later whether it still holds.
    Example: ``<!-- lint: disable-next-line T104 -->``
    Use instead: ``<!-- lint: disable-next-line T104 -- quoting the referral -->``
    Fix: none.
    """

    code = "L102"
    name = "invalid-suppression"
    severity = Severity.ERROR
