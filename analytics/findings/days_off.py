"""JP-HRS-06: the statutory days off (LSA Art. 35), judged in the employer's arrangement — one day off in each of its
weeks (Art. 35(1)), or, where its work rules adopt variable days off, four in each four-week period counted from the
day they fix (Art. 35(2)) — for JP employees, contract by contract (:mod:`data.law.days_off`)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from analytics.findings.context import Context, iso_dates, jp_employee
from analytics.findings.text import Sentences, sentence
from analytics.person_days import EPOCH
from data.i18n import N_
from data.law.days_off import DaysOff, periods_short_of_days_off, weeks_short_of_days_off

WEEKLY = N_(
    "JP-HRS-06: no day off in {weeks} week(s) from {first} to {last} (weeks from {weekday}); an employee must get at "
    "least {per_week} day(s) off a week (LSA Art. 35(1)), unless the work rules give {per_period} in every four "
    "weeks counted from a fixed day (Art. 35(2)): record that for the employer on the Admin page."
)
VARIABLE = N_(
    "JP-HRS-06: only {days} days off in the four weeks from {first} to {last} (variable days off counted from "
    "{anchor}); the work rules' arrangement needs at least {per_period} in every four weeks (LSA Art. 35(2))."
)
WEEKDAY_NAMES = {
    "MON": N_("Monday"),
    "TUE": N_("Tuesday"),
    "WED": N_("Wednesday"),
    "THU": N_("Thursday"),
    "FRI": N_("Friday"),
    "SAT": N_("Saturday"),
    "SUN": N_("Sunday"),
}
DEFAULT_WEEK = "SUN"


def check(ctx: Context) -> None:
    """JP-HRS-06 per stretch of consecutive weeks without enough days off, and per four-week period short of them."""
    days = ctx.days()
    rules = ctx.law.days_off
    e = ctx.employments
    contracts = e[jp_employee(e).to_numpy()]
    if contracts.empty or not len(days):
        return
    week = ctx.law.hours.week_start_default or DEFAULT_WEEK
    candidates = _crowded_people(days, rules)
    weekly: list[dict[str, Any]] = []
    variable: list[dict[str, Any]] = []
    # Each contract's days, found for all contracts at once (one search per contract costs more than its work).
    ids = contracts["person_id"].to_numpy(np.int64)
    bounds = zip(np.searchsorted(days.person_id, ids, "left").tolist(),
                 np.searchsorted(days.person_id, ids, "right").tolist(), strict=True)  # fmt: skip
    for c, (lo, hi) in zip(contracts.itertuples(index=False), bounds, strict=True):
        person = int(c.person_id)
        if lo == hi:
            continue
        worked = EPOCH + days.day[lo:hi].astype("timedelta64[D]")
        first = np.datetime64(pd.Timestamp(c.start_date).date(), "D")
        end = np.datetime64(pd.Timestamp(c.end_date).date(), "D") if pd.notna(c.end_date) else None
        if pd.notna(c.days_off_4w_from):
            anchor = np.datetime64(pd.Timestamp(c.days_off_4w_from).date(), "D")
            last = worked[-1] + np.timedelta64(rules.period_days - 1, "D")
            starts, off = periods_short_of_days_off(worked, anchor, first, last if end is None else min(end, last),
                                                    rules)  # fmt: skip
            variable += [{"person_id": person, "start": s, "off": int(o), "anchor": anchor,
                          "employment_id": c.employment_id} for s, o in zip(starts, off, strict=True)]  # fmt: skip
        elif person in candidates:
            code = c.week_start if isinstance(c.week_start, str) else week
            last = worked[-1] + np.timedelta64(6, "D")
            starts, off = weeks_short_of_days_off(worked, code, first, last if end is None else min(end, last), rules)
            weekly += [{"person_id": person, "start": s, "off": int(o), "code": code,
                        "employment_id": c.employment_id} for s, o in zip(starts, off, strict=True)]  # fmt: skip
    _weekly(ctx, _governing(ctx, weekly, 6), rules)
    _variable(ctx, _governing(ctx, variable, rules.period_days - 1), rules)


def _governing(ctx: Context, found: list[dict[str, Any]], length: int) -> list[dict[str, Any]]:
    """The weeks or periods whose contract is the one in force on their last day (of overlapping contracts, the
    latest started governs: a JP contract followed by a Californian one no longer binds)."""
    if not found:
        return found
    df = pd.DataFrame(found)
    last = df["start"].to_numpy("datetime64[D]") + np.timedelta64(length, "D")
    contract = ctx.employment_on(df["person_id"], last.astype("datetime64[ns]"), ["employment_id"])
    in_force = contract["employment_id"].to_numpy()
    keep = in_force == df["employment_id"].to_numpy()
    return [row for row, k in zip(found, keep, strict=True) if k]


def _crowded_people(days: Any, rules: DaysOff) -> set[int]:
    """The people with more than ``7 − per_week`` days worked within some seven days: only they can have a week
    short of days off (one pass over the worked days, before the contract-by-contract count)."""
    k = 7 - rules.per_week
    if len(days) <= k:
        return set()
    same = days.person_id[k:] == days.person_id[:-k]
    close = (days.day[k:] - days.day[:-k]) <= 6
    return {int(p) for p in np.unique(days.person_id[k:][same & close])}


def _weekly(ctx: Context, weeks: list[dict[str, Any]], rules: DaysOff) -> None:
    if not weeks:
        return
    df = pd.DataFrame(weeks).sort_values(["person_id", "start"], ignore_index=True)
    # Consecutive weeks of one person, in one arrangement, are one stretch.
    start = df["start"].to_numpy("datetime64[D]")
    new = np.ones(len(df), dtype=bool)
    new[1:] = (
        (df["person_id"].to_numpy()[1:] != df["person_id"].to_numpy()[:-1])
        | (start[1:] - start[:-1] != np.timedelta64(7, "D"))
        | (df["code"].to_numpy()[1:] != df["code"].to_numpy()[:-1])
    )
    df["run"] = np.cumsum(new)
    runs = df.groupby("run", as_index=False).agg(
        person_id=("person_id", "first"), first=("start", "min"), last=("start", "max"), weeks=("start", "size"),
        off=("off", "min"), code=("code", "first"),
    )  # fmt: skip
    last = runs["last"].to_numpy("datetime64[D]") + np.timedelta64(6, "D")
    weekdays = {c: sentence(WEEKDAY_NAMES[c]) for c in set(runs["code"])}  # one object each: rendered once
    ctx.extend(
        "JP-HRS-06",
        "violation",
        runs["person_id"],
        runs["first"].to_numpy("datetime64[ns]"),
        last.astype("datetime64[ns]"),
        runs["off"].astype(float),
        float(rules.per_week),
        "days",
        Sentences(
            WEEKLY,
            {
                "weeks": runs["weeks"],
                "first": iso_dates(runs["first"]),
                "last": iso_dates(last),
                "weekday": [weekdays[c] for c in runs["code"]],
                "per_week": rules.per_week,
                "per_period": rules.per_period,
            },
        ),
        source=ctx.law.cite("JP", "hours.statutory_days_off.per_week"),
    )


def _variable(ctx: Context, periods: list[dict[str, Any]], rules: DaysOff) -> None:
    if not periods:
        return
    df = pd.DataFrame(periods)
    start = df["start"].to_numpy("datetime64[D]")
    last = start + np.timedelta64(rules.period_days - 1, "D")
    ctx.extend(
        "JP-HRS-06",
        "violation",
        df["person_id"],
        start.astype("datetime64[ns]"),
        last.astype("datetime64[ns]"),
        df["off"].astype(float),
        float(rules.per_period),
        "days",
        Sentences(
            VARIABLE,
            {
                "days": df["off"],
                "first": iso_dates(start),
                "last": iso_dates(last),
                "anchor": iso_dates(df["anchor"].to_numpy("datetime64[D]")),
                "per_period": rules.per_period,
            },
        ),
        source=ctx.law.cite("JP", "hours.statutory_days_off.or_per_4_weeks"),
    )
