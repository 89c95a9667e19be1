"""The registry's matcher: a normalised text layer over the model and term lookup on it."""

from pipeline.terminology.matcher import Matcher, Sense, TermMatch
from pipeline.terminology.text import Place, TextUnit, units_of

__all__ = ["Matcher", "Place", "Sense", "TermMatch", "TextUnit", "units_of"]
