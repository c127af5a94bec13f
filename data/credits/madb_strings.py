"""The Media Arts Database's credit strings, in every grammar it publishes, read into credits, notes and source
defects without rewriting a character of the evidence.

* ``[役職]氏名（所属）[3～13話] ／ [役職]氏名`` — MADB's own. Role brackets are half-width ``[…]`` or full-width
  ``［…］``; entries are separated by ``／``; an entry without a ``[役職]`` continues the previous role; a ``[役職]``
  with nothing after it heads the entries that follow (``[声の出演] ／ 【役】声優``).
* ``原作:氏名 監督:氏名 声の出演:氏名/氏名 ほか.`` — the catalogue (National Diet Library) style: several
  ``役職:氏名/氏名`` groups in one string, separated by spaces (or ``;``); a trailing ``ほか`` is its own entry.
* ``【役名】声優、声優`` — voice cast: the character in lenticular brackets, with an episode scope of its own when
  the source gives one (``【暖蜜先生[70～72、76話]】壇蜜``); ``役名(声優)`` where the brackets were left out.
* ``[ロゴ]`` (shown as a logo), ``[3～13話]`` / ``[前編]`` (episode scope), ``〔〔…〕〕`` under ``[異体字備考]``,
  ``*…``, ``※…`` and ``＜…＞`` headings (notes).

What is no credit and no note is a **source defect** of the record, reported and never stored as a name: a
separator between groups (``◆◆◆◆``), a fragment cut off by the source's length limit (``【店主[``, ``[動``), stray
brackets (``】】``), an editor's marker (``【【【！！！メインスタッフ要修正！！！】】】``), a role or a character with
no name under it.
"""

from __future__ import annotations

import re

from data.credit_records import ParsedCredit
from data.credits.organizations import name_evidence
from data.credits.parts import (
    PAIRS,
    SPACE,
    Builder,
    is_scope,
    is_separator,
    map_role,
    split_top,
)

_SEPARATORS = "／;；"
_SPACED_SLASH = re.compile(r"(?<=[ \t\u3000\u00a0])／(?=[ \t\u3000\u00a0])")
_SPECIAL = re.compile(r"[\[［【（(＜<〔{「『〈\]］】）)＞>〕}」』〉／;；]")
_NOTE_ROLE = re.compile(r"^(\*|＊|※|異体字備考|備考|注$|注記|ここまで|以下|参考文献|出典)")
_CATALOGUE = re.compile(r"^([^\s:：/／\[\]［］【】（）()「」＜＞]{1,20})[:：]\s*(.*)$", re.S)
_JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
_ROLE_WORD = re.compile(
    r"(監督|作画|脚本|脚色|演出|原作|原案|原画|構成|デザイン|美術|音楽|音響|主題歌|挿入歌|作詞|作曲|編曲|出演|声|制作|"
    r"製作|企画|撮影|編集|設定|協力|担当|進行|プロデュー|ディレクター|監修|考証|翻訳|翻案|ナレー|語り|効果|録音|仕上|"
    r"彩色|背景|動画|キャラ|メカ|色彩|特技|特殊|掲載|連載|出版|発行|発売|販売|配給|提供|著作|文|絵)"
)
_OTHERS_SPACED = re.compile(r"[\s\u3000]+(ほか|他|その他|et al\.?|and others)\.?$", re.IGNORECASE)
_OTHERS_DOTTED = re.compile(r"(ほか|他)[.．]$")
_THEME_SONG = re.compile(r"^(OP|ED|オープニング|エンディング|挿入歌)[\dOPED・･\s]*[「『]")
_NUMBERED = re.compile(r"^[（(]\d+[）)]\s*(.+)$")
_CHARACTER_ACTORS = re.compile(r"^([^（）()\[\]【】［］]+?)[\s\u3000]*((?:[（(][^（）()]+[）)][\s\u3000]*)+)$")
_PARENS = re.compile(r"[（(]([^（）()]+)[）)]")
_CHARACTER_SCOPE = re.compile(r"[\[［]([^\[\]［］]*)[\]］]$")
_CATALOGUE_SPLIT = re.compile(r"[/／,、]")
_TRUNCATED_WHY = "cut off by the source's length limit"
_MISMATCHED = re.compile(r"^[\[［][^\[\]［］【】〔〕「」（）]{1,30}[\]］〕」】）]")
_LOST_OPENER = re.compile(r"^([^\[\]［］【】（）()]{1,20})[\]］]([^\[\]［］]+)$")
_ANNOTATION = re.compile(r"(参照|を参考|より転載|記載|表記|資料|要確認|出典)")
_BRACKET_CHARS = re.compile(r"[\[\]［］【】]")
# Entries a space apart with no ／ between them: "[原作]石井桃子　[絵]清水崑" (not before a marker like [ロゴ] or
# [3話], which belongs to the name before it).
_SPACED_ROLE = re.compile(r"(?<=\S)[\s\u3000]+(?=[\[［]([^\[\]［］]{1,30})[\]］]\S)")


