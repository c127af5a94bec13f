"""One import in progress: its session, batch and summary, the people and references it resolves, and the rows it
has rejected or audited but not yet written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert
from sqlalchemy.orm import Session

from data.importers.errors import RowError
from data.importers.lookups import References
from data.importers.matching import PersonMatcher
from data.importers.report import ImportSummary, Rejection
from data.schema import AuditEvent, ImportBatch, ImportWarning, RejectedRow, utcnow

CHUNK = 2000  # rows per write, per progress report, and rejected rows held before they are written
Progress = Callable[[int, int | None], None]


def _jsonable(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


class ImportContext:
    """Caches and counters of one import, inside its transaction.

    ``fmt`` is the format's name (the prefix of the source keys it writes); ``matcher`` resolves people, ``refs``
    productions, episodes, cuts and roles. ``touched_people`` and the dates ``touched_from``–``touched_to`` are what
    the import changed, for the rollup refresh: a person with no dates has their whole history refreshed."""

    def __init__(
        self,
        session: Session,
        *,
        batch: ImportBatch,
        summary: ImportSummary,
        fmt: str,
        tz: ZoneInfo,
        production: str | None,
        create_people: bool,
        actor: str,
        progress: Progress | None,
        total_hint: int | None,
        project_map: dict[str, str | int | None] | None = None,
        create_productions: bool = False,
        bots: dict[str, str | None] | None = None,
    ) -> None:
        self.session = session
        self.batch = batch
        self.summary = summary
        self.fmt = fmt
        self.actor = actor
        self.progress = progress
        self.total_hint = total_hint
        self.tz = tz
        self.tz_name = str(tz)
        self.matcher = PersonMatcher(
            session, batch_id=batch.id, create_people=create_people, source=f"import:{batch.filename}"
        )
        self.refs = References(
            session,
            summary=summary,
            production=production,
            project_map=project_map,
            create_productions=create_productions,
        )
        self.bots = dict(bots or {})  # AI agents named for this import: name → operator (None: not known)
        self.rejections: list[dict[str, Any]] = []
        self.warnings: list[dict[str, Any]] = []
        self.audits: list[dict[str, Any]] = []
        self.touched_people: set[int] = set()
        self.touched_from: dt.date | None = None
        self.touched_to: dt.date | None = None
        self._last_progress = 0
        # Told of the rows that end imported, updated or unchanged (their warnings, the projects they used): a
        # whole chunk's new rows in one call, as a chunk goes in with one insert.
        self.on_written: Callable[[list[Any], str], None] | None = None

    def row(self) -> None:
        """Count one row read; report progress every CHUNK rows."""
        self.summary.rows_total += 1
        if self.progress and self.summary.rows_total - self._last_progress >= CHUNK:
            self._last_progress = self.summary.rows_total
            self.progress(self.summary.rows_total, self.total_hint)

    def reject(self, line: int, raw: str | None, err: RowError) -> None:
        """Count a row rejected and keep it for the rejected_row table."""
        rej = Rejection(line=line, code=err.code, reason=err.reason, column=err.column, value=err.value, raw=raw)
        self.summary.reject(rej)
        self.rejections.append(rej.as_row(self.batch.id))
        if len(self.rejections) >= CHUNK:
            self.flush_side_rows()

    def warn(
        self, line: int, raw: str | None, code: str, reason: str, *, column: str | None = None, value: Any = None
    ) -> None:
        """Keep a warning for the import_warning table: a row imported by a documented rule a person should check."""
        err = RowError(code, reason, column=column, value=value)
        warning = Rejection(line=line, code=code, reason=err.reason, column=column, value=err.value, raw=raw)
        self.summary.warn(warning)
        self.warnings.append(warning.as_row(self.batch.id))
        if len(self.warnings) >= CHUNK:
            self.flush_side_rows()

    def written(self, item: Any, outcome: str) -> None:
        """Report that ``item`` ended ``outcome`` (imported, updated or unchanged) to :attr:`on_written`."""
        if self.on_written is not None:
            self.on_written([item], outcome)

    def audit(
        self, action: str, entity: str, entity_id: Any, old: dict[str, Any] | None, new: dict[str, Any] | None
    ) -> None:
        """Keep an audit event of this import's actor: ``old`` and ``new`` values of ``entity`` ``entity_id``."""
        self.audits.append(
            {
                "at": utcnow(),
                "actor": self.actor[:200],
                "action": action,
                "entity_type": entity,
                "entity_id": None if entity_id is None else str(entity_id),
                "old_values": None if old is None else {k: _jsonable(v) for k, v in old.items()},
                "new_values": None if new is None else {k: _jsonable(v) for k, v in new.items()},
            }
        )

    def flush_side_rows(self) -> None:
        """Write the rejected rows and audit events kept so far."""
        if self.rejections:
            self.session.execute(insert(RejectedRow.__table__), self.rejections)
            self.rejections = []
        if self.warnings:
            self.session.execute(insert(ImportWarning.__table__), self.warnings)
            self.warnings = []
        if self.audits:
            self.session.execute(insert(AuditEvent.__table__), self.audits)
            self.audits = []

    def touch(self, person_id: int, start: dt.date, end: dt.date) -> None:
        """Note that the import changed ``person_id``'s records between ``start`` and ``end``."""
        self.touched_people.add(person_id)
        self.touched_from = start if self.touched_from is None else min(self.touched_from, start)
        self.touched_to = end if self.touched_to is None else max(self.touched_to, end)
