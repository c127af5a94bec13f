"""``rollup_person_day``: one person's work on one date, with the Japanese overtime that arose that day.

SQL sums the work log per person and date; the law is applied to those sums in NumPy, by the functions every other
caller uses (:func:`data.law.overtime.jp_overtime`, :func:`data.law.shifts.break_too_short`), with the limits, the
breaks and the first day of the week read from the rule parameters (:func:`hours`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import and_, case, delete, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from data.law.overtime import JpOvertime, jp_overtime
from data.law.params import JpHours
from data.law.shifts import break_screen, break_too_short
from data.periods import week_start_days
from data.reference import rule_values
from data.rollup.reading import FAR_FUTURE, FAR_PAST, open_ends, who, work_conditions
from data.rollup.rows import insert_columns
from data.rollup.weeks import contract_weeks, day_week_starts, week_keys
from data.rollup.workplace import resolve_workplace
from data.schema import RollupPersonDay, WorkLog

if TYPE_CHECKING:
    import pandas as pd

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
_EPOCH = np.datetime64("1970-01-01", "D")
EPOCH_DATE = dt.date(1970, 1, 1)
WEEK = 7


def _open(day: dt.date, bound: dt.date) -> dt.date | None:
    # A refresh of all history reads it all: no bound where the range was the far past or future.
    return None if bound in (FAR_PAST, FAR_FUTURE) else day


def hours(session: Session) -> JpHours:
    """Japan's working-hours parameters in force today (limits, breaks, night window, first day of the week)."""
    return JpHours.from_values(rule_values(session, "JP"))


def week_start(session: Session) -> str:
    """The weekday the stored weeks start on (a code of :data:`data.periods.WEEKDAYS`): the rule parameter
    ``hours.week_start_default``. Weekly overtime in ``rollup_person_day`` and the weeks of ``rollup_person_week``
    use it."""
    return hours(session).week_start_default


@dataclass(frozen=True)
class Days:
    """Work per person and date, sorted by person then date; ``day`` counts days since 1970-01-01 (``datetime64[D]``
    as integers). Seconds are net of breaks; ``holiday_seconds`` were worked on a statutory day off."""

    person_id: IntArray
    day: IntArray
    seconds: IntArray
    night_seconds: IntArray
    holiday_seconds: IntArray
    ai_seconds: FloatArray
    units: FloatArray
    sessions: IntArray
    longest_session_seconds: IntArray
    candidate_sessions: IntArray  # sessions inside the break screen (data.law.shifts.break_screen)
    work_date: Sequence[Any] = ()  # the dates as the driver returned them (SQLite: ISO text), to write back as they are

    @property
    def key(self) -> IntArray:
        """One ascending integer per row: person and day together."""
        return (self.person_id << 32) + (self.day + (1 << 31))

    def select(self, keep: npt.NDArray[np.bool_]) -> Days:
        """The rows where ``keep`` holds."""
        dates = list(np.asarray(self.work_date, dtype=object)[keep]) if len(self.work_date) else []
        arrays = {f: getattr(self, f)[keep] for f in self.__dataclass_fields__ if f != "work_date"}
        return Days(**arrays, work_date=dates)


def day_totals_query(
    *,
    screen: tuple[int, int],
    person_ids: Sequence[int] | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    table_scan: bool = False,
) -> Select[Any]:
    """Per person and date, ordered so: ``person_id``, ``work_date``, ``seconds``, ``night_seconds``,
    ``holiday_seconds``, ``ai_seconds`` (seconds × AI-assisted fraction), ``units``, ``sessions``,
    ``longest_session_seconds``, ``candidate_sessions`` (sessions of more than ``screen[0]`` seconds with a break
    under ``screen[1]``: those whose break may be too short). ``table_scan`` reads the whole table instead of the
    (person, date) index (see :func:`data.rollup.reading.most_of_table`)."""
    wl = WorkLog
    worked_over, break_under = screen
    # Grouping by the bare column lets SQLite walk the index for its order; the expression makes it sort instead.
    person = wl.person_id + 0 if table_scan else wl.person_id
    return (
        select(
            person.label("person_id"),
            wl.work_date.label("work_date"),
            func.sum(wl.seconds).label("seconds"),
            func.sum(wl.night_seconds).label("night_seconds"),
            func.sum(case((wl.is_statutory_holiday, wl.seconds), else_=0)).label("holiday_seconds"),
            func.sum(wl.seconds * wl.ai_assisted_fraction).label("ai_seconds"),
            func.coalesce(func.sum(wl.units), 0.0).label("units"),
            func.count().label("sessions"),
            func.max(wl.seconds).label("longest_session_seconds"),
            func.sum(case((and_(wl.seconds > worked_over, wl.break_seconds < break_under), 1), else_=0)).label(
                "candidate_sessions"
            ),
        )
        .where(*work_conditions(ids=person_ids, start=start, end=end, table_scan=table_scan))
        .group_by(person, wl.work_date)
        .order_by(person, wl.work_date)
    )


