"""Read-only lookups for the generation page: who may operate, where an image may go, what was generated.

Plain SQLAlchemy and no torch, so the page can draw its form and gallery before anything heavy loads.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from data.schema import AiUsage, Cut, Episode, Person, Production


@dataclass(frozen=True)
class Option:
    id: int
    label: str


def people(session: Session) -> list[Option]:
    rows = session.execute(select(Person.id, Person.display_name).order_by(Person.display_name)).all()
    return [Option(r.id, r.display_name) for r in rows]


def productions(session: Session) -> list[Option]:
    rows = session.execute(select(Production.id, Production.title, Production.title_romaji).order_by(Production.title))
    return [Option(r.id, f"{r.title} ({r.title_romaji})" if r.title_romaji else r.title) for r in rows]


def cuts(session: Session, production_id: int) -> list[Option]:
    rows = session.execute(
        select(Cut.id, Episode.label, Cut.cut_number)
        .join(Episode, Cut.episode_id == Episode.id)
        .where(Episode.production_id == production_id)
        .order_by(Episode.number, Episode.label, Cut.cut_number)
    )
    return [Option(r.id, f"ep {r.label} · cut {r.cut_number}") for r in rows]


def recent(session: Session, asset_root: Path, limit: int = 12) -> list[dict[str, Any]]:
    """The latest ledger rows with what the gallery shows for each (newest first)."""
    rows = session.scalars(
        select(AiUsage)
        .options(selectinload(AiUsage.operator), selectinload(AiUsage.service), selectinload(AiUsage.post_editors))
        .order_by(AiUsage.created_at.desc(), AiUsage.id.desc())
        .limit(limit)
    ).all()
    out = []
    for row in rows:
        path = Path(row.asset_path)
        path = path if path.is_absolute() else asset_root / path
        params = row.params or {}
        out.append(
            {
                "id": row.id,
                "path": str(path),
                "exists": path.is_file(),
                "operator": row.operator.display_name,
                "operator_id": row.operator_id,
                "editors": [p.display_name for p in row.post_editors],
                "tool": f"{row.service.name} {row.service.version}".strip(),
                "what": params.get("scene") or row.prompt,
                "seed": row.seed,
                "steps": params.get("steps"),
                "size": params.get("size"),
                "device": params.get("device"),
                "stage": row.stage,
                "digital_source_type": row.digital_source_type,
                "created_at": row.created_at,
                "sha256": row.asset_sha256,
                "cut_id": row.cut_id,
            }
        )
    return out
