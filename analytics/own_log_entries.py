"""What only the artist reads back of their own log: its entries one by one (to change or delete one; a manager sees
a shared period reconciled, by :func:`analytics.own_log.reconcile`, never the entries themselves), and the months
they let count in the advocates' anonymized figures."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session

from analytics.errors import AccessDenied, AnalyticsError
from analytics.queries import own_log as q
from analytics.scope import Scope
from data.i18n import N_
from data.law.params import SECONDS_PER_HOUR, SECONDS_PER_MINUTE

ENTRY_COLUMNS = ["id", "work_date", "start_at", "end_at", "hours", "break_minutes", "production", "episode", "cut",
                 "role", "units", "unit_kind", "note", "origin"]  # fmt: skip


def my_entries(session: Session, *, scope: Scope) -> pd.DataFrame:
    """The entries of the scope's one person's own log in the scope's period (both ends required), for the artist
    themselves only (AccessDenied for anyone else): :data:`ENTRY_COLUMNS` — ``id`` (what
    :func:`services.own_log.edit_day` and ``delete_day`` take), ``work_date`` (date), ``start_at``/``end_at``
    (datetimes or None), ``hours`` (worked, net of breaks) and ``break_minutes`` as decimals, what they worked on,
    ``origin`` (typed or imported); in date order."""
    viewer = scope.viewer
    if scope.start is None or scope.end is None:
        raise AnalyticsError(N_("a reconciliation needs a period with a start and an end"),
                             fix={"page": N_("pick a month")})  # fmt: skip
    if viewer is None or viewer.role != "artist" or viewer.person_id is None or viewer.person_id != scope.person:
        raise AccessDenied(N_("only the artist reads the entries of their own log"))
    found = q.entries(session, person_id=scope.person, start=scope.start, end=scope.end)
    found["hours"] = found["seconds"].astype(np.float64) / SECONDS_PER_HOUR
    found["break_minutes"] = found["break_seconds"].astype(np.float64) / SECONDS_PER_MINUTE
    return found[ENTRY_COLUMNS]


def my_advocate_months(session: Session, *, scope: Scope) -> list[dt.date]:
    """The months (first days) of the scope's one person's own log that count in the advocates' anonymized figures
    (:mod:`services.own_log_advocates`), for the artist themselves only; oldest first."""
    viewer = scope.viewer
    if viewer is None or viewer.role != "artist" or viewer.person_id is None or viewer.person_id != scope.person:
        raise AccessDenied(N_("only the artist sees which months of their own log count in the advocates' figures"))
    return q.advocate_months(session, person_id=scope.person)
