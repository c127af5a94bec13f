"""The shapes the credit validator works with: a finding, a stored credit line, a report, and the dictionaries it
checks names and roles against (the role taxonomy, the AI tools and vendors)."""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from analytics.credits.rules import BUILTIN_TOOLS, BUILTIN_VENDORS, Severity, normalize, tool_key
from data.credit_records import ParsedCredit
from data.reference import load_roles, role_key


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
    source_defects: int = 0  # fragments of the source that are no credit (separators, cut entries): never findings

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
        from analytics.queries.credits import ai_tool_names

        services, vendors = ai_tool_names(session)
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
