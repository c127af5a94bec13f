"""Tiny hand-built studios as frames, for the rule tests that run without a database.

The calls are those of :class:`tests.analytics.builders.Studio` (one call per fact: a person and contract, a day's
work, a pay item, a leave entry), so each test still reads like its worked example. :meth:`Studio.records` turns the
facts into the frames the rules read, the way the rollups do: each day gets the newest contract in force and the
highest minimum wage at its workplace; Japanese overtime is :func:`data.law.overtime.jp_overtime` in Sunday weeks;
pay counts in the month its period ends, in the person's currency. ``tests/analytics/findings/test_records.py``
checks on both databases that a studio built both ways yields the same findings.
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from analytics.findings import COLUMNS, Parameters, Records, evaluate_records
from analytics.findings.context import Context
from analytics.person_days import EPOCH, PersonDays
from data.law.minimum_wage import Rate, highest, resolve
from data.law.overtime import jp_overtime
from data.law.params import WEEKDAYS
from data.law.shifts import break_too_short
from data.law.wages import PREMIUM_BASES, TIME_BASES
from data.reference import load_roles, minimum_wage_rows
from tests.analytics.builders import Contract, Days
from tests.analytics.findings.studio_pay import LAW, effective_pay

ROLES = {r["code"]: r["en"] for r in load_roles()}
TIMELINES: dict[tuple[str, str], list[Rate]] = {}
for _row in minimum_wage_rows():
    TIMELINES.setdefault((_row["jurisdiction"], _row["region"]), []).append(
        Rate(_row["revision_year"], _row["effective_from"], Decimal(_row["rate_per_hour"]))
    )
CYCLES = {"JP": LAW.jp_mw_cycles, "US-CA": LAW.ca_mw_cycles}
# The minimum-wage table as the database holds it after seeding (ids in seed order).
MINIMUM_WAGES = pd.DataFrame([{"id": i + 1, **r} for i, r in enumerate(minimum_wage_rows())])
MINIMUM_WAGES["rate_per_hour"] = MINIMUM_WAGES["rate_per_hour"].astype(float)


@dataclass
class Org:
    id: int
    name: str
    kind: str
    employee_count: int | None
    week_start: str | None = None
    days_off_4w_from: dt.date | None = None


@dataclass(frozen=True)
class Person:
    id: int
    display_name: str


@dataclass(frozen=True)
class Role:
    code: str
    en: str


@dataclass(frozen=True)
class Production:
    id: int
    title: str


@dataclass
class World:
    """Everything every studio built alongside another one recorded."""

    orgs: list[Org] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    employments: list[dict[str, Any]] = field(default_factory=list)
    agreements: list[dict[str, Any]] = field(default_factory=list)
    work: list[dict[str, Any]] = field(default_factory=list)
    pay: list[dict[str, Any]] = field(default_factory=list)
    leave: list[dict[str, Any]] = field(default_factory=list)
    productions: list[Production] = field(default_factory=list)
    ids: itertools.count = field(default_factory=lambda: itertools.count(1))


class Studio(Days):
    """An employer, and the facts about the people it engages; ``alongside`` puts it in another studio's world."""

    def __init__(
        self,
        *,
        name: str = "Studio Test",
        employees: int | None = 50,
        kind: str = "animation_studio",
        alongside: Studio | None = None,
        week_start: str | None = None,
        days_off_from: dt.date | None = None,
    ) -> None:
        self.world = alongside.world if alongside is not None else World()
        self.org = Org(len(self.world.orgs) + 1, name, kind, employees, week_start, days_off_from)
        self.world.orgs.append(self.org)

    def agreement(self, *, has_36: bool = True, special: bool = False, since: dt.date = dt.date(2024, 1, 1)) -> None:
        self.world.agreements.append(
            {"employer_id": self.org.id, "has_36_agreement": has_36, "special_clause": special,
             "variable_hours_1y": False, "valid_from": since, "valid_to": None}
        )  # fmt: skip

    def person(self, name: str, **contract: Any) -> Person:
        person = Person(len(self.world.people) + 1, name)
        self.world.people.append(person)
        self.contract(person, **contract)
        return person

    def contract(self, person: Person, **terms: Any) -> None:
        """Another employment of ``person`` with this studio (the terms of :class:`tests.analytics.builders.Contract`)."""
        c = Contract(**terms)
        self.world.employments.append(
            {
                "employment_id": len(self.world.employments) + 1,
                "person_id": person.id,
                "employer_id": self.org.id,
                "employment_type": c.employment_type,
                "jurisdiction": c.jurisdiction,
                "prefecture": c.workplace_prefecture,
                "city": c.city,
                "start_date": c.since,
                "end_date": c.until,
                "is_exempt": c.exempt,
                "discretionary_work": c.discretionary,
                "discretionary_consent_date": c.consent,
                "piece_rate_guarantee_per_hour": c.guarantee,
                "scheduled_monthly_hours": c.monthly_hours,
                "scheduled_daily_hours": c.daily_hours,
                # The contract's week and variable days off, else its employer's, as the query reads them.
                "week_start": c.week_start or self.org.week_start,
                "days_off_4w_from": c.days_off_from or self.org.days_off_4w_from,
                "department": c.department,
            }
        )

    def production(self, title: str) -> Production:
        production = Production(len(self.world.productions) + 1, title)
        self.world.productions.append(production)
        return production

    def role(self, code: str) -> Role:
        return Role(code, ROLES[code])

    def work(
        self,
        person: Person,
        day: dt.date,
        hours: float,
        *,
        holiday: bool = False,
        night_hours: float = 0.0,
        break_minutes: int = 60,
        role: Role | None = None,
        production: Production | None = None,
    ) -> None:
        self.world.work.append(
            {"person_id": person.id, "day": day, "seconds": round(hours * 3600), "break_seconds": break_minutes * 60,
             "night_seconds": round(night_hours * 3600), "holiday": holiday, "code": role.code if role else None,
             "en": role.en if role else None, "production_id": production.id if production else None}
        )  # fmt: skip

    def pay(
        self,
        person: Person,
        amount: float | int | str,
        start: dt.date,
        end: dt.date,
        *,
        basis: str = "per_cut",
        currency: str = "JPY",
        production: Production | None = None,
        **dates: Any,
    ) -> None:
        self.world.pay.append(
            {"pay_item_id": next(self.world.ids), "person_id": person.id, "basis": basis, "amount": float(amount),
             "currency": currency, "period_start": start, "period_end": end,
             "production_id": production.id if production else None} | dates
        )  # fmt: skip

    def leave(self, person: Person, kind: str, day: dt.date, days: float) -> None:
        self.world.leave.append({"person_id": person.id, "kind": kind, "on_date": day, "days": float(days)})

    def records(self, *, today: dt.date | None = None) -> Records:
        return _records(self.world, today or dt.date.today())

    def findings(
        self, *rules: Callable[[Context], None], today: dt.date | None = None, law: Parameters = LAW
    ) -> pd.DataFrame:
        """The findings of ``rules`` (none named: every rule), as :func:`analytics.findings.findings` returns them
        (with each person's name)."""
        found = evaluate_records(self.records(today=today), law, rules=rules or None)
        names = {p.id: p.display_name for p in self.world.people}
        out = found[[c for c in COLUMNS if c != "person"]].copy()
        out.insert(COLUMNS.index("person"), "person", out["person_id"].map(names).astype("str"))
        return out


