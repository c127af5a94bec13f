"""Reading a demo-generated studio in tests: plain SQL into frames, independent of analytics/."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from data.schema import Production


def frame(session: Session, sql: str) -> pd.DataFrame:
    """The rows of ``sql`` as a frame (columns as the query names them)."""
    return pd.DataFrame(session.execute(text(sql)).mappings().all())


def production(session: Session, kind: str) -> Production:
    """The studio's one production of ``kind`` ("tv", "film", "short")."""
    return session.scalars(select(Production).where(Production.kind == kind)).one()


def work_logs(session: Session) -> pd.DataFrame:
    """Every work log with its role code: person_id, production_id, episode_id, work_date, start_at, end_at
    (datetime64), seconds, break_seconds, night_seconds, is_statutory_holiday, units, unit_kind,
    ai_assisted_fraction, role."""
    df = frame(
        session,
        "SELECT w.person_id, w.production_id, w.episode_id, w.work_date, w.start_at, w.end_at, "
        "w.seconds, w.break_seconds, w.night_seconds, w.is_statutory_holiday, w.units, "
        "w.unit_kind, w.ai_assisted_fraction, r.code AS role FROM work_log w "
        "JOIN role r ON r.id = w.role_id",
    )
    df["work_date"] = pd.to_datetime(df.work_date)
    df["start_at"] = pd.to_datetime(df.start_at)
    df["end_at"] = pd.to_datetime(df.end_at)
    return df
