"""Results derived from the whole database, stored between requests, and the versions that tell when they went
stale (see :class:`data.schema.DataVersion`, moved on by ``data.engine.track_writes``, and
:class:`data.schema.FindingStalePerson`, filled by ``data.rollup.refresh``).

Derived data declares what it is computed from, next to where it is stored (:class:`Derived`): the findings
snapshot, the credit checks and the advocates' release here (:data:`FINDINGS_SNAPSHOT`, :data:`CREDIT_CHECKS`,
:data:`RELEASE`), the rollups in ``data.rollup.reads``. ``data.engine`` moves the data versions on from these
declarations, never from the text of SQL statements; tests trace what the code reads and check it against them.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from contextlib import nullcontext
from dataclasses import dataclass, field

from sqlalchemy import MetaData, delete, insert, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from data.locks import brief_wait
from data.schema import DataVersion, FindingSnapshot, FindingStalePerson, ReleaseSnapshot

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Derived:
    """What one piece of derived data is computed from (table names).

    ``stores``: the tables that hold it; writing them is keeping it, never a reason to recompute it.
    ``reads``: the tables it is computed from, directly. Derived data read by another (the rollups, read by the
    findings) brings its own ``reads`` along.
    ``per_person``: of ``reads``, the tables whose every write is followed, in the writer's transaction, by a refresh
    of this data for the people the rows are about; such a write is *about given people*, not studio-wide.
    ``names_people``: its refresh names the people it recomputed in ``finding_stale_person``, so writing its
    ``stores`` is about given people too.
    ``inserts_change_nothing``: of ``reads``, tables whose new rows alone change no result (what refers to them
    arrives by writes of its own).
    ``labels``: tables read only to fill label columns (table → ``"stored_table.column"``): data built on this one
    does not depend on them as long as it never reads those columns (a test checks this for the findings).
    """

    name: str
    stores: frozenset[str]
    reads: frozenset[str]
    per_person: frozenset[str] = frozenset()
    names_people: bool = False
    inserts_change_nothing: frozenset[str] = frozenset()
    labels: dict[str, str] = field(default_factory=dict)


# The findings (``analytics.findings.evaluate``) read these tables; ``tests/test_findings_snapshot.py`` traces an
# evaluation of the demo studio to keep the list true. Not read: people's names (added when findings are selected,
# never stored with them), productions and credits, accounts and the audit trail (a sign-in changes no finding).
FINDINGS_SNAPSHOT = Derived(
    name="findings snapshot",
    stores=frozenset({"finding_snapshot", "finding_stale_person", "data_version"}),
    reads=frozenset(
        {
            "annual_leave",
            "employment",
            "labor_agreement",
            # How sure each day's rate is (the minimum-wage rules name the rate used and its source).
            "minimum_wage",
            "organization",
            "pay_item",
            "role",
            "rule_parameter",
            "rollup_pay_month",
            "rollup_person_day",
            "rollup_person_month",
            "rollup_person_week",
            "rollup_work_month",
        }
    ),
    # A new organization has no contracts or agreements yet (the writes that add them count on their own); importers
    # create organizations as they meet them.
    inserts_change_nothing=frozenset({"organization"}),
)


# The credit validation and labor cross-check of each production (``analytics.credits.checks``) read these tables;
# ``tests/analytics/derived/test_credit_checks.py`` traces a check of the demo studio to keep the list true. Any write
# to them moves ``data_version.credits_version`` on (``data.engine``): the worker then checks every production again.
CREDIT_CHECKS = Derived(
    name="credit checks",
    stores=frozenset({"credit_check", "credit_check_finding", "credit_check_due", "data_version"}),
    reads=frozenset(
        {
            "affiliation",
            "ai_usage",
            "ai_usage_post_editor",
            "credit_line",
            "employment",
            "episode",
            "org_alias",
            "organization",
            "pay_item",
            "person",
            "person_alias",
            "production",
            "role",
            "rollup_work_month",  # who worked in which role and episode
            "service",
            # Read through rollup_work_month, which every writer of work logs refreshes in its transaction; declared
            # too, so a write of work logs alone still makes the checks stale.
            "work_log",
        }
    ),
)


# The advocates' quarterly release (``analytics.release.release``) reads these tables;
# ``tests/analytics/derived/test_release_snapshot.py`` traces a release of the demo studio to keep the list true. Any
# write to them (or to what the rollups read) moves ``data_version.release_version`` on (``data.engine``): the worker
# then computes the release again. Not read: the findings (the findings table is counted from the findings snapshot
# on each request) and the artists' own logs (their gap is computed on each request: a few milliseconds).
RELEASE = Derived(
    name="advocates' release",
    stores=frozenset({"release_snapshot", "data_version"}),
    reads=frozenset(
        {
            "employment",
            "production",  # the productions' titles are the groups of hours_by_production
            "role",
            "rollup_pay_cell",
            "rollup_person_month",
            "rollup_work_month",
            "setting",  # k
        }
    ),
)


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
    transaction, for the next findings snapshot. Every writer of a table declared ``per_person`` by derived data must
    see it called (``data.rollup.refresh`` calls it for work logs, pay items and contracts)."""
    ids = None if person_ids is None else sorted({int(p) for p in person_ids})
    if ids == []:
        return
    session.execute(
        insert(FindingStalePerson), [{"person_id": p} for p in ids] if ids is not None else [{"person_id": None}]
    )