def _columns(session: Session, query: Select[Any], count: int) -> list[tuple[Any, ...]]:
    # The driver's rows as they come (SQLite: dates as ISO text), column by column: no per-value processing.
    result = session.connection().execute(query)
    rows = result.cursor.fetchall()
    result.close()
    return list(zip(*rows, strict=True)) if rows else [()] * count


def _days_since_epoch(values: Sequence[Any]) -> IntArray:
    return (np.asarray(values, dtype="datetime64[D]") - _EPOCH).astype(np.int64)


def read_days(
    session: Session,
    rules: JpHours,
    *,
    person_ids: Sequence[int] | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    table_scan: bool = False,
) -> Days:
    """:func:`day_totals_query`'s rows as arrays, screened with ``rules``' breaks."""
    query = day_totals_query(
        screen=break_screen(rules.breaks), person_ids=person_ids, start=start, end=end, table_scan=table_scan
    )
    p, d, m, n, h, ai, u, s, longest, candidates = _columns(session, query, 10)

    def ints(values: Sequence[Any]) -> IntArray:
        return np.asarray(values, dtype=np.int64)

    def floats(values: Sequence[Any]) -> FloatArray:
        return np.asarray(values, dtype=np.float64)

    return Days(
        ints(p), _days_since_epoch(d), ints(m), ints(n), ints(h), floats(ai), floats(u), ints(s), ints(longest),
        ints(candidates), d,
    )  # fmt: skip


def week_groups(days: Days, week_start: str) -> IntArray:
    """A key equal for the days of one person's week (starting on ``week_start``) and different between weeks."""
    week = week_start_days(days.day, week_start)
    new = np.ones(len(week), dtype=bool)
    new[1:] = (days.person_id[1:] != days.person_id[:-1]) | (week[1:] != week[:-1])
    return np.cumsum(new)


def day_overtime(days: Days, rules: JpHours, *, week_start: str) -> JpOvertime:
    """Japanese daily overtime and the weekly overtime that arose each day, in weeks starting on ``week_start``.
    The days must cover whole weeks."""
    return jp_overtime(days.seconds, days.holiday_seconds, week_groups(days, week_start), rules)


def short_break_sessions(
    session: Session,
    days: Days,
    rules: JpHours,
    *,
    person_ids: Sequence[int] | None,
    start: dt.date | None,
    end: dt.date | None,
    table_scan: bool = False,
) -> IntArray:
    """Per row of ``days`` (read with the same people and dates): the sessions whose break was shorter than the law
    requires for the seconds worked (JP LSA Art. 34)."""
    count = np.zeros(len(days.day), dtype=np.int64)
    screened = days.candidate_sessions > 0
    if not screened.any():
        return count
    if person_ids is not None:  # only the people with sessions to look at
        person_ids = np.unique(days.person_id[screened]).tolist()
    worked_over, break_under = break_screen(rules.breaks)
    wl = WorkLog
    # Only sessions that can fail the test leave the database; the law itself decides which of them do.
    query = select(wl.person_id, wl.work_date, wl.seconds, wl.break_seconds).where(
        *work_conditions(ids=person_ids, start=start, end=end, table_scan=table_scan),
        wl.seconds > worked_over,
        wl.break_seconds < break_under,
    )
    p, d, worked, took = _columns(session, query, 4)
    short = break_too_short(np.asarray(worked, dtype=np.int64), np.asarray(took, dtype=np.int64), rules.breaks)
    flagged = (np.asarray(p, dtype=np.int64)[short] << 32) + (_days_since_epoch(d)[short] + (1 << 31))
    np.add.at(count, np.searchsorted(days.key, flagged), 1)
    return count


