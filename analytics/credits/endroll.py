"""The end roll: a production's credits as the audience sees them, in Japanese and English.

Order: block (main staff, cast, OP, ED, other, special thanks), then the role taxonomy (Role.sort_order), then the
order of role lines as credited; names inside a role line keep ``position_in_line`` and are never re-sorted.
Names: each person's choice. ``public`` — the display name (Japanese roll) and the romaji given-first (English roll);
``pen_name_only`` — the pen name in both; ``private`` — omitted from the roll (a role line keeps a count of withheld
names in JSON/CSV; it disappears when every name in it is withheld). Names not linked to a person, and
organizations, print as credited.
AI use is disclosed from the AI-usage ledger, naming the operators and post-editors:
``背景 山田花子、田中三郎（画像生成: BG-Gen 1.0 使用）``.
A roll whose checks report an ERROR exports only as a watermarked DRAFT.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from analytics.credits.crosscheck import check_production
from analytics.credits.model import Finding
from analytics.credits.pdf import CreditPDF
from analytics.credits.rules import Severity
from analytics.errors import EndRollError
from analytics.queries import credits_checks
from analytics.queries.credits import PersonNames, find_production, person_names, roll_rows
from data import tabular

BLOCK_ORDER = ("main", "cast", "OP", "ED", "other", "special_thanks")
BLOCK_TITLES = {
    "main": ("スタッフ", "Staff"),
    "cast": ("キャスト", "Cast"),
    "OP": ("オープニング", "Opening"),
    "ED": ("エンディング", "Ending"),
    "other": ("その他", "Other"),
    "special_thanks": ("スペシャルサンクス", "Special Thanks"),
}
STAGE_LABELS = {
    "layout": ("レイアウト生成", "layout generation"),
    "generation": ("画像生成", "image generation"),
    "img2img": ("画像変換", "image-to-image"),
    "inpaint": ("部分生成", "inpainting"),
    "upscale": ("高解像度化", "upscaling"),
    "interpolation": ("中割り補間", "frame interpolation"),
    "colorize": ("自動彩色", "colorization"),
    "composite": ("合成", "compositing"),
}
WITHHELD = ("氏名非公開", "name withheld")


@dataclass(frozen=True)
class RollName:
    ja: str
    en: str
    credit_line_id: int
    person_id: int | None = None


@dataclass(frozen=True)
class RollLine:
    block: str
    role_code: str | None
    role_ja: str
    role_en: str
    episode_scope: str | None
    names: tuple[RollName, ...]
    withheld: int = 0  # names omitted at the person's request (visibility private)


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


@dataclass
class EndRoll:
    production_id: int
    title: str
    title_en: str
    lines: list[RollLine]
    disclosures: list[Disclosure]
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]

    @property
    def is_draft(self) -> bool:
        """True when a check reports an ERROR: such a roll exports only as a watermarked draft."""
        return bool(self.errors)

    @property
    def status(self) -> str:
        return "DRAFT" if self.is_draft else "FINAL"

    def draft_reason(self) -> str | None:
        if not self.is_draft:
            return None
        rules = sorted({f.rule for f in self.errors})
        return f"{len(self.errors)} ERROR finding(s): {', '.join(rules)}"


def _is_latin(text: str) -> bool:
    return all(ord(ch) < 0x250 for ch in text)


def roll_names(person: PersonNames | None, credited: str) -> tuple[str, str] | None:
    """``(ja, en)`` for one credited name, honoring the person's choice; None when the person is private."""
    if person is None:
        return credited, credited
    if person.visibility == "private":
        return None
    if person.visibility == "pen_name_only":
        chosen = person.pen_name or person.display_name
        return chosen, chosen
    return person.display_name, person.romaji or person.display_name


def build_end_roll(session: Session, *, production: str | int) -> EndRoll:
    """The production (id, title or external reference) as an end roll, with the validator's and the cross-checks'
    findings attached: any ERROR makes it a draft."""
    prod = find_production(session, production)
    rows = roll_rows(session, prod.id)
    people = person_names(session, [r["person_id"] for r in rows if r["person_id"] is not None])
    usages = credits_checks.ai_usage_rows(session, prod.id)
    editors = credits_checks.post_editors(session, [u["id"] for u in usages])
    operators = person_names(session, {u["operator_id"] for u in usages} | {p for ps in editors.values() for p in ps})
    return EndRoll(
        production_id=prod.id,
        title=prod.title,
        title_en=prod.title_en or prod.title_romaji or prod.title,
        lines=roll_lines(rows, people),
        disclosures=disclosures(usages, editors, operators, credits_checks.roles(session)),
        findings=check_production(session, production=prod.id).findings,
    )


