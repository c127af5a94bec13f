"""Validate credits: every credited entity must be a named person (or, in roles that allow it, an organization).

Input is the shared :class:`data.credit_records.ParsedCredit` shape, so a file read by the importer and a
production's stored credit lines (see :mod:`analytics.credits.stored`) go through the same rules. The shapes (finding,
stored credit, report, role and tool dictionaries) live in :mod:`analytics.credits.model`.
"""

from __future__ import annotations

import functools
import gc
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from analytics.credits.model import (
    Finding,
    RoleIndex,
    RoleInfo,
    StoredCredit,
    ToolDictionary,
    ValidationReport,
)
from analytics.credits.rules import (
    RULES,
    Hit,
    Severity,
    department_forms,
    is_ai_plus_human,
    is_annotation_role,
    name_hits,
    name_profile,
    normalize,
)
from data.credit_records import ParsedCredit
from data.names import person_key
from data.reference import role_key

__all__ = ["Finding", "RoleIndex", "RoleInfo", "StoredCredit", "ToolDictionary", "ValidationReport", "rule_table",
           "validate_credits"]  # fmt: skip

# Rules about what the name *is*. A stored line already linked to a Person has been fixed by a human: these drop to
# INFO there, because the roll prints the person's chosen name, while the verbatim text stays as evidence.
IDENTITY_RULES = frozenset(
    {
        "ai_as_author",
        "ai_plus_human",
        "generic_human",
        "anonymous",
        "tbd",
        "empty_name",
        "glyph_placeholder",
        "sentinel_id",
        "name_is_role",
        "tool_credited",
    }
)
PLACEHOLDER_RULES = frozenset({"ai_as_author", "ai_plus_human", "generic_human", "anonymous", "tbd"})


@dataclass(slots=True)
class _Fact:
    """What the set rules need to know about one checked credit."""

    credit: ParsedCredit
    stored: StoredCredit | None
    role_identity: str  # canonical role code, or the role's match key when it does not map
    info: RoleInfo | None
    is_org: bool
    named: bool  # a person credited by name (or a placeholder already linked to a person)
    placeholder: bool  # an unfixed placeholder (AI, human, unknown, TBD)
    latin_role: bool  # the role is written in Latin script (an English credit)


@functools.lru_cache(maxsize=200_000)
def _cached_name_hits(name: str, archival: bool) -> tuple[Hit, ...]:
    return tuple(name_hits(name, source="madb" if archival else "internal"))


def _overlaps(a: ParsedCredit, b: ParsedCredit) -> bool:
    if a.episode_from is None or b.episode_from is None:
        return True  # a credit without a range covers the whole production
    a_to = a.episode_to if a.episode_to is not None else a.episode_from
    b_to = b.episode_to if b.episode_to is not None else b.episode_from
    return a.episode_from <= b_to and b.episode_from <= a_to


_LATIN = re.compile(r"^[\x00-\u024f]+$")


def _is_latin(text: str) -> bool:
    return bool(_LATIN.match(text))


def validate_credits(
    credits: Iterable[ParsedCredit | StoredCredit],
    *,
    tools: ToolDictionary | None = None,
    roles: RoleIndex | None = None,
) -> ValidationReport:
    """Check every credit against the rule table (§4) and return the findings in source order.

    Line rules look at one credit; the set rules (organization alone in a person-only role for an episode scope,
    one name under several spellings, a placeholder in one language while another names someone) look at all.
    """
    tools = tools or ToolDictionary()
    roles = roles or RoleIndex.default()
    # One object per credit, none of them cyclic: pausing the cycle collector keeps a 100k-credit run from
    # spending a third of its time in collections that free nothing.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _validate(credits, tools, roles)
    finally:
        if gc_was_enabled:
            gc.enable()


