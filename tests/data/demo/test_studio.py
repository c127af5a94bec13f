"""The full demo studio (seed 7, built once per backend by the conftest): its size, calibration and the defects
the validators and rules must find, as a visitor sees them. What does not depend on the full studio's numbers is
checked on the small fixture studio (test_fixture.py); determinism in test_determinism.py.

The calibration is computed here with plain SQL and pandas over the demo tables, not through analytics/.
"""

from __future__ import annotations

import pandas as pd
import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from data.demo import AI_HUMAN, AND_OTHERS, FIRST_DAY, HUMAN, LAST_DAY, TBD
from data.law.wages import rate_on
from data.names import person_key
from data.schema import (
    Account,
    CreditLine,
    Cut,
    Employment,
    Episode,
    MinimumWage,
    PayItem,
    Person,
    PersonAlias,
    Production,
    Service,
)
from tests.demo_helpers import frame as _df
from tests.demo_helpers import production as _production
from tests.demo_helpers import work_logs

# ---------------------------------------------------------------------------------------------------------------
# Productions, people, organizations


def test_three_productions_with_episodes_and_cuts(demo_session: Session) -> None:
    s = demo_session
    tv, film, short = (_production(s, k) for k in ("tv", "film", "short"))
    assert (tv.ai_policy, film.ai_policy, short.ai_policy) == ("limited", "none", "extensive")
    episodes = s.scalars(select(Episode).where(Episode.production_id == tv.id).order_by(Episode.number)).all()
    assert [e.number for e in episodes] == list(range(1, 13))
    assert all(FIRST_DAY < e.delivery_date <= LAST_DAY for e in episodes)
    cuts = _df(
        s,
        "SELECT e.production_id, c.episode_id, c.seconds, c.frames, c.sheets FROM cut c "
        "JOIN episode e ON e.id = c.episode_id",
    )
    per_episode = cuts[cuts.production_id == tv.id].groupby("episode_id").size()
    assert per_episode.between(220, 420).all()
    assert (cuts.frames == (cuts.seconds * 24).round()).all() and (cuts.sheets >= 1).all()
    short_seconds = cuts[cuts.production_id == short.id].seconds.sum()
    assert 170 <= short_seconds <= 190  # a three-minute short
    assert s.scalar(select(func.count()).select_from(Cut)) > 4000


def test_people_names_aliases_and_variants(demo_session: Session) -> None:
    s = demo_session
    people = s.scalars(select(Person)).all()
    assert len(people) >= 150
    jp = [p for p in people if p.country == "JP"]
    assert all(p.family_kana and p.given_kana and p.family_romaji and p.given_romaji_ascii for p in jp)
    assert any(p.family_romaji != p.family_romaji_ascii for p in jp)  # macrons: Ōno / Ono
    assert any(p.romaji_family_first.split()[0].isupper() for p in jp)
    aliases = s.scalars(select(PersonAlias).where(PersonAlias.person_id.is_not(None))).all()
    kinds = {a.kind for a in aliases}
    assert {"real_name", "romanization", "pen_name", "variant_glyph"} <= kinds
    assert any(p.visibility == "pen_name_only" and p.display_name == p.pen_name for p in people)
    by_person: dict[int, list[PersonAlias]] = {}
    for a in aliases:
        by_person.setdefault(a.person_id, []).append(a)
    variants = [a for a in aliases if a.kind == "variant_glyph"]
    assert any("髙" in a.text or "髙" in (a.person.family_name or "") for a in variants)
    for v in variants:
        real = next(a for a in by_person[v.person_id] if a.kind == "real_name")
        assert v.text != real.text and v.match_key == real.match_key == person_key(real.text)


def test_employment_mix_and_workplaces(demo_session: Session) -> None:
    s = demo_session
    emp = _df(
        s,
        "SELECT person_id, employment_type, jurisdiction, prefecture, city, scheduled_monthly_hours, "
        "start_date FROM employment",
    )
    latest = emp.sort_values("start_date").groupby("person_id").tail(1)
    jp = latest[latest.jurisdiction == "JP"]
    freelance = jp.employment_type.isin(["freelancer", "sole_proprietor_with_staff"]).mean()
    assert 0.55 <= freelance <= 0.75
    employees = latest[latest.employment_type.str.startswith("employee")]
    split = employees.employment_type.value_counts(normalize=True)
    assert 0.3 <= split["employee_regular"] <= 0.6 and 0.3 <= split["employee_contract"] <= 0.6
    assert 0.03 <= split.get("employee_parttime", 0) <= 0.2
    assert employees[employees.jurisdiction == "JP"].scheduled_monthly_hours.notna().all()
    assert (jp.prefecture == "Tokyo").mean() > 0.7
    assert {"Saitama", "Kanagawa", "Osaka"} & set(jp.prefecture) == {"Saitama", "Kanagawa", "Osaka"}
    la = latest[latest.jurisdiction == "US-CA"]
    assert len(la) >= 3 and (la.city == "Los Angeles").all()
    assert (emp.groupby("person_id").size() > 1).any()  # someone's contract turned into regular employment


