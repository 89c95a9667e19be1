"""'Did you mean' suggestions for misspelt names."""

import difflib
from collections.abc import Iterable


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return ``"did you mean 'X'?"`` for the closest choice, or an empty string."""
    options = list(choices)
    by_fold = {c.casefold(): c for c in options}
    if word.casefold() in by_fold:
        return f"did you mean '{by_fold[word.casefold()]}'?"
    close = difflib.get_close_matches(word.casefold(), list(by_fold), n=1, cutoff=0.6)
    return f"did you mean '{by_fold[close[0]]}'?" if close else ""


def hint_with(suggestion: str, fallback: str) -> str:
    """Prefer the suggestion as a hint; fall back to the general advice."""
    return f"{suggestion[0].upper()}{suggestion[1:]}" if suggestion else fallback