def split_segments(value: str) -> list[str]:
    """The entries of a credit string: split on ``／`` (and ``;``) outside brackets, and on a ``／`` with a space on
    each side even inside brackets (an unclosed bracket must not swallow the rest of the string), never on the
    ``／`` inside ``【ペジテ／アスベル】``."""
    if not any(s in value for s in _SEPARATORS):
        return [value]
    if ";" not in value and "；" not in value and value.count("／") == len(_SPACED_SLASH.findall(value)):
        return _SPACED_SLASH.split(value)  # every ／ has a space on each side: split on all of them
    out: list[str] = []
    stack: list[str] = []
    start = 0
    n = len(value)
    for m in _SPECIAL.finditer(value):
        ch, i = m.group(), m.start()
        if ch in PAIRS:
            stack.append(PAIRS[ch])
        elif ch in _SEPARATORS:
            spaced = i > 0 and value[i - 1] in SPACE and i + 1 < n and value[i + 1] in SPACE
            if spaced or not stack:
                out.append(value[start:i])
                start = i + 1
                stack.clear()
        elif stack and ch == stack[-1]:
            stack.pop()
        elif ch in stack:
            while stack and stack.pop() != ch:
                pass
    out.append(value[start:])
    return out


def closing(text: str, start: int) -> int:
    """The index of the bracket that closes the one at ``start`` (nested brackets of any kind inside), or -1."""
    stack = [PAIRS[text[start]]]
    for i in range(start + 1, len(text)):
        ch = text[i]
        if ch in PAIRS:
            stack.append(PAIRS[ch])
        elif ch == stack[-1]:
            stack.pop()
            if not stack:
                return i
        elif ch in stack:
            while stack and stack.pop() != ch:
                pass
            if not stack:
                return i
    return -1


def _names(text: str) -> list[str]:
    """The names of one entry: split on ``、`` outside brackets; foreign full names written one after the other
    with spaces (``ロン・ミタ ジム・マクレイン``) are split too, a name with spaces (``く じ ら``) is not."""
    out: list[str] = []
    for part in split_top(text, "、|"):
        part = part.strip(SPACE)
        if not part:
            continue
        words = part.split()
        if len(words) > 1 and all(("・" in w or "＝" in w) for w in words):
            out.extend(words)
        else:
            out.append(part)
    return out or [""]


def _catalogue_names(text: str) -> list[str]:
    """``氏名/氏名 ほか.`` → names; the trailing ほか becomes its own (placeholder) entry, kept verbatim."""
    t = text.strip(SPACE)
    others = None
    m = _OTHERS_SPACED.search(t) or _OTHERS_DOTTED.search(t)
    if m:
        others, t = m.group(1), t[: m.start()]
    t = t.rstrip(".．。" + SPACE)
    names = [n.strip(SPACE) for n in _CATALOGUE_SPLIT.split(t) if n.strip(SPACE)]
    if others:
        names.append(others)
    return names or [""]


def _plausible_role(text: str) -> bool:
    """A role of the taxonomy, or a short Japanese text with a role word in it (原案, 作詞, 掲載誌 …): never a
    person's name, so ``山本三郎:日本アニメーション映画史P226記載なし`` is no role group."""
    if map_role(text)[0] is not None or _NOTE_ROLE.match(text):
        return True
    return len(text) <= 12 and bool(_JAPANESE.search(text)) and bool(_ROLE_WORD.search(text))


