"""How current the derived data a page shows is (the findings snapshot, a production's stored credit check): what
the "updated at …, recomputing since …" notice says."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from analytics.credits.checks import check_state
from analytics.findings.snapshot import is_current
from data.derived import CREDITS, FINDINGS, LeaseState, lease_state, newest_snapshot, stale_since


@dataclass(frozen=True)
class Freshness:
    """``current``: the stored findings are those a computation now would give. ``updated_at``: when the newest
    stored findings were computed (naive UTC; None: never). ``stale_since``: the first write since then that changed
    findings (naive UTC; None when only the day or the rules' code moved on). ``running``: a worker is computing
    now, ``step`` of ``steps`` done (``steps`` 0: not known yet), since ``started_at``. ``error``: why the last run
    failed, if it did."""

    current: bool
    updated_at: dt.datetime | None
    stale_since: dt.datetime | None
    running: bool
    step: int
    steps: int
    started_at: dt.datetime | None
    error: str | None

    @property
    def share_done(self) -> float:
        """The share of the running computation done, 0 to 1 (0 when not known)."""
        return min(1.0, self.step / self.steps) if self.steps else 0.0


def findings_freshness(session: Session, *, today: dt.date | None = None, now: dt.datetime | None = None) -> Freshness:
    """How current the stored findings are and how far their recomputation got (cheap: never reads the findings)."""
    mark = newest_snapshot(session)
    return _with_lease(
        lease_state(session, kind=FINDINGS),
        current=is_current(session, today=today),
        updated_at=None if mark is None else mark.created_at,
        stale_since=stale_since(session),
        now=now,
    )


def credits_freshness(session: Session, *, production_id: int, now: dt.datetime | None = None) -> Freshness:
    """How current one production's stored credit check is, and how far the worker's run over the productions got
    (``step`` of ``steps`` productions; cheap: never reads the findings)."""
    state = check_state(session, production_id=production_id)
    return _with_lease(lease_state(session, kind=CREDITS), current=state.current, updated_at=state.updated_at,
                       stale_since=state.stale_since, now=now)  # fmt: skip


def _with_lease(
    lease: LeaseState,
    *,
    current: bool,
    updated_at: dt.datetime | None,
    stale_since: dt.datetime | None,
    now: dt.datetime | None,
) -> Freshness:
    running = lease.running(now or dt.datetime.now(dt.UTC).replace(tzinfo=None))
    return Freshness(
        current=current,
        updated_at=updated_at,
        stale_since=stale_since,
        running=running,
        step=lease.step if running else 0,
        steps=lease.steps if running else 0,
        started_at=lease.started_at if running else None,
        error=lease.error,
    )