def _validate(
    credits: Iterable[ParsedCredit | StoredCredit], tools: ToolDictionary, roles: RoleIndex
) -> ValidationReport:
    report = ValidationReport()
    findings = report.findings
    facts: list[_Fact] = []
    # Credits repeat the same names and roles thousands of times: memo tables per run keep the rules cheap.
    role_memo: dict[str, tuple[bool, str, bool, str]] = {}
    name_memo: dict[str, tuple[bool, str, tuple[str, str] | None, bool]] = {}
    forms_memo: dict[tuple[str, str], frozenset[str]] = {}

    for item in credits:
        stored = item if isinstance(item, StoredCredit) else None
        credit = stored.credit if stored else item
        if credit.kind == "defect":
            # A source artifact (◆◆◆◆, a fragment cut by the source): a defect of the record, not a credit to judge.
            report.source_defects += 1
            continue
        if credit.kind != "credit":
            report.notes_skipped += 1
            continue
        report.credits_checked += 1
        role_text, name = credit.role_as_credited or "", credit.name_as_credited or ""

        role_facts = role_memo.get(role_text)
        if role_facts is None:
            norm_role = normalize(role_text)
            role_facts = role_memo[role_text] = (
                is_annotation_role(role_text),
                norm_role,
                _is_latin(norm_role),
                role_key(role_text),
            )
        name_facts = name_memo.get(name)
        if name_facts is None:
            annotation, form, org_like = name_profile(name)
            name_facts = name_memo[name] = (annotation, form, tools.match(name), org_like)
        if role_facts[0] or name_facts[0]:
            findings.append(
                _finding_for(
                    credit,
                    stored,
                    "not_a_credit",
                    Severity.WARN,
                    "an annotation (a note about the credits) is recorded as a credit: store it as a credit note",
                )
            )
            continue
        info = roles.resolve(credit.role_code, role_text)
        if not role_facts[1] and credit.role_code is None:
            findings.append(
                _finding_for(
                    credit,
                    stored,
                    "not_a_credit",
                    Severity.WARN,
                    f"{name!r} is credited with no role: add the role as credited",
                )
            )

        checked = name
        if credit.parenthetical:
            # Readers split "AI (+Human)" into the name "AI" and a parenthetical; the pair is the Dog & Boy pattern.
            joined = f"{name} ({credit.parenthetical.strip('()（）[]')})"
            if is_ai_plus_human(joined):
                checked = joined
        hits = list(_cached_name_hits(checked, credit.source in {"madb", "onscreen", "official_site"}))
        if not any(h.rule in PLACEHOLDER_RULES or h.rule in {"empty_name", "sentinel_id"} for h in hits):
            tool = name_facts[2]
            if tool is not None:
                kind, label = tool
                if kind == "tool":
                    hits.append(
                        Hit(
                            "tool_credited",
                            Severity.ERROR,
                            f"{name!r} is the AI tool {label}: record it in "
                            "the AI-usage ledger with its named operator "
                            "and credit the people",
                        )
                    )
                elif info is not None and info.person_only:
                    hits.append(
                        Hit(
                            "tool_credited",
                            Severity.ERROR,
                            f"{name!r} is the AI vendor {label}, credited "
                            f"in the person-only role {info.ja}: credit the "
                            "people who did the work",
                        )
                    )
            # Only a role from the taxonomy counts: in cast lists the "role" is a character, and people who play
            # themselves (矢口真里 as 矢口真里) are credited correctly.
            forms = None
            if info is not None and info.code != "cast":
                forms = forms_memo.get((role_text, info.code))
                if forms is None:
                    forms = forms_memo[(role_text, info.code)] = frozenset(department_forms([role_text, *info.labels]))
            if forms is not None and name_facts[1] in forms:
                hits.append(
                    Hit(
                        "name_is_role",
                        Severity.ERROR,
                        f"the name {name!r} repeats the role {role_text!r}: credit the people by name",
                    )
                )

        linked = stored is not None and stored.person_id is not None
        for hit in hits:
            severity, message = hit.severity, hit.message
            if linked and hit.rule in IDENTITY_RULES:
                severity = Severity.INFO
                message = f"fixed: linked to person #{stored.person_id}; the roll prints their chosen name ({message})"
            elif hit.rule == "and_others" and stored is not None and stored.uncredited_reason:
                severity = Severity.INFO
                message = f"reason recorded for the incomplete list: {stored.uncredited_reason}"
            findings.append(_finding_for(credit, stored, hit.rule, severity, message))

        if stored is not None:
            is_org = stored.org_alias_id is not None
        elif credit.is_organization is not None:
            is_org = credit.is_organization
        else:
            is_org = name_facts[3]
        rules_hit = {h.rule for h in hits}
        facts.append(
            _Fact(
                credit=credit,
                stored=stored,
                role_identity=info.code if info else role_facts[3],
                info=info,
                is_org=is_org,
                named=not is_org and (linked or not (rules_hit & IDENTITY_RULES)),
                placeholder=not linked and bool(rules_hit & PLACEHOLDER_RULES),
                latin_role=role_facts[2],
            )
        )

    _org_alone_in_person_role(facts, findings)
    _unlinked_variants(facts, findings)
    _mt_residue(facts, findings)
    findings.sort(key=lambda f: f.line if f.line is not None else 1 << 62)
    return report


