"""Does a DICOM dataset still identify its patient? The attributes that do, by keyword.

The check walks the file meta and the dataset, every item of every sequence, and asks of each
attribute whether it identifies (``profile.py``: the Annex E table, names and dates by value
representation, private tags, overlays and curves) and whether it holds a value. Only
keywords and paths leave this module; the values read stay inside ``_has_value``.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydicom.datadict import dictionary_VR, keyword_for_tag
from pydicom.dataset import Dataset
from pydicom.tag import BaseTag

from pipeline.media.problem import Problem, listing, quiet
from pipeline.media.profile import BY_VR, GROUP_NAMED, GROUP_OF, GROUPS, REPEATING, Group

MAX_DEPTH = 16
"""Sequences nested deeper than this are refused (``damaged``) rather than walked."""
_UNREADABLE = object()
"""The value of an attribute pydicom cannot convert: it counts as a value."""


class _TooDeepError(Exception):
    """Sequences nest deeper than ``MAX_DEPTH``."""


def deidentification_problems(dataset: Dataset) -> list[Problem]:
    """One ``identifying`` problem a group of attributes, then ``burned-in-annotation``.

    A message reads ``names a person: PatientName, OperatorsName``: the group's reason and the
    keywords, never a value; each problem's ``attributes`` holds every keyword and path found.
    BurnedInAnnotation ``YES`` (or unreadable) says the pixels themselves carry text, often
    the patient's name: no attribute editing makes such an image safe.
    """
    try:
        with quiet():
            found = _identifying(dataset)
    except _TooDeepError:
        return [Problem("damaged", f"sequences nest deeper than {MAX_DEPTH} levels")]
    problems = []
    for group in GROUPS:
        paths = tuple(path for g, path in found if g is group)
        if paths:
            problems.append(Problem("identifying", f"{group.reason}: {listing(paths)}", paths))
    with quiet():
        burned = _text(dataset, "BurnedInAnnotation")
    if burned in ("YES", None):
        says = "says the pixels carry" if burned else "cannot be read: the pixels may carry"
        message = f"BurnedInAnnotation {says} burned-in text"
        problems.append(Problem("burned-in-annotation", message, ("BurnedInAnnotation",)))
    return problems


def _identifying(dataset: Dataset) -> list[tuple[Group, str]]:
    removed = _text(dataset, "PatientIdentityRemoved") == "YES"
    found: list[tuple[Group, str]] = []
    meta = getattr(dataset, "file_meta", None)
    if isinstance(meta, Dataset):
        _walk(meta, "", removed, 0, found)
    _walk(dataset, "", removed, 0, found)
    return found


def _walk(
    dataset: Dataset, prefix: str, removed: bool, depth: int, found: list[tuple[Group, str]]
) -> None:
    """Add each identifying attribute with a value; enter the items of every other sequence."""
    if depth > MAX_DEPTH:
        raise _TooDeepError
    for tag in list(dataset.keys()):
        keyword = keyword_for_tag(tag)
        vr, value = _entry(dataset, tag)
        path = prefix + (keyword or str(tag).replace(" ", ""))
        group = _group(tag, vr, keyword)
        if group and not (group.replaced and removed) and _has_value(value):
            found.append((group, path))  # a sequence of the table counts whole
        elif vr == "SQ" and isinstance(value, Sequence) and not tag.is_private:
            for index, item in enumerate(value):
                if isinstance(item, Dataset):
                    _walk(item, f"{path}[{index}].", removed, depth + 1, found)


def _group(tag: BaseTag, vr: str, keyword: str) -> Group | None:
    if tag.is_private:
        return GROUP_NAMED["private"]
    for mask, masked, name in REPEATING:
        if tag & mask == masked:
            return GROUP_OF[name]
    if keyword in GROUP_OF:
        return GROUP_OF[keyword]
    return GROUP_NAMED[BY_VR[vr]] if vr in BY_VR else None


def _entry(dataset: Dataset, tag: BaseTag) -> tuple[str, object]:
    """The attribute's VR and value; an unconvertible value is ``_UNREADABLE``, not an error."""
    try:
        element = dataset[tag]
    except Exception:  # pydicom's converters raise many kinds on malformed values
        try:
            return dictionary_VR(tag), _UNREADABLE
        except KeyError:
            return "", _UNREADABLE
    return str(element.VR), element.value


def _has_value(value: object) -> bool:
    """Whether the value says anything: padding, empty strings and empty sequences do not."""
    if value is None:
        return False
    if isinstance(value, bytes):
        return bool(value.strip(b"\x00 "))
    if isinstance(value, Dataset):
        return len(value) > 0
    if isinstance(value, Sequence) and not isinstance(value, str):
        return any(_has_value(item) for item in value)
    return bool(str(value).strip("\x00 "))


def _text(dataset: Dataset, keyword: str) -> str | None:
    """A top-level coded string, upper-cased: empty when absent, None when unreadable."""
    try:
        return str(dataset.get(keyword, "") or "").strip().upper()
    except Exception:  # pydicom's converters raise many kinds on malformed values
        return None
