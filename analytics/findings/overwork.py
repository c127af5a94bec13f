"""Overwork indicators (advocacy flags), named for what they are: the MHLW lines — the karoshi lines, streaks, the
mental-disorder lines (JP-OW-01…03, 05, 07) — for work under Japanese contracts, and the WHO/ILO 55-hour week for
everyone (JP-OW-04, CA-OW-04 under a Californian contract). Days off (JP-OW-06) are in :mod:`.working_hours`."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from analytics.findings.context import (
    Context,
    as_date,
    iso_dates,
    month_ends,
    month_label,
    month_labels,
    rounded,
    shift_months,
)
from analytics.findings.text import Sentences, sentence
from analytics.overwork import hours_beyond, indicators_of, long_weeks_of
from analytics.person_days import runs
from data.i18n import N_
from data.law.agreement import reaches
from data.law.overwork import SPECIAL_EVENT_WEEKS, OverworkLines

EQUIVALENT = N_(" (equivalent: not an employee)")
NUMBER_WORDS = {2: N_("two"), 3: N_("three"), 4: N_("four")}
OW_01 = N_(
    "JP-OW-01: {hours:.1f} h of overtime and holiday work{equivalent} in {month}, over the {line:g} h line where "
    "health risk starts to rise (MHLW criteria)."
)
OW_02 = N_(
    "JP-OW-02: overtime and holiday work{equivalent} averaged {average:.1f} h a month over {first}–{last}, at or over "
    "the {line:g} h karoshi line for {windows}-month averages (MHLW criteria)."
)
OW_03 = N_(
    "JP-OW-03: {hours:.1f} h of overtime and holiday work{equivalent} in {month}, at or over the {line:g} h "
    "single-month karoshi line (MHLW criteria)."
)
OW_04 = N_(
    "{rule}: {hours:.1f} h worked in the week from {week}, at or over the {line:g} h a week linked to higher stroke "
    "and heart-disease deaths (WHO/ILO 2021)."
)
OW_05 = N_(
    "JP-OW-05: {days} consecutive working days from {first} to {last}; {line} days or more without a day off is a "
    "recognised stressor (MHLW criteria)."
)
OW_07_MONTH = N_(
    "JP-OW-07: overtime and holiday work{equivalent} of {hours:.1f} h in {month}; about {line:g} h in one month is a "
    "special event in the MHLW criteria for work-related mental disorders."
)
OW_07_MONTHS = N_(
    "JP-OW-07: overtime and holiday work{equivalent} of {hours:.1f} h or more in each month {first}–{last}; {line:g} h "
    "or more in each of {months} consecutive months is a strong load in the MHLW criteria for work-related mental "
    "disorders."
)
OW_07_WEEKS = N_(
    "JP-OW-07: {hours:.1f} h beyond {limit:g} h a week in the {weeks} weeks from {first}; about {line:g} h in {weeks} "
    "weeks is a special event in the MHLW criteria for work-related mental disorders."
)


def _japanese(ctx: Context, person: Any, day: Any) -> np.ndarray:
    """True where the contract in force on ``day`` is not Californian: the MHLW lines are the criteria of Japan's
    workers' compensation, judged for work under Japanese contracts (and work with no contract on record, Japan
    being where Endroll's studios are), never under a Californian one."""
    return (ctx.employment_on(person, day, ["jurisdiction"])["jurisdiction"] != "US-CA").to_numpy()