def catalogue_groups(segment: str) -> list[tuple[str, str]] | None:
    """The ``役職:氏名/氏名`` groups of a catalogue-style entry, or None when it is not one (it must start with a
    group, and one of its roles must be a role of the taxonomy unless it has several)."""
    groups: list[list[str]] = []
    for token in segment.split():
        m = _CATALOGUE.match(token)
        if m and not token.startswith(("http", "©")) and _plausible_role(m.group(1)):
            groups.append([m.group(1), m.group(2)])
        elif groups:
            groups[-1][1] = f"{groups[-1][1]} {token}" if groups[-1][1] else token
        else:
            return None
    if not groups:
        return None
    if len(groups) == 1 and map_role(groups[0][0])[0] is None and not _NOTE_ROLE.match(groups[0][0]):
        return None
    return [(role, names) for role, names in groups]


class _Reader:
    """One credit string read entry by entry: the role a plain entry continues, the heading waiting for its names,
    the kind of note the next 〔〔…〕〕 belongs to."""

    def __init__(self, b: Builder, block: str) -> None:
        self.b = b
        self.block = block
        self.role: str | None = None
        self.role_open = False
        self.position = 0
        self.note_kind: str | None = None

    def _role_block(self, role: str) -> str:
        return "cast" if map_role(role)[0] == "cast" else self.block

    def _heading(self, role: str) -> None:
        """A role with no names yet: the entries that follow are its names."""
        self._close_heading()
        self.role = role
        self.role_open = True

    def _close_heading(self) -> None:
        if self.role_open:
            self.b.defect("empty", f"[{self.role}]", "a role with no name under it")
            self.role_open = False

    def entry(self, seg: str, *, note: str | None = None) -> None:
        seg = seg.strip(SPACE)
        if not seg:
            return
        b = self.b
        if is_separator(seg):
            b.defect("separator", seg, "a separator between groups of entries, not a name")
            return
        if seg.startswith("【【") or "！！！" in seg:
            b.defect("editorial", seg, "an editor's marker left in the published record, not a credit")
            return
        if seg.startswith("〔〔") or (self.note_kind and seg[:1] in "〔「"):
            b.note(self.note_kind or "備考", seg)
            return
        self.note_kind = None
        first = seg[0]
        if first in "*＊※":
            b.note("annotation", seg)
            return
        if _THEME_SONG.match(seg):
            b.note("theme_song", seg)
            return
        if first in "＜<〈":
            close = closing(seg, 0)
            if close == len(seg) - 1:
                b.note("heading", seg)
                return
            if close > 0:
                self.entry(
                    seg[close + 1 :], note="; ".join(filter(None, [note, f"under the heading {seg[: close + 1]}"]))
                )
                return
        if first in "（(":
            close = closing(seg, 0)
            if close == len(seg) - 1:
                inner = seg[1:-1].strip(SPACE)
                if inner and inner[0] in "[［":
                    self.entry(inner, note="; ".join(filter(None, [note, "in parentheses in the source"])))
                else:
                    b.note("annotation", seg)
                return
            numbered = _NUMBERED.match(seg)
            if numbered:
                seg = numbered.group(1)
                note = "; ".join(filter(None, [note, "numbered in the source"]))
        if first in "[［":
            self._bracket(seg, note)
            return
        if "【" in seg:
            j = seg.index("【")
            prefix = seg[:j].strip(SPACE)
            heading = self.role if self.role_open else None
            self.role_open = False
            self._cast(seg[j:], note="; ".join(filter(None, [note, f"under {prefix}" if prefix else None])),
                       heading=heading)  # fmt: skip
            return
        if not seg.strip("]］】）)" + SPACE):
            b.defect("fragment", seg, "stray closing brackets left in the source, not a name")
            return
        if self._cast_context() and "】" in seg[1:]:
            # 【 lost in the source (アスベル】松田洋治): the character is still the text before 】.
            self._cast("【" + seg, note="; ".join(filter(None, [note, "opening 【 missing in the source"])))
            return
        lost = _LOST_OPENER.match(seg)
        if lost:
            # [ lost in the source (原案]植村比呂志): the role is still the text before ].
            self._bracket(
                f"[{lost.group(1)}]{lost.group(2)}", "; ".join(filter(None, [note, "opening [ missing in the source"]))
            )
            return
        if _ANNOTATION.search(seg) and (len(seg) > 25 or "。" in seg or _BRACKET_CHARS.search(seg)):
            b.note("annotation", seg)
            return
        groups = catalogue_groups(seg)
        if groups is not None:
            self._close_heading()
            for role, names in groups:
                if _NOTE_ROLE.match(role):
                    b.note(role, names)
                    continue
                self.role = role
                self.position = b.credits(role, _catalogue_names(names), block=self._role_block(role), note=note)
            return
        self._plain(seg, note)

    def _cast_context(self) -> bool:
        return self.block == "cast" or (self.role is not None and map_role(self.role)[0] == "cast")

    def _plain(self, seg: str, note: str | None, scope: str | None = None) -> None:
        b = self.b
        if self._cast_context() and "【" not in seg:
            m = _CHARACTER_ACTORS.match(seg)
            if m and all(not _is_affiliation(a) for a in _PARENS.findall(m.group(2))):
                character = m.group(1).strip(SPACE)
                b.credits(character, _PARENS.findall(m.group(2)), block="cast", role_code="cast",
                          note="; ".join(filter(None, [note, "character (actor) in the source"])))  # fmt: skip
                return
        role = self.role or ""
        block, code, role_note = self._role_args(role) if role else (self.block, None, None)
        note = "; ".join(filter(None, [note, role_note])) or None
        if self.role is not None and not self.role_open:
            self.position = b.credits(role, _names(seg), block=block, role_code=code, position=self.position,
                                      new_line=False, note=note, scope=scope)  # fmt: skip
        else:
            self.position = b.credits(role, _names(seg), block=block, role_code=code, note=note, scope=scope)
            self.role_open = False

    def _bracket(self, seg: str, note: str | None) -> None:
        b = self.b
        close = closing(seg, 0)
        if close < 0:
            m = _MISMATCHED.match(seg)
            if m is None:
                self._close_heading()
                b.defect("truncated", seg, f"a role {_TRUNCATED_WHY}")
                return
            close = m.end() - 1
            note = "; ".join(filter(None, [note, "the role's brackets do not match in the source"]))
        inner, rest = seg[1:close].strip(SPACE), seg[close + 1 :].strip(SPACE)
        if inner and inner[0] in "[［":
            self.entry(inner + rest, note="; ".join(filter(None, [note, "doubled brackets in the source"])))
            return
        if inner == "ロゴ":
            self._plain(seg, note)  # a leading logo marker, not a role: the entry continues the role before it
            return
        if is_scope(inner) and rest:
            self._plain(rest, note, scope=inner)  # a leading episode scope
            return
        if _NOTE_ROLE.match(inner):
            # [異体字備考] heads the 〔〔…〕〕 entries that follow; [*以下、資料より] is itself the note.
            self._close_heading()
            self.note_kind = inner
            if rest or inner[:1] in "*＊※":
                b.note(inner, rest or inner)
            return
        self._close_heading()
        self.role = inner
        if rest.startswith("【"):
            self._cast(rest, note=note, heading=inner)
            return
        rest, note, scope = self._qualifiers(rest, note)
        if not rest:
            self.role_open = True
            return
        block, code, role_note = self._role_args(inner)
        self.position = b.credits(inner, _names(rest), block=block, role_code=code, scope=scope,
                                  note="; ".join(filter(None, [note, role_note])) or None)  # fmt: skip

    def _qualifiers(self, rest: str, note: str | None) -> tuple[str, str | None, str | None]:
        """Brackets between a role and its name: ``[原画][中堅原画]久保川美明`` (a qualifier), ``[製作][日本テレビ
        放送網]`` (the name itself in brackets), ``[3～13話]`` (a scope); a leading ``[ロゴ]`` stays with the name."""
        scope = None
        while rest and rest[0] in "[［":
            close = closing(rest, 0)
            if close < 0:
                break
            inner = rest[1:close].strip(SPACE)
            if inner == "ロゴ":
                break
            if close == len(rest) - 1:
                note = "; ".join(filter(None, [note, "the name is in brackets in the source"]))
                rest = inner
                break
            if is_scope(inner):
                scope = inner
            else:
                note = "; ".join(filter(None, [note, f"qualifier [{inner}]"]))
            rest = rest[close + 1 :].strip(SPACE)
        return rest, note, scope

    def _role_args(self, role: str) -> tuple[str, str | None, str | None]:
        """(block, role code, note) of a bracketed role: in a cast list, a bracket that is no role is a character."""
        code = map_role(role)[0]
        if code is not None:
            return ("cast" if code == "cast" else self.block), None, None
        if self.block == "cast":
            return "cast", "cast", "character"
        return self.block, None, None

    def _cast(self, text: str, *, note: str | None, heading: str | None = None) -> None:
        """``【役】声優、声優【役】声優`` pieces; a piece whose 【 never closes was cut by the source."""
        b = self.b
        i = 0
        while i < len(text):
            j = text.find("【", i)
            if j < 0:
                rest = text[i:].strip(SPACE)
                if rest:
                    self.position = b.credits("", _names(rest), block="cast", role_code="cast", note=note)
                return
            close = closing(text, j)
            if close < 0:
                b.defect("truncated", text[j:].strip(SPACE), f"a cast entry {_TRUNCATED_WHY}")
                return
            character = text[j + 1 : close].strip(SPACE)
            k = text.find("【", close + 1)
            names = text[close + 1 : k if k >= 0 else len(text)].strip(SPACE)
            i = k if k >= 0 else len(text)
            scope = None
            m = _CHARACTER_SCOPE.search(character)
            if m and m.start() > 0 and is_scope(m.group(1)):
                scope, character = m.group(1), character[: m.start()].rstrip(SPACE)
            if not names:
                if map_role(character)[0] is not None and k < 0:
                    self._heading(character)  # 【声の出演】 heading the entries that follow
                else:
                    b.defect("empty", text[j : close + 1], "a character with no one credited")
                continue
            code = map_role(character)[0]
            notes = [note, None if code else "character"]
            if heading and map_role(heading)[0] != "cast":
                notes.append(f"under [{heading}]")
            self.position = b.credits(character, _names(names), block="cast", role_code="cast", scope=scope,
                                      note="; ".join(filter(None, notes)) or None)  # fmt: skip
        self.role_open = False

    def finish(self) -> None:
        self._close_heading()


