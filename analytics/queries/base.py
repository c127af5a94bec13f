"""How a :class:`~analytics.scope.Scope` becomes SQL, and how rows become frames: what every query module shares.

Two ways a scope narrows a statement, and every query uses one of them:

* :func:`scoped` keeps the *rows* of the selected productions, of roles in the selected departments, of the selected
  people, in the period (hours, pay, AI use and cost are sums of such rows);
* :func:`workers` keeps the *people* who worked on those productions or in those departments in the months of the
  period (:func:`people_in_scope`), with all their rows, for what the law measures per person (weekly hours,
  overtime, effective pay, findings).

Frames come out the same on SQLite and PostgreSQL: numbers as floats, dates as ``datetime64`` columns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Literal

import numpy as np
import pandas as pd
from sqlalchemy import BigInteger, Float, Select, Text, cast, func, literal, select
from sqlalchemy.orm import Session

from analytics.errors import AnalyticsError
from analytics.scope import Scope
from data.i18n import N_
from data.periods import DAY_ZERO, day_number
from data.schema import Role, RollupDepartmentMonth, RollupProductionMonth, RollupWorkMonth

RAW_CHUNK_ROWS = 100_000
Grain = Literal["month", "day", "datetime"]


def dialect(session: Session) -> str:
    """The name of the session's database dialect (``sqlite`` or ``postgresql``)."""
    return session.get_bind().dialect.name


# In packed reads (packed_rows) a date travels as its day number plus DAY_OFFSET: positive for any date of years 1
# to 9999 and below 2^23, so it packs beside a person id or a small count in one 64-bit integer.
DAY_OFFSET = 1 << 22


def packed_day(session: Session, column: Any) -> Any:
    """``column`` (a date) as a positive integer for a packed read: :func:`data.periods.day_number` + ``DAY_OFFSET``."""
    return day_number(column, dialect(session)) + DAY_OFFSET


def packed(high: Any, low: Any, *, bits: int = 32) -> Any:
    """``high`` above ``low`` (0 ≤ ``low`` < 2^``bits``) in one 64-bit integer, in SQL: two exact values that a
    packed read (:func:`packed_rows`) carries as one. 64-bit arithmetic on PostgreSQL too, where a 32-bit column times
    a bound number stays 32-bit."""
    return cast(high, BigInteger) * literal(1 << bits, BigInteger) + low


def unpacked(values: np.ndarray, *, bits: int = 32) -> tuple[np.ndarray, np.ndarray]:
    """The ``high`` and ``low`` parts of :func:`packed` values."""
    return values >> bits, values & ((1 << bits) - 1)


def unpacked_dates(values: np.ndarray) -> np.ndarray:
    """:func:`packed_day` values back as dates (``datetime64[us]``, as the frames read from SQLite have them)."""
    return (np.datetime64(DAY_ZERO, "D") + (values - DAY_OFFSET)).astype("datetime64[us]")


def _column(table: Any, name: str, what: str) -> Any:
    column = getattr(table, name, None)
    if column is None:
        # A programming error, not a user's: the caller chose a table that cannot answer this part of the scope.
        raise AnalyticsError(
            N_("{table} is kept without {what}, so it cannot be narrowed to the {what} in view"),
            table=getattr(table, "__tablename__", str(table)),
            what=what,
        )
    return column


def role_ids(departments: tuple[str, ...]) -> Select:
    """The ids of the roles in ``departments`` (a subquery)."""
    return select(Role.id).where(Role.department.in_(departments))


