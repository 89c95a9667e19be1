"""``monograph schema`` prints valid Draft 2020-12 schemas that accept the real source files."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml

from pipeline.model.schema import KINDS
from tests.helpers import SOURCE, monograph

DRAFT = "https://json-schema.org/draft/2020-12/schema"


def _schema(kind: str) -> dict:
    result = monograph("schema", "--for", kind)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("kind", [*KINDS, "all"])
def test_schema_is_valid_draft_2020_12(kind: str) -> None:
    schema = _schema(kind)
    assert schema["$schema"] == DRAFT
    assert schema["title"].startswith(("source/", "chapter", "Monograph"))
    jsonschema.Draft202012Validator.check_schema(schema)


def _front_matter(name: str) -> dict:
    text = (SOURCE / "chapters" / name).read_text()
    return yaml.safe_load(text.split("---\n")[1])


def test_book_yaml_conforms_and_a_broken_one_does_not() -> None:
    validator = jsonschema.Draft202012Validator(_schema("book"))
    book = yaml.safe_load((SOURCE / "book.yaml").read_text())
    assert list(validator.iter_errors(book)) == []
    del book["title"]
    assert [e.validator for e in validator.iter_errors(book)] == ["required"]


def test_chapter_front_matter_conforms() -> None:
    validator = jsonschema.Draft202012Validator(_schema("chapter"))
    front = json.loads(json.dumps(_front_matter("blastic-osseous-metastases.md"), default=str))
    assert list(validator.iter_errors(front)) == []
    front["status"] = "finished"
    assert any(e.validator == "enum" for e in validator.iter_errors(front))


def test_combined_schema_accepts_every_kind_of_file() -> None:
    validator = jsonschema.Draft202012Validator(_schema("all"))
    terminology = yaml.safe_load((SOURCE / "terminology.yaml").read_text())
    assert list(validator.iter_errors(terminology)) == []
    assert list(validator.iter_errors({"no": "such file"})) != []
