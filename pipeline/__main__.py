"""``python -m pipeline``: the same as the ``monograph`` console script."""

from pipeline.cli import run

run()