def check(ctx: Context) -> None:
    """JP-OW-01…07 for work not under a Californian contract, and the WHO/ILO week for everyone (CA-OW-04 under a
    Californian contract); for people who were not employees that month the figures are labelled equivalents."""
    t = ctx.law.overwork
    monthly = indicators_of(ctx.monthly, ctx.pay, lines=t)
    monthly = monthly[_japanese(ctx, monthly["person_id"], month_ends(monthly["month"]))].reset_index(drop=True)
    labels, month_end = np.asarray(month_labels(monthly["month"])), month_ends(monthly["month"])
    equivalent = sentence(EQUIVALENT)  # one object for all: rendered once (text.Sentences.columns)
    eq = [equivalent if e else "" for e in monthly["equivalent"].to_numpy(bool)]
    otph = monthly["ot_plus_holiday_hours"]
    over_month = monthly["over_month_line"].to_numpy(bool)
    for rule, hit, line, words, key in (
        ("JP-OW-03", over_month, t.month_h, OW_03, "overwork_indicators.karoshi_single_month_h"),
        ("JP-OW-01", monthly["over_caution_line"].to_numpy(bool) & ~over_month, t.caution_month_h, OW_01,
         "overwork_indicators.ot_month_caution_h"),
    ):  # fmt: skip
        ctx.extend(
            rule,
            "advocacy_flag",
            monthly["person_id"][hit],
            monthly["month"][hit],
            month_end[hit],
            rounded(otph[hit]),
            line,
            "h",
            Sentences(
                words,
                {
                    "hours": otph[hit],
                    "equivalent": [e for e, h in zip(eq, hit, strict=True) if h],
                    "month": labels[hit],
                    "line": line,
                },
            ),  # fmt: skip
            source=ctx.law.cite("JP", key),
        )
    hit = monthly["over_average_line"].to_numpy(bool)
    v = monthly[hit]
    first = shift_months(v["month"], -(v["avg_window_months"].to_numpy(dtype=np.int64) - 1))
    ctx.extend(
        "JP-OW-02",
        "advocacy_flag",
        v["person_id"],
        first,
        month_end[hit],
        rounded(v["max_window_avg_hours"]),
        t.average_h,
        "h/month",
        Sentences(
            OW_02,
            {
                "equivalent": [e for e, h in zip(eq, hit, strict=True) if h],
                "average": v["max_window_avg_hours"],
                "first": month_labels(first),
                "last": labels[hit],
                "line": t.average_h,
                "windows": t.windows_label,
            },
        ),
        source=ctx.law.cite("JP", "overwork_indicators.karoshi_avg_2_6_months_h"),
    )
    every_week = ctx.records.weeks
    week_end = every_week["week_start"].to_numpy("datetime64[ns]") + np.timedelta64(6, "D")
    japanese_weeks = _japanese(ctx, every_week["person_id"], week_end)
    _mental_disorder_lines(ctx, monthly, every_week[japanese_weeks].reset_index(drop=True), t)
    weeks = long_weeks_of(every_week.assign(_jp=japanese_weeks), lines=t)
    rule = np.where(weeks["_jp"].to_numpy(bool), "JP-OW-04", "CA-OW-04")
    ctx.extend(
        rule,
        "advocacy_flag",
        weeks["person_id"],
        weeks["week_start"],
        weeks["week_start"].to_numpy("datetime64[ns]") + np.timedelta64(6, "D"),
        rounded(weeks["hours"]),
        t.week_h,
        "h",
        Sentences(
            OW_04, {"rule": rule, "hours": weeks["hours"], "week": iso_dates(weeks["week_start"]), "line": t.week_h}
        ),  # fmt: skip
        source=ctx.law.cite("JP", "overwork_indicators.who_ilo_weekly_h"),
    )
    found = runs(ctx.days(), min_days=t.streak_days)
    found = found[_japanese(ctx, found["person_id"], found["last_date"])].reset_index(drop=True)
    ctx.extend(
        "JP-OW-05",
        "advocacy_flag",
        found["person_id"],
        found["first_date"],
        found["last_date"],
        found["days"].astype(float),
        float(t.streak_days),
        "days",
        Sentences(
            OW_05,
            {
                "days": found["days"],
                "first": iso_dates(found["first_date"]),
                "last": iso_dates(found["last_date"]),
                "line": t.streak_days,
            },
        ),  # fmt: skip
        source=ctx.law.cite("JP", "overwork_indicators.consecutive_work_days_flag"),
    )


def _consecutive(df: pd.DataFrame, index: np.ndarray, mask: np.ndarray, at_least: int) -> pd.DataFrame:
    """Stretches of consecutive periods (``index`` steps of 1, per person; ``df`` sorted by person and period) where
    ``mask`` holds, ``at_least`` long: ``person_id``, ``first``, ``last`` (row positions in ``df``), ``periods``."""
    person = df["person_id"].to_numpy(np.int64)
    new = np.ones(len(df), dtype=bool)
    new[1:] = (person[1:] != person[:-1]) | (index[1:] != index[:-1] + 1) | ~mask[:-1]
    run = np.cumsum(new)
    rows = np.flatnonzero(mask)
    if not rows.size:
        return pd.DataFrame(columns=["person_id", "first", "last", "periods"])
    grouped = pd.DataFrame({"run": run[rows], "row": rows}).groupby("run")["row"].agg(["min", "max", "size"])
    grouped = grouped[grouped["size"] >= at_least]
    return pd.DataFrame(
        {
            "person_id": person[grouped["min"].to_numpy()],
            "first": grouped["min"].to_numpy(),
            "last": grouped["max"].to_numpy(),
            "periods": grouped["size"].to_numpy(),
        }
    )


