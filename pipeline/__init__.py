"""Publishing pipeline for a radiology teaching monograph."""

__version__ = "0.1.0"
