"""An artist's credit record: every credit of one person across productions, internal and imported (MADB).

A credit belongs to the person when its alias is linked to them, or when it is an unlinked alias (a name read from
public credits) whose match key equals one of the person's own alias keys — ``本田 雅也`` finds ``本田雅也``. The
second kind is marked ``match = "name"`` so the artist can ask for it to be linked, or disowned.
"""

from __future__ import annotations

import csv
import io
import json

import pandas as pd
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from analytics.credits.pdf import CreditPDF
from analytics.credits.stored import block_rank
from data.schema import CreditLine, Person, PersonAlias, Production, Role

RECORD_COLUMNS = [
    "production_id",
    "production",
    "production_en",
    "production_kind",
    "year",
    "role_as_credited",
    "role_code",
    "role_ja",
    "role_en",
    "block",
    "episode_scope",
    "name_as_credited",
    "source",
    "source_ref",
    "match",
    "credit_line_id",
]


class RecordError(ValueError):
    """The record cannot be produced as asked; the message says why."""


def ensure_can_view(viewer_role: str | None, viewer_person_id: int | None, person_id: int) -> None:
    """Raise PermissionError unless the viewer may see ``person_id``'s credit record.

    Managers see anyone's; an artist only their own; advocates see anonymized aggregates only, never one person.
    """
    if viewer_role == "manager":
        return
    if viewer_role == "artist" and viewer_person_id is not None and int(viewer_person_id) == int(person_id):
        return
    if viewer_role == "advocate":
        raise PermissionError("advocates see anonymized aggregates only, never one person's credit record")
    if viewer_role == "artist":
        raise PermissionError(f"an artist may see only their own credit record, not person {person_id}'s")
    raise PermissionError("sign in to see a credit record")


def artist_record(person_id: int, *, session: Session) -> pd.DataFrame:
    """Every credit of the person, oldest production first, in roll order within a production.

    Columns: ``production_id``, ``production`` (native title), ``production_en``, ``production_kind``, ``year``
    (production start year, or None), ``role_as_credited`` (verbatim), ``role_code``, ``role_ja``, ``role_en``,
    ``block``, ``episode_scope`` (verbatim), ``name_as_credited`` (verbatim), ``source`` (internal, madb, …),
    ``source_ref``, ``match`` ("linked": alias linked to the person; "name": unlinked alias with the same match key),
    ``credit_line_id``. Callers showing it to a signed-in user check :func:`ensure_can_view` first.
    """
    if session.get(Person, person_id) is None:
        raise RecordError(f"there is no person #{person_id}")
    keys = select(PersonAlias.match_key).where(PersonAlias.person_id == person_id)
    aliases = dict(
        session.execute(
            select(PersonAlias.id, PersonAlias.person_id).where(
                or_(
                    PersonAlias.person_id == person_id,
                    and_(PersonAlias.person_id.is_(None), PersonAlias.match_key.in_(keys)),
                )
            )
        ).all()
    )
    if not aliases:
        return pd.DataFrame(columns=RECORD_COLUMNS)
    rows = session.execute(
        select(CreditLine, Production, Role.code, Role.ja, Role.en)
        .join(Production, Production.id == CreditLine.production_id)
        .outerjoin(Role, Role.id == CreditLine.role_id)
        .where(CreditLine.person_alias_id.in_(list(aliases)))
        .order_by(
            Production.start_date.is_(None),
            Production.start_date,
            Production.title,
            block_rank(),
            CreditLine.line_order,
            CreditLine.position_in_line,
        )
    ).all()
    records = [
        {
            "production_id": production.id,
            "production": production.title,
            "production_en": production.title_en or production.title_romaji or "",
            "production_kind": production.kind,
            "year": production.start_date.year if production.start_date else None,
            "role_as_credited": line.role_as_credited,
            "role_code": code,
            "role_ja": ja,
            "role_en": en,
            "block": line.block,
            "episode_scope": line.episode_scope,
            "name_as_credited": line.name_as_credited,
            "source": line.source,
            "source_ref": line.source_ref,
            "match": "linked" if aliases[line.person_alias_id] == person_id else "name",
            "credit_line_id": line.id,
        }
        for line, production, code, ja, en in rows
    ]
    return pd.DataFrame(records, columns=RECORD_COLUMNS)


def _safe(value: object) -> object:
    # A cell a spreadsheet would run as a formula gets a leading apostrophe.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else value


def export_record(person_id: int, fmt: str, *, session: Session) -> bytes:
    """The record as ``csv`` (UTF-8 with BOM, for Excel), ``json`` or ``pdf`` (Japanese font)."""
    frame = artist_record(person_id, session=session)
    person = session.get(Person, person_id)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(RECORD_COLUMNS)
        for row in frame.itertuples(index=False):
            writer.writerow([_safe(v) for v in row])
        return buffer.getvalue().encode("utf-8-sig")
    if fmt == "json":
        credits = json.loads(frame.to_json(orient="records", force_ascii=False)) if len(frame) else []
        payload = {"person_id": person_id, "name": person.display_name, "credits": credits}
        return json.dumps(payload, ensure_ascii=False, indent=2).encode("utf-8")
    if fmt == "pdf":
        pdf = CreditPDF(title=f"クレジット記録 Credit record — {person.display_name}")
        pdf.add_page()
        pdf.heading(f"クレジット記録 / Credit record: {person.display_name}")
        pdf.line_text(
            f"{len(frame)} credits in {frame['production_id'].nunique() if len(frame) else 0} productions", size=9
        )
        pdf.ln(2)
        table = [
            [
                str(r.year or ""),
                r.production,
                r.role_as_credited,
                r.episode_scope or "",
                r.name_as_credited,
                r.source + ("" if r.match == "linked" else " (name match)"),
            ]
            for r in frame.itertuples(index=False)
        ]
        pdf.table(
            ["年 year", "作品 production", "役職 role", "話数 episodes", "表記 credited as", "出典 source"],
            table,
            widths=[14, 52, 34, 22, 36, 32],
        )
        return pdf.to_bytes()
    raise RecordError(f"unknown format {fmt!r}: use csv, json or pdf")
