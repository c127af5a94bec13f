"""The artist's own log beside the studio's record: day by day, and what the difference means in money.

Who may see it: the artist, always; a manager only for a period the artist shared (a share covering it whole);
nobody else (advocates see no one's own log). :func:`reconcile` checks before it reads anything.

The money of a month, at the person's pay basis, is computed twice, on the studio's hours and on the artist's, by
the rules the findings apply (:mod:`data.law`), and the difference is what the artist's count would add:

- an employee (JP): overtime (daily, then weekly in weeks from Sunday, as the rollups count it; statutory-holiday
  hours apart) and the premiums owed on it (:func:`data.law.wages.jp_premiums_owed` on the premium base); the
  minimum-wage shortfall (the month's highest minimum wage against the minimum-wage base, times the hours). Hourly
  and piece pay are divided by the hours worked, so more hours lower those bases; salary and day rates are divided
  by the schedule and do not move.
- a freelancer: effective hourly pay (all pay counted in the month ÷ hours) on both counts, beside the minimum wage
  it would be for an employee.

Only the days inside the period are counted, on both sides alike, so a week cut by the period's edge is short on
both counts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session

from analytics.access import ensure_can_view_person
from analytics.errors import AccessDenied, AnalyticsError
from analytics.queries import own_log as q
from analytics.scope import Scope
from data.i18n import N_
from data.law.overtime import jp_overtime
from data.law.params import SECONDS_PER_HOUR, JpHours
from data.law.wages import JpPremiums, jp_premiums_owed

# A day whose two counts differ by no more than this is matched: trackers and hand-kept sheets round to the quarter
# hour, and a rounding is not unpaid work.
MATCH_TOLERANCE_SECONDS = 15 * 60
STATES = ("matched", "studio_less", "studio_more", "only_own", "only_studio")
DAY_COLUMNS = ["work_date", "own_hours", "studio_hours", "difference_hours", "state"]
MONEY_COLUMNS = [
    "month", "basis", "currency", "own_hours", "studio_hours", "own_overtime_hours", "studio_overtime_hours",
    "own_premiums", "studio_premiums", "premiums_difference", "mw_per_hour", "own_mw_base", "studio_mw_base",
    "own_shortfall", "studio_shortfall", "shortfall_difference", "pay_amount", "own_per_hour", "studio_per_hour",
    "base_assumed",
]  # fmt: skip


@dataclass(frozen=True)
class Reconciliation:
    """One person's period. ``days``: :data:`DAY_COLUMNS` (``work_date`` a date, hours as decimals, ``difference_hours``
    own − studio, ``state`` one of :data:`STATES`), days either side has, in date order. ``money``: one row per month
    the period touches, :data:`MONEY_COLUMNS` (``basis`` "employee" or "freelancer"; amounts in ``currency``; an
    employee's rows leave ``own_per_hour``/``studio_per_hour`` NaN, a freelancer's the overtime and shortfall).
    ``shared``: whether the artist shared the period with the managers."""

    person_id: int
    start: dt.date
    end: dt.date
    days: pd.DataFrame
    money: pd.DataFrame
    shared: bool

    @property
    def totals(self) -> dict[str, float]:
        """``own_hours``, ``studio_hours``, ``difference_hours`` over the period."""
        own, studio = float(self.days["own_hours"].sum()), float(self.days["studio_hours"].sum())
        return {"own_hours": own, "studio_hours": studio, "difference_hours": own - studio}


def day_states(own: pd.DataFrame, studio: pd.DataFrame) -> pd.DataFrame:
    """The days of ``own`` and ``studio`` (each ``work_date``, ``seconds``) side by side: :data:`DAY_COLUMNS`."""
    merged = pd.merge(
        own[["work_date", "seconds"]].rename(columns={"seconds": "own"}),
        studio[["work_date", "seconds"]].rename(columns={"seconds": "studio"}),
        on="work_date",
        how="outer",
    ).sort_values("work_date", ignore_index=True)
    has_own, has_studio = merged["own"].notna(), merged["studio"].notna()
    own_s, studio_s = merged["own"].fillna(0).to_numpy(float), merged["studio"].fillna(0).to_numpy(float)
    diff = own_s - studio_s
    state = np.select(
        [~has_studio, ~has_own, np.abs(diff) <= MATCH_TOLERANCE_SECONDS, diff > 0],
        ["only_own", "only_studio", "matched", "studio_less"],
        default="studio_more",
    )
    return pd.DataFrame(
        {
            "work_date": merged["work_date"],
            "own_hours": own_s / SECONDS_PER_HOUR,
            "studio_hours": studio_s / SECONDS_PER_HOUR,
            "difference_hours": diff / SECONDS_PER_HOUR,
            "state": state,
        },
        columns=DAY_COLUMNS,
    )


def _overtime(days: pd.DataFrame, seconds: str, holiday: np.ndarray, hours: JpHours) -> tuple[float, float]:
    """(overtime hours, statutory-holiday hours) of one count, weeks from Sunday."""
    if days.empty:
        return 0.0, 0.0
    dates = pd.to_datetime(days["work_date"])
    week = (dates - pd.to_timedelta((dates.dt.dayofweek + 1) % 7, unit="D")).to_numpy()
    worked = days[seconds].to_numpy(np.int64)
    on_holiday = np.where(holiday, worked, 0)
    found = jp_overtime(worked, on_holiday, week, hours)
    return float(found.total.sum()) / SECONDS_PER_HOUR, float(on_holiday.sum()) / SECONDS_PER_HOUR


def employee_money(
    days: pd.DataFrame, facts: dict[str, Any], *, hours: JpHours, premiums: JpPremiums
) -> dict[str, Any]:
    """An employee's month on both counts. ``days``: ``work_date``, ``own_seconds``, ``studio_seconds``,
    ``holiday`` (the studio recorded the day as a statutory day off; the artist's hours that day count as holiday
    work too), in date order; ``facts``: :func:`analytics.queries.own_log.month_facts`. A row of
    :data:`MONEY_COLUMNS`."""
    holiday = days["holiday"].to_numpy(bool)
    own_h = float(days["own_seconds"].sum()) / SECONDS_PER_HOUR
    studio_h = float(days["studio_seconds"].sum()) / SECONDS_PER_HOUR
    own_ot, own_hol = _overtime(days, "own_seconds", holiday, hours)
    studio_ot, studio_hol = _overtime(days, "studio_seconds", holiday, hours)
    by_hour = float(facts["by_hour_pay"])

    def base(stored: Any, worked_h: float) -> float:
        # The stored base divides hourly and piece pay by the studio's hours; on another count they are divided by
        # that count's hours instead (salary and day rates are per scheduled hour and do not move).
        stored = 0.0 if stored is None else float(stored)
        month_h = facts["studio_seconds"] / SECONDS_PER_HOUR
        studio_part = by_hour / month_h if month_h > 0 else 0.0
        return stored - studio_part + (by_hour / worked_h if worked_h > 0 else 0.0)

    scheduled = 0.0 if facts["scheduled_base_per_hour"] is None else float(facts["scheduled_base_per_hour"])
    owed = {}
    for name, worked, ot, hol in (("own", own_h, own_ot, own_hol), ("studio", studio_h, studio_ot, studio_hol)):
        found = jp_premiums_owed(base(facts["premium_base_per_hour"], worked), ot, hol, 0.0, premiums, scheduled)
        owed[name] = float(found.overtime + found.holiday)
    mw = facts["mw_per_hour"]
    own_base, studio_base = base(facts["mw_base_per_hour"], own_h), base(facts["mw_base_per_hour"], studio_h)
    own_short = 0.0 if mw is None else max(mw - own_base, 0.0) * own_h
    studio_short = 0.0 if mw is None else max(mw - studio_base, 0.0) * studio_h
    return {
        "basis": "employee", "own_hours": own_h, "studio_hours": studio_h, "own_overtime_hours": own_ot,
        "studio_overtime_hours": studio_ot, "own_premiums": owed["own"], "studio_premiums": owed["studio"],
        "premiums_difference": owed["own"] - owed["studio"], "mw_per_hour": np.nan if mw is None else mw,
        "own_mw_base": own_base, "studio_mw_base": studio_base, "own_shortfall": own_short,
        "studio_shortfall": studio_short, "shortfall_difference": own_short - studio_short,
        "pay_amount": facts["pay_amount"], "own_per_hour": np.nan, "studio_per_hour": np.nan,
        "base_assumed": bool(facts["base_assumed"]),
    }  # fmt: skip


def freelancer_money(days: pd.DataFrame, facts: dict[str, Any]) -> dict[str, Any]:
    """A freelancer's month on both counts: effective hourly pay, all pay counted in the month ÷ each count's hours
    (NaN without hours), beside the minimum wage it would be for an employee. A row of :data:`MONEY_COLUMNS`."""
    own_h = float(days["own_seconds"].sum()) / SECONDS_PER_HOUR
    studio_h = float(days["studio_seconds"].sum()) / SECONDS_PER_HOUR
    pay = float(facts["pay_amount"])
    mw = facts["mw_per_hour"]
    return {
        "basis": "freelancer", "own_hours": own_h, "studio_hours": studio_h, "own_overtime_hours": np.nan,
        "studio_overtime_hours": np.nan, "own_premiums": np.nan, "studio_premiums": np.nan,
        "premiums_difference": np.nan, "mw_per_hour": np.nan if mw is None else mw, "own_mw_base": np.nan,
        "studio_mw_base": np.nan, "own_shortfall": np.nan, "studio_shortfall": np.nan, "shortfall_difference": np.nan,
        "pay_amount": pay, "own_per_hour": pay / own_h if own_h > 0 else np.nan,
        "studio_per_hour": pay / studio_h if studio_h > 0 else np.nan, "base_assumed": False,
    }  # fmt: skip


def _months(start: dt.date, end: dt.date) -> list[dt.date]:
    return [m.date() for m in pd.date_range(start.replace(day=1), end, freq="MS")]


def check_viewer(session: Session, scope: Scope, person_id: int, start: dt.date, end: dt.date) -> bool:
    """Whether the period is shared; AccessDenied unless the viewer is the artist, or a manager and it is shared."""
    ensure_can_view_person(scope.viewer, person_id)
    shared = q.is_shared(session, person_id=person_id, start=start, end=end)
    viewer = scope.viewer
    if viewer is not None and viewer.role == "manager" and not shared:
        raise AccessDenied(
            N_("person #{person} has not shared their own log for {start}–{end}"),
            fix={"page": N_("only the artist can share it, from their My record page")},
            person=person_id, start=start, end=end,
        )  # fmt: skip
    return shared


def reconcile(session: Session, *, scope: Scope) -> Reconciliation:
    """The own log of the scope's one person beside the studio's record, for the scope's period (both ends
    required): :class:`Reconciliation`. The artist always; a manager only when the artist shared the period
    (AccessDenied otherwise, before anything of the own log is read); anyone else never."""
    person_id = scope.person
    if scope.start is None or scope.end is None:
        raise AnalyticsError(N_("a reconciliation needs a period with a start and an end"),
                             fix={"page": N_("pick a month")})  # fmt: skip
    start, end = scope.start, scope.end
    shared = check_viewer(session, scope, person_id, start, end)
    own = q.own_days(session, person_id=person_id, start=start, end=end)
    studio = q.studio_days(session, person_id=person_id, start=start, end=end)
    days = day_states(own, studio)
    rows = []
    for month in _months(start, end):
        last = (pd.Timestamp(month) + pd.offsets.MonthEnd(0)).date()
        in_month = days[(days["work_date"] >= month) & (days["work_date"] <= last)]
        holidays = set(studio.loc[studio["holiday_seconds"] > 0, "work_date"]) if len(studio) else set()
        frame = pd.DataFrame(
            {
                "work_date": in_month["work_date"],
                "own_seconds": (in_month["own_hours"] * SECONDS_PER_HOUR).round().astype(np.int64),
                "studio_seconds": (in_month["studio_hours"] * SECONDS_PER_HOUR).round().astype(np.int64),
                "holiday": in_month["work_date"].isin(holidays),
            }
        )
        facts = q.month_facts(session, person_id=person_id, month=month)
        if facts["is_employee"]:
            hours, premiums = q.jp_rules(session, on=last)
            row = employee_money(frame, facts, hours=hours, premiums=premiums)
        else:
            row = freelancer_money(frame, facts)
        rows.append({**row, "month": month, "currency": facts["currency"]})
    return Reconciliation(person_id, start, end, days, pd.DataFrame(rows, columns=MONEY_COLUMNS), shared)


def shared_periods(session: Session, *, scope: Scope) -> pd.DataFrame:
    """The periods artists shared with the managers (managers only): ``id``, ``person_id``, ``person``,
    ``period_start``, ``period_end``, ``shared_at``; the scope's people only when it selects some."""
    viewer = scope.viewer
    if viewer is None or viewer.role != "manager":
        raise AccessDenied(N_("only a manager sees which own logs were shared"))
    return q.shares(session, person_ids=list(scope.people) if scope.people else None)


def my_shares(session: Session, *, scope: Scope) -> pd.DataFrame:
    """The periods the scope's one person (the artist themselves only) shared: as :func:`shared_periods`."""
    viewer = scope.viewer
    person_id = scope.person
    if viewer is None or viewer.role != "artist" or viewer.person_id != person_id:
        raise AccessDenied(N_("only the artist sees the periods of their own log they shared"))
    return q.shares(session, person_ids=[person_id])
