"""The rule table: documented rules with stable, unique codes."""

from __future__ import annotations

import re

import pytest

from pipeline.diagnostics import KNOWN
from pipeline.lint.base import SECTIONS, Rule
from pipeline.lint.registry import RULES


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.code)
def test_every_rule_documents_all_five_sections(rule: type[Rule]) -> None:
    doc = rule.doc()
    assert doc["summary"], f"{rule.code} has no summary line"
    missing = [section for section in SECTIONS if not doc.get(section)]
    assert not missing, f"{rule.code} docstring lacks {missing}"


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.code)
def test_the_fix_section_states_the_rules_fix_safety(rule: type[Rule]) -> None:
    assert rule.doc()["Fix"].lower().startswith(rule.fix), f"{rule.code}: say '{rule.fix}' first"


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.code)
def test_codes_and_names_have_the_house_form(rule: type[Rule]) -> None:
    assert re.fullmatch(r"[A-Z]\d{3}", rule.code)
    assert re.fullmatch(r"[a-z]+(?:-[a-z]+)*", rule.name)


def test_codes_and_names_are_unique_and_not_reused_from_validation() -> None:
    codes = [rule.code for rule in RULES]
    names = [rule.name for rule in RULES]
    assert len(set(codes)) == len(codes), "a lint code is used twice"
    assert len(set(names)) == len(names), "a rule name is used twice"
    assert not set(codes) & set(KNOWN), "a lint code reuses a validation or render code"
    assert not set(names) & {code.name for code in KNOWN.values()}


def test_rule_modules_are_named_for_their_code_and_rule() -> None:
    for rule in RULES:
        module = rule.__module__.rsplit(".", 1)[-1]
        assert module == f"{rule.code.lower()}_{rule.name.replace('-', '_')}", module