# ---------------------------------------------------------------------------------------------------------------
# Work logs


@pytest.fixture
def logs(demo_session: Session) -> pd.DataFrame:
    return work_logs(demo_session)


def _night_seconds(start: pd.Timestamp, end: pd.Timestamp) -> int:
    total = 0
    day = start.normalize() - pd.Timedelta(days=1)
    while day <= end:
        lo, hi = day + pd.Timedelta(hours=22), day + pd.Timedelta(hours=29)
        total += max(0, int((min(end, hi) - max(start, lo)).total_seconds()))
        day += pd.Timedelta(days=1)
    return total


def test_work_log_times_are_consistent(logs: pd.DataFrame) -> None:
    assert logs.work_date.min().date() == FIRST_DAY and logs.work_date.max().date() == LAST_DAY
    assert logs.work_date.dt.to_period("M").nunique() >= 12
    span = (logs.end_at - logs.start_at).dt.total_seconds().astype(int)
    assert (span == logs.seconds + logs.break_seconds).all()
    assert (logs.seconds % 60 == 0).all()  # the demo studio records whole minutes
    assert (logs.start_at.dt.normalize() == logs.work_date).all()
    # night time is exact wherever no break could overlap the night
    plain = logs[logs.break_seconds == 0].sample(3000, random_state=1)
    expected = [_night_seconds(a, b) for a, b in zip(plain.start_at, plain.end_at, strict=True)]
    assert list(plain.night_seconds) == expected
    assert (logs.night_seconds <= logs.seconds).all() and logs.night_seconds.gt(0).mean() > 0.1
    assert (logs.groupby(["person_id", "work_date"]).size() > 1).any()  # split sessions


def test_crunch_long_weeks_and_consecutive_days(demo_session: Session, logs: pd.DataFrame) -> None:
    deliveries = _df(demo_session, "SELECT id AS episode_id, delivery_date FROM episode")
    df = logs.merge(deliveries, on="episode_id")
    df["days_before"] = (pd.to_datetime(df.delivery_date) - df.work_date).dt.days
    daily = df.groupby(["person_id", "work_date", "days_before"], as_index=False).seconds.sum()
    crunch = daily[daily.days_before.between(0, 13)].seconds.mean()
    calm = daily[daily.days_before >= 35].seconds.mean()
    assert crunch > 1.1 * calm
    week = logs.assign(week=(logs.work_date + pd.Timedelta(days=1)).dt.to_period("W-SAT"))
    weekly_hours = week.groupby(["person_id", "week"]).seconds.sum() / 3600
    assert (weekly_hours >= 55).sum() >= 5
    streaks = []
    for _, dates in logs.groupby("person_id").work_date:
        ords = sorted({d.toordinal() for d in dates})
        run = best = 1
        for a, b in zip(ords, ords[1:], strict=False):
            run = run + 1 if b == a + 1 else 1
            best = max(best, run)
        streaks.append(best)
    assert sum(s >= 14 for s in streaks) >= 2


# ---------------------------------------------------------------------------------------------------------------
# Calibration (labor-and-pay.md §8.3, §8.4)


def _person_months(session: Session) -> pd.DataFrame:
    """Hours and pay per JP person-month; pay spread evenly over each item's period, as §7.2.5 attributes it."""
    hours = _df(
        session,
        "SELECT w.person_id, w.work_date, w.seconds FROM work_log w WHERE w.person_id IN "
        "(SELECT person_id FROM employment WHERE jurisdiction = 'JP')",
    )
    hours["month"] = pd.to_datetime(hours.work_date).dt.to_period("M")
    hours = hours.groupby(["person_id", "month"]).seconds.sum().div(3600).rename("hours").reset_index()
    pay = _df(session, "SELECT person_id, amount, period_start, period_end FROM pay_item WHERE currency = 'JPY'")
    rows = []
    for item in pay.itertuples():
        days = pd.date_range(item.period_start, item.period_end, freq="D")
        per_day = float(item.amount) / len(days)
        for month, n in days.to_period("M").value_counts().items():
            rows.append((item.person_id, month, per_day * n))
    paid = pd.DataFrame(rows, columns=["person_id", "month", "pay"]).groupby(["person_id", "month"]).pay.sum()
    df = hours.merge(paid.reset_index(), on=["person_id", "month"], how="left").fillna({"pay": 0.0})
    df["yen_per_hour"] = df.pay / df.hours
    return df


