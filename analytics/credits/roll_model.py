"""What an end roll says, computed from credit rows: its role lines (one line per person per role group) and its AI
disclosure lines, each in Japanese and English. No database: :mod:`analytics.credits.endroll` reads the rows.

Order: block (main staff, cast, OP, ED, other, special thanks), then the role taxonomy (Role.sort_order), then the
order of role lines as credited; names inside a role line keep ``position_in_line`` and are never re-sorted.
Grouping: a person who holds several roles in one block (and episode scope) is credited once, with the roles joined
as a studio writes them, in the taxonomy's order: ``監督・脚本・絵コンテ　青木麻衣`` /
``Director, Screenplay, Storyboard: Mai Aoki``. The line stands where its first role would.
Names: each person's choice. ``public`` — the display name (Japanese roll; a space inside a name in Chinese
characters, kana or hangul is dropped, as rolls print them) and the romaji given-first (English roll);
``pen_name_only`` — the pen name in both; ``private`` — omitted (a role line keeps a count of withheld names; it
disappears when every name in it is withheld). Names not linked to a person, and organizations, print as credited.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from analytics.credits.model import RoleIndex
from analytics.queries.credits import PersonNames
from data.i18n import N_, Translator, translator

BLOCK_ORDER = ("main", "cast", "OP", "ED", "other", "special_thanks")
# The stages of AI use as the disclosure sentence names them.
STAGE_LABELS = {
    "layout": N_("layout generation"),
    "generation": N_("image generation"),
    "img2img": N_("image-to-image"),
    "inpaint": N_("inpainting"),
    "upscale": N_("upscaling"),
    "interpolation": N_("frame interpolation"),
    "colorize": N_("colorization"),
    "composite": N_("compositing"),
}
WITHHELD = N_("name withheld")
AI_USE = N_("AI use")  # the role of an AI-usage record that names none
DISCLOSURE = N_("{role}: {names} ({stage}: {tool})")
JA, EN = translator("ja"), translator("en")
# A space between two characters of these scripts is not part of a printed name: 青木 麻衣 → 青木麻衣.
_CJK = r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\U00020000-\U0003134f"
_INNER_SPACE = re.compile(rf"(?<=[{_CJK}])[ \u3000]+(?=[{_CJK}])")


@dataclass(frozen=True)
class RollName:
    ja: str
    en: str
    credit_line_id: int  # the first credit line naming them on this roll line
    person_id: int | None = None
    credit_line_ids: tuple[int, ...] = ()  # every credit line the roll line stands for (one per role)


@dataclass(frozen=True)
class RollRole:
    code: str | None  # None for a role outside the taxonomy
    ja: str
    en: str


@dataclass(frozen=True)
class RollLine:
    block: str
    role_code: str | None  # the codes of the line's roles joined with "|" (``director|script``); None without any
    role_ja: str  # the roles as the roll prints them: 監督・脚本
    role_en: str  # Director, Screenplay
    episode_scope: str | None
    names: tuple[RollName, ...]
    withheld: int = 0  # names omitted at the person's request (visibility private)
    roles: tuple[RollRole, ...] = ()


@dataclass(frozen=True)
class Disclosure:
    role_ja: str
    role_en: str
    stage: str
    service: str
    operators: tuple[str, ...]  # Japanese roll names; withheld names are left out
    post_editors: tuple[str, ...]
    text_ja: str
    text_en: str
    assets: int


def _is_latin(text: str) -> bool:
    return all(ord(ch) < 0x250 for ch in text)


def printed_native(name: str) -> str:
    """A name as a Japanese roll prints it: no space between two characters of Chinese characters, kana or hangul."""
    return _INNER_SPACE.sub("", name)


def roll_names(person: PersonNames | None, credited: str) -> tuple[str, str] | None:
    """``(ja, en)`` for one credited name, honoring the person's choice; None when the person is private."""
    if person is None:
        return credited, credited
    if person.visibility == "private":
        return None
    if person.visibility == "pen_name_only":
        chosen = person.pen_name or person.display_name
        return chosen, chosen
    return printed_native(person.display_name), person.romaji or person.display_name


def _identity(role: RollRole) -> Any:
    return role.code or ("credited", role.ja)


def join_roles(roles: list[RollRole] | tuple[RollRole, ...], t: Translator) -> str:
    """The roles of one roll line in ``t``'s language: 監督・脚本・絵コンテ / Director, Screenplay, Storyboard."""
    label = [r.ja for r in roles] if t.language == "ja" else [r.en for r in roles]
    return t.pgettext("end roll: between the roles of one line", ", ").join(label)


