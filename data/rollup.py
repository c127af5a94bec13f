"""Rollup tables that keep dashboard queries fast at millions of work-log rows.

Writers (importers, the demo generator, edit operations) call :func:`refresh` inside the same transaction as
their writes, for the people and dates they touched, so rollups are never stale.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy.orm import Session


def refresh(
    session: Session,
    *,
    person_ids: Iterable[int] | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> None:
    """Recompute the rollup rows for ``person_ids`` (all when None) between ``start`` and ``end`` (inclusive).

    The analytics issue owns the rollup tables; until they exist there is nothing to refresh.
    """
    return None