def in_period(column: Any, scope: Scope, grain: Grain = "month") -> list[Any]:
    """Conditions keeping ``column`` within the scope's period: for a ``month`` column (first days of months) the
    whole months the period touches, for a ``day`` column the days, for a ``datetime`` column the instants of those
    days."""
    conditions = []
    if grain == "month":
        if scope.start is not None:
            conditions.append(column >= scope.first_month)
        if scope.end is not None:
            conditions.append(column <= scope.end)
    elif grain == "day":
        if scope.start is not None:
            conditions.append(column >= scope.start)
        if scope.end is not None:
            conditions.append(column <= scope.end)
    else:
        if scope.start is not None:
            conditions.append(column >= dt.datetime.combine(scope.start, dt.time()))
        if scope.end is not None:
            conditions.append(column < dt.datetime.combine(scope.end, dt.time()) + dt.timedelta(days=1))
    return conditions


def scoped(stmt: Select, table: Any, scope: Scope, *, on: Any = None, grain: Grain = "month") -> Select:
    """``stmt`` (reading ``table``, an ORM class) narrowed to the rows ``scope`` selects: ``production_id`` among its
    productions, ``role_id`` a role of its departments, ``person_id`` among its people, and the period on ``on``
    (default: the table's ``month_start``) at ``grain``. Rows without a production or role drop out when those are
    filtered, as a filter on a value drops rows that have none."""
    conditions = []
    if scope.productions:
        conditions.append(_column(table, "production_id", "productions").in_(scope.productions))
    if scope.departments:
        conditions.append(_column(table, "role_id", "roles").in_(role_ids(scope.departments)))
    if scope.people is not None:
        conditions.append(_column(table, "person_id", "people").in_(scope.people))
    period_column = on if on is not None else getattr(table, "month_start", None)
    if period_column is not None:
        conditions += in_period(period_column, scope, grain)
    return stmt.where(*conditions) if conditions else stmt


def group_grain(by: Sequence[str], scope: Scope) -> Any:
    """The person-free rollup kept at exactly the grain of ``by`` (``RollupProductionMonth`` for month × production,
    ``RollupDepartmentMonth`` for month × department) when ``scope`` narrows only what that grain can tell apart (its
    own key and the period); None otherwise: the caller then reads ``rollup_work_month``. Distinct people do not add
    up across cells, so any other grouping or filter needs the person-level rows."""
    if scope.people is not None:
        return None
    if set(by) == {"month", "production"} and len(by) == 2 and not scope.departments:
        return RollupProductionMonth
    if set(by) == {"month", "department"} and len(by) == 2 and not scope.productions:
        return RollupDepartmentMonth
    return None


def scoped_grain(stmt: Select, table: Any, scope: Scope) -> Select:
    """``stmt`` (reading ``table``, a :func:`group_grain` rollup) narrowed to the scope: its productions or
    departments and the months of its period."""
    conditions = in_period(table.month_start, scope)
    if scope.productions:
        conditions.append(table.production_id.in_(scope.productions))
    if scope.departments:
        conditions.append(table.department.in_(scope.departments))
    return stmt.where(*conditions) if conditions else stmt


def people_in_scope(scope: Scope) -> Select | None:
    """The ids of the people who worked (seconds > 0) on the scope's productions, in roles of its departments, in
    the months of its period, among its people (a subquery); None when no production or department is selected."""
    if not scope.selects_rows:
        return None
    w = RollupWorkMonth
    return scoped(select(w.person_id).where(w.seconds > 0), w, scope)


def person_filter(person: Any, scope: Scope) -> list[Any]:
    """Conditions on a person-id column keeping the people ``scope`` selects: :func:`people_in_scope` when it
    selects productions or departments, else its ``people``; none for everyone. The period is the caller's to apply
    on its own table."""
    if scope.selects_rows:
        return [person.in_(people_in_scope(scope))]
    if scope.people is not None:
        return [person.in_(scope.people)]
    return []


def workers(stmt: Select, person: Any, scope: Scope) -> Select:
    """``stmt`` narrowed by its ``person`` column to the people ``scope`` selects (:func:`person_filter`)."""
    conditions = person_filter(person, scope)
    return stmt.where(*conditions) if conditions else stmt