def roll_lines(rows: list[Any], people: dict[int, PersonNames]) -> list[RollLine]:
    """The role lines of a roll from :func:`analytics.queries.credits.roll_rows` (in credited order) and the named
    people: blocks in ``BLOCK_ORDER``, taxonomy order within a block, names as each person chose."""
    # Role lines: the credits sharing (block, line_order), names in position order.
    grouped: dict[tuple[str, int], list[Any]] = defaultdict(list)
    for row in rows:
        grouped[(row["block"], row["line_order"])].append(row)

    by_block: dict[str, list[tuple[tuple[int, int, int], RollLine]]] = defaultdict(list)
    last_sort: dict[str, int] = defaultdict(lambda: -1)
    for (block, line_order), members in sorted(grouped.items(), key=lambda kv: kv[0][1]):
        first = members[0]
        names: list[RollName] = []
        withheld = 0
        for row in members:
            pid = row["person_id"]
            chosen = roll_names(people.get(pid) if pid is not None else None, row["name_as_credited"])
            if chosen is None:
                withheld += 1
                continue
            ja, en = chosen
            if row["via"]:
                ja, en = f"{ja}（{row['via']}）", f"{en} ({row['via']})"
            names.append(RollName(ja=ja, en=en, credit_line_id=row["id"], person_id=pid))
        if not names:
            continue
        credited_role = first["role_as_credited"]
        has_role = first["role_id"] is not None
        role_ja = credited_role if not _is_latin(credited_role) or not has_role else first["role_ja"]
        role_en = first["role_en"] if has_role else credited_role
        # A role line outside the taxonomy stays right after the taxonomy line credited before it.
        if has_role:
            key = (first["role_sort"], 0, line_order)
            last_sort[block] = first["role_sort"]
        else:
            key = (last_sort[block], 1, line_order)
        by_block[block].append(
            (
                key,
                RollLine(
                    block=block,
                    role_code=first["role_code"],
                    role_ja=role_ja,
                    role_en=role_en,
                    episode_scope=first["episode_scope"],
                    names=tuple(names),
                    withheld=withheld,
                ),
            )
        )
    return [
        roll_line
        for block in sorted(by_block, key=lambda b: BLOCK_ORDER.index(b) if b in BLOCK_ORDER else len(BLOCK_ORDER))
        for _key, roll_line in sorted(by_block[block], key=lambda kr: kr[0])
    ]


def disclosures(
    usages: list[Any], editors: dict[int, list[int]], people: dict[int, PersonNames], roles: dict[int, Any]
) -> list[Disclosure]:
    """The AI disclosure lines: the AI-usage records (:func:`analytics.queries.credits_checks.ai_usage_rows`, in
    role order) grouped by role, tool and stage, naming operators then post-editors as each chose."""
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
        role, label = group["role"], group["service"]
        stage_ja, stage_en = STAGE_LABELS.get(group["stage"], (group["stage"], group["stage"]))
        shown = [roll_names(people[p], people[p].display_name) for p in group["operators"] + group["editors"]]
        unique_ja: list[str] = []
        unique_en: list[str] = []
        for chosen in shown:
            if chosen is not None and chosen[0] not in unique_ja:
                unique_ja.append(chosen[0])
                unique_en.append(chosen[1])
        names_ja = "、".join(unique_ja) or WITHHELD[0]
        names_en = ", ".join(unique_en) or WITHHELD[1]
        role_ja = role.ja if role else "AI使用"
        role_en = role.en if role else "AI use"
        ops = tuple(c[0] for p in group["operators"] if (c := roll_names(people[p], people[p].display_name)))
        eds = tuple(c[0] for p in group["editors"] if (c := roll_names(people[p], people[p].display_name)))
        out.append(
            Disclosure(
                role_ja=role_ja,
                role_en=role_en,
                stage=group["stage"],
                service=label,
                operators=ops,
                post_editors=eds,
                text_ja=f"{role_ja} {names_ja}（{stage_ja}: {label} 使用）",
                text_en=f"{role_en}: {names_en} ({stage_en}: {label})",
                assets=group["assets"],
            )
        )
    return out


# ---------------------------------------------------------------------------------------------------------------
# Exports


def _check_lang(lang: str) -> None:
    if lang not in {"ja", "en"}:
        raise EndRollError("language must be 'ja' or 'en', not {lang!r}", fix="use ja or en", lang=lang)