def test_calibration_hours_and_pay(demo_session: Session) -> None:
    pm = _person_months(demo_session)
    assert len(pm) > 1500
    assert 200 <= pm.hours.median() <= 225
    assert pm.hours.quantile(0.9) > 250
    assert 0.03 <= (pm.hours >= 275).mean() <= 0.15  # ≈ 100 h over the legal month: the long tail of §8.3
    assert 950 <= pm.yen_per_hour.median() <= 1300
    assert 0.30 <= (pm.pay <= 200_000).mean() <= 0.45
    assert 0.04 <= ((pm.yen_per_hour >= 600) & (pm.yen_per_hour < 800)).mean() <= 0.25


# ---------------------------------------------------------------------------------------------------------------
# Pay


def test_freelance_commissions_have_act_dates_with_some_violations(demo_session: Session) -> None:
    c = _df(
        demo_session,
        "SELECT p.commission_date, p.terms_issued_date, p.delivery_date, p.due_date, p.paid_date, "
        "p.retake_count, p.retake_paid_amount FROM pay_item p JOIN employment e ON "
        "e.person_id = p.person_id WHERE e.employment_type IN ('freelancer', "
        "'sole_proprietor_with_staff') AND p.commission_date IS NOT NULL",
    )
    for col in ("commission_date", "terms_issued_date", "delivery_date", "due_date", "paid_date"):
        c[col] = pd.to_datetime(c[col])
    assert len(c) > 500
    assert (c.commission_date >= pd.Timestamp("2024-11-01")).all()  # all under the Freelance Act
    on_time = (c.terms_issued_date == c.commission_date).mean()
    assert 0.7 < on_time < 0.95
    assert (c.terms_issued_date > c.commission_date).any() and c.terms_issued_date.isna().any()
    assert ((c.due_date - c.delivery_date).dt.days > 60).any()
    assert ((c.due_date - c.delivery_date).dt.days <= 60).mean() > 0.8
    assert (c.paid_date > c.due_date).any()
    assert (c.paid_date.isna() & (c.due_date < pd.Timestamp(LAST_DAY))).any()  # overdue and unpaid
    assert ((c.retake_count > 0) & (c.retake_paid_amount == 0)).any()


def test_minimum_wage_and_premium_findings_are_planted(demo_session: Session) -> None:
    s = demo_session
    pm = _df(
        s,
        "SELECT p.person_id, p.period_start, p.amount FROM pay_item p JOIN employment e ON "
        "e.person_id = p.person_id WHERE e.employment_type LIKE 'employee%' AND e.jurisdiction = 'JP' "
        "AND p.basis = 'per_cut'",
    )
    assert len(pm), "piece-rate employees exist"
    pm["month"] = pd.to_datetime(pm.period_start).dt.to_period("M")
    piece = pm.groupby(["person_id", "month"]).amount.sum().astype(float)
    hours = _df(s, "SELECT person_id, work_date, seconds FROM work_log")
    hours["month"] = pd.to_datetime(hours.work_date).dt.to_period("M")
    hours = hours.groupby(["person_id", "month"]).seconds.sum() / 3600
    rate = (piece / hours.reindex(piece.index)).rename("rate").reset_index()
    # Tokyo's minimum wage in force at the end of each month, from the minimum_wage table the rules read
    timeline = [
        (w.effective_from, w.rate_per_hour)
        for w in s.scalars(
            select(MinimumWage)
            .where(MinimumWage.jurisdiction == "JP", MinimumWage.region == "Tokyo")
            .order_by(MinimumWage.effective_from)
        )
    ]
    tokyo = {m: float(rate_on(timeline, m.end_time.date())) for m in rate.month.unique()}
    assert len(set(tokyo.values())) == 2  # the rise of 2025-10-03 falls inside the studio's year
    rate["clears"] = rate.rate >= rate.month.map(tokyo)
    mixed = rate.groupby("person_id").clears.agg(["any", "all"])
    assert (mixed["any"] & ~mixed["all"]).any()  # clears the minimum wage some months, not others
    notes = set(s.scalars(select(PayItem.note).where(PayItem.basis == "ot_premium")))
    assert "fixed overtime allowance (30 h)" in notes
    night = _df(
        s,
        "SELECT w.person_id, SUM(w.night_seconds) AS night FROM work_log w JOIN employment e ON "
        "e.person_id = w.person_id WHERE e.employment_type LIKE 'employee%' AND e.jurisdiction = 'JP' "
        "GROUP BY w.person_id",
    )
    with_premium = set(s.scalars(select(PayItem.person_id).where(PayItem.basis == "night_premium")))
    assert set(night[night.night > 0].person_id) - with_premium, "someone works nights without the premium"