def _records(world: World, today: dt.date) -> Records:
    employments = pd.DataFrame(world.employments)
    days = _days(world, employments)
    frames = dict(
        monthly=_monthly(days),
        pay=effective_pay(_pay_items(world), world.employments, days, employments),
        employments=employments.drop(columns=["department"]) if len(employments) else None,
        agreements=pd.DataFrame(world.agreements),
        employers=pd.DataFrame({"employer_id": [o.id for o in world.orgs], "kind": [o.kind for o in world.orgs]}),
        days=_person_days(days),
        roles=_roles(world),
        weeks=_weeks(days),
        premiums=_pay(world, PREMIUM_BASES),
        nights=_per_month(days, "night_seconds", "night_hours", hours=True),
        salaries=_pay(world, ("monthly_salary",), currency="USD", name="salary"),
        time_pay=_pay(world, TIME_BASES, positive=True, name="time_pay"),
        ca_days=_ca_days(days),
        leave=pd.DataFrame(world.leave),
        commissions=_commissions(world, employments),
        minimum_wages=MINIMUM_WAGES,
    )
    kept_to = max((e["on_date"] for e in world.leave), default=None)
    given = {name: f for name, f in frames.items() if f is not None}  # the rest: no rows
    return Records(**given, leave_kept_to=kept_to, today=today)