def store_findings(
    session: Session,
    payload: bytes,
    *,
    findings: int,
    at: Versions,
    key: str,
    day: dt.date,
    used: list[int],
    wait_ms: int | None = None,
) -> bool:
    """Keep ``payload`` as the findings at versions ``at``, replacing older ones, and delete the stale-person rows it
    took into account (``used``), in a savepoint of the caller's transaction. Best effort: when the database is busy
    (an import holds SQLite's write lock past the busy timeout) nothing is stored, the caller keeps its result and a
    later request computes it again. ``wait_ms`` bounds the wait for the write lock (a page storing what it
    computed for the next visitor should not keep its reader waiting the engine's 30 s behind an import)."""
    try:
        with brief_wait(session, wait_ms) if wait_ms is not None else nullcontext(), session.begin_nested():
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


@dataclass(frozen=True)
class StoredRelease:
    """The stored release: what it was computed with (``version``: ``data_version.release_version``) and its file."""

    version: int
    k: int
    quarter: dt.date | None
    key: str
    computed_on: dt.date
    created_at: dt.datetime
    payload: bytes


def release_version(session: Session) -> int:
    """``data_version.release_version`` now (0 on a database that has none yet)."""
    return int(session.execute(select(DataVersion.release_version).where(DataVersion.id == 1)).scalar() or 0)


_RELEASE_MARK = (
    ReleaseSnapshot.release_version,
    ReleaseSnapshot.k,
    ReleaseSnapshot.quarter,
    ReleaseSnapshot.key,
    ReleaseSnapshot.computed_on,
    ReleaseSnapshot.created_at,
)


def stored_release(session: Session, *, with_payload: bool = True) -> StoredRelease | None:
    """The newest stored release (without its file when ``with_payload`` is False: ``payload`` is then empty), or
    None when none was ever stored."""
    columns = (*_RELEASE_MARK, ReleaseSnapshot.payload) if with_payload else _RELEASE_MARK
    row = session.execute(select(*columns).order_by(ReleaseSnapshot.id.desc()).limit(1)).first()
    if row is None:
        return None
    return StoredRelease(int(row[0]), int(row[1]), row[2], row[3], row[4], row[5], row[6] if with_payload else b"")


def store_release(
    session: Session,
    payload: bytes,
    *,
    version: int,
    k: int,
    quarter: dt.date | None,
    key: str,
    day: dt.date,
    wait_ms: int | None = None,
) -> bool:
    """Keep ``payload`` as the release computed at ``version`` with ``k``, ``key`` on ``day``, replacing the one
    stored, in a savepoint of the caller's transaction. Best effort, as :func:`store_findings`: False (nothing
    stored) when the database stayed busy past ``wait_ms`` or its busy timeout."""
    try:
        with brief_wait(session, wait_ms) if wait_ms is not None else nullcontext(), session.begin_nested():
            session.execute(delete(ReleaseSnapshot))
            session.add(ReleaseSnapshot(release_version=version, k=k, quarter=quarter, key=key, computed_on=day,
                                        payload=payload))  # fmt: skip
    except DBAPIError as exc:
        log.warning("release not stored (%s); it is computed again", exc)
        return False
    return True


NONE, PEOPLE, STUDIO = 0, 1, 2  # what a write does to derived data: nothing, some people's results, everyone's


class WriteEffects:
    """What a write to a table does to ``target`` (derived data whose version ``data.engine`` keeps), from the
    declarations alone: :data:`NONE`, :data:`PEOPLE` (about given people: the writer's refresh names them) or
    :data:`STUDIO` (anyone's results may change).

    ``target`` depends on the tables it reads and, where it reads derived data (``built_on``), on what that reads in
    turn. A write to a table outside those changes nothing, except a delete whose ON DELETE actions (``metadata``'s
    foreign keys) reach one of them: deleting a production takes its work logs with it.
    """

    def __init__(self, target: Derived, *, built_on: Iterable[Derived], metadata: MetaData) -> None:
        producers = {table: d for d in built_on for table in d.stores}
        chain, readers = [target], {}
        for derived in chain:  # grows as derived data read by derived data is met
            for table in derived.reads:
                readers.setdefault(table, []).append(derived)
                producer = producers.get(table)
                if producer is not None and producer not in chain:
                    chain.append(producer)
        self.target = target
        self.depends = frozenset(readers)
        self.readers = readers
        named = [d for d in chain if d.names_people]
        self.per_person = frozenset().union(*(d.per_person | d.stores for d in named)) & self.depends
        self.children: dict[str, set[str]] = {}
        for table in metadata.tables.values():
            for fk in table.foreign_keys:
                if (fk.ondelete or "").upper() in {"CASCADE", "SET NULL", "SET DEFAULT"}:
                    self.children.setdefault(fk.column.table.name, set()).add(table.name)

    def _deletes_reach(self, table: str) -> bool:
        seen, todo = {table}, [table]
        while todo:
            for child in self.children.get(todo.pop(), ()):
                if child in self.depends:
                    return True
                if child not in seen:
                    seen.add(child)
                    todo.append(child)
        return False

    def of(self, table: str, verb: str) -> int:
        """The effect of ``verb`` (``insert``, ``update`` or ``delete``: anything that may remove rows) on ``table``."""
        if table in self.target.stores:
            return NONE
        if table in self.depends:
            if verb == "insert" and all(table in d.inserts_change_nothing for d in self.readers[table]):
                return NONE
            return PEOPLE if table in self.per_person else STUDIO
        return STUDIO if verb == "delete" and self._deletes_reach(table) else NONE
