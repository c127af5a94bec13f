"""The parts of one credit as published: the role (mapped onto the taxonomy, verbatim kept), the name with what
surrounds it (a parenthetical affiliation or alias, an episode scope, a ``[ロゴ]`` marker), and a builder that
numbers lines and positions as credits are emitted. Every grammar (MADB strings, credit-roll text, canonical rows)
reads its credits through these, so a role or a name reads the same whatever file it came from.

Nothing here rewrites the evidence: a name is split from its markers, never edited, and whatever was taken off it
(a stray bracket, a source note cut off by the source's length limit) is said in the credit's note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from data.credit_records import ParsedCredit, new_credit
from data.credits.organizations import NO_EVIDENCE, looks_like_org, name_evidence
from data.names import nfkc
from data.reference import load_roles, role_key

SPACE = " \t\u3000\u00a0"
OPENERS = "[［【（(＜<〔{「『〈"
CLOSERS = "]］】）)＞>〕}」』〉"
PAIRS = dict(zip(OPENERS, CLOSERS, strict=True))
_PAREN_OPEN = "（(＜<〔{"
_PAREN_CLOSE = "）)＞>〕}"
_SCOPE = re.compile(r"^(?:第)?(\d+)(?:\s*[～~〜\-－―]\s*(?:第)?(\d+))?\s*話?$")
_SCOPE_WORDS = re.compile(r"(話|編|巻|部|OP|ED|最終回|本編|前半|後半)$")
_SCOPE_LIST = re.compile(r"^[\d、,，\s～~〜\-]+話$")
_EQUIV = re.compile(r"^(.+?)と同義$")
_SOURCE_NOTE = re.compile(r"(表記|記載|資料|参考|参照|要確認|不詳|NFC|[PＰ]\d+|不明)")
_PERSON_LIKE = re.compile(
    r"^([\u4e00-\u9fff\u3005\u30f6\u3041-\u309f\u30a0-\u30ff*＊]{2,8}|[A-Za-zÀ-ž.'\-]+(?: [A-Za-zÀ-ž.'\-]+){1,3})$"
)
_ROLE_COMMA = re.compile(r"[、,，]")
_ROLE_DOT = re.compile(r"[・･/／]")
_EPISODE_OR_DIGIT = re.compile(r"第.+話|\d")
_STAFF = re.compile(r"スタッフ|staff", re.IGNORECASE)
_LATIN_LETTER = re.compile(r"[A-Za-z]")
_TRAILING_MARKER = re.compile(r"[\[［]([^\[\]［］]*)[\]］][\s\u3000]*$")
_CUT_MARKER = re.compile(r"[\[［【][^\]］】]*$")
_COLON_NOTE = re.compile(r"^(.+?)[:：](.*(?:表記|記載|資料|参考|参照|P\d+|Ｐ\d+).*)$")
_BRACKETS = re.compile(r"[\[\]［］【】]")
_SYMBOLS = re.compile(r"[◆◇■□●○◎★☆♪♦※＊*＝=]")  # a separator; a run of dashes under a role is a blank name
_WRAPPED = re.compile(r"^[\[［]([^\[\]［］]+)[\]］]$")
# A run of one separator symbol (◆◆◆◆, ―――――, ====): what MADB puts between groups of entries, never a name.
SEPARATOR_RUN = re.compile(r"([◆◇■□●○◎★☆♪♦※＊*＝=―─━\-－~〜～・･…])\1{2,}")
_PUNCT_ONLY = re.compile(
    r"^[\s\u3000\u200b\-‐‑–—―─━ー－・･…\.\?？/／_＿*＊~〜～()（）\[\]「」『』【】,、。◆◇■□●○★☆※♪!！=＝]*$"
)


@lru_cache(maxsize=1)
def role_codes() -> dict[str, str]:
    """Role match key → taxonomy code, from the seed (the same strings the RoleVariant table holds)."""
    out: dict[str, str] = {}
    for row in load_roles():
        for t in [row["ja"], row["en"], *filter(None, row["variants"].split("|"))]:
            out.setdefault(role_key(t), row["code"])
    return out


@lru_cache(maxsize=100_000)
def map_role(role: str) -> tuple[str | None, str | None]:
    """(role code, provenance note) for a verbatim role; ``演出（監督と同義）`` maps to 監督 with a note."""
    if not role.strip():
        return None, None
    codes = role_codes()
    base, paren = split_parenthetical(role)
    if paren:
        m = _EQUIV.match(strip_brackets(paren))
        if m:
            code = codes.get(role_key(m.group(1)))
            if code:
                return code, f"equivalence: {strip_brackets(paren)}"
    return codes.get(role_key(base)) or codes.get(role_key(role)), None


@lru_cache(maxsize=100_000)
def split_roles(role: str) -> tuple[str, ...]:
    """A combined role string split into its roles: ``演出、絵コンテ`` → (演出, 絵コンテ).

    ``、`` always separates; ``・`` (and ``／`` inside a role bracket) only when every part is a known role and the
    whole is not (``キャラクター・デザイン`` is one role, ``絵コンテ・演出`` is two).
    """
    parts = [p.strip(SPACE) for p in _ROLE_COMMA.split(role) if p.strip(SPACE)]
    out: list[str] = []
    codes = role_codes()
    for part in parts or [role]:
        dotted = [p.strip(SPACE) for p in _ROLE_DOT.split(part) if p.strip(SPACE)]
        if len(dotted) > 1 and role_key(part) not in codes and all(map_role(p)[0] for p in dotted):
            out.extend(dotted)
        else:
            out.append(part)
    return tuple(out)


def strip_brackets(text: str) -> str:
    """``text`` without one pair of enclosing brackets (（…）, ＜…＞, 〔…〕 …)."""
    t = text.strip(SPACE)
    if t and t[0] in _PAREN_OPEN and t[-1] in _PAREN_CLOSE:
        return t[1:-1].strip(SPACE)
    return t


def split_parenthetical(text: str) -> tuple[str, str | None]:
    """``大野実（読広）`` → (``大野実``, ``（読広）``); only a parenthetical that closes the text counts."""
    t = text.rstrip(SPACE)
    if not t or t[-1] not in _PAREN_CLOSE:
        return text.strip(SPACE), None
    close = t[-1]
    opener = _PAREN_OPEN[_PAREN_CLOSE.index(close)]
    alt = {"）": "(", ")": "（"}.get(close)
    alt_close = {"(": ")", "（": "）"}.get(alt or "")
    depth = 0
    for i in range(len(t) - 1, -1, -1):
        ch = t[i]
        if ch == close or (alt and ch == alt_close):
            depth += 1
        elif ch == opener or (alt and ch == alt):
            depth -= 1
            if depth == 0:
                base = t[:i].strip(SPACE)
                if not base or t[i + 1 :].lstrip(SPACE)[:1] in "+＋":
                    return text.strip(SPACE), None  # "AI (+Human)": the bracket is part of the credited text
                return base, t[i:]
    return text.strip(SPACE), None


@lru_cache(maxsize=50_000)
def classify_parenthetical(paren: str) -> str:
    """affiliation, alias, equivalence or unknown — read from the text, never assumed."""
    inner = nfkc(strip_brackets(paren))
    if not inner:
        return "unknown"
    if _EQUIV.match(inner):
        return "equivalence"
    if _SOURCE_NOTE.search(inner) or _EPISODE_OR_DIGIT.search(inner):
        return "unknown"
    if paren.strip(SPACE)[:1] in "＜<" or looks_like_org(inner) or _STAFF.search(inner):
        return "affiliation"
    compact = inner.replace(" ", "").replace("*", "")
    # A two-character parenthetical (読広) may be a company abbreviation or a name: too short to tell.
    if (
        _LATIN_LETTER.search(inner)
        and _PERSON_LIKE.match(inner)
        or (not _LATIN_LETTER.search(inner) and 3 <= len(compact) <= 6 and _PERSON_LIKE.match(compact))
    ):
        return "alias"
    return "unknown"


@lru_cache(maxsize=50_000)
def parse_scope(scope: str) -> tuple[int | None, int | None]:
    """(first, last) episode of a scope that is one number or one range (``3～13話``); (None, None) otherwise."""
    m = _SCOPE.match(nfkc(scope).strip())
    if not m:
        return None, None
    lo = int(m.group(1))
    hi = int(m.group(2)) if m.group(2) else lo
    return (lo, hi) if hi >= lo else (None, None)


def is_scope(text: str) -> bool:
    """Whether a bracketed marker is an episode scope (``3～13話``, ``5、6話``, ``前編``, ``OP``)."""
    folded = nfkc(text)
    return bool(_SCOPE.match(folded) or _SCOPE_WORDS.search(text) or _SCOPE_LIST.match(folded))


def split_top(text: str, seps: str) -> list[str]:
    """Split on any of ``seps`` outside brackets. A closer with no opener is ignored; an opener that never closes
    (a string cut by the source) keeps the rest together, and the split before it stands."""
    out: list[str] = []
    stack: list[str] = []
    start = 0
    for i, ch in enumerate(text):
        if ch in PAIRS:
            stack.append(PAIRS[ch])
        elif stack and ch == stack[-1]:
            stack.pop()
        elif ch in seps and not stack:
            out.append(text[start:i])
            start = i + 1
    out.append(text[start:])
    return out


def is_separator(text: str) -> bool:
    """Whether ``text`` is a run of separator symbols (``◆◆◆◆``, ``――――``) and nothing else."""
    t = text.strip(SPACE)
    return bool(t) and bool(SEPARATOR_RUN.search(t)) and bool(_PUNCT_ONLY.match(t))


def is_blank(text: str) -> bool:
    """Whether ``text`` holds no name: empty, spaces or punctuation only."""
    return bool(_PUNCT_ONLY.match(text))


@dataclass(frozen=True)
class Entity:
    """One credited name with what surrounds it in the source. ``defect`` names a source artifact that is no name at
    all (``separator``, ``fragment``, ``empty``); ``notes`` say what was taken off the name and why."""

    name: str
    parenthetical: str | None = None
    scope: str | None = None
    is_logo: bool = False
    suffix_role: str | None = None
    notes: tuple[str, ...] = ()
    defect: str | None = None


def _unbalanced(t: str, notes: list[str]) -> str:
    """``t`` without the halves of source notes that span several entries: ``（吉村祥`` (the note opens here),
    ``山本三郎:日本アニメーション映画史P226記載なし）`` (it closes here), ``A（NFC表記:…`` (cut before it closes)."""
    while t and t[0] in "]］】）)":
        notes.append(f"stray {t[0]!r} before the name in the source")
        t = t[1:].lstrip(SPACE)
    if t and t[0] in "（(" and not any(c in t for c in "）)"):
        notes.append(f"a source note opens before the name: {t[:1]!r}")
        t = t[1:].lstrip(SPACE)
    while t and t[-1] in "]］】" and t.count(t[-1]) > t.count({"]": "[", "］": "［", "】": "【"}[t[-1]]):
        notes.append(f"stray {t[-1]!r} after the name in the source")
        t = t[:-1].rstrip(SPACE)
    if t and t[-1] in "）)" and t.count("（") + t.count("(") < t.count("）") + t.count(")"):
        notes.append(f"a source note that opened earlier closes here: {t[-1]!r}")
        t = t[:-1].rstrip(SPACE)
    m = _COLON_NOTE.match(t)
    if m:
        notes.append(f"source note: {m.group(2).strip(SPACE)}")
        t = m.group(1).rstrip(SPACE)
    for opener in "（(":
        i = t.find(opener)
        closer = "）" if opener == "（" else ")"
        if i > 0 and closer not in t[i:]:
            notes.append(f"source note cut before it closes: {t[i:]}")
            t = t[:i].rstrip(SPACE)
    return t


@lru_cache(maxsize=300_000)
def parse_entity(text: str) -> Entity:
    """Peel a leading ``[ロゴ]``, trailing ``[ロゴ]`` / ``[3～13話]`` / other bracket markers, halves of source notes,
    then the parenthetical; what is left is the name, verbatim."""
    t = text.strip(SPACE)
    notes: list[str] = []
    logo = False
    scope: str | None = None
    suffix: str | None = None
    wrapped = _WRAPPED.match(t)
    if wrapped and wrapped.group(1).strip(SPACE) != "ロゴ" and not is_scope(wrapped.group(1)):
        notes.append("the name is in brackets in the source")
        t = wrapped.group(1).strip(SPACE)
    if t and t[0] in "[［【" and not any(c in t for c in "]］】"):
        return Entity(t, notes=tuple(notes), defect="truncated")
    if t.startswith(("[ロゴ]", "［ロゴ］")):
        logo = True
        t = t[4:].lstrip(SPACE)
    while True:
        m = _TRAILING_MARKER.search(t)
        if not m or m.start() == 0:
            break
        inner = m.group(1).strip(SPACE)
        if inner == "ロゴ":
            logo = True
        elif is_scope(inner):
            scope = inner if scope is None else f"{inner} {scope}"
        else:
            suffix = inner
        t = t[: m.start()].rstrip(SPACE)
    m = _CUT_MARKER.search(t)
    if m and m.start() > 0:
        notes.append(f"a marker cut off by the source's length limit: {t[m.start() :]}")
        t = t[: m.start()].rstrip(SPACE)
    t = _unbalanced(t, notes)
    base, paren = split_parenthetical(t)
    defect = None
    if is_separator(base) and _SYMBOLS.search(base):
        defect = "separator"
    elif is_blank(base):
        defect = "empty"
    elif _BRACKETS.search(base) or SEPARATOR_RUN.search(base):
        defect = "fragment"
    return Entity(base, paren, scope, logo, suffix, tuple(notes), defect)


class Builder:
    """Numbers lines and positions as credits are emitted, in source order.

    ``defects``: a name that is no name (a separator, a fragment, nothing) becomes a source defect of the record
    (MADB); without it such a name stays a credit for the importer to reject (credit-roll text, where a heading with
    no name under it is the file's error).
    """

    def __init__(
        self,
        production: str,
        source: str,
        source_ref: str | None,
        line: int,
        *,
        field: str = "",
        defects: bool = False,
        line_order: int = 0,
        episode: str | None = None,
    ) -> None:
        self.production = production
        self.source = source
        self.source_ref = source_ref
        self.line = line
        self.field = field
        self.defects = defects
        self.line_order = line_order
        self.episode = episode  # an episode entry's scope: every credit without a scope of its own takes it
        self.out: list[ParsedCredit] = []
        self._base = {"line": line, "production": production, "source": source, "source_ref": source_ref}

    def note(self, kind: str, text: str) -> None:
        """A credit note of ``kind`` (a line of its own)."""
        self.line_order += 1
        self.out.append(
            ParsedCredit(
                **self._base, role_as_credited=kind, name_as_credited=text, kind="note", line_order=self.line_order
            )
        )

    def defect(self, kind: str, text: str, why: str) -> None:
        """A source defect of ``kind`` (``separator``, ``truncated``, ``fragment``, ``editorial``, ``empty``): the
        fragment verbatim, where it sits, and why it is no credit."""
        where = f"{self.field}: " if self.field else ""
        if self.episode:
            why = f"{why} (episode entry {self.episode})"
        self.out.append(
            ParsedCredit(
                **self._base,
                role_as_credited=kind,
                name_as_credited=text,
                kind="defect",
                line_order=self.line_order,
                note=f"{where}{why}",
            )
        )

    def credits(
        self,
        role: str,
        names: list[str],
        *,
        block: str,
        role_code: str | None = None,
        position: int = 0,
        new_line: bool = True,
        note: str | None = None,
        scope: str | None = None,
    ) -> int:
        """Emit one credit per (role part × name). ``scope`` applies to names that carry none of their own.
        Returns the next position in this role line."""
        if new_line:
            self.line_order += 1
        # A character (a cast line's role) is one name whatever it holds: 人形遣い、時計商人 is one character.
        parts = (role,) if role_code or not role else split_roles(role)
        line_id = f"{self.source_ref or self.production}:{self.field}{self.line}:{self.line_order}"
        base = self._base
        for name_text in names:
            ent, facts = _name_facts(name_text)
            if ent.defect and self.defects:
                shown = f"[{role}]{name_text}" if role else name_text
                self.defect(ent.defect, shown.strip(SPACE), _DEFECT_WHY[ent.defect])
                continue
            ent_scope = ent.scope or scope or self.episode
            lo, hi = parse_scope(ent_scope) if ent_scope else (None, None)
            for part in parts:
                code, prov = (role_code, None) if role_code else map_role(part)
                part_role = part
                if ent.suffix_role and not role:
                    part_role, (code, prov) = ent.suffix_role, map_role(ent.suffix_role)
                notes = [n for n in (note, prov) if n]
                if len(parts) > 1:
                    notes.append(f"split from combined role {role!r}")
                if ent.suffix_role and role:
                    notes.append(f"marker [{ent.suffix_role}]")
                if ent.notes:
                    notes.extend(ent.notes)
                if self.episode and not (ent.scope or scope):
                    notes.append("from an episode entry")
                self.out.append(
                    new_credit(
                        base, facts, role_as_credited=part_role, role_code=code, block=block,
                        line_order=self.line_order, position_in_line=position, episode_scope=ent_scope,
                        episode_from=lo, episode_to=hi, source_line_id=line_id, note="; ".join(notes) or None,
                    )
                )  # fmt: skip
            position += 1
        return position


@lru_cache(maxsize=300_000)
def _name_facts(name_text: str) -> tuple[Entity, dict[str, object]]:
    """The entity of a name's text and the credit fields that follow from it alone (the name, its parenthetical and
    its kind, the logo, the person-or-organization call on its own evidence): a name repeats across a file."""
    ent = parse_entity(name_text)
    evidence = name_evidence(ent.name, is_logo=ent.is_logo) if ent.name and not ent.defect else None
    facts: dict[str, object] = {
        "name_as_credited": ent.name,
        "parenthetical": ent.parenthetical,
        "parenthetical_kind": classify_parenthetical(ent.parenthetical) if ent.parenthetical else None,
        "is_logo": ent.is_logo,
        "is_organization": evidence is not None,
        "entity_basis": evidence.basis if evidence is not None else "default",
        "entity_reason": evidence.reason if evidence is not None else NO_EVIDENCE,
    }
    return ent, facts


_DEFECT_WHY = {
    "separator": "a separator between groups of entries, not a name",
    "truncated": "an entry cut off by the source's length limit",
    "empty": "a role with no name under it (blank or punctuation only)",
    "fragment": "a fragment of brackets or separators left in the source, not a name",
}