@dataclass
class _Slot:
    """One role of one credited line, before grouping: the names credited in it, in position order."""

    block: str
    line_order: int
    scope: str | None
    role: RollRole
    key: tuple[int, int, int]
    entries: list[tuple[RollName, Any]] = field(default_factory=list)  # (name, its person id or None)
    withheld: int = 0


def _slots(rows: list[Any], people: dict[int, PersonNames]) -> list[_Slot]:
    """The credited lines split per role (a line credited 監督・脚本 holds two), each with its sort key: the role's
    taxonomy order, or right after the taxonomy line credited before it for a role outside the taxonomy."""
    by_line: dict[tuple[str, int], list[Any]] = defaultdict(list)
    for row in rows:
        by_line[(row["block"], row["line_order"])].append(row)
    index = RoleIndex.default()
    out: list[_Slot] = []
    last_sort: dict[str, int] = defaultdict(lambda: -1)
    for (block, line_order), members in sorted(by_line.items(), key=lambda kv: kv[0][1]):
        identities = {
            r["role_code"] if r["role_id"] is not None else ("credited", r["role_as_credited"]) for r in members
        }
        split = len(identities) > 1
        slots: dict[Any, _Slot] = {}
        for row in members:
            has_role = row["role_id"] is not None
            identity = row["role_code"] if has_role else ("credited", row["role_as_credited"])
            slot = slots.get(identity)
            if slot is None:
                credited = row["role_as_credited"]
                if has_role:
                    # A combined credit (監督・脚本) names each role by the taxonomy; a single one as credited.
                    ja = row["role_ja"] if split or _is_latin(credited) else credited
                    role = RollRole(row["role_code"], ja, row["role_en"])
                    key = (row["role_sort"], 0, line_order)
                    last_sort[block] = row["role_sort"]
                else:
                    known = index.resolve(None, credited)
                    role = RollRole(None, credited, known.en if known else credited)
                    key = (last_sort[block], 1, line_order)
                slot = slots[identity] = _Slot(block, line_order, row["episode_scope"], role, key)
                out.append(slot)
            pid = row["person_id"]
            chosen = roll_names(people.get(pid) if pid is not None else None, row["name_as_credited"])
            if chosen is None:
                slot.withheld += 1
                continue
            ja, en = chosen
            if row["via"]:
                ja, en = f"{ja}（{row['via']}）", f"{en} ({row['via']})"
            name = RollName(ja=ja, en=en, credit_line_id=row["id"], person_id=pid, credit_line_ids=(row["id"],))
            slot.entries.append((name, pid))
    return out


def roll_lines(rows: list[Any], people: dict[int, PersonNames]) -> list[RollLine]:
    """The role lines of a roll from :func:`analytics.queries.credits.roll_rows` (in credited order) and the named
    people: blocks in ``BLOCK_ORDER``, taxonomy order within a block, names as each person chose, and a person with
    several roles in one block and episode scope credited once on a line of those roles."""
    slots = _slots(rows, people)
    # Which roles each person holds per block and episode scope, in roll order.
    held: dict[tuple[str, str | None, int], list[_Slot]] = defaultdict(list)
    for slot in sorted(slots, key=lambda s: s.key):
        for _name, pid in slot.entries:
            if pid is not None:
                mine = held[(slot.block, slot.scope, pid)]
                if all(_identity(s.role) != _identity(slot.role) for s in mine):
                    mine.append(slot)
    grouped: dict[tuple[str, str | None, tuple[RollRole, ...]], dict[str, Any]] = {}
    moved: set[tuple[int, int]] = set()  # (id(slot), person) entries that went to a group line
    for slot in slots:  # credited order, so a group's names keep the order in which they were first credited
        for name, pid in slot.entries:
            mine = held.get((slot.block, slot.scope, pid)) if pid is not None else None
            if not mine or len(mine) < 2:
                continue
            roles = tuple(s.role for s in mine)
            group = grouped.setdefault(
                (slot.block, slot.scope, roles), {"key": (*mine[0].key, 0), "names": {}, "ids": defaultdict(list)}
            )
            group["names"].setdefault(pid, name)
            group["ids"][pid].append(name.credit_line_id)
            moved.add((id(slot), pid))

    by_block: dict[str, list[tuple[tuple[int, ...], RollLine]]] = defaultdict(list)
    for (block, scope, roles), group in grouped.items():
        names = tuple(
            RollName(n.ja, n.en, group["ids"][pid][0], pid, tuple(group["ids"][pid]))
            for pid, n in group["names"].items()
        )
        by_block[block].append((group["key"], _line(block, scope, roles, names, 0)))
    for slot in slots:
        names = tuple(name for name, pid in slot.entries if (id(slot), pid) not in moved)
        if names:
            by_block[slot.block].append(
                ((*slot.key, 1), _line(slot.block, slot.scope, (slot.role,), names, slot.withheld))
            )
    return [
        roll_line
        for block in sorted(by_block, key=lambda b: BLOCK_ORDER.index(b) if b in BLOCK_ORDER else len(BLOCK_ORDER))
        for _key, roll_line in sorted(by_block[block], key=lambda kr: kr[0])
    ]


