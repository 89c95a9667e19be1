"""Constrained string types shared by the source models.

Each validator raises ``PydanticCustomError`` with a short error type; the validate stage maps
those types to diagnostic codes in one place.
"""

import re
from collections.abc import Callable
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, StringConstraints
from pydantic_core import PydanticCustomError

SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
FIGURE_ID_RE = re.compile(rf"fig-{SLUG}")
REF_KEY = r"[A-Za-z](?:[A-Za-z0-9_:.-]*[A-Za-z0-9])?"
_BCP47 = re.compile(
    r"[a-z]{2,3}(?:-[a-z]{3}){0,3}"  # language (ISO 639), optional extended subtags
    r"(?:-[a-z]{4})?"  # script
    r"(?:-(?:[a-z]{2}|[0-9]{3}))?"  # region
    r"(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*"  # variants
    r"(?:-[0-9a-wyz](?:-[a-z0-9]{2,8})+)*"  # extensions
    r"(?:-x(?:-[a-z0-9]{1,8})+)?",  # private use
    re.IGNORECASE,
)
_DOI = re.compile(r"10\.\d{4,9}/\S+")
_PMID = re.compile(r"[1-9]\d{0,8}")
_ORCID = re.compile(r"\d{4}-\d{4}-\d{4}-\d{3}[\dX]")
MAX_ID = 64
"""The most characters an id or citation key may have (V112). Ids name output files and
anchors: the longest file name a chapter id gives is ``<id>-key-facts.pdf`` (78 bytes), staged
as ``.<id>-key-facts.pdf.XXXXXXXX.tmp`` (92), and an EPUB image ``<chapter-id>-<figure-id>.jpeg``
(134): all far below the 255 bytes a file name may have. A longer id is reported where it is
written instead of failing the build's write ("File name too long")."""


def _matcher(
    pattern: "re.Pattern[str]", error: str, template: str, limit: int | None = None
) -> Callable[[str], str]:
    def check(value: str) -> str:
        if limit is not None and len(value) > limit:
            raise PydanticCustomError(
                "id_too_long",
                "'{start}…' is {length} characters long; ids and keys have at most {limit}",
                {"start": value[:24], "length": len(value), "limit": limit},
            )
        if not pattern.fullmatch(value):
            raise PydanticCustomError(error, template, {"value": value})
        return value

    return check


def _number_as_text(value: object) -> object:
    """Accept a YAML number where an identifier made of digits is meant (PMID, volume)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
ChapterId = Annotated[
    str,
    AfterValidator(
        _matcher(re.compile(SLUG), "slug", "'{value}' is not a lower-case slug", MAX_ID)
    ),
]
FigureId = Annotated[
    str,
    AfterValidator(
        _matcher(FIGURE_ID_RE, "figure_id", "'{value}' is not a figure id (fig-…)", MAX_ID)
    ),
]
RefKey = Annotated[
    str,
    AfterValidator(
        _matcher(re.compile(REF_KEY), "ref_key", "'{value}' is not a usable citation key", MAX_ID)
    ),
]
LanguageTag = Annotated[
    str,
    AfterValidator(
        _matcher(_BCP47, "language_tag", "'{value}' is not a well-formed BCP 47 language tag")
    ),
]
Doi = Annotated[
    str,
    AfterValidator(_matcher(_DOI, "doi", "'{value}' is not a DOI (10.NNNN/suffix)")),
]
Pmid = Annotated[
    str,
    BeforeValidator(_number_as_text),
    AfterValidator(_matcher(_PMID, "pmid", "'{value}' is not a PubMed id (digits only)")),
]
Orcid = Annotated[
    str,
    AfterValidator(_matcher(_ORCID, "orcid", "'{value}' is not an ORCID iD (0000-0000-0000-0000)")),
]
Volume = Annotated[str, BeforeValidator(_number_as_text), StringConstraints(min_length=1)]