DAY_COLUMNS = (
    "person_id",
    "work_date",
    "seconds",
    "night_seconds",
    "holiday_seconds",
    "ai_seconds",
    "units",
    "sessions",
    "short_break_sessions",
    "longest_session_seconds",
    "daily_ot_seconds",
    "weekly_ot_seconds",
    "employment_id",
    "mw_rate",
)


def refresh_days(
    session: Session,
    *,
    ids: Sequence[int] | None,
    day_from: dt.date,
    day_to: dt.date,
    rules: JpHours,
    table_scan: bool,
) -> Days:
    """Rebuild ``rollup_person_day`` for ``ids`` (None: everyone) from ``day_from`` to ``day_to``, whole weeks;
    returns the days written."""
    rpd = RollupPersonDay.__table__
    session.execute(delete(rpd).where(*who(rpd.c.person_id, ids), rpd.c.work_date.between(day_from, day_to)))
    # An employer's week may start on another weekday than the stored weeks: six more days on each side make every
    # week that holds a day written here whole, and only the days from day_from to day_to are written.
    read_from, read_to = day_from - dt.timedelta(days=WEEK - 1), day_to + dt.timedelta(days=WEEK - 1)
    days = read_days(session, rules, person_ids=ids, start=_open(read_from, day_from), end=_open(read_to, day_to),
                     table_scan=table_scan)  # fmt: skip
    if not len(days.day):
        return days
    employment, wage = resolve_workplace(
        session, person_id=days.person_id, day=days.day, ids=ids, start=read_from, end=read_to
    )
    starts = day_week_starts(employment, contract_weeks(session, employment), rules.week_start_default)
    overtime = jp_overtime(days.seconds, days.holiday_seconds, week_keys(days.person_id, days.day, starts), rules)
    inside = (days.day >= (day_from - EPOCH_DATE).days) & (days.day <= (day_to - EPOCH_DATE).days)
    days, overtime = days.select(inside), JpOvertime(overtime.daily[inside], overtime.weekly[inside])
    employment, wage = list(np.asarray(employment, dtype=object)[inside]), list(np.asarray(wage, dtype=object)[inside])
    if not len(days.day):
        return days
    start, end = open_ends(day_from, day_to)
    short = short_break_sessions(session, days, rules, person_ids=ids, start=start, end=end, table_scan=table_scan)
    values = [
        days.person_id.tolist(),
        list(days.work_date),
        days.seconds.tolist(),
        days.night_seconds.tolist(),
        days.holiday_seconds.tolist(),
        days.ai_seconds.tolist(),
        days.units.tolist(),
        days.sessions.tolist(),
        short.tolist(),
        days.longest_session_seconds.tolist(),
        overtime.daily.tolist(),
        overtime.weekly.tolist(),
        employment,
        wage,
    ]
    insert_columns(session, rpd, DAY_COLUMNS, values, ready=("work_date", "ai_seconds", "units"))
    return days


def day_overtime_frame(
    session: Session,
    *,
    week_start: str | None = None,
    person_ids: Sequence[int] | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> pd.DataFrame:
    """Japanese overtime per person and day, from the work log, in weeks starting on ``week_start`` (default: the
    rule parameter). ``start``/``end`` must be week boundaries so that every week is complete.

    Columns: ``person_id``, ``work_date`` and ``week_start`` (datetime64), ``seconds``, ``holiday_seconds``,
    ``daily_ot_seconds``, ``weekly_ot_seconds`` (weekly overtime arising that day); sorted by person and date.
    """
    import pandas as pd  # here: the refresh that every import runs needs no pandas (40 MB in the importer)

    rules = hours(session)
    week_start = week_start or rules.week_start_default
    days = read_days(session, rules, person_ids=person_ids, start=start, end=end)
    overtime = day_overtime(days, rules, week_start=week_start)
    return pd.DataFrame(
        {
            "person_id": days.person_id,
            "work_date": (_EPOCH + days.day).astype("datetime64[ns]"),
            "week_start": (_EPOCH + week_start_days(days.day, week_start)).astype("datetime64[ns]"),
            "seconds": days.seconds,
            "holiday_seconds": days.holiday_seconds,
            "daily_ot_seconds": overtime.daily,
            "weekly_ot_seconds": overtime.weekly,
        }
    )
