"""How the dashboard writes numbers, money, hours, shares, months, dates and times: one module for every page.

A column's kind comes from its name, the way the views name them (``hours``, ``*_per_hour``, ``*_share``, ``month``,
``created_at`` …; see docs/analytics.md, "Unit suffixes"), so every table of every page is written alike:

* money in the row's currency: ``¥1,234`` (yen have no decimals), ``$1,234.56`` (dollars keep their cents); a
  table holding both is drawn once per currency (:func:`currencies`);
* hours with one decimal (``1,234.5 h``), shares as percentages with one decimal (``90.9%``), counts with
  separators, ids as plain integers;
* months as ``2025年7月`` / ``Jul 2025``, dates as ``2025-07-01``, times in the studio's time zone (the
  ``timezone`` setting, ENDROLL_TIMEZONE; default Asia/Tokyo) with the zone named in the header.

Values are formatted by the table itself (``st.column_config``), so a table still sorts by number and date; the text
forms here (:func:`money`, :func:`hours`, :func:`share`, :func:`month`) are for sentences, metrics and captions.
"""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from app_pages import _labels
from data import settings

HOURS = frozenset({"hours", "ot_hours", "holiday_hours", "ot_plus_holiday_hours", "ai_hours", "median_monthly_hours",
                   "mean_monthly_hours", "p10_monthly_hours", "p90_monthly_hours", "hours_per_cut",
                   "scheduled_monthly_hours", "over_line"})  # fmt: skip
MONEY = frozenset({"amount", "pay_amount", "pay_per_cut", "rate_per_unit", "ai_pay_amount", "studio_pay"})
RATES = frozenset({"pay_per_hour", "base_pay_per_hour", "mw_max_per_hour", "mw_per_hour", "implied_pay_per_hour",
                   "median_pay_per_hour", "p25_pay_per_hour", "p75_pay_per_hour"})  # fmt: skip
SHARES = frozenset({"ai_cuts_share", "share_over_205_hours", "share_missing_hours", "share_below_mw", "ai_hours_share", "ai_units_share",
                    "ai_pay_share"})  # fmt: skip
DECIMALS = {"units": 1, "units_per_hour": 2, "median_measured_value": 1, "threshold": 1, "measured_value": 1}
IDS = frozenset({"id", "batch_id", "line", "credit_line_id", "year"})
MONTHS = frozenset({"month", "first_month", "last_month", "adopted_month"})
DATES = frozenset({"period_start", "period_end", "week_start", "start_date", "end_date", "work_date", "since",
                   # the Freelance Act facts of a commission (dates, or None where the studio recorded none)
                   "commission_date", "terms_issued_date", "delivery_date", "deemed_due_date", "latest_due_date",
                   "paid_date", "due_date"})  # fmt: skip
TIMES = frozenset({"created_at", "started_at", "last_login_at", "locked_until", "at", "locked_at", "answered_at",
                   "status_since", "shared_at"})  # fmt: skip
# Keys that lead somewhere (a person, a production) but mean nothing to a reader.
HIDDEN = frozenset({"person_id", "production_id", "episode_id", "title_romaji", "_person"})


# ---------------------------------------------------------------------------------------------------------------
# Text forms


@functools.cache
def zone() -> ZoneInfo:
    """The studio's time zone (the ``timezone`` setting)."""
    return ZoneInfo(settings.get("timezone"))


def zone_name(when: dt.datetime | None = None) -> str:
    """The zone's abbreviation as a reader knows it (``JST``), else its name (``Asia/Tokyo``)."""
    name = (when or dt.datetime.now(zone())).astimezone(zone()).tzname() or ""
    return name if name.isalpha() else str(zone().key)


def today() -> dt.date:
    """Today in the studio's time zone (a Tokyo studio's day starts nine hours before UTC's)."""
    return dt.datetime.now(zone()).date()


