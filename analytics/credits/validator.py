"""Validate credits: every credited entity must be a named person (or, in roles that allow it, an organization).

Input is the shared :class:`data.credit_records.ParsedCredit` shape, so a file read by the importer and a
production's stored credit lines (see :mod:`analytics.credits.stored`) go through the same rules.
"""

from __future__ import annotations

import functools
import gc
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from analytics.credits.rules import (
    BUILTIN_TOOLS,
    BUILTIN_VENDORS,
    RULES,
    Hit,
    Severity,
    department_forms,
    is_ai_plus_human,
    is_annotation_role,
    name_hits,
    name_profile,
    normalize,
    tool_key,
)
from data.credit_records import ParsedCredit
from data.names import person_key
from data.reference import load_roles, role_key

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


@dataclass(frozen=True)
class Finding:
    """One breach of one rule by one credit (or one labor record, for the cross-checks)."""

    rule: str
    severity: Severity
    message: str
    line: int | None = None  # 1-based line or record number in the source; the roll position for stored credits
    role: str = ""  # role as credited
    name: str = ""  # name as credited
    production: str = ""
    source_ref: str | None = None
    credit_line_id: int | None = None
    person_id: int | None = None

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["severity"] = str(self.severity)
        return out


@dataclass(frozen=True)
class StoredCredit:
    """A stored credit line: the shared credit shape plus what the database knows about who it points at."""

    credit: ParsedCredit
    credit_line_id: int
    person_id: int | None = None  # the Person the line resolves to through a linked alias
    person_alias_id: int | None = None
    org_alias_id: int | None = None
    individuals_uncredited: bool = False
    uncredited_reason: str | None = None


@dataclass
class ValidationReport:
    """Findings for a set of credits, most severe first within the source order."""

    findings: list[Finding] = field(default_factory=list)
    credits_checked: int = 0
    notes_skipped: int = 0

    @property
    def has_errors(self) -> bool:
        return any(f.severity is Severity.ERROR for f in self.findings)

    def counts(self) -> dict[str, int]:
        """Findings per rule id."""
        out: dict[str, int] = defaultdict(int)
        for f in self.findings:
            out[f.rule] += 1
        return dict(out)

    def to_frame(self) -> pd.DataFrame:
        """Columns: ``line``, ``role``, ``name``, ``rule``, ``severity``, ``message``, ``production``, ``source_ref``,
        ``credit_line_id``, ``person_id``; one row per finding."""
        columns = [
            "line",
            "role",
            "name",
            "rule",
            "severity",
            "message",
            "production",
            "source_ref",
            "credit_line_id",
            "person_id",
        ]
        return pd.DataFrame([{c: f.as_dict()[c] for c in columns} for f in self.findings], columns=columns)


@dataclass(frozen=True)
class RoleInfo:
    code: str
    ja: str
    en: str
    romaji: str
    person_only: bool
    org_allowed: bool
    sort_order: int
    labels: tuple[str, ...]


class RoleIndex:
    """Role strings as credited → the canonical role taxonomy (data/seed/roles.csv), memoized per string."""

    def __init__(self, rows: Iterable[dict[str, Any]]) -> None:
        self.by_code: dict[str, RoleInfo] = {}
        self._by_key: dict[str, str] = {}
        for row in rows:
            variants = [v for v in str(row.get("variants") or "").split("|") if v]
            labels = (row["ja"], row["en"], *variants)
            info = RoleInfo(
                code=row["code"],
                ja=row["ja"],
                en=row["en"],
                romaji=row["romaji"],
                person_only=str(row["person_only"]) in {"1", "True", "true"},
                org_allowed=str(row["org_allowed"]) in {"1", "True", "true"},
                sort_order=int(row["sort_order"]),
                labels=labels,
            )
            self.by_code[info.code] = info
            for label in labels:
                self._by_key.setdefault(role_key(label), info.code)
        self._cache: dict[tuple[str | None, str], RoleInfo | None] = {}

    @classmethod
    @functools.cache
    def default(cls) -> RoleIndex:
        return cls(load_roles())

    def resolve(self, role_code: str | None, role_as_credited: str) -> RoleInfo | None:
        cache_key = (role_code, role_as_credited)
        if cache_key in self._cache:
            return self._cache[cache_key]
        info = self.by_code.get(role_code) if role_code else None
        if info is None and role_as_credited:
            text = normalize(role_as_credited)
            info_code = self._by_key.get(role_key(text))
            if info_code is None and ("(" in text):
                # MADB equivalence notes: 演出(監督と同義) is credited as 演出.
                info_code = self._by_key.get(role_key(text.split("(", 1)[0]))
            info = self.by_code.get(info_code) if info_code else None
        self._cache[cache_key] = info
        return info


class ToolDictionary:
    """AI tools (never credited) and AI vendors (credited only in organization roles), as token runs."""

    def __init__(self, tools: Iterable[str] = BUILTIN_TOOLS, vendors: Iterable[str] = BUILTIN_VENDORS) -> None:
        self._entries: dict[str, list[tuple[tuple[str, ...], str, str]]] = defaultdict(list)
        for kind, names in (("tool", tools), ("vendor", vendors)):
            for name in names:
                key = tool_key(name)
                if key:
                    self._entries[key[0]].append((key, kind, name))
        self._cache: dict[str, tuple[str, str] | None] = {}
        # Most names contain no tool word at all: one regex over the first tokens rules them out cheaply.
        firsts = sorted(self._entries, key=len, reverse=True)
        self._prefilter = re.compile("|".join(re.escape(f) for f in firsts)) if firsts else None

    @classmethod
    def from_session(cls, session: Session) -> ToolDictionary:
        """The built-in dictionary plus the database's Service names and ai_vendor organizations."""
        from data.schema import Organization, Service

        services = [n for (n,) in session.execute(select(Service.name).distinct()) if n]
        vendors = [n for (n,) in session.execute(select(Organization.name).where(Organization.kind == "ai_vendor"))]
        return cls((*BUILTIN_TOOLS, *services), (*BUILTIN_VENDORS, *vendors))

    def match(self, name: str) -> tuple[str, str] | None:
        """``(kind, dictionary name)`` when the credited name is, or contains as whole tokens, a tool or vendor."""
        if name in self._cache:
            return self._cache[name]
        found: tuple[str, str] | None = None
        if self._prefilter is None or not self._prefilter.search(name.casefold()):
            self._cache[name] = None
            return None
        key = tool_key(name)
        for i, token in enumerate(key):
            for entry, kind, label in self._entries.get(token, ()):
                if key[i : i + len(entry)] == entry:
                    found = (kind, label)
                    break
            if found:
                break
        self._cache[name] = found
        return found


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
    spellings: dict[str, dict[str, _Fact]] = defaultdict(dict)
    keys: dict[str, tuple[str, str]] = {}
    for fact in facts:
        name = fact.credit.name_as_credited
        if fact.named and name:
            pair = keys.get(name)
            if pair is None:
                pair = keys[name] = (person_key(name), normalize(name))
            spellings[pair[0]].setdefault(pair[1], fact)
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