def roll_text(roll: EndRoll, lang: str = "ja") -> str:
    """The roll as plain text, one role line per line: ``原画　山田花子　佐藤一郎``."""
    _check_lang(lang)
    ja = lang == "ja"
    out: list[str] = []
    if roll.is_draft:
        out += [f"【DRAFT 下書き — 公開不可】 {roll.draft_reason()}", ""]
    out += [roll.title if ja else roll.title_en, ""]
    block = None
    for line in roll.lines:
        if line.block != block:
            block = line.block
            out += ["", f"■ {BLOCK_TITLES.get(block, (block, block))[0 if ja else 1]}"]
        role = line.role_ja if ja else line.role_en
        scope = f" [{line.episode_scope}]" if line.episode_scope else ""
        sep = "　" if ja else ", "
        names = sep.join(n.ja if ja else n.en for n in line.names)
        out.append(f"{role}{scope}{'　' if ja else ': '}{names}")
    if roll.disclosures:
        out += ["", "■ AI使用の表記" if ja else "■ AI disclosure"]
        out += [d.text_ja if ja else d.text_en for d in roll.disclosures]
    if roll.is_draft:
        out += ["", "【DRAFT 下書き — 公開不可】"]
    return "\n".join(out) + "\n"


def _rows(roll: EndRoll) -> list[dict]:
    rows = []
    for number, line in enumerate(roll.lines, start=1):
        for position, name in enumerate(line.names):
            rows.append(
                {
                    "status": roll.status,
                    "block": line.block,
                    "line": number,
                    "role_code": line.role_code or "",
                    "role_ja": line.role_ja,
                    "role_en": line.role_en,
                    "episode_scope": line.episode_scope or "",
                    "position": position,
                    "name_ja": name.ja,
                    "name_en": name.en,
                    "kind": "credit",
                }
            )
    for number, d in enumerate(roll.disclosures, start=len(roll.lines) + 1):
        rows.append(
            {
                "status": roll.status,
                "block": "ai_disclosure",
                "line": number,
                "role_code": "",
                "role_ja": d.role_ja,
                "role_en": d.role_en,
                "episode_scope": "",
                "position": 0,
                "name_ja": d.text_ja,
                "name_en": d.text_en,
                "kind": "ai_disclosure",
            }
        )
    return rows


def roll_csv(roll: EndRoll) -> str:
    """CSV, one row per name. Columns: status (FINAL or DRAFT on every row), block, line, role_code, role_ja,
    role_en, episode_scope, position, name_ja, name_en, kind (credit / ai_disclosure)."""
    fields = [
        "status",
        "block",
        "line",
        "role_code",
        "role_ja",
        "role_en",
        "episode_scope",
        "position",
        "name_ja",
        "name_en",
        "kind",
    ]
    return tabular.csv_records(fields, _rows(roll))


def roll_json(roll: EndRoll) -> str:
    """JSON: status, title, lines (names in order, withheld counts), disclosures, and the ERROR findings."""
    payload = {
        "status": roll.status,
        "draft_reason": roll.draft_reason(),
        "production_id": roll.production_id,
        "title": roll.title,
        "title_en": roll.title_en,
        "lines": [asdict(line) for line in roll.lines],
        "disclosures": [asdict(d) for d in roll.disclosures],
        "errors": [f.as_dict() for f in roll.errors],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2)


def roll_pdf(roll: EndRoll, lang: str = "ja") -> bytes:
    """A centered end-roll PDF in the Japanese font; a DRAFT watermark on every page when there are ERRORs."""
    _check_lang(lang)
    ja = lang == "ja"
    pdf = CreditPDF(title=roll.title if ja else roll.title_en, draft_reason=roll.draft_reason())
    pdf.add_page()
    pdf.line_text(roll.title if ja else roll.title_en, size=16, align="C")
    pdf.ln(4)
    block = None
    for line in roll.lines:
        if line.block != block:
            block = line.block
            pdf.ln(3)
            pdf.line_text(BLOCK_TITLES.get(block, (block, block))[0 if ja else 1], size=12, align="C")
            pdf.ln(1)
        scope = f" [{line.episode_scope}]" if line.episode_scope else ""
        pdf.line_text(f"{line.role_ja if ja else line.role_en}{scope}", size=8, align="C")
        pdf.line_text(("　" if ja else "   ").join(n.ja if ja else n.en for n in line.names), size=11, align="C")
        pdf.ln(1.5)
    if roll.disclosures:
        pdf.ln(3)
        pdf.line_text("AI使用の表記" if ja else "AI disclosure", size=12, align="C")
        for d in roll.disclosures:
            pdf.line_text(d.text_ja if ja else d.text_en, size=9, align="C")
    return pdf.to_bytes()


def export_roll(roll: EndRoll, fmt: str, lang: str = "ja") -> bytes:
    """One entry point for downloads: ``fmt`` is text, csv, json or pdf. Text and CSV are UTF-8."""
    if fmt == "text":
        return roll_text(roll, lang).encode("utf-8")
    if fmt == "csv":
        return roll_csv(roll).encode("utf-8-sig")
    if fmt == "json":
        return roll_json(roll).encode("utf-8")
    if fmt == "pdf":
        return roll_pdf(roll, lang)
    raise EndRollError("unknown format {fmt!r}", fix="use text, csv, json or pdf", fmt=fmt)