def _spaced_entries(seg: str) -> list[str]:
    """``seg``, split where a role bracket follows a space (and is no marker of the name before it)."""
    if "[" not in seg[1:] and "［" not in seg[1:]:
        return [seg]
    out, start = [], 0
    for m in _SPACED_ROLE.finditer(seg):
        inner = m.group(1).strip(SPACE)
        if inner == "ロゴ" or is_scope(inner):
            continue
        out.append(seg[start : m.start()])
        start = m.end()
    out.append(seg[start:])
    return out


def _is_affiliation(text: str) -> bool:
    return name_evidence(text) is not None


def parse_madb_string(
    value: str,
    *,
    production: str,
    line: int,
    source_ref: str | None,
    field: str = "contributor",
    block: str = "main",
    source: str = "madb",
    line_order: int = 0,
    episode: str | None = None,
) -> list[ParsedCredit]:
    """All credits, notes and source defects in one MADB credit string (any of its grammars), in source order.
    Role lines are numbered from ``line_order`` + 1; ``episode`` is the scope of an episode entry's string."""
    b = Builder(production, source, source_ref, line, field=field, defects=True, line_order=line_order,
                episode=episode)  # fmt: skip
    reader = _Reader(b, block)
    for seg in split_segments(value):
        for entry in _spaced_entries(seg):
            reader.entry(entry)
    reader.finish()
    return b.out
