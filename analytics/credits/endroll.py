"""The end roll: a production's credits as the audience sees them, in Japanese and English.

The lines themselves (order, one line per person per role group, names as each person chose, the AI disclosure)
are computed in :mod:`analytics.credits.roll_model`; this module reads them from the database and exports them.
A roll whose checks report an ERROR exports only as a watermarked DRAFT. The text and PDF exports are written in
one language (``ja`` or ``en``, from the message catalogs); CSV and JSON carry both and keep English field names.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import asdict, dataclass, field

from sqlalchemy.orm import Session

from analytics.credits import pdf
from analytics.credits.crosscheck import check_production
from analytics.credits.model import Finding
from analytics.credits.roll_model import (
    BLOCK_ORDER,
    STAGE_LABELS,
    WITHHELD,
    Disclosure,
    RollLine,
    RollName,
    RollRole,
    disclosures,
    roll_lines,
    roll_names,
)
from analytics.credits.rules import Severity
from analytics.errors import AnalyticsError, EndRollError
from analytics.queries import credits_checks
from analytics.queries.credits import find_production, person_names, roll_rows
from data import tabular
from data.credit_checks import roll_characters as stored_roll_characters
from data.credit_checks import stored_check
from data.i18n import LANGUAGES, N_, Translator, translator

__all__ = [
    "BLOCK_ORDER",
    "STAGE_LABELS",
    "WITHHELD",
    "Disclosure",
    "EndRoll",
    "RollLine",
    "RollName",
    "RollRole",
    "build_end_roll",
    "disclosures",
    "export_roll",
    "roll_characters",
    "roll_csv",
    "roll_document",
    "roll_json",
    "roll_lines",
    "roll_names",
    "roll_pdf",
    "roll_pdf_refusal",
    "roll_text",
]

DRAFT_BANNER = N_("[DRAFT — not for publication]")
DRAFT_HEADER = N_("DRAFT — not for publication: {reason}")
AI_DISCLOSURE = N_("AI disclosure")
EPISODE = N_("Episode {n}")
EPISODES = N_("Episodes {first}–{last}")
# Episode scopes as Japanese credits write them: 第3話, 1～4話, 第1-2話.
_SCOPE = re.compile(r"^第?\s*(\d+)\s*(?:[～~\-–—]\s*(\d+)\s*)?話$")


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
        """Why the roll is a draft, in English for the JSON and the command line; None for a final roll."""
        if not self.is_draft:
            return None
        rules = sorted({f.rule for f in self.errors})
        return f"{len(self.errors)} ERROR finding(s): {', '.join(rules)}"


def build_end_roll(session: Session, *, production: str | int, findings: list[Finding] | None = None) -> EndRoll:
    """The production (id, title or external reference) as an end roll, with the validator's and the cross-checks'
    findings attached (computed now unless ``findings`` are given): any ERROR makes it a draft."""
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
        findings=findings if findings is not None else check_production(session, production=prod.id).findings,
    )


# ---------------------------------------------------------------------------------------------------------------
# Words of the roll in one language


def _translator(lang: str) -> Translator:
    if lang not in LANGUAGES:
        raise EndRollError(
            N_("the roll's language must be 'ja' or 'en', not {lang!r}"), fix=N_("use ja or en"), lang=lang
        )
    return translator(lang)


def block_title(block: str, t: Translator) -> str:
    """The heading of a block of the roll in ``t``'s language (スタッフ / Staff)."""
    titles = {
        "main": t.pgettext("end roll block", "Staff"),
        "cast": t.pgettext("end roll block", "Cast"),
        "OP": t.pgettext("end roll block", "Opening"),
        "ED": t.pgettext("end roll block", "Ending"),
        "other": t.pgettext("end roll block", "Other"),
        "special_thanks": t.pgettext("end roll block", "Special Thanks"),
    }
    return titles.get(block, block)


def scope_text(scope: str, t: Translator) -> str:
    """An episode scope as credited on the Japanese roll; on the English one, ``第3話`` as ``Episode 3`` (a scope
    written otherwise stays as credited)."""
    if t.language == "ja":
        return scope
    match = _SCOPE.match(unicodedata.normalize("NFKC", scope).strip())
    if not match:
        return scope
    first, last = match.groups()
    return t(EPISODES, first=first, last=last) if last else t(EPISODE, n=first)


def draft_reason(roll: EndRoll, t: Translator) -> str:
    """Why the roll is a draft, in ``t``'s language."""
    errors = roll.errors
    rules = ", ".join(sorted({f.rule for f in errors}))
    return t.ngettext("{n} ERROR finding: {rules}", "{n} ERROR findings: {rules}", len(errors), rules=rules)


def _role_line(line: RollLine, t: Translator) -> tuple[str, str]:
    """(role label with its episode scope, names) of one roll line in ``t``'s language."""
    ja = t.language == "ja"
    scope = f" [{scope_text(line.episode_scope, t)}]" if line.episode_scope else ""
    names = t.pgettext("end roll: between the names of one line", ", ").join(n.ja if ja else n.en for n in line.names)
    return f"{line.role_ja if ja else line.role_en}{scope}", names