def _in_force(contracts: list[dict[str, Any]], day: dt.date) -> dict[str, Any] | None:
    """The newest of a person's ``contracts`` in force that day (latest start, then latest recorded), as the rollups
    resolve it."""
    best = None
    for e in contracts:
        newer = best is None or (e["start_date"], e["employment_id"]) >= (best["start_date"], best["employment_id"])
        if newer and _covers(e, day):
            best = e
    return best


def _covers(employment: dict[str, Any], day: dt.date) -> bool:
    end = employment["end_date"]
    return employment["start_date"] <= day and (end is None or pd.isna(end) or end >= day)


def _minimum_wage(employment: dict[str, Any] | None, day: dt.date) -> float:
    if employment is None:
        return np.nan
    if employment["jurisdiction"] == "JP":
        keys = [("JP", employment["prefecture"] or "")]
    else:
        keys = [(employment["jurisdiction"], "state"), (employment["jurisdiction"], employment["city"] or "")]
    cycles = CYCLES[employment["jurisdiction"]]
    best = highest([resolve(TIMELINES[k], cycles.cycle(k[1]), day) for k in keys if k in TIMELINES])
    return np.nan if best is None else float(best.used.rate)


def _days(world: World, employments: pd.DataFrame) -> pd.DataFrame:
    """Per person and day: seconds worked, night and holiday seconds, short-break sessions, the contract in force, the
    minimum wage, and Japanese daily and weekly overtime seconds in the contract's week (Sunday unless recorded)."""
    logs = pd.DataFrame(world.work)
    if logs.empty:
        return pd.DataFrame(columns=["person_id", "day", "seconds", "night_seconds", "holiday_seconds", "short",
                                     "ot_seconds", "employment_type", "jurisdiction", "is_exempt", "mw"])  # fmt: skip
    logs["holiday_seconds"] = logs["seconds"].where(logs["holiday"], 0)
    logs["short"] = break_too_short(logs["seconds"], logs["break_seconds"], LAW.hours.breaks).astype(int)
    days = logs.groupby(["person_id", "day"], as_index=False, sort=True)[
        ["seconds", "night_seconds", "holiday_seconds", "short"]
    ].sum()
    by_person: dict[int, list[dict[str, Any]]] = {}
    for e in world.employments:
        by_person.setdefault(e["person_id"], []).append(e)
    contracts = [_in_force(by_person.get(p, []), d) for p, d in zip(days["person_id"], days["day"], strict=True)]
    days["employment_type"] = [c["employment_type"] if c else None for c in contracts]
    days["jurisdiction"] = [c["jurisdiction"] if c else None for c in contracts]
    days["is_exempt"] = [bool(c["is_exempt"]) if c else False for c in contracts]
    days["mw"] = [_minimum_wage(c, d) for c, d in zip(contracts, days["day"], strict=True)]
    days["contract_week_start"] = [(c or {}).get("week_start") for c in contracts]
    days["employment_id"] = [(c or {}).get("employment_id") for c in contracts]
    dates = pd.to_datetime(days["day"])
    sunday = dates - pd.to_timedelta((dates.dt.weekday + 1) % 7, "D")
    # Weekly overtime arises in each day's contract week; the stored weeks (overwork's 55 h) stay Sunday weeks.
    first = [d - dt.timedelta(days=(d.weekday() - WEEKDAYS.index(w or "SUN")) % 7) for d, w in
             zip(dates.dt.date, days["contract_week_start"], strict=True)]  # fmt: skip
    week = days["person_id"].to_numpy(np.int64) * 1_000_000 + np.asarray(first, dtype="datetime64[D]").astype(np.int64)
    ot = jp_overtime(days["seconds"], days["holiday_seconds"], week, LAW.hours)
    days["ot_seconds"] = ot.total
    days["week_start"] = sunday
    days["month"] = pd.to_datetime(days["day"]).dt.to_period("M").dt.to_timestamp()
    return days


