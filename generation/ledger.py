"""The AI-usage ledger as provenance sees it: a fresh watermark id, and the row an image (or its watermark) belongs to."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from data.schema import AiUsage, Person
from generation.watermark import ID_BITS


def new_watermark_id(session: Session) -> int:
    """A random 32-bit id that no ledger row carries yet (the unique index stops a concurrent twin)."""
    while True:
        candidate = secrets.randbits(ID_BITS)
        if session.scalar(select(AiUsage.id).where(AiUsage.watermark_id == candidate)) is None:
            return candidate


@dataclass(frozen=True)
class LedgerEntry:
    """One ledger row, as verification reports it."""

    id: int
    stage: str
    """``generation`` or ``composite`` (a paint-over)."""
    operator_id: int
    operator: str
    editor_id: int | None
    """The person who painted over a ``composite`` row's image; None for a generation."""
    editor: str | None
    parent_id: int | None
    created_at: str
    watermark_id: int | None
    found_by: str
    """``manifest`` (its manifest label), ``watermark id in the manifest``, ``watermark`` (read from the pixels)."""


def _name(person: Person | None) -> str:
    if person is None:
        return "?"
    # The ledger shows what the manifest would: a pen-name-only person by their pen name.
    return person.pen_name if person.visibility == "pen_name_only" and person.pen_name else person.display_name


def _entry(session: Session, row: AiUsage, found_by: str) -> LedgerEntry:
    params = row.params or {}
    editor = params.get("editor") or {}
    editor_id = editor.get("person_id") if row.stage == "composite" else None
    return LedgerEntry(
        id=row.id,
        stage=row.stage,
        operator_id=row.operator_id,
        operator=_name(row.operator),
        editor_id=editor_id,
        editor=_name(session.get(Person, editor_id)) if editor_id is not None else None,
        parent_id=params.get("parent_ai_usage_id"),
        created_at=row.created_at.strftime("%Y-%m-%d %H:%M UTC"),
        watermark_id=row.watermark_id,
        found_by=found_by,
    )


def find_entry(
    session: Session, *, manifest_label: str | None = None, watermark_id: int | None = None, found_by: str = ""
) -> LedgerEntry | None:
    """The ledger row whose manifest label is ``manifest_label``, else the one carrying ``watermark_id``; or None."""
    if manifest_label:
        row = session.scalar(select(AiUsage).where(AiUsage.manifest_ref == manifest_label).limit(1))
        if row is not None:
            return _entry(session, row, "manifest")
    if watermark_id is not None:
        row = session.scalar(select(AiUsage).where(AiUsage.watermark_id == watermark_id))
        if row is not None:
            return _entry(session, row, found_by or "watermark")
    return None