def _mental_disorder_lines(ctx: Context, monthly: pd.DataFrame, weeks: pd.DataFrame, t: OverworkLines) -> None:
    """JP-OW-07, the MHLW lines for mental disorders: about the special-event hours of overtime in a month or in
    three weeks; the strong-load hours in each of several consecutive months (each a rule parameter). Overtime here
    is the same as the karoshi lines' (JP-OW-01..03); for the weeks, hours beyond the statutory weekly limit."""
    weekly_limit_h = ctx.law.hours.weekly_limit_seconds / 3600
    found = _mental_months(monthly, t) + _mental_weeks(weeks, t, weekly_limit_h)
    if not found:
        return
    for message in dict.fromkeys(f[5] for f in found):
        mine = [f for f in found if f[5] == message]
        person_ids, starts, ends, values, lines, _, params = (list(c) for c in zip(*mine, strict=True))
        ctx.extend("JP-OW-07", "advocacy_flag", person_ids, pd.DatetimeIndex(starts), pd.DatetimeIndex(ends), values,
                   np.asarray(lines, dtype=float), "h",
                   Sentences(message, {k: [p[k] for p in params] for k in params[0]}),
                   source=ctx.law.cite("JP", "overwork_indicators.mental"))  # fmt: skip


def _mental_months(monthly: pd.DataFrame, t: OverworkLines) -> list[tuple]:
    if monthly.empty:
        return []
    monthly = monthly.sort_values(["person_id", "month"], ignore_index=True)
    otph = monthly["ot_plus_holiday_hours"].to_numpy(float)
    month_index = (monthly["month"].dt.year * 12 + monthly["month"].dt.month).to_numpy(np.int64)
    equivalent = sentence(EQUIVALENT)  # one object for all: rendered once (text.Sentences.columns)
    eq = [equivalent if e else "" for e in monthly["equivalent"].to_numpy(bool)]
    found = []
    # Looked up in arrays: a frame's .iat for each of thousands of findings cost more than finding them.
    months, people = monthly["month"].to_numpy(), monthly["person_id"].to_numpy()
    lines = [(t.mental_month_h, 1)] + [(h, n) for n, h in t.strong_loads]
    for line, n in lines:
        hit = reaches(otph, line)
        if n == 1:
            stretches_ = [(r, r) for r in np.flatnonzero(hit)]
        else:
            runs_ = _consecutive(monthly, month_index, hit, n)
            stretches_ = list(zip(runs_["first"].tolist(), runs_["last"].tolist(), strict=True))
        for first_row, last_row in stretches_:
            lowest = float(otph[first_row : last_row + 1].min())
            first, last = pd.Timestamp(months[first_row]), pd.Timestamp(months[last_row])
            params = {"equivalent": eq[first_row], "hours": lowest, "line": line}
            if n == 1:
                message, params = OW_07_MONTH, params | {"month": month_label(first)}
            else:
                message = OW_07_MONTHS
                params |= {"first": month_label(first), "last": month_label(last), "months": n}
            found.append(
                (int(people[first_row]), first, last + pd.offsets.MonthEnd(0), round(lowest, 2),
                 line, message, params)
            )  # fmt: skip
    return found


def _mental_weeks(weeks: pd.DataFrame, t: OverworkLines, weekly_limit_h: float) -> list[tuple]:
    n = SPECIAL_EVENT_WEEKS
    if len(weeks) < n:
        return []
    weeks = weeks.sort_values(["person_id", "week_start"], ignore_index=True)
    over = hours_beyond(weeks, weekly_limit_h)
    week_index = weeks["week_start"].to_numpy("datetime64[D]").astype(np.int64) // 7
    person = weeks["person_id"].to_numpy(np.int64)
    # n calendar-consecutive weeks of one person: rows i-n+1 … i (one row per person-week, in week order).
    same = (person[n - 1 :] == person[: len(person) - n + 1]) & (
        week_index[n - 1 :] == week_index[: len(person) - n + 1] + n - 1
    )
    total = over[n - 1 :].copy()
    for back in range(1, n):
        total = total + over[n - 1 - back : len(over) - back]
    found = []
    starts = weeks["week_start"].to_numpy()
    for i in np.flatnonzero(same & reaches(total, t.mental_weeks_h)) + n - 1:
        first = pd.Timestamp(starts[i - n + 1])
        found.append(
            (
                int(person[i]),
                first,
                pd.Timestamp(starts[i]) + pd.Timedelta(days=6),
                round(float(total[i - n + 1]), 2),
                t.mental_weeks_h,
                OW_07_WEEKS,
                {
                    "hours": float(total[i - n + 1]),
                    "limit": weekly_limit_h,
                    "first": str(as_date(first)),
                    "weeks": sentence(NUMBER_WORDS[n]) if n in NUMBER_WORDS else n,
                    "line": t.mental_weeks_h,
                },
            )  # fmt: skip
        )
    return found