def _monthly(days: pd.DataFrame) -> pd.DataFrame | None:
    if days.empty:
        return None
    m = days.groupby(["person_id", "month"], as_index=False)[["seconds", "ot_seconds", "holiday_seconds"]].sum()
    m = m[m["seconds"] > 0]
    return pd.DataFrame(
        {
            "person_id": m["person_id"],
            "month": m["month"],
            "hours": m["seconds"] / 3600.0,
            "ot_hours": m["ot_seconds"] / 3600.0,
            "holiday_hours": m["holiday_seconds"] / 3600.0,
            "ot_plus_holiday_hours": (m["ot_seconds"] + m["holiday_seconds"]) / 3600.0,
        }
    ).reset_index(drop=True)


def _per_month(days: pd.DataFrame, column: str, name: str, *, hours: bool) -> pd.DataFrame | None:
    if days.empty:
        return None
    m = days.groupby(["person_id", "month"], as_index=False)[["seconds", column]].sum()
    m = m[m["seconds"] > 0]
    return pd.DataFrame({"person_id": m["person_id"], "month": m["month"],
                         name: m[column] / 3600.0 if hours else m[column]})  # fmt: skip


def _person_days(days: pd.DataFrame) -> PersonDays:
    worked = days[days["seconds"] > 0] if len(days) else days
    if worked.empty:
        return PersonDays.empty()
    day = (pd.to_datetime(worked["day"]).to_numpy("datetime64[D]") - EPOCH).astype(np.int64)
    return PersonDays(
        person_id=worked["person_id"].to_numpy(np.int64),
        day=day.astype(np.int32),
        seconds=worked["seconds"].to_numpy(np.int32),
        short_break_sessions=worked["short"].to_numpy(np.int32),
        mw_per_hour=worked["mw"].to_numpy(float),
    )


def _weeks(days: pd.DataFrame) -> pd.DataFrame | None:
    worked = days[days["seconds"] > 0] if len(days) else days
    if worked.empty:
        return None
    w = worked.groupby(["person_id", "week_start"], as_index=False).agg(
        seconds=("seconds", "sum"), night=("night_seconds", "sum"), holiday=("holiday_seconds", "sum"),
        days_worked=("seconds", "size"),
    )  # fmt: skip
    return pd.DataFrame({"person_id": w["person_id"], "week_start": w["week_start"], "hours": w["seconds"] / 3600.0,
                         "night_hours": w["night"] / 3600.0, "holiday_hours": w["holiday"] / 3600.0,
                         "days_worked": w["days_worked"]})  # fmt: skip


def _ca_days(days: pd.DataFrame) -> pd.DataFrame | None:
    ca = days[(days["jurisdiction"] == "US-CA") & (days["seconds"] > 0)] if len(days) else days
    if ca.empty:
        return None
    return pd.DataFrame({"person_id": ca["person_id"], "work_date": ca["day"], "hours": ca["seconds"] / 3600.0,
                         "employment_type": ca["employment_type"], "is_exempt": ca["is_exempt"],
                         "contract_week_start": ca["contract_week_start"]})  # fmt: skip


