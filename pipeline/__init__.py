"""Publishing pipeline for a radiology teaching monograph."""

import gc

__version__ = "0.1.0"


def tune_gc() -> None:
    """Collect garbage less often than Python's default.

    A run builds one large graph of model objects that lives until it ends; with the default
    thresholds every full collection rescans that graph, which made validation, lint and the
    JSON export grow faster than linearly (1,000 chapters: validate 13.3 s → 9.1 s, lint
    3.6 s → 1.6 s, JSON 8.2 s → 4.7 s, peak memory unchanged; see ``nox -s bench``).
    """
    gc.set_threshold(20_000, 50, 1_000)
