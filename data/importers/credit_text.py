"""Credit strings as published, read into :class:`ParsedCredit` without rewriting a character of the evidence.

Three grammars appear in the Media Arts Database (MADB) and in catalogue data:

* ``[役職]氏名（所属）[3～13話] ／ [役職]氏名`` — MADB's own, segments separated by ``／``; a segment without a
  ``[役職]`` continues the previous role.
* ``役職:氏名/氏名 … ほか.`` — National Diet Library catalogue style.
* ``【役名】声優、声優`` — voice cast, the character's name in lenticular brackets.

and three layouts in credit-roll text: ``Role: Name, Name``, ``Role<TAB>Name • Name``, and a role heading followed
by one name per line. Roles are mapped onto the taxonomy (``data/seed/roles.csv``) by match key; the verbatim role
string is kept. A combined role (``演出、絵コンテ``) becomes one credit per role sharing a ``source_line_id``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache

from data.credit_records import ParsedCredit
from data.names import nfkc
from data.reference import load_roles, role_key

SPACE = " \t\u3000\u00a0"
_OPEN = "（(＜<〔{"
_CLOSE = "）)＞>〕}"
_SCOPE = re.compile(r"^(?:第)?(\d+)(?:\s*[～~〜\-－―]\s*(?:第)?(\d+))?\s*話?$")
_SCOPE_WORDS = re.compile(r"(話|編|巻|部|OP|ED|最終回|本編|前半|後半)$")
_NDL_ROLE = re.compile(r"^([^\s:：\[\]【】／/、,]{1,30})\s*[:：]\s*(.*)$")
_NOTE_ROLE = re.compile(r"^(\*|＊|※|異体字備考|備考|注|ここまで|以下)")
_EQUIV = re.compile(r"^(.+?)と同義$")
_SOURCE_NOTE = re.compile(r"(表記|記載|資料|参考|NFC|[PＰ]\d+|不明)")
_TRAILING_OTHERS = re.compile(r"[\s\u3000]+(ほか|他|その他|et al\.?|and others)\.?$", re.IGNORECASE)
_ORG = re.compile(
    r"(スタジオ|studio|動画|アニメーション|animation|プロダクション|production|製作所|映画社|映画|委員会|株式会社|"
    r"有限会社|合同会社|㈱|㈲|⊂株⊃|\(株\)|\(有\)|inc\.?$|co\.,?\s*ltd|ltd\.?$|llc$|corp|pictures|entertainment|"
    r"films?$|works$|工房|研究所|協会|テレビ|放送|^TBS|^NHK|[社会部室局]$|グループ|group$|企画$|商事|レコード|"
    r"records|ミュージック|サウンド|sound$|プロ$|エンタテインメント|エンターテインメント|ピクチャーズ|フィルム|"
    r"デジタル|digital|システム|system|センター|center|ハウス|house$|ジャパン|japan$|公司|[（(]株[）)])",
    re.IGNORECASE,
)
_PERSON_LIKE = re.compile(
    r"^([\u4e00-\u9fff\u3005\u30f6\u3041-\u309f\u30a0-\u30ff*＊]{2,8}|[A-Za-zÀ-ž.'\-]+(?: [A-Za-zÀ-ž.'\-]+){1,3})$"
)
_BLOCK_HEADINGS = {
    "op": "OP",
    "opening": "OP",
    "オープニング": "OP",
    "ed": "ED",
    "ending": "ED",
    "エンディング": "ED",
}
_THANKS = {"special thanks", "スペシャルサンクス", "スペシャル・サンクス", "協力", "thanks"}


@lru_cache(maxsize=1)
def role_codes() -> dict[str, str]:
    """Role match key → taxonomy code, from the seed (the same strings the RoleVariant table holds)."""
    out: dict[str, str] = {}
    for row in load_roles():
        for t in [row["ja"], row["en"], *filter(None, row["variants"].split("|"))]:
            out.setdefault(role_key(t), row["code"])
    return out


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


def split_roles(role: str) -> list[str]:
    """A combined role string split into its roles: ``演出、絵コンテ`` → [演出, 絵コンテ].

    ``、`` always separates; ``・`` only when every part is a known role and the whole is not
    (``キャラクター・デザイン`` is one role, ``絵コンテ・演出`` is two).
    """
    parts = [p.strip(SPACE) for p in re.split(r"[、,，]", role) if p.strip(SPACE)]
    out: list[str] = []
    codes = role_codes()
    for part in parts or [role]:
        dotted = [p.strip(SPACE) for p in re.split(r"[・･/／]", part) if p.strip(SPACE)]
        if len(dotted) > 1 and role_key(part) not in codes and all(map_role(p)[0] for p in dotted):
            out.extend(dotted)
        else:
            out.append(part)
    return out


def strip_brackets(text: str) -> str:
    t = text.strip(SPACE)
    if t and t[0] in _OPEN and t[-1] in _CLOSE:
        return t[1:-1].strip(SPACE)
    return t


def split_parenthetical(text: str) -> tuple[str, str | None]:
    """``大野実（読広）`` → (``大野実``, ``（読広）``); only a parenthetical that closes the text counts."""
    t = text.rstrip(SPACE)
    if not t or t[-1] not in _CLOSE:
        return text.strip(SPACE), None
    close = t[-1]
    opener = _OPEN[_CLOSE.index(close)]
    alt = {"）": "(", ")": "（"}.get(close)
    depth = 0
    for i in range(len(t) - 1, -1, -1):
        ch = t[i]
        if ch == close or (alt and ch == {"(": ")", "（": "）"}[alt]):
            depth += 1
        elif ch == opener or (alt and ch == alt):
            depth -= 1
            if depth == 0:
                base = t[:i].strip(SPACE)
                if not base or t[i + 1 :].lstrip(SPACE)[:1] in "+＋":
                    return text.strip(SPACE), None  # "AI (+Human)": the bracket is part of the credited text
                return base, t[i:]
    return text.strip(SPACE), None


def looks_like_org(name: str) -> bool:
    return bool(_ORG.search(nfkc(name).replace("[ロゴ]", "").strip()))


def classify_parenthetical(paren: str) -> str:
    """affiliation, alias, equivalence or unknown — read from the text, never assumed."""
    inner = nfkc(strip_brackets(paren))
    if not inner:
        return "unknown"
    if _EQUIV.match(inner):
        return "equivalence"
    if _SOURCE_NOTE.search(inner) or re.search(r"第.+話|\d", inner):
        return "unknown"
    if paren.strip(SPACE)[:1] in "＜<" or looks_like_org(inner) or re.search(r"スタッフ|staff", inner, re.I):
        return "affiliation"
    compact = inner.replace(" ", "").replace("*", "")
    # A two-character parenthetical (読広) may be a company abbreviation or a name: too short to tell.
    if (
        re.search(r"[A-Za-z]", inner)
        and _PERSON_LIKE.match(inner)
        or (not re.search(r"[A-Za-z]", inner) and 3 <= len(compact) <= 6 and _PERSON_LIKE.match(compact))
    ):
        return "alias"
    return "unknown"


def parse_scope(scope: str) -> tuple[int | None, int | None]:
    m = _SCOPE.match(nfkc(scope).strip())
    if not m:
        return None, None
    lo = int(m.group(1))
    hi = int(m.group(2)) if m.group(2) else lo
    return (lo, hi) if hi >= lo else (None, None)


def split_top(text: str, seps: str) -> list[str]:
    """Split on any of ``seps`` outside brackets; unbalanced brackets fall back to a plain split."""
    out, buf, depth = [], [], 0
    for ch in text:
        if ch in _OPEN or ch == "【" or ch == "[":
            depth += 1
        elif (ch in _CLOSE or ch == "】" or ch == "]") and depth:
            depth -= 1
        if ch in seps and depth == 0:
            out.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
    out.append("".join(buf))
    if depth:
        return re.split("[" + re.escape(seps) + "]", text)
    return out


@dataclass
class Entity:
    """One credited name with what surrounds it in the source."""

    name: str
    parenthetical: str | None = None
    scope: str | None = None
    is_logo: bool = False
    suffix_role: str | None = None


def parse_entity(text: str) -> Entity:
    """Peel trailing ``[ロゴ]``, ``[3～13話]`` and other bracket markers, then the parenthetical."""
    t = text.strip(SPACE)
    ent = Entity(name=t)
    while True:
        m = re.search(r"\[([^\[\]]*)\][\s\u3000]*$", t)
        if not m or m.start() == 0:
            break
        inner = m.group(1).strip(SPACE)
        if inner == "ロゴ":
            ent.is_logo = True
        elif _SCOPE.match(nfkc(inner)) or _SCOPE_WORDS.search(inner) or re.match(r"^[\d、,，\s]+話$", nfkc(inner)):
            ent.scope = inner if ent.scope is None else f"{inner} {ent.scope}"
        else:
            ent.suffix_role = inner
        t = t[: m.start()].rstrip(SPACE)
    if t.startswith("[ロゴ]"):
        ent.is_logo = True
    base, paren = split_parenthetical(t)
    ent.name = base
    ent.parenthetical = paren
    return ent


class _Builder:
    """Numbers lines and positions as credits are emitted, in source order."""

    def __init__(self, production: str, source: str, source_ref: str | None, line: int) -> None:
        self.production = production
        self.source = source
        self.source_ref = source_ref
        self.line = line
        self.line_order = 0
        self.out: list[ParsedCredit] = []

    def note(self, kind: str, text: str) -> None:
        self.line_order += 1
        self.out.append(
            ParsedCredit(
                line=self.line,
                production=self.production,
                role_as_credited=kind,
                name_as_credited=text,
                kind="note",
                line_order=self.line_order,
                source=self.source,
                source_ref=self.source_ref,
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
        field: str = "",
    ) -> int:
        """Emit one credit per (role part × name). Returns the next position in this role line."""
        if new_line:
            self.line_order += 1
        parts = split_roles(role) if role else [role]
        line_id = f"{self.source_ref or self.production}:{field}{self.line}:{self.line_order}"
        for name_text in names:
            ent = parse_entity(name_text)
            for part in parts:
                code, prov = (role_code, None) if role_code else map_role(part)
                if ent.suffix_role and not role:
                    part_role, (code, prov) = ent.suffix_role, map_role(ent.suffix_role)
                else:
                    part_role = part
                notes = [n for n in (note, prov) if n]
                if len(parts) > 1:
                    notes.append(f"split from combined role {role!r}")
                if ent.suffix_role and role:
                    notes.append(f"marker [{ent.suffix_role}]")
                lo, hi = parse_scope(ent.scope) if ent.scope else (None, None)
                self.out.append(
                    ParsedCredit(
                        line=self.line,
                        production=self.production,
                        role_as_credited=part_role,
                        name_as_credited=ent.name,
                        role_code=code,
                        block=block,
                        line_order=self.line_order,
                        position_in_line=position,
                        episode_scope=ent.scope,
                        episode_from=lo,
                        episode_to=hi,
                        parenthetical=ent.parenthetical,
                        parenthetical_kind=classify_parenthetical(ent.parenthetical) if ent.parenthetical else None,
                        is_organization=True if (ent.is_logo or looks_like_org(ent.name)) else None,
                        is_logo=ent.is_logo,
                        source=self.source,
                        source_ref=self.source_ref,
                        source_line_id=line_id,
                        note="; ".join(notes) or None,
                    )
                )
            position += 1
        return position


def _names(text: str) -> list[str]:
    return [n for n in (s.strip(SPACE) for s in split_top(text, "、")) if n] or [""]


def parse_madb_string(
    value: str,
    *,
    production: str,
    line: int,
    source_ref: str | None,
    field: str = "contributor",
    block: str = "main",
    source: str = "madb",
) -> list[ParsedCredit]:
    """All credits and notes in one MADB credit string (any of the three grammars)."""
    b = _Builder(production, source, source_ref, line)
    role: str | None = None
    role_open = False  # a [役職] seen whose names have not come yet (a heading such as [声の出演])
    position = 0
    note_kind: str | None = None
    for seg in (s.strip(SPACE) for s in split_top(value, "／;；")):
        if not seg:
            continue
        if seg.startswith("〔〔") or (note_kind and seg[:1] in "〔「"):
            b.note(note_kind or "備考", seg)
            continue
        if seg.startswith("【"):
            note_kind = None
            for piece in filter(None, re.split(r"(?=【)", seg)):
                m = re.match(r"^【([^】]*)】(.*)$", piece, re.S)
                if not m:
                    b.credits(role or "", _names(piece), block="cast", role_code="cast", field=field)
                    continue
                character, rest = m.group(1).strip(SPACE), m.group(2)
                code = map_role(character)[0] if map_role(character)[0] == "cast" else "cast"
                b.credits(
                    character,
                    _names(rest),
                    block="cast",
                    role_code=code,
                    field=field,
                    note=None if map_role(character)[0] else "character",
                )
            role_open = False
            continue
        if seg.startswith("["):
            close = seg.find("]")
            if close < 0:
                # MADB truncates long strings mid-entry; the cut role has no name, which the batch rejects.
                b.credits(seg[1:].strip(SPACE), [""], block=block, field=field, note="truncated entry (unclosed [)")
                role_open = False
                continue
            if role_open:
                b.credits(role or "", [""], block=block, field=field)  # a role with no name under it
            inner, rest = seg[1:close].strip(SPACE), seg[close + 1 :].strip(SPACE)
            if _NOTE_ROLE.match(inner):
                # [異体字備考] heads the 〔〔…〕〕 segments that follow; [*以下、資料より] is itself the note.
                note_kind = inner
                if rest or inner[:1] in "*＊※":
                    b.note(inner, rest or inner)
                role_open = False
                continue
            note_kind = None
            role = inner
            if rest.startswith("【"):
                role_open = False
                for piece in filter(None, re.split(r"(?=【)", rest)):
                    m = re.match(r"^【([^】]*)】(.*)$", piece, re.S)
                    character, names = (m.group(1).strip(SPACE), m.group(2)) if m else (role, piece)
                    b.credits(character, _names(names), block="cast", role_code="cast", field=field)
                continue
            if not rest:
                role_open = True
                continue
            position = b.credits(
                role, _names(rest), block="cast" if map_role(role)[0] == "cast" else block, field=field
            )
            role_open = False
            continue
        note_kind = None
        m = _NDL_ROLE.match(seg)
        if m and not seg.startswith(("http", "©")):
            b.credits(m.group(1), _ndl_names(m.group(2)), block=block, field=field)
            role, role_open = m.group(1), False
            continue
        if role is not None and not role_open:
            position = b.credits(role, _names(seg), block=block, position=position, new_line=False, field=field)
        else:
            b.credits(
                role or "", _names(seg), block="cast" if role and map_role(role)[0] == "cast" else block, field=field
            )
            role_open = False
    if role_open:
        b.credits(role or "", [""], block=block, field=field)
    return b.out


def _ndl_names(text: str) -> list[str]:
    """``氏名/氏名 ほか.`` → names; the trailing ほか becomes its own (placeholder) entry, kept verbatim."""
    t = text.strip(SPACE).rstrip(".。")
    others = None
    m = _TRAILING_OTHERS.search(t)
    if m:
        others, t = m.group(1), t[: m.start()]
    names = [n.strip(SPACE) for n in re.split(r"[/／,、]", t) if n.strip(SPACE)]
    if others:
        names.append(others)
    return names or [""]


def parse_roll_lines(
    lines: Iterable[tuple[int, str]], *, production: str, source_ref: str | None, source: str = "imported_file"
) -> Iterator[ParsedCredit]:
    """Credit-roll text: ``Role: A, B`` / ``Role<TAB>A • B`` / heading + one name per line; blank lines end blocks."""
    heading: str | None = None
    heading_line = 0
    heading_used = False
    block = "main"
    line_order = 0
    position = 0

    def emit(n: int, role: str, names: list[str], new_line: bool) -> Iterator[ParsedCredit]:
        nonlocal line_order, position
        b = _Builder(production, source, source_ref, n)
        b.line_order = line_order
        code = "cast" if block == "cast" else None
        position = b.credits(role, names, block=block, role_code=code, position=position, new_line=new_line)
        line_order = b.line_order
        yield from b.out

    for n, raw in lines:
        line = raw.strip(SPACE)
        if not line:
            if heading is not None and not heading_used:
                yield from emit(heading_line, heading, [""], True)
            heading, heading_used = None, False
            continue
        if line.startswith(("[", "【")) and not line.startswith("[ロゴ]"):
            for c in parse_madb_string(line, production=production, line=n, source_ref=source_ref, source=source):
                line_order += 1
                yield replace(c, line_order=line_order)
            heading = None
            continue
        if "\t" in line:
            role, _, rest = line.partition("\t")
            names = [x for x in (s.strip(SPACE) for s in re.split(r"[•\t,，、]|／| / ", rest)) if x]
            position = 0
            yield from emit(n, role.strip(SPACE), names or [""], True)
            heading = None
            continue
        m = re.match(r"^([^:：]{1,60}?)\s*[:：]\s*(.*)$", line)
        if m and not re.match(r"^\d{1,2}:\d{2}", line):
            position = 0
            names = [x for x in (s.strip(SPACE) for s in re.split(r"[•,，、]|／| / ", m.group(2))) if x]
            yield from emit(n, m.group(1).strip(SPACE), names or [""], True)
            heading = None
            continue
        key = nfkc(line).casefold()
        if heading is None:
            if key in _BLOCK_HEADINGS:
                block = _BLOCK_HEADINGS[key]
                continue
            if key in {"cast", "キャスト", "声の出演", "voice cast"}:
                block = "cast"
            elif key in _THANKS:
                block = "special_thanks"
            elif block in ("cast", "special_thanks"):
                block = "main"
            heading, heading_line, heading_used, position = line, n, False, 0
            continue
        yield from emit(n, heading, [line], not heading_used)
        heading_used = True
    if heading is not None and not heading_used:
        yield from emit(heading_line, heading, [""], True)