def _line(
    block: str, scope: str | None, roles: tuple[RollRole, ...], names: tuple[RollName, ...], withheld: int
) -> RollLine:
    codes = [r.code for r in roles if r.code]
    return RollLine(
        block=block,
        role_code="|".join(codes) if codes else None,
        role_ja=join_roles(roles, JA),
        role_en=join_roles(roles, EN),
        episode_scope=scope,
        names=names,
        withheld=withheld,
        roles=roles,
    )


def disclosures(
    usages: list[Any], editors: dict[int, list[int]], people: dict[int, PersonNames], roles: dict[int, Any]
) -> list[Disclosure]:
    """The AI disclosure lines: the AI-usage records (:func:`analytics.queries.credits_checks.ai_usage_rows`, in
    role order) grouped by role, tool and stage, naming operators then post-editors as each chose; never the tool
    alone, and 氏名非公開 / "name withheld" only when every person involved is private."""
    groups: dict[tuple, dict] = {}
    for usage in usages:
        key = (usage["role_id"], usage["service_id"], usage["stage"])
        group = groups.setdefault(
            key, {"role": roles.get(usage["role_id"]), "service": f"{usage['service']} {usage['version'] or ''}".strip(),
                  "stage": usage["stage"], "operators": [], "editors": [], "assets": 0},
        )  # fmt: skip
        group["assets"] += 1
        if usage["operator_id"] not in group["operators"]:
            group["operators"].append(usage["operator_id"])
        for pid in editors.get(usage["id"], ()):
            if pid not in group["editors"]:
                group["editors"].append(pid)

    out = []
    for group in groups.values():
        role, tool = group["role"], group["service"]
        shown = [roll_names(people[p], people[p].display_name) for p in group["operators"] + group["editors"]]
        unique_ja: list[str] = []
        unique_en: list[str] = []
        for chosen in shown:
            if chosen is not None and chosen[0] not in unique_ja:
                unique_ja.append(chosen[0])
                unique_en.append(chosen[1])
        role_ja = role.ja if role else JA(AI_USE)
        role_en = role.en if role else EN(AI_USE)
        ops = tuple(c[0] for p in group["operators"] if (c := roll_names(people[p], people[p].display_name)))
        eds = tuple(c[0] for p in group["editors"] if (c := roll_names(people[p], people[p].display_name)))
        texts = {
            t.language: disclosure_text(t, role=r, names=n, stage=group["stage"], tool=tool)
            for t, r, n in ((JA, role_ja, unique_ja), (EN, role_en, unique_en))
        }
        out.append(
            Disclosure(
                role_ja=role_ja,
                role_en=role_en,
                stage=group["stage"],
                service=tool,
                operators=ops,
                post_editors=eds,
                text_ja=texts["ja"],
                text_en=texts["en"],
                assets=group["assets"],
            )
        )
    return out


def disclosure_text(t: Translator, *, role: str, names: list[str], stage: str, tool: str) -> str:
    """One disclosure sentence in ``t``'s language: ``背景 山田花子、田中三郎（画像生成: BG-Gen 1.0 使用）`` /
    ``Background Art: Hanako Yamada, Saburō Tanaka (image generation: BG-Gen 1.0)``."""
    joined = t.pgettext("AI disclosure: between the names of people", ", ").join(names) or t(WITHHELD)
    return t(
        DISCLOSURE,
        role=role,
        names=joined,
        stage=t(STAGE_LABELS[stage]) if stage in STAGE_LABELS else stage,
        tool=tool,
    )