def local(values: pd.Series) -> pd.Series:
    """Stored instants (naive UTC, as the database keeps them) as wall-clock times of the studio's zone."""
    times = pd.to_datetime(values)
    if times.dt.tz is None:
        times = times.dt.tz_localize("UTC")
    return times.dt.tz_convert(zone()).dt.tz_localize(None)


def money(amount: float | None, currency: str | None = "JPY", *, per_hour: bool = False) -> str:
    """``¥1,234`` / ``$1,234.56`` (``/h`` after it for a rate); ``–`` for no value."""
    if amount is None or amount != amount:
        return "–"
    text = f"${amount:,.2f}" if currency == "USD" else f"¥{amount:,.0f}"
    return f"{text}/h" if per_hour else text


def hours(value: float | None) -> str:
    """``1,234.5 h``."""
    return "–" if value is None or value != value else f"{value:,.1f} h"


def share(value: float | None) -> str:
    """``90.9%`` for 0.909."""
    return "–" if value is None or value != value else f"{value:.1%}"


def number(value: float | int | None) -> str:
    """``1,234``."""
    return "–" if value is None or value != value else f"{value:,.0f}"


def month(value: Any, language: str) -> str:
    """``2025年7月`` / ``Jul 2025``."""
    when = pd.Timestamp(value)
    return f"{when.year}年{when.month}月" if language == "ja" else when.strftime("%b %Y")


def date(value: Any) -> str:
    """``2025-07-01``."""
    return "–" if value is None or pd.isna(value) else pd.Timestamp(value).strftime("%Y-%m-%d")


def span(start: Any, end: Any, language: str) -> str:
    """A period as a reader says it: one month (``2025年7月``), a run of whole months, else two dates."""
    a, b = pd.Timestamp(start), pd.Timestamp(end)
    whole = a.day == 1 and (b + pd.Timedelta(days=1)).day == 1
    if whole and (a.year, a.month) == (b.year, b.month):
        return month(a, language)
    if whole:
        return f"{month(a, language)} – {month(b, language)}"
    return f"{date(a)} – {date(b)}"


# ---------------------------------------------------------------------------------------------------------------
# Tables


def month_format(language: str) -> str:
    """The momentJS format of a month column."""
    return "YYYY年M月" if language == "ja" else "MMM YYYY"


def currencies(frame: pd.DataFrame) -> list[str | None]:
    """The currencies of ``frame``'s rows, yen first; ``[None]`` when it has no currency column or one currency."""
    if "currency" not in frame.columns:
        return [None]
    found = [c for c in frame["currency"].dropna().unique()]
    if len(found) <= 1:
        return [found[0] if found else None]
    return sorted(found, key=lambda c: (c != "JPY", str(c)))


def column_config(frame: pd.DataFrame, _: Any, *, currency: str | None = None,
                  headers: dict[str, str] | None = None) -> dict[str, Any]:  # fmt: skip
    """``st.column_config`` for every column of ``frame`` (as :func:`present` leaves it), labelled in ``_``'s
    language; money in ``currency`` (yen unless it is ``USD``)."""
    usd = currency == "USD"
    config: dict[str, Any] = {}
    for column in frame.columns:
        label = (headers or {}).get(column) or _labels.header(column, _)
        series = frame[column]
        if column in TIMES:
            config[column] = st.column_config.DatetimeColumn(f"{label} ({zone_name()})", format="YYYY-MM-DD HH:mm")
        elif column in MONTHS:
            config[column] = st.column_config.DateColumn(label, format=month_format(_.language))
        elif column in DATES or pd.api.types.is_datetime64_any_dtype(series):
            config[column] = st.column_config.DateColumn(label, format="YYYY-MM-DD")
        elif pd.api.types.is_bool_dtype(series):
            config[column] = st.column_config.CheckboxColumn(label)
        elif not pd.api.types.is_numeric_dtype(series):
            config[column] = st.column_config.TextColumn(label)  # already written out (a value with its unit)
        elif column in MONEY:
            # printf rather than the "yen" preset, which writes a full-width ￥ unlike every other amount
            config[column] = st.column_config.NumberColumn(label, format="$%,.2f" if usd else "¥%,.0f")
        elif column in RATES:
            config[column] = st.column_config.NumberColumn(label, format="$%,.2f/h" if usd else "¥%,.0f/h")
        elif column in HOURS:
            config[column] = st.column_config.NumberColumn(label, format="%,.1f h")
        elif column in SHARES:
            config[column] = st.column_config.NumberColumn(label, format="%.1f%%")
        elif column in IDS:
            config[column] = st.column_config.NumberColumn(label, format="%d")
        elif column in DECIMALS and not series.dropna().eq(series.dropna().round()).all():
            config[column] = st.column_config.NumberColumn(label, format=f"%,.{DECIMALS[column]}f")
        else:
            whole = series.dropna().eq(series.dropna().round()).all()
            config[column] = st.column_config.NumberColumn(label, format="%,d" if whole else "%,.1f")
    return config


