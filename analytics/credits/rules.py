"""The credit rules, where the validator reads them. They live in :mod:`data.credit_rules` (pure word lists and
patterns) so that every write path below the services refuses a placeholder as a person's name with the validator's
own rules (:func:`data.names.check_person_name`)."""

from data.credit_rules import (
    BUILTIN_TOOLS,
    BUILTIN_VENDORS,
    PLACEHOLDER_RULE_IDS,
    RULES,
    Hit,
    Rule,
    Severity,
    department_forms,
    is_ai_plus_human,
    is_annotation_name,
    is_annotation_role,
    looks_like_organization,
    name_form,
    name_hits,
    name_profile,
    normalize,
    tokens,
    tool_key,
)

__all__ = ["BUILTIN_TOOLS", "BUILTIN_VENDORS", "PLACEHOLDER_RULE_IDS", "RULES", "Hit", "Rule", "Severity",
           "department_forms", "is_ai_plus_human", "is_annotation_name", "is_annotation_role",
           "looks_like_organization", "name_form", "name_hits", "name_profile", "normalize", "tokens", "tool_key"]  # fmt: skip