# ---------------------------------------------------------------------------------------------------------------
# Exports


def roll_text(roll: EndRoll, lang: str = "ja") -> str:
    """The roll as plain text in ``lang``, one role line per line: ``原画　山田花子　佐藤一郎`` /
    ``Key Animation: Hanako Yamada, Ichirō Satō``; a person with several roles once: ``監督・脚本　山田花子``."""
    t = _translator(lang)
    ja = lang == "ja"
    out: list[str] = []
    if roll.is_draft:
        out += [f"{t(DRAFT_BANNER)} {draft_reason(roll, t)}", ""]
    out += [roll.title if ja else roll.title_en, ""]
    block = None
    for line in roll.lines:
        if line.block != block:
            block = line.block
            out += ["", f"■ {block_title(block, t)}"]
        role, names = _role_line(line, t)
        out.append(t.pgettext("end roll: a role and its names", "{role}: {names}", role=role, names=names))
    if roll.disclosures:
        out += ["", f"■ {t(AI_DISCLOSURE)}"]
        out += [d.text_ja if ja else d.text_en for d in roll.disclosures]
    if roll.is_draft:
        out += ["", t(DRAFT_BANNER)]
    return "\n".join(out) + "\n"


CSV_FIELDS = [
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
    """CSV, one row per name on each roll line (a person with several roles has one row, on their grouped line).
    Columns: status (FINAL or DRAFT on every row), block, line, role_code (the line's role codes joined with
    ``|``), role_ja (監督・脚本), role_en (Director, Screenplay), episode_scope, position, name_ja, name_en, kind
    (credit / ai_disclosure)."""
    return tabular.csv_records(CSV_FIELDS, _rows(roll))


def roll_json(roll: EndRoll) -> str:
    """JSON: status, title, lines (their roles, names in order with the credit lines each stands for, withheld
    counts), disclosures, and the ERROR findings."""
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


def roll_document(roll: EndRoll, lang: str = "ja") -> pdf.Document:
    """The centered PDF roll in ``lang`` as a :class:`analytics.credits.pdf.Document`: per role line the roles in
    small type above the names; a draft carries the watermark and a red header naming the rules."""
    t = _translator(lang)
    title = roll.title if lang == "ja" else roll.title_en
    blocks: list[pdf.Line] = [pdf.Line(title, size=16, space_after=4)]
    block = None
    for line in roll.lines:
        if line.block != block:
            block = line.block
            blocks.append(pdf.Line(block_title(block, t), size=12, space_before=3, space_after=1))
        role, names = _role_line(line, t)
        blocks += [pdf.Line(role, size=8), pdf.Line(names, size=11, space_after=1.5)]
    if roll.disclosures:
        blocks.append(pdf.Line(t(AI_DISCLOSURE), size=12, space_before=3))
        blocks += [pdf.Line(d.text_ja if lang == "ja" else d.text_en, size=9) for d in roll.disclosures]
    return pdf.Document(
        title=title,
        blocks=tuple(blocks),
        draft=t(DRAFT_HEADER, reason=draft_reason(roll, t)) if roll.is_draft else None,
        watermark=t.pgettext("watermark", "DRAFT") if roll.is_draft else None,
    )


def roll_pdf(roll: EndRoll, lang: str = "ja") -> bytes:
    """The roll as a PDF in ``lang`` (:func:`roll_document`). FontNotFound without a CJK font, MissingGlyphs naming
    any character no installed font can show (nothing is left out silently)."""
    return pdf.render(roll_document(roll, lang))


def roll_characters(roll: EndRoll) -> dict[str, str]:
    """The distinct characters ``roll`` draws as a PDF (:func:`roll_document`), sorted, per language (``ja``,
    ``en``): all the font check reads of it."""
    return {lang: "".join(sorted({ch for text in roll_document(roll, lang).texts() for ch in text}))
            for lang in LANGUAGES}  # fmt: skip


def roll_pdf_refusal(
    session: Session, *, production: str | int, lang: str, stored: bool = False
) -> AnalyticsError | None:
    """Why the production's roll cannot be exported as a PDF in ``lang`` (no CJK font, or characters no installed
    font has, named), or None when it can: pages ask before they offer the download. ``stored``: from the
    production's stored credit check when there is one (the page with the background worker on): None at once when
    the fonts draw every character the roll had when it was checked (its stored ``roll_characters``), without
    building the roll; else the roll is built with the stored findings (which make a draft, and name its rules),
    for a refusal that names the strings the characters are in."""
    production_id = find_production(session, production).id
    findings = None
    if stored:
        known = stored_roll_characters(session, production_id=production_id)
        if known is not None and lang in known[1] and pdf.can_draw(known[1][lang]):
            return None
        found = stored_check(session, production_id=production_id)
        if found is not None:
            findings = [Finding(**{**r, "severity": Severity(r["severity"])}) for r in found[1]]
    return pdf.refusal(roll_document(build_end_roll(session, production=production, findings=findings), lang))


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
    raise EndRollError(N_("unknown format {fmt!r}"), fix=N_("use text, csv, json or pdf"), fmt=fmt)
