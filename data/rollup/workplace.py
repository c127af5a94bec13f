"""The workplace of each day: the employment in force and the minimum wage there, and the month's shortfall.

A day's minimum wage is the highest of the timelines that apply at its employment's workplace (JP: the prefecture;
US-CA: the state and the city), each resolved for that day by :func:`data.law.minimum_wage.resolve` (the latest
revision in force; never one the table knows to be superseded).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import Float, case, cast, func, select, update
from sqlalchemy.orm import Session

from data.law.minimum_wage import STATE, MinimumWageCycles, Rate, Resolved, segments
from data.law.params import SECONDS_PER_HOUR
from data.periods import month_of
from data.reference import rule_values
from data.rollup.reading import FAR_FUTURE, who
from data.schema import JURISDICTIONS, Employment, MinimumWage, RollupPersonDay, RollupPersonMonth

Timeline = dict[tuple[str, str], list[Rate]]
EPOCH = dt.date(1970, 1, 1)


def mw_timeline(session: Session) -> Timeline:
    """Every minimum-wage table: ``(jurisdiction, region)`` → its rows (:class:`data.law.minimum_wage.Rate`)."""
    timeline: Timeline = {}
    m = MinimumWage
    for row in session.execute(
        select(m.id, m.jurisdiction, m.region, m.revision_year, m.effective_from, m.rate_per_hour).order_by(
            m.revision_year, m.id
        )
    ):
        rate = Rate(row.revision_year, row.effective_from, Decimal(row.rate_per_hour), row.id)
        timeline.setdefault((row.jurisdiction, row.region), []).append(rate)
    return timeline


def mw_cycles(session: Session) -> dict[str, MinimumWageCycles]:
    """The revision cycles of each jurisdiction's places (rule parameters ``minimum_wage_revision.*``)."""
    return {j: MinimumWageCycles.from_values(rule_values(session, j), j) for j in JURISDICTIONS}


def workplace_timelines(employment: Any, timeline: Timeline) -> list[tuple[str, str]]:
    """The minimum-wage timelines that apply at an employment's workplace (the highest one governs)."""
    if employment.jurisdiction == "JP":
        keys = [("JP", employment.prefecture or "")]
    else:
        keys = [(employment.jurisdiction, STATE), (employment.jurisdiction, employment.city or "")]
    return [key for key in keys if key in timeline]


def employment_segments(
    employment: Any, timeline: Timeline, cycles: dict[str, MinimumWageCycles], start: dt.date, end: dt.date
) -> list[tuple[dt.date, dt.date, Resolved | None]]:
    """Split an employment (clipped to start..end) where its workplace's minimum wage, or how sure it is, changes
    (:func:`data.law.minimum_wage.segments`)."""
    place = cycles[employment.jurisdiction]
    tables = [(timeline[k], place.cycle(k[1])) for k in workplace_timelines(employment, timeline)]
    return segments(tables, max(start, employment.start_date), min(end, employment.end_date or FAR_FUTURE))


def resolve_workplace(
    session: Session,
    *,
    person_id: npt.NDArray[np.int64],
    day: npt.NDArray[np.int64],
    ids: Sequence[int] | None,
    start: dt.date,
    end: dt.date,
) -> tuple[list[int | None], list[Decimal | None]]:
    """For days sorted by person then date (``day``: days since 1970-01-01), the employment in force and the
    workplace minimum wage per hour (None where no employment or no wage applies), from the employments of ``ids``
    (None: everyone) within ``start``..``end``."""
    employment_id = np.full(len(day), None, dtype=object)
    rate = np.full(len(day), None, dtype=object)
    if len(day):
        timeline, cycles = mw_timeline(session), mw_cycles(session)
        query = select(Employment).where(*who(Employment.person_id, ids)).order_by(Employment.start_date, Employment.id)
        # Later employments overwrite earlier ones where they overlap: the newest contract in force governs.
        for employment in session.scalars(query):
            lo, hi = (
                np.searchsorted(person_id, employment.person_id, "left"),
                np.searchsorted(person_id, employment.person_id, "right"),
            )
            if lo == hi:
                continue
            days = day[lo:hi]
            for since, until, wage in employment_segments(employment, timeline, cycles, start, end):
                a = lo + np.searchsorted(days, (since - EPOCH).days, "left")
                b = lo + np.searchsorted(days, (until - EPOCH).days, "right")
                employment_id[a:b] = employment.id
                rate[a:b] = None if wage is None else wage.rate
    return employment_id.tolist(), rate.tolist()


def refresh_shortfall(session: Session, *, ids: Sequence[int] | None, month_from: dt.date, month_to: dt.date) -> None:
    """For person-months whose minimum-wage base (``mw_base_per_hour``, :mod:`data.rollup.bases`) is under the
    highest minimum wage of the month: the shortfall, Σ over days of hours × (that day's wage − the month's base
    rate) where positive (a month crossing an effective date is short only on the days under the higher wage)."""
    rpd, rpm = RollupPersonDay.__table__, RollupPersonMonth.__table__
    dialect = session.get_bind().dialect.name
    # Floats on both backends: the rate is a quotient, and Numeric division differs between them.
    per_hour = float(SECONDS_PER_HOUR)
    base = rpm.c.mw_base_per_hour
    gap = cast(rpd.c.mw_rate, Float) - base
    shortfall = (
        select(func.coalesce(func.sum(case((gap > 0, gap * rpd.c.seconds / per_hour), else_=0.0)), 0.0))
        .where(
            rpd.c.person_id == rpm.c.person_id,
            rpd.c.work_date >= rpm.c.month_start,
            month_of(rpd.c.work_date, dialect) == rpm.c.month_start,
            rpd.c.mw_rate.is_not(None),
        )
        .scalar_subquery()
    )
    session.execute(
        update(rpm)
        .where(
            *who(rpm.c.person_id, ids),
            rpm.c.month_start.between(month_from, month_to),
            rpm.c.seconds > 0,
            rpm.c.mw_max_rate.is_not(None),
            rpm.c.mw_base_per_hour < cast(rpm.c.mw_max_rate, Float),
        )
        .values(mw_shortfall_amount=shortfall)
    )