def present(frame: pd.DataFrame, _: Any, *, codes: dict[str, str | None] | None = None) -> pd.DataFrame:
    """``frame`` as a reader sees it, before :func:`column_config` writes its numbers: coded values named in ``_``'s
    language (:data:`app_pages._labels.CODED`, with ``codes`` per column overriding it; None: not coded), shares
    as percentages, months and dates as dates, stored times in the studio's zone, ids as integers."""
    out = frame.copy()
    vocabularies = {**_labels.CODED, **(codes or {})}
    for column in out.columns:
        if out[column].dtype == object and _all_numbers(out[column]):
            out[column] = pd.to_numeric(out[column])  # numbers that came as Python objects (Decimal, None-mixed)
        vocabulary = vocabularies.get(column)
        if vocabulary is not None and not pd.api.types.is_numeric_dtype(out[column]):
            # Each distinct code named once: a table of tens of thousands of lines has a handful of codes.
            values = out[column]
            named = {v: _labels.value_label(vocabulary, v, _) for v in values.dropna().unique()}
            out[column] = values.astype(object).where(values.isna(), values.map(named).astype(object))
        elif column in SHARES:
            out[column] = out[column].astype(float) * 100
        elif column in TIMES:
            out[column] = local(out[column])
        elif column in MONTHS or column in DATES:
            out[column] = pd.to_datetime(out[column], errors="coerce")
        elif (column in IDS or column.endswith("_id")) and pd.api.types.is_numeric_dtype(out[column]):
            out[column] = out[column].astype("Float64").round().astype("Int64")
    return out


def _all_numbers(series: pd.Series) -> bool:
    values = series.dropna()
    return len(values) > 0 and all(isinstance(v, int | float | Decimal) and not isinstance(v, bool) for v in values)


def shown_columns(frame: pd.DataFrame, hide: tuple[str, ...] = ()) -> list[str]:
    """The columns a reader sees: all but keys and ``hide``."""
    return [c for c in frame.columns if c not in HIDDEN and c not in hide]


def for_people(frame: pd.DataFrame, _: Any, *, codes: dict[str, str | None] | None = None,
               headers: dict[str, str] | None = None, hide: tuple[str, ...] = ()) -> pd.DataFrame:  # fmt: skip
    """``frame`` as a spreadsheet for people: :func:`present`'s values under the headers in ``_``'s language (the
    zone after a time's header, ``%`` after a share's), without the keys."""
    shown = present(frame, _, codes=codes)[shown_columns(frame, hide)]
    names = {}
    for column in shown.columns:
        label = (headers or {}).get(column) or _labels.header(column, _)
        if column in TIMES:
            label = f"{label} ({zone_name()})"
        elif column in SHARES:
            label = f"{label} (%)"
        names[column] = label
    return shown.rename(columns=names)
