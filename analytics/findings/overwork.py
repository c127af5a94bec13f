"""Overwork indicators for everyone (advocacy flags): the karoshi lines, 55-hour weeks, streaks, days off and the
mental-disorder lines (JP-OW-01…07)."""

from __future__ import annotations

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
from analytics.overwork import hours_beyond, indicators_of, long_weeks_of
from analytics.person_days import runs
from data.law.agreement import reaches
from data.law.overwork import SPECIAL_EVENT_WEEKS, OverworkLines

NUMBER_WORDS = {2: "two", 3: "three", 4: "four"}


def check(ctx: Context) -> None:
    """JP-OW-01…07 for everyone in view; for people who were not employees that month the figures are labelled
    equivalents."""
    t = ctx.law.overwork
    monthly = indicators_of(ctx.monthly, ctx.pay, lines=t)
    labels, month_end = np.asarray(month_labels(monthly["month"])), month_ends(monthly["month"])
    eq = np.where(monthly["equivalent"].to_numpy(bool), " (equivalent: not an employee)", "")
    otph = monthly["ot_plus_holiday_hours"]
    over_month = monthly["over_month_line"].to_numpy(bool)
    for rule, hit, line, words in (
        ("JP-OW-03", over_month, t.month_h, "at or over the {:g} h single-month karoshi line (MHLW criteria)."),
        ("JP-OW-01", monthly["over_caution_line"].to_numpy(bool) & ~over_month, t.caution_month_h,
         "over the {:g} h line where health risk starts to rise (MHLW criteria)."),
    ):  # fmt: skip
        tail = words.format(line)
        ctx.extend(
            rule,
            "advocacy_flag",
            monthly["person_id"][hit],
            monthly["month"][hit],
            month_end[hit],
            rounded(otph[hit]),
            line,
            "h",
            [
                f"{rule}: {h:.1f} h of overtime and holiday work{e} in {m}, {tail}"
                for h, e, m in zip(otph[hit].tolist(), eq[hit], labels[hit], strict=True)
            ],
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
        [
            f"JP-OW-02: overtime and holiday work{e} averaged {a:.1f} h a month over {f}–{m}, at or over the "
            f"{t.average_h:g} h karoshi line for {t.windows_label}-month averages (MHLW criteria)."
            for e, a, f, m in zip(
                eq[hit], v["max_window_avg_hours"].tolist(), month_labels(first), labels[hit], strict=True
            )
        ],
    )
    every_week = ctx.records.weeks
    _mental_disorder_lines(ctx, monthly, every_week, t)
    weeks = long_weeks_of(every_week, lines=t)
    week_end = weeks["week_start"].to_numpy("datetime64[ns]") + np.timedelta64(6, "D")
    ctx.extend(
        "JP-OW-04",
        "advocacy_flag",
        weeks["person_id"],
        weeks["week_start"],
        week_end,
        rounded(weeks["hours"]),
        t.week_h,
        "h",
        [
            f"JP-OW-04: {h:.1f} h worked in the week from {w}, at or over the {t.week_h:g} h a week linked to "
            f"higher stroke and heart-disease deaths (WHO/ILO 2021)."
            for h, w in zip(weeks["hours"].tolist(), iso_dates(weeks["week_start"]), strict=True)
        ],
    )
    found = runs(ctx.days(), min_days=t.streak_days)
    ctx.extend(
        "JP-OW-05",
        "advocacy_flag",
        found["person_id"],
        found["first_date"],
        found["last_date"],
        found["days"].astype(float),
        float(t.streak_days),
        "days",
        [
            f"JP-OW-05: {k} consecutive working days from {a} to {b}; {t.streak_days} days or more without a day off "
            f"is a recognised stressor (MHLW criteria)."
            for k, a, b in zip(
                found["days"].tolist(), iso_dates(found["first_date"]), iso_dates(found["last_date"]), strict=True
            )
        ],
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
    person_ids, starts, ends, values, lines, texts = (list(c) for c in zip(*found, strict=True))
    ctx.extend("JP-OW-07", "advocacy_flag", person_ids, pd.DatetimeIndex(starts), pd.DatetimeIndex(ends), values,
               np.asarray(lines, dtype=float), "h", texts)  # fmt: skip


def _mental_months(monthly: pd.DataFrame, t: OverworkLines) -> list[tuple]:
    if monthly.empty:
        return []
    monthly = monthly.sort_values(["person_id", "month"], ignore_index=True)
    otph = monthly["ot_plus_holiday_hours"].to_numpy(float)
    month_index = (monthly["month"].dt.year * 12 + monthly["month"].dt.month).to_numpy(np.int64)
    eq = np.where(monthly["equivalent"].to_numpy(bool), " (equivalent: not an employee)", "")
    found = []
    lines = [(t.mental_month_h, 1, "about {:g} h in one month is a special event")]
    lines += [(h, n, f"{{:g}} h or more in each of {n} consecutive months is a strong load") for n, h in t.strong_loads]
    for line, n, words in lines:
        hit = reaches(otph, line)
        if n == 1:
            stretches_ = [(r, r) for r in np.flatnonzero(hit)]
        else:
            runs_ = _consecutive(monthly, month_index, hit, n)
            stretches_ = list(zip(runs_["first"].tolist(), runs_["last"].tolist(), strict=True))
        for first_row, last_row in stretches_:
            lowest = float(otph[first_row : last_row + 1].min())
            first, last = monthly["month"].iat[first_row], monthly["month"].iat[last_row]
            when = f" in {month_label(first)}" if n == 1 else (
                f" or more in each month {month_label(first)}–{month_label(last)}")  # fmt: skip
            found.append(
                (
                    int(monthly["person_id"].iat[first_row]),
                    first,
                    last + pd.offsets.MonthEnd(0),
                    round(lowest, 2),
                    line,
                    f"JP-OW-07: overtime and holiday work{eq[first_row]} of {lowest:.1f} h{when}; "
                    f"{words.format(line)} in the MHLW criteria for work-related mental disorders.",
                )
            )
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
    words = NUMBER_WORDS.get(n, str(n))
    found = []
    for i in np.flatnonzero(same & reaches(total, t.mental_weeks_h)) + n - 1:
        first = weeks["week_start"].iat[i - n + 1]
        found.append(
            (
                int(person[i]),
                first,
                weeks["week_start"].iat[i] + pd.Timedelta(days=6),
                round(float(total[i - n + 1]), 2),
                t.mental_weeks_h,
                f"JP-OW-07: {total[i - n + 1]:.1f} h beyond {weekly_limit_h:g} h a week in the {words} weeks from "
                f"{as_date(first)}; about {t.mental_weeks_h:g} h in {words} weeks is a special event in the MHLW "
                f"criteria for work-related mental disorders.",
            )
        )
    return found
