"""The state of derived data between writes and the background worker that recomputes it
(``analytics.derived``): when the findings went stale, who is recomputing them, how far it got.

``data_version.stale_since`` is set by the commit of a write that changes findings (``data.engine``) and cleared
only by a worker that stored a snapshot at the version it read: the database itself records that work is due, so a
worker that dies leaves it recorded and the next one resumes.

One worker at a time per database: a lease row (``derived_lease``) taken by a conditional UPDATE in a transaction of
its own, with an expiry the worker renews while it runs. The same statements work on SQLite (a writer holds the
database's write lock for the UPDATE) and PostgreSQL (the row lock makes a second UPDATE wait, then re-read the row
and find it held). PostgreSQL's advisory locks belong to one server connection (a pool hands connections around) and
do not exist on SQLite; SQLite's ``BEGIN IMMEDIATE`` held through a 15 s computation would stop every import. A
lease also outlives nothing: a killed worker's lease expires and another takes it over.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from data.schema import CreditCheck, DataVersion, DerivedLease, FindingSnapshot, utcnow

FINDINGS = "findings"
CREDITS = "credits"  # the stored credit checks (data.credit_checks): a lease of their own, one step per production
RELEASE = "release"  # the advocates' release (data.snapshots.RELEASE): a lease of its own, one step


@dataclass(frozen=True)
class LeaseState:
    """A lease row as read: ``holder`` None when free; times naive UTC."""

    holder: str | None
    expires_at: dt.datetime | None
    started_at: dt.datetime | None
    step: int
    steps: int
    finished_at: dt.datetime | None
    error: str | None

    def running(self, now: dt.datetime) -> bool:
        """True while a worker holds the lease and it has not expired at ``now``."""
        return self.holder is not None and self.expires_at is not None and self.expires_at > now


def _ensure_row(session: Session, kind: str) -> None:
    # Migrations insert each kind's row (0026 findings, 0027 credits); a kind added later gets its row on first use.
    if session.get(DerivedLease, kind) is None:
        session.add(DerivedLease(kind=kind, step=0, steps=0))
        session.flush()


def acquire(session: Session, *, holder: str, ttl: dt.timedelta, kind: str = FINDINGS, now: dt.datetime | None = None
            ) -> bool:  # fmt: skip
    """Take the lease of ``kind`` for ``holder`` until ``now + ttl`` when it is free, expired or already its own;
    True when taken. The caller commits at once (the lease is seen by others only then)."""
    now = now or utcnow()
    _ensure_row(session, kind)
    taken = session.execute(
        update(DerivedLease)
        .where(
            DerivedLease.kind == kind,
            (DerivedLease.holder.is_(None)) | (DerivedLease.expires_at < now) | (DerivedLease.holder == holder),
        )
        .values(holder=holder, expires_at=now + ttl, started_at=now, step=0, steps=0)
        .execution_options(synchronize_session=False)
    )
    return taken.rowcount == 1


def renew(
    session: Session,
    *,
    holder: str,
    ttl: dt.timedelta,
    step: int,
    steps: int,
    kind: str = FINDINGS,
    now: dt.datetime | None = None,
) -> bool:
    """Move ``holder``'s lease on to ``now + ttl`` and record its progress; False when it is no longer its own (it
    expired and another worker took it)."""
    now = now or utcnow()
    moved = session.execute(
        update(DerivedLease)
        .where(DerivedLease.kind == kind, DerivedLease.holder == holder)
        .values(expires_at=now + ttl, step=step, steps=steps)
        .execution_options(synchronize_session=False)
    )
    return moved.rowcount == 1


def release(
    session: Session, *, holder: str, error: str | None, kind: str = FINDINGS, now: dt.datetime | None = None
) -> None:
    """Give ``holder``'s lease back, recording a completed run (``error`` None) or why it failed."""
    values: dict = {"holder": None, "expires_at": None, "error": error}
    if error is None:
        values["finished_at"] = now or utcnow()
    session.execute(
        update(DerivedLease)
        .where(DerivedLease.kind == kind, DerivedLease.holder == holder)
        .values(**values)
        .execution_options(synchronize_session=False)
    )


