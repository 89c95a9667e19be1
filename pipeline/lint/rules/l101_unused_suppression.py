"""L101: a suppression that silences nothing."""

from pipeline.lint.base import Rule


class UnusedSuppression(Rule):
    """Flags a ``lint: disable-…`` directive none of whose codes fired where it points.

    What it does: after the rules run, reports each directive code that silenced nothing
    (codes the configuration turns off are not counted).
    Why it matters: a stale suppression hides the next real problem on that line.
    Example: ``<!-- lint: disable-next-line T104 -- quoted -->`` above a line with no T104.
    Use instead: remove the directive (or the code from it).
    Fix: none.
    """

    code = "L101"
    name = "unused-suppression"
