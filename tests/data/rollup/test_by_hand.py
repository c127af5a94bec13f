"""The day and month rollups equal a day-by-day reference written with plain loops, on a varied studio: several
people and contracts, weeks crossing months and minimum-wage changes, statutory holidays, long days, several
sessions a day, short breaks, night work, AI-assisted work, pay of several kinds. Durations are kept to the second:
some sessions and breaks end a few seconds off the minute (a second over 6 h needs the 45 min break)."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from data.reference import seed_values
from data.rollup import day_overtime_frame, refresh
from data.schema import Employment, PayItem, Person, RollupPersonDay, RollupPersonMonth, WorkLog
from tests.analytics.builders import Studio

D = dt.date
FIRST, LAST = D(2025, 9, 21), D(2025, 11, 8)  # Sunday … Saturday: seven whole weeks over three months
EMPLOYEE_TYPES = {"employee_regular", "employee_contract", "employee_parttime"}
# Minimum wages per hour in force (MHLW, seeded from data/seed/jp_min_wage_fy2024_fy2025.csv).
WAGES = {
    "Tokyo": [(D(2024, 10, 1), 1163), (D(2025, 10, 3), 1226)],
    "Osaka": [(D(2024, 10, 1), 1114), (D(2025, 10, 16), 1177)],
}
MIN_WAGE_BASES = {"hourly", "monthly_salary", "per_cut", "per_sheet", "per_episode", "per_background", "fixed_fee"}
PREMIUM_BASES = {"ot_premium", "holiday_premium", "night_premium"}


def _studio(session: Session) -> Studio:
    st = Studio(session)
    rng = random.Random(13)
    people = [
        st.person("A"),
        st.person("B", employment_type="freelancer"),
        st.person("C", prefecture="Osaka", employment_type="employee_parttime"),
        st.person("D", until=D(2025, 10, 15)),
    ]
    # D moves to Osaka on a new contract mid-month; E has no contract at all.
    session.add(
        Employment(
            person_id=people[3].id,
            employer_id=st.org.id,
            employment_type="employee_contract",
            jurisdiction="JP",
            prefecture="Osaka",
            start_date=D(2025, 10, 16),
        )
    )
    e = Person(display_name="E")
    session.add(e)
    session.flush()
    people.append(e)
    day = FIRST
    while day <= LAST:
        for person in people:
            if rng.random() < 0.2:
                continue  # a day off
            holiday = day.weekday() == 6 and rng.random() < 0.5
            for _ in range(rng.choice([1, 1, 1, 2, 3])):
                hours = rng.choice([2, 4.5, 6, 6 + 1 / 3600, 6.25, 7, 8, 8 + 34 / 3600, 8.5, 9, 10, 11.75, 13])
                st.work(
                    person,
                    day,
                    hours,
                    holiday=holiday,
                    break_seconds=rng.choice([0, 30, 44, 45, 59, 60, 90]) * 60 + rng.choice([0, 0, 0, -1, 1, 17]) % 60,
                    night_hours=rng.choice([0, 0, 1, 2.5]) if hours > 3 else 0,
                    ai=rng.choice([0.0, 0.0, 0.25, 0.5]),
                    units=rng.choice([None, 1, 2.5]),
                )
        day += dt.timedelta(days=1)
    for person in people[:4]:
        for month_end in (D(2025, 9, 30), D(2025, 10, 31), D(2025, 11, 30)):
            first = month_end.replace(day=1)
            st.pay(person, rng.choice([90_000, 180_000.5]), first, month_end, basis=rng.choice(["per_cut", "hourly"]))
            st.pay(person, rng.choice([0, 5_000]) + 1, first, month_end, basis="ot_premium")
            st.pay(person, 3_000, first, month_end, basis="allowance")
    st.commit()
    return st


def _wage(prefecture: str, day: dt.date) -> int:
    rate = None
    for since, amount in WAGES[prefecture]:
        if since <= day:
            rate = amount
    return rate


def _by_hand(session: Session) -> tuple[dict, dict]:
    """Rollup day and month values computed from the stored work logs, pay items and contracts with loops."""
    sessions = defaultdict(list)
    for log in session.scalars(select(WorkLog)):
        sessions[log.person_id, log.work_date].append(log)
    contracts = defaultdict(list)
    for c in session.scalars(select(Employment).order_by(Employment.start_date, Employment.id)):
        contracts[c.person_id].append(c)

    days = {}
    week_counted: dict[tuple[int, dt.date], int] = defaultdict(int)
    for person, day in sorted(sessions):
        logs = sessions[person, day]
        seconds = sum(log.seconds for log in logs)
        holiday = sum(log.seconds for log in logs if log.is_statutory_holiday)
        short = 0
        for log in logs:  # LSA Art. 34: over 6 h worked needs 45 min of break, over 8 h 60 min
            need = 3600 if log.seconds > 8 * 3600 else 45 * 60 if log.seconds > 6 * 3600 else 0
            short += log.break_seconds < need
        daily_ot = max(0, seconds - holiday - 8 * 3600)
        sunday = day - dt.timedelta(days=(day.weekday() + 1) % 7)
        before = week_counted[person, sunday]
        week_counted[person, sunday] = after = before + (seconds - holiday - daily_ot)
        weekly_ot = max(0, after - 40 * 3600) - max(0, before - 40 * 3600)
        contract = None
        for c in contracts[person]:  # the newest contract in force governs
            if c.start_date <= day and (c.end_date is None or day <= c.end_date):
                contract = c
        days[person, day] = {
            "seconds": seconds,
            "night_seconds": sum(log.night_seconds for log in logs),
            "holiday_seconds": holiday,
            "ai_seconds": pytest.approx(sum(log.seconds * log.ai_assisted_fraction for log in logs)),
            "units": pytest.approx(sum(log.units or 0 for log in logs)),
            "sessions": len(logs),
            "short_break_sessions": short,
            "longest_session_seconds": max(log.seconds for log in logs),
            "daily_ot_seconds": daily_ot,
            "weekly_ot_seconds": weekly_ot,
            "employment_id": contract.id if contract else None,
            "mw_rate": _wage(contract.prefecture, day) if contract else None,
            "employee": contract is not None and contract.employment_type in EMPLOYEE_TYPES,
        }

    months: dict[tuple[int, dt.date], dict] = defaultdict(lambda: defaultdict(int))
    for (person, day), d in days.items():
        m = months[person, day.replace(day=1)]
        for k in ("seconds", "night_seconds", "holiday_seconds"):
            m[k] += d[k]
        m["days_worked"] += 1
        m["ot_seconds"] += d["daily_ot_seconds"] + d["weekly_ot_seconds"]
        m["employee_seconds"] += d["seconds"] if d["employee"] else 0
        if d["mw_rate"] is not None:
            m["mw_seconds"] += d["seconds"]
            m["mw_due_amount"] += d["seconds"] * d["mw_rate"] / 3600
            m["rates"] = [*m.get("rates", []), d["mw_rate"]]
    for item in session.scalars(select(PayItem)):
        m = months[item.person_id, item.period_end.replace(day=1)]
        m["pay_amount"] += item.amount
        m["pay_mw_base_amount"] += item.amount if item.basis in MIN_WAGE_BASES else 0
        m["pay_premium_amount"] += item.amount if item.basis in PREMIUM_BASES else 0
    return days, months


def test_day_and_month_rollups_equal_the_reference(session: Session) -> None:
    seeded = seed_values("JP")
    assert (seeded["hours.daily_limit_h"], seeded["hours.weekly_limit_h"], seeded["hours.week_start_default"]) == (
        8,
        40,
        "SUN",
    )
    _studio(session)
    for rebuilt in (False, True):
        if rebuilt:
            refresh(session)  # a full rebuild gives the same rows as the writers' refreshes
            session.commit()
        days, months = _by_hand(session)
        stored = {(r.person_id, r.work_date): r for r in session.scalars(select(RollupPersonDay))}
        assert set(stored) == set(days)
        assert sum(d["short_break_sessions"] for d in days.values()) > 10
        assert sum(d["weekly_ot_seconds"] > 0 for d in days.values()) > 5
        assert any(d["seconds"] % 60 for d in days.values())  # the studio has second-resolution days
        for key, want in days.items():
            got = {k: getattr(stored[key], k) for k in want if k != "employee"}
            got["mw_rate"] = None if got["mw_rate"] is None else int(got["mw_rate"])
            assert got == {k: v for k, v in want.items() if k != "employee"}, key

        stored_months = {(r.person_id, r.month_start): r for r in session.scalars(select(RollupPersonMonth))}
        assert set(stored_months) == set(months)
        for key, want in months.items():
            row = stored_months[key]
            for k in ("seconds", "night_seconds", "holiday_seconds", "days_worked", "ot_seconds"):
                assert getattr(row, k) == want[k], (key, k)
            for k in ("employee_seconds", "mw_seconds"):
                assert getattr(row, k) == want[k], (key, k)
            assert float(row.mw_due_amount) == pytest.approx(want["mw_due_amount"], abs=0.01), key
            rates = want.get("rates")
            assert (row.mw_min_rate, row.mw_max_rate) == ((min(rates), max(rates)) if rates else (None, None)), key
            for k in ("pay_amount", "pay_mw_base_amount", "pay_premium_amount"):
                assert Decimal(getattr(row, k)) == Decimal(want[k]), (key, k)


def test_overtime_in_another_week_equals_the_reference(session: Session) -> None:
    """Weeks from Monday, read straight from the work log: each day's weekly overtime restarts on Mondays."""
    _studio(session)
    frame = day_overtime_frame(session, week_start="MON", start=D(2025, 9, 22), end=D(2025, 11, 2))
    counted: dict[tuple[int, dt.date], int] = defaultdict(int)
    want = []
    totals: dict[tuple[int, dt.date], list[int]] = defaultdict(lambda: [0, 0])
    for log in session.scalars(select(WorkLog).where(WorkLog.work_date.between(D(2025, 9, 22), D(2025, 11, 2)))):
        totals[log.person_id, log.work_date][0] += log.seconds
        totals[log.person_id, log.work_date][1] += log.seconds if log.is_statutory_holiday else 0
    for (person, day), (seconds, holiday) in sorted(totals.items()):
        monday = day - dt.timedelta(days=day.weekday())
        daily = max(0, seconds - holiday - 8 * 3600)
        before = counted[person, monday]
        counted[person, monday] = after = before + seconds - holiday - daily
        want.append((person, day, monday, daily, max(0, after - 40 * 3600) - max(0, before - 40 * 3600)))
    got = [
        (r.person_id, r.work_date.date(), r.week_start.date(), r.daily_ot_seconds, r.weekly_ot_seconds)
        for r in frame.itertuples()
    ]
    assert got == want and any(w[4] for w in want)
