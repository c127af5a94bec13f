"""What every analytics query shares: resolving a production name, date bounds, and turning rows into frames.

Frames come out the same on SQLite and PostgreSQL: numbers as floats, dates as ``datetime64`` columns.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pandas as pd
from sqlalchemy import Float, cast, select
from sqlalchemy.orm import Session

from data.identity import Identity
from data.periods import py_month_start
from data.schema import Production, RollupWorkMonth

RAW_CHUNK_ROWS = 100_000


class AnalyticsError(ValueError):
    """A query cannot be answered as asked; the message says what to change."""


@dataclass(frozen=True)
class Scope:
    """The one filter: which slice of the studio a view, a query or a finding covers, and who is looking.

    It travels unchanged from the sidebar (or a command line's flags) to the SQL that reads the records. Empty
    ``productions``/``departments`` and ``people=None`` mean no such filter; several productions or departments mean
    any of them. ``start``/``end`` are inclusive days (None: open). ``viewer`` is who asked: views that depend on
    the role only are computed with :meth:`for_role` so everyone with that role shares one cached result.
    """

    productions: tuple[int, ...] = ()
    departments: tuple[str, ...] = ()
    people: tuple[int, ...] | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    viewer: Identity | None = None

    def __post_init__(self) -> None:
        # Canonical order, so two scopes that select the same records are equal (and share a cache entry).
        object.__setattr__(self, "productions", tuple(sorted({int(p) for p in self.productions})))
        object.__setattr__(self, "departments", tuple(sorted(set(self.departments))))
        if self.people is not None:
            object.__setattr__(self, "people", tuple(sorted({int(p) for p in self.people})))
        if self.start is not None and self.end is not None and self.start > self.end:
            raise AnalyticsError(
                f"the period starts on {self.start} after it ends on {self.end}; swap the start and end dates"
            )

    @property
    def selects_people(self) -> bool:
        """True when productions, departments or people narrow who is in view (not only the period)."""
        return bool(self.productions or self.departments or self.people is not None)

    def replace(self, **changes: Any) -> Scope:
        return dataclasses.replace(self, **changes)

    def for_role(self) -> Scope:
        """The same scope with the viewer reduced to its role (see the class docstring)."""
        if self.viewer is None:
            return self
        v = self.viewer
        return self.replace(viewer=Identity(username=f"<{v.role}>", role=v.role, person_id=v.person_id))


def dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def production_id(session: Session, production: str | int | None) -> int | None:
    """The id of a production given by id, title, romaji or English title; None passes through."""
    if production is None or isinstance(production, int):
        return production
    text = str(production).strip()
    if text.isdigit():
        return int(text)
    row = session.execute(
        select(Production.id).where(
            (Production.title == text) | (Production.title_romaji == text) | (Production.title_en == text)
        )
    ).first()
    if row is None:
        known = session.scalars(select(Production.title).order_by(Production.title).limit(20)).all()
        raise AnalyticsError(f"no production titled {text!r}; known titles include: {', '.join(known) or '(none)'}")
    return row[0]


def people_on_production(production: int, start: dt.date | None, end: dt.date | None) -> Any:
    """The ids of the people with minutes on ``production`` in the months of ``start``..``end`` (a subquery): the
    per-person legal tests keep a person's whole month, so a production filter selects people, not rows."""
    w = RollupWorkMonth
    query = select(w.person_id).where(w.production_id == production, w.minutes > 0)
    if start is not None:
        query = query.where(w.month_start >= py_month_start(start))
    if end is not None:
        query = query.where(w.month_start <= end)
    return query


def check_range(start: dt.date | None, end: dt.date | None) -> None:
    if start is not None and end is not None and start > end:
        raise AnalyticsError(f"the period starts on {start} after it ends on {end}; swap --from and --to")


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    return value


def frame(session: Session, stmt: Any, *, dates: tuple[str, ...] = (), raw: bool = False) -> pd.DataFrame:
    """Run ``stmt`` and return its rows as a DataFrame; ``dates`` columns become ``datetime64``.

    ``raw=True`` reads the driver's rows without SQLAlchemy's per-value processing (several times faster on frames of
    100,000+ rows). Only for statements whose columns are numbers, text or the ``dates`` columns: SQLite would hand
    back other dates as text and booleans as 0/1.
    """
    # Core execution: the ORM's row machinery costs more than the query on large frames.
    result = session.connection().execute(stmt)
    columns = list(result.keys())
    if raw:
        # In chunks: a million rows as Python tuples at once would take several times the frame's memory.
        chunks = []
        while rows := result.cursor.fetchmany(RAW_CHUNK_ROWS):
            chunks.append(pd.DataFrame.from_records(rows, columns=columns, coerce_float=True))
        result.close()
        if not chunks:
            chunks.append(pd.DataFrame.from_records([], columns=columns))
        df = pd.concat(chunks, ignore_index=True) if len(chunks) > 1 else chunks[0]
    else:
        df = pd.DataFrame([tuple(row) for row in result.fetchall()], columns=columns)
    for column in columns:
        # Numeric(…) arrives as Decimal on PostgreSQL and SQLite alike; analytics work in floats.
        if df[column].dtype == object and len(df) and any(isinstance(v, Decimal) for v in df[column].head(50)):
            df[column] = df[column].map(_plain).astype("float64")
    for column in dates:
        if column in df.columns:
            df[column] = pd.to_datetime(df[column])
    return df


def money(expr: Any) -> Any:
    """A Numeric amount as a float in SQL, so large frames skip Decimal conversion row by row."""
    return cast(expr, Float)


def hours(minutes: Any) -> Any:
    return minutes / 60.0


def empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="float64") for c in columns})
