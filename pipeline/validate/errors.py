"""The one place where pydantic's validation errors become our diagnostics.

Each error's ``type`` picks the code and ``loc`` picks the YAML position of the key or value.
"""

from __future__ import annotations

import types
from typing import Any, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from pipeline.diagnostics import Sink
from pipeline.read.yaml import Path, YamlDoc
from pipeline.validate.suggest import did_you_mean, hint_with

M = TypeVar("M", bound=BaseModel)

_CODE_BY_TYPE = {
    "missing": "V101",
    "extra_forbidden": "V102",
    "literal_error": "V104",
    "enum": "V104",
    "slug": "V105",
    "figure_id": "V105",
    "ref_key": "V105",
    "id_too_long": "V112",
    "language_tag": "V106",
    "doi": "V108",
    "pmid": "V109",
}
_EXPECTED = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "list_type": "a list",
    "model_type": "a mapping of fields",
    "model_attributes_type": "a mapping of fields",
    "dict_type": "a mapping of fields",
    "bool_type": "true or false",
}


def validate_model(
    model: type[M],
    data: Any,
    doc: YamlDoc | None,
    report: Sink,
    prefix: Path = (),
) -> M | None:
    """Validate ``data`` read from ``doc``; report every error and return None on failure."""
    if doc is None:
        return None
    try:
        return model.model_validate(data)
    except ValidationError as error:
        report_errors(error, doc, model, report, prefix)
        return None


def report_errors(
    error: ValidationError,
    doc: YamlDoc,
    model: type[BaseModel],
    report: Sink,
    prefix: Path = (),
) -> None:
    """Report each error of ``error`` at the YAML position its ``loc`` names."""
    seen: set[Path] = set()
    for detail in error.errors(include_url=False):
        loc: Path = (*prefix, *detail["loc"])
        if loc in seen:
            continue
        seen.add(loc)
        _report_one(detail, loc, doc, _fields_at(model, tuple(detail["loc"][:-1])), report)


def _report_one(
    detail: ErrorDetails, loc: Path, doc: YamlDoc, siblings: list[str], report: Sink
) -> None:
    kind = detail["type"]
    where = _dotted(loc)
    name = str(loc[-1]) if loc else "document"
    if kind == "missing":
        report.add(
            "V101",
            doc.span(loc[:-1]),
            f"missing required field '{where}'",
            f"Add '{name}:' here; docs/source-format.md describes it.",
        )
    elif kind == "extra_forbidden":
        hint = hint_with(did_you_mean(name, siblings), f"Fields here: {', '.join(siblings)}.")
        report.add("V102", doc.span(loc, key=True), f"unknown field '{where}'", hint)
    elif kind in _EXPECTED:
        _wrong_type(detail, loc, doc, report)
    elif kind.startswith("date_"):
        reason = str(detail.get("ctx", {}).get("error", "")) or "not a date"
        found = detail["input"]
        report.add("V107", doc.span(loc), f"'{where}' is '{found}', not a calendar date ({reason})")
    elif kind in ("literal_error", "enum"):
        choices = str(detail.get("ctx", {}).get("expected", ""))
        found = str(detail["input"])
        hint = hint_with(did_you_mean(found, _quoted(choices)), f"Use one of {choices}.")
        report.add("V104", doc.span(loc), f"'{where}' is '{found}', not one of {choices}", hint)
    else:
        code = _CODE_BY_TYPE.get(kind, "V110")
        report.add(code, doc.span(loc), f"{where}: {detail['msg']}" if loc else detail["msg"])


def _wrong_type(detail: ErrorDetails, loc: Path, doc: YamlDoc, report: Sink) -> None:
    expected = _EXPECTED[detail["type"]]
    found = _describe(detail["input"])
    hint = None
    if detail["input"] is None:
        hint = f"Write a value after '{loc[-1]}:'."
    elif expected == "text" and isinstance(detail["input"], int | float | bool):
        hint = f'Quote it: {loc[-1]}: "{_as_yaml(detail["input"])}".'
    report.add("V103", doc.span(loc), f"'{_dotted(loc)}' must be {expected}, not {found}", hint)


def _as_yaml(value: Any) -> str:
    """A scalar as YAML spells it (true, not True)."""
    return str(value).lower() if isinstance(value, bool) else str(value)


def _describe(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"'{value}'"


def _dotted(loc: Path) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _quoted(choices: str) -> list[str]:
    return [part.strip().strip("'\"") for part in choices.replace(" or ", ",").split(",")]


def _fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """Names of the fields of the model found at ``loc`` inside ``model``."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        field = getattr(current, "model_fields", {}).get(part)
        if field is None:
            return []
        current = _innermost_model(field.annotation)
    return list(getattr(current, "model_fields", {}))


def _innermost_model(annotation: Any) -> Any:
    while get_origin(annotation) in (list, Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        annotation = args[0] if args else None
    return annotation