def selected_people(session: Session, scope: Scope) -> list[int] | None:
    """The people :func:`workers` keeps, as a sorted list; None when the scope selects everyone."""
    if scope.selects_rows:
        return sorted(set(session.scalars(people_in_scope(scope).distinct()).all()))
    return None if scope.people is None else list(scope.people)


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
            # NumPy converts each Decimal (and None, as NaN) as float() does, without a Python call per value.
            df[column] = np.array(df[column].to_numpy(), dtype=np.float64)
    for column in dates:
        if column in df.columns:
            df[column] = pd.to_datetime(df[column])
    return df


def packed_rows(session: Session, query: Select, width: int) -> np.ndarray:
    """The rows of ``query`` (``width`` integer columns, never NULL) as an int64 array of shape (rows, ``width``), in
    no particular order (the callers sort or group).

    The database joins the values into text that NumPy parses at once: the driver building a Python tuple and an
    int per value cost more than twice the query (782,504 rows of three integers at 5 million work logs on SQLite:
    1.1 s fetched and converted, 0.57 s as text). SQLite joins each column apart (``group_concat``: one pass feeds
    every aggregate the same rows in the same order, and one text per column is cheaper than one per row);
    PostgreSQL joins each row's values first (``string_agg``), which keeps a row together whatever order its
    aggregates see. The row count read in the same statement proves the parse: a NULL would leave a value out of
    the text, and that is an error, not a short frame."""
    inner = query.subquery()
    values = [cast(column, Text) for column in inner.c]
    if dialect(session) == "postgresql":
        texts = [func.string_agg(func.concat_ws(",", *values), ",")]
    else:
        texts = [func.group_concat(value, ",") for value in values]
    count, *joined = session.connection().execute(select(func.count(), *texts).select_from(inner)).one()
    # Text mode (sep=","), not the deprecated binary one; an empty aggregate is NULL.
    columns = [np.fromstring(text or "", dtype=np.int64, sep=",") for text in joined]
    if any(column.size != count * width // len(columns) for column in columns):
        raise AnalyticsError(
            N_("a packed read returned {got} values for {rows} rows of {width}: one of its columns was empty"),
            fix={"page": N_("report this: it is a bug"), "cli": N_("report this: it is a bug")},
            got=sum(column.size for column in columns), rows=count, width=width,
        )  # fmt: skip
    return columns[0].reshape(-1, width) if len(columns) == 1 else np.stack(columns, axis=1)


MANY_IDS = 1_000  # past this many ids, a read of every row costs less than binding each id (see rows_of_ids)


def rows_of_ids(session: Session, query: Select, ids: Sequence[int]) -> list[tuple]:
    """The rows of ``query`` (its first column an id) whose id is one of ``ids``: up to :data:`MANY_IDS` ids bound
    as parameters, past that every row read and those asked for kept (the studio's findings name ~10,000 people at
    5 million work logs: binding them cost 0.4 s of the overview on PostgreSQL, reading the 15,000 rows 0.02 s)."""
    column = query.selected_columns[0]
    if len(ids) <= MANY_IDS:
        return list(session.execute(query.where(column.in_(list(ids)))).tuples())
    wanted = set(ids)
    return [row for row in session.execute(query).tuples() if row[0] in wanted]


def named_sums(sums: pd.DataFrame, names: pd.DataFrame, keys: list[str], values: list[str]) -> pd.DataFrame:
    """``sums`` (summed by the database per id: grouping by a joined name made it sort every row by text) joined
    with ``names`` on the id column they share and summed again per ``keys``, sorted by them: ids that share a name
    are one group, as they were when the database grouped by the name."""
    return sums.merge(names).groupby(keys, as_index=False, sort=True, dropna=False)[values].sum()


def money(expr: Any) -> Any:
    """A Numeric amount as a float in SQL, so large frames skip Decimal conversion row by row."""
    return cast(expr, Float)


def hours(seconds: Any) -> Any:
    """Seconds as hours, in SQL."""
    return seconds / 3600.0