# ---------------------------------------------------------------------------------------------------------------
# AI ledger and credits


def test_credits_carry_the_real_world_defects(demo_session: Session) -> None:
    s = demo_session
    lines = _df(
        s,
        "SELECT c.production_id, c.role_as_credited, c.name_as_credited, c.person_alias_id, "
        "c.org_alias_id, c.individuals_uncredited, c.role_person_only, c.episode_from, c.block, "
        "c.source, a.person_id FROM credit_line c LEFT JOIN person_alias a ON a.id = c.person_alias_id",
    )
    short = _production(s, "short").id
    assert set(lines.production_id) == {p.id for p in s.scalars(select(Production))}
    assert (lines.source == "internal").all()
    names = set(lines.name_as_credited)
    assert {AI_HUMAN, HUMAN, TBD, AND_OTHERS} <= names
    ai_line = lines[lines.name_as_credited == AI_HUMAN]
    assert (ai_line.production_id == short).all() and (ai_line.role_as_credited == "背景").all()
    placeholders = lines[lines.name_as_credited.isin([AI_HUMAN, HUMAN, TBD, AND_OTHERS])]
    assert placeholders.person_id.isna().all() and placeholders.person_alias_id.notna().all()
    trailing = lines[lines.name_as_credited.str.endswith(AND_OTHERS) & (lines.name_as_credited != AND_OTHERS)]
    assert len(trailing) >= 2 and trailing.person_id.isna().all()
    org_in_person_role = lines[lines.org_alias_id.notna() & lines.role_person_only.astype("boolean").fillna(False)]
    assert len(org_in_person_role) and org_in_person_role.individuals_uncredited.astype(bool).all()
    assert set(lines.block) >= {"main", "OP", "ED"}
    via = _df(
        s,
        "SELECT c.via_org_id, a.person_id FROM credit_line c JOIN person_alias a ON a.id = c.person_alias_id "
        "WHERE c.via_org_id IS NOT NULL",
    )
    affiliated = _df(s, "SELECT organization_id AS via_org_id, person_id FROM affiliation")
    assert len(via) and len(via.merge(affiliated)) == len(via)  # 「名前（スタジオ）」 matches an affiliation
    assert lines.episode_from.dropna().astype(int).between(1, 12).all()
    linked = s.scalars(
        select(PersonAlias.kind)
        .join(CreditLine, CreditLine.person_alias_id == PersonAlias.id)
        .where(PersonAlias.person_id.is_not(None))
        .distinct()
    )
    assert {"real_name", "pen_name", "variant_glyph"} <= set(linked)
    services = {sv.name for sv in s.scalars(select(Service))}
    assert not services & names  # a tool is never credited as a person


def test_some_people_worked_but_are_not_credited(demo_session: Session) -> None:
    worked = _df(demo_session, "SELECT DISTINCT production_id, person_id FROM work_log")
    credited = _df(
        demo_session,
        "SELECT DISTINCT c.production_id, a.person_id FROM credit_line c "
        "JOIN person_alias a ON a.id = c.person_alias_id WHERE a.person_id IS NOT NULL",
    )
    merged = worked.merge(credited, on=["production_id", "person_id"], how="left", indicator=True)
    missing = merged[merged["_merge"] == "left_only"]
    assert set(missing.production_id) >= {_production(demo_session, k).id for k in ("tv", "film", "short")}
    assert len(missing) < 0.2 * len(worked)


def test_demo_accounts(demo_session: Session) -> None:
    s = demo_session
    accounts = {a.username: a for a in s.scalars(select(Account))}
    assert {a.role for a in accounts.values()} == {"manager", "advocate", "artist"}
    hasher = PasswordHasher()
    for name in ("manager", "advocate", "artist"):
        assert hasher.verify(accounts[name].password_hash, f"{name}-demo")
    person = accounts["artist"].person_id
    assert person is not None
    for table, column in (("work_log", "person_id"), ("pay_item", "person_id")):
        assert s.execute(text(f"SELECT COUNT(*) FROM {table} WHERE {column} = :p"), {"p": person}).scalar() > 100 / (
            10 if table == "pay_item" else 1
        )
    credits = s.scalar(
        select(func.count()).select_from(CreditLine).join(PersonAlias).where(PersonAlias.person_id == person)
    )
    assert credits >= 1
    assert s.scalar(select(Employment.employment_type).where(Employment.person_id == person)) == "freelancer"
