"""The records the rules read: plain frames, filled from a database by :mod:`analytics.queries.findings` or by hand
in a test.

Every field defaults to no rows with its columns, so a test gives only the frames the rule it checks reads. Date
columns become ``datetime64`` whatever they were given as, and an empty frame gets the columns and types of its
kind, so the rules see the same frames from either source.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from functools import cache

import pandas as pd

from analytics.overtime import JP_MONTHLY_COLUMNS
from analytics.pay import COLUMNS as PAY_COLUMNS
from analytics.person_days import PersonDays
from analytics.queries.freelance import COMMISSION_COLUMNS, COMMISSION_DATES
from data.schema import EMPLOYEE_TYPES

# The places whose freelancers the classification rules judge (JP-FL-05, CA-IC-01).
FREELANCE_PLACES = ("JP", "US-CA")
DATE, INT, FLOAT, BOOL, TEXT = "datetime64[ns]", "int64", "float64", "bool", "object"
MONTHLY = {c: FLOAT for c in JP_MONTHLY_COLUMNS} | {"person_id": INT, "month": DATE}
PAY = {c: FLOAT for c in PAY_COLUMNS} | {
    "person_id": INT,
    "month": DATE,
    "currency": TEXT,
    "is_employee": BOOL,
    "below_mw": BOOL,
    "base_assumed": BOOL,
}
EMPLOYMENTS = {
    "employment_id": INT,
    "person_id": INT,
    "employer_id": INT,
    "employment_type": TEXT,
    "jurisdiction": TEXT,
    "prefecture": TEXT,
    "city": TEXT,
    "start_date": DATE,
    "end_date": DATE,
    "is_exempt": BOOL,
    "discretionary_work": TEXT,
    "discretionary_consent_date": DATE,
    "piece_rate_guarantee_per_hour": FLOAT,
    "scheduled_monthly_hours": FLOAT,
    "week_start": TEXT,
    "days_off_4w_from": DATE,
}
AGREEMENTS = {
    "employer_id": INT,
    "has_36_agreement": BOOL,
    "special_clause": BOOL,
    "variable_hours_1y": BOOL,
    "valid_from": DATE,
    "valid_to": DATE,
}
ROLES = {"person_id": INT, "month": DATE, "code": TEXT, "en": TEXT, "seconds": FLOAT}
WEEKS = {"person_id": INT, "week_start": DATE, "hours": FLOAT, "night_hours": FLOAT, "holiday_hours": FLOAT,
         "days_worked": INT}  # fmt: skip
PREMIUMS = {"person_id": INT, "month": DATE, "basis": TEXT, "currency": TEXT, "amount": FLOAT}
NIGHTS = {"person_id": INT, "month": DATE, "night_hours": FLOAT}
CA_DAYS = {"person_id": INT, "work_date": DATE, "hours": FLOAT, "employment_type": TEXT, "is_exempt": BOOL,
           "contract_week_start": TEXT}  # fmt: skip
SALARIES = {"person_id": INT, "month": DATE, "salary": FLOAT}
TIME_PAY = {"person_id": INT, "month": DATE, "time_pay": FLOAT}
EMPLOYERS = {"employer_id": INT, "kind": TEXT}
LEAVE = {"person_id": INT, "kind": TEXT, "on_date": DATE, "days": FLOAT}
MINIMUM_WAGES = {"id": INT, "jurisdiction": TEXT, "region": TEXT, "revision_year": INT, "effective_from": DATE,
                 "rate_per_hour": FLOAT, "currency": TEXT, "source": TEXT, "checked_on": DATE}  # fmt: skip
COMMISSIONS = (
    {c: FLOAT for c in COMMISSION_COLUMNS}
    | dict.fromkeys(COMMISSION_DATES, DATE)
    | {
        "pay_item_id": INT,
        "person_id": INT,
        "basis": TEXT,
        "currency": TEXT,
    }
)


def empty(kind: dict[str, str]) -> pd.DataFrame:
    """No rows, with the columns and types of ``kind``."""
    return _empty(tuple(kind.items())).copy()


@cache
def _empty(kind: tuple[tuple[str, str], ...]) -> pd.DataFrame:
    # Built once per kind: a frame of typed empty columns costs a few milliseconds, and a test builds dozens.
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in kind})


def _frame(kind: dict[str, str]) -> pd.DataFrame:
    return field(default_factory=lambda: empty(kind), metadata={"kind": kind})  # type: ignore[return-value]


@dataclass
class Records:
    """The frames every rule reads, for the people an evaluation covers (over all their work).

    * ``monthly``: Japanese overtime per person-month (:func:`analytics.overtime.jp_overtime_monthly`);
    * ``pay``: effective pay per person-month (:func:`analytics.pay.effective_pay`);
    * ``employments``: every contract (``EMPLOYMENTS`` columns), ``agreements``: every Article 36 agreement on
      record (``employer_id`` is the organization; ``AGREEMENTS``), ``employers``: each organization's ``kind``;
    * ``days``: the worked days (:class:`analytics.person_days.PersonDays`);
    * ``roles``: seconds per person, month and role (``code``, ``en``) of the people under discretionary work;
    * ``weeks``: hours per person and Sunday week (:func:`analytics.queries.workload.weekly_hours`);
    * ``premiums``: premium pay per person, month, ``basis`` and ``currency``; ``nights``: late-night hours per
      person-month; ``salaries``: ``monthly_salary`` pay in USD per person-month of the Californian exempt;
      ``time_pay``: hourly and monthly pay (positive items) per person-month of freelancers;
    * ``ca_days``: days worked under a Californian contract (:func:`analytics.queries.overtime.ca_days`);
    * ``leave``: the annual-leave ledger of JP employees (``kind`` grant / taken, ``on_date``, ``days``), and
      ``leave_kept_to``: its latest entry, anyone's (None: no entry at all);
    * ``minimum_wages``: the minimum-wage table (:func:`analytics.queries.reference.minimum_wages`: each place's
      rates by revision, with their sources), which says how sure each day's rate is;
    * ``commissions``: the pay items the Freelance Act covers
      (:func:`analytics.queries.freelance.commission_items`);
    * ``today``: the day the records are judged on (unpaid commissions fall late, leave years end).
    """

    monthly: pd.DataFrame = _frame(MONTHLY)
    pay: pd.DataFrame = _frame(PAY)
    employments: pd.DataFrame = _frame(EMPLOYMENTS)
    agreements: pd.DataFrame = _frame(AGREEMENTS)
    employers: pd.DataFrame = _frame(EMPLOYERS)
    days: PersonDays = field(default_factory=PersonDays.empty)
    roles: pd.DataFrame = _frame(ROLES)
    weeks: pd.DataFrame = _frame(WEEKS)
    premiums: pd.DataFrame = _frame(PREMIUMS)
    nights: pd.DataFrame = _frame(NIGHTS)
    salaries: pd.DataFrame = _frame(SALARIES)
    time_pay: pd.DataFrame = _frame(TIME_PAY)
    ca_days: pd.DataFrame = _frame(CA_DAYS)
    leave: pd.DataFrame = _frame(LEAVE)
    leave_kept_to: dt.date | None = None
    minimum_wages: pd.DataFrame = _frame(MINIMUM_WAGES)
    commissions: pd.DataFrame = _frame(COMMISSIONS)
    today: dt.date = field(default_factory=dt.date.today)

    def __post_init__(self) -> None:
        for f in fields(self):
            kind = f.metadata.get("kind")
            if kind is not None:
                setattr(self, f.name, conform(getattr(self, f.name), kind))


def conform(df: pd.DataFrame, kind: dict[str, str]) -> pd.DataFrame:
    """``df`` with its date columns as ``datetime64`` (an empty frame: the columns and types of ``kind``)."""
    if df.empty:
        return empty(kind) if set(df.columns) <= set(kind) else df
    for column, dtype in kind.items():
        if dtype == DATE and column in df.columns and not pd.api.types.is_datetime64_any_dtype(df[column]):
            df = df.assign(**{column: pd.to_datetime(df[column])})
    return df


def holders(employments: pd.DataFrame, people: list[int] | None, contracts: pd.Series) -> list[int]:
    """The people with a contract where ``contracts`` (a mask over ``employments``) holds, of ``people`` when given:
    whom a rule that reads only some people's records concerns."""
    ids = set(employments.loc[contracts.to_numpy(bool), "person_id"].astype(int))
    return sorted(ids if people is None else ids.intersection(people))


