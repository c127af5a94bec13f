"""Results derived from the whole database, stored between requests, and the versions that tell when they went
stale (see :class:`data.schema.DataVersion`, moved on by ``data.engine.track_writes``, and
:class:`data.schema.FindingStalePerson`, filled by ``data.rollup.refresh``)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, insert, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from data.schema import DataVersion, FindingSnapshot, FindingStalePerson

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Versions:
    """``data``: moved on by every committed write through Endroll; ``global_``: only by writes that are not about
    given people (those need every finding recomputed)."""

    data: int
    global_: int


@dataclass(frozen=True)
class StoredFindings:
    payload: bytes
    versions: Versions
    findings: int


def versions(session: Session) -> Versions:
    row = session.execute(select(DataVersion.version, DataVersion.global_version).where(DataVersion.id == 1)).first()
    return Versions(int(row[0]), int(row[1])) if row else Versions(0, 0)


def latest_findings(session: Session, *, key: str, day: dt.date) -> StoredFindings | None:
    """The newest stored findings file computed with ``key`` on ``day``, whatever data version it was taken at."""
    row = session.execute(
        select(
            FindingSnapshot.payload,
            FindingSnapshot.data_version,
            FindingSnapshot.global_version,
            FindingSnapshot.findings,
        )
        .where(FindingSnapshot.key == key, FindingSnapshot.computed_on == day)
        .order_by(FindingSnapshot.id.desc())
        .limit(1)
    ).first()
    return None if row is None else StoredFindings(row[0], Versions(int(row[1]), int(row[2])), int(row[3]))


def stale_people(session: Session) -> tuple[list[int], set[int] | None]:
    """The rows of ``finding_stale_person`` (their ids, to delete once used) and the people they name (None when
    one of them stands for everyone)."""
    rows = session.execute(select(FindingStalePerson.id, FindingStalePerson.person_id)).all()
    people = {int(p) for _, p in rows if p is not None}
    return [int(i) for i, _ in rows], (None if any(p is None for _, p in rows) else people)


def name_stale_people(session: Session, person_ids: Iterable[int] | None) -> None:
    """Record that a write may have changed these people's findings (None: everyone's), in the writer's
    transaction, for the next findings snapshot. Every writer of a table in ``data.engine.PERSON_TABLES`` must see it
    called (``data.rollup.refresh`` calls it for work logs, pay items and contracts)."""
    ids = None if person_ids is None else sorted({int(p) for p in person_ids})
    if ids == []:
        return
    session.execute(
        insert(FindingStalePerson), [{"person_id": p} for p in ids] if ids is not None else [{"person_id": None}]
    )


def store_findings(
    session: Session, payload: bytes, *, findings: int, at: Versions, key: str, day: dt.date, used: list[int]
) -> bool:
    """Keep ``payload`` as the findings at versions ``at``, replacing older ones, and delete the stale-person rows it
    took into account (``used``), in a savepoint of the caller's transaction. Best effort: when the database is busy
    (an import holds SQLite's write lock past the busy timeout) nothing is stored, the caller keeps its result and a
    later request computes it again."""
    try:
        with session.begin_nested():
            session.execute(delete(FindingSnapshot))
            for i in range(0, len(used), 10_000):
                session.execute(delete(FindingStalePerson).where(FindingStalePerson.id.in_(used[i : i + 10_000])))
            session.add(
                FindingSnapshot(
                    data_version=at.data,
                    global_version=at.global_,
                    key=key,
                    computed_on=day,
                    findings=findings,
                    payload=payload,
                )
            )
    except DBAPIError as exc:
        log.warning("findings snapshot not stored (%s); a later request computes it again", exc)
        return False
    return True
