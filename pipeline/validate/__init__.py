"""Raw source to the model: structure, values and cross-references, all problems in one run."""

from pipeline.validate.source import Result, validate_source

__all__ = ["Result", "validate_source"]
