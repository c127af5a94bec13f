"""Results derived from the whole database, stored between requests, and the data version that tells when they
went stale (see :class:`data.schema.DataVersion`, moved on by ``data.engine.track_writes``)."""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import delete, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from data.schema import DataVersion, FindingSnapshot

log = logging.getLogger(__name__)


def data_version(session: Session) -> int:
    """How many committed transactions have written through Endroll since the counter was created."""
    return int(session.scalar(select(DataVersion.version).where(DataVersion.id == 1)) or 0)


def load_findings(session: Session, *, version: int, key: str, day: dt.date) -> bytes | None:
    """The stored findings file for exactly this data version, key and day, if any."""
    return session.scalar(
        select(FindingSnapshot.payload)
        .where(FindingSnapshot.data_version == version, FindingSnapshot.key == key, FindingSnapshot.computed_on == day)
        .order_by(FindingSnapshot.id.desc())
        .limit(1)
    )


def store_findings(session: Session, payload: bytes, *, findings: int, version: int, key: str, day: dt.date) -> bool:
    """Keep ``payload`` as the findings for ``version``/``key``/``day``, replacing older ones, in a savepoint of the
    caller's transaction. Best effort: when the database is busy (an import holds SQLite's write lock past the busy
    timeout) nothing is stored, the caller keeps its result and a later request computes it again."""
    try:
        with session.begin_nested():
            session.execute(delete(FindingSnapshot))
            session.add(
                FindingSnapshot(data_version=version, key=key, computed_on=day, findings=findings, payload=payload)
            )
    except DBAPIError as exc:
        log.warning("findings snapshot not stored (%s); a later request computes it again", exc)
        return False
    return True
