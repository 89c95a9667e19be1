"""The explicit table of lint rules: adding a rule is one module and one line here."""

from __future__ import annotations

from pipeline.lint.base import Rule
from pipeline.lint.rules.a101_unknown_abbreviation import UnknownAbbreviation
from pipeline.lint.rules.a102_abbreviation_before_expansion import AbbreviationBeforeExpansion
from pipeline.lint.rules.a103_abbreviation_expanded_twice import AbbreviationExpandedTwice
from pipeline.lint.rules.a104_abbreviation_expanded_unused import AbbreviationExpandedUnused
from pipeline.lint.rules.a105_abbreviation_two_senses import AbbreviationTwoSenses
from pipeline.lint.rules.l101_unused_suppression import UnusedSuppression
from pipeline.lint.rules.l102_invalid_suppression import InvalidSuppression
from pipeline.lint.rules.t101_rejected_variant import RejectedVariant
from pipeline.lint.rules.t102_deprecated_synonym import DeprecatedSynonym
from pipeline.lint.rules.t103_forbidden_synonym import ForbiddenSynonym
from pipeline.lint.rules.t104_synonym_not_preferred import SynonymNotPreferred
from pipeline.lint.rules.t105_mixed_variants import MixedVariants
from pipeline.lint.rules.t106_synonyms_list_mismatch import SynonymsListMismatch
from pipeline.lint.rules.t107_unknown_differential import UnknownDifferential
from pipeline.lint.rules.t108_differential_not_preferred import DifferentialNotPreferred
from pipeline.lint.rules.t109_differential_lists_disagree import DifferentialListsDisagree
from pipeline.lint.rules.t110_cross_chapter_naming import CrossChapterNaming
from pipeline.lint.rules.t111_differential_not_reciprocal import DifferentialNotReciprocal
from pipeline.lint.rules.t112_near_miss_term import NearMissTerm
from pipeline.lint.rules.y101_eponym_possessive import EponymPossessive
from pipeline.lint.rules.y102_dialect_spelling import DialectSpelling
from pipeline.lint.rules.y103_multiplication_sign import MultiplicationSign
from pipeline.lint.rules.y104_range_dash import RangeDash
from pipeline.lint.rules.y105_unit_spacing import UnitSpacing
from pipeline.lint.rules.y106_invisible_character import InvisibleCharacter
from pipeline.lint.rules.y107_mixed_script_word import MixedScriptWord

RULES: tuple[type[Rule], ...] = (
    RejectedVariant,
    DeprecatedSynonym,
    ForbiddenSynonym,
    SynonymNotPreferred,
    MixedVariants,
    SynonymsListMismatch,
    UnknownDifferential,
    DifferentialNotPreferred,
    DifferentialListsDisagree,
    CrossChapterNaming,
    DifferentialNotReciprocal,
    NearMissTerm,
    UnknownAbbreviation,
    AbbreviationBeforeExpansion,
    AbbreviationExpandedTwice,
    AbbreviationExpandedUnused,
    AbbreviationTwoSenses,
    EponymPossessive,
    DialectSpelling,
    MultiplicationSign,
    RangeDash,
    UnitSpacing,
    InvisibleCharacter,
    MixedScriptWord,
    UnusedSuppression,
    InvalidSuppression,
)


_BY_CODE = {rule.code: rule for rule in RULES}


def rule_for(code: str) -> type[Rule]:
    """The rule class with ``code``; KeyError when there is none."""
    return _BY_CODE[code]