def _roles(world: World) -> pd.DataFrame | None:
    logs = pd.DataFrame(world.work)
    if logs.empty:
        return None
    logs = logs[logs["seconds"] > 0].assign(month=pd.to_datetime(logs["day"]).dt.to_period("M").dt.to_timestamp())
    return logs.groupby(["person_id", "month", "code", "en"], as_index=False, dropna=False)["seconds"].sum()


def _pay_items(world: World) -> pd.DataFrame:
    items = pd.DataFrame(world.pay)
    if len(items):
        items["month"] = pd.to_datetime(items["period_end"]).dt.to_period("M").dt.to_timestamp()
    return items


def _pay(
    world: World,
    bases: tuple[str, ...],
    *,
    currency: str | None = None,
    positive: bool = False,
    name: str | None = None,
) -> pd.DataFrame | None:
    """Pay of ``bases`` per person, month, and (without ``name``) basis and currency; with ``name`` one column of
    that name summed per person-month."""
    items = _pay_items(world)
    if items.empty:
        return None
    items = items[items["basis"].isin(bases)]
    if currency is not None:
        items = items[items["currency"] == currency]
    if positive:
        items = items[items["amount"] > 0]
    if name is not None:
        return items.groupby(["person_id", "month"], as_index=False)["amount"].sum().rename(columns={"amount": name})
    return items.groupby(["person_id", "month", "basis", "currency"], as_index=False)["amount"].sum()


def _commissions(world: World, employments: pd.DataFrame) -> pd.DataFrame | None:
    """The pay items the Freelance Act covers, as :func:`analytics.queries.freelance.commission_items` selects them."""
    items = _pay_items(world)
    if items.empty or employments.empty:
        return None
    act, orgs = LAW.freelance, {o.id: o for o in world.orgs}
    rows = []
    for item in items.to_dict("records"):
        commissioned = item.get("commission_date") or item["period_start"]
        if pd.isna(commissioned):
            commissioned = item["period_start"]
        if commissioned < act.in_force or item["basis"] in PREMIUM_BASES:
            continue
        for e in (e for e in world.employments if e["person_id"] == item["person_id"]):
            staff = orgs[e["employer_id"]].employee_count
            covered = not act.client_must_have_employees or staff is None or staff > 0
            freelance = e["employment_type"] == "freelancer" and e["jurisdiction"] == "JP"
            if freelance and covered and _covers(e, commissioned):
                rows.append(item | {"commissioned_on": commissioned})
                break
    if not rows:
        return None
    out = pd.DataFrame(rows)
    for column in ("commission_date", "terms_issued_date", "delivery_date", "due_date", "paid_date",
                   "agreed_amount", "retake_count", "retake_paid_amount"):  # fmt: skip
        if column not in out:
            out[column] = None
    for column in ("agreed_amount", "retake_paid_amount", "retake_count"):
        out[column] = pd.to_numeric(out[column].map(lambda v: float(v) if v is not None else np.nan))
    return out


def rule(df: pd.DataFrame, rule_id: str) -> pd.DataFrame:
    """The findings of one rule, numbered from 0."""
    return df[df["rule_id"] == rule_id].reset_index(drop=True)


def weekdays(year: int, month: int) -> list[dt.date]:
    days = range(1, calendar.monthrange(year, month)[1] + 1)
    return [dt.date(year, month, d) for d in days if dt.date(year, month, d).weekday() < 5]


def ot_month(
    studio: Any, person: Any, year: int, month: int, ot_hours: float, days: int | None = None, **kw: Any
) -> None:
    """Spread ``ot_hours`` of daily overtime over weekdays (8 h + x a day; never more than 40 straight h a week), on
    this builder or the database one."""
    chosen = weekdays(year, month)[: days or len(weekdays(year, month))]
    minutes = round(ot_hours * 60)
    for i, day in enumerate(chosen):
        extra = minutes // len(chosen) + (1 if i < minutes % len(chosen) else 0)
        studio.work(person, day, 8 + extra / 60, **kw)
