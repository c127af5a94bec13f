"""An artist's credit record: every credit of one person across productions, internal and imported (MADB).

A credit belongs to the person when its alias is linked to them (a public credit a manager confirmed is one), or
when it is the studio's own credit on an unlinked alias whose match key equals one of the person's own alias keys —
``本田 雅也`` finds ``本田雅也``; the second kind is marked ``match = "name"``. A *public* credit matched by name only
is not in the record: it may be a homonym's, and it is a suggestion the artist can claim
(:func:`analytics.credits.review.my_suggestions`).
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from analytics.credits.pdf import CreditPDF
from analytics.errors import AccessDenied, RecordError
from analytics.queries.credits import artist_rows, person_exists, person_names

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


def ensure_can_view(viewer_role: str | None, viewer_person_id: int | None, person_id: int) -> None:
    """AccessDenied (a PermissionError) unless the viewer may see ``person_id``'s credit record.

    Managers see anyone's; an artist only their own; advocates see anonymized aggregates only, never one person.
    """
    if viewer_role == "manager":
        return
    if viewer_role == "artist" and viewer_person_id is not None and int(viewer_person_id) == int(person_id):
        return
    if viewer_role == "advocate":
        raise AccessDenied("advocates see anonymized aggregates only, never one person's credit record")
    if viewer_role == "artist":
        raise AccessDenied("an artist may see only their own credit record, not person {person}'s", person=person_id)
    raise AccessDenied("nobody is signed in", fix="sign in to see a credit record")


def artist_record(session: Session, *, person_id: int) -> pd.DataFrame:
    """Every credit of the person, oldest production first, in roll order within a production: :func:`record_table`
    of :func:`analytics.queries.credits.artist_rows`. RecordError when there is no such person. Callers showing it
    to a signed-in user check :func:`ensure_can_view` first."""
    if not person_exists(session, person_id):
        raise RecordError("there is no person #{person}", fix={"cli": "check the person id"}, person=person_id)
    return record_table(artist_rows(session, person_id), person_id)


def record_table(rows: list[Any], person_id: int) -> pd.DataFrame:
    """Columns: ``production_id``, ``production`` (native title), ``production_en``, ``production_kind``, ``year``
    (production start year, or None), ``role_as_credited`` (verbatim), ``role_code``, ``role_ja``, ``role_en``,
    ``block``, ``episode_scope`` (verbatim), ``name_as_credited`` (verbatim), ``source`` (internal, madb, …),
    ``source_ref``, ``match`` ("linked": alias linked to the person; "name": the studio's own credit on an unlinked
    alias with the same match key),
    ``credit_line_id``."""
    records = [
        {
            "production_id": r["production_id"],
            "production": r["production"],
            "production_en": r["title_en"] or r["title_romaji"] or "",
            "production_kind": r["production_kind"],
            "year": r["start_date"].year if r["start_date"] else None,
            "role_as_credited": r["role_as_credited"],
            "role_code": r["role_code"],
            "role_ja": r["role_ja"],
            "role_en": r["role_en"],
            "block": r["block"],
            "episode_scope": r["episode_scope"],
            "name_as_credited": r["name_as_credited"],
            "source": r["source"],
            "source_ref": r["source_ref"],
            "match": "linked" if r["alias_person_id"] == person_id else "name",
            "credit_line_id": r["id"],
        }
        for r in rows
    ]
    return pd.DataFrame(records, columns=RECORD_COLUMNS)


def _safe(value: object) -> object:
    # A cell a spreadsheet would run as a formula gets a leading apostrophe.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else value


def export_record(session: Session, *, person_id: int, fmt: str) -> bytes:
    """The record as ``csv`` (UTF-8 with BOM, for Excel), ``json`` or ``pdf`` (Japanese font)."""
    frame = artist_record(session, person_id=person_id)
    person = person_names(session, [person_id])[person_id]
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
    raise RecordError("unknown format {fmt!r}", fix="use csv, json or pdf", fmt=fmt)