def _finding_for(
    credit: ParsedCredit, stored: StoredCredit | None, rule: str, severity: Severity, message: str
) -> Finding:
    return Finding(
        rule=rule,
        severity=severity,
        message=message,
        line=credit.line,
        role=credit.role_as_credited,
        name=credit.name_as_credited,
        production=credit.production,
        source_ref=credit.source_ref,
        credit_line_id=stored.credit_line_id if stored else None,
        person_id=stored.person_id if stored else None,
    )


def _org_alone_in_person_role(facts: Sequence[_Fact], findings: list[Finding]) -> None:
    people: dict[tuple[str, str], list[ParsedCredit]] = defaultdict(list)
    for fact in facts:
        if fact.named:
            people[(fact.credit.production, fact.role_identity)].append(fact.credit)
    for fact in facts:
        credit, stored, info = fact.credit, fact.stored, fact.info
        if not (fact.is_org and info is not None and info.person_only):
            continue
        if any(_overlaps(credit, other) for other in people.get((credit.production, fact.role_identity), ())):
            continue
        scope = f" for {credit.episode_scope}" if credit.episode_scope else ""
        if stored is not None and stored.individuals_uncredited and stored.uncredited_reason:
            findings.append(
                _finding_for(
                    credit,
                    stored,
                    "org_in_person_role",
                    Severity.INFO,
                    f"{credit.name_as_credited!r} stands alone in {info.ja}{scope}; individuals "
                    f"uncredited, reason recorded: {stored.uncredited_reason}",
                )
            )
        else:
            findings.append(
                _finding_for(
                    credit,
                    stored,
                    "org_in_person_role",
                    Severity.WARN,
                    f"the organization {credit.name_as_credited!r} stands alone in the "
                    f"person-only role {info.ja}{scope}: credit the people, or record "
                    "'individuals uncredited' with a reason",
                )
            )


def _unlinked_variants(facts: Sequence[_Fact], findings: list[Finding]) -> None:
    # Per production, like the other set rules: a file of many works and each stored work checked alone then find
    # the same (a spelling in one work says nothing about who is credited in another).
    spellings: dict[tuple[str, str], dict[str, _Fact]] = defaultdict(dict)
    keys: dict[str, tuple[str, str]] = {}
    for fact in facts:
        name = fact.credit.name_as_credited
        if fact.named and name:
            pair = keys.get(name)
            if pair is None:
                pair = keys[name] = (person_key(name), normalize(name))
            spellings[(fact.credit.production, pair[0])].setdefault(pair[1], fact)
    for variants in spellings.values():
        if len(variants) < 2:
            continue
        people = {f.stored.person_id if f.stored else None for f in variants.values()}
        if len(people) == 1 and None not in people:
            continue  # every spelling already resolves to one person
        texts = list(variants)
        for text in texts[1:]:
            fact = variants[text]
            others = ", ".join(repr(t) for t in texts if t != text)
            findings.append(
                _finding_for(
                    fact.credit,
                    fact.stored,
                    "unlinked_variants",
                    Severity.INFO,
                    f"{text!r} looks like the same person as {others}: link the spellings as aliases of one person",
                )
            )


def _mt_residue(facts: Sequence[_Fact], findings: list[Finding]) -> None:
    named_native = {
        (f.credit.production, f.info.code) for f in facts if f.info is not None and f.named and not f.latin_role
    }
    if not named_native:
        return
    for fact in facts:
        credit, info = fact.credit, fact.info
        if not fact.placeholder or info is None or not fact.latin_role:
            continue
        if (credit.production, info.code) in named_native:
            findings.append(
                _finding_for(
                    credit,
                    fact.stored,
                    "mt_residue",
                    Severity.WARN,
                    f"the English credit '{credit.role_as_credited}: {credit.name_as_credited}' "
                    f"has a placeholder while the Japanese credit {info.ja} names a person: "
                    "carry the names over",
                )
            )


def rule_table() -> pd.DataFrame:
    """Columns: ``rule``, ``ref``, ``severity``, ``title`` — the rules this validator applies."""
    return pd.DataFrame(
        [{"rule": r.id, "ref": r.ref, "severity": str(r.severity), "title": r.title} for r in RULES.values()]
    )