def lease_state(session: Session, *, kind: str = FINDINGS) -> LeaseState:
    """The lease of ``kind`` as it is now (free and never run when its row is missing)."""
    row = session.get(DerivedLease, kind, populate_existing=True)
    if row is None:
        return LeaseState(None, None, None, 0, 0, None, None)
    return LeaseState(row.holder, row.expires_at, row.started_at, row.step, row.steps, row.finished_at, row.error)


# Each kind's data version (moved on by the commits of writes it reads, data.engine) and stale marker.
_MARKS = {
    FINDINGS: (DataVersion.version, DataVersion.stale_since),
    CREDITS: (DataVersion.credits_version, DataVersion.credits_stale_since),
}


def stale_since(session: Session, kind: str = FINDINGS) -> dt.datetime | None:
    """When the first write since ``kind`` was last all current was committed (naive UTC; None: none)."""
    marker = _MARKS[kind][1]
    return session.execute(select(marker).where(DataVersion.id == 1)).scalar_one_or_none()


def mark_fresh(session: Session, *, version: int, kind: str = FINDINGS) -> bool:
    """Clear the stale marker of ``kind`` when its data version is still ``version`` (the one what is stored was
    computed at); a write committed since keeps it. True when cleared."""
    column, marker = _MARKS[kind]
    cleared = session.execute(
        update(DataVersion)
        .where(DataVersion.id == 1, column == version)
        .values({marker: None})
        .execution_options(synchronize_session=False)
    )
    return cleared.rowcount == 1


@dataclass(frozen=True)
class SnapshotMark:
    """What is known of the newest stored findings without reading them: its versions, key, day and time."""

    id: int
    data_version: int
    global_version: int
    key: str
    computed_on: dt.date
    created_at: dt.datetime
    findings: int


# The columns of a SnapshotMark, in its order.
_MARK = (
    FindingSnapshot.id,
    FindingSnapshot.data_version,
    FindingSnapshot.global_version,
    FindingSnapshot.key,
    FindingSnapshot.computed_on,
    FindingSnapshot.created_at,
    FindingSnapshot.findings,
)


def newest_snapshot(session: Session) -> SnapshotMark | None:
    """The newest stored findings' mark (whatever it was computed with), or None when none was ever stored."""
    row = session.execute(select(*_MARK).order_by(FindingSnapshot.id.desc()).limit(1)).first()
    return None if row is None else SnapshotMark(*row)


# The newest findings file this process read, by its database and whole mark (a stored file never changes; SQLite
# may give the next one the same id, never the same versions and time). At 5 million work logs the file is 14.4 MB:
# reading it from PostgreSQL took 0.09–0.14 s of every page that shows findings, for each session; its mark 2 ms.
_READ: dict[tuple[str, SnapshotMark], bytes] = {}
_READ_LOCK = threading.Lock()


def newest_findings(session: Session) -> tuple[SnapshotMark, bytes] | None:
    """The newest stored findings' mark and file, or None when none was ever stored. The file is read once per
    process and mark; the mark is read every time."""
    mark = newest_snapshot(session)
    if mark is None:
        return None
    database = str(session.get_bind().url)
    with _READ_LOCK:
        payload = _READ.get((database, mark))
    if payload is not None:
        return mark, payload
    # Mark and file read together: a worker may have replaced the snapshot since the mark was read.
    row = session.execute(select(*_MARK, FindingSnapshot.payload).order_by(FindingSnapshot.id.desc()).limit(1)).first()
    if row is None:
        return None
    found = (SnapshotMark(*row[:7]), row[7])
    with _READ_LOCK:
        _READ.clear()  # only the newest is ever served (a process serves one database)
        _READ[(database, found[0])] = found[1]
    return found


def derived_stamp(session: Session) -> tuple:
    """What changes whenever a worker stores derived data (a new findings snapshot, a production's credit check
    computed again), read cheaply: a page cache keyed by it serves a worker's result from the first request after it
    is stored, when the worker runs in another process and cannot clear the cache itself."""
    # The newest snapshot's mark, not its id alone: SQLite gives a snapshot stored after its predecessor was
    # deleted the same id again.
    checks = session.execute(select(func.count(), func.max(CreditCheck.computed_at))).one()
    return newest_snapshot(session), int(checks[0]), checks[1]
