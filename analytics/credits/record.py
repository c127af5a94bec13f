"""An artist's credit record: every credit of one person across productions, internal and imported (MADB).

A credit belongs to the person when its alias is linked to them, or when it is an unlinked alias (a name read from
public credits) whose match key equals one of the person's own alias keys — ``本田 雅也`` finds ``本田雅也``. The
second kind is marked ``match = "name"`` so the artist can ask for it to be linked, or disowned.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from analytics.credits import pdf
from analytics.credits.endroll import scope_text
from analytics.errors import AccessDenied, AnalyticsError, RecordError
from analytics.queries.credits import PersonNames, artist_rows, person_exists, person_names
from data.i18n import LANGUAGES, N_, Translator, translator

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
# Where a credit was read from, as the printed record names it.
SOURCE_LABELS = {
    "internal": N_("this studio's records"),
    "madb": N_("Media Arts Database (MADB)"),
    "imported_file": N_("imported file"),
    "onscreen": N_("on screen"),
    "official_site": N_("official site"),
}
NAME_MATCH = N_("{source} (name match)")


def ensure_can_view(viewer_role: str | None, viewer_person_id: int | None, person_id: int) -> None:
    """AccessDenied (a PermissionError) unless the viewer may see ``person_id``'s credit record.

    Managers see anyone's; an artist only their own; advocates see anonymized aggregates only, never one person.
    """
    if viewer_role == "manager":
        return
    if viewer_role == "artist" and viewer_person_id is not None and int(viewer_person_id) == int(person_id):
        return
    if viewer_role == "advocate":
        raise AccessDenied(N_("advocates see anonymized aggregates only, never one person's credit record"))
    if viewer_role == "artist":
        raise AccessDenied(
            N_("an artist may see only their own credit record, not person {person}'s"), person=person_id
        )
    raise AccessDenied(N_("nobody is signed in"), fix=N_("sign in to see a credit record"))


def artist_record(session: Session, *, person_id: int) -> pd.DataFrame:
    """Every credit of the person, oldest production first, in roll order within a production: :func:`record_table`
    of :func:`analytics.queries.credits.artist_rows`. RecordError when there is no such person. Callers showing it
    to a signed-in user check :func:`ensure_can_view` first."""
    if not person_exists(session, person_id):
        raise RecordError(N_("there is no person #{person}"), fix={"cli": N_("check the person id")}, person=person_id)
    return record_table(artist_rows(session, person_id), person_id)


def record_table(rows: list[Any], person_id: int) -> pd.DataFrame:
    """Columns: ``production_id``, ``production`` (native title), ``production_en``, ``production_kind``, ``year``
    (production start year, or None), ``role_as_credited`` (verbatim), ``role_code``, ``role_ja``, ``role_en``,
    ``block``, ``episode_scope`` (verbatim), ``name_as_credited`` (verbatim), ``source`` (internal, madb, …),
    ``source_ref``, ``match`` ("linked": alias linked to the person; "name": unlinked alias with the same match key),
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


def _translator(lang: str) -> Translator:
    if lang not in LANGUAGES:
        raise RecordError(
            N_("the record's language must be 'ja' or 'en', not {lang!r}"), fix=N_("use ja or en"), lang=lang
        )
    return translator(lang)


def record_document(frame: pd.DataFrame, person: PersonNames, lang: str = "ja") -> pdf.Document:
    """The printable record of :func:`artist_record`'s ``frame`` in ``lang``: a heading with the person's name, the
    number of credits and productions, and a table (year, production, role, episodes, name as credited, source)."""
    t = _translator(lang)
    name = person.display_name
    if lang == "en" and person.romaji and person.romaji != name:
        name = f"{name} ({person.romaji})"
    credits = t.ngettext("{n} credit", "{n} credits", len(frame))
    count = int(frame["production_id"].nunique()) if len(frame) else 0
    productions = t.ngettext("{n} production", "{n} productions", count)
    rows = tuple(
        (
            str(r.year or ""),
            r.production if lang == "ja" else (r.production_en or r.production),
            r.role_as_credited if lang == "ja" or not r.role_en else r.role_en,
            scope_text(r.episode_scope, t) if r.episode_scope else "",
            r.name_as_credited,
            _source(r.source, r.match, t),
        )
        for r in frame.itertuples(index=False)
    )
    headers = (
        t.pgettext("credit record column", "Year"),
        t.pgettext("credit record column", "Production"),
        t.pgettext("credit record column", "Role"),
        t.pgettext("credit record column", "Episodes"),
        t.pgettext("credit record column", "Credited as"),
        t.pgettext("credit record column", "Source"),
    )
    return pdf.Document(
        title=t(N_("Credit record — {name}"), name=name),
        blocks=(
            pdf.Line(t(N_("Credit record: {name}"), name=name), size=14, align="L", space_after=2),
            pdf.Line(t(N_("{credits} in {productions}"), credits=credits, productions=productions), size=9, align="L"),
            pdf.Table(headers=headers, rows=rows, widths=(14, 52, 34, 22, 36, 32), size=8),
        ),
    )


def _source(source: str, match: str, t: Translator) -> str:
    label = t(SOURCE_LABELS[source]) if source in SOURCE_LABELS else source
    return label if match == "linked" else t(NAME_MATCH, source=label)


def record_pdf_refusal(session: Session, *, person_id: int, lang: str) -> AnalyticsError | None:
    """Why the person's credit record cannot be printed in ``lang`` (no CJK font, or characters no installed font
    has, named), or None when it can: pages ask before they offer the download."""
    frame = artist_record(session, person_id=person_id)
    person = person_names(session, [person_id])[person_id]
    return pdf.refusal(record_document(frame, person, lang))


def export_record(session: Session, *, person_id: int, fmt: str, lang: str = "ja") -> bytes:
    """The record as ``csv`` (UTF-8 with BOM, for Excel; stable English columns), ``json`` or ``pdf`` in ``lang``
    (:func:`record_document`; FontNotFound or MissingGlyphs rather than a character left out)."""
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
        return pdf.render(record_document(frame, person, lang))
    raise RecordError(N_("unknown format {fmt!r}"), fix=N_("use csv, json or pdf"), fmt=fmt)