def jp_employees(employments: pd.DataFrame, people: list[int] | None) -> list[int]:
    """People with a JP employee contract (the leave ledger concerns them)."""
    e = employments
    return holders(e, people, (e["jurisdiction"] == "JP") & e["employment_type"].isin(EMPLOYEE_TYPES))


def discretionary_people(employments: pd.DataFrame, people: list[int] | None) -> list[int]:
    """People with a JP employee contract under discretionary work."""
    e = employments
    under = e["discretionary_work"].notna() & (e["jurisdiction"] == "JP") & e["employment_type"].isin(EMPLOYEE_TYPES)
    return holders(e, people, under)


def exempt_people(employments: pd.DataFrame, people: list[int] | None) -> list[int]:
    """People with a Californian employee contract marked exempt."""
    e = employments
    marked = (e["jurisdiction"] == "US-CA") & e["is_exempt"].astype(bool) & e["employment_type"].isin(EMPLOYEE_TYPES)
    return holders(e, people, marked)


def californians(employments: pd.DataFrame, people: list[int] | None) -> list[int]:
    """People with a Californian contract of any kind (only they have Californian workweeks)."""
    return holders(employments, people, employments["jurisdiction"] == "US-CA")


def freelancers(employments: pd.DataFrame, people: list[int] | None) -> list[int]:
    """People with a freelance contract in one of ``FREELANCE_PLACES``."""
    e = employments
    return holders(e, people, (e["employment_type"] == "freelancer") & e["jurisdiction"].isin(FREELANCE_PLACES))
